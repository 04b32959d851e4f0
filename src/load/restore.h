/* restore: executing one load job on a worker's connection.
 *
 * Contract:
 *  - Each worker owns one connection (opened lazily, reopened after a lost
 *    connection) with the load session: SQL_MODE from the dump's metadata
 *    (default NO_AUTO_VALUE_ON_ZERO), time_zone '+00:00', NAMES binary,
 *    FOREIGN_KEY_CHECKS=0, UNIQUE_CHECKS=1 (docs/design-load.md: 0 would
 *    turn InnoDB's empty-table bulk insert on), READ COMMITTED, optionally
 *    SQL_LOG_BIN=0, LOCAL INFILE enabled.
 *  - wharf_restore_run() is the scheduler's job function. It retries
 *    transient errors (wharf_error_is_transient, and 1146 for jobs that run
 *    after this run's own DDL) with exponential backoff (100 ms doubling to
 *    5 s, 8 attempts: engine/retry's one policy) on a fresh connection; the
 *    wait ends when the run stops. A permanent error fails the job with
 *    the object, the file and the server's error in the message.
 *  - A data chunk is one transaction: BEGIN, its statements, COMMIT. A retry
 *    replays only that chunk (the failed transaction was rolled back).
 *    Statements come from the streaming splitter (max statement size = the
 *    server's max_allowed_packet); a .dat chunk goes through LOAD DATA LOCAL
 *    INFILE fed from the decompressing reader by a local infile handler
 *    (only the expected file is ever opened, whatever name the server
 *    asks for). If the server refuses LOCAL INFILE, .dat rows become
 *    multi-row INSERTs (format/value.h), with one warning.
 *  - While streaming a chunk, its CRC-32 and byte count are checked against
 *    metadata's wharf-chunk entry when there is one; a mismatch rolls the
 *    chunk back and fails it, naming the file.
 *  - With --resume, a job the journal lists is not run again (a table's
 *    schema file is still read, without executing it, for its deferred
 *    indexes); every job that completes is appended to the journal (a chunk
 *    after its COMMIT). Triggers, routines and events are then replaced, as
 *    a crashed run may have created some of them.
 *  - Counters (rows, bytes, objects) are atomics in wharf_load_ctx; progress
 *    counters of a chunk attempt that rolled back are taken back.
 */
#ifndef WHARF_LOAD_RESTORE_H
#define WHARF_LOAD_RESTORE_H

#include "core/conn.h"
#include "core/galera.h"
#include "load/parts.h"
#include "core/console.h"
#include "load/journal.h"
#include "load/load.h"
#include "load/plan.h"
#include "core/rate.h"
#include "engine/retry.h"
#include "engine/sched.h"

#include <glib.h>

/* The run's shared state. Read-only during the run except the atomics. */
typedef struct wharf_load_ctx {
    const wharf_load_opts *o;
    wharf_load_plan *plan;
    wharf_sched *sched;
    wharf_conn_opts conn;     /* the user's options with local_infile on (strings borrowed) */
    char *session_sql;        /* SET SESSION ... for every connection */
    gulong max_packet;        /* server's max_allowed_packet */
    wharf_progress progress;  /* atomics */
    volatile gint infile_refused;  /* atomic: server refuses LOCAL INFILE */
    volatile gint64 chunks_loaded, rows_loaded, bytes_loaded; /* atomics, committed work */
    volatile gint64 n_triggers, n_routines, n_events, n_resumed; /* atomics */
    wharf_journal *journal;   /* --resume, or NULL */
    /* The run: stop, interrupt, busy slot per worker, retries. */
    wharf_run *run;
    wharf_run *parent;        /* a copy's source run, whose stop is ours, or NULL */
    wharf_rate *rate;         /* --max-rate, or NULL */
    /* A Galera target (load/cluster.h), set before the run, then read only. */
    wharf_galera galera;      /* on = FALSE: not Galera */
    gint64 part_rows;         /* > 0: chunks commit every part_rows rows */
    wharf_parts *parts;       /* their committed rows, when part_rows > 0 */
    /* The cluster's gate (load/cluster.h): schema jobs one at a time and
     * never beside a data job. gate_lock guards the three counters below;
     * waits are on gate_cond. */
    GMutex gate_lock;
    GCond gate_cond;
    guint gate_data;          /* data jobs inside */
    gboolean gate_ddl;        /* a schema job is inside */
    gboolean gate_alone;      /* it runs alone (or waits for the data jobs to leave) */
} wharf_load_ctx;


/* Scheduler callbacks. */
void *wharf_restore_worker_new(void *ctx, int index);
void wharf_restore_worker_free(void *worker);
gboolean wharf_restore_run(void *worker, wharf_job *job, GError **err);

#endif
