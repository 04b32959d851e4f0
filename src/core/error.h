/* error: the error vocabulary of wharf.
 *
 * Contract:
 *  - Every fallible function returns FALSE/NULL/-1 and sets a GError; nothing
 *    below main() exits or aborts on a runtime error.
 *  - Two GError domains:
 *      WHARF_ERROR      wharf's own failures, codes in wharf_error_code;
 *      WHARF_SQL_ERROR  an error reported by the server or by Connector/C,
 *                       code = the MySQL/MariaDB error number (1146, 2013...).
 *  - Messages name the object (db.table, file path) and, for SQL errors, the
 *    server's error number and text, so one line is enough to act on.
 *  - wharf_error_is_transient() is the single place that decides what is
 *    retried (deadlock, lock wait timeout, lost connection...).
 */
#ifndef WHARF_CORE_ERROR_H
#define WHARF_CORE_ERROR_H

#include <glib.h>

#define WHARF_ERROR (wharf_error_quark())
#define WHARF_SQL_ERROR (wharf_sql_error_quark())

typedef enum {
    WHARF_ERROR_FAILED = 1,   /* anything else */
    WHARF_ERROR_USAGE,        /* bad option or argument */
    WHARF_ERROR_IO,           /* file system: open/read/write/rename/fsync */
    WHARF_ERROR_FORMAT,       /* corrupt, truncated or malformed input */
    WHARF_ERROR_NOT_FOUND,    /* a file or object that should exist does not */
    WHARF_ERROR_EXISTS,       /* a target that should not exist does */
    WHARF_ERROR_SKIPPED,      /* not attempted because a dependency failed */
    WHARF_ERROR_CANCELLED,    /* stopped because the run is stopping */
    WHARF_ERROR_UNSUPPORTED,  /* server or input lacks a needed feature */
} wharf_error_code;

/* Process exit status used by main(). */
enum { WHARF_EXIT_OK = 0, WHARF_EXIT_FAILED = 1, WHARF_EXIT_USAGE = 2 };

GQuark wharf_error_quark(void);
GQuark wharf_sql_error_quark(void);

/* TRUE when the error is worth retrying on a fresh connection:
 * 1205 lock wait timeout, 1213 deadlock (also a Galera certification
 * conflict), 1047 a Galera node not ready, 2006/2013/2055 lost connection,
 * 1927 connection killed, 1317 query interrupted, 1053 server shutdown,
 * 2002/2003 cannot connect (server restarting), 4031 idle disconnect.
 * 1146 (no such table) is transient only when the caller says so
 * (right after its own DDL), see wharf_error_is_transient_after_ddl(). */
gboolean wharf_error_is_transient(const GError *err);
gboolean wharf_error_is_transient_after_ddl(const GError *err);

/* TRUE when the error means the connection is unusable and must be reopened. */
gboolean wharf_error_is_connection_lost(const GError *err);

/* Prefix an existing error's message: "context: message". */
void wharf_error_prefix(GError **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

#endif
