/* frame: the framing of a dump sent as one stream (`wharf dump -o -`,
 * `wharf load -d -`), mydumper 1.0.1's `--stream` format.
 *
 * Contract (docs/FORMAT.md, "A dump as a stream", is the normative text):
 *  - A stream is a sequence of frames, one per file:
 *      "\n-- " NAME " " SIZE "\n"   then exactly SIZE bytes of the file
 *    (a compressed file as it is on disk). NAME is a plain file name of the
 *    dump; SIZE is decimal. Nothing lies between frames.
 *  - wharf_frame_header() formats a header; wharf_frame_parse() parses the
 *    text between "\n-- " and the line feed: SIZE is the last space-separated
 *    word (file names may hold spaces), 1 to 20 digits, at most
 *    WHARF_FRAME_MAX_SIZE; NAME must pass wharf_frame_check_name().
 *  - wharf_frame_check_name() accepts only what a dump stream may carry:
 *    `metadata`, `metadata.header`, `metadata.partial[.N]` (mydumper's
 *    partial metadata) and names format/layout.h classifies as a dump file;
 *    never an empty name, one with '/', a control byte, a leading '.', or
 *    longer than WHARF_FRAME_MAX_NAME. The role says what the file is.
 *  - Errors are WHARF_ERROR_FORMAT with a message naming the problem; the
 *    caller adds where (offset, frame number).
 */
#ifndef WHARF_FORMAT_FRAME_H
#define WHARF_FORMAT_FRAME_H

#include <glib.h>

#define WHARF_FRAME_MAX_NAME 255
/* A header line: "-- " NAME " " SIZE, without its two line feeds. */
#define WHARF_FRAME_MAX_LINE (3 + WHARF_FRAME_MAX_NAME + 1 + 20)
/* 1 PiB: no file of a dump is larger; a bigger SIZE is damage. */
#define WHARF_FRAME_MAX_SIZE (G_GUINT64_CONSTANT(1) << 50)
/* metadata.header is read into memory: it holds two small groups. */
#define WHARF_FRAME_MAX_HEADER_FILE (1024 * 1024)

typedef enum {
    WHARF_FRAME_FILE = 0,  /* a file of the dump directory */
    WHARF_FRAME_METADATA,  /* `metadata`: the last frame, the dump is complete */
    WHARF_FRAME_HEADER,    /* `metadata.header`: first part of metadata (myloader) */
    WHARF_FRAME_PARTIAL,   /* `metadata.partial[.N]`: mydumper's progress copies */
} wharf_frame_role;

/* "\n-- NAME SIZE\n", newly allocated. */
char *wharf_frame_header(const char *name, guint64 size);
gboolean wharf_frame_check_name(const char *name, wharf_frame_role *role, GError **err);
/* line: the header line without the leading "\n" and the final "\n"
 * (it starts with "-- "). */
gboolean wharf_frame_parse(const char *line, gsize len, char **name, guint64 *size,
                           wharf_frame_role *role, GError **err);

#endif
