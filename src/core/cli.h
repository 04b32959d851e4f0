/* cli: command-line parsing shared by every subcommand.
 *
 * Contract:
 *  - wharf_cli_conn_group() returns a GOptionGroup with the mysql-client
 *    connection options (-h -P -u -p -S --defaults-file --ssl-*), filling a
 *    wharf_conn_opts. Bare -p / --password prompts on the terminal with echo
 *    off after parsing (wharf_cli_finish).
 *  - wharf_cli_scrub_argv() overwrites password values in the real argv so
 *    they do not show in ps; call it before parsing a copy of argv.
 *  - wharf_cli_parse() runs a GOptionContext on a copy of argv and turns
 *    GLib's errors into WHARF_ERROR_USAGE. Given the wharf_cli_common, it
 *    first reads the option files (core/optfile.h) as the mysql client does
 *    (--no-defaults: none; --defaults-file=F: F only; --defaults-extra-file=F:
 *    F after the global files; these three anywhere on the command line), the
 *    groups [wharf] and [wharf-ARGV0] (argv[0] is the subcommand's name), and
 *    puts their options before the command line's, so the command line wins
 *    for single-value options and adds to the repeatable ones (-B, -T,
 *    --exclude, --where), as mysqld's repeatable options do. Only the long
 *    options registered through wharf_cli_add_common/wharf_cli_add_entries
 *    are accepted in the files. A flag may be turned off on the command line
 *    with --flag=0 (also off/false/no), and `_` may stand for `-` in a long
 *    option's name there too.
 *  - Common flags: -v/--verbose, -q/--quiet, -t/--threads,
 *    --progress=auto|tty|log|none, --progress-interval=SEC, --log-file=FILE,
 *    --log-format=text|json (console.h), --summary-json=FILE (summary.h),
 *    --max-rate=MB/s (rate.h; MiB per second, fractions allowed).
 *  - mysql habits are accepted: -pSECRET, bare -p, and a value glued to a
 *    short option (-uroot, -P3307). The short options that take a value are
 *    fixed across subcommands: -h -P -u -S -t -o -d -B -T -x -r -F -s; a subcommand
 *    must not use these letters for flags without a value.
 */
#ifndef WHARF_CORE_CLI_H
#define WHARF_CORE_CLI_H

#include "core/conn.h"
#include "core/console.h"

#include <glib.h>

typedef struct wharf_cli_common {
    wharf_conn_opts conn;
    gboolean password_prompt; /* bare -p given */
    gboolean verbose, quiet;
    int threads;              /* -t; 0 = default (number of CPUs, min 2) */
    char *progress_raw;       /* --progress as given */
    wharf_progress_mode progress;
    int progress_interval;    /* --progress-interval, seconds (default 10) */
    char *log_file;           /* --log-file, or NULL */
    char *log_format_raw;     /* --log-format as given */
    gboolean log_json;        /* --log-format json */
    char *summary_json;       /* --summary-json FILE, or NULL (core/summary.h) */
    char *max_rate_raw;       /* --max-rate as given */
    gint64 max_rate;          /* --max-rate in bytes per second, 0 = no limit (core/rate.h) */
    GHashTable *kinds;        /* long option -> wharf_optfile_kind; freed by wharf_cli_parse */
    GPtrArray *notes;         /* option file notes, logged by wharf_cli_console_setup */
    GHashTable *origins;      /* long option -> "FILE:LINE" of the option file that set it */
} wharf_cli_common;

GOptionGroup *wharf_cli_conn_group(wharf_cli_common *c);
/* Add -v/-q/-t to a main entry list. Returns entries to add to a context. */
void wharf_cli_add_common(GOptionContext *ctx, wharf_cli_common *c);
/* g_option_context_add_main_entries(), and the options may stand in option
 * files. */
void wharf_cli_add_entries(GOptionContext *ctx, wharf_cli_common *c, const GOptionEntry *entries);

/* Overwrite -pSECRET / --password=SECRET / --password SECRET in argv. */
void wharf_cli_scrub_argv(int argc, char **argv);

/* Parse argv (a private copy is used, argv itself is left scrubbed), after
 * the option files when c is given (c as given to wharf_cli_add_common).
 * On return *rest holds the non-option arguments (NULL-terminated). An
 * error in an option file names file:line. */
gboolean wharf_cli_parse(GOptionContext *ctx, wharf_cli_common *c, int argc, char **argv, char ***rest,
                         GError **err);

/* A usage error about "--NAME ..." whose value came from an option file:
 * the message then starts with that file and line. */
void wharf_cli_blame(const wharf_cli_common *c, GError *err);

/* Prompt for the password if requested; pick defaults (threads). */
gboolean wharf_cli_finish(wharf_cli_common *c, GError **err);

/* Two servers on one command line (copy: source and target; verify --from:
 * source and target): each option goes to one side's argv, or both,
 * renamed as that side's parser spells it; options not in the table go to
 * `rest_to`. Values are joined as --name=value. */
typedef enum { WHARF_SIDE_A = 1, WHARF_SIDE_B = 2, WHARF_SIDE_BOTH = 3 } wharf_cli_side;
typedef struct wharf_cli_route {
    const char *name; /* as the user gives it: --to-host, -t */
    const char *as;   /* as the side's parser takes it: --host, --threads */
    gboolean value;   /* takes a value */
    wharf_cli_side to;
} wharf_cli_route;
/* a and b are filled (argv[0] first, NULL-terminated). */
gboolean wharf_cli_split(int argc, char **argv, const wharf_cli_route *routes, gsize n_routes,
                         wharf_cli_side rest_to, GPtrArray *a, GPtrArray *b, GError **err);

wharf_verbosity wharf_cli_verbosity(const wharf_cli_common *c);
/* Set up the console as the common options say (verbosity, progress, log
 * file and format); FALSE (the console torn down) when the log file cannot
 * be opened. */
gboolean wharf_cli_console_setup(wharf_console *console, const wharf_cli_common *c, GError **err);


#endif
