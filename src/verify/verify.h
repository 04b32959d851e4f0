/* verify: does a server hold exactly the rows of a dump? (`wharf verify`,
 * and `wharf load --verify=content`.)
 *
 * Contract:
 *  - wharf_verify_main() takes the options `wharf load` takes to say which
 *    dump, which of its objects and which target (load.h:
 *    wharf_load_opts_parse, the same -B -T -x --exclude --into), plans the
 *    dump as load does (load/plan.h: names, filters, mapping) and runs
 *    wharf_verify_content(); exit 0 only when everything matched.
 *  - For every table chunk the dump records, the target runs the dump's
 *    own SELECT (dump/rows.h wharf_rows_select, with the target's columns
 *    from one bulk catalog read, dump/catalog.h) restricted to the chunk's
 *    key range and the table's --where, in a READ ONLY transaction on a
 *    connection set up as the dump's (NAMES binary, time_zone '+00:00'),
 *    and sums the canonical row hashes (format/checksum.h): the row count
 *    and checksum must equal the metadata's. Chunks that held no rows at
 *    dump time are recorded with their ranges and must still hold none.
 *    A dump without content checksums (older wharf, mydumper) is verified
 *    by each table's row count only, and the summary says so; a table
 *    with no recorded row count cannot be verified and fails.
 *  - Every range and --where read from `metadata` passes verify/range.h
 *    before it is sent; a refused one fails its table, naming the file,
 *    the group and the key.
 *  - Chunks run in parallel as jobs of the job scheduler (-t workers, one
 *    connection each); transient errors are retried on a fresh connection.
 *    No job is dropped: each ends equal, different, or failed, and each
 *    difference is logged with its table and key range, expected and
 *    found rows. Tables, sequences and views missing on the target are
 *    each reported. Progress (tables done, rows read) is shown on the
 *    console as the console's mode says; the run ends with a summary.
 *    SIGINT/SIGTERM stop it cleanly: no unit starts, running statements
 *    are killed, the summary is printed, exit 130/143.
 *  - Views, triggers, routines, packages and events are compared by
 *    definition with the target's SHOW CREATE (verify/objects.h), on the
 *    connection that reads the target's catalog, before the rows.
 *  - The target is assumed quiet while it is read (nothing writes to it).
 */
#ifndef WHARF_VERIFY_VERIFY_H
#define WHARF_VERIFY_VERIFY_H

#include "load/load.h"
#include "load/plan.h"

#include <glib.h>

/* Verify the plan's objects on o's target, showing progress on console
 * (may be NULL). Returns WHARF_EXIT_OK when everything matched,
 * WHARF_EXIT_FAILED when anything differs or could not be read (each
 * logged), 128 + the signal when SIGINT/SIGTERM stopped it (read by its
 * own signal watcher: call it while no other thread runs and no other
 * watcher is active). A wharf_load_content_fn. */
int wharf_verify_content(const wharf_load_opts *o, const wharf_load_plan *plan, wharf_console *console);

/* `wharf verify`: returns a WHARF_EXIT_* status. */
int wharf_verify_main(int argc, char **argv);

#endif
