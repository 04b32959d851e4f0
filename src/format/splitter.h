/* splitter: a streaming SQL statement splitter for loading .sql files.
 *
 * Contract:
 *  - wharf_splitter_next() returns one complete statement at a time, without
 *    its delimiter and without leading/trailing whitespace and leading
 *    comments (comments inside a statement are kept). The text is
 *    NUL-terminated and valid until the next call or free.
 *  - Understands what the mysql client does: '...', "..." and `...` quoting
 *    (backslash escapes inside '...' and "...", doubled quotes), `-- ` and
 *    `#` line comments, `/ * ... * /` comments (dropped when they are all a
 *    statement has), executable comments (/ *! ... * /, / *M! ... * /, and
 *    optimizer hints / *+ ... * /) which are kept as statement text and
 *    inside which the delimiter does not split, and client `DELIMITER xx`
 *    lines (at the start of a statement, any case; the delimiter may be
 *    several characters, e.g. ;; or $$). Statements that are empty or only
 *    whitespace/comments are skipped. A last statement without a delimiter
 *    at end of file is returned.
 *  - Memory is bounded by the largest statement (plus a fixed read buffer):
 *    data is read from the wharf_reader in large blocks and scanned with
 *    tight table-driven loops, never byte by byte through the reader.
 *  - Errors (WHARF_ERROR_FORMAT, message naming the file): a statement longer
 *    than max_statement (with its number and byte offset), an unterminated
 *    quote or comment at end of file (with the offset where it opened), a
 *    DELIMITER line without a usable delimiter. Reader errors (truncated or
 *    corrupt compressed input) are passed through. After an error every
 *    further call fails.
 *  - Offsets are in uncompressed bytes from the start of the file.
 *  - Not thread-safe; one splitter belongs to one thread. The reader is
 *    borrowed: the caller closes it after wharf_splitter_free().
 */
#ifndef WHARF_FORMAT_SPLITTER_H
#define WHARF_FORMAT_SPLITTER_H

#include "core/stream.h"

#include <glib.h>

typedef struct wharf_splitter wharf_splitter;

/* Default max_statement when 0 is given: 1 GiB (the server's largest
 * max_allowed_packet). */
#define WHARF_SPLITTER_DEFAULT_MAX ((size_t)1 << 30)

/* Split the statements read from r (borrowed). */
wharf_splitter *wharf_splitter_new(wharf_reader *r, size_t max_statement);
/* Split an in-memory text (copied); name is used in messages. */
wharf_splitter *wharf_splitter_new_buffer(const char *data, size_t len, const char *name,
                                          size_t max_statement);

/* 1: a statement in *stmt and *len; 0: end of input; -1: error (*err set). */
int wharf_splitter_next(wharf_splitter *s, const char **stmt, size_t *len, GError **err);

/* Line-end mode (mydumper's and myloader's convention): the delimiter ends a
 * statement only when a line break (or the end of input) follows it, so a
 * body whose inner statements end in "; " followed by a line break stays one
 * statement. Quotes and comments are not looked at (as myloader does not),
 * so an object's sql_mode cannot mislead the split; DELIMITER lines are
 * obeyed. Off by default. */
void wharf_splitter_set_line_end(wharf_splitter *s, gboolean on);

/* The line-end convention (docs/FORMAT.md), lossless: inside a statement
 * written to a file, every ';' followed by k >= 0 spaces and a line break
 * gets one more space, so no ";\n" is left inside it (myloader splits at
 * every ";\n"). unescape reverses it exactly. Both return NULL when the
 * text has nothing to change, else a new string (*out_len its length). */
char *wharf_sql_escape_line_ends(const char *s, size_t len, size_t *out_len);
char *wharf_sql_unescape_line_ends(const char *s, size_t len, size_t *out_len);

/* Byte offset of the start of the statement last returned. */
guint64 wharf_splitter_offset(const wharf_splitter *s);
/* Number of statements returned so far (the last one's 1-based number). */
guint64 wharf_splitter_count(const wharf_splitter *s);
/* The delimiter currently in force (";" unless a DELIMITER line changed it). */
const char *wharf_splitter_delimiter(const wharf_splitter *s);

/* For tests: read at most n bytes per read from the reader (n >= 1). */
void wharf_splitter_set_read_size(wharf_splitter *s, size_t n);

void wharf_splitter_free(wharf_splitter *s);

#endif
