/* range: is a condition read from a dump's `metadata` safe to send?
 *
 * Contract:
 *  - wharf_range_check() accepts only a plain range expression, the shape
 *    the chunker writes (dump/chunker.h): backquoted identifiers (`a``b`),
 *    numbers (optionally signed, decimal, exponent), single-quoted strings
 *    (backslash escapes, doubled quotes), 0x hex, _charset introducers
 *    before a string or hex, COLLATE name, comparison operators
 *    (= <> != < > <= >= <=>), AND, OR, NOT, IS [NOT] NULL, parentheses and
 *    commas, separated by blanks. Everything else is refused: any function
 *    call (a name followed by '('), subquery, variable (@), comment, ';',
 *    bare word or other character.
 *  - WHARF_RANGE_WHERE (a table's --where, which a user wrote) also allows
 *    bare and qualified identifiers, double-quoted strings, arithmetic
 *    (+ - * / % DIV MOD), IN, BETWEEN, LIKE, XOR, TRUE, FALSE; still no
 *    function call, subquery (SELECT, WITH, VALUES, TABLE...), variable,
 *    comment or ';'.
 *  - Parentheses must balance. An empty condition is refused.
 *  - On refusal *why is a static description and *at the byte offset of
 *    the first refused token.
 *  - Pure function: no state, thread-safe.
 */
#ifndef WHARF_VERIFY_RANGE_H
#define WHARF_VERIFY_RANGE_H

#include <glib.h>

typedef enum { WHARF_RANGE_CHUNK = 0, WHARF_RANGE_WHERE } wharf_range_mode;

gboolean wharf_range_check(const char *cond, wharf_range_mode mode, const char **why, gsize *at);

#endif
