/* stream: streaming file output and input with in-process compression.
 * See stream.h for the contract. */
#include "core/stream.h"

#include "core/error.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* Fixed buffer sizes: memory per writer/reader is bounded by these (plus the
 * compression library's own fixed state), whatever the size of the file. */
#define WHARF_STREAM_INBUF (128 * 1024)
#define WHARF_STREAM_OUTBUF (128 * 1024)

/* ------------------------------------------------------------------------ */
/* compression names */

gboolean wharf_compress_parse(const char *name, wharf_compress *out)
{
    if (name == NULL)
        return FALSE;
    if (g_ascii_strcasecmp(name, "none") == 0 || g_ascii_strcasecmp(name, "no") == 0) {
        *out = WHARF_COMPRESS_NONE;
        return TRUE;
    }
    if (g_ascii_strcasecmp(name, "zstd") == 0 || g_ascii_strcasecmp(name, "zst") == 0) {
        *out = WHARF_COMPRESS_ZSTD;
        return TRUE;
    }
    if (g_ascii_strcasecmp(name, "gzip") == 0 || g_ascii_strcasecmp(name, "gz") == 0) {
        *out = WHARF_COMPRESS_GZIP;
        return TRUE;
    }
    return FALSE;
}

const char *wharf_compress_suffix(wharf_compress c)
{
    switch (c) {
    case WHARF_COMPRESS_ZSTD:
        return ".zst";
    case WHARF_COMPRESS_GZIP:
        return ".gz";
    default:
        return "";
    }
}

wharf_compress wharf_compress_from_name(const char *path)
{
    if (path == NULL)
        return WHARF_COMPRESS_NONE;
    if (g_str_has_suffix(path, ".zst"))
        return WHARF_COMPRESS_ZSTD;
    if (g_str_has_suffix(path, ".gz"))
        return WHARF_COMPRESS_GZIP;
    return WHARF_COMPRESS_NONE;
}

/* ------------------------------------------------------------------------ */
/* low-level I/O helpers */

static void set_errno_error(GError **err, int e, const char *path, const char *what)
{
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: %s: %s", path, what, g_strerror(e));
}

static gboolean write_all(int fd, const void *data, size_t len, const char *path, GError **err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            set_errno_error(err, errno, path, "write");
            return FALSE;
        }
        p += n;
        len -= (size_t)n;
    }
    return TRUE;
}

static gboolean fsync_fd(int fd, const char *path, GError **err)
{
    while (fsync(fd) != 0) {
        if (errno == EINTR)
            continue;
        /* Some file systems (e.g. pipes, certain FUSE) do not support it. */
        if (errno == EINVAL || errno == ENOTSUP)
            return TRUE;
        set_errno_error(err, errno, path, "fsync");
        return FALSE;
    }
    return TRUE;
}

gboolean wharf_fsync_dir(const char *dir, GError **err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        set_errno_error(err, errno, dir, "open directory");
        return FALSE;
    }
    gboolean ok = fsync_fd(fd, dir, err);
    close(fd);
    return ok;
}

/* ------------------------------------------------------------------------ */
/* writer */

struct wharf_writer {
    char *path;     /* final name */
    char *tmp_path; /* path + ".tmp" */
    int fd;
    wharf_compress compress;
    ZSTD_CCtx *zc;
    z_stream gz;
    gboolean gz_init;
    unsigned char *inbuf; /* uncompressed, not yet passed to the compressor */
    size_t in_len;
    unsigned char *outbuf; /* compressed output (NULL for NONE) */
    uint64_t bytes;
    uint32_t crc; /* of the bytes before inbuf[0..in_len): the CRC is taken
                     per buffer, not per (small) write */
    uint64_t disk_bytes;
    gboolean dead; /* a commit failed: temp file gone, only the handle left */
    gboolean no_fsync; /* commit without fsync: caller syncs the file system */
    wharf_sink sink;   /* instead of a file when sink.write is set */
    wharf_commit_hook on_commit; /* called after the rename, NULL = none */
    gpointer on_commit_data;
};

static void writer_free(wharf_writer *w)
{
    if (w == NULL)
        return;
    if (w->sink.abort && !w->dead)
        w->sink.abort(w->sink.data);
    if (w->fd >= 0)
        close(w->fd);
    if (w->zc != NULL)
        ZSTD_freeCCtx(w->zc);
    if (w->gz_init)
        deflateEnd(&w->gz);
    g_free(w->inbuf);
    g_free(w->outbuf);
    g_free(w->path);
    g_free(w->tmp_path);
    g_free(w);
}

static wharf_writer *writer_new(const char *path, wharf_compress c, int level, GError **err)
{
    wharf_writer *w = g_new0(wharf_writer, 1);
    w->fd = -1;
    w->path = g_strdup(path);
    w->tmp_path = g_strconcat(path, ".tmp", NULL);
    w->compress = c;
    w->crc = (uint32_t)crc32_z(0L, Z_NULL, 0);

    if (c == WHARF_COMPRESS_ZSTD) {
        w->zc = ZSTD_createCCtx();
        if (w->zc == NULL) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: cannot create zstd context", path);
            writer_free(w);
            return NULL;
        }
        size_t r = ZSTD_CCtx_setParameter(w->zc, ZSTD_c_compressionLevel, level > 0 ? level : 3);
        if (!ZSTD_isError(r))
            r = ZSTD_CCtx_setParameter(w->zc, ZSTD_c_checksumFlag, 1);
        if (ZSTD_isError(r)) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s: zstd level %d: %s", path, level,
                        ZSTD_getErrorName(r));
            writer_free(w);
            return NULL;
        }
    } else if (c == WHARF_COMPRESS_GZIP) {
        int lvl = level > 0 ? level : 6;
        if (lvl > 9)
            lvl = 9;
        if (deflateInit2(&w->gz, lvl, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: cannot initialise gzip: %s", path,
                        w->gz.msg ? w->gz.msg : "deflateInit2 failed");
            writer_free(w);
            return NULL;
        }
        w->gz_init = TRUE;
    } else if (c != WHARF_COMPRESS_NONE) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s: unknown compression %d", path, (int)c);
        writer_free(w);
        return NULL;
    }
    w->inbuf = g_malloc(WHARF_STREAM_INBUF);
    if (c != WHARF_COMPRESS_NONE)
        w->outbuf = g_malloc(WHARF_STREAM_OUTBUF);
    return w;
}

wharf_writer *wharf_writer_open(const char *path, wharf_compress c, int level, GError **err)
{
    wharf_writer *w = writer_new(path, c, level, err);
    if (w == NULL)
        return NULL;
    w->fd = open(w->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (w->fd < 0) {
        int e = errno;
        g_set_error(err, WHARF_ERROR, e == EEXIST ? WHARF_ERROR_EXISTS : WHARF_ERROR_IO,
                    "%s: create: %s", w->tmp_path, g_strerror(e));
        writer_free(w);
        return NULL;
    }
    return w;
}

wharf_writer *wharf_writer_open_sink(const char *name, wharf_compress c, int level, const wharf_sink *sink,
                                     GError **err)
{
    wharf_writer *w = writer_new(name, c, level, err);
    if (w == NULL) {
        if (sink->abort)
            sink->abort(sink->data);
        return NULL;
    }
    w->sink = *sink;
    return w;
}

static gboolean writer_emit(wharf_writer *w, const void *data, size_t len, GError **err)
{
    if (len == 0)
        return TRUE;
    if (w->sink.write ? !w->sink.write(w->sink.data, data, len, err) : !write_all(w->fd, data, len, w->tmp_path, err))
        return FALSE;
    w->disk_bytes += len;
    return TRUE;
}

/* Feed data to the compressor (or straight to disk). finish: end the stream. */
static gboolean writer_feed(wharf_writer *w, const unsigned char *data, size_t len, gboolean finish,
                            GError **err)
{
    switch (w->compress) {
    case WHARF_COMPRESS_NONE:
        return writer_emit(w, data, len, err);
    case WHARF_COMPRESS_ZSTD: {
        ZSTD_inBuffer in = {data, len, 0};
        ZSTD_EndDirective mode = finish ? ZSTD_e_end : ZSTD_e_continue;
        for (;;) {
            ZSTD_outBuffer out = {w->outbuf, WHARF_STREAM_OUTBUF, 0};
            size_t r = ZSTD_compressStream2(w->zc, &out, &in, mode);
            if (ZSTD_isError(r)) {
                g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: zstd compression: %s",
                            w->tmp_path, ZSTD_getErrorName(r));
                return FALSE;
            }
            if (!writer_emit(w, w->outbuf, out.pos, err))
                return FALSE;
            if (finish ? r == 0 : in.pos == in.size)
                return TRUE;
        }
    }
    case WHARF_COMPRESS_GZIP: {
        /* avail_in is a uInt: feed in pieces. */
        const unsigned char *p = data;
        size_t left = len;
        for (;;) {
            uInt piece = left > (1u << 30) ? (1u << 30) : (uInt)left;
            w->gz.next_in = (Bytef *)p;
            w->gz.avail_in = piece;
            gboolean last = finish && piece == left;
            int flush = last ? Z_FINISH : Z_NO_FLUSH;
            int r;
            do {
                w->gz.next_out = w->outbuf;
                w->gz.avail_out = WHARF_STREAM_OUTBUF;
                r = deflate(&w->gz, flush);
                if (r == Z_STREAM_ERROR) {
                    g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: gzip compression failed",
                                w->tmp_path);
                    return FALSE;
                }
                if (!writer_emit(w, w->outbuf, WHARF_STREAM_OUTBUF - w->gz.avail_out, err))
                    return FALSE;
            } while (last ? r != Z_STREAM_END : (w->gz.avail_in > 0 || w->gz.avail_out == 0));
            p += piece;
            left -= piece;
            if (left == 0)
                return TRUE;
        }
    }
    }
    return TRUE;
}

static gboolean writer_flush_buf(wharf_writer *w, GError **err)
{
    if (w->in_len == 0)
        return TRUE;
    w->crc = (uint32_t)crc32_z(w->crc, w->inbuf, w->in_len);
    gboolean ok = writer_feed(w, w->inbuf, w->in_len, FALSE, err);
    w->in_len = 0;
    return ok;
}

gboolean wharf_writer_write(wharf_writer *w, const void *data, size_t len, GError **err)
{
    if (len == 0)
        return TRUE;
    const unsigned char *p = data;
    w->bytes += len;
    if (len <= WHARF_STREAM_INBUF - w->in_len) {
        memcpy(w->inbuf + w->in_len, p, len);
        w->in_len += len;
        return TRUE;
    }
    /* Top up the buffer, flush it, then pass big remainders straight through. */
    size_t room = WHARF_STREAM_INBUF - w->in_len;
    memcpy(w->inbuf + w->in_len, p, room);
    w->in_len += room;
    p += room;
    len -= room;
    if (!writer_flush_buf(w, err))
        return FALSE;
    if (len >= WHARF_STREAM_INBUF) {
        w->crc = (uint32_t)crc32_z(w->crc, p, len);
        return writer_feed(w, p, len, FALSE, err);
    }
    memcpy(w->inbuf, p, len);
    w->in_len = len;
    return TRUE;
}

gboolean wharf_writer_puts(wharf_writer *w, const char *s, GError **err)
{
    return wharf_writer_write(w, s, strlen(s), err);
}

uint64_t wharf_writer_bytes(const wharf_writer *w)
{
    return w->bytes;
}

uint32_t wharf_writer_crc32(const wharf_writer *w)
{
    return w->in_len ? (uint32_t)crc32_z(w->crc, w->inbuf, w->in_len) : w->crc;
}

uint64_t wharf_writer_disk_bytes(const wharf_writer *w)
{
    return w->disk_bytes;
}

gboolean wharf_writer_commit(wharf_writer *w, GError **err)
{
    gboolean ok;
    if (w->compress == WHARF_COMPRESS_NONE)
        ok = writer_flush_buf(w, err);
    else {
        w->crc = (uint32_t)crc32_z(w->crc, w->inbuf, w->in_len);
        ok = writer_feed(w, w->inbuf, w->in_len, TRUE, err);
        w->in_len = 0;
    }
    if (w->sink.write) {
        /* The sink's commit (or, on failure, its abort) ends it. */
        if (ok && (ok = w->sink.commit(w->sink.data, err)))
            w->dead = TRUE;
        if (ok) {
            writer_free(w);
            return TRUE;
        }
        if (!w->dead && w->sink.abort)
            w->sink.abort(w->sink.data);
        w->dead = TRUE;
        return FALSE;
    }
    if (ok && !w->no_fsync)
        ok = fsync_fd(w->fd, w->tmp_path, err);
    if (ok) {
        int fd = w->fd;
        w->fd = -1;
        if (close(fd) != 0) {
            set_errno_error(err, errno, w->tmp_path, "close");
            ok = FALSE;
        }
    }
    if (ok && rename(w->tmp_path, w->path) != 0) {
        int e = errno;
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: rename to %s: %s", w->tmp_path, w->path,
                    g_strerror(e));
        ok = FALSE;
    }
    /* The file is complete under its final name: hand it on (the hook may
     * block, and its failure fails the commit; the file then stays). */
    if (ok && w->on_commit != NULL)
        ok = w->on_commit(w->on_commit_data, w->path, err);
    if (!ok) {
        /* Release everything now; the handle stays for wharf_writer_abort(). */
        if (w->fd >= 0) {
            close(w->fd);
            w->fd = -1;
        }
        unlink(w->tmp_path);
        w->dead = TRUE;
        if (w->zc != NULL) {
            ZSTD_freeCCtx(w->zc);
            w->zc = NULL;
        }
        if (w->gz_init) {
            deflateEnd(&w->gz);
            w->gz_init = FALSE;
        }
        g_clear_pointer(&w->inbuf, g_free);
        g_clear_pointer(&w->outbuf, g_free);
        return FALSE;
    }
    writer_free(w);
    return TRUE;
}

void wharf_writer_defer_sync(wharf_writer *w)
{
    w->no_fsync = TRUE;
}

void wharf_writer_on_commit(wharf_writer *w, wharf_commit_hook hook, gpointer data)
{
    w->on_commit = hook;
    w->on_commit_data = data;
}

gboolean wharf_sync_filesystem(const char *dir, GError **err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        set_errno_error(err, errno, dir, "open");
        return FALSE;
    }
    gboolean ok = TRUE;
    if (syncfs(fd) != 0) {
        set_errno_error(err, errno, dir, "syncfs");
        ok = FALSE;
    }
    close(fd);
    return ok;
}

void wharf_writer_abort(wharf_writer *w)
{
    if (w == NULL)
        return;
    if (w->fd >= 0) {
        close(w->fd);
        w->fd = -1;
    }
    if (!w->dead && !w->sink.write)
        unlink(w->tmp_path);
    writer_free(w);
}

gboolean wharf_write_file_atomic(const char *path, const void *data, size_t len, GError **err)
{
    wharf_writer *w = wharf_writer_open(path, WHARF_COMPRESS_NONE, 0, err);
    if (w == NULL)
        return FALSE;
    if (!wharf_writer_write(w, data, len, err)) {
        wharf_writer_abort(w);
        return FALSE;
    }
    if (!wharf_writer_commit(w, err)) {
        wharf_writer_abort(w);
        return FALSE;
    }
    char *dir = g_path_get_dirname(path);
    gboolean ok = wharf_fsync_dir(dir, err);
    g_free(dir);
    return ok;
}

/* ------------------------------------------------------------------------ */
/* reader */

struct wharf_reader {
    char *path;
    int fd;
    wharf_compress compress; /* detected from content */
    unsigned char *inbuf;    /* raw bytes from disk */
    size_t in_pos, in_len;
    uint64_t in_base;        /* file offset of inbuf[0] */
    gboolean eof;            /* no more bytes on disk */
    gboolean failed;         /* an error was reported; further reads fail */
    gboolean in_frame;       /* inside a zstd frame / gzip member */
    ZSTD_DCtx *zd;
    z_stream gz;
    gboolean gz_init;
    uint64_t bytes;
    uint32_t crc;
    uint64_t disk_bytes;
    wharf_source source; /* instead of fd when source.read is set */
};

/* Raw bytes from the file or the source; -1 with *err on failure. */
static ssize_t raw_read(wharf_reader *r, void *buf, size_t len, GError **err)
{
    if (r->source.read)
        return r->source.read(r->source.data, buf, len, err);
    for (;;) {
        ssize_t n = read(r->fd, buf, len);
        if (n >= 0 || errno != EINTR) {
            if (n < 0)
                set_errno_error(err, errno, r->path, "read");
            return n;
        }
    }
}

/* Refill inbuf (only when fully consumed). */
static gboolean reader_fill(wharf_reader *r, GError **err)
{
    r->in_base += r->in_len;
    r->in_pos = r->in_len = 0;
    ssize_t n = raw_read(r, r->inbuf, WHARF_STREAM_INBUF, err);
    if (n < 0)
        return FALSE;
    if (n == 0)
        r->eof = TRUE;
    r->in_len = (size_t)n;
    r->disk_bytes += (uint64_t)n;
    return TRUE;
}

static wharf_reader *reader_start(wharf_reader *r, GError **err);

wharf_reader *wharf_reader_open(const char *path, GError **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        g_set_error(err, WHARF_ERROR, e == ENOENT ? WHARF_ERROR_NOT_FOUND : WHARF_ERROR_IO,
                    "%s: open: %s", path, g_strerror(e));
        return NULL;
    }
    wharf_reader *r = g_new0(wharf_reader, 1);
    r->path = g_strdup(path);
    r->fd = fd;
    return reader_start(r, err);
}

wharf_reader *wharf_reader_open_source(const char *name, const wharf_source *src, GError **err)
{
    wharf_reader *r = g_new0(wharf_reader, 1);
    r->path = g_strdup(name);
    r->fd = -1;
    r->source = *src;
    return reader_start(r, err);
}

/* Buffers, then the compression detected from the first bytes. */
static wharf_reader *reader_start(wharf_reader *r, GError **err)
{
    const char *path = r->path;
    r->inbuf = g_malloc(WHARF_STREAM_INBUF);
    r->crc = (uint32_t)crc32_z(0L, Z_NULL, 0);

    /* Gather up to 4 bytes for magic detection. */
    while (!r->eof && r->in_len < 4) {
        ssize_t n = raw_read(r, r->inbuf + r->in_len, WHARF_STREAM_INBUF - r->in_len, err);
        if (n < 0) {
            wharf_reader_close(r);
            return NULL;
        }
        if (n == 0)
            r->eof = TRUE;
        r->in_len += (size_t)n;
        r->disk_bytes += (uint64_t)n;
    }
    const unsigned char *b = r->inbuf;
    if (r->in_len >= 4 && b[0] == 0x28 && b[1] == 0xB5 && b[2] == 0x2F && b[3] == 0xFD) {
        r->compress = WHARF_COMPRESS_ZSTD;
        r->zd = ZSTD_createDCtx();
        if (r->zd == NULL) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: cannot create zstd context", path);
            wharf_reader_close(r);
            return NULL;
        }
        r->in_frame = TRUE;
    } else if (r->in_len >= 2 && b[0] == 0x1F && b[1] == 0x8B) {
        r->compress = WHARF_COMPRESS_GZIP;
        if (inflateInit2(&r->gz, 15 + 32) != Z_OK) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: cannot initialise gzip", path);
            wharf_reader_close(r);
            return NULL;
        }
        r->gz_init = TRUE;
        r->in_frame = TRUE;
    } else {
        r->compress = WHARF_COMPRESS_NONE;
    }
    return r;
}

static gssize reader_fail(wharf_reader *r)
{
    r->failed = TRUE;
    return -1;
}

static gssize read_plain(wharf_reader *r, unsigned char *buf, size_t len, GError **err)
{
    if (r->in_pos < r->in_len) {
        size_t n = MIN(len, r->in_len - r->in_pos);
        memcpy(buf, r->inbuf + r->in_pos, n);
        r->in_pos += n;
        return (gssize)n;
    }
    if (r->eof)
        return 0;
    if (len >= WHARF_STREAM_INBUF) {
        /* Large reads go straight into the caller's buffer. */
        ssize_t n = raw_read(r, buf, len, err);
        if (n < 0)
            return -1;
        if (n == 0)
            r->eof = TRUE;
        r->in_base += (uint64_t)n;
        r->disk_bytes += (uint64_t)n;
        return n;
    }
    if (!reader_fill(r, err))
        return -1;
    if (r->in_len == 0)
        return 0;
    size_t n = MIN(len, r->in_len);
    memcpy(buf, r->inbuf, n);
    r->in_pos = n;
    return (gssize)n;
}

static gssize read_zstd(wharf_reader *r, unsigned char *buf, size_t len, GError **err)
{
    for (;;) {
        if (r->in_pos == r->in_len && !r->eof) {
            if (!reader_fill(r, err))
                return -1;
        }
        if (r->in_pos == r->in_len && r->eof) {
            /* No more input: clean end only between frames. A frame whose
             * decoder still holds output is drained below first. */
            if (!r->in_frame)
                return 0;
        }
        ZSTD_inBuffer in = {r->inbuf, r->in_len, r->in_pos};
        ZSTD_outBuffer out = {buf, len, 0};
        size_t ret = ZSTD_decompressStream(r->zd, &out, &in);
        r->in_pos = in.pos;
        if (ZSTD_isError(ret)) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                        "%s: corrupt zstd data near byte offset %" G_GUINT64_FORMAT ": %s", r->path,
                        (guint64)(r->in_base + r->in_pos),
                        ZSTD_getErrorName(ret));
            return -1;
        }
        r->in_frame = ret != 0;
        if (out.pos > 0)
            return (gssize)out.pos;
        if (r->in_pos == r->in_len && r->eof) {
            if (r->in_frame) {
                g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                            "%s: truncated zstd data: file ends mid-frame at byte offset %" G_GUINT64_FORMAT,
                            r->path, (guint64)(r->in_base + r->in_len));
                return -1;
            }
            return 0;
        }
    }
}

static gssize read_gzip(wharf_reader *r, unsigned char *buf, size_t len, GError **err)
{
    if (len > (1u << 30))
        len = 1u << 30;
    r->gz.next_out = buf;
    r->gz.avail_out = (uInt)len;
    for (;;) {
        if (r->in_pos == r->in_len && !r->eof) {
            if (!reader_fill(r, err))
                return -1;
        }
        if (r->in_pos == r->in_len && r->eof && !r->in_frame)
            return 0;
        r->gz.next_in = r->inbuf + r->in_pos;
        r->gz.avail_in = (uInt)(r->in_len - r->in_pos);
        if (r->gz.avail_in > 0)
            r->in_frame = TRUE;
        int ret = inflate(&r->gz, Z_NO_FLUSH);
        size_t consumed = (size_t)(r->gz.next_in - (r->inbuf + r->in_pos));
        r->in_pos += consumed;
        size_t produced = len - r->gz.avail_out;
        if (ret == Z_STREAM_END) {
            /* End of one member; another may follow (concatenated gzip). */
            r->in_frame = FALSE;
            if (inflateReset(&r->gz) != Z_OK) {
                g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: inflateReset failed", r->path);
                return -1;
            }
            if (produced > 0)
                return (gssize)produced;
            continue;
        }
        if (ret == Z_OK || (ret == Z_BUF_ERROR && r->in_pos == r->in_len && !r->eof)) {
            if (produced > 0)
                return (gssize)produced;
            if (r->in_pos == r->in_len && r->eof) {
                g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                            "%s: truncated gzip data: file ends mid-stream at byte offset %" G_GUINT64_FORMAT,
                            r->path, (guint64)(r->in_base + r->in_len));
                return -1;
            }
            continue;
        }
        if (ret == Z_BUF_ERROR && r->in_pos == r->in_len && r->eof) {
            if (produced > 0)
                return (gssize)produced;
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                        "%s: truncated gzip data: file ends mid-stream at byte offset %" G_GUINT64_FORMAT,
                        r->path, (guint64)(r->in_base + r->in_len));
            return -1;
        }
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "%s: corrupt gzip data near byte offset %" G_GUINT64_FORMAT ": %s", r->path,
                    (guint64)(r->in_base + r->in_pos), r->gz.msg ? r->gz.msg : zError(ret));
        return -1;
    }
}

gssize wharf_reader_read(wharf_reader *r, void *buf, size_t len, GError **err)
{
    if (r->failed) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: read after an earlier error", r->path);
        return -1;
    }
    if (len == 0)
        return 0;
    gssize n;
    switch (r->compress) {
    case WHARF_COMPRESS_ZSTD:
        n = read_zstd(r, buf, len, err);
        break;
    case WHARF_COMPRESS_GZIP:
        n = read_gzip(r, buf, len, err);
        break;
    default:
        n = read_plain(r, buf, len, err);
        break;
    }
    if (n < 0)
        return reader_fail(r);
    if (n > 0) {
        r->crc = (uint32_t)crc32_z(r->crc, buf, (size_t)n);
        r->bytes += (uint64_t)n;
    }
    return n;
}

uint64_t wharf_reader_bytes(const wharf_reader *r)
{
    return r->bytes;
}

uint32_t wharf_reader_crc32(const wharf_reader *r)
{
    return r->crc;
}

uint64_t wharf_reader_disk_bytes(const wharf_reader *r)
{
    return r->disk_bytes;
}

const char *wharf_reader_path(const wharf_reader *r)
{
    return r->path;
}

void wharf_reader_close(wharf_reader *r)
{
    if (r == NULL)
        return;
    if (r->fd >= 0)
        close(r->fd);
    if (r->source.close)
        r->source.close(r->source.data);
    if (r->zd != NULL)
        ZSTD_freeDCtx(r->zd);
    if (r->gz_init)
        inflateEnd(&r->gz);
    g_free(r->inbuf);
    g_free(r->path);
    g_free(r);
}

gboolean wharf_read_file(const char *path, char **contents, size_t *len, GError **err)
{
    wharf_reader *r = wharf_reader_open(path, err);
    if (r == NULL)
        return FALSE;
    GByteArray *a = g_byte_array_new();
    size_t chunk = 64 * 1024;
    for (;;) {
        size_t old = a->len;
        g_byte_array_set_size(a, (guint)(old + chunk));
        gssize n = wharf_reader_read(r, a->data + old, chunk, err);
        if (n < 0) {
            g_byte_array_free(a, TRUE);
            wharf_reader_close(r);
            return FALSE;
        }
        g_byte_array_set_size(a, (guint)(old + (size_t)n));
        if (n == 0)
            break;
    }
    wharf_reader_close(r);
    size_t n = a->len;
    guint8 nul = 0;
    g_byte_array_append(a, &nul, 1);
    *contents = (char *)g_byte_array_free(a, FALSE);
    if (len != NULL)
        *len = n;
    return TRUE;
}
