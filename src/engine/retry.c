/* retry: the retry policy (contract in retry.h). */
#include "engine/retry.h"

#include "core/console.h"
#include "core/error.h"

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 5000

void wharf_retry_init(wharf_retry *r)
{
    r->attempt = 0;
    r->delay_ms = BACKOFF_FIRST_MS;
}

static void name_it(GError **e, const char *what)
{
    if (!g_str_has_prefix((*e)->message, what))
        wharf_error_prefix(e, "%s", what);
}

gboolean wharf_retry_again(wharf_retry *r, wharf_run *run, const char *what, const char *how,
                           gboolean transient, GError *e, GError **err)
{
    r->attempt++;
    if (wharf_run_stopping(run) || !transient || r->attempt >= WHARF_RETRY_ATTEMPTS) {
        if (transient && r->attempt >= WHARF_RETRY_ATTEMPTS)
            wharf_error_prefix(&e, "%s: gave up after %d attempts", what, r->attempt);
        else
            name_it(&e, what);
        g_propagate_error(err, e);
        return FALSE;
    }
    WLOG_WARN("%s: %s; retrying in %" G_GINT64_FORMAT " ms %s (attempt %d of %d)", what, e->message,
              r->delay_ms, how, r->attempt + 1, WHARF_RETRY_ATTEMPTS);
    wharf_run_count_retry(run);
    if (!wharf_run_backoff(run, r->delay_ms)) {
        wharf_error_prefix(&e, "%s: not retried, the run is stopping", what);
        g_propagate_error(err, e);
        return FALSE;
    }
    g_error_free(e);
    r->delay_ms = MIN(r->delay_ms * 2, BACKOFF_MAX_MS);
    return TRUE;
}
