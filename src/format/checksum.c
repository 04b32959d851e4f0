/* checksum: canonical row hashes summed per chunk. See checksum.h. */
#include "format/checksum.h"

#include <string.h>
#include <xxhash.h>

void wharf_checksum_init(wharf_checksum *c)
{
    memset(c, 0, sizeof *c);
    c->buf = g_malloc(WHARF_CHECKSUM_BUF);
    c->state = XXH3_createState();
    if (c->state == NULL)
        g_error("out of memory (XXH3 state)");
}

void wharf_checksum_clear(wharf_checksum *c)
{
    if (c->state)
        XXH3_freeState(c->state);
    g_free(c->buf);
    memset(c, 0, sizeof *c);
}

/* The 1- or 9-byte head of a value: 0 for NULL, else 1 and the length. */
static size_t value_head(unsigned char head[9], const char *v, guint64 len)
{
    head[0] = v != NULL;
    if (v == NULL)
        return 1;
    for (int b = 0; b < 8; b++)
        head[1 + b] = (unsigned char)(len >> (8 * b));
    return 9;
}

/* The canonical form into c->buf; 0 when it does not fit. */
static size_t canonical(wharf_checksum *c, char *const *values, const unsigned long *lengths, unsigned n)
{
    size_t used = 0;
    for (unsigned i = 0; i < n; i++) {
        guint64 len = values[i] ? lengths[i] : 0;
        if (used + 9 + len > WHARF_CHECKSUM_BUF)
            return 0;
        used += value_head(c->buf + used, values[i], len);
        memcpy(c->buf + used, values[i] ? values[i] : "", (size_t)len);
        used += (size_t)len;
    }
    return used;
}

/* The same bytes hashed in one call (most rows) or streamed (big rows):
 * XXH3 gives the same hash either way. */
guint64 wharf_checksum_row_hash(wharf_checksum *c, char *const *values, const unsigned long *lengths,
                                unsigned n)
{
    size_t used = canonical(c, values, lengths, n);
    if (used > 0 || n == 0)
        return XXH3_64bits(c->buf, used);
    XXH3_64bits_reset(c->state);
    for (unsigned i = 0; i < n; i++) {
        unsigned char head[9];
        guint64 len = values[i] ? lengths[i] : 0;
        XXH3_64bits_update(c->state, head, value_head(head, values[i], len));
        if (values[i])
            XXH3_64bits_update(c->state, values[i], (size_t)len);
    }
    return XXH3_64bits_digest(c->state);
}

void wharf_checksum_add_row(wharf_checksum *c, char *const *values, const unsigned long *lengths,
                            unsigned n)
{
    c->sum += wharf_checksum_row_hash(c, values, lengths, n); /* unsigned: mod 2^64 */
    c->rows++;
}

void wharf_checksum_format(guint64 sum, char buf[17])
{
    g_snprintf(buf, 17, "%016" G_GINT64_MODIFIER "x", sum);
}

gboolean wharf_checksum_parse(const char *s, guint64 *out)
{
    if (s == NULL || strlen(s) != 16)
        return FALSE;
    for (int i = 0; i < 16; i++)
        if (!g_ascii_isxdigit(s[i]))
            return FALSE;
    *out = g_ascii_strtoull(s, NULL, 16);
    return TRUE;
}
