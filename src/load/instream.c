/* instream: receive a stream into a spool directory (see instream.h).
 *
 * Lock order: none. The receiving thread owns the rx state; the run's stop
 * listener (engine/run: SIGINT/SIGTERM) only sets an atomic and writes the
 * eventfd.
 */
#include "load/instream.h"

#include "core/console.h"
#include "core/error.h"
#include "engine/run.h"
#include "core/spool.h"
#include "format/frame.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define READ_BUF (64 * 1024)

typedef enum { S_LF, S_LINE, S_BODY } rx_state;

typedef struct rx {
    const char *dir;
    int interrupted; /* atomic: signal number */
    int efd;         /* eventfd: a signal wakes the poll() */
    wharf_run *run;  /* its stop (a signal) ends the receive */
    guint64 offset;  /* stream bytes consumed */
    guint frames;
    GHashTable *names; /* names seen */
    gboolean have_metadata;
    GByteArray *header; /* metadata.header, NULL until seen */
    rx_state state;
    char line[WHARF_FRAME_MAX_LINE + 1];
    size_t line_len;
    /* the frame being read */
    char *name;
    wharf_frame_role role;
    guint64 size, left, frame_offset;
    int out; /* file in the spool, -1 when the bytes are kept or dropped */
} rx;

static gboolean rx_fail(rx *r, GError **err, int code, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static gboolean rx_fail(rx *r, GError **err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (r->state == S_BODY)
        g_set_error(err, WHARF_ERROR, code, "stream on stdin: frame %u (%s) at offset %" G_GUINT64_FORMAT ": %s",
                    r->frames, r->name, r->frame_offset, msg);
    else
        g_set_error(err, WHARF_ERROR, code, "stream on stdin: frame %u at offset %" G_GUINT64_FORMAT ": %s",
                    r->frames + 1, r->frame_offset, msg);
    g_free(msg);
    return FALSE;
}

static gboolean write_all(rx *r, const void *data, size_t len, GError **err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(r->out, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return rx_fail(r, err, WHARF_ERROR_IO, "writing %s/%s: %s", r->dir, r->name, g_strerror(errno));
        p += n;
        len -= (size_t)n;
    }
    return TRUE;
}

static gboolean fits(rx *r, GError **err)
{
    struct statvfs vfs;
    if (statvfs(r->dir, &vfs) != 0)
        return rx_fail(r, err, WHARF_ERROR_IO, "statvfs %s: %s", r->dir, g_strerror(errno));
    guint64 avail = (guint64)vfs.f_bavail * (guint64)vfs.f_frsize;
    if (r->size > avail)
        return rx_fail(r, err, WHARF_ERROR_IO,
                       "%s: %" G_GUINT64_FORMAT " bytes do not fit in the spool %s (%" G_GUINT64_FORMAT
                       " bytes free): use --spool-dir",
                       r->name, r->size, r->dir, avail);
    return TRUE;
}

/* The frame's header is parsed: check it against the stream so far and
 * make a place for its bytes. */
static gboolean frame_begin(rx *r, GError **err)
{
    if (g_hash_table_contains(r->names, r->name))
        return rx_fail(r, err, WHARF_ERROR_FORMAT, "%s is sent twice", r->name);
    g_hash_table_add(r->names, g_strdup(r->name));
    if (r->have_metadata && r->role != WHARF_FRAME_PARTIAL)
        return rx_fail(r, err, WHARF_ERROR_FORMAT,
                       "%s comes after metadata, which must be the last file", r->name);
    if (r->role == WHARF_FRAME_PARTIAL)
        return TRUE;
    if (r->role == WHARF_FRAME_HEADER) {
        if (r->size > WHARF_FRAME_MAX_HEADER_FILE)
            return rx_fail(r, err, WHARF_ERROR_FORMAT, "metadata.header of %" G_GUINT64_FORMAT
                           " bytes (at most 1 MiB)", r->size);
        r->header = g_byte_array_sized_new((guint)r->size + 1);
        return TRUE;
    }
    if (!fits(r, err))
        return FALSE;
    char *path = g_build_filename(r->dir, r->name, NULL);
    r->out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    g_free(path);
    if (r->out < 0)
        return rx_fail(r, err, WHARF_ERROR_IO, "creating %s in the spool %s: %s", r->name, r->dir,
                       g_strerror(errno));
    if (r->role == WHARF_FRAME_METADATA) {
        r->have_metadata = TRUE;
        if (r->header && !(write_all(r, r->header->data, r->header->len, err) && write_all(r, "\n", 1, err)))
            return FALSE;
    }
    return TRUE;
}

static gboolean frame_end(rx *r, GError **err)
{
    if (r->out >= 0) {
        int fd = r->out;
        r->out = -1;
        if (close(fd) != 0)
            return rx_fail(r, err, WHARF_ERROR_IO, "closing %s/%s: %s", r->dir, r->name, g_strerror(errno));
    }
    g_clear_pointer(&r->name, g_free);
    r->state = S_LF;
    return TRUE;
}

static gboolean header_line(rx *r, GError **err)
{
    GError *e = NULL;
    if (!wharf_frame_parse(r->line, r->line_len, &r->name, &r->size, &r->role, &e)) {
        rx_fail(r, err, WHARF_ERROR_FORMAT, "%s", e->message);
        g_error_free(e);
        return FALSE;
    }
    r->frames++;
    r->state = S_BODY;
    r->left = r->size;
    if (!frame_begin(r, err))
        return FALSE;
    return r->left > 0 || frame_end(r, err);
}

/* The body bytes of the current frame found in data[0..len). */
static gboolean body(rx *r, const char *data, size_t len, GError **err)
{
    if (r->out >= 0)
        return write_all(r, data, len, err);
    if (r->role == WHARF_FRAME_HEADER)
        g_byte_array_append(r->header, (const guint8 *)data, (guint)len);
    return TRUE; /* metadata.partial*: dropped */
}

static gboolean consume(rx *r, const char *buf, size_t len, GError **err)
{
    size_t i = 0;
    while (i < len) {
        if (r->state == S_BODY) {
            size_t n = (size_t)MIN((guint64)(len - i), r->left);
            if (!body(r, buf + i, n, err))
                return FALSE;
            i += n;
            r->offset += n;
            r->left -= n;
            if (r->left == 0 && !frame_end(r, err))
                return FALSE;
            continue;
        }
        char ch = buf[i++];
        if (r->state == S_LF) {
            r->frame_offset = r->offset;
            if (ch != '\n')
                return rx_fail(r, err, WHARF_ERROR_FORMAT,
                               "byte 0x%02x where a frame header (\"\\n-- NAME SIZE\\n\") must start",
                               (unsigned char)ch);
            r->state = S_LINE;
            r->line_len = 0;
        } else if (ch == '\n') {
            r->offset++;
            if (!header_line(r, err))
                return FALSE;
            continue;
        } else if (r->line_len == WHARF_FRAME_MAX_LINE) {
            return rx_fail(r, err, WHARF_ERROR_FORMAT, "frame header longer than %d bytes",
                           WHARF_FRAME_MAX_LINE);
        } else {
            r->line[r->line_len++] = ch;
        }
        r->offset++;
    }
    return TRUE;
}

static gboolean at_end(rx *r, GError **err)
{
    if (r->state == S_BODY)
        return rx_fail(r, err, WHARF_ERROR_FORMAT,
                       "truncated stream: the input ended after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                       " bytes",
                       r->size - r->left, r->size);
    if (r->state == S_LINE)
        return rx_fail(r, err, WHARF_ERROR_FORMAT, "truncated stream: the input ended inside a frame header");
    r->frame_offset = r->offset;
    if (r->offset == 0)
        return rx_fail(r, err, WHARF_ERROR_FORMAT, "the stream is empty");
    if (!r->have_metadata)
        return rx_fail(r, err, WHARF_ERROR_FORMAT,
                       "truncated stream: the input ended after %u files without metadata (the"
                       " dump is incomplete)",
                       r->frames);
    return TRUE;
}

/* Read everything; TRUE at a clean end of the stream. */
static gboolean receive(rx *r, int fd, GError **err)
{
    char *buf = g_malloc(READ_BUF);
    struct pollfd fds[2] = {{.fd = fd, .events = POLLIN}, {.fd = r->efd, .events = POLLIN}};
    gboolean ok = TRUE;
    for (;;) {
        if (poll(fds, 2, -1) < 0 && errno != EINTR) {
            ok = rx_fail(r, err, WHARF_ERROR_IO, "poll on stdin: %s", g_strerror(errno));
            break;
        }
        if (fds[1].revents || g_atomic_int_get(&r->interrupted)) {
            g_set_error_literal(err, WHARF_ERROR, WHARF_ERROR_CANCELLED, "interrupted while receiving the stream");
            ok = FALSE;
            break;
        }
        if (fds[0].revents == 0)
            continue;
        ssize_t n = read(fd, buf, READ_BUF);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0) {
            ok = rx_fail(r, err, WHARF_ERROR_IO, "reading stdin: %s", g_strerror(errno));
            break;
        }
        if (n == 0) {
            ok = at_end(r, err);
            break;
        }
        if (!(ok = consume(r, buf, (size_t)n, err)))
            break;
    }
    g_free(buf);
    return ok;
}

/* The run stops (a signal, on the engine's watcher thread): wake the poll(). */
static void on_stop(void *data)
{
    rx *r = data;
    g_atomic_int_compare_and_exchange(&r->interrupted, 0, wharf_run_interrupted(r->run));
    guint64 one = 1;
    if (write(r->efd, &one, sizeof one) < 0)
        WLOG_WARN("stream: cannot wake the receiver: %s", g_strerror(errno));
}

char *wharf_instream_receive(int fd, const char *spool_parent, int *interrupted, GError **err)
{
    *interrupted = 0;
    rx r = {.out = -1, .efd = eventfd(0, EFD_CLOEXEC)};
    if (r.efd < 0) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "stream: eventfd: %s", g_strerror(errno));
        return NULL;
    }
    /* the engine's stop: SIGINT/SIGTERM end the receive (no statement runs) */
    r.run = wharf_run_new("load", NULL, 0);
    wharf_run_on_stop(r.run, on_stop, &r);
    gboolean watching = wharf_run_watch_signals(r.run, err);
    char *dir = watching ? wharf_spool_make(spool_parent, err) : NULL;
    r.dir = dir;
    r.names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gboolean ok = dir != NULL && receive(&r, fd, err);
    wharf_run_unwatch_signals(r.run);
    wharf_run_free(r.run);
    if (r.out >= 0)
        close(r.out);
    *interrupted = g_atomic_int_get(&r.interrupted);
    if (ok)
        WLOG_INFO("stream: %u files, %" G_GUINT64_FORMAT " bytes received into %s", r.frames, r.offset, dir);
    if (!ok && dir) {
        wharf_spool_remove(dir);
        g_clear_pointer(&dir, g_free);
    }
    g_free(r.name);
    if (r.header)
        g_byte_array_unref(r.header);
    g_hash_table_unref(r.names);
    close(r.efd);
    return dir;
}
