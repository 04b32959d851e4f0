/* session: a load worker's connection and the statements of a dump file.
 *
 * Contract:
 *  - A wharf_load_worker is one scheduler worker of a load: its own
 *    connection (opened lazily with the load session by
 *    wharf_session_connect, dropped after any failure so the next attempt
 *    starts from a clean session) and the database selected on it.
 *  - wharf_session_each streams the statements of a (possibly compressed)
 *    file through a callback, each first checked against the file's scope
 *    (ddl.h confinement: what the file's name says it may hold); a refused
 *    statement fails the object before reaching the server, named by file
 *    and statement number.
 *  - wharf_session_exec_rows runs one data statement and says how many rows
 *    it added and whether that count is exact (REPLACE, IGNORE and ON
 *    DUPLICATE KEY UPDATE report other counts).
 *  - Used by one worker thread at a time; no shared state.
 */
#ifndef WHARF_LOAD_SESSION_H
#define WHARF_LOAD_SESSION_H

#include "format/splitter.h"
#include "load/ddl.h"
#include "load/restore.h"

#include <glib.h>
#include <mysql.h>

typedef struct wharf_load_worker {
    wharf_load_ctx *ctx;
    int index;        /* the worker's busy slot in ctx->run */
    MYSQL *conn;
    char *cur_db;     /* database selected on conn */
    int attempt;      /* of the current job, 0-based */
    guint node;       /* of the target's nodes (-h a,b,c), the one it prefers */
} wharf_load_worker;

typedef gboolean (*wharf_session_stmt_fn)(wharf_load_worker *w, const char *stmt, size_t len, void *data,
                                          GError **err);

/* The worker's connection: to its node of a list (-h a,b,c: worker i
 * starts on node i), or the next one that answers. */
MYSQL *wharf_session_connect(wharf_load_worker *w, GError **err);
void wharf_session_drop(wharf_load_worker *w);
gboolean wharf_session_use_db(wharf_load_worker *w, const char *db, GError **err);
gboolean wharf_session_exec(wharf_load_worker *w, const char *sql, size_t len, GError **err);
gboolean wharf_session_execs(wharf_load_worker *w, const char *sql, GError **err);
gboolean wharf_session_exec_rows(wharf_load_worker *w, const char *sql, size_t len, gint64 *rows,
                                 gboolean *exact, GError **err);
/* The file name of a path (messages). */
const char *wharf_session_base(const char *path);
gboolean wharf_session_confined(const char *path, guint64 n, const char *stmt, size_t len,
                                const wharf_ddl_scope *sc, GError **err);
gboolean wharf_session_each(wharf_load_worker *w, const char *path, const wharf_ddl_scope *sc,
                            wharf_session_stmt_fn fn, void *data, GError **err);

#endif
