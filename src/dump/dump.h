/* dump: the `wharf dump` subcommand (driver of the dump modules). */
#ifndef WHARF_DUMP_DUMP_H
#define WHARF_DUMP_DUMP_H

/* Parse options, run the dump, return a WHARF_EXIT_* status. */
int wharf_dump_main(int argc, char **argv);

#endif
