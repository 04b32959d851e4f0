/* retry: the one retry policy of every subcommand.
 *
 * Contract:
 *  - A unit of work (a job, a step of one) is tried at most
 *    WHARF_RETRY_ATTEMPTS times. After a failed attempt the caller says
 *    whether its error is transient (core/error's classification, which is
 *    the single place that decides which errors are); wharf_retry_again
 *    then either
 *      - retries: logs one warning ("WHAT: error; retrying in N ms HOW
 *        (attempt k of N)"), counts the retry in the run, waits the backoff
 *        (100 ms doubling to 5 s) on the run's stop condition, frees the
 *        error and returns TRUE; or
 *      - gives up: the error, prefixed with WHAT (and "gave up after N
 *        attempts" or "not retried, the run is stopping"), goes to *err and
 *        it returns FALSE. A run that is stopping is never retried.
 *  - The caller replays only the work that did not commit: that is its
 *    part of the contract (a chunk is one transaction, a file is written
 *    whole under a temporary name...).
 *  - No state but the wharf_retry the caller owns: thread-safe.
 */
#ifndef WHARF_ENGINE_RETRY_H
#define WHARF_ENGINE_RETRY_H

#include "engine/run.h"

#include <glib.h>

#define WHARF_RETRY_ATTEMPTS 8

typedef struct wharf_retry {
    int attempt;     /* attempts made so far, 1 after the first */
    gint64 delay_ms; /* the next backoff */
} wharf_retry;

/* Before the first attempt. */
void wharf_retry_init(wharf_retry *r);
/* After a failed attempt with error e (consumed). how: where the retry
 * runs ("on a new connection"). */
gboolean wharf_retry_again(wharf_retry *r, wharf_run *run, const char *what, const char *how,
                           gboolean transient, GError *e, GError **err);

#endif
