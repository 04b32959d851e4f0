/* splitter: a streaming SQL statement splitter. See splitter.h. */
#include "format/splitter.h"

#include "core/error.h"

#include <string.h>

#define READ_SIZE (256 * 1024)
#define INITIAL_CAP (1024 * 1024)
#define MAX_DELIM 15
/* Bytes of lookahead a token check may need (DELIMITER keyword + blank). */
#define LOOKAHEAD 16

enum {
    ST_CODE,
    ST_SQUOTE,
    ST_DQUOTE,
    ST_BTICK,
    ST_LINE_COMMENT,
    ST_BLOCK_COMMENT,
};

enum { SCAN_STMT, SCAN_MORE };

struct wharf_splitter {
    wharf_reader *r;      /* borrowed; NULL for an in-memory text */
    char *name;           /* file name for messages */
    size_t max_stmt;
    size_t read_size;
    char *buf;            /* data in buf[0, len); one spare byte for a NUL */
    size_t cap, len;
    size_t pos;           /* scan position */
    size_t start;         /* start of the current statement (when have_sig) */
    size_t stmt_end;      /* end of the statement found by scan() */
    guint64 base;         /* file offset of buf[0] */
    gboolean eof, failed;
    gboolean have_sig;    /* the current statement has started */
    gboolean in_exec;     /* inside an executable comment */
    gboolean line_end;    /* the delimiter ends a statement only at the end of a line */
    int state;
    guint64 open_at;      /* file offset where the open quote/comment began */
    guint64 exec_at;      /* file offset of the open executable comment */
    char delim[MAX_DELIM + 1];
    size_t dlen;
    unsigned char special[256]; /* bytes the code state must look at */
    guint64 count;        /* statements returned */
    guint64 last_offset;  /* offset of the last returned statement */
};

static gboolean is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void build_special(wharf_splitter *s)
{
    memset(s->special, 0, sizeof s->special);
    s->special['\''] = s->special['"'] = s->special['`'] = 1;
    s->special['#'] = s->special['-'] = s->special['/'] = s->special['*'] = 1;
    s->special[(unsigned char)s->delim[0]] = 1;
}

static void set_delim(wharf_splitter *s, const char *d, size_t n)
{
    memcpy(s->delim, d, n);
    s->delim[n] = '\0';
    s->dlen = n;
    build_special(s);
}

static wharf_splitter *splitter_alloc(const char *name, size_t max_statement)
{
    wharf_splitter *s = g_new0(wharf_splitter, 1);
    s->name = g_strdup(name ? name : "(input)");
    s->max_stmt = max_statement ? max_statement : WHARF_SPLITTER_DEFAULT_MAX;
    s->read_size = READ_SIZE;
    s->state = ST_CODE;
    set_delim(s, ";", 1);
    return s;
}

wharf_splitter *wharf_splitter_new(wharf_reader *r, size_t max_statement)
{
    wharf_splitter *s = splitter_alloc(wharf_reader_path(r), max_statement);
    s->r = r;
    s->cap = MIN((size_t)INITIAL_CAP, s->max_stmt + READ_SIZE + LOOKAHEAD + 1);
    s->buf = g_malloc(s->cap);
    return s;
}

wharf_splitter *wharf_splitter_new_buffer(const char *data, size_t len, const char *name,
                                          size_t max_statement)
{
    wharf_splitter *s = splitter_alloc(name, max_statement);
    s->cap = len + 1;
    s->buf = g_malloc(s->cap);
    memcpy(s->buf, data, len);
    s->len = len;
    s->eof = TRUE;
    return s;
}

void wharf_splitter_set_read_size(wharf_splitter *s, size_t n)
{
    s->read_size = n ? n : 1;
}

void wharf_splitter_free(wharf_splitter *s)
{
    if (s == NULL)
        return;
    g_free(s->buf);
    g_free(s->name);
    g_free(s);
}

guint64 wharf_splitter_offset(const wharf_splitter *s)
{
    return s->last_offset;
}

guint64 wharf_splitter_count(const wharf_splitter *s)
{
    return s->count;
}

/* ';' + k spaces + '\n' -> ';' + (k + delta) spaces + '\n' (delta = +1 or -1;
 * for -1 only k >= 1 is rewritten). */
static char *shift_line_ends(const char *s, size_t len, int delta, size_t *out_len)
{
    GString *o = NULL;
    size_t copied = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != ';')
            continue;
        size_t j = i + 1;
        while (j < len && s[j] == ' ')
            j++;
        size_t k = j - i - 1;
        if (j >= len || s[j] != '\n' || (delta < 0 && k == 0))
            continue;
        if (o == NULL)
            o = g_string_sized_new(len + 16);
        g_string_append_len(o, s + copied, (gssize)(i + 1 - copied));
        for (size_t n = 0; n < (size_t)((gssize)k + delta); n++)
            g_string_append_c(o, ' ');
        copied = j;
        i = j;
    }
    if (o == NULL)
        return NULL;
    g_string_append_len(o, s + copied, (gssize)(len - copied));
    *out_len = o->len;
    return g_string_free(o, FALSE);
}

char *wharf_sql_escape_line_ends(const char *s, size_t len, size_t *out_len)
{
    return shift_line_ends(s, len, 1, out_len);
}

char *wharf_sql_unescape_line_ends(const char *s, size_t len, size_t *out_len)
{
    return shift_line_ends(s, len, -1, out_len);
}

void wharf_splitter_set_line_end(wharf_splitter *s, gboolean on)
{
    s->line_end = on;
}

const char *wharf_splitter_delimiter(const wharf_splitter *s)
{
    return s->delim;
}

/* ------------------------------------------------------------------------ */

/* Bytes available from pos; TRUE when n of them are there (or no more will
 * come). When FALSE the caller returns SCAN_MORE without moving pos. */
#define HAVE(n) (s->pos + (n) <= s->len || s->eof)

/* Try the DELIMITER command at pos (start of a statement). Returns
 * 1 handled (pos moved past the line), 0 not a DELIMITER line, 2 need more
 * data, -1 error. */
static int try_delimiter_cmd(wharf_splitter *s, GError **err)
{
    static const char kw[] = "delimiter";
    const size_t kwlen = sizeof kw - 1;
    if (!HAVE(kwlen + 1))
        return 2;
    if (s->pos + kwlen + 1 > s->len)
        return 0; /* too short at EOF */
    if (g_ascii_strncasecmp(s->buf + s->pos, kw, kwlen) != 0)
        return 0;
    unsigned char after = (unsigned char)s->buf[s->pos + kwlen];
    if (after != ' ' && after != '\t')
        return 0;
    const char *line = s->buf + s->pos;
    const char *nl = memchr(line, '\n', s->len - s->pos);
    if (nl == NULL && !s->eof)
        return 2;
    const char *end = nl ? nl : s->buf + s->len;
    const char *p = line + kwlen;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    const char *d = p;
    while (p < end && !is_blank((unsigned char)*p))
        p++;
    size_t n = (size_t)(p - d);
    if (n == 0 || n > MAX_DELIM || memchr(d, '\\', n) != NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "%s: DELIMITER line at byte offset %" G_GUINT64_FORMAT
                    " has no usable delimiter (1 to %d characters, no backslash)",
                    s->name, s->base + s->pos, MAX_DELIM);
        return -1;
    }
    set_delim(s, d, n);
    s->pos = (size_t)(end - s->buf) + (nl ? 1 : 0);
    return 1;
}

/* Is there an executable comment opener at pos ("/ *" already checked)?
 * Returns its length (3 or 4), 0 if a plain comment, -1 if more data needed. */
static int exec_opener(const wharf_splitter *s)
{
    if (!HAVE(3))
        return -1;
    if (s->pos + 2 >= s->len)
        return 0;
    char c = s->buf[s->pos + 2];
    if (c == '!' || c == '+')
        return 3;
    if (c == 'M') {
        if (!HAVE(4))
            return -1;
        if (s->pos + 3 < s->len && s->buf[s->pos + 3] == '!')
            return 4;
    }
    return 0;
}

/* Line-end mode: as myloader reads a file, a statement ends where the
 * delimiter is followed by a line break (or the end of input); nothing else
 * is looked at: quotes, comments and sql_mode (NO_BACKSLASH_ESCAPES,
 * ANSI_QUOTES) cannot mislead it. DELIMITER lines are obeyed. */
static int scan_line_end(wharf_splitter *s, GError **err)
{
    const char *b = s->buf;
    while (!s->have_sig) {
        while (s->pos < s->len && is_blank((unsigned char)b[s->pos]))
            s->pos++;
        if (s->pos >= s->len)
            return SCAN_MORE;
        int r = try_delimiter_cmd(s, err);
        if (r < 0)
            return -1;
        if (r == 2)
            return SCAN_MORE;
        if (r == 0) {
            s->have_sig = TRUE;
            s->start = s->pos;
        }
    }
    for (;;) {
        const char *d = memchr(b + s->pos, s->delim[0], s->len - s->pos);
        if (d == NULL) {
            s->pos = s->len;
            return SCAN_MORE;
        }
        size_t i = (size_t)(d - b), after = i + s->dlen;
        if (after + 1 >= s->len && !s->eof) {
            s->pos = i; /* look again with more input */
            return SCAN_MORE;
        }
        gboolean match = after <= s->len && memcmp(d, s->delim, s->dlen) == 0;
        if (match && (after >= s->len || b[after] == '\n' ||
                      (b[after] == '\r' && (after + 1 >= s->len || b[after + 1] == '\n')))) {
            s->stmt_end = i;
            s->pos = after;
            return SCAN_STMT;
        }
        s->pos = i + 1;
    }
}

/* Scan from pos. SCAN_STMT: a delimiter was found (statement in
 * [start, stmt_end)); SCAN_MORE: need more input (or at EOF: input done).
 * -1 on error. */
static int scan(wharf_splitter *s, GError **err)
{
    if (s->line_end)
        return scan_line_end(s, err);
    const unsigned char *b = (const unsigned char *)s->buf;
    for (;;) {
        if (s->pos >= s->len)
            return SCAN_MORE;
        switch (s->state) {
        case ST_CODE:
            if (!s->have_sig) {
                unsigned char c = b[s->pos];
                if (is_blank(c)) {
                    s->pos++;
                    continue;
                }
                if (c == '#') {
                    s->state = ST_LINE_COMMENT;
                    s->pos++;
                    continue;
                }
                if (c == '-') {
                    if (!HAVE(3))
                        return SCAN_MORE;
                    if (s->pos + 1 < s->len && b[s->pos + 1] == '-' &&
                        (s->pos + 2 >= s->len || b[s->pos + 2] <= ' ')) {
                        s->state = ST_LINE_COMMENT;
                        s->pos += 2;
                        continue;
                    }
                } else if (c == '/') {
                    if (!HAVE(2))
                        return SCAN_MORE;
                    if (s->pos + 1 < s->len && b[s->pos + 1] == '*') {
                        int x = exec_opener(s);
                        if (x < 0)
                            return SCAN_MORE;
                        if (x == 0) {
                            s->state = ST_BLOCK_COMMENT;
                            s->open_at = s->base + s->pos;
                            s->pos += 2;
                            continue;
                        }
                    }
                } else if (c == 'd' || c == 'D') {
                    int r = try_delimiter_cmd(s, err);
                    if (r < 0)
                        return -1;
                    if (r == 2)
                        return SCAN_MORE;
                    if (r == 1)
                        continue;
                }
                s->have_sig = TRUE;
                s->start = s->pos;
            }
            {
                /* the hot loop: skip ordinary bytes */
                size_t p = s->pos, n = s->len;
                const unsigned char *sp = s->special;
                while (p < n && !sp[b[p]])
                    p++;
                s->pos = p;
                if (p >= n)
                    return SCAN_MORE;
            }
            {
                unsigned char c = b[s->pos];
                if (c == (unsigned char)s->delim[0] && !s->in_exec) {
                    if (!HAVE(s->dlen))
                        return SCAN_MORE;
                    if (s->pos + s->dlen <= s->len &&
                        memcmp(b + s->pos, s->delim, s->dlen) == 0) {
                        s->stmt_end = s->pos;
                        s->pos += s->dlen;
                        return SCAN_STMT;
                    }
                }
                switch (c) {
                case '\'':
                    s->state = ST_SQUOTE;
                    s->open_at = s->base + s->pos;
                    s->pos++;
                    break;
                case '"':
                    s->state = ST_DQUOTE;
                    s->open_at = s->base + s->pos;
                    s->pos++;
                    break;
                case '`':
                    s->state = ST_BTICK;
                    s->open_at = s->base + s->pos;
                    s->pos++;
                    break;
                case '#':
                    s->state = ST_LINE_COMMENT;
                    s->pos++;
                    break;
                case '-':
                    if (!HAVE(3))
                        return SCAN_MORE;
                    if (s->pos + 1 < s->len && b[s->pos + 1] == '-' &&
                        (s->pos + 2 >= s->len || b[s->pos + 2] <= ' ')) {
                        s->state = ST_LINE_COMMENT;
                        s->pos += 2;
                    } else {
                        s->pos++;
                    }
                    break;
                case '/':
                    if (!HAVE(2))
                        return SCAN_MORE;
                    if (s->pos + 1 < s->len && b[s->pos + 1] == '*' && !s->in_exec) {
                        int x = exec_opener(s);
                        if (x < 0)
                            return SCAN_MORE;
                        if (x > 0) {
                            s->in_exec = TRUE;
                            s->exec_at = s->base + s->pos;
                            s->pos += (size_t)x;
                        } else {
                            s->state = ST_BLOCK_COMMENT;
                            s->open_at = s->base + s->pos;
                            s->pos += 2;
                        }
                    } else {
                        s->pos++;
                    }
                    break;
                case '*':
                    if (s->in_exec) {
                        if (!HAVE(2))
                            return SCAN_MORE;
                        if (s->pos + 1 < s->len && b[s->pos + 1] == '/') {
                            s->in_exec = FALSE;
                            s->pos += 2;
                            break;
                        }
                    }
                    s->pos++;
                    break;
                default:
                    s->pos++; /* delimiter's first byte, not a delimiter */
                    break;
                }
            }
            continue;
        case ST_SQUOTE:
        case ST_DQUOTE: {
            unsigned char q = s->state == ST_SQUOTE ? '\'' : '"';
            size_t p = s->pos, n = s->len;
            while (p < n && b[p] != q && b[p] != '\\')
                p++;
            if (p >= n) {
                s->pos = p;
                return SCAN_MORE;
            }
            if (b[p] == '\\') {
                if (p + 1 >= n) {
                    s->pos = p;
                    if (!s->eof)
                        return SCAN_MORE;
                    s->pos = n; /* a lone backslash at EOF: unterminated */
                    return SCAN_MORE;
                }
                s->pos = p + 2;
                continue;
            }
            s->state = ST_CODE;
            s->pos = p + 1;
            continue;
        }
        case ST_BTICK: {
            const char *e = memchr(b + s->pos, '`', s->len - s->pos);
            if (e == NULL) {
                s->pos = s->len;
                return SCAN_MORE;
            }
            s->state = ST_CODE;
            s->pos = (size_t)((const unsigned char *)e - b) + 1;
            continue;
        }
        case ST_LINE_COMMENT: {
            const char *e = memchr(b + s->pos, '\n', s->len - s->pos);
            if (e == NULL) {
                s->pos = s->len;
                return SCAN_MORE;
            }
            s->state = ST_CODE;
            s->pos = (size_t)((const unsigned char *)e - b) + 1;
            continue;
        }
        case ST_BLOCK_COMMENT: {
            for (;;) {
                const char *e = memchr(b + s->pos, '*', s->len - s->pos);
                if (e == NULL) {
                    s->pos = s->len;
                    return SCAN_MORE;
                }
                s->pos = (size_t)((const unsigned char *)e - b);
                if (s->pos + 1 >= s->len) {
                    if (s->eof)
                        s->pos = s->len;
                    return SCAN_MORE;
                }
                if (b[s->pos + 1] == '/') {
                    s->state = ST_CODE;
                    s->pos += 2;
                    break;
                }
                s->pos++;
            }
            continue;
        }
        }
    }
}

static int fail_stmt_too_big(wharf_splitter *s, GError **err)
{
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                "%s: statement %" G_GUINT64_FORMAT " at byte offset %" G_GUINT64_FORMAT
                " is larger than the maximum statement size (%zu bytes)",
                s->name, s->count + 1, s->base + s->start, s->max_stmt);
    s->failed = TRUE;
    return -1;
}

/* Make room and read more input. */
static gboolean refill(wharf_splitter *s, GError **err)
{
    size_t keep = s->have_sig ? s->start : s->pos;
    if (keep > 0) {
        memmove(s->buf, s->buf + keep, s->len - keep);
        s->len -= keep;
        s->pos -= keep;
        if (s->have_sig)
            s->start -= keep;
        s->base += keep;
    }
    if (s->have_sig && s->len - s->start > s->max_stmt + LOOKAHEAD) {
        fail_stmt_too_big(s, err);
        return FALSE;
    }
    if (!s->have_sig && s->len > s->max_stmt + LOOKAHEAD) {
        /* a DELIMITER line that never ends */
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "%s: line at byte offset %" G_GUINT64_FORMAT " is too long", s->name, s->base);
        s->failed = TRUE;
        return FALSE;
    }
    size_t want = MIN(s->read_size, (size_t)READ_SIZE);
    if (s->cap - s->len < want + 1) {
        size_t ncap = MAX(s->cap * 2, s->len + want + 1);
        s->buf = g_realloc(s->buf, ncap);
        s->cap = ncap;
    }
    size_t room = MIN(s->cap - s->len - 1, s->read_size);
    gssize n = wharf_reader_read(s->r, s->buf + s->len, room, err);
    if (n < 0) {
        s->failed = TRUE;
        return FALSE;
    }
    if (n == 0)
        s->eof = TRUE;
    s->len += (size_t)n;
    return TRUE;
}

/* Hand out [start, end) trimmed; FALSE if it is empty. */
static gboolean emit(wharf_splitter *s, size_t end, const char **stmt, size_t *len)
{
    size_t st = s->start;
    while (end > st && is_blank((unsigned char)s->buf[end - 1]))
        end--;
    s->have_sig = FALSE;
    if (end == st)
        return FALSE;
    s->buf[end] = '\0'; /* the delimiter (or spare byte) is behind us */
    *stmt = s->buf + st;
    *len = end - st;
    s->count++;
    s->last_offset = s->base + st;
    return TRUE;
}

static const char *state_name(int st)
{
    switch (st) {
    case ST_SQUOTE:
        return "single-quoted string";
    case ST_DQUOTE:
        return "double-quoted string";
    case ST_BTICK:
        return "backtick-quoted identifier";
    case ST_BLOCK_COMMENT:
        return "/* comment";
    default:
        return "construct";
    }
}

int wharf_splitter_next(wharf_splitter *s, const char **stmt, size_t *len, GError **err)
{
    if (s->failed) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: splitter already failed", s->name);
        return -1;
    }
    *stmt = NULL;
    *len = 0;
    for (;;) {
        int r = scan(s, err);
        if (r < 0) {
            s->failed = TRUE;
            return -1;
        }
        if (r == SCAN_STMT) {
            if (s->stmt_end - s->start > s->max_stmt)
                return fail_stmt_too_big(s, err);
            if (emit(s, s->stmt_end, stmt, len))
                return 1;
            continue;
        }
        /* SCAN_MORE */
        if (!s->eof) {
            if (s->r == NULL) {
                s->eof = TRUE;
                continue;
            }
            if (!refill(s, err))
                return -1;
            continue;
        }
        if (s->pos < s->len)
            continue; /* lookahead resolved by EOF: rescan */
        /* end of input */
        if (s->state != ST_CODE && s->state != ST_LINE_COMMENT) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                        "%s: unterminated %s starting at byte offset %" G_GUINT64_FORMAT
                        " (statement %" G_GUINT64_FORMAT ")",
                        s->name, state_name(s->state), s->open_at, s->count + 1);
            s->failed = TRUE;
            return -1;
        }
        if (s->in_exec) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                        "%s: unterminated /*! comment starting at byte offset %" G_GUINT64_FORMAT
                        " (statement %" G_GUINT64_FORMAT ")",
                        s->name, s->exec_at, s->count + 1);
            s->failed = TRUE;
            return -1;
        }
        s->state = ST_CODE;
        if (s->have_sig) {
            if (s->len - s->start > s->max_stmt)
                return fail_stmt_too_big(s, err);
            /* ensure the spare byte for the NUL */
            if (s->len + 1 > s->cap) {
                s->buf = g_realloc(s->buf, s->len + 1);
                s->cap = s->len + 1;
            }
            if (emit(s, s->len, stmt, len))
                return 1;
        }
        return 0;
    }
}
