/* sched: the job graph and the worker pool of the run engine, used by
 * every subcommand (load's object graph, dump's tables and chunks).
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
 *  - A held scheduler (wharf_sched_hold) keeps its workers until released,
 *    even with every job final: a copy's source serves chunk reads as the
 *    load asks for them.
 *  - Jobs may also be added while the run goes on
 *    (wharf_sched_add_ready: READY at once, no dependencies, at the front
 *    or the back of the schema queue): a dump's table job adds its chunks.
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
 *  - Stopping belongs to the run (engine/run.h): when the run stops (a
 *    signal, or with fail_fast the first FAILED job, which stops the run)
 *    no new job starts; running jobs finish; every job not started ends
 *    SKIPPED. Retry waits are the run's (wharf_run_backoff).
 *  - Worker i of the pool is told its index: it is the worker's busy slot
 *    in the run (slots 0..threads-1).
 *
 * Lock order: sched->lock, then run->lock (a leaf; only to read whether the
 * run stops); the job callbacks and wharf_run_stop run without sched->lock.
 */
#ifndef WHARF_ENGINE_SCHED_H
#define WHARF_ENGINE_SCHED_H

#include "engine/run.h"

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

/* The run (borrowed) stops the scheduler; fail_fast: the first FAILED job
 * stops the run. */
wharf_sched *wharf_sched_new(gboolean fail_fast, wharf_run *run);
void wharf_sched_free(wharf_sched *s);

/* Add a job. kind and payload are the caller's (payload is borrowed);
 * name is copied and used in messages ("table db.t", "chunk db.t.00003").
 * schema = TRUE puts it in the priority queue. */
wharf_job *wharf_sched_add(wharf_sched *s, int kind, void *payload, const char *name,
                           gboolean schema);
/* During the run (from a job): a job with no dependencies, READY at once,
 * at the front or the back of the schema queue. */
wharf_job *wharf_sched_add_ready(wharf_sched *s, int kind, void *payload, const char *name,
                                 gboolean front);
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


/* Keep the pool running with no job left (before wharf_sched_run, from
 * another thread than the one that runs it): jobs may still come through
 * wharf_sched_add_ready until wharf_sched_release. */
void wharf_sched_hold(wharf_sched *s);
void wharf_sched_release(wharf_sched *s);
/* Wait (on the scheduler's condition) until every job added so far is
 * final; FALSE when the run stopped instead. */
gboolean wharf_sched_wait_idle(wharf_sched *s);

/* Jobs in insertion order (for the summary). */
guint wharf_sched_count(const wharf_sched *s);
wharf_job *wharf_sched_job(const wharf_sched *s, guint i);

#endif /* WHARF_ENGINE_SCHED_H */
