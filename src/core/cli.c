#include "core/cli.h"

#include "core/error.h"

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
        {"host", 'h', 0, G_OPTION_ARG_FILENAME, &c->conn.host, "Server host", "HOST"},
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
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_add_group(ctx, wharf_cli_conn_group(c));
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
        else if (pass_word(argc, argv, i))
            wipe(argv[++i]);
        else if (a[0] == '-' && a[1] == 'p' && a[2] != '\0')
            wipe(a + 2);
    }
}

gboolean wharf_cli_parse(GOptionContext *ctx, int argc, char **argv, char ***rest, GError **err)
{
    /* GLib takes an optional argument only as --password=VALUE; the mysql
     * client's -pVALUE and bare -p are rewritten to that form first. */
    /* GLib does not accept a value glued to a short option (-uroot), which
     * mysql users type out of habit: those are split into "-u" "root" for
     * the short options that take a value (WHARF_CLI_VALUE_SHORTS). */
    char **copy = g_new0(char *, 2 * (size_t)argc + 1);
    gboolean options_done = FALSE;
    int n = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (i > 0 && !options_done && strcmp(a, "--") == 0)
            options_done = TRUE;
        if (i > 0 && !options_done && pass_word(argc, argv, i)) {
            /* -p SECRET / --password SECRET: wharf takes no positional
             * arguments, so the word is the password (scrubbed below). */
            copy[n++] = g_strconcat("--password=", argv[++i], NULL);
        } else if (i > 0 && !options_done && a[0] == '-' && a[1] == 'p') {
            copy[n++] = a[2] ? g_strconcat("--password=", a + 2, NULL) : g_strdup("--password");
        } else if (i > 0 && !options_done && a[0] == '-' && a[1] != '-' && a[1] != '\0' && a[2] != '\0' &&
                   strchr(WHARF_CLI_VALUE_SHORTS, a[1]) != NULL) {
            copy[n++] = g_strndup(a, 2);
            copy[n++] = g_strdup(a + 2);
        } else {
            copy[n++] = g_strdup(a);
        }
    }
    wharf_cli_scrub_argv(argc, argv);
    g_option_context_set_strict_posix(ctx, FALSE);
    GError *gerr = NULL;
    gboolean ok = g_option_context_parse_strv(ctx, &copy, &gerr);
    if (!ok) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s", gerr->message);
        g_error_free(gerr);
        g_strfreev(copy);
        return FALSE;
    }
    /* copy[0] is the program name; the rest are positional arguments. */
    guint nargs = g_strv_length(copy);
    char **r = g_new0(char *, nargs);
    for (guint i = 1; i < nargs; i++)
        r[i - 1] = g_strdup(copy[i]);
    for (guint i = 0; i < nargs; i++)
        if (copy[i])
            memset(copy[i], 0, strlen(copy[i]));
    g_strfreev(copy);
    *rest = r;
    return TRUE;
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
    return TRUE;
}

