/* sched: job graph, states, ready queues and worker pool.
 * The contract, the state machine and the lock order are in sched.h.
 *
 * Invariants (checked with g_assert where they are relied on):
 *  - job->waiting == number of dependencies not yet final, for jobs that are
 *    PENDING; a job is in a ready queue iff its state is READY.
 *  - s->unfinished == number of jobs not in a final state.
 *  - s->running == number of jobs in state RUNNING.
 *  - every state change happens in this file, with s->lock held.
 */
#include "engine/sched.h"

#include "core/error.h"

#include <string.h>

/* Jobs and edges live in blocks (a job's address never changes, and
 * there is no allocation per job or per edge): at 250,000 tables a load has
 * a million jobs, and a malloc'd struct, name and array per job cost more
 * than the jobs themselves. */
#define BLOCK_SHIFT 10
#define BLOCK_LEN (1u << BLOCK_SHIFT)

typedef struct block_list {
    GPtrArray *blocks; /* of BLOCK_LEN elements each */
    gsize elt;         /* element size */
    guint len;         /* elements in use */
} block_list;

static void blocks_init(block_list *b, gsize elt)
{
    b->blocks = g_ptr_array_new_with_free_func(g_free);
    b->elt = elt;
    b->len = 0;
}

static void *blocks_at(const block_list *b, guint i)
{
    return (char *)b->blocks->pdata[i >> BLOCK_SHIFT] + (gsize)(i & (BLOCK_LEN - 1)) * b->elt;
}

/* A new zeroed element at index b->len. */
static void *blocks_push(block_list *b)
{
    if ((b->len & (BLOCK_LEN - 1)) == 0)
        g_ptr_array_add(b->blocks, g_malloc0(b->elt * BLOCK_LEN));
    return blocks_at(b, b->len++);
}

typedef struct edge {
    wharf_job *job;  /* the dependent */
    guint32 next;    /* next edge of the same dependency (index + 1), 0 = last */
    guint32 hard;
} edge;

struct wharf_job {
    /* Set while building, read-only during the run. */
    void *payload;
    const char *name;   /* in wharf_sched.names */
    gint64 weight;      /* data jobs: heavier first */
    int kind;
    guint seq;          /* creation order: FIFO among equal weights */
    guint ndeps;
    /* Its dependents, in the order they were added: a list through
     * wharf_sched.edges (index + 1; 0 = none). */
    guint32 first_edge, last_edge;
    gboolean schema;
    /* Guarded by wharf_sched.lock during the run. */
    wharf_job_state state;
    guint waiting;   /* dependencies not yet final */
    char *reason;    /* why FAILED or SKIPPED */
    /* Made ready by a data job or by a finishing job (a table's indexes,
     * foreign keys, triggers, verify): it completes work already started,
     * so it goes to the front of the schema queue, before new tables. */
    gboolean finishing;
};

struct wharf_sched {
    block_list jobs;     /* of wharf_job, owned; fixed once the run starts */
    block_list edges;    /* of edge (read-only once the run starts) */
    GStringChunk *names; /* every job's name */
    gboolean fail_fast;  /* read-only */
    wharf_run *run;      /* read-only; its stop is this scheduler's */
    GMutex lock;         /* guards everything below and every job's run state */
    GCond cond;          /* a job became ready, a job finished, or the run ends */
    GQueue ready_schema; /* READY jobs, schema first (FIFO) */
    GSequence *ready_data; /* READY data jobs by (weight desc, seq): O(log n) */
    guint ready_data_n;    /* length of ready_data */
    guint data_backlog;    /* read-only during the run: see worker_main */
    guint running;
    guint unfinished;    /* jobs not final, plus held */
    guint held;          /* wharf_sched_hold: the run goes on with no job */
    gboolean stopping;   /* the run stopped (set by its listener) */
    gboolean started;
};

const char *wharf_job_state_name(wharf_job_state st)
{
    switch (st) {
    case WHARF_JOB_PENDING: return "PENDING";
    case WHARF_JOB_READY: return "READY";
    case WHARF_JOB_RUNNING: return "RUNNING";
    case WHARF_JOB_DONE: return "DONE";
    case WHARF_JOB_FAILED: return "FAILED";
    case WHARF_JOB_SKIPPED: return "SKIPPED";
    }
    return "?";
}

static gboolean is_final(wharf_job_state st)
{
    return st == WHARF_JOB_DONE || st == WHARF_JOB_FAILED || st == WHARF_JOB_SKIPPED;
}

static void on_run_stop(void *data)
{
    wharf_sched *s = data;
    g_mutex_lock(&s->lock);
    s->stopping = TRUE;
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
}

wharf_sched *wharf_sched_new(gboolean fail_fast, wharf_run *run)
{
    wharf_sched *s = g_new0(wharf_sched, 1);
    s->run = run;
    blocks_init(&s->jobs, sizeof(wharf_job));
    blocks_init(&s->edges, sizeof(edge));
    s->names = g_string_chunk_new(64 * 1024);
    s->fail_fast = fail_fast;
    g_mutex_init(&s->lock);
    g_cond_init(&s->cond);
    g_queue_init(&s->ready_schema);
    s->ready_data = g_sequence_new(NULL);
    wharf_run_on_stop(run, on_run_stop, s);
    if (wharf_run_stopping(run))
        s->stopping = TRUE;
    return s;
}

void wharf_sched_free(wharf_sched *s)
{
    if (s == NULL)
        return;
    wharf_run_off_stop(s->run, on_run_stop, s);
    for (guint i = 0; i < s->jobs.len; i++)
        g_free(((wharf_job *)blocks_at(&s->jobs, i))->reason);
    g_ptr_array_free(s->jobs.blocks, TRUE);
    g_ptr_array_free(s->edges.blocks, TRUE);
    g_string_chunk_free(s->names);
    g_queue_clear(&s->ready_schema);
    g_sequence_free(s->ready_data);
    g_mutex_clear(&s->lock);
    g_cond_clear(&s->cond);
    g_free(s);
}

wharf_job *wharf_sched_add(wharf_sched *s, int kind, void *payload, const char *name, gboolean schema)
{
    g_assert(!s->started);
    guint seq = s->jobs.len;
    wharf_job *j = blocks_push(&s->jobs);
    j->kind = kind;
    j->payload = payload;
    j->name = g_string_chunk_insert(s->names, name);
    j->schema = schema;
    j->seq = seq;
    j->state = WHARF_JOB_PENDING;
    return j;
}

static void make_ready_locked(wharf_sched *s, wharf_job *j);

wharf_job *wharf_sched_add_ready(wharf_sched *s, int kind, void *payload, const char *name,
                                 gboolean front)
{
    g_mutex_lock(&s->lock);
    g_assert(s->started);
    wharf_job *j = blocks_push(&s->jobs);
    j->kind = kind;
    j->payload = payload;
    j->name = g_string_chunk_insert(s->names, name);
    j->schema = TRUE;
    j->seq = s->jobs.len - 1;
    j->state = WHARF_JOB_PENDING;
    j->finishing = front;
    s->unfinished++;
    make_ready_locked(s, j);
    g_mutex_unlock(&s->lock);
    return j;
}

void wharf_sched_depend(wharf_sched *s, wharf_job *job, wharf_job *dep, gboolean hard)
{
    g_assert(!s->started);
    g_assert(job != NULL && dep != NULL && job != dep);
    g_assert(s->edges.len < G_MAXUINT32);
    edge *e = blocks_push(&s->edges);
    e->job = job;
    e->hard = hard;
    guint32 idx = s->edges.len; /* index + 1 */
    if (dep->last_edge)
        ((edge *)blocks_at(&s->edges, dep->last_edge - 1))->next = idx;
    else
        dep->first_edge = idx;
    dep->last_edge = idx;
    job->ndeps++;
}

void wharf_job_set_weight(wharf_job *j, gint64 weight)
{
    j->weight = weight;
}

int wharf_job_kind(const wharf_job *j) { return j->kind; }
void *wharf_job_payload(const wharf_job *j) { return j->payload; }
const char *wharf_job_name(const wharf_job *j) { return j->name; }
wharf_job_state wharf_job_state_get(const wharf_job *j) { return j->state; }
const char *wharf_job_reason(const wharf_job *j) { return j->reason; }
guint wharf_sched_count(const wharf_sched *s) { return s->jobs.len; }
wharf_job *wharf_sched_job(const wharf_sched *s, guint i)
{
    g_assert(i < s->jobs.len);
    return blocks_at(&s->jobs, i);
}

/* --- state transitions (all with s->lock held) --------------------------- */

static gint cmp_ready(gconstpointer a, gconstpointer b, gpointer unused)
{
    const wharf_job *x = a, *y = b;
    (void)unused;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void make_ready_locked(wharf_sched *s, wharf_job *j)
{
    g_assert(j->state == WHARF_JOB_PENDING && j->waiting == 0);
    j->state = WHARF_JOB_READY;
    if (j->schema && j->finishing)
        g_queue_push_head(&s->ready_schema, j);
    else if (j->schema)
        g_queue_push_tail(&s->ready_schema, j);
    else {
        g_sequence_insert_sorted(s->ready_data, j, cmp_ready, NULL);
        s->ready_data_n++;
    }
    g_cond_signal(&s->cond);
}

/* Move j to a final state and propagate to its dependents: each dependent
 * loses one waiting dependency (and becomes READY at 0), or, for a hard edge
 * from a failed/skipped job, becomes SKIPPED itself (and propagates in turn).
 * An explicit stack instead of recursion: chains can be long. Every job that
 * became final is appended to `finals` for the caller's callbacks. */
static void finish_locked(wharf_sched *s, wharf_job *j, wharf_job_state st, char *reason,
                          GPtrArray *finals)
{
    g_assert(is_final(st));
    g_assert(!is_final(j->state));
    if (st == WHARF_JOB_DONE || st == WHARF_JOB_FAILED)
        g_assert(j->state == WHARF_JOB_RUNNING || (st == WHARF_JOB_FAILED && j->state == WHARF_JOB_PENDING));
    else
        g_assert(j->state == WHARF_JOB_PENDING || j->state == WHARF_JOB_READY);
    j->state = st;
    j->reason = reason;
    s->unfinished--;
    g_ptr_array_add(finals, j);

    GPtrArray *stack = g_ptr_array_new();
    g_ptr_array_add(stack, j);
    while (stack->len > 0) {
        wharf_job *x = g_ptr_array_steal_index(stack, stack->len - 1);
        gboolean ok = x->state == WHARF_JOB_DONE;
        for (guint32 ei = x->first_edge; ei != 0;) {
            const edge *e = blocks_at(&s->edges, ei - 1);
            ei = e->next;
            wharf_job *d = e->job;
            if (is_final(d->state))
                continue; /* already skipped through another path */
            g_assert(d->state == WHARF_JOB_PENDING && d->waiting > 0);
            if (!ok && e->hard) {
                d->state = WHARF_JOB_SKIPPED;
                d->reason = g_strdup_printf("%s %s", x->name,
                                            x->state == WHARF_JOB_FAILED ? "failed" : "was skipped");
                s->unfinished--;
                g_ptr_array_add(finals, d);
                g_ptr_array_add(stack, d);
                continue;
            }
            if (!x->schema || x->finishing)
                d->finishing = TRUE;
            if (--d->waiting == 0)
                make_ready_locked(s, d);
        }
    }
    g_ptr_array_free(stack, TRUE);
    g_cond_broadcast(&s->cond);
}

/* Fail-fast: the run is to stop. Workers see s->stopping at once; the
 * run itself (and its other listeners) is told by the caller once
 * s->lock is released (*stop_run). */
static void stop_locked(wharf_sched *s, gboolean *stop_run)
{
    if (!s->stopping) {
        s->stopping = TRUE;
        g_cond_broadcast(&s->cond);
    }
    *stop_run = TRUE;
}

/* Nothing READY, nothing RUNNING, yet jobs are unfinished: the remaining
 * PENDING jobs wait on each other (a cycle in the dependencies, e.g. two
 * views naming each other). Fail one of them to break it; its dependents are
 * then skipped or readied. Rare, so one scan per broken cycle is fine. */
static void break_cycle_locked(wharf_sched *s, GPtrArray *finals, gboolean *stop_run)
{
    for (guint i = 0; i < s->jobs.len; i++) {
        wharf_job *j = blocks_at(&s->jobs, i);
        if (j->state == WHARF_JOB_PENDING) {
            finish_locked(s, j, WHARF_JOB_FAILED,
                          g_strdup("dependency cycle: its dependencies can never complete"), finals);
            if (s->fail_fast)
                stop_locked(s, stop_run);
            return;
        }
    }
    g_assert_not_reached();
}

typedef struct worker_arg {
    wharf_sched *s;
    const wharf_sched_callbacks *cb;
    int index;
} worker_arg;

static void call_finals(const wharf_sched_callbacks *cb, GPtrArray *finals)
{
    if (cb->final)
        for (guint i = 0; i < finals->len; i++)
            cb->final(cb->ctx, finals->pdata[i]);
    g_ptr_array_set_size(finals, 0);
}

static wharf_job *pop_data_locked(wharf_sched *s)
{
    GSequenceIter *it = g_sequence_get_begin_iter(s->ready_data);
    if (g_sequence_iter_is_end(it))
        return NULL;
    wharf_job *j = g_sequence_get(it);
    g_sequence_remove(it);
    g_assert(s->ready_data_n > 0);
    s->ready_data_n--;
    return j;
}

static gpointer worker_main(gpointer data)
{
    worker_arg *a = data;
    wharf_sched *s = a->s;
    const wharf_sched_callbacks *cb = a->cb;
    void *w = cb->worker_new ? cb->worker_new(cb->ctx, a->index) : NULL;
    GPtrArray *finals = g_ptr_array_new();

    for (;;) {
        wharf_job *job = NULL;
        gboolean stop_run = FALSE;
        g_mutex_lock(&s->lock);
        for (;;) {
            if (s->unfinished == 0 || s->stopping)
                break;
            /* Schema jobs first (they unlock data), unless enough data is
             * already waiting: then data first, so the tables created but
             * not yet loaded stay few and in the server's table cache
             * (at 25,000 tables, creating every table before loading any
             * made each chunk reopen its table). */
            if (s->ready_data_n >= s->data_backlog)
                job = pop_data_locked(s);
            if (job == NULL)
                job = g_queue_pop_head(&s->ready_schema);
            if (job == NULL)
                job = pop_data_locked(s);
            if (job)
                break;
            if (s->running == 0 && s->unfinished > s->held) {
                break_cycle_locked(s, finals, &stop_run);
                continue;
            }
            g_cond_wait(&s->cond, &s->lock);
        }
        if (job) {
            g_assert(job->state == WHARF_JOB_READY);
            job->state = WHARF_JOB_RUNNING;
            s->running++;
        }
        g_mutex_unlock(&s->lock);
        if (stop_run)
            wharf_run_stop(s->run);
        call_finals(cb, finals);
        if (job == NULL)
            break;

        GError *err = NULL;
        gboolean ok = cb->run(w, job, &err);
        g_assert(ok || err != NULL);

        g_mutex_lock(&s->lock);
        g_assert(job->state == WHARF_JOB_RUNNING);
        s->running--;
        if (ok) {
            finish_locked(s, job, WHARF_JOB_DONE, NULL, finals);
        } else {
            finish_locked(s, job, WHARF_JOB_FAILED, g_strdup(err->message), finals);
            if (s->fail_fast)
                stop_locked(s, &stop_run);
        }
        g_mutex_unlock(&s->lock);
        if (stop_run)
            wharf_run_stop(s->run);
        g_clear_error(&err);
        call_finals(cb, finals);
    }
    g_mutex_lock(&s->lock);
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
    g_ptr_array_free(finals, TRUE);
    if (cb->worker_free)
        cb->worker_free(w);
    return NULL;
}

void wharf_sched_run(wharf_sched *s, int threads, const wharf_sched_callbacks *cb)
{
    g_assert(!s->started && threads >= 1);
    GPtrArray *finals = g_ptr_array_new();
    g_mutex_lock(&s->lock);
    s->started = TRUE;
    s->data_backlog = (guint)threads * 16 < 64 ? 64 : (guint)threads * 16;
    s->unfinished = s->jobs.len + s->held;
    for (guint i = 0; i < s->jobs.len; i++) {
        wharf_job *j = blocks_at(&s->jobs, i);
        j->waiting = j->ndeps;
    }
    for (guint i = 0; i < s->jobs.len; i++) {
        wharf_job *j = blocks_at(&s->jobs, i);
        if (j->waiting == 0)
            make_ready_locked(s, j);
    }
    g_mutex_unlock(&s->lock);

    worker_arg *args = g_new0(worker_arg, threads);
    GThread **th = g_new0(GThread *, threads);
    for (int i = 0; i < threads; i++) {
        args[i] = (worker_arg){s, cb, i};
        th[i] = g_thread_new("wharf-worker", worker_main, &args[i]);
    }
    for (int i = 0; i < threads; i++)
        g_thread_join(th[i]);
    g_free(th);
    g_free(args);

    /* Every worker has exited: nothing runs. Jobs not final now were never
     * started because the run stopped; they end SKIPPED. */
    g_mutex_lock(&s->lock);
    g_assert(s->running == 0);
    for (guint i = 0; i < s->jobs.len; i++) {
        wharf_job *j = blocks_at(&s->jobs, i);
        if (is_final(j->state))
            continue;
        g_assert(s->stopping);
        g_assert(j->state == WHARF_JOB_PENDING || j->state == WHARF_JOB_READY);
        j->state = WHARF_JOB_SKIPPED;
        j->reason = g_strdup(wharf_run_interrupted(s->run) ? "not started: the run was interrupted"
                                                            : "not started: the run stopped after a failure");
        s->unfinished--;
        g_ptr_array_add(finals, j);
    }
    g_queue_clear(&s->ready_schema);
    g_sequence_remove_range(g_sequence_get_begin_iter(s->ready_data), g_sequence_get_end_iter(s->ready_data));
    s->ready_data_n = 0;
    /* No job is ever dropped. */
    g_assert(s->unfinished == s->held);
    for (guint i = 0; i < s->jobs.len; i++)
        g_assert(is_final(((wharf_job *)blocks_at(&s->jobs, i))->state));
    g_mutex_unlock(&s->lock);
    call_finals(cb, finals);
    g_ptr_array_free(finals, TRUE);
}

void wharf_sched_hold(wharf_sched *s)
{
    g_mutex_lock(&s->lock);
    g_assert(!s->started);
    s->held++;
    g_mutex_unlock(&s->lock);
}

void wharf_sched_release(wharf_sched *s)
{
    g_mutex_lock(&s->lock);
    g_assert(s->held > 0);
    s->held--;
    if (s->started)
        s->unfinished--;
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
}

gboolean wharf_sched_wait_idle(wharf_sched *s)
{
    g_mutex_lock(&s->lock);
    while (!s->stopping && (!s->started || s->unfinished > s->held))
        g_cond_wait(&s->cond, &s->lock); /* a job finishing or the run stopping broadcasts */
    gboolean idle = !s->stopping;
    g_mutex_unlock(&s->lock);
    return idle;
}
