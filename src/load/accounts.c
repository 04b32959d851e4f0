/* accounts: a dump's users, roles and grants into the target (contract in
 * accounts.h). Read single-threaded while planning; each job reads only
 * its own account. */
#include "load/accounts.h"

#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"
#include "format/layout.h"
#include "load/ddl.h"
#include "load/journal.h"
#include "load/load.h"
#include "load/plan.h"
#include "load/session.h"

#include <mysqld_error.h>
#include <string.h>

static void account_free(gpointer p)
{
    wharf_load_account *a = p;
    g_free(a->user);
    g_free(a->host);
    g_free(a->display);
    g_ptr_array_free(a->stmts, TRUE);
    g_ptr_array_free(a->object_stmts, TRUE);
    g_ptr_array_free(a->roles, TRUE);
    g_free(a);
}

void wharf_load_accounts_free(wharf_load_accounts *a)
{
    if (a == NULL)
        return;
    g_free(a->path);
    g_ptr_array_free(a->session, TRUE);
    g_ptr_array_free(a->list, TRUE);
    g_free(a);
}

static char *account_key(const char *user, const char *host)
{
    return g_strconcat(user, host ? "\x1f" : "\x1e", host ? host : "", NULL);
}

static char *account_display(const char *user, const char *host)
{
    char *qu = wharf_quote_ident(user);
    if (host == NULL)
        return qu;
    char *qh = wharf_quote_ident(host);
    char *d = g_strdup_printf("%s@%s", qu, qh);
    g_free(qu);
    g_free(qh);
    return d;
}

/* The patterns of --include-users / --exclude-users (comma-separated,
 * repeatable). */
typedef struct patterns {
    GPtrArray *include, *exclude; /* GPatternSpec* */
} patterns;

static GPtrArray *compile(char **raw)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)g_pattern_spec_free);
    for (guint i = 0; raw && raw[i]; i++) {
        char **parts = g_strsplit(raw[i], ",", -1);
        for (guint k = 0; parts[k]; k++)
            if (*g_strstrip(parts[k]))
                g_ptr_array_add(out, g_pattern_spec_new(parts[k]));
        g_strfreev(parts);
    }
    return out;
}

static gboolean matches(GPtrArray *specs, const char *name)
{
    for (guint i = 0; i < specs->len; i++)
        if (g_pattern_spec_match_string(specs->pdata[i], name))
            return TRUE;
    return FALSE;
}

/* "user@host" for a user, the name for a role. */
static gboolean selected(const patterns *pt, const char *user, const char *host)
{
    char *name = host ? g_strdup_printf("%s@%s", user, host) : g_strdup(user);
    gboolean r = (pt->include->len == 0 || matches(pt->include, name)) && !matches(pt->exclude, name);
    g_free(name);
    return r;
}

typedef struct reading {
    wharf_load_accounts *a;
    GHashTable *by_key;   /* key -> wharf_load_account* (selected ones) */
    GHashTable *skipped;  /* keys of accounts left out */
    GPtrArray *role_refs; /* per statement: (account, role name) pairs resolved at the end */
    patterns pt;
} reading;

static wharf_load_account *account_for(reading *rd, const char *user, const char *host)
{
    char *k = account_key(user, host);
    wharf_load_account *acc = g_hash_table_lookup(rd->by_key, k);
    if (acc || g_hash_table_contains(rd->skipped, k)) {
        g_free(k);
        return acc;
    }
    if (!selected(&rd->pt, user, host)) {
        g_hash_table_add(rd->skipped, k);
        return NULL;
    }
    acc = g_new0(wharf_load_account, 1);
    acc->user = g_strdup(user);
    acc->host = g_strdup(host);
    acc->display = account_display(user, host);
    acc->stmts = g_ptr_array_new_with_free_func(g_free);
    acc->object_stmts = g_ptr_array_new_with_free_func(g_free);
    acc->roles = g_ptr_array_new();
    g_hash_table_insert(rd->by_key, k, acc);
    g_ptr_array_add(rd->a->list, acc);
    return acc;
}

static gboolean refuse(const char *path, guint64 n, const char *stmt, size_t len, GError **err)
{
    char *shown = g_strndup(stmt, MIN(len, 120));
    for (char *c = shown; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                "%s: statement %" G_GUINT64_FORMAT " is not an account statement (an accounts file holds only "
                "CREATE USER, CREATE ROLE, ALTER USER, GRANT and SET DEFAULT ROLE, one account each, and session "
                "SET), refused before anything was loaded: %s%s",
                wharf_session_base(path), n, shown, len > 120 ? "..." : "");
    g_free(shown);
    return FALSE;
}

/* One statement of the file, checked (confinement) and filed. */
static gboolean take(reading *rd, const char *path, guint64 n, const char *stmt, size_t len, GError **err)
{
    if (!wharf_ddl_allowed(stmt, len, &(wharf_ddl_scope){WHARF_SCOPE_ACCOUNTS, NULL, NULL}))
        return refuse(path, n, stmt, len, err);
    wharf_ddl_account da;
    if (wharf_ddl_account_parse(stmt, len, &da) == WHARF_ACCT_OTHER) {
        g_ptr_array_add(rd->a->session, g_strndup(stmt, len)); /* a session SET */
        return TRUE;
    }
    if (wharf_layout_system_account(da.user, da.host)) {
        char *d = account_display(da.user, da.host);
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "%s: statement %" G_GUINT64_FORMAT " changes %s, an account the server has of its own, which a "
                    "dump never holds; refused before anything was loaded",
                    wharf_session_base(path), n, d);
        g_free(d);
        wharf_ddl_account_clear(&da);
        return FALSE;
    }
    wharf_load_account *acc = account_for(rd, da.user, da.host);
    if (da.kind == WHARF_ACCT_CREATE_USER || da.kind == WHARF_ACCT_CREATE_ROLE)
        rd->a->created++;
    if (acc) {
        if (da.kind == WHARF_ACCT_CREATE_USER || da.kind == WHARF_ACCT_CREATE_ROLE)
            acc->created_by_dump = TRUE;
        g_ptr_array_add(da.kind == WHARF_ACCT_GRANT_OBJECT ? acc->object_stmts : acc->stmts, g_strndup(stmt, len));
        for (guint i = 0; da.roles && i < da.roles->len; i++) {
            g_ptr_array_add(rd->role_refs, acc);
            g_ptr_array_add(rd->role_refs, g_strdup(da.roles->pdata[i]));
        }
    }
    wharf_ddl_account_clear(&da);
    return TRUE;
}

/* Roles granted to an account: its job runs after theirs. */
static void resolve_roles(reading *rd)
{
    for (guint i = 0; i + 1 < rd->role_refs->len; i += 2) {
        wharf_load_account *acc = rd->role_refs->pdata[i];
        char *name = rd->role_refs->pdata[i + 1];
        char *k = account_key(name, NULL);
        wharf_load_account *role = g_hash_table_lookup(rd->by_key, k);
        if (role && role != acc)
            g_ptr_array_add(acc->roles, role);
        g_free(k);
        g_free(name);
    }
}

static gboolean read_file(reading *rd, const wharf_load_plan *p, const char *path, GError **err)
{
    wharf_reader *r = wharf_load_plan_open(p, path, err);
    if (r == NULL)
        return FALSE;
    wharf_splitter *sp = wharf_load_plan_splitter(p, r, 0);
    const char *stmt;
    size_t len;
    int rc;
    gboolean ok = TRUE;
    while (ok && (rc = wharf_splitter_next(sp, &stmt, &len, err)) == 1) {
        size_t ulen = 0;
        char *u = wharf_load_plan_statement(p, stmt, len, &ulen);
        ok = take(rd, path, wharf_splitter_count(sp), u ? u : stmt, u ? ulen : len, err);
        g_free(u);
    }
    if (ok && rc < 0) {
        wharf_error_prefix(err, "%s", wharf_session_base(path));
        ok = FALSE;
    }
    wharf_splitter_free(sp);
    wharf_reader_close(r);
    return ok;
}

wharf_load_accounts *wharf_load_accounts_read(const wharf_load_plan *p, const wharf_load_opts *o, const char *path,
                                              GError **err)
{
    wharf_load_accounts *a = g_new0(wharf_load_accounts, 1);
    a->path = g_strdup(path);
    a->session = g_ptr_array_new_with_free_func(g_free);
    a->list = g_ptr_array_new_with_free_func(account_free);
    reading rd = {a, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                  g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL), g_ptr_array_new(),
                  {compile(o->include_users), compile(o->exclude_users)}};
    gboolean ok = read_file(&rd, p, path, err);
    resolve_roles(&rd);
    a->left_out = g_hash_table_size(rd.skipped);
    g_hash_table_unref(rd.by_key);
    g_hash_table_unref(rd.skipped);
    g_ptr_array_free(rd.role_refs, TRUE);
    g_ptr_array_free(rd.pt.include, TRUE);
    g_ptr_array_free(rd.pt.exclude, TRUE);
    if (!ok) {
        wharf_load_accounts_free(a);
        return NULL;
    }
    return a;
}

/* The account this load connects as may not be in the dump: replacing it
 * would cut the load off (and change the DBA's own login). */
static gboolean not_self(MYSQL *m, const wharf_load_accounts *a, GError **err)
{
    char *cu = wharf_conn_query_value(m, "SELECT CURRENT_USER()", err);
    if (cu == NULL)
        return err == NULL || *err == NULL;
    char *at = strrchr(cu, '@');
    gboolean ok = TRUE;
    for (guint i = 0; at && ok && i < a->list->len; i++) {
        const wharf_load_account *acc = a->list->pdata[i];
        if (acc->created_by_dump && acc->host && strlen(acc->user) == (size_t)(at - cu) &&
            strncmp(acc->user, cu, (size_t)(at - cu)) == 0 && strcmp(acc->host, at + 1) == 0) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_EXISTS,
                        "the dump holds %s, the account this load connects as; nothing was changed (leave it out "
                        "with --exclude-users, or load as another account)",
                        acc->display);
            ok = FALSE;
        }
    }
    g_free(cu);
    return ok;
}

gboolean wharf_load_accounts_check(MYSQL *m, wharf_load_accounts *a, const wharf_journal *journal,
                                   GPtrArray *conflicts, GError **err)
{
    if (a == NULL || a->list->len == 0)
        return TRUE;
    if (!not_self(m, a, err))
        return FALSE;
    GError *e = NULL;
    MYSQL_RES *res = wharf_conn_query(m,
                                      "SELECT User, Host, IFNULL(JSON_EXTRACT(Priv, '$.is_role') = 'true', 0) "
                                      "FROM mysql.global_priv",
                                      &e);
    if (res == NULL && e->domain == WHARF_SQL_ERROR && e->code == ER_NO_SUCH_TABLE) {
        g_clear_error(&e); /* MariaDB before 10.4, MySQL: accounts are rows of mysql.user */
        res = wharf_conn_query(m, "SELECT User, Host, 0 FROM mysql.user", &e);
    }
    if (res == NULL) {
        g_propagate_error(err, e);
        wharf_error_prefix(err, "listing the target's accounts");
        return FALSE;
    }
    GHashTable *have = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL)
        g_hash_table_add(have, account_key(row[0] ? row[0] : "",
                                           row[2] && strcmp(row[2], "1") == 0 ? NULL : (row[1] ? row[1] : "")));
    mysql_free_result(res);
    for (guint i = 0; i < a->list->len; i++) {
        wharf_load_account *acc = a->list->pdata[i];
        char *k = account_key(acc->user, acc->host);
        gboolean there = acc->created_by_dump && g_hash_table_contains(have, k);
        g_free(k);
        if (!there)
            continue;
        char *job = wharf_load_job_key(WHARF_LJ_ACCOUNT, acc);
        gboolean ours = wharf_journal_done(journal, job);
        g_free(job);
        if (ours)
            continue; /* created by the run this one resumes */
        acc->exists = TRUE;
        if (!wharf_journal_resumed(journal)) /* else: its previous run created it: replaced */
            g_ptr_array_add(conflicts, g_strdup_printf("%s %s", acc->host ? "account" : "role", acc->display));
    }
    g_hash_table_unref(have);
    return TRUE;
}

/* --- the jobs ---------------------------------------------------------------- */

static gboolean run_list(wharf_load_worker *w, const wharf_load_account *a, GPtrArray *stmts, GError **err)
{
    for (guint i = 0; i < stmts->len; i++) {
        const char *s = stmts->pdata[i];
        if (!wharf_session_execs(w, s, err)) {
            char *shown = g_strndup(s, 120);
            wharf_error_prefix(err, "%s: %s%s", a->display, shown, strlen(s) > 120 ? "..." : "");
            g_free(shown);
            return FALSE;
        }
    }
    return TRUE;
}

gboolean wharf_load_account_run(wharf_load_worker *w, wharf_load_account *a, gboolean objects, GError **err)
{
    const wharf_load_accounts *all = w->ctx->plan->accounts;
    if (!run_list(w, a, all->session, err))
        return FALSE;
    gboolean ok;
    if (objects) {
        ok = run_list(w, a, a->object_stmts, err);
    } else {
        /* an account this run owns (or replaces): a retry starts it again */
        if (a->created_by_dump && (a->exists || w->attempt > 0 || w->ctx->journal) &&
            !wharf_conn_execf(w->conn, err, "DROP %s IF EXISTS %s", a->host ? "USER" : "ROLE", a->display)) {
            wharf_error_prefix(err, "%s", a->display);
            return FALSE;
        }
        ok = run_list(w, a, a->stmts, err);
    }
    /* the load session's character set, for the worker's next job */
    return ok && wharf_session_execs(w, "SET NAMES binary", err);
}
