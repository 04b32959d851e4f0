/* ddl: reading and rewriting schema statements (contract in ddl.h). */
#include "load/ddl.h"

#include "core/conn.h"
#include "core/error.h"

#include <string.h>

/* --- lexer --------------------------------------------------------------- */

typedef enum { TK_END = 0, TK_WORD, TK_QIDENT, TK_STRING, TK_PUNCT } tk_type;

typedef struct tok {
    tk_type type;
    const char *start; /* raw text */
    size_t len;
    char *text;        /* unquoted text for WORD/QIDENT/STRING (owned by the lexer) */
} tok;

typedef struct lexer {
    const char *p, *end;
    tok cur;
} lexer;

static void lex_init(lexer *lx, const char *s, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->p = s;
    lx->end = s + len;
}

static void lex_done(lexer *lx)
{
    g_free(lx->cur.text);
    lx->cur.text = NULL;
}

static gboolean is_word_byte(unsigned char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static void skip_blank(lexer *lx)
{
    for (;;) {
        const char *p = lx->p, *e = lx->end;
        if (p >= e)
            return;
        if (g_ascii_isspace(*p)) {
            lx->p++;
        } else if (*p == '#' || (*p == '-' && p + 2 <= e && p[1] == '-' &&
                                 (p + 2 == e || g_ascii_isspace(p[2])))) {
            while (lx->p < e && *lx->p != '\n')
                lx->p++;
        } else if (*p == '/' && p + 1 < e && p[1] == '*') {
            if (p + 2 < e && (p[2] == '!' || (p[2] == 'M' && p + 3 < e && p[3] == '!'))) {
                /* versioned comment marker (MariaDB's M! too): its content is code */
                lx->p += p[2] == 'M' ? 4 : 3;
                while (lx->p < e && g_ascii_isdigit(*lx->p))
                    lx->p++;
            } else {
                const char *c = g_strstr_len(p + 2, e - (p + 2), "*/");
                lx->p = c ? c + 2 : e;
            }
        } else if (*p == '*' && p + 1 < e && p[1] == '/') {
            lx->p += 2; /* end of a versioned comment */
        } else {
            return;
        }
    }
}

static tk_type lex_next(lexer *lx)
{
    g_free(lx->cur.text);
    memset(&lx->cur, 0, sizeof lx->cur);
    skip_blank(lx);
    const char *p = lx->p, *e = lx->end;
    if (p >= e)
        return TK_END;
    tok *t = &lx->cur;
    t->start = p;
    if (*p == '`' || *p == '\'' || *p == '"') {
        char q = *p;
        GString *s = g_string_new(NULL);
        const char *x = p + 1;
        while (x < e) {
            if (*x == q) {
                if (x + 1 < e && x[1] == q) {
                    g_string_append_c(s, q);
                    x += 2;
                    continue;
                }
                x++;
                break;
            }
            if (q != '`' && *x == '\\' && x + 1 < e) {
                char c = x[1];
                switch (c) {
                case 'n': g_string_append_c(s, '\n'); break;
                case 't': g_string_append_c(s, '\t'); break;
                case 'r': g_string_append_c(s, '\r'); break;
                case '0': g_string_append_c(s, '\0'); break;
                case 'Z': g_string_append_c(s, 26); break;
                default: g_string_append_c(s, c);
                }
                x += 2;
                continue;
            }
            g_string_append_c(s, *x);
            x++;
        }
        t->type = q == '`' ? TK_QIDENT : TK_STRING;
        t->len = (size_t)(x - p);
        t->text = g_string_free(s, FALSE);
    } else if (is_word_byte((unsigned char)*p)) {
        const char *x = p;
        while (x < e && is_word_byte((unsigned char)*x))
            x++;
        t->type = TK_WORD;
        t->len = (size_t)(x - p);
        t->text = g_strndup(p, t->len);
    } else {
        t->type = TK_PUNCT;
        t->len = 1;
        t->text = g_strndup(p, 1);
    }
    lx->p = p + t->len;
    return t->type;
}

static gboolean tok_is(const tok *t, const char *word)
{
    return t->type == TK_WORD && g_ascii_strcasecmp(t->text, word) == 0;
}

static gboolean tok_punct(const tok *t, char c)
{
    return t->type == TK_PUNCT && t->text[0] == c;
}

static gboolean tok_ident(const tok *t)
{
    return t->type == TK_QIDENT || t->type == TK_WORD;
}

/* An object's name in a CREATE header: also "name" (ANSI_QUOTES and
 * sql_mode=ORACLE objects are printed that way). */
static gboolean tok_name(const tok *t)
{
    return tok_ident(t) || (t->type == TK_STRING && t->start[0] == '"');
}

gboolean wharf_ddl_starts_with(const char *stmt, size_t len, const char *word)
{
    lexer lx;
    lex_init(&lx, stmt, len);
    lex_next(&lx);
    gboolean r = tok_is(&lx.cur, word);
    lex_done(&lx);
    return r;
}

/* --- object names -------------------------------------------------------- */


const char *wharf_ddl_kind_keyword(wharf_ddl_kind k)
{
    switch (k) {
    case WHARF_DDL_DATABASE: return "DATABASE";
    case WHARF_DDL_TABLE: return "TABLE";
    case WHARF_DDL_SEQUENCE: return "SEQUENCE";
    case WHARF_DDL_VIEW: return "VIEW";
    case WHARF_DDL_TRIGGER: return "TRIGGER";
    case WHARF_DDL_PROCEDURE: return "PROCEDURE";
    case WHARF_DDL_FUNCTION: return "FUNCTION";
    case WHARF_DDL_EVENT: return "EVENT";
    case WHARF_DDL_PACKAGE: return "PACKAGE";
    case WHARF_DDL_PACKAGE_BODY: return "PACKAGE BODY";
    default: return "";
    }
}

static wharf_ddl_kind kind_of_word(const tok *t)
{
    static const struct {
        const char *w;
        wharf_ddl_kind k;
    } kw[] = {{"DATABASE", WHARF_DDL_DATABASE}, {"SCHEMA", WHARF_DDL_DATABASE},
              {"TABLE", WHARF_DDL_TABLE},       {"SEQUENCE", WHARF_DDL_SEQUENCE},
              {"VIEW", WHARF_DDL_VIEW},         {"TRIGGER", WHARF_DDL_TRIGGER},
              {"PROCEDURE", WHARF_DDL_PROCEDURE}, {"FUNCTION", WHARF_DDL_FUNCTION},
              {"EVENT", WHARF_DDL_EVENT},       {"PACKAGE", WHARF_DDL_PACKAGE}};
    if (t->type != TK_WORD)
        return WHARF_DDL_OTHER;
    for (size_t i = 0; i < G_N_ELEMENTS(kw); i++)
        if (g_ascii_strcasecmp(t->text, kw[i].w) == 0)
            return kw[i].k;
    return WHARF_DDL_OTHER;
}

wharf_ddl_kind wharf_ddl_drop_kind(const char *stmt, size_t len)
{
    lexer lx;
    lex_init(&lx, stmt, len);
    wharf_ddl_kind k = WHARF_DDL_OTHER;
    if (lex_next(&lx) == TK_WORD && tok_is(&lx.cur, "DROP")) {
        lex_next(&lx);
        if (tok_is(&lx.cur, "TEMPORARY"))
            lex_next(&lx);
        k = kind_of_word(&lx.cur);
        if (k == WHARF_DDL_PACKAGE && lex_next(&lx) == TK_WORD && tok_is(&lx.cur, "BODY"))
            k = WHARF_DDL_PACKAGE_BODY;
    }
    lex_done(&lx);
    return k;
}

/* After CREATE: skip to the kind keyword; leaves the lexer after the name.
 * Sets *name_end to the raw end of the name. */
static wharf_ddl_kind parse_create(lexer *lx, char **db, char **name, const char **name_end)
{
    *db = NULL;
    *name = NULL;
    if (lex_next(lx) != TK_WORD || !tok_is(&lx->cur, "CREATE"))
        return WHARF_DDL_OTHER;
    wharf_ddl_kind k = WHARF_DDL_OTHER;
    /* DEFINER=user@host, OR REPLACE, ALGORITHM=..., SQL SECURITY ..., AGGREGATE,
     * TEMPORARY: everything up to the first kind keyword outside a value. */
    int guard = 0;
    while (lex_next(lx) != TK_END && guard++ < 64) {
        if ((tok_is(&lx->cur, "DEFINER") || tok_is(&lx->cur, "ALGORITHM")) && lx->p < lx->end) {
            /* = value[@host]; "SQL SECURITY DEFINER" has no '=' */
            const char *before = lx->p;
            lex_next(lx);
            if (!tok_punct(&lx->cur, '=')) {
                lx->p = before;
                continue;
            }
            lex_next(lx);
            const char *save = lx->p;
            lexer peek = *lx;
            peek.cur.text = NULL;
            lex_next(&peek);
            if (tok_punct(&peek.cur, '@')) {
                lex_next(&peek); /* host */
                lx->p = peek.p;
            } else if (tok_punct(&peek.cur, '(')) { /* CURRENT_USER() */
                lex_next(&peek);
                lx->p = peek.p;
            } else {
                lx->p = save;
            }
            lex_done(&peek);
            continue;
        }
        k = kind_of_word(&lx->cur);
        if (k != WHARF_DDL_OTHER)
            break;
        if (lx->cur.type != TK_WORD)
            return WHARF_DDL_OTHER;
    }
    if (k == WHARF_DDL_OTHER)
        return k;
    lex_next(lx);
    if (k == WHARF_DDL_PACKAGE && tok_is(&lx->cur, "BODY")) {
        k = WHARF_DDL_PACKAGE_BODY;
        lex_next(lx);
    }
    if (tok_is(&lx->cur, "IF")) {
        lex_next(lx); /* NOT */
        lex_next(lx); /* EXISTS */
        lex_next(lx);
    }
    if (!tok_name(&lx->cur))
        return WHARF_DDL_OTHER;
    char *first = g_strdup(lx->cur.text);
    *name_end = lx->p;
    const char *save = lx->p;
    lex_next(lx);
    if (tok_punct(&lx->cur, '.')) {
        lex_next(lx);
        if (tok_name(&lx->cur)) {
            *db = first;
            *name = g_strdup(lx->cur.text);
            *name_end = lx->p;
            return k;
        }
    }
    lx->p = save;
    *name = first;
    return k;
}

wharf_ddl_kind wharf_ddl_object(const char *stmt, size_t len, char **db, char **name)
{
    lexer lx;
    lex_init(&lx, stmt, len);
    const char *ne = NULL;
    wharf_ddl_kind k = parse_create(&lx, db, name, &ne);
    lex_done(&lx);
    if (k == WHARF_DDL_OTHER) {
        g_free(*db);
        g_free(*name);
        *db = *name = NULL;
    }
    return k;
}

char *wharf_ddl_create_database(const char *stmt, size_t len, const char *target)
{
    lexer lx;
    lex_init(&lx, stmt, len);
    char *db = NULL, *name = NULL;
    const char *ne = NULL;
    wharf_ddl_kind k = parse_create(&lx, &db, &name, &ne);
    lex_done(&lx);
    char *out = NULL;
    if (k == WHARF_DDL_DATABASE) {
        char *q = wharf_quote_ident(target);
        const char *rest = ne;
        size_t restlen = (size_t)(stmt + len - rest);
        /* A versioned comment around IF NOT EXISTS leaves a dangling marker
         * after the name: drop a leading star-slash. */
        while (restlen > 0 && g_ascii_isspace(*rest)) {
            rest++;
            restlen--;
        }
        if (restlen >= 2 && rest[0] == '*' && rest[1] == '/') {
            rest += 2;
            restlen -= 2;
        }
        out = g_strdup_printf("CREATE DATABASE IF NOT EXISTS %s %.*s", q, (int)restlen, rest);
        g_free(q);
    }
    g_free(db);
    g_free(name);
    return out;
}

GPtrArray *wharf_ddl_identifiers(const char *stmt, size_t len)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    lexer lx;
    lex_init(&lx, stmt, len);
    while (lex_next(&lx) != TK_END)
        if (lx.cur.type == TK_QIDENT || lx.cur.type == TK_WORD)
            g_ptr_array_add(out, g_strdup(lx.cur.text));
    lex_done(&lx);
    return out;
}

char *wharf_ddl_requalify(const char *stmt, size_t len, const char *from, const char *to,
                          size_t *out_len)
{
    char *qt = wharf_quote_ident(to);
    GString *o = g_string_sized_new(len + 16);
    lexer lx;
    lex_init(&lx, stmt, len);
    const char *copied = stmt;
    while (lex_next(&lx) != TK_END) {
        /* `from`.x or from.x (a trigger's text is kept as it was typed) */
        if ((lx.cur.type == TK_QIDENT || lx.cur.type == TK_WORD) && strcmp(lx.cur.text, from) == 0 &&
            lx.p < lx.end && *lx.p == '.') {
            g_string_append_len(o, copied, lx.cur.start - copied);
            g_string_append(o, qt);
            copied = lx.cur.start + lx.cur.len;
        }
    }
    lex_done(&lx);
    g_string_append_len(o, copied, stmt + len - copied);
    g_free(qt);
    *out_len = o->len;
    return g_string_free(o, FALSE);
}

/* --- CREATE TABLE rewriting --------------------------------------------- */

void wharf_ddl_table_init(wharf_ddl_table *t)
{
    memset(t, 0, sizeof *t);
    t->indexes = g_ptr_array_new_with_free_func(g_free);
    t->fulltext = g_ptr_array_new_with_free_func(g_free);
    t->fks = g_ptr_array_new_with_free_func(g_free);
    t->parents = g_ptr_array_new_with_free_func(g_free);
}

void wharf_ddl_table_clear(wharf_ddl_table *t)
{
    g_free(t->create);
    g_free(t->engine);
    if (t->indexes)
        g_ptr_array_free(t->indexes, TRUE);
    if (t->fulltext)
        g_ptr_array_free(t->fulltext, TRUE);
    if (t->fks)
        g_ptr_array_free(t->fks, TRUE);
    if (t->parents)
        g_ptr_array_free(t->parents, TRUE);
    memset(t, 0, sizeof *t);
}

typedef enum { DEF_COLUMN, DEF_PRIMARY, DEF_INDEX, DEF_FULLTEXT, DEF_FK, DEF_OTHER } def_kind;

typedef struct def {
    GString *text; /* without trailing comma */
    def_kind kind;
    char *first_col; /* first column of an index / name of a column */
    gboolean auto_inc;
    gboolean keep;
} def;

static gboolean has_prefix_ci(const char *s, const char *p)
{
    return g_ascii_strncasecmp(s, p, strlen(p)) == 0;
}

static def_kind classify(const char *s)
{
    if (*s == '`')
        return DEF_COLUMN;
    if (has_prefix_ci(s, "PRIMARY KEY"))
        return DEF_PRIMARY;
    if (has_prefix_ci(s, "FULLTEXT "))
        return DEF_FULLTEXT;
    if (has_prefix_ci(s, "KEY ") || has_prefix_ci(s, "INDEX ") || has_prefix_ci(s, "UNIQUE ") ||
        has_prefix_ci(s, "SPATIAL "))
        return DEF_INDEX;
    if (has_prefix_ci(s, "FOREIGN KEY") ||
        (has_prefix_ci(s, "CONSTRAINT ") && strstr(s, " FOREIGN KEY ") != NULL))
        return DEF_FK;
    if (has_prefix_ci(s, "CONSTRAINT ") || has_prefix_ci(s, "PERIOD ") || has_prefix_ci(s, "CHECK"))
        return DEF_OTHER;
    return (def_kind)-1; /* continuation of the previous definition */
}

/* First identifier after the first '(' (index), or the first identifier
 * (column); and for columns whether AUTO_INCREMENT appears as a word. */
static void inspect_def(def *d)
{
    lexer lx;
    lex_init(&lx, d->text->str, d->text->len);
    if (d->kind == DEF_COLUMN) {
        if (lex_next(&lx) == TK_QIDENT)
            d->first_col = g_strdup(lx.cur.text);
        while (lex_next(&lx) != TK_END)
            if (tok_is(&lx.cur, "AUTO_INCREMENT"))
                d->auto_inc = TRUE;
    } else {
        while (lex_next(&lx) != TK_END && !tok_punct(&lx.cur, '('))
            ;
        if (lex_next(&lx) != TK_END && tok_ident(&lx.cur))
            d->first_col = g_strdup(lx.cur.text);
    }
    lex_done(&lx);
}

static void fk_parent(const char *s, size_t len, GPtrArray *parents)
{
    lexer lx;
    lex_init(&lx, s, len);
    while (lex_next(&lx) != TK_END) {
        if (!tok_is(&lx.cur, "REFERENCES"))
            continue;
        if (lex_next(&lx) == TK_END || !tok_ident(&lx.cur))
            break;
        char *a = g_strdup(lx.cur.text);
        const char *save = lx.p;
        lex_next(&lx);
        if (tok_punct(&lx.cur, '.') && lex_next(&lx) != TK_END && tok_ident(&lx.cur)) {
            g_ptr_array_add(parents, g_strdup_printf("%s\x1f%s", a, lx.cur.text));
        } else {
            lx.p = save;
            g_ptr_array_add(parents, g_strdup_printf("\x1f%s", a));
        }
        g_free(a);
        break;
    }
    lex_done(&lx);
}

static void engine_of(const char *s, size_t len, char **engine)
{
    lexer lx;
    lex_init(&lx, s, len);
    while (lex_next(&lx) != TK_END) {
        if (tok_is(&lx.cur, "ENGINE")) {
            lex_next(&lx);
            if (tok_punct(&lx.cur, '='))
                lex_next(&lx);
            if (tok_ident(&lx.cur))
                *engine = g_strdup(lx.cur.text);
            break;
        }
    }
    lex_done(&lx);
}

gboolean wharf_ddl_split_table(const char *stmt, size_t len, gboolean defer_indexes,
                               gboolean split_fks, wharf_ddl_table *out)
{
    /* Trim trailing blanks and ';' */
    while (len > 0 && (g_ascii_isspace(stmt[len - 1]) || stmt[len - 1] == ';'))
        len--;
    g_free(out->create);
    out->create = g_strndup(stmt, len);
    char *db = NULL, *name = NULL;
    wharf_ddl_kind k = wharf_ddl_object(stmt, len, &db, &name);
    g_free(db);
    g_free(name);
    if (k != WHARF_DDL_TABLE)
        return FALSE;

    char **lines = g_strsplit(out->create, "\n", -1);
    guint n = g_strv_length(lines);
    guint first = G_MAXUINT, close = G_MAXUINT;
    for (guint i = 0; i < n; i++) {
        g_strchomp(lines[i]);
        if (first == G_MAXUINT) {
            size_t l = strlen(lines[i]);
            if (l > 0 && lines[i][l - 1] == '(')
                first = i;
        } else if (lines[i][0] == ')') {
            close = i;
            break;
        }
    }
    if (first == G_MAXUINT || close == G_MAXUINT) {
        g_strfreev(lines);
        return FALSE;
    }
    /* The table options line(s) after ')' give the engine. */
    GString *tail = g_string_new(NULL);
    for (guint i = close; i < n; i++) {
        g_string_append(tail, lines[i]);
        if (i + 1 < n)
            g_string_append_c(tail, '\n');
    }
    engine_of(tail->str, tail->len, &out->engine);

    GArray *defs = g_array_new(FALSE, TRUE, sizeof(def));
    gboolean ok = TRUE;
    for (guint i = first + 1; i < close; i++) {
        const char *s = lines[i];
        while (*s == ' ')
            s++;
        def_kind dk = classify(s);
        if ((int)dk == -1) {
            if (defs->len == 0) {
                ok = FALSE;
                break;
            }
            def *prev = &g_array_index(defs, def, defs->len - 1);
            g_string_append_c(prev->text, '\n');
            g_string_append(prev->text, lines[i]);
            continue;
        }
        def d = {0};
        d.kind = dk;
        d.text = g_string_new(s);
        d.keep = TRUE;
        g_array_append_val(defs, d);
    }
    if (ok) {
        /* strip trailing commas, inspect */
        const char *ai_col = NULL;
        const char *pk_first = NULL;
        for (guint i = 0; i < defs->len; i++) {
            def *d = &g_array_index(defs, def, i);
            if (d->text->len > 0 && d->text->str[d->text->len - 1] == ',')
                g_string_truncate(d->text, d->text->len - 1);
            inspect_def(d);
            if (d->kind == DEF_COLUMN && d->auto_inc)
                ai_col = d->first_col;
            if (d->kind == DEF_PRIMARY)
                pk_first = d->first_col;
        }
        gboolean ai_covered = ai_col == NULL || (pk_first && strcmp(pk_first, ai_col) == 0);
        for (guint i = 0; i < defs->len; i++) {
            def *d = &g_array_index(defs, def, i);
            if (d->kind == DEF_FK && split_fks) {
                d->keep = FALSE;
                g_ptr_array_add(out->fks, g_strdup_printf("ADD %s", d->text->str));
                fk_parent(d->text->str, d->text->len, out->parents);
            } else if (d->kind == DEF_FK) {
                fk_parent(d->text->str, d->text->len, out->parents);
            } else if ((d->kind == DEF_INDEX || d->kind == DEF_FULLTEXT) && defer_indexes) {
                if (!ai_covered && d->kind == DEF_INDEX && d->first_col &&
                    strcmp(d->first_col, ai_col) == 0) {
                    ai_covered = TRUE; /* AUTO_INCREMENT needs this one */
                    continue;
                }
                d->keep = FALSE;
                g_ptr_array_add(d->kind == DEF_FULLTEXT ? out->fulltext : out->indexes,
                                g_strdup_printf("ADD %s", d->text->str));
            }
        }
        GString *c = g_string_new(NULL);
        for (guint i = 0; i <= first; i++) {
            g_string_append(c, lines[i]);
            g_string_append_c(c, '\n');
        }
        gboolean any = FALSE;
        for (guint i = 0; i < defs->len; i++) {
            def *d = &g_array_index(defs, def, i);
            if (!d->keep)
                continue;
            if (any)
                g_string_append(c, ",\n");
            g_string_append(c, "  ");
            g_string_append(c, d->text->str);
            any = TRUE;
        }
        g_string_append_c(c, '\n');
        g_string_append(c, tail->str);
        g_free(out->create);
        out->create = g_string_free(c, FALSE);
    }
    for (guint i = 0; i < defs->len; i++) {
        def *d = &g_array_index(defs, def, i);
        g_string_free(d->text, TRUE);
        g_free(d->first_col);
    }
    g_array_free(defs, TRUE);
    g_string_free(tail, TRUE);
    g_strfreev(lines);
    if (!ok) {
        g_free(out->create);
        out->create = g_strndup(stmt, len);
        g_ptr_array_set_size(out->indexes, 0);
        g_ptr_array_set_size(out->fulltext, 0);
        g_ptr_array_set_size(out->fks, 0);
        g_ptr_array_set_size(out->parents, 0);
    }
    return ok;
}

/* --- LOAD DATA ----------------------------------------------------------- */

void wharf_ddl_load_data_clear(wharf_ddl_load_data *ld)
{
    g_free(ld->table);
    if (ld->columns)
        g_ptr_array_free(ld->columns, TRUE);
    if (ld->set_cols)
        g_ptr_array_free(ld->set_cols, TRUE);
    if (ld->set_expr)
        g_ptr_array_free(ld->set_expr, TRUE);
    memset(ld, 0, sizeof *ld);
}

gboolean wharf_ddl_parse_load_data(const char *stmt, size_t len, wharf_ddl_load_data *ld,
                                   GError **err)
{
    memset(ld, 0, sizeof *ld);
    ld->columns = g_ptr_array_new_with_free_func(g_free);
    ld->set_cols = g_ptr_array_new_with_free_func(g_free);
    ld->set_expr = g_ptr_array_new_with_free_func(g_free);
    ld->default_format = TRUE;
    lexer lx;
    lex_init(&lx, stmt, len);
    gboolean ok = FALSE;
    /* ... INTO TABLE name */
    while (lex_next(&lx) != TK_END && !tok_is(&lx.cur, "TABLE")) {
        if (tok_is(&lx.cur, "REPLACE"))
            ld->modifier = "REPLACE";
        else if (tok_is(&lx.cur, "IGNORE"))
            ld->modifier = "IGNORE";
    }
    if (lex_next(&lx) == TK_END || !tok_ident(&lx.cur))
        goto out;
    {
        const char *ts = lx.cur.start;
        const char *te = lx.cur.start + lx.cur.len;
        const char *save = lx.p;
        lex_next(&lx);
        if (tok_punct(&lx.cur, '.') && lex_next(&lx) != TK_END && tok_ident(&lx.cur))
            te = lx.cur.start + lx.cur.len;
        else
            lx.p = save;
        ld->table = g_strndup(ts, (size_t)(te - ts));
    }
    /* options up to the column list */
    const char *ctx = NULL; /* "FIELDS" or "LINES" */
    for (;;) {
        if (lex_next(&lx) == TK_END) {
            ok = TRUE;
            goto out;
        }
        if (tok_punct(&lx.cur, '('))
            break;
        if (tok_is(&lx.cur, "CHARACTER")) {
            lex_next(&lx); /* SET */
            lex_next(&lx); /* the character set */
        } else if (tok_is(&lx.cur, "FIELDS") || tok_is(&lx.cur, "COLUMNS"))
            ctx = "FIELDS";
        else if (tok_is(&lx.cur, "LINES"))
            ctx = "LINES";
        else if (tok_is(&lx.cur, "TERMINATED") || tok_is(&lx.cur, "ENCLOSED") ||
                 tok_is(&lx.cur, "ESCAPED") || tok_is(&lx.cur, "STARTING")) {
            char *what = g_ascii_strup(lx.cur.text, -1);
            lex_next(&lx); /* BY */
            lex_next(&lx);
            const char *v = lx.cur.type == TK_STRING ? lx.cur.text : "?";
            gboolean good;
            if (strcmp(what, "TERMINATED") == 0)
                good = strcmp(v, ctx && strcmp(ctx, "LINES") == 0 ? "\n" : "\t") == 0;
            else if (strcmp(what, "ESCAPED") == 0)
                good = strcmp(v, "\\") == 0;
            else
                good = *v == '\0' && lx.cur.type == TK_STRING;
            if (!good)
                ld->default_format = FALSE;
            g_free(what);
        } else if (tok_is(&lx.cur, "OPTIONALLY")) {
            ld->default_format = FALSE;
        } else if (tok_is(&lx.cur, "IGNORE")) {
            /* IGNORE n LINES (after the table) or the IGNORE modifier */
            const char *save = lx.p;
            lex_next(&lx);
            if (lx.cur.type == TK_WORD && g_ascii_isdigit(lx.cur.text[0]))
                ld->default_format = ld->default_format && strcmp(lx.cur.text, "0") == 0;
            else
                lx.p = save;
        } else if (tok_is(&lx.cur, "SET")) {
            goto sets;
        }
    }
    /* column list */
    for (;;) {
        tk_type t = lex_next(&lx);
        if (t == TK_END)
            goto out;
        if (tok_punct(&lx.cur, ')'))
            break;
        if (tok_punct(&lx.cur, ','))
            continue;
        if (tok_punct(&lx.cur, '@')) {
            lex_next(&lx);
            if (!tok_ident(&lx.cur))
                goto out;
            g_ptr_array_add(ld->columns, g_strdup_printf("@%s", lx.cur.text));
        } else if (tok_ident(&lx.cur)) {
            g_ptr_array_add(ld->columns, g_strdup(lx.cur.text));
        } else {
            goto out;
        }
    }
    if (lex_next(&lx) == TK_END) {
        ok = TRUE;
        goto out;
    }
    if (!tok_is(&lx.cur, "SET"))
        goto out;
sets:
    for (;;) {
        if (lex_next(&lx) == TK_END || !tok_ident(&lx.cur))
            goto out;
        char *col = g_strndup(lx.cur.start, lx.cur.len);
        if (lex_next(&lx) == TK_END || !tok_punct(&lx.cur, '=')) {
            g_free(col);
            goto out;
        }
        const char *es = lx.p;
        const char *ee = lx.end;
        int depth = 0;
        gboolean more = FALSE;
        while (lex_next(&lx) != TK_END) {
            if (tok_punct(&lx.cur, '('))
                depth++;
            else if (tok_punct(&lx.cur, ')'))
                depth--;
            else if (depth == 0 && (tok_punct(&lx.cur, ',') || tok_punct(&lx.cur, ';'))) {
                ee = lx.cur.start;
                more = tok_punct(&lx.cur, ',');
                break;
            }
        }
        g_ptr_array_add(ld->set_cols, col);
        g_ptr_array_add(ld->set_expr, g_strstrip(g_strndup(es, (size_t)(ee - es))));
        if (!more)
            break;
    }
    ok = TRUE;
out:
    lex_done(&lx);
    if (!ok)
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "cannot parse the LOAD DATA statement for the INSERT fallback: %.200s", stmt);
    return ok;
}

char *wharf_ddl_subst_vars(const char *expr, GPtrArray *vars, GPtrArray *literals)
{
    size_t len = strlen(expr);
    GString *o = g_string_sized_new(len + 32);
    lexer lx;
    lex_init(&lx, expr, len);
    const char *copied = expr;
    while (lex_next(&lx) != TK_END) {
        if (!tok_punct(&lx.cur, '@'))
            continue;
        const char *at = lx.cur.start;
        if (lex_next(&lx) == TK_END || !tok_ident(&lx.cur))
            break;
        for (guint i = 0; i < vars->len; i++) {
            if (strcmp(vars->pdata[i], lx.cur.text) == 0) {
                g_string_append_len(o, copied, at - copied);
                g_string_append(o, literals->pdata[i]);
                copied = lx.cur.start + lx.cur.len;
                break;
            }
        }
    }
    lex_done(&lx);
    g_string_append(o, copied);
    return g_string_free(o, FALSE);
}

/* --- confinement ---------------------------------------------------------- */

/* An identifier [. identifier] at the lexer: *db (or NULL) and *name. */
static gboolean lex_qualified(lexer *lx, char **db, char **name)
{
    *db = *name = NULL;
    if (!tok_name(&lx->cur))
        return FALSE;
    char *first = g_strdup(lx->cur.text);
    const char *save = lx->p;
    lex_next(lx);
    if (tok_punct(&lx->cur, '.') && lex_next(lx) != TK_END && tok_name(&lx->cur)) {
        *db = first;
        *name = g_strdup(lx->cur.text);
        return TRUE;
    }
    lx->p = save;
    *name = first;
    return TRUE;
}

/* Is (db, name) the object of the file: same name, and no other database. */
static gboolean same_object(const char *db, const char *name, const wharf_ddl_scope *sc, gboolean any_name)
{
    if (db != NULL && strcmp(db, sc->db) != 0)
        return FALSE;
    return any_name || (name != NULL && sc->name != NULL && strcmp(name, sc->name) == 0);
}

/* A session SET: no GLOBAL/PERSIST variable, no SET PASSWORD/ROLE/DEFAULT
 * ROLE, no SET STATEMENT ... FOR (which runs another statement). */
static gboolean session_set(lexer *lx)
{
    lex_next(lx);
    if (tok_is(&lx->cur, "PASSWORD") || tok_is(&lx->cur, "ROLE") || tok_is(&lx->cur, "DEFAULT") ||
        tok_is(&lx->cur, "STATEMENT"))
        return FALSE;
    do {
        if (tok_is(&lx->cur, "GLOBAL") || tok_is(&lx->cur, "PERSIST") || tok_is(&lx->cur, "PERSIST_ONLY"))
            return FALSE;
    } while (lex_next(lx) != TK_END);
    return TRUE;
}

/* DROP <kind> [IF EXISTS] name of the file's scope. */
static gboolean allowed_drop(lexer *lx, const wharf_ddl_scope *sc)
{
    wharf_ddl_kind k = kind_of_word(&lx->cur);
    if (k == WHARF_DDL_PACKAGE && lex_next(lx) == TK_WORD && tok_is(&lx->cur, "BODY"))
        k = WHARF_DDL_PACKAGE_BODY;
    lex_next(lx);
    if (tok_is(&lx->cur, "IF")) {
        lex_next(lx); /* EXISTS */
        lex_next(lx);
    }
    char *db = NULL, *name = NULL;
    gboolean ok = lex_qualified(lx, &db, &name);
    switch (sc->file) {
    case WHARF_SCOPE_TABLE: ok = ok && k == WHARF_DDL_TABLE && same_object(db, name, sc, FALSE); break;
    case WHARF_SCOPE_VIEW:
        ok = ok && (k == WHARF_DDL_TABLE || k == WHARF_DDL_VIEW) && same_object(db, name, sc, FALSE);
        break;
    case WHARF_SCOPE_TRIGGERS:
    case WHARF_SCOPE_DB_TRIGGERS: ok = ok && k == WHARF_DDL_TRIGGER && same_object(db, name, sc, TRUE); break;
    case WHARF_SCOPE_POST:
        ok = ok &&
             (k == WHARF_DDL_FUNCTION || k == WHARF_DDL_PROCEDURE || k == WHARF_DDL_PACKAGE ||
              k == WHARF_DDL_PACKAGE_BODY || k == WHARF_DDL_EVENT) &&
             same_object(db, name, sc, TRUE);
        break;
    default: ok = FALSE;
    }
    g_free(db);
    g_free(name);
    return ok;
}

/* CREATE ... TRIGGER t {BEFORE|AFTER} event ON table: the table. */
static gboolean trigger_on(lexer *lx, const wharf_ddl_scope *sc)
{
    for (int guard = 0; guard < 8 && lex_next(lx) != TK_END; guard++) {
        if (tok_is(&lx->cur, "ON")) {
            lex_next(lx);
            char *db = NULL, *name = NULL;
            gboolean ok = lex_qualified(lx, &db, &name) &&
                          same_object(db, name, sc, sc->file == WHARF_SCOPE_DB_TRIGGERS);
            g_free(db);
            g_free(name);
            return ok;
        }
    }
    return FALSE;
}

static gboolean allowed_create(const char *stmt, size_t len, const wharf_ddl_scope *sc)
{
    lexer lx;
    lex_init(&lx, stmt, len);
    char *db = NULL, *name = NULL;
    const char *ne = NULL;
    wharf_ddl_kind k = parse_create(&lx, &db, &name, &ne);
    gboolean ok = FALSE;
    switch (sc->file) {
    case WHARF_SCOPE_DB_CREATE: ok = k == WHARF_DDL_DATABASE && name && strcmp(name, sc->db) == 0; break;
    case WHARF_SCOPE_TABLE:
        ok = (k == WHARF_DDL_TABLE || k == WHARF_DDL_SEQUENCE) && same_object(db, name, sc, FALSE);
        break;
    case WHARF_SCOPE_VIEW: ok = k == WHARF_DDL_VIEW && same_object(db, name, sc, FALSE); break;
    case WHARF_SCOPE_TRIGGERS:
    case WHARF_SCOPE_DB_TRIGGERS:
        ok = k == WHARF_DDL_TRIGGER && same_object(db, name, sc, TRUE) && trigger_on(&lx, sc);
        break;
    case WHARF_SCOPE_POST:
        ok = (k == WHARF_DDL_FUNCTION || k == WHARF_DDL_PROCEDURE || k == WHARF_DDL_PACKAGE ||
              k == WHARF_DDL_PACKAGE_BODY || k == WHARF_DDL_EVENT) &&
             same_object(db, name, sc, TRUE);
        break;
    default: break;
    }
    g_free(db);
    g_free(name);
    lex_done(&lx);
    return ok;
}

/* The table a data statement writes: INSERT/REPLACE [modifiers] [INTO] t
 * (load = FALSE, lexer on the verb) or LOAD DATA ... INTO TABLE t (load =
 * TRUE, lexer on DATA). */
static gboolean allowed_data(lexer *lx, const wharf_ddl_scope *sc, gboolean load)
{
    for (int guard = 0; guard < 64; guard++) {
        if (lex_next(lx) == TK_END)
            return FALSE;
        if (load ? !tok_is(&lx->cur, "TABLE")
                 : (tok_is(&lx->cur, "LOW_PRIORITY") || tok_is(&lx->cur, "DELAYED") ||
                    tok_is(&lx->cur, "HIGH_PRIORITY") || tok_is(&lx->cur, "IGNORE") || tok_is(&lx->cur, "INTO")))
            continue;
        if (load && lex_next(lx) == TK_END)
            return FALSE;
        char *db = NULL, *name = NULL;
        gboolean ok = lex_qualified(lx, &db, &name) && same_object(db, name, sc, FALSE);
        g_free(db);
        g_free(name);
        return ok;
    }
    return FALSE;
}

/* --- account statements --------------------------------------------------- */

void wharf_ddl_account_clear(wharf_ddl_account *a)
{
    g_free(a->user);
    g_free(a->host);
    if (a->roles)
        g_ptr_array_free(a->roles, TRUE);
    memset(a, 0, sizeof *a);
}

static gboolean tok_account_part(const tok *t)
{
    return t->type == TK_QIDENT || t->type == TK_STRING || t->type == TK_WORD;
}

/* user[@host] at the lexer (its current token); the lexer ends on the
 * token after it. Never CURRENT_USER / CURRENT_ROLE / PUBLIC. */
static gboolean lex_account(lexer *lx, char **user, char **host)
{
    *user = *host = NULL;
    if (!tok_account_part(&lx->cur) || tok_is(&lx->cur, "CURRENT_USER") || tok_is(&lx->cur, "CURRENT_ROLE") ||
        tok_is(&lx->cur, "PUBLIC"))
        return FALSE;
    *user = g_strdup(lx->cur.text);
    lex_next(lx);
    if (!tok_punct(&lx->cur, '@'))
        return TRUE;
    lex_next(lx);
    if (!tok_account_part(&lx->cur)) {
        g_clear_pointer(user, g_free);
        return FALSE;
    }
    *host = g_strdup(lx->cur.text);
    lex_next(lx);
    return TRUE;
}

/* The rest of the statement (from the current token) has no top-level
 * comma: one account only. */
static gboolean rest_single(lexer *lx)
{
    int depth = 0;
    for (; lx->cur.type != TK_END; lex_next(lx)) {
        if (tok_punct(&lx->cur, '('))
            depth++;
        else if (tok_punct(&lx->cur, ')'))
            depth--;
        else if (depth <= 0 && (tok_punct(&lx->cur, ',') || tok_punct(&lx->cur, ';')))
            return FALSE;
    }
    return TRUE;
}

/* CREATE USER acct ... | CREATE ROLE role (lexer after CREATE). */
static wharf_ddl_acct_kind account_create(lexer *lx, wharf_ddl_account *a)
{
    gboolean role = tok_is(&lx->cur, "ROLE");
    if (!role && !tok_is(&lx->cur, "USER"))
        return WHARF_ACCT_OTHER;
    lex_next(lx);
    if (tok_is(&lx->cur, "IF") || !lex_account(lx, &a->user, &a->host))
        return WHARF_ACCT_OTHER;
    if (role)
        return a->host == NULL && lx->cur.type == TK_END ? WHARF_ACCT_CREATE_ROLE : WHARF_ACCT_OTHER;
    return rest_single(lx) ? WHARF_ACCT_CREATE_USER : WHARF_ACCT_OTHER;
}

/* ON target of a GRANT: TRUE with *object set when it names one object
 * (a table, its columns, a routine) rather than *.* or db.*; PROXY ON
 * acct is an account-level grant. Leaves the lexer on TO. */
static gboolean grant_target(lexer *lx, gboolean proxy, gboolean *object)
{
    *object = FALSE;
    lex_next(lx);
    if (proxy) {
        char *u = NULL, *h = NULL;
        gboolean ok = lex_account(lx, &u, &h);
        g_free(u);
        g_free(h);
        return ok && tok_is(&lx->cur, "TO");
    }
    wharf_ddl_kind k = kind_of_word(&lx->cur);
    if (k == WHARF_DDL_TABLE || k == WHARF_DDL_PROCEDURE || k == WHARF_DDL_FUNCTION || k == WHARF_DDL_PACKAGE) {
        lex_next(lx);
        if (k == WHARF_DDL_PACKAGE && tok_is(&lx->cur, "BODY"))
            lex_next(lx);
    }
    gboolean star_db = tok_punct(&lx->cur, '*');
    if (!star_db && !tok_name(&lx->cur))
        return FALSE;
    lex_next(lx);
    if (!tok_punct(&lx->cur, '.'))
        return FALSE; /* unqualified: it would depend on the current database */
    lex_next(lx);
    if (tok_punct(&lx->cur, '*')) {
        *object = FALSE;
    } else if (!star_db && tok_name(&lx->cur)) {
        *object = TRUE;
    } else {
        return FALSE;
    }
    if (k != WHARF_DDL_OTHER && k != WHARF_DDL_TABLE && !*object)
        return FALSE;
    lex_next(lx);
    return tok_is(&lx->cur, "TO");
}

/* GRANT ... TO acct ... (lexer on the first token after GRANT). */
static wharf_ddl_acct_kind account_grant(lexer *lx, wharf_ddl_account *a)
{
    gboolean proxy = tok_is(&lx->cur, "PROXY");
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    gboolean names_only = TRUE, expect_name = TRUE, object = FALSE, on = FALSE, target_ok = TRUE;
    int depth = 0;
    for (; lx->cur.type != TK_END && !tok_is(&lx->cur, "TO"); lex_next(lx)) {
        if (depth == 0 && tok_is(&lx->cur, "ON")) {
            on = TRUE;
            target_ok = grant_target(lx, proxy, &object);
            break;
        }
        if (tok_punct(&lx->cur, '('))
            depth++;
        else if (tok_punct(&lx->cur, ')'))
            depth--;
        if (depth == 0 && tok_punct(&lx->cur, ',')) {
            names_only = names_only && !expect_name;
            expect_name = TRUE;
        } else if (expect_name && depth == 0 && tok_account_part(&lx->cur)) {
            g_ptr_array_add(names, g_strdup(lx->cur.text));
            expect_name = FALSE;
        } else {
            names_only = FALSE;
        }
    }
    wharf_ddl_acct_kind k = WHARF_ACCT_OTHER;
    if (target_ok && tok_is(&lx->cur, "TO") && (on || (names_only && !expect_name && names->len > 0))) {
        lex_next(lx);
        if (lex_account(lx, &a->user, &a->host) && rest_single(lx))
            k = on ? (object ? WHARF_ACCT_GRANT_OBJECT : WHARF_ACCT_GRANT) : WHARF_ACCT_GRANT_ROLE;
    }
    if (k == WHARF_ACCT_GRANT_ROLE)
        a->roles = g_steal_pointer(&names);
    if (names)
        g_ptr_array_free(names, TRUE);
    return k;
}

/* SET DEFAULT ROLE role|NONE FOR acct (lexer on DEFAULT). */
static wharf_ddl_acct_kind account_default_role(lexer *lx, wharf_ddl_account *a)
{
    if (lex_next(lx) == TK_END || !tok_is(&lx->cur, "ROLE") || lex_next(lx) == TK_END ||
        !tok_account_part(&lx->cur) || tok_is(&lx->cur, "FOR"))
        return WHARF_ACCT_OTHER;
    lex_next(lx);
    if (!tok_is(&lx->cur, "FOR"))
        return WHARF_ACCT_OTHER;
    lex_next(lx);
    return lex_account(lx, &a->user, &a->host) && lx->cur.type == TK_END ? WHARF_ACCT_DEFAULT_ROLE
                                                                          : WHARF_ACCT_OTHER;
}

wharf_ddl_acct_kind wharf_ddl_account_parse(const char *stmt, size_t len, wharf_ddl_account *out)
{
    memset(out, 0, sizeof *out);
    lexer lx;
    lex_init(&lx, stmt, len);
    wharf_ddl_acct_kind k = WHARF_ACCT_OTHER;
    lex_next(&lx);
    if (tok_is(&lx.cur, "CREATE")) {
        lex_next(&lx);
        k = account_create(&lx, out);
    } else if (tok_is(&lx.cur, "ALTER") && lex_next(&lx) != TK_END && tok_is(&lx.cur, "USER")) {
        lex_next(&lx);
        if (!tok_is(&lx.cur, "IF") && lex_account(&lx, &out->user, &out->host) && out->host && rest_single(&lx))
            k = WHARF_ACCT_ALTER_USER;
    } else if (tok_is(&lx.cur, "GRANT")) {
        lex_next(&lx);
        k = account_grant(&lx, out);
    } else if (tok_is(&lx.cur, "SET") && lex_next(&lx) != TK_END && tok_is(&lx.cur, "DEFAULT")) {
        k = account_default_role(&lx, out);
    }
    lex_done(&lx);
    if (k == WHARF_ACCT_OTHER)
        wharf_ddl_account_clear(out);
    out->kind = k;
    return k;
}

gboolean wharf_ddl_allowed(const char *stmt, size_t len, const wharf_ddl_scope *sc)
{
    if (sc->file == WHARF_SCOPE_ACCOUNTS) {
        if (wharf_ddl_starts_with(stmt, len, "SET")) {
            lexer sl;
            lex_init(&sl, stmt, len);
            lex_next(&sl);
            gboolean set_ok = session_set(&sl);
            lex_done(&sl);
            if (set_ok)
                return TRUE;
        }
        wharf_ddl_account a;
        gboolean acct = wharf_ddl_account_parse(stmt, len, &a) != WHARF_ACCT_OTHER;
        wharf_ddl_account_clear(&a);
        return acct;
    }
    lexer lx;
    lex_init(&lx, stmt, len);
    gboolean ok = FALSE;
    lex_next(&lx);
    if (tok_is(&lx.cur, "SET"))
        ok = session_set(&lx);
    else if (tok_is(&lx.cur, "CREATE"))
        ok = allowed_create(stmt, len, sc);
    else if (tok_is(&lx.cur, "DROP") && lex_next(&lx) != TK_END)
        ok = allowed_drop(&lx, sc);
    else if (sc->file == WHARF_SCOPE_DATA && (tok_is(&lx.cur, "INSERT") || tok_is(&lx.cur, "REPLACE")))
        ok = allowed_data(&lx, sc, FALSE);
    else if (sc->file == WHARF_SCOPE_DATA && tok_is(&lx.cur, "LOAD") && lex_next(&lx) == TK_WORD &&
             tok_is(&lx.cur, "DATA"))
        ok = allowed_data(&lx, sc, TRUE);
    else if (sc->file == WHARF_SCOPE_TABLE && tok_is(&lx.cur, "DO") && lex_next(&lx) == TK_WORD &&
               tok_is(&lx.cur, "SETVAL") && lex_next(&lx) != TK_END && tok_punct(&lx.cur, '(') &&
               lex_next(&lx) != TK_END) {
        /* wharf dumps before sequence state in data chunks: DO SETVAL(`s`, n, 0) */
        char *db = NULL, *name = NULL;
        ok = lex_qualified(&lx, &db, &name) && same_object(db, name, sc, FALSE);
        g_free(db);
        g_free(name);
    }
    lex_done(&lx);
    return ok;
}

/* --- DEFINER ------------------------------------------------------------- */

/* The span [*from, *to) of "DEFINER = user[@host]" (or CURRENT_USER[()])
 * in the head of a CREATE statement, before its object keyword. */
static gboolean find_definer(const char *stmt, size_t len, const char **from, const char **to)
{
    lexer lx;
    lex_init(&lx, stmt, len);
    gboolean found = FALSE;
    if (lex_next(&lx) != TK_WORD || !tok_is(&lx.cur, "CREATE"))
        goto out;
    for (int guard = 0; guard < 64 && lex_next(&lx) != TK_END; guard++) {
        if (kind_of_word(&lx.cur) != WHARF_DDL_OTHER)
            break;
        if (!tok_is(&lx.cur, "DEFINER"))
            continue;
        const char *start = lx.cur.start, *before = lx.p;
        if (lex_next(&lx) != TK_PUNCT || !tok_punct(&lx.cur, '=')) {
            lx.p = before; /* SQL SECURITY DEFINER */
            continue;
        }
        if (lex_next(&lx) == TK_END)
            break;
        const char *end = lx.cur.start + lx.cur.len, *save = lx.p;
        if (lex_next(&lx) == TK_PUNCT && tok_punct(&lx.cur, '@')) {
            if (lex_next(&lx) != TK_END)
                end = lx.cur.start + lx.cur.len;
        } else if (lx.cur.type == TK_PUNCT && tok_punct(&lx.cur, '(')) {
            if (lex_next(&lx) != TK_END)
                end = lx.cur.start + lx.cur.len; /* ) */
        } else {
            lx.p = save;
        }
        *from = start;
        *to = end;
        found = TRUE;
        break;
    }
out:
    lex_done(&lx);
    return found;
}

char *wharf_ddl_set_definer(const char *stmt, size_t len, const char *definer, size_t *out_len)
{
    const char *from = NULL, *to = NULL;
    if (!find_definer(stmt, len, &from, &to))
        return NULL;
    GString *s = g_string_new_len(stmt, from - stmt);
    if (definer && *definer)
        g_string_append_printf(s, "DEFINER=%s", definer);
    else
        while (to < stmt + len && g_ascii_isspace(*to))
            to++; /* strip: the clause and the blank after it */
    g_string_append_len(s, to, stmt + len - to);
    *out_len = s->len;
    return g_string_free(s, FALSE);
}

char *wharf_ddl_definer_clause(const char *spec, GError **err)
{
    const char *at = spec ? strrchr(spec, '@') : NULL;
    if (at == NULL || at == spec || at[1] == '\0') {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                    "--definer must be keep, strip or USER@HOST, not '%s'", spec ? spec : "");
        return NULL;
    }
    char *user = g_strndup(spec, at - spec), *host = g_strdup(at + 1);
    for (char **x = (char *[]){user, host, NULL}; *x; x++) {
        size_t n = strlen(*x);
        if (n >= 2 && ((**x == '\'' && (*x)[n - 1] == '\'') || (**x == '`' && (*x)[n - 1] == '`') ||
                       (**x == '"' && (*x)[n - 1] == '"'))) {
            memmove(*x, *x + 1, n - 2);
            (*x)[n - 2] = '\0';
        }
    }
    char *qu = wharf_quote_ident(user), *qh = wharf_quote_ident(host);
    char *clause = g_strdup_printf("%s@%s", qu, qh);
    g_free(qu);
    g_free(qh);
    g_free(user);
    g_free(host);
    return clause;
}
