#include "dump/chunker.h"

#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"
#include "format/value.h"

#include <string.h>

#define MAX_WALKED_CHUNKS 1000000

void wharf_chunk_plan_clear(wharf_chunk_plan *p)
{
    if (p->where)
        g_ptr_array_unref(p->where);
    g_free(p->order_by);
    g_free(p->why_unsplit);
    memset(p, 0, sizeof *p);
}

static gboolean is_int(const char *t)
{
    return strcmp(t, "tinyint") == 0 || strcmp(t, "smallint") == 0 ||
           strcmp(t, "mediumint") == 0 || strcmp(t, "int") == 0 || strcmp(t, "bigint") == 0;
}

/* Types whose server text and comparison order agree (see the contract). */
static gboolean walkable(const wharf_column *c)
{
    static const char *const ok[] = {"tinyint", "smallint", "mediumint", "int", "bigint",
                                     "decimal", "date", "datetime", "timestamp", "time",
                                     "year", "char", "varchar", "binary", "varbinary", NULL};
    for (int i = 0; ok[i]; i++)
        if (strcmp(c->data_type, ok[i]) == 0)
            return TRUE;
    return FALSE;
}

/* SQL literal of a key value, compared the way the column compares. */
static void key_literal(GString *out, const wharf_column *c, const char *v, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    if (strcmp(c->data_type, "char") == 0 || strcmp(c->data_type, "varchar") == 0) {
        if (c->charset && c->collation) {
            g_string_append_printf(out, "_%s ", c->charset);
            if (len == 0)
                g_string_append(out, "''");
            else {
                g_string_append(out, "0x");
                for (size_t i = 0; i < len; i++) {
                    g_string_append_c(out, hex[((unsigned char)v[i]) >> 4]);
                    g_string_append_c(out, hex[((unsigned char)v[i]) & 15]);
                }
            }
            g_string_append_printf(out, " COLLATE %s", c->collation);
            return;
        }
    }
    wharf_value_sql(out, wharf_value_kind_of_type_name(c->data_type), v, len);
}

/* (k1,k2,...) OP (v1,v2,...) expanded for the range optimizer:
 *   >= : k1 >= v1 AND (k1 > v1 OR (k2 >= v2 ...))  (lexicographic) */
static void append_cmp(GString *q, GPtrArray *key, char **vals, guint i, gboolean lower)
{
    char *id = wharf_quote_ident(((wharf_column *)key->pdata[i])->name);
    if (i == key->len - 1) {
        g_string_append_printf(q, "%s %s %s", id, lower ? ">=" : "<", vals[i]);
    } else {
        g_string_append_printf(q, "(%s %s %s OR (%s = %s AND ", id, lower ? ">" : "<", vals[i], id,
                               vals[i]);
        append_cmp(q, key, vals, i + 1, lower);
        g_string_append(q, "))");
    }
    g_free(id);
}

static char *range_cond(GPtrArray *key, char **lo, char **hi)
{
    GString *q = g_string_new(NULL);
    if (lo) {
        if (key->len > 1) {
            char *id = wharf_quote_ident(((wharf_column *)key->pdata[0])->name);
            g_string_append_printf(q, "%s >= %s AND ", id, lo[0]);
            g_free(id);
        }
        append_cmp(q, key, lo, 0, TRUE);
    }
    if (hi) {
        if (lo)
            g_string_append(q, " AND ");
        if (key->len > 1) {
            char *id = wharf_quote_ident(((wharf_column *)key->pdata[0])->name);
            g_string_append_printf(q, "%s <= %s AND ", id, hi[0]);
            g_free(id);
        }
        append_cmp(q, key, hi, 0, FALSE);
    }
    return g_string_free(q, FALSE);
}

static char *key_list(GPtrArray *key)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < key->len; i++) {
        char *id = wharf_quote_ident(((wharf_column *)key->pdata[i])->name);
        g_string_append_printf(s, "%s%s", i ? "," : "", id);
        g_free(id);
    }
    return g_string_free(s, FALSE);
}

/* Equal ranges of values of the key's first column (an integer). For a
 * composite key (leading = TRUE) the ranges are only used when the column
 * spans at least two values per chunk; otherwise *walk is set and nothing
 * is added (the caller walks the whole key instead). */
static gboolean plan_int(MYSQL *m, const wharf_cat_table *t, gint64 target, gboolean leading,
                         gboolean *walk, wharf_chunk_plan *out, GError **err)
{
    wharf_column *c = t->key->pdata[0];
    char *id = wharf_quote_ident(c->name);
    char *tn = wharf_catalog_from(t);
    char *sql = g_strdup_printf("SELECT MIN(%s), MAX(%s) FROM %s", id, id, tn);
    MYSQL_RES *res = wharf_conn_query(m, sql, err);
    g_free(sql);
    g_free(tn);
    if (res == NULL) {
        g_free(id);
        return FALSE;
    }
    MYSQL_ROW row = mysql_fetch_row(res);
    if (row == NULL || row[0] == NULL || row[1] == NULL) {
        mysql_free_result(res);
        g_free(id);
        g_ptr_array_add(out->where, NULL); /* empty table */
        return TRUE;
    }
    /* Work on unsigned offsets from min: exact for signed and unsigned. */
    guint64 umin, umax;
    if (c->is_unsigned) {
        umin = g_ascii_strtoull(row[0], NULL, 10);
        umax = g_ascii_strtoull(row[1], NULL, 10);
    } else {
        umin = (guint64)g_ascii_strtoll(row[0], NULL, 10);
        umax = (guint64)g_ascii_strtoll(row[1], NULL, 10);
    }
    mysql_free_result(res);
    guint64 span = umax - umin; /* values - 1 */
    gint64 est = MAX(t->rows_estimate, 1);
    guint64 n = (guint64)((est + target - 1) / target);
    if (leading && n > 1 && span < 2 * n - 1) {
        g_free(id);
        *walk = TRUE;
        return TRUE;
    }
    if (n > span + 1)
        n = span + 1;
    if (n > MAX_WALKED_CHUNKS)
        n = MAX_WALKED_CHUNKS;
    if (n <= 1) {
        g_ptr_array_add(out->where, NULL);
        g_free(id);
        return TRUE;
    }
    guint64 step = span / n + (span % n != 0);
    char *prev = NULL;
    for (guint64 i = 1; i <= n; i++) {
        char *b = NULL;
        if (i < n && step * i <= span) {
            guint64 v = umin + step * i;
            b = c->is_unsigned ? g_strdup_printf("%" G_GUINT64_FORMAT, v)
                               : g_strdup_printf("%" G_GINT64_FORMAT, (gint64)v);
        }
        char *w;
        if (prev && b)
            w = g_strdup_printf("%s >= %s AND %s < %s", id, prev, id, b);
        else if (prev)
            w = g_strdup_printf("%s >= %s", id, prev);
        else
            w = g_strdup_printf("%s < %s", id, b);
        g_ptr_array_add(out->where, w);
        g_free(prev);
        prev = b;
        if (b == NULL)
            break;
    }
    g_free(prev);
    g_free(id);
    return TRUE;
}

static gboolean plan_walk(MYSQL *m, const wharf_cat_table *t, gint64 target, wharf_chunk_plan *out,
                          GError **err)
{
    char *cols = key_list(t->key);
    char *tn = wharf_catalog_from(t);
    guint nk = t->key->len;
    char **prev = NULL;
    for (;;) {
        GString *q = g_string_new(NULL);
        g_string_append_printf(q, "SELECT %s FROM %s", cols, tn);
        if (prev) {
            char *c = range_cond(t->key, prev, NULL);
            g_string_append_printf(q, " WHERE %s", c);
            g_free(c);
        }
        g_string_append_printf(q, " ORDER BY %s LIMIT 1 OFFSET %" G_GINT64_FORMAT, cols, target);
        MYSQL_RES *res = wharf_conn_query(m, q->str, err);
        g_string_free(q, TRUE);
        if (res == NULL) {
            g_strfreev(prev);
            g_free(cols);
            g_free(tn);
            return FALSE;
        }
        MYSQL_ROW row = mysql_fetch_row(res);
        char **b = NULL;
        if (row && out->where->len < MAX_WALKED_CHUNKS) {
            unsigned long *len = mysql_fetch_lengths(res);
            b = g_new0(char *, nk + 1);
            for (guint i = 0; i < nk; i++) {
                GString *lit = g_string_new(NULL);
                key_literal(lit, t->key->pdata[i], row[i], row[i] ? len[i] : 0);
                b[i] = g_string_free(lit, FALSE);
            }
        }
        mysql_free_result(res);
        g_ptr_array_add(out->where, (prev || b) ? range_cond(t->key, prev, b) : NULL);
        g_strfreev(prev);
        prev = b;
        if (b == NULL)
            break;
    }
    g_free(cols);
    g_free(tn);
    return TRUE;
}

gboolean wharf_chunker_can_split(const wharf_cat_table *t)
{
    if (t->kind != WHARF_OBJ_TABLE || t->key == NULL || t->key->len == 0)
        return FALSE;
    for (guint i = 0; i < t->key->len; i++)
        if (!walkable(t->key->pdata[i]))
            return FALSE;
    return TRUE;
}

gboolean wharf_chunker_plan(MYSQL *m, const wharf_cat_table *t, gint64 target_rows,
                            wharf_chunk_plan *out, GError **err)
{
    memset(out, 0, sizeof *out);
    out->where = g_ptr_array_new_with_free_func(g_free);
    if (target_rows < 1)
        target_rows = 1;
    if (t->kind != WHARF_OBJ_TABLE || t->rows_estimate <= target_rows) {
        g_ptr_array_add(out->where, NULL);
        return TRUE;
    }
    if (!wharf_chunker_can_split(t)) {
        wharf_column *c = NULL;
        for (guint i = 0; t->key && i < t->key->len && c == NULL; i++)
            if (!walkable(t->key->pdata[i]))
                c = t->key->pdata[i];
        out->why_unsplit =
            c ? g_strdup_printf("its key %s has column `%s` of type %s, which is not split on",
                                t->key_name, c->name, c->data_type)
              : g_strdup("it has no primary key and no unique key on NOT NULL columns");
        g_ptr_array_add(out->where, NULL);
        return TRUE;
    }
    out->order_by = key_list(t->key);
    gboolean ok = TRUE, walk = !is_int(((wharf_column *)t->key->pdata[0])->data_type);
    if (!walk)
        ok = plan_int(m, t, target_rows, t->key->len > 1, &walk, out, err);
    if (ok && walk)
        ok = plan_walk(m, t, target_rows, out, err);
    if (!ok) {
        wharf_chunk_plan_clear(out);
        return FALSE;
    }
    if (out->where->len <= 1) {
        g_free(out->order_by);
        out->order_by = NULL;
    }
    return TRUE;
}
