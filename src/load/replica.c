/* replica: --replica-setup (contract in replica.h). */
#include "load/replica.h"

#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"

#include <string.h>

static GPtrArray *statements(const wharf_metadata *m, const wharf_replica_opts *r, gboolean mask, GError **err)
{
    const char *host = r->host ? r->host : r->of_upstream ? m->upstream_host : NULL;
    guint64 port = r->port > 0 ? (guint64)r->port : r->of_upstream && m->upstream_port ? m->upstream_port : 3306;
    if (host == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, r->of_upstream
                    ? "--replica-of=upstream: the dump records no source of the dumped server (it was no replica): "
                      "give --source-host"
                    : "--replica-setup needs --source-host (the server the target is to replicate from)");
        return NULL;
    }
    const char *gtid = m->gtid_current ? m->gtid_current : m->gtid;
    const char *file = r->of_upstream ? m->upstream_file : m->binlog_file;
    guint64 pos = r->of_upstream ? m->upstream_position : m->binlog_position;
    if (gtid == NULL && file == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "--replica-setup: the dump records no position (no GTID, no binary log file): it cannot "
                    "start a replica");
        return NULL;
    }
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
    char *qh = wharf_quote_string(host), *qu = wharf_quote_string(r->user ? r->user : "");
    char *qp = mask ? g_strdup("'***'") : wharf_quote_string(r->password ? r->password : "");
    GString *cm = g_string_new(NULL);
    g_string_append_printf(cm, "CHANGE MASTER TO MASTER_HOST=%s, MASTER_PORT=%" G_GUINT64_FORMAT
                           ", MASTER_USER=%s, MASTER_PASSWORD=%s", qh, port, qu, qp);
    if (gtid) {
        char *qg = wharf_quote_string(gtid);
        g_ptr_array_add(a, g_strdup_printf("SET GLOBAL gtid_slave_pos = %s", qg));
        g_free(qg);
        g_string_append(cm, ", MASTER_USE_GTID=slave_pos");
    } else {
        char *qf = wharf_quote_string(file);
        g_string_append_printf(cm, ", MASTER_LOG_FILE=%s, MASTER_LOG_POS=%" G_GUINT64_FORMAT, qf, pos);
        g_free(qf);
    }
    g_ptr_array_add(a, g_string_free(cm, FALSE));
    g_ptr_array_add(a, g_strdup("START SLAVE"));
    g_free(qh);
    g_free(qu);
    g_free(qp);
    return a;
}

char *wharf_replica_statements(const wharf_metadata *m, const wharf_replica_opts *r, gboolean mask, GError **err)
{
    GPtrArray *a = statements(m, r, mask, err);
    if (a == NULL)
        return NULL;
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < a->len; i++)
        g_string_append_printf(s, "%s;\n", (const char *)a->pdata[i]);
    g_ptr_array_unref(a);
    return g_string_free(s, FALSE);
}

gboolean wharf_replica_apply(MYSQL *m, const wharf_metadata *md, const wharf_replica_opts *r, GError **err)
{
    wharf_server_info si;
    wharf_conn_server_info(m, &si);
    if (si.flavor != WHARF_FLAVOR_MARIADB) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_UNSUPPORTED,
                    "--replica-setup=apply: only MariaDB targets (print the statements and adapt them for MySQL)");
        return FALSE;
    }
    GPtrArray *a = statements(md, r, FALSE, err);
    GPtrArray *shown = a ? statements(md, r, TRUE, NULL) : NULL;
    gboolean ok = a != NULL;
    for (guint i = 0; ok && i < a->len; i++) {
        ok = wharf_conn_exec(m, a->pdata[i], err);
        if (ok)
            WLOG_INFO("--replica-setup: %s", (const char *)shown->pdata[i]);
        else
            wharf_error_prefix(err, "--replica-setup: %s", (const char *)shown->pdata[i]);
    }
    if (a)
        g_ptr_array_unref(a);
    if (shown)
        g_ptr_array_unref(shown);
    return ok;
}
