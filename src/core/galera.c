/* galera: a server's Galera cluster state (contract in galera.h). */
#include "core/galera.h"

#include "core/conn.h"
#include "core/error.h"

#include <string.h>

void wharf_galera_clear(wharf_galera *g)
{
    g_free(g->state);
    g_free(g->cluster_uuid);
    g_free(g->mode);
    memset(g, 0, sizeof *g);
}

/* The wsrep variables; FALSE with *err only for a real failure (a server
 * that has no such variable is not Galera). */
static gboolean read_variables(MYSQL *m, wharf_galera *g, gboolean *has, GError **err)
{
    GError *e = NULL;
    MYSQL_RES *res = wharf_conn_query(m, "SELECT @@wsrep_on, @@global.wsrep_max_ws_rows, @@global.wsrep_max_ws_size, "
                                         "@@global.wsrep_provider, @@global.wsrep_mode", &e);
    if (res == NULL && e->domain == WHARF_SQL_ERROR && e->code == 1193) { /* unknown variable */
        g_error_free(e);
        *has = FALSE;
        return TRUE;
    }
    if (res == NULL) {
        g_propagate_error(err, e);
        return FALSE;
    }
    MYSQL_ROW row = mysql_fetch_row(res);
    *has = row && row[0] && strcmp(row[0], "1") == 0 && row[3] && strcmp(row[3], "none") != 0 && row[3][0];
    if (*has) {
        g->max_ws_rows = row[1] ? g_ascii_strtoll(row[1], NULL, 10) : 0;
        g->max_ws_size = row[2] ? g_ascii_strtoll(row[2], NULL, 10) : 0;
        g->mode = g_strdup(row[4] ? row[4] : "");
    }
    mysql_free_result(res);
    return TRUE;
}

static gboolean read_status(MYSQL *m, wharf_galera *g, GError **err)
{
    MYSQL_RES *res = wharf_conn_query(m, "SELECT UPPER(VARIABLE_NAME), VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                                         " WHERE VARIABLE_NAME IN ('wsrep_cluster_size', 'wsrep_local_state_comment',"
                                         " 'wsrep_cluster_state_uuid', 'wsrep_last_committed', 'wsrep_ready')", err);
    if (res == NULL)
        return FALSE;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        const char *v = row[1] ? row[1] : "";
        if (strcmp(row[0], "WSREP_CLUSTER_SIZE") == 0)
            g->cluster_size = g_ascii_strtoll(v, NULL, 10);
        else if (strcmp(row[0], "WSREP_LOCAL_STATE_COMMENT") == 0)
            g->state = g_strdup(v);
        else if (strcmp(row[0], "WSREP_CLUSTER_STATE_UUID") == 0)
            g->cluster_uuid = g_strdup(v);
        else if (strcmp(row[0], "WSREP_LAST_COMMITTED") == 0)
            g->last_committed = g_ascii_strtoll(v, NULL, 10);
        else if (strcmp(row[0], "WSREP_READY") == 0)
            g->ready = g_ascii_strcasecmp(v, "ON") == 0;
    }
    mysql_free_result(res);
    if (g->state == NULL)
        g->state = g_strdup("unknown");
    if (g->cluster_uuid == NULL)
        g->cluster_uuid = g_strdup("");
    return TRUE;
}

gboolean wharf_galera_probe(MYSQL *m, wharf_galera *g, GError **err)
{
    memset(g, 0, sizeof *g);
    gboolean has = FALSE;
    if (!read_variables(m, g, &has, err))
        return FALSE;
    if (!has)
        return TRUE;
    if (!read_status(m, g, err)) {
        wharf_galera_clear(g);
        return FALSE;
    }
    g->on = g->cluster_size > 0;
    return TRUE;
}

gboolean wharf_galera_replicates(const wharf_galera *g, const char *engine)
{
    if (engine == NULL || g_ascii_strcasecmp(engine, "InnoDB") == 0)
        return TRUE;
    const char *want = g_ascii_strcasecmp(engine, "MyISAM") == 0 ? "REPLICATE_MYISAM"
                       : g_ascii_strcasecmp(engine, "Aria") == 0 ? "REPLICATE_ARIA"
                                                                  : NULL;
    return want && g->mode && strstr(g->mode, want) != NULL;
}
