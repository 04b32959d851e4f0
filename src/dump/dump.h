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

/* Parse options, run the dump, return a WHARF_EXIT_* status. */
int wharf_dump_main(int argc, char **argv);

#endif
