/* s3dir: a dump in an S3 bucket (s3://BUCKET/PREFIX): the dump's output
 * hook and the load's dumpdir over objstore/s3.
 *
 * Contract:
 *  - A dump's file NAME is the object PREFIX/NAME (NAME alone for an empty
 *    prefix); nothing deeper than one level is read or written.
 *  - Writing (wharf_s3dir_open_write, for wharf_outdir.open): each file is
 *    a wharf_writer (compression by the name's suffix, the configured
 *    level) over a sink that buffers one part (--s3-part-size): a file that
 *    ends within its first part is one PUT; a larger one becomes a
 *    multipart upload, each part sent when full, completed on commit. The
 *    object exists only after the commit; an abort (or a failed part or
 *    commit) aborts the multipart upload, so no partial object appears.
 *    Memory: one part per open writer (threads x part size).
 *  - The dump writes `metadata` last through the same hook, so a dump in a
 *    bucket is complete exactly when its PREFIX/metadata object exists.
 *  - wharf_s3dir_check_empty: the dump writes only under a prefix that
 *    holds no object (as it writes only into an empty directory); the first
 *    request also proves bucket and credentials before the dump begins.
 *  - Reading (wharf_s3dir_dumpdir): list is ListObjectsV2 under PREFIX/,
 *    open a streamed GET (objstore/s3.h). Its path is the URL
 *    "s3://BUCKET/PREFIX", as messages name the files.
 *  - Thread-safe after wharf_s3dir_new (the client is).
 */
#ifndef WHARF_OBJSTORE_S3DIR_H
#define WHARF_OBJSTORE_S3DIR_H

#include "core/stream.h"
#include "format/dumpdir.h"
#include "objstore/s3.h"

#include <glib.h>

typedef struct wharf_s3dir wharf_s3dir;

/* url: s3://BUCKET[/PREFIX]; level: for the compressed files written. */
wharf_s3dir *wharf_s3dir_new(const wharf_s3_opts *o, const char *url, int level, GError **err);
void wharf_s3dir_free(wharf_s3dir *d);
/* "s3://BUCKET/PREFIX" without trailing slash. */
const char *wharf_s3dir_url(const wharf_s3dir *d);
gboolean wharf_s3dir_check_empty(wharf_s3dir *d, GError **err);
/* The client's retry waiter (objstore/s3.h), before any use. */
void wharf_s3dir_set_waiter(wharf_s3dir *d, const wharf_s3_waiter *w);
/* The wharf_outdir.open hook (data: the s3dir). */
wharf_writer *wharf_s3dir_open_write(void *data, const char *name, GError **err);
wharf_dumpdir wharf_s3dir_dumpdir(wharf_s3dir *d);

#endif
