/* Unit tests of src/core: error classification, identifier/string quoting,
 * CLI helpers, console formatting. Linked to the real modules. */
#include "core/cli.h"
#include "core/filter.h"
#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"

#include <string.h>

static void test_transient_classification(void)
{
    static const int transient[] = {1205, 1213, 2006, 2013, 1927, 2002, 1047};
    static const int permanent[] = {1064, 1062, 1045, 1146, 1142, 1180};
    for (size_t i = 0; i < G_N_ELEMENTS(transient); i++) {
        GError *e = g_error_new(WHARF_SQL_ERROR, transient[i], "x");
        g_assert_true(wharf_error_is_transient(e));
        g_error_free(e);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(permanent); i++) {
        GError *e = g_error_new(WHARF_SQL_ERROR, permanent[i], "x");
        g_assert_false(wharf_error_is_transient(e));
        g_error_free(e);
    }
    GError *e = g_error_new(WHARF_SQL_ERROR, 1146, "no such table");
    g_assert_true(wharf_error_is_transient_after_ddl(e));
    g_error_free(e);
    /* wharf's own errors are never retried */
    e = g_error_new(WHARF_ERROR, WHARF_ERROR_FORMAT, "corrupt");
    g_assert_false(wharf_error_is_transient(e));
    g_assert_false(wharf_error_is_transient_after_ddl(e));
    wharf_error_prefix(&e, "file %s", "a.sql");
    g_assert_cmpstr(e->message, ==, "file a.sql: corrupt");
    g_error_free(e);
}

/* -h NODE,NODE: the list, each node's own port, failover over nodes that
 * cannot be reached (nothing listens on ports 1 and 2 of the loopback). */
static void test_node_list(void)
{
    wharf_conn_opts o = {0};
    g_assert_cmpuint(wharf_conn_nodes(&o), ==, 1);
    o.host = "db1";
    g_assert_cmpuint(wharf_conn_nodes(&o), ==, 1);
    o.host = "127.0.0.1:1, 127.0.0.1:2,[::1]:3";
    o.no_defaults = TRUE;
    o.connect_timeout = 2;
    g_assert_cmpuint(wharf_conn_nodes(&o), ==, 3);
    char *d = wharf_conn_opts_describe(&o);
    g_assert_cmpstr(d, ==, "nodes 127.0.0.1:1, 127.0.0.1:2,[::1]:3");
    g_free(d);
    GError *e = NULL;
    g_assert_null(wharf_conn_open_node(&o, 1, &e));
    g_assert_nonnull(strstr(e->message, "cannot connect to 127.0.0.1:2 as"));
    g_clear_error(&e);
    g_assert_null(wharf_conn_open_node(&o, 5, &e)); /* 5 mod 3: the IPv6 node, brackets off */
    g_assert_nonnull(strstr(e->message, "cannot connect to ::1:3 as"));
    g_clear_error(&e);
    guint node = 99;
    g_assert_null(wharf_conn_open_from(&o, 1, &node, &e)); /* 2, then 3, then 1: the last one's error */
    g_assert_nonnull(strstr(e->message, "127.0.0.1:1 as"));
    g_assert_cmpuint(node, ==, 99);
    g_clear_error(&e);
}

static void test_quoting(void)
{
    char *q = wharf_quote_ident("we`ird");
    g_assert_cmpstr(q, ==, "`we``ird`");
    g_free(q);
    q = wharf_quote_table("d.b", "t b");
    g_assert_cmpstr(q, ==, "`d.b`.`t b`");
    g_free(q);
    q = wharf_quote_string("it's a\\b\n");
    g_assert_cmpstr(q, ==, "'it\\'s a\\\\b\\n'");
    g_free(q);
}

static void test_split_list(void)
{
    char *raw[] = {" a, b ,,c ", "`x,y`.t", NULL};
    char **v = wharf_filter_split(raw);
    g_assert_cmpuint(g_strv_length(v), ==, 4);
    g_assert_cmpstr(v[0], ==, "a");
    g_assert_cmpstr(v[1], ==, "b");
    g_assert_cmpstr(v[2], ==, "c");
    g_assert_cmpstr(v[3], ==, "`x,y`.t");
    g_strfreev(v);
    g_assert_null(wharf_filter_split(NULL));
}

static gboolean has_ab(void *data, const char *db, const char *name, gboolean where)
{
    (void)data;
    (void)where;
    return strcmp(db, "a") == 0 && (name == NULL || strcmp(name, "b.c") == 0 || strcmp(name, "t") == 0);
}

/* One grammar and one rule for every subcommand's -B/-T/-x/--exclude. */
static void test_filter(void)
{
    char *tables[] = {"a.`b.c`,a.t", NULL}, *exclude[] = {"a.t", "z", NULL};
    wharf_filter f = {0};
    GError *err = NULL;
    g_assert_true(wharf_filter_init(&f, NULL, tables, NULL, exclude, NULL, &err));
    wharf_filter_sets *s = wharf_filter_sets_new(&f);
    g_assert_true(wharf_filter_db_selected(s, "a"));
    g_assert_false(wharf_filter_db_selected(s, "q")); /* -T names only a's tables */
    g_assert_true(wharf_filter_table_selected(s, "a", "b.c"));
    g_assert_false(wharf_filter_table_selected(s, "a", "t")); /* excluded */
    g_assert_false(wharf_filter_table_selected(s, "a", "u"));
    g_assert_nonnull(wharf_filter_only_dbs(s));
    g_assert_true(wharf_filter_check_named(s, has_ab, NULL, "is missing", &err));
    wharf_filter_sets_free(s);
    wharf_filter_clear(&f);

    char *dbs[] = {"a,nosuch", NULL};
    g_assert_true(wharf_filter_init(&f, dbs, NULL, "^a\\.b", NULL, NULL, &err));
    s = wharf_filter_sets_new(&f);
    g_assert_true(wharf_filter_table_selected(s, "a", "b.c"));
    g_assert_false(wharf_filter_table_selected(s, "a", "t")); /* -x */
    g_assert_false(wharf_filter_check_named(s, has_ab, NULL, "is missing", &err));
    g_assert_cmpstr(err->message, ==, "database `nosuch` (named in -B) is missing");
    g_clear_error(&err);
    wharf_filter_sets_free(s);
    wharf_filter_clear(&f);

    char *bad[] = {"nodot", NULL};
    g_assert_false(wharf_filter_init(&f, NULL, bad, NULL, NULL, NULL, &err));
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_USAGE);
    g_clear_error(&err);
    wharf_filter_clear(&f);
}

static void test_scrub_argv(void)
{
    char a0[] = "wharf", a1[] = "-psecret", a2[] = "--password=hunter2", a3[] = "-p", a4[] = "db";
    char *argv[] = {a0, a1, a2, a3, a4, NULL};
    wharf_cli_scrub_argv(5, argv);
    g_assert_null(strstr(argv[1], "secret"));
    g_assert_null(strstr(argv[2], "hunter2"));
    g_assert_cmpstr(argv[3], ==, "-p");
    /* wharf takes no positional word after -p: it is the password */
    g_assert_null(strstr(argv[4], "db"));
    char b0[] = "wharf", b1[] = "--password", b2[] = "s3cret", b3[] = "-p", b4[] = "-v";
    char *bv[] = {b0, b1, b2, b3, b4, NULL};
    wharf_cli_scrub_argv(5, bv);
    g_assert_null(strstr(bv[2], "s3cret"));
    g_assert_cmpstr(bv[4], ==, "-v");
}

static void test_parse_password_forms(void)
{
    wharf_cli_common c = {0};
    GOptionContext *ctx = g_option_context_new(NULL);
    wharf_cli_add_common(ctx, &c);
    char a0[] = "dump", a1[] = "-pabc", a2[] = "-uroot", a3[] = "-p", a4[] = "-P3307", a5[] = "--password=abc";
    char *argv[] = {a0, a1, a2, a3, a4, a5, NULL};
    char **rest = NULL;
    GError *err = NULL;
    gboolean parsed = wharf_cli_parse(ctx, NULL, 6, argv, &rest, &err);
    g_assert_no_error(err);
    g_assert_true(parsed);
    /* the last of -pabc, -p, --password=abc wins */
    g_assert_cmpstr(c.conn.password, ==, "abc");
    g_assert_cmpstr(c.conn.user, ==, "root");
    g_assert_cmpuint(c.conn.port, ==, 3307);
    g_assert_null(strstr(argv[1], "abc")); /* scrubbed in the real argv */
    g_strfreev(rest);
    g_option_context_free(ctx);
    wharf_conn_opts_clear(&c.conn);

    /* bare -p asks for a prompt */
    wharf_cli_common p = {0};
    ctx = g_option_context_new(NULL);
    wharf_cli_add_common(ctx, &p);
    char p0[] = "dump", p1[] = "-p";
    char *pargv[] = {p0, p1, NULL};
    g_assert_true(wharf_cli_parse(ctx, NULL, 2, pargv, &rest, &err));
    g_assert_true(p.password_prompt);
    g_assert_null(p.conn.password);
    g_strfreev(rest);
    g_option_context_free(ctx);
    wharf_conn_opts_clear(&p.conn);

    wharf_cli_common d = {0};
    ctx = g_option_context_new(NULL);
    wharf_cli_add_common(ctx, &d);
    char b0[] = "dump", b1[] = "-P", b2[] = "notaport";
    char *bargv[] = {b0, b1, b2, NULL};
    g_assert_false(wharf_cli_parse(ctx, NULL, 3, bargv, &rest, &err));
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_USAGE);
    g_assert_nonnull(strstr(err->message, "notaport"));
    g_clear_error(&err);
    g_option_context_free(ctx);
    wharf_conn_opts_clear(&d.conn);
}

static void test_format_helpers(void)
{
    char *s = wharf_format_bytes(512);
    g_assert_cmpstr(s, ==, "512 B");
    g_free(s);
    s = wharf_format_bytes(3 * 1024 * 1024);
    g_assert_cmpstr(s, ==, "3.0 MiB");
    g_free(s);
    s = wharf_format_duration(3725);
    g_assert_cmpstr(s, ==, "1:02:05");
    g_free(s);
    wharf_progress p;
    wharf_progress_init(&p, "load");
    wharf_counter_add(&p.objects_total, 10);
    wharf_counter_add(&p.objects_done, 5);
    s = wharf_progress_render(&p);
    g_assert_nonnull(strstr(s, "tables 5/10"));
    g_free(s);
}

/* The ETA follows the further of bytes and tables done: a dump of many
 * small tables estimates its bytes from pages (far too many). */
static void test_progress_eta(void)
{
    wharf_progress p;
    wharf_progress_init(&p, "dump");
    p.start_us = g_get_monotonic_time() - 10 * G_TIME_SPAN_SECOND;
    p.objects_total = 100;
    p.objects_done = 50;
    p.bytes_total = (gint64)1 << 40; /* 16 KiB a table, and far more */
    p.bytes_done = 1 << 20;
    char *line = wharf_progress_render(&p);
    g_assert_nonnull(strstr(line, "tables 50/100"));
    g_assert_nonnull(strstr(line, "ETA 10.")); /* about 10 s, not hours */
    g_free(line);
    p.objects_done = 0; /* one big table: bytes decide */
    p.bytes_total = 100 << 20;
    p.bytes_done = 25 << 20;
    line = wharf_progress_render(&p);
    g_assert_nonnull(strstr(line, "ETA 30.")); /* about 30 s */
    g_free(line);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/core/console/progress-eta", test_progress_eta);
    g_test_add_func("/core/error/transient", test_transient_classification);
    g_test_add_func("/core/conn/quoting", test_quoting);
    g_test_add_func("/core/conn/node-list", test_node_list);
    g_test_add_func("/core/filter/split", test_split_list);
    g_test_add_func("/core/filter/select", test_filter);
    g_test_add_func("/core/cli/scrub-argv", test_scrub_argv);
    g_test_add_func("/core/cli/parse", test_parse_password_forms);
    g_test_add_func("/core/console/format", test_format_helpers);
    return g_test_run();
}
