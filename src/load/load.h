/* load: the `wharf load` subcommand (driver of the load modules). */
#ifndef WHARF_LOAD_LOAD_H
#define WHARF_LOAD_LOAD_H

/* Parse options, run the restore, return a WHARF_EXIT_* status. */
int wharf_load_main(int argc, char **argv);

#endif
