/* copy: `wharf copy`, a migration from one server to another (or to
 * another name on the same server) with no file in between.
 *
 * Contract:
 *  - Options: the dump's (source connection -h -P -u -p -S --defaults-file,
 *    filters, --lock, chunking, --max-rate...) and the target's:
 *    --to-host, --to-port, --to-user, --to-password, --to-socket,
 *    --to-defaults-file, and load's --into, --if-exists, --skip-binlog,
 *    --defer-indexes, --load-data, --fail-fast, --summary-json. -t, -v, -q
 *    and the progress options serve both halves. Each half parses its own
 *    options with its own parser: one spelling, one meaning.
 *  - One run: the source is the dump (dump/dump.h, wharf_dump_run_source):
 *    one consistent snapshot, schema files and metadata in memory
 *    (copy/memdir.h), chunk plans; then the load (wharf_load_run_source)
 *    restores that memory dump, reading each data chunk through a bounded
 *    pipe from a source worker that reads it from the snapshot as the load
 *    asks. The load's job graph, retries (a failed chunk is read again, from
 *    the same snapshot) and summary are the load's; its exit status is the
 *    copy's.
 *  - The same server as source and target: --into (another database name)
 *    is required, and the source takes no DDL lock (the load's DDL would
 *    wait for it); said in the log.
 *  - Interrupted or failed, a copy cannot be resumed (its snapshot is gone):
 *    a rerun starts again from a new snapshot; with --if-exists=drop it
 *    replaces what the failed run created.
 */
#ifndef WHARF_COPY_COPY_H
#define WHARF_COPY_COPY_H

int wharf_copy_main(int argc, char **argv);

#endif
