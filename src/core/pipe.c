/* pipe: bounded byte pipe (contract in pipe.h). */
#include "core/pipe.h"

#include "core/error.h"

#include <string.h>

typedef enum { OPEN = 0, COMMITTED, FAILED } pipe_state;

struct wharf_pipe {
    char *name;     /* read-only */
    gsize capacity; /* read-only */
    GMutex lock;    /* guards all below */
    GCond cond;     /* data, room, or an end */
    guint8 *buf;    /* ring of capacity bytes */
    gsize head, len;
    pipe_state state;
    GError *error;  /* FAILED: why */
    gboolean generic; /* error is only "its writer gave up": a later fail() says why */
    gboolean reader_gone;
    gint refs;      /* atomic */
};

wharf_pipe *wharf_pipe_new(const char *name, gsize capacity)
{
    wharf_pipe *p = g_new0(wharf_pipe, 1);
    p->name = g_strdup(name);
    p->capacity = MAX(capacity, 4096);
    p->buf = g_malloc(p->capacity);
    g_mutex_init(&p->lock);
    g_cond_init(&p->cond);
    p->refs = 1;
    return p;
}

wharf_pipe *wharf_pipe_ref(wharf_pipe *p)
{
    g_atomic_int_inc(&p->refs);
    return p;
}

void wharf_pipe_unref(wharf_pipe *p)
{
    if (p == NULL || !g_atomic_int_dec_and_test(&p->refs))
        return;
    g_free(p->buf);
    g_free(p->name);
    if (p->error)
        g_error_free(p->error);
    g_mutex_clear(&p->lock);
    g_cond_clear(&p->cond);
    g_free(p);
}

/* With the lock: end the stream (first end wins). */
static void end_locked(wharf_pipe *p, pipe_state st, GError *why)
{
    if (p->state == OPEN) {
        p->state = st;
        p->error = why;
    } else if (why) {
        g_error_free(why);
    }
    g_cond_broadcast(&p->cond);
}

void wharf_pipe_fail(wharf_pipe *p, const GError *why)
{
    g_mutex_lock(&p->lock);
    if (p->state == FAILED && p->generic) {
        g_error_free(p->error);
        p->error = g_error_copy(why);
        p->generic = FALSE;
        g_cond_broadcast(&p->cond);
    }
    end_locked(p, FAILED, g_error_copy(why));
    g_mutex_unlock(&p->lock);
}

void wharf_pipe_cancel(wharf_pipe *p, const char *why)
{
    g_mutex_lock(&p->lock);
    end_locked(p, FAILED, g_error_new(WHARF_ERROR, WHARF_ERROR_CANCELLED, "%s: %s", p->name, why));
    p->reader_gone = TRUE; /* the writer stops too */
    g_cond_broadcast(&p->cond);
    g_mutex_unlock(&p->lock);
}

static gboolean sink_write(void *data, const void *src, size_t n, GError **err)
{
    wharf_pipe *p = data;
    const guint8 *b = src;
    g_mutex_lock(&p->lock);
    while (n > 0) {
        while (p->len == p->capacity && !p->reader_gone && p->state == OPEN)
            g_cond_wait(&p->cond, &p->lock); /* waits for the reader's next read */
        if (p->reader_gone || p->state != OPEN) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_CANCELLED, "%s: its reader stopped reading", p->name);
            g_mutex_unlock(&p->lock);
            return FALSE;
        }
        gsize tail = (p->head + p->len) % p->capacity;
        gsize room = MIN(p->capacity - p->len, p->capacity - tail);
        gsize k = MIN(room, n);
        memcpy(p->buf + tail, b, k);
        p->len += k;
        b += k;
        n -= k;
        g_cond_broadcast(&p->cond);
    }
    g_mutex_unlock(&p->lock);
    return TRUE;
}

static gboolean sink_commit(void *data, GError **err)
{
    wharf_pipe *p = data;
    g_mutex_lock(&p->lock);
    gboolean ok = p->state == OPEN && !p->reader_gone;
    if (ok)
        end_locked(p, COMMITTED, NULL);
    else
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_CANCELLED, "%s: its reader stopped reading", p->name);
    g_mutex_unlock(&p->lock);
    wharf_pipe_unref(p);
    return ok;
}

static void sink_abort(void *data)
{
    wharf_pipe *p = data;
    g_mutex_lock(&p->lock);
    gboolean was_open = p->state == OPEN;
    end_locked(p, FAILED, g_error_new(WHARF_ERROR, WHARF_ERROR_FAILED, "%s: its writer gave up", p->name));
    p->generic = was_open;
    g_mutex_unlock(&p->lock);
    wharf_pipe_unref(p);
}

static gssize source_read(void *data, void *dst, size_t n, GError **err)
{
    wharf_pipe *p = data;
    g_mutex_lock(&p->lock);
    while (p->len == 0 && p->state == OPEN)
        g_cond_wait(&p->cond, &p->lock); /* waits for the writer's next write or its end */
    if (p->len == 0 && p->state == FAILED && p->generic) {
        /* the writer gave up: its reason follows at once (wharf_pipe_fail) */
        gint64 until = g_get_monotonic_time() + G_TIME_SPAN_SECOND;
        while (p->generic && g_cond_wait_until(&p->cond, &p->lock, until))
            ;
    }
    gssize r;
    if (p->len > 0) {
        gsize k = MIN(n, MIN(p->len, p->capacity - p->head));
        memcpy(dst, p->buf + p->head, k);
        p->head = (p->head + k) % p->capacity;
        p->len -= k;
        r = (gssize)k;
        g_cond_broadcast(&p->cond);
    } else if (p->state == COMMITTED) {
        r = 0;
    } else {
        g_propagate_error(err, g_error_copy(p->error));
        r = -1;
    }
    g_mutex_unlock(&p->lock);
    return r;
}

static void source_close(void *data)
{
    wharf_pipe *p = data;
    g_mutex_lock(&p->lock);
    p->reader_gone = TRUE;
    g_cond_broadcast(&p->cond);
    g_mutex_unlock(&p->lock);
    wharf_pipe_unref(p);
}

wharf_sink wharf_pipe_sink(wharf_pipe *p)
{
    return (wharf_sink){sink_write, sink_commit, sink_abort, wharf_pipe_ref(p)};
}

wharf_source wharf_pipe_source(wharf_pipe *p)
{
    return (wharf_source){source_read, source_close, wharf_pipe_ref(p)};
}
