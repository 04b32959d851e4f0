/* restore: executing load jobs (contract in restore.h).
 *
 * Threads: every function here runs on a worker thread with the worker's
 * own connection; shared state is only the atomics of wharf_load_ctx and
 * the plan fields documented in plan.h. No lock is taken here (the run's
 * lock is taken inside engine/run calls only).
 */
#include "load/restore.h"

#include "load/cluster.h"

#include "core/error.h"
#include "load/accounts.h"
#include "load/chunk.h"
#include "load/objects.h"
#include "load/session.h"

#include <string.h>

typedef wharf_load_worker worker;

void *wharf_restore_worker_new(void *ctx, int index)
{
    worker *w = g_new0(worker, 1);
    w->ctx = ctx;
    w->index = index;
    w->node = (guint)index % wharf_conn_nodes(&w->ctx->conn);
    return w;
}

void wharf_restore_worker_free(void *p)
{
    worker *w = p;
    wharf_conn_close(w->conn);
    g_free(w->cur_db);
    g_free(w);
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
    case WHARF_LJ_DATABASE: return wharf_objects_database(w, p, err);
    case WHARF_LJ_TABLE: return wharf_objects_table(w, p, err);
    case WHARF_LJ_CHUNK: return wharf_chunk_load(w, p, err);
    case WHARF_LJ_TABLE_DONE: return wharf_objects_table_done(w, p, err);
    case WHARF_LJ_FKS: return wharf_objects_fks(w, p, err);
    case WHARF_LJ_VIEW: return wharf_objects_view(w, p, err);
    case WHARF_LJ_TRIGGERS: return wharf_objects_triggers(w, p, err);
    case WHARF_LJ_DB_TRIGGERS: return wharf_objects_db_triggers(w, p, err);
    case WHARF_LJ_ROUTINES: return wharf_objects_post(w, p, FALSE, err);
    case WHARF_LJ_EVENTS: return wharf_objects_post(w, p, TRUE, err);
    case WHARF_LJ_VERIFY: return run_verify(w, p, err);
    case WHARF_LJ_ACCOUNT: return wharf_load_account_run(w, p, FALSE, err);
    case WHARF_LJ_ACCOUNT_OBJECTS: return wharf_load_account_run(w, p, TRUE, err);
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
        if (!wharf_objects_table_resumed(w, t, err)) {
            wharf_error_prefix(err, "%s: %s", wharf_job_name(job), wharf_session_base(t->schema_path));
            return FALSE;
        }
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
            w->conn = wharf_session_connect(w, &e);
            ok = w->conn != NULL;
        }
        gint64 t0 = g_get_monotonic_time();
        if (ok && needs_conn(kind)) {
            if ((ok = wharf_run_busy_begin(ctx->run, (guint)w->index, w->conn, &e))) {
                void *payload = wharf_job_payload(job);
                if ((ok = wharf_cluster_enter(ctx, kind, payload, wharf_job_name(job), &e))) {
                    ok = run_once(w, job, &e);
                    wharf_cluster_leave(ctx, kind, payload);
                }
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
        wharf_session_drop(w);
        /* a node lost or not ready: the next attempt starts on the next node */
        if (wharf_error_is_connection_lost(e) || (e && e->domain == WHARF_SQL_ERROR && e->code == 1047))
            w->node++;
        gboolean transient = after_ddl ? wharf_error_is_transient_after_ddl(e) : wharf_error_is_transient(e);
        if (!wharf_retry_again(&rt, ctx->run, wharf_job_name(job), "on a new connection", transient, e, err))
            return FALSE;
    }
}
