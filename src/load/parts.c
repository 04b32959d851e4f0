/* parts: split chunks' committed rows (contract in parts.h). */
#include "load/parts.h"

#include "core/conn.h"
#include "core/error.h"

#include <string.h>

#define PARTS "`wharf_resume`.`parts`"

struct wharf_parts {
    char *id; /* hex, 64 digits */
};

wharf_parts *wharf_parts_new(const wharf_journal *j)
{
    wharf_parts *p = g_new0(wharf_parts, 1);
    if (j) {
        p->id = g_strdup(wharf_journal_id(j));
    } else {
        char *u = g_uuid_string_random();
        char *src = g_strdup_printf("%s %" G_GINT64_FORMAT, u, g_get_real_time());
        p->id = g_compute_checksum_for_string(G_CHECKSUM_SHA256, src, -1);
        g_free(src);
        g_free(u);
    }
    return p;
}

void wharf_parts_free(wharf_parts *p)
{
    if (p == NULL)
        return;
    g_free(p->id);
    g_free(p);
}

gboolean wharf_parts_attach(wharf_parts *p, MYSQL *m, GError **err)
{
    (void)p;
    if (!wharf_conn_exec(m, "CREATE DATABASE IF NOT EXISTS `wharf_resume`", err) ||
        !wharf_conn_exec(m, "CREATE TABLE IF NOT EXISTS " PARTS " (journal BINARY(32) NOT NULL, job BINARY(32) NOT NULL,"
                            " `rows` BIGINT NOT NULL, complete BOOL NOT NULL, PRIMARY KEY (journal, job)) ENGINE=InnoDB COMMENT='wharf load:"
                            " rows of split chunks committed, in their own transaction'", err)) {
        wharf_error_prefix(err, "creating the table of split chunks " PARTS);
        return FALSE;
    }
    return TRUE;
}

char *wharf_parts_mark_sql(const wharf_parts *p, const char *key, gint64 rows, gboolean complete)
{
    char *h = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
    char *sql = g_strdup_printf("INSERT INTO " PARTS " (journal, job, `rows`, complete) VALUES (X'%s', X'%s', %"
                                G_GINT64_FORMAT ", %d) ON DUPLICATE KEY UPDATE `rows` = VALUES(`rows`),"
                                " complete = VALUES(complete)",
                                p->id, h, rows, complete ? 1 : 0);
    g_free(h);
    return sql;
}

gboolean wharf_parts_rows(const wharf_parts *p, MYSQL *m, const char *key, gint64 *rows, gboolean *complete,
                          GError **err)
{
    char *h = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
    char *q = g_strdup_printf("SELECT CONCAT(COALESCE(MAX(`rows`), 0), ' ', COALESCE(MAX(complete), 0)) FROM " PARTS
                              " WHERE journal = X'%s' AND job = X'%s'",
                              p->id, h);
    g_free(h);
    char *v = wharf_conn_query_value(m, q, err);
    g_free(q);
    if (v == NULL)
        return FALSE;
    char *end = NULL;
    *rows = g_ascii_strtoll(v, &end, 10);
    *complete = end && g_ascii_strtoll(end, NULL, 10) != 0;
    g_free(v);
    return TRUE;
}

gboolean wharf_parts_finish(const wharf_parts *p, MYSQL *m, GError **err)
{
    if (!wharf_conn_execf(m, err, "DELETE FROM " PARTS " WHERE journal = X'%s'", p->id))
        return FALSE;
    char *left = wharf_conn_query_value(m, "SELECT COUNT(*) FROM " PARTS, err);
    gboolean ok = left != NULL;
    if (ok && strcmp(left, "0") == 0)
        ok = wharf_conn_exec(m, "DROP TABLE IF EXISTS " PARTS, err);
    g_free(left);
    left = ok ? wharf_conn_query_value(m, "SELECT COUNT(*) FROM information_schema.TABLES"
                                          " WHERE TABLE_SCHEMA = 'wharf_resume'", err)
              : NULL;
    ok = left != NULL;
    if (ok && strcmp(left, "0") == 0)
        ok = wharf_conn_exec(m, "DROP DATABASE IF EXISTS `wharf_resume`", err);
    g_free(left);
    return ok;
}
