/* stream: streaming file output and input with in-process compression.
 *
 * Contract:
 *  - wharf_writer writes to "<path>.tmp" (mode 0600, O_EXCL) and appears at
 *    <path> only on wharf_writer_commit(), after flush + fsync + rename: a
 *    reader never sees a half-written file under its final name. abort()
 *    unlinks the temp file. Compression (zstd, gzip, none) happens in this
 *    process with a fixed-size buffer; memory does not grow with file size.
 *    The caller chooses the final path, including the .zst/.gz suffix.
 *  - The writer keeps a running CRC-32 (zlib crc32) and byte count of the
 *    uncompressed content: the chunk checksum recorded in `metadata`.
 *  - wharf_reader opens a file and decompresses by content (zstd or gzip
 *    magic bytes; otherwise plain), streaming with bounded memory. A
 *    truncated or corrupt compressed file is an error (WHARF_ERROR_FORMAT)
 *    naming the file and the byte offset; never a silent short read.
 *  - Neither object is thread-safe; each belongs to one thread at a time.
 */
#ifndef WHARF_CORE_STREAM_H
#define WHARF_CORE_STREAM_H

#include <glib.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum {
    WHARF_COMPRESS_NONE = 0,
    WHARF_COMPRESS_ZSTD,
    WHARF_COMPRESS_GZIP,
} wharf_compress;

/* "none"/"zstd"/"gzip" (also "zst", "gz") -> enum; FALSE when unknown. */
gboolean wharf_compress_parse(const char *name, wharf_compress *out);
/* "", ".zst", ".gz" */
const char *wharf_compress_suffix(wharf_compress c);
/* Compression implied by a file name's suffix. */
wharf_compress wharf_compress_from_name(const char *path);

typedef struct wharf_writer wharf_writer;

/* Where a writer's (compressed) bytes go instead of a file: write each
 * piece; commit once at the end (the content is complete); or abort (never
 * after commit). Called on the writer's thread. */
typedef struct wharf_sink {
    gboolean (*write)(void *data, const void *buf, size_t len, GError **err);
    gboolean (*commit)(void *data, GError **err);
    void (*abort)(void *data);
    void *data;
} wharf_sink;

/* Where a reader's raw bytes come from instead of a file: read returns
 * 0 at the end, -1 with *err on failure; close once. */
typedef struct wharf_source {
    gssize (*read)(void *data, void *buf, size_t len, GError **err);
    void (*close)(void *data);
    void *data;
} wharf_source;

/* level: 0 = library default (zstd 3, gzip 6). */
wharf_writer *wharf_writer_open(const char *path, wharf_compress c, int level, GError **err);
/* The same writer over a sink (name: for messages). On failure the sink
 * is aborted. */
wharf_writer *wharf_writer_open_sink(const char *name, wharf_compress c, int level, const wharf_sink *sink,
                                     GError **err);
gboolean wharf_writer_write(wharf_writer *w, const void *data, size_t len, GError **err);
gboolean wharf_writer_puts(wharf_writer *w, const char *s, GError **err);
/* Uncompressed bytes written so far, and the CRC-32 of them. */
uint64_t wharf_writer_bytes(const wharf_writer *w);
uint32_t wharf_writer_crc32(const wharf_writer *w);
/* Compressed bytes on disk so far (after the last internal flush). */
uint64_t wharf_writer_disk_bytes(const wharf_writer *w);
/* Finish compression, fsync, rename to the final path. On success w is
 * freed. On failure the temp file is already removed and w must still be
 * released with wharf_writer_abort(w) (pattern:
 * `if (!(write(...) && commit(...))) abort(w);`). The directory itself is not
 * fsynced here: call wharf_fsync_dir() once after a batch of commits. */
gboolean wharf_writer_commit(wharf_writer *w, GError **err);
/* Commit this file without its own fsync: the caller promises one
 * wharf_sync_filesystem() after the last file and before anything that
 * declares the files complete (the dump's `metadata`). Thousands of small
 * files then cost one sync instead of one fsync each. */
void wharf_writer_defer_sync(wharf_writer *w);
/* Called by wharf_writer_commit() with the file's final path once it is
 * there (after the rename); returning FALSE (with err set) fails the commit,
 * the file keeping its final name. It may block. Used by `wharf dump -o -`
 * to hand each finished file to the streamer (dump/outstream.h). */
typedef gboolean (*wharf_commit_hook)(gpointer data, const char *path, GError **err);
void wharf_writer_on_commit(wharf_writer *w, wharf_commit_hook hook, gpointer data);
/* syncfs() the file system holding dir: every deferred file is on disk. */
gboolean wharf_sync_filesystem(const char *dir, GError **err);
/* Discard: close and unlink the temp file, free. NULL is fine. Also releases
 * a writer whose commit failed. */
void wharf_writer_abort(wharf_writer *w);

/* Write a whole small file atomically (temp + fsync + rename + fsync of the
 * directory), mode 0600. Replaces an existing file. */
gboolean wharf_write_file_atomic(const char *path, const void *data, size_t len, GError **err);
/* fsync a directory (after renames in it). */
gboolean wharf_fsync_dir(const char *dir, GError **err);

typedef struct wharf_reader wharf_reader;

wharf_reader *wharf_reader_open(const char *path, GError **err);
/* The same reader over a source (name: for messages), decompressing by
 * content as for a file. */
wharf_reader *wharf_reader_open_source(const char *name, const wharf_source *src, GError **err);
/* Read up to len uncompressed bytes; returns bytes read, 0 at clean end of
 * data, -1 on error (truncated/corrupt input, I/O error). */
gssize wharf_reader_read(wharf_reader *r, void *buf, size_t len, GError **err);
/* Uncompressed bytes and CRC-32 of everything read so far. */
uint64_t wharf_reader_bytes(const wharf_reader *r);
uint32_t wharf_reader_crc32(const wharf_reader *r);
/* Compressed bytes consumed from disk so far (for progress). */
uint64_t wharf_reader_disk_bytes(const wharf_reader *r);
const char *wharf_reader_path(const wharf_reader *r);
void wharf_reader_close(wharf_reader *r);

/* Read a whole (possibly compressed) file into memory; for schema files and
 * metadata only, never data. */
gboolean wharf_read_file(const char *path, char **contents, size_t *len, GError **err);

#endif
