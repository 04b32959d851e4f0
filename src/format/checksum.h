/* checksum: the content checksum of a chunk of rows (docs/FORMAT.md).
 *
 * Contract:
 *  - The canonical form of a row is independent of the data file's format
 *    (SQL or TSV) and compression: for every selected column in order, one
 *    byte 0 for NULL, or one byte 1, the value's length as 8 bytes little
 *    endian and the value's bytes -- the server's text value as the dump's
 *    SELECT returns it (NAMES binary, time_zone '+00:00', FLOAT as c+0e0).
 *  - A row's hash is XXH3_64bits (libxxhash, seed 0) of its canonical form;
 *    a chunk's checksum is the sum of its rows' hashes modulo 2^64: it does
 *    not depend on the order of the rows, and a duplicated row does not
 *    cancel out (as it would with XOR). A chunk of no rows sums to 0.
 *  - The name of this scheme, as recorded in `metadata`, is
 *    WHARF_CHECKSUM_SCHEME; a checksum is written as 16 lower-case hex
 *    digits.
 *  - A wharf_checksum belongs to one thread.
 */
#ifndef WHARF_FORMAT_CHECKSUM_H
#define WHARF_FORMAT_CHECKSUM_H

#include <glib.h>

#define WHARF_CHECKSUM_SCHEME "xxh3-64-sum"

struct XXH3_state_s;

#define WHARF_CHECKSUM_BUF 4096

typedef struct wharf_checksum {
    unsigned char *buf;         /* WHARF_CHECKSUM_BUF bytes: a row's canonical
                                 * form, hashed in one call when it fits */
    struct XXH3_state_s *state; /* streaming, for rows that do not fit */
    guint64 sum;                /* sum of the row hashes mod 2^64 */
    gint64 rows;
} wharf_checksum;

void wharf_checksum_init(wharf_checksum *c);
void wharf_checksum_clear(wharf_checksum *c);
/* Add one row: values[i] NULL for SQL NULL, else lengths[i] bytes. */
void wharf_checksum_add_row(wharf_checksum *c, char *const *values, const unsigned long *lengths,
                            unsigned n);
/* The hash of one row (what add_row adds to the sum). */
guint64 wharf_checksum_row_hash(wharf_checksum *c, char *const *values, const unsigned long *lengths,
                                unsigned n);

/* 16 lower-case hex digits into buf[17]. */
void wharf_checksum_format(guint64 sum, char buf[17]);
/* Parse exactly 16 hex digits; FALSE otherwise. */
gboolean wharf_checksum_parse(const char *s, guint64 *out);

#endif
