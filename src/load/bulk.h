/* bulk: a chunk's INSERT statements sent as LOAD DATA LOCAL streams.
 *
 * Contract:
 *  - The server's INSERT parser is most of a big load's cost: a run of
 *    INSERTs with the same head becomes one LOAD DATA LOCAL INFILE whose
 *    rows are their tuples as TSV (format/insert.h), converted while the
 *    server reads them; memory is one statement.
 *  - Only where the result is the INSERT's: wharf_bulk_prepare reads the
 *    session (NAMES binary, sql_mode without ANSI_QUOTES and
 *    NO_BACKSLASH_ESCAPES) and the table (a base table, its column
 *    classes) in one query, NULL when not usable; the LOAD must report
 *    exactly the rows sent and no warning. Otherwise cr->redo_as_inserts
 *    says why, and the caller rolls the attempt back and runs the
 *    statements as they are.
 *  - The local infile handler answers any file name the server asks for
 *    with the chunk's rows only.
 */
#ifndef WHARF_LOAD_BULK_H
#define WHARF_LOAD_BULK_H

#include "format/insert.h"
#include "format/splitter.h"
#include "load/chunk.h"

typedef struct wharf_bulk_table wharf_bulk_table;

wharf_bulk_table *wharf_bulk_prepare(wharf_load_worker *w, const wharf_load_table *t, GError **err);
void wharf_bulk_table_free(wharf_bulk_table *bt);
/* One LOAD DATA stream from stmt (an INSERT with head h, confined) and the
 * INSERTs after it with the same head; *stash gets the statement that
 * ended it (already confined), or NULL at the end of the file. */
gboolean wharf_bulk_stream(wharf_chunk_run *cr, const wharf_bulk_table *bt, wharf_splitter *sp, wharf_reader *r,
                           const wharf_ddl_scope *sc, const char *stmt, size_t len, const wharf_insert_head *h,
                           char **stash, size_t *stash_len, GError **err);

#endif
