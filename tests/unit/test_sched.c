/* Unit tests of src/engine/sched.c and run.c: ordering, skip propagation, order-only
 * edges, cycles, --fail-fast, and that every job ends final, with many
 * threads and many jobs. Linked to the real module. */
#include "engine/sched.h"

#include "core/error.h"
#include "engine/retry.h"

#include <string.h>

typedef struct rec {
    GMutex lock;
    GPtrArray *order; /* job names in run order */
    GHashTable *fail; /* names that fail */
    volatile gint finals;
    wharf_run *run;
    wharf_sched *sched; /* for jobs that add jobs */
} rec;

static gboolean run(void *w, wharf_job *j, GError **err)
{
    rec *r = w;
    g_mutex_lock(&r->lock);
    g_ptr_array_add(r->order, (gpointer)wharf_job_name(j));
    g_mutex_unlock(&r->lock);
    if (g_hash_table_contains(r->fail, wharf_job_name(j))) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: boom", wharf_job_name(j));
        return FALSE;
    }
    return TRUE;
}

static void *wnew(void *ctx, int i) { return ctx; }
static void final(void *ctx, wharf_job *j) { g_atomic_int_inc(&((rec *)ctx)->finals); }

static rec *rec_new(void)
{
    rec *r = g_new0(rec, 1);
    g_mutex_init(&r->lock);
    r->order = g_ptr_array_new();
    r->fail = g_hash_table_new(g_str_hash, g_str_equal);
    r->run = wharf_run_new("test", NULL, 64);
    return r;
}

static void rec_free(rec *r)
{
    g_ptr_array_free(r->order, TRUE);
    g_hash_table_unref(r->fail);
    wharf_run_free(r->run);
    g_mutex_clear(&r->lock);
    g_free(r);
}

static int pos(rec *r, const char *name)
{
    for (guint i = 0; i < r->order->len; i++)
        if (strcmp(r->order->pdata[i], name) == 0)
            return (int)i;
    return -1;
}

static void go(wharf_sched *s, rec *r, int threads)
{
    wharf_sched_callbacks cb = {r, wnew, NULL, run, final};
    wharf_sched_run(s, threads, &cb);
    g_assert_cmpint(g_atomic_int_get(&r->finals), ==, (gint)wharf_sched_count(s));
}

static void test_order_and_skip(void)
{
    rec *r = rec_new();
    wharf_sched *s = wharf_sched_new(FALSE, r->run);
    wharf_job *db = wharf_sched_add(s, 1, NULL, "db", TRUE);
    wharf_job *t = wharf_sched_add(s, 1, NULL, "t", TRUE);
    wharf_job *c1 = wharf_sched_add(s, 1, NULL, "c1", FALSE);
    wharf_job *c2 = wharf_sched_add(s, 1, NULL, "c2", FALSE);
    wharf_job *done = wharf_sched_add(s, 1, NULL, "done", TRUE);
    wharf_job *trg = wharf_sched_add(s, 1, NULL, "trg", TRUE);
    wharf_job *bar = wharf_sched_add(s, 1, NULL, "barrier", TRUE);
    wharf_job *post = wharf_sched_add(s, 1, NULL, "post", TRUE);
    wharf_sched_depend(s, t, db, TRUE);
    wharf_sched_depend(s, c1, t, TRUE);
    wharf_sched_depend(s, c2, t, TRUE);
    wharf_sched_depend(s, done, c1, TRUE);
    wharf_sched_depend(s, done, c2, TRUE);
    wharf_sched_depend(s, trg, done, TRUE);
    wharf_sched_depend(s, bar, trg, FALSE);
    wharf_sched_depend(s, bar, done, FALSE);
    wharf_sched_depend(s, post, bar, FALSE);
    wharf_sched_depend(s, post, db, TRUE);
    g_hash_table_add(r->fail, (gpointer) "c2");
    go(s, r, 4);
    g_assert_cmpint(wharf_job_state_get(db), ==, WHARF_JOB_DONE);
    g_assert_cmpint(wharf_job_state_get(c2), ==, WHARF_JOB_FAILED);
    g_assert_cmpint(wharf_job_state_get(done), ==, WHARF_JOB_SKIPPED);
    g_assert_cmpint(wharf_job_state_get(trg), ==, WHARF_JOB_SKIPPED);
    g_assert_cmpstr(wharf_job_reason(trg), ==, "done was skipped");
    /* order-only edges: the barrier and the post job still run */
    g_assert_cmpint(wharf_job_state_get(bar), ==, WHARF_JOB_DONE);
    g_assert_cmpint(wharf_job_state_get(post), ==, WHARF_JOB_DONE);
    g_assert_cmpint(pos(r, "db"), <, pos(r, "t"));
    g_assert_cmpint(pos(r, "t"), <, pos(r, "c1"));
    g_assert_cmpint(pos(r, "c2"), <, pos(r, "post"));
    g_assert_cmpint(pos(r, "done"), ==, -1);
    wharf_sched_free(s);
    rec_free(r);
}

static void test_cycle(void)
{
    rec *r = rec_new();
    wharf_sched *s = wharf_sched_new(FALSE, r->run);
    wharf_job *a = wharf_sched_add(s, 1, NULL, "a", TRUE);
    wharf_job *b = wharf_sched_add(s, 1, NULL, "b", TRUE);
    wharf_job *c = wharf_sched_add(s, 1, NULL, "c", TRUE);
    wharf_job *free_job = wharf_sched_add(s, 1, NULL, "free", TRUE);
    wharf_sched_depend(s, a, b, TRUE);
    wharf_sched_depend(s, b, a, TRUE);
    wharf_sched_depend(s, c, a, TRUE);
    go(s, r, 3);
    g_assert_cmpint(wharf_job_state_get(free_job), ==, WHARF_JOB_DONE);
    g_assert_true(wharf_job_state_get(a) == WHARF_JOB_FAILED || wharf_job_state_get(b) == WHARF_JOB_FAILED);
    g_assert_cmpint(wharf_job_state_get(c), ==, WHARF_JOB_SKIPPED);
    wharf_sched_free(s);
    rec_free(r);
}

static void test_fail_fast(void)
{
    rec *r = rec_new();
    wharf_sched *s = wharf_sched_new(TRUE, r->run);
    wharf_job *first = wharf_sched_add(s, 1, NULL, "first", TRUE);
    GPtrArray *rest = g_ptr_array_new();
    for (int i = 0; i < 100; i++) {
        char name[16];
        g_snprintf(name, sizeof name, "j%d", i);
        wharf_job *j = wharf_sched_add(s, 1, NULL, name, FALSE);
        wharf_sched_depend(s, j, first, FALSE);
        g_ptr_array_add(rest, j);
    }
    g_hash_table_add(r->fail, (gpointer) "first");
    go(s, r, 4);
    g_assert_cmpint(wharf_job_state_get(first), ==, WHARF_JOB_FAILED);
    for (guint i = 0; i < rest->len; i++)
        g_assert_cmpint(wharf_job_state_get(rest->pdata[i]), ==, WHARF_JOB_SKIPPED);
    g_assert_cmpuint(r->order->len, ==, 1);
    g_assert_true(wharf_run_stopping(r->run));
    g_assert_false(wharf_run_backoff(r->run, 1000));
    g_ptr_array_free(rest, TRUE);
    wharf_sched_free(s);
    rec_free(r);
}

/* Many tables x chunks on 32 threads: every job runs exactly once, after
 * its dependencies. */
static void test_many(void)
{
    rec *r = rec_new();
    wharf_sched *s = wharf_sched_new(FALSE, r->run);
    wharf_job *db = wharf_sched_add(s, 1, NULL, "db", TRUE);
    enum { TABLES = 3000, CHUNKS = 3 };
    for (int t = 0; t < TABLES; t++) {
        char name[32];
        g_snprintf(name, sizeof name, "t%d", t);
        wharf_job *tj = wharf_sched_add(s, 1, NULL, name, TRUE);
        wharf_sched_depend(s, tj, db, TRUE);
        g_snprintf(name, sizeof name, "d%d", t);
        wharf_job *dj = wharf_sched_add(s, 1, NULL, name, TRUE);
        for (int c = 0; c < CHUNKS; c++) {
            g_snprintf(name, sizeof name, "c%d.%d", t, c);
            wharf_job *cj = wharf_sched_add(s, 1, NULL, name, FALSE);
            wharf_sched_depend(s, cj, tj, TRUE);
            wharf_sched_depend(s, dj, cj, TRUE);
        }
    }
    go(s, r, 32);
    g_assert_cmpuint(r->order->len, ==, wharf_sched_count(s));
    for (guint i = 0; i < wharf_sched_count(s); i++)
        g_assert_cmpint(wharf_job_state_get(wharf_sched_job(s, i)), ==, WHARF_JOB_DONE);
    wharf_sched_free(s);
    rec_free(r);
}

/* A table's finishing jobs (indexes, then verify) run as soon as its data is
 * in, not after every CREATE TABLE still queued (the progress line used to
 * count no table as restored until the end of a many-tables run). */
static void test_finishing_first(void)
{
    rec *r = rec_new();
    wharf_sched *s = wharf_sched_new(FALSE, r->run);
    enum { N = 300 };
    wharf_job *db = wharf_sched_add(s, 1, NULL, "db", TRUE);
    for (int i = 0; i < N; i++) {
        char n[32];
        g_snprintf(n, sizeof n, "t%d", i);
        wharf_job *t = wharf_sched_add(s, 1, NULL, n, TRUE);
        g_snprintf(n, sizeof n, "c%d", i);
        wharf_job *c = wharf_sched_add(s, 1, NULL, n, FALSE);
        g_snprintf(n, sizeof n, "done%d", i);
        wharf_job *d = wharf_sched_add(s, 1, NULL, n, TRUE);
        g_snprintf(n, sizeof n, "verify%d", i);
        wharf_job *v = wharf_sched_add(s, 1, NULL, n, TRUE);
        wharf_sched_depend(s, t, db, TRUE);
        wharf_sched_depend(s, c, t, TRUE);
        wharf_sched_depend(s, d, c, TRUE);
        wharf_sched_depend(s, v, d, TRUE);
    }
    go(s, r, 1);
    /* once data goes first (64 chunks ready), the first table completes
     * right after its chunk, long before the last table is created */
    g_assert_cmpint(pos(r, "done0"), ==, pos(r, "c0") + 1);
    g_assert_cmpint(pos(r, "verify0"), ==, pos(r, "done0") + 1);
    g_assert_cmpint(pos(r, "verify0"), <, pos(r, "t299"));
    wharf_sched_free(s);
    rec_free(r);
}

/* A job that adds jobs while the run goes on (a dump's table adds its
 * chunks): they run, front ones before the jobs already queued. */
static gboolean run_adding(void *w, wharf_job *j, GError **err)
{
    rec *r = w;
    if (!run(w, j, err))
        return FALSE;
    if (strcmp(wharf_job_name(j), "table") == 0) {
        wharf_sched_add_ready(r->sched, 1, NULL, "chunk2", TRUE);
        wharf_sched_add_ready(r->sched, 1, NULL, "chunk1", TRUE);
        wharf_sched_add_ready(r->sched, 1, NULL, "last", FALSE);
    }
    if (strcmp(wharf_job_name(j), "stopper") == 0)
        wharf_run_stop(r->run);
    return TRUE;
}

static void test_add_ready(void)
{
    rec *r = rec_new();
    wharf_sched *s = r->sched = wharf_sched_new(FALSE, r->run);
    wharf_sched_add(s, 1, NULL, "table", TRUE);
    wharf_sched_add(s, 1, NULL, "other", TRUE);
    wharf_sched_callbacks cb = {r, wnew, NULL, run_adding, final};
    wharf_sched_run(s, 1, &cb);
    g_assert_cmpuint(wharf_sched_count(s), ==, 5);
    g_assert_cmpint(g_atomic_int_get(&r->finals), ==, 5);
    g_assert_cmpint(pos(r, "chunk1"), ==, 1);
    g_assert_cmpint(pos(r, "chunk2"), ==, 2);
    g_assert_cmpint(pos(r, "other"), ==, 3);
    g_assert_cmpint(pos(r, "last"), ==, 4);
    wharf_sched_free(s);
    rec_free(r);
}

/* The run stops from a job (as a signal does): nothing else starts, the
 * rest ends SKIPPED, backoffs end at once, and a retry gives up. */
static void test_run_stop(void)
{
    rec *r = rec_new();
    wharf_sched *s = r->sched = wharf_sched_new(FALSE, r->run);
    wharf_job *a = wharf_sched_add(s, 1, NULL, "stopper", TRUE);
    wharf_job *b = wharf_sched_add(s, 1, NULL, "after", TRUE);
    wharf_sched_callbacks cb = {r, wnew, NULL, run_adding, final};
    wharf_sched_run(s, 1, &cb);
    g_assert_cmpint(wharf_job_state_get(a), ==, WHARF_JOB_DONE);
    g_assert_cmpint(wharf_job_state_get(b), ==, WHARF_JOB_SKIPPED);
    g_assert_false(wharf_run_backoff(r->run, 60000));
    wharf_retry rt;
    wharf_retry_init(&rt);
    GError *e = g_error_new(WHARF_ERROR, WHARF_ERROR_FAILED, "lost"), *err = NULL;
    g_assert_false(wharf_retry_again(&rt, r->run, "chunk x", "again", TRUE, e, &err));
    g_assert_nonnull(strstr(err->message, "chunk x"));
    g_error_free(err);
    wharf_sched_free(s);
    rec_free(r);
}

/* The retry policy: transient errors are retried up to the limit, with
 * the attempt counted; a permanent one is not. */
static void test_retry_policy(void)
{
    wharf_run *run = wharf_run_new("test", NULL, 1);
    wharf_retry rt;
    wharf_retry_init(&rt);
    GError *err = NULL;
    int tries = 1;
    rt.delay_ms = 0; /* no backoff in a unit test: 0 doubles to 0 */
    while (wharf_retry_again(&rt, run, "job j", "now", TRUE,
                             g_error_new(WHARF_ERROR, WHARF_ERROR_FAILED, "busy"), &err))
        tries++;
    g_assert_cmpint(tries, ==, WHARF_RETRY_ATTEMPTS);
    g_assert_nonnull(strstr(err->message, "gave up after"));
    g_clear_error(&err);
    g_assert_cmpint(wharf_run_retries(run), ==, WHARF_RETRY_ATTEMPTS - 1);
    wharf_retry_init(&rt);
    g_assert_false(wharf_retry_again(&rt, run, "job k", "now", FALSE,
                                     g_error_new(WHARF_ERROR, WHARF_ERROR_FAILED, "syntax"), &err));
    g_assert_cmpstr(err->message, ==, "job k: syntax");
    g_clear_error(&err);
    wharf_run_free(run);
}

/* A held scheduler keeps its workers with nothing to do; wait_idle
 * returns once the jobs so far are final; jobs added then still run; the
 * release ends the run (a copy's source). */
typedef struct held {
    rec *r;
    wharf_sched *s;
} held;

static gpointer held_runner(gpointer data)
{
    held *h = data;
    wharf_sched_callbacks cb = {h->r, wnew, NULL, run, final};
    wharf_sched_run(h->s, 2, &cb);
    return NULL;
}

static void test_hold(void)
{
    rec *r = rec_new();
    wharf_sched *s = r->sched = wharf_sched_new(TRUE, r->run);
    wharf_sched_add(s, 1, NULL, "schema", TRUE);
    wharf_sched_hold(s);
    held h = {r, s};
    GThread *th = g_thread_new("held", held_runner, &h);
    g_assert_true(wharf_sched_wait_idle(s));
    g_assert_cmpint(pos(r, "schema"), ==, 0);
    wharf_sched_add_ready(s, 1, NULL, "later", TRUE);
    wharf_sched_add_ready(s, 1, NULL, "later2", FALSE);
    g_assert_true(wharf_sched_wait_idle(s));
    g_assert_cmpint(pos(r, "later"), >=, 1);
    g_assert_cmpint(pos(r, "later2"), >=, 1);
    wharf_sched_release(s);
    g_thread_join(th);
    g_assert_cmpint(g_atomic_int_get(&r->finals), ==, 3);
    wharf_sched_free(s);
    rec_free(r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL); /* retry warnings are expected */
    g_test_add_func("/engine/sched/order-and-skip", test_order_and_skip);
    g_test_add_func("/engine/sched/cycle", test_cycle);
    g_test_add_func("/engine/sched/fail-fast", test_fail_fast);
    g_test_add_func("/engine/sched/many", test_many);
    g_test_add_func("/engine/sched/finishing-first", test_finishing_first);
    g_test_add_func("/engine/sched/add-ready", test_add_ready);
    g_test_add_func("/engine/run/stop", test_run_stop);
    g_test_add_func("/engine/sched/hold", test_hold);
    g_test_add_func("/engine/retry/policy", test_retry_policy);
    return g_test_run();
}
