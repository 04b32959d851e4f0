#include "core/optfile.h"

#include "core/error.h"

#include <string.h>

/* GKeyFile is not used: it wants `key=value` on every line, has no
 * !include/!includedir, keeps quotes, treats only whole-line comments and
 * does not share mysql's escapes; the option files are the server's
 * format, so this follows mysys my_default.c. */

#define MAX_INCLUDE_DEPTH 10

typedef struct reader {
    const char *const *groups;
    GPtrArray *items;
} reader;

static void item_free(gpointer p)
{
    wharf_optfile_item *it = p;
    g_free(it->file);
    g_free(it->group);
    g_free(it->name);
    if (it->value)
        memset(it->value, 0, strlen(it->value)); /* may be a password */
    g_free(it->value);
    g_free(it);
}

GPtrArray *wharf_optfile_items_new(void)
{
    return g_ptr_array_new_with_free_func(item_free);
}

static gboolean wanted(const reader *r, const char *group)
{
    for (const char *const *g = r->groups; *g; g++)
        if (g_ascii_strcasecmp(*g, group) == 0)
            return TRUE;
    return FALSE;
}

/* Cut the line at a '#' outside quotes (my_default.c remove_end_comment). */
static void cut_comment(char *s)
{
    char quote = 0, escape = 0;
    for (; *s; s++) {
        if ((*s == '\'' || *s == '"') && !escape)
            quote = !quote ? *s : (quote == *s ? 0 : quote);
        if (!quote && *s == '#') {
            *s = '\0';
            return;
        }
        escape = quote && *s == '\\' && !escape;
    }
}

static char *unescape(const char *v, size_t len)
{
    if (len >= 2 && (v[0] == '\'' || v[0] == '"') && v[len - 1] == v[0]) {
        v++;
        len -= 2;
    }
    GString *s = g_string_sized_new(len);
    for (size_t i = 0; i < len; i++) {
        if (v[i] != '\\' || i + 1 == len) {
            g_string_append_c(s, v[i]);
            continue;
        }
        const char *from = "ntrbs\"'\\", *to = "\n\t\r\b \"'\\";
        const char *k = strchr(from, v[++i]);
        if (k && *k)
            g_string_append_c(s, to[k - from]);
        else {
            g_string_append_c(s, '\\'); /* unknown: kept, as mysql does */
            g_string_append_c(s, v[i]);
        }
    }
    return g_string_free(s, FALSE);
}

static gboolean read_file(reader *r, const char *path, gboolean required, int depth, GError **err);

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static gboolean read_dir(reader *r, const char *dir, int depth, GError **err)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d == NULL)
        return TRUE; /* as mysql: a missing !includedir is no error */
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *n;
    while ((n = g_dir_read_name(d)) != NULL)
        if (g_str_has_suffix(n, ".cnf"))
            g_ptr_array_add(names, g_build_filename(dir, n, NULL));
    g_dir_close(d);
    g_ptr_array_sort(names, compare_names);
    gboolean ok = TRUE;
    for (guint i = 0; ok && i < names->len; i++)
        ok = read_file(r, names->pdata[i], FALSE, depth, err);
    g_ptr_array_free(names, TRUE);
    return ok;
}

/* `!include FILE` / `!includedir DIR`; other directives are ignored, as
 * mysql does. */
static gboolean directive(reader *r, const char *path, int lineno, char *s, int depth, GError **err)
{
    s = g_strstrip(s + 1);
    gboolean is_dir = g_str_has_prefix(s, "includedir") && g_ascii_isspace(s[10]);
    gboolean is_file = !is_dir && g_str_has_prefix(s, "include") && g_ascii_isspace(s[7]);
    if (!is_dir && !is_file)
        return TRUE;
    if (depth >= MAX_INCLUDE_DEPTH) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s:%d: !include nested more than %d deep", path, lineno,
                    MAX_INCLUDE_DEPTH);
        return FALSE;
    }
    const char *target = g_strchug(s + (is_dir ? 10 : 7));
    return is_dir ? read_dir(r, target, depth + 1, err) : read_file(r, target, FALSE, depth + 1, err);
}

static void add_item(reader *r, const char *path, int lineno, const char *group, char *s)
{
    cut_comment(s);
    char *eq = strchr(s, '=');
    wharf_optfile_item *it = g_new0(wharf_optfile_item, 1);
    it->file = g_strdup(path);
    it->line = lineno;
    it->group = g_strdup(group);
    if (eq) {
        *eq = '\0';
        char *v = g_strstrip(eq + 1);
        it->value = unescape(v, strlen(v));
    }
    it->name = g_strdup(g_strstrip(s));
    g_ptr_array_add(r->items, it);
}

/* One line; *group is the current group (NULL before the first). */
static gboolean read_line(reader *r, const char *path, int lineno, char *s, char **group, int depth, GError **err)
{
    s = g_strchug(s);
    if (*s == '\0' || *s == '#' || *s == ';')
        return TRUE;
    if (*s == '!')
        return directive(r, path, lineno, s, depth, err);
    if (*s == '[') {
        char *end = strchr(s, ']');
        if (end == NULL) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s:%d: wrong group definition (no ']')", path,
                        lineno);
            return FALSE;
        }
        g_free(*group);
        *group = g_strstrip(g_strndup(s + 1, (gsize)(end - s - 1)));
        return TRUE;
    }
    if (*group == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s:%d: option without a preceding [group]", path, lineno);
        return FALSE;
    }
    if (wanted(r, *group))
        add_item(r, path, lineno, *group, s);
    return TRUE;
}

static gboolean read_file(reader *r, const char *path, gboolean required, int depth, GError **err)
{
    char *text = NULL;
    GError *e = NULL;
    if (!g_file_get_contents(path, &text, NULL, &e)) {
        if (required)
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "cannot read option file %s: %s", path, e->message);
        g_error_free(e);
        return !required;
    }
    char **lines = g_strsplit(text, "\n", -1);
    memset(text, 0, strlen(text));
    g_free(text);
    char *group = NULL;
    gboolean ok = TRUE;
    for (int i = 0; ok && lines[i]; i++) {
        char *cr = strchr(lines[i], '\r');
        if (cr)
            *cr = '\0';
        ok = read_line(r, path, i + 1, lines[i], &group, depth, err);
    }
    for (int i = 0; lines[i]; i++)
        memset(lines[i], 0, strlen(lines[i]));
    g_strfreev(lines);
    g_free(group);
    return ok;
}

gboolean wharf_optfile_read(const char *path, const char *const *groups, gboolean required, GPtrArray *items,
                            GError **err)
{
    reader r = {groups, items};
    return read_file(&r, path, required, 0, err);
}

char **wharf_optfile_files(const char *extra)
{
    GPtrArray *f = g_ptr_array_new();
    g_ptr_array_add(f, g_strdup("/etc/my.cnf"));
    g_ptr_array_add(f, g_strdup("/etc/mysql/my.cnf"));
    const char *mh = g_getenv("MARIADB_HOME") ? g_getenv("MARIADB_HOME") : g_getenv("MYSQL_HOME");
    if (mh && *mh)
        g_ptr_array_add(f, g_build_filename(mh, "my.cnf", NULL));
    if (extra)
        g_ptr_array_add(f, g_strdup(extra));
    const char *home = g_get_home_dir();
    if (home)
        g_ptr_array_add(f, g_build_filename(home, ".my.cnf", NULL));
    g_ptr_array_add(f, NULL);
    return (char **)g_ptr_array_free(f, FALSE);
}

GHashTable *wharf_optfile_kinds_new(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void wharf_optfile_kinds_add(GHashTable *kinds, const GOptionEntry *entries)
{
    for (const GOptionEntry *e = entries; e->long_name; e++) {
        wharf_optfile_kind k = WHARF_OPTFILE_VALUE;
        if (e->arg == G_OPTION_ARG_NONE || (e->arg == G_OPTION_ARG_CALLBACK && (e->flags & G_OPTION_FLAG_NO_ARG)))
            k = WHARF_OPTFILE_FLAG;
        else if (e->arg == G_OPTION_ARG_CALLBACK && (e->flags & G_OPTION_FLAG_OPTIONAL_ARG))
            k = WHARF_OPTFILE_OPTIONAL;
        g_hash_table_insert(kinds, g_strdup(e->long_name), GINT_TO_POINTER(k));
    }
}

int wharf_optfile_bool(const char *value)
{
    static const char *const yes[] = {"1", "on", "true", "yes"}, *const no[] = {"0", "off", "false", "no"};
    for (gsize i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (g_ascii_strcasecmp(value, yes[i]) == 0)
            return 1;
        if (g_ascii_strcasecmp(value, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* Options that make sense only on the command line. */
static gboolean command_line_only(const char *name)
{
    static const char *const only[] = {"defaults-file", "defaults-extra-file", "no-defaults", "help",
                                       "print-defaults"};
    for (gsize i = 0; i < G_N_ELEMENTS(only); i++)
        if (strcmp(name, only[i]) == 0)
            return TRUE;
    return FALSE;
}

/* Connector/C's own option names (libmariadb 3.3 mariadb_defaults[], '_'
 * as '-'): it reads them from [client] and [wharf] itself (conn.c). */
static gboolean connector_option(const char *name)
{
    static const char *const cc[] = {
        "bind-address", "character-sets-dir", "compress", "connect-timeout", "database", "debug",
        "default-auth", "default-character-set", "disable-local-infile", "host", "init-command",
        "interactive-timeout", "local-infile", "max-allowed-packet", "multi-queries", "multi-results",
        "multi-statements", "net-buffer-length", "passwd", "password", "pipe", "plugin-dir", "port", "protocol",
        "reconnect", "report-data-truncation", "restricted-auth", "return-found-rows", "secure-auth",
        "server-public-key", "servername", "shared-memory-base-name", "socket", "ssl-ca", "ssl-capath",
        "ssl-cert", "ssl-cipher", "ssl-crl", "ssl-crlpath", "ssl-enforce", "ssl-fp", "ssl-fp-list", "ssl-fplist",
        "ssl-key", "ssl-passphrase", "ssl-verify-server-cert", "timeout", "tls-ca", "tls-capath", "tls-cert",
        "tls-cipher", "tls-crl", "tls-crlpath", "tls-enforce", "tls-fp", "tls-fplist", "tls-key",
        "tls-passphrase", "tls-verify-peer", "tls-version", "unix-socket", "user"};
    for (gsize i = 0; i < G_N_ELEMENTS(cc); i++)
        if (strcmp(name, cc[i]) == 0)
            return TRUE;
    return FALSE;
}

/* Drop the earlier "--name" arguments (a flag turned off later). */
static void cancel_flag(GPtrArray *args, GPtrArray *where, const char *arg)
{
    for (guint i = args->len; i-- > 0;)
        if (strcmp(args->pdata[i], arg) == 0) {
            g_ptr_array_remove_index(args, i);
            g_ptr_array_remove_index(where, i);
        }
}

static char *item_arg(const wharf_optfile_item *it, const char *name, wharf_optfile_kind k, gboolean *cancel,
                      GError **err)
{
    const char *w = it->file;
    if (k == WHARF_OPTFILE_FLAG && it->value) {
        int b = wharf_optfile_bool(it->value);
        if (b < 0) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                        "%s:%d: option '%s' is a flag: give it no value, or 1/0, on/off, true/false", w, it->line,
                        it->name);
            return NULL;
        }
        *cancel = b == 0;
    } else if (k == WHARF_OPTFILE_VALUE && it->value == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s:%d: option '%s' needs a value ('%s = ...')", w,
                    it->line, it->name, it->name);
        return NULL;
    }
    if (k == WHARF_OPTFILE_FLAG || it->value == NULL)
        return g_strconcat("--", name, NULL);
    return g_strconcat("--", name, "=", it->value, NULL);
}

/* May the line's option be taken? *skip: it is left out (to Connector/C,
 * or an unknown loose- option, noted). */
static gboolean name_ok(const wharf_optfile_item *it, const char *bare, gboolean known, gboolean loose,
                        gboolean *skip, GPtrArray *notes, GError **err)
{
    *skip = FALSE;
    if (command_line_only(bare)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s:%d: option '%s' is only accepted on the command line",
                    it->file, it->line, it->name);
        return FALSE;
    }
    if (known)
        return TRUE;
    *skip = TRUE;
    if (connector_option(bare) && g_ascii_strcasecmp(it->group, "wharf") == 0)
        return TRUE; /* Connector/C reads [wharf] too */
    if (connector_option(bare)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                    "%s:%d: '%s' is a Connector/C connection option, read in [client] or [wharf], not in [%s]",
                    it->file, it->line, it->name, it->group);
        return FALSE;
    }
    if (!loose) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s:%d: unknown option '%s' in [%s]", it->file, it->line,
                    it->name, it->group);
        return FALSE;
    }
    g_ptr_array_add(notes, g_strdup_printf("%s:%d: unknown option '%s' in [%s] ignored (loose-)", it->file, it->line,
                                           it->name, it->group));
    return TRUE;
}

static gboolean one_item(const wharf_optfile_item *it, GHashTable *kinds, GPtrArray *args, GPtrArray *where,
                         GPtrArray *notes, GError **err)
{
    char *name = g_strdelimit(g_strdup(it->name), "_", '-');
    gboolean loose = g_str_has_prefix(name, "loose-");
    const char *bare = loose ? name + 6 : name;
    gpointer k = g_hash_table_lookup(kinds, bare);
    gboolean skip = FALSE, cancel = FALSE;
    gboolean ok = name_ok(it, bare, k != NULL, loose, &skip, notes, err);
    char *arg = ok && !skip ? item_arg(it, bare, GPOINTER_TO_INT(k), &cancel, err) : NULL;
    if (arg && cancel)
        cancel_flag(args, where, arg);
    else if (arg) {
        g_ptr_array_add(args, g_strdup(arg));
        g_ptr_array_add(where, g_strdup_printf("%s:%d", it->file, it->line));
    }
    ok = ok && (skip || arg != NULL);
    if (arg)
        memset(arg, 0, strlen(arg));
    g_free(arg);
    g_free(name);
    return ok;
}

gboolean wharf_optfile_to_args(const GPtrArray *items, GHashTable *kinds, GPtrArray *args, GPtrArray *where,
                               GPtrArray *notes, GError **err)
{
    for (guint i = 0; i < items->len; i++)
        if (!one_item(items->pdata[i], kinds, args, where, notes, err))
            return FALSE;
    return TRUE;
}
