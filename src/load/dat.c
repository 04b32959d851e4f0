/* dat: .dat chunks through LOAD DATA LOCAL, or as INSERTs (contract in
 * dat.h). */
#include "load/dat.h"

#include "core/conn.h"
#include "core/error.h"
#include "format/value.h"

#include <errmsg.h>
#include <string.h>

#define INSERT_TARGET_BYTES (1024 * 1024) /* INSERT fallback statement size */

typedef wharf_load_worker worker;

static int infile_init(void **ptr, const char *filename, void *userdata)
{
    wharf_chunk_run *cr = userdata;
    *ptr = cr;
    /* Whatever name the server asks for, only the chunk's file is opened. */
    cr->r = wharf_load_plan_open(cr->w->ctx->plan, cr->c->dat_path, &cr->read_err);
    return cr->r ? 0 : 1;
}

static int infile_read(void *ptr, char *buf, unsigned int len)
{
    wharf_chunk_run *cr = ptr;
    if (cr->r == NULL)
        return -1;
    gssize n = wharf_reader_read(cr->r, buf, len, &cr->read_err);
    if (n > 0)
        wharf_chunk_progress_bytes(cr, cr->r);
    return n < 0 ? -1 : (int)n;
}

static void infile_end(void *ptr)
{
    wharf_chunk_run *cr = ptr;
    if (cr->r) {
        cr->bytes = wharf_reader_bytes(cr->r);
        cr->crc = wharf_reader_crc32(cr->r);
        cr->have_crc = TRUE;
        wharf_reader_close(cr->r);
        cr->r = NULL;
    }
}

static int infile_error(void *ptr, char *msg, unsigned int len)
{
    wharf_chunk_run *cr = ptr;
    g_strlcpy(msg, cr->read_err ? cr->read_err->message : "cannot read the data file", len);
    return CR_UNKNOWN_ERROR;
}

/* The INSERT fallback: TSV rows of the .dat as multi-row INSERTs. */
static gboolean dat_as_inserts(wharf_chunk_run *cr, const char *load_stmt, size_t load_len, GError **err)
{
    worker *w = cr->w;
    wharf_load_table *t = cr->c->table;
    wharf_ddl_load_data ld;
    if (!wharf_ddl_parse_load_data(load_stmt, load_len, &ld, err))
        return FALSE;
    if (ld.modifier) /* REPLACE / IGNORE: rows sent are not rows added */
        g_atomic_int_set(&t->rows_inexact, 1);
    gboolean ok = FALSE;
    wharf_reader *r = NULL;
    GString *stmt = NULL, *buf = NULL;
    GHashTable *kinds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *cols = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *vars = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *lits = g_ptr_array_new_with_free_func(g_free);
    if (!ld.default_format) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_UNSUPPORTED,
                    "%s: the server refuses LOCAL INFILE and this LOAD DATA format (not tab/newline/"
                    "backslash) cannot be turned into INSERTs", wharf_session_base(cr->c->sql_path));
        goto out;
    }
    /* Column types, for the value encoding. */
    char *qdb = wharf_quote_string(t->db->target), *qt = wharf_quote_string(t->name);
    char *q = g_strdup_printf("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS "
                              "WHERE TABLE_SCHEMA=%s AND TABLE_NAME=%s "
                              "AND (EXTRA NOT LIKE '%%GENERATED%%' OR EXTRA IS NULL) ORDER BY ORDINAL_POSITION",
                              qdb, qt);
    g_free(qdb);
    g_free(qt);
    MYSQL_RES *res = wharf_conn_query(w->conn, q, err);
    g_free(q);
    if (res == NULL)
        goto out;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        g_hash_table_insert(kinds, g_strdup(row[0]),
                            GINT_TO_POINTER(wharf_value_kind_of_type_name(row[1] ? row[1] : "")));
        if (ld.columns->len == 0)
            g_ptr_array_add(cols, g_strdup(row[0]));
    }
    mysql_free_result(res);
    for (guint i = 0; i < ld.columns->len; i++)
        g_ptr_array_add(cols, g_strdup(ld.columns->pdata[i]));
    for (guint i = 0; i < cols->len; i++) {
        const char *cn = cols->pdata[i];
        g_ptr_array_add(vars, g_strdup(cn[0] == '@' ? cn + 1 : ""));
        g_ptr_array_add(lits, g_strdup("NULL"));
    }

    GString *head = g_string_new(NULL);
    g_string_append_printf(head, "%s INTO %s (", ld.modifier && strcmp(ld.modifier, "REPLACE") == 0
                                                    ? "REPLACE" : ld.modifier ? "INSERT IGNORE" : "INSERT",
                           ld.table);
    gboolean first = TRUE;
    for (guint i = 0; i < cols->len; i++) {
        const char *cn = cols->pdata[i];
        if (cn[0] == '@')
            continue;
        char *qc = wharf_quote_ident(cn);
        g_string_append_printf(head, "%s%s", first ? "" : ",", qc);
        g_free(qc);
        first = FALSE;
    }
    for (guint i = 0; i < ld.set_cols->len; i++) {
        g_string_append_printf(head, "%s%s", first ? "" : ",", (const char *)ld.set_cols->pdata[i]);
        first = FALSE;
    }
    g_string_append(head, ") VALUES ");

    r = wharf_load_plan_open(w->ctx->plan, cr->c->dat_path, err);
    if (r == NULL) {
        g_string_free(head, TRUE);
        goto out;
    }
    size_t limit = MIN((size_t)INSERT_TARGET_BYTES, (size_t)w->ctx->max_packet / 2);
    stmt = g_string_sized_new(limit + 4096);
    buf = g_string_new(NULL);
    char block[65536];
    gint64 nrows = 0, line = 0;
    gint64 in_stmt = 0;
    gboolean eof = FALSE;
    ok = TRUE;
    while (ok && !eof) {
        gssize n = wharf_reader_read(r, block, sizeof block, err);
        if (n < 0) {
            ok = FALSE;
            break;
        }
        if (n == 0)
            eof = TRUE;
        else
            g_string_append_len(buf, block, n);
        wharf_chunk_progress_bytes(cr, r);
        size_t start = 0;
        for (;;) {
            char *nl = memchr(buf->str + start, '\n', buf->len - start);
            size_t end;
            if (nl)
                end = (size_t)(nl - buf->str);
            else if (eof && start < buf->len)
                end = buf->len;
            else
                break;
            line++;
            /* one row */
            const char *ls = buf->str + start;
            size_t ll = end - start;
            GString *tuple = g_string_new("(");
            guint field = 0;
            size_t fs = 0;
            gboolean first_val = TRUE;
            for (size_t i = 0; i <= ll && ok; i++) {
                if (i < ll && ls[i] != '\t')
                    continue;
                if (field >= cols->len) {
                    g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                                "%s: line %" G_GINT64_FORMAT " has more than %u fields",
                                cr->c->dat_path, line, cols->len);
                    ok = FALSE;
                    break;
                }
                const char *cn = cols->pdata[field];
                if (cn[0] == '@') {
                    GString *lit = g_string_new(NULL);
                    ok = wharf_value_tsv_to_sql(lit, WHARF_VALUE_STRING, ls + fs, i - fs, err);
                    g_free(lits->pdata[field]);
                    lits->pdata[field] = g_string_free(lit, FALSE);
                } else {
                    if (!first_val)
                        g_string_append_c(tuple, ',');
                    first_val = FALSE;
                    wharf_value_kind k = (wharf_value_kind)GPOINTER_TO_INT(g_hash_table_lookup(kinds, cn));
                    ok = wharf_value_tsv_to_sql(tuple, k, ls + fs, i - fs, err);
                }
                field++;
                fs = i + 1;
            }
            if (ok && field != cols->len) {
                g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                            "%s: line %" G_GINT64_FORMAT " has %u fields, expected %u", cr->c->dat_path,
                            line, field, cols->len);
                ok = FALSE;
            }
            if (ok) {
                for (guint i = 0; i < ld.set_expr->len; i++) {
                    char *e = wharf_ddl_subst_vars(ld.set_expr->pdata[i], vars, lits);
                    g_string_append_printf(tuple, "%s%s", first_val ? "" : ",", e);
                    first_val = FALSE;
                    g_free(e);
                }
                g_string_append_c(tuple, ')');
                if (in_stmt > 0 && stmt->len + tuple->len + 1 > limit) {
                    ok = wharf_session_exec(w, stmt->str, stmt->len, err);
                    g_string_truncate(stmt, 0);
                    in_stmt = 0;
                }
            }
            if (ok) {
                if (in_stmt == 0)
                    g_string_append(stmt, head->str);
                else
                    g_string_append_c(stmt, ',');
                g_string_append_len(stmt, tuple->str, tuple->len);
                in_stmt++;
                nrows++;
            }
            g_string_free(tuple, TRUE);
            if (!ok)
                break;
            start = end + 1;
            if (start > buf->len)
                start = buf->len;
        }
        g_string_erase(buf, 0, (gssize)MIN(start, buf->len));
    }
    if (ok && in_stmt > 0)
        ok = wharf_session_exec(w, stmt->str, stmt->len, err);
    if (ok) {
        cr->rows += nrows;
        wharf_counter_add(&w->ctx->progress.rows_done, nrows);
        cr->bytes = wharf_reader_bytes(r);
        cr->crc = wharf_reader_crc32(r);
        cr->have_crc = TRUE;
    }
    g_string_free(head, TRUE);
out:
    if (r)
        wharf_reader_close(r);
    if (stmt)
        g_string_free(stmt, TRUE);
    if (buf)
        g_string_free(buf, TRUE);
    g_hash_table_unref(kinds);
    g_ptr_array_free(cols, TRUE);
    g_ptr_array_free(vars, TRUE);
    g_ptr_array_free(lits, TRUE);
    wharf_ddl_load_data_clear(&ld);
    return ok;
}

typedef struct dat_run {
    wharf_chunk_run *cr;
    gboolean loaded;
} dat_run;

static gboolean dat_stmt(worker *w, const char *stmt, size_t len, void *data, GError **err)
{
    dat_run *dr = data;
    wharf_chunk_run *cr = dr->cr;
    if (!wharf_ddl_starts_with(stmt, len, "LOAD"))
        return wharf_session_exec(w, stmt, len, err);
    if (dr->loaded) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, "%s: more than one LOAD DATA statement",
                    wharf_session_base(cr->c->sql_path));
        return FALSE;
    }
    dr->loaded = TRUE;
    if (!g_atomic_int_get(&w->ctx->infile_refused)) {
        mysql_set_local_infile_handler(w->conn, infile_init, infile_read, infile_end, infile_error, cr);
        gint64 n = 0;
        gboolean exact;
        gboolean ok = wharf_session_exec_rows(w, stmt, len, &n, &exact, err);
        /* cr lives on this stack frame: no later request may reach it */
        if (w->conn)
            wharf_conn_refuse_local_infile(w->conn);
        if (ok && !exact)
            g_atomic_int_set(&cr->c->table->rows_inexact, 1);
        if (cr->r) /* not ended by the library (error before the transfer) */
            infile_end(cr);
        if (cr->read_err) {
            g_clear_error(err);
            g_propagate_error(err, cr->read_err);
            cr->read_err = NULL;
            return FALSE;
        }
        if (ok) {
            cr->rows += n;
            wharf_counter_add(&w->ctx->progress.rows_done, n);
            return wharf_chunk_check_crc(cr, cr->c->dat_path, err);
        }
        if (!wharf_chunk_infile_refused(*err))
            return FALSE;
        if (g_atomic_int_compare_and_exchange(&w->ctx->infile_refused, 0, 1))
            WLOG_WARN("the server refuses LOAD DATA LOCAL INFILE (%s); loading .dat files as INSERT "
                      "statements instead (slower)", (*err)->message);
        g_clear_error(err);
        /* The refused statement changed nothing; the transaction goes on. */
    }
    if (!dat_as_inserts(cr, stmt, len, err))
        return FALSE;
    return wharf_chunk_check_crc(cr, cr->c->dat_path, err);
}


gboolean wharf_dat_feed(wharf_chunk_run *cr, GError **err)
{
    wharf_load_table *t = cr->c->table;
    dat_run dr = {cr, FALSE};
    if (!wharf_session_each(cr->w, cr->c->sql_path, &(wharf_ddl_scope){WHARF_SCOPE_DATA, t->db->name, t->name},
                            dat_stmt, &dr, err))
        return FALSE;
    if (!dr.loaded) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, "%s: no LOAD DATA statement for %s",
                    wharf_session_base(cr->c->sql_path), wharf_session_base(cr->c->dat_path));
        return FALSE;
    }
    return TRUE;
}
