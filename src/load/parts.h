/* parts: data chunks loaded as several transactions, resume-safe.
 *
 * A Galera cluster refuses a transaction that changes more rows than its
 * wsrep_max_ws_rows (ERROR 1180), whatever streaming replication does with
 * its bytes: a chunk with more rows must commit in parts.
 *
 * Contract:
 *  - Each part of a split chunk commits, in the part's own transaction,
 *    the number of the chunk's rows committed so far (in file order):
 *    `wharf_resume`.`parts` (journal id, SHA-256 of the chunk's key, rows,
 *    and whether this was the chunk's last transaction: then a retry after
 *    a lost COMMIT answer has nothing to do).
 *    A retry of the chunk, or a run resumed with the same --resume, reads
 *    it back (wharf_parts_rows) and skips that many rows of the file, so
 *    that whatever instant a crash or a lost connection comes, no row is
 *    loaded twice and none is lost.
 *  - The id is the --resume journal's (a resumed run finds the rows of the
 *    run it resumes), else a fresh one for the run.
 *  - wharf_parts_finish, after a complete load, deletes the run's rows, the
 *    table when it is empty, and the database when it holds nothing else.
 *  - Thread-safe: read-only after wharf_parts_attach.
 */
#ifndef WHARF_LOAD_PARTS_H
#define WHARF_LOAD_PARTS_H

#include "load/journal.h"

#include <glib.h>
#include <mysql.h>

typedef struct wharf_parts wharf_parts;

/* j: the --resume journal, or NULL. */
wharf_parts *wharf_parts_new(const wharf_journal *j);
void wharf_parts_free(wharf_parts *p);
/* Create the table if needed (on the run's first connection). */
gboolean wharf_parts_attach(wharf_parts *p, MYSQL *m, GError **err);
/* The statement that records rows committed for key (complete: the
 * chunk's last transaction), to run in the part's transaction. */
char *wharf_parts_mark_sql(const wharf_parts *p, const char *key, gint64 rows, gboolean complete);
/* Rows of key committed by earlier parts (0: none); complete: all of it. */
gboolean wharf_parts_rows(const wharf_parts *p, MYSQL *m, const char *key, gint64 *rows, gboolean *complete,
                          GError **err);
gboolean wharf_parts_finish(const wharf_parts *p, MYSQL *m, GError **err);

#endif
