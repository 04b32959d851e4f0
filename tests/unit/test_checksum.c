/* Unit tests for src/format/checksum.c: the canonical form is pinned (a
 * change would make every recorded checksum wrong), the sum is
 * order-independent and duplicates count. */
#include "format/checksum.h"

#include <string.h>
#include <xxhash.h>

static void test_canonical_form(void)
{
    wharf_checksum c;
    wharf_checksum_init(&c);
    char *row[] = {"42", NULL, "", "a\0b"};
    unsigned long len[] = {2, 0, 0, 3};
    /* 1, len 2 LE, "42" | 0 | 1, len 0 | 1, len 3, "a\0b" */
    static const unsigned char want[] = {1, 2, 0, 0, 0, 0, 0, 0, 0, '4', '2', 0, 1, 0, 0, 0, 0, 0,
                                         0, 0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 'a', 0, 'b'};
    guint64 h = wharf_checksum_row_hash(&c, row, len, 4);
    g_assert_cmphex(h, ==, XXH3_64bits(want, sizeof want));
    /* pinned: the scheme recorded as xxh3-64-sum never changes */
    g_assert_cmphex(h, ==, G_GUINT64_CONSTANT(0x26dd692df8a52f9b));
    /* NULL and the empty string differ; so do ("a","") and ("","a") */
    char *n1[] = {NULL}, *e1[] = {""};
    unsigned long z[] = {0, 0};
    g_assert_cmphex(wharf_checksum_row_hash(&c, n1, z, 1), !=, wharf_checksum_row_hash(&c, e1, z, 1));
    char *ab[] = {"a", ""}, *ba[] = {"", "a"};
    unsigned long l10[] = {1, 0}, l01[] = {0, 1};
    g_assert_cmphex(wharf_checksum_row_hash(&c, ab, l10, 2), !=, wharf_checksum_row_hash(&c, ba, l01, 2));
    wharf_checksum_clear(&c);
}

/* A row bigger than the one-call buffer is streamed: the same hash. */
static void test_big_row(void)
{
    wharf_checksum c;
    wharf_checksum_init(&c);
    gsize big = 3 * WHARF_CHECKSUM_BUF;
    char *v = g_malloc(big);
    for (gsize i = 0; i < big; i++)
        v[i] = (char)(i * 31);
    char *row[] = {"x", v, NULL};
    unsigned long len[] = {1, (unsigned long)big, 0};
    GByteArray *want = g_byte_array_new();
    guint8 h1[] = {1, 1, 0, 0, 0, 0, 0, 0, 0, 'x', 1};
    g_byte_array_append(want, h1, sizeof h1);
    for (int b = 0; b < 8; b++) {
        guint8 x = (guint8)((guint64)big >> (8 * b));
        g_byte_array_append(want, &x, 1);
    }
    g_byte_array_append(want, (guint8 *)v, (guint)big);
    guint8 null = 0;
    g_byte_array_append(want, &null, 1);
    g_assert_cmphex(wharf_checksum_row_hash(&c, row, len, 3), ==, XXH3_64bits(want->data, want->len));
    /* just below and above the buffer's size */
    for (gsize n = WHARF_CHECKSUM_BUF - 12; n < WHARF_CHECKSUM_BUF - 6; n++) {
        char *r1[] = {v};
        unsigned long l1[] = {(unsigned long)n};
        g_byte_array_set_size(want, 0);
        guint8 h[9] = {1};
        for (int b = 0; b < 8; b++)
            h[1 + b] = (guint8)((guint64)n >> (8 * b));
        g_byte_array_append(want, h, 9);
        g_byte_array_append(want, (guint8 *)v, (guint)n);
        g_assert_cmphex(wharf_checksum_row_hash(&c, r1, l1, 1), ==, XXH3_64bits(want->data, want->len));
    }
    g_byte_array_unref(want);
    g_free(v);
    wharf_checksum_clear(&c);
}

static void test_sum(void)
{
    char *r1[] = {"1", "x"}, *r2[] = {"2", NULL};
    unsigned long l[] = {1, 1};
    wharf_checksum a, b, d;
    wharf_checksum_init(&a);
    wharf_checksum_init(&b);
    wharf_checksum_init(&d);
    wharf_checksum_add_row(&a, r1, l, 2);
    wharf_checksum_add_row(&a, r2, l, 2);
    wharf_checksum_add_row(&b, r2, l, 2);
    wharf_checksum_add_row(&b, r1, l, 2);
    g_assert_cmphex(a.sum, ==, b.sum); /* order-independent */
    g_assert_cmpint(a.rows, ==, 2);
    wharf_checksum_add_row(&d, r1, l, 2);
    wharf_checksum_add_row(&d, r1, l, 2);
    g_assert_cmphex(d.sum, !=, 0);     /* a duplicate does not cancel out */
    g_assert_cmphex(d.sum, ==, 2 * wharf_checksum_row_hash(&d, r1, l, 2));
    char buf[17];
    wharf_checksum_format(a.sum, buf);
    g_assert_cmpuint(strlen(buf), ==, 16);
    guint64 back = 0;
    g_assert_true(wharf_checksum_parse(buf, &back));
    g_assert_cmphex(back, ==, a.sum);
    g_assert_false(wharf_checksum_parse("123", &back));
    g_assert_false(wharf_checksum_parse("0123456789abcdeg", &back));
    g_assert_false(wharf_checksum_parse(NULL, &back));
    wharf_checksum_clear(&a);
    wharf_checksum_clear(&b);
    wharf_checksum_clear(&d);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/checksum/canonical", test_canonical_form);
    g_test_add_func("/checksum/sum", test_sum);
    g_test_add_func("/checksum/big-row", test_big_row);
    return g_test_run();
}
