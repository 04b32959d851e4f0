/* pipe: a bounded byte pipe from one thread to another (a copy's source
 * worker to its target worker).
 *
 * Contract:
 *  - One writer, one reader, capacity bytes at most in the pipe: a write
 *    waits (on a condition variable) while the pipe is full, a read while
 *    it is empty. Memory is bounded by capacity, not by what flows through.
 *  - The writer ends the stream with commit (the reader then reads the rest,
 *    then 0) or abort with a reason (the reader's next read fails with it).
 *    The reader may leave early (close before the end): the writer's next
 *    write fails at once instead of waiting for room that never comes.
 *  - wharf_pipe_cancel ends both sides' waits with an error (the run is
 *    stopping): no wait outlives the run.
 *  - As a wharf_sink (writer side) and a wharf_source (reader side) it
 *    plugs into core/stream's writers and readers.
 *  - Reference counted: the writer side and the reader side each hold one
 *    reference (released by commit/abort and by close); the creator's
 *    reference is released with wharf_pipe_unref.
 *
 * Lock: pipe->lock guards everything; a leaf, never held across a call out.
 */
#ifndef WHARF_CORE_PIPE_H
#define WHARF_CORE_PIPE_H

#include "core/stream.h"

#include <glib.h>

typedef struct wharf_pipe wharf_pipe;

/* name: for messages. */
wharf_pipe *wharf_pipe_new(const char *name, gsize capacity);
wharf_pipe *wharf_pipe_ref(wharf_pipe *p);
void wharf_pipe_unref(wharf_pipe *p);

/* The writer side (takes a reference, released by commit or abort). */
wharf_sink wharf_pipe_sink(wharf_pipe *p);
/* The reader side (takes a reference, released by close). */
wharf_source wharf_pipe_source(wharf_pipe *p);
/* Abort from the writer side with this error (copied); after an abort
 * (which says only that the writer gave up) it gives the reason, which
 * the reader waits for a moment. */
void wharf_pipe_fail(wharf_pipe *p, const GError *why);
void wharf_pipe_cancel(wharf_pipe *p, const char *why);

#endif
