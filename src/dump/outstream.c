/* outstream: the spool and its streamer thread (see outstream.h).
 *
 * Lock order: s->lock is the innermost lock.
 */
#include "dump/outstream.h"

#include "core/console.h"
#include "core/error.h"
#include "core/spool.h"
#include "core/stream.h"
#include "dump/catalog.h"
#include "format/metadata.h"
#include "format/frame.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPY_BUF (64 * 1024)

typedef struct item {
    char *path;
    guint64 bytes; /* on disk, counted in spooled */
} item;

struct wharf_outstream {
    /* fixed after start */
    char *dir;
    guint64 max_bytes;
    int fd;         /* the stream's output */
    size_t chunk;   /* largest write: PIPE_BUF on a pipe, so a write never blocks */
    int efd;        /* eventfd: cancel wakes the streamer's poll() */
    GThread *thread;
    GMutex lock;
    GCond cond;     /* queue grew, space freed, failed, cancelled, finishing */
    /* under lock */
    GQueue queue;      /* of item*, in commit order */
    guint64 spooled;   /* bytes of queued files and of the one being sent */
    gboolean finishing; /* `metadata` is queued: the streamer ends after it */
    gboolean cancelled;
    GError *error;     /* the streamer's failure */
    /* streamer thread only */
    guint64 sent;
    guint files;
};

static void item_free(gpointer p)
{
    item *it = p;
    g_free(it->path);
    g_free(it);
}

static gboolean push(wharf_outstream *s, const char *path, GError **err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "stream: %s: %s", path, g_strerror(errno));
        return FALSE;
    }
    item *it = g_new(item, 1);
    it->path = g_strdup(path);
    it->bytes = (guint64)st.st_size;
    g_queue_push_tail(&s->queue, it);
    s->spooled += it->bytes;
    g_cond_broadcast(&s->cond);
    return TRUE;
}

/* Under s->lock: FALSE with the reason when no more files can go out. */
static gboolean usable(wharf_outstream *s, GError **err)
{
    if (s->error) {
        g_propagate_error(err, g_error_copy(s->error));
        return FALSE;
    }
    if (s->cancelled) {
        g_set_error_literal(err, WHARF_ERROR, WHARF_ERROR_CANCELLED, "stream: cancelled");
        return FALSE;
    }
    return TRUE;
}

/* Write all of data to the output, waiting in poll() for room or cancel. */
static gboolean out_write(wharf_outstream *s, const char *data, size_t len, const char *what,
                          GError **err)
{
    struct pollfd fds[2] = {{.fd = s->fd, .events = POLLOUT}, {.fd = s->efd, .events = POLLIN}};
    while (len > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "stream: poll on stdout: %s", g_strerror(errno));
            return FALSE;
        }
        if (fds[1].revents) {
            g_set_error_literal(err, WHARF_ERROR, WHARF_ERROR_CANCELLED, "stream: cancelled");
            return FALSE;
        }
        ssize_t n = write(s->fd, data, MIN(len, s->chunk));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO,
                        "stream: writing %s to stdout failed after %" G_GUINT64_FORMAT " bytes: %s%s",
                        what, s->sent, g_strerror(e),
                        e == EPIPE ? " (the reader of the stream is gone)" : "");
            return FALSE;
        }
        data += n;
        len -= (size_t)n;
        s->sent += (guint64)n;
    }
    return TRUE;
}

/* One frame: header, then the file's bytes as on disk; then delete it. */
static gboolean send_file(wharf_outstream *s, const char *path, char *buf, GError **err)
{
    char *name = g_path_get_basename(path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    gboolean ok = fd >= 0 && fstat(fd, &st) == 0;
    if (!ok)
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "stream: %s: %s", path, g_strerror(errno));
    char *hdr = ok ? wharf_frame_header(name, (guint64)st.st_size) : NULL;
    ok = ok && out_write(s, hdr, strlen(hdr), name, err);
    guint64 left = ok ? (guint64)st.st_size : 0;
    while (ok && left > 0) {
        ssize_t n = read(fd, buf, (size_t)MIN(left, (guint64)COPY_BUF));
        if (n <= 0) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "stream: reading %s: %s", path,
                        n < 0 ? g_strerror(errno) : "file shrank while being sent");
            ok = FALSE;
            break;
        }
        ok = out_write(s, buf, (size_t)n, name, err);
        left -= (guint64)n;
    }
    if (fd >= 0)
        close(fd);
    if (ok && unlink(path) != 0)
        WLOG_WARN("stream: cannot remove %s from the spool: %s", path, g_strerror(errno));
    s->files += ok;
    g_free(hdr);
    g_free(name);
    return ok;
}

static gpointer streamer_main(gpointer data)
{
    wharf_outstream *s = data;
    sigset_t pipe_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, NULL); /* a dead reader is EPIPE, not death */
    char *buf = g_malloc(COPY_BUF);
    g_mutex_lock(&s->lock);
    for (;;) {
        while (g_queue_is_empty(&s->queue) && !s->finishing && !s->cancelled)
            g_cond_wait(&s->cond, &s->lock);
        if (s->cancelled || g_queue_is_empty(&s->queue))
            break;
        item *it = g_queue_pop_head(&s->queue);
        g_mutex_unlock(&s->lock);
        GError *e = NULL;
        gboolean ok = send_file(s, it->path, buf, &e);
        g_mutex_lock(&s->lock);
        s->spooled -= it->bytes;
        item_free(it);
        g_cond_broadcast(&s->cond);
        if (!ok) {
            s->error = e;
            break;
        }
    }
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
    g_free(buf);
    return NULL;
}

wharf_outstream *wharf_outstream_start(const char *spool_parent, guint64 max_bytes, int fd,
                                       const char *header_text, GError **err)
{
    char *dir = wharf_spool_make(spool_parent, err);
    if (dir == NULL)
        return NULL;
    wharf_outstream *s = g_new0(wharf_outstream, 1);
    s->dir = dir;
    s->max_bytes = max_bytes;
    s->fd = fd;
    struct stat st;
    s->chunk = fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) ? PIPE_BUF : COPY_BUF;
    g_mutex_init(&s->lock);
    g_cond_init(&s->cond);
    g_queue_init(&s->queue);
    s->efd = eventfd(0, EFD_CLOEXEC);
    if (s->efd < 0) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "stream: eventfd: %s", g_strerror(errno));
        wharf_outstream_free(s);
        return NULL;
    }
    char *hpath = g_build_filename(dir, "metadata.header", NULL);
    gboolean ok = wharf_write_file_atomic(hpath, header_text, strlen(header_text), err) &&
                  push(s, hpath, err);
    g_free(hpath);
    if (!ok) {
        wharf_outstream_free(s);
        return NULL;
    }
    s->thread = g_thread_new("wharf-stream", streamer_main, s);
    WLOG_DEBUG("stream: spooling in %s (at most %" G_GUINT64_FORMAT " bytes waiting)", dir, max_bytes);
    return s;
}

const char *wharf_outstream_dir(const wharf_outstream *s)
{
    return s->dir;
}

gboolean wharf_outstream_committed(gpointer data, const char *path, GError **err)
{
    wharf_outstream *s = data;
    g_mutex_lock(&s->lock);
    gboolean ok = usable(s, err) && push(s, path, err);
    while (ok && s->spooled > s->max_bytes && s->error == NULL && !s->cancelled)
        g_cond_wait(&s->cond, &s->lock);
    ok = ok && usable(s, err);
    g_mutex_unlock(&s->lock);
    return ok;
}

/* One table's group: its file-name forms and real name, as in `metadata`. */
static gboolean table_group(wharf_writer *w, const wharf_cat_table *t, GError **err)
{
    GKeyFile *kf = g_key_file_new();
    char *g = wharf_metadata_group(t->fdb, t->fname);
    g_key_file_set_string(kf, g, "real_table_name", t->name);
    gsize len = 0;
    char *text = g_key_file_to_data(kf, &len, NULL);
    gboolean ok = wharf_writer_write(w, "\n", 1, err) && wharf_writer_write(w, text, len, err);
    g_free(text);
    g_free(g);
    g_key_file_free(kf);
    return ok;
}

gboolean wharf_outstream_table_list(wharf_outstream *s, const wharf_catalog *cat, GError **err)
{
    char *path = g_build_filename(s->dir, "metadata.partial.0", NULL);
    wharf_writer *w = wharf_writer_open(path, WHARF_COMPRESS_NONE, 0, err);
    g_free(path);
    if (w == NULL)
        return FALSE;
    wharf_writer_defer_sync(w);
    wharf_writer_on_commit(w, wharf_outstream_committed, s);
    gboolean ok = TRUE;
    for (guint i = 0; ok && i < cat->tables->len; i++)
        ok = table_group(w, cat->tables->pdata[i], err);
    ok = ok && wharf_writer_commit(w, err);
    if (!ok)
        wharf_writer_abort(w);
    return ok;
}

gboolean wharf_outstream_finish(wharf_outstream *s, GError **err)
{
    char *mpath = g_build_filename(s->dir, "metadata", NULL);
    g_mutex_lock(&s->lock);
    gboolean ok = usable(s, err) && push(s, mpath, err);
    s->finishing = TRUE;
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
    g_free(mpath);
    g_thread_join(s->thread); /* it ends after the last frame, or on failure */
    s->thread = NULL;
    g_mutex_lock(&s->lock);
    ok = ok && usable(s, err);
    g_mutex_unlock(&s->lock);
    if (ok) {
        char *b = wharf_format_bytes((gint64)s->sent);
        WLOG_INFO("stream: %u files, %s written to stdout", s->files, b);
        g_free(b);
    }
    return ok;
}

void wharf_outstream_cancel(wharf_outstream *s)
{
    if (s == NULL)
        return;
    g_mutex_lock(&s->lock);
    s->cancelled = TRUE;
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
    guint64 one = 1;
    if (s->efd >= 0 && write(s->efd, &one, sizeof one) < 0)
        WLOG_WARN("stream: cannot wake the streamer: %s", g_strerror(errno));
}

void wharf_outstream_free(wharf_outstream *s)
{
    if (s == NULL)
        return;
    if (s->thread) {
        wharf_outstream_cancel(s);
        g_thread_join(s->thread);
    }
    wharf_spool_remove(s->dir);
    g_queue_clear_full(&s->queue, item_free);
    if (s->error)
        g_error_free(s->error);
    if (s->efd >= 0)
        close(s->efd);
    g_mutex_clear(&s->lock);
    g_cond_clear(&s->cond);
    g_free(s->dir);
    g_free(s);
}
