/* filter: database and table selection (contract in filter.h). */
#include "core/filter.h"

#include "core/error.h"

#include <string.h>

char *wharf_filter_key(const char *db, const char *name)
{
    return g_strconcat(db, "\x1f", name, NULL);
}

/* One identifier: `quoted` (`` for a backtick) or plain up to a stop byte. */
const char *wharf_filter_parse_ident(const char *p, const char *stops, char **out)
{
    GString *s = g_string_new(NULL);
    if (*p == '`') {
        p++;
        for (;;) {
            if (*p == '\0') {
                g_string_free(s, TRUE);
                return NULL;
            }
            if (*p == '`') {
                if (p[1] == '`') {
                    g_string_append_c(s, '`');
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            g_string_append_c(s, *p++);
        }
    } else {
        while (*p && !strchr(stops, *p))
            g_string_append_c(s, *p++);
    }
    if (s->len == 0) {
        g_string_free(s, TRUE);
        return NULL;
    }
    *out = g_string_free(s, FALSE);
    return p;
}

gboolean wharf_filter_parse_name(const char *s, char **db, char **table, const char **rest)
{
    *db = *table = NULL;
    const char *p = wharf_filter_parse_ident(s, ".:", db);
    if (p == NULL)
        return FALSE;
    if (*p == '.') {
        p = wharf_filter_parse_ident(p + 1, ":", table);
        if (p == NULL) {
            g_free(*db);
            *db = NULL;
            return FALSE;
        }
    }
    if (rest)
        *rest = p;
    else if (*p != '\0') {
        g_free(*db);
        g_free(*table);
        *db = *table = NULL;
        return FALSE;
    }
    return TRUE;
}

/* A --where condition is one expression: outside quotes its parentheses
 * balance and never close more than they opened, and it holds no ';' and
 * no comment, so it cannot end the WHERE (...) it is put in. */
static gboolean one_expression(const char *cond)
{
    int depth = 0;
    for (const char *p = cond; *p; p++) {
        if (*p == '\'' || *p == '"' || *p == '`') {
            char q = *p;
            for (p++; *p && *p != q; p++)
                if (*p == '\\' && q != '`' && p[1])
                    p++;
            if (*p == '\0')
                return FALSE; /* unterminated quote */
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            if (--depth < 0)
                return FALSE;
        } else if (*p == ';' || *p == '#' || (p[0] == '-' && p[1] == '-') ||
                   (p[0] == '/' && p[1] == '*')) {
            return FALSE;
        }
    }
    return depth == 0;
}

gboolean wharf_filter_validate(const wharf_filter *f, GError **err)
{
    char *db = NULL, *tb = NULL;
    for (char **p = f->tables; p && *p; p++) {
        if (!wharf_filter_parse_name(*p, &db, &tb, NULL) || tb == NULL) {
            g_free(db);
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                        "--tables: '%s' is not db.table", *p);
            return FALSE;
        }
        g_free(db);
        g_free(tb);
    }
    for (char **p = f->exclude; p && *p; p++) {
        if (!wharf_filter_parse_name(*p, &db, &tb, NULL)) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                        "--exclude: '%s' is not db or db.table", *p);
            return FALSE;
        }
        g_free(db);
        g_free(tb);
    }
    for (char **p = f->where; p && *p; p++) {
        const char *rest = NULL;
        if (!wharf_filter_parse_name(*p, &db, &tb, &rest) || tb == NULL || *rest != ':' ||
            rest[1] == '\0') {
            g_free(db);
            g_free(tb);
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                        "--where: '%s' is not db.table:CONDITION", *p);
            return FALSE;
        }
        g_free(db);
        g_free(tb);
        if (!one_expression(rest + 1)) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                        "--where: '%s' is not one expression (unbalanced parentheses or quotes, ';' "
                        "or a comment)",
                        rest + 1);
            return FALSE;
        }
    }
    return TRUE;
}

char **wharf_filter_split(char **raw)
{
    if (raw == NULL)
        return NULL;
    GPtrArray *out = g_ptr_array_new();
    for (char **p = raw; *p; p++) {
        GString *cur = g_string_new(NULL);
        gboolean quoted = FALSE;
        for (const char *s = *p;; s++) {
            if (*s == '`')
                quoted = !quoted;
            if (*s == '\0' || (*s == ',' && !quoted)) {
                char *item = g_strstrip(g_strdup(cur->str));
                if (*item)
                    g_ptr_array_add(out, item);
                else
                    g_free(item);
                g_string_truncate(cur, 0);
                if (*s == '\0')
                    break;
                continue;
            }
            g_string_append_c(cur, *s);
        }
        g_string_free(cur, TRUE);
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

gboolean wharf_filter_init(wharf_filter *f, char **databases, char **tables, const char *regex,
                           char **exclude, char **where, GError **err)
{
    f->databases = wharf_filter_split(databases);
    f->tables = wharf_filter_split(tables);
    f->exclude = wharf_filter_split(exclude);
    f->where = g_strdupv(where);
    f->routines = f->tables == NULL;
    if (regex) {
        GError *e = NULL;
        f->regex = g_regex_new(regex, G_REGEX_OPTIMIZE, 0, &e);
        if (f->regex == NULL) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--regex: %s", e->message);
            g_error_free(e);
            return FALSE;
        }
    }
    return wharf_filter_validate(f, err);
}

void wharf_filter_clear(wharf_filter *f)
{
    g_strfreev(f->databases);
    g_strfreev(f->tables);
    g_strfreev(f->exclude);
    g_strfreev(f->where);
    if (f->regex)
        g_regex_unref(f->regex);
    f->databases = f->tables = f->exclude = f->where = NULL;
    f->regex = NULL;
}

/* The lists as hash sets. */
struct wharf_filter_sets {
    const wharf_filter *f;
    GHashTable *dbs;       /* -B names */
    GHashTable *tables;    /* -T keys */
    GHashTable *table_dbs; /* dbs of -T */
    GHashTable *ex_dbs, *ex_tables;
    GHashTable *where;     /* key -> condition */
};

static GHashTable *strset(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

wharf_filter_sets *wharf_filter_sets_new(const wharf_filter *f)
{
    wharf_filter_sets *s = g_new0(wharf_filter_sets, 1);
    s->f = f;
    s->dbs = strset();
    s->tables = strset();
    s->table_dbs = strset();
    s->ex_dbs = strset();
    s->ex_tables = strset();
    s->where = strset();
    for (char **p = f->databases; p && *p; p++)
        g_hash_table_replace(s->dbs, g_strdup(*p), g_strdup(*p));
    char *db, *tb;
    for (char **p = f->tables; p && *p; p++)
        if (wharf_filter_parse_name(*p, &db, &tb, NULL) && tb) {
            g_hash_table_replace(s->tables, wharf_filter_key(db, tb), g_strdup(*p));
            g_hash_table_replace(s->table_dbs, db, g_strdup(*p));
            g_free(tb);
        }
    for (char **p = f->exclude; p && *p; p++)
        if (wharf_filter_parse_name(*p, &db, &tb, NULL)) {
            if (tb) {
                g_hash_table_replace(s->ex_tables, wharf_filter_key(db, tb), NULL);
                g_free(db);
                g_free(tb);
            } else {
                g_hash_table_replace(s->ex_dbs, db, NULL);
            }
        }
    for (char **p = f->where; p && *p; p++) {
        const char *rest = NULL;
        if (wharf_filter_parse_name(*p, &db, &tb, &rest) && tb && *rest == ':') {
            char *k = wharf_filter_key(db, tb);
            const char *old = g_hash_table_lookup(s->where, k);
            char *cond = old ? g_strdup_printf("%s AND (%s)", old, rest + 1)
                             : g_strdup_printf("(%s)", rest + 1);
            g_hash_table_replace(s->where, k, cond);
            g_free(db);
            g_free(tb);
        }
    }
    return s;
}

void wharf_filter_sets_free(wharf_filter_sets *s)
{
    if (s == NULL)
        return;
    g_hash_table_destroy(s->dbs);
    g_hash_table_destroy(s->tables);
    g_hash_table_destroy(s->table_dbs);
    g_hash_table_destroy(s->ex_dbs);
    g_hash_table_destroy(s->ex_tables);
    g_hash_table_destroy(s->where);
    g_free(s);
}

gboolean wharf_filter_db_selected(const wharf_filter_sets *s, const char *db)
{
    if (g_hash_table_contains(s->ex_dbs, db))
        return FALSE;
    if (s->f->tables)
        return g_hash_table_contains(s->table_dbs, db) &&
               (s->f->databases == NULL || g_hash_table_contains(s->dbs, db));
    if (s->f->databases)
        return g_hash_table_contains(s->dbs, db);
    return TRUE;
}

gboolean wharf_filter_table_selected(const wharf_filter_sets *s, const char *db, const char *name)
{
    if (!wharf_filter_db_selected(s, db))
        return FALSE;
    char *k = wharf_filter_key(db, name);
    gboolean ok = !g_hash_table_contains(s->ex_tables, k) &&
                  (s->f->tables == NULL || g_hash_table_contains(s->tables, k));
    g_free(k);
    if (ok && s->f->regex) {
        char *full = g_strconcat(db, ".", name, NULL);
        ok = g_regex_match(s->f->regex, full, 0, NULL);
        g_free(full);
    }
    return ok;
}

const wharf_filter *wharf_filter_of(const wharf_filter_sets *s)
{
    return s->f;
}

GHashTable *wharf_filter_only_dbs(const wharf_filter_sets *s)
{
    return s->f->tables ? s->table_dbs : (s->f->databases ? s->dbs : NULL);
}

const char *wharf_filter_where(const wharf_filter_sets *s, const char *db, const char *name)
{
    char *k = wharf_filter_key(db, name);
    const char *w = g_hash_table_lookup(s->where, k);
    g_free(k);
    return w;
}

static gboolean split_key(const char *k, char **db, char **name)
{
    const char *sep = strchr(k, '\x1f');
    *db = g_strndup(k, sep ? (gsize)(sep - k) : strlen(k));
    *name = g_strdup(sep ? sep + 1 : "");
    return TRUE;
}

gboolean wharf_filter_check_named(const wharf_filter_sets *s, wharf_filter_has_fn has, void *data,
                                  const char *missing, GError **err)
{
    for (char **p = s->f->databases; p && *p; p++)
        if (!has(data, *p, NULL, FALSE) && !g_hash_table_contains(s->ex_dbs, *p)) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND, "database `%s` (named in -B) %s", *p, missing);
            return FALSE;
        }
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, s->tables);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        char *db, *name;
        split_key(k, &db, &name);
        gboolean ok = has(data, db, name, FALSE) || g_hash_table_contains(s->ex_tables, k);
        g_free(db);
        g_free(name);
        if (!ok) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND, "table %s (named in -T) %s", (const char *)v,
                        missing);
            return FALSE;
        }
    }
    g_hash_table_iter_init(&it, s->where);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        char *db, *name;
        split_key(k, &db, &name);
        gboolean ok = has(data, db, name, TRUE);
        if (!ok)
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                        "--where names `%s`.`%s`, which is not a table this run selects", db, name);
        g_free(db);
        g_free(name);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

void wharf_filter_add_skip_options(GOptionContext *ctx, wharf_cli_common *c, wharf_filter *f)
{
    GOptionEntry entries[] = {
        {"skip-views", 0, 0, G_OPTION_ARG_NONE, &f->skip_views, "Leave views out", NULL},
        {"skip-triggers", 0, 0, G_OPTION_ARG_NONE, &f->skip_triggers, "Leave triggers out", NULL},
        {"skip-routines", 0, 0, G_OPTION_ARG_NONE, &f->skip_routines,
         "Leave stored procedures, functions and packages out", NULL},
        {"skip-events", 0, 0, G_OPTION_ARG_NONE, &f->skip_events, "Leave events out", NULL},
        {NULL},
    };
    wharf_cli_add_entries(ctx, c, entries);
}

char *wharf_filter_skipped(const wharf_filter *f)
{
    GString *s = g_string_new(NULL);
    const struct {
        gboolean on;
        const char *what;
    } k[] = {{f->skip_views, "views"}, {f->skip_triggers, "triggers"}, {f->skip_routines, "routines"},
             {f->skip_events, "events"}};
    for (gsize i = 0; i < G_N_ELEMENTS(k); i++)
        if (k[i].on)
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", k[i].what);
    if (s->len == 0) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}
