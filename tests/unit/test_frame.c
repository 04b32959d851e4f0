/* Unit tests for src/format/frame.c and the stream framing written by
 * src/dump/outstream.c. */
#include "core/error.h"
#include "core/stream.h"
#include "dump/outstream.h"
#include "format/frame.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static gboolean parse(const char *line, char **name, guint64 *size, wharf_frame_role *role, GError **err)
{
    return wharf_frame_parse(line, strlen(line), name, size, role, err);
}

static void test_parse_good(void)
{
    struct {
        const char *line, *name;
        guint64 size;
        wharf_frame_role role;
    } cases[] = {
        {"-- metadata 675", "metadata", 675, WHARF_FRAME_METADATA},
        {"-- metadata.header 0", "metadata.header", 0, WHARF_FRAME_HEADER},
        {"-- metadata.partial.12 94", "metadata.partial.12", 94, WHARF_FRAME_PARTIAL},
        {"-- metadata.partial 1", "metadata.partial", 1, WHARF_FRAME_PARTIAL},
        {"-- d1.t.00000.sql.zst 154", "d1.t.00000.sql.zst", 154, WHARF_FRAME_FILE},
        {"-- my db.my table-schema.sql 12", "my db.my table-schema.sql", 12, WHARF_FRAME_FILE},
        {"-- d-schema-create.sql 1125899906842624", "d-schema-create.sql", WHARF_FRAME_MAX_SIZE,
         WHARF_FRAME_FILE},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *name = NULL;
        guint64 size = 1;
        wharf_frame_role role = WHARF_FRAME_FILE;
        GError *err = NULL;
        g_assert_true(parse(cases[i].line, &name, &size, &role, &err));
        g_assert_no_error(err);
        g_assert_cmpstr(name, ==, cases[i].name);
        g_assert_cmpuint(size, ==, cases[i].size);
        g_assert_cmpint(role, ==, cases[i].role);
        char *h = wharf_frame_header(name, size);
        g_assert_true(h[0] == '\n' && h[strlen(h) - 1] == '\n');
        h[strlen(h) - 1] = '\0';
        g_assert_cmpstr(h + 1, ==, cases[i].line);
        g_free(h);
        g_free(name);
    }
}

static void test_parse_bad(void)
{
    struct {
        const char *line, *msg;
    } cases[] = {
        {"-- ../x 3", "holds a '/'"},
        {"-- /etc/passwd 3", "holds a '/'"},
        {"-- .. 3", "hidden or relative"},
        {"-- .hidden-schema.sql 3", "hidden or relative"},
        {"-- notes.txt 3", "not a file of a dump"},
        {"-- d.t.00000.sql.tmp 3", "not a file of a dump"},
        {"-- metadata.partial.x 3", "not a file of a dump"},
        {"-- tab\there-schema.sql 3", "control byte"},
        {"-- d.t-schema.sql -3", "not a decimal number"},
        {"-- d.t-schema.sql +3", "not a decimal number"},
        {"-- d.t-schema.sql 3x", "not a decimal number"},
        {"-- d.t-schema.sql ", "not a decimal number"},
        {"-- d.t-schema.sql 18446744073709551616", "not a decimal number"},
        {"-- d.t-schema.sql 1125899906842625", "not a decimal number"},
        {"-- d.t-schema.sql", "without a file name and a size"},
        {"-- 12", "without a file name and a size"},
        {"--  12", "without a file name and a size"},
        {"-x d.t-schema.sql 1", "not a frame header"},
        {"", "not a frame header"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *name = NULL;
        guint64 size = 0;
        wharf_frame_role role;
        GError *err = NULL;
        g_assert_false(parse(cases[i].line, &name, &size, &role, &err));
        g_assert_null(name);
        g_assert_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT);
        if (strstr(err->message, cases[i].msg) == NULL)
            g_error("'%s': '%s' lacks '%s'", cases[i].line, err->message, cases[i].msg);
        g_error_free(err);
    }
}

typedef struct {
    int fd;
    GByteArray *got;
} reader;

static gpointer read_all(gpointer p)
{
    reader *r = p;
    char buf[4096];
    ssize_t n;
    while ((n = read(r->fd, buf, sizeof buf)) > 0)
        g_byte_array_append(r->got, (guint8 *)buf, (guint)n);
    return NULL;
}

/* Files committed through the hook come out framed, in commit order,
 * metadata.header first and metadata last, and leave the spool. With a
 * 1-byte bound every commit waits until its file is sent. */
static void test_outstream(void)
{
    int p[2];
    g_assert_cmpint(pipe(p), ==, 0);
    reader r = {p[0], g_byte_array_new()};
    GThread *t = g_thread_new("reader", read_all, &r);
    GError *err = NULL;
    char *parent = g_dir_make_tmp("wharf-test-XXXXXX", &err);
    g_assert_no_error(err);
    wharf_outstream *s = wharf_outstream_start(parent, 1, p[1], "[config]\n", &err);
    g_assert_no_error(err);
    char *dir = g_strdup(wharf_outstream_dir(s));
    const char *names[] = {"d-schema-create.sql", "d.t.00000.sql.zst", "metadata"};
    GString *big = g_string_new(NULL);
    for (int i = 0; i < 20000; i++)
        g_string_append(big, "\n-- d.t.00001.sql 5\n"); /* frame-like content is only content */
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *path = g_build_filename(dir, names[i], NULL);
        wharf_writer *w = wharf_writer_open(path, i == 1 ? WHARF_COMPRESS_ZSTD : WHARF_COMPRESS_NONE, 0, &err);
        g_assert_no_error(err);
        if (i < 2)
            wharf_writer_on_commit(w, wharf_outstream_committed, s);
        g_assert_true(wharf_writer_write(w, big->str, i == 0 ? 3 : big->len, &err));
        g_assert_true(wharf_writer_commit(w, &err));
        g_assert_no_error(err);
        g_free(path);
    }
    g_assert_true(wharf_outstream_finish(s, &err));
    g_assert_no_error(err);
    wharf_outstream_free(s);
    g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
    close(p[1]);
    g_thread_join(t);
    close(p[0]);
    /* parse what came out */
    const char *d = (const char *)r.got->data, *end = d + r.got->len;
    const char *expect[] = {"metadata.header", "d-schema-create.sql", "d.t.00000.sql.zst", "metadata"};
    for (size_t i = 0; i < G_N_ELEMENTS(expect); i++) {
        g_assert_true(d < end && *d == '\n');
        const char *nl = memchr(d + 1, '\n', (size_t)(end - d - 1));
        g_assert_nonnull(nl);
        char *name = NULL;
        guint64 size = 0;
        wharf_frame_role role;
        g_assert_true(wharf_frame_parse(d + 1, (gsize)(nl - d - 1), &name, &size, &role, &err));
        g_assert_cmpstr(name, ==, expect[i]);
        if (i == 0)
            g_assert_cmpmem(nl + 1, 9, "[config]\n", 9);
        if (i == 1)
            g_assert_cmpmem(nl + 1, 3, big->str, 3);
        if (i == 2)
            g_assert_cmpuint(size, <, big->len / 10); /* sent as compressed on disk */
        if (i == 3)
            g_assert_cmpuint(size, ==, big->len);
        d = nl + 1 + size;
        g_free(name);
    }
    g_assert_true(d == end);
    g_rmdir(parent);
    g_free(parent);
    g_free(dir);
    g_string_free(big, TRUE);
    g_byte_array_unref(r.got);
}

/* A reader that never reads: the writer waiting for room and the
 * streamer blocked on the full pipe both end on cancel. */
static gpointer commit_big(gpointer p)
{
    wharf_outstream *s = p;
    char *path = g_build_filename(wharf_outstream_dir(s), "d.t.00000.sql", NULL);
    GError *err = NULL;
    wharf_writer *w = wharf_writer_open(path, WHARF_COMPRESS_NONE, 0, &err);
    wharf_writer_on_commit(w, wharf_outstream_committed, s);
    char *buf = g_malloc0(1 << 20);
    gboolean ok = wharf_writer_write(w, buf, 1 << 20, &err) && wharf_writer_commit(w, &err);
    if (!ok)
        wharf_writer_abort(w);
    g_free(buf);
    g_free(path);
    g_assert_false(ok);
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_CANCELLED);
    g_error_free(err);
    return NULL;
}

static void test_outstream_cancel(void)
{
    int p[2];
    g_assert_cmpint(pipe(p), ==, 0);
    GError *err = NULL;
    wharf_outstream *s = wharf_outstream_start(NULL, 1024, p[1], "[config]\n", &err);
    g_assert_no_error(err);
    char *dir = g_strdup(wharf_outstream_dir(s));
    GThread *t = g_thread_new("writer", commit_big, s);
    /* the pipe (64 KiB) fills: wait until the streamer has sent the header
     * and part of the file, i.e. it is blocked */
    char c;
    g_assert_cmpint(read(p[0], &c, 1), ==, 1);
    wharf_outstream_cancel(s);
    g_thread_join(t);
    wharf_outstream_free(s);
    g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
    close(p[0]);
    close(p[1]);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/frame/parse-good", test_parse_good);
    g_test_add_func("/frame/parse-bad", test_parse_bad);
    g_test_add_func("/frame/outstream", test_outstream);
    g_test_add_func("/frame/outstream-cancel", test_outstream_cancel);
    return g_test_run();
}
