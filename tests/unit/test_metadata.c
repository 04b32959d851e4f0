/* Unit tests for src/format/metadata.c */
#include "core/error.h"
#include "format/metadata.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static char *make_dir(void)
{
    char *d = g_dir_make_tmp("wharf-test-metadata-XXXXXX", NULL);
    g_assert_nonnull(d);
    return d;
}

static void rm_dir(char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *n;
    while (d && (n = g_dir_read_name(d)) != NULL) {
        char *p = g_build_filename(dir, n, NULL);
        g_unlink(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
    g_free(dir);
}

static void put_metadata(const char *dir, const char *text)
{
    char *p = g_build_filename(dir, "metadata", NULL);
    g_assert_true(g_file_set_contents(p, text, -1, NULL));
    g_free(p);
}

static void test_group_names(void)
{
    char *g = wharf_metadata_group("db", "t");
    g_assert_cmpstr(g, ==, "`db`.`t`");
    g_free(g);
    g = wharf_metadata_group("a`b", "c.d");
    g_assert_cmpstr(g, ==, "`a``b`.`c.d`");
    g_free(g);
    g = wharf_metadata_group("x[1]", "50%\n");
    g_assert_cmpstr(g, ==, "`x%5B1%5D`.`50%25%0A`");
    g_free(g);

    const char *names[][2] = {
        {"db", "t"},          {"a`b", "c.d"},       {"``", "`.`"},       {"ünï", "表.テ"},
        {"x[1]", "]["},       {"100%", "%41"},      {"tab\tx", "nl\ny"}, {"sp ace", " lead"},
        {"semi;colon", "a=b"}, {"#hash", "\"dq\""}, {".", "-"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *grp = wharf_metadata_group(names[i][0], names[i][1]);
        char *db = NULL, *t = NULL;
        g_assert_true(wharf_metadata_parse_group(grp, &db, &t));
        g_assert_cmpstr(db, ==, names[i][0]);
        g_assert_cmpstr(t, ==, names[i][1]);
        g_free(db);
        g_free(t);
        g_free(grp);
    }
    char *db = NULL, *t = NULL;
    g_assert_true(wharf_metadata_parse_group("\"db\".\"t\"", &db, &t));
    g_assert_cmpstr(db, ==, "db");
    g_assert_cmpstr(t, ==, "t");
    g_free(db);
    g_free(t);
    g_assert_false(wharf_metadata_parse_group("config", &db, &t));
    g_assert_false(wharf_metadata_parse_group("`db`", &db, &t));
    g_assert_false(wharf_metadata_parse_group("source", &db, &t));
    g_assert_false(wharf_metadata_parse_group("", &db, &t));
    g_assert_null(db);
    g_assert_null(t);
}

static wharf_metadata *sample(void)
{
    wharf_metadata *m = wharf_metadata_new();
    m->tool = g_strdup("wharf 0.1.0");
    m->started = g_strdup("2026-11-22T10:00:00Z");
    m->finished = g_strdup("2026-11-22T10:03:12Z");
    m->server_version = g_strdup("10.11.6-MariaDB");
    m->data_format = g_strdup("sql");
    m->compression = g_strdup("zstd");
    m->lock_method = g_strdup("backup-stage");
    m->commit_block_ms = 3;
    m->binlog_file = g_strdup("binlog.000003");
    m->binlog_position = 12345;
    m->gtid = g_strdup("0-1-42,1-2-7");
    m->sql_mode = g_strdup("NO_AUTO_VALUE_ON_ZERO,STRICT_TRANS_TABLES");
    m->time_zone = g_strdup("+00:00");
    m->content_checksum = g_strdup("xxh3-64-sum");

    wharf_table_meta *t = wharf_metadata_table(m, "db", "t", TRUE);
    t->rows = 1000;
    t->kind = "table";
    t->engine = wharf_metadata_str(m, "InnoDB");
    /* added out of order: kept in part order */
    wharf_chunk_meta *ch = wharf_table_meta_add_chunk(t, "db.t.00001.sql.zst", 1, 400, 54000, 0x99aabbcc);
    ch->sum = G_GUINT64_CONSTANT(0xfedcba9876543210), ch->has_sum = TRUE;
    wharf_table_meta_add_chunk(t, "db.t.00000.sql.zst", 0, 600, 81234, 0x1a2b3c4d);
    /* ranges: chunk 2 held no rows (no file), its range is still recorded */
    wharf_table_meta_add_range(m, t, 2, "`id` >= 1000");
    wharf_table_meta_add_range(m, t, 0, "`id` < 600");
    wharf_table_meta_add_range(m, t, 1, "`id` >= 600 AND `id` < 1000");
    t->where = wharf_metadata_str(m, "(`x` = 'a\nb')");
    wharf_table_meta_add_depend(t, "db.parent");
    wharf_table_meta_add_depend(t, "odd;dep");

    t = wharf_metadata_table(m, "a`b", "c.d", TRUE);
    t->rows = 0;
    t->kind = "view";
    t->snapshot = TRUE;

    t = wharf_metadata_table(m, "ünï[x]", "semi;colon %41\t", TRUE);
    t->rows = 5;
    t->engine = wharf_metadata_str(m, "Aria");
    t->snapshot = FALSE;
    wharf_table_meta_add_chunk(t, "%C3%BCn%C3%AF[x].semi;colon %2541%09.00000.dat.gz", 0, 5, 77,
                               0x00000001);

    t = wharf_metadata_table(m, "db", "seq", TRUE);
    t->kind = "sequence";
    t->rows = 1;
    return m;
}

static void check_same(const wharf_metadata *a, const wharf_metadata *b)
{
    g_assert_cmpstr(a->tool, ==, b->tool);
    g_assert_cmpstr(a->started, ==, b->started);
    g_assert_cmpstr(a->finished, ==, b->finished);
    g_assert_cmpstr(a->server_version, ==, b->server_version);
    g_assert_cmpstr(a->data_format, ==, b->data_format);
    g_assert_cmpstr(a->compression, ==, b->compression);
    g_assert_cmpstr(a->lock_method, ==, b->lock_method);
    g_assert_cmpint(a->commit_block_ms, ==, b->commit_block_ms);
    g_assert_cmpstr(a->binlog_file, ==, b->binlog_file);
    g_assert_cmpuint(a->binlog_position, ==, b->binlog_position);
    g_assert_cmpstr(a->gtid, ==, b->gtid);
    g_assert_cmpstr(a->sql_mode, ==, b->sql_mode);
    g_assert_cmpstr(a->time_zone, ==, b->time_zone);
    g_assert_cmpstr(a->content_checksum, ==, b->content_checksum);
    g_assert_cmpuint(a->tables->len, ==, b->tables->len);
    for (guint i = 0; i < a->tables->len; i++) {
        const wharf_table_meta *x = g_ptr_array_index(a->tables, i);
        const wharf_table_meta *y = g_ptr_array_index(b->tables, i);
        g_assert_cmpstr(x->db, ==, y->db);
        g_assert_cmpstr(x->table, ==, y->table);
        g_assert_true(wharf_metadata_table((wharf_metadata *)b, x->db, x->table, FALSE) == y);
        g_assert_cmpint(x->rows, ==, y->rows);
        g_assert_cmpstr(x->kind ? x->kind : "table", ==, y->kind);
        g_assert_cmpstr(x->engine, ==, y->engine);
        g_assert_cmpint(x->snapshot, ==, y->snapshot);
        g_assert_cmpuint(x->chunks->len, ==, y->chunks->len);
        for (guint c = 0; c < x->chunks->len; c++) {
            const wharf_chunk_meta *p = g_ptr_array_index(x->chunks, c);
            const wharf_chunk_meta *q = g_ptr_array_index(y->chunks, c);
            g_assert_cmpuint(p->part, ==, c);
            g_assert_cmpstr(p->file, ==, q->file);
            g_assert_cmpuint(p->part, ==, q->part);
            g_assert_cmpint(p->rows, ==, q->rows);
            g_assert_cmpuint(p->bytes, ==, q->bytes);
            g_assert_cmphex(p->crc32, ==, q->crc32);
            g_assert_cmpint(p->has_sum, ==, q->has_sum);
            g_assert_cmphex(p->sum, ==, q->sum);
        }
        g_assert_cmpstr(x->where, ==, y->where);
        g_assert_cmpuint(x->ranges ? x->ranges->len : 0, ==, y->ranges ? y->ranges->len : 0);
        for (guint r = 0; x->ranges && r < x->ranges->len; r++) {
            const wharf_range_meta *p = g_ptr_array_index(x->ranges, r);
            const wharf_range_meta *q = g_ptr_array_index(y->ranges, r);
            g_assert_cmpuint(p->part, ==, r);
            g_assert_cmpuint(p->part, ==, q->part);
            g_assert_cmpstr(p->cond, ==, q->cond);
        }
        g_assert_cmpuint(x->depends ? x->depends->len : 0, ==, y->depends ? y->depends->len : 0);
        for (guint d = 0; x->depends && d < x->depends->len; d++)
            g_assert_cmpstr(g_ptr_array_index(x->depends, d), ==, g_ptr_array_index(y->depends, d));
    }
}

static void test_roundtrip(void)
{
    char *dir = make_dir();
    wharf_metadata *m = sample();
    GError *err = NULL;
    g_assert_true(wharf_metadata_write(m, dir, &err));
    g_assert_no_error(err);

    char *path = g_build_filename(dir, "metadata", NULL);
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_test_message("%s", text);
    /* what myloader reads */
    g_assert_nonnull(strstr(text, "[config]\nquote-character=BACKTICK"));
    g_assert_nonnull(strstr(text, "[`db`.`t`]\nreal_table_name=t\nrows=1000\n"));
    g_assert_nonnull(strstr(text, "SQL_MODE='NO_AUTO_VALUE_ON_ZERO,STRICT_TRANS_TABLES' /*!40101"));
    g_assert_nonnull(strstr(text, "[source]\nFile=binlog.000003\nPosition=12345\n"));
    g_assert_nonnull(strstr(text, "wharf-chunk-00000=db.t.00000.sql.zst;600;81234;1a2b3c4d"));
    g_assert_nonnull(strstr(text, "[`a``b`.`c.d`]"));
    g_free(text);

    wharf_metadata *back = wharf_metadata_read(dir, &err);
    g_assert_no_error(err);
    g_assert_nonnull(back);
    check_same(m, back);
    g_assert_true(back->has_config);

    /* writing what was read gives the same again */
    g_assert_true(wharf_metadata_write(back, dir, &err));
    g_assert_no_error(err);
    wharf_metadata *again = wharf_metadata_read(dir, &err);
    g_assert_no_error(err);
    check_same(m, again);

    wharf_metadata_free(again);
    wharf_metadata_free(back);
    wharf_metadata_free(m);
    g_free(path);
    rm_dir(dir);
}

static void test_empty(void)
{
    char *dir = make_dir();
    wharf_metadata *m = wharf_metadata_new();
    GError *err = NULL;
    g_assert_true(wharf_metadata_write(m, dir, &err));
    wharf_metadata *back = wharf_metadata_read(dir, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(back->tables->len, ==, 0);
    g_assert_null(back->binlog_file);
    g_assert_cmpint(back->commit_block_ms, ==, -1);
    g_assert_nonnull(back->tool);
    wharf_metadata_free(back);
    wharf_metadata_free(m);
    rm_dir(dir);
}

/* A metadata file as mydumper 0.16+ writes it. */
static const char MYDUMPER_META[] =
    "# Started dump at: 2024-05-01 10:00:00\n"
    "[config]\n"
    "quote_character = BACKTICK\n"
    "\n"
    "[myloader_session_variables]\n"
    "SQL_MODE='NO_AUTO_VALUE_ON_ZERO,ONLY_FULL_GROUP_BY,ERROR_FOR_DIVISION_BY_ZERO' /*!40101\n"
    "\n"
    "[source]\n"
    "# Channel_Name = ''\n"
    "File = mysql-bin.000007\n"
    "Position = 4711\n"
    "Executed_Gtid_Set = 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5\n"
    "\n"
    "[`shop`]\n"
    "schema_checksum = abc\n"
    "\n"
    "[`shop`.`orders`]\n"
    "real_table_name=orders\n"
    "rows = 1234\n"
    "data_checksum = 1111\n"
    "\n"
    "[`shop`.`Mixed_Case`]\n"
    "real_table_name=Mixed Case\n"
    "rows = 0\n"
    "\n"
    "[`shop`.`s1`]\n"
    "real_table_name=s1\n"
    "rows = 1\n"
    "is_sequence = 1\n"
    "# Finished dump at: 2024-05-01 10:00:05\n";

static void test_mydumper(void)
{
    char *dir = make_dir();
    put_metadata(dir, MYDUMPER_META);
    GError *err = NULL;
    wharf_metadata *m = wharf_metadata_read(dir, &err);
    g_assert_no_error(err);
    g_assert_nonnull(m);
    g_assert_cmpstr(m->tool, ==, "mydumper");
    g_assert_cmpstr(m->binlog_file, ==, "mysql-bin.000007");
    g_assert_cmpuint(m->binlog_position, ==, 4711);
    g_assert_cmpstr(m->gtid, ==, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
    g_assert_cmpstr(m->sql_mode, ==, "NO_AUTO_VALUE_ON_ZERO,ONLY_FULL_GROUP_BY,ERROR_FOR_DIVISION_BY_ZERO");
    g_assert_null(m->time_zone);
    g_assert_cmpuint(m->tables->len, ==, 3);
    wharf_table_meta *t = wharf_metadata_table(m, "shop", "orders", FALSE);
    g_assert_nonnull(t);
    g_assert_cmpint(t->rows, ==, 1234);
    g_assert_cmpstr(t->kind, ==, "table");
    g_assert_true(t->snapshot);
    g_assert_cmpuint(t->chunks->len, ==, 0);
    /* entries are found by their group's names (file-name forms) */
    t = wharf_metadata_table(m, "shop", "Mixed_Case", FALSE);
    g_assert_nonnull(t);
    g_assert_cmpstr(t->table, ==, "Mixed Case");
    g_assert_cmpstr(t->file_table, ==, "Mixed_Case");
    g_assert_cmpint(t->rows, ==, 0);
    t = wharf_metadata_table(m, "shop", "s1", FALSE);
    g_assert_nonnull(t);
    g_assert_cmpstr(t->kind, ==, "sequence");
    wharf_metadata_free(m);

    /* older mydumper: [master] instead of [source] */
    put_metadata(dir, "[master]\nFile = bin.000001\nPosition = 4\nExecuted_Gtid_Set = \n\n"
                      "[\"d\".\"t\"]\nreal_table_name=t\nrows = 3\n");
    m = wharf_metadata_read(dir, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(m->binlog_file, ==, "bin.000001");
    g_assert_cmpuint(m->binlog_position, ==, 4);
    g_assert_null(m->gtid);
    g_assert_nonnull(wharf_metadata_table(m, "d", "t", FALSE));
    wharf_metadata_free(m);
    rm_dir(dir);
}


/* Read one group at a time: header groups anywhere (a repeated one merges as
 * in a key file), lines before the first group, CRLF line ends. */
static void test_sections(void)
{
    char *dir = make_dir();
    put_metadata(dir, "# a comment\n\n[`d`.`t`]\r\nreal_table_name=t\r\nrows=2\r\n"
                      "wharf-chunk-00000=d.t.00000.sql;2;10;0a\r\n"
                      "  [wharf]  \ntool=wharf 0.1.0\nfinished=f\n"
                      "[`d`.`u`]\nreal_table_name=u x\nrows=3\n"
                      "[config]\nquote-character=BACKTICK\n[wharf]\nstarted=s\n");
    GError *err = NULL;
    wharf_metadata *m = wharf_metadata_read(dir, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(m->tool, ==, "wharf 0.1.0");
    g_assert_cmpstr(m->started, ==, "s");
    g_assert_cmpstr(m->finished, ==, "f");
    g_assert_true(m->has_config);
    g_assert_cmpuint(m->tables->len, ==, 2);
    wharf_table_meta *t = wharf_metadata_table(m, "d", "t", FALSE);
    g_assert_cmpint(t->rows, ==, 2);
    g_assert_null(t->file_db);
    g_assert_null(t->file_table);
    g_assert_cmpuint(t->chunks->len, ==, 1);
    g_assert_cmpstr(((wharf_chunk_meta *)t->chunks->pdata[0])->file, ==, "d.t.00000.sql");
    t = wharf_metadata_table(m, "d", "u", FALSE);
    g_assert_cmpstr(t->table, ==, "u x");
    g_assert_cmpstr(t->file_table, ==, "u");
    wharf_metadata_free(m);

    put_metadata(dir, "[wharf]\ntool=wharf\n");
    m = wharf_metadata_read(dir, &err);
    g_assert_no_error(err);
    g_assert_false(m->has_config);
    wharf_metadata_free(m);
    rm_dir(dir);
}

static void expect_malformed(const char *dir, const char *text, const char *needle1,
                             const char *needle2)
{
    put_metadata(dir, text);
    GError *err = NULL;
    wharf_metadata *m = wharf_metadata_read(dir, &err);
    g_assert_null(m);
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT);
    g_test_message("%s", err->message);
    g_assert_nonnull(strstr(err->message, "metadata"));
    if (needle1)
        g_assert_nonnull(strstr(err->message, needle1));
    if (needle2)
        g_assert_nonnull(strstr(err->message, needle2));
    g_error_free(err);
}

static void test_malformed(void)
{
    char *dir = make_dir();
    expect_malformed(dir, "[wharf]\ntool=wharf\nthis line is junk\n", "junk", NULL);
    expect_malformed(dir, "[wharf\ntool=x\n", NULL, NULL);
    expect_malformed(dir, "tool=x\n[wharf]\n", NULL, NULL);
    expect_malformed(dir, "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=1\n[`db`.`t`]\nrows=1\n", "`db`.`t`",
                     "listed twice");
    expect_malformed(dir, "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=12x\n", "`db`.`t`", "rows");
    expect_malformed(dir, "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=-5\n", "`db`.`t`", "rows");
    expect_malformed(dir, "[wharf]\ncommit-block-ms=soon\n", "[wharf]", "commit-block-ms");
    expect_malformed(dir, "[source]\nFile=x\nPosition=-1\n", "[source]", "Position");
    expect_malformed(dir,
                     "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=1\nwharf-chunks=1\n"
                     "wharf-chunk-00000=db.t.00000.sql;1;2\n",
                     "`db`.`t`", "wharf-chunk-00000");
    expect_malformed(dir,
                     "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=1\nwharf-chunks=1\n"
                     "wharf-chunk-00000=db.t.00000.sql;1;2;xyz\n",
                     "`db`.`t`", "wharf-chunk-00000");
    expect_malformed(dir,
                     "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=1\nwharf-chunks=1\n"
                     "wharf-chunk-00000=;1;2;ab\n",
                     "`db`.`t`", "wharf-chunk-00000");
    expect_malformed(dir,
                     "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=1\nwharf-chunks=1\n"
                     "wharf-chunk-0000x=a;1;2;ab\n",
                     "`db`.`t`", "wharf-chunk-0000x");
    expect_malformed(dir,
                     "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=1\nwharf-chunks=2\n"
                     "wharf-chunk-00000=a;1;2;ab\n",
                     "`db`.`t`", "wharf-chunks");
    expect_malformed(dir, "[wharf]\ntool=wharf\n[`db`.`t`]\nwharf-snapshot=maybe\n", "`db`.`t`",
                     "wharf-snapshot");
    expect_malformed(dir, "[wharf]\ntool=wharf\n[`db`.`t`]\nwharf-kind=table-ish\n", "`db`.`t`",
                     "wharf-kind");
    expect_malformed(dir, "[config]\nquote_character=SINGLE\n", "config", "quote_character");
    expect_malformed(dir,
                     "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=1\nwharf-chunks=1\n"
                     "wharf-chunk-00000=a;1;2;ab\nwharf-sum-00001=0123456789abcdef\n",
                     "wharf-sum-00001", "no wharf-chunk entry");
    expect_malformed(dir,
                     "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=1\nwharf-chunks=1\n"
                     "wharf-chunk-00000=a;1;2;ab\nwharf-sum-00000=0123456789abcdeX\n",
                     "wharf-sum-00000", "bad checksum");
    expect_malformed(dir,
                     "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=1\nwharf-chunks=1\n"
                     "wharf-chunk-00000=a;1;2;ab\nwharf-sum-00000=0123456789abcdef\nwharf-sum-0=0123456789abcdef\n",
                     "wharf-sum-0", "listed twice");
    expect_malformed(dir,
                     "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=1\nwharf-range-00000=`a` < 1\nwharf-range-0=`a` < 2\n",
                     "wharf-range-NNNNN", "chunk 0 listed twice");
    expect_malformed(dir, "[wharf]\ntool=wharf\n[`db`.`t`]\nrows=1\nwharf-range-x=`a` < 1\n",
                     "wharf-range-x", "chunk number");

    /* missing file */
    char *empty = make_dir();
    GError *err = NULL;
    g_assert_null(wharf_metadata_read(empty, &err));
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND);
    g_assert_nonnull(strstr(err->message, "metadata"));
    g_error_free(err);
    rm_dir(empty);
    rm_dir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/metadata/group-names", test_group_names);
    g_test_add_func("/metadata/roundtrip", test_roundtrip);
    g_test_add_func("/metadata/empty", test_empty);
    g_test_add_func("/metadata/mydumper", test_mydumper);
    g_test_add_func("/metadata/malformed", test_malformed);
    g_test_add_func("/metadata/sections", test_sections);
    return g_test_run();
}
