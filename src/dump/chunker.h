/* chunker: split a table into chunks by ranges of its key.
 *
 * Contract:
 *  - wharf_chunker_plan() decides the chunks of one base table from the
 *    catalog (chunk key, TABLE_ROWS estimate) and target_rows:
 *      no usable key            -> one chunk (whole table), *why says why
 *      estimate <= target_rows  -> one chunk
 *      one integer column       -> MIN/MAX, then equal ranges of values
 *      composite key led by an
 *      integer column           -> the same on the leading column alone
 *                                  (no scan; as mydumper does), when its
 *                                  MIN..MAX spans at least 2 values per
 *                                  chunk; else walked as below
 *      other keys (character,
 *      temporal...)             -> walk the key: each boundary is
 *                                  SELECT key ... WHERE key >= prev
 *                                  ORDER BY key LIMIT 1 OFFSET target_rows
 *  - Chunks are half-open ranges [b_i, b_i+1) with the first open below and
 *    the last open above, so whatever the boundaries (computed outside the
 *    snapshot, from a table that may be changing) the chunks cover every
 *    row exactly once. Comparisons use the column's own collation
 *    (character literals carry _charset ... COLLATE), so the server orders
 *    boundaries exactly as ORDER BY does.
 *  - Runs on an autocommit connection (never a snapshot session); cost is
 *    one query per chunk for walked keys (each reads target_rows rows of
 *    the key: a walk is a full scan), one for integer-led keys.
 *  - wharf_chunker_can_split() tells from the catalog alone, without a
 *    query, whether a big table would be split (a usable key of walkable
 *    types); the dump uses it to start unsplittable tables first.
 */
#ifndef WHARF_DUMP_CHUNKER_H
#define WHARF_DUMP_CHUNKER_H

#include "dump/catalog.h"

#include <glib.h>
#include <mysql.h>

typedef struct wharf_chunk_plan {
    GPtrArray *where;  /* char*: one range condition per chunk; a NULL entry = whole table */
    char *order_by;    /* "`k1`,`k2`" for chunked reads, or NULL */
    char *why_unsplit; /* reason the table was not split when it is big, or NULL */
} wharf_chunk_plan;

gboolean wharf_chunker_can_split(const wharf_cat_table *t);
gboolean wharf_chunker_plan(MYSQL *m, const wharf_cat_table *t, gint64 target_rows,
                            wharf_chunk_plan *out, GError **err);
void wharf_chunk_plan_clear(wharf_chunk_plan *p);

#endif
