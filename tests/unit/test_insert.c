/* Unit tests for format/insert: INSERT heads, and tuples as LOAD DATA text
 * (every byte value through format/value's SQL literal and back through
 * its TSV decoding), and every form that must be refused. */
#include "format/insert.h"
#include "format/value.h"

#include "core/error.h"

#include <string.h>

static void test_head(void)
{
    wharf_insert_head h = {0};
    const char *s = "INSERT INTO `t``x` (`a`,`b c`, d) VALUES (1,2,3)";
    g_assert_true(wharf_insert_head_parse(s, strlen(s), &h));
    g_assert_cmpuint(h.columns->len, ==, 3);
    g_assert_cmpstr(h.columns->pdata[0], ==, "a");
    g_assert_cmpstr(h.columns->pdata[1], ==, "b c");
    g_assert_cmpstr(h.columns->pdata[2], ==, "d");
    g_assert_cmpuint(h.values_at, ==, strlen(s) - 7);
    g_assert_cmpint(memcmp(s + h.head_len - 6, "VALUES", 6), ==, 0);
    wharf_insert_head_clear(&h);

    s = "insert into db.`t` values\n(1)";
    g_assert_true(wharf_insert_head_parse(s, strlen(s), &h));
    g_assert_cmpuint(h.columns->len, ==, 0);
    wharf_insert_head_clear(&h);

    static const char *const no[] = {
        "INSERT IGNORE INTO t VALUES (1)", "REPLACE INTO t VALUES (1)", "INSERT INTO t SELECT 1",
        "INSERT INTO t SET a=1", "INSERT /*+ hint */ INTO t VALUES (1)", "INSERT INTO t VALUE (1)",
        "INSERTINTO t VALUES (1)", "INSERT INTO t (a VALUES (1)", "INSERT INTO `t VALUES (1)",
        "INSERT INTO t VALUES 1", "SET NAMES binary", "",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(no); i++)
        g_assert_false(wharf_insert_head_parse(no[i], strlen(no[i]), &h));
}

/* tsv of the tuples of an INSERT for columns of classes cols, or NULL */
static char *tsv(const char *stmt, const wharf_insert_col *cols, guint n, gint64 *rows)
{
    wharf_insert_head h = {0};
    g_assert_true(wharf_insert_head_parse(stmt, strlen(stmt), &h));
    GString *o = g_string_new(NULL);
    GError *err = NULL;
    gboolean ok = wharf_insert_tsv(stmt, strlen(stmt), h.values_at, cols, n, o, rows, &err);
    wharf_insert_head_clear(&h);
    if (!ok) {
        g_assert_error(err, WHARF_ERROR, WHARF_ERROR_UNSUPPORTED);
        g_error_free(err);
        g_string_free(o, TRUE);
        return NULL;
    }
    return g_string_free(o, FALSE);
}

static void test_values(void)
{
    const wharf_insert_col c3[] = {WHARF_INSERT_COL_NUMBER, WHARF_INSERT_COL_STRING, WHARF_INSERT_COL_BYTES};
    gint64 rows = 0;
    char *t = tsv("INSERT INTO t VALUES (1,'a\\tb',0x00FF),( -2.5e-3 , NULL , ''),\n(NULL,\"x\"\"y\",null)",
                  c3, 3, &rows);
    g_assert_cmpstr(t, ==, "1\ta\\tb\t\\0\xff\n-2.5e-3\t\\N\t\n\\N\tx\"y\t\\N\n");
    g_assert_cmpint(rows, ==, 3);
    g_free(t);
    /* SQL escapes: \% and \_ keep their backslash; \b; '' inside; odd hex */
    t = tsv("INSERT INTO t VALUES (0,'\\%\\_\\b\\Z\\0\\'''',0xABC)", c3, 3, &rows);
    g_assert_cmpstr(t, ==, "0\t\\\\%\\\\_\b\\Z\\0''\t\\n\xbc\n");
    g_free(t);
    /* hex into a string column is its bytes; a BIT column takes hex and '' */
    const wharf_insert_col bits[] = {WHARF_INSERT_COL_STRING, WHARF_INSERT_COL_BITS};
    t = tsv("INSERT INTO t VALUES (0x41,0x05),('',''),(NULL,NULL)", bits, 2, &rows);
    g_assert_cmpstr(t, ==, "A\t\x05\n\t\n\\N\t\\N\n");
    g_free(t);
}

static void test_refused(void)
{
    const wharf_insert_col n1[] = {WHARF_INSERT_COL_NUMBER};
    const wharf_insert_col s1[] = {WHARF_INSERT_COL_STRING};
    const wharf_insert_col b1[] = {WHARF_INSERT_COL_BITS};
    const wharf_insert_col x1[] = {WHARF_INSERT_COL_NONE};
    gint64 rows;
    const struct {
        const char *stmt;
        const wharf_insert_col *cols;
    } no[] = {
        {"INSERT INTO t VALUES (0x41)", n1},          /* hex is a number there */
        {"INSERT INTO t VALUES (5)", s1},             /* 1e3 would become '1000' */
        {"INSERT INTO t VALUES (5)", b1},
        {"INSERT INTO t VALUES ('5')", b1},
        {"INSERT INTO t VALUES ('x')", x1},           /* INET6, UUID, MySQL JSON */
        {"INSERT INTO t VALUES (NOW())", s1},
        {"INSERT INTO t VALUES (CONVERT('a' USING utf8mb4))", s1},
        {"INSERT INTO t VALUES (_binary'a')", s1},
        {"INSERT INTO t VALUES (b'101')", b1},
        {"INSERT INTO t VALUES (X'41')", s1},
        {"INSERT INTO t VALUES ('a' 'b')", s1},       /* adjacent literals concatenate */
        {"INSERT INTO t VALUES (1,2)", n1},
        {"INSERT INTO t VALUES ()", n1},
        {"INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a=1", n1},
        {"INSERT INTO t VALUES (1),", n1},
        {"INSERT INTO t VALUES ('unterminated)", s1},
        {"INSERT INTO t VALUES (1.2.3)", n1},
        {"INSERT INTO t VALUES (-)", n1},
        {"INSERT INTO t VALUES (1e)", n1},
        {"INSERT INTO t VALUES (DEFAULT)", n1},
        {"INSERT INTO t VALUES (0xZZ)", s1},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(no); i++) {
        char *t = tsv(no[i].stmt, no[i].cols, 1, &rows);
        if (t)
            g_error("accepted: %s -> %s", no[i].stmt, t);
    }
}

/* Every byte value, as format/value writes it (string and hex), comes back
 * as the same bytes through LOAD DATA's TSV decoding. */
static void test_every_byte(void)
{
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    const wharf_value_kind kinds[] = {WHARF_VALUE_STRING, WHARF_VALUE_BINARY};
    const wharf_insert_col cols[] = {WHARF_INSERT_COL_STRING, WHARF_INSERT_COL_BYTES};
    for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
        GString *stmt = g_string_new("INSERT INTO t VALUES (");
        wharf_value_sql(stmt, kinds[k], all, sizeof all);
        g_string_append(stmt, ")");
        gint64 rows;
        char *t = tsv(stmt->str, &cols[k], 1, &rows);
        g_assert_nonnull(t);
        size_t tl = strlen(t); /* no NUL survives unescaped */
        g_assert_cmpint(t[tl - 1], ==, '\n');
        GString *back = g_string_new(NULL);
        gboolean is_null;
        g_assert_true(wharf_value_tsv_unescape(t, tl - 1, back, &is_null, NULL));
        g_assert_false(is_null);
        g_assert_cmpuint(back->len, ==, sizeof all);
        g_assert_cmpint(memcmp(back->str, all, sizeof all), ==, 0);
        g_string_free(back, TRUE);
        g_string_free(stmt, TRUE);
        g_free(t);
    }
}

static void test_classes(void)
{
    g_assert_cmpint(wharf_insert_col_of_type_name("INT"), ==, WHARF_INSERT_COL_NUMBER);
    g_assert_cmpint(wharf_insert_col_of_type_name("decimal"), ==, WHARF_INSERT_COL_NUMBER);
    g_assert_cmpint(wharf_insert_col_of_type_name("varchar"), ==, WHARF_INSERT_COL_STRING);
    g_assert_cmpint(wharf_insert_col_of_type_name("datetime"), ==, WHARF_INSERT_COL_STRING);
    g_assert_cmpint(wharf_insert_col_of_type_name("enum"), ==, WHARF_INSERT_COL_STRING);
    g_assert_cmpint(wharf_insert_col_of_type_name("mediumblob"), ==, WHARF_INSERT_COL_BYTES);
    g_assert_cmpint(wharf_insert_col_of_type_name("point"), ==, WHARF_INSERT_COL_BYTES);
    g_assert_cmpint(wharf_insert_col_of_type_name("bit"), ==, WHARF_INSERT_COL_BITS);
    g_assert_cmpint(wharf_insert_col_of_type_name("inet6"), ==, WHARF_INSERT_COL_NONE);
    g_assert_cmpint(wharf_insert_col_of_type_name("uuid"), ==, WHARF_INSERT_COL_NONE);
    g_assert_cmpint(wharf_insert_col_of_type_name("json"), ==, WHARF_INSERT_COL_NONE);
    g_assert_cmpint(wharf_insert_col_of_type_name("vector"), ==, WHARF_INSERT_COL_NONE);
    g_assert_cmpint(wharf_insert_col_of_type_name(NULL), ==, WHARF_INSERT_COL_NONE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/insert/head", test_head);
    g_test_add_func("/insert/values", test_values);
    g_test_add_func("/insert/refused", test_refused);
    g_test_add_func("/insert/every-byte", test_every_byte);
    g_test_add_func("/insert/classes", test_classes);
    return g_test_run();
}
