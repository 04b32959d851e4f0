/* value: encoding column values for SQL and TSV data files.
 *
 * Contract (docs/FORMAT.md, "Data files"):
 *  - How a value is written depends only on its column's type, decided once
 *    per column from the result set's MYSQL_FIELD (type, flags, charsetnr,
 *    MariaDB's extended type name) or, for the loader, from the column's
 *    information_schema DATA_TYPE. Values are never inspected to guess.
 *  - The connection runs with NAMES binary, so values are raw bytes: the
 *    encoders copy or escape them, never convert character sets.
 *  - SQL literals (wharf_value_sql):
 *      NULL (v == NULL)        -> NULL
 *      WHARF_VALUE_NUMBER      -> the server's text, unquoted
 *      WHARF_VALUE_BINARY, BIT -> 0xHEX, or '' when empty
 *      WHARF_VALUE_STRING      -> 'bytes' escaping \0 \n \r \Z \\ ' with '\'
 *      WHARF_VALUE_TEXT        -> CONVERT('bytes' USING utf8mb4): types that
 *                                 must be given character text, never bytes
 *                                 (MariaDB INET4/INET6/UUID, whose binary
 *                                 input means the packed form; MySQL JSON)
 *  - TSV fields (wharf_value_tsv), LOAD DATA's default escaping: NULL is \N,
 *    and \\ \t \n \r \0 \Z stand for those bytes; every other byte is raw.
 *    BIT is written as its unsigned decimal value (the LOAD DATA statement
 *    reads it through a user variable and CAST(... AS UNSIGNED)); TEXT
 *    columns are read through a variable and CONVERT(@v USING utf8mb4).
 *  - wharf_value_tsv_to_sql() turns one TSV field back into the SQL literal
 *    the SQL format would have written: the loader's INSERT fallback when
 *    the server refuses LOCAL INFILE.
 *  - Pure functions, no state: thread-safe.
 */
#ifndef WHARF_FORMAT_VALUE_H
#define WHARF_FORMAT_VALUE_H

#include <glib.h>
#include <mysql.h>

typedef enum {
    WHARF_VALUE_STRING = 0, /* quoted, escaped bytes (text, dates, ENUM, SET, MariaDB JSON) */
    WHARF_VALUE_NUMBER,     /* unquoted server text (integers, DECIMAL, FLOAT, DOUBLE, YEAR) */
    WHARF_VALUE_BINARY,     /* BINARY, VARBINARY, BLOBs, GEOMETRY: hex in SQL, raw in TSV */
    WHARF_VALUE_BIT,        /* BIT: hex in SQL, unsigned decimal in TSV */
    WHARF_VALUE_TEXT,       /* INET4/INET6/UUID, MySQL JSON: CONVERT('...' USING utf8mb4) */
} wharf_value_kind;

/* Kind of a result-set column (connection with NAMES binary). */
wharf_value_kind wharf_value_kind_of_field(const MYSQL_FIELD *f);
/* Kind of a column from information_schema.COLUMNS.DATA_TYPE (lower or upper
 * case), for code that has no result set (the loader). */
wharf_value_kind wharf_value_kind_of_type_name(const char *data_type);

/* Append the SQL literal of a value; v == NULL means SQL NULL. */
void wharf_value_sql(GString *out, wharf_value_kind k, const char *v, size_t len);
/* Append the TSV field of a value (no separator); v == NULL means NULL. */
void wharf_value_tsv(GString *out, wharf_value_kind k, const char *v, size_t len);

/* Decode one TSV field (without its tab/newline): raw bytes into out
 * (replacing its content), *is_null for \N. FALSE + WHARF_ERROR_FORMAT on a
 * dangling backslash. */
gboolean wharf_value_tsv_unescape(const char *field, size_t len, GString *out, gboolean *is_null,
                                  GError **err);
/* Append the SQL literal for one TSV field of a column of kind k. */
gboolean wharf_value_tsv_to_sql(GString *out, wharf_value_kind k, const char *field, size_t len,
                                GError **err);

#endif
