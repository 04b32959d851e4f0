/* restore: executing load jobs (contract in restore.h).
 *
 * Threads: every function here runs on a worker thread with the worker's
 * own connection; shared state is only the atomics of wharf_load_ctx and
 * the plan fields documented in plan.h. No lock is taken here (the run's
 * lock is taken inside engine/run calls only).
 */
#include "load/restore.h"

#include "core/error.h"
#include "core/fault.h"
#include "core/stream.h"
#include "format/insert.h"
#include "format/splitter.h"
#include "format/value.h"
#include "load/ddl.h"

#include <errmsg.h>
#include <string.h>

#define INSERT_TARGET_BYTES (1024 * 1024) /* INSERT fallback statement size */

typedef struct worker {
    wharf_load_ctx *ctx;
    int index;
    MYSQL *conn;
    char *cur_db;     /* database selected on conn */
    int attempt;      /* of the current job, 0-based */
} worker;

MYSQL *wharf_restore_connect(wharf_load_ctx *ctx, GError **err)
{
    MYSQL *m = wharf_conn_open(&ctx->conn, err);
    if (m == NULL)
        return NULL;
    if (!wharf_conn_exec(m, ctx->session_sql, err) ||
        !wharf_conn_exec(m, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", err) ||
        (ctx->o->skip_binlog && !wharf_conn_exec(m, "SET SESSION SQL_LOG_BIN=0", err))) {
        wharf_error_prefix(err, "setting up the load session");
        wharf_conn_close(m);
        return NULL;
    }
    return m;
}

void *wharf_restore_worker_new(void *ctx, int index)
{
    worker *w = g_new0(worker, 1);
    w->ctx = ctx;
    w->index = index;
    return w;
}

void wharf_restore_worker_free(void *p)
{
    worker *w = p;
    wharf_conn_close(w->conn);
    g_free(w->cur_db);
    g_free(w);
}

static void drop_conn(worker *w)
{
    wharf_conn_close(w->conn);
    w->conn = NULL;
    g_free(w->cur_db);
    w->cur_db = NULL;
}

static gboolean use_db(worker *w, const char *db, GError **err)
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

static gboolean exec(worker *w, const char *sql, size_t len, GError **err)
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

static gboolean exec_rows(worker *w, const char *sql, size_t len, gint64 *rows, gboolean *exact,
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

static gboolean execs(worker *w, const char *sql, GError **err)
{
    return wharf_conn_exec(w->conn, sql, err);
}

/* --- statements of a file ----------------------------------------------- */

typedef gboolean (*stmt_fn)(worker *w, const char *stmt, size_t len, void *data, GError **err);

static const char *base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* A statement the file's scope does not allow (ddl.h, confinement): the
 * object fails before the statement reaches the server. */
static gboolean confined(const char *path, guint64 n, const char *stmt, size_t len, const wharf_ddl_scope *sc,
                         GError **err)
{
    if (wharf_ddl_allowed(stmt, len, sc))
        return TRUE;
    static const char *const what[] = {"database", "table", "view", "triggers", "database triggers",
                                       "routines and events", "data"};
    char *shown = g_strndup(stmt, MIN(len, 120));
    for (char *c = shown; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                "%s: statement %" G_GUINT64_FORMAT " does not belong in the %s file of `%s`%s%s%s, refused before "
                "running it: %s%s",
                base(path), n, what[sc->file], sc->db, sc->name ? ".`" : "", sc->name ? sc->name : "",
                sc->name ? "`" : "", shown, len > 120 ? "..." : "");
    g_free(shown);
    return FALSE;
}

/* Stream the statements of a (possibly compressed) file through fn, each
 * first checked against the file's scope (what its name says it holds). */
static gboolean each_statement(worker *w, const char *path, const wharf_ddl_scope *sc, stmt_fn fn, void *data,
                               GError **err)
{
    wharf_reader *r = wharf_reader_open(path, err);
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
        gboolean good = confined(path, wharf_splitter_count(sp), st, sl, sc, err) && fn(w, st, sl, data, err);
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


/* --- database ------------------------------------------------------------ */

static gboolean db_stmt(worker *w, const char *stmt, size_t len, void *data, GError **err)
{
    wharf_load_db *d = data;
    char *c = wharf_ddl_create_database(stmt, len, d->target);
    if (c == NULL)
        return exec(w, stmt, len, err);
    gboolean ok = execs(w, c, err);
    g_free(c);
    return ok;
}

static gboolean run_database(worker *w, wharf_load_db *d, GError **err)
{
    if (d->create_path) {
        if (!each_statement(w, d->create_path, &(wharf_ddl_scope){WHARF_SCOPE_DB_CREATE, d->name, NULL}, db_stmt, d, err)) {
            wharf_error_prefix(err, "%s", base(d->create_path));
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
        return tr->dry || exec(w, stmt, len, err);
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
        ok = tr->dry || execs(w, dt.create, err);
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
        ok = tr->dry || exec(w, stmt, len, err);
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

static gboolean run_table(worker *w, wharf_load_table *t, GError **err)
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
                    c ? " (data file " : "", c ? base(c->sql_path ? c->sql_path : c->dat_path) : "",
                    c ? " has no table to go into)" : "");
        return FALSE;
    }
    if (!use_db(w, t->db->target, err))
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
    if (!each_statement(w, t->schema_path, &(wharf_ddl_scope){WHARF_SCOPE_TABLE, t->db->name, t->name}, table_stmt, &tr, err)) {
        wharf_error_prefix(err, "%s", base(t->schema_path));
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
    gboolean ok = execs(w, s->str, err);
    /* A retry after a lost connection may find the ALTER already done. */
    if (!ok && (w->attempt > 0 || w->ctx->journal) && (*err)->domain == WHARF_SQL_ERROR &&
        ((*err)->code == 1061 || (*err)->code == 1826 || (*err)->code == 1022)) {
        g_clear_error(err);
        ok = TRUE;
    }
    g_string_free(s, TRUE);
    return ok;
}

static gboolean run_table_done(worker *w, wharf_load_table *t, GError **err)
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

static gboolean run_fks(worker *w, wharf_load_table *t, GError **err)
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
    if (o->into && strcmp(r->db->name, r->db->target) != 0) {
        size_t nl;
        char *s = wharf_ddl_requalify(stmt, len, r->db->name, r->db->target, &nl);
        ok = exec(w, s, nl, err);
        g_free(s);
    } else {
        ok = exec(w, stmt, len, err);
    }
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

static gboolean run_view(worker *w, wharf_load_table *t, GError **err)
{
    if (!use_db(w, t->db->target, err))
        return FALSE;
    if (t->existing != WHARF_EXISTING_NONE && !drop_existing(w, t, err))
        return FALSE;
    if (w->attempt > 0 && !wharf_conn_execf(w->conn, err, "DROP VIEW IF EXISTS %s", t->qname))
        return FALSE;
    obj_run r = {t->db, FALSE, FALSE, FALSE, NULL};
    if (!each_statement(w, t->view_path, &(wharf_ddl_scope){WHARF_SCOPE_VIEW, t->db->name, t->name}, obj_stmt, &r, err)) {
        wharf_error_prefix(err, "%s", base(t->view_path));
        return FALSE;
    }
    t->created = TRUE;
    return TRUE;
}

static gboolean run_triggers(worker *w, wharf_load_table *t, GError **err)
{
    if (!use_db(w, t->db->target, err))
        return FALSE;
    obj_run r = {t->db, w->ctx->o->if_exists != WHARF_IF_EXISTS_FAIL || w->attempt > 0 || w->ctx->journal, FALSE, FALSE,
                 &w->ctx->n_triggers};
    if (!each_statement(w, t->triggers_path, &(wharf_ddl_scope){WHARF_SCOPE_TRIGGERS, t->db->name, t->name}, obj_stmt, &r, err)) {
        wharf_error_prefix(err, "%s", base(t->triggers_path));
        return FALSE;
    }
    return TRUE;
}

static gboolean run_db_triggers(worker *w, wharf_load_db *d, GError **err)
{
    if (!use_db(w, d->target, err))
        return FALSE;
    obj_run r = {d, w->ctx->o->if_exists != WHARF_IF_EXISTS_FAIL || w->attempt > 0 || w->ctx->journal, FALSE, FALSE,
                 &w->ctx->n_triggers};
    if (!each_statement(w, d->triggers_path, &(wharf_ddl_scope){WHARF_SCOPE_DB_TRIGGERS, d->name, NULL}, obj_stmt, &r, err)) {
        wharf_error_prefix(err, "%s", base(d->triggers_path));
        return FALSE;
    }
    return TRUE;
}

/* The routines (events = FALSE) or the events of a database's post file:
 * routines come with the schema, before views; events (which could fire on
 * the data) after everything. */
static gboolean run_post(worker *w, wharf_load_db *d, gboolean events, GError **err)
{
    const wharf_load_opts *o = w->ctx->o;
    if (!use_db(w, d->target, err))
        return FALSE;
    obj_run r = {d, o->if_exists != WHARF_IF_EXISTS_FAIL || w->attempt > 0 || w->ctx->journal, !events, events,
                 NULL};
    if (!each_statement(w, d->post_path, &(wharf_ddl_scope){WHARF_SCOPE_POST, d->name, NULL}, obj_stmt, &r, err)) {
        wharf_error_prefix(err, "%s", base(d->post_path));
        return FALSE;
    }
    return TRUE;
}

/* --- data chunks --------------------------------------------------------- */

/* Work of one chunk attempt; taken back from the progress if it rolls back. */
typedef struct chunk_run {
    worker *w;
    wharf_load_chunk *c;
    gint64 rows;
    gint64 disk_bytes;  /* reported to progress */
    guint64 bytes;      /* uncompressed bytes of the data file */
    guint32 crc;
    gboolean have_crc;
    /* LOAD DATA LOCAL */
    wharf_reader *r;
    GError *read_err;
    /* INSERTs sent as LOAD DATA could not be (a value, a warning): the
     * attempt is rolled back and the chunk runs as its INSERT statements. */
    char *redo_as_inserts;
} chunk_run;

static void progress_bytes(chunk_run *cr, wharf_reader *r)
{
    gint64 now = (gint64)wharf_reader_disk_bytes(r);
    if (now > cr->disk_bytes) {
        wharf_counter_add(&cr->w->ctx->progress.bytes_done, now - cr->disk_bytes);
        cr->disk_bytes = now;
    }
}

static int infile_init(void **ptr, const char *filename, void *userdata)
{
    chunk_run *cr = userdata;
    *ptr = cr;
    /* Whatever name the server asks for, only the chunk's file is opened. */
    cr->r = wharf_reader_open(cr->c->dat_path, &cr->read_err);
    return cr->r ? 0 : 1;
}

static int infile_read(void *ptr, char *buf, unsigned int len)
{
    chunk_run *cr = ptr;
    if (cr->r == NULL)
        return -1;
    gssize n = wharf_reader_read(cr->r, buf, len, &cr->read_err);
    if (n > 0)
        progress_bytes(cr, cr->r);
    return n < 0 ? -1 : (int)n;
}

static void infile_end(void *ptr)
{
    chunk_run *cr = ptr;
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
    chunk_run *cr = ptr;
    g_strlcpy(msg, cr->read_err ? cr->read_err->message : "cannot read the data file", len);
    return CR_UNKNOWN_ERROR;
}

static gboolean is_infile_refused(const GError *e)
{
    return e && e->domain == WHARF_SQL_ERROR && (e->code == 1148 || e->code == 4166 || e->code == 2068);
}

static gboolean check_crc(chunk_run *cr, const char *path, GError **err)
{
    const wharf_chunk_meta *m = cr->c->meta;
    if (m == NULL || !cr->have_crc)
        return TRUE;
    if (cr->bytes != m->bytes || cr->crc != m->crc32) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "%s: content does not match metadata (%" G_GUINT64_FORMAT " bytes, CRC-32 %08x; "
                    "metadata: %" G_GUINT64_FORMAT " bytes, CRC-32 %08x): corrupt or changed data file",
                    path, cr->bytes, cr->crc, m->bytes, m->crc32);
        return FALSE;
    }
    return TRUE;
}

/* --- INSERT chunks as LOAD DATA LOCAL streams (format/insert.h) ---------- *
 *
 * A big chunk's INSERT statements reach the server as one LOAD DATA LOCAL
 * INFILE whose rows are the statements' tuples as TSV: the server's INSERT
 * parser is most of a big load's cost. It is done only where the result is
 * the INSERT's: a base table whose columns the transcoder knows, NAMES
 * binary, sql_mode without ANSI_QUOTES / NO_BACKSLASH_ESCAPES, and a LOAD
 * that reports exactly the rows sent and no warning. Anything else rolls
 * the attempt back and runs the chunk's statements as they are. */

#define BULK_MIN_DISK_BYTES (512 << 10) /* --load-data=auto: chunks this big on disk */

typedef struct bulk_table {
    GHashTable *cls;     /* casefolded column name -> wharf_insert_col + 1 */
    GArray *all;         /* wharf_insert_col of every column, in order */
    gboolean no_list_ok; /* no generated or invisible column: INSERT without a list = all columns */
} bulk_table;

static void bulk_table_free(bulk_table *bt)
{
    if (bt == NULL)
        return;
    g_hash_table_unref(bt->cls);
    g_array_free(bt->all, TRUE);
    g_free(bt);
}

static gboolean has_word(const char *list, const char *word)
{
    char **v = g_strsplit(list ? list : "", ",", -1);
    gboolean found = g_strv_contains((const char *const *)v, word);
    g_strfreev(v);
    return found;
}

/* The table's column classes and the session's state, in one query; NULL
 * (and no error) when its chunks cannot go through LOAD DATA. */
static bulk_table *bulk_prepare(worker *w, const wharf_load_table *t, GError **err)
{
    char *qdb = wharf_quote_string(t->db->target), *qt = wharf_quote_string(t->name);
    char *q = g_strdup_printf(
        "SELECT @@character_set_client, @@sql_mode, (SELECT TABLE_TYPE FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA=%s AND TABLE_NAME=%s), COLUMN_NAME, DATA_TYPE, EXTRA "
        "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=%s AND TABLE_NAME=%s ORDER BY ORDINAL_POSITION",
        qdb, qt, qdb, qt);
    g_free(qdb);
    g_free(qt);
    MYSQL_RES *res = wharf_conn_query(w->conn, q, err);
    g_free(q);
    if (res == NULL)
        return NULL;
    bulk_table *bt = g_new0(bulk_table, 1);
    bt->cls = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    bt->all = g_array_new(FALSE, FALSE, sizeof(wharf_insert_col));
    bt->no_list_ok = TRUE;
    gboolean usable = TRUE;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        if (!row[0] || strcmp(row[0], "binary") != 0 || has_word(row[1], "ANSI_QUOTES") ||
            has_word(row[1], "NO_BACKSLASH_ESCAPES") || !row[2] || strcmp(row[2], "BASE TABLE") != 0)
            usable = FALSE;
        wharf_insert_col c = wharf_insert_col_of_type_name(row[4]);
        if (row[5] && (strstr(row[5], "GENERATED") || strstr(row[5], "INVISIBLE")))
            bt->no_list_ok = FALSE;
        g_array_append_val(bt->all, c);
        g_hash_table_insert(bt->cls, g_utf8_casefold(row[3] ? row[3] : "", -1), GINT_TO_POINTER(c + 1));
    }
    mysql_free_result(res);
    if (!usable || bt->all->len == 0) {
        WLOG_DEBUG("%s: INSERT statements run as they are (session not NAMES binary, sql_mode, or not a "
                   "base table)", t->display);
        bulk_table_free(bt);
        return NULL;
    }
    return bt;
}

/* One LOAD DATA stream: fed by the INSERTs that share the first's head. */
typedef struct bulk_run {
    chunk_run *cr;
    wharf_splitter *sp;
    wharf_reader *r;
    const wharf_ddl_scope *sc;
    const char *head;     /* the first INSERT's head (copy) */
    size_t head_len;
    size_t first_at;      /* tuples of the first statement start here */
    GArray *cols;         /* wharf_insert_col per value of a tuple */
    GString *buf;         /* TSV not yet sent */
    size_t pos;
    const char *first;    /* the first statement, until converted */
    size_t first_len;
    char *stash;          /* the statement that ended the stream, to run next */
    size_t stash_len;
    gint64 rows;          /* tuples sent */
    GError *err;          /* why the stream ended early */
} bulk_run;

/* Convert one statement's tuples into br->buf (br->err on failure). */
static gboolean bulk_convert(bulk_run *br, const char *stmt, size_t len, size_t at)
{
    g_string_truncate(br->buf, 0);
    br->pos = 0;
    gint64 n = 0;
    if (!wharf_insert_tsv(stmt, len, at, (const wharf_insert_col *)br->cols->data, br->cols->len, br->buf, &n,
                          &br->err))
        return FALSE;
    br->rows += n;
    wharf_counter_add(&br->cr->w->ctx->progress.rows_done, n);
    wharf_fault_point("load-chunk-mid");
    return TRUE;
}

/* The next statement: another INSERT with the same head is converted;
 * anything else is kept for after the LOAD and ends the stream. */
static int bulk_refill(bulk_run *br)
{
    chunk_run *cr = br->cr;
    if (br->first) {
        const char *f = br->first;
        br->first = NULL;
        return bulk_convert(br, f, br->first_len, br->first_at) ? 1 : -1;
    }
    const char *stmt;
    size_t len;
    int rc = wharf_splitter_next(br->sp, &stmt, &len, &br->err);
    if (rc <= 0)
        return rc;
    progress_bytes(cr, br->r);
    if (!confined(cr->c->sql_path, wharf_splitter_count(br->sp), stmt, len, br->sc, &br->err))
        return -1;
    if (len > br->head_len && memcmp(stmt, br->head, br->head_len) == 0) {
        size_t at = br->head_len;
        while (at < len && g_ascii_isspace(stmt[at]))
            at++;
        return bulk_convert(br, stmt, len, at) ? 1 : -1;
    }
    br->stash = g_strndup(stmt, len);
    br->stash_len = len;
    return 0;
}

static int bulk_init(void **ptr, const char *filename, void *userdata)
{
    (void)filename; /* whatever the server asks for, the stream is the chunk's rows */
    *ptr = userdata;
    return 0;
}

static int bulk_read(void *ptr, char *buf, unsigned int len)
{
    bulk_run *br = ptr;
    while (br->pos == br->buf->len) {
        if (br->stash || br->err)
            return br->err ? -1 : 0;
        int rc = bulk_refill(br);
        if (rc <= 0)
            return rc;
    }
    size_t n = MIN((size_t)len, br->buf->len - br->pos);
    memcpy(buf, br->buf->str + br->pos, n);
    br->pos += n;
    return (int)n;
}

static void bulk_end(void *ptr)
{
    (void)ptr;
}

static int bulk_error(void *ptr, char *msg, unsigned int len)
{
    bulk_run *br = ptr;
    g_strlcpy(msg, br->err ? br->err->message : "cannot read the chunk", len);
    return CR_UNKNOWN_ERROR;
}

static guint64 info_count(const char *info, const char *key)
{
    const char *k = info ? strstr(info, key) : NULL;
    return k ? g_ascii_strtoull(k + strlen(key), NULL, 10) : 0;
}

/* The column classes of a head, or NULL when a column is unknown. */
static GArray *bulk_columns(const bulk_table *bt, const wharf_insert_head *h)
{
    if (h->columns->len == 0)
        return bt->no_list_ok ? g_array_copy(bt->all) : NULL;
    GArray *a = g_array_sized_new(FALSE, FALSE, sizeof(wharf_insert_col), h->columns->len);
    for (guint i = 0; i < h->columns->len; i++) {
        char *k = g_utf8_casefold(h->columns->pdata[i], -1);
        gpointer v = g_hash_table_lookup(bt->cls, k);
        g_free(k);
        if (v == NULL) {
            g_array_free(a, TRUE);
            return NULL;
        }
        wharf_insert_col c = (wharf_insert_col)(GPOINTER_TO_INT(v) - 1);
        g_array_append_val(a, c);
    }
    return a;
}

static char *bulk_statement(const wharf_load_table *t, const wharf_insert_head *h)
{
    GString *q = g_string_new("LOAD DATA LOCAL INFILE 'wharf-insert-rows' INTO TABLE ");
    g_string_append_printf(q, "%s CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' "
                              "LINES TERMINATED BY '\\n'", t->qname);
    for (guint i = 0; i < h->columns->len; i++) {
        char *qc = wharf_quote_ident(h->columns->pdata[i]);
        g_string_append_printf(q, "%s%s", i ? "," : " (", qc);
        g_free(qc);
    }
    if (h->columns->len)
        g_string_append_c(q, ')');
    return g_string_free(q, FALSE);
}

/* Send stmt (a plain INSERT, head h) and the INSERTs after it with the same
 * head as one LOAD DATA. FALSE with *err: a real failure; FALSE with
 * cr->redo_as_inserts: the chunk must run as INSERTs. *stash gets the
 * statement that ended the stream (to run next), or NULL at end of file. */
static gboolean bulk_load(bulk_run *br, const bulk_table *bt, const wharf_insert_head *h, GError **err)
{
    chunk_run *cr = br->cr;
    worker *w = cr->w;
    br->cols = bulk_columns(bt, h);
    if (br->cols == NULL) {
        cr->redo_as_inserts = g_strdup("a column the INSERT names is not in the table, or generated");
        return FALSE;
    }
    char *q = bulk_statement(cr->c->table, h);
    mysql_set_local_infile_handler(w->conn, bulk_init, bulk_read, bulk_end, bulk_error, br);
    gint64 n = 0;
    gboolean exact;
    gboolean ok = exec_rows(w, q, strlen(q), &n, &exact, err);
    if (w->conn)
        wharf_conn_refuse_local_infile(w->conn);
    g_free(q);
    const char *info = ok ? mysql_info(w->conn) : NULL;
    if (br->err && br->err->domain == WHARF_ERROR && br->err->code == WHARF_ERROR_UNSUPPORTED) {
        g_clear_error(err);
        cr->redo_as_inserts = g_strdup(br->err->message);
        return FALSE;
    }
    if (br->err) { /* reading or splitting the file, or a refused statement */
        g_clear_error(err);
        g_propagate_error(err, br->err);
        br->err = NULL;
        return FALSE;
    }
    if (!ok) {
        if (!is_infile_refused(*err))
            return FALSE;
        if (g_atomic_int_compare_and_exchange(&w->ctx->infile_refused, 0, 1))
            WLOG_WARN("the server refuses LOAD DATA LOCAL INFILE (%s): loading INSERT statements as they are",
                      (*err)->message);
        g_clear_error(err);
        cr->redo_as_inserts = g_strdup("the server refuses LOCAL INFILE");
        return FALSE;
    }
    guint64 warnings = info_count(info, "Warnings: ");
    if (n != br->rows || !exact || warnings != 0) {
        cr->redo_as_inserts = g_strdup_printf("LOAD DATA took %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                                              " rows with %" G_GUINT64_FORMAT " warnings", n, br->rows, warnings);
        return FALSE;
    }
    cr->rows += br->rows;
    return TRUE;
}

/* One data statement of a chunk, run as it is. */
static gboolean chunk_stmt(chunk_run *cr, const char *stmt, size_t len, GError **err)
{
    worker *w = cr->w;
    gint64 n = 0;
    gboolean exact;
    if (!exec_rows(w, stmt, len, &n, &exact, err))
        return FALSE;
    if (wharf_ddl_starts_with(stmt, len, "INSERT"))
        wharf_fault_point("load-chunk-mid");
    if (n > 0 && (wharf_ddl_starts_with(stmt, len, "INSERT") || wharf_ddl_starts_with(stmt, len, "REPLACE"))) {
        cr->rows += n;
        wharf_counter_add(&w->ctx->progress.rows_done, n);
        if (!exact)
            g_atomic_int_set(&cr->c->table->rows_inexact, 1);
    } else if (n > 0) {
        g_atomic_int_set(&cr->c->table->rows_inexact, 1);
    }
    return TRUE;
}

static gboolean use_bulk(const chunk_run *cr)
{
    const wharf_load_ctx *ctx = cr->w->ctx;
    if (ctx->o->load_data == WHARF_LOAD_DATA_OFF || g_atomic_int_get(&ctx->infile_refused))
        return FALSE;
    return ctx->o->load_data == WHARF_LOAD_DATA_ON || cr->c->disk_bytes >= BULK_MIN_DISK_BYTES;
}

/* One LOAD DATA stream from stmt (an INSERT with head h, confined) and the
 * INSERTs after it with the same head; *stash gets the statement that
 * ended it (already confined), or NULL at the end of the file. */
static gboolean bulk_stream(chunk_run *cr, const bulk_table *bt, wharf_splitter *sp, wharf_reader *r,
                            const wharf_ddl_scope *sc, const char *stmt, size_t len, const wharf_insert_head *h,
                            char **stash, size_t *stash_len, GError **err)
{
    char *head = g_strndup(stmt, h->head_len); /* compared after the splitter moved on */
    bulk_run br = {.cr = cr, .sp = sp, .r = r, .sc = sc, .head = head, .head_len = h->head_len,
                   .first = stmt, .first_len = len, .first_at = h->values_at,
                   .buf = g_string_sized_new(1 << 20)};
    gboolean ok = bulk_load(&br, bt, h, err);
    if (!ok)
        wharf_counter_add(&cr->w->ctx->progress.rows_done, -br.rows);
    *stash = br.stash;
    *stash_len = br.stash_len;
    if (!ok) {
        g_free(br.stash);
        *stash = NULL;
    }
    g_free(head);
    g_string_free(br.buf, TRUE);
    if (br.cols)
        g_array_free(br.cols, TRUE);
    g_clear_error(&br.err);
    return ok;
}

/* A chunk of INSERT statements, streamed; with bulk, INSERTs go as LOAD DATA. */
static gboolean chunk_sql(chunk_run *cr, gboolean bulk, GError **err)
{
    worker *w = cr->w;
    const char *path = cr->c->sql_path;
    /* The session's state (NAMES, sql_mode) is read at each stream's first
     * INSERT, after the chunk's SET lines: bt is dropped by any statement
     * run as it is. */
    bulk_table *bt = NULL;
    wharf_reader *r = wharf_reader_open(path, err);
    if (r == NULL)
        return FALSE;
    wharf_splitter *sp = wharf_load_plan_splitter(w->ctx->plan, r, w->ctx->max_packet);
    const wharf_ddl_scope sc = {WHARF_SCOPE_DATA, cr->c->table->db->name, cr->c->table->name};
    gboolean ok = TRUE;
    char *stash = NULL;
    size_t stash_len = 0;
    for (;;) {
        const char *stmt;
        size_t len;
        char *owned = stash; /* the statement that ended the last stream */
        stash = NULL;
        if (owned) {
            stmt = owned;
            len = stash_len;
        } else {
            int rc = wharf_splitter_next(sp, &stmt, &len, err);
            if (rc != 1) {
                ok = rc == 0;
                break;
            }
            if (!confined(path, wharf_splitter_count(sp), stmt, len, &sc, err)) {
                ok = FALSE;
                break;
            }
        }
        wharf_insert_head h;
        if (bulk && wharf_insert_head_parse(stmt, len, &h)) {
            if (bt == NULL && (bt = bulk_prepare(w, cr->c->table, err)) == NULL && *err)
                ok = FALSE;
            else if (bt)
                ok = bulk_stream(cr, bt, sp, r, &sc, stmt, len, &h, &stash, &stash_len, err);
            else
                ok = chunk_stmt(cr, stmt, len, err);
            wharf_insert_head_clear(&h);
        } else {
            g_clear_pointer(&bt, bulk_table_free);
            ok = chunk_stmt(cr, stmt, len, err);
            progress_bytes(cr, r);
        }
        g_free(owned);
        if (!ok)
            break;
    }
    g_free(stash);
    if (ok) {
        cr->bytes = wharf_reader_bytes(r);
        cr->crc = wharf_reader_crc32(r);
        cr->have_crc = TRUE;
        ok = check_crc(cr, path, err);
    }
    wharf_splitter_free(sp);
    wharf_reader_close(r);
    bulk_table_free(bt);
    return ok;
}

/* The INSERT fallback: TSV rows of the .dat as multi-row INSERTs. */
static gboolean dat_as_inserts(chunk_run *cr, const char *load_stmt, size_t load_len, GError **err)
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
                    "backslash) cannot be turned into INSERTs", base(cr->c->sql_path));
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

    r = wharf_reader_open(cr->c->dat_path, err);
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
        progress_bytes(cr, r);
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
                    ok = exec(w, stmt->str, stmt->len, err);
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
        ok = exec(w, stmt->str, stmt->len, err);
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
    chunk_run *cr;
    gboolean loaded;
} dat_run;

static gboolean dat_stmt(worker *w, const char *stmt, size_t len, void *data, GError **err)
{
    dat_run *dr = data;
    chunk_run *cr = dr->cr;
    if (!wharf_ddl_starts_with(stmt, len, "LOAD"))
        return exec(w, stmt, len, err);
    if (dr->loaded) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, "%s: more than one LOAD DATA statement",
                    base(cr->c->sql_path));
        return FALSE;
    }
    dr->loaded = TRUE;
    if (!g_atomic_int_get(&w->ctx->infile_refused)) {
        mysql_set_local_infile_handler(w->conn, infile_init, infile_read, infile_end, infile_error, cr);
        gint64 n = 0;
        gboolean exact;
        gboolean ok = exec_rows(w, stmt, len, &n, &exact, err);
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
            return check_crc(cr, cr->c->dat_path, err);
        }
        if (!is_infile_refused(*err))
            return FALSE;
        if (g_atomic_int_compare_and_exchange(&w->ctx->infile_refused, 0, 1))
            WLOG_WARN("the server refuses LOAD DATA LOCAL INFILE (%s); loading .dat files as INSERT "
                      "statements instead (slower)", (*err)->message);
        g_clear_error(err);
        /* The refused statement changed nothing; the transaction goes on. */
    }
    if (!dat_as_inserts(cr, stmt, len, err))
        return FALSE;
    return check_crc(cr, cr->c->dat_path, err);
}

static gboolean run_chunk(worker *w, wharf_load_chunk *c, GError **err)
{
    wharf_load_ctx *ctx = w->ctx;
    wharf_load_table *t = c->table;
    if (c->sql_path == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                    "%s has no .sql twin holding its LOAD DATA statement", base(c->dat_path));
        return FALSE;
    }
    if (!use_db(w, t->db->target, err))
        return FALSE;
    /* A retry may follow a COMMIT whose answer was lost: only COUNT(*) can
     * tell how many rows the table has. */
    if (w->attempt > 0)
        g_atomic_int_set(&t->rows_inexact, 1);
    char *jkey = ctx->journal ? wharf_load_job_key(WHARF_LJ_CHUNK, c) : NULL;
    if (jkey && w->attempt > 0) {
        /* the COMMIT of the last attempt may have happened: its marker says */
        gboolean marked = FALSE;
        if (!wharf_journal_marked_now(ctx->journal, w->conn, jkey, &marked, err)) {
            g_free(jkey);
            return FALSE;
        }
        if (marked) {
            WLOG_DEBUG("chunk %s: committed by the previous attempt", c->name);
            g_free(jkey);
            return TRUE;
        }
    }
    chunk_run cr = {.w = w, .c = c};
    gboolean ok = execs(w, "START TRANSACTION", err);
    if (ok) {
        if (c->dat_path) {
            dat_run dr = {&cr, FALSE};
            ok = each_statement(w, c->sql_path, &(wharf_ddl_scope){WHARF_SCOPE_DATA, t->db->name, t->name}, dat_stmt, &dr, err);
            if (ok && !dr.loaded) {
                g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, "%s: no LOAD DATA statement for %s",
                            base(c->sql_path), base(c->dat_path));
                ok = FALSE;
            }
        } else {
            ok = chunk_sql(&cr, use_bulk(&cr), err);
            if (!ok && cr.redo_as_inserts) {
                WLOG_INFO("%s: not sent as LOAD DATA (%s): running its INSERT statements", base(c->sql_path),
                          cr.redo_as_inserts);
                g_clear_pointer(&cr.redo_as_inserts, g_free);
                wharf_counter_add(&ctx->progress.rows_done, -cr.rows);
                cr.rows = 0;
                ok = execs(w, "ROLLBACK", err) && execs(w, "START TRANSACTION", err) && chunk_sql(&cr, FALSE, err);
            }
        }
    }
    if (ok && jkey) {
        /* the chunk's "done", in its own transaction */
        char *mark = wharf_journal_mark_sql(ctx->journal, jkey);
        ok = execs(w, mark, err);
        g_free(mark);
    }
    g_free(jkey);
    if (ok)
        ok = execs(w, "COMMIT", err);
    if (ok)
        wharf_fault_point("load-chunk-after-commit");
    if (!ok) {
        if (!wharf_error_is_connection_lost(*err)) {
            GError *e2 = NULL;
            if (!execs(w, "ROLLBACK", &e2)) {
                g_clear_error(&e2);
                drop_conn(w);
            }
        }
        /* Take this attempt's work back from the progress. */
        wharf_counter_add(&ctx->progress.rows_done, -cr.rows);
        wharf_counter_add(&ctx->progress.bytes_done, -cr.disk_bytes);
        const char *file = c->dat_path ? c->dat_path : c->sql_path;
        if (strstr((*err)->message, base(file)) == NULL)
            wharf_error_prefix(err, "%s", base(file));
        return FALSE;
    }
    wharf_counter_add(&t->rows_loaded, cr.rows);
    wharf_counter_add(&ctx->rows_loaded, cr.rows);
    wharf_counter_add(&ctx->bytes_loaded, (gint64)cr.bytes);
    wharf_counter_add(&ctx->chunks_loaded, 1);
    return TRUE;
}

/* --- verify -------------------------------------------------------------- */

static gboolean run_verify(worker *w, wharf_load_table *t, GError **err)
{
    const wharf_load_opts *o = w->ctx->o;
    if (!t->created && t->existing == WHARF_EXISTING_TABLE && o->if_exists == WHARF_IF_EXISTS_APPEND) {
        WLOG_DEBUG("%s: appended to an existing table, row count not compared", t->display);
        return TRUE;
    }
    /* The table was empty and every row the server acknowledged in this
     * run's committed chunks was an added row: that count is the table's row
     * count, without scanning it (a COUNT(*) right after a sorted index build
     * looks up the clustered record of every row). Any doubt, or a
     * mismatch, and the server counts. */
    if (t->fresh && !g_atomic_int_get(&t->rows_inexact) &&
        wharf_counter_get(&t->rows_loaded) == t->meta->rows) {
        WLOG_DEBUG("%s: %" G_GINT64_FORMAT " rows loaded, as in the metadata", t->display, t->meta->rows);
        return TRUE;
    }
    /* A table dumped with its history counted every version of every row. */
    char *q = g_strdup_printf("SELECT COUNT(*) FROM %s%s", t->qname,
                              t->meta->history ? " FOR SYSTEM_TIME ALL" : "");
    char *v = wharf_conn_query_value(w->conn, q, err);
    g_free(q);
    if (v == NULL)
        return err == NULL || *err == NULL ? TRUE : FALSE;
    gint64 n = g_ascii_strtoll(v, NULL, 10);
    g_free(v);
    if (n != t->meta->rows) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "%s has %" G_GINT64_FORMAT " rows after loading, metadata says %" G_GINT64_FORMAT,
                    t->display, n, t->meta->rows);
        return FALSE;
    }
    return TRUE;
}

/* --- dispatch and retries ------------------------------------------------ */

static gboolean run_once(worker *w, wharf_job *job, GError **err)
{
    void *p = wharf_job_payload(job);
    switch ((wharf_load_job_kind)wharf_job_kind(job)) {
    case WHARF_LJ_PROBLEM:
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, "%s", (const char *)p);
        return FALSE;
    case WHARF_LJ_BARRIER:
        return TRUE;
    case WHARF_LJ_DATABASE: return run_database(w, p, err);
    case WHARF_LJ_TABLE: return run_table(w, p, err);
    case WHARF_LJ_CHUNK: return run_chunk(w, p, err);
    case WHARF_LJ_TABLE_DONE: return run_table_done(w, p, err);
    case WHARF_LJ_FKS: return run_fks(w, p, err);
    case WHARF_LJ_VIEW: return run_view(w, p, err);
    case WHARF_LJ_TRIGGERS: return run_triggers(w, p, err);
    case WHARF_LJ_DB_TRIGGERS: return run_db_triggers(w, p, err);
    case WHARF_LJ_ROUTINES: return run_post(w, p, FALSE, err);
    case WHARF_LJ_EVENTS: return run_post(w, p, TRUE, err);
    case WHARF_LJ_VERIFY: return run_verify(w, p, err);
    }
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "unknown job kind %d", wharf_job_kind(job));
    return FALSE;
}

static gboolean needs_conn(int kind)
{
    return kind != WHARF_LJ_PROBLEM && kind != WHARF_LJ_BARRIER;
}

static gboolean journaled_kind(int kind)
{
    return kind != WHARF_LJ_PROBLEM && kind != WHARF_LJ_BARRIER && kind != WHARF_LJ_VERIFY;
}

/* A job a previous run completed (--resume). */
static gboolean resume_job(worker *w, wharf_job *job, GError **err)
{
    wharf_load_ctx *ctx = w->ctx;
    wharf_counter_add(&ctx->n_resumed, 1);
    WLOG_DEBUG("%s: done by a previous run (--resume)", wharf_job_name(job));
    if (wharf_job_kind(job) == WHARF_LJ_CHUNK)
        g_atomic_int_set(&((wharf_load_chunk *)wharf_job_payload(job))->table->rows_inexact, 1);
    if (wharf_job_kind(job) == WHARF_LJ_TABLE) {
        wharf_load_table *t = wharf_job_payload(job);
        const wharf_load_opts *o = ctx->o;
        table_run tr = {t, FALSE, !o->no_data && o->defer != WHARF_DEFER_OFF && t->has_fks, TRUE};
        if (t->schema_path && !each_statement(w, t->schema_path, &(wharf_ddl_scope){WHARF_SCOPE_TABLE, t->db->name, t->name}, table_stmt, &tr, err)) {
            wharf_error_prefix(err, "%s: %s", wharf_job_name(job), base(t->schema_path));
            return FALSE;
        }
        t->created = TRUE;
    }
    return TRUE;
}

static gboolean run_attempts(worker *w, wharf_job *job, const char *jkey, GError **err);

/* A table some of whose chunks a previous run committed was created by it,
 * even if the crash came before its own journal line. */
static gboolean has_done_chunk(wharf_load_ctx *ctx, wharf_load_table *t)
{
    for (guint i = 0; i < t->chunks->len; i++) {
        char *k = wharf_load_job_key(WHARF_LJ_CHUNK, t->chunks->pdata[i]);
        gboolean d = wharf_journal_done(ctx->journal, k);
        g_free(k);
        if (d)
            return TRUE;
    }
    return FALSE;
}

gboolean wharf_restore_run(void *pw, wharf_job *job, GError **err)
{
    worker *w = pw;
    wharf_load_ctx *ctx = w->ctx;
    int kind = wharf_job_kind(job);
    char *jkey = ctx->journal && journaled_kind(kind) ? wharf_load_job_key(kind, wharf_job_payload(job)) : NULL;
    if (jkey && (wharf_journal_done(ctx->journal, jkey) ||
                 (kind == WHARF_LJ_TABLE && has_done_chunk(ctx, wharf_job_payload(job))))) {
        g_free(jkey);
        return resume_job(w, job, err);
    }
    gboolean r = run_attempts(w, job, jkey, err);
    g_free(jkey);
    return r;
}

/* Attempts of one job, retried on transient errors; jkey: its journal key,
 * or NULL when not journaled. */
static gboolean run_attempts(worker *w, wharf_job *job, const char *jkey, GError **err)
{
    wharf_load_ctx *ctx = w->ctx;
    int kind = wharf_job_kind(job);
    /* Jobs that follow this run's own DDL may see 1146 briefly. */
    gboolean after_ddl = kind != WHARF_LJ_DATABASE && kind != WHARF_LJ_TABLE;
    wharf_retry rt;
    wharf_retry_init(&rt);
    for (;;) {
        w->attempt = rt.attempt;
        GError *e = NULL;
        gboolean ok = TRUE;
        if (needs_conn(kind) && w->conn == NULL) {
            w->conn = wharf_restore_connect(ctx, &e);
            ok = w->conn != NULL;
        }
        gint64 t0 = g_get_monotonic_time();
        if (ok && needs_conn(kind)) {
            if ((ok = wharf_run_busy_begin(ctx->run, (guint)w->index, w->conn, &e))) {
                ok = run_once(w, job, &e);
                wharf_run_busy_end(ctx->run, (guint)w->index);
            }
        } else if (ok) {
            ok = run_once(w, job, &e);
        }
        WLOG_DEBUG("worker %d: %s %s in %.3f s", w->index, wharf_job_name(job), ok ? "done" : "failed",
                   (double)(g_get_monotonic_time() - t0) / 1e6);
        if (ok && jkey)
            return wharf_journal_add(ctx->journal, jkey, kind != WHARF_LJ_CHUNK, err);
        if (ok)
            return TRUE;
        /* A failed job may have left its session changed (sql_mode,
         * character set, time zone): the retry, or the next job, gets a
         * fresh connection. */
        drop_conn(w);
        gboolean transient = after_ddl ? wharf_error_is_transient_after_ddl(e) : wharf_error_is_transient(e);
        if (!wharf_retry_again(&rt, ctx->run, wharf_job_name(job), "on a new connection", transient, e, err))
            return FALSE;
    }
}
