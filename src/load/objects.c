/* objects: schema jobs of a load (contract in objects.h). */
#include "load/objects.h"

#include "load/cluster.h"

#include "core/conn.h"
#include "core/error.h"
#include "core/fault.h"

#include <string.h>

typedef wharf_load_worker worker;

/* --- database ------------------------------------------------------------ */

static gboolean db_stmt(worker *w, const char *stmt, size_t len, void *data, GError **err)
{
    wharf_load_db *d = data;
    char *c = wharf_ddl_create_database(stmt, len, d->target);
    if (c == NULL)
        return wharf_session_exec(w, stmt, len, err);
    gboolean ok = wharf_session_execs(w, c, err);
    g_free(c);
    return ok;
}

gboolean wharf_objects_database(worker *w, wharf_load_db *d, GError **err)
{
    if (d->create_path) {
        if (!wharf_session_each(w, d->create_path, &(wharf_ddl_scope){WHARF_SCOPE_DB_CREATE, d->name, NULL}, db_stmt, d, err)) {
            wharf_error_prefix(err, "%s", wharf_session_base(d->create_path));
            return FALSE;
        }
        return TRUE;
    }
    char *q = wharf_quote_ident(d->target);
    gboolean ok = wharf_conn_execf(w->conn, err, "CREATE DATABASE IF NOT EXISTS %s", q);
    g_free(q);
    return ok;
}

/* --- tables -------------------------------------------------------------- */

/* --defer-indexes=auto defers only where a sorted index build after the
 * data beats maintaining the indexes row by row: tables with real data. For
 * small tables the extra ALTER costs more than it saves. */
#define DEFER_MIN_ROWS 100000
#define DEFER_MIN_DISK_BYTES (4 << 20)

static gboolean big_table(const wharf_load_table *t)
{
    if (t->meta && t->meta->rows >= 0)
        return t->meta->rows >= DEFER_MIN_ROWS;
    gint64 bytes = 0;
    for (guint i = 0; i < t->chunks->len; i++)
        bytes += ((const wharf_load_chunk *)t->chunks->pdata[i])->disk_bytes;
    return bytes >= DEFER_MIN_DISK_BYTES;
}

typedef struct table_run {
    wharf_load_table *t;
    gboolean defer;
    gboolean split_fks;
    gboolean dry; /* --resume: only compute the deferred definitions */
} table_run;

static gboolean table_stmt(worker *w, const char *stmt, size_t len, void *data, GError **err)
{
    table_run *tr = data;
    wharf_load_table *t = tr->t;
    if (!wharf_ddl_starts_with(stmt, len, "CREATE"))
        return tr->dry || wharf_session_exec(w, stmt, len, err);
    char *seq = wharf_cluster_sequence_ddl(w->ctx, t, stmt, len);
    if (seq) {
        gboolean ok = tr->dry || wharf_session_execs(w, seq, err);
        g_free(seq);
        return ok;
    }
    wharf_ddl_table dt;
    wharf_ddl_table_init(&dt);
    gboolean is_table = wharf_ddl_split_table(stmt, len, FALSE, FALSE, &dt);
    gboolean innodb = dt.engine && g_ascii_strcasecmp(dt.engine, "InnoDB") == 0;
    gboolean defer = FALSE;
    switch (w->ctx->o->defer) {
    case WHARF_DEFER_ON: defer = TRUE; break;
    case WHARF_DEFER_AUTO: defer = innodb && big_table(t); break;
    case WHARF_DEFER_OFF: defer = FALSE; break;
    }
    if (w->ctx->o->no_data)
        defer = FALSE;
    gboolean ok;
    if (is_table && (defer || tr->split_fks)) {
        wharf_ddl_table_clear(&dt);
        wharf_ddl_table_init(&dt);
        wharf_ddl_split_table(stmt, len, defer, tr->split_fks, &dt);
        ok = tr->dry || wharf_session_execs(w, dt.create, err);
        if (ok) {
            /* Read by the TABLE_DONE and FKS jobs, which run after this one. */
            if (dt.indexes->len) {
                t->deferred_indexes = dt.indexes;
                dt.indexes = NULL;
            }
            if (dt.fulltext->len) {
                t->deferred_fulltext = dt.fulltext;
                dt.fulltext = NULL;
            }
            if (dt.fks->len) {
                t->deferred_fks = dt.fks;
                dt.fks = NULL;
            }
        }
    } else {
        ok = tr->dry || wharf_session_exec(w, stmt, len, err);
    }
    wharf_ddl_table_clear(&dt);
    return ok;
}

static gboolean drop_existing(worker *w, wharf_load_table *t, GError **err)
{
    if (t->existing == WHARF_EXISTING_VIEW)
        return wharf_conn_execf(w->conn, err, "DROP VIEW IF EXISTS %s", t->qname);
    if (t->existing == WHARF_EXISTING_TABLE)
        return wharf_conn_execf(w->conn, err, "DROP TABLE IF EXISTS %s", t->qname);
    return TRUE;
}

gboolean wharf_objects_table(worker *w, wharf_load_table *t, GError **err)
{
    const wharf_load_opts *o = w->ctx->o;
    if (o->no_schema) {
        /* data only: the table must exist; only --if-exists=truncate acts */
        if (t->existing == WHARF_EXISTING_TABLE && o->if_exists == WHARF_IF_EXISTS_TRUNCATE)
            return (t->fresh = wharf_conn_execf(w->conn, err, "TRUNCATE TABLE %s", t->qname));
        return TRUE;
    }
    if (t->schema_path == NULL) {
        wharf_load_chunk *c = t->chunks->len ? t->chunks->pdata[0] : NULL;
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                    "no schema file for %s in the dump%s%s%s", t->display,
                    c ? " (data file " : "", c ? wharf_session_base(c->sql_path ? c->sql_path : c->dat_path) : "",
                    c ? " has no table to go into)" : "");
        return FALSE;
    }
    if (!wharf_session_use_db(w, t->db->target, err))
        return FALSE;
    if (t->existing == WHARF_EXISTING_TABLE && o->if_exists == WHARF_IF_EXISTS_TRUNCATE)
        return (t->fresh = wharf_conn_execf(w->conn, err, "TRUNCATE TABLE %s", t->qname));
    if (t->existing == WHARF_EXISTING_TABLE && o->if_exists == WHARF_IF_EXISTS_APPEND)
        return TRUE;
    if (t->existing != WHARF_EXISTING_NONE && !drop_existing(w, t, err))
        return FALSE;
    /* A retry after a lost connection: the CREATE may have happened. The
     * table is ours (it did not exist before the run) and nothing uses it yet. */
    if (w->attempt > 0 && !wharf_conn_execf(w->conn, err, "DROP TABLE IF EXISTS %s", t->qname))
        return FALSE;
    table_run tr = {t, FALSE, !o->no_data && o->defer != WHARF_DEFER_OFF && t->has_fks, FALSE};
    if (!wharf_session_each(w, t->schema_path, &(wharf_ddl_scope){WHARF_SCOPE_TABLE, t->db->name, t->name}, table_stmt, &tr, err)) {
        wharf_error_prefix(err, "%s", wharf_session_base(t->schema_path));
        return FALSE;
    }
    t->created = TRUE;
    t->fresh = TRUE;
    wharf_fault_point("load-table-after-create");
    return TRUE;
}

static gboolean alter_add(worker *w, wharf_load_table *t, GPtrArray *clauses, GError **err)
{
    GString *s = g_string_new("ALTER TABLE ");
    g_string_append(s, t->qname);
    for (guint i = 0; i < clauses->len; i++)
        g_string_append_printf(s, "%s %s", i ? "," : "", (const char *)clauses->pdata[i]);
    gboolean ok = wharf_session_execs(w, s->str, err);
    /* A retry after a lost connection may find the ALTER already done. */
    if (!ok && (w->attempt > 0 || w->ctx->journal) && (*err)->domain == WHARF_SQL_ERROR &&
        ((*err)->code == 1061 || (*err)->code == 1826 || (*err)->code == 1022)) {
        g_clear_error(err);
        ok = TRUE;
    }
    g_string_free(s, TRUE);
    return ok;
}

gboolean wharf_objects_table_done(worker *w, wharf_load_table *t, GError **err)
{
    if (t->deferred_indexes && !alter_add(w, t, t->deferred_indexes, err))
        return FALSE;
    if (t->deferred_fulltext) {
        for (guint i = 0; i < t->deferred_fulltext->len; i++) {
            GPtrArray one = {.pdata = &t->deferred_fulltext->pdata[i], .len = 1};
            if (!alter_add(w, t, &one, err))
                return FALSE;
        }
    }
    return TRUE;
}

gboolean wharf_objects_fks(worker *w, wharf_load_table *t, GError **err)
{
    if (t->deferred_fks == NULL)
        return TRUE;
    return alter_add(w, t, t->deferred_fks, err);
}

/* --- views, triggers, routines ------------------------------------------ */

typedef struct obj_run {
    wharf_load_db *db;
    gboolean replace;  /* drop an existing object of the same name first */
    gboolean routines, events; /* which post-file objects to create */
    volatile gint64 *counter;
} obj_run;

/* The server created the object but its definer does not exist here
 * (note 1449): the object would fail when used. Say so, naming it. */
static void warn_definer(worker *w, wharf_ddl_kind k, const char *db, const char *name)
{
    MYSQL_RES *res = wharf_conn_query(w->conn, "SHOW WARNINGS", NULL);
    MYSQL_ROW row;
    while (res && (row = mysql_fetch_row(res)) != NULL)
        if (row[1] && strcmp(row[1], "1449") == 0)
            WLOG_WARN("%s `%s`.`%s`: %s; it will fail when used (--definer=strip or --definer=USER@HOST gives "
                      "it another one)",
                      wharf_ddl_kind_keyword(k), db, name ? name : "", row[2] ? row[2] : "its definer is missing");
    if (res)
        mysql_free_result(res);
}

static gboolean obj_stmt(worker *w, const char *stmt, size_t len, void *data, GError **err)
{
    obj_run *r = data;
    const wharf_load_opts *o = w->ctx->o;
    char *odb = NULL, *name = NULL;
    wharf_ddl_kind k = wharf_ddl_object(stmt, len, &odb, &name);
    gboolean ok = TRUE;
    /* The routines job and the events job read the same post file: each
     * runs only its own objects' CREATE and DROP (mydumper writes DROP ...
     * IF EXISTS before each CREATE). */
    wharf_ddl_kind acted = k != WHARF_DDL_OTHER ? k : wharf_ddl_drop_kind(stmt, len);
    gboolean is_routine = acted == WHARF_DDL_PROCEDURE || acted == WHARF_DDL_FUNCTION ||
                          acted == WHARF_DDL_PACKAGE || acted == WHARF_DDL_PACKAGE_BODY;
    if ((is_routine && !r->routines) || (acted == WHARF_DDL_EVENT && !r->events))
        goto out;
    if (k != WHARF_DDL_OTHER && r->replace && k != WHARF_DDL_VIEW && k != WHARF_DDL_TABLE) {
        char *q = wharf_quote_ident(name);
        ok = wharf_conn_execf(w->conn, err, "DROP %s IF EXISTS %s", wharf_ddl_kind_keyword(k), q);
        g_free(q);
        if (!ok)
            goto out;
    }
    char *rq = NULL, *rd = NULL;
    size_t n = len;
    if (o->into && strcmp(r->db->name, r->db->target) != 0)
        stmt = rq = wharf_ddl_requalify(stmt, len, r->db->name, r->db->target, &n);
    if (o->definer && k != WHARF_DDL_OTHER && (rd = wharf_ddl_set_definer(stmt, n, o->definer, &n)) != NULL)
        stmt = rd;
    ok = wharf_session_exec(w, stmt, n, err);
    if (ok && k != WHARF_DDL_OTHER && mysql_warning_count(w->conn) > 0)
        warn_definer(w, k, odb ? odb : r->db->target, name);
    g_free(rq);
    g_free(rd);
    if (ok && r->counter && k != WHARF_DDL_OTHER)
        wharf_counter_add(r->counter, 1);
    if (ok && k == WHARF_DDL_EVENT)
        wharf_counter_add(&w->ctx->n_events, 1);
    else if (ok && is_routine)
        wharf_counter_add(&w->ctx->n_routines, 1);
out:
    g_free(odb);
    g_free(name);
    return ok;
}

gboolean wharf_objects_view(worker *w, wharf_load_table *t, GError **err)
{
    if (!wharf_session_use_db(w, t->db->target, err))
        return FALSE;
    if (t->existing != WHARF_EXISTING_NONE && !drop_existing(w, t, err))
        return FALSE;
    if (w->attempt > 0 && !wharf_conn_execf(w->conn, err, "DROP VIEW IF EXISTS %s", t->qname))
        return FALSE;
    obj_run r = {t->db, FALSE, FALSE, FALSE, NULL};
    if (!wharf_session_each(w, t->view_path, &(wharf_ddl_scope){WHARF_SCOPE_VIEW, t->db->name, t->name}, obj_stmt, &r, err)) {
        wharf_error_prefix(err, "%s", wharf_session_base(t->view_path));
        return FALSE;
    }
    t->created = TRUE;
    return TRUE;
}

gboolean wharf_objects_triggers(worker *w, wharf_load_table *t, GError **err)
{
    if (!wharf_session_use_db(w, t->db->target, err))
        return FALSE;
    obj_run r = {t->db, w->ctx->o->if_exists != WHARF_IF_EXISTS_FAIL || w->attempt > 0 || w->ctx->journal, FALSE, FALSE,
                 &w->ctx->n_triggers};
    if (!wharf_session_each(w, t->triggers_path, &(wharf_ddl_scope){WHARF_SCOPE_TRIGGERS, t->db->name, t->name}, obj_stmt, &r, err)) {
        wharf_error_prefix(err, "%s", wharf_session_base(t->triggers_path));
        return FALSE;
    }
    return TRUE;
}

gboolean wharf_objects_db_triggers(worker *w, wharf_load_db *d, GError **err)
{
    if (!wharf_session_use_db(w, d->target, err))
        return FALSE;
    obj_run r = {d, w->ctx->o->if_exists != WHARF_IF_EXISTS_FAIL || w->attempt > 0 || w->ctx->journal, FALSE, FALSE,
                 &w->ctx->n_triggers};
    if (!wharf_session_each(w, d->triggers_path, &(wharf_ddl_scope){WHARF_SCOPE_DB_TRIGGERS, d->name, NULL}, obj_stmt, &r, err)) {
        wharf_error_prefix(err, "%s", wharf_session_base(d->triggers_path));
        return FALSE;
    }
    return TRUE;
}

/* The routines (events = FALSE) or the events of a database's post file:
 * routines come with the schema, before views; events (which could fire on
 * the data) after everything. */
gboolean wharf_objects_post(worker *w, wharf_load_db *d, gboolean events, GError **err)
{
    const wharf_load_opts *o = w->ctx->o;
    if (!wharf_session_use_db(w, d->target, err))
        return FALSE;
    obj_run r = {d, o->if_exists != WHARF_IF_EXISTS_FAIL || w->attempt > 0 || w->ctx->journal, !events, events,
                 NULL};
    if (!wharf_session_each(w, d->post_path, &(wharf_ddl_scope){WHARF_SCOPE_POST, d->name, NULL}, obj_stmt, &r, err)) {
        wharf_error_prefix(err, "%s", wharf_session_base(d->post_path));
        return FALSE;
    }
    return TRUE;
}


/* --resume: a table a previous run created. Its schema file is read again,
 * without running it, for its deferred indexes and foreign keys. */
gboolean wharf_objects_table_resumed(worker *w, wharf_load_table *t, GError **err)
{
    const wharf_load_opts *o = w->ctx->o;
    table_run tr = {t, FALSE, !o->no_data && o->defer != WHARF_DEFER_OFF && t->has_fks, TRUE};
    if (t->schema_path && !wharf_session_each(w, t->schema_path, &(wharf_ddl_scope){WHARF_SCOPE_TABLE, t->db->name, t->name}, table_stmt, &tr, err))
        return FALSE;
    t->created = TRUE;
    return TRUE;
}
