/* copy: `wharf copy` (contract in copy.h). */
#include "copy/copy.h"

#include "copy/memdir.h"
#include "core/cli.h"
#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"
#include "dump/dump.h"
#include "load/load.h"

#include <stdio.h>
#include <string.h>

#define PIPE_BYTES (4u << 20) /* per chunk being copied */
#define SOURCE_NAME "source"  /* the memory dump's name in messages */

/* The target's options (side B, the load's parser); both sides'; the
 * rest is the source's (side A, the dump's parser). */
static const wharf_cli_route copy_routes[] = {
    {"--to-host", "--host", TRUE, WHARF_SIDE_B},
    {"--to-port", "--port", TRUE, WHARF_SIDE_B},
    {"--to-user", "--user", TRUE, WHARF_SIDE_B},
    {"--to-password", "--password", TRUE, WHARF_SIDE_B},
    {"--to-socket", "--socket", TRUE, WHARF_SIDE_B},
    {"--to-defaults-file", "--defaults-file", TRUE, WHARF_SIDE_B},
    {"--into", "--into", TRUE, WHARF_SIDE_B},
    {"--if-exists", "--if-exists", TRUE, WHARF_SIDE_B},
    {"--skip-binlog", "--skip-binlog", FALSE, WHARF_SIDE_B},
    {"--defer-indexes", "--defer-indexes", TRUE, WHARF_SIDE_B},
    {"--load-data", "--load-data", TRUE, WHARF_SIDE_B},
    {"--fail-fast", "--fail-fast", FALSE, WHARF_SIDE_B},
    {"--definer", "--definer", TRUE, WHARF_SIDE_B},
    {"--replica-setup", "--replica-setup", TRUE, WHARF_SIDE_B},
    {"--replica-of", "--replica-of", TRUE, WHARF_SIDE_B},
    {"--source-host", "--source-host", TRUE, WHARF_SIDE_B},
    {"--source-port", "--source-port", TRUE, WHARF_SIDE_B},
    {"--source-user", "--source-user", TRUE, WHARF_SIDE_B},
    {"--source-password", "--source-password", TRUE, WHARF_SIDE_B},
    {"--summary-json", "--summary-json", TRUE, WHARF_SIDE_B},
    {"--no-defaults", "--no-defaults", FALSE, WHARF_SIDE_BOTH},
    {"--threads", "--threads", TRUE, WHARF_SIDE_BOTH},
    {"-t", "--threads", TRUE, WHARF_SIDE_BOTH},
    {"--verbose", "--verbose", FALSE, WHARF_SIDE_BOTH},
    {"-v", "-v", FALSE, WHARF_SIDE_BOTH},
    {"--quiet", "--quiet", FALSE, WHARF_SIDE_BOTH},
    {"-q", "-q", FALSE, WHARF_SIDE_BOTH},
    {"--progress", "--progress", TRUE, WHARF_SIDE_BOTH},
    {"--progress-interval", "--progress-interval", TRUE, WHARF_SIDE_BOTH},
};

/* Split argv into the source's (the dump's parser) and the target's (the
 * load's parser, with -d naming the memory dump). */
static gboolean split_args(int argc, char **argv, GPtrArray *src, GPtrArray *dst, GError **err)
{
    GPtrArray *b = g_ptr_array_new_with_free_func(g_free);
    gboolean ok = wharf_cli_split(argc, argv, copy_routes, G_N_ELEMENTS(copy_routes), WHARF_SIDE_A, src, b, err);
    if (ok) {
        g_ptr_array_add(dst, g_strdup(b->pdata[0]));
        g_ptr_array_add(dst, g_strdup("-d"));
        g_ptr_array_add(dst, g_strdup(SOURCE_NAME));
        for (guint i = 1; i < b->len; i++)
            g_ptr_array_add(dst, g_strdup(b->pdata[i]));
    }
    g_ptr_array_unref(b);
    return ok;
}

typedef struct copy_run {
    wharf_load_opts *lo;
    wharf_console *console;
    wharf_memdir *md;
} copy_run;

static void cancel_pipes(void *data)
{
    wharf_memdir_cancel(((copy_run *)data)->md, "the copy is stopping");
}

/* The source's schema and metadata are in memory: load them, the chunks
 * read as the load asks. */
static int copy_ready(void *data, wharf_run *run)
{
    copy_run *cr = data;
    wharf_run_on_stop(run, cancel_pipes, cr);
    wharf_dumpdir dd = wharf_memdir_dumpdir(cr->md);
    int rc = wharf_load_run_source(cr->lo, cr->console, &dd, run);
    wharf_run_off_stop(run, cancel_pipes, cr);
    return rc;
}

/* "host:port:datadir" of a server: the same on both sides = one server. */
static char *server_identity(const wharf_conn_opts *co, GError **err)
{
    MYSQL *m = wharf_conn_open(co, err);
    if (m == NULL)
        return NULL;
    char *id = wharf_conn_query_value(m, "SELECT CONCAT_WS(':', @@hostname, @@port, @@datadir)", err);
    wharf_conn_close(m);
    return id;
}

/* One server on both sides: refuse a copy onto itself; no DDL lock. */
static gboolean check_same_server(const wharf_cli_common *sc, const wharf_load_opts *lo, gboolean *same,
                                  GError **err)
{
    char *a = server_identity(&sc->conn, err);
    char *b = a ? server_identity(&lo->common.conn, err) : NULL;
    gboolean ok = a && b;
    *same = ok && strcmp(a, b) == 0;
    if (*same && lo->into == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                    "the source and the target are the same server (%s): a copy there needs --into, "
                    "another database name", a);
        ok = FALSE;
    }
    g_free(a);
    g_free(b);
    return ok;
}

static int parse_both(int argc, char **argv, wharf_dump_opts **so, wharf_load_opts *lo, gboolean no_ddl_lock)
{
    GPtrArray *src = g_ptr_array_new_with_free_func(g_free), *dst = g_ptr_array_new_with_free_func(g_free);
    GError *err = NULL;
    int rc = -1;
    if (!split_args(argc, argv, src, dst, &err)) {
        fprintf(stderr, "wharf copy: %s\n", err->message);
        g_error_free(err);
        rc = WHARF_EXIT_USAGE;
    }
    if (rc < 0 && no_ddl_lock) {
        g_ptr_array_insert(src, (gint)src->len - 1, g_strdup("--no-ddl-lock"));
    }
    if (rc < 0) {
        *so = wharf_dump_opts_parse_copy((int)src->len - 1, (char **)src->pdata, &rc);
        if (*so && (rc = wharf_load_opts_parse(WHARF_LOAD_CMD_LOAD, (int)dst->len - 1, (char **)dst->pdata, lo)) >= 0) {
            wharf_dump_opts_free(*so);
            *so = NULL;
        }
    }
    g_ptr_array_unref(src);
    g_ptr_array_unref(dst);
    return rc;
}

static void copy_usage(void)
{
    fputs("Usage:\n  wharf copy [SOURCE OPTION...] --to-host HOST [TARGET OPTION...]\n\n"
          "Copy databases from one server to another (or, with --into, to another name on the\n"
          "same server) from one consistent snapshot, with no file in between.\n\n"
          "Source options: those of wharf dump, except -o (see wharf dump --help).\n"
          "Target options:\n"
          "  --to-host, --to-port, --to-user, --to-password, --to-socket, --to-defaults-file\n"
          "                     how to reach the target (as -h -P -u -p -S --defaults-file)\n"
          "  --into DB          the (one) source database gets this name\n"
          "  --if-exists MODE   fail (default), drop, truncate, append\n"
          "  --skip-binlog, --defer-indexes WHEN, --load-data WHEN, --fail-fast, --definer WHAT,\n"
          "  --summary-json FILE  as for wharf load\n"
          "  -t, -v, -q, --progress, --progress-interval serve both sides.\n",
          stdout);
}

int wharf_copy_main(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-?") == 0)) {
        copy_usage();
        return WHARF_EXIT_OK;
    }
    /* The options are parsed from a private copy (twice on one server):
     * passwords leave the process's own argv at once. */
    char **args = g_new0(char *, argc + 1);
    for (int i = 0; i < argc; i++)
        args[i] = g_strdup(argv[i]);
    wharf_cli_scrub_argv(argc, argv);
    wharf_dump_opts *so = NULL;
    wharf_load_opts lo;
    int rc = parse_both(argc, args, &so, &lo, FALSE);
    if (rc >= 0) {
        g_strfreev(args);
        return rc;
    }
    wharf_console console;
    GError *err = NULL;
    if (!wharf_cli_console_setup(&console, wharf_dump_opts_common(so), &err)) {
        fprintf(stderr, "wharf copy: %s\n", err->message);
        g_error_free(err);
        wharf_dump_opts_free(so);
        wharf_load_opts_clear(&lo);
        g_strfreev(args);
        return WHARF_EXIT_USAGE;
    }
    gboolean same = FALSE;
    if (!check_same_server(wharf_dump_opts_common(so), &lo, &same, &err)) {
        WLOG_ERR("%s", err->message);
        rc = err->code == WHARF_ERROR_USAGE ? WHARF_EXIT_USAGE : WHARF_EXIT_FAILED;
        g_error_free(err);
        goto out;
    }
    if (same) {
        WLOG_INFO("source and target are one server: the copy takes no DDL lock (the load's DDL would wait for it)");
        wharf_dump_opts_free(so);
        wharf_load_opts_clear(&lo);
        if ((rc = parse_both(argc, args, &so, &lo, TRUE)) >= 0)
            goto out;
    }
    copy_run cr = {&lo, &console, NULL};
    cr.md = wharf_memdir_new(SOURCE_NAME, PIPE_BYTES, copy_ready, &cr);
    wharf_dump_source_hooks hooks = wharf_memdir_hooks(cr.md);
    rc = wharf_dump_run_source(so, &console, &hooks);
    wharf_memdir_free(cr.md);
    if (rc == WHARF_EXIT_OK)
        WLOG_INFO("copy complete");
out:
    wharf_console_teardown(&console);
    wharf_dump_opts_free(so);
    wharf_load_opts_clear(&lo);
    for (int i = 0; i < argc; i++) /* the private copy held passwords too */
        if (args[i])
            memset(args[i], 'x', strlen(args[i]));
    g_strfreev(args);
    return rc;
}
