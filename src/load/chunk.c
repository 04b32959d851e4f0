/* chunk: a data chunk as one transaction (contract in chunk.h). */
#include "load/chunk.h"

#include "core/error.h"
#include "core/fault.h"
#include "format/insert.h"
#include "load/bulk.h"
#include "load/dat.h"
#include "load/plan.h"

#include <string.h>

typedef wharf_load_worker worker;

#define BULK_MIN_DISK_BYTES (512 << 10) /* --load-data=auto: chunks this big on disk */


void wharf_chunk_progress_bytes(wharf_chunk_run *cr, wharf_reader *r)
{
    gint64 now = (gint64)wharf_reader_disk_bytes(r);
    if (now > cr->disk_bytes) {
        wharf_counter_add(&cr->w->ctx->progress.bytes_done, now - cr->disk_bytes);
        /* --max-rate: a stopping run ends the wait; its statements are
         * killed, so the chunk fails on its own. */
        wharf_rate_take(cr->w->ctx->rate, now - cr->disk_bytes);
        cr->disk_bytes = now;
    }
}

gboolean wharf_chunk_infile_refused(const GError *e)
{
    return e && e->domain == WHARF_SQL_ERROR && (e->code == 1148 || e->code == 4166 || e->code == 2068);
}

gboolean wharf_chunk_check_crc(wharf_chunk_run *cr, const char *path, GError **err)
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

/* One data statement of a chunk, run as it is. */
gboolean wharf_chunk_stmt(wharf_chunk_run *cr, const char *stmt, size_t len, GError **err)
{
    worker *w = cr->w;
    if (cr->pkey && cr->skip > 0 &&
        (wharf_ddl_starts_with(stmt, len, "INSERT") || wharf_ddl_starts_with(stmt, len, "REPLACE"))) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_UNSUPPORTED,
                    "%s: a statement that cannot be sent as LOAD DATA where %" G_GINT64_FORMAT
                    " rows committed in parts (the cluster's wsrep_max_ws_rows) are to be skipped: its rows"
                    " cannot be skipped exactly, so the chunk is not replayed",
                    wharf_session_base(cr->c->sql_path), cr->base);
        return FALSE;
    }
    gint64 n = 0;
    gboolean exact;
    if (!wharf_session_exec_rows(w, stmt, len, &n, &exact, err))
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

static gboolean use_bulk(const wharf_chunk_run *cr)
{
    const wharf_load_ctx *ctx = cr->w->ctx;
    if (ctx->o->load_data == WHARF_LOAD_DATA_OFF || g_atomic_int_get(&ctx->infile_refused))
        return FALSE;
    if (cr->pkey) /* only LOAD DATA streams can be cut between any two rows */
        return TRUE;
    return ctx->o->load_data == WHARF_LOAD_DATA_ON || cr->c->disk_bytes >= BULK_MIN_DISK_BYTES;
}

/* A chunk of INSERT statements, streamed; with bulk, INSERTs go as LOAD DATA. */
static gboolean chunk_sql(wharf_chunk_run *cr, gboolean bulk, GError **err)
{
    worker *w = cr->w;
    const char *path = cr->c->sql_path;
    /* The session's state (NAMES, sql_mode) is read at each stream's first
     * INSERT, after the chunk's SET lines: bt is dropped by any statement
     * run as it is. */
    wharf_bulk_table *bt = NULL;
    wharf_reader *r = wharf_load_plan_open(w->ctx->plan, path, err);
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
            if (!wharf_session_confined(path, wharf_splitter_count(sp), stmt, len, &sc, err)) {
                ok = FALSE;
                break;
            }
        }
        wharf_insert_head h;
        if (bulk && wharf_insert_head_parse(stmt, len, &h)) {
            if (bt == NULL && (bt = wharf_bulk_prepare(w, cr->c->table, err)) == NULL && *err)
                ok = FALSE;
            else if (bt)
                ok = wharf_bulk_stream(cr, bt, sp, r, &sc, stmt, len, &h, &stash, &stash_len, err);
            else
                ok = wharf_chunk_stmt(cr, stmt, len, err);
            wharf_insert_head_clear(&h);
        } else {
            g_clear_pointer(&bt, wharf_bulk_table_free);
            ok = wharf_chunk_stmt(cr, stmt, len, err);
            wharf_chunk_progress_bytes(cr, r);
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
        ok = wharf_chunk_check_crc(cr, path, err);
    }
    wharf_splitter_free(sp);
    wharf_reader_close(r);
    wharf_bulk_table_free(bt);
    return ok;
}

/* The SQL path: statements as they are, or (bulk) big runs of INSERTs as
 * LOAD DATA streams; a chunk bulk cannot send exactly is rolled back and
 * fed again as its statements. */
static gboolean feed_sql(wharf_chunk_run *cr, GError **err)
{
    gboolean ok = chunk_sql(cr, use_bulk(cr), err);
    if (ok || cr->redo_as_inserts == NULL)
        return ok;
    if (cr->pkey && (cr->base > 0 || cr->committed > 0)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_UNSUPPORTED,
                    "%s: not sent as LOAD DATA (%s) after %" G_GINT64_FORMAT " rows were committed in parts (the"
                    " cluster's wsrep_max_ws_rows): its INSERT statements cannot resume exactly there",
                    wharf_session_base(cr->c->sql_path), cr->redo_as_inserts, cr->base + cr->committed);
        g_clear_pointer(&cr->redo_as_inserts, g_free);
        return FALSE;
    }
    WLOG_INFO("%s: not sent as LOAD DATA (%s): running its INSERT statements",
              wharf_session_base(cr->c->sql_path), cr->redo_as_inserts);
    g_clear_pointer(&cr->redo_as_inserts, g_free);
    wharf_counter_add(&cr->w->ctx->progress.rows_done, -cr->rows);
    cr->rows = 0;
    return wharf_session_execs(cr->w, "ROLLBACK", err) && wharf_session_execs(cr->w, "START TRANSACTION", err) &&
           chunk_sql(cr, FALSE, err);
}

/* Open: TRUE with *done when a previous attempt's COMMIT went through (its
 * marker says so: nothing to replay); else the transaction is open. */
static gboolean chunk_open(worker *w, wharf_load_chunk *c, const char *jkey, gboolean *done, GError **err)
{
    wharf_load_table *t = c->table;
    *done = FALSE;
    if (c->sql_path == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                    "%s has no .sql twin holding its LOAD DATA statement", wharf_session_base(c->dat_path));
        return FALSE;
    }
    if (!wharf_session_use_db(w, t->db->target, err))
        return FALSE;
    /* A retry may follow a COMMIT whose answer was lost: only COUNT(*) can
     * tell how many rows the table has. */
    if (w->attempt > 0)
        g_atomic_int_set(&t->rows_inexact, 1);
    if (jkey && w->attempt > 0) {
        if (!wharf_journal_marked_now(w->ctx->journal, w->conn, jkey, done, err))
            return FALSE;
        if (*done) {
            WLOG_DEBUG("chunk %s: committed by the previous attempt", c->name);
            return TRUE;
        }
    }
    return wharf_session_execs(w, "START TRANSACTION", err);
}

/* A split chunk: the rows earlier attempts, or the run resumed, committed. */
static gboolean parts_base(wharf_chunk_run *cr, gboolean *done, GError **err)
{
    worker *w = cr->w;
    if (w->attempt == 0 && !wharf_journal_resumed(w->ctx->journal))
        return TRUE;
    if (!wharf_parts_rows(w->ctx->parts, w->conn, cr->pkey, &cr->base, done, err))
        return FALSE;
    if (*done) {
        WLOG_DEBUG("chunk %s: committed by the previous attempt (its last part)", cr->c->name);
        return wharf_session_execs(w, "ROLLBACK", err);
    }
    cr->skip = cr->base;
    if (cr->base > 0) {
        g_atomic_int_set(&cr->c->table->rows_inexact, 1);
        WLOG_DEBUG("chunk %s: %" G_GINT64_FORMAT " rows committed in parts before: skipped", cr->c->name, cr->base);
    }
    return TRUE;
}

static gboolean mark_part(wharf_chunk_run *cr, gboolean last, GError **err)
{
    char *mark = wharf_parts_mark_sql(cr->w->ctx->parts, cr->pkey, cr->base + cr->committed + cr->rows, last);
    gboolean ok = wharf_session_execs(cr->w, mark, err);
    g_free(mark);
    return ok;
}

gboolean wharf_chunk_part_commit(wharf_chunk_run *cr, GError **err)
{
    worker *w = cr->w;
    if (!mark_part(cr, FALSE, err) || !wharf_session_execs(w, "COMMIT", err))
        return FALSE;
    wharf_fault_point("load-part-after-commit");
    wharf_counter_add(&cr->c->table->rows_loaded, cr->rows);
    wharf_counter_add(&w->ctx->rows_loaded, cr->rows);
    cr->committed += cr->rows;
    cr->rows = 0;
    return wharf_session_execs(w, "START TRANSACTION", err);
}

/* Finish: the chunk's "done" in its own transaction, COMMIT. */
static gboolean chunk_finish(wharf_chunk_run *cr, const char *jkey, GError **err)
{
    if (cr->pkey && !mark_part(cr, TRUE, err))
        return FALSE;
    if (jkey) {
        char *mark = wharf_journal_mark_sql(cr->w->ctx->journal, jkey);
        gboolean ok = wharf_session_execs(cr->w, mark, err);
        g_free(mark);
        if (!ok)
            return FALSE;
    }
    if (!wharf_session_execs(cr->w, "COMMIT", err))
        return FALSE;
    wharf_fault_point("load-chunk-after-commit");
    return TRUE;
}

/* A failed attempt: rolled back, its work taken back from the progress. */
static void chunk_abort(wharf_chunk_run *cr, GError **err)
{
    worker *w = cr->w;
    wharf_load_ctx *ctx = w->ctx;
    if (!wharf_error_is_connection_lost(*err)) {
        GError *e2 = NULL;
        if (!wharf_session_execs(w, "ROLLBACK", &e2)) {
            g_clear_error(&e2);
            wharf_session_drop(w);
        }
    }
    wharf_counter_add(&ctx->progress.rows_done, -cr->rows);
    wharf_counter_add(&ctx->progress.bytes_done, -cr->disk_bytes);
    const char *file = cr->c->dat_path ? cr->c->dat_path : cr->c->sql_path;
    if (file && strstr((*err)->message, wharf_session_base(file)) == NULL)
        wharf_error_prefix(err, "%s", wharf_session_base(file));
    if ((*err)->domain == WHARF_SQL_ERROR && (*err)->code == 1180 && ctx->galera.on) {
        char *m = g_strdup_printf("%s (the cluster's wsrep_max_ws_rows is %" G_GINT64_FORMAT
                                  "; a chunk is split only when its rows go as LOAD DATA)",
                                  (*err)->message, ctx->galera.max_ws_rows);
        g_free((*err)->message);
        (*err)->message = m;
    }
}

gboolean wharf_chunk_load(worker *w, wharf_load_chunk *c, GError **err)
{
    wharf_load_ctx *ctx = w->ctx;
    char *jkey = ctx->journal ? wharf_load_job_key(WHARF_LJ_CHUNK, c) : NULL;
    char *pkey = ctx->part_rows <= 0 ? NULL : jkey ? g_strdup(jkey) : wharf_load_job_key(WHARF_LJ_CHUNK, c);
    wharf_chunk_run cr = {.w = w, .c = c, .pkey = pkey};
    gboolean done = FALSE;
    gboolean ok = chunk_open(w, c, jkey, &done, err) && (done || pkey == NULL || parts_base(&cr, &done, err));
    if (ok && !done) {
        wharf_chunk_feed_fn feed = c->dat_path ? wharf_dat_feed : feed_sql;
        ok = feed(&cr, err) && chunk_finish(&cr, jkey, err);
        if (!ok)
            chunk_abort(&cr, err);
    }
    g_free(jkey);
    g_free(pkey);
    if (!ok || done)
        return ok;
    wharf_counter_add(&c->table->rows_loaded, cr.rows);
    wharf_counter_add(&ctx->rows_loaded, cr.rows);
    wharf_counter_add(&ctx->bytes_loaded, (gint64)cr.bytes);
    wharf_counter_add(&ctx->chunks_loaded, 1);
    return TRUE;
}
