/* journal: --resume file (contract in journal.h). */
#include "load/journal.h"

#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define HEADER "wharf-load-journal 2 "

struct wharf_journal {
    char *path;
    GHashTable *done; /* read at open, then read-only */
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
    g_mutex_init(&j->lock);
    j->fd = -1;
    gboolean fresh = TRUE;
    if (g_file_get_contents(path, &text, &len, &e)) {
        if (len > 0) {
            fresh = FALSE;
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

gboolean wharf_journal_done(const wharf_journal *j, const char *job)
{
    if (j == NULL)
        return FALSE;
    char *e = encode(job);
    gboolean r = g_hash_table_contains(j->done, e);
    g_free(e);
    return r;
}

guint wharf_journal_count(const wharf_journal *j)
{
    return j ? g_hash_table_size(j->done) : 0;
}

gboolean wharf_journal_add(wharf_journal *j, const char *job, GError **err)
{
    char *enc = encode(job);
    char *line = g_strconcat(enc, "\n", NULL);
    g_free(enc);
    size_t n = strlen(line);
    g_mutex_lock(&j->lock);
    gboolean ok = write(j->fd, line, n) == (ssize_t)n && fsync(j->fd) == 0;
    int e = errno;
    g_mutex_unlock(&j->lock);
    g_free(line);
    if (!ok)
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "%s: cannot record '%s' in the journal: %s", j->path, job,
                    g_strerror(e));
    return ok;
}
