/* dumpdir: a dump's files on disk or elsewhere (contract in dumpdir.h). */
#include "format/dumpdir.h"

#include "core/error.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static gboolean disk_list(const char *dir, GPtrArray *names, GArray *sizes, GError **err)
{
    DIR *dh = opendir(dir);
    if (dh == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: cannot open the dump directory: %s", dir,
                    g_strerror(errno));
        return FALSE;
    }
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *path = g_build_filename(dir, de->d_name, NULL);
        struct stat st;
        gint64 size = stat(path, &st) == 0 ? (gint64)st.st_size : 0;
        g_free(path);
        g_ptr_array_add(names, g_strdup(de->d_name));
        g_array_append_val(sizes, size);
    }
    closedir(dh);
    return TRUE;
}

gboolean wharf_dumpdir_list(const wharf_dumpdir *d, GPtrArray *names, GArray *sizes, GError **err)
{
    return d->ops ? d->ops->list(d->data, names, sizes, err) : disk_list(d->path, names, sizes, err);
}

/* NAME of PATH/NAME. */
static const char *name_of(const wharf_dumpdir *d, const char *path)
{
    size_t n = strlen(d->path);
    if (strncmp(path, d->path, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

wharf_reader *wharf_dumpdir_open(const wharf_dumpdir *d, const char *path, GError **err)
{
    if (d == NULL || d->ops == NULL)
        return wharf_reader_open(path, err);
    return d->ops->open(d->data, name_of(d, path), err);
}

gboolean wharf_dumpdir_read(const wharf_dumpdir *d, const char *path, char **contents, size_t *len,
                            GError **err)
{
    if (d == NULL || d->ops == NULL)
        return wharf_read_file(path, contents, len, err);
    wharf_reader *r = wharf_dumpdir_open(d, path, err);
    if (r == NULL)
        return FALSE;
    GByteArray *a = g_byte_array_new();
    guint8 buf[65536];
    gssize n;
    while ((n = wharf_reader_read(r, buf, sizeof buf, err)) > 0)
        g_byte_array_append(a, buf, (guint)n);
    wharf_reader_close(r);
    if (n < 0) {
        g_byte_array_free(a, TRUE);
        return FALSE;
    }
    if (len)
        *len = a->len;
    guint8 nul = 0;
    g_byte_array_append(a, &nul, 1);
    *contents = (char *)g_byte_array_free(a, FALSE);
    return TRUE;
}
