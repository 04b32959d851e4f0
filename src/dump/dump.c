/* dump driver: options, phases, jobs, metadata.
 *
 * The jobs run on the run engine (src/engine): the scheduler's worker pool,
 * the run's stop and interrupt (KILL QUERY of every busy slot), and the one
 * retry policy. A dump is fail-fast: its first error stops the run.
 *
 * Lock order (see docs/design-dump.md): dump_ctx.elock is a leaf, never
 * held while calling into another module; the engine's locks,
 * wharf_snapshot.lock and the console lock are leaves taken inside calls.
 *
 * Retries: every unit of work (a database's schema, a table's schema, its
 * chunk plan, one data chunk) is retried on its own after a transient error
 * (wharf_error_is_transient), by engine/retry's policy; the wait ends when
 * the run stops. Autocommit work reconnects; a data chunk whose snapshot
 * session lost its connection moves to another (spare) session of the same
 * snapshot, its partial file discarded.
 */
#include "dump/dump.h"

#include "core/cli.h"
#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"
#include "core/fault.h"
#include "core/stream.h"
#include "core/summary.h"
#include "dump/accounts.h"
#include "dump/catalog.h"
#include "dump/chunker.h"
#include "dump/guard.h"
#include "dump/outstream.h"
#include "dump/rows.h"
#include "dump/schema.h"
#include "dump/snapshot.h"
#include "engine/retry.h"
#include "engine/run.h"
#include "engine/sched.h"
#include "format/layout.h"
#include "format/checksum.h"
#include "format/metadata.h"
#include "objstore/s3dir.h"

#include <errno.h>
#include <mysqld_error.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_CHUNK_MB 64
/* Without --chunk-size/--rows the chunk size is DEFAULT_CHUNK_MB, or less
 * so that the data makes about CHUNKS_PER_THREAD chunks per thread (the
 * last chunks then finish together), but not below MIN_AUTO_CHUNK_MB. */
#define CHUNKS_PER_THREAD 4
#define MIN_AUTO_CHUNK_MB 4
#define DEFAULT_STATEMENT_SIZE (1024 * 1024)
/* zstd level 1, not the library's 3: on dump text (INSERTs, TSV) it runs
 * about twice as fast (620 vs 320 MB/s on the bench's wide data) for the
 * same ratio (5.1x vs 4.8x there), and compression is most of the dump's
 * own CPU. See docs/design-dump.md, "Compression". */
#define DEFAULT_ZSTD_LEVEL 1
#define DEFAULT_SNAPSHOT_BUDGET 1500
#define DEFAULT_LONG_QUERY_GUARD 60 /* seconds, as mydumper's --long-query-guard */
#define DEFAULT_LOCK_WAIT_TIMEOUT 30 /* seconds: the longest a DDL colliding with the dump blocks */
#define SESSION_SQL_MODE "NO_AUTO_VALUE_ON_ZERO" /* set by wharf_conn_open */
#define SPARE_SESSIONS 2     /* snapshot sessions kept for the ones that die */
#define SCHEMA_BATCH 64      /* tables whose SHOW CREATE share a round trip */

/* Options: parsed once, then read-only. */
struct wharf_dump_opts {
    wharf_cli_common common;
    char *outdir;
    char **databases_raw, **tables_raw, **exclude_raw, **where;
    char *regex;
    gboolean no_data, no_schema, no_ddl_lock;
    gboolean users, no_users; /* --users / --no-users */
    int lock_wait_timeout; /* --lock-wait-timeout, -1 = not given */
    wharf_guard_opts guard; /* --long-query-guard, --long-query-wait, --kill-long-queries */
    char *format, *compress, *lock, *statement_size;
    int compress_level;
    gint64 rows;
    int chunk_size_mb;
    int snapshot_budget;
    char *spool_dir, *spool_max; /* -o -: where the spool goes, its bound */
    wharf_s3_opts s3;            /* --s3-*: for -o s3://BUCKET/PREFIX */
    /* derived */
    gboolean stream;      /* -o -: the dump goes to stdout (dump/outstream.h) */
    gboolean to_s3;       /* -o s3://: every file through the bucket's hook (objstore/s3dir.h) */
    gboolean dump_users;  /* accounts are dumped (--users, or a whole-server dump) */
    guint64 spool_bytes;  /* -o -: files waiting in the spool before writers wait */
    wharf_filter filter;
    wharf_outdir out;
    wharf_lock_method lock_method;
};
typedef struct wharf_dump_opts dump_opts;

/* Per table: planned chunks and their results. */
typedef struct table_state {
    wharf_cat_table *t;
    wharf_chunk_plan plan;
    wharf_rows_result *results; /* [n_chunks]; slot i written only by the
                                   worker that ran chunk i, read after join */
    guint n_chunks;             /* plan.where->len, kept after the plan is
                                   released (when its last chunk is done) */
    gint remaining;             /* atomic: chunks not yet done */
    gint64 unit;                /* bytes of its biggest job: the whole table
                                   when it cannot be split (scheduling order) */
    struct job *chunk_jobs;     /* [n_chunks]: payloads of its chunk jobs */
    struct dump_ctx *c;         /* a copy's reads come with the chunk alone */
} table_state;

/* JOB_BATCH: small base tables (one chunk each by their estimate) whose
 * SHOW CREATE TABLE go to the server in one round trip; then each table's
 * data as in JOB_TABLE. */
/* JOB_ACCOUNTS: the server's users and roles (dump/accounts.h). */
typedef enum { JOB_DB, JOB_TABLE, JOB_BATCH, JOB_CHUNK, JOB_ACCOUNTS } job_kind;

typedef struct job {
    job_kind kind;  /* the scheduler job's kind too */
    wharf_cat_db *db;
    table_state *ts;
    guint chunk;
    table_state **batch; /* JOB_BATCH: n_batch tables */
    guint n_batch;
} job;

static void job_free(gpointer p)
{
    job *j = p;
    if (j) {
        g_free(j->batch);
        g_free(j);
    }
}

typedef struct worker worker;

typedef struct dump_ctx {
    /* A copy's source (wharf_dump_run_source), else NULL: files go to its
     * hooks, chunks are read only when the load asks (read-only). */
    const wharf_dump_source_hooks *source;
    const dump_opts *o;
    wharf_catalog *cat;
    wharf_snapshot *snap;
    wharf_progress progress;
    table_state *states; /* one per cat->tables entry */
    gint64 chunk_bytes;  /* chunk size in bytes, 0 = not by size (set before
                            the workers start, then read-only) */
    wharf_run *run;      /* stop, interrupt, busy slots (workers, then the
                            driver's SLOT_DRIVER and SLOT_LOCK) */
    wharf_sched *sched;  /* the jobs; chunks are added as tables are planned */
    gint64 accounts;     /* users and roles written (-1: none), by the accounts
                            job only, read after the workers are joined */
    GPtrArray *jobs;     /* job payloads of the initial jobs (owned) */

    /* elock guards error (the first error) and stream. */
    GMutex elock;
    GError *error;
    wharf_outstream *stream; /* -o -: cancelled when the run stops */
} dump_ctx;

/* One per scheduler worker: slot id of the run. */
struct worker {
    dump_ctx *c;
    guint id;
    MYSQL *aux;             /* autocommit: SHOW CREATE, chunk planning; NULL
                               until needed and after a lost connection */
    gboolean aux_multi;     /* multi statements are on for aux */
    wharf_snap_session *ss; /* current snapshot session */
};

/* ------------------------------------------------------------------ */
/* errors and retries */

static void record_error(dump_ctx *c, GError *e)
{
    g_mutex_lock(&c->elock);
    if (c->error == NULL)
        c->error = e;
    else
        g_error_free(e);
    g_mutex_unlock(&c->elock);
}

/* After a failed attempt of `what` (which e names): TRUE when it is to be
 * retried (warning logged, backoff waited, e freed); FALSE with the error in
 * *err otherwise. `how` says where the retry runs. */
static gboolean retry_or_fail(dump_ctx *c, wharf_retry *rt, const char *what, const char *how, GError *e,
                              GError **err)
{
    /* A lock wait timeout in a dump is a collision with the dump's own DDL
     * lock (a DDL waiting for it holds what the dump waits for): retrying
     * would block the application again. */
    gboolean lock_timeout = e->domain == WHARF_SQL_ERROR && e->code == ER_LOCK_WAIT_TIMEOUT;
    if (lock_timeout && !wharf_run_stopping(c->run))
        wharf_error_prefix(&e, "%s: the dump's lock wait ended (a DDL statement that collides with the "
                           "dump's DDL lock holds what the dump needs; the dump stops and releases its locks "
                           "so the DDL and the application go on)", what);
    return wharf_retry_again(rt, c->run, what, how, !lock_timeout && wharf_error_is_transient(e), e, err);
}

/* One unit of autocommit work on the worker's aux connection. */
typedef gboolean (*aux_step)(worker *w, gpointer arg, GError **err);

/* Run step on the aux connection, reconnecting and retrying after transient
 * errors. Every step is idempotent: it writes whole files atomically (a
 * retry replaces them) or only reads. */
static gboolean with_aux_retry(worker *w, const char *what, aux_step step, gpointer arg,
                               GError **err)
{
    dump_ctx *c = w->c;
    wharf_retry rt;
    wharf_retry_init(&rt);
    for (;;) {
        GError *e = NULL;
        gboolean ok = TRUE;
        if (w->aux == NULL) {
            w->aux = wharf_conn_open(&c->o->common.conn, &e);
            ok = w->aux != NULL;
        }
        if (ok && (ok = wharf_run_busy_begin(c->run, w->id, w->aux, &e))) {
            ok = step(w, arg, &e);
            wharf_run_busy_end(c->run, w->id);
        }
        if (ok)
            return TRUE;
        if (!retry_or_fail(c, &rt, what, "on a new connection", e, err))
            return FALSE;
        wharf_conn_close(w->aux);
        w->aux = NULL;
        w->aux_multi = FALSE;
    }
}

/* ------------------------------------------------------------------ */
/* jobs */

static gint64 target_rows(const dump_ctx *c, const wharf_cat_table *t)
{
    gint64 r = G_MAXINT64;
    if (c->o->rows > 0)
        r = c->o->rows;
    if (c->chunk_bytes > 0) {
        gint64 avg = t->avg_row_length > 0 ? t->avg_row_length : 100;
        r = MIN(r, MAX(c->chunk_bytes / avg, 1));
    }
    return r;
}

/* The chunk size: --chunk-size, or with neither it nor --rows, the default
 * lowered for a small dump so that every thread gets several chunks. */
static gint64 chunk_bytes_for(const dump_opts *o, const wharf_catalog *cat)
{
    if (o->chunk_size_mb > 0)
        return (gint64)o->chunk_size_mb * 1024 * 1024;
    if (o->rows > 0)
        return 0;
    gint64 total = 0;
    for (guint i = 0; i < cat->tables->len; i++)
        total += ((wharf_cat_table *)cat->tables->pdata[i])->data_length;
    gint64 per = total / ((gint64)MAX(o->common.threads, 1) * CHUNKS_PER_THREAD);
    return CLAMP(per, (gint64)MIN_AUTO_CHUNK_MB * 1024 * 1024,
                 (gint64)DEFAULT_CHUNK_MB * 1024 * 1024);
}

/* The snapshot session to read table t with: the worker's current one,
 * or a fresh one once the current one has read `budget` distinct tables or
 * died. NULL when no session is left. */
static wharf_snap_session *session_for(worker *w, const wharf_cat_table *t)
{
    dump_ctx *c = w->c;
    wharf_snap_session *ss = w->ss;
    guint budget = (guint)c->o->snapshot_budget;
    if (ss && ss->tables_used >= budget && !g_hash_table_contains(ss->touched, t)) {
        wharf_snap_session *next = wharf_snapshot_acquire(c->snap);
        if (next) {
            GError *e = NULL;
            if (!wharf_snapshot_release(c->snap, ss, &e)) {
                WLOG_WARN("closing snapshot session %u: %s", ss->index, e->message);
                g_error_free(e);
            }
            WLOG_DEBUG("worker %u: session %u read %u tables, moving to session %u", w->id,
                       ss->index, ss->tables_used, next->index);
            ss = w->ss = next;
        }
    }
    if (ss == NULL)
        ss = w->ss = wharf_snapshot_acquire(c->snap);
    if (ss == NULL)
        return NULL;
    if (!g_hash_table_contains(ss->touched, t)) {
        g_hash_table_add(ss->touched, (gpointer)t);
        ss->tables_used++;
    }
    return ss;
}

static void table_finished(dump_ctx *c)
{
    wharf_counter_add(&c->progress.objects_done, 1);
}

static char *chunk_what(const table_state *ts, guint i)
{
    char *tn = wharf_quote_table(ts->t->db, ts->t->name);
    char *what = ts->n_chunks > 1 ? g_strdup_printf("table %s chunk %u", tn, i)
                                         : g_strdup_printf("table %s", tn);
    g_free(tn);
    return what;
}

/* Read chunk i on a snapshot session. After a lost connection the session
 * is dead (its transaction cannot be reopened on the same snapshot): the
 * partial file is already discarded by rows, and the chunk is read again on
 * another session, which sees the same snapshot. */
static gboolean run_chunk(worker *w, table_state *ts, guint i, GError **err)
{
    dump_ctx *c = w->c;
    const wharf_cat_table *t = ts->t;
    char *what = chunk_what(ts, i);
    char *lost = NULL; /* the last lost session's error */
    wharf_retry rt;
    wharf_retry_init(&rt);
    gboolean ok = FALSE;
    for (;;) {
        GError *e = NULL;
        wharf_snap_session *ss = session_for(w, t);
        if (ss == NULL) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED,
                        "%s: no live snapshot session is left to read it from the dump's"
                        " snapshot (%u opened%s%s)",
                        what, c->snap->sessions->len, lost ? "; the last one was lost: " : "",
                        lost ? lost : "");
            break;
        }
        if (wharf_run_busy_begin(c->run, w->id, ss->conn, &e)) {
            ok = wharf_rows_dump_chunk(ss->conn, &c->o->out, t, ts->plan.where->pdata[i],
                                       ts->plan.order_by, i, &c->progress, &ts->results[i], &e);
            wharf_run_busy_end(c->run, w->id);
        }
        if (ok)
            break;
        const char *how = "on the same snapshot session";
        if (wharf_error_is_connection_lost(e)) {
            g_free(lost);
            lost = g_strdup_printf("session %u: %s", ss->index, e->message);
            wharf_snapshot_discard(c->snap, ss);
            w->ss = NULL;
            how = "on another snapshot session";
        }
        if (!retry_or_fail(c, &rt, what, how, e, err))
            break;
    }
    g_free(lost);
    if (ok && g_atomic_int_dec_and_test(&ts->remaining)) {
        /* Every chunk is read: its conditions are not needed any more. */
        wharf_chunk_plan_clear(&ts->plan);
        table_finished(c);
    }
    if (!ok && err && *err && !g_str_has_prefix((*err)->message, what))
        wharf_error_prefix(err, "%s", what);
    g_free(what);
    return ok;
}

static gboolean step_schema(worker *w, gpointer arg, GError **err)
{
    const wharf_cat_table *t = arg;
    const wharf_outdir *out = &w->c->o->out;
    if (w->c->o->no_schema) /* data only, but triggers go with the data */
        return t->kind != WHARF_OBJ_TABLE || wharf_schema_triggers(w->aux, out, t, err);
    return t->kind == WHARF_OBJ_VIEW ? wharf_schema_view(w->aux, out, t, err)
                                     : wharf_schema_table(w->aux, out, t, err);
}

static gboolean step_plan(worker *w, gpointer arg, GError **err)
{
    table_state *ts = arg;
    if (!wharf_chunker_plan(w->aux, ts->t, target_rows(w->c, ts->t), &ts->plan, err)) {
        char *tn = wharf_quote_table(ts->t->db, ts->t->name);
        wharf_error_prefix(err, "splitting table %s into chunks", tn);
        g_free(tn);
        return FALSE;
    }
    return TRUE;
}

static gboolean step_db(worker *w, gpointer arg, GError **err)
{
    const wharf_cat_db *d = arg;
    const wharf_outdir *out = &w->c->o->out;
    /* A --no-schema dump keeps routines and events (as mydumper -m -R -E). */
    return (w->c->o->no_schema || wharf_schema_database(w->aux, out, d, err)) &&
           wharf_schema_post(w->aux, out, d, err);
}

static gboolean step_accounts(worker *w, gpointer arg, GError **err)
{
    (void)arg;
    wharf_accounts_result r;
    if (!wharf_accounts_dump(w->aux, &w->c->o->out, &r, err)) {
        wharf_accounts_result_clear(&r);
        return FALSE;
    }
    w->c->accounts = (gint64)r.users + r.roles;
    WLOG_INFO("accounts: %u user(s) and %u role(s) with their grants; left out %u account(s) the server has of its"
              " own%s%s%s",
              r.users, r.roles, r.left_out, r.left_out ? " (" : "", r.left_out ? r.left_out_names : "",
              r.left_out ? ")" : "");
    wharf_accounts_result_clear(&r);
    return TRUE;
}

static gboolean step_schema_batch(worker *w, gpointer arg, GError **err)
{
    job *j = arg;
    if (!w->aux_multi) {
        if (mysql_set_server_option(w->aux, MYSQL_OPTION_MULTI_STATEMENTS_ON) != 0) {
            wharf_conn_set_error(w->aux, "enabling multi statements", err);
            return FALSE;
        }
        w->aux_multi = TRUE;
    }
    wharf_cat_table **t = g_new(wharf_cat_table *, j->n_batch);
    for (guint i = 0; i < j->n_batch; i++)
        t[i] = j->batch[i]->t;
    gboolean ok = wharf_schema_tables(w->aux, &w->c->o->out, t, j->n_batch, err);
    g_free(t);
    return ok;
}

static char *table_what(const wharf_cat_table *t)
{
    char *tn = wharf_quote_table(t->db, t->name);
    char *what = g_strdup_printf("%s %s",
                                 t->kind == WHARF_OBJ_VIEW       ? "view"
                                 : t->kind == WHARF_OBJ_SEQUENCE ? "sequence"
                                                                 : "table",
                                 tn);
    g_free(tn);
    return what;
}

/* A copy: the chunks of a table are named to the copy, which asks for
 * each when its load reads it (wharf_dump_source_read). */
static gboolean announce_chunks(dump_ctx *c, table_state *ts)
{
    ts->c = c;
    ts->chunk_jobs = g_new0(job, ts->n_chunks);
    gint64 est = ts->t->data_length / MAX((gint64)ts->n_chunks, 1);
    for (guint i = 0; i < ts->n_chunks; i++) {
        job *j = &ts->chunk_jobs[i];
        j->kind = JOB_CHUNK;
        j->ts = ts;
        j->chunk = i;
        char *name = wharf_layout_chunk(ts->t->fdb, ts->t->fname, i, "sql", WHARF_COMPRESS_NONE);
        c->source->chunk(c->source->data, name, est, j);
        g_free(name);
    }
    table_finished(c);
    return TRUE;
}

/* A copy's read of one chunk: one attempt. Its failure reaches the load
 * through the chunk's stream (the load retries it, and so asks again);
 * the source itself goes on. */
static gboolean source_chunk(worker *w, table_state *ts, guint i)
{
    dump_ctx *c = w->c;
    GError *e = NULL;
    char *name = wharf_layout_chunk(ts->t->fdb, ts->t->fname, i, "sql", WHARF_COMPRESS_NONE);
    wharf_rows_result *r = &ts->results[i];
    g_free(r->file);
    g_free(r->range);
    memset(r, 0, sizeof *r);
    wharf_snap_session *ss = session_for(w, ts->t);
    gboolean ok = FALSE;
    if (ss == NULL)
        g_set_error(&e, WHARF_ERROR, WHARF_ERROR_FAILED, "no live snapshot session is left to read it");
    else if (wharf_run_busy_begin(c->run, w->id, ss->conn, &e)) {
        ok = wharf_rows_dump_chunk(ss->conn, &c->o->out, ts->t, ts->plan.where->pdata[i], ts->plan.order_by, i,
                                   &c->progress, r, &e);
        wharf_run_busy_end(c->run, w->id);
    }
    if (!ok) {
        if (ss && wharf_error_is_connection_lost(e)) {
            wharf_snapshot_discard(c->snap, ss);
            w->ss = NULL;
        }
        WLOG_DEBUG("%s: %s", name, e->message);
        c->source->failed(c->source->data, name, e);
        g_error_free(e);
    }
    g_free(name);
    return TRUE;
}

/* A table's data, once its schema is written: plan, then chunk 0 here and
 * the others as jobs. */
static gboolean run_table_data(worker *w, table_state *ts, GError **err);

static gboolean run_table(worker *w, table_state *ts, GError **err)
{
    dump_ctx *c = w->c;
    const dump_opts *o = c->o;
    wharf_cat_table *t = ts->t;
    char *what = table_what(t);
    gboolean ok = with_aux_retry(w, what, step_schema, t, err);
    g_free(what);
    /* A sequence's state is its data: one chunk (INSERT of its row). */
    if (ok && (t->kind == WHARF_OBJ_VIEW || o->no_data)) {
        table_finished(c);
        return TRUE;
    }
    return ok && run_table_data(w, ts, err);
}

static gboolean run_batch(worker *w, job *j, GError **err)
{
    dump_ctx *c = w->c;
    const dump_opts *o = c->o;
    if (o->no_schema) {
        for (guint i = 0; i < j->n_batch; i++) {
            char *what = table_what(j->batch[i]->t);
            gboolean ok = with_aux_retry(w, what, step_schema, j->batch[i]->t, err);
            g_free(what);
            if (!ok)
                return FALSE;
        }
    } else {
        char *a = wharf_quote_table(j->batch[0]->t->db, j->batch[0]->t->name);
        char *b = wharf_quote_table(j->batch[j->n_batch - 1]->t->db,
                                    j->batch[j->n_batch - 1]->t->name);
        char *what = g_strdup_printf("schema of %u tables (%s ... %s)", j->n_batch, a, b);
        gboolean ok = with_aux_retry(w, what, step_schema_batch, j, err);
        g_free(what);
        g_free(a);
        g_free(b);
        if (!ok)
            return FALSE;
    }
    for (guint i = 0; i < j->n_batch; i++) {
        if (o->no_data)
            table_finished(c);
        else if (!run_table_data(w, j->batch[i], err))
            return FALSE;
    }
    return TRUE;
}

static gboolean run_table_data(worker *w, table_state *ts, GError **err)
{
    dump_ctx *c = w->c;
    wharf_cat_table *t = ts->t;
    char *what = table_what(t);
    gboolean ok = with_aux_retry(w, what, step_plan, ts, err);
    g_free(what);
    if (!ok)
        return FALSE;
    guint n = ts->plan.where->len;
    if (ts->plan.why_unsplit)
        WLOG_INFO("`%s`.`%s` (about %" G_GINT64_FORMAT " rows) is dumped as one stream: %s", t->db,
                  t->name, t->rows_estimate, ts->plan.why_unsplit);
    else if (n > 1)
        WLOG_DEBUG("`%s`.`%s`: %u chunks", t->db, t->name, n);
    ts->results = g_new0(wharf_rows_result, n);
    ts->n_chunks = n;
    g_atomic_int_set(&ts->remaining, (gint)n);
    if (c->source)
        return announce_chunks(c, ts);
    /* The other chunks go to the front of the queue, so a table's chunks are
     * read together (fewer tables per snapshot session, files in order). */
    ts->chunk_jobs = g_new0(job, n);
    for (guint i = n; i-- > 1;) {
        job *j = &ts->chunk_jobs[i];
        j->kind = JOB_CHUNK;
        j->ts = ts;
        j->chunk = i;
        char name[48];
        g_snprintf(name, sizeof name, "chunk %u", i);
        wharf_sched_add_ready(c->sched, JOB_CHUNK, j, name, TRUE);
    }
    return run_chunk(w, ts, 0, err);
}

static gboolean run_job(worker *w, job *j, GError **err)
{
    if (j->kind == JOB_CHUNK && w->c->source)
        return source_chunk(w, j->ts, j->chunk);
    switch (j->kind) {
    case JOB_DB: {
        char *id = wharf_quote_ident(j->db->name);
        char *what = g_strdup_printf("database %s", id);
        gboolean ok = with_aux_retry(w, what, step_db, j->db, err);
        g_free(what);
        g_free(id);
        return ok;
    }
    case JOB_TABLE:
        return run_table(w, j->ts, err);
    case JOB_BATCH:
        return run_batch(w, j, err);
    case JOB_CHUNK:
        return run_chunk(w, j->ts, j->chunk, err);
    case JOB_ACCOUNTS:
        return with_aux_retry(w, "accounts", step_accounts, NULL, err);
    }
    return TRUE;
}

/* The scheduler's callbacks. */
static gboolean sched_run(void *pw, wharf_job *sj, GError **err)
{
    worker *w = pw;
    if (run_job(w, wharf_job_payload(sj), err))
        return TRUE;
    record_error(w->c, g_error_copy(*err));
    return FALSE;
}

static void *sched_worker_new(void *ctx, int index)
{
    worker *w = g_new0(worker, 1);
    w->c = ctx;
    w->id = (guint)index;
    return w;
}

static void sched_worker_free(void *pw)
{
    worker *w = pw;
    dump_ctx *c = w->c;
    GError *e = NULL;
    if (w->ss) {
        /* A read-only transaction: a failed COMMIT loses nothing. */
        if (!wharf_snapshot_release(c->snap, w->ss, &e))
            WLOG_DEBUG("closing snapshot session %u: %s", w->ss->index, e->message);
        g_clear_error(&e);
    }
    wharf_conn_close(w->aux);
    g_free(w);
}

/* ------------------------------------------------------------------ */
/* options */

static gboolean parse_size(const char *s, gint64 *out)
{
    char *end = NULL;
    double v = g_ascii_strtod(s, &end);
    if (end == s || v <= 0)
        return FALSE;
    gint64 mult = 1;
    switch (g_ascii_toupper(*end)) {
    case '\0': break;
    case 'K': mult = 1024; end++; break;
    case 'M': mult = 1024 * 1024; end++; break;
    case 'G': mult = 1024 * 1024 * 1024; end++; break;
    default: return FALSE;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end != '\0')
        return FALSE;
    *out = (gint64)(v * (double)mult);
    return *out > 0;
}

static gboolean usage_error(GError **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean usage_error(GError **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(err, WHARF_ERROR, WHARF_ERROR_USAGE, msg);
    g_free(msg);
    return FALSE;
}

static gboolean finish_options(dump_opts *o, GError **err)
{
    if (o->outdir == NULL || *o->outdir == '\0')
        return usage_error(err, "--outputdir is required");
    if (o->no_data && o->no_schema)
        return usage_error(err, "--no-data and --no-schema together leave nothing to dump");
    if (wharf_conn_nodes(&o->common.conn) > 1)
        return usage_error(err, "-h lists %u nodes: a dump reads one server at one snapshot (name one node of a"
                                " cluster; several are for a load's or a copy's target)",
                           wharf_conn_nodes(&o->common.conn));
    o->stream = strcmp(o->outdir, "-") == 0;
    o->to_s3 = wharf_s3_is_url(o->outdir);
    if (!o->to_s3 && (o->s3.endpoint || o->s3.region || o->s3.part_size_raw || o->s3.virtual_host))
        return usage_error(err, "--s3-* options are for a dump to a bucket (-o s3://BUCKET/PREFIX)");
    if (o->to_s3 && !wharf_s3_opts_finish(&o->s3, err))
        return FALSE;
    if (!o->stream && (o->spool_dir || o->spool_max))
        return usage_error(err, "--spool-dir and --spool-max are for a dump to stdout (-o -)");
    if (o->stream && isatty(STDOUT_FILENO))
        return usage_error(err, "-o - writes the dump to stdout, which is a terminal: redirect or pipe it");
    if (o->spool_max) {
        gint64 v = 0;
        if (!parse_size(o->spool_max, &v))
            return usage_error(err, "--spool-max: '%s' is not a size (e.g. 512M, 2G)", o->spool_max);
        o->spool_bytes = (guint64)v;
    }
    o->out.dir = o->outdir;
    o->out.format = WHARF_DATA_SQL;
    if (o->format) {
        if (g_ascii_strcasecmp(o->format, "tsv") == 0)
            o->out.format = WHARF_DATA_TSV;
        else if (g_ascii_strcasecmp(o->format, "sql") != 0)
            return usage_error(err, "--format must be sql or tsv, not '%s'", o->format);
    }
    o->out.compress = WHARF_COMPRESS_ZSTD;
    if (o->compress && !wharf_compress_parse(o->compress, &o->out.compress))
        return usage_error(err, "--compress must be zstd, gzip or none, not '%s'", o->compress);
    /* Numeric options are -1 when not given; a given value must be in range. */
    if (o->compress_level != -1 &&
        (o->compress_level < 1 || (o->out.compress == WHARF_COMPRESS_GZIP && o->compress_level > 9) ||
         o->compress_level > 22))
        return usage_error(err, "--compress-level %d is out of range (zstd 1-22, gzip 1-9)",
                           o->compress_level);
    if (o->compress_level != -1 && o->out.compress == WHARF_COMPRESS_NONE)
        return usage_error(err, "--compress-level needs --compress zstd or gzip");
    if (o->rows != -1 && o->rows < 1)
        return usage_error(err, "--rows must be at least 1, not %" G_GINT64_FORMAT, o->rows);
    if (o->chunk_size_mb != -1 && o->chunk_size_mb < 1)
        return usage_error(err, "--chunk-size must be at least 1 (MB), not %d", o->chunk_size_mb);
    if (o->lock_wait_timeout != -1 && (o->lock_wait_timeout < 1 || o->lock_wait_timeout > 31536000))
        return usage_error(err, "--lock-wait-timeout must be 1 to 31536000 seconds, not %d", o->lock_wait_timeout);
    o->common.conn.lock_wait_timeout = o->lock_wait_timeout == -1 ? DEFAULT_LOCK_WAIT_TIMEOUT : (unsigned)o->lock_wait_timeout;
    if (o->snapshot_budget != -1 && o->snapshot_budget < 1)
        return usage_error(err, "--snapshot-table-budget must be at least 1, not %d", o->snapshot_budget);
    o->compress_level = MAX(o->compress_level, 0);
    o->rows = MAX(o->rows, 0);
    o->chunk_size_mb = MAX(o->chunk_size_mb, 0);
    o->out.level = o->compress_level;
    if (o->out.level == 0 && o->out.compress == WHARF_COMPRESS_ZSTD)
        o->out.level = DEFAULT_ZSTD_LEVEL;
    gint64 ss = DEFAULT_STATEMENT_SIZE;
    if (o->statement_size && !parse_size(o->statement_size, &ss))
        return usage_error(err, "--statement-size: '%s' is not a size (e.g. 1M, 65536)",
                           o->statement_size);
    if (ss < 1024)
        return usage_error(err, "--statement-size must be at least 1K");
    o->out.statement_size = (gsize)ss;
    if (o->snapshot_budget <= 0)
        o->snapshot_budget = DEFAULT_SNAPSHOT_BUDGET;
    o->lock_method = WHARF_LOCK_AUTO;
    if (o->lock && !wharf_lock_parse(o->lock, &o->lock_method))
        return usage_error(err, "--lock must be auto, backup-stage, instance, ftwrl or none, not '%s'",
                           o->lock);
    if (o->guard.seconds == -1)
        o->guard.seconds = o->lock_method == WHARF_LOCK_NONE ? 0 : DEFAULT_LONG_QUERY_GUARD;
    if (o->users && o->no_users)
        return usage_error(err, "--users and --no-users contradict each other");
    /* A whole server (no -B/-T/-x): its accounts too, unless data only. */
    o->dump_users = o->users || (!o->no_users && !o->no_schema && o->databases_raw == NULL &&
                                 o->tables_raw == NULL && o->regex == NULL);
    if (o->guard.seconds < 0 || o->guard.wait < 0)
        return usage_error(err, "--long-query-guard and --long-query-wait take seconds (0 or more)");
    return wharf_filter_init(&o->filter, o->databases_raw, o->tables_raw, o->regex, o->exclude_raw, o->where,
                             err);
}

static void opts_clear(dump_opts *o)
{
    wharf_conn_opts_clear(&o->common.conn);
    g_free(o->common.log_file);
    g_clear_pointer(&o->common.notes, g_ptr_array_unref);
    g_clear_pointer(&o->common.kinds, g_hash_table_destroy);
    g_clear_pointer(&o->common.origins, g_hash_table_destroy);
    g_free(o->outdir);
    g_free(o->spool_dir);
    g_free(o->spool_max);
    wharf_s3_opts_clear(&o->s3);
    g_free(o->common.summary_json);
    g_strfreev(o->databases_raw);
    g_strfreev(o->tables_raw);
    g_strfreev(o->exclude_raw);
    g_strfreev(o->where);
    g_free(o->regex);
    g_free(o->format);
    g_free(o->compress);
    g_free(o->lock);
    g_free(o->statement_size);
    wharf_filter_clear(&o->filter);
}

/* The output directory must not exist or be empty. */
static gboolean check_outdir(const char *dir, gboolean *exists, GError **err)
{
    *exists = FALSE;
    if (!g_file_test(dir, G_FILE_TEST_EXISTS))
        return TRUE;
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_EXISTS,
                    "output directory %s exists and is not a directory", dir);
        return FALSE;
    }
    GError *e = NULL;
    GDir *d = g_dir_open(dir, 0, &e);
    if (d == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "cannot read output directory %s: %s", dir,
                    e->message);
        g_error_free(e);
        return FALSE;
    }
    const char *name = g_dir_read_name(d);
    g_dir_close(d);
    if (name) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_EXISTS,
                    "output directory %s is not empty (it holds %s); wharf dump writes only into"
                    " a new or empty directory",
                    dir, name);
        return FALSE;
    }
    *exists = TRUE;
    return TRUE;
}

static gboolean make_outdir(const char *dir, gboolean exists, GError **err)
{
    if (exists) {
        if (g_access(dir, W_OK | X_OK) != 0) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "output directory %s is not writable: %s",
                        dir, g_strerror(errno));
            return FALSE;
        }
        return TRUE;
    }
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "cannot create output directory %s: %s", dir,
                    g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* the run */

static void warn_server_limits(MYSQL *m, gint64 n_tables, guint *max_conn)
{
    GError *e = NULL;
    MYSQL_RES *res = wharf_conn_query(
        m, "SELECT @@max_connections, @@table_open_cache, @@table_definition_cache", &e);
    *max_conn = 151;
    if (res == NULL) {
        g_clear_error(&e);
        return;
    }
    MYSQL_ROW row = mysql_fetch_row(res);
    if (row) {
        *max_conn = row[0] ? (guint)g_ascii_strtoull(row[0], NULL, 10) : 151;
        gint64 toc = row[1] ? g_ascii_strtoll(row[1], NULL, 10) : 0;
        gint64 tdc = row[2] ? g_ascii_strtoll(row[2], NULL, 10) : 0;
        if (toc > 0 && toc * 2 < n_tables)
            WLOG_WARN("table_open_cache is %" G_GINT64_FORMAT " for %" G_GINT64_FORMAT
                      " tables: the server will reopen tables constantly (raise it to at least"
                      " the table count for the dump)",
                      toc, n_tables);
        if (tdc > 0 && tdc * 2 < n_tables)
            WLOG_WARN("table_definition_cache is %" G_GINT64_FORMAT " for %" G_GINT64_FORMAT
                      " tables: table definitions will be evicted and re-read during the dump",
                      tdc, n_tables);
    }
    mysql_free_result(res);
}

static void warn_non_transactional(const wharf_catalog *cat)
{
    GString *list = g_string_new(NULL);
    guint n = 0;
    for (guint i = 0; i < cat->tables->len; i++) {
        wharf_cat_table *t = cat->tables->pdata[i];
        if (t->kind != WHARF_OBJ_TABLE || t->transactional)
            continue;
        if (n < 10)
            g_string_append_printf(list, "%s`%s`.`%s` (%s)", n ? ", " : "", t->db, t->name,
                                   t->engine ? t->engine : "?");
        n++;
    }
    if (n)
        WLOG_WARN("%u table%s not covered by the consistent snapshot (non-transactional engine;"
                  " recorded as wharf-snapshot=false): %s%s",
                  n, n == 1 ? " is" : "s are", list->str, n > 10 ? ", ..." : "");
    g_string_free(list, TRUE);
}

/* Longest job first: a table that cannot be split is one job of its whole
 * size, a split one is jobs of at most a chunk; then bigger tables first. */
static int cmp_unit_desc(gconstpointer a, gconstpointer b)
{
    const table_state *x = *(table_state *const *)a, *y = *(table_state *const *)b;
    if (x->unit != y->unit)
        return x->unit < y->unit ? 1 : -1;
    gint64 dx = x->t->data_length, dy = y->t->data_length;
    return dx < dy ? 1 : dx > dy ? -1 : 0;
}

static gboolean write_metadata(dump_ctx *c, const char *started, const wharf_server_info *si,
                               const wharf_snapshot *snap, GError **err)
{
    const dump_opts *o = c->o;
    wharf_metadata *m = wharf_metadata_new();
    m->tool = g_strdup("wharf " WHARF_VERSION);
    m->started = g_strdup(started);
    m->finished = wharf_summary_now();
    m->server_version = g_strdup(si->version_string);
    m->data_format = g_strdup(o->out.format == WHARF_DATA_TSV ? "tsv" : "sql");
    m->statement_end = g_strdup("line");
    m->compression = g_strdup(o->out.compress == WHARF_COMPRESS_ZSTD   ? "zstd"
                              : o->out.compress == WHARF_COMPRESS_GZIP ? "gzip"
                                                                       : "none");
    m->lock_method = g_strdup(wharf_lock_name(snap->method));
    m->commit_block_ms = snap->commit_block_ms;
    m->binlog_file = g_strdup(snap->binlog_file);
    m->binlog_position = snap->binlog_position;
    m->gtid = g_strdup(snap->gtid);
    m->gtid_current = g_strdup(snap->gtid_current);
    m->galera_position = g_strdup(snap->galera_position);
    m->upstream_host = g_strdup(snap->upstream_host);
    m->upstream_port = snap->upstream_port;
    m->upstream_file = g_strdup(snap->upstream_file);
    m->upstream_position = snap->upstream_position;
    m->upstream_gtid = g_strdup(snap->upstream_gtid);
    m->sql_mode = g_strdup(SESSION_SQL_MODE);
    m->time_zone = g_strdup("+00:00");
    m->content_checksum = c->source ? NULL : g_strdup(WHARF_CHECKSUM_SCHEME);
    m->accounts = c->accounts;
    /* Every data and schema file was committed without its own fsync: one
     * syncfs makes them durable before `metadata` declares the dump complete.
     * A copy's metadata goes to its hook, before any row is read. */
    wharf_metadata_writer *mw = NULL;
    gboolean ok;
    if (o->out.open) {
        wharf_writer *w = o->out.open(o->out.open_data, "metadata", err);
        ok = w != NULL && (mw = wharf_metadata_writer_open_on(m, w, err)) != NULL;
    } else {
        ok = wharf_sync_filesystem(o->outdir, err) && wharf_fsync_dir(o->outdir, err) &&
             (mw = wharf_metadata_writer_open(m, o->outdir, err)) != NULL;
    }
    wharf_metadata_free(m);
    /* One table's entry at a time, its strings borrowed from the catalog. */
    GPtrArray *chunks = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *ranges = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; ok && i < c->cat->tables->len; i++) {
        table_state *ts = &c->states[i];
        wharf_cat_table *t = ts->t;
        if (o->no_schema && t->kind == WHARF_OBJ_VIEW)
            continue; /* a data-only dump has nothing of a view */
        wharf_table_meta tm = {
            .db = (char *)t->db, .table = (char *)t->name,
            .file_db = (char *)t->fdb, .file_table = (char *)t->fname,
            .kind = (char *)(t->kind == WHARF_OBJ_VIEW       ? "view"
                             : t->kind == WHARF_OBJ_SEQUENCE ? "sequence"
                                                             : "table"),
            .engine = (char *)t->engine,
            .snapshot = snap->consistent && t->transactional,
            .history = t->history,
            .chunks = chunks,
            .depends = t->depends,
        };
        if (c->source)
            tm.rows = -1; /* read later, as the load asks: not known yet */
        for (guint k = 0; !c->source && ts->results && k < ts->n_chunks; k++) {
            wharf_rows_result *r = &ts->results[k];
            tm.rows += r->rows;
            if (r->written) {
                wharf_chunk_meta *cm = g_new(wharf_chunk_meta, 1);
                *cm = (wharf_chunk_meta){r->file, k, r->rows, r->bytes, r->crc32, r->sum, TRUE};
                g_ptr_array_add(chunks, cm);
            }
            /* every chunk's range, also of one that held no rows: verify
             * then finds a row added in it on a target */
            if (r->range) {
                wharf_range_meta *rm = g_new(wharf_range_meta, 1);
                *rm = (wharf_range_meta){k, r->range};
                g_ptr_array_add(ranges, rm);
            }
        }
        tm.where = t->kind == WHARF_OBJ_TABLE ? t->where : NULL;
        tm.ranges = ranges;
        ok = wharf_metadata_writer_table(mw, &tm, err);
        g_ptr_array_set_size(chunks, 0);
        g_ptr_array_set_size(ranges, 0);
    }
    g_ptr_array_unref(chunks);
    g_ptr_array_unref(ranges);
    if (mw && !ok)
        wharf_metadata_writer_abort(mw);
    return ok && wharf_metadata_writer_commit(mw, err);
}

/* -o -: the files go to a spool directory, from which the streamer sends
 * them (dump/outstream.h); set before any worker reads o. */
static gboolean stream_begin(dump_ctx *c, dump_opts *o, GError **err)
{
    guint64 chunk_mb = o->chunk_size_mb > 0 ? (guint64)o->chunk_size_mb : DEFAULT_CHUNK_MB;
    guint64 max = o->spool_bytes ? o->spool_bytes : 4 * (guint64)o->common.threads * chunk_mb << 20;
    char *header = wharf_metadata_stream_header(SESSION_SQL_MODE, "+00:00");
    wharf_outstream *s = wharf_outstream_start(o->spool_dir, max, STDOUT_FILENO, header, err);
    g_free(header);
    if (s == NULL)
        return FALSE;
    g_mutex_lock(&c->elock);
    c->stream = s;
    g_mutex_unlock(&c->elock);
    g_free(o->outdir);
    o->outdir = g_strdup(wharf_outstream_dir(s));
    o->out.dir = o->outdir;
    o->out.on_commit = wharf_outstream_committed;
    o->out.on_commit_data = s;
    return TRUE;
}

static void stream_end(dump_ctx *c)
{
    g_mutex_lock(&c->elock);
    wharf_outstream *s = c->stream;
    c->stream = NULL;
    g_mutex_unlock(&c->elock);
    wharf_outstream_free(s);
}

/* The run stops (a signal, an error): a writer waiting for the stream's
 * reader must not wait on. */
static void cancel_stream(void *data)
{
    dump_ctx *c = data;
    g_mutex_lock(&c->elock);
    wharf_outstream_cancel(c->stream);
    g_mutex_unlock(&c->elock);
}

/* The dump's busy slots after the workers': its own connection while it
 * waits for the DDL lock and reads the catalog, and the snapshot's lock
 * connection (opened during that wait). */
#define SLOT_DRIVER(threads) ((guint)(threads))
#define SLOT_LOCK(threads) ((guint)(threads) + 1)

static gulong snapshot_lock_id(void *snap)
{
    return wharf_snapshot_lock_conn_id(snap);
}

/* Phase 1: the DDL lock and the catalog, cut short by an interrupt. */
static wharf_catalog *read_catalog(dump_ctx *c, MYSQL *m, wharf_snapshot *snap, GError **err)
{
    const dump_opts *o = c->o;
    guint drv = SLOT_DRIVER(o->common.threads), lk = SLOT_LOCK(o->common.threads);
    if (!wharf_run_busy_begin(c->run, drv, m, err))
        return NULL;
    wharf_run_busy_getter(c->run, lk, snapshot_lock_id, snap);
    wharf_catalog *cat = NULL;
    gint64 t_cat = g_get_monotonic_time();
    if (wharf_guard_long_queries(m, &o->guard, c->run, err) && wharf_snapshot_block_ddl(snap, err) &&
        !wharf_run_stopping(c->run))
        cat = wharf_catalog_read(m, &o->filter, err);
    wharf_run_busy_getter(c->run, lk, NULL, NULL);
    wharf_run_busy_end(c->run, drv);
    if ((cat || (err && *err == NULL)) && wharf_run_stopping(c->run)) {
        wharf_catalog_free(cat);
        wharf_set_cancelled(err, "dump");
        return NULL;
    }
    char *skipped = cat ? wharf_filter_skipped(&o->filter) : NULL;
    if (skipped)
        WLOG_INFO("left out on request (--skip-*): every one of the source's %s", skipped);
    g_free(skipped);
    if (cat)
        WLOG_INFO("catalog: %u databases, %" G_GINT64_FORMAT " tables, %" G_GINT64_FORMAT
                  " views, %" G_GINT64_FORMAT " sequences (read in %.2fs)",
                  cat->dbs->len, cat->n_base_tables, cat->n_views, cat->n_sequences,
                  (double)(g_get_monotonic_time() - t_cat) / 1e6);
    return cat;
}

/* Phase 2: the snapshot sessions: enough that none reads more than the
 * budget of distinct tables, plus spares for sessions that die, within the
 * server's connection limit. */
static gboolean open_sessions(dump_ctx *c, MYSQL *m, wharf_snapshot *snap, GError **err)
{
    const dump_opts *o = c->o;
    const wharf_catalog *cat = c->cat;
    guint max_conn = 151;
    warn_server_limits(m, cat->n_base_tables, &max_conn);
    if (o->no_data)
        return TRUE;
    warn_non_transactional(cat);
    guint threads = (guint)o->common.threads;
    guint n_sessions = threads + SPARE_SESSIONS;
    guint64 need = (guint64)(cat->n_base_tables + o->snapshot_budget - 1) / (guint64)o->snapshot_budget;
    if (need > 1)
        n_sessions = (guint)MIN(need + threads + SPARE_SESSIONS, G_MAXUINT / 2);
    guint limit = max_conn > threads + 12 ? max_conn - threads - 12 : threads;
    if (n_sessions > limit) {
        WLOG_WARN("%u snapshot sessions would keep each under %d tables, but max_connections"
                  " is %u: using %u",
                  n_sessions, o->snapshot_budget, max_conn, limit);
        n_sessions = MAX(limit, threads);
    }
    if (!wharf_snapshot_open(snap, n_sessions, err))
        return FALSE;
    if (wharf_run_stopping(c->run)) {
        wharf_set_cancelled(err, "dump");
        return FALSE;
    }
    WLOG_INFO("snapshot: %u sessions, lock %s, commits blocked %" G_GINT64_FORMAT " ms%s%s",
              n_sessions, wharf_lock_name(snap->method), snap->commit_block_ms,
              snap->binlog_file ? ", binlog " : "", snap->binlog_file ? snap->binlog_file : "");
    if (snap->method == WHARF_LOCK_NONE)
        WLOG_WARN("--lock none: tables are read in separate snapshots that are not guaranteed to"
                  " match each other or the recorded binlog position");
    return TRUE;
}

static job *add_job(dump_ctx *c, job_kind kind, const char *name)
{
    job *j = g_new0(job, 1);
    j->kind = kind;
    g_ptr_array_add(c->jobs, j);
    wharf_sched_add(c->sched, kind, j, name, TRUE);
    return j;
}

/* Phase 3: the jobs: databases, then tables longest job first; small base
 * tables (one chunk by their estimate, no chunk query) in batches, one
 * round trip for all their SHOW CREATE TABLE. */
static void build_jobs(dump_ctx *c)
{
    const dump_opts *o = c->o;
    const wharf_catalog *cat = c->cat;
    c->states = g_new0(table_state, cat->tables->len);
    GPtrArray *order = g_ptr_array_new();
    gint64 bytes_est = 0;
    for (guint i = 0; i < cat->tables->len; i++) {
        table_state *ts = &c->states[i];
        ts->t = cat->tables->pdata[i];
        ts->unit = ts->t->data_length;
        if (wharf_chunker_can_split(ts->t)) {
            gint64 avg = ts->t->avg_row_length > 0 ? ts->t->avg_row_length : 100;
            gint64 rows = target_rows(c, ts->t);
            if (rows < G_MAXINT64 / avg)
                ts->unit = MIN(ts->unit, rows * avg);
        }
        g_ptr_array_add(order, ts);
        bytes_est += ts->t->data_length;
    }
    g_ptr_array_sort(order, cmp_unit_desc);
    c->progress.objects_total = cat->tables->len;
    c->progress.bytes_total = o->no_data ? 0 : bytes_est;
    char name[64];
    if (o->dump_users && !c->source)
        add_job(c, JOB_ACCOUNTS, "accounts");
    for (guint i = 0; i < cat->dbs->len; i++)
        add_job(c, JOB_DB, "database")->db = cat->dbs->pdata[i];
    job *batch = NULL;
    for (guint i = 0; i < order->len; i++) {
        table_state *ts = order->pdata[i];
        if (ts->t->kind == WHARF_OBJ_TABLE && ts->t->rows_estimate <= target_rows(c, ts->t)) {
            if (batch == NULL) {
                g_snprintf(name, sizeof name, "schema batch %u", i);
                batch = add_job(c, JOB_BATCH, name);
                batch->batch = g_new(table_state *, SCHEMA_BATCH);
            }
            batch->batch[batch->n_batch++] = ts;
            if (batch->n_batch == SCHEMA_BATCH)
                batch = NULL;
            continue;
        }
        add_job(c, JOB_TABLE, "table")->ts = ts;
    }
    g_ptr_array_unref(order);
}

/* Phase 4: every job on the engine's workers. */
static gboolean run_jobs(dump_ctx *c, wharf_console *console, GError **err)
{
    wharf_reporter *rep = wharf_reporter_start(console, &c->progress);
    wharf_sched_callbacks cb = {c, sched_worker_new, sched_worker_free, sched_run, NULL};
    wharf_sched_run(c->sched, c->o->common.threads, &cb);
    wharf_reporter_stop(rep);
    wharf_console_progress_clear(console);
    g_mutex_lock(&c->elock);
    GError *e = g_steal_pointer(&c->error);
    g_mutex_unlock(&c->elock);
    if (e) {
        g_propagate_error(err, e);
        return FALSE;
    }
    if (wharf_run_stopping(c->run)) {
        wharf_set_cancelled(err, "dump");
        return FALSE;
    }
    return TRUE;
}

static void report_done(const dump_ctx *c, gint64 t_start)
{
    double el = (double)(g_get_monotonic_time() - t_start) / 1e6;
    gint64 bytes = wharf_counter_get(&c->progress.bytes_done);
    char *b = wharf_format_bytes(bytes);
    char *rate = wharf_format_bytes(el > 0 ? (gint64)((double)bytes / el) : 0);
    char *d = wharf_format_duration(el);
    WLOG_INFO("dump complete: %u objects, %" G_GINT64_FORMAT " rows, %s in %s (%s/s) -> %s",
              c->cat->tables->len, wharf_counter_get(&c->progress.rows_done), b, d, rate,
              c->o->stream ? "stdout" : c->o->outdir);
    g_free(b);
    g_free(rate);
    g_free(d);
}

static void ctx_clear(dump_ctx *c)
{
    if (c->states) {
        for (guint i = 0; i < c->cat->tables->len; i++) {
            table_state *ts = &c->states[i];
            if (ts->results)
                for (guint k = 0; k < ts->n_chunks; k++) {
                    g_free(ts->results[k].file);
                    g_free(ts->results[k].range);
                }
            g_free(ts->results);
            g_free(ts->chunk_jobs);
            if (ts->plan.where)
                wharf_chunk_plan_clear(&ts->plan);
        }
        g_free(c->states);
    }
    if (c->jobs)
        g_ptr_array_free(c->jobs, TRUE);
    if (c->error)
        g_error_free(c->error);
    wharf_sched_free(c->sched);
    wharf_catalog_free(c->cat);
    wharf_run_free(c->run);
    g_mutex_clear(&c->elock);
}

/* The last word: exit status and the one error line. */
static int dump_outcome(dump_ctx *c, gboolean dir_exists, GError *err)
{
    const dump_opts *o = c->o;
    int signo = wharf_run_interrupted(c->run);
    gboolean partial = g_file_test(o->outdir, G_FILE_TEST_IS_DIR) && c->cat;
    if (signo) {
        WLOG_ERR("dump interrupted (%s): stopped, %s, locks released; no metadata written%s",
                 signo == SIGINT ? "SIGINT" : signo == SIGTERM ? "SIGTERM" : "signal",
                 o->to_s3 ? "unfinished uploads aborted" : "temp files removed",
                 o->to_s3 && c->cat ? " (the objects already uploaded are an incomplete dump)"
                 : partial          ? " (the output directory holds an incomplete dump)"
                                    : "");
        g_clear_error(&err);
        return 128 + signo;
    }
    if (err) {
        WLOG_ERR("dump failed: %s%s", err->message,
                 o->to_s3 && c->cat ? " (what was uploaded is an incomplete dump: no metadata object)"
                 : partial && !dir_exists ? " (the output directory holds an incomplete dump: no metadata file)"
                                          : "");
        g_error_free(err);
        return WHARF_EXIT_FAILED;
    }
    return WHARF_EXIT_OK;
}

/* --summary-json: what the dump did, before the snapshot is released. */
static void json_dump(const dump_ctx *c, JsonBuilder *js, const wharf_snapshot *snap, const GError *err)
{
    const dump_opts *o = c->o;
    wharf_summary_str(js, "directory", o->stream ? "-" : o->outdir);
    if (err)
        wharf_summary_str(js, "error", err->message);
    if (c->cat) {
        gint64 chunks = 0, rows = 0;
        for (guint i = 0; c->states && i < c->cat->tables->len; i++)
            for (guint k = 0; c->states[i].results && k < c->states[i].n_chunks; k++) {
                chunks += c->states[i].results[k].written;
                rows += c->states[i].results[k].rows;
            }
        json_builder_set_member_name(js, "objects");
        json_builder_begin_object(js);
        wharf_summary_int(js, "databases", c->cat->dbs->len);
        wharf_summary_int(js, "tables", c->cat->n_base_tables);
        wharf_summary_int(js, "views", c->cat->n_views);
        wharf_summary_int(js, "sequences", c->cat->n_sequences);
        wharf_summary_int(js, "tables_done", wharf_counter_get(&c->progress.objects_done));
        wharf_summary_int(js, "chunks", chunks);
        json_builder_end_object(js);
        wharf_summary_int(js, "rows", rows);
        wharf_summary_int(js, "bytes", wharf_counter_get(&c->progress.bytes_done));
    }
    wharf_summary_int(js, "retries", wharf_run_retries(c->run));
    if (snap && snap->sessions) {
        json_builder_set_member_name(js, "snapshot");
        json_builder_begin_object(js);
        wharf_summary_str(js, "lock", wharf_lock_name(snap->method));
        wharf_summary_int(js, "commit_block_ms", snap->commit_block_ms);
        wharf_summary_str(js, "binlog_file", snap->binlog_file);
        wharf_summary_int(js, "binlog_position", (gint64)snap->binlog_position);
        wharf_summary_str(js, "gtid", snap->gtid);
        json_builder_end_object(js);
    }
}

static int write_summary(const dump_opts *o, JsonBuilder *js, int rc, int signo, gint64 t_start)
{
    GError *e = NULL;
    if (wharf_summary_write(js, o->common.summary_json, rc, signo, (double)(g_get_monotonic_time() - t_start) / 1e6,
                            &e))
        return rc;
    WLOG_ERR("%s", e->message);
    g_error_free(e);
    return rc == WHARF_EXIT_OK ? WHARF_EXIT_FAILED : rc;
}

/* The run's state: engine, jobs, --max-rate, progress (what: "dump", "copy"). */
static void ctx_init(dump_ctx *c, dump_opts *o, const char *what)
{
    g_mutex_init(&c->elock);
    c->accounts = -1;
    c->run = wharf_run_new(what, &o->common.conn, (guint)o->common.threads + 2);
    c->sched = wharf_sched_new(TRUE, c->run);
    c->jobs = g_ptr_array_new_with_free_func(job_free);
    if (o->common.max_rate > 0)
        o->out.rate = wharf_rate_new(o->common.max_rate, c->run);
    wharf_progress_init(&c->progress, what);
}

/* The source side: connection, DDL lock and catalog, snapshot sessions.
 * *snap_init: the snapshot must be finished whatever happens next. */
static gboolean open_source(dump_ctx *c, wharf_snapshot *snap, wharf_server_info *si, gboolean *snap_init,
                            GError **err)
{
    const dump_opts *o = c->o;
    MYSQL *m = wharf_conn_open(&o->common.conn, err);
    if (m == NULL)
        return FALSE;
    wharf_conn_server_info(m, si);
    WLOG_DEBUG("server %s", si->version_string);
    wharf_snapshot_init(snap, &o->common.conn, si, o->lock_method, !o->no_ddl_lock, o->common.threads);
    *snap_init = TRUE;
    gboolean ok = (c->cat = read_catalog(c, m, snap, err)) != NULL && open_sessions(c, m, snap, err);
    wharf_conn_close(m);
    return ok;
}

/* -o s3://: a request's retry waits on the run (an interrupt ends it) and
 * is counted with the run's retries. */
static gboolean s3_wait(void *run, gint64 ms)
{
    return wharf_run_backoff(run, ms);
}

static void s3_retried(void *run)
{
    wharf_run_count_retry(run);
}

static gboolean s3_stopping(void *run)
{
    return wharf_run_stopping(run);
}

static int run_dump(dump_opts *o, wharf_console *console)
{
    GError *err = NULL;
    char *started = wharf_summary_now();
    gint64 t_start = g_get_monotonic_time();
    gboolean dir_exists = FALSE, snap_init = FALSE;
    wharf_snapshot snap;
    wharf_server_info si;
    dump_ctx c = {.o = o, .snap = &snap};
    JsonBuilder *js = o->common.summary_json ? wharf_summary_begin("dump") : NULL;
    ctx_init(&c, o, "dump");
    wharf_run_on_stop(c.run, cancel_stream, &c);
    wharf_s3dir *s3 = NULL;
    /* Before any thread starts: SIGINT/SIGTERM then reach only the watcher. */
    if (!wharf_run_watch_signals(c.run, &err) || (o->stream && !stream_begin(&c, o, &err)))
        goto out;
    /* -o s3://: bucket and credentials proved, the prefix empty, before
     * the source is touched; then every file goes through the hook. */
    if (o->to_s3) {
        if ((s3 = wharf_s3dir_new(&o->s3, o->outdir, o->out.level, &err)) == NULL)
            goto out;
        wharf_s3_waiter wt = {s3_wait, s3_retried, s3_stopping, c.run};
        wharf_s3dir_set_waiter(s3, &wt);
        if (!wharf_s3dir_check_empty(s3, &err))
            goto out;
        o->out.open = wharf_s3dir_open_write;
        o->out.open_data = s3;
    }
    dir_exists = o->stream || o->out.open; /* the spool exists and holds metadata.header */
    if ((!dir_exists && !check_outdir(o->outdir, &dir_exists, &err)) ||
        !open_source(&c, &snap, &si, &snap_init, &err))
        goto out;
    if ((!o->out.open && !make_outdir(o->outdir, dir_exists, &err)) ||
        (c.stream && !wharf_outstream_table_list(c.stream, c.cat, &err)))
        goto out;
    c.chunk_bytes = chunk_bytes_for(o, c.cat);
    build_jobs(&c);
    if (!run_jobs(&c, console, &err) || !wharf_snapshot_check_lock(&snap, &err))
        goto out;
    /* Every row is read: the locks go before the syncfs and the metadata
     * write (the metadata's position was read when the snapshot opened). */
    wharf_snapshot_release_locks(&snap);
    wharf_fault_point("dump-before-metadata");
    if (write_metadata(&c, started, &si, &snap, &err) && (!c.stream || wharf_outstream_finish(c.stream, &err)))
        report_done(&c, t_start);

out:
    if (js)
        json_dump(&c, js, snap_init ? &snap : NULL, err);
    if (snap_init)
        wharf_snapshot_finish(&snap);
    stream_end(&c); /* the spool goes, whatever happened */
    /* No signal may stop the run any more: then the outcome is final. */
    wharf_run_unwatch_signals(c.run);
    int rc = dump_outcome(&c, dir_exists, err);
    if (js)
        rc = write_summary(o, js, rc, wharf_run_interrupted(c.run), t_start);
    ctx_clear(&c);
    wharf_rate_free(o->out.rate);
    o->out.rate = NULL;
    if (o->to_s3) {
        o->out.open = NULL;
        o->out.open_data = NULL;
    }
    wharf_s3dir_free(s3);
    g_free(started);
    return rc;
}

/* --- a copy's source ---------------------------------------------------- */

static gpointer sched_thread(gpointer data)
{
    dump_ctx *c = data;
    wharf_sched_callbacks cb = {c, sched_worker_new, sched_worker_free, sched_run, NULL};
    wharf_sched_run(c->sched, c->o->common.threads, &cb);
    return NULL;
}

/* The jobs of a copy's source: schema files and chunk plans, then, while
 * the copy's consumer runs (ready()), the chunk reads it asks for. Returns
 * ready()'s status, or FALSE with *err when the source failed first. */
static gboolean run_jobs_source(dump_ctx *c, const char *started, const wharf_server_info *si, int *rc,
                                GError **err)
{
    wharf_sched_hold(c->sched);
    GThread *th = g_thread_new("wharf-source", sched_thread, c);
    gboolean ok = wharf_sched_wait_idle(c->sched);
    g_mutex_lock(&c->elock);
    GError *e = g_steal_pointer(&c->error);
    g_mutex_unlock(&c->elock);
    if (e)
        ok = FALSE;
    if (ok)
        ok = write_metadata(c, started, si, c->snap, &e);
    if (ok)
        *rc = c->source->ready(c->source->data, c->run);
    wharf_sched_release(c->sched);
    g_thread_join(th);
    if (!ok && e == NULL && wharf_run_stopping(c->run))
        wharf_set_cancelled(&e, "copy");
    if (e)
        g_propagate_error(err, e);
    return ok;
}

int wharf_dump_run_source(wharf_dump_opts *o, wharf_console *console, const wharf_dump_source_hooks *h)
{
    (void)console;
    GError *err = NULL;
    char *started = wharf_summary_now();
    gboolean snap_init = FALSE;
    wharf_snapshot snap;
    wharf_server_info si;
    dump_ctx c = {.o = o, .snap = &snap, .source = h};
    int rc = WHARF_EXIT_FAILED;
    o->out.open = h->open;
    o->out.open_data = h->data;
    ctx_init(&c, o, "copy");
    if (!wharf_run_watch_signals(c.run, &err) || !open_source(&c, &snap, &si, &snap_init, &err))
        goto out;
    c.chunk_bytes = chunk_bytes_for(o, c.cat);
    build_jobs(&c);
    if (!run_jobs_source(&c, started, &si, &rc, &err) || !wharf_snapshot_check_lock(&snap, &err)) {
        rc = WHARF_EXIT_FAILED;
        goto out;
    }
out:
    if (snap_init)
        wharf_snapshot_finish(&snap);
    wharf_run_unwatch_signals(c.run);
    int signo = wharf_run_interrupted(c.run);
    if (signo)
        rc = 128 + signo;
    if (err) {
        WLOG_ERR("copy failed: %s", err->message);
        g_error_free(err);
        if (rc == WHARF_EXIT_OK)
            rc = WHARF_EXIT_FAILED;
    }
    ctx_clear(&c);
    wharf_rate_free(o->out.rate);
    o->out.rate = NULL;
    g_free(started);
    return rc;
}

int wharf_dump_run_into(wharf_dump_opts *o, wharf_console *console,
                        wharf_writer *(*open)(void *data, const char *name, GError **err), void *data)
{
    o->out.open = open;
    o->out.open_data = data;
    int rc = run_dump(o, console);
    o->out.open = NULL;
    o->out.open_data = NULL;
    return rc;
}

void wharf_dump_source_read(void *handle)
{
    job *j = handle;
    dump_ctx *c = j->ts->c;
    char name[64];
    g_snprintf(name, sizeof name, "read chunk %u", j->chunk);
    wharf_sched_add_ready(c->sched, JOB_CHUNK, j, name, TRUE);
}

/* Parse argv into o: -1 when the run is to go on (free o with opts_clear),
 * else the exit status (help printed, or the usage error). copy: the
 * options of a copy's source (no -o: the files go to the copy). */
static int parse_opts(int argc, char **argv, dump_opts *po, gboolean copy)
{
#define o (*po)
    memset(&o, 0, sizeof o);
    o.compress_level = o.chunk_size_mb = o.snapshot_budget = o.lock_wait_timeout = -1; /* not given */
    o.guard.seconds = -1;
    o.rows = -1;
    GOptionEntry entries[] = {
        {"outputdir", 'o', 0, G_OPTION_ARG_FILENAME, &o.outdir,
         "Directory to write (must not exist or be empty), - for one stream on stdout, or"
         " s3://BUCKET/PREFIX (an empty prefix of a bucket)",
         "DIR"},
        {"spool-dir", 0, 0, G_OPTION_ARG_FILENAME, &o.spool_dir,
         "With -o -: where files wait to be sent (a private directory under DIR; default $TMPDIR)",
         "DIR"},
        {"spool-max", 0, 0, G_OPTION_ARG_FILENAME, &o.spool_max,
         "With -o -: most bytes waiting in the spool before the writers wait (default 4 x threads x"
         " chunk size)",
         "SIZE"},
        {"databases", 'B', 0, G_OPTION_ARG_FILENAME_ARRAY, &o.databases_raw,
         "Dump only these databases (comma-separated, repeatable)", "DB,..."},
        {"tables", 'T', 0, G_OPTION_ARG_FILENAME_ARRAY, &o.tables_raw,
         "Dump only these tables (db.table, comma-separated, repeatable)", "DB.T,..."},
        {"regex", 'x', 0, G_OPTION_ARG_FILENAME, &o.regex,
         "Dump only tables whose \"db.table\" matches this regular expression", "REGEX"},
        {"exclude", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.exclude_raw,
         "Skip these databases or tables (db or db.table, comma-separated, repeatable)", "LIST"},
        {"where", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.where,
         "Dump only the rows of db.t matching COND (repeatable)", "DB.T:COND"},
        {"no-data", 0, 0, G_OPTION_ARG_NONE, &o.no_data, "Dump the schema only", NULL},
        {"no-schema", 0, 0, G_OPTION_ARG_NONE, &o.no_schema, "Dump the data only", NULL},
        {"users", 0, 0, G_OPTION_ARG_NONE, &o.users,
         "Dump the server's users, roles and their grants (the default for a whole-server dump: no -B, -T"
         " or -x)",
         NULL},
        {"no-users", 0, 0, G_OPTION_ARG_NONE, &o.no_users, "Do not dump users, roles and grants", NULL},
        {"no-history", 0, 0, G_OPTION_ARG_NONE, &o.filter.no_history,
         "System-versioned tables: dump the current rows only, not their history", NULL},
        {"format", 0, 0, G_OPTION_ARG_FILENAME, &o.format,
         "Data files: sql (INSERT, default) or tsv (LOAD DATA)", "sql|tsv"},
        {"compress", 0, 0, G_OPTION_ARG_FILENAME, &o.compress,
         "Compression: zstd (default), gzip or none", "ALG"},
        {"compress-level", 0, 0, G_OPTION_ARG_INT, &o.compress_level,
         "Compression level (default: zstd 1, gzip 6)", "N"},
        {"rows", 'r', 0, G_OPTION_ARG_INT64, &o.rows, "Split tables into chunks of about N rows",
         "N"},
        {"chunk-size", 'F', 0, G_OPTION_ARG_INT, &o.chunk_size_mb,
         "Split tables into chunks of about MB megabytes (default 64, less for a small dump: about 4"
         " chunks per thread, at least 4 MB)",
         "MB"},
        {"statement-size", 's', 0, G_OPTION_ARG_FILENAME, &o.statement_size,
         "Largest INSERT statement (default 1M; a bigger row is its own statement)", "SIZE"},
        {"lock", 0, 0, G_OPTION_ARG_FILENAME, &o.lock,
         "Snapshot lock: auto (default), backup-stage, instance, ftwrl, none", "METHOD"},
        {"no-ddl-lock", 0, 0, G_OPTION_ARG_NONE, &o.no_ddl_lock,
         "Do not block DDL for the whole dump (a concurrent DDL then fails the dump)", NULL},
        {"long-query-guard", 0, 0, G_OPTION_ARG_INT, &o.guard.seconds,
         "Before locking, look for statements running this long (default 60; 0 = off)", "SEC"},
        {"long-query-wait", 0, 0, G_OPTION_ARG_INT, &o.guard.wait,
         "Wait this long for such statements to end before failing (default 0: fail at once)", "SEC"},
        {"kill-long-queries", 0, 0, G_OPTION_ARG_NONE, &o.guard.kill,
         "KILL QUERY such statements instead of waiting or failing", NULL},
        {"lock-wait-timeout", 0, 0, G_OPTION_ARG_INT, &o.lock_wait_timeout,
         "Longest wait for any lock (backup locks, FTWRL, metadata locks of SHOW CREATE and of the"
         " catalog), in seconds (default 30): a DDL that collides with the dump fails it instead of"
         " blocking the application",
         "SEC"},
        {"snapshot-table-budget", 0, 0, G_OPTION_ARG_INT, &o.snapshot_budget,
         "Distinct tables one snapshot transaction reads before moving to a fresh one (default "
         "1500)",
         "N"},
        {NULL}};
    g_set_prgname(copy ? "wharf copy" : "wharf dump");
    GOptionContext *ctx = g_option_context_new(copy ? "- copy databases from one server to another, without files"
                                                    : "- write a server's databases to a dump directory");
    wharf_cli_add_common(ctx, &o.common);
    wharf_cli_add_entries(ctx, &o.common, entries);
    wharf_filter_add_skip_options(ctx, &o.common, &o.filter);
    if (!copy)
        wharf_s3_add_options(ctx, &o.common, &o.s3);
    g_option_context_set_summary(
        ctx, "Dumps every database except the system schemas (mysql, sys, information_schema,\n"
             "performance_schema) unless told otherwise, from one consistent snapshot.\n"
             "The format is described in docs/FORMAT.md.");
    char **rest = NULL;
    GError *err = NULL;
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-?") == 0)) {
        char *help = g_option_context_get_help(ctx, FALSE, NULL);
        fputs(help, stdout);
        g_free(help);
        g_option_context_free(ctx);
        return WHARF_EXIT_OK;
    }
    gboolean parsed = wharf_cli_parse(ctx, &o.common, argc, argv, &rest, &err);
    if (parsed && copy && o.users) {
        g_set_error(&err, WHARF_ERROR, WHARF_ERROR_USAGE,
                    "wharf copy does not copy accounts: dump them (wharf dump --users) and load them (wharf load"
                    " --users)");
        parsed = FALSE;
    }
    if (parsed && copy) { /* the copy's source: no files, plain SQL */
        g_free(o.outdir);
        o.outdir = g_strdup("(copy)");
        g_free(o.compress);
        o.compress = g_strdup("none");
        g_free(o.format);
        o.format = g_strdup("sql");
    }
    if (!parsed || !wharf_cli_finish(&o.common, &err) || !finish_options(&o, &err)) {
        wharf_cli_blame(&o.common, err);
        fprintf(stderr, "%s: %s (see %s --help)\n", g_get_prgname(), err->message, g_get_prgname());
        g_error_free(err);
        g_strfreev(rest);
        g_option_context_free(ctx);
        opts_clear(&o);
        return WHARF_EXIT_USAGE;
    }
    if (rest && rest[0]) {
        fprintf(stderr, "%s: unexpected argument '%s' (see %s --help)\n", g_get_prgname(), rest[0], g_get_prgname());
        g_strfreev(rest);
        g_option_context_free(ctx);
        opts_clear(&o);
        return WHARF_EXIT_USAGE;
    }
    g_strfreev(rest);
    g_option_context_free(ctx);
    return -1;
#undef o
}

int wharf_dump_main(int argc, char **argv)
{
    dump_opts o;
    int rc = parse_opts(argc, argv, &o, FALSE);
    if (rc >= 0)
        return rc;
    wharf_console console;
    GError *cerr = NULL;
    if (!wharf_cli_console_setup(&console, &o.common, &cerr)) {
        fprintf(stderr, "wharf dump: %s\n", cerr->message);
        g_error_free(cerr);
        opts_clear(&o);
        return WHARF_EXIT_USAGE;
    }
    rc = run_dump(&o, &console);
    wharf_console_teardown(&console);
    opts_clear(&o);
    return rc;
}

wharf_dump_opts *wharf_dump_opts_parse_copy(int argc, char **argv, int *rc)
{
    dump_opts *o = g_new0(dump_opts, 1);
    *rc = parse_opts(argc, argv, o, TRUE);
    if (*rc >= 0) {
        g_free(o);
        return NULL;
    }
    return o;
}

void wharf_dump_opts_free(wharf_dump_opts *o)
{
    if (o == NULL)
        return;
    opts_clear(o);
    g_free(o);
}

const wharf_cli_common *wharf_dump_opts_common(const wharf_dump_opts *o)
{
    return &o->common;
}
