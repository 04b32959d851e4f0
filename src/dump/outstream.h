/* outstream: `wharf dump -o -`, the dump sent as one stream on stdout.
 *
 * Contract (the framing is format/frame.h, docs/FORMAT.md "A dump as a
 * stream"):
 *  - wharf_outstream_start() creates a private spool directory (core/spool.h)
 *    into which the dump writes its files exactly as into an output
 *    directory, writes `metadata.header` there (header_text: the groups
 *    myloader --stream needs before anything else) and starts one streamer
 *    thread, which sends it as the first frame.
 *  - wharf_outstream_committed() is the writers' commit hook
 *    (wharf_commit_hook, set through wharf_outdir.on_commit): the file
 *    joins the queue; the streamer frames it onto the output fd (the file as
 *    it is on disk, compressed or not), then deletes it. The hook returns
 *    only when the files waiting in the spool total at most max_bytes (one
 *    file bigger than that waits until it has been sent), or with an error
 *    when the stream failed or was cancelled: the spool is bounded and a
 *    dead reader stops the writers.
 *  - wharf_outstream_finish() queues `metadata` (already committed in the
 *    spool) as the last frame and returns when everything has been written
 *    to the fd, or with the stream's error.
 *  - Output errors (EPIPE: the reader is gone) are errors naming the file
 *    being sent and stdout. Waits are condition-variable waits; the
 *    streamer's writes wait in poll() on the fd and an eventfd, so
 *    wharf_outstream_cancel() (an interrupt) ends them at once, even when
 *    the reader has stopped reading. SIGPIPE is blocked in the streamer.
 *  - wharf_outstream_free() cancels, joins the streamer and removes the
 *    spool directory with whatever it still holds. NULL is fine.
 *
 * Lock order: the caller's locks (dump.c's qlock) before s->lock; the
 * streamer holds s->lock only to take or finish a queue item, never while
 * writing.
 */
#ifndef WHARF_DUMP_OUTSTREAM_H
#define WHARF_DUMP_OUTSTREAM_H

#include "dump/catalog.h"

#include <glib.h>

typedef struct wharf_outstream wharf_outstream;

/* spool_parent: NULL for $TMPDIR; fd: where the stream goes (1). */
wharf_outstream *wharf_outstream_start(const char *spool_parent, guint64 max_bytes, int fd,
                                       const char *header_text, GError **err);
const char *wharf_outstream_dir(const wharf_outstream *s);
gboolean wharf_outstream_committed(gpointer s, const char *path, GError **err);
/* Send `metadata.partial.0`: every table's group with its real_table_name
 * (as in `metadata`), before any table's file, as mydumper's stream does:
 * myloader --stream needs a table's real name before its schema file when
 * the CREATE does not give it (a sequence, a mapped name). */
gboolean wharf_outstream_table_list(wharf_outstream *s, const wharf_catalog *cat, GError **err);
gboolean wharf_outstream_finish(wharf_outstream *s, GError **err);
void wharf_outstream_cancel(wharf_outstream *s);
void wharf_outstream_free(wharf_outstream *s);

#endif
