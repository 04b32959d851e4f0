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

/* Append len bytes (cheaper than g_string_append_len, which is an insert
 * at the end: the dump calls this once per value). */
static inline void put(GString *out, const char *v, size_t len)
{
    gsize at = out->len;
    g_string_set_size(out, at + len);
    memcpy(out->str + at, v, len);
}

/* Two upper-case hex digits per byte value, in order: byte b is
 * hexpair[2b], hexpair[2b + 1]. */
static const char hexpair[513] =
    "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
    "202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F"
    "404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F"
    "606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F"
    "808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9F"
    "A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF"
    "C0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"
    "E0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF";

static void append_hex(GString *out, const char *v, size_t len)
{
    if (len == 0) {
        put(out, "''", 2);
        return;
    }
    gsize at = out->len;
    g_string_set_size(out, at + 2 + 2 * len);
    char *p = out->str + at;
    *p++ = '0';
    *p++ = 'x';
    const unsigned char *s = (const unsigned char *)v;
    for (size_t i = 0; i < len; i++, p += 2)
        memcpy(p, hexpair + 2 * s[i], 2);
}

/* The letter after the backslash for each byte that is escaped, 0 for the
 * bytes written as they are. SQL string literals: \0 \n \r \Z \\ \'. */
static const unsigned char sql_esc[256] = {
    [0] = '0', ['\n'] = 'n', ['\r'] = 'r', [26] = 'Z', ['\\'] = '\\', ['\''] = '\'',
};
/* TSV fields (LOAD DATA's defaults): \0 \n \r \t \Z \\. */
static const unsigned char tsv_esc[256] = {
    [0] = '0', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't', [26] = 'Z', ['\\'] = '\\',
};

/* Append v with each byte that esc marks written as a backslash and its
 * letter: room for the worst case is reserved once, runs of plain bytes are
 * copied in bulk, and the string is cut to the real length at the end. */
static void append_escaped(GString *out, const unsigned char esc[256], const char *v, size_t len)
{
    gsize at = out->len;
    g_string_set_size(out, at + 2 * len);
    char *p = out->str + at;
    const unsigned char *s = (const unsigned char *)v, *end = s + len;
    while (s < end) {
        const unsigned char *run = s;
        while (s < end && esc[*s] == 0)
            s++;
        memcpy(p, run, (size_t)(s - run));
        p += s - run;
        if (s == end)
            break;
        *p++ = '\\';
        *p++ = (char)esc[*s++];
    }
    g_string_truncate(out, (gsize)(p - out->str));
}

static void append_quoted(GString *out, const char *v, size_t len)
{
    g_string_append_c(out, '\'');
    append_escaped(out, sql_esc, v, len);
    g_string_append_c(out, '\'');
}

void wharf_value_sql(GString *out, wharf_value_kind k, const char *v, size_t len)
{
    if (v == NULL) {
        put(out, "NULL", 4);
        return;
    }
    switch (k) {
    case WHARF_VALUE_NUMBER:
        put(out, v, len);
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
        put(out, "\\N", 2);
        return;
    }
    if (k == WHARF_VALUE_BIT) {
        guint64 n = 0;
        for (size_t i = 0; i < len; i++)
            n = (n << 8) | (unsigned char)v[i];
        g_string_append_printf(out, "%" G_GUINT64_FORMAT, n);
        return;
    }
    append_escaped(out, tsv_esc, v, len);
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
