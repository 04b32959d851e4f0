/* bulk: INSERT chunks as LOAD DATA LOCAL streams (contract in bulk.h). */
#include "load/bulk.h"

#include "core/error.h"
#include "core/fault.h"

#include <errmsg.h>
#include <string.h>

typedef wharf_load_worker worker;

/* --- INSERT chunks as LOAD DATA LOCAL streams (format/insert.h) ---------- *
 *
 * A big chunk's INSERT statements reach the server as one LOAD DATA LOCAL
 * INFILE whose rows are the statements' tuples as TSV: the server's INSERT
 * parser is most of a big load's cost. It is done only where the result is
 * the INSERT's: a base table whose columns the transcoder knows, NAMES
 * binary, sql_mode without ANSI_QUOTES / NO_BACKSLASH_ESCAPES, and a LOAD
 * that reports exactly the rows sent and no warning. Anything else rolls
 * the attempt back and runs the chunk's statements as they are. */


struct wharf_bulk_table {
    GHashTable *cls;     /* casefolded column name -> wharf_insert_col + 1 */
    GArray *all;         /* wharf_insert_col of every column, in order */
    gboolean no_list_ok; /* no generated or invisible column: INSERT without a list = all columns */
};

void wharf_bulk_table_free(wharf_bulk_table *bt)
{
    if (bt == NULL)
        return;
    g_hash_table_unref(bt->cls);
    g_array_free(bt->all, TRUE);
    g_free(bt);
}

static gboolean has_word(const char *list, const char *word)
{
    char **v = g_strsplit(list ? list : "", ",", -1);
    gboolean found = g_strv_contains((const char *const *)v, word);
    g_strfreev(v);
    return found;
}

/* The table's column classes and the session's state, in one query; NULL
 * (and no error) when its chunks cannot go through LOAD DATA. */
wharf_bulk_table *wharf_bulk_prepare(worker *w, const wharf_load_table *t, GError **err)
{
    char *qdb = wharf_quote_string(t->db->target), *qt = wharf_quote_string(t->name);
    char *q = g_strdup_printf(
        "SELECT @@character_set_client, @@sql_mode, (SELECT TABLE_TYPE FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA=%s AND TABLE_NAME=%s), COLUMN_NAME, DATA_TYPE, EXTRA "
        "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=%s AND TABLE_NAME=%s ORDER BY ORDINAL_POSITION",
        qdb, qt, qdb, qt);
    g_free(qdb);
    g_free(qt);
    MYSQL_RES *res = wharf_conn_query(w->conn, q, err);
    g_free(q);
    if (res == NULL)
        return NULL;
    wharf_bulk_table *bt = g_new0(wharf_bulk_table, 1);
    bt->cls = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    bt->all = g_array_new(FALSE, FALSE, sizeof(wharf_insert_col));
    bt->no_list_ok = TRUE;
    gboolean usable = TRUE;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        if (!row[0] || strcmp(row[0], "binary") != 0 || has_word(row[1], "ANSI_QUOTES") ||
            has_word(row[1], "NO_BACKSLASH_ESCAPES") || !row[2] || strcmp(row[2], "BASE TABLE") != 0)
            usable = FALSE;
        wharf_insert_col c = wharf_insert_col_of_type_name(row[4]);
        if (row[5] && (strstr(row[5], "GENERATED") || strstr(row[5], "INVISIBLE")))
            bt->no_list_ok = FALSE;
        g_array_append_val(bt->all, c);
        g_hash_table_insert(bt->cls, g_utf8_casefold(row[3] ? row[3] : "", -1), GINT_TO_POINTER(c + 1));
    }
    mysql_free_result(res);
    if (!usable || bt->all->len == 0) {
        WLOG_DEBUG("%s: INSERT statements run as they are (session not NAMES binary, sql_mode, or not a "
                   "base table)", t->display);
        wharf_bulk_table_free(bt);
        return NULL;
    }
    return bt;
}

/* One LOAD DATA stream: fed by the INSERTs that share the first's head. */
typedef struct bulk_run {
    wharf_chunk_run *cr;
    wharf_splitter *sp;
    wharf_reader *r;
    const wharf_ddl_scope *sc;
    const char *head;     /* the first INSERT's head (copy) */
    size_t head_len;
    size_t first_at;      /* tuples of the first statement start here */
    GArray *cols;         /* wharf_insert_col per value of a tuple */
    GString *buf;         /* TSV not yet sent */
    size_t pos;
    const char *first;    /* the first statement, until converted */
    size_t first_len;
    char *stash;          /* the statement that ended the stream, to run next */
    size_t stash_len;
    gint64 rows;          /* tuples converted */
    GError *err;          /* why the stream ended early */
    /* A split chunk (chunk.h): each LOAD DATA sends at most room rows. */
    gboolean split;
    gint64 skip;          /* rows earlier parts committed: not sent */
    gint64 room;          /* rows this LOAD DATA may still send */
    gint64 served;        /* rows this LOAD DATA sent */
    gboolean full;        /* it ended at room with rows left: a part */
} bulk_run;

/* Convert one statement's tuples into br->buf (br->err on failure). */
static gboolean bulk_convert(bulk_run *br, const char *stmt, size_t len, size_t at)
{
    g_string_truncate(br->buf, 0);
    br->pos = 0;
    gint64 n = 0;
    if (!wharf_insert_tsv(stmt, len, at, (const wharf_insert_col *)br->cols->data, br->cols->len, br->buf, &n,
                          &br->err))
        return FALSE;
    br->rows += n;
    wharf_counter_add(&br->cr->w->ctx->progress.rows_done, n);
    wharf_fault_point("load-chunk-mid");
    return TRUE;
}

/* The next statement: another INSERT with the same head is converted;
 * anything else is kept for after the LOAD and ends the stream. */
static int bulk_refill(bulk_run *br)
{
    wharf_chunk_run *cr = br->cr;
    if (br->first) {
        const char *f = br->first;
        br->first = NULL;
        return bulk_convert(br, f, br->first_len, br->first_at) ? 1 : -1;
    }
    const char *stmt;
    size_t len;
    int rc = wharf_splitter_next(br->sp, &stmt, &len, &br->err);
    if (rc <= 0)
        return rc;
    wharf_chunk_progress_bytes(cr, br->r);
    if (!wharf_session_confined(cr->c->sql_path, wharf_splitter_count(br->sp), stmt, len, br->sc, &br->err))
        return -1;
    if (len > br->head_len && memcmp(stmt, br->head, br->head_len) == 0) {
        size_t at = br->head_len;
        while (at < len && g_ascii_isspace(stmt[at]))
            at++;
        return bulk_convert(br, stmt, len, at) ? 1 : -1;
    }
    br->stash = g_strndup(stmt, len);
    br->stash_len = len;
    return 0;
}

static int bulk_init(void **ptr, const char *filename, void *userdata)
{
    (void)filename; /* whatever the server asks for, the stream is the chunk's rows */
    *ptr = userdata;
    return 0;
}

/* Drop converted rows that earlier parts committed. A TSV line ends at
 * its only unescaped newline: a newline in a value is written \n. */
static void skip_rows(bulk_run *br)
{
    gint64 dropped = 0;
    while (br->skip > 0 && br->pos < br->buf->len) {
        const char *nl = memchr(br->buf->str + br->pos, '\n', br->buf->len - br->pos);
        if (nl == NULL) { /* a converted statement ends with a whole line */
            br->pos = br->buf->len;
            break;
        }
        br->pos = (size_t)(nl - br->buf->str) + 1;
        br->skip--;
        dropped++;
    }
    wharf_counter_add(&br->cr->w->ctx->progress.rows_done, -dropped);
}

/* Of the next n bytes, those up to the end of the room-th row. */
static size_t rows_fit(bulk_run *br, size_t n)
{
    const char *p = br->buf->str + br->pos, *end = p + n;
    while (br->room > 0 && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        p = nl + 1;
        br->room--;
        br->served++;
    }
    return br->room == 0 ? (size_t)(p - (br->buf->str + br->pos)) : n;
}

static int bulk_read(void *ptr, char *buf, unsigned int len)
{
    bulk_run *br = ptr;
    for (;;) {
        while (br->pos == br->buf->len) {
            if (br->stash || br->err)
                return br->err ? -1 : 0;
            int rc = bulk_refill(br);
            if (rc <= 0)
                return rc;
        }
        if (br->split && br->skip > 0) {
            skip_rows(br);
            continue;
        }
        if (br->split && br->room == 0) {
            br->full = TRUE; /* rows are left: the next part sends them */
            return 0;
        }
        break;
    }
    size_t n = MIN((size_t)len, br->buf->len - br->pos);
    if (br->split)
        n = rows_fit(br, n);
    memcpy(buf, br->buf->str + br->pos, n);
    br->pos += n;
    return (int)n;
}

static void bulk_end(void *ptr)
{
    (void)ptr;
}

static int bulk_error(void *ptr, char *msg, unsigned int len)
{
    bulk_run *br = ptr;
    g_strlcpy(msg, br->err ? br->err->message : "cannot read the chunk", len);
    return CR_UNKNOWN_ERROR;
}

static guint64 info_count(const char *info, const char *key)
{
    const char *k = info ? strstr(info, key) : NULL;
    return k ? g_ascii_strtoull(k + strlen(key), NULL, 10) : 0;
}

/* The column classes of a head, or NULL when a column is unknown. */
static GArray *bulk_columns(const wharf_bulk_table *bt, const wharf_insert_head *h)
{
    if (h->columns->len == 0)
        return bt->no_list_ok ? g_array_copy(bt->all) : NULL;
    GArray *a = g_array_sized_new(FALSE, FALSE, sizeof(wharf_insert_col), h->columns->len);
    for (guint i = 0; i < h->columns->len; i++) {
        char *k = g_utf8_casefold(h->columns->pdata[i], -1);
        gpointer v = g_hash_table_lookup(bt->cls, k);
        g_free(k);
        if (v == NULL) {
            g_array_free(a, TRUE);
            return NULL;
        }
        wharf_insert_col c = (wharf_insert_col)(GPOINTER_TO_INT(v) - 1);
        g_array_append_val(a, c);
    }
    return a;
}

static char *bulk_statement(const wharf_load_table *t, const wharf_insert_head *h)
{
    GString *q = g_string_new("LOAD DATA LOCAL INFILE 'wharf-insert-rows' INTO TABLE ");
    g_string_append_printf(q, "%s CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' "
                              "LINES TERMINATED BY '\\n'", t->qname);
    for (guint i = 0; i < h->columns->len; i++) {
        char *qc = wharf_quote_ident(h->columns->pdata[i]);
        g_string_append_printf(q, "%s%s", i ? "," : " (", qc);
        g_free(qc);
    }
    if (h->columns->len)
        g_string_append_c(q, ')');
    return g_string_free(q, FALSE);
}

/* Send stmt (a plain INSERT, head h) and the INSERTs after it with the same
 * head as one LOAD DATA. FALSE with *err: a real failure; FALSE with
 * cr->redo_as_inserts: the chunk must run as INSERTs. *stash gets the
 * statement that ended the stream (to run next), or NULL at end of file. */
static gboolean bulk_load(bulk_run *br, const wharf_bulk_table *bt, const wharf_insert_head *h, GError **err)
{
    wharf_chunk_run *cr = br->cr;
    worker *w = cr->w;
    if (br->cols == NULL)
        br->cols = bulk_columns(bt, h);
    if (br->cols == NULL) {
        cr->redo_as_inserts = g_strdup("a column the INSERT names is not in the table, or generated");
        return FALSE;
    }
    br->served = 0;
    br->full = FALSE;
    /* the part is the transaction: rows an earlier stream of it sent count */
    br->room = br->split ? MAX(w->ctx->part_rows - cr->rows, 0) : -1;
    gint64 rows_before = br->rows;
    char *q = bulk_statement(cr->c->table, h);
    mysql_set_local_infile_handler(w->conn, bulk_init, bulk_read, bulk_end, bulk_error, br);
    gint64 n = 0;
    gboolean exact;
    gboolean ok = wharf_session_exec_rows(w, q, strlen(q), &n, &exact, err);
    if (w->conn)
        wharf_conn_refuse_local_infile(w->conn);
    g_free(q);
    const char *info = ok ? mysql_info(w->conn) : NULL;
    if (br->err && br->err->domain == WHARF_ERROR && br->err->code == WHARF_ERROR_UNSUPPORTED) {
        g_clear_error(err);
        cr->redo_as_inserts = g_strdup(br->err->message);
        return FALSE;
    }
    if (br->err) { /* reading or splitting the file, or a refused statement */
        g_clear_error(err);
        g_propagate_error(err, br->err);
        br->err = NULL;
        return FALSE;
    }
    if (!ok) {
        if (!wharf_chunk_infile_refused(*err))
            return FALSE;
        if (g_atomic_int_compare_and_exchange(&w->ctx->infile_refused, 0, 1))
            WLOG_WARN("the server refuses LOAD DATA LOCAL INFILE (%s): loading INSERT statements as they are",
                      (*err)->message);
        g_clear_error(err);
        cr->redo_as_inserts = g_strdup("the server refuses LOCAL INFILE");
        return FALSE;
    }
    guint64 warnings = info_count(info, "Warnings: ");
    gint64 sent = br->split ? br->served : br->rows - rows_before;
    if (n != sent || !exact || warnings != 0) {
        cr->redo_as_inserts = g_strdup_printf("LOAD DATA took %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                                              " rows with %" G_GUINT64_FORMAT " warnings", n, sent, warnings);
        return FALSE;
    }
    cr->rows += sent;
    return TRUE;
}

gboolean wharf_bulk_stream(wharf_chunk_run *cr, const wharf_bulk_table *bt, wharf_splitter *sp, wharf_reader *r,
                            const wharf_ddl_scope *sc, const char *stmt, size_t len, const wharf_insert_head *h,
                            char **stash, size_t *stash_len, GError **err)
{
    char *head = g_strndup(stmt, h->head_len); /* compared after the splitter moved on */
    bulk_run br = {.cr = cr, .sp = sp, .r = r, .sc = sc, .head = head, .head_len = h->head_len,
                   .first = stmt, .first_len = len, .first_at = h->values_at,
                   .buf = g_string_sized_new(1 << 20), .split = cr->pkey != NULL, .skip = cr->skip};
    gboolean ok = bulk_load(&br, bt, h, err);
    /* a split chunk: the part is committed, the stream goes on in the next */
    while (ok && br.full)
        ok = wharf_chunk_part_commit(cr, err) && bulk_load(&br, bt, h, err);
    cr->skip = br.skip; /* rows still to skip: of the next stream */
    if (!ok)
        wharf_counter_add(&cr->w->ctx->progress.rows_done, -br.rows);
    *stash = br.stash;
    *stash_len = br.stash_len;
    if (!ok) {
        g_free(br.stash);
        *stash = NULL;
    }
    g_free(head);
    g_string_free(br.buf, TRUE);
    if (br.cols)
        g_array_free(br.cols, TRUE);
    g_clear_error(&br.err);
    return ok;
}

