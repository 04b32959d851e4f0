/* Unit tests for src/format/layout.c */
#include "format/layout.h"

#include <string.h>

static void test_encode(void)
{
    struct {
        const char *name, *enc;
    } cases[] = {
        {"plain_Name$1", "plain_Name$1"},
        {"my.db", "my%2Edb"},
        {"a/b", "a%2Fb"},
        {"100%", "100%25"},
        {"back\\slash", "back%5Cslash"},
        {"-lead", "%2Dlead"},
        {"mid-dash-", "mid-dash-"},
        {"tab\tnl\n", "tab%09nl%0A"},
        {"del\x7f", "del%7F"},
        {"ünïcödé_表", "ünïcödé_表"},
        {"sp ace", "sp ace"},
        {"`q'\"", "`q'\""},
        {"", ""},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *e = wharf_layout_encode_name(cases[i].name);
        g_assert_cmpstr(e, ==, cases[i].enc);
        char *d = wharf_layout_decode_name(e);
        g_assert_cmpstr(d, ==, cases[i].name);
        g_free(d);
        g_free(e);
    }
    /* every byte 1..255 round trips */
    char all[256];
    for (int i = 1; i < 256; i++)
        all[i - 1] = (char)i;
    all[255] = '\0';
    char *e = wharf_layout_encode_name(all);
    g_assert_null(strchr(e, '.'));
    g_assert_null(strchr(e, '/'));
    g_assert_null(strchr(e, '\\'));
    char *d = wharf_layout_decode_name(e);
    g_assert_cmpstr(d, ==, all);
    g_free(d);
    g_free(e);
    /* lower-case hex is accepted on input */
    d = wharf_layout_decode_name("a%2eb");
    g_assert_cmpstr(d, ==, "a.b");
    g_free(d);
    /* invalid encodings */
    g_assert_null(wharf_layout_decode_name("a%2"));
    g_assert_null(wharf_layout_decode_name("a%"));
    g_assert_null(wharf_layout_decode_name("a%zz"));
    g_assert_null(wharf_layout_decode_name("a%00b"));
}

static void check_parse(const char *file, wharf_file_kind kind, const char *db, const char *table,
                        guint64 part, guint64 subpart, wharf_compress c)
{
    wharf_file_info info;
    gboolean ok = wharf_layout_parse(file, &info);
    if (!ok)
        g_test_message("failed to parse %s", file);
    g_assert_true(ok);
    g_assert_cmpint(info.kind, ==, kind);
    g_assert_cmpstr(info.db, ==, db);
    g_assert_cmpstr(info.table, ==, table);
    g_assert_cmpuint(info.part, ==, part);
    g_assert_cmpuint(info.subpart, ==, subpart);
    g_assert_cmpint(info.compress, ==, c);
    wharf_file_info_clear(&info);
}

static void check_unknown(const char *file)
{
    wharf_file_info info;
    gboolean ok = wharf_layout_parse(file, &info);
    if (ok)
        g_test_message("unexpectedly parsed %s", file);
    g_assert_false(ok);
    g_assert_cmpint(info.kind, ==, WHARF_FILE_UNKNOWN);
    g_assert_null(info.db);
    g_assert_null(info.table);
}

static void test_parse_kinds(void)
{
    const wharf_compress Z = WHARF_COMPRESS_ZSTD, G = WHARF_COMPRESS_GZIP, N = WHARF_COMPRESS_NONE;
    check_parse("metadata", WHARF_FILE_METADATA, NULL, NULL, 0, 0, N);
    check_parse("db-schema-create.sql", WHARF_FILE_SCHEMA_CREATE, "db", NULL, 0, 0, N);
    check_parse("db-schema-create.sql.zst", WHARF_FILE_SCHEMA_CREATE, "db", NULL, 0, 0, Z);
    check_parse("db.t-schema.sql", WHARF_FILE_TABLE_SCHEMA, "db", "t", 0, 0, N);
    check_parse("db.t-schema.sql.gz", WHARF_FILE_TABLE_SCHEMA, "db", "t", 0, 0, G);
    check_parse("db.v-schema-view.sql", WHARF_FILE_VIEW_SCHEMA, "db", "v", 0, 0, N);
    check_parse("db.t-schema-triggers.sql.zst", WHARF_FILE_TRIGGERS, "db", "t", 0, 0, Z);
    check_parse("db-schema-post.sql", WHARF_FILE_POST, "db", NULL, 0, 0, N);
    check_parse("db.s-schema-sequence.sql", WHARF_FILE_SEQUENCE, "db", "s", 0, 0, N);
    check_parse("db.t.00000.sql", WHARF_FILE_DATA_SQL, "db", "t", 0, 0, N);
    check_parse("db.t.00042.sql.zst", WHARF_FILE_DATA_SQL, "db", "t", 42, 0, Z);
    check_parse("db.t.00007.dat.gz", WHARF_FILE_DATA_DAT, "db", "t", 7, 0, G);
    check_parse("db.t.123456.dat", WHARF_FILE_DATA_DAT, "db", "t", 123456, 0, N);
    check_parse("db.t.00001.00002.sql", WHARF_FILE_DATA_SQL, "db", "t", 1, 2, N);
    check_parse("db.t.00001.00002.sql.zst", WHARF_FILE_DATA_SQL, "db", "t", 1, 2, Z);
    check_parse("db.t.sql", WHARF_FILE_DATA_SQL, "db", "t", 0, 0, N);
    check_parse("db.t.dat.gz", WHARF_FILE_DATA_DAT, "db", "t", 0, 0, G);
    /* names that contain the suffix words */
    check_parse("db.x-schema-schema.sql", WHARF_FILE_TABLE_SCHEMA, "db", "x-schema", 0, 0, N);
    check_parse("db.x-schema-view-schema.sql", WHARF_FILE_TABLE_SCHEMA, "db", "x-schema-view", 0,
                0, N);
    check_parse("a-schema-create-schema-create.sql", WHARF_FILE_SCHEMA_CREATE, "a-schema-create",
                NULL, 0, 0, N);

    check_unknown("");
    check_unknown("metadata.partial");
    check_unknown("db.t.00000.sql.tmp");
    check_unknown("metadata.tmp");
    check_unknown("db.t.00000.csv");
    check_unknown("db.t.0000a.sql");
    check_unknown("db.t.1.2.3.sql");
    check_unknown("db.sql");
    check_unknown("db-schema.sql");
    check_unknown(".t.00000.sql");
    check_unknown("db..00000.sql");
    check_unknown("dir/db.t.00000.sql");
    check_unknown("db.t%2.00000.sql");
    check_unknown("README");
}

static void check_builders(const char *db, const char *t)
{
    wharf_compress modes[] = {WHARF_COMPRESS_NONE, WHARF_COMPRESS_ZSTD, WHARF_COMPRESS_GZIP};
    for (size_t m = 0; m < G_N_ELEMENTS(modes); m++) {
        wharf_compress c = modes[m];
        char *f;
        f = wharf_layout_schema_create(db, c);
        check_parse(f, WHARF_FILE_SCHEMA_CREATE, db, NULL, 0, 0, c);
        g_free(f);
        f = wharf_layout_post(db, c);
        check_parse(f, WHARF_FILE_POST, db, NULL, 0, 0, c);
        g_free(f);
        f = wharf_layout_table_schema(db, t, c);
        check_parse(f, WHARF_FILE_TABLE_SCHEMA, db, t, 0, 0, c);
        g_free(f);
        f = wharf_layout_view_schema(db, t, c);
        check_parse(f, WHARF_FILE_VIEW_SCHEMA, db, t, 0, 0, c);
        g_free(f);
        f = wharf_layout_triggers(db, t, c);
        check_parse(f, WHARF_FILE_TRIGGERS, db, t, 0, 0, c);
        g_free(f);
        f = wharf_layout_sequence_schema(db, t, c);
        check_parse(f, WHARF_FILE_SEQUENCE, db, t, 0, 0, c);
        g_free(f);
        f = wharf_layout_chunk(db, t, 0, "sql", c);
        check_parse(f, WHARF_FILE_DATA_SQL, db, t, 0, 0, c);
        g_free(f);
        f = wharf_layout_chunk(db, t, 1234567, "dat", c);
        check_parse(f, WHARF_FILE_DATA_DAT, db, t, 1234567, 0, c);
        g_free(f);
    }
}

static void test_builders(void)
{
    char *f = wharf_layout_chunk("db", "t", 3, "sql", WHARF_COMPRESS_ZSTD);
    g_assert_cmpstr(f, ==, "db.t.00003.sql.zst");
    g_free(f);
    f = wharf_layout_table_schema("my.db", "-t", WHARF_COMPRESS_NONE);
    g_assert_cmpstr(f, ==, "my%2Edb.%2Dt-schema.sql");
    g_free(f);
    f = wharf_layout_schema_create("db", WHARF_COMPRESS_GZIP);
    g_assert_cmpstr(f, ==, "db-schema-create.sql.gz");
    g_free(f);

    const char *weird[][2] = {
        {"db", "t"},
        {"my.db", "t.1.sql"},
        {"a/b", "c\\d"},
        {"100%", "%41"},
        {"-db", "-t"},
        {"ünï.cödé", "表.テーブル"},
        {"x-schema", "y-schema-view"},
        {"t-schema-create", "00000"},
        {"nl\nname", "tab\tname\x7f"},
        {"sql", "sql"},
        {"db", "gz"},
        {"q`b'\"", "sp ace"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(weird); i++)
        check_builders(weird[i][0], weird[i][1]);
}

static void test_accounts_file(void)
{
    wharf_file_info fi;
    char *n = wharf_layout_accounts(WHARF_COMPRESS_ZSTD);
    g_assert_cmpstr(n, ==, "wharf-accounts.grants.zst");
    g_assert_true(wharf_layout_parse(n, &fi));
    g_assert_cmpint(fi.kind, ==, WHARF_FILE_ACCOUNTS);
    g_assert_cmpint(fi.compress, ==, WHARF_COMPRESS_ZSTD);
    g_assert_null(fi.db);
    wharf_file_info_clear(&fi);
    g_free(n);
    g_assert_true(wharf_layout_parse("wharf-accounts.grants", &fi));
    g_assert_cmpint(fi.kind, ==, WHARF_FILE_ACCOUNTS);
    wharf_file_info_clear(&fi);
    /* not a near miss */
    g_assert_false(wharf_layout_parse("wharf-accounts.grants.tmp", &fi));
    g_assert_false(wharf_layout_parse("xwharf-accounts.grants", &fi));
    g_assert_false(wharf_layout_parse("wharf-accounts.sql.grants", &fi));
    /* the accounts a dump never holds */
    g_assert_true(wharf_layout_system_account("root", "::1"));
    g_assert_true(wharf_layout_system_account("mariadb.sys", "localhost"));
    g_assert_true(wharf_layout_system_account("mysql", "localhost"));
    g_assert_false(wharf_layout_system_account("mysql", "%"));
    g_assert_false(wharf_layout_system_account("root", NULL)); /* a role */
    g_assert_false(wharf_layout_system_account("app", "localhost"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/layout/encode", test_encode);
    g_test_add_func("/layout/parse-kinds", test_parse_kinds);
    g_test_add_func("/layout/builders", test_builders);
    g_test_add_func("/layout/accounts-file", test_accounts_file);
    return g_test_run();
}
