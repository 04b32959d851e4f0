/* Unit tests for format/value: SQL literals, TSV fields and the TSV -> SQL
 * conversion the loader uses, over every byte value. */
#include "format/value.h"

#include <string.h>

static void test_sql(void)
{
    GString *o = g_string_new(NULL);
    wharf_value_sql(o, WHARF_VALUE_STRING, NULL, 0);
    g_assert_cmpstr(o->str, ==, "NULL");
    g_string_truncate(o, 0);
    wharf_value_sql(o, WHARF_VALUE_STRING, "NULL", 4);
    g_assert_cmpstr(o->str, ==, "'NULL'");
    g_string_truncate(o, 0);
    wharf_value_sql(o, WHARF_VALUE_STRING, "", 0);
    g_assert_cmpstr(o->str, ==, "''");
    g_string_truncate(o, 0);
    wharf_value_sql(o, WHARF_VALUE_STRING, "a'b\\c\n\r\032\0x", 10);
    g_assert_cmpstr(o->str, ==, "'a\\'b\\\\c\\n\\r\\Z\\0x'");
    g_string_truncate(o, 0);
    wharf_value_sql(o, WHARF_VALUE_BINARY, "\x00\xff", 2);
    g_assert_cmpstr(o->str, ==, "0x00FF");
    g_string_truncate(o, 0);
    wharf_value_sql(o, WHARF_VALUE_BINARY, "", 0);
    g_assert_cmpstr(o->str, ==, "''");
    g_string_truncate(o, 0);
    wharf_value_sql(o, WHARF_VALUE_NUMBER, "-1.5e300", 8);
    g_assert_cmpstr(o->str, ==, "-1.5e300");
    g_string_truncate(o, 0);
    wharf_value_sql(o, WHARF_VALUE_TEXT, "::1", 3);
    g_assert_cmpstr(o->str, ==, "CONVERT('::1' USING utf8mb4)");
    g_string_free(o, TRUE);
}

static void test_tsv_roundtrip(void)
{
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    GString *f = g_string_new(NULL), *raw = g_string_new(NULL);
    wharf_value_tsv(f, WHARF_VALUE_BINARY, all, 256);
    g_assert_null(memchr(f->str, '\t', f->len));
    g_assert_null(memchr(f->str, '\n', f->len));
    gboolean is_null = TRUE;
    g_assert_true(wharf_value_tsv_unescape(f->str, f->len, raw, &is_null, NULL));
    g_assert_false(is_null);
    g_assert_cmpuint(raw->len, ==, 256);
    g_assert_cmpmem(raw->str, 256, all, 256);

    g_string_truncate(f, 0);
    wharf_value_tsv(f, WHARF_VALUE_STRING, NULL, 0);
    g_assert_cmpstr(f->str, ==, "\\N");
    g_assert_true(wharf_value_tsv_unescape(f->str, f->len, raw, &is_null, NULL));
    g_assert_true(is_null);
    g_string_truncate(f, 0);
    wharf_value_tsv(f, WHARF_VALUE_STRING, "\\N", 2); /* the string \N is not NULL */
    g_assert_true(wharf_value_tsv_unescape(f->str, f->len, raw, &is_null, NULL));
    g_assert_false(is_null);
    g_assert_cmpstr(raw->str, ==, "\\N");

    g_string_truncate(f, 0);
    wharf_value_tsv(f, WHARF_VALUE_BIT, "\x01\x00", 2);
    g_assert_cmpstr(f->str, ==, "256");

    GString *sql = g_string_new(NULL);
    g_assert_true(wharf_value_tsv_to_sql(sql, WHARF_VALUE_BIT, "256", 3, NULL));
    g_assert_cmpstr(sql->str, ==, "256");
    g_string_truncate(sql, 0);
    g_assert_true(wharf_value_tsv_to_sql(sql, WHARF_VALUE_BINARY, "a\\tb", 4, NULL));
    g_assert_cmpstr(sql->str, ==, "0x610962");
    g_string_truncate(sql, 0);
    g_assert_true(wharf_value_tsv_to_sql(sql, WHARF_VALUE_STRING, "\\N", 2, NULL));
    g_assert_cmpstr(sql->str, ==, "NULL");
    GError *err = NULL;
    g_assert_false(wharf_value_tsv_to_sql(sql, WHARF_VALUE_STRING, "x\\", 2, &err));
    g_assert_nonnull(err);
    g_error_free(err);
    g_string_free(sql, TRUE);
    g_string_free(f, TRUE);
    g_string_free(raw, TRUE);
}

static void test_type_names(void)
{
    g_assert_cmpint(wharf_value_kind_of_type_name("BIGINT"), ==, WHARF_VALUE_NUMBER);
    g_assert_cmpint(wharf_value_kind_of_type_name("varbinary"), ==, WHARF_VALUE_BINARY);
    g_assert_cmpint(wharf_value_kind_of_type_name("point"), ==, WHARF_VALUE_BINARY);
    g_assert_cmpint(wharf_value_kind_of_type_name("bit"), ==, WHARF_VALUE_BIT);
    g_assert_cmpint(wharf_value_kind_of_type_name("inet6"), ==, WHARF_VALUE_TEXT);
    g_assert_cmpint(wharf_value_kind_of_type_name("uuid"), ==, WHARF_VALUE_TEXT);
    g_assert_cmpint(wharf_value_kind_of_type_name("longtext"), ==, WHARF_VALUE_STRING);
    g_assert_cmpint(wharf_value_kind_of_type_name("datetime"), ==, WHARF_VALUE_STRING);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/value/sql", test_sql);
    g_test_add_func("/value/tsv_roundtrip", test_tsv_roundtrip);
    g_test_add_func("/value/type_names", test_type_names);
    return g_test_run();
}
