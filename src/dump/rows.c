#include "dump/rows.h"

#include "core/conn.h"
#include "core/error.h"
#include "format/checksum.h"
#include "format/layout.h"
#include "format/value.h"

#include <string.h>

#define RATE_PIECE (256 << 10) /* --max-rate: bytes booked at a time */

#define DATA_HEADER                                                                                \
    "/*!40101 SET NAMES binary*/;\n"                                                               \
    "/*!40014 SET FOREIGN_KEY_CHECKS=0*/;\n"                                                       \
    "/*!40103 SET TIME_ZONE='+00:00'*/;\n"

/* A table loaded with its history: its ROW START/END values are given. */
#define HISTORY_HEADER "/*M!101100 SET SESSION system_versioning_insert_history=1*/;\n"

static const char *data_header(const wharf_cat_table *t)
{
    return t->history ? DATA_HEADER HISTORY_HEADER : DATA_HEADER;
}

wharf_writer *wharf_rows_open(const wharf_outdir *o, const char *name, GError **err)
{
    if (o->open)
        return o->open(o->open_data, name, err);
    char *path = g_build_filename(o->dir, name, NULL);
    wharf_writer *w = wharf_writer_open(path, o->compress, o->level, err);
    g_free(path);
    /* Durability comes from one syncfs before `metadata` (dump.c). */
    if (w)
        wharf_writer_defer_sync(w);
    if (w && o->on_commit)
        wharf_writer_on_commit(w, o->on_commit, o->on_commit_data);
    return w;
}

/* The dumped columns (generated ones are left out), comma-separated. For
 * the SELECT, FLOAT columns are read as `col+0e0`: the text protocol prints
 * FLOAT with 6 digits, a DOUBLE has all of them. */
static char *dumped_columns(const wharf_cat_table *t, gboolean for_select)
{
    GString *s = g_string_new(NULL);
    gboolean first = TRUE;
    for (guint i = 0; i < t->columns->len; i++) {
        wharf_column *c = t->columns->pdata[i];
        if (!wharf_column_dumped(t, c))
            continue;
        char *id = wharf_quote_ident(c->name);
        g_string_append_printf(s, "%s%s%s", first ? "" : ",", id,
                               for_select && strcmp(c->data_type, "float") == 0 ? "+0e0" : "");
        g_free(id);
        first = FALSE;
    }
    return g_string_free(s, FALSE);
}

char *wharf_rows_select(const wharf_cat_table *t, const char *where, const char *order_by)
{
    char *cols = dumped_columns(t, TRUE);
    char *tn = wharf_catalog_from(t);
    GString *q = g_string_new(NULL);
    g_string_append_printf(q, "SELECT %s FROM %s", cols, tn);
    if (t->where && where)
        g_string_append_printf(q, " WHERE %s AND (%s)", t->where, where);
    else if (t->where)
        g_string_append_printf(q, " WHERE %s", t->where);
    else if (where)
        g_string_append_printf(q, " WHERE %s", where);
    if (order_by && where)
        g_string_append_printf(q, " ORDER BY %s", order_by);
    g_free(cols);
    g_free(tn);
    return g_string_free(q, FALSE);
}

/* LOAD DATA ... (`a`,@`b`) SET `b`=CAST(@`b` AS UNSIGNED) */
static gboolean write_load_twin(const wharf_outdir *o, const wharf_cat_table *t, guint64 part,
                                GError **err)
{
    char *dat = wharf_layout_chunk(t->fdb, t->fname, part, "dat", o->compress);
    char *sqlname = wharf_layout_chunk(t->fdb, t->fname, part, "sql", o->compress);
    GString *s = g_string_new(data_header(t));
    char *lit = wharf_quote_string(dat);
    char *tid = wharf_quote_ident(t->name);
    g_string_append_printf(s,
                           "LOAD DATA LOCAL INFILE %s INTO TABLE %s CHARACTER SET binary\n"
                           " FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY "
                           "'\\n'\n (",
                           lit, tid);
    GString *set = g_string_new(NULL);
    gboolean first = TRUE;
    for (guint i = 0; i < t->columns->len; i++) {
        wharf_column *c = t->columns->pdata[i];
        if (!wharf_column_dumped(t, c))
            continue;
        char *id = wharf_quote_ident(c->name);
        wharf_value_kind k = wharf_value_kind_of_type_name(c->data_type);
        if (k == WHARF_VALUE_BIT || k == WHARF_VALUE_TEXT) {
            g_string_append_printf(s, "%s@%s", first ? "" : ",", id);
            g_string_append_printf(set, k == WHARF_VALUE_BIT ? "%s%s=CAST(@%s AS UNSIGNED)"
                                                             : "%s%s=CONVERT(@%s USING utf8mb4)",
                                   set->len ? "," : "", id, id);
        } else {
            g_string_append_printf(s, "%s%s", first ? "" : ",", id);
        }
        g_free(id);
        first = FALSE;
    }
    g_string_append(s, ")");
    if (set->len)
        g_string_append_printf(s, " SET %s", set->str);
    g_string_append(s, ";\n");
    gboolean ok = FALSE;
    wharf_writer *w = wharf_rows_open(o, sqlname, err);
    if (w) {
        ok = wharf_writer_write(w, s->str, s->len, err) && wharf_writer_commit(w, err);
        if (!ok)
            wharf_writer_abort(w);
    }
    g_string_free(set, TRUE);
    g_string_free(s, TRUE);
    g_free(lit);
    g_free(tid);
    g_free(dat);
    g_free(sqlname);
    return ok;
}

gboolean wharf_rows_dump_chunk(MYSQL *m, const wharf_outdir *o, const wharf_cat_table *t,
                               const char *where, const char *order_by, guint64 part,
                               wharf_progress *progress, wharf_rows_result *out, GError **err)
{
    memset(out, 0, sizeof *out);
    /* Progress counted so far; taken back when the attempt fails, so a
     * retried chunk is not counted twice. */
    gint64 rows_reported = 0;
    guint64 reported = 0;
    char *cols = dumped_columns(t, TRUE);
    if (*cols == '\0') {
        g_free(cols);
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED,
                    "`%s`.`%s`: the catalog has no column of it to dump (information_schema could not read it: "
                    "a concurrent ALTER?)",
                    t->db, t->name);
        return FALSE;
    }
    g_free(cols);
    char *q = wharf_rows_select(t, where, order_by);

    /* A sequence's one row (its state) is always an INSERT, as mydumper
     * writes it: LOAD DATA into a sequence is not supported. */
    const gboolean tsv = o->format == WHARF_DATA_TSV && t->kind == WHARF_OBJ_TABLE;
    char *name = wharf_layout_chunk(t->fdb, t->fname, part, tsv ? "dat" : "sql", o->compress);
    wharf_writer *w = NULL;
    MYSQL_RES *res = wharf_conn_query_stream(m, q, err);
    g_free(q);
    if (res == NULL)
        goto fail;
    w = wharf_rows_open(o, name, err);
    if (w == NULL)
        goto fail;

    unsigned nf = mysql_num_fields(res);
    MYSQL_FIELD *fields = mysql_fetch_fields(res);
    wharf_value_kind *kinds = g_new(wharf_value_kind, nf);
    for (unsigned i = 0; i < nf; i++)
        kinds[i] = wharf_value_kind_of_field(&fields[i]);

    char *insert = NULL;
    if (!tsv) {
        char *tid = wharf_quote_ident(t->name);
        char *cl = dumped_columns(t, FALSE);
        insert = g_strdup_printf("INSERT INTO %s (%s) VALUES\n", tid, cl);
        g_free(tid);
        g_free(cl);
        if (!wharf_writer_puts(w, data_header(t), err)) {
            g_free(kinds);
            g_free(insert);
            goto fail;
        }
    }
    GString *row_buf = g_string_sized_new(4096);
    wharf_checksum ck;
    wharf_checksum_init(&ck);
    gsize stmt_bytes = 0; /* bytes of the open INSERT statement, 0 = none open */
    gint64 rows = 0, unbooked = 0; /* bytes not yet booked on --max-rate */
    gboolean ok = TRUE;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        unsigned long *len = mysql_fetch_lengths(res);
        wharf_checksum_add_row(&ck, row, len, nf);
        g_string_truncate(row_buf, 0);
        if (tsv) {
            for (unsigned i = 0; i < nf; i++) {
                if (i)
                    g_string_append_c(row_buf, '\t');
                wharf_value_tsv(row_buf, kinds[i], row[i], row[i] ? len[i] : 0);
            }
            g_string_append_c(row_buf, '\n');
        } else {
            g_string_append_c(row_buf, '(');
            for (unsigned i = 0; i < nf; i++) {
                if (i)
                    g_string_append_c(row_buf, ',');
                wharf_value_sql(row_buf, kinds[i], row[i], row[i] ? len[i] : 0);
            }
            g_string_append_c(row_buf, ')');
            if (stmt_bytes > 0 && stmt_bytes + row_buf->len + 3 > o->statement_size) {
                ok = wharf_writer_puts(w, ";\n", err);
                stmt_bytes = 0;
            }
            if (ok && stmt_bytes == 0) {
                ok = wharf_writer_puts(w, insert, err);
                stmt_bytes = strlen(insert);
            } else if (ok) {
                ok = wharf_writer_puts(w, ",\n", err);
                stmt_bytes += 2;
            }
            stmt_bytes += row_buf->len;
        }
        if (ok)
            ok = wharf_writer_write(w, row_buf->str, row_buf->len, err);
        if (ok && o->rate && (unbooked += (gint64)row_buf->len) >= RATE_PIECE) {
            if (!(ok = wharf_rate_take(o->rate, unbooked)))
                g_set_error_literal(err, WHARF_ERROR, WHARF_ERROR_CANCELLED, "the dump is stopping");
            unbooked = 0;
        }
        if (!ok)
            break;
        rows++;
        if ((rows & 1023) == 0) {
            guint64 b = wharf_writer_bytes(w);
            wharf_counter_add(&progress->rows_done, 1024);
            wharf_counter_add(&progress->bytes_done, (gint64)(b - reported));
            rows_reported += 1024;
            reported = b;
        }
    }
    if (ok && mysql_errno(m) != 0) {
        wharf_conn_set_error(m, NULL, err);
        ok = FALSE;
    }
    if (ok && unbooked > 0 && !(ok = wharf_rate_take(o->rate, unbooked)))
        g_set_error_literal(err, WHARF_ERROR, WHARF_ERROR_CANCELLED, "the dump is stopping");
    if (ok && stmt_bytes > 0)
        ok = wharf_writer_puts(w, ";\n", err);
    mysql_free_result(res);
    res = NULL;
    g_string_free(row_buf, TRUE);
    g_free(kinds);
    g_free(insert);
    const guint64 sum = ck.sum;
    wharf_checksum_clear(&ck);
    if (!ok)
        goto fail;
    wharf_counter_add(&progress->rows_done, rows & 1023);
    wharf_counter_add(&progress->bytes_done, (gint64)(wharf_writer_bytes(w) - reported));
    rows_reported = rows;
    reported = wharf_writer_bytes(w);
    out->rows = rows;
    /* A copy's reader waits for the chunk it asked for: it gets it, empty. */
    if (rows == 0 && o->open == NULL) {
        wharf_writer_abort(w);
        g_free(name);
        out->range = g_strdup(where);
        return TRUE;
    }
    out->bytes = wharf_writer_bytes(w);
    out->crc32 = wharf_writer_crc32(w);
    if (!wharf_writer_commit(w, err))
        goto fail; /* the temp file is gone; abort() below frees w */
    w = NULL;
    if (tsv && !write_load_twin(o, t, part, err))
        goto fail;
    out->file = name;
    out->written = TRUE;
    out->sum = sum;
    out->range = g_strdup(where);
    return TRUE;

fail:
    wharf_counter_add(&progress->rows_done, -rows_reported);
    wharf_counter_add(&progress->bytes_done, -(gint64)reported);
    memset(out, 0, sizeof *out);
    if (res)
        mysql_free_result(res);
    wharf_writer_abort(w);
    g_free(name);
    return FALSE;
}
