/* Unit tests of src/core/optfile and of option files in wharf_cli_parse:
 * the mysql option file syntax, groups, includes, names, flags, errors
 * naming file:line, and the command line winning. Linked to the real
 * modules. */
#include "core/cli.h"
#include "core/error.h"
#include "core/optfile.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmp; /* a private directory, also $HOME */

static char *put(const char *name, const char *text)
{
    char *path = g_build_filename(tmp, name, NULL);
    char *dir = g_path_get_dirname(path);
    g_mkdir_with_parents(dir, 0700);
    g_free(dir);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static const char *const dump_groups[] = {"wharf", "wharf-dump", NULL};

static const wharf_optfile_item *item(GPtrArray *items, guint i)
{
    g_assert_cmpuint(i, <, items->len);
    return items->pdata[i];
}

static void test_syntax(void)
{
    char *inc = put("inc.cnf", "[wharf-dump]\nrows = 100\n");
    g_free(put("conf.d/b.cnf", "[wharf]\nquiet\n"));
    g_free(put("conf.d/a.cnf", "[wharf]\nverbose\n"));
    g_free(put("conf.d/c.txt", "[wharf]\nnot read\n"));
    char *conf_d = g_build_filename(tmp, "conf.d", NULL);
    char *text = g_strdup_printf("# a comment\n"
                                 "; another\n"
                                 "[client]\n"
                                 "user = someone\n"
                                 "   [ WHARF ]  \n"
                                 "threads = 8   # trailing comment\n"
                                 "compress=\"zstd\"\n"
                                 "where = 'db.t:a = \"x#y\"'\n"
                                 "log_file = /tmp/a\\sb\\q\r\n"
                                 "skip-binlog\n"
                                 "!include %s\n"
                                 "!includedir %s\n"
                                 "!include /nonexistent/wharf.cnf\n"
                                 "[wharf-dump]\n"
                                 "no_data\n"
                                 "[wharf-load]\n"
                                 "fail-fast\n"
                                 "[mysqld]\n"
                                 "anything at all = 1\n",
                                 inc, conf_d);
    char *main = put("main.cnf", text);
    GPtrArray *items = wharf_optfile_items_new();
    GError *err = NULL;
    g_assert_true(wharf_optfile_read(main, dump_groups, TRUE, items, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(items->len, ==, 9);
    g_assert_cmpstr(item(items, 0)->name, ==, "threads");
    g_assert_cmpstr(item(items, 0)->value, ==, "8");
    g_assert_cmpint(item(items, 0)->line, ==, 6);
    g_assert_cmpstr(item(items, 0)->file, ==, main);
    g_assert_cmpstr(item(items, 0)->group, ==, "WHARF");
    g_assert_cmpstr(item(items, 1)->value, ==, "zstd");
    g_assert_cmpstr(item(items, 2)->value, ==, "db.t:a = \"x#y\"");
    g_assert_cmpstr(item(items, 3)->name, ==, "log_file");
    g_assert_cmpstr(item(items, 3)->value, ==, "/tmp/a b\\q");
    g_assert_cmpstr(item(items, 4)->name, ==, "skip-binlog");
    g_assert_null(item(items, 4)->value);
    g_assert_cmpstr(item(items, 5)->name, ==, "rows");
    g_assert_cmpstr(item(items, 5)->file, ==, inc);
    g_assert_cmpint(item(items, 5)->line, ==, 2);
    g_assert_cmpstr(item(items, 6)->name, ==, "verbose"); /* a.cnf before b.cnf */
    g_assert_cmpstr(item(items, 7)->name, ==, "quiet");
    g_assert_cmpstr(item(items, 8)->name, ==, "no_data");
    g_ptr_array_free(items, TRUE);
    g_free(text);
    g_free(main);
    g_free(conf_d);
    g_free(inc);
}

static void expect_read_error(const char *text, const char *needle)
{
    char *path = put("bad.cnf", text);
    GPtrArray *items = wharf_optfile_items_new();
    GError *err = NULL;
    g_assert_false(wharf_optfile_read(path, dump_groups, TRUE, items, &err));
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_USAGE);
    g_assert_nonnull(strstr(err->message, path));
    g_assert_nonnull(strstr(err->message, needle));
    g_clear_error(&err);
    g_ptr_array_free(items, TRUE);
    g_free(path);
}

static void test_read_errors(void)
{
    expect_read_error("threads = 2\n", ":1: option without a preceding [group]");
    expect_read_error("[client]\nuser=x\n[wharf\nthreads=2\n", ":3: wrong group definition");
    char *self = g_build_filename(tmp, "self.cnf", NULL);
    char *loop = g_strdup_printf("[wharf]\n!include %s\n", self);
    char *p = put("self.cnf", loop);
    GPtrArray *items = wharf_optfile_items_new();
    GError *err = NULL;
    g_assert_false(wharf_optfile_read(p, dump_groups, TRUE, items, &err));
    g_assert_nonnull(strstr(err->message, "nested"));
    g_clear_error(&err);
    /* a missing file: an error only when required */
    g_assert_true(wharf_optfile_read("/nonexistent/x.cnf", dump_groups, FALSE, items, &err));
    g_assert_false(wharf_optfile_read("/nonexistent/x.cnf", dump_groups, TRUE, items, &err));
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_USAGE);
    g_assert_nonnull(strstr(err->message, "/nonexistent/x.cnf"));
    g_clear_error(&err);
    g_ptr_array_free(items, TRUE);
    g_free(p);
    g_free(loop);
    g_free(self);
}

static int dummy_int;
static gboolean dummy_flag;
static char *dummy_str;
static char **dummy_arr;

static const GOptionEntry test_entries[] = {
    {"threads", 't', 0, G_OPTION_ARG_INT, &dummy_int, "", "N"},
    {"compress", 0, 0, G_OPTION_ARG_STRING, &dummy_str, "", "ALG"},
    {"where", 0, 0, G_OPTION_ARG_STRING_ARRAY, &dummy_arr, "", "W"},
    {"log-file", 0, 0, G_OPTION_ARG_FILENAME, &dummy_str, "", "F"},
    {"skip-binlog", 0, 0, G_OPTION_ARG_NONE, &dummy_flag, "", NULL},
    {"no-data", 0, 0, G_OPTION_ARG_NONE, &dummy_flag, "", NULL},
    {"help", 0, 0, G_OPTION_ARG_NONE, &dummy_flag, "", NULL},
    {NULL}};

/* Read text as a [wharf] file and convert it; returns the joined
 * arguments, or NULL with *err set. */
static char *convert(const char *text, GPtrArray *notes, GError **err)
{
    char *path = put("conv.cnf", text);
    GPtrArray *items = wharf_optfile_items_new();
    GHashTable *kinds = wharf_optfile_kinds_new();
    wharf_optfile_kinds_add(kinds, test_entries);
    GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *where = g_ptr_array_new_with_free_func(g_free);
    char *joined = NULL;
    if (wharf_optfile_read(path, dump_groups, TRUE, items, err) &&
        wharf_optfile_to_args(items, kinds, args, where, notes, err)) {
        g_assert_cmpuint(args->len, ==, where->len);
        g_ptr_array_add(args, NULL);
        joined = g_strjoinv(" ", (char **)args->pdata);
    }
    g_ptr_array_free(where, TRUE);
    g_ptr_array_free(args, TRUE);
    g_hash_table_destroy(kinds);
    g_ptr_array_free(items, TRUE);
    g_free(path);
    return joined;
}

static void expect_convert_error(const char *text, const char *needle)
{
    GPtrArray *notes = g_ptr_array_new_with_free_func(g_free);
    GError *err = NULL;
    char *got = convert(text, notes, &err);
    g_assert_null(got);
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_USAGE);
    g_assert_nonnull(strstr(err->message, "conv.cnf:"));
    g_assert_nonnull(strstr(err->message, needle));
    g_clear_error(&err);
    g_ptr_array_free(notes, TRUE);
}

static void test_to_args(void)
{
    GPtrArray *notes = g_ptr_array_new_with_free_func(g_free);
    GError *err = NULL;
    char *got = convert("[wharf]\nthreads=8\nlog_file = /x y\nskip_binlog\nwhere=a.b:1\nwhere=a.c:2\n"
                        "no-data = ON\nno-data = off\nskip-binlog = 1\ncompress = \"\"\n"
                        "protocol = tcp\nloose-frobnicate = 3\nloose-threads = 9\n",
                        notes, &err);
    g_assert_no_error(err);
    /* no-data = off cancels the no-data before it; protocol is left to
     * Connector/C in [wharf]; loose-frobnicate is a note */
    g_assert_cmpstr(got, ==,
                    "--threads=8 --log-file=/x y --skip-binlog --where=a.b:1 --where=a.c:2 --skip-binlog --compress= "
                    "--threads=9");
    g_assert_cmpuint(notes->len, ==, 1);
    g_assert_nonnull(strstr(notes->pdata[0], "conv.cnf:12: unknown option 'loose-frobnicate'"));
    g_free(got);
    g_ptr_array_free(notes, TRUE);

    expect_convert_error("[wharf]\nthreads=2\nthreadz=3\n", ":3: unknown option 'threadz' in [wharf]");
    expect_convert_error("[wharf]\n\nthreads\n", ":3: option 'threads' needs a value");
    expect_convert_error("[wharf]\nskip-binlog=maybe\n", ":2: option 'skip-binlog' is a flag");
    expect_convert_error("[wharf-dump]\nprotocol=tcp\n", ":2: 'protocol' is a Connector/C connection option");
    expect_convert_error("[wharf]\ndefaults_file=/x\n",
                         ":2: option 'defaults_file' is only accepted on the command line");
    expect_convert_error("[wharf]\nhelp\n", ":2: option 'help' is only accepted");
}

/* wharf_cli_parse with option files: a context like a subcommand's. */
typedef struct parsed {
    wharf_cli_common c;
    gboolean skip_binlog;
    char **exclude;
} parsed;

static gboolean parse(parsed *p, const char *const *args, GError **err)
{
    memset(p, 0, sizeof *p);
    GOptionEntry entries[] = {
        {"skip-binlog", 0, 0, G_OPTION_ARG_NONE, &p->skip_binlog, "", NULL},
        {"exclude", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &p->exclude, "", "LIST"},
        {NULL}};
    GOptionContext *ctx = g_option_context_new(NULL);
    wharf_cli_add_common(ctx, &p->c);
    wharf_cli_add_entries(ctx, &p->c, entries);
    char **argv = g_strdupv((char **)args);
    char **rest = NULL;
    gboolean ok = wharf_cli_parse(ctx, &p->c, (int)g_strv_length(argv), argv, &rest, err);
    g_assert_null(p->c.kinds); /* freed by the parse */
    g_strfreev(rest);
    g_strfreev(argv);
    g_option_context_free(ctx);
    return ok;
}

static void parsed_clear(parsed *p)
{
    wharf_conn_opts_clear(&p->c.conn);
    g_ptr_array_free(p->c.notes, TRUE);
    g_strfreev(p->exclude);
}

static void test_cli_files(void)
{
    char *f = put("wharf.cnf", "[client]\nuser = clientuser\n[wharf]\nthreads = 3\nuser = fileuser\n"
                               "password = \"se cret\"\nexclude = a\n[wharf-load]\nthreads = 4\n"
                               "[wharf-dump]\nskip_binlog\n");
    char *df = g_strconcat("--defaults-file=", f, NULL);
    parsed p;
    GError *err = NULL;
    /* the file alone */
    const char *a1[] = {"dump", "-S", "/tmp/s", df, NULL};
    g_assert_true(parse(&p, a1, &err));
    g_assert_no_error(err);
    g_assert_cmpint(p.c.threads, ==, 3); /* [wharf-load] is not dump's */
    g_assert_cmpstr(p.c.conn.user, ==, "fileuser");
    g_assert_cmpstr(p.c.conn.password, ==, "se cret");
    g_assert_cmpstr(p.c.conn.defaults_file, ==, f);
    g_assert_true(p.skip_binlog);
    g_assert_cmpstr(p.exclude[0], ==, "a");
    parsed_clear(&p);
    /* the command line wins, adds to arrays, turns a flag off */
    const char *a2[] = {"dump", "--defaults-file", f, "-t5", "--exclude", "b", "--skip-binlog=0", "-uroot", NULL};
    g_assert_true(parse(&p, a2, &err));
    g_assert_no_error(err);
    g_assert_cmpint(p.c.threads, ==, 5);
    g_assert_cmpstr(p.c.conn.user, ==, "root");
    g_assert_false(p.skip_binlog);
    g_assert_cmpuint(g_strv_length(p.exclude), ==, 2);
    g_assert_cmpstr(p.exclude[1], ==, "b");
    parsed_clear(&p);
    /* the subcommand's own group: load reads [wharf-load] after [wharf] */
    const char *a3[] = {"load", df, NULL};
    g_assert_true(parse(&p, a3, &err));
    g_assert_cmpint(p.c.threads, ==, 4);
    g_assert_false(p.skip_binlog);
    parsed_clear(&p);
    g_free(df);
    g_free(f);
}

static void test_cli_sources(void)
{
    /* ~/.my.cnf ($HOME is tmp) is read, unless --no-defaults */
    g_free(put(".my.cnf", "[wharf]\nthreads = 7\n"));
    parsed p;
    GError *err = NULL;
    const char *a1[] = {"dump", NULL};
    g_assert_true(parse(&p, a1, &err));
    g_assert_cmpint(p.c.threads, ==, 7);
    parsed_clear(&p);
    const char *a2[] = {"dump", "-v", "--no-defaults", NULL};
    g_assert_true(parse(&p, a2, &err));
    g_assert_cmpint(p.c.threads, ==, -1);
    parsed_clear(&p);
    const char *a2b[] = {"dump", "--no_defaults=1", NULL};
    g_assert_true(parse(&p, a2b, &err));
    g_assert_cmpint(p.c.threads, ==, -1);
    g_assert_true(p.c.conn.no_defaults);
    parsed_clear(&p);
    /* a value that looks like --no-defaults is a value */
    const char *a2c[] = {"dump", "--log-file", "--no-defaults", NULL};
    g_assert_true(parse(&p, a2c, &err));
    g_assert_cmpint(p.c.threads, ==, 7);
    g_assert_cmpstr(p.c.log_file, ==, "--no-defaults");
    g_free(p.c.log_file);
    parsed_clear(&p);
    /* --defaults-extra-file is read before ~/.my.cnf */
    char *x = put("extra.cnf", "[wharf]\nthreads = 6\nquiet\n");
    char *xa = g_strconcat("--defaults-extra-file=", x, NULL);
    const char *a3[] = {"dump", xa, NULL};
    g_assert_true(parse(&p, a3, &err));
    g_assert_cmpint(p.c.threads, ==, 7);
    g_assert_true(p.c.quiet);
    parsed_clear(&p);
    /* a GLib error on a file's value names the file and line */
    char *bad = put("bad-threads.cnf", "[wharf]\n\nthreads = abc\n");
    char *ba = g_strconcat("--defaults-file=", bad, NULL);
    const char *a4[] = {"dump", ba, NULL};
    g_assert_false(parse(&p, a4, &err));
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_USAGE);
    g_assert_true(g_str_has_prefix(err->message, bad));
    g_assert_nonnull(strstr(err->message, "bad-threads.cnf:3: "));
    g_clear_error(&err);
    parsed_clear(&p);
    /* a missing --defaults-file is an error */
    const char *a5[] = {"dump", "--defaults-file=/nonexistent/wharf.cnf", NULL};
    g_assert_false(parse(&p, a5, &err));
    g_assert_nonnull(strstr(err->message, "/nonexistent/wharf.cnf"));
    g_clear_error(&err);
    parsed_clear(&p);
    g_free(ba);
    g_free(bad);
    g_free(xa);
    g_free(x);
}

static void remove_tree(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    const char *n;
    while (d && (n = g_dir_read_name(d)) != NULL) {
        char *p = g_build_filename(path, n, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR))
            remove_tree(p);
        else
            g_unlink(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(path);
}

int main(int argc, char **argv)
{
    tmp = g_dir_make_tmp("wharf-optfile-XXXXXX", NULL);
    g_assert_nonnull(tmp);
    g_setenv("HOME", tmp, TRUE); /* before GLib caches the home directory */
    g_unsetenv("MYSQL_HOME");
    g_unsetenv("MARIADB_HOME");
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/optfile/syntax", test_syntax);
    g_test_add_func("/optfile/read-errors", test_read_errors);
    g_test_add_func("/optfile/to-args", test_to_args);
    g_test_add_func("/optfile/cli/files", test_cli_files);
    g_test_add_func("/optfile/cli/sources", test_cli_sources);
    int rc = g_test_run();
    remove_tree(tmp);
    g_free(tmp);
    return rc;
}
