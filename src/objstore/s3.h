/* s3: a client for one bucket of an S3-compatible object store, on libcurl.
 *
 * Contract:
 *  - Requests are signed by libcurl (CURLOPT_AWS_SIGV4, "aws:amz:REGION:s3");
 *    no crypto and no HTTP is written here. Addressing: path style
 *    (ENDPOINT/BUCKET/KEY) when --s3-endpoint is given, the default for
 *    S3-compatible servers; virtual-host style (BUCKET.ENDPOINT/KEY) with
 *    --s3-virtual-host, and always for AWS itself (no endpoint:
 *    https://BUCKET.s3.REGION.amazonaws.com).
 *  - Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
 *    (+ AWS_SESSION_TOKEN), else from the shared credentials file
 *    (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, section AWS_PROFILE
 *    or "default"). Never from the command line; never logged, never in a
 *    message. AWS_CA_BUNDLE names the CAs to trust for https instead of the
 *    system's (as the AWS tools read it); certificates are always verified.
 *  - Every request is retried (bounded: 6 attempts, backoff 0.25 s doubling
 *    to 4 s) on connection errors, timeouts, 5xx, 429 and SlowDown; any other
 *    answer fails at once. The backoff waits through the caller's waiter
 *    (a run's stop ends it) when one is set. Errors are one line naming s3://BUCKET/KEY, with
 *    the server's code; 403 says to check the credentials, 404 says which of
 *    bucket or object is missing (WHARF_ERROR_NOT_FOUND).
 *  - A streamed GET runs on its own thread and writes into a bounded pipe
 *    (core/pipe, 1 MiB); the caller reads it as a wharf_reader. A transfer
 *    cut short is resumed with a Range request from the byte reached, within
 *    the same retry budget; a reader that closes early ends the transfer.
 *  - Transfers run with CURLOPT_NOSIGNAL and SIGPIPE blocked on the calling
 *    thread: a peer that closes is an error, never a signal.
 *  - Connections are reused: idle curl handles (with their connections) wait
 *    in a pool; a request takes one, so a handle serves one thread at a
 *    time. Memory: one handle per request in flight.
 *  - A wharf_s3 is read-only after wharf_s3_new (and set_waiter), but for
 *    its pool (under its lock), and may be used from any number of threads
 *    at once.
 */
#ifndef WHARF_OBJSTORE_S3_H
#define WHARF_OBJSTORE_S3_H

#include "core/cli.h"
#include "core/stream.h"

#include <glib.h>

/* The options (--s3-*), as parsed; shared by dump and load. */
typedef struct wharf_s3_opts {
    char *endpoint;        /* URL, e.g. http://127.0.0.1:4568; NULL = AWS */
    char *region;          /* NULL = us-east-1 */
    char *part_size_raw;   /* --s3-part-size as given */
    gboolean virtual_host; /* BUCKET.endpoint instead of endpoint/BUCKET */
    int list_page;         /* keys per ListObjectsV2 answer (hidden option, for tests; 0 = 1000) */
    gsize part_size;       /* bytes; set by wharf_s3_opts_finish */
} wharf_s3_opts;

#define WHARF_S3_DEFAULT_PART_SIZE ((gsize)8 << 20)
#define WHARF_S3_MIN_PART_SIZE ((gsize)5 << 20)
#define WHARF_S3_MAX_PART_SIZE ((gsize)1 << 30)
#define WHARF_S3_MAX_PARTS 10000 /* S3's limit per multipart upload */

/* Adds the --s3-* options to ctx (their storage is o; option files accept
 * them too). */
void wharf_s3_add_options(GOptionContext *ctx, wharf_cli_common *c, wharf_s3_opts *o);
/* Checks them (part size 5 MiB, as S3 asks of every part but the last, to
 * 1 GiB: memory is threads x part size). */
gboolean wharf_s3_opts_finish(wharf_s3_opts *o, GError **err);
void wharf_s3_opts_clear(wharf_s3_opts *o);

/* "s3://..."? */
gboolean wharf_s3_is_url(const char *s);
/* s3://BUCKET[/PREFIX]: the bucket and the prefix without trailing slash
 * ("" for none), newly allocated. */
gboolean wharf_s3_url_parse(const char *url, char **bucket, char **prefix, GError **err);

typedef struct wharf_s3 wharf_s3;

wharf_s3 *wharf_s3_new(const wharf_s3_opts *o, const char *bucket, GError **err);
void wharf_s3_free(wharf_s3 *s);

/* How a retry waits, so that a run's stop ends the wait at once (dump:
 * engine/run's backoff): wait(data, ms) returns FALSE when the run is
 * stopping (the request then fails, WHARF_ERROR_CANCELLED); retried(data)
 * counts the retry. Without one (NULL), a retry sleeps. Set before any
 * request, never after. */
typedef struct wharf_s3_waiter {
    gboolean (*wait)(void *data, gint64 ms);
    void (*retried)(void *data);
    /* Optional: TRUE once the run stops; a transfer in progress (even one
     * that receives nothing) is then ended within a second, except the
     * abort of a multipart upload, which is what a stop needs. */
    gboolean (*stopping)(void *data);
    void *data;
} wharf_s3_waiter;
void wharf_s3_set_waiter(wharf_s3 *s, const wharf_s3_waiter *w);

/* One object from memory. */
gboolean wharf_s3_put(wharf_s3 *s, const char *key, const void *data, gsize len, GError **err);
/* Multipart upload: create (returns the upload id), parts numbered from 1
 * (returns the part's ETag), complete with the ETags in order, abort. */
char *wharf_s3_mpu_create(wharf_s3 *s, const char *key, GError **err);
char *wharf_s3_mpu_part(wharf_s3 *s, const char *key, const char *upload_id, guint part, const void *data,
                        gsize len, GError **err);
gboolean wharf_s3_mpu_complete(wharf_s3 *s, const char *key, const char *upload_id, GPtrArray *etags,
                               GError **err);
void wharf_s3_mpu_abort(wharf_s3 *s, const char *key, const char *upload_id);

/* ListObjectsV2 of the keys right under prefix ("" or "P/": with delimiter
 * "/", so nothing deeper), every page: names without the prefix (char*,
 * owned by names) and sizes (gint64); a deeper prefix is one name "SUB/"
 * of size 0 (as a directory holds a subdirectory). max: stop after that
 * many (0 = all). */
gboolean wharf_s3_list(wharf_s3 *s, const char *prefix, guint max, GPtrArray *names, GArray *sizes,
                       GError **err);

/* A streamed GET of key as a reader (name: for messages). */
wharf_reader *wharf_s3_open(wharf_s3 *s, const char *key, const char *name, GError **err);

#endif
