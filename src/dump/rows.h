/* rows: one chunk of a table's rows -> one data file (SQL or TSV).
 *
 * Contract:
 *  - wharf_rows_dump_chunk() runs SELECT <columns> FROM `db`.`t`
 *    [WHERE (--where) AND (range)] [ORDER BY key] on the given connection (a
 *    snapshot session), streams the result with mysql_use_result and writes
 *    DB.T.NNNNN.sql (INSERTs) or DB.T.NNNNN.dat + its LOAD DATA twin
 *    DB.T.NNNNN.sql, through wharf_writer (temp name, in-process
 *    compression, CRC-32, fsync, rename). Memory is bounded by one row and
 *    the writer's buffers, whatever the table size.
 *  - Columns: generated columns are not selected; invisible ones are,
 *    by name. FLOAT is selected as `c`+0e0 so every digit survives.
 *    Each value is encoded by format/value from the result's field metadata.
 *  - An INSERT statement stays below statement_size; a row larger than that
 *    is a statement of its own.
 *  - While streaming, the content checksum of the rows (format/checksum.h)
 *    is computed from the values as fetched: result->sum, with the chunk's
 *    range condition (result->range) for `metadata`.
 *  - wharf_rows_select() is the chunk's SELECT (column list, FROM, the
 *    table's --where and the range, ORDER BY): `wharf verify` runs the same
 *    on a target to recompute the checksum.
 *  - A chunk with no rows leaves no file (result->written = FALSE).
 *  - A failed call leaves no temp file, *out zeroed and the progress
 *    counters as they were before it, so the caller may simply run the
 *    chunk again (on another snapshot session) after a transient error.
 *  - Thread-safe as long as each call has its own connection; progress
 *    counters are atomics.
 */
#ifndef WHARF_DUMP_ROWS_H
#define WHARF_DUMP_ROWS_H

#include "core/console.h"
#include "core/rate.h"
#include "core/stream.h"
#include "dump/catalog.h"

#include <glib.h>
#include <mysql.h>

typedef enum { WHARF_DATA_SQL = 0, WHARF_DATA_TSV } wharf_data_format;

/* Where and how files are written (shared, read-only). */
typedef struct wharf_outdir {
    const char *dir;
    wharf_compress compress;
    int level;
    wharf_data_format format;
    gsize statement_size;
    /* Set on every file opened with wharf_rows_open(): told of each file
     * once committed (`-o -`: the streamer); NULL = none. */
    wharf_commit_hook on_commit;
    gpointer on_commit_data;
    /* --max-rate: the rows read are booked on it (NULL = no limit). */
    wharf_rate *rate;
    /* A copy: every file goes to open(open_data, name) instead of dir
     * (memory for schema and metadata, a pipe for a chunk). NULL = dir. */
    wharf_writer *(*open)(void *open_data, const char *name, GError **err);
    void *open_data;
} wharf_outdir;

typedef struct wharf_rows_result {
    char *file;    /* data file name (the .dat for TSV), NULL when not written */
    gint64 rows;
    guint64 bytes; /* uncompressed */
    guint32 crc32;
    guint64 sum;   /* content checksum of the rows (format/checksum.h) */
    char *range;   /* the chunk's range condition, NULL = whole table (set
                    * also for a chunk without rows) */
    gboolean written;
} wharf_rows_result;

/* where: range condition or NULL; order_by: "`k1`,`k2`" or NULL. */
gboolean wharf_rows_dump_chunk(MYSQL *m, const wharf_outdir *o, const wharf_cat_table *t,
                               const char *where, const char *order_by, guint64 part,
                               wharf_progress *progress, wharf_rows_result *out, GError **err);

/* SELECT <dumped columns> FROM <t> [WHERE (--where) AND (range)] [ORDER BY
 * order_by], as a chunk is read (newly allocated). where: range or NULL. */
char *wharf_rows_select(const wharf_cat_table *t, const char *where, const char *order_by);

/* Open DIR/NAME for writing (helper shared with the schema writer). */
wharf_writer *wharf_rows_open(const wharf_outdir *o, const char *name, GError **err);

#endif
