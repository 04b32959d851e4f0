/* verify: recompute a dump's chunk checksums on a target (contract in
 * verify.h).
 *
 *   plan (load/plan.h) -> target catalog (one bulk read) -> one unit per
 *   recorded chunk (or per table for row counts only) -> scheduler jobs on
 *   -t workers -> summary.
 *
 * Threads: the main thread builds the units and waits in wharf_sched_run;
 * workers compute units on their own connections. A unit's found/differs
 * fields are written by the one worker that runs it and read by the main
 * thread after the run (the join orders them). Counters are atomics.
 */
#include "verify/verify.h"

#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"
#include "dump/catalog.h"
#include "dump/rows.h"
#include "format/checksum.h"
#include "format/metadata.h"
#include "engine/retry.h"
#include "engine/run.h"
#include "engine/sched.h"
#include "copy/memdir.h"
#include "objstore/s3dir.h"
#include "core/cli.h"
#include "dump/dump.h"
#include "verify/objects.h"
#include "verify/range.h"

#include <signal.h>
#include <string.h>


typedef struct vtable vtable;

/* One SELECT to run on the target: a chunk, or a whole table. */
typedef struct vunit {
    vtable *vt;
    guint64 part;
    const char *range; /* checked; NULL = whole table */
    gint64 want_rows;
    guint64 want_sum;
    gboolean by_content; /* FALSE: the row count only */
    char *name;          /* "`db`.`t` chunk 00003 [range]" */
    /* written by the worker that runs it */
    gint64 rows;
    guint64 sum;
    gboolean differs;
    gboolean cancelled; /* stopped by SIGINT/SIGTERM before it was read */
} vunit;

struct vtable {
    const wharf_load_table *lt;
    gint remaining; /* atomic: units not yet final (progress) */
    wharf_cat_table *target; /* in the target catalog (its where and history
                              * set from the dump before the run) */
};

typedef struct verify_ctx {
    const wharf_load_opts *o;
    const wharf_load_plan *plan;
    wharf_sched *sched;
    GPtrArray *tables; /* vtable*, owned */
    GPtrArray *units;  /* vunit*, owned */
    guint n_tables, n_by_content, n_by_count;
    guint problems;    /* missing objects, refused metadata (main thread) */
    wharf_verify_objects_result defs; /* views, triggers, routines, events */
    wharf_progress progress; /* atomics: tables done, rows read */
    wharf_run *run;    /* stop, signals, busy slot per worker (engine/run) */
} verify_ctx;

typedef struct vworker {
    verify_ctx *c;
    int index;
    MYSQL *m;
} vworker;

static void unit_free(gpointer p)
{
    vunit *u = p;
    g_free(u->name);
    g_free(u);
}

/* --- the target ------------------------------------------------------------ */

/* The dump's target databases that exist on the server (a missing one is
 * reported table by table, not an error of the catalog read). */
static char **existing_dbs(MYSQL *m, const wharf_load_plan *plan, GError **err)
{
    MYSQL_RES *res = wharf_conn_query(m, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA", err);
    if (res == NULL)
        return NULL;
    GHashTable *have = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL)
        if (row[0])
            g_hash_table_add(have, g_strdup(row[0]));
    mysql_free_result(res);
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; i < plan->dbs->len; i++) {
        const wharf_load_db *d = plan->dbs->pdata[i];
        if (g_hash_table_contains(have, d->target))
            g_ptr_array_add(out, g_strdup(d->target));
    }
    g_ptr_array_add(out, NULL);
    g_hash_table_unref(have);
    return (char **)g_ptr_array_free(out, FALSE);
}

/* The target's catalog (*cat NULL when none of the dump's databases is
 * there), and its views, triggers, routines and events compared by
 * definition (into *defs) on the same connection. */
static gboolean read_target(const wharf_load_opts *o, const wharf_load_plan *plan, wharf_catalog **cat,
                            wharf_verify_objects_result *defs, GError **err)
{
    *cat = NULL;
    MYSQL *m = wharf_conn_open(&o->common.conn, err);
    if (m == NULL)
        return FALSE;
    gboolean ok = wharf_verify_objects(m, o, plan, defs, err);
    if (!ok)
        wharf_error_prefix(err, "comparing object definitions");
    char **dbs = ok ? existing_dbs(m, plan, err) : NULL;
    ok = dbs != NULL;
    if (ok && dbs[0] != NULL) {
        wharf_filter f = {.databases = dbs, .routines = FALSE};
        *cat = wharf_catalog_read(m, &f, err);
        if (*cat == NULL)
            wharf_error_prefix(err, "reading the target's catalog");
        ok = *cat != NULL;
    }
    g_strfreev(dbs);
    wharf_conn_close(m);
    return ok;
}

/* --- units from the metadata ---------------------------------------------- */

/* "DIR/metadata: [`db`.`t`] KEY" for messages about a metadata entry. */
static char *meta_where(const verify_ctx *c, const wharf_table_meta *tm, const char *key)
{
    char *g = wharf_metadata_group(tm->file_db ? tm->file_db : tm->db, tm->file_table ? tm->file_table : tm->table);
    char *s = g_strdup_printf("%s/metadata: [%s] %s", c->plan->dir, g, key);
    g_free(g);
    return s;
}

static void problem(verify_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void problem(verify_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    WLOG_ERR("%s", msg);
    g_free(msg);
    c->problems++;
}

/* A condition from the file passes the range check, or the table fails. */
static gboolean cond_ok(verify_ctx *c, const wharf_table_meta *tm, const char *key, const char *cond,
                        wharf_range_mode mode)
{
    const char *why = NULL;
    gsize at = 0;
    if (cond == NULL || wharf_range_check(cond, mode, &why, &at))
        return TRUE;
    char *w = meta_where(c, tm, key);
    problem(c, "%s: refused: not a plain %s (%s at byte %zu): %.200s", w,
            mode == WHARF_RANGE_CHUNK ? "range expression" : "condition", why, at, cond);
    g_free(w);
    return FALSE;
}

static vunit *add_unit(verify_ctx *c, vtable *vt, guint64 part, const char *range, gboolean by_content)
{
    vunit *u = g_new0(vunit, 1);
    u->vt = vt;
    u->part = part;
    u->range = range;
    u->by_content = by_content;
    vt->remaining++;
    u->name = range ? g_strdup_printf("%s chunk %05" G_GUINT64_FORMAT " [%s]", vt->lt->qname, part, range)
                    : g_strdup_printf("%s (whole table)", vt->lt->qname);
    g_ptr_array_add(c->units, u);
    return u;
}

/* A chunk entry of tm the dump recorded no sum or no range for. */
static void incomplete(verify_ctx *c, const wharf_table_meta *tm, const wharf_chunk_meta *ch, const char *what)
{
    char *key = g_strdup_printf("wharf-chunk-%05" G_GUINT64_FORMAT, ch->part);
    char *w = meta_where(c, tm, key);
    problem(c, "%s: the chunk has no %s (the dump records content checksums)", w, what);
    g_free(w);
    g_free(key);
}

/* The chunk entry of each range (NULL: the chunk held no rows), by one
 * merge walk (chunks and ranges are both in part order); FALSE (reported)
 * when an entry has no range. */
static gboolean match_ranges(verify_ctx *c, const wharf_table_meta *tm, const wharf_chunk_meta **of)
{
    guint k = 0;
    for (guint i = 0; i < tm->ranges->len; i++) {
        const wharf_range_meta *r = tm->ranges->pdata[i];
        const wharf_chunk_meta *ch = k < tm->chunks->len ? tm->chunks->pdata[k] : NULL;
        if (ch && ch->part < r->part) {
            incomplete(c, tm, ch, "wharf-range");
            return FALSE;
        }
        of[i] = ch && ch->part == r->part ? ch : NULL;
        k += of[i] != NULL;
    }
    if (k < tm->chunks->len) {
        incomplete(c, tm, tm->chunks->pdata[k], "wharf-range");
        return FALSE;
    }
    return TRUE;
}

/* A split table: one unit per recorded range, every range checked first. */
static gboolean range_units(verify_ctx *c, vtable *vt)
{
    const wharf_table_meta *tm = vt->lt->meta;
    for (guint i = 0; i < tm->ranges->len; i++) {
        const wharf_range_meta *r = tm->ranges->pdata[i];
        char *key = g_strdup_printf("wharf-range-%05" G_GUINT64_FORMAT, r->part);
        gboolean ok = cond_ok(c, tm, key, r->cond, WHARF_RANGE_CHUNK);
        g_free(key);
        if (!ok)
            return FALSE;
    }
    const wharf_chunk_meta **of = g_new0(const wharf_chunk_meta *, tm->ranges->len);
    gboolean ok = match_ranges(c, tm, of);
    for (guint i = 0; ok && i < tm->ranges->len; i++) {
        const wharf_range_meta *r = tm->ranges->pdata[i];
        vunit *u = add_unit(c, vt, r->part, r->cond, TRUE);
        u->want_rows = of[i] ? of[i]->rows : 0;
        u->want_sum = of[i] ? of[i]->sum : 0;
    }
    g_free(of);
    return ok;
}

/* Units of a table whose dump records content checksums: one per range,
 * or the whole table (read as one stream) as one. */
static gboolean content_units(verify_ctx *c, vtable *vt)
{
    const wharf_table_meta *tm = vt->lt->meta;
    for (guint i = 0; i < tm->chunks->len; i++)
        if (!((wharf_chunk_meta *)tm->chunks->pdata[i])->has_sum) {
            incomplete(c, tm, tm->chunks->pdata[i], "wharf-sum");
            return FALSE;
        }
    if (!cond_ok(c, tm, "wharf-where", tm->where, WHARF_RANGE_WHERE))
        return FALSE;
    if (tm->ranges && tm->ranges->len > 0)
        return range_units(c, vt);
    vunit *u = add_unit(c, vt, 0, NULL, TRUE);
    for (guint i = 0; i < tm->chunks->len; i++) {
        const wharf_chunk_meta *ch = tm->chunks->pdata[i];
        u->want_rows += ch->rows;
        u->want_sum += ch->sum;
    }
    return TRUE;
}

/* Content units, and the table's rows must be those of its chunks. */
static void content_table(verify_ctx *c, vtable *vt)
{
    const wharf_table_meta *tm = vt->lt->meta;
    guint first = c->units->len;
    if (!content_units(c, vt))
        return;
    gint64 sum_rows = 0;
    for (guint i = first; i < c->units->len; i++)
        sum_rows += ((vunit *)c->units->pdata[i])->want_rows;
    if (sum_rows != tm->rows) {
        char *w = meta_where(c, tm, "rows");
        problem(c, "%s: %" G_GINT64_FORMAT " rows, but its chunks hold %" G_GINT64_FORMAT, w, tm->rows, sum_rows);
        g_free(w);
    }
    c->n_by_content++;
}

/* The target object of a planned table, or NULL (reported). */
static wharf_cat_table *target_of(verify_ctx *c, const wharf_catalog *cat, const wharf_load_table *lt,
                                  gboolean view)
{
    char *k = wharf_catalog_key(lt->db->target, lt->name);
    wharf_cat_table *t = cat ? g_hash_table_lookup(cat->by_name, k) : NULL;
    g_free(k);
    if (t == NULL) {
        problem(c, "%s: missing on the target (the dump has this %s)", lt->qname, view ? "view" : "table");
        return NULL;
    }
    if ((t->kind == WHARF_OBJ_VIEW) != view) {
        problem(c, "%s: is a %s on the target, the dump has a %s", lt->qname, t->kind == WHARF_OBJ_VIEW ? "view" : "table",
                view ? "view" : "table");
        return NULL;
    }
    return t;
}

static void plan_table(verify_ctx *c, const wharf_catalog *cat, const wharf_load_table *lt, gboolean content)
{
    gboolean view = lt->view_path != NULL || (lt->meta && lt->meta->kind && strcmp(lt->meta->kind, "view") == 0);
    if (view && lt->view_path)
        return; /* compared by definition (objects.h), which also finds it missing */
    wharf_cat_table *t = target_of(c, cat, lt, view);
    if (view)
        return;
    c->n_tables++;
    if (t == NULL)
        return;
    const wharf_table_meta *tm = lt->meta;
    if (tm == NULL || tm->rows < 0) {
        problem(c, "%s: cannot be verified: the dump records no row count for it", lt->qname);
        return;
    }
    vtable *vt = g_new0(vtable, 1);
    vt->lt = lt;
    vt->target = t;
    g_ptr_array_add(c->tables, vt);
    /* the rows the dump read: with its history, and only its --where */
    t->history = tm->history;
    g_free(t->where);
    t->where = content ? g_strdup(tm->where) : NULL;
    if (content) {
        content_table(c, vt);
        return;
    }
    vunit *u = add_unit(c, vt, 0, NULL, FALSE);
    u->want_rows = tm->rows;
    c->n_by_count++;
}

/* --- running a unit --------------------------------------------------------- */

/* Rows read by one attempt are counted as they come and taken back if the
 * attempt fails. */
static gboolean compute(MYSQL *m, vunit *u, wharf_progress *pr, GError **err)
{
    if (!wharf_conn_exec(m, "START TRANSACTION READ ONLY", err))
        return FALSE;
    char *q = wharf_rows_select(u->vt->target, u->range, NULL);
    MYSQL_RES *res = wharf_conn_query_stream(m, q, err);
    g_free(q);
    if (res == NULL)
        return FALSE;
    wharf_checksum ck;
    wharf_checksum_init(&ck);
    unsigned nf = mysql_num_fields(res);
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        wharf_checksum_add_row(&ck, row, mysql_fetch_lengths(res), nf);
        if ((ck.rows & 1023) == 0)
            wharf_counter_add(&pr->rows_done, 1024);
    }
    gboolean ok = mysql_errno(m) == 0;
    if (!ok)
        wharf_conn_set_error(m, NULL, err);
    mysql_free_result(res);
    u->rows = ck.rows;
    u->sum = ck.sum;
    wharf_checksum_clear(&ck);
    ok = ok && wharf_conn_exec(m, "COMMIT", err);
    wharf_counter_add(&pr->rows_done, ok ? (u->rows & 1023) : -(u->rows & ~(gint64)1023));
    return ok;
}

/* compute() with engine/retry's policy: a transient error runs it again on a
 * fresh connection after a backoff (ended early when the run stops). */
static gboolean compute_retrying(vworker *w, vunit *u, GError **err)
{
    verify_ctx *c = w->c;
    wharf_retry rt;
    wharf_retry_init(&rt);
    for (;;) {
        GError *e = NULL;
        if (w->m == NULL)
            w->m = wharf_conn_open(&c->o->common.conn, &e);
        if (w->m && wharf_run_busy_begin(c->run, (guint)w->index, w->m, &e)) {
            gboolean ok = compute(w->m, u, &c->progress, &e);
            wharf_run_busy_end(c->run, (guint)w->index);
            if (ok)
                return TRUE;
        }
        /* the transaction may be open, the session in any state: drop it */
        wharf_conn_close(w->m);
        w->m = NULL;
        if (wharf_run_stopping(c->run)) { /* interrupted: killed, not retried */
            g_error_free(e);
            wharf_set_cancelled(err, "verify");
            return FALSE;
        }
        if (!wharf_retry_again(&rt, c->run, u->name, "on a new connection", wharf_error_is_transient(e), e, err))
            return FALSE;
    }
}

static gboolean run_unit(void *pw, wharf_job *job, GError **err)
{
    vworker *w = pw;
    vunit *u = wharf_job_payload(job);
    if (!compute_retrying(w, u, err)) {
        u->cancelled = g_error_matches(*err, WHARF_ERROR, WHARF_ERROR_CANCELLED) || wharf_run_interrupted(w->c->run);
        wharf_error_prefix(err, "%s: could not be read", u->name);
        return FALSE;
    }
    gboolean sum_differs = u->by_content && u->sum != u->want_sum;
    if (u->rows == u->want_rows && !sum_differs)
        return TRUE;
    u->differs = TRUE;
    char want[17], got[17];
    wharf_checksum_format(u->want_sum, want);
    wharf_checksum_format(u->sum, got);
    if (!u->by_content)
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "DIFFERS %s: %" G_GINT64_FORMAT " rows expected, %" G_GINT64_FORMAT
                    " found (row count only: the dump records no content checksums)",
                    u->name, u->want_rows, u->rows);
    else if (u->rows != u->want_rows)
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "DIFFERS %s: %" G_GINT64_FORMAT " rows expected, %" G_GINT64_FORMAT
                    " found (content checksum expected %s, found %s)",
                    u->name, u->want_rows, u->rows, want, got);
    else
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "DIFFERS %s: %" G_GINT64_FORMAT " rows as expected, but their content differs"
                    " (content checksum expected %s, found %s)",
                    u->name, u->rows, want, got);
    return FALSE;
}

static void *worker_new(void *ctx, int index)
{
    vworker *w = g_new0(vworker, 1);
    w->c = ctx;
    w->index = index;
    return w;
}

static void worker_free(void *p)
{
    vworker *w = p;
    wharf_conn_close(w->m);
    g_free(w);
}

static void on_final(void *pctx, wharf_job *job)
{
    verify_ctx *c = pctx;
    vunit *u = wharf_job_payload(job);
    if (g_atomic_int_dec_and_test(&u->vt->remaining))
        wharf_counter_add(&c->progress.objects_done, 1);
    if (wharf_job_state_get(job) == WHARF_JOB_FAILED && !u->cancelled)
        WLOG_ERR("%s", wharf_job_reason(job));
}

/* --- the run ------------------------------------------------------------------ */

static gboolean summary(verify_ctx *c, double seconds)
{
    guint equal = 0, differ = 0, failed = 0, not_run = 0;
    for (guint i = 0; i < c->units->len; i++) {
        vunit *u = c->units->pdata[i];
        wharf_job_state st = wharf_job_state_get(wharf_sched_job(c->sched, i));
        if (st == WHARF_JOB_DONE)
            equal++;
        else if (u->differs)
            differ++;
        else if (st == WHARF_JOB_SKIPPED || u->cancelled)
            not_run++;
        else
            failed++;
    }
    const wharf_verify_objects_result *d = &c->defs;
    WLOG_INFO("verify summary: tables %u (%u by content checksums, %u by row count only), "
              "chunks equal %u/%u, rows read %" G_GINT64_FORMAT "; views, triggers, routines and events "
              "%s %u/%u; in %.1f s",
              c->n_tables, c->n_by_content, c->n_by_count, equal, c->units->len,
              wharf_counter_get(&c->progress.rows_done),
              d->by_definition ? "equal" : "present (not compared by definition: not a wharf dump)",
              d->checked - d->differ - d->missing, d->checked, seconds);
    if (differ + failed + not_run + c->problems + d->differ + d->missing > 0) {
        WLOG_ERR("verify FAILED: %u chunk(s) differ, %u could not be read, %u not read (interrupted), "
                 "%u object definition(s) differ, %u object(s) missing, %u other problem(s) (missing tables, "
                 "refused or incomplete metadata)",
                 differ, failed, not_run, d->differ, d->missing, c->problems);
        return FALSE;
    }
    if (c->n_by_count > 0)
        WLOG_INFO("verify complete: row counts match the dump (%s records no content checksums: "
                  "contents not compared)", c->plan->dir);
    else
        WLOG_INFO("verify complete: the target holds exactly the dump's rows (every chunk's row count "
                  "and content checksum match) and object definitions");
    return TRUE;
}

static void build(verify_ctx *c, const wharf_catalog *cat)
{
    const wharf_metadata *meta = c->plan->meta;
    gboolean content = meta && meta->content_checksum && strcmp(meta->content_checksum, WHARF_CHECKSUM_SCHEME) == 0;
    if (meta && meta->content_checksum && !content)
        WLOG_WARN("%s/metadata: content checksums of an unknown scheme '%s': verifying row counts only",
                  c->plan->dir, meta->content_checksum);
    for (guint i = 0; i < c->plan->problems->len; i++)
        problem(c, "%s", (const char *)c->plan->problems->pdata[i]);
    for (guint i = 0; i < c->plan->dbs->len; i++) {
        const wharf_load_db *d = c->plan->dbs->pdata[i];
        for (guint j = 0; j < d->tables->len; j++)
            plan_table(c, cat, d->tables->pdata[j], content);
    }
}

/* Units as scheduler jobs, heaviest first; the progress totals. */
static void add_jobs(verify_ctx *c)
{
    wharf_progress_init(&c->progress, "verify");
    for (guint i = 0; i < c->tables->len; i++)
        c->progress.objects_total += ((vtable *)c->tables->pdata[i])->remaining > 0;
    for (guint i = 0; i < c->units->len; i++) {
        vunit *u = c->units->pdata[i];
        wharf_job *j = wharf_sched_add(c->sched, 1, u, u->name, FALSE);
        wharf_job_set_weight(j, u->want_rows);
        c->progress.rows_total += u->want_rows;
    }
}

/* Read the target, build and run the units: a WHARF_EXIT_* status. */
static int verify_run(verify_ctx *c, wharf_console *console)
{
    gint64 t0 = g_get_monotonic_time();
    GError *err = NULL;
    wharf_catalog *cat = NULL;
    if (!read_target(c->o, c->plan, &cat, &c->defs, &err)) {
        WLOG_ERR("%s", err->message);
        g_error_free(err);
        return WHARF_EXIT_FAILED;
    }
    build(c, cat);
    add_jobs(c);
    WLOG_INFO("verifying %u table(s) in %u unit(s) on %d worker(s)", c->n_tables, c->units->len,
              c->o->common.threads);
    wharf_reporter *rep = console ? wharf_reporter_start(console, &c->progress) : NULL;
    wharf_sched_callbacks cb = {c, worker_new, worker_free, run_unit, on_final};
    wharf_sched_run(c->sched, c->o->common.threads, &cb);
    if (rep)
        wharf_reporter_stop(rep);
    gboolean same = summary(c, (double)(g_get_monotonic_time() - t0) / 1e6);
    wharf_catalog_free(cat);
    return same ? WHARF_EXIT_OK : WHARF_EXIT_FAILED;
}

int wharf_verify_content(const wharf_load_opts *o, const wharf_load_plan *plan, wharf_console *console)
{
    verify_ctx c = {.o = o, .plan = plan};
    c.tables = g_ptr_array_new_with_free_func(g_free);
    c.units = g_ptr_array_new_with_free_func(unit_free);
    /* SIGINT/SIGTERM: no unit starts any more, running statements are
     * killed, the summary says so (engine/run). */
    c.run = wharf_run_new("verify", &o->common.conn, (guint)o->common.threads);
    c.sched = wharf_sched_new(FALSE, c.run);
    GError *err = NULL;
    /* before any thread: SIGINT/SIGTERM then reach only the watcher */
    int rc = WHARF_EXIT_FAILED;
    if (!wharf_run_watch_signals(c.run, &err)) {
        WLOG_ERR("%s", err->message);
        g_error_free(err);
    } else {
        rc = verify_run(&c, console);
    }
    wharf_run_unwatch_signals(c.run);
    int signo = wharf_run_interrupted(c.run);
    if (signo) {
        WLOG_ERR("verify interrupted (%s): the chunks not read are not verified",
                 signo == SIGINT ? "SIGINT" : "SIGTERM");
        rc = 128 + signo;
    }
    wharf_sched_free(c.sched);
    wharf_run_free(c.run);
    g_ptr_array_unref(c.units);
    g_ptr_array_unref(c.tables);
    return rc;
}

/* --from-*: the source server read at a snapshot (a whole dump whose data
 * is not kept: its metadata's checksums), instead of -d DIR. */
static const wharf_cli_route from_routes[] = {
    {"--from-host", "--host", TRUE, WHARF_SIDE_A},
    {"--from-port", "--port", TRUE, WHARF_SIDE_A},
    {"--from-user", "--user", TRUE, WHARF_SIDE_A},
    {"--from-password", "--password", TRUE, WHARF_SIDE_A},
    {"--from-socket", "--socket", TRUE, WHARF_SIDE_A},
    {"--from-defaults-file", "--defaults-file", TRUE, WHARF_SIDE_A},
    {"-B", "--databases", TRUE, WHARF_SIDE_BOTH},
    {"--databases", "--databases", TRUE, WHARF_SIDE_BOTH},
    {"--database", "--databases", TRUE, WHARF_SIDE_BOTH},
    {"-T", "--tables", TRUE, WHARF_SIDE_BOTH},
    {"--tables", "--tables", TRUE, WHARF_SIDE_BOTH},
    {"--tables-list", "--tables", TRUE, WHARF_SIDE_BOTH},
    {"-x", "--regex", TRUE, WHARF_SIDE_BOTH},
    {"--regex", "--regex", TRUE, WHARF_SIDE_BOTH},
    {"--exclude", "--exclude", TRUE, WHARF_SIDE_BOTH},
    {"-r", "--rows", TRUE, WHARF_SIDE_A},
    {"--rows", "--rows", TRUE, WHARF_SIDE_A},
    {"-F", "--chunk-size", TRUE, WHARF_SIDE_A},
    {"--chunk-size", "--chunk-size", TRUE, WHARF_SIDE_A},
    {"--lock", "--lock", TRUE, WHARF_SIDE_A},
    {"--no-defaults", "--no-defaults", FALSE, WHARF_SIDE_BOTH},
    {"--threads", "--threads", TRUE, WHARF_SIDE_BOTH},
    {"-t", "--threads", TRUE, WHARF_SIDE_BOTH},
    {"-v", "-v", FALSE, WHARF_SIDE_BOTH},
    {"-q", "-q", FALSE, WHARF_SIDE_BOTH},
};

static gboolean has_from(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (g_str_has_prefix(argv[i], "--from-"))
            return TRUE;
    return FALSE;
}

/* The source's memory dump, then the plan of it. */
static wharf_load_plan *plan_from_source(wharf_dump_opts *so, const wharf_load_opts *o, wharf_console *console,
                                         wharf_memdir *md, int *rc, GError **err)
{
    wharf_dump_source_hooks h = wharf_memdir_hooks(md);
    WLOG_INFO("reading the source at a snapshot (its rows are checksummed, not kept)");
    *rc = wharf_dump_run_into(so, console, h.open, h.data);
    if (*rc != WHARF_EXIT_OK)
        return NULL;
    wharf_dumpdir dd = wharf_memdir_dumpdir(md);
    return wharf_load_plan_read(o, &dd, err);
}

/* -d s3://BUCKET/PREFIX: the plan read from the bucket; the files are
 * named by the bucket's URL, as the load names them. */
static wharf_load_plan *plan_from_bucket(wharf_load_opts *o, wharf_s3dir **d, GError **err)
{
    *d = wharf_s3dir_new(&o->s3, o->dir, 0, err);
    if (*d == NULL)
        return NULL;
    g_free(o->dir);
    o->dir = g_strdup(wharf_s3dir_url(*d));
    wharf_dumpdir dd = wharf_s3dir_dumpdir(*d);
    return wharf_load_plan_read(o, &dd, err);
}

int wharf_verify_main(int argc, char **argv)
{
    gboolean from = has_from(argc, argv);
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free), *b = g_ptr_array_new_with_free_func(g_free);
    GError *err = NULL;
    wharf_dump_opts *so = NULL;
    wharf_load_opts o;
    int rc = -1;
    if (from && !wharf_cli_split(argc, argv, from_routes, G_N_ELEMENTS(from_routes), WHARF_SIDE_B, a, b, &err)) {
        fprintf(stderr, "wharf verify: %s\n", err->message);
        g_clear_error(&err);
        rc = WHARF_EXIT_USAGE;
    }
    if (from && rc < 0) {
        g_ptr_array_insert(b, 1, g_strdup("-d"));
        g_ptr_array_insert(b, 2, g_strdup("source"));
        wharf_cli_scrub_argv(argc, argv);
        so = wharf_dump_opts_parse_copy((int)a->len - 1, (char **)a->pdata, &rc);
    }
    if (rc < 0)
        rc = from ? wharf_load_opts_parse(WHARF_LOAD_CMD_VERIFY, (int)b->len - 1, (char **)b->pdata, &o)
                  : wharf_load_opts_parse(WHARF_LOAD_CMD_VERIFY, argc, argv, &o);
    g_ptr_array_unref(a);
    g_ptr_array_unref(b);
    if (rc >= 0) {
        wharf_dump_opts_free(so);
        return rc;
    }
    wharf_console console;
    if (!wharf_cli_console_setup(&console, &o.common, &err)) {
        fprintf(stderr, "wharf verify: %s\n", err->message);
        g_error_free(err);
        wharf_dump_opts_free(so);
        wharf_load_opts_clear(&o);
        return WHARF_EXIT_USAGE;
    }
    rc = WHARF_EXIT_FAILED;
    wharf_memdir *md = NULL;
    wharf_s3dir *bucket = NULL; /* outlives the plan, which reads through it */
    wharf_load_plan *plan;
    if (from) {
        md = wharf_memdir_new("source", 0, NULL, NULL);
        wharf_memdir_drop_data(md);
        plan = plan_from_source(so, &o, &console, md, &rc, &err);
    } else if (wharf_s3_is_url(o.dir)) {
        plan = plan_from_bucket(&o, &bucket, &err);
    } else {
        plan = wharf_load_plan_read(&o, NULL, &err);
    }
    if (plan && !wharf_load_check_named(plan, &o, &err))
        rc = WHARF_EXIT_USAGE;
    else if (plan)
        rc = wharf_verify_content(&o, plan, &console);
    if (err) {
        WLOG_ERR("%s", err->message);
        if (err->domain == WHARF_ERROR && err->code == WHARF_ERROR_USAGE)
            rc = WHARF_EXIT_USAGE;
        else if (rc == WHARF_EXIT_OK)
            rc = WHARF_EXIT_FAILED;
        g_error_free(err);
    }
    wharf_load_plan_free(plan);
    wharf_s3dir_free(bucket);
    wharf_memdir_free(md);
    wharf_console_teardown(&console);
    wharf_dump_opts_free(so);
    wharf_load_opts_clear(&o);
    return rc;
}
