#include "format/insert.h"

#include "core/error.h"
#include "format/value.h"

#include <string.h>

wharf_insert_col wharf_insert_col_of_type_name(const char *t)
{
    /* format/value.h knows numbers, binary strings, BIT and the text-only
     * types; of its STRING kind only the types named here are known. */
    static const char *const strings[] = {"char", "varchar", "tinytext", "text", "mediumtext", "longtext",
                                          "date", "datetime", "timestamp", "time", "enum", "set", NULL};
    if (t == NULL)
        return WHARF_INSERT_COL_NONE;
    switch (wharf_value_kind_of_type_name(t)) {
    case WHARF_VALUE_NUMBER:
        return WHARF_INSERT_COL_NUMBER;
    case WHARF_VALUE_BINARY:
        return WHARF_INSERT_COL_BYTES;
    case WHARF_VALUE_BIT:
        return WHARF_INSERT_COL_BITS;
    case WHARF_VALUE_TEXT:
        return WHARF_INSERT_COL_NONE; /* json (MySQL: text only), inet4, inet6, uuid */
    case WHARF_VALUE_STRING:
    default:
        for (int i = 0; strings[i]; i++)
            if (g_ascii_strcasecmp(t, strings[i]) == 0)
                return WHARF_INSERT_COL_STRING;
        return WHARF_INSERT_COL_NONE; /* a type not known */
    }
}

/* --- the head ------------------------------------------------------------ */

static size_t skip_ws(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
        i++;
    return i;
}

/* A keyword at i followed by a non-identifier byte: the offset after it, or 0. */
static size_t keyword(const char *s, size_t len, size_t i, const char *kw)
{
    size_t n = strlen(kw);
    if (i + n > len || g_ascii_strncasecmp(s + i, kw, n) != 0)
        return 0;
    if (i + n < len && (g_ascii_isalnum(s[i + n]) || s[i + n] == '_' || s[i + n] == '$'))
        return 0;
    return i + n;
}

/* One identifier at i, plain or `quoted` (`` for a backtick): the offset
 * after it, or 0; its name into *out if out. */
static size_t ident(const char *s, size_t len, size_t i, char **out)
{
    if (i < len && s[i] == '`') {
        GString *n = out ? g_string_new(NULL) : NULL;
        for (size_t j = i + 1; j < len; j++) {
            if (s[j] != '`') {
                if (n)
                    g_string_append_c(n, s[j]);
                continue;
            }
            if (j + 1 < len && s[j + 1] == '`') {
                if (n)
                    g_string_append_c(n, '`');
                j++;
                continue;
            }
            if (out)
                *out = g_string_free(n, FALSE);
            return j + 1;
        }
        if (n)
            g_string_free(n, TRUE);
        return 0;
    }
    size_t j = i;
    while (j < len && (g_ascii_isalnum(s[j]) || s[j] == '_' || s[j] == '$'))
        j++;
    if (j == i)
        return 0;
    if (out)
        *out = g_strndup(s + i, j - i);
    return j;
}

gboolean wharf_insert_head_parse(const char *s, size_t len, wharf_insert_head *h)
{
    size_t i = skip_ws(s, len, 0);
    if (!(i = keyword(s, len, i, "INSERT")))
        return FALSE;
    if (!(i = keyword(s, len, skip_ws(s, len, i), "INTO")))
        return FALSE;
    if (!(i = ident(s, len, skip_ws(s, len, i), NULL)))
        return FALSE;
    i = skip_ws(s, len, i);
    if (i < len && s[i] == '.' && !(i = ident(s, len, skip_ws(s, len, i + 1), NULL)))
        return FALSE;
    i = skip_ws(s, len, i);
    GPtrArray *cols = g_ptr_array_new_with_free_func(g_free);
    if (i < len && s[i] == '(') {
        for (i++;;) {
            char *name = NULL;
            i = ident(s, len, skip_ws(s, len, i), &name);
            if (!i)
                goto no;
            g_ptr_array_add(cols, name);
            i = skip_ws(s, len, i);
            if (i < len && s[i] == ',') {
                i++;
                continue;
            }
            if (i < len && s[i] == ')') {
                i++;
                break;
            }
            goto no;
        }
    }
    i = skip_ws(s, len, i);
    if (!(i = keyword(s, len, i, "VALUES")))
        goto no;
    h->head_len = i;
    i = skip_ws(s, len, i);
    if (i >= len || s[i] != '(')
        goto no;
    h->values_at = i;
    h->columns = cols;
    return TRUE;
no:
    g_ptr_array_free(cols, TRUE);
    return FALSE;
}

void wharf_insert_head_clear(wharf_insert_head *h)
{
    if (h->columns)
        g_ptr_array_free(h->columns, TRUE);
    h->columns = NULL;
}

/* --- values -------------------------------------------------------------- */

/* TSV escape letter of each byte (LOAD DATA's defaults), 0 if written as is. */
static const unsigned char tsv_esc[256] = {
    [0] = '0', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't', [26] = 'Z', ['\\'] = '\\',
};

/* Bytes that end a run of plain string bytes: quotes, backslash, and the
 * bytes TSV escapes. */
static const unsigned char stops[256] = {
    [0] = 1, ['\n'] = 1, ['\r'] = 1, ['\t'] = 1, [26] = 1, ['\\'] = 1, ['\''] = 1, ['"'] = 1,
};

static inline char *put_byte(char *p, unsigned char c)
{
    if (tsv_esc[c]) {
        *p++ = '\\';
        *p++ = (char)tsv_esc[c];
    } else {
        *p++ = (char)c;
    }
    return p;
}

/* The byte a backslash sequence stands for in a string literal (MariaDB's
 * lexer without NO_BACKSLASH_ESCAPES); -1 for \% and \_, which stay two bytes. */
static int unescape_char(unsigned char c)
{
    switch (c) {
    case '0': return 0;
    case 'b': return '\b';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'Z': return 26;
    case '%':
    case '_': return -1;
    default: return c;
    }
}

/* Output is written through a cursor into room reserved once per
 * statement: no value's TSV form is longer than twice its SQL text. */
typedef struct cursor {
    const char *s;
    size_t len;
    char *p; /* next output byte */
} cursor;

/* A quoted string at s[i]: its bytes as a TSV field; offset after it or 0. */
static size_t string_lit(cursor *c, size_t i)
{
    const char *s = c->s;
    size_t len = c->len;
    char q = s[i];
    char *p = c->p;
    size_t j = i + 1;
    while (j < len) {
        size_t run = j;
        while (j < len && !stops[(unsigned char)s[j]])
            j++;
        memcpy(p, s + run, j - run);
        p += j - run;
        if (j >= len)
            break;
        unsigned char ch = (unsigned char)s[j];
        if (ch == (unsigned char)q) {
            if (j + 1 < len && s[j + 1] == q) {
                *p++ = q;
                j += 2;
                continue;
            }
            c->p = p;
            return j + 1;
        }
        if (ch == '\\') {
            if (j + 1 >= len)
                break;
            int b = unescape_char((unsigned char)s[j + 1]);
            if (b < 0) {
                p = put_byte(p, '\\');
                p = put_byte(p, (unsigned char)s[j + 1]);
            } else {
                p = put_byte(p, (unsigned char)b);
            }
            j += 2;
            continue;
        }
        p = put_byte(p, ch);
        j++;
    }
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* 0xHEX at s[i]: its bytes as a TSV field (an odd digit count has an
 * implicit leading 0, as in the server). */
static size_t hex_lit(cursor *c, size_t i)
{
    const char *s = c->s;
    size_t len = c->len, j = i + 2, k = j;
    while (k < len && hexval(s[k]) >= 0)
        k++;
    if (k == j || (k < len && (g_ascii_isalnum(s[k]) || s[k] == '_')))
        return 0;
    char *p = c->p;
    size_t d = j;
    if ((k - j) % 2) {
        p = put_byte(p, (unsigned char)hexval(s[d]));
        d++;
    }
    for (; d < k; d += 2)
        p = put_byte(p, (unsigned char)(hexval(s[d]) << 4 | hexval(s[d + 1])));
    c->p = p;
    return k;
}

/* A number literal at s[i]: [+-]digits[.digits][e[+-]digits], copied. */
static size_t number_lit(cursor *c, size_t i)
{
    const char *s = c->s;
    size_t len = c->len, j = i, digits = 0;
    if (j < len && (s[j] == '-' || s[j] == '+'))
        j++;
    while (j < len && g_ascii_isdigit(s[j]))
        j++, digits++;
    if (j < len && s[j] == '.')
        for (j++; j < len && g_ascii_isdigit(s[j]); j++)
            digits++;
    if (digits == 0)
        return 0;
    if (j < len && (s[j] == 'e' || s[j] == 'E')) {
        size_t e = j + 1, ed = 0;
        if (e < len && (s[e] == '-' || s[e] == '+'))
            e++;
        while (e < len && g_ascii_isdigit(s[e]))
            e++, ed++;
        if (ed == 0)
            return 0;
        j = e;
    }
    if (j < len && (g_ascii_isalnum(s[j]) || s[j] == '_' || s[j] == '.'))
        return 0;
    memcpy(c->p, s + i, j - i);
    c->p += j - i;
    return j;
}

/* One value at s[i] for a column of class k: offset after it, or 0. */
static size_t value(cursor *c, size_t i, wharf_insert_col k)
{
    const char *s = c->s;
    size_t len = c->len;
    if (i >= len)
        return 0;
    char ch = s[i];
    if (ch == '\'' || ch == '"') {
        if (k == WHARF_INSERT_COL_BITS) /* only '' (an empty BIT value as wharf writes it) */
            return (i + 1 < len && s[i + 1] == ch && (i + 2 >= len || s[i + 2] != ch)) ? i + 2 : 0;
        return k == WHARF_INSERT_COL_NONE ? 0 : string_lit(c, i);
    }
    if (ch == '0' && i + 1 < len && (s[i + 1] == 'x' || s[i + 1] == 'X'))
        return (k != WHARF_INSERT_COL_NUMBER && k != WHARF_INSERT_COL_NONE) ? hex_lit(c, i) : 0;
    if (ch == '-' || ch == '+' || ch == '.' || g_ascii_isdigit(ch))
        return k == WHARF_INSERT_COL_NUMBER ? number_lit(c, i) : 0;
    size_t e = keyword(s, len, i, "NULL");
    if (e) {
        *c->p++ = '\\';
        *c->p++ = 'N';
        return e;
    }
    return 0;
}

static gboolean unsupported(const char *s, size_t len, size_t at, const char *what, GError **err)
{
    char *shown = g_strndup(s + MIN(at, len), MIN(len - MIN(at, len), (size_t)40));
    for (char *c = shown; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_UNSUPPORTED, "%s at byte %" G_GSIZE_FORMAT ": %s", what, at, shown);
    g_free(shown);
    return FALSE;
}

static gboolean tuples(cursor *c, size_t i, const wharf_insert_col *cols, guint ncols, gint64 *rows, GError **err)
{
    const char *s = c->s;
    size_t len = c->len;
    for (;;) {
        i = skip_ws(s, len, i);
        if (i >= len || s[i] != '(')
            return unsupported(s, len, i, "not a tuple", err);
        i++;
        for (guint k = 0; k < ncols; k++) {
            i = skip_ws(s, len, i);
            if (k > 0)
                *c->p++ = '\t';
            size_t e = value(c, i, cols[k]);
            if (!e)
                return unsupported(s, len, i, "a value not carried as LOAD DATA text", err);
            i = skip_ws(s, len, e);
            char want = k + 1 < ncols ? ',' : ')';
            if (i >= len || s[i] != want)
                return unsupported(s, len, i, k + 1 < ncols ? "too few values" : "too many values", err);
            i++;
        }
        *c->p++ = '\n';
        (*rows)++;
        i = skip_ws(s, len, i);
        if (i >= len)
            return TRUE;
        if (s[i] != ',')
            return unsupported(s, len, i, "text after the rows", err);
        i++;
    }
}

gboolean wharf_insert_tsv(const char *s, size_t len, size_t at, const wharf_insert_col *cols, guint ncols,
                          GString *out, gint64 *rows, GError **err)
{
    *rows = 0;
    if (ncols == 0)
        return unsupported(s, len, at, "a table without columns", err);
    gsize start = out->len;
    /* every value's TSV form fits in twice its text; separators replace commas */
    g_string_set_size(out, start + 2 * (len - MIN(at, len)) + 16);
    cursor c = {s, len, out->str + start};
    gint64 n = 0;
    gboolean ok = tuples(&c, at, cols, ncols, &n, err);
    g_string_set_size(out, (gsize)(c.p - out->str));
    *rows = ok ? n : 0;
    return ok;
}
