/* load: the `wharf load` subcommand (driver of the load modules).
 *
 * Contract:
 *  - wharf_load_main() parses the options once into a wharf_load_opts (read
 *    only afterwards), plans the restore (plan.h), checks the target
 *    (--if-exists), runs the job graph (engine/sched.h, restore.h), prints the
 *    summary and returns WHARF_EXIT_OK only if every requested object was
 *    restored (and verified, unless --verify=none / --no-verify).
 *  - --verify=content: after a complete load, the content verifier the
 *    caller passes (main.c passes `wharf verify`'s, verify/verify.h: load
 *    does not depend on it) compares every chunk's rows on the target with
 *    the dump's checksums; its result is part of the exit status.
 *  - wharf_load_opts_parse() parses `wharf load`'s options, or those
 *    `wharf verify` shares with it (the target connection, -d, -B, -T, -x,
 *    --exclude, --into, -t and the console options: one spelling, one
 *    meaning).
 */
#ifndef WHARF_LOAD_LOAD_H
#define WHARF_LOAD_LOAD_H

#include "core/cli.h"

#include "core/filter.h"
#include "engine/run.h"
#include "format/dumpdir.h"
#include "load/replica.h"
#include "objstore/s3.h"

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

/* --verify: what is compared after loading. */
typedef enum { WHARF_VERIFY_COUNT = 0, WHARF_VERIFY_CONTENT, WHARF_VERIFY_NONE } wharf_verify_mode;

struct wharf_load_opts;
struct wharf_load_plan;
/* The content verifier (console: where its progress is shown): returns a
 * WHARF_EXIT_* status (every difference logged), or 128 + the signal that
 * interrupted it. It watches SIGINT/SIGTERM itself: the load's watcher is
 * stopped before it runs. */
typedef int (*wharf_load_content_fn)(const struct wharf_load_opts *o, const struct wharf_load_plan *p,
                                     wharf_console *console);

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
    char *definer;      /* --definer: NULL keep, "" strip, else `user`@`host` */
    wharf_replica_opts replica; /* --replica-setup, --replica-of, --source-* */
    gboolean allow_incomplete; /* load a dump without `metadata` */
    gboolean users;     /* --users: load the dump's accounts (load/accounts.h) */
    char **include_users, **exclude_users; /* --include-users / --exclude-users globs */
    char *resume;       /* --resume FILE: journal of completed jobs */
    wharf_if_exists if_exists;
    wharf_defer defer;
    wharf_load_data load_data;
    wharf_verify_mode verify;   /* no_verify == (verify == WHARF_VERIFY_NONE) */
    wharf_load_content_fn content; /* set by the caller of wharf_load_main */
    wharf_s3_opts s3;   /* --s3-*: for -d s3://BUCKET/PREFIX (objstore/s3dir.h) */
} wharf_load_opts;

typedef enum { WHARF_LOAD_CMD_LOAD = 0, WHARF_LOAD_CMD_VERIFY } wharf_load_cmd;

/* Parse argv into *o (zeroed first). Returns -1 when the command is to run
 * (then free *o with wharf_load_opts_clear), else the exit status (help
 * printed, or a usage error printed on stderr; *o already cleared). */
int wharf_load_opts_parse(wharf_load_cmd cmd, int argc, char **argv, wharf_load_opts *o);
void wharf_load_opts_clear(wharf_load_opts *o);

/* Every database (-B) and table (-T) named is in the plan: a typo is an
 * error (WHARF_ERROR_NOT_FOUND), not an empty run. */
gboolean wharf_load_check_named(const struct wharf_load_plan *p, const wharf_load_opts *o, GError **err);

/* A load of src (a copy's files, format/dumpdir.h) whose stop is parent's:
 * no signal watcher of its own (parent's interrupts it). o->dir names the
 * source in messages. Returns a WHARF_EXIT_* status. */
int wharf_load_run_source(wharf_load_opts *o, wharf_console *console, const wharf_dumpdir *src,
                          wharf_run *parent);

/* Parse options, run the restore, return a WHARF_EXIT_* status. content:
 * the verifier --verify=content runs (NULL: that value is refused). */
int wharf_load_main(int argc, char **argv, wharf_load_content_fn content);

#endif
