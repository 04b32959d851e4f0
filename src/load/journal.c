/* journal: --resume file (contract in journal.h). */
#include "load/journal.h"

#include "core/conn.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define HEADER "wharf-load-journal 2 "

struct wharf_journal {
    char *path;
    char *id;         /* hex SHA-256 of the journal's path and dump directory */
    gboolean resumed; /* the file existed: this run resumes another */
    GHashTable *done; /* read at open, then read-only */
    GHashTable *marks; /* hex SHA-256 of keys marked in the target (attach), then read-only */
    GMutex lock;      /* guards fd writes */
    int fd;
};

wharf_journal *wharf_journal_open(const char *path, const char *dump_dir, GError **err)
{
    char *abs = g_canonicalize_filename(dump_dir, NULL);
    char *text = NULL;
    size_t len = 0;
    GError *e = NULL;
    wharf_journal *j = g_new0(wharf_journal, 1);
    j->path = g_strdup(path);
    j->done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    j->marks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char *ap = g_canonicalize_filename(path, NULL);
    char *idsrc = g_strconcat(ap, "\n", abs, NULL);
    j->id = g_compute_checksum_for_string(G_CHECKSUM_SHA256, idsrc, -1);
    g_free(idsrc);
    g_free(ap);
    g_mutex_init(&j->lock);
    j->fd = -1;
    gboolean fresh = TRUE;
    if (g_file_get_contents(path, &text, &len, &e)) {
        if (len > 0) {
            fresh = FALSE;
            j->resumed = TRUE;
            char *nl = memchr(text, '\n', len);
            char *want = g_strconcat(HEADER, abs, NULL);
            if (nl == NULL || (size_t)(nl - text) != strlen(want) || memcmp(text, want, strlen(want)) != 0) {
                g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                            "%s is not a load journal of %s (it starts: %.80s)", path, abs, text);
                g_free(want);
                goto fail;
            }
            g_free(want);
            char *p = nl + 1, *end = text + len;
            while (p < end) {
                char *q = memchr(p, '\n', (size_t)(end - p));
                if (q == NULL)
                    break; /* partial last line */
                if (q > p)
                    g_hash_table_add(j->done, g_strndup(p, (size_t)(q - p)));
                p = q + 1;
            }
        }
    } else if (!g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: %s", path, e->message);
        goto fail;
    }
    g_clear_error(&e);
    j->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (j->fd < 0) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: cannot open the journal: %s", path, g_strerror(errno));
        goto fail;
    }
    if (!fresh && len > 0 && text[len - 1] != '\n') {
        /* end the partial line so the next entry starts clean */
        if (write(j->fd, "\n", 1) != 1) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: %s", path, g_strerror(errno));
            goto fail;
        }
    }
    if (fresh) {
        char *h = g_strconcat(HEADER, abs, "\n", NULL);
        gboolean ok = write(j->fd, h, strlen(h)) == (ssize_t)strlen(h) && fsync(j->fd) == 0;
        g_free(h);
        if (!ok) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: %s", path, g_strerror(errno));
            goto fail;
        }
    }
    g_free(text);
    g_free(abs);
    return j;
fail:
    g_clear_error(&e);
    g_free(text);
    g_free(abs);
    wharf_journal_close(j);
    return NULL;
}

void wharf_journal_close(wharf_journal *j)
{
    if (j == NULL)
        return;
    if (j->fd >= 0)
        close(j->fd);
    g_hash_table_unref(j->done);
    g_hash_table_unref(j->marks);
    g_free(j->id);
    g_mutex_clear(&j->lock);
    g_free(j->path);
    g_free(j);
}

/* A key as one line: bytes below 0x20, 0x7F and '%' as %XX, so that no
 * name can end a line or forge another entry. */
static char *encode(const char *key)
{
    GString *s = g_string_new(NULL);
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        if (*p < 0x20 || *p == 0x7F || *p == '%')
            g_string_append_printf(s, "%%%02X", *p);
        else
            g_string_append_c(s, (char)*p);
    }
    return g_string_free(s, FALSE);
}

static char *key_hash(const char *key)
{
    return g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
}

gboolean wharf_journal_done(const wharf_journal *j, const char *job)
{
    if (j == NULL)
        return FALSE;
    char *e = encode(job);
    gboolean r = g_hash_table_contains(j->done, e);
    g_free(e);
    if (!r && g_hash_table_size(j->marks) > 0) {
        char *h = key_hash(job);
        r = g_hash_table_contains(j->marks, h);
        g_free(h);
    }
    return r;
}

const char *wharf_journal_id(const wharf_journal *j)
{
    return j->id;
}

guint wharf_journal_marks(const wharf_journal *j)
{
    return j ? g_hash_table_size(j->marks) : 0;
}

gboolean wharf_journal_resumed(const wharf_journal *j)
{
    return j != NULL && j->resumed;
}

#define MARKS "`wharf_resume`.`done`"

gboolean wharf_journal_attach(wharf_journal *j, MYSQL *m, GError **err)
{
    if (!wharf_conn_exec(m, "CREATE DATABASE IF NOT EXISTS `wharf_resume`", err) ||
        !wharf_conn_exec(m, "CREATE TABLE IF NOT EXISTS " MARKS " (journal BINARY(32) NOT NULL, job BINARY(32) NOT NULL,"
                            " PRIMARY KEY (journal, job)) ENGINE=InnoDB COMMENT='wharf load --resume: chunks"
                            " committed, in their own transaction'", err)) {
        wharf_error_prefix(err, "--resume: creating the marker table " MARKS);
        return FALSE;
    }
    char *q = g_strdup_printf("SELECT HEX(job) FROM " MARKS " WHERE journal = X'%s'", j->id);
    MYSQL_RES *res = wharf_conn_query(m, q, err);
    g_free(q);
    if (res == NULL)
        return FALSE;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL)
        if (row[0]) /* LOWER() does nothing under SET NAMES binary: here */
            g_hash_table_add(j->marks, g_ascii_strdown(row[0], -1));
    mysql_free_result(res);
    return TRUE;
}

char *wharf_journal_mark_sql(const wharf_journal *j, const char *key)
{
    char *h = key_hash(key);
    char *sql = g_strdup_printf("INSERT INTO " MARKS " (journal, job) VALUES (X'%s', X'%s')", j->id, h);
    g_free(h);
    return sql;
}

gboolean wharf_journal_marked_now(const wharf_journal *j, MYSQL *m, const char *key, gboolean *marked, GError **err)
{
    char *h = key_hash(key);
    char *q = g_strdup_printf("SELECT COUNT(*) FROM " MARKS " WHERE journal = X'%s' AND job = X'%s'", j->id, h);
    g_free(h);
    char *v = wharf_conn_query_value(m, q, err);
    g_free(q);
    if (v == NULL)
        return FALSE;
    *marked = strcmp(v, "0") != 0;
    g_free(v);
    return TRUE;
}

gboolean wharf_journal_finish(const wharf_journal *j, MYSQL *m, GError **err)
{
    if (!wharf_conn_execf(m, err, "DELETE FROM " MARKS " WHERE journal = X'%s'", j->id))
        return FALSE;
    /* no other load's markers left, nor another table (parts.h): the
     * bookkeeping database goes too */
    char *left = wharf_conn_query_value(m, "SELECT (SELECT COUNT(*) FROM " MARKS ") + (SELECT COUNT(*) FROM"
                                           " information_schema.TABLES WHERE TABLE_SCHEMA = 'wharf_resume'"
                                           " AND TABLE_NAME <> 'done')", err);
    gboolean ok = left != NULL;
    if (ok && strcmp(left, "0") == 0)
        ok = wharf_conn_exec(m, "DROP DATABASE IF EXISTS `wharf_resume`", err);
    g_free(left);
    return ok;
}

guint wharf_journal_count(const wharf_journal *j)
{
    return j ? g_hash_table_size(j->done) : 0;
}

gboolean wharf_journal_add(wharf_journal *j, const char *job, gboolean sync, GError **err)
{
    char *enc = encode(job);
    char *line = g_strconcat(enc, "\n", NULL);
    g_free(enc);
    size_t n = strlen(line);
    g_mutex_lock(&j->lock);
    gboolean ok = write(j->fd, line, n) == (ssize_t)n && (!sync || fsync(j->fd) == 0);
    int e = errno;
    g_mutex_unlock(&j->lock);
    g_free(line);
    if (!ok)
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: cannot record '%s' in the journal: %s", j->path, job,
                    g_strerror(e));
    return ok;
}
