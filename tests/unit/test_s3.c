/* Unit tests of src/objstore/s3 and s3dir without a server: s3:// URLs,
 * the --s3-* options, credentials from the environment and from the shared
 * credentials file (profiles, ';' and '#' comments), and the errors that
 * name what is missing. Linked to the real modules; no request is made. */
#include "core/error.h"
#include "objstore/s3.h"
#include "objstore/s3dir.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmp;

static void url(const char *u, const char *bucket, const char *prefix)
{
    char *b = NULL, *p = NULL;
    GError *err = NULL;
    gboolean ok = wharf_s3_url_parse(u, &b, &p, &err);
    if (bucket == NULL) {
        g_assert_false(ok);
        g_assert_error(err, WHARF_ERROR, WHARF_ERROR_USAGE);
        g_assert_nonnull(strstr(err->message, "is not s3://BUCKET[/PREFIX]"));
        g_error_free(err);
        return;
    }
    g_assert_no_error(err);
    g_assert_true(ok);
    g_assert_cmpstr(b, ==, bucket);
    g_assert_cmpstr(p, ==, prefix);
    g_free(b);
    g_free(p);
}

static void test_url(void)
{
    g_assert_true(wharf_s3_is_url("s3://b"));
    g_assert_false(wharf_s3_is_url("/s3://b"));
    g_assert_false(wharf_s3_is_url("-"));
    g_assert_false(wharf_s3_is_url(NULL));
    url("s3://b", "b", "");
    url("s3://b/", "b", "");
    url("s3://my-bucket/a b/c+d//", "my-bucket", "a b/c+d");
    url("s3://", NULL, NULL);
    url("s3:///x", NULL, NULL);
}

static gboolean finish(const char *part, const char *endpoint, int page, GError **err, gsize *size)
{
    wharf_s3_opts o = {0};
    o.part_size_raw = g_strdup(part);
    o.endpoint = g_strdup(endpoint);
    o.list_page = page;
    gboolean ok = wharf_s3_opts_finish(&o, err);
    *size = o.part_size;
    wharf_s3_opts_clear(&o);
    return ok;
}

static void test_opts(void)
{
    GError *err = NULL;
    gsize size = 0;
    g_assert_true(finish(NULL, NULL, 0, &err, &size));
    g_assert_cmpuint(size, ==, 8u << 20);
    g_assert_true(finish("64M", "http://127.0.0.1:9000", 0, &err, &size));
    g_assert_cmpuint(size, ==, 64u << 20);
    g_assert_true(finish("5242880", "https://s3.example", 1000, &err, &size));
    g_assert_cmpuint(size, ==, 5u << 20);
    g_assert_false(finish("4M", NULL, 0, &err, &size));
    g_assert_nonnull(strstr(err->message, "--s3-part-size must be at least 5M"));
    g_clear_error(&err);
    g_assert_true(finish("1G", NULL, 0, &err, &size));
    g_assert_false(finish("1025M", NULL, 0, &err, &size));
    g_assert_nonnull(strstr(err->message, "and at most 1G"));
    g_clear_error(&err);
    g_assert_false(finish("8Q", NULL, 0, &err, &size));
    g_assert_nonnull(strstr(err->message, "is not a size"));
    g_clear_error(&err);
    g_assert_false(finish(NULL, "ftp://x", 0, &err, &size));
    g_assert_nonnull(strstr(err->message, "--s3-endpoint must be an http:// or https:// URL"));
    g_clear_error(&err);
    g_assert_false(finish(NULL, NULL, 1001, &err, &size));
    g_clear_error(&err);
}

static void clear_env(void)
{
    g_unsetenv("AWS_ACCESS_KEY_ID");
    g_unsetenv("AWS_SECRET_ACCESS_KEY");
    g_unsetenv("AWS_SESSION_TOKEN");
    g_unsetenv("AWS_PROFILE");
    g_unsetenv("AWS_SHARED_CREDENTIALS_FILE");
}

/* NULL when the client is made, else its error message (to free). */
static char *client(void)
{
    wharf_s3_opts o = {0};
    GError *err = NULL;
    g_assert_true(wharf_s3_opts_finish(&o, &err));
    wharf_s3 *s = wharf_s3_new(&o, "b", &err);
    wharf_s3_opts_clear(&o);
    if (s) {
        wharf_s3_free(s);
        return NULL;
    }
    char *m = g_strdup(err->message);
    g_error_free(err);
    return m;
}

static void test_credentials(void)
{
    clear_env();
    g_setenv("HOME", tmp, TRUE);
    /* nothing anywhere: says where it looked */
    char *m = client();
    g_assert_nonnull(m);
    g_assert_nonnull(strstr(m, "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
    char *home = g_build_filename(tmp, ".aws", "credentials", NULL);
    g_assert_nonnull(strstr(m, home));
    g_free(m);
    /* the environment */
    g_setenv("AWS_ACCESS_KEY_ID", "AKID", TRUE);
    g_setenv("AWS_SECRET_ACCESS_KEY", "SECRET", TRUE);
    g_assert_null(client());
    g_setenv("AWS_SECRET_ACCESS_KEY", "", TRUE); /* half set: the file is read */
    m = client();
    g_assert_nonnull(m);
    g_free(m);
    clear_env();
    /* ~/.aws/credentials, the default profile, comments of both kinds */
    char *dir = g_path_get_dirname(home);
    g_mkdir_with_parents(dir, 0700);
    g_free(dir);
    g_assert_true(g_file_set_contents(home,
                                      "; written by hand\n# and this\n[default]\naws_access_key_id = AK\n"
                                      "  ; indented\naws_secret_access_key=SK \n\n[other]\naws_access_key_id = O\n",
                                      -1, NULL));
    g_assert_null(client());
    /* a profile without a secret, and one that is not there */
    g_setenv("AWS_PROFILE", "other", TRUE);
    m = client();
    g_assert_nonnull(strstr(m, "has no aws_access_key_id and aws_secret_access_key in profile [other]"));
    g_free(m);
    g_setenv("AWS_PROFILE", "nope", TRUE);
    m = client();
    g_assert_nonnull(strstr(m, "profile [nope]"));
    g_assert_null(strstr(m, "SK"));
    g_free(m);
    /* AWS_SHARED_CREDENTIALS_FILE wins over ~/.aws/credentials */
    char *alt = g_build_filename(tmp, "alt", NULL);
    g_assert_true(g_file_set_contents(alt, "[nope]\naws_access_key_id=A\naws_secret_access_key=B\n", -1, NULL));
    g_setenv("AWS_SHARED_CREDENTIALS_FILE", alt, TRUE);
    g_assert_null(client());
    g_free(alt);
    g_free(home);
    clear_env();
}

static void test_s3dir_url(void)
{
    clear_env();
    g_setenv("AWS_ACCESS_KEY_ID", "AKID", TRUE);
    g_setenv("AWS_SECRET_ACCESS_KEY", "SECRET", TRUE);
    wharf_s3_opts o = {0};
    g_assert_true(wharf_s3_opts_finish(&o, NULL));
    const char *in[] = {"s3://b/p/q/", "s3://b/", "s3://b"};
    const char *out[] = {"s3://b/p/q", "s3://b", "s3://b"};
    for (guint i = 0; i < G_N_ELEMENTS(in); i++) {
        GError *err = NULL;
        wharf_s3dir *d = wharf_s3dir_new(&o, in[i], 0, &err);
        g_assert_no_error(err);
        g_assert_cmpstr(wharf_s3dir_url(d), ==, out[i]);
        wharf_dumpdir dd = wharf_s3dir_dumpdir(d);
        g_assert_cmpstr(dd.path, ==, out[i]);
        g_assert_nonnull(dd.ops);
        wharf_s3dir_free(d);
    }
    wharf_s3_opts_clear(&o);
    clear_env();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmp = g_dir_make_tmp("wharf-test-s3.XXXXXX", NULL);
    g_test_add_func("/s3/url", test_url);
    g_test_add_func("/s3/opts", test_opts);
    g_test_add_func("/s3/credentials", test_credentials);
    g_test_add_func("/s3/s3dir-url", test_s3dir_url);
    int rc = g_test_run();
    char *cmd = g_strdup_printf("rm -rf '%s'", tmp);
    g_assert_cmpint(system(cmd), ==, 0);
    g_free(cmd);
    g_free(tmp);
    return rc;
}
