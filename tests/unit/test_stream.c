/* Unit tests for src/core/stream.c */
#include "core/error.h"
#include "core/pipe.h"
#include "core/stream.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

typedef struct {
    char *dir;
} Fixture;

static void fx_setup(Fixture *f, gconstpointer data)
{
    f->dir = g_dir_make_tmp("wharf-test-stream-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
}

static void rm_rf(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d == NULL)
        return;
    const char *n;
    while ((n = g_dir_read_name(d)) != NULL) {
        char *p = g_build_filename(dir, n, NULL);
        g_unlink(p);
        g_free(p);
    }
    g_dir_close(d);
    g_rmdir(dir);
}

static void fx_teardown(Fixture *f, gconstpointer data)
{
    rm_rf(f->dir);
    g_free(f->dir);
}

/* >10 MB with every byte value: a mix of compressible text-like runs and
 * pseudo-random bytes. */
static guint8 *make_payload(size_t len)
{
    guint8 *p = g_malloc(len);
    guint32 x = 12345;
    for (size_t i = 0; i < len; i++) {
        if ((i / 4096) % 3 == 0) {
            x = x * 1103515245u + 12345u;
            p[i] = (guint8)(x >> 16);
        } else {
            p[i] = (guint8)(i % 256);
        }
    }
    return p;
}

static char *write_file(const char *dir, const char *name, wharf_compress c, const guint8 *data,
                        size_t len)
{
    char *path = g_build_filename(dir, name, NULL);
    GError *err = NULL;
    wharf_writer *w = wharf_writer_open(path, c, 0, &err);
    g_assert_no_error(err);
    g_assert_nonnull(w);
    /* Mixed write sizes: many small ones, then big ones. */
    size_t off = 0;
    size_t step = 1;
    while (off < len) {
        size_t n = MIN(step, len - off);
        g_assert_true(wharf_writer_write(w, data + off, n, &err));
        g_assert_no_error(err);
        off += n;
        step = step < 300000 ? step * 2 + 1 : 7;
    }
    g_assert_cmpuint(wharf_writer_bytes(w), ==, len);
    g_assert_cmpuint(wharf_writer_crc32(w), ==, crc32_z(0, data, len));
    g_assert_true(wharf_writer_commit(w, &err));
    g_assert_no_error(err);
    return path;
}

static guint8 *read_all(const char *path, size_t chunk, size_t *out_len, GError **err)
{
    wharf_reader *r = wharf_reader_open(path, err);
    if (r == NULL)
        return NULL;
    GByteArray *a = g_byte_array_new();
    guint8 *buf = g_malloc(chunk);
    for (;;) {
        gssize n = wharf_reader_read(r, buf, chunk, err);
        if (n < 0) {
            g_free(buf);
            g_byte_array_free(a, TRUE);
            wharf_reader_close(r);
            return NULL;
        }
        if (n == 0)
            break;
        g_byte_array_append(a, buf, (guint)n);
    }
    g_assert_cmpuint(wharf_reader_bytes(r), ==, a->len);
    g_assert_cmpuint(wharf_reader_crc32(r), ==, crc32_z(0, a->data, a->len));
    g_assert_cmpuint(wharf_reader_disk_bytes(r), >, 0);
    g_free(buf);
    wharf_reader_close(r);
    *out_len = a->len;
    return g_byte_array_free(a, FALSE);
}

static void check_roundtrip(Fixture *f, wharf_compress c, const char *name)
{
    size_t len = 10 * 1024 * 1024 + 12345;
    guint8 *data = make_payload(len);
    char *path = write_file(f->dir, name, c, data, len);

    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    if (c != WHARF_COMPRESS_NONE)
        g_assert_cmpint(st.st_size, <, (off_t)len);

    /* odd and large read sizes */
    size_t sizes[] = {1000003, 4093};
    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        GError *err = NULL;
        size_t got = 0;
        guint8 *back = read_all(path, sizes[i], &got, &err);
        g_assert_no_error(err);
        g_assert_cmpuint(got, ==, len);
        g_assert_true(memcmp(back, data, len) == 0);
        g_free(back);
    }
    char *tmp = g_strconcat(path, ".tmp", NULL);
    g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
    g_free(tmp);
    g_free(path);
    g_free(data);
}

static void test_roundtrip_none(Fixture *f, gconstpointer d)
{
    check_roundtrip(f, WHARF_COMPRESS_NONE, "a.sql");
}
static void test_roundtrip_zstd(Fixture *f, gconstpointer d)
{
    check_roundtrip(f, WHARF_COMPRESS_ZSTD, "a.sql.zst");
}
static void test_roundtrip_gzip(Fixture *f, gconstpointer d)
{
    check_roundtrip(f, WHARF_COMPRESS_GZIP, "a.sql.gz");
}

static void test_small_and_empty(Fixture *f, gconstpointer d)
{
    wharf_compress modes[] = {WHARF_COMPRESS_NONE, WHARF_COMPRESS_ZSTD, WHARF_COMPRESS_GZIP};
    const char *payloads[] = {"", "x", "ab", "abc", "(1,'a');\n"};
    for (size_t m = 0; m < G_N_ELEMENTS(modes); m++) {
        for (size_t i = 0; i < G_N_ELEMENTS(payloads); i++) {
            char *name = g_strdup_printf("s%zu_%zu", m, i);
            char *path = write_file(f->dir, name, modes[m], (const guint8 *)payloads[i],
                                    strlen(payloads[i]));
            GError *err = NULL;
            char *contents = NULL;
            size_t len = 0;
            g_assert_true(wharf_read_file(path, &contents, &len, &err));
            g_assert_no_error(err);
            g_assert_cmpuint(len, ==, strlen(payloads[i]));
            g_assert_cmpstr(contents, ==, payloads[i]);
            g_free(contents);
            g_free(path);
            g_free(name);
        }
    }
}

static void test_temp_not_visible(Fixture *f, gconstpointer d)
{
    char *path = g_build_filename(f->dir, "t.sql.zst", NULL);
    char *tmp = g_strconcat(path, ".tmp", NULL);
    GError *err = NULL;
    wharf_writer *w = wharf_writer_open(path, WHARF_COMPRESS_ZSTD, 0, &err);
    g_assert_no_error(err);
    for (int i = 0; i < 100000; i++)
        g_assert_true(wharf_writer_puts(w, "INSERT INTO t VALUES (1);\n", &err));
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(tmp, G_FILE_TEST_EXISTS));
    struct stat st;
    g_assert_cmpint(stat(tmp, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);

    /* a second writer for the same path is refused (O_EXCL on the temp) */
    wharf_writer *w2 = wharf_writer_open(path, WHARF_COMPRESS_NONE, 0, &err);
    g_assert_null(w2);
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_EXISTS);
    g_clear_error(&err);

    g_assert_true(wharf_writer_commit(w, &err));
    g_assert_no_error(err);
    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
    g_free(tmp);
    g_free(path);
}

static void test_abort(Fixture *f, gconstpointer d)
{
    char *path = g_build_filename(f->dir, "ab.sql.gz", NULL);
    char *tmp = g_strconcat(path, ".tmp", NULL);
    GError *err = NULL;
    wharf_writer *w = wharf_writer_open(path, WHARF_COMPRESS_GZIP, 0, &err);
    g_assert_no_error(err);
    g_assert_true(wharf_writer_puts(w, "hello", &err));
    g_assert_true(g_file_test(tmp, G_FILE_TEST_EXISTS));
    wharf_writer_abort(w);
    g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    wharf_writer_abort(NULL);
    g_free(tmp);
    g_free(path);
}

static void test_commit_failure(Fixture *f, gconstpointer d)
{
    /* rename onto a non-empty directory fails */
    char *path = g_build_filename(f->dir, "taken.sql", NULL);
    g_assert_cmpint(g_mkdir(path, 0700), ==, 0);
    char *inner = g_build_filename(path, "x", NULL);
    g_assert_true(g_file_set_contents(inner, "x", 1, NULL));
    char *tmp = g_strconcat(path, ".tmp", NULL);
    GError *err = NULL;
    wharf_writer *w = wharf_writer_open(path, WHARF_COMPRESS_ZSTD, 0, &err);
    g_assert_no_error(err);
    g_assert_true(wharf_writer_puts(w, "data", &err));
    g_assert_false(wharf_writer_commit(w, &err));
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_IO);
    g_assert_nonnull(strstr(err->message, path));
    g_clear_error(&err);
    g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
    wharf_writer_abort(w); /* releases the handle */
    g_unlink(inner);
    g_rmdir(path);
    g_free(inner);
    g_free(tmp);
    g_free(path);
}

static void test_write_file_atomic(Fixture *f, gconstpointer d)
{
    char *path = g_build_filename(f->dir, "metadata", NULL);
    GError *err = NULL;
    g_assert_true(wharf_write_file_atomic(path, "abc\n", 4, &err));
    g_assert_no_error(err);
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    char *c = NULL;
    size_t n = 0;
    g_assert_true(wharf_read_file(path, &c, &n, &err));
    g_assert_cmpstr(c, ==, "abc\n");
    g_free(c);
    /* replacing an existing file works */
    g_assert_true(wharf_write_file_atomic(path, "xyz", 3, &err));
    g_assert_true(g_file_get_contents(path, &c, &n, NULL));
    g_assert_cmpstr(c, ==, "xyz");
    g_free(c);
    g_assert_true(wharf_fsync_dir(f->dir, &err));
    g_assert_no_error(err);
    g_free(path);
}

/* Expect reading to fail with WHARF_ERROR_FORMAT naming the path and an offset. */
static void expect_format_error(const char *path)
{
    GError *err = NULL;
    size_t got = 0;
    guint8 *back = read_all(path, 65536, &got, &err);
    g_assert_null(back);
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT);
    g_assert_nonnull(strstr(err->message, path));
    g_assert_nonnull(strstr(err->message, "offset"));
    g_clear_error(&err);
}

static void check_truncated(Fixture *f, wharf_compress c, const char *name)
{
    size_t len = 3 * 1024 * 1024;
    guint8 *data = make_payload(len);
    char *path = write_file(f->dir, name, c, data, len);
    char *whole = NULL;
    gsize wlen = 0;
    g_assert_true(g_file_get_contents(path, &whole, &wlen, NULL));
    /* cut points: just after the magic, in the middle, and losing the last
     * bytes (checksum / trailer) */
    gsize cuts[] = {4, 10, wlen / 3, wlen / 2, wlen - 100, wlen - 4, wlen - 1};
    for (size_t i = 0; i < G_N_ELEMENTS(cuts); i++) {
        char *cut = g_strdup_printf("%s/cut%zu-%s", f->dir, i, name);
        g_assert_true(g_file_set_contents(cut, whole, (gssize)cuts[i], NULL));
        expect_format_error(cut);
        g_unlink(cut);
        g_free(cut);
    }
    /* corrupted bytes in the middle */
    char *bad = g_strdup_printf("%s/bad-%s", f->dir, name);
    char *copy = g_memdup2(whole, wlen);
    for (gsize k = wlen / 2; k < wlen / 2 + 16; k++)
        copy[k] ^= 0x5A;
    g_assert_true(g_file_set_contents(bad, copy, (gssize)wlen, NULL));
    expect_format_error(bad);
    /* garbage after a valid stream */
    char *tail = g_strdup_printf("%s/tail-%s", f->dir, name);
    GString *t = g_string_new_len(whole, (gssize)wlen);
    g_string_append(t, "garbage!");
    g_assert_true(g_file_set_contents(tail, t->str, (gssize)t->len, NULL));
    expect_format_error(tail);
    g_string_free(t, TRUE);
    g_free(tail);
    g_free(copy);
    g_free(bad);
    g_free(whole);
    g_free(path);
    g_free(data);
}

static void test_truncated_zstd(Fixture *f, gconstpointer d)
{
    check_truncated(f, WHARF_COMPRESS_ZSTD, "c.sql.zst");
}
static void test_truncated_gzip(Fixture *f, gconstpointer d)
{
    check_truncated(f, WHARF_COMPRESS_GZIP, "c.sql.gz");
}

static void test_concatenated(Fixture *f, gconstpointer d)
{
    wharf_compress modes[] = {WHARF_COMPRESS_ZSTD, WHARF_COMPRESS_GZIP};
    for (size_t m = 0; m < G_N_ELEMENTS(modes); m++) {
        char *a = write_file(f->dir, m ? "p1.gz" : "p1.zst", modes[m], (const guint8 *)"first,", 6);
        char *b = write_file(f->dir, m ? "p2.gz" : "p2.zst", modes[m], (const guint8 *)"second", 6);
        char *ca, *cb;
        gsize la, lb;
        g_assert_true(g_file_get_contents(a, &ca, &la, NULL));
        g_assert_true(g_file_get_contents(b, &cb, &lb, NULL));
        GString *s = g_string_new_len(ca, (gssize)la);
        g_string_append_len(s, cb, (gssize)lb);
        char *cat = g_build_filename(f->dir, m ? "cat.gz" : "cat.zst", NULL);
        g_assert_true(g_file_set_contents(cat, s->str, (gssize)s->len, NULL));
        GError *err = NULL;
        char *c = NULL;
        size_t n = 0;
        g_assert_true(wharf_read_file(cat, &c, &n, &err));
        g_assert_no_error(err);
        g_assert_cmpstr(c, ==, "first,second");
        g_free(c);
        g_free(cat);
        g_string_free(s, TRUE);
        g_free(ca);
        g_free(cb);
        g_free(a);
        g_free(b);
    }
}

static void test_detect_by_content(Fixture *f, gconstpointer d)
{
    /* a zstd file without the .zst suffix is still decompressed */
    char *p = write_file(f->dir, "nosuffix", WHARF_COMPRESS_ZSTD, (const guint8 *)"hidden", 6);
    GError *err = NULL;
    char *c = NULL;
    size_t n = 0;
    g_assert_true(wharf_read_file(p, &c, &n, &err));
    g_assert_cmpstr(c, ==, "hidden");
    g_free(c);
    g_free(p);
    /* missing file */
    char *missing = g_build_filename(f->dir, "missing", NULL);
    g_assert_false(wharf_read_file(missing, &c, &n, &err));
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND);
    g_assert_nonnull(strstr(err->message, missing));
    g_clear_error(&err);
    g_free(missing);
}

static void test_names(void)
{
    wharf_compress c;
    g_assert_true(wharf_compress_parse("zstd", &c));
    g_assert_cmpint(c, ==, WHARF_COMPRESS_ZSTD);
    g_assert_true(wharf_compress_parse("zst", &c));
    g_assert_cmpint(c, ==, WHARF_COMPRESS_ZSTD);
    g_assert_true(wharf_compress_parse("gzip", &c));
    g_assert_cmpint(c, ==, WHARF_COMPRESS_GZIP);
    g_assert_true(wharf_compress_parse("gz", &c));
    g_assert_cmpint(c, ==, WHARF_COMPRESS_GZIP);
    g_assert_true(wharf_compress_parse("none", &c));
    g_assert_cmpint(c, ==, WHARF_COMPRESS_NONE);
    g_assert_false(wharf_compress_parse("lz4", &c));
    g_assert_false(wharf_compress_parse(NULL, &c));
    g_assert_cmpstr(wharf_compress_suffix(WHARF_COMPRESS_ZSTD), ==, ".zst");
    g_assert_cmpstr(wharf_compress_suffix(WHARF_COMPRESS_GZIP), ==, ".gz");
    g_assert_cmpstr(wharf_compress_suffix(WHARF_COMPRESS_NONE), ==, "");
    g_assert_cmpint(wharf_compress_from_name("a/b.t.00000.sql.zst"), ==, WHARF_COMPRESS_ZSTD);
    g_assert_cmpint(wharf_compress_from_name("b.t.00000.dat.gz"), ==, WHARF_COMPRESS_GZIP);
    g_assert_cmpint(wharf_compress_from_name("b.t.00000.sql"), ==, WHARF_COMPRESS_NONE);
}

/* A writer over a pipe on one thread, a reader over it on another: the
 * bytes, their CRC and the compression come through, in bounded memory. */
typedef struct pipe_job {
    wharf_pipe *p;
    gsize n;
    gboolean fail;
    uint32_t crc;
} pipe_job;

static gpointer pipe_writer(gpointer data)
{
    pipe_job *j = data;
    wharf_sink sk = wharf_pipe_sink(j->p);
    wharf_writer *w = wharf_writer_open_sink("test pipe", WHARF_COMPRESS_ZSTD, 1, &sk, NULL);
    g_assert_nonnull(w);
    char line[64];
    for (gsize i = 0; i < j->n; i++) {
        int k = g_snprintf(line, sizeof line, "(%" G_GSIZE_FORMAT ",'row %" G_GSIZE_FORMAT "')\n", i, i * 7919);
        g_assert_true(wharf_writer_write(w, line, (size_t)k, NULL));
    }
    j->crc = wharf_writer_crc32(w);
    if (j->fail)
        wharf_writer_abort(w);
    else
        g_assert_true(wharf_writer_commit(w, NULL));
    return NULL;
}

static void test_pipe(void)
{
    for (int fail = 0; fail < 2; fail++) {
        pipe_job j = {wharf_pipe_new("db.t.00000.sql", 4096), 200000, fail, 0};
        GThread *th = g_thread_new("writer", pipe_writer, &j);
        wharf_source src = wharf_pipe_source(j.p);
        GError *err = NULL;
        wharf_reader *r = wharf_reader_open_source("db.t.00000.sql", &src, &err);
        g_assert_no_error(err);
        char buf[8192];
        gssize n;
        while ((n = wharf_reader_read(r, buf, sizeof buf, &err)) > 0)
            ;
        g_thread_join(th);
        if (fail) {
            g_assert_cmpint(n, ==, -1);
            g_assert_nonnull(err);
            g_clear_error(&err);
        } else {
            g_assert_cmpint(n, ==, 0);
            g_assert_cmpuint(wharf_reader_crc32(r), ==, j.crc);
        }
        wharf_reader_close(r);
        wharf_pipe_unref(j.p);
    }
    /* The reader leaves early: the writer fails at once, never waits. */
    wharf_pipe *p = wharf_pipe_new("early", 4096);
    wharf_sink sk = wharf_pipe_sink(p);
    wharf_source src = wharf_pipe_source(p);
    src.close(src.data);
    char big[8192] = {0};
    GError *err = NULL;
    g_assert_false(sk.write(sk.data, big, sizeof big, &err));
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_CANCELLED);
    g_clear_error(&err);
    sk.abort(sk.data);
    wharf_pipe_unref(p);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/stream/names", test_names);
    g_test_add_func("/stream/pipe", test_pipe);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fx_setup, fn, fx_teardown)
    ADD("/stream/roundtrip/none", test_roundtrip_none);
    ADD("/stream/roundtrip/zstd", test_roundtrip_zstd);
    ADD("/stream/roundtrip/gzip", test_roundtrip_gzip);
    ADD("/stream/small-and-empty", test_small_and_empty);
    ADD("/stream/temp-not-visible", test_temp_not_visible);
    ADD("/stream/abort", test_abort);
    ADD("/stream/write-file-atomic", test_write_file_atomic);
    ADD("/stream/commit-failure", test_commit_failure);
    ADD("/stream/truncated/zstd", test_truncated_zstd);
    ADD("/stream/truncated/gzip", test_truncated_gzip);
    ADD("/stream/concatenated", test_concatenated);
    ADD("/stream/detect-by-content", test_detect_by_content);
    return g_test_run();
}
