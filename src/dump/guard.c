/* guard: long queries before the dump's locks (contract in guard.h). */
#include "dump/guard.h"

#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"

#include <string.h>

#define RECHECK_MS 1000

/* "id 12 (app@host, 75 s: SELECT ...)" for each long query, or NULL. */
static char *long_queries(MYSQL *m, int seconds, GArray *ids, GError **err)
{
    char *q = g_strdup_printf(
        "SELECT ID, USER, HOST, TIME, LEFT(REPLACE(REPLACE(INFO, '\\n', ' '), '\\t', ' '), 80) "
        "FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO IS NOT NULL "
        "AND TIME >= %d AND COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump', 'Binlog Dump GTID', "
        "'Slave_IO', 'Slave_SQL', 'Slave_worker', 'Killed') ORDER BY TIME DESC",
        seconds);
    MYSQL_RES *res = wharf_conn_query(m, q, err);
    g_free(q);
    if (res == NULL)
        return NULL;
    GString *s = g_string_new(NULL);
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        gulong id = strtoul(row[0] ? row[0] : "0", NULL, 10);
        g_array_append_val(ids, id);
        g_string_append_printf(s, "%sid %lu (%s@%s, %s s: %s)", s->len ? ", " : "", id, row[1] ? row[1] : "",
                               row[2] ? row[2] : "", row[3] ? row[3] : "?", row[4] ? row[4] : "");
    }
    mysql_free_result(res);
    return g_string_free(s, FALSE);
}

static gboolean kill_them(MYSQL *m, const GArray *ids, const char *list, GError **err)
{
    WLOG_WARN("--kill-long-queries: killing %s", list);
    for (guint i = 0; i < ids->len; i++)
        if (!wharf_conn_execf(m, err, "KILL QUERY %lu", g_array_index(ids, gulong, i))) {
            if ((*err)->domain == WHARF_SQL_ERROR && (*err)->code == 1094) { /* ended meanwhile */
                g_clear_error(err);
                continue;
            }
            wharf_error_prefix(err, "--kill-long-queries");
            return FALSE;
        }
    return TRUE;
}

#define KILL_ROUND_MS 200
#define KILL_GIVE_UP_S 10

gboolean wharf_guard_long_queries(MYSQL *m, const wharf_guard_opts *g, wharf_run *run, GError **err)
{
    if (g->seconds <= 0)
        return TRUE;
    gint64 deadline = g_get_monotonic_time() + (gint64)MAX(g->wait, g->kill ? KILL_GIVE_UP_S : 0) * G_TIME_SPAN_SECOND;
    gboolean said = FALSE;
    for (;;) {
        GArray *ids = g_array_new(FALSE, FALSE, sizeof(gulong));
        char *list = long_queries(m, g->seconds, ids, err);
        gboolean ok = list != NULL, clear = ok && ids->len == 0;
        if (ok && !clear && g_get_monotonic_time() >= deadline) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED,
                        "--long-query-guard %d: %u statement(s) %s, and the dump's lock would wait for "
                        "them and stall the server behind it: %s%s",
                        g->seconds, ids->len, g->kill ? "still run after KILL QUERY" : "have run that long", list,
                        g->kill ? "" : " (wait for them with --long-query-wait SEC, or end them with "
                                       "--kill-long-queries)");
            ok = FALSE;
        } else if (ok && !clear && g->kill) {
            ok = kill_them(m, ids, list, err);
        } else if (ok && !clear && !said) {
            WLOG_WARN("--long-query-guard %d: waiting up to %d s for %s", g->seconds, g->wait, list);
            said = TRUE;
        }
        g_array_free(ids, TRUE);
        g_free(list);
        if (!ok || clear)
            return ok;
        if (!wharf_run_backoff(run, g->kill ? KILL_ROUND_MS : RECHECK_MS)) {
            wharf_set_cancelled(err, "dump");
            return FALSE;
        }
    }
}
