#include "format/value.h"

#include "core/error.h"

#include <string.h>
#include <strings.h>

static gboolean text_type_name(const char *t, size_t len)
{
    static const char *const names[] = {"inet4", "inet6", "uuid", NULL};
    for (int i = 0; names[i]; i++)
        if (strlen(names[i]) == len && g_ascii_strncasecmp(t, names[i], len) == 0)
            return TRUE;
    return FALSE;
}

static gboolean ext_type_is_text(const MYSQL_FIELD *f)
{
    /* MariaDB's extended metadata: INET4/INET6/UUID look like BINARY
     * strings in the basic metadata and are sent as text, but a binary
     * string (all literals are, under NAMES binary) is read as the packed
     * form: '::1:2:3:4:5:6:77' (16 bytes) would be a different address. */
    MARIADB_CONST_STRING name = {NULL, 0};
    return mariadb_field_attr(&name, f, MARIADB_FIELD_ATTR_DATA_TYPE_NAME) == 0 && name.str &&
           text_type_name(name.str, name.length);
}

wharf_value_kind wharf_value_kind_of_field(const MYSQL_FIELD *f)
{
    switch (f->type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
    case MYSQL_TYPE_YEAR:
        return WHARF_VALUE_NUMBER;
    case MYSQL_TYPE_BIT:
        return WHARF_VALUE_BIT;
    case MYSQL_TYPE_GEOMETRY:
        return WHARF_VALUE_BINARY;
    case MYSQL_TYPE_JSON:
        return WHARF_VALUE_TEXT;
    case MYSQL_TYPE_NULL:
        return WHARF_VALUE_STRING;
    case MYSQL_TYPE_STRING:
    case MYSQL_TYPE_VAR_STRING:
    case MYSQL_TYPE_VARCHAR:
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
        if (f->flags & (ENUM_FLAG | SET_FLAG))
            return WHARF_VALUE_STRING;
        if (ext_type_is_text(f))
            return WHARF_VALUE_TEXT;
        /* Under NAMES binary every column reports charsetnr 63; BINARY_FLAG
         * then tells byte strings (and _bin collations, for which hex is
         * equally exact) from character strings. */
        if (f->charsetnr == 63 && (f->flags & BINARY_FLAG))
            return WHARF_VALUE_BINARY;
        return WHARF_VALUE_STRING;
    default:
        /* dates, times, timestamps */
        return WHARF_VALUE_STRING;
    }
}

wharf_value_kind wharf_value_kind_of_type_name(const char *t)
{
    static const char *const numbers[] = {"tinyint", "smallint", "mediumint", "int", "integer",
                                          "bigint", "decimal", "numeric", "float", "double",
                                          "real", "year", "dec", "fixed", NULL};
    static const char *const binaries[] = {"binary", "varbinary", "tinyblob", "blob", "mediumblob",
                                           "longblob", "geometry", "point", "linestring", "polygon",
                                           "multipoint", "multilinestring", "multipolygon",
                                           "geometrycollection", "geomcollection", NULL};
    if (t == NULL)
        return WHARF_VALUE_STRING;
    for (int i = 0; numbers[i]; i++)
        if (g_ascii_strcasecmp(t, numbers[i]) == 0)
            return WHARF_VALUE_NUMBER;
    for (int i = 0; binaries[i]; i++)
        if (g_ascii_strcasecmp(t, binaries[i]) == 0)
            return WHARF_VALUE_BINARY;
    if (g_ascii_strcasecmp(t, "bit") == 0)
        return WHARF_VALUE_BIT;
    if (g_ascii_strcasecmp(t, "json") == 0 || text_type_name(t, strlen(t)))
        return WHARF_VALUE_TEXT; /* MariaDB reports JSON columns as longtext */
    return WHARF_VALUE_STRING;
}

static const char hexdig[] = "0123456789ABCDEF";

static void append_hex(GString *out, const char *v, size_t len)
{
    if (len == 0) {
        g_string_append(out, "''");
        return;
    }
    gsize at = out->len;
    g_string_set_size(out, at + 2 + 2 * len);
    char *p = out->str + at;
    *p++ = '0';
    *p++ = 'x';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        *p++ = hexdig[c >> 4];
        *p++ = hexdig[c & 15];
    }
}

static void append_quoted(GString *out, const char *v, size_t len)
{
    g_string_append_c(out, '\'');
    size_t run = 0; /* bytes copied in bulk up to v[i] */
    for (size_t i = 0; i < len; i++) {
        const char *esc = NULL;
        switch (v[i]) {
        case '\0': esc = "\\0"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case 26: esc = "\\Z"; break;
        case '\\': esc = "\\\\"; break;
        case '\'': esc = "\\'"; break;
        default: continue;
        }
        g_string_append_len(out, v + run, (gssize)(i - run));
        g_string_append(out, esc);
        run = i + 1;
    }
    g_string_append_len(out, v + run, (gssize)(len - run));
    g_string_append_c(out, '\'');
}

void wharf_value_sql(GString *out, wharf_value_kind k, const char *v, size_t len)
{
    if (v == NULL) {
        g_string_append(out, "NULL");
        return;
    }
    switch (k) {
    case WHARF_VALUE_NUMBER:
        g_string_append_len(out, v, (gssize)len);
        return;
    case WHARF_VALUE_BINARY:
    case WHARF_VALUE_BIT:
        append_hex(out, v, len);
        return;
    case WHARF_VALUE_TEXT:
        g_string_append(out, "CONVERT(");
        append_quoted(out, v, len);
        g_string_append(out, " USING utf8mb4)");
        return;
    case WHARF_VALUE_STRING:
    default:
        append_quoted(out, v, len);
        return;
    }
}

void wharf_value_tsv(GString *out, wharf_value_kind k, const char *v, size_t len)
{
    if (v == NULL) {
        g_string_append(out, "\\N");
        return;
    }
    if (k == WHARF_VALUE_BIT) {
        guint64 n = 0;
        for (size_t i = 0; i < len; i++)
            n = (n << 8) | (unsigned char)v[i];
        g_string_append_printf(out, "%" G_GUINT64_FORMAT, n);
        return;
    }
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *esc = NULL;
        switch (v[i]) {
        case '\0': esc = "\\0"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case 26: esc = "\\Z"; break;
        case '\\': esc = "\\\\"; break;
        default: continue;
        }
        g_string_append_len(out, v + run, (gssize)(i - run));
        g_string_append(out, esc);
        run = i + 1;
    }
    g_string_append_len(out, v + run, (gssize)(len - run));
}

gboolean wharf_value_tsv_unescape(const char *field, size_t len, GString *out, gboolean *is_null,
                                  GError **err)
{
    g_string_truncate(out, 0);
    *is_null = FALSE;
    if (len == 2 && field[0] == '\\' && field[1] == 'N') {
        *is_null = TRUE;
        return TRUE;
    }
    for (size_t i = 0; i < len; i++) {
        char c = field[i];
        if (c != '\\') {
            g_string_append_c(out, c);
            continue;
        }
        if (i + 1 >= len) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                        "TSV field ends with a lone backslash");
            return FALSE;
        }
        char e = field[++i];
        switch (e) {
        case '0': c = '\0'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'Z': c = 26; break;
        case 'b': c = '\b'; break;
        default: c = e; break; /* \\ and any other escaped byte stand for themselves */
        }
        g_string_append_c(out, c);
    }
    return TRUE;
}

gboolean wharf_value_tsv_to_sql(GString *out, wharf_value_kind k, const char *field, size_t len,
                                GError **err)
{
    GString *raw = g_string_sized_new(len + 1);
    gboolean is_null = FALSE;
    if (!wharf_value_tsv_unescape(field, len, raw, &is_null, err)) {
        g_string_free(raw, TRUE);
        return FALSE;
    }
    if (is_null)
        wharf_value_sql(out, k, NULL, 0);
    else if (k == WHARF_VALUE_BIT)
        g_string_append_len(out, raw->str, (gssize)raw->len); /* unsigned decimal */
    else
        wharf_value_sql(out, k, raw->str, raw->len);
    g_string_free(raw, TRUE);
    return TRUE;
}
