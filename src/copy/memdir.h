/* memdir: the files of a copy, between its source (a dump that writes no
 * file) and its load (which reads them as a dump directory).
 *
 * Contract:
 *  - Schema files and `metadata` are kept in memory as the source writes
 *    them (their size: the schema, never rows).
 *  - A data chunk is a name until the load opens it: then a bounded pipe
 *    (core/pipe, `pipe_bytes`) is made for it and the source is asked to
 *    read the chunk into it (wharf_dump_source_read). The load's reader and
 *    the source's writer run on their own workers, the pipe between them;
 *    memory is bounded by the number of open chunks x pipe_bytes, whatever
 *    the tables' sizes. Opening a chunk again (the load retries it) makes a
 *    new pipe and a new read: nothing of the failed one is reused.
 *  - A read that fails gives the load its reason (the pipe's error).
 *  - wharf_memdir_cancel ends every pipe's waits (the run stops).
 *  - The dumpdir (wharf_memdir_dumpdir) and the source hooks
 *    (wharf_memdir_hooks) are its two faces; both may be called from any
 *    thread. Lock: memdir->lock, a leaf.
 */
#ifndef WHARF_COPY_MEMDIR_H
#define WHARF_COPY_MEMDIR_H

#include "dump/dump.h"
#include "format/dumpdir.h"

#include <glib.h>

typedef struct wharf_memdir wharf_memdir;

/* ready: called when the source's schema and metadata are written (the
 * hooks' ready), with ready_data. */
wharf_memdir *wharf_memdir_new(const char *path, gsize pipe_bytes, int (*ready)(void *data, wharf_run *run),
                               void *ready_data);
void wharf_memdir_free(wharf_memdir *m);
/* Before use: data files written through the hooks keep their names but
 * not their bytes (verify --from reads only the metadata's checksums). */
void wharf_memdir_drop_data(wharf_memdir *m);
/* The face the load reads (path: the name used in messages). */
wharf_dumpdir wharf_memdir_dumpdir(wharf_memdir *m);
/* The face the source writes to. */
wharf_dump_source_hooks wharf_memdir_hooks(wharf_memdir *m);
void wharf_memdir_cancel(wharf_memdir *m, const char *why);

#endif
