/* rate: one byte schedule for a run (contract in rate.h). */
#include "core/rate.h"

struct wharf_rate {
    gint64 bytes_per_s; /* read-only */
    wharf_run *run;     /* read-only */
    GMutex lock;        /* guards next */
    gint64 next;        /* monotonic time (us) when the next slot begins */
};

wharf_rate *wharf_rate_new(gint64 bytes_per_s, wharf_run *run)
{
    wharf_rate *r = g_new0(wharf_rate, 1);
    r->bytes_per_s = MAX(bytes_per_s, 1);
    r->run = run;
    g_mutex_init(&r->lock);
    return r;
}

void wharf_rate_free(wharf_rate *r)
{
    if (r == NULL)
        return;
    g_mutex_clear(&r->lock);
    g_free(r);
}

gboolean wharf_rate_take(wharf_rate *r, gint64 n)
{
    if (r == NULL || n <= 0)
        return TRUE;
    gint64 now = g_get_monotonic_time();
    g_mutex_lock(&r->lock);
    /* An idle limiter does not save up: at most 100 ms of credit. */
    gint64 start = MAX(r->next, now - G_TIME_SPAN_SECOND / 10);
    gint64 end = r->next = start + n * G_TIME_SPAN_SECOND / r->bytes_per_s;
    g_mutex_unlock(&r->lock);
    /* The bytes were already moved: wait until their slot ends. */
    if (end <= now)
        return TRUE;
    return wharf_run_backoff(r->run, (end - now + 999) / 1000);
}
