/* Unit tests for src/load/journal.c: entries survive a reopen, and a key
 * holding a line break or '%' can neither break its line nor forge another
 * entry. */
#include "load/journal.h"

#include <glib/gstdio.h>
#include <string.h>

static void test_roundtrip_and_forgery(void)
{
    char *dir = g_dir_make_tmp("wharf-test-journal-XXXXXX", NULL);
    char *path = g_build_filename(dir, "journal", NULL);
    GError *err = NULL;
    wharf_journal *j = wharf_journal_open(path, dir, &err);
    g_assert_no_error(err);
    /* a table named "z\n4 `cx`.`b` 1 0": its chunk must not mark chunk 1 of cx.b */
    const char *evil = "4 `cx`.`z\n4 `cx`.`b` 1 0` 0 0";
    g_assert_true(wharf_journal_add(j, evil, TRUE, &err));
    g_assert_true(wharf_journal_add(j, "3 `a.b`.`c`", FALSE, &err));
    g_assert_true(wharf_journal_add(j, "3 `100%`.`t`", TRUE, &err));
    g_assert_no_error(err);
    wharf_journal_close(j);

    j = wharf_journal_open(path, dir, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(wharf_journal_count(j), ==, 3);
    g_assert_true(wharf_journal_done(j, evil));
    g_assert_false(wharf_journal_done(j, "4 `cx`.`b` 1 0"));
    g_assert_true(wharf_journal_done(j, "3 `a.b`.`c`"));
    g_assert_false(wharf_journal_done(j, "3 `a`.`b.c`"));
    g_assert_true(wharf_journal_done(j, "3 `100%`.`t`"));
    wharf_journal_close(j);

    char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpint(g_strv_length(g_strsplit(text, "\n", -1)), ==, 5); /* header, 3 entries, "" */
    g_free(text);
    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/journal/roundtrip-and-forgery", test_roundtrip_and_forgery);
    return g_test_run();
}
