/* memdir: a copy's files in memory and pipes (contract in memdir.h). */
#include "copy/memdir.h"

#include "core/error.h"
#include "core/pipe.h"
#include "format/layout.h"

#include <string.h>

typedef struct mfile {
    char *name;
    GBytes *bytes;      /* a file kept in memory, once committed */
    void *chunk;        /* a data chunk: the source's handle */
    gint64 est;         /* its estimated size */
    wharf_pipe *pipe;   /* the chunk's current read */
} mfile;

struct wharf_memdir {
    char *path;         /* read-only */
    gsize pipe_bytes;   /* read-only */
    gboolean keep_data; /* read-only: FALSE = a data file is kept as a name */
    int (*ready)(void *data, wharf_run *run);
    void *ready_data;
    GMutex lock;        /* guards files and order */
    GHashTable *files;  /* name -> mfile* */
    GPtrArray *order;   /* mfile*, in the order they came */
};

static void mfile_free(gpointer p)
{
    mfile *f = p;
    g_free(f->name);
    if (f->bytes)
        g_bytes_unref(f->bytes);
    wharf_pipe_unref(f->pipe);
    g_free(f);
}

wharf_memdir *wharf_memdir_new(const char *path, gsize pipe_bytes, int (*ready)(void *data, wharf_run *run),
                               void *ready_data)
{
    wharf_memdir *m = g_new0(wharf_memdir, 1);
    m->path = g_strdup(path);
    m->pipe_bytes = pipe_bytes;
    m->keep_data = TRUE;
    m->ready = ready;
    m->ready_data = ready_data;
    g_mutex_init(&m->lock);
    m->files = g_hash_table_new(g_str_hash, g_str_equal);
    m->order = g_ptr_array_new_with_free_func(mfile_free);
    return m;
}

void wharf_memdir_free(wharf_memdir *m)
{
    if (m == NULL)
        return;
    g_hash_table_destroy(m->files);
    g_ptr_array_free(m->order, TRUE);
    g_mutex_clear(&m->lock);
    g_free(m->path);
    g_free(m);
}

/* With the lock: the entry for name, made if absent. */
static mfile *entry_locked(wharf_memdir *m, const char *name)
{
    mfile *f = g_hash_table_lookup(m->files, name);
    if (f == NULL) {
        f = g_new0(mfile, 1);
        f->name = g_strdup(name);
        g_hash_table_insert(m->files, f->name, f);
        g_ptr_array_add(m->order, f);
    }
    return f;
}

void wharf_memdir_drop_data(wharf_memdir *m)
{
    m->keep_data = FALSE;
}

void wharf_memdir_cancel(wharf_memdir *m, const char *why)
{
    g_mutex_lock(&m->lock);
    for (guint i = 0; i < m->order->len; i++) {
        mfile *f = m->order->pdata[i];
        if (f->pipe)
            wharf_pipe_cancel(f->pipe, why);
    }
    g_mutex_unlock(&m->lock);
}

/* --- the source's face ---------------------------------------------------- */

typedef struct mem_sink {
    wharf_memdir *m;
    char *name;
    GByteArray *buf;
    gboolean is_data; /* a data chunk (its bytes dropped unless keep_data) */
} mem_sink;

static gboolean mem_write(void *data, const void *buf, size_t len, GError **err)
{
    (void)err;
    mem_sink *s = data;
    if (s->m->keep_data || !s->is_data)
        g_byte_array_append(s->buf, buf, (guint)len);
    return TRUE;
}

static void mem_free(mem_sink *s)
{
    if (s->buf)
        g_byte_array_free(s->buf, TRUE);
    g_free(s->name);
    g_free(s);
}

static gboolean mem_commit(void *data, GError **err)
{
    (void)err;
    mem_sink *s = data;
    g_mutex_lock(&s->m->lock);
    mfile *f = entry_locked(s->m, s->name);
    if (f->bytes)
        g_bytes_unref(f->bytes);
    f->bytes = g_byte_array_free_to_bytes(s->buf); /* a retried schema step replaces its file */
    s->buf = NULL;
    g_mutex_unlock(&s->m->lock);
    mem_free(s);
    return TRUE;
}

static void mem_abort(void *data)
{
    mem_free(data);
}

static wharf_writer *hook_open(void *data, const char *name, GError **err)
{
    wharf_memdir *m = data;
    g_mutex_lock(&m->lock);
    mfile *f = g_hash_table_lookup(m->files, name);
    wharf_pipe *pipe = f && f->chunk && f->pipe ? wharf_pipe_ref(f->pipe) : NULL;
    gboolean chunk = f && f->chunk;
    g_mutex_unlock(&m->lock);
    if (chunk && pipe == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: read while nobody reads it", name);
        return NULL;
    }
    wharf_writer *w;
    if (pipe) {
        wharf_sink sk = wharf_pipe_sink(pipe);
        w = wharf_writer_open_sink(name, WHARF_COMPRESS_NONE, 0, &sk, err);
        wharf_pipe_unref(pipe);
    } else {
        mem_sink *s = g_new0(mem_sink, 1);
        wharf_file_info fi;
        gboolean known = wharf_layout_parse(name, &fi);
        gboolean is_data = known && (fi.kind == WHARF_FILE_DATA_SQL || fi.kind == WHARF_FILE_DATA_DAT);
        if (known)
            wharf_file_info_clear(&fi);
        *s = (mem_sink){m, g_strdup(name), g_byte_array_new(), is_data};
        wharf_sink sk = {mem_write, mem_commit, mem_abort, s};
        w = wharf_writer_open_sink(name, WHARF_COMPRESS_NONE, 0, &sk, err);
    }
    return w;
}

static void hook_chunk(void *data, const char *name, gint64 est, void *handle)
{
    wharf_memdir *m = data;
    g_mutex_lock(&m->lock);
    mfile *f = entry_locked(m, name);
    f->chunk = handle;
    f->est = est;
    g_mutex_unlock(&m->lock);
}

static void hook_failed(void *data, const char *name, const GError *why)
{
    wharf_memdir *m = data;
    g_mutex_lock(&m->lock);
    mfile *f = g_hash_table_lookup(m->files, name);
    wharf_pipe *pipe = f && f->pipe ? wharf_pipe_ref(f->pipe) : NULL;
    g_mutex_unlock(&m->lock);
    if (pipe) {
        wharf_pipe_fail(pipe, why);
        wharf_pipe_unref(pipe);
    }
}

static int hook_ready(void *data, wharf_run *run)
{
    wharf_memdir *m = data;
    return m->ready(m->ready_data, run);
}

wharf_dump_source_hooks wharf_memdir_hooks(wharf_memdir *m)
{
    return (wharf_dump_source_hooks){hook_open, hook_chunk, hook_failed, hook_ready, m};
}

/* --- the load's face ------------------------------------------------------ */

static gboolean dir_list(void *data, GPtrArray *names, GArray *sizes, GError **err)
{
    (void)err;
    wharf_memdir *m = data;
    g_mutex_lock(&m->lock);
    for (guint i = 0; i < m->order->len; i++) {
        mfile *f = m->order->pdata[i];
        if (f->bytes == NULL && f->chunk == NULL)
            continue;
        gint64 size = f->bytes ? (gint64)g_bytes_get_size(f->bytes) : f->est;
        g_ptr_array_add(names, g_strdup(f->name));
        g_array_append_val(sizes, size);
    }
    g_mutex_unlock(&m->lock);
    return TRUE;
}

typedef struct mem_source {
    GBytes *bytes;
    gsize off;
} mem_source;

static gssize mem_read(void *data, void *buf, size_t len, GError **err)
{
    (void)err;
    mem_source *s = data;
    gsize size = 0;
    const guint8 *b = g_bytes_get_data(s->bytes, &size);
    gsize n = MIN(len, size - s->off);
    memcpy(buf, b + s->off, n);
    s->off += n;
    return (gssize)n;
}

static void mem_close(void *data)
{
    mem_source *s = data;
    g_bytes_unref(s->bytes);
    g_free(s);
}

static wharf_reader *dir_open(void *data, const char *name, GError **err)
{
    wharf_memdir *m = data;
    g_mutex_lock(&m->lock);
    mfile *f = g_hash_table_lookup(m->files, name);
    GBytes *bytes = f && f->bytes ? g_bytes_ref(f->bytes) : NULL;
    void *chunk = f ? f->chunk : NULL;
    wharf_pipe *pipe = NULL;
    if (chunk) {
        /* a new read, in a new pipe (a retry reuses nothing) */
        char *what = g_strdup_printf("%s/%s", m->path, name);
        pipe = wharf_pipe_new(what, m->pipe_bytes);
        g_free(what);
        wharf_pipe_unref(f->pipe);
        f->pipe = wharf_pipe_ref(pipe);
    }
    g_mutex_unlock(&m->lock);
    char *path = g_strdup_printf("%s/%s", m->path, name);
    wharf_reader *r = NULL;
    if (bytes) {
        mem_source *s = g_new0(mem_source, 1);
        s->bytes = bytes;
        wharf_source src = {mem_read, mem_close, s};
        r = wharf_reader_open_source(path, &src, err);
    } else if (chunk) {
        wharf_dump_source_read(chunk);
        wharf_source src = wharf_pipe_source(pipe);
        r = wharf_reader_open_source(path, &src, err);
        wharf_pipe_unref(pipe);
    } else {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND, "%s: no such file in the copy", path);
    }
    g_free(path);
    return r;
}

static const wharf_dumpdir_ops dir_ops = {dir_list, dir_open};

wharf_dumpdir wharf_memdir_dumpdir(wharf_memdir *m)
{
    return (wharf_dumpdir){m->path, &dir_ops, m};
}
