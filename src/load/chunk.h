/* chunk: one data chunk of a load, as one transaction: open, feed, finish.
 *
 * Contract:
 *  - wharf_chunk_load() is the chunk job. open: after a retry, the
 *    journal's marker says whether the last attempt committed (then
 *    nothing is replayed); START TRANSACTION. feed: one of three paths
 *    sends the chunk's rows, each filling the same wharf_chunk_run (rows
 *    added, whether that count is exact, uncompressed bytes and CRC-32 of
 *    the data file):
 *      - SQL statements as they are (wharf_chunk_feed_sql with bulk off);
 *      - INSERT statements as LOAD DATA LOCAL streams (bulk.h), for big
 *        chunks (--load-data); a chunk that cannot be sent so exactly is
 *        rolled back and fed again as its statements;
 *      - a .dat file through LOAD DATA LOCAL INFILE, or as INSERTs when the
 *        server refuses LOCAL INFILE (dat.h).
 *    finish: the data file's CRC-32 and size against metadata's
 *    wharf-chunk entry, the journal marker in the same transaction,
 *    COMMIT, then the counters. Any failure rolls back and takes the
 *    attempt's rows and bytes back from the progress, so the engine's
 *    retry replays exactly the work that did not commit.
 *  - Split chunks (a Galera target's wsrep_max_ws_rows, load/cluster.h):
 *    the rows go as LOAD DATA streams (bulk.h) of at most ctx->part_rows
 *    rows, each part committed with the chunk's rows so far (parts.h);
 *    an attempt first skips the rows earlier attempts or runs committed.
 *    What cannot be so split (statements that are not plain INSERTs, a
 *    .dat chunk) runs as one transaction; after a part has committed, a
 *    chunk that can no longer be sent as LOAD DATA fails, named, rather
 *    than replay rows.
 *  - Errors name the chunk's file.
 */
#ifndef WHARF_LOAD_CHUNK_H
#define WHARF_LOAD_CHUNK_H

#include "core/stream.h"
#include "load/session.h"

/* Work of one chunk attempt; taken back from the progress if it rolls back. */
typedef struct wharf_chunk_run {
    wharf_load_worker *w;
    wharf_load_chunk *c;
    gint64 rows;
    gint64 disk_bytes;  /* reported to progress */
    guint64 bytes;      /* uncompressed bytes of the data file */
    guint32 crc;
    gboolean have_crc;
    /* LOAD DATA LOCAL */
    wharf_reader *r;
    GError *read_err;
    /* INSERTs sent as LOAD DATA could not be (a value, a warning): the
     * attempt is rolled back and the chunk runs as its INSERT statements. */
    char *redo_as_inserts;
    /* A split chunk (ctx->part_rows > 0, load/parts.h): rows counts the
     * open part only. */
    const char *pkey;   /* its key in the parts table, NULL: not split */
    gint64 base;        /* rows of the file committed before this attempt: skipped */
    gint64 committed;   /* rows this attempt committed in parts */
    gint64 skip;        /* of base, rows not yet skipped */
} wharf_chunk_run;

/* A feed path: sends the chunk's rows inside its open transaction. */
typedef gboolean (*wharf_chunk_feed_fn)(wharf_chunk_run *cr, GError **err);

gboolean wharf_chunk_load(wharf_load_worker *w, wharf_load_chunk *c, GError **err);

/* For the feed paths. */
void wharf_chunk_progress_bytes(wharf_chunk_run *cr, wharf_reader *r);
gboolean wharf_chunk_check_crc(wharf_chunk_run *cr, const char *path, GError **err);
gboolean wharf_chunk_infile_refused(const GError *e);
/* A split chunk: commit the open part with its row (parts.h) and open
 * the next transaction. */
gboolean wharf_chunk_part_commit(wharf_chunk_run *cr, GError **err);
/* One data statement of a chunk, run as it is, its rows counted. */
gboolean wharf_chunk_stmt(wharf_chunk_run *cr, const char *stmt, size_t len, GError **err);

#endif
