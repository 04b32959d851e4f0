/* checksum: canonical row hashes summed per chunk. See checksum.h. */
#include "format/checksum.h"

#include <string.h>
#include <xxhash.h>

void wharf_checksum_init(wharf_checksum *c)
{
    memset(c, 0, sizeof *c);
    c->state = XXH3_createState();
    if (c->state == NULL)
        g_error("out of memory (XXH3 state)");
}

void wharf_checksum_clear(wharf_checksum *c)
{
    if (c->state)
        XXH3_freeState(c->state);
    memset(c, 0, sizeof *c);
}

guint64 wharf_checksum_row_hash(wharf_checksum *c, char *const *values, const unsigned long *lengths,
                                unsigned n)
{
    XXH3_64bits_reset(c->state);
    for (unsigned i = 0; i < n; i++) {
        unsigned char head[9] = {0};
        if (values[i] == NULL) {
            XXH3_64bits_update(c->state, head, 1);
            continue;
        }
        guint64 len = lengths[i];
        head[0] = 1;
        for (int b = 0; b < 8; b++)
            head[1 + b] = (unsigned char)(len >> (8 * b));
        XXH3_64bits_update(c->state, head, sizeof head);
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
