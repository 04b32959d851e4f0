/* filter: which databases and tables a run selects, for every subcommand.
 *
 * Contract:
 *  - One grammar for -B/--databases, -T/--tables, -x/--regex, --exclude and
 *    --where, whatever the subcommand: each option may be repeated and each
 *    value is a comma-separated list (commas inside backticks belong to the
 *    name); a name is `db` or `db`.`table`, each part plain (up to the next
 *    '.') or in backticks (`` for a backtick), so any name can be given.
 *  - A database is selected when it is not excluded and, when -T is given,
 *    holds a -T table (and is in -B if -B is also given), or else is in -B
 *    when -B is given; with neither it is selected (the dump also leaves out
 *    the server's system schemas then: its rule, not this module's). A
 *    table is selected when its database is, it is not excluded, it is in
 *    -T when -T is given, and "db.table" matches -x when -x is given.
 *  - --skip-KIND leaves every object of that kind out (the run logs which
 *    kinds it leaves out).
 *  - Lookups are O(1) (hash sets built once by wharf_filter_sets_new).
 *  - wharf_filter_check_named: every database and table the user named
 *    (and every --where table) must exist, unless excluded: a typo is an
 *    error, never an empty run.
 *  - Pure data, read-only after construction: thread-safe.
 */
#ifndef WHARF_CORE_FILTER_H
#define WHARF_CORE_FILTER_H

#include "core/cli.h"

#include <glib.h>

typedef struct wharf_filter {
    char **databases;   /* -B, or NULL */
    char **tables;      /* -T entries, or NULL */
    GRegex *regex;      /* -x, or NULL */
    char **exclude;     /* --exclude entries, or NULL */
    char **where;       /* --where "db.t:COND" entries, or NULL */
    gboolean routines;  /* dump routines and events (off with -T) */
    gboolean no_history; /* system-versioned tables: current rows only */
    /* --skip-views, --skip-triggers, --skip-routines, --skip-events: object
     * kinds left out on purpose (said in the log, never silently) */
    gboolean skip_views, skip_triggers, skip_routines, skip_events;
} wharf_filter;

/* Add --skip-views/--skip-triggers/--skip-routines/--skip-events (every
 * subcommand has them) to ctx's main entries, filling f. */
void wharf_filter_add_skip_options(GOptionContext *ctx, wharf_cli_common *c, wharf_filter *f);
/* "views, triggers" for the kinds f skips, or NULL when none (for the log). */
char *wharf_filter_skipped(const wharf_filter *f);

/* Split each entry on commas outside backticks; NULL when none. */
char **wharf_filter_split(char **raw);
/* Fill f from raw option values (each may be NULL); -x compiled. */
gboolean wharf_filter_init(wharf_filter *f, char **databases, char **tables, const char *regex,
                           char **exclude, char **where, GError **err);
void wharf_filter_clear(wharf_filter *f);
/* Check the filter's lists (names well-formed, --where has a condition). */
gboolean wharf_filter_validate(const wharf_filter *f, GError **err);

/* Split "db.table" (parts optionally in backticks); *rest points after the
 * name (at ':' for --where). FALSE when malformed. */
gboolean wharf_filter_parse_name(const char *s, char **db, char **table, const char **rest);
/* One identifier at p: `quoted` (`` for a backtick) or plain up to a byte
 * of stops; *out gets it. Returns the position after it, NULL if empty or
 * unterminated. */
const char *wharf_filter_parse_ident(const char *p, const char *stops, char **out);
/* "db\x1fname": the key of a table in the sets (and in catalogs). */
char *wharf_filter_key(const char *db, const char *name);

typedef struct wharf_filter_sets wharf_filter_sets;

wharf_filter_sets *wharf_filter_sets_new(const wharf_filter *f);
void wharf_filter_sets_free(wharf_filter_sets *s);
const wharf_filter *wharf_filter_of(const wharf_filter_sets *s);
/* The databases the filter is restricted to (-T's, else -B's), or NULL. */
GHashTable *wharf_filter_only_dbs(const wharf_filter_sets *s);
gboolean wharf_filter_db_selected(const wharf_filter_sets *s, const char *db);
gboolean wharf_filter_table_selected(const wharf_filter_sets *s, const char *db, const char *name);
/* The --where condition of a table ("(c1) AND (c2)"), or NULL. */
const char *wharf_filter_where(const wharf_filter_sets *s, const char *db, const char *name);

/* Does the run's source hold this database (name NULL) or table (where:
 * a base table that --where can apply to)? */
typedef gboolean (*wharf_filter_has_fn)(void *data, const char *db, const char *name, gboolean where);
/* missing: how the error ends ("is not in the dump DIR"). */
gboolean wharf_filter_check_named(const wharf_filter_sets *s, wharf_filter_has_fn has, void *data,
                                  const char *missing, GError **err);

#endif
