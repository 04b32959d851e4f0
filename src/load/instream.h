/* instream: `wharf load -d -`, a dump received as one stream on stdin.
 *
 * Contract (the framing is format/frame.h, docs/FORMAT.md "A dump as a
 * stream"):
 *  - wharf_instream_receive() reads the whole stream from fd into a new
 *    private spool directory (core/spool.h, under spool_parent or $TMPDIR)
 *    and returns its path: an ordinary dump directory, which the caller
 *    loads and then removes with wharf_spool_remove(). Nothing reaches a
 *    server before the stream has ended cleanly, so a bad stream changes
 *    nothing on the target.
 *  - Every frame is checked before its bytes are stored: a header where one
 *    must start (no bytes between frames), a name frame.h accepts and not
 *    seen before, a SIZE that fits on the spool's file system, then exactly
 *    SIZE bytes. `metadata` must come, and only mydumper's
 *    `metadata.partial[.N]` progress copies may follow it; end of input
 *    anywhere else is a truncated stream. Each failure is one
 *    WHARF_ERROR_FORMAT (or _IO) error naming the stream offset, the frame
 *    number and the file; the spool is then removed and NULL returned.
 *  - `metadata.header` (the first part of the metadata: mydumper and wharf
 *    send it first) is prepended to `metadata` in the spool;
 *    `metadata.partial*` frames are read and dropped (the final `metadata`
 *    holds all they hold).
 *  - Memory is bounded: input is copied through a fixed buffer (only
 *    metadata.header, at most 1 MiB, is held).
 *  - SIGINT/SIGTERM while receiving (a sigwatch of its own, stopped before
 *    returning): *interrupted is set to the signal, the spool is removed,
 *    NULL is returned with WHARF_ERROR_CANCELLED.
 */
#ifndef WHARF_LOAD_INSTREAM_H
#define WHARF_LOAD_INSTREAM_H

#include <glib.h>

char *wharf_instream_receive(int fd, const char *spool_parent, int *interrupted, GError **err);

#endif
