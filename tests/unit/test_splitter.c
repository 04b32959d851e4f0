/* Unit tests for src/format/splitter.c */
#include "core/error.h"
#include "core/stream.h"
#include "format/splitter.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *input;
    const char *expect[8]; /* NULL-terminated */
} Case;

static const Case cases[] = {
    {"basic", "SELECT 1; SELECT 2;\nSELECT 3", {"SELECT 1", "SELECT 2", "SELECT 3", NULL}},
    {"empty", "", {NULL}},
    {"blank", "  \n\t\r\n ", {NULL}},
    {"empty statements", ";;\n ; SELECT 1;;", {"SELECT 1", NULL}},
    {"quotes", "INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`);x",
     {"INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`)", "x", NULL}},
    {"backslash escapes", "SELECT 'it\\'s; x', \"q\\\";\"; SELECT 'a\\\\'; SELECT 2",
     {"SELECT 'it\\'s; x', \"q\\\";\"", "SELECT 'a\\\\'", "SELECT 2", NULL}},
    {"doubled quotes", "SELECT 'it''s;', \"a\"\";\", `b``;`; SELECT 2",
     {"SELECT 'it''s;', \"a\"\";\", `b``;`", "SELECT 2", NULL}},
    {"backtick no escape", "SELECT `a\\`; SELECT 2", {"SELECT `a\\`", "SELECT 2", NULL}},
    {"line comments", "-- hi; there\nSELECT 1; # x;y\nSELECT 2 -- c;\n;",
     {"SELECT 1", "SELECT 2 -- c;", NULL}},
    {"not a comment", "SELECT 1--1; SELECT 2 -1;", {"SELECT 1--1", "SELECT 2 -1", NULL}},
    {"dash at end", "SELECT 1 --", {"SELECT 1 --", NULL}},
    {"block comments", "/* c; */ SELECT 2 /* in; */; /* only */;\n-- x\n;/**/",
     {"SELECT 2 /* in; */", NULL}},
    {"quotes in comments", "/* it's */ SELECT 1; -- don't\nSELECT 2; # \"x\nSELECT 3",
     {"SELECT 1", "SELECT 2", "SELECT 3", NULL}},
    {"executable comments",
     "/*!40101 SET NAMES binary*/;\n/*!50003 CREATE TRIGGER x BEGIN a; b; END */;\n"
     "/*M!100101 SET x=1; */;/*+ hint; */ SELECT 1;",
     {"/*!40101 SET NAMES binary*/", "/*!50003 CREATE TRIGGER x BEGIN a; b; END */",
      "/*M!100101 SET x=1; */", "/*+ hint; */ SELECT 1", NULL}},
    {"mysqldump trigger",
     "/*!50003 SET @saved_cs_client = @@character_set_client */ ;\n"
     "DELIMITER ;;\n"
     "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `trg` BEFORE "
     "INSERT ON `t` FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = ';;'; END */;;\n"
     "DELIMITER ;\n"
     "SELECT 1;",
     {"/*!50003 SET @saved_cs_client = @@character_set_client */",
      "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `trg` BEFORE "
      "INSERT ON `t` FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = ';;'; END */",
      "SELECT 1", NULL}},
    {"delimiter $$",
     "delimiter $$\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT '$$'; END$$\n"
     "Delimiter //\nCREATE FUNCTION f() RETURNS INT RETURN 1 //\nDELIMITER ;\nSELECT 2;",
     {"CREATE PROCEDURE p() BEGIN SELECT 1; SELECT '$$'; END",
      "CREATE FUNCTION f() RETURNS INT RETURN 1", "SELECT 2", NULL}},
    {"delimiter after comment", "-- x\nDELIMITER ;;\nSELECT 1; SELECT 2;;\n",
     {"SELECT 1; SELECT 2", NULL}},
    {"crlf", "SELECT 1;\r\n-- c\r\nDELIMITER ;;\r\nSELECT 2;;\r\nDELIMITER ;\r\nSELECT 3;\r\n",
     {"SELECT 1", "SELECT 2", "SELECT 3", NULL}},
    {"binary bytes", "INSERT INTO t VALUES ('\x01\x02\xff\\0\n;');\n",
     {"INSERT INTO t VALUES ('\x01\x02\xff\\0\n;')", NULL}},
    {"deleted not delimiter", "DELETE FROM t; delimiters;", {"DELETE FROM t", "delimiters", NULL}},
};

static GPtrArray *split_all(wharf_splitter *s, GError **err)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (;;) {
        const char *st = NULL;
        size_t len = 0;
        int r = wharf_splitter_next(s, &st, &len, err);
        if (r < 0) {
            g_ptr_array_unref(out);
            return NULL;
        }
        if (r == 0)
            break;
        g_assert_cmpuint(strlen(st), <=, len); /* NUL-terminated */
        g_assert_true(st[len] == '\0');
        g_ptr_array_add(out, g_strndup(st, len));
    }
    return out;
}

static void check_result(const Case *c, GPtrArray *got)
{
    guint n = 0;
    while (c->expect[n])
        n++;
    if (got->len != n) {
        for (guint i = 0; i < got->len; i++)
            g_test_message("%s: got[%u] = <%s>", c->name, i, (char *)got->pdata[i]);
    }
    g_assert_cmpuint(got->len, ==, n);
    for (guint i = 0; i < n; i++)
        g_assert_cmpstr(got->pdata[i], ==, c->expect[i]);
}

static char *write_tmp(const char *dir, const char *name, const char *data, size_t len,
                       wharf_compress c)
{
    char *path = g_build_filename(dir, name, NULL);
    GError *err = NULL;
    wharf_writer *w = wharf_writer_open(path, c, 0, &err);
    g_assert_no_error(err);
    g_assert_true(wharf_writer_write(w, data, len, &err));
    g_assert_true(wharf_writer_commit(w, &err));
    g_assert_no_error(err);
    return path;
}

static void test_cases_memory(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        wharf_splitter *s =
            wharf_splitter_new_buffer(cases[i].input, strlen(cases[i].input), cases[i].name, 0);
        GError *err = NULL;
        GPtrArray *got = split_all(s, &err);
        g_assert_no_error(err);
        check_result(&cases[i], got);
        g_ptr_array_unref(got);
        wharf_splitter_free(s);
    }
}

/* Every case through a file reader with tiny reads, so every token lands
 * on a buffer boundary somewhere; also compressed. */
static void test_cases_small_reads(void)
{
    char *dir = g_dir_make_tmp("wharf-test-splitter-XXXXXX", NULL);
    size_t sizes[] = {1, 2, 3, 5, 7, 64, 1 << 20};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        for (int z = 0; z < 2; z++) {
            char *name = g_strdup_printf("c%zu.sql%s", i, z ? ".zst" : "");
            char *path = write_tmp(dir, name, cases[i].input, strlen(cases[i].input),
                                   z ? WHARF_COMPRESS_ZSTD : WHARF_COMPRESS_NONE);
            for (size_t k = 0; k < G_N_ELEMENTS(sizes); k++) {
                GError *err = NULL;
                wharf_reader *r = wharf_reader_open(path, &err);
                g_assert_no_error(err);
                wharf_splitter *s = wharf_splitter_new(r, 0);
                wharf_splitter_set_read_size(s, sizes[k]);
                GPtrArray *got = split_all(s, &err);
                g_assert_no_error(err);
                check_result(&cases[i], got);
                g_ptr_array_unref(got);
                wharf_splitter_free(s);
                wharf_reader_close(r);
            }
            g_unlink(path);
            g_free(path);
            g_free(name);
        }
    }
    g_rmdir(dir);
    g_free(dir);
}

static void expect_error(const char *input, size_t max, const char *needle)
{
    size_t sizes[] = {0, 1, 3};
    for (size_t k = 0; k < G_N_ELEMENTS(sizes); k++) {
        wharf_splitter *s = NULL;
        wharf_reader *r = NULL;
        char *dir = NULL, *path = NULL;
        if (sizes[k] == 0) {
            s = wharf_splitter_new_buffer(input, strlen(input), "bad.sql", max);
        } else {
            dir = g_dir_make_tmp("wharf-test-splitter-XXXXXX", NULL);
            path = write_tmp(dir, "bad.sql", input, strlen(input), WHARF_COMPRESS_NONE);
            r = wharf_reader_open(path, NULL);
            s = wharf_splitter_new(r, max);
            wharf_splitter_set_read_size(s, sizes[k]);
        }
        GError *err = NULL;
        GPtrArray *got = split_all(s, &err);
        g_assert_null(got);
        g_assert_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT);
        g_test_message("%s", err->message);
        g_assert_nonnull(strstr(err->message, "bad.sql"));
        if (needle)
            g_assert_nonnull(strstr(err->message, needle));
        g_clear_error(&err);
        /* sticky */
        const char *st;
        size_t len;
        g_assert_cmpint(wharf_splitter_next(s, &st, &len, &err), ==, -1);
        g_clear_error(&err);
        wharf_splitter_free(s);
        wharf_reader_close(r);
        if (path) {
            g_unlink(path);
            g_rmdir(dir);
        }
        g_free(path);
        g_free(dir);
    }
}

static void test_errors(void)
{
    expect_error("SELECT 1; SELECT 'abc;\n", 0, "offset 17");
    expect_error("SELECT 1; SELECT \"abc\\\";", 0, "double-quoted");
    expect_error("SELECT `abc;", 0, "backtick");
    expect_error("SELECT 1; /* never closed;\n SELECT 2;", 0, "comment");
    expect_error("SELECT 1 /* never closed *", 0, "comment");
    expect_error("/*!40101 SET x=1;", 0, "/*!");
    expect_error("SELECT 'x\\", 0, "single-quoted");
    expect_error("DELIMITER \nSELECT 1;", 0, "DELIMITER");
    expect_error("SELECT 1; SELECT 2222222222;", 10, "statement 2");
    expect_error("SELECT 1; SELECT 2222222222", 10, "maximum statement size");
}

static void test_huge_statement(void)
{
    /* one 6 MB INSERT with quotes, escapes and semicolons in its values */
    GString *big = g_string_new("SET NAMES binary;\nINSERT INTO t VALUES ");
    for (int i = 0; i < 120000; i++)
        g_string_append_printf(big, "%s(%d,'a;b\\'c;%d',\"x\")", i ? "," : "", i, i);
    size_t ins_start = strlen("SET NAMES binary;\n");
    size_t ins_len = big->len - ins_start;
    g_string_append(big, ";\nSELECT 1;");

    char *dir = g_dir_make_tmp("wharf-test-splitter-XXXXXX", NULL);
    char *path = write_tmp(dir, "big.sql.gz", big->str, big->len, WHARF_COMPRESS_GZIP);
    for (int pass = 0; pass < 2; pass++) {
        GError *err = NULL;
        wharf_reader *r = wharf_reader_open(path, &err);
        wharf_splitter *s = wharf_splitter_new(r, pass == 0 ? 0 : 1024 * 1024);
        if (pass == 0)
            wharf_splitter_set_read_size(s, 4093);
        const char *st;
        size_t len;
        g_assert_cmpint(wharf_splitter_next(s, &st, &len, &err), ==, 1);
        g_assert_cmpstr(st, ==, "SET NAMES binary");
        g_assert_cmpuint(wharf_splitter_offset(s), ==, 0);
        if (pass == 0) {
            g_assert_cmpint(wharf_splitter_next(s, &st, &len, &err), ==, 1);
            g_assert_no_error(err);
            g_assert_cmpuint(len, ==, ins_len);
            g_assert_true(memcmp(st, big->str + ins_start, len) == 0);
            g_assert_cmpuint(wharf_splitter_offset(s), ==, ins_start);
            g_assert_cmpuint(wharf_splitter_count(s), ==, 2);
            g_assert_cmpint(wharf_splitter_next(s, &st, &len, &err), ==, 1);
            g_assert_cmpstr(st, ==, "SELECT 1");
            g_assert_cmpint(wharf_splitter_next(s, &st, &len, &err), ==, 0);
            g_assert_no_error(err);
        } else {
            g_assert_cmpint(wharf_splitter_next(s, &st, &len, &err), ==, -1);
            g_assert_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT);
            g_assert_nonnull(strstr(err->message, path));
            g_assert_nonnull(strstr(err->message, "statement 2"));
            g_assert_nonnull(strstr(err->message, "offset 18"));
            g_clear_error(&err);
        }
        wharf_splitter_free(s);
        wharf_reader_close(r);
    }
    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
    g_string_free(big, TRUE);
}

static void test_many_statements_and_offsets(void)
{
    GString *in = g_string_new(NULL);
    GArray *offs = g_array_new(FALSE, FALSE, sizeof(guint64));
    for (int i = 0; i < 50000; i++) {
        if (i % 7 == 0)
            g_string_append(in, "-- comment ;\n");
        guint64 o = in->len;
        g_array_append_val(offs, o);
        g_string_append_printf(in, "INSERT INTO t VALUES (%d,'%d;');\n", i, i);
    }
    char *dir = g_dir_make_tmp("wharf-test-splitter-XXXXXX", NULL);
    char *path = write_tmp(dir, "many.sql.zst", in->str, in->len, WHARF_COMPRESS_ZSTD);
    GError *err = NULL;
    wharf_reader *r = wharf_reader_open(path, &err);
    wharf_splitter *s = wharf_splitter_new(r, 4096);
    wharf_splitter_set_read_size(s, 1000);
    const char *st;
    size_t len;
    int n = 0;
    int rc;
    while ((rc = wharf_splitter_next(s, &st, &len, &err)) == 1) {
        char *want = g_strdup_printf("INSERT INTO t VALUES (%d,'%d;')", n, n);
        g_assert_cmpstr(st, ==, want);
        g_free(want);
        g_assert_cmpuint(wharf_splitter_offset(s), ==, g_array_index(offs, guint64, n));
        n++;
    }
    g_assert_cmpint(rc, ==, 0);
    g_assert_no_error(err);
    g_assert_cmpint(n, ==, 50000);
    g_assert_cmpuint(wharf_reader_bytes(r), ==, in->len);
    wharf_splitter_free(s);
    wharf_reader_close(r);
    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
    g_array_unref(offs);
    g_string_free(in, TRUE);
}

static void test_truncated_input(void)
{
    /* a truncated .zst passes the reader's error through */
    GString *in = g_string_new(NULL);
    for (int i = 0; i < 200000; i++)
        g_string_append_printf(in, "INSERT INTO t VALUES (%d);\n", i * 7919);
    char *dir = g_dir_make_tmp("wharf-test-splitter-XXXXXX", NULL);
    char *path = write_tmp(dir, "cut.sql.zst", in->str, in->len, WHARF_COMPRESS_ZSTD);
    char *data;
    gsize dlen;
    g_assert_true(g_file_get_contents(path, &data, &dlen, NULL));
    g_assert_true(g_file_set_contents(path, data, (gssize)(dlen / 2), NULL));
    GError *err = NULL;
    wharf_reader *r = wharf_reader_open(path, &err);
    wharf_splitter *s = wharf_splitter_new(r, 0);
    GPtrArray *got = split_all(s, &err);
    g_assert_null(got);
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT);
    g_assert_nonnull(strstr(err->message, path));
    g_clear_error(&err);
    wharf_splitter_free(s);
    wharf_reader_close(r);
    g_unlink(path);
    g_rmdir(dir);
    g_free(data);
    g_free(path);
    g_free(dir);
    g_string_free(in, TRUE);
}

static void test_delimiter_accessor(void)
{
    const char *in = "DELIMITER ;;\nSELECT 1;;";
    wharf_splitter *s = wharf_splitter_new_buffer(in, strlen(in), "d.sql", 0);
    g_assert_cmpstr(wharf_splitter_delimiter(s), ==, ";");
    const char *st;
    size_t len;
    GError *err = NULL;
    g_assert_cmpint(wharf_splitter_next(s, &st, &len, &err), ==, 1);
    g_assert_cmpstr(wharf_splitter_delimiter(s), ==, ";;");
    g_assert_cmpint(wharf_splitter_next(s, &st, &len, &err), ==, 0);
    wharf_splitter_free(s);
}

/* mydumper's convention: a statement ends at a delimiter at the end of a line. */
static void test_line_end(void)
{
    const char *in = "/*!40101 SET NAMES binary*/;\n"
                     "CREATE PROCEDURE p() BEGIN\n  SET @a = 1; \n  SELECT 'x\\'; SET @b = \"2;\t\nEND;\n"
                     "SELECT 2;\r\nDELIMITER $$\nSELECT 3;\nSELECT 4$$\nDELIMITER ;\nSELECT ';\n';";
    wharf_splitter *sp = wharf_splitter_new_buffer(in, strlen(in), "t", 0);
    wharf_splitter_set_line_end(sp, TRUE);
    const char *expect[] = {"/*!40101 SET NAMES binary*/",
                            /* quotes are not looked at: a NO_BACKSLASH_ESCAPES string, a lone " */
                            "CREATE PROCEDURE p() BEGIN\n  SET @a = 1; \n  SELECT 'x\\'; SET @b = \"2;\t\nEND",
                            "SELECT 2", "SELECT 3;\nSELECT 4", "SELECT '", "'", NULL};
    const char *stmt;
    size_t len;
    GError *err = NULL;
    for (int i = 0; expect[i]; i++) {
        g_assert_cmpint(wharf_splitter_next(sp, &stmt, &len, &err), ==, 1);
        g_assert_cmpstr(stmt, ==, expect[i]);
    }
    g_assert_cmpint(wharf_splitter_next(sp, &stmt, &len, &err), ==, 0);
    g_assert_no_error(err);
    wharf_splitter_free(sp);
}

/* The escape is lossless and leaves no ";\n" inside a statement. */
static void test_line_end_escape(void)
{
    const char *texts[] = {"BEGIN\n a;\n b; \n c;  \n d;\t\nEND", "x;", "no change here", ";\n;\n",
                           "'str;\n' ; \n", NULL};
    for (int i = 0; texts[i]; i++) {
        size_t n = strlen(texts[i]), en = 0, un = 0;
        char *e = wharf_sql_escape_line_ends(texts[i], n, &en);
        const char *esc = e ? e : texts[i];
        if (e == NULL)
            en = n;
        g_assert_null(g_strstr_len(esc, (gssize)en, ";\n"));
        char *u = wharf_sql_unescape_line_ends(esc, en, &un);
        g_assert_nonnull(e == NULL ? (u == NULL ? "ok" : NULL) : u);
        if (u) {
            g_assert_cmpuint(un, ==, n);
            g_assert_cmpmem(u, un, texts[i], n);
        }
        g_free(e);
        g_free(u);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/splitter/cases", test_cases_memory);
    g_test_add_func("/splitter/small-reads", test_cases_small_reads);
    g_test_add_func("/splitter/errors", test_errors);
    g_test_add_func("/splitter/huge-statement", test_huge_statement);
    g_test_add_func("/splitter/many-and-offsets", test_many_statements_and_offsets);
    g_test_add_func("/splitter/truncated-input", test_truncated_input);
    g_test_add_func("/splitter/delimiter", test_delimiter_accessor);
    g_test_add_func("/splitter/line-end", test_line_end);
    g_test_add_func("/splitter/line-end-escape", test_line_end_escape);
    return g_test_run();
}
