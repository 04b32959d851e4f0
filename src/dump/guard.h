/* guard: the long-query guard, before the dump takes its server locks.
 *
 * Contract:
 *  - A lock such as FLUSH TABLES WITH READ LOCK (or a backup stage) waits
 *    for statements already running, and everything that comes after it
 *    waits for the lock: a backup started next to an hour-long query stalls
 *    the application. So, before the first lock, the guard lists the
 *    statements (information_schema.PROCESSLIST, one query) that have run
 *    for at least `seconds` (other sessions only; sleeping connections,
 *    replication and daemon threads left out), and:
 *      - none: the dump goes on;
 *      - kill: each is sent KILL QUERY and named in a warning (id, user,
 *        seconds, the start of its text), then the list is read again;
 *      - else it waits for them, reading the list again every second, at
 *        most `wait` seconds (0: not at all), then fails naming them.
 *  - Every wait is the run's backoff: an interrupt ends it at once.
 *  - seconds == 0: the guard is off.
 */
#ifndef WHARF_DUMP_GUARD_H
#define WHARF_DUMP_GUARD_H

#include "engine/run.h"

#include <glib.h>
#include <mysql.h>

typedef struct wharf_guard_opts {
    int seconds;   /* --long-query-guard; 0 = off */
    int wait;      /* --long-query-wait: how long to wait for them */
    gboolean kill; /* --kill-long-queries */
} wharf_guard_opts;

gboolean wharf_guard_long_queries(MYSQL *m, const wharf_guard_opts *g, wharf_run *run, GError **err);

#endif
