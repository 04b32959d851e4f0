/* rate: --max-rate, one limit on the bytes per second of a whole run.
 *
 * Contract:
 *  - wharf_rate_take(r, n) books n bytes just moved on the run's one
 *    schedule: each caller (any thread) is given the next slot, n / rate
 *    seconds long, and waits until its slot ends, so the run's throughput
 *    stays at or under the rate (an idle limiter keeps at most 100 ms of
 *    credit), whatever the number of workers. Callers book in
 *    pieces of at most a few hundred KiB, so waits are short and even.
 *  - A wait is the run's backoff (engine/run): an interrupt ends it at
 *    once (FALSE).
 *  - A NULL limiter (no --max-rate) never waits.
 *  - Thread-safe: r->lock is a leaf lock, not held while waiting.
 */
#ifndef WHARF_CORE_RATE_H
#define WHARF_CORE_RATE_H

#include "engine/run.h"

#include <glib.h>

typedef struct wharf_rate wharf_rate;

/* bytes_per_s > 0 */
wharf_rate *wharf_rate_new(gint64 bytes_per_s, wharf_run *run);
void wharf_rate_free(wharf_rate *r);
gboolean wharf_rate_take(wharf_rate *r, gint64 n);

#endif
