#include "core/console.h"

#include "core/error.h"

#include <errno.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void clear_line_locked(wharf_console *c)
{
    if (c->progress_shown) {
        fputs("\r\033[K", stderr);
        c->progress_shown = FALSE;
    }
}

/* A JSON string literal of s (made valid UTF-8), appended to out. */
static void json_string(GString *out, const char *s)
{
    char *v = g_utf8_make_valid(s, -1);
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(out, "\\%c", *p);
        else if (*p == '\n')
            g_string_append(out, "\\n");
        else if (*p == '\t')
            g_string_append(out, "\\t");
        else if (*p < 0x20)
            g_string_append_printf(out, "\\u%04x", *p);
        else
            g_string_append_c(out, (char)*p);
    }
    g_string_append_c(out, '"');
    g_free(v);
}

/* One log record as a line of the log's format (text or JSON, no newline).
 * extra: more JSON members (",\"k\":v..."), or NULL. */
static char *format_record(const wharf_console *c, gboolean json, const char *level, const char *event,
                           const char *message, const char *extra)
{
    double t = (double)(g_get_monotonic_time() - c->start_us) / 1e6;
    if (!json) {
        gboolean plain = strcmp(level, "info") == 0;
        return plain ? g_strdup_printf("wharf[%7.2fs] %s", t, message)
                     : g_strdup_printf("wharf[%7.2fs] %s: %s", t, level, message);
    }
    GDateTime *now = g_date_time_new_now_utc();
    char *iso = g_date_time_format_iso8601(now);
    g_date_time_unref(now);
    GString *o = g_string_new("{\"time\":");
    json_string(o, iso);
    g_string_append_printf(o, ",\"elapsed\":%.3f,\"level\":\"%s\",\"event\":\"%s\",\"message\":", t, level, event);
    json_string(o, message);
    if (extra)
        g_string_append(o, extra);
    g_string_append_c(o, '}');
    g_free(iso);
    return g_string_free(o, FALSE);
}

/* Write a record: to the log file when there is one (and errors and
 * warnings to stderr too, as text), else to stderr. */
static void emit_locked(wharf_console *c, const char *level, const char *event, const char *message,
                        const char *extra)
{
    char *line = format_record(c, c->json, level, event, message, extra);
    clear_line_locked(c);
    if (c->log_file) {
        fprintf(c->log_file, "%s\n", line);
        fflush(c->log_file);
        if (strcmp(level, "error") == 0 || strcmp(level, "warning") == 0) {
            char *text = format_record(c, FALSE, level, event, message, NULL);
            fprintf(stderr, "%s\n", text);
            g_free(text);
        }
    } else {
        fprintf(stderr, "%s\n", line);
    }
    fflush(stderr);
    g_free(line);
}

static void log_handler(const gchar *domain, GLogLevelFlags level,
                        const gchar *message, gpointer user_data)
{
    wharf_console *c = user_data;
    const char *tag;
    if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) {
        tag = "error";
    } else if (level & G_LOG_LEVEL_WARNING) {
        if (c->verbosity < WHARF_LOG_NORMAL)
            return;
        tag = "warning";
    } else if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO)) {
        if (c->verbosity < WHARF_LOG_NORMAL)
            return;
        tag = "info";
    } else {
        if (c->verbosity < WHARF_LOG_VERBOSE)
            return;
        tag = "debug";
    }
    g_mutex_lock(&c->lock);
    emit_locked(c, tag, "message", message, NULL);
    g_mutex_unlock(&c->lock);
    (void)domain;
}

gboolean wharf_console_set_log(wharf_console *c, const char *path, gboolean json, GError **err)
{
    c->json = json;
    if (path == NULL)
        return TRUE;
    FILE *f = fopen(path, "a");
    if (f == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "--log-file %s: %s", path, g_strerror(errno));
        return FALSE;
    }
    c->log_file = f;
    return TRUE;
}

void wharf_console_progress_log(wharf_console *c, const wharf_progress *p)
{
    if (c->verbosity < WHARF_LOG_NORMAL)
        return;
    char *line = wharf_progress_render(p);
    char *msg = g_strdup_printf("progress: %s", line);
    char *extra = g_strdup_printf(",\"phase\":\"%s\",\"tables_done\":%" G_GINT64_FORMAT ",\"tables_total\":%"
                                  G_GINT64_FORMAT ",\"rows\":%" G_GINT64_FORMAT ",\"bytes\":%" G_GINT64_FORMAT
                                  ",\"bytes_total\":%" G_GINT64_FORMAT,
                                  p->verb, wharf_counter_get(&p->objects_done), wharf_counter_get(&p->objects_total),
                                  wharf_counter_get(&p->rows_done), wharf_counter_get(&p->bytes_done),
                                  wharf_counter_get(&p->bytes_total));
    g_mutex_lock(&c->lock);
    emit_locked(c, "info", "progress", msg, extra);
    g_mutex_unlock(&c->lock);
    g_free(extra);
    g_free(msg);
    g_free(line);
}

void wharf_console_setup(wharf_console *c, wharf_verbosity v)
{
    memset(c, 0, sizeof *c);
    g_mutex_init(&c->lock);
    c->verbosity = v;
    c->is_tty = isatty(STDERR_FILENO);
    c->progress_mode = c->is_tty ? WHARF_PROGRESS_TTY : WHARF_PROGRESS_LOG;
    c->progress_interval_s = 10;
    c->start_us = g_get_monotonic_time();
    g_log_set_default_handler(log_handler, c);
    g_log_set_handler(WHARF_LOG_DOMAIN, G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                      log_handler, c);
}

void wharf_console_set_progress(wharf_console *c, wharf_progress_mode m, int interval_s)
{
    if (m == WHARF_PROGRESS_AUTO)
        m = c->is_tty ? WHARF_PROGRESS_TTY : WHARF_PROGRESS_LOG;
    c->progress_mode = m;
    if (interval_s > 0)
        c->progress_interval_s = interval_s;
}

void wharf_console_teardown(wharf_console *c)
{
    wharf_console_progress_clear(c);
    if (c->log_file)
        fclose(c->log_file);
    c->log_file = NULL;
    g_log_set_default_handler(g_log_default_handler, NULL);
    g_mutex_clear(&c->lock);
}

void wharf_console_progress(wharf_console *c, const char *line)
{
    if (c->progress_mode != WHARF_PROGRESS_TTY)
        return;
    g_mutex_lock(&c->lock);
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    c->progress_shown = TRUE;
    g_mutex_unlock(&c->lock);
}

void wharf_console_progress_clear(wharf_console *c)
{
    g_mutex_lock(&c->lock);
    clear_line_locked(c);
    fflush(stderr);
    g_mutex_unlock(&c->lock);
}

void wharf_progress_init(wharf_progress *p, const char *verb)
{
    memset(p, 0, sizeof *p);
    p->verb = verb;
    p->start_us = g_get_monotonic_time();
}

char *wharf_format_bytes(int64_t bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    unsigned u = 0;
    while (v >= 1024.0 && u < G_N_ELEMENTS(units) - 1) {
        v /= 1024.0;
        u++;
    }
    return u == 0 ? g_strdup_printf("%" G_GINT64_FORMAT " B", (gint64)bytes)
                  : g_strdup_printf("%.1f %s", v, units[u]);
}

char *wharf_format_duration(double s)
{
    if (s < 60.0)
        return g_strdup_printf("%.1fs", s);
    long t = (long)(s + 0.5);
    return g_strdup_printf("%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
}

static char *format_count(gint64 n)
{
    if (n >= 1000000)
        return g_strdup_printf("%.1fM", (double)n / 1e6);
    if (n >= 10000)
        return g_strdup_printf("%.1fk", (double)n / 1e3);
    return g_strdup_printf("%" G_GINT64_FORMAT, n);
}

char *wharf_progress_render(const wharf_progress *p)
{
    double el = (double)(g_get_monotonic_time() - p->start_us) / 1e6;
    gint64 od = wharf_counter_get(&p->objects_done);
    gint64 ot = wharf_counter_get(&p->objects_total);
    gint64 rows = wharf_counter_get(&p->rows_done);
    gint64 bd = wharf_counter_get(&p->bytes_done);
    gint64 bt = wharf_counter_get(&p->bytes_total);
    char *r = format_count(rows);
    char *b = wharf_format_bytes(bd);
    char *rate = wharf_format_bytes(el > 0 ? (gint64)((double)bd / el) : 0);
    char *eta = NULL;
    /* The byte total is an estimate (a dump's is the tables' DATA_LENGTH,
     * pages rather than rows: 16 KiB for a table of three rows), so the
     * further of the two fractions done decides: bytes for big tables,
     * tables for many small ones. */
    double frac = 0.0;
    if (bt > 0)
        frac = MIN((double)bd / (double)bt, 1.0);
    if (ot > 0)
        frac = MAX(frac, (double)od / (double)ot);
    if (frac > 0.01 && frac < 1.0)
        eta = wharf_format_duration(el / frac - el);
    char *line = g_strdup_printf("%s: tables %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                                 ", rows %s, %s, %s/s, ETA %s",
                                 p->verb, od, ot, r, b, rate, eta ? eta : "-");
    g_free(r);
    g_free(b);
    g_free(rate);
    g_free(eta);
    return line;
}

struct wharf_reporter {
    wharf_console *console;
    wharf_progress *progress;
    GMutex lock;   /* guards stop */
    GCond cond;    /* signalled by wharf_reporter_stop */
    gboolean stop;
    GThread *thread;
};

static gpointer reporter_main(gpointer data)
{
    wharf_reporter *r = data;
    gboolean log = r->console->progress_mode == WHARF_PROGRESS_LOG;
    gint64 period = log ? r->console->progress_interval_s * G_TIME_SPAN_SECOND : 500 * G_TIME_SPAN_MILLISECOND;
    g_mutex_lock(&r->lock);
    while (!r->stop) {
        gint64 deadline = g_get_monotonic_time() + period;
        while (!r->stop && g_cond_wait_until(&r->cond, &r->lock, deadline))
            ;
        if (r->stop)
            break;
        g_mutex_unlock(&r->lock);
        char *line = wharf_progress_render(r->progress);
        if (log)
            wharf_console_progress_log(r->console, r->progress);
        else
            wharf_console_progress(r->console, line);
        g_free(line);
        g_mutex_lock(&r->lock);
    }
    g_mutex_unlock(&r->lock);
    return NULL;
}

wharf_reporter *wharf_reporter_start(wharf_console *c, wharf_progress *p)
{
    wharf_reporter *r = g_new0(wharf_reporter, 1);
    r->console = c;
    r->progress = p;
    g_mutex_init(&r->lock);
    g_cond_init(&r->cond);
    if (c->progress_mode == WHARF_PROGRESS_TTY || c->progress_mode == WHARF_PROGRESS_LOG)
        r->thread = g_thread_new("progress", reporter_main, r);
    return r;
}

void wharf_reporter_stop(wharf_reporter *r)
{
    if (r == NULL)
        return;
    g_mutex_lock(&r->lock);
    r->stop = TRUE;
    g_cond_signal(&r->cond);
    g_mutex_unlock(&r->lock);
    if (r->thread)
        g_thread_join(r->thread);
    wharf_console_progress_clear(r->console);
    g_mutex_clear(&r->lock);
    g_cond_clear(&r->cond);
    g_free(r);
}
