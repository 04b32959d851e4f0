/* dumpdir: where a load reads a dump from: a directory on disk, or files
 * that a copy produces in memory and through pipes as the load asks.
 *
 * Contract:
 *  - A dump is a set of named files (docs/FORMAT.md). The loader lists
 *    them once (names and sizes), opens each as a wharf_reader, and reads
 *    small ones (schema, metadata) whole; nothing else.
 *  - wharf_dumpdir with ops NULL is the directory at path, on disk
 *    (readdir, stat, open). Other ops are supplied by their owner (a copy):
 *    list gives every name with its size (an estimate for files not made
 *    yet), open gives a reader of the file's bytes.
 *  - Paths given to open/read are "PATH/NAME" as the loader builds them
 *    (PATH is the dumpdir's path); messages name them so.
 *  - The ops may be called from several threads at once.
 */
#ifndef WHARF_FORMAT_DUMPDIR_H
#define WHARF_FORMAT_DUMPDIR_H

#include "core/stream.h"

#include <glib.h>

typedef struct wharf_dumpdir_ops {
    /* Every file: names (char*, owned by the array) and sizes (gint64). */
    gboolean (*list)(void *data, GPtrArray *names, GArray *sizes, GError **err);
    wharf_reader *(*open)(void *data, const char *name, GError **err);
    /* Optional (NULL = none): how the source's own retries wait (wait
     * returns FALSE when the run stops; retried counts one; stopping says
     * the run stops, to end transfers), so that a load's stop ends them;
     * wait NULL unsets. Called while no file is open (a bucket:
     * objstore/s3dir). */
    void (*set_waiter)(void *data, gboolean (*wait)(void *wdata, gint64 ms), void (*retried)(void *wdata),
                       gboolean (*stopping)(void *wdata), void *wdata);
} wharf_dumpdir_ops;

typedef struct wharf_dumpdir {
    const char *path;              /* the directory, or a name for messages */
    const wharf_dumpdir_ops *ops;  /* NULL: the directory on disk */
    void *data;
} wharf_dumpdir;

gboolean wharf_dumpdir_list(const wharf_dumpdir *d, GPtrArray *names, GArray *sizes, GError **err);
wharf_reader *wharf_dumpdir_open(const wharf_dumpdir *d, const char *path, GError **err);
/* The whole (decompressed) file, NUL-terminated; schema files and metadata only. */
gboolean wharf_dumpdir_read(const wharf_dumpdir *d, const char *path, char **contents, size_t *len,
                            GError **err);

#endif
