/* layout: names of the files in a dump directory. See layout.h. */
#include "format/layout.h"

#include <string.h>

static gboolean needs_escape(unsigned char c, gboolean first)
{
    return c == '.' || c == '/' || c == '%' || c == '\\' || c < 0x20 || c == 0x7F ||
           (first && c == '-');
}

#define MAPPED_PREFIX "mydumper_"

gboolean wharf_layout_name_is_plain(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64 || g_str_has_prefix(name, MAPPED_PREFIX) || name[0] == '-' ||
        name[0] == ' ' || name[n - 1] == ' ')
        return FALSE;
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isalnum(name[i]) && name[i] != '_' && name[i] != '-' && name[i] != ' ')
            return FALSE;
    return TRUE;
}

char *wharf_layout_mapped_name(guint n)
{
    return g_strdup_printf(MAPPED_PREFIX "%u", n);
}

gboolean wharf_layout_is_mapped(const char *fname)
{
    return g_str_has_prefix(fname, MAPPED_PREFIX);
}

char *wharf_layout_encode_name(const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    GString *s = g_string_sized_new(strlen(name) + 8);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (needs_escape(*p, p == (const unsigned char *)name)) {
            g_string_append_c(s, '%');
            g_string_append_c(s, hex[*p >> 4]);
            g_string_append_c(s, hex[*p & 15]);
        } else {
            g_string_append_c(s, (char)*p);
        }
    }
    return g_string_free(s, FALSE);
}

/* Decode the first len bytes of enc; NULL if invalid (bad %XX, %00). */
static char *decode_len(const char *enc, size_t len)
{
    char *out = g_malloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (enc[i] != '%') {
            out[o++] = enc[i];
            continue;
        }
        if (i + 2 >= len) {
            g_free(out);
            return NULL;
        }
        int hi = g_ascii_xdigit_value(enc[i + 1]);
        int lo = g_ascii_xdigit_value(enc[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            g_free(out);
            return NULL;
        }
        out[o++] = (char)(hi * 16 + lo);
        i += 2;
    }
    out[o] = '\0';
    return out;
}

char *wharf_layout_decode_name(const char *enc)
{
    return decode_len(enc, strlen(enc));
}

static char *build(const char *db, const char *table, const char *tail, wharf_compress c)
{
    char *edb = wharf_layout_encode_name(db);
    char *res;
    if (table != NULL) {
        char *et = wharf_layout_encode_name(table);
        res = g_strconcat(edb, ".", et, tail, wharf_compress_suffix(c), NULL);
        g_free(et);
    } else {
        res = g_strconcat(edb, tail, wharf_compress_suffix(c), NULL);
    }
    g_free(edb);
    return res;
}

char *wharf_layout_schema_create(const char *db, wharf_compress c)
{
    return build(db, NULL, "-schema-create.sql", c);
}

char *wharf_layout_table_schema(const char *db, const char *table, wharf_compress c)
{
    return build(db, table, "-schema.sql", c);
}

char *wharf_layout_view_schema(const char *db, const char *view, wharf_compress c)
{
    return build(db, view, "-schema-view.sql", c);
}

char *wharf_layout_triggers(const char *db, const char *table, wharf_compress c)
{
    return build(db, table, "-schema-triggers.sql", c);
}

char *wharf_layout_post(const char *db, wharf_compress c)
{
    return build(db, NULL, "-schema-post.sql", c);
}

char *wharf_layout_sequence_schema(const char *db, const char *seq, wharf_compress c)
{
    return build(db, seq, "-schema-sequence.sql", c);
}

#define ACCOUNTS_FILE "wharf-accounts.grants"

char *wharf_layout_accounts(wharf_compress c)
{
    return g_strconcat(ACCOUNTS_FILE, wharf_compress_suffix(c), NULL);
}

gboolean wharf_layout_system_account(const char *user, const char *host)
{
    static const char *const any_host[] = {"mariadb.sys", "mysql.sys", "mysql.session", "mysql.infoschema", "root"};
    if (host == NULL)
        return FALSE;
    for (size_t i = 0; i < G_N_ELEMENTS(any_host); i++)
        if (strcmp(user, any_host[i]) == 0)
            return TRUE;
    return strcmp(user, "mysql") == 0 && strcmp(host, "localhost") == 0;
}

char *wharf_layout_chunk(const char *db, const char *table, guint64 part, const char *ext,
                         wharf_compress c)
{
    char *tail = g_strdup_printf(".%05" G_GUINT64_FORMAT ".%s", part, ext);
    char *res = build(db, table, tail, c);
    g_free(tail);
    return res;
}

void wharf_file_info_clear(wharf_file_info *info)
{
    if (info == NULL)
        return;
    g_free(info->db);
    g_free(info->table);
    memset(info, 0, sizeof *info);
}

/* A chunk number: 1..19 decimal digits. */
static gboolean parse_number(const char *s, size_t len, guint64 *out)
{
    if (len == 0 || len > 19)
        return FALSE;
    guint64 v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!g_ascii_isdigit(s[i]))
            return FALSE;
        v = v * 10 + (guint64)(s[i] - '0');
    }
    *out = v;
    return TRUE;
}

static gboolean has_suffix_len(const char *s, size_t len, const char *suffix)
{
    size_t sl = strlen(suffix);
    return len >= sl && memcmp(s + len - sl, suffix, sl) == 0;
}

/* Set db (and table) from encoded pieces; FALSE if empty or invalid. */
static gboolean set_names(wharf_file_info *info, const char *db, size_t dblen, const char *t,
                          size_t tlen)
{
    if (dblen == 0)
        return FALSE;
    info->db = decode_len(db, dblen);
    if (info->db == NULL)
        return FALSE;
    if (t != NULL) {
        if (tlen == 0)
            return FALSE;
        info->table = decode_len(t, tlen);
        if (info->table == NULL)
            return FALSE;
    }
    return TRUE;
}

static gboolean parse_inner(const char *name, size_t len, wharf_file_info *info)
{
    static const struct {
        const char *suffix;
        wharf_file_kind kind;
    } db_files[] = {
        {"-schema-create.sql", WHARF_FILE_SCHEMA_CREATE},
        {"-schema-post.sql", WHARF_FILE_POST},
        {"-schema-triggers.sql", WHARF_FILE_DB_TRIGGERS},
    }, table_files[] = {
        {"-schema-view.sql", WHARF_FILE_VIEW_SCHEMA},
        {"-schema-triggers.sql", WHARF_FILE_TRIGGERS},
        {"-schema-sequence.sql", WHARF_FILE_SEQUENCE},
        {"-schema.sql", WHARF_FILE_TABLE_SCHEMA},
    };

    const char *dot = memchr(name, '.', len);
    if (dot == NULL)
        return FALSE;
    size_t dblen = (size_t)(dot - name);
    const char *rest = dot + 1;
    size_t restlen = len - dblen - 1;

    /* Database-level files: "DB-schema-create.sql" has exactly one '.'. */
    if (memchr(rest, '.', restlen) == NULL) {
        if (restlen != 3 || memcmp(rest, "sql", 3) != 0)
            return FALSE;
        for (size_t i = 0; i < G_N_ELEMENTS(db_files); i++) {
            if (has_suffix_len(name, len, db_files[i].suffix)) {
                info->kind = db_files[i].kind;
                return set_names(info, name, len - strlen(db_files[i].suffix), NULL, 0);
            }
        }
        return FALSE;
    }

    /* Split the rest ("TABLE...") on '.': TABLE[.N[.M]].ext */
    const char *parts[4];
    size_t plen[4];
    size_t n = 0;
    const char *p = rest;
    const char *end = rest + restlen;
    while (p <= end) {
        const char *d = memchr(p, '.', (size_t)(end - p));
        const char *e = d ? d : end;
        if (n == G_N_ELEMENTS(parts))
            return FALSE;
        parts[n] = p;
        plen[n] = (size_t)(e - p);
        n++;
        if (d == NULL)
            break;
        p = d + 1;
    }
    const char *ext = parts[n - 1];
    size_t extlen = plen[n - 1];
    gboolean is_sql = extlen == 3 && memcmp(ext, "sql", 3) == 0;
    gboolean is_dat = extlen == 3 && memcmp(ext, "dat", 3) == 0;
    if (!is_sql && !is_dat)
        return FALSE;

    if (n == 2) {
        /* DB.TABLE-schema*.sql, or mydumper's chunk-less DB.TABLE.sql/.dat */
        if (is_sql) {
            for (size_t i = 0; i < G_N_ELEMENTS(table_files); i++) {
                const char *suf = table_files[i].suffix;
                size_t sl = strlen(suf) - 4; /* without ".sql" */
                if (plen[0] >= sl && memcmp(parts[0] + plen[0] - sl, suf, sl) == 0) {
                    info->kind = table_files[i].kind;
                    return set_names(info, name, dblen, parts[0], plen[0] - sl);
                }
            }
        }
        info->kind = is_sql ? WHARF_FILE_DATA_SQL : WHARF_FILE_DATA_DAT;
        info->part = 0;
        return set_names(info, name, dblen, parts[0], plen[0]);
    }
    /* DB.TABLE.N.ext or DB.TABLE.N.M.ext */
    if (!parse_number(parts[1], plen[1], &info->part))
        return FALSE;
    if (n == 4 && !parse_number(parts[2], plen[2], &info->subpart))
        return FALSE;
    info->kind = is_sql ? WHARF_FILE_DATA_SQL : WHARF_FILE_DATA_DAT;
    return set_names(info, name, dblen, parts[0], plen[0]);
}

gboolean wharf_layout_parse(const char *filename, wharf_file_info *info)
{
    memset(info, 0, sizeof *info);
    if (filename == NULL || strchr(filename, '/') != NULL)
        return FALSE;
    if (strcmp(filename, "metadata") == 0) {
        info->kind = WHARF_FILE_METADATA;
        return TRUE;
    }
    size_t len = strlen(filename);
    info->compress = wharf_compress_from_name(filename);
    len -= strlen(wharf_compress_suffix(info->compress));
    if (len == strlen(ACCOUNTS_FILE) && memcmp(filename, ACCOUNTS_FILE, len) == 0) {
        info->kind = WHARF_FILE_ACCOUNTS;
        return TRUE;
    }
    if (!parse_inner(filename, len, info)) {
        wharf_file_info_clear(info);
        return FALSE;
    }
    return TRUE;
}
