/* dump: the `wharf dump` subcommand (driver of the dump modules).
 *
 * Contract:
 *  - wharf_dump_main() parses the options once into a read-only struct,
 *    checks the output directory (must not exist or be empty; created 0700),
 *    then runs: DDL lock -> catalog (bulk information_schema reads) ->
 *    snapshot sessions opened under a brief commit block -> worker threads
 *    (schema files on their autocommit connections, data chunks on snapshot
 *    sessions) -> locks released -> `metadata` written last.
 *  - Any failure stops the workers, prints one line naming the object and
 *    the server error, leaves no `metadata` file and returns
 *    WHARF_EXIT_FAILED; bad options return WHARF_EXIT_USAGE.
 *  - Threads, queues and locks are described in docs/design-dump.md.
 */
#ifndef WHARF_DUMP_DUMP_H
#define WHARF_DUMP_DUMP_H

#include "core/cli.h"
#include "core/console.h"
#include "core/stream.h"
#include "engine/run.h"

/* Parse options, run the dump, return a WHARF_EXIT_* status. */
int wharf_dump_main(int argc, char **argv);

/* The dump as the source of a copy (copy/copy.h): the same options (no
 * -o), catalog, snapshot, schema files and chunk plans, every file given to
 * hooks instead of a directory, and each data chunk read only when the
 * copy asks for it (wharf_dump_source_read), from the one snapshot. */
typedef struct wharf_dump_opts wharf_dump_opts;
typedef struct wharf_dump_source_hooks {
    /* Every file the source writes: schema files, `metadata`, chunks. */
    wharf_writer *(*open)(void *data, const char *name, GError **err);
    /* A chunk of the dump (file name, estimated size): read it with
     * wharf_dump_source_read(handle), as often as needed. */
    void (*chunk)(void *data, const char *name, gint64 est_bytes, void *handle);
    /* A read of chunk `name` failed (its writer was aborted): why. */
    void (*failed)(void *data, const char *name, const GError *why);
    /* Schema files and `metadata` are written: run the consumer (the
     * chunk reads happen meanwhile), return its exit status. run: the
     * source's run (its stop is the consumer's). */
    int (*ready)(void *data, wharf_run *run);
    void *data;
} wharf_dump_source_hooks;

/* NULL with *rc the exit status (help, usage error) when the copy is not to run. */
wharf_dump_opts *wharf_dump_opts_parse_copy(int argc, char **argv, int *rc);
void wharf_dump_opts_free(wharf_dump_opts *o);
const wharf_cli_common *wharf_dump_opts_common(const wharf_dump_opts *o);
/* Run the source; returns ready()'s status, or the source's own failure. */
int wharf_dump_run_source(wharf_dump_opts *o, wharf_console *console, const wharf_dump_source_hooks *h);
/* A whole dump (every chunk read, checksums and ranges in `metadata`)
 * whose files go to open() instead of a directory (verify --from: its
 * data is not kept). Returns the dump's exit status. */
int wharf_dump_run_into(wharf_dump_opts *o, wharf_console *console,
                        wharf_writer *(*open)(void *data, const char *name, GError **err), void *data);
/* From any thread while ready() runs: read the chunk once (again). */
void wharf_dump_source_read(void *handle);

#endif
