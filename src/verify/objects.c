/* objects: a dump's view, trigger and routine statements against the
 * target's SHOW CREATE. See objects.h. */
#include "verify/objects.h"

#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"
#include "core/stream.h"
#include "format/splitter.h"
#include "load/ddl.h"

#include <mysqld_error.h>
#include <string.h>

#define MAX_STATEMENT (64u << 20)

typedef struct objects_ctx {
    MYSQL *m;
    const wharf_load_opts *o;
    const wharf_load_plan *plan;
    const wharf_load_db *db;
    wharf_verify_objects_result *res;
} objects_ctx;

/* The column of SHOW CREATE <kind> that holds the statement. */
static int create_column(wharf_ddl_kind k)
{
    switch (k) {
    case WHARF_DDL_VIEW: return 1;
    case WHARF_DDL_EVENT: return 3;
    default: return 2; /* TRIGGER, PROCEDURE, FUNCTION, PACKAGE [BODY] */
    }
}

static gboolean is_checked(wharf_ddl_kind k)
{
    return k == WHARF_DDL_VIEW || k == WHARF_DDL_TRIGGER || k == WHARF_DDL_PROCEDURE || k == WHARF_DDL_FUNCTION ||
           k == WHARF_DDL_EVENT || k == WHARF_DDL_PACKAGE || k == WHARF_DDL_PACKAGE_BODY;
}

/* A package's label after its final END: the dump has it, SHOW CREATE
 * PACKAGE [BODY] drops it. */
static gboolean only_label_missing(const char *dump, size_t dlen, const char *target, size_t tlen)
{
    if (tlen >= dlen || memcmp(dump, target, tlen) != 0 || dlen - tlen > 68)
        return FALSE;
    for (size_t i = tlen; i < dlen; i++)
        if (!(g_ascii_isalnum(dump[i]) || strchr(" \t\n_$`\"", dump[i]) != NULL || (guchar)dump[i] >= 0x80))
            return FALSE;
    return TRUE;
}

/* As the dump does (dump/schema.c): a view with a COLLATE clause of another
 * character set cannot be printed on a binary connection collation; a
 * utf8mb4 one prints it, results stay binary. NAMES binary afterwards. */
static MYSQL_RES *show_view_utf8(MYSQL *m, const char *sql, GError **err)
{
    MYSQL_RES *res = NULL;
    if (wharf_conn_exec(m, "SET collation_connection=utf8mb4_general_ci", err))
        res = wharf_conn_query(m, sql, err);
    GError *e2 = NULL;
    if (!wharf_conn_exec(m, "SET NAMES binary", &e2)) {
        if (res)
            mysql_free_result(res);
        res = NULL;
        g_clear_error(err);
        g_propagate_error(err, e2);
    }
    return res;
}

/* The target's definition of kind `db`.`name`: NULL with *missing when it
 * does not exist, NULL with *err on other errors. *len its length. */
static char *target_definition(objects_ctx *c, wharf_ddl_kind k, const char *name, size_t *len, gboolean *missing,
                               GError **err)
{
    char *tn = wharf_quote_table(c->db->target, name);
    char *sql = g_strdup_printf("SHOW CREATE %s %s", wharf_ddl_kind_keyword(k), tn);
    g_free(tn);
    GError *e = NULL;
    MYSQL_RES *res = wharf_conn_query(c->m, sql, &e);
    if (res == NULL && k == WHARF_DDL_VIEW && e->domain == WHARF_SQL_ERROR && e->code == 1253) {
        g_clear_error(&e);
        res = show_view_utf8(c->m, sql, &e);
    }
    g_free(sql);
    *missing = FALSE;
    if (res == NULL) {
        static const unsigned gone[] = {ER_NO_SUCH_TABLE, ER_SP_DOES_NOT_EXIST, ER_TRG_DOES_NOT_EXIST,
                                        ER_EVENT_DOES_NOT_EXIST, ER_BAD_DB_ERROR};
        for (size_t i = 0; i < G_N_ELEMENTS(gone); i++)
            if (e->domain == WHARF_SQL_ERROR && (unsigned)e->code == gone[i])
                *missing = TRUE;
        if (*missing)
            g_error_free(e);
        else
            g_propagate_error(err, e);
        return NULL;
    }
    MYSQL_ROW row = mysql_fetch_row(res);
    int col = create_column(k);
    char *def = NULL;
    if (row && (int)mysql_num_fields(res) > col && row[col]) {
        *len = mysql_fetch_lengths(res)[col];
        def = g_strndup(row[col], *len);
    } else {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED,
                    "SHOW CREATE %s `%s`: no definition returned (missing privilege?)", wharf_ddl_kind_keyword(k), name);
    }
    mysql_free_result(res);
    return def;
}

/* The first byte at which a and b differ, for the message. */
static size_t first_difference(const char *a, size_t al, const char *b, size_t bl)
{
    size_t i = 0;
    while (i < al && i < bl && a[i] == b[i])
        i++;
    return i;
}

static gboolean compare_one(objects_ctx *c, const char *file, const char *stmt, size_t len, GError **err)
{
    char *qdb = NULL, *name = NULL;
    wharf_ddl_kind k = wharf_ddl_object(stmt, len, &qdb, &name);
    g_free(qdb);
    if (!is_checked(k) || name == NULL) {
        g_free(name);
        return TRUE;
    }
    size_t dl = len;
    char *dump = NULL;
    if (c->o->into && strcmp(c->db->name, c->db->target) != 0)
        dump = wharf_ddl_requalify(stmt, len, c->db->name, c->db->target, &dl);
    const char *d = dump ? dump : stmt;
    size_t tl = 0;
    gboolean missing = FALSE;
    char *target = target_definition(c, k, name, &tl, &missing, err);
    gboolean ok = target != NULL || missing;
    char *what = g_strdup_printf("%s `%s`.`%s`", wharf_ddl_kind_keyword(k), c->db->target, name);
    if (missing) {
        WLOG_ERR("%s: missing on the target (the dump has it in %s)", what, file);
        c->res->missing++;
    } else if (target && c->res->by_definition && !(tl == dl && memcmp(target, d, dl) == 0) &&
               !((k == WHARF_DDL_PACKAGE || k == WHARF_DDL_PACKAGE_BODY) && only_label_missing(d, dl, target, tl))) {
        size_t at = first_difference(d, dl, target, tl);
        WLOG_ERR("DIFFERS %s: its definition on the target is not the dump's (%s), from byte %zu: dump '%.40s', "
                 "target '%.40s'",
                 what, file, at, d + MIN(at, dl), target + MIN(at, tl));
        c->res->differ++;
    }
    if (ok)
        c->res->checked++;
    else
        wharf_error_prefix(err, "%s", what);
    g_free(what);
    g_free(target);
    g_free(dump);
    g_free(name);
    return ok;
}

static gboolean compare_file(objects_ctx *c, const char *path, GError **err)
{
    wharf_reader *r = wharf_load_plan_open(c->plan, path, err);
    if (r == NULL)
        return FALSE;
    wharf_splitter *sp = wharf_load_plan_splitter(c->plan, r, MAX_STATEMENT);
    char *base = g_path_get_basename(path);
    const char *stmt;
    size_t len;
    int rc;
    gboolean ok = TRUE;
    while (ok && (rc = wharf_splitter_next(sp, &stmt, &len, err)) == 1) {
        size_t ul = 0;
        char *u = wharf_load_plan_statement(c->plan, stmt, len, &ul);
        ok = compare_one(c, base, u ? u : stmt, u ? ul : len, err);
        g_free(u);
    }
    if (ok && rc < 0)
        ok = FALSE;
    if (!ok)
        wharf_error_prefix(err, "%s", base);
    g_free(base);
    wharf_splitter_free(sp);
    wharf_reader_close(r);
    return ok;
}

static gboolean compare_db(objects_ctx *c, GError **err)
{
    const wharf_load_db *d = c->db;
    gboolean all = c->o->filter.tables == NULL; /* load runs routines and events only without -T */
    if (all && d->post_path && !compare_file(c, d->post_path, err))
        return FALSE;
    if (all && d->triggers_path && !compare_file(c, d->triggers_path, err))
        return FALSE;
    for (guint j = 0; j < d->tables->len; j++) {
        const wharf_load_table *t = d->tables->pdata[j];
        if (t->view_path && !compare_file(c, t->view_path, err))
            return FALSE;
        if (t->triggers_path && !compare_file(c, t->triggers_path, err))
            return FALSE;
    }
    return TRUE;
}

gboolean wharf_verify_objects(MYSQL *m, const wharf_load_opts *o, const wharf_load_plan *plan,
                              wharf_verify_objects_result *out, GError **err)
{
    memset(out, 0, sizeof *out);
    out->by_definition = plan->wharf_dump;
    objects_ctx c = {m, o, plan, NULL, out};
    for (guint i = 0; i < plan->dbs->len; i++) {
        c.db = plan->dbs->pdata[i];
        if (!compare_db(&c, err))
            return FALSE;
    }
    return TRUE;
}
