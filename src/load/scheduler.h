/* scheduler: the job graph of `wharf load` and the worker pool that runs it.
 *
 * Contract:
 *  - Every object to restore is a job (wharf_job) with explicit
 *    dependencies. Dependencies are added while building (before
 *    wharf_sched_run); the graph is immutable afterwards except for the
 *    per-job run state, which only this module changes, under sched->lock.
 *  - Job state machine (the only transitions; asserted with g_assert):
 *
 *        PENDING --(last dependency finished)--> READY --(popped)--> RUNNING
 *        RUNNING --(ok)--> DONE
 *        RUNNING --(error)--> FAILED
 *        PENDING|READY --(a hard dependency FAILED/SKIPPED, or
 *                         --fail-fast stop, or a dependency cycle)--> SKIPPED
 *        PENDING --(dependency cycle detected at the end)--> FAILED
 *
 *    DONE, FAILED and SKIPPED are final; each job reaches exactly one final
 *    state exactly once. wharf_sched_run() asserts at the end that every job
 *    is final: no job is ever dropped.
 *  - Edges are HARD (the dependent needs the dependency to have succeeded:
 *    a FAILED or SKIPPED dependency makes the dependent SKIPPED, recursively,
 *    each job once) or ORDER (the dependent only waits for the dependency to
 *    be final, whatever its outcome; used for barriers such as "routines
 *    after everything").
 *  - Readiness is O(1) per edge: each job counts its unfinished
 *    dependencies; when a dependency becomes final the counter is
 *    decremented under the lock and a job reaching 0 is pushed to a ready
 *    queue. Nothing scans the job list per job. Two ready queues: schema
 *    jobs (priority, FIFO) and data jobs, heaviest weight first (O(log n)
 *    per job), FIFO among equal weights. A schema job made ready by a data
 *    job, or by a job so made ready (a table's indexes, foreign keys,
 *    triggers, verify), finishes work already started: it goes to the
 *    front of the schema queue, so tables complete as their data arrives
 *    instead of after every CREATE TABLE of the run. When 16 x threads (at least 64)
 *    data jobs are ready, data goes first: the tables created but not yet
 *    loaded stay few, so they stay in the server's table cache.
 *  - Workers sleep on a GCond while nothing is ready; they are woken when a
 *    job becomes ready or the run ends.
 *  - --fail-fast: after the first FAILED job no new job starts; running jobs
 *    finish; every job not started ends SKIPPED.
 *  - wharf_sched_backoff() is the retry wait: it sleeps on the run's stop
 *    condition (g_cond_wait_until), returning early (FALSE) when the run is
 *    stopping.
 *
 * Lock order: sched->lock is a leaf lock: no other lock is taken while it
 * is held, and the job callbacks run without it.
 */
#ifndef WHARF_LOAD_SCHEDULER_H
#define WHARF_LOAD_SCHEDULER_H

#include <glib.h>

typedef enum {
    WHARF_JOB_PENDING = 0,
    WHARF_JOB_READY,
    WHARF_JOB_RUNNING,
    WHARF_JOB_DONE,
    WHARF_JOB_FAILED,
    WHARF_JOB_SKIPPED,
} wharf_job_state;

typedef struct wharf_job wharf_job;
typedef struct wharf_sched wharf_sched;

/* Runs one job on a worker. Returns FALSE with *err set on failure. */
typedef gboolean (*wharf_job_fn)(void *worker, wharf_job *job, GError **err);
/* Called once per job reaching a final state, under no lock, from the thread
 * that finalised it (for counters and logging). May be NULL. */
typedef void (*wharf_job_final_fn)(void *ctx, wharf_job *job);

typedef struct wharf_sched_callbacks {
    void *ctx;
    /* Per worker thread: create the worker state (e.g. a connection). */
    void *(*worker_new)(void *ctx, int index);
    void (*worker_free)(void *worker);
    wharf_job_fn run;
    wharf_job_final_fn final;
} wharf_sched_callbacks;

wharf_sched *wharf_sched_new(gboolean fail_fast);
void wharf_sched_free(wharf_sched *s);

/* Add a job. kind and payload are the caller's (payload is borrowed);
 * name is copied and used in messages ("table db.t", "chunk db.t.00003").
 * schema = TRUE puts it in the priority queue. */
wharf_job *wharf_sched_add(wharf_sched *s, int kind, void *payload, const char *name,
                           gboolean schema);
/* Order among ready data jobs: a higher weight runs first (default 0).
 * Set before wharf_sched_run. */
void wharf_job_set_weight(wharf_job *j, gint64 weight);
/* job waits for dep. hard: dep must succeed (else job is SKIPPED). */
void wharf_sched_depend(wharf_sched *s, wharf_job *job, wharf_job *dep, gboolean hard);

int wharf_job_kind(const wharf_job *j);
void *wharf_job_payload(const wharf_job *j);
const char *wharf_job_name(const wharf_job *j);
/* Final state and reason (for FAILED/SKIPPED); valid after the job is final. */
wharf_job_state wharf_job_state_get(const wharf_job *j);
const char *wharf_job_reason(const wharf_job *j);
const char *wharf_job_state_name(wharf_job_state st);

/* Run all jobs with `threads` workers. Returns when every job is final. */
void wharf_sched_run(wharf_sched *s, int threads, const wharf_sched_callbacks *cb);

/* Stop the run (as --fail-fast does): no new job starts. */
void wharf_sched_stop(wharf_sched *s);
gboolean wharf_sched_stopping(wharf_sched *s);
/* Wait until the monotonic time until_us, or less if the run stops.
 * Returns FALSE if the run is stopping. */
gboolean wharf_sched_backoff(wharf_sched *s, gint64 until_us);

/* Jobs in insertion order (for the summary). */
guint wharf_sched_count(const wharf_sched *s);
wharf_job *wharf_sched_job(const wharf_sched *s, guint i);

#endif
