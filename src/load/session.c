/* session: a load worker's connection and file statements (contract in
 * session.h). */
#include "load/session.h"

#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"
#include "core/stream.h"
#include "load/plan.h"

#include <errmsg.h>
#include <string.h>

typedef wharf_load_worker worker;

MYSQL *wharf_session_connect(worker *w, GError **err)
{
    wharf_load_ctx *ctx = w->ctx;
    MYSQL *m = wharf_conn_open_from(&ctx->conn, w->node, &w->node, err);
    if (m == NULL)
        return NULL;
    if (wharf_conn_nodes(&ctx->conn) > 1)
        WLOG_DEBUG("worker %d: connected to node %u of %s", w->index, w->node + 1, ctx->conn.host);
    if (!wharf_conn_exec(m, ctx->session_sql, err) ||
        !wharf_conn_exec(m, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", err) ||
        (ctx->o->skip_binlog && !wharf_conn_exec(m, "SET SESSION SQL_LOG_BIN=0", err))) {
        wharf_error_prefix(err, "setting up the load session");
        wharf_conn_close(m);
        return NULL;
    }
    return m;
}

void wharf_session_drop(worker *w)
{
    wharf_conn_close(w->conn);
    w->conn = NULL;
    g_free(w->cur_db);
    w->cur_db = NULL;
}

gboolean wharf_session_use_db(worker *w, const char *db, GError **err)
{
    if (w->cur_db && strcmp(w->cur_db, db) == 0)
        return TRUE;
    if (mysql_select_db(w->conn, db) != 0) {
        char *what = g_strdup_printf("USE %s", db);
        wharf_conn_set_error(w->conn, what, err);
        g_free(what);
        return FALSE;
    }
    g_free(w->cur_db);
    w->cur_db = g_strdup(db);
    return TRUE;
}

gboolean wharf_session_exec(worker *w, const char *sql, size_t len, GError **err)
{
    return wharf_conn_exec_len(w->conn, sql, len, err);
}

/* Run one data statement and return its affected rows (-1 if none):
 * wharf_conn_exec_len drains results with mysql_next_result, which resets
 * the affected row count, so data statements read it first. */
/* Does the affected row count of the statement just run equal the rows it
 * added? Multi-row INSERT and LOAD DATA report duplicates (ON DUPLICATE KEY
 * UPDATE, REPLACE, IGNORE), deleted (REPLACE) and skipped (IGNORE) rows in
 * mysql_info(); a single-row statement has no info and reports 2 rows for a
 * REPLACE or an update. */
static gboolean rows_exact(MYSQL *m, my_ulonglong affected)
{
    const char *info = mysql_info(m);
    if (info == NULL)
        return affected <= 1;
    static const char *const keys[] = {"Duplicates: ", "Deleted: ", "Skipped: "};
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        const char *k = strstr(info, keys[i]);
        if (k && g_ascii_strtoull(k + strlen(keys[i]), NULL, 10) != 0)
            return FALSE;
    }
    return TRUE;
}

gboolean wharf_session_exec_rows(worker *w, const char *sql, size_t len, gint64 *rows, gboolean *exact,
                          GError **err)
{
    MYSQL *m = w->conn;
    *rows = 0;
    *exact = TRUE;
    if (mysql_real_query(m, sql, len) != 0) {
        char *head = g_strndup(sql, MIN(len, (size_t)200));
        for (char *p = head; *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
        const char *state = mysql_sqlstate(m);
        g_set_error(err, WHARF_SQL_ERROR, mysql_errno(m) ? (gint)mysql_errno(m) : CR_UNKNOWN_ERROR,
                    "ERROR %u (%s): %s [in: %s%s]", mysql_errno(m), state ? state : "HY000", mysql_error(m),
                    head, len > 200 ? "..." : "");
        g_free(head);
        return FALSE;
    }
    my_ulonglong n = mysql_affected_rows(m);
    if (n != (my_ulonglong)-1) {
        *rows = (gint64)n;
        *exact = rows_exact(m, n);
    }
    if (mysql_field_count(m) != 0) {
        MYSQL_RES *res = mysql_store_result(m);
        if (res)
            mysql_free_result(res);
    }
    while (mysql_more_results(m) && mysql_next_result(m) == 0) {
        MYSQL_RES *res = mysql_store_result(m);
        if (res)
            mysql_free_result(res);
    }
    if (mysql_errno(m) != 0) {
        wharf_conn_set_error(m, NULL, err);
        return FALSE;
    }
    return TRUE;
}

gboolean wharf_session_execs(worker *w, const char *sql, GError **err)
{
    return wharf_conn_exec(w->conn, sql, err);
}

/* --- statements of a file ----------------------------------------------- */

const char *wharf_session_base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* A statement the file's scope does not allow (ddl.h, confinement): the
 * object fails before the statement reaches the server. */
gboolean wharf_session_confined(const char *path, guint64 n, const char *stmt, size_t len, const wharf_ddl_scope *sc,
                         GError **err)
{
    if (wharf_ddl_allowed(stmt, len, sc))
        return TRUE;
    static const char *const what[] = {"database", "table", "view", "triggers", "database triggers",
                                       "routines and events", "data", "accounts"};
    char *shown = g_strndup(stmt, MIN(len, 120));
    for (char *c = shown; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                "%s: statement %" G_GUINT64_FORMAT " does not belong in the %s file of `%s`%s%s%s, refused before "
                "running it: %s%s",
                wharf_session_base(path), n, what[sc->file], sc->db ? sc->db : "(server)", sc->name ? ".`" : "", sc->name ? sc->name : "",
                sc->name ? "`" : "", shown, len > 120 ? "..." : "");
    g_free(shown);
    return FALSE;
}

/* Stream the statements of a (possibly compressed) file through fn, each
 * first checked against the file's scope (what its name says it holds). */
gboolean wharf_session_each(worker *w, const char *path, const wharf_ddl_scope *sc, wharf_session_stmt_fn fn, void *data,
                               GError **err)
{
    wharf_reader *r = wharf_load_plan_open(w->ctx->plan, path, err);
    if (r == NULL)
        return FALSE;
    wharf_splitter *sp = wharf_load_plan_splitter(w->ctx->plan, r, w->ctx->max_packet);
    const char *stmt;
    size_t len;
    int rc;
    gboolean ok = TRUE;
    while ((rc = wharf_splitter_next(sp, &stmt, &len, err)) == 1) {
        size_t ulen = 0;
        char *u = wharf_load_plan_statement(w->ctx->plan, stmt, len, &ulen);
        const char *st = u ? u : stmt;
        size_t sl = u ? ulen : len;
        gboolean good = wharf_session_confined(path, wharf_splitter_count(sp), st, sl, sc, err) && fn(w, st, sl, data, err);
        g_free(u);
        if (!good) {
            ok = FALSE;
            break;
        }
    }
    if (rc < 0)
        ok = FALSE;
    wharf_splitter_free(sp);
    wharf_reader_close(r);
    return ok;
}


