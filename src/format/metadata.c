/* metadata: the dump's `metadata` key file. See metadata.h and docs/FORMAT.md. */
#include "format/metadata.h"

#include "core/error.h"
#include "core/stream.h"
#include "format/checksum.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define G_CONFIG "config"
#define G_WHARF "wharf"
#define G_SESSION "myloader_session_variables"
#define G_SOURCE "source"
#define G_MASTER "master" /* older mydumper */
#define CHUNK_PREFIX "wharf-chunk-"
#define SUM_PREFIX "wharf-sum-"
#define RANGE_PREFIX "wharf-range-"

/* ------------------------------------------------------------------------ */
/* construction */

/* A table entry's strings live in m->strings; its chunks are one
 * allocation each (the file name after the struct). */
static void table_free(gpointer p)
{
    wharf_table_meta *t = p;
    if (t == NULL)
        return;
    g_ptr_array_unref(t->chunks);
    if (t->depends)
        g_ptr_array_unref(t->depends);
    if (t->ranges)
        g_ptr_array_unref(t->ranges);
    g_free(t);
}

wharf_metadata *wharf_metadata_new(void)
{
    wharf_metadata *m = g_new0(wharf_metadata, 1);
    m->commit_block_ms = -1;
    m->accounts = -1;
    m->tables = g_ptr_array_new_with_free_func(table_free);
    m->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    m->strings = g_string_chunk_new(64 * 1024);
    return m;
}

void wharf_metadata_free(wharf_metadata *m)
{
    if (m == NULL)
        return;
    g_free(m->tool);
    g_free(m->started);
    g_free(m->finished);
    g_free(m->server_version);
    g_free(m->data_format);
    g_free(m->statement_end);
    g_free(m->compression);
    g_free(m->lock_method);
    g_free(m->content_checksum);
    g_free(m->binlog_file);
    g_free(m->gtid);
    g_free(m->gtid_current);
    g_free(m->galera_position);
    g_free(m->upstream_host);
    g_free(m->upstream_file);
    g_free(m->upstream_gtid);
    g_free(m->sql_mode);
    g_free(m->time_zone);
    g_hash_table_unref(m->by_name);
    g_ptr_array_unref(m->tables);
    g_string_chunk_free(m->strings);
    g_free(m);
}

char *wharf_metadata_str(wharf_metadata *m, const char *s)
{
    return s != NULL ? g_string_chunk_insert(m->strings, s) : NULL;
}

/* Strings many entries share (database names, engines): stored once. */
static char *shared_str(wharf_metadata *m, const char *s)
{
    return s != NULL ? g_string_chunk_insert_const(m->strings, s) : NULL;
}

static char *table_key(const char *db, const char *table)
{
    return g_strconcat(db, "\x1f", table, NULL);
}

wharf_table_meta *wharf_metadata_table(wharf_metadata *m, const char *db, const char *table,
                                       gboolean create)
{
    char *key = table_key(db, table);
    wharf_table_meta *t = g_hash_table_lookup(m->by_name, key);
    if (t != NULL || !create) {
        g_free(key);
        return t;
    }
    t = g_new0(wharf_table_meta, 1);
    t->db = shared_str(m, db);
    t->table = wharf_metadata_str(m, table);
    t->rows = -1;
    t->snapshot = TRUE;
    t->chunks = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(m->tables, t);
    g_hash_table_insert(m->by_name, wharf_metadata_str(m, key), t);
    g_free(key);
    return t;
}

wharf_chunk_meta *wharf_table_meta_add_chunk(wharf_table_meta *t, const char *file, guint64 part,
                                             gint64 rows, guint64 bytes, guint32 crc32)
{
    size_t flen = strlen(file) + 1;
    wharf_chunk_meta *c = g_malloc(sizeof *c + flen);
    c->file = memcpy((char *)(c + 1), file, flen);
    c->part = part;
    c->rows = rows;
    c->bytes = bytes;
    c->crc32 = crc32;
    c->sum = 0;
    c->has_sum = FALSE;
    /* keep part order; chunks usually arrive in order, so scan from the end */
    guint i = t->chunks->len;
    while (i > 0 && ((wharf_chunk_meta *)g_ptr_array_index(t->chunks, i - 1))->part > part)
        i--;
    g_ptr_array_insert(t->chunks, (gint)i, c);
    return c;
}

void wharf_table_meta_add_range(wharf_metadata *m, wharf_table_meta *t, guint64 part, const char *cond)
{
    if (t->ranges == NULL)
        t->ranges = g_ptr_array_new_with_free_func(g_free);
    wharf_range_meta *r = g_new(wharf_range_meta, 1);
    r->part = part;
    r->cond = wharf_metadata_str(m, cond);
    guint i = t->ranges->len;
    while (i > 0 && ((wharf_range_meta *)g_ptr_array_index(t->ranges, i - 1))->part > part)
        i--;
    g_ptr_array_insert(t->ranges, (gint)i, r);
}

void wharf_table_meta_add_depend(wharf_table_meta *t, const char *dep)
{
    if (t->depends == NULL)
        t->depends = g_ptr_array_new_full(1, g_free);
    g_ptr_array_add(t->depends, g_strdup(dep));
}

/* ------------------------------------------------------------------------ */
/* group names */

/* One quoted identifier of a group name: backticks doubled; '%', '[', ']'
 * and control bytes as %XX (GKeyFile cannot hold them in a group name). */
static void append_group_ident(GString *s, const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    g_string_append_c(s, '`');
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p == '`') {
            g_string_append(s, "``");
        } else if (*p == '%' || *p == '[' || *p == ']' || *p < 0x20 || *p == 0x7F) {
            g_string_append_c(s, '%');
            g_string_append_c(s, hex[*p >> 4]);
            g_string_append_c(s, hex[*p & 15]);
        } else {
            g_string_append_c(s, (char)*p);
        }
    }
    g_string_append_c(s, '`');
}

char *wharf_metadata_group(const char *db, const char *table)
{
    GString *s = g_string_new(NULL);
    append_group_ident(s, db);
    g_string_append_c(s, '.');
    append_group_ident(s, table);
    return g_string_free(s, FALSE);
}

/* Decode %XX; a '%' not followed by two hex digits (or %00) stays as is, so
 * mydumper's unescaped names with '%' survive. */
static char *pct_decode(const char *s, size_t len)
{
    /* decoding never lengthens: one exact allocation (a GString would keep
     * at least 64 bytes per name for the whole run) */
    char *out = g_malloc(len + 1), *q = out;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len) {
            int hi = g_ascii_xdigit_value(s[i + 1]);
            int lo = g_ascii_xdigit_value(s[i + 2]);
            if (hi >= 0 && lo >= 0 && (hi | lo) != 0) {
                *q++ = (char)(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        *q++ = s[i];
    }
    *q = '\0';
    if ((size_t)(q - out) == len)
        return out;
    char *exact = g_strndup(out, (size_t)(q - out));
    g_free(out);
    return exact;
}

/* Parse one quoted identifier starting at *p (which must be the quote q);
 * doubled quotes stand for one. Advances *p past the closing quote. */
static char *parse_quoted(const char **p, char q)
{
    const char *s = *p;
    if (*s != q)
        return NULL;
    s++;
    GString *raw = g_string_new(NULL);
    for (;;) {
        if (*s == '\0') {
            g_string_free(raw, TRUE);
            return NULL;
        }
        if (*s == q) {
            if (s[1] == q) {
                g_string_append_c(raw, q);
                s += 2;
                continue;
            }
            s++;
            break;
        }
        g_string_append_c(raw, *s++);
    }
    *p = s;
    char *res = pct_decode(raw->str, raw->len);
    g_string_free(raw, TRUE);
    return res;
}

gboolean wharf_metadata_parse_group(const char *group, char **db, char **table)
{
    *db = *table = NULL;
    if (group == NULL)
        return FALSE;
    char q = group[0];
    if (q != '`' && q != '"')
        return FALSE;
    const char *p = group;
    char *d = parse_quoted(&p, q);
    if (d != NULL && *p == '.') {
        p++;
        char *t = parse_quoted(&p, q);
        if (t != NULL && *p == '\0') {
            *db = d;
            *table = t;
            return TRUE;
        }
        g_free(t);
    }
    g_free(d);
    /* mydumper does not double quotes inside group names: accept
     * `a`b`.`c` by splitting at the first "`.`". */
    size_t len = strlen(group);
    char sep[4] = {q, '.', q, '\0'};
    const char *mid = strstr(group + 1, sep);
    if (len >= 5 && group[len - 1] == q && mid != NULL && mid + 3 <= group + len - 1) {
        *db = pct_decode(group + 1, (size_t)(mid - group - 1));
        *table = pct_decode(mid + 3, (size_t)(group + len - 1 - (mid + 3)));
        return TRUE;
    }
    return FALSE;
}

/* ------------------------------------------------------------------------ */
/* writing */

static void set_str(GKeyFile *kf, const char *group, const char *key, const char *value)
{
    if (value != NULL)
        g_key_file_set_string(kf, group, key, value);
}

/* 'value' quoted as an SQL string, for [myloader_session_variables]. */
static char *sql_quoted(const char *v)
{
    GString *s = g_string_new("'");
    for (const char *p = v; *p; p++) {
        if (*p == '\'' || *p == '\\')
            g_string_append_c(s, '\\');
        g_string_append_c(s, *p);
    }
    g_string_append_c(s, '\'');
    return g_string_free(s, FALSE);
}

/* The groups before the tables: [config], [wharf], the session variables,
 * [source]. */
static GKeyFile *build_header(const wharf_metadata *m)
{
    GKeyFile *kf = g_key_file_new();
    g_key_file_set_value(kf, G_CONFIG, "quote-character", "BACKTICK");

    g_key_file_set_string(kf, G_WHARF, "tool", m->tool ? m->tool : "wharf " WHARF_VERSION);
    set_str(kf, G_WHARF, "started", m->started);
    set_str(kf, G_WHARF, "finished", m->finished);
    set_str(kf, G_WHARF, "server-version", m->server_version);
    set_str(kf, G_WHARF, "format", m->data_format);
    set_str(kf, G_WHARF, "statement-end", m->statement_end);
    set_str(kf, G_WHARF, "compression", m->compression);
    set_str(kf, G_WHARF, "lock", m->lock_method);
    if (m->commit_block_ms >= 0)
        g_key_file_set_int64(kf, G_WHARF, "commit-block-ms", m->commit_block_ms);
    set_str(kf, G_WHARF, "content-checksum", m->content_checksum);
    set_str(kf, G_WHARF, "gtid-current-pos", m->gtid_current);
    set_str(kf, G_WHARF, "galera-position", m->galera_position);
    set_str(kf, G_WHARF, "replica-of-host", m->upstream_host);
    if (m->upstream_host) {
        g_key_file_set_uint64(kf, G_WHARF, "replica-of-port", m->upstream_port);
        set_str(kf, G_WHARF, "replica-of-file", m->upstream_file);
        g_key_file_set_uint64(kf, G_WHARF, "replica-of-position", m->upstream_position);
        set_str(kf, G_WHARF, "replica-of-gtid", m->upstream_gtid);
    }
    if (m->accounts >= 0)
        g_key_file_set_int64(kf, G_WHARF, "accounts", m->accounts);

    if (m->sql_mode != NULL) {
        char *q = sql_quoted(m->sql_mode);
        char *v = g_strconcat(q, " /*!40101", NULL);
        g_key_file_set_value(kf, G_SESSION, "SQL_MODE", v);
        g_free(v);
        g_free(q);
    }
    if (m->time_zone != NULL) {
        char *q = sql_quoted(m->time_zone);
        g_key_file_set_value(kf, G_SESSION, "time_zone", q);
        g_free(q);
    }

    if (m->binlog_file != NULL || m->gtid != NULL) {
        set_str(kf, G_SOURCE, "File", m->binlog_file ? m->binlog_file : "");
        g_key_file_set_uint64(kf, G_SOURCE, "Position", m->binlog_position);
        set_str(kf, G_SOURCE, "Executed_Gtid_Set", m->gtid ? m->gtid : "");
    }
    return kf;
}

/* `metadata.header` of a stream: [config] and the session variables as in
 * build_header(), so the two agree when a loader merges them. */
char *wharf_metadata_stream_header(const char *sql_mode, const char *time_zone)
{
    wharf_metadata m = {.sql_mode = (char *)sql_mode, .time_zone = (char *)time_zone};
    GKeyFile *kf = build_header(&m);
    g_key_file_remove_group(kf, G_WHARF, NULL);
    char *text = g_key_file_to_data(kf, NULL, NULL);
    g_key_file_free(kf);
    return text;
}

/* One table's group, into kf (which holds no other group). */
static void build_table(GKeyFile *kf, const wharf_table_meta *t)
{
    char *g = wharf_metadata_group(t->file_db ? t->file_db : t->db,
                                   t->file_table ? t->file_table : t->table);
    g_key_file_set_string(kf, g, "real_table_name", t->table);
    if (t->file_db && strcmp(t->file_db, t->db) != 0)
        g_key_file_set_string(kf, g, "wharf-database", t->db);
    g_key_file_set_int64(kf, g, "rows", t->rows);
    set_str(kf, g, "wharf-kind", t->kind ? t->kind : "table");
    set_str(kf, g, "wharf-engine", t->engine);
    g_key_file_set_boolean(kf, g, "wharf-snapshot", t->snapshot);
    if (t->history)
        g_key_file_set_boolean(kf, g, "wharf-history", TRUE);
    /* No is_sequence = 1: myloader 1.0 then skips the sequence's data
     * file, which holds its state (wharf-kind says what it is). */
    g_key_file_set_uint64(kf, g, "wharf-chunks", t->chunks->len);
    for (guint c = 0; c < t->chunks->len; c++) {
        const wharf_chunk_meta *ch = g_ptr_array_index(t->chunks, c);
        char *key = g_strdup_printf(CHUNK_PREFIX "%05" G_GUINT64_FORMAT, ch->part);
        char *val = g_strdup_printf("%s;%" G_GINT64_FORMAT ";%" G_GUINT64_FORMAT ";%08x",
                                    ch->file, ch->rows, ch->bytes, (unsigned)ch->crc32);
        g_key_file_set_string(kf, g, key, val);
        g_free(val);
        g_free(key);
        if (ch->has_sum) {
            char hex[17];
            wharf_checksum_format(ch->sum, hex);
            key = g_strdup_printf(SUM_PREFIX "%05" G_GUINT64_FORMAT, ch->part);
            g_key_file_set_string(kf, g, key, hex);
            g_free(key);
        }
    }
    set_str(kf, g, "wharf-where", t->where);
    for (guint c = 0; t->ranges && c < t->ranges->len; c++) {
        const wharf_range_meta *r = g_ptr_array_index(t->ranges, c);
        char *key = g_strdup_printf(RANGE_PREFIX "%05" G_GUINT64_FORMAT, r->part);
        g_key_file_set_string(kf, g, key, r->cond);
        g_free(key);
    }
    if (t->depends && t->depends->len > 0)
        g_key_file_set_string_list(kf, g, "wharf-depends",
                                   (const gchar *const *)t->depends->pdata, t->depends->len);
    g_free(g);
}

struct wharf_metadata_writer {
    wharf_writer *w;
    char *dir;
    GKeyFile *kf;    /* reused: one group at a time */
    char last[2];    /* the last two bytes written (group separation) */
    gsize written;
};

/* Append one key file's text as g_key_file_to_data() would have placed it
 * in one file holding every group: groups separated by an empty line. */
static gboolean put_groups(wharf_metadata_writer *mw, GKeyFile *kf, GError **err)
{
    gsize len = 0;
    char *data = g_key_file_to_data(kf, &len, NULL);
    gboolean ok = TRUE;
    if (len > 0 && mw->written >= 2 && mw->last[0] != '\n')
        ok = wharf_writer_write(mw->w, "\n", 1, err);
    if (ok && len > 0)
        ok = wharf_writer_write(mw->w, data, len, err);
    if (ok && len > 0) {
        mw->last[0] = len >= 2 ? data[len - 2] : mw->last[1];
        mw->last[1] = data[len - 1];
        mw->written += len;
    }
    g_free(data);
    return ok;
}

static wharf_metadata_writer *writer_start(const wharf_metadata *m, wharf_writer *w, const char *dir,
                                           GError **err);

wharf_metadata_writer *wharf_metadata_writer_open(const wharf_metadata *m, const char *dir,
                                                  GError **err)
{
    char *path = g_build_filename(dir, "metadata", NULL);
    wharf_writer *w = wharf_writer_open(path, WHARF_COMPRESS_NONE, 0, err);
    g_free(path);
    if (w == NULL)
        return NULL;
    return writer_start(m, w, dir, err);
}

wharf_metadata_writer *wharf_metadata_writer_open_on(const wharf_metadata *m, wharf_writer *w, GError **err)
{
    return writer_start(m, w, NULL, err);
}

static wharf_metadata_writer *writer_start(const wharf_metadata *m, wharf_writer *w, const char *dir,
                                           GError **err)
{
    wharf_metadata_writer *mw = g_new0(wharf_metadata_writer, 1);
    mw->w = w;
    mw->dir = g_strdup(dir);
    GKeyFile *kf = build_header(m);
    gboolean ok = put_groups(mw, kf, err);
    g_key_file_unref(kf);
    for (guint i = 0; ok && i < m->tables->len; i++)
        ok = wharf_metadata_writer_table(mw, g_ptr_array_index(m->tables, i), err);
    if (!ok) {
        wharf_metadata_writer_abort(mw);
        return NULL;
    }
    return mw;
}

gboolean wharf_metadata_writer_table(wharf_metadata_writer *mw, const wharf_table_meta *t,
                                     GError **err)
{
    if (mw->kf == NULL)
        mw->kf = g_key_file_new();
    build_table(mw->kf, t);
    gboolean ok = put_groups(mw, mw->kf, err);
    gsize n = 0;
    char **groups = g_key_file_get_groups(mw->kf, &n);
    for (gsize i = 0; i < n; i++)
        g_key_file_remove_group(mw->kf, groups[i], NULL);
    g_strfreev(groups);
    return ok;
}

static void writer_free(wharf_metadata_writer *mw)
{
    if (mw->kf)
        g_key_file_unref(mw->kf);
    g_free(mw->dir);
    g_free(mw);
}

gboolean wharf_metadata_writer_commit(wharf_metadata_writer *mw, GError **err)
{
    gboolean ok = wharf_writer_commit(mw->w, err);
    if (!ok)
        wharf_writer_abort(mw->w);
    ok = ok && (mw->dir == NULL || wharf_fsync_dir(mw->dir, err));
    writer_free(mw);
    return ok;
}

void wharf_metadata_writer_abort(wharf_metadata_writer *mw)
{
    if (mw == NULL)
        return;
    wharf_writer_abort(mw->w);
    writer_free(mw);
}

gboolean wharf_metadata_write(const wharf_metadata *m, const char *dir, GError **err)
{
    wharf_metadata_writer *mw = wharf_metadata_writer_open(m, dir, err);
    return mw != NULL && wharf_metadata_writer_commit(mw, err);
}

/* ------------------------------------------------------------------------ */
/* reading */

typedef struct {
    GKeyFile *kf;
    const char *path; /* DIR/metadata, for messages */
} reader_ctx;

static gboolean fail(const reader_ctx *c, GError **err, const char *group, const char *key,
                     const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static gboolean fail(const reader_ctx *c, GError **err, const char *group, const char *key,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, "%s: [%s] %s: %s", c->path, group, key, msg);
    g_free(msg);
    return FALSE;
}

/* Optional string: NULL when absent. */
static gboolean get_str(const reader_ctx *c, const char *group, const char *key, char **out,
                        GError **err)
{
    *out = NULL;
    if (!g_key_file_has_key(c->kf, group, key, NULL))
        return TRUE;
    GError *e = NULL;
    char *v = g_key_file_get_string(c->kf, group, key, &e);
    if (v == NULL) {
        fail(c, err, group, key, "%s", e->message);
        g_error_free(e);
        return FALSE;
    }
    *out = v;
    return TRUE;
}

/* Unsigned (allow_negative = FALSE) or signed decimal of the whole string. */
static gboolean parse_int(const char *s, gboolean allow_negative, gint64 *out_i, guint64 *out_u)
{
    if (s == NULL)
        return FALSE;
    while (g_ascii_isspace(*s))
        s++;
    if (*s == '\0')
        return FALSE;
    char *end = NULL;
    errno = 0;
    if (allow_negative) {
        if (!g_ascii_isdigit(*s) && !(*s == '-' && g_ascii_isdigit(s[1])))
            return FALSE;
        gint64 v = g_ascii_strtoll(s, &end, 10);
        if (errno != 0)
            return FALSE;
        *out_i = v;
    } else {
        if (!g_ascii_isdigit(*s))
            return FALSE;
        guint64 v = g_ascii_strtoull(s, &end, 10);
        if (errno != 0)
            return FALSE;
        *out_u = v;
    }
    while (g_ascii_isspace(*end))
        end++;
    return *end == '\0';
}

static gboolean get_i64(const reader_ctx *c, const char *group, const char *key, gint64 *out,
                        GError **err)
{
    char *v = NULL;
    if (!get_str(c, group, key, &v, err))
        return FALSE;
    if (v == NULL)
        return TRUE; /* absent: keep the default */
    guint64 u;
    gboolean ok = parse_int(v, TRUE, out, &u);
    if (!ok)
        fail(c, err, group, key, "not a number: '%s'", v);
    g_free(v);
    return ok;
}

static gboolean get_u64(const reader_ctx *c, const char *group, const char *key, guint64 *out,
                        gboolean *present, GError **err)
{
    char *v = NULL;
    if (present)
        *present = FALSE;
    if (!get_str(c, group, key, &v, err))
        return FALSE;
    if (v == NULL)
        return TRUE;
    gint64 i;
    gboolean ok = parse_int(v, FALSE, &i, out);
    if (!ok)
        fail(c, err, group, key, "not an unsigned number: '%s'", v);
    else if (present)
        *present = TRUE;
    g_free(v);
    return ok;
}

/* Session variable values are SQL: 'text' followed by an optional version
 * comment opener -> text. */
static char *unquote_session_value(const char *v)
{
    char *s = g_strdup(v);
    g_strstrip(s);
    char *c = strstr(s, "/*");
    if (c != NULL) {
        *c = '\0';
        g_strchomp(s);
    }
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
        GString *out = g_string_new(NULL);
        for (size_t i = 1; i + 1 < n; i++) {
            if (s[i] == '\\' && i + 2 < n)
                i++;
            else if (s[i] == s[0] && s[i + 1] == s[0] && i + 2 < n)
                i++;
            g_string_append_c(out, s[i]);
        }
        g_free(s);
        return g_string_free(out, FALSE);
    }
    return s;
}

static gboolean read_chunk(const reader_ctx *c, wharf_table_meta *t, const char *group,
                           const char *key, GError **err)
{
    guint64 part;
    gint64 unused;
    if (!parse_int(key + strlen(CHUNK_PREFIX), FALSE, &unused, &part) ||
        !g_ascii_isdigit(key[strlen(key) - 1]))
        return fail(c, err, group, key, "bad chunk number in key");
    char *v = NULL;
    if (!get_str(c, group, key, &v, err))
        return FALSE;
    /* file;rows;bytes;crc32 -- the file name may itself contain ';', so
     * split the three numbers off the right. */
    char *f[3] = {NULL, NULL, NULL};
    char *end = v + strlen(v);
    gboolean ok = TRUE;
    for (int i = 2; i >= 0; i--) {
        char *semi = g_strrstr_len(v, end - v, ";");
        if (semi == NULL) {
            ok = FALSE;
            break;
        }
        *semi = '\0';
        f[i] = semi + 1;
        end = semi;
    }
    gint64 rows = 0;
    guint64 bytes = 0, crc = 0;
    guint64 u;
    if (ok)
        ok = v[0] != '\0' && parse_int(f[0], TRUE, &rows, &u) && rows >= -1 &&
             parse_int(f[1], FALSE, &unused, &bytes);
    if (ok) {
        char *e = NULL;
        const char *h = f[2];
        ok = h[0] != '\0' && strlen(h) <= 8;
        for (const char *p = h; ok && *p; p++)
            ok = g_ascii_isxdigit(*p);
        if (ok)
            crc = g_ascii_strtoull(h, &e, 16);
    }
    if (!ok) {
        char *raw = g_key_file_get_value(c->kf, group, key, NULL);
        fail(c, err, group, key, "bad chunk entry '%s' (want file;rows;bytes;crc32hex)",
             raw ? raw : "");
        g_free(raw);
        g_free(v);
        return FALSE;
    }
    wharf_table_meta_add_chunk(t, v, part, rows, bytes, (guint32)crc);
    g_free(v);
    return TRUE;
}

/* The chunk number of a "PREFIXNNNNN" key. */
static gboolean key_part(const reader_ctx *c, const char *group, const char *key, const char *prefix,
                         guint64 *part, GError **err)
{
    gint64 unused;
    if (!parse_int(key + strlen(prefix), FALSE, &unused, part) || !g_ascii_isdigit(key[strlen(key) - 1]))
        return fail(c, err, group, key, "bad chunk number in key");
    return TRUE;
}

/* wharf-sum-NNNNN: the content checksum of chunk NNNNN, which must be listed. */
static gboolean read_sum(const reader_ctx *c, wharf_table_meta *t, const char *group, const char *key,
                         GError **err)
{
    guint64 part;
    char *v = NULL;
    if (!key_part(c, group, key, SUM_PREFIX, &part, err) || !get_str(c, group, key, &v, err))
        return FALSE;
    /* chunks are in part order: binary search (a table may have a million) */
    wharf_chunk_meta *ch = NULL;
    guint lo = 0, hi = t->chunks->len;
    while (lo < hi && ch == NULL) {
        guint mid = lo + (hi - lo) / 2;
        wharf_chunk_meta *m = t->chunks->pdata[mid];
        if (m->part == part)
            ch = m;
        else if (m->part < part)
            lo = mid + 1;
        else
            hi = mid;
    }
    gboolean ok = ch != NULL && !ch->has_sum && wharf_checksum_parse(v, &ch->sum);
    if (!ok) {
        char *why = ch == NULL     ? g_strdup("no wharf-chunk entry for this chunk")
                    : ch->has_sum ? g_strdup("chunk listed twice")
                                  : g_strdup_printf("bad checksum '%s' (want 16 hex digits)", v);
        fail(c, err, group, key, "%s", why);
        g_free(why);
    } else {
        ch->has_sum = TRUE;
    }
    g_free(v);
    return ok;
}

static gboolean read_range(const reader_ctx *c, wharf_metadata *m, wharf_table_meta *t,
                           const char *group, const char *key, GError **err)
{
    guint64 part;
    char *v = NULL;
    if (!key_part(c, group, key, RANGE_PREFIX, &part, err) || !get_str(c, group, key, &v, err))
        return FALSE;
    wharf_table_meta_add_range(m, t, part, v); /* a part twice: found after all keys */
    g_free(v);
    return TRUE;
}

/* wharf-where and the wharf-sum-/wharf-range- keys (after the chunks). */
static gboolean read_content_keys(const reader_ctx *c, wharf_metadata *m, wharf_table_meta *t,
                                  const char *group, char **keys, gsize nkeys, GError **err)
{
    char *where = NULL;
    if (!get_str(c, group, "wharf-where", &where, err))
        return FALSE;
    t->where = wharf_metadata_str(m, where);
    g_free(where);
    for (gsize i = 0; keys != NULL && i < nkeys; i++) {
        if (g_str_has_prefix(keys[i], SUM_PREFIX) && !read_sum(c, t, group, keys[i], err))
            return FALSE;
        if (g_str_has_prefix(keys[i], RANGE_PREFIX) && !read_range(c, m, t, group, keys[i], err))
            return FALSE;
    }
    for (guint i = 1; t->ranges && i < t->ranges->len; i++) {
        const wharf_range_meta *a = t->ranges->pdata[i - 1], *b = t->ranges->pdata[i];
        if (a->part == b->part)
            return fail(c, err, group, RANGE_PREFIX "NNNNN", "chunk %" G_GUINT64_FORMAT " listed twice", a->part);
    }
    return TRUE;
}

static gboolean read_table(const reader_ctx *c, wharf_metadata *m, const char *group,
                           gboolean is_wharf, GError **err)
{
    char *db = NULL, *table = NULL;
    if (!wharf_metadata_parse_group(group, &db, &table))
        return TRUE; /* database groups (mydumper's [`db`]) and others: kept in raw */
    /* The group carries file-name forms; the real names are in
     * real_table_name and (wharf, a mapped database) wharf-database. */
    char *real = NULL, *real_db = NULL;
    if (!get_str(c, group, "real_table_name", &real, err) ||
        !get_str(c, group, "wharf-database", &real_db, err)) {
        g_free(db);
        g_free(table);
        g_free(real);
        return FALSE;
    }
    if (wharf_metadata_table(m, db, table, FALSE) != NULL) {
        fail(c, err, group, "real_table_name", "table `%s`.`%s` listed twice", db, table);
        g_free(db);
        g_free(table);
        g_free(real);
        g_free(real_db);
        return FALSE;
    }
    wharf_table_meta *t = wharf_metadata_table(m, db, table, TRUE);
    if (!is_wharf && real != NULL) {
        /* mydumper writes the name raw (no key-file escapes: a backslash is
         * a backslash), a line break as U+1000 then '0' */
        g_free(real);
        char *raw = g_key_file_get_value(c->kf, group, "real_table_name", NULL);
        GString *r = g_string_new(raw ? raw : "");
        g_string_replace(r, "\xE1\x80\x80" "0", "\n", 0);
        real = g_string_free(r, FALSE);
        g_free(raw);
    }
    /* the group's names are kept only where the real ones differ */
    if (real != NULL && real[0] != '\0' && strcmp(real, table) != 0) {
        t->file_table = t->table;
        t->table = wharf_metadata_str(m, real);
    }
    if (real_db != NULL && real_db[0] != '\0' && strcmp(real_db, db) != 0) {
        t->file_db = t->db;
        t->db = shared_str(m, real_db);
    }
    g_free(db);
    g_free(table);
    g_free(real);
    g_free(real_db);

    if (!get_i64(c, group, "rows", &t->rows, err))
        return FALSE;
    if (t->rows < -1)
        return fail(c, err, group, "rows", "negative row count");
    char *kind = NULL;
    if (!get_str(c, group, "wharf-kind", &kind, err))
        return FALSE;
    if (kind == NULL) {
        gint64 seq = 0;
        if (!get_i64(c, group, "is_sequence", &seq, err))
            return FALSE;
        t->kind = seq ? "sequence" : "table";
    } else {
        static const char *const kinds[] = {"table", "view", "sequence"};
        for (size_t i = 0; i < G_N_ELEMENTS(kinds) && t->kind == NULL; i++)
            if (strcmp(kind, kinds[i]) == 0)
                t->kind = kinds[i];
        if (t->kind == NULL) {
            fail(c, err, group, "wharf-kind", "unknown kind '%s'", kind);
            g_free(kind);
            return FALSE;
        }
        g_free(kind);
    }
    char *engine = NULL;
    if (!get_str(c, group, "wharf-engine", &engine, err))
        return FALSE;
    t->engine = shared_str(m, engine);
    g_free(engine);
    if (g_key_file_has_key(c->kf, group, "wharf-snapshot", NULL)) {
        GError *e = NULL;
        gboolean b = g_key_file_get_boolean(c->kf, group, "wharf-snapshot", &e);
        if (e != NULL) {
            fail(c, err, group, "wharf-snapshot", "%s", e->message);
            g_error_free(e);
            return FALSE;
        }
        t->snapshot = b;
    }
    if (g_key_file_has_key(c->kf, group, "wharf-history", NULL)) {
        GError *e = NULL;
        t->history = g_key_file_get_boolean(c->kf, group, "wharf-history", &e);
        if (e != NULL) {
            fail(c, err, group, "wharf-history", "%s", e->message);
            g_error_free(e);
            return FALSE;
        }
    }

    gsize nkeys = 0;
    char **keys = g_key_file_get_keys(c->kf, group, &nkeys, NULL);
    for (gsize i = 0; keys != NULL && i < nkeys; i++) {
        if (g_str_has_prefix(keys[i], CHUNK_PREFIX) && !read_chunk(c, t, group, keys[i], err)) {
            g_strfreev(keys);
            return FALSE;
        }
    }
    for (guint i = 1; i < t->chunks->len; i++) {
        const wharf_chunk_meta *a = g_ptr_array_index(t->chunks, i - 1);
        const wharf_chunk_meta *b = g_ptr_array_index(t->chunks, i);
        if (a->part == b->part) {
            g_strfreev(keys);
            return fail(c, err, group, CHUNK_PREFIX "NNNNN", "chunk %" G_GUINT64_FORMAT " listed twice",
                        a->part);
        }
    }
    gboolean content_ok = read_content_keys(c, m, t, group, keys, nkeys, err);
    g_strfreev(keys);
    if (!content_ok)
        return FALSE;
    guint64 nchunks = 0;
    gboolean have_count = FALSE;
    if (!get_u64(c, group, "wharf-chunks", &nchunks, &have_count, err))
        return FALSE;
    if (have_count && nchunks != t->chunks->len)
        return fail(c, err, group, "wharf-chunks",
                    "says %" G_GUINT64_FORMAT " chunks but %u wharf-chunk-NNNNN keys are present",
                    nchunks, t->chunks->len);

    if (g_key_file_has_key(c->kf, group, "wharf-depends", NULL)) {
        GError *e = NULL;
        gsize n = 0;
        char **deps = g_key_file_get_string_list(c->kf, group, "wharf-depends", &n, &e);
        if (e != NULL) {
            fail(c, err, group, "wharf-depends", "%s", e->message);
            g_error_free(e);
            return FALSE;
        }
        for (gsize i = 0; i < n; i++) {
            if (deps[i][0] != '\0')
                wharf_table_meta_add_depend(t, deps[i]);
        }
        g_strfreev(deps);
    }
    return TRUE;
}

/* An optional unsigned key (absent: 0). */
static gboolean get_u64_opt(const reader_ctx *c, const char *group, const char *key, guint64 *out, GError **err)
{
    char *v = NULL;
    if (!get_str(c, group, key, &v, err))
        return FALSE;
    gint64 i = 0;
    gboolean ok = v == NULL || *v == '\0' || parse_int(v, FALSE, &i, out);
    if (!ok)
        fail(c, err, group, key, "not an unsigned number: '%s'", v);
    g_free(v);
    return ok;
}

/* The groups before the tables, from the key file of their text. */
static gboolean read_header(const reader_ctx *c, wharf_metadata *m, GError **err)
{
    GKeyFile *kf = c->kf;
    gboolean is_wharf = g_key_file_has_group(kf, G_WHARF);
    m->has_config = g_key_file_has_group(kf, G_CONFIG);
    if (is_wharf) {
        if (!get_str(c, G_WHARF, "tool", &m->tool, err) ||
            !get_str(c, G_WHARF, "started", &m->started, err) ||
            !get_str(c, G_WHARF, "finished", &m->finished, err) ||
            !get_str(c, G_WHARF, "server-version", &m->server_version, err) ||
            !get_str(c, G_WHARF, "format", &m->data_format, err) ||
            !get_str(c, G_WHARF, "statement-end", &m->statement_end, err) ||
            !get_str(c, G_WHARF, "compression", &m->compression, err) ||
            !get_str(c, G_WHARF, "lock", &m->lock_method, err) ||
            !get_str(c, G_WHARF, "content-checksum", &m->content_checksum, err) ||
            !get_str(c, G_WHARF, "gtid-current-pos", &m->gtid_current, err) ||
            !get_str(c, G_WHARF, "galera-position", &m->galera_position, err) ||
            !get_str(c, G_WHARF, "replica-of-host", &m->upstream_host, err) ||
            !get_str(c, G_WHARF, "replica-of-file", &m->upstream_file, err) ||
            !get_str(c, G_WHARF, "replica-of-gtid", &m->upstream_gtid, err) ||
            !get_u64_opt(c, G_WHARF, "replica-of-port", &m->upstream_port, err) ||
            !get_u64_opt(c, G_WHARF, "replica-of-position", &m->upstream_position, err) ||
            !get_i64(c, G_WHARF, "commit-block-ms", &m->commit_block_ms, err) ||
            !get_i64(c, G_WHARF, "accounts", &m->accounts, err))
            return FALSE;
    } else {
        m->tool = g_strdup("mydumper");
    }

    if (g_key_file_has_group(kf, G_CONFIG)) {
        char *q = NULL;
        const char *key = g_key_file_has_key(kf, G_CONFIG, "quote-character", NULL)
                              ? "quote-character"
                              : "quote_character";
        if (!get_str(c, G_CONFIG, key, &q, err))
            return FALSE;
        if (q != NULL && strcmp(q, "BACKTICK") != 0 && strcmp(q, "DOUBLE_QUOTE") != 0) {
            fail(c, err, G_CONFIG, key, "unknown quote character '%s'", q);
            g_free(q);
            return FALSE;
        }
        g_free(q);
    }

    if (g_key_file_has_group(kf, G_SESSION)) {
        gsize n = 0;
        char **keys = g_key_file_get_keys(kf, G_SESSION, &n, NULL);
        for (gsize i = 0; keys != NULL && i < n; i++) {
            char *v = g_key_file_get_value(kf, G_SESSION, keys[i], NULL);
            if (v == NULL)
                continue;
            if (g_ascii_strcasecmp(keys[i], "SQL_MODE") == 0) {
                g_free(m->sql_mode);
                m->sql_mode = unquote_session_value(v);
            } else if (g_ascii_strcasecmp(keys[i], "time_zone") == 0) {
                g_free(m->time_zone);
                m->time_zone = unquote_session_value(v);
            }
            g_free(v);
        }
        g_strfreev(keys);
    }

    const char *src = g_key_file_has_group(kf, G_SOURCE) ? G_SOURCE
                      : g_key_file_has_group(kf, G_MASTER) ? G_MASTER
                                                             : NULL;
    if (src != NULL) {
        if (!get_str(c, src, "File", &m->binlog_file, err))
            return FALSE;
        char *pos = NULL;
        if (!get_str(c, src, "Position", &pos, err))
            return FALSE;
        if (pos != NULL && pos[0] != '\0') {
            gint64 i;
            if (!parse_int(pos, FALSE, &i, &m->binlog_position)) {
                fail(c, err, src, "Position", "not an unsigned number: '%s'", pos);
                g_free(pos);
                return FALSE;
            }
        }
        g_free(pos);
        if (!get_str(c, src, "Executed_Gtid_Set", &m->gtid, err))
            return FALSE;
        if (m->binlog_file != NULL && m->binlog_file[0] == '\0')
            g_clear_pointer(&m->binlog_file, g_free);
        if (m->gtid != NULL && m->gtid[0] == '\0')
            g_clear_pointer(&m->gtid, g_free);
    }

    return TRUE;
}

/* The file read one group at a time: a section is a group line (as
 * GKeyFile tells one: after leading white space, '[' then a name up to the
 * first ']', then only blanks) and the lines up to the next one; the lines
 * before the first group form a section of their own (group NULL). */
typedef struct section_reader {
    FILE *f;
    char *line;      /* getline buffer */
    size_t cap;
    ssize_t pending; /* > 0: line holds the group line of the next section (its length) */
    GString *text;   /* the current section */
    char *group;     /* its group name, NULL for the lines before any */
} section_reader;

/* The group name of a line that is a group line, else NULL (newly allocated). */
static char *group_line(const char *line)
{
    while (g_ascii_isspace(*line))
        line++;
    if (*line != '[')
        return NULL;
    const char *close = strchr(line, ']');
    if (close == NULL)
        return NULL;
    const char *p = close + 1;
    while (*p == ' ' || *p == '\t')
        p++;
    /* GKeyFile sees a line without its "\n" and one "\r" before it */
    if (*p == '\r' && p[1] == '\n')
        p++;
    if (*p == '\n')
        p++;
    return *p == '\0' ? g_strndup(line + 1, (size_t)(close - line - 1)) : NULL;
}

/* The next section into sr->text / sr->group; FALSE at the end of the file. */
static gboolean next_section(section_reader *sr)
{
    g_string_truncate(sr->text, 0);
    g_clear_pointer(&sr->group, g_free);
    gboolean any = FALSE;
    if (sr->pending > 0) {
        sr->group = group_line(sr->line);
        g_string_append_len(sr->text, sr->line, sr->pending);
        sr->pending = 0;
        any = TRUE;
    }
    ssize_t n;
    while ((n = getline(&sr->line, &sr->cap, sr->f)) >= 0) {
        char *g = group_line(sr->line);
        if (g != NULL && any) {
            g_free(g);
            sr->pending = n;
            return TRUE;
        }
        if (g != NULL)
            sr->group = g;
        g_string_append_len(sr->text, sr->line, n);
        any = TRUE;
    }
    return any;
}

static gboolean is_header_group(const char *g)
{
    return g == NULL || strcmp(g, G_CONFIG) == 0 || strcmp(g, G_WHARF) == 0 ||
           strcmp(g, G_SESSION) == 0 || strcmp(g, G_SOURCE) == 0 || strcmp(g, G_MASTER) == 0;
}

static gboolean load_text(GKeyFile *kf, const reader_ctx *c, const GString *text, GError **err)
{
    GError *e = NULL;
    if (g_key_file_load_from_data(kf, text->str, text->len, G_KEY_FILE_NONE, &e))
        return TRUE;
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, "%s: malformed key file: %s", c->path,
                e->message);
    g_error_free(e);
    return FALSE;
}

/* Pass 1: the header groups' text (wherever they are) as one key file, so
 * that they merge as in a key file of the whole text. */
static gboolean read_pass_header(section_reader *sr, const reader_ctx *c, wharf_metadata *m,
                                 gboolean *is_wharf, GError **err)
{
    GString *all = g_string_new(NULL);
    while (next_section(sr))
        if (is_header_group(sr->group))
            g_string_append_len(all, sr->text->str, (gssize)sr->text->len);
    gboolean ok = load_text(c->kf, c, all, err);
    g_string_free(all, TRUE);
    *is_wharf = ok && g_key_file_has_group(c->kf, G_WHARF);
    return ok && read_header(c, m, err);
}

/* Pass 2: each other group on its own. */
static gboolean read_pass_tables(section_reader *sr, const reader_ctx *c, wharf_metadata *m,
                                 gboolean is_wharf, GError **err)
{
    while (next_section(sr)) {
        if (is_header_group(sr->group))
            continue;
        if (!load_text(c->kf, c, sr->text, err))
            return FALSE;
        char *group = g_key_file_get_start_group(c->kf);
        gboolean ok = read_table(c, m, group, is_wharf, err);
        g_free(group);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

static gboolean read_stream(FILE *f, const char *path, wharf_metadata *m, GError **err)
{
    section_reader sr = {.f = f, .text = g_string_new(NULL)};
    reader_ctx c = {g_key_file_new(), path};
    gboolean is_wharf = FALSE;
    gboolean ok = read_pass_header(&sr, &c, m, &is_wharf, err);
    if (ok && fseek(f, 0, SEEK_SET) != 0) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: %s", path, g_strerror(errno));
        ok = FALSE;
    }
    sr.pending = 0;
    ok = ok && read_pass_tables(&sr, &c, m, is_wharf, err);
    if (ok && ferror(f)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: read error: %s", path, g_strerror(errno));
        ok = FALSE;
    }
    g_key_file_unref(c.kf);
    g_string_free(sr.text, TRUE);
    g_free(sr.group);
    free(sr.line);
    return ok;
}

wharf_metadata *wharf_metadata_read(const char *dir, GError **err)
{
    char *path = g_build_filename(dir, "metadata", NULL);
    FILE *f = fopen(path, "re");
    if (f == NULL) {
        int e = errno;
        g_set_error(err, WHARF_ERROR, e == ENOENT ? WHARF_ERROR_NOT_FOUND : WHARF_ERROR_IO,
                    "%s: open: %s", path, g_strerror(e));
        g_free(path);
        return NULL;
    }
    wharf_metadata *m = wharf_metadata_new();
    gboolean ok = read_stream(f, path, m, err);
    fclose(f);
    g_free(path);
    if (!ok) {
        wharf_metadata_free(m);
        return NULL;
    }
    return m;
}

wharf_metadata *wharf_metadata_read_text(const char *path, const char *text, size_t len, GError **err)
{
    FILE *f = fmemopen((void *)text, len ? len : 1, "r");
    if (f == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: fmemopen: %s", path, g_strerror(errno));
        return NULL;
    }
    wharf_metadata *m = wharf_metadata_new();
    gboolean ok = len == 0 || read_stream(f, path, m, err);
    fclose(f);
    if (!ok) {
        wharf_metadata_free(m);
        return NULL;
    }
    return m;
}
