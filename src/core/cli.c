#include "core/cli.h"

#include "core/error.h"
#include "core/optfile.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Short options that take a value, in every subcommand. */
#define WHARF_CLI_VALUE_SHORTS "hPuSt" "odBTx" "rFs"

static gboolean on_password(const gchar *name, const gchar *value, gpointer data, GError **error)
{
    wharf_cli_common *c = data;
    g_free(c->conn.password);
    c->conn.password = NULL;
    if (value == NULL || *value == '\0')
        c->password_prompt = TRUE;
    else
        c->conn.password = g_strdup(value);
    return TRUE;
}

static gboolean on_port(const gchar *name, const gchar *value, gpointer data, GError **error)
{
    wharf_cli_common *c = data;
    char *end = NULL;
    long v = strtol(value, &end, 10);
    if (end == value || *end != '\0' || v <= 0 || v > 65535) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "invalid port '%s'", value);
        return FALSE;
    }
    c->conn.port = (unsigned)v;
    return TRUE;
}

GOptionGroup *wharf_cli_conn_group(wharf_cli_common *c)
{
    GOptionEntry entries[] = {
        {"host", 'h', 0, G_OPTION_ARG_FILENAME, &c->conn.host, "Server host (a load's or copy's target: also the nodes of a cluster, HOST[:PORT],HOST[:PORT],...)", "HOST"},
        {"port", 'P', G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (gpointer)on_port, "TCP port", "PORT"},
        {"user", 'u', 0, G_OPTION_ARG_FILENAME, &c->conn.user, "User name", "USER"},
        {"password", 'p', G_OPTION_FLAG_OPTIONAL_ARG | G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (gpointer)on_password,
         "Password (bare -p prompts)", "PASS"},
        {"socket", 'S', 0, G_OPTION_ARG_FILENAME, &c->conn.socket, "Unix socket", "PATH"},
        {"defaults-file", 0, 0, G_OPTION_ARG_FILENAME, &c->conn.defaults_file,
         "Read options from this file only", "FILE"},
        {"defaults-extra-file", 0, 0, G_OPTION_ARG_FILENAME, &c->conn.defaults_extra_file,
         "Read this option file too", "FILE"},
        {"no-defaults", 0, 0, G_OPTION_ARG_NONE, &c->conn.no_defaults, "Read no option files", NULL},
        {"ssl", 0, 0, G_OPTION_ARG_NONE, &c->conn.ssl, "Require TLS", NULL},
        {"ssl-ca", 0, 0, G_OPTION_ARG_FILENAME, &c->conn.ssl_ca, "CA file", "FILE"},
        {"ssl-capath", 0, 0, G_OPTION_ARG_FILENAME, &c->conn.ssl_capath, "CA directory", "DIR"},
        {"ssl-cert", 0, 0, G_OPTION_ARG_FILENAME, &c->conn.ssl_cert, "Client certificate", "FILE"},
        {"ssl-key", 0, 0, G_OPTION_ARG_FILENAME, &c->conn.ssl_key, "Client key", "FILE"},
        {"ssl-cipher", 0, 0, G_OPTION_ARG_FILENAME, &c->conn.ssl_cipher, "TLS ciphers", "LIST"},
        {"ssl-crl", 0, 0, G_OPTION_ARG_FILENAME, &c->conn.ssl_crl, "Certificate revocation list", "FILE"},
        {"ssl-verify-server-cert", 0, 0, G_OPTION_ARG_NONE, &c->conn.ssl_verify_server_cert,
         "Verify the server's certificate", NULL},
        {NULL}};
    GOptionGroup *g = g_option_group_new("connection", "Connection options:",
                                         "Show connection options", c, NULL);
    g_option_group_add_entries(g, entries);
    if (c->kinds)
        wharf_optfile_kinds_add(c->kinds, entries);
    return g;
}

void wharf_cli_add_common(GOptionContext *ctx, wharf_cli_common *c)
{
    GOptionEntry entries[] = {
        {"threads", 't', 0, G_OPTION_ARG_INT, &c->threads, "Worker threads (default: CPUs)", "N"},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &c->verbose, "Log debug messages", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &c->quiet, "Log errors only", NULL},
        {"progress", 0, 0, G_OPTION_ARG_STRING, &c->progress_raw,
         "Progress: auto (tty on a terminal, else log), tty, log (a line every interval), none", "MODE"},
        {"progress-interval", 0, 0, G_OPTION_ARG_INT, &c->progress_interval,
         "Seconds between progress lines in log mode (default 10)", "SEC"},
        {"log-file", 0, 0, G_OPTION_ARG_FILENAME, &c->log_file,
         "Write the log to FILE (appended; errors and warnings also to stderr)", "FILE"},
        {"log-format", 0, 0, G_OPTION_ARG_STRING, &c->log_format_raw,
         "Log records as text (default) or json (one object per line)", "FORMAT"},
        {"max-rate", 0, 0, G_OPTION_ARG_STRING, &c->max_rate_raw,
         "Move at most this many MiB of data per second (rows read by a dump, files read by a load)", "MB/S"},
        {"summary-json", 0, 0, G_OPTION_ARG_FILENAME, &c->summary_json,
         "At the end, write the run's summary to FILE as one JSON document (docs/LOGS.md)", "FILE"},
        {NULL}};
    c->threads = -1; /* not given */
    c->progress_interval = -1;
    if (c->kinds == NULL)
        c->kinds = wharf_optfile_kinds_new();
    if (c->notes == NULL)
        c->notes = g_ptr_array_new_with_free_func(g_free);
    wharf_cli_add_entries(ctx, c, entries);
    g_option_context_add_group(ctx, wharf_cli_conn_group(c));
}

void wharf_cli_add_entries(GOptionContext *ctx, wharf_cli_common *c, const GOptionEntry *entries)
{
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (c->kinds == NULL)
        c->kinds = wharf_optfile_kinds_new();
    wharf_optfile_kinds_add(c->kinds, entries);
}

/* Is argv[i] a bare -p / --password followed by a word that is its value? */
static gboolean pass_word(int argc, char **argv, int i)
{
    const char *a = argv[i];
    return (strcmp(a, "-p") == 0 || strcmp(a, "--password") == 0) && i + 1 < argc &&
           argv[i + 1][0] != '-';
}

static void wipe(char *s)
{
    if (s)
        memset(s, 'x', strlen(s));
}

void wharf_cli_scrub_argv(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        if (strncmp(a, "--password=", 11) == 0)
            wipe(a + 11);
        else if (strncmp(a, "--to-password=", 14) == 0) /* wharf copy's target */
            wipe(a + 14);
        else if (strncmp(a, "--from-password=", 16) == 0) /* wharf verify's source */
            wipe(a + 16);
        else if (strncmp(a, "--source-password=", 18) == 0) /* load --replica-setup */
            wipe(a + 18);
        else if ((strcmp(a, "--to-password") == 0 || strcmp(a, "--from-password") == 0 ||
                  strcmp(a, "--source-password") == 0) && i + 1 < argc)
            wipe(argv[++i]);
        else if (pass_word(argc, argv, i))
            wipe(argv[++i]);
        else if (a[0] == '-' && a[1] == 'p' && a[2] != '\0')
            wipe(a + 2);
    }
}

/* The command line as GLib takes it (argv[0] left out). GLib takes an
 * optional argument only as --password=VALUE; the mysql client's -pVALUE
 * and bare -p are rewritten to that form first. GLib does not accept a
 * value glued to a short option (-uroot), which mysql users type out of
 * habit: those are split into "-u" "root" for the short options that take
 * a value (WHARF_CLI_VALUE_SHORTS). */
static GPtrArray *habits(int argc, char **argv)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    gboolean options_done = FALSE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--") == 0)
            options_done = TRUE;
        if (!options_done && pass_word(argc, argv, i)) {
            /* -p SECRET / --password SECRET: wharf takes no positional
             * arguments, so the word is the password (scrubbed below). */
            g_ptr_array_add(out, g_strconcat("--password=", argv[++i], NULL));
        } else if (!options_done && a[0] == '-' && a[1] == 'p') {
            g_ptr_array_add(out, a[2] ? g_strconcat("--password=", a + 2, NULL) : g_strdup("--password"));
        } else if (!options_done && a[0] == '-' && a[1] != '-' && a[1] != '\0' && a[2] != '\0' &&
                   strchr(WHARF_CLI_VALUE_SHORTS, a[1]) != NULL) {
            g_ptr_array_add(out, g_strndup(a, 2));
            g_ptr_array_add(out, g_strdup(a + 2));
        } else {
            g_ptr_array_add(out, g_strdup(a));
        }
    }
    return out;
}

static void wipe_all(GPtrArray *a)
{
    for (guint i = 0; i < a->len; i++)
        wipe(a->pdata[i]);
}

/* Which option files the command line asks for. */
typedef struct sources {
    const char *file, *extra; /* point into the command line's copy */
    gboolean none;
} sources;

static wharf_optfile_kind kind_of(GHashTable *kinds, const char *name)
{
    return GPOINTER_TO_INT(g_hash_table_lookup(kinds, name));
}

/* Is the next word the value of this option? */
static gboolean takes_next(GHashTable *kinds, const char *a)
{
    if (a[0] == '-' && a[1] != '-' && a[1] != '\0' && a[2] == '\0')
        return strchr(WHARF_CLI_VALUE_SHORTS, a[1]) != NULL;
    return g_str_has_prefix(a, "--") && strchr(a, '=') == NULL && kind_of(kinds, a + 2) == WHARF_OPTFILE_VALUE;
}

/* --long_name[=v] -> --long-name[=v] when that is an option. */
static void dashes(GHashTable *kinds, GPtrArray *args, guint i)
{
    char *a = args->pdata[i];
    char *eq = strchr(a, '=');
    char *name = g_strndup(a + 2, eq ? (gsize)(eq - a - 2) : strlen(a + 2));
    if (strchr(name, '_') && kind_of(kinds, g_strdelimit(name, "_", '-'))) {
        args->pdata[i] = g_strconcat("--", name, eq, NULL);
        wipe(a);
        g_free(a);
    }
    g_free(name);
}

/* Is a "--flag=VALUE"? */
static gboolean flag_with_value(GHashTable *kinds, const char *a)
{
    const char *eq = strchr(a, '=');
    if (eq == NULL)
        return FALSE;
    char *name = g_strndup(a + 2, (gsize)(eq - a - 2));
    gboolean flag = kind_of(kinds, name) == WHARF_OPTFILE_FLAG;
    g_free(name);
    return flag;
}

/* Remove the arguments equal to arg before index before; how many. */
static guint drop_equal(GPtrArray *args, guint before, const char *arg)
{
    guint n = 0;
    for (guint j = before; j-- > 0;)
        if (strcmp(args->pdata[j], arg) == 0) {
            g_ptr_array_remove_index(args, j);
            n++;
        }
    return n;
}

/* args[*i] is --flag=VALUE: --flag=1 -> --flag (in place); --flag=0
 * removes it and the same flag given before, here and in the option files
 * (off), *i then being the next argument. */
static gboolean flag_value(GPtrArray *args, guint *i, GPtrArray *off, GError **err)
{
    char *a = args->pdata[*i];
    char *eq = strchr(a, '=');
    char *flag = g_strndup(a, (gsize)(eq - a));
    int b = wharf_optfile_bool(eq + 1);
    if (b < 0) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                    "%s is a flag: give it no value, or 1/0, on/off, true/false (not '%s')", flag, eq + 1);
        g_free(flag);
        return FALSE;
    }
    if (b == 1) {
        g_free(a);
        args->pdata[*i] = flag;
        return TRUE;
    }
    g_ptr_array_remove_index(args, *i);
    *i -= drop_equal(args, *i, flag);
    g_ptr_array_add(off, flag);
    return TRUE;
}

/* Note --no-defaults, --defaults-file, --defaults-extra-file (a: an option
 * without value or with "=", next: the word after it). */
static void note_source(const char *a, const char *next, sources *src)
{
    const char *eq = strchr(a, '=');
    gsize len = eq ? (gsize)(eq - a) : strlen(a);
    if (strcmp(a, "--no-defaults") == 0)
        src->none = TRUE;
    else if (len == strlen("--defaults-file") && strncmp(a, "--defaults-file", len) == 0)
        src->file = eq ? eq + 1 : next;
    else if (len == strlen("--defaults-extra-file") && strncmp(a, "--defaults-extra-file", len) == 0)
        src->extra = eq ? eq + 1 : next;
}

/* Normalize the command line's long options and find --no-defaults,
 * --defaults-file and --defaults-extra-file anywhere before "--". */
static gboolean command_line(GHashTable *kinds, GPtrArray *args, GPtrArray *off, sources *src, GError **err)
{
    guint i = 0;
    while (i < args->len && strcmp(args->pdata[i], "--") != 0) {
        if (g_str_has_prefix(args->pdata[i], "--")) {
            dashes(kinds, args, i);
            if (flag_with_value(kinds, args->pdata[i])) {
                if (!flag_value(args, &i, off, err))
                    return FALSE;
                continue; /* look at what is now at i */
            }
            note_source(args->pdata[i], i + 1 < args->len ? args->pdata[i + 1] : NULL, src);
        }
        i += takes_next(kinds, args->pdata[i]) ? 2 : 1;
    }
    return TRUE;
}

/* The arguments the option files stand for (none with --no-defaults). */
static gboolean file_args(wharf_cli_common *c, const char *cmd, const sources *src, GPtrArray *synth,
                          GPtrArray *where, GError **err)
{
    if (src->none)
        return TRUE;
    if (src->extra && !src->file && !g_file_test(src->extra, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--defaults-extra-file %s: no such file", src->extra);
        return FALSE;
    }
    char *own = g_strconcat("wharf-", cmd, NULL);
    const char *const groups[] = {"wharf", own, NULL};
    char *only[] = {(char *)src->file, NULL};
    char **files = src->file ? only : wharf_optfile_files(src->extra);
    GPtrArray *items = wharf_optfile_items_new();
    gboolean ok = TRUE;
    for (int i = 0; ok && files[i]; i++)
        ok = wharf_optfile_read(files[i], groups, files[i] == src->file || !g_strcmp0(files[i], src->extra), items,
                                err);
    ok = ok && wharf_optfile_to_args(items, c->kinds, synth, where, c->notes, err);
    g_ptr_array_free(items, TRUE);
    if (files != only)
        g_strfreev(files);
    g_free(own);
    return ok;
}

static char **join_args(const char *argv0, GPtrArray *a, GPtrArray *b)
{
    GPtrArray *v = g_ptr_array_new();
    g_ptr_array_add(v, g_strdup(argv0));
    for (guint i = 0; a && i < a->len; i++)
        g_ptr_array_add(v, g_strdup(a->pdata[i]));
    for (guint i = 0; i < b->len; i++)
        g_ptr_array_add(v, g_strdup(b->pdata[i]));
    g_ptr_array_add(v, NULL);
    return (char **)g_ptr_array_free(v, FALSE);
}

static void wipe_strv(char **v)
{
    for (int i = 0; v && v[i]; i++)
        wipe(v[i]);
    g_strfreev(v);
}

/* The parse failed: if one option file argument fails alone, name its
 * file:line (the values it set no longer matter: the run stops). */
static void blame_file(GOptionContext *ctx, const char *argv0, GPtrArray *synth, GPtrArray *where, GError *gerr,
                       GError **err)
{
    for (guint i = 0; synth && i < synth->len; i++) {
        char **one = g_new0(char *, 3);
        one[0] = g_strdup(argv0);
        one[1] = g_strdup(synth->pdata[i]);
        GError *e = NULL;
        gboolean ok = g_option_context_parse_strv(ctx, &one, &e);
        wipe_strv(one);
        if (!ok) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s: %s", (char *)where->pdata[i], e->message);
            g_error_free(e);
            return;
        }
    }
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s", gerr->message);
}

/* The option files' arguments, the command line's options normalized. */
static gboolean prepare(wharf_cli_common *c, const char *argv0, GPtrArray *real, GPtrArray *synth, GPtrArray *where,
                        GError **err)
{
    if (c->kinds == NULL) /* parsed before: no names known, any file option is refused */
        c->kinds = wharf_optfile_kinds_new();
    if (c->notes == NULL)
        c->notes = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *off = g_ptr_array_new_with_free_func(g_free);
    sources src = {NULL, NULL, FALSE};
    gboolean ok = command_line(c->kinds, real, off, &src, err) && file_args(c, argv0, &src, synth, where, err);
    for (guint i = 0; ok && i < off->len; i++)
        for (guint j = synth->len; j-- > 0;)
            if (strcmp(synth->pdata[j], off->pdata[i]) == 0) {
                g_ptr_array_remove_index(synth, j);
                g_ptr_array_remove_index(where, j);
            }
    g_ptr_array_free(off, TRUE);
    return ok;
}

/* "--name" of "--name=value" (or "--name"), newly allocated. */
static char *long_name(const char *arg)
{
    if (!g_str_has_prefix(arg, "--"))
        return NULL;
    const char *eq = strchr(arg, '=');
    return g_strndup(arg + 2, eq ? (gsize)(eq - arg - 2) : strlen(arg + 2));
}

/* Which option file line set each option the command line did not. */
static void record_origins(wharf_cli_common *c, GPtrArray *synth, GPtrArray *where, GPtrArray *real)
{
    if (c == NULL || synth == NULL)
        return;
    if (c->origins == NULL)
        c->origins = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GHashTable *given = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < real->len; i++) {
        char *n = real->pdata[i] ? long_name(real->pdata[i]) : NULL;
        if (n)
            g_hash_table_add(given, n);
    }
    for (guint i = 0; i < synth->len; i++) {
        char *n = long_name(synth->pdata[i]);
        if (n && !g_hash_table_contains(given, n))
            g_hash_table_replace(c->origins, n, g_strdup(where->pdata[i]));
        else
            g_free(n);
    }
    g_hash_table_unref(given);
}

void wharf_cli_blame(const wharf_cli_common *c, GError *err)
{
    if (c == NULL || c->origins == NULL || err == NULL || !g_str_has_prefix(err->message, "--"))
        return;
    const char *m = err->message + 2, *e = m;
    while (*e && (g_ascii_isalnum(*e) || *e == '-' || *e == '_'))
        e++;
    char *name = g_strndup(m, (gsize)(e - m));
    const char *at = g_hash_table_lookup(c->origins, name);
    g_free(name);
    if (at) {
        char *msg = g_strdup_printf("%s: %s", at, err->message);
        g_free(err->message);
        err->message = msg;
    }
}

gboolean wharf_cli_parse(GOptionContext *ctx, wharf_cli_common *c, int argc, char **argv, char ***rest,
                         GError **err)
{
    GPtrArray *real = habits(argc, argv);
    wharf_cli_scrub_argv(argc, argv);
    GPtrArray *synth = c ? g_ptr_array_new_with_free_func(g_free) : NULL;
    GPtrArray *where = c ? g_ptr_array_new_with_free_func(g_free) : NULL;
    gboolean ok = c == NULL || prepare(c, argv[0], real, synth, where, err);
    char **copy = ok ? join_args(argv[0], synth, real) : NULL;
    g_option_context_set_strict_posix(ctx, FALSE);
    GError *gerr = NULL;
    if (ok && !g_option_context_parse_strv(ctx, &copy, &gerr)) {
        blame_file(ctx, argv[0], synth, where, gerr, err);
        g_error_free(gerr);
        ok = FALSE;
    }
    if (ok) { /* copy[0] is the program name; the rest are positional arguments. */
        *rest = g_strdupv(copy + 1);
        record_origins(c, synth, where, real);
    }
    wipe_strv(copy);
    wipe_all(real);
    g_ptr_array_free(real, TRUE);
    if (synth) {
        wipe_all(synth);
        g_ptr_array_free(synth, TRUE);
        g_ptr_array_free(where, TRUE);
    }
    if (c && c->kinds) {
        g_hash_table_destroy(c->kinds);
        c->kinds = NULL;
    }
    return ok;
}

static char *prompt_password(GError **err)
{
    FILE *tty = fopen("/dev/tty", "r+");
    FILE *in = tty ? tty : stdin;
    FILE *out = tty ? tty : stderr;
    struct termios old, noecho;
    gboolean restore = FALSE;
    fputs("Enter password: ", out);
    fflush(out);
    if (tcgetattr(fileno(in), &old) == 0) {
        noecho = old;
        noecho.c_lflag &= ~(tcflag_t)ECHO;
        restore = tcsetattr(fileno(in), TCSAFLUSH, &noecho) == 0;
    }
    char buf[1024];
    char *got = fgets(buf, sizeof buf, in);
    if (restore)
        tcsetattr(fileno(in), TCSAFLUSH, &old);
    fputs("\n", out);
    if (tty)
        fclose(tty);
    if (got == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "no password read from the terminal");
        return NULL;
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    char *pw = g_strdup(buf);
    memset(buf, 0, sizeof buf);
    return pw;
}

gboolean wharf_cli_finish(wharf_cli_common *c, GError **err)
{
    if (!wharf_conn_opts_merge_defaults(&c->conn, err))
        return FALSE;
    if (c->password_prompt && c->conn.password == NULL) {
        c->conn.password = prompt_password(err);
        if (c->conn.password == NULL)
            return FALSE;
    }
    if (c->threads != -1 && (c->threads < 1 || c->threads > 1024)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--threads must be between 1 and 1024, not %d",
                    c->threads);
        return FALSE;
    }
    if (c->max_rate_raw) {
        char *end = NULL;
        double v = g_ascii_strtod(c->max_rate_raw, &end);
        if (end == c->max_rate_raw || *end != '\0' || !(v > 0) || v > 1e9) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--max-rate wants MiB per second (e.g. 50 or 0.5), not '%s'",
                        c->max_rate_raw);
            return FALSE;
        }
        c->max_rate = (gint64)(v * 1048576.0);
        g_free(c->max_rate_raw);
        c->max_rate_raw = NULL;
    }
    static const char *const modes[] = {"auto", "tty", "log", "none"};
    c->progress = WHARF_PROGRESS_AUTO;
    if (c->progress_raw) {
        guint i = 0;
        while (i < G_N_ELEMENTS(modes) && strcmp(c->progress_raw, modes[i]) != 0)
            i++;
        if (i == G_N_ELEMENTS(modes)) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--progress must be auto, tty, log or none, not '%s'",
                        c->progress_raw);
            return FALSE;
        }
        c->progress = (wharf_progress_mode)i;
        g_free(c->progress_raw);
        c->progress_raw = NULL;
    }
    if (c->log_format_raw) {
        if (strcmp(c->log_format_raw, "json") != 0 && strcmp(c->log_format_raw, "text") != 0) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--log-format must be text or json, not '%s'",
                        c->log_format_raw);
            return FALSE;
        }
        c->log_json = strcmp(c->log_format_raw, "json") == 0;
        g_free(c->log_format_raw);
        c->log_format_raw = NULL;
    }
    if (c->progress_interval == -1)
        c->progress_interval = 10;
    else if (c->progress_interval < 1 || c->progress_interval > 86400) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--progress-interval must be 1 to 86400 seconds, not %d",
                    c->progress_interval);
        return FALSE;
    }
    if (c->threads == -1) {
        int n = (int)g_get_num_processors();
        c->threads = n < 2 ? 2 : n;
    }
    return TRUE;
}

wharf_verbosity wharf_cli_verbosity(const wharf_cli_common *c)
{
    if (c->quiet)
        return WHARF_LOG_QUIET;
    return c->verbose ? WHARF_LOG_VERBOSE : WHARF_LOG_NORMAL;
}

gboolean wharf_cli_console_setup(wharf_console *console, const wharf_cli_common *c, GError **err)
{
    wharf_console_setup(console, wharf_cli_verbosity(c));
    wharf_console_set_progress(console, c->progress, c->progress_interval);
    if (!wharf_console_set_log(console, c->log_file, c->log_json, err)) {
        wharf_console_teardown(console);
        return FALSE;
    }
    for (guint i = 0; c->notes && i < c->notes->len; i++)
        WLOG_WARN("%s", (const char *)c->notes->pdata[i]);
    return TRUE;
}

static const wharf_cli_route *find_route(const wharf_cli_route *routes, gsize n, const char *arg, const char **value)
{
    *value = NULL;
    for (gsize i = 0; i < n; i++) {
        const wharf_cli_route *c = &routes[i];
        size_t len = strlen(c->name);
        if (strncmp(arg, c->name, len) != 0)
            continue;
        if (arg[len] == '\0')
            return c;
        if (arg[len] == '=' && c->value && c->name[1] == '-') {
            *value = arg + len + 1;
            return c;
        }
        if (c->value && c->name[1] != '-' && len == 2) { /* -t4 */
            *value = arg + len;
            return c;
        }
    }
    return NULL;
}

gboolean wharf_cli_split(int argc, char **argv, const wharf_cli_route *routes, gsize n_routes,
                         wharf_cli_side rest_to, GPtrArray *a, GPtrArray *b, GError **err)
{
    g_ptr_array_add(a, g_strdup(argv[0]));
    g_ptr_array_add(b, g_strdup(argv[0]));
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        const wharf_cli_route *c = find_route(routes, n_routes, argv[i], &v);
        wharf_cli_side to = c ? c->to : rest_to;
        char *arg;
        if (c == NULL) {
            arg = g_strdup(argv[i]);
        } else {
            if (c->value && v == NULL) {
                if (i + 1 >= argc) {
                    g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s needs a value", c->name);
                    return FALSE;
                }
                v = argv[++i];
            }
            arg = c->value ? g_strdup_printf("%s=%s", c->as, v) : g_strdup(c->as);
        }
        if (to & WHARF_SIDE_A)
            g_ptr_array_add(a, g_strdup(arg));
        if (to & WHARF_SIDE_B)
            g_ptr_array_add(b, g_strdup(arg));
        g_free(arg);
    }
    g_ptr_array_add(a, NULL);
    g_ptr_array_add(b, NULL);
    return TRUE;
}
