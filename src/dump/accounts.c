/* accounts: users, roles and grants of a dump (contract in accounts.h). */
#include "dump/accounts.h"

#include "dump/schema.h"

#include "core/conn.h"
#include "core/error.h"
#include "format/layout.h"
#include "format/splitter.h"

#include <mysqld_error.h>
#include <string.h>

void wharf_accounts_result_clear(wharf_accounts_result *r)
{
    g_free(r->left_out_names);
    memset(r, 0, sizeof *r);
}

/* The file's sections, in the order they are written. */
typedef struct sections {
    GString *roles, *users, *grants, *defaults;
} sections;

/* Does a SHOW GRANTS line grant to (or set the default role of) grantee,
 * as SHOW GRANTS quotes it: the last " TO `x`" / " FOR `x`", then the end
 * or a space? */
static gboolean line_is_for(const char *line, size_t len, const char *kw, const char *grantee)
{
    char *needle = g_strconcat(kw, grantee, NULL);
    size_t nl = strlen(needle);
    gboolean found = FALSE;
    for (const char *p = line; p + nl <= line + len; p++) {
        p = g_strstr_len(p, (gssize)(line + len - p), needle);
        if (p == NULL)
            break;
        found = p + nl == line + len || p[nl] == ' ';
    }
    g_free(needle);
    return found;
}

/* SHOW GRANTS FOR the account: its own lines to the grants and defaults sections. */
static gboolean dump_grants(MYSQL *m, const char *grantee, sections *s, GError **err)
{
    char *sql = g_strdup_printf("SHOW GRANTS FOR %s", grantee);
    MYSQL_RES *res = wharf_conn_query(m, sql, err);
    g_free(sql);
    if (res == NULL)
        return FALSE;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        unsigned long *len = mysql_fetch_lengths(res);
        if (row[0] == NULL)
            continue;
        if (g_str_has_prefix(row[0], "SET DEFAULT ROLE ")) {
            if (line_is_for(row[0], len[0], " FOR ", grantee))
                wharf_schema_append_stmt(s->defaults, row[0], len[0]);
        } else if (line_is_for(row[0], len[0], " TO ", grantee)) {
            wharf_schema_append_stmt(s->grants, row[0], len[0]);
        }
    }
    mysql_free_result(res);
    return TRUE;
}

static gboolean dump_one(MYSQL *m, const char *user, const char *host, gboolean role, sections *s, GError **err)
{
    char *qu = wharf_quote_ident(user), *qh = wharf_quote_ident(host);
    char *grantee = role ? g_strdup(qu) : g_strdup_printf("%s@%s", qu, qh);
    gboolean ok = TRUE;
    if (role) {
        char *c = g_strdup_printf("CREATE ROLE %s", grantee);
        wharf_schema_append_stmt(s->roles, c, strlen(c));
        g_free(c);
    } else {
        char *sql = g_strdup_printf("SHOW CREATE USER %s", grantee);
        char *create = wharf_conn_query_value(m, sql, err);
        g_free(sql);
        if (create)
            wharf_schema_append_stmt(s->users, create, strlen(create));
        else if (err && *err == NULL)
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND, "SHOW CREATE USER returned nothing");
        ok = create != NULL;
        g_free(create);
    }
    ok = ok && dump_grants(m, grantee, s, err);
    if (!ok)
        wharf_error_prefix(err, "account %s", grantee);
    g_free(grantee);
    g_free(qu);
    g_free(qh);
    return ok;
}

/* user, host, is_role of every account, in one query. */
static MYSQL_RES *list_accounts(MYSQL *m, GError **err)
{
    GError *e = NULL;
    MYSQL_RES *res = wharf_conn_query(m,
                                      "SELECT User, Host, IFNULL(JSON_EXTRACT(Priv, '$.is_role') = 'true', 0) "
                                      "FROM mysql.global_priv ORDER BY User, Host",
                                      &e);
    if (res || e == NULL || e->domain != WHARF_SQL_ERROR || e->code != ER_NO_SUCH_TABLE) {
        if (e)
            g_propagate_error(err, e);
        return res;
    }
    g_error_free(e);
    /* MariaDB before 10.4, MySQL: roles are rows of mysql.user */
    return wharf_conn_query(m, "SELECT User, Host, 0 FROM mysql.user ORDER BY User, Host", err);
}

static gboolean write_file(const wharf_outdir *o, sections *s, GError **err)
{
    GString *all = g_string_new("/*!40101 SET NAMES utf8mb4*/;\n");
    g_string_append_len(all, s->roles->str, (gssize)s->roles->len);
    g_string_append_len(all, s->users->str, (gssize)s->users->len);
    g_string_append_len(all, s->grants->str, (gssize)s->grants->len);
    g_string_append_len(all, s->defaults->str, (gssize)s->defaults->len);
    char *name = wharf_layout_accounts(o->compress);
    wharf_writer *w = wharf_rows_open(o, name, err);
    gboolean ok = w && wharf_writer_write(w, all->str, all->len, err) && wharf_writer_commit(w, err);
    if (w && !ok)
        wharf_writer_abort(w);
    if (!ok)
        wharf_error_prefix(err, "%s", name);
    g_free(name);
    g_string_free(all, TRUE);
    return ok;
}

gboolean wharf_accounts_dump(MYSQL *m, const wharf_outdir *o, wharf_accounts_result *r, GError **err)
{
    memset(r, 0, sizeof *r);
    MYSQL_RES *res = list_accounts(m, err);
    if (res == NULL) {
        wharf_error_prefix(err, "listing the server's accounts (a whole-server dump includes them: it needs "
                                "SELECT on mysql.global_priv; --no-users dumps without them)");
        return FALSE;
    }
    sections s = {g_string_new(NULL), g_string_new(NULL), g_string_new(NULL), g_string_new(NULL)};
    GString *left = g_string_new(NULL);
    gboolean ok = TRUE;
    MYSQL_ROW row;
    while (ok && (row = mysql_fetch_row(res)) != NULL) {
        const char *user = row[0] ? row[0] : "", *host = row[1] ? row[1] : "";
        gboolean role = row[2] && strcmp(row[2], "1") == 0;
        if (!role && wharf_layout_system_account(user, host)) {
            g_string_append_printf(left, "%s`%s`@`%s`", r->left_out ? ", " : "", user, host);
            r->left_out++;
            continue;
        }
        ok = dump_one(m, user, host, role, &s, err);
        if (role)
            r->roles++;
        else
            r->users++;
    }
    mysql_free_result(res);
    ok = ok && write_file(o, &s, err);
    g_string_free(s.roles, TRUE);
    g_string_free(s.users, TRUE);
    g_string_free(s.grants, TRUE);
    g_string_free(s.defaults, TRUE);
    r->left_out_names = g_string_free(left, left->len == 0);
    return ok;
}
