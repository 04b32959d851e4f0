/* run: the stop state of one run (dump, load, copy, verify) and its
 * interruption: the part of the run engine that every subcommand shares.
 *
 * Contract:
 *  - A run stops at most once (wharf_run_stop: the first failure of a
 *    fail-fast run, or SIGINT/SIGTERM). From then on no new statement
 *    starts (wharf_run_busy_begin fails with WHARF_ERROR_CANCELLED), every
 *    wharf_run_backoff wait ends at once, and every listener registered
 *    with wharf_run_on_stop is called once, on the stopping thread, under
 *    no lock of this module.
 *  - Busy slots: slot i holds what worker i is running on the server, the
 *    thread id of the connection of its current statement (0 = none).
 *    busy_begin checks the stop flag and sets the slot under one lock, so a
 *    statement either starts before the stop (and is killed) or never
 *    starts. A slot may instead name a getter (wharf_run_busy_getter), read
 *    at each kill round: for connections that open while waiting (the
 *    dump's lock connection).
 *  - Signals: wharf_run_watch_signals starts the signal watcher
 *    (core/sigwatch; call it before any other thread starts). The first
 *    SIGINT/SIGTERM records its number (wharf_run_interrupted), logs one
 *    warning, stops the run and sends KILL QUERY to every busy slot from a
 *    side connection, again every KILL_ROUND_MS (a KILL that reaches the
 *    server just before a statement is lost), until no slot is busy or
 *    KILL_GIVE_UP_MS passed. The rounds wait on the run's condition, they
 *    never sleep.
 *  - wharf_run_backoff is the retry wait of every subcommand (engine/retry).
 *  - Counters: retries (atomic), read in summaries.
 *
 * Lock order: run->lock is a leaf: nothing else is taken while it is held;
 * listeners and kills run without it.
 */
#ifndef WHARF_ENGINE_RUN_H
#define WHARF_ENGINE_RUN_H

#include "core/conn.h"

#include <glib.h>
#include <mysql.h>

typedef struct wharf_run wharf_run;
typedef void (*wharf_run_stop_fn)(void *data);
typedef gulong (*wharf_run_id_fn)(void *data);

/* what: "dump", "load"... (messages); conn: how to reach the server for
 * KILL QUERY (borrowed, must outlive the run); n_slots: busy slots. */
wharf_run *wharf_run_new(const char *what, const wharf_conn_opts *conn, guint n_slots);
/* Stops the signal watcher first, then frees. NULL is fine. */
void wharf_run_free(wharf_run *r);
gboolean wharf_run_watch_signals(wharf_run *r, GError **err);
/* Ends the signal watcher (waits for a running kill round); idempotent. */
void wharf_run_unwatch_signals(wharf_run *r);

/* Listeners (any thread; a stop calls those registered at that moment). */
void wharf_run_on_stop(wharf_run *r, wharf_run_stop_fn fn, void *data);
/* off_stop returns once fn runs no more: a stop calling it is waited for. */
void wharf_run_off_stop(wharf_run *r, wharf_run_stop_fn fn, void *data);
/* What a signal does (stop, log, KILL QUERY the busy slots), for a run that
 * another run's signal watcher drives (a copy's load). Runs the kills on
 * the calling thread. */
void wharf_run_interrupt(wharf_run *r, int signo);
void wharf_run_stop(wharf_run *r);
gboolean wharf_run_stopping(wharf_run *r);
/* Signal number that stopped the run, 0 = none. */
int wharf_run_interrupted(wharf_run *r);

gboolean wharf_run_busy_begin(wharf_run *r, guint slot, MYSQL *m, GError **err);
void wharf_run_busy_end(wharf_run *r, guint slot);
/* The slot's id is get(data), read at each kill round; get NULL clears. */
void wharf_run_busy_getter(wharf_run *r, guint slot, wharf_run_id_fn get, void *data);

/* Wait delay_ms, or less if the run stops: FALSE when it is stopping. */
gboolean wharf_run_backoff(wharf_run *r, gint64 delay_ms);

void wharf_run_count_retry(wharf_run *r);
gint64 wharf_run_retries(wharf_run *r);

void wharf_set_cancelled(GError **err, const char *what);

#endif
