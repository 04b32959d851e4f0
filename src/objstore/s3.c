/* s3: an S3 client on libcurl (contract in s3.h). */
#include "objstore/s3.h"

#include "core/cli.h"
#include "core/console.h"
#include "core/error.h"
#include "core/pipe.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#define ATTEMPTS 6
#define BACKOFF_FIRST_US (250 * 1000)
#define BACKOFF_MAX_US (4 * 1000 * 1000)
#define GET_PIPE_BYTES ((gsize)1 << 20)
#define ERROR_BODY_MAX 65536

struct wharf_s3 {
    char *bucket;
    char *base;   /* URL up to and including the '/' before the key */
    char *sigv4;  /* aws:amz:REGION:s3 */
    char *userpwd;
    char *token;  /* session token header, or NULL */
    guint list_page;
    char *ca_bundle; /* AWS_CA_BUNDLE: the CAs to trust instead of the system's, or NULL */
    wharf_s3_waiter waiter; /* wait NULL: sleep */
    /* Idle curl handles, each with its open connections: a request takes
     * one (or makes one) and gives it back, so requests reuse connections
     * (a TLS handshake each time otherwise) and no handle is ever used by
     * two threads at once. Lock: pool_lock, a leaf. */
    GMutex pool_lock;
    GPtrArray *pool; /* CURL* */
};

/* ------------------------------------------------------------------ */
/* options */

void wharf_s3_add_options(GOptionContext *ctx, wharf_cli_common *c, wharf_s3_opts *o)
{
    GOptionEntry e[] = {
        {"s3-endpoint", 0, 0, G_OPTION_ARG_STRING, &o->endpoint,
         "For s3://BUCKET/PREFIX: the S3-compatible server's URL (default: AWS in --s3-region)", "URL"},
        {"s3-region", 0, 0, G_OPTION_ARG_STRING, &o->region, "For s3://: the region that signs requests"
         " (default us-east-1)", "REGION"},
        {"s3-part-size", 0, 0, G_OPTION_ARG_STRING, &o->part_size_raw,
         "For s3://: size of each uploaded part (default 8M, 5M to 1G; memory: threads x part size)",
         "SIZE"},
        {"s3-virtual-host", 0, 0, G_OPTION_ARG_NONE, &o->virtual_host,
         "For s3:// with --s3-endpoint: address the bucket as BUCKET.host, not host/BUCKET", NULL},
        {"s3-list-page", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &o->list_page,
         "Keys per ListObjectsV2 answer (default 1000; small values test continuation)", "N"},
        {NULL}};
    wharf_cli_add_entries(ctx, c, e); /* also accepted in option files */
}

static gboolean parse_size(const char *s, gsize *out)
{
    char *end = NULL;
    double v = g_ascii_strtod(s, &end);
    if (end == s || v <= 0)
        return FALSE;
    double mult = 1;
    switch (g_ascii_toupper(*end)) {
    case '\0': break;
    case 'K': mult = 1024.0; end++; break;
    case 'M': mult = 1024.0 * 1024; end++; break;
    case 'G': mult = 1024.0 * 1024 * 1024; end++; break;
    default: return FALSE;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end != '\0' || v * mult > (double)((gsize)1 << 40))
        return FALSE;
    *out = (gsize)(v * mult);
    return TRUE;
}

gboolean wharf_s3_opts_finish(wharf_s3_opts *o, GError **err)
{
    o->part_size = WHARF_S3_DEFAULT_PART_SIZE;
    if (o->part_size_raw && !parse_size(o->part_size_raw, &o->part_size)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--s3-part-size: '%s' is not a size (e.g. 8M, 64M)",
                    o->part_size_raw);
        return FALSE;
    }
    if (o->part_size < WHARF_S3_MIN_PART_SIZE || o->part_size > WHARF_S3_MAX_PART_SIZE) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                    "--s3-part-size must be at least 5M (S3's smallest part) and at most 1G, not %s",
                    o->part_size_raw);
        return FALSE;
    }
    if (o->list_page < 0 || o->list_page > 1000) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--s3-list-page must be 1 to 1000, not %d", o->list_page);
        return FALSE;
    }
    if (o->endpoint && !g_str_has_prefix(o->endpoint, "http://") && !g_str_has_prefix(o->endpoint, "https://")) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--s3-endpoint must be an http:// or https:// URL, not '%s'",
                    o->endpoint);
        return FALSE;
    }
    return TRUE;
}

void wharf_s3_opts_clear(wharf_s3_opts *o)
{
    g_free(o->endpoint);
    g_free(o->region);
    g_free(o->part_size_raw);
    memset(o, 0, sizeof *o);
}

gboolean wharf_s3_is_url(const char *s)
{
    return s && g_str_has_prefix(s, "s3://");
}

gboolean wharf_s3_url_parse(const char *url, char **bucket, char **prefix, GError **err)
{
    const char *b = url + strlen("s3://");
    const char *slash = strchr(b, '/');
    size_t blen = slash ? (size_t)(slash - b) : strlen(b);
    if (!wharf_s3_is_url(url) || blen == 0) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "'%s' is not s3://BUCKET[/PREFIX]", url);
        return FALSE;
    }
    *bucket = g_strndup(b, blen);
    char *p = g_strdup(slash ? slash + 1 : "");
    size_t n = strlen(p);
    while (n > 0 && p[n - 1] == '/')
        p[--n] = '\0';
    *prefix = p;
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* credentials */

static gboolean credentials(char **id, char **secret, char **token, GError **err)
{
    const char *eid = g_getenv("AWS_ACCESS_KEY_ID"), *esec = g_getenv("AWS_SECRET_ACCESS_KEY");
    if (eid && *eid && esec && *esec) {
        *id = g_strdup(eid);
        *secret = g_strdup(esec);
        const char *t = g_getenv("AWS_SESSION_TOKEN");
        *token = t && *t ? g_strdup(t) : NULL;
        return TRUE;
    }
    const char *f = g_getenv("AWS_SHARED_CREDENTIALS_FILE");
    char *path = f && *f ? g_strdup(f) : g_build_filename(g_get_home_dir(), ".aws", "credentials", NULL);
    const char *profile = g_getenv("AWS_PROFILE");
    if (profile == NULL || *profile == '\0')
        profile = "default";
    GKeyFile *kf = g_key_file_new();
    GError *e = NULL;
    char *text = NULL;
    gsize len = 0;
    gboolean ok = g_file_get_contents(path, &text, &len, &e);
    if (ok) {
        /* The AWS tools take ';' comments too, GKeyFile only '#': drop them. */
        GString *t = g_string_sized_new(len);
        char **lines = g_strsplit(text, "\n", -1);
        for (guint i = 0; lines[i]; i++)
            if (*g_strchug(lines[i]) != ';')
                g_string_append_printf(t, "%s\n", lines[i]);
        g_strfreev(lines);
        memset(text, 0, len);
        g_free(text);
        ok = g_key_file_load_from_data(kf, t->str, t->len, G_KEY_FILE_NONE, &e);
        memset(t->str, 0, t->len);
        g_string_free(t, TRUE);
    }
    if (!ok) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                    "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give them in %s (%s)",
                    path, e->message);
        g_error_free(e);
    } else {
        *id = g_key_file_get_string(kf, profile, "aws_access_key_id", NULL);
        *secret = g_key_file_get_string(kf, profile, "aws_secret_access_key", NULL);
        *token = g_key_file_get_string(kf, profile, "aws_session_token", NULL);
        if (*id)
            g_strstrip(*id);
        if (*secret)
            g_strstrip(*secret);
        if (*token)
            g_strstrip(*token);
        ok = *id && **id && *secret && **secret;
        if (!ok) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                        "no S3 credentials: %s has no aws_access_key_id and aws_secret_access_key in"
                        " profile [%s]",
                        path, profile);
            g_clear_pointer(id, g_free);
            if (*secret)
                memset(*secret, 0, strlen(*secret));
            g_clear_pointer(secret, g_free);
            g_clear_pointer(token, g_free);
        }
    }
    g_key_file_free(kf);
    g_free(path);
    return ok;
}

static gpointer curl_init_once(gpointer unused)
{
    (void)unused;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return NULL;
}

wharf_s3 *wharf_s3_new(const wharf_s3_opts *o, const char *bucket, GError **err)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, curl_init_once, NULL);
    char *id = NULL, *secret = NULL, *token = NULL;
    if (!credentials(&id, &secret, &token, err))
        return NULL;
    wharf_s3 *s = g_new0(wharf_s3, 1);
    const char *region = o->region && *o->region ? o->region : "us-east-1";
    g_mutex_init(&s->pool_lock);
    s->pool = g_ptr_array_new_with_free_func((GDestroyNotify)curl_easy_cleanup);
    s->bucket = g_strdup(bucket);
    s->list_page = o->list_page > 0 ? (guint)o->list_page : 1000;
    const char *ca = g_getenv("AWS_CA_BUNDLE");
    s->ca_bundle = ca && *ca ? g_strdup(ca) : NULL;
    s->sigv4 = g_strdup_printf("aws:amz:%s:s3", region);
    s->userpwd = g_strdup_printf("%s:%s", id, secret);
    s->token = token ? g_strdup_printf("x-amz-security-token: %s", token) : NULL;
    memset(secret, 0, strlen(secret));
    g_free(secret);
    g_free(id);
    if (token)
        memset(token, 0, strlen(token));
    g_free(token);
    if (o->endpoint == NULL) {
        s->base = g_strdup_printf("https://%s.s3.%s.amazonaws.com/", bucket, region);
    } else {
        char *ep = g_strdup(o->endpoint);
        size_t n = strlen(ep);
        while (n > 0 && ep[n - 1] == '/')
            ep[--n] = '\0';
        if (o->virtual_host) {
            const char *host = strstr(ep, "://") + 3;
            s->base = g_strdup_printf("%.*s%s.%s/", (int)(host - ep), ep, bucket, host);
        } else {
            s->base = g_strdup_printf("%s/%s/", ep, bucket);
        }
        g_free(ep);
    }
    return s;
}

void wharf_s3_free(wharf_s3 *s)
{
    if (s == NULL)
        return;
    memset(s->userpwd, 0, strlen(s->userpwd));
    g_free(s->userpwd);
    if (s->token)
        memset(s->token, 0, strlen(s->token));
    g_free(s->token);
    g_ptr_array_unref(s->pool); /* every reader is closed: every handle is back */
    g_mutex_clear(&s->pool_lock);
    g_free(s->ca_bundle);
    g_free(s->bucket);
    g_free(s->base);
    g_free(s->sigv4);
    g_free(s);
}

/* ------------------------------------------------------------------ */
/* one request */

/* The key as a URL path: each segment percent-encoded, '/' kept. */
static char *key_url(const wharf_s3 *s, const char *key, const char *query)
{
    GString *u = g_string_new(s->base);
    char **parts = g_strsplit(key, "/", -1);
    for (guint i = 0; parts[i]; i++) {
        char *e = g_uri_escape_string(parts[i], "-._~", FALSE);
        g_string_append_printf(u, "%s%s", i ? "/" : "", e);
        g_free(e);
    }
    g_strfreev(parts);
    if (query)
        g_string_append_printf(u, "?%s", query);
    return g_string_free(u, FALSE);
}

/* The <Code> and <Message> of an S3 error body, through GMarkup. */
typedef struct xml_err {
    GString *text;
    char *code, *message;
} xml_err;

static void xe_start(GMarkupParseContext *c, const char *el, const char **an, const char **av, gpointer d,
                     GError **err)
{
    xml_err *x = d;
    g_string_truncate(x->text, 0);
}

static void xe_end(GMarkupParseContext *c, const char *el, gpointer d, GError **err)
{
    xml_err *x = d;
    if (strcmp(el, "Code") == 0 && x->code == NULL)
        x->code = g_strdup(x->text->str);
    else if (strcmp(el, "Message") == 0 && x->message == NULL)
        x->message = g_strdup(x->text->str);
    g_string_truncate(x->text, 0);
}

static void xe_text(GMarkupParseContext *c, const char *t, gsize n, gpointer d, GError **err)
{
    g_string_append_len(((xml_err *)d)->text, t, (gssize)n);
}

static void parse_error_body(const GByteArray *body, char **code, char **message)
{
    *code = *message = NULL;
    if (body == NULL || body->len == 0)
        return;
    static const GMarkupParser p = {xe_start, xe_end, xe_text, NULL, NULL};
    xml_err x = {g_string_new(NULL), NULL, NULL};
    GMarkupParseContext *c = g_markup_parse_context_new(&p, 0, &x, NULL);
    (void)g_markup_parse_context_parse(c, (const char *)body->data, (gssize)body->len, NULL); /* not XML: no code */
    g_markup_parse_context_free(c);
    g_string_free(x.text, TRUE);
    *code = x.code;
    *message = x.message;
}

/* The one-line error of an answer that failed for good. */
static void set_http_error(const wharf_s3 *s, const char *key, const char *what, long status,
                           const GByteArray *body, GError **err)
{
    char *code, *message;
    parse_error_body(body, &code, &message);
    char *where = key && *key ? g_strdup_printf("s3://%s/%s", s->bucket, key) : g_strdup_printf("s3://%s", s->bucket);
    const char *c = code ? code : "";
    const char *sp = code ? " " : "", *colon = message ? ": " : "", *msg = message ? message : "";
    if (strcmp(c, "NoSuchBucket") == 0 || (status == 404 && key == NULL))
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND, "s3://%s: no such bucket (%s%s%s: HTTP %ld%s%s)",
                    s->bucket, what, key ? " " : "", key ? where : "", status, sp, c);
    else if (status == 404)
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND, "%s: no such object (%s: HTTP 404%s%s)", where, what, sp,
                    c);
    else if (status == 403 || status == 401)
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED,
                    "%s: access denied (%s: HTTP %ld%s%s%s%s): check the credentials (AWS_ACCESS_KEY_ID,"
                    " AWS_PROFILE) and their rights on bucket %s",
                    where, what, status, sp, c, colon, msg, s->bucket);
    else
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "%s: %s failed: HTTP %ld%s%s%s%s", where, what, status, sp,
                    c, colon, msg);
    g_free(code);
    g_free(message);
    g_free(where);
}

static gboolean transient_status(long status, const GByteArray *body)
{
    if (status >= 500 || status == 429)
        return TRUE;
    if (body == NULL)
        return FALSE;
    char *code, *message;
    parse_error_body(body, &code, &message);
    gboolean slow = code && strcmp(code, "SlowDown") == 0;
    g_free(code);
    g_free(message);
    return slow;
}

static gboolean transient_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return TRUE;
    default:
        return FALSE;
    }
}

void wharf_s3_set_waiter(wharf_s3 *s, const wharf_s3_waiter *w)
{
    s->waiter = w ? *w : (wharf_s3_waiter){0};
}

/* The wait before attempt + 1; FALSE (err set) when the run stops. */
static gboolean backoff(const wharf_s3 *s, const char *key, const char *what, guint attempt, GError **err)
{
    gint64 us = BACKOFF_FIRST_US;
    for (guint i = 1; i < attempt && us < BACKOFF_MAX_US; i++)
        us *= 2;
    us = MIN(us, BACKOFF_MAX_US);
    if (s->waiter.retried)
        s->waiter.retried(s->waiter.data);
    if (s->waiter.wait == NULL) {
        g_usleep((gulong)us);
        return TRUE;
    }
    if (s->waiter.wait(s->waiter.data, us / 1000))
        return TRUE;
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_CANCELLED, "s3://%s/%s: %s: stopped while waiting to retry", s->bucket,
                key ? key : "", what);
    return FALSE;
}

typedef struct body_buf {
    GByteArray *data;
    gsize max;
} body_buf;

static size_t on_body(char *p, size_t size, size_t n, void *d)
{
    body_buf *b = d;
    size_t len = size * n;
    if (b->data->len + len <= b->max)
        g_byte_array_append(b->data, (const guint8 *)p, (guint)len);
    return len;
}

/* The ETag header of the answer (quotes kept: S3 wants them back). */
static size_t on_header(char *p, size_t size, size_t n, void *d)
{
    char **etag = d;
    size_t len = size * n;
    if (etag && len > 5 && g_ascii_strncasecmp(p, "ETag:", 5) == 0) {
        g_free(*etag);
        *etag = g_strstrip(g_strndup(p + 5, len - 5));
    }
    return len;
}

/* S3 wants the payload's SHA-256 in a header, which libcurl 7.88 does not
 * add itself: computed by GLib (GChecksum), the same hash libcurl signs. */
static struct curl_slist *add_payload_hash(struct curl_slist *hdrs, const void *body, gsize len)
{
    char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, body ? body : (const void *)"", len);
    char *h = g_strdup_printf("x-amz-content-sha256: %s", sum);
    hdrs = curl_slist_append(hdrs, h);
    g_free(h);
    g_free(sum);
    return hdrs;
}

/* One transfer with SIGPIPE blocked on this thread: with CURLOPT_NOSIGNAL
 * (threads), a peer that closes a TLS connection would otherwise kill the
 * process (OpenSSL writes with write(2)); a SIGPIPE it raised is taken off
 * the thread before the mask is restored, so it is EPIPE, not death. */
static CURLcode perform(CURL *h)
{
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    CURLcode rc = curl_easy_perform(h);
    if (!sigismember(&old, SIGPIPE)) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
            ;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    return rc;
}

/* libcurl calls this about once a second, also while nothing arrives. */
static int on_progress(void *d, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    const wharf_s3 *s = d;
    return s->waiter.stopping(s->waiter.data) ? 1 : 0;
}

/* A run that stops ends the transfer (not for an abort: see s3.h). */
static void stop_with_run(const wharf_s3 *s, CURL *h)
{
    if (s->waiter.stopping == NULL)
        return;
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)s);
}

static CURL *handle_take(const wharf_s3 *cs)
{
    wharf_s3 *s = (wharf_s3 *)cs; /* the pool is the one mutable part, under its lock */
    CURL *h = NULL;
    g_mutex_lock(&s->pool_lock);
    if (s->pool->len)
        h = g_ptr_array_steal_index_fast(s->pool, s->pool->len - 1);
    g_mutex_unlock(&s->pool_lock);
    if (h == NULL)
        return curl_easy_init();
    curl_easy_reset(h); /* options go, connections stay */
    return h;
}

static void handle_give(const wharf_s3 *cs, CURL *h)
{
    wharf_s3 *s = (wharf_s3 *)cs;
    g_mutex_lock(&s->pool_lock);
    g_ptr_array_add(s->pool, h);
    g_mutex_unlock(&s->pool_lock);
}

static CURL *easy_new(const wharf_s3 *s, const char *url, struct curl_slist **hdrs)
{
    CURL *h = handle_take(s);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_AWS_SIGV4, s->sigv4);
    curl_easy_setopt(h, CURLOPT_USERPWD, s->userpwd);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (s->ca_bundle)
        curl_easy_setopt(h, CURLOPT_CAINFO, s->ca_bundle);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 20L);
    /* A transfer with no byte for 2 minutes is dead (a reader that stops
     * reading blocks the GET's writes: it gets this long). */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 120L);
    /* No "Expect:" to turn 100-continue off: libcurl 7.88 signs that empty
     * header and the server's signature then differs (t0705). */
    if (s->token)
        *hdrs = curl_slist_append(*hdrs, s->token);
    return h;
}

/* method key?query with body: the answer's body into resp (when not NULL),
 * its ETag into *etag (when not NULL). what: for messages. */
static gboolean request(const wharf_s3 *s, const char *what, const char *method, const char *key, const char *query,
                        const void *body, gsize blen, GByteArray *resp, char **etag, GError **err)
{
    char *url = key ? key_url(s, key, query) : g_strdup_printf("%s%s%s", s->base, query ? "?" : "", query ? query : "");
    GByteArray *ans = g_byte_array_new();
    gboolean ok = FALSE;
    for (guint attempt = 1;; attempt++) {
        struct curl_slist *hdrs = NULL;
        CURL *h = easy_new(s, url, &hdrs);
        char errbuf[CURL_ERROR_SIZE] = "";
        body_buf bb = {ans, resp ? G_MAXUINT32 : ERROR_BODY_MAX};
        g_byte_array_set_size(ans, 0);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &bb);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, etag);
        if (strcmp(method, "GET") == 0 || strcmp(method, "DELETE") == 0) {
            /* no body: never a read callback (its default reads stdin) */
            curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
            if (strcmp(method, "DELETE") == 0)
                curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
        } else {
            /* The body from memory: libcurl hashes it for the signature. */
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)blen);
            hdrs = curl_slist_append(hdrs, "Content-Type: application/octet-stream");
        }
        hdrs = add_payload_hash(hdrs, body, blen);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        if (strcmp(method, "DELETE") != 0)
            stop_with_run(s, h);
        CURLcode rc = perform(h);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        handle_give(s, h);
        curl_slist_free_all(hdrs);
        if (rc == CURLE_OK && status >= 200 && status < 300) {
            ok = TRUE;
            break;
        }
        if (rc == CURLE_ABORTED_BY_CALLBACK) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_CANCELLED, "s3://%s/%s: %s: stopped", s->bucket,
                        key ? key : "", what);
            break;
        }
        gboolean again = rc != CURLE_OK ? transient_curl(rc) : transient_status(status, ans);
        if (again && attempt < ATTEMPTS) {
            WLOG_DEBUG("s3://%s/%s: %s: %s, attempt %u of %u", s->bucket, key ? key : "", what,
                       rc != CURLE_OK ? (*errbuf ? errbuf : curl_easy_strerror(rc)) : "server busy", attempt,
                       ATTEMPTS);
            if (!backoff(s, key, what, attempt, err))
                break;
            continue;
        }
        if (rc != CURLE_OK)
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "s3://%s%s%s: %s failed%s: %s", s->bucket, key ? "/" : "",
                        key ? key : "", what, again ? " after every retry" : "",
                        *errbuf ? errbuf : curl_easy_strerror(rc));
        else
            set_http_error(s, key, what, status, ans, err);
        break;
    }
    if (ok && resp)
        g_byte_array_append(resp, ans->data, ans->len);
    g_byte_array_free(ans, TRUE);
    g_free(url);
    return ok;
}

gboolean wharf_s3_put(wharf_s3 *s, const char *key, const void *data, gsize len, GError **err)
{
    return request(s, "PUT", "PUT", key, NULL, data, len, NULL, NULL, err);
}

/* The text of the first <el> of an XML answer. */
typedef struct xml_find {
    const char *el;
    gboolean in;
    GString *text;
    gboolean found;
} xml_find;

static void xf_start(GMarkupParseContext *c, const char *el, const char **an, const char **av, gpointer d,
                     GError **err)
{
    xml_find *x = d;
    if (!x->found && strcmp(el, x->el) == 0)
        x->in = TRUE;
}

static void xf_end(GMarkupParseContext *c, const char *el, gpointer d, GError **err)
{
    xml_find *x = d;
    if (x->in && strcmp(el, x->el) == 0) {
        x->in = FALSE;
        x->found = TRUE;
    }
}

static void xf_text(GMarkupParseContext *c, const char *t, gsize n, gpointer d, GError **err)
{
    xml_find *x = d;
    if (x->in)
        g_string_append_len(x->text, t, (gssize)n);
}

static char *xml_first(const GByteArray *body, const char *el)
{
    static const GMarkupParser p = {xf_start, xf_end, xf_text, NULL, NULL};
    xml_find x = {el, FALSE, g_string_new(NULL), FALSE};
    GMarkupParseContext *c = g_markup_parse_context_new(&p, 0, &x, NULL);
    gboolean ok = g_markup_parse_context_parse(c, (const char *)body->data, (gssize)body->len, NULL) &&
                  g_markup_parse_context_end_parse(c, NULL);
    g_markup_parse_context_free(c);
    if (!ok || !x.found) {
        g_string_free(x.text, TRUE);
        return NULL;
    }
    return g_string_free(x.text, FALSE);
}

char *wharf_s3_mpu_create(wharf_s3 *s, const char *key, GError **err)
{
    GByteArray *a = g_byte_array_new();
    char *id = NULL;
    if (request(s, "create multipart upload", "POST", key, "uploads=", NULL, 0, a, NULL, err)) {
        id = xml_first(a, "UploadId");
        if (id == NULL || *id == '\0') {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                        "s3://%s/%s: create multipart upload: the answer has no UploadId", s->bucket, key);
            g_clear_pointer(&id, g_free);
        }
    }
    g_byte_array_free(a, TRUE);
    return id;
}

static char *upload_query(const char *upload_id, guint part)
{
    char *e = g_uri_escape_string(upload_id, "-._~", FALSE);
    char *q = part ? g_strdup_printf("partNumber=%u&uploadId=%s", part, e) : g_strdup_printf("uploadId=%s", e);
    g_free(e);
    return q;
}

char *wharf_s3_mpu_part(wharf_s3 *s, const char *key, const char *upload_id, guint part, const void *data,
                        gsize len, GError **err)
{
    char *q = upload_query(upload_id, part), *etag = NULL;
    char what[48];
    g_snprintf(what, sizeof what, "upload part %u", part);
    if (!request(s, what, "PUT", key, q, data, len, NULL, &etag, err))
        g_clear_pointer(&etag, g_free);
    else if (etag == NULL || *etag == '\0') {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, "s3://%s/%s: %s: the answer has no ETag", s->bucket, key,
                    what);
        g_clear_pointer(&etag, g_free);
    }
    g_free(q);
    return etag;
}

gboolean wharf_s3_mpu_complete(wharf_s3 *s, const char *key, const char *upload_id, GPtrArray *etags,
                               GError **err)
{
    GString *x = g_string_new("<CompleteMultipartUpload>");
    for (guint i = 0; i < etags->len; i++) {
        char *e = g_markup_escape_text(etags->pdata[i], -1);
        g_string_append_printf(x, "<Part><PartNumber>%u</PartNumber><ETag>%s</ETag></Part>", i + 1, e);
        g_free(e);
    }
    g_string_append(x, "</CompleteMultipartUpload>");
    char *q = upload_query(upload_id, 0);
    GByteArray *a = g_byte_array_new();
    gboolean ok = request(s, "complete multipart upload", "POST", key, q, x->str, x->len, a, NULL, err);
    /* S3 may answer 200 with an <Error> in the body. */
    char *code = ok ? xml_first(a, "Code") : NULL;
    if (code) {
        set_http_error(s, key, "complete multipart upload", 200, a, err);
        ok = FALSE;
    }
    g_free(code);
    g_byte_array_free(a, TRUE);
    g_free(q);
    g_string_free(x, TRUE);
    return ok;
}

void wharf_s3_mpu_abort(wharf_s3 *s, const char *key, const char *upload_id)
{
    char *q = upload_query(upload_id, 0);
    GError *e = NULL;
    if (!request(s, "abort multipart upload", "DELETE", key, q, NULL, 0, NULL, NULL, &e)) {
        WLOG_WARN("%s (the upload's parts may stay in the bucket until a lifecycle rule removes them)", e->message);
        g_error_free(e);
    }
    g_free(q);
}

/* ------------------------------------------------------------------ */
/* ListObjectsV2 */

typedef struct list_parse {
    GString *text;
    gboolean in_contents, in_common;
    char *key;
    gint64 size;
    char *next;
    gboolean truncated;
    GPtrArray *keys;
    GArray *sizes;
} list_parse;

static void lp_start(GMarkupParseContext *c, const char *el, const char **an, const char **av, gpointer d,
                     GError **err)
{
    list_parse *l = d;
    g_string_truncate(l->text, 0);
    if (strcmp(el, "CommonPrefixes") == 0)
        l->in_common = TRUE;
    if (strcmp(el, "Contents") == 0) {
        l->in_contents = TRUE;
        g_clear_pointer(&l->key, g_free);
        l->size = 0;
    }
}

static void lp_end(GMarkupParseContext *c, const char *el, gpointer d, GError **err)
{
    list_parse *l = d;
    if (l->in_contents && strcmp(el, "Key") == 0) {
        g_free(l->key);
        l->key = g_strdup(l->text->str);
    } else if (l->in_contents && strcmp(el, "Size") == 0) {
        l->size = g_ascii_strtoll(l->text->str, NULL, 10);
    } else if (strcmp(el, "Contents") == 0) {
        l->in_contents = FALSE;
        if (l->key) {
            g_ptr_array_add(l->keys, g_steal_pointer(&l->key));
            g_array_append_val(l->sizes, l->size);
        }
    } else if (!l->in_contents && strcmp(el, "Prefix") == 0 && l->in_common) {
        /* a "directory" under the prefix: listed as NAME/ (size 0) */
        gint64 zero = 0;
        g_ptr_array_add(l->keys, g_strdup(l->text->str));
        g_array_append_val(l->sizes, zero);
    } else if (strcmp(el, "CommonPrefixes") == 0) {
        l->in_common = FALSE;
    } else if (strcmp(el, "NextContinuationToken") == 0) {
        g_free(l->next);
        l->next = g_strdup(l->text->str);
    } else if (strcmp(el, "IsTruncated") == 0) {
        l->truncated = strcmp(l->text->str, "true") == 0;
    }
    g_string_truncate(l->text, 0);
}

static void lp_text(GMarkupParseContext *c, const char *t, gsize n, gpointer d, GError **err)
{
    g_string_append_len(((list_parse *)d)->text, t, (gssize)n);
}

gboolean wharf_s3_list(wharf_s3 *s, const char *prefix, guint max, GPtrArray *names, GArray *sizes,
                       GError **err)
{
    static const GMarkupParser p = {lp_start, lp_end, lp_text, NULL, NULL};
    char *eprefix = g_uri_escape_string(prefix, "-._~", FALSE);
    char *token = NULL;
    gboolean ok = TRUE;
    size_t plen = strlen(prefix);
    guint got = 0;
    do {
        /* Parameters in canonical (sorted) order: they are signed as sent. */
        GString *q = g_string_new(NULL);
        if (token) {
            char *et = g_uri_escape_string(token, "-._~", FALSE);
            g_string_append_printf(q, "continuation-token=%s&", et);
            g_free(et);
        }
        g_string_append(q, "delimiter=%2F&list-type=2");
        g_string_append_printf(q, "&max-keys=%u", max ? MIN(max - got, s->list_page) : s->list_page);
        g_string_append_printf(q, "&prefix=%s", eprefix);
        GByteArray *a = g_byte_array_new();
        ok = request(s, "list objects", "GET", NULL, q->str, NULL, 0, a, NULL, err);
        g_string_free(q, TRUE);
        if (ok) {
            list_parse l = {g_string_new(NULL), FALSE, FALSE, NULL, 0, NULL, FALSE,
                            g_ptr_array_new_with_free_func(g_free), g_array_new(FALSE, FALSE, sizeof(gint64))};
            GMarkupParseContext *c = g_markup_parse_context_new(&p, 0, &l, NULL);
            GError *e = NULL;
            ok = g_markup_parse_context_parse(c, (const char *)a->data, (gssize)a->len, &e) &&
                 g_markup_parse_context_end_parse(c, &e);
            g_markup_parse_context_free(c);
            if (!ok) {
                g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, "s3://%s/%s: list objects: a malformed answer (%s)",
                            s->bucket, prefix, e->message);
                g_error_free(e);
            }
            for (guint i = 0; ok && i < l.keys->len; i++) {
                const char *k = l.keys->pdata[i];
                if (strncmp(k, prefix, plen) != 0 || k[plen] == '\0')
                    continue;
                g_ptr_array_add(names, g_strdup(k + plen));
                g_array_append_val(sizes, g_array_index(l.sizes, gint64, i));
                got++;
            }
            g_free(token);
            token = ok && l.truncated && l.next && *l.next && (max == 0 || got < max) ? g_steal_pointer(&l.next) : NULL;
            g_free(l.next);
            g_free(l.key);
            g_string_free(l.text, TRUE);
            g_ptr_array_unref(l.keys);
            g_array_unref(l.sizes);
        }
        g_byte_array_free(a, TRUE);
    } while (ok && token);
    g_free(token);
    g_free(eprefix);
    return ok;
}

/* ------------------------------------------------------------------ */
/* streamed GET */

typedef struct get_job {
    wharf_s3 *s; /* borrowed: the client outlives its readers */
    char *key;
    wharf_sink sink;
    guint64 delivered; /* bytes given to the pipe */
    guint64 range_from; /* this attempt asked from this byte */
    guint64 skip;       /* bytes of this answer already delivered (a 200 to a Range) */
    long status;
    gboolean checked;
    GByteArray *errbody;
    GError *write_err;
} get_job;

static size_t get_body(char *p, size_t size, size_t n, void *d)
{
    get_job *g = d;
    size_t len = size * n;
    if (!g->checked) {
        g->checked = TRUE;
        /* A server that ignores Range answers 200 from byte 0. */
        g->skip = g->status == 200 ? g->range_from : 0;
    }
    if (g->status < 200 || g->status >= 300) {
        if (g->errbody->len + len <= ERROR_BODY_MAX)
            g_byte_array_append(g->errbody, (const guint8 *)p, (guint)len);
        return len;
    }
    size_t off = 0;
    if (g->skip) {
        off = (size_t)MIN((guint64)len, g->skip);
        g->skip -= off;
    }
    if (len > off) {
        if (!g->sink.write(g->sink.data, p + off, len - off, &g->write_err))
            return 0;
        g->delivered += len - off;
    }
    return len;
}

/* The status line comes before the body: the body callback knows it. */
static size_t get_header(char *p, size_t size, size_t n, void *d)
{
    get_job *g = d;
    size_t len = size * n;
    if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
        const char *sp = strchr(p, ' ');
        g->status = sp ? strtol(sp + 1, NULL, 10) : 0;
    }
    return len;
}

static gpointer get_thread(gpointer data)
{
    get_job *g = data;
    wharf_s3 *s = g->s;
    char *url = key_url(s, g->key, NULL);
    GError *err = NULL;
    gboolean ok = FALSE;
    for (guint attempt = 1;; attempt++) {
        struct curl_slist *hdrs = NULL;
        CURL *h = easy_new(s, url, &hdrs);
        char errbuf[CURL_ERROR_SIZE] = "";
        char range[64];
        if (g->delivered) {
            g_snprintf(range, sizeof range, "Range: bytes=%" G_GUINT64_FORMAT "-", g->delivered);
            hdrs = curl_slist_append(hdrs, range);
        }
        hdrs = add_payload_hash(hdrs, NULL, 0);
        g->status = 0;
        g->checked = FALSE;
        g->range_from = g->delivered;
        g_byte_array_set_size(g->errbody, 0);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, get_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, g);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, get_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, g);
        stop_with_run(s, h);
        CURLcode rc = perform(h);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        handle_give(s, h);
        curl_slist_free_all(hdrs);
        if (rc == CURLE_OK && status >= 200 && status < 300) {
            ok = TRUE;
            break;
        }
        if (g->write_err) { /* the reader left, or the run stops */
            err = g_steal_pointer(&g->write_err);
            break;
        }
        if (rc == CURLE_ABORTED_BY_CALLBACK) {
            g_set_error(&err, WHARF_ERROR, WHARF_ERROR_CANCELLED, "s3://%s/%s: get: stopped", s->bucket, g->key);
            break;
        }
        gboolean again = rc != CURLE_OK ? transient_curl(rc) : transient_status(status, g->errbody);
        if (again && attempt < ATTEMPTS) {
            WLOG_DEBUG("s3://%s/%s: get: %s, attempt %u of %u (from byte %" G_GUINT64_FORMAT ")", s->bucket,
                       g->key, rc != CURLE_OK ? (*errbuf ? errbuf : curl_easy_strerror(rc)) : "server busy", attempt,
                       ATTEMPTS, g->delivered);
            if (!backoff(s, g->key, "get", attempt, &err))
                break;
            continue;
        }
        if (rc != CURLE_OK)
            g_set_error(&err, WHARF_ERROR, WHARF_ERROR_IO, "s3://%s/%s: get failed: %s", s->bucket, g->key,
                        *errbuf ? errbuf : curl_easy_strerror(rc));
        else
            set_http_error(s, g->key, "get", status, g->errbody, &err);
        break;
    }
    g_free(url);
    GError *cerr = NULL;
    if (ok && !g->sink.commit(g->sink.data, &cerr))
        err = cerr;
    else if (!ok) {
        wharf_pipe *pp = g->sink.data;
        wharf_pipe_fail(pp, err);
        g->sink.abort(g->sink.data);
    }
    if (err)
        g_error_free(err);
    return NULL;
}

typedef struct get_source {
    wharf_source inner;
    GThread *thread;
    get_job *job;
} get_source;

static gssize gs_read(void *d, void *buf, size_t len, GError **err)
{
    get_source *gs = d;
    return gs->inner.read(gs->inner.data, buf, len, err);
}

static void gs_close(void *d)
{
    get_source *gs = d;
    gs->inner.close(gs->inner.data); /* the thread's next write fails: it ends */
    g_thread_join(gs->thread);
    g_free(gs->job->key);
    g_byte_array_free(gs->job->errbody, TRUE);
    g_clear_error(&gs->job->write_err);
    g_free(gs->job);
    g_free(gs);
}

wharf_reader *wharf_s3_open(wharf_s3 *s, const char *key, const char *name, GError **err)
{
    wharf_pipe *p = wharf_pipe_new(name, GET_PIPE_BYTES);
    get_job *g = g_new0(get_job, 1);
    g->s = s;
    g->key = g_strdup(key);
    g->sink = wharf_pipe_sink(p);
    g->errbody = g_byte_array_new();
    get_source *gs = g_new0(get_source, 1);
    gs->inner = wharf_pipe_source(p);
    gs->job = g;
    wharf_pipe_unref(p);
    gs->thread = g_thread_new("wharf-s3-get", get_thread, g);
    wharf_source src = {gs_read, gs_close, gs};
    return wharf_reader_open_source(name, &src, err);
}
