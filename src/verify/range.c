/* range: a token scanner that accepts plain range expressions only.
 * See range.h. Each token is classified; the previous token's class says
 * whether a '(' would call a function. */
#include "verify/range.h"

#include <string.h>

typedef enum { PREV_START, PREV_OPERATOR, PREV_OPEN, PREV_VALUE, PREV_NAME } prev_kind;

typedef struct scan {
    const char *s;
    gsize i;
    wharf_range_mode mode;
    prev_kind prev;
    gboolean after_collate;  /* the next word is a collation name */
    gboolean after_charset;  /* the next token must be a string or hex */
    int depth;
    const char *why;
} scan;

static gboolean refuse(scan *sc, const char *why)
{
    sc->why = why;
    return FALSE;
}

static gboolean is_word_char(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '$';
}

/* Keywords allowed in each mode (upper case). */
static gboolean keyword(const char *w, wharf_range_mode mode)
{
    static const char *const chunk_kw[] = {"AND", "OR", "NOT", "IS", "NULL", "COLLATE", NULL};
    static const char *const where_kw[] = {"IN", "BETWEEN", "LIKE", "XOR", "DIV", "MOD",
                                           "TRUE", "FALSE", "ESCAPE", NULL};
    for (int i = 0; chunk_kw[i]; i++)
        if (g_ascii_strcasecmp(w, chunk_kw[i]) == 0)
            return TRUE;
    for (int i = 0; mode == WHARF_RANGE_WHERE && where_kw[i]; i++)
        if (g_ascii_strcasecmp(w, where_kw[i]) == 0)
            return TRUE;
    return FALSE;
}

/* Words that start or join a query: never an identifier here. */
static gboolean query_word(const char *w)
{
    static const char *const bad[] = {"SELECT", "WITH", "VALUES", "TABLE", "UNION", "FROM", "INTO",
                                      "FOR", "LIMIT", "PROCEDURE", "LOCK", "EXISTS", "ROW", "INTERSECT",
                                      "EXCEPT", "INTERVAL", "CASE", "BINARY", NULL};
    for (int i = 0; bad[i]; i++)
        if (g_ascii_strcasecmp(w, bad[i]) == 0)
            return TRUE;
    return FALSE;
}

static gboolean scan_quoted(scan *sc, char q)
{
    const char *s = sc->s;
    gsize i = sc->i + 1;
    for (;;) {
        if (s[i] == '\0')
            return refuse(sc, "an unterminated quote");
        if (s[i] == '\\' && q != '`' && s[i + 1] != '\0') {
            i += 2;
        } else if (s[i] == q && s[i + 1] == q) {
            i += 2;
        } else if (s[i] == q) {
            sc->i = i + 1;
            return TRUE;
        } else {
            i++;
        }
    }
}

static gboolean scan_number(scan *sc)
{
    const char *s = sc->s;
    gsize i = sc->i;
    if (s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        i += 2;
        gsize start = i;
        while (g_ascii_isxdigit(s[i]))
            i++;
        if (i == start)
            return refuse(sc, "a malformed hex literal");
    } else {
        while (g_ascii_isdigit(s[i]))
            i++;
        if (s[i] == '.')
            for (i++; g_ascii_isdigit(s[i]); i++)
                ;
        if ((s[i] == 'e' || s[i] == 'E') &&
            (g_ascii_isdigit(s[i + 1]) || ((s[i + 1] == '-' || s[i + 1] == '+') && g_ascii_isdigit(s[i + 2])))) {
            i += 2;
            while (g_ascii_isdigit(s[i]))
                i++;
        }
    }
    if (is_word_char(s[i]))
        return refuse(sc, "a malformed number");
    sc->i = i;
    return TRUE;
}

/* A bare word: keyword, _charset introducer, collation name, or (WHERE
 * mode) an identifier. */
static gboolean scan_word(scan *sc)
{
    gsize start = sc->i, i = start;
    while (is_word_char(sc->s[i]))
        i++;
    char *w = g_strndup(sc->s + start, i - start);
    gboolean ok = TRUE;
    prev_kind next = PREV_OPERATOR;
    if (sc->after_collate) {
        sc->after_collate = FALSE;
        next = PREV_VALUE;
    } else if (w[0] == '_' && w[1] != '\0' && sc->mode == WHARF_RANGE_CHUNK) {
        sc->after_charset = TRUE; /* checked by the next token */
    } else if (keyword(w, sc->mode)) {
        if (g_ascii_strcasecmp(w, "COLLATE") == 0)
            sc->after_collate = TRUE;
        if (g_ascii_strcasecmp(w, "NULL") == 0 || g_ascii_strcasecmp(w, "TRUE") == 0 ||
            g_ascii_strcasecmp(w, "FALSE") == 0)
            next = PREV_VALUE;
    } else if (sc->mode == WHARF_RANGE_WHERE && !query_word(w)) {
        next = PREV_NAME;
    } else {
        ok = refuse(sc, sc->mode == WHARF_RANGE_WHERE ? "a word that would start a query"
                                                      : "a bare word (only keywords, _charset and COLLATE names)");
    }
    g_free(w);
    if (ok) {
        sc->i = i;
        sc->prev = next;
    }
    return ok;
}

static gboolean scan_operator(scan *sc)
{
    static const char *const cmp[] = {"<=>", "<>", "!=", "<=", ">=", "=", "<", ">", NULL};
    const char *p = sc->s + sc->i;
    for (int k = 0; cmp[k]; k++)
        if (strncmp(p, cmp[k], strlen(cmp[k])) == 0) {
            sc->i += strlen(cmp[k]);
            return TRUE;
        }
    if (sc->mode == WHARF_RANGE_WHERE && strchr("+-*/%", *p) != NULL) {
        sc->i++;
        return TRUE;
    }
    return refuse(sc, "a character that is not part of a plain range expression");
}

/* What may never start a token: ';', comments, variables; and what a
 * pending _charset or COLLATE requires next. */
static gboolean allowed_here(scan *sc)
{
    const char *s = sc->s;
    char c = s[sc->i];
    if (c == ';')
        return refuse(sc, "';'");
    if (c == '#' || (c == '-' && s[sc->i + 1] == '-') || (c == '/' && s[sc->i + 1] == '*'))
        return refuse(sc, "a comment");
    if (c == '@')
        return refuse(sc, "a variable");
    if (sc->after_charset && c != '\'' && !(c == '0' && (s[sc->i + 1] == 'x' || s[sc->i + 1] == 'X')))
        return refuse(sc, "a _charset introducer not before a string or hex literal");
    sc->after_charset = FALSE;
    if (sc->after_collate && !(g_ascii_isalpha(c) || c == '_'))
        return refuse(sc, "COLLATE without a collation name");
    return TRUE;
}

/* ( ) , -- a '(' after a name or a value would call a function. */
static gboolean scan_punct(scan *sc, char c)
{
    if (c == '(') {
        if (sc->prev == PREV_NAME || sc->prev == PREV_VALUE)
            return refuse(sc, "a function call");
        sc->depth++;
        sc->prev = PREV_OPEN;
    } else if (c == ')') {
        if (--sc->depth < 0)
            return refuse(sc, "an unbalanced ')'");
        sc->prev = PREV_VALUE;
    } else {
        sc->prev = PREV_OPERATOR;
    }
    sc->i++;
    return TRUE;
}

static gboolean scan_token(scan *sc)
{
    const char *s = sc->s;
    char c = s[sc->i];
    if (!allowed_here(sc))
        return FALSE;
    if (c == '(' || c == ')' || c == ',')
        return scan_punct(sc, c);
    if (c == '`') {
        sc->prev = PREV_NAME;
        return scan_quoted(sc, c);
    }
    if (c == '\'' || (c == '"' && sc->mode == WHARF_RANGE_WHERE)) {
        sc->prev = PREV_VALUE;
        return scan_quoted(sc, c);
    }
    if (g_ascii_isdigit(c) || (c == '-' && sc->mode == WHARF_RANGE_CHUNK && g_ascii_isdigit(s[sc->i + 1]) &&
                               sc->prev != PREV_VALUE && sc->prev != PREV_NAME)) {
        if (c == '-')
            sc->i++;
        sc->prev = PREV_VALUE;
        return scan_number(sc);
    }
    if (c == '.' && sc->mode == WHARF_RANGE_WHERE && sc->prev == PREV_NAME) {
        sc->i++;
        sc->prev = PREV_OPERATOR; /* a qualified name continues */
        return TRUE;
    }
    if (g_ascii_isalpha(c) || c == '_' || c == '$')
        return scan_word(sc);
    sc->prev = PREV_OPERATOR;
    return scan_operator(sc);
}

gboolean wharf_range_check(const char *cond, wharf_range_mode mode, const char **why, gsize *at)
{
    scan sc = {.s = cond ? cond : "", .mode = mode, .prev = PREV_START};
    gboolean any = FALSE, ok = TRUE;
    while (ok) {
        while (g_ascii_isspace(sc.s[sc.i]))
            sc.i++;
        if (sc.s[sc.i] == '\0')
            break;
        gsize start = sc.i;
        ok = scan_token(&sc);
        if (!ok)
            sc.i = start;
        any = TRUE;
    }
    if (ok && !any)
        ok = refuse(&sc, "an empty condition");
    if (ok && sc.depth != 0)
        ok = refuse(&sc, "unbalanced parentheses");
    if (ok && (sc.after_charset || sc.after_collate))
        ok = refuse(&sc, "an incomplete _charset or COLLATE");
    if (!ok) {
        if (why)
            *why = sc.why;
        if (at)
            *at = sc.i;
    }
    return ok;
}
