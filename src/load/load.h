/* load: the `wharf load` subcommand (driver of the load modules).
 *
 * Contract:
 *  - wharf_load_main() parses the options once into a wharf_load_opts (read
 *    only afterwards), plans the restore (plan.h), checks the target
 *    (--if-exists), runs the job graph (engine/sched.h, restore.h), prints the
 *    summary and returns WHARF_EXIT_OK only if every requested object was
 *    restored (and verified, unless --no-verify).
 */
#ifndef WHARF_LOAD_LOAD_H
#define WHARF_LOAD_LOAD_H

#include "core/cli.h"

#include "core/filter.h"

#include <glib.h>

typedef enum {
    WHARF_IF_EXISTS_FAIL = 0, /* any existing object: error before changing anything */
    WHARF_IF_EXISTS_DROP,     /* drop and recreate existing objects */
    WHARF_IF_EXISTS_TRUNCATE, /* keep existing tables, empty them, load */
    WHARF_IF_EXISTS_APPEND,   /* keep existing tables and rows, load */
} wharf_if_exists;

/* --defer-indexes; auto, on, off in this order (load.c parses both enums alike). */
typedef enum { WHARF_DEFER_AUTO = 0, WHARF_DEFER_ON, WHARF_DEFER_OFF } wharf_defer;
/* --load-data: INSERT chunks sent as LOAD DATA LOCAL streams (format/insert.h). */
typedef enum { WHARF_LOAD_DATA_AUTO = 0, WHARF_LOAD_DATA_ON, WHARF_LOAD_DATA_OFF } wharf_load_data;

/* Options of `wharf load`, parsed once, then read-only. */
typedef struct wharf_load_opts {
    wharf_cli_common common;
    char *dir;          /* "-": a stream on stdin, replaced by its spool directory */
    char *spool_dir;    /* --spool-dir: parent of the spool (-d -) */
    wharf_filter filter; /* -B, -T, -x, --exclude (core/filter: the dump's grammar) */
    char *into;         /* --into: target database */
    gboolean no_data, no_schema;
    gboolean skip_binlog, fail_fast, no_verify;
    gboolean dry_run;   /* --dry-run: print the plan, change nothing */
    gboolean allow_incomplete; /* load a dump without `metadata` */
    char *resume;       /* --resume FILE: journal of completed jobs */
    wharf_if_exists if_exists;
    wharf_defer defer;
    wharf_load_data load_data;
} wharf_load_opts;

/* Parse options, run the restore, return a WHARF_EXIT_* status. */
int wharf_load_main(int argc, char **argv);

#endif
