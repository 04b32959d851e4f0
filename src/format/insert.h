/* insert: the rows of a multi-row INSERT statement as LOAD DATA text.
 *
 * The loader feeds big chunks of INSERT statements to the server as one
 * LOAD DATA LOCAL INFILE stream (the server's INSERT parser costs more than
 * the rows' storage). This module is the pure, format-level half: it reads
 * the statements that wharf and mydumper write and turns their tuples into
 * TSV lines (LOAD DATA's default escaping, format/value.h).
 *
 * Contract:
 *  - wharf_insert_head() accepts only `INSERT INTO name [(col, ...)] VALUES`
 *    (keywords in any case, names plain or `quoted`, a db.name qualifier
 *    allowed); anything else (IGNORE, REPLACE, hints, SELECT, SET) is not a
 *    head and the statement must run as it is.
 *  - wharf_insert_tsv() converts the tuples after the head. A value is
 *    converted only where the result is provably what the INSERT would
 *    store (connection character set binary, sql_mode without ANSI_QUOTES
 *    and NO_BACKSLASH_ESCAPES, checked by the caller), per column class:
 *        NULL               -> \N                (every class)
 *        number literal     -> its text          (NUMBER only)
 *        'string' / "string"-> its bytes, escaped (every class but BITS)
 *        0xHEX              -> the bytes, escaped (every class but NUMBER:
 *                              a hex literal is a number there)
 *        ''                 -> an empty field     (BITS too)
 *    Anything else (a function call, CONVERT(), _charset'..', b'..', X'..',
 *    a number for a string or temporal column, hex for a number, a tuple
 *    with the wrong number of values, text after the last tuple such as ON
 *    DUPLICATE KEY UPDATE) fails with WHARF_ERROR_UNSUPPORTED naming the
 *    offset: the caller then loads the chunk as INSERT statements. Nothing
 *    is ever guessed from a value.
 *  - Pure functions, no state: thread-safe.
 */
#ifndef WHARF_FORMAT_INSERT_H
#define WHARF_FORMAT_INSERT_H

#include <glib.h>

/* How a column may receive literals (from its information_schema type). */
typedef enum {
    WHARF_INSERT_COL_NUMBER = 0, /* integers, DECIMAL, FLOAT, DOUBLE, YEAR */
    WHARF_INSERT_COL_STRING,     /* character strings, temporal types, ENUM, SET */
    WHARF_INSERT_COL_BYTES,      /* binary strings, BLOBs, geometry */
    WHARF_INSERT_COL_BITS,       /* BIT: hex (raw bytes) only */
    WHARF_INSERT_COL_NONE,       /* cannot be carried (INET6, UUID, MySQL JSON...) */
} wharf_insert_col;

/* Class of a column from information_schema.COLUMNS.DATA_TYPE. */
wharf_insert_col wharf_insert_col_of_type_name(const char *data_type);

typedef struct wharf_insert_head {
    size_t head_len;    /* bytes up to and including VALUES: compare heads with it */
    size_t values_at;   /* offset of the first '(' */
    GPtrArray *columns; /* char* unquoted column names, empty when no list */
} wharf_insert_head;

/* TRUE and h filled (free with wharf_insert_head_clear) when stmt is a
 * plain multi-row INSERT; FALSE otherwise (h untouched). */
gboolean wharf_insert_head_parse(const char *stmt, size_t len, wharf_insert_head *h);
void wharf_insert_head_clear(wharf_insert_head *h);

/* Append the tuples of stmt from offset at as TSV lines to out, one per
 * row; ncols values each, classes cols[0..ncols-1]. *rows gets the number of
 * tuples. FALSE + WHARF_ERROR_UNSUPPORTED (out then holds a partial line)
 * when a value is not convertible (see above). */
gboolean wharf_insert_tsv(const char *stmt, size_t len, size_t at, const wharf_insert_col *cols, guint ncols,
                          GString *out, gint64 *rows, GError **err);

#endif
