/* optfile: wharf's own options from the mysql tools' option files.
 *
 * Contract:
 *  - Syntax is the MariaDB/MySQL server's (mysys my_default.c), not GKeyFile:
 *    `[group]` headers (names case-insensitive), `name`, `name = value`,
 *    whole-line `#` and `;` comments, a `#` outside quotes ends a line,
 *    values trimmed and stripped of one pair of matching ' or " quotes, the
 *    escapes \n \t \r \b \s \" \' \\ in values, `!include FILE` and
 *    `!includedir DIR` (its *.cnf files in name order; a missing target is
 *    skipped, as mysql does; at most 10 levels). A line that is neither, in
 *    any group, or an option before the first group, is an error naming
 *    file:line.
 *  - wharf_optfile_read() collects the lines of the wanted groups only, in
 *    the order they are read (files, then lines: a later line wins, as with
 *    mysql, whatever its group). Other groups ([client], [mysqld]...) are not
 *    looked at beyond their syntax: Connector/C reads those.
 *  - wharf_optfile_files() is the mysql client's file list: /etc/my.cnf,
 *    /etc/mysql/my.cnf, $MARIADB_HOME (else $MYSQL_HOME)/my.cnf, the
 *    --defaults-extra-file, ~/.my.cnf. conn builds its merged file from it.
 *  - A wharf_optfile_kinds table maps long option names to their kind, from
 *    the GOptionEntry arrays given to GLib. wharf_optfile_to_args() turns
 *    collected lines into `--name=value` / `--name` arguments: `_` and `-`
 *    are the same in names, a `loose-` prefix turns an unknown name into a
 *    note instead of an error, a flag takes no value or 0/1/on/off/true/
 *    false/yes/no (a false value cancels the flag given earlier). A name
 *    that is no wharf option but one of Connector/C's (protocol,
 *    default-auth...) is left to Connector/C in [wharf], which it reads
 *    itself, and is an error in [wharf-SUB], which it does not. An unknown
 *    name, a flag with another value, an option without its value, or one
 *    that only the command line may carry (defaults-file, help...) is a
 *    WHARF_ERROR_USAGE naming file, line and option.
 *  - Values (passwords too) only ever go into the private argument vector;
 *    nothing here logs them.
 */
#ifndef WHARF_CORE_OPTFILE_H
#define WHARF_CORE_OPTFILE_H

#include <glib.h>

typedef struct wharf_optfile_item {
    char *file;  /* the file the line is in */
    int line;    /* 1-based */
    char *group; /* as written between the brackets */
    char *name;  /* as written */
    char *value; /* unquoted and unescaped; NULL when the line has no '=' */
} wharf_optfile_item;

typedef enum {
    WHARF_OPTFILE_FLAG = 1, /* takes no value */
    WHARF_OPTFILE_VALUE,    /* needs one */
    WHARF_OPTFILE_OPTIONAL, /* may have one (--password) */
} wharf_optfile_kind;

/* A GPtrArray of wharf_optfile_item that frees its items. */
GPtrArray *wharf_optfile_items_new(void);

/* Read path (and what it includes), appending the lines of the groups named
 * in groups (NULL-terminated) to items. A missing or unreadable path is an
 * error only when required (--defaults-file), else skipped. */
gboolean wharf_optfile_read(const char *path, const char *const *groups, gboolean required, GPtrArray *items,
                            GError **err);

/* The option files the mysql client reads, in order (NULL-terminated; not
 * checked for existence). extra is --defaults-extra-file or NULL. */
char **wharf_optfile_files(const char *extra);

/* name -> wharf_optfile_kind, names with '-' */
GHashTable *wharf_optfile_kinds_new(void);
void wharf_optfile_kinds_add(GHashTable *kinds, const GOptionEntry *entries);

/* Append to args (and, at the same index, "file:line" to where) the
 * arguments the items stand for; notes get one line per ignored loose-
 * option. */
gboolean wharf_optfile_to_args(const GPtrArray *items, GHashTable *kinds, GPtrArray *args, GPtrArray *where,
                               GPtrArray *notes, GError **err);

/* "1", "on", "true", "yes" -> 1; "0", "off", "false", "no" -> 0; else -1. */
int wharf_optfile_bool(const char *value);

#endif
