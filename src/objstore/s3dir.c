/* s3dir: a dump in a bucket (contract in s3dir.h). */
#include "objstore/s3dir.h"

#include "core/console.h"
#include "core/error.h"

#include <string.h>

struct wharf_s3dir {
    wharf_s3 *s3;
    char *bucket;
    char *prefix; /* "" or "P/" */
    char *url;
    gsize part_size;
    int level;
};

wharf_s3dir *wharf_s3dir_new(const wharf_s3_opts *o, const char *url, int level, GError **err)
{
    char *bucket = NULL, *prefix = NULL;
    if (!wharf_s3_url_parse(url, &bucket, &prefix, err))
        return NULL;
    wharf_s3 *s3 = wharf_s3_new(o, bucket, err);
    if (s3 == NULL) {
        g_free(bucket);
        g_free(prefix);
        return NULL;
    }
    wharf_s3dir *d = g_new0(wharf_s3dir, 1);
    d->s3 = s3;
    d->bucket = bucket;
    d->url = *prefix ? g_strdup_printf("s3://%s/%s", bucket, prefix) : g_strdup_printf("s3://%s", bucket);
    d->prefix = *prefix ? g_strdup_printf("%s/", prefix) : g_strdup("");
    g_free(prefix);
    d->part_size = o->part_size ? o->part_size : WHARF_S3_DEFAULT_PART_SIZE;
    d->level = level;
    return d;
}

void wharf_s3dir_free(wharf_s3dir *d)
{
    if (d == NULL)
        return;
    wharf_s3_free(d->s3);
    g_free(d->bucket);
    g_free(d->prefix);
    g_free(d->url);
    g_free(d);
}

const char *wharf_s3dir_url(const wharf_s3dir *d)
{
    return d->url;
}

void wharf_s3dir_set_waiter(wharf_s3dir *d, const wharf_s3_waiter *w)
{
    wharf_s3_set_waiter(d->s3, w);
}

gboolean wharf_s3dir_check_empty(wharf_s3dir *d, GError **err)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GArray *sizes = g_array_new(FALSE, FALSE, sizeof(gint64));
    gboolean ok = wharf_s3_list(d->s3, d->prefix, 1, names, sizes, err);
    if (ok && names->len) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_EXISTS,
                    "%s is not empty (it holds %s); wharf dump writes only under a prefix that holds no object",
                    d->url, (const char *)names->pdata[0]);
        ok = FALSE;
    }
    g_ptr_array_unref(names);
    g_array_unref(sizes);
    return ok;
}

/* ------------------------------------------------------------------ */
/* writing: one part in memory, then a multipart upload */

typedef struct upload {
    wharf_s3dir *d;
    char *key;
    GByteArray *buf;
    char *upload_id; /* NULL until the first part is full */
    GPtrArray *etags;
} upload;

static void upload_free(upload *u)
{
    g_free(u->key);
    g_byte_array_free(u->buf, TRUE);
    g_free(u->upload_id);
    g_ptr_array_unref(u->etags);
    g_free(u);
}

static gboolean send_part(upload *u, GError **err)
{
    if (u->etags->len == WHARF_S3_MAX_PARTS) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED,
                    "%s/%s: larger than S3's %u parts of %" G_GSIZE_FORMAT " MiB: raise --s3-part-size (or make"
                    " smaller chunks: -F, -r)",
                    u->d->url, u->key + strlen(u->d->prefix), WHARF_S3_MAX_PARTS, u->d->part_size >> 20);
        return FALSE;
    }
    if (u->upload_id == NULL && (u->upload_id = wharf_s3_mpu_create(u->d->s3, u->key, err)) == NULL)
        return FALSE;
    char *etag = wharf_s3_mpu_part(u->d->s3, u->key, u->upload_id, u->etags->len + 1, u->buf->data, u->buf->len,
                                   err);
    if (etag == NULL)
        return FALSE;
    g_ptr_array_add(u->etags, etag);
    WLOG_DEBUG("%s/%s: part %u uploaded (%u bytes)", u->d->url, u->key + strlen(u->d->prefix), u->etags->len,
               u->buf->len);
    g_byte_array_set_size(u->buf, 0);
    return TRUE;
}

static gboolean up_write(void *data, const void *buf, size_t len, GError **err)
{
    upload *u = data;
    const guint8 *p = buf;
    while (len > 0) {
        size_t room = u->d->part_size - u->buf->len;
        size_t n = MIN(room, len);
        g_byte_array_append(u->buf, p, (guint)n);
        p += n;
        len -= n;
        if (u->buf->len == u->d->part_size && !send_part(u, err))
            return FALSE;
    }
    return TRUE;
}

/* Success ends the upload; on failure the writer calls abort. */
static gboolean up_commit(void *data, GError **err)
{
    upload *u = data;
    gboolean ok;
    if (u->upload_id == NULL)
        ok = wharf_s3_put(u->d->s3, u->key, u->buf->data, u->buf->len, err);
    else
        ok = (u->buf->len == 0 || send_part(u, err)) &&
             wharf_s3_mpu_complete(u->d->s3, u->key, u->upload_id, u->etags, err);
    if (ok)
        upload_free(u);
    return ok;
}

static void up_abort(void *data)
{
    upload *u = data;
    if (u->upload_id)
        wharf_s3_mpu_abort(u->d->s3, u->key, u->upload_id);
    upload_free(u);
}

wharf_writer *wharf_s3dir_open_write(void *data, const char *name, GError **err)
{
    wharf_s3dir *d = data;
    upload *u = g_new0(upload, 1);
    u->d = d;
    u->key = g_strconcat(d->prefix, name, NULL);
    u->buf = g_byte_array_sized_new(64 * 1024);
    u->etags = g_ptr_array_new_with_free_func(g_free);
    wharf_sink sk = {up_write, up_commit, up_abort, u};
    char *shown = g_strdup_printf("%s/%s", d->url, name);
    wharf_compress c = wharf_compress_from_name(name);
    wharf_writer *w = wharf_writer_open_sink(shown, c, c == WHARF_COMPRESS_NONE ? 0 : d->level, &sk, err);
    g_free(shown);
    return w;
}

/* ------------------------------------------------------------------ */
/* reading */

static gboolean dd_list(void *data, GPtrArray *names, GArray *sizes, GError **err)
{
    wharf_s3dir *d = data;
    return wharf_s3_list(d->s3, d->prefix, 0, names, sizes, err);
}

static wharf_reader *dd_open(void *data, const char *name, GError **err)
{
    wharf_s3dir *d = data;
    char *key = g_strconcat(d->prefix, name, NULL);
    char *shown = g_strdup_printf("%s/%s", d->url, name);
    wharf_reader *r = wharf_s3_open(d->s3, key, shown, err);
    g_free(shown);
    g_free(key);
    return r;
}

static void dd_set_waiter(void *data, gboolean (*wait)(void *wdata, gint64 ms), void (*retried)(void *wdata),
                          gboolean (*stopping)(void *wdata), void *wdata)
{
    wharf_s3_waiter w = {wait, retried, stopping, wdata};
    wharf_s3dir_set_waiter(data, wait ? &w : NULL);
}

static const wharf_dumpdir_ops s3dir_ops = {dd_list, dd_open, dd_set_waiter};

wharf_dumpdir wharf_s3dir_dumpdir(wharf_s3dir *d)
{
    return (wharf_dumpdir){d->url, &s3dir_ops, d};
}
