/* console: logging and the progress line, the only writers to stderr.
 *
 * Contract:
 *  - wharf_console_setup() installs a GLib log handler; afterwards modules log
 *    with the WLOG_* macros (g_log underneath). Levels: error, warning, info
 *    (default threshold), debug (-v).
 *  - Progress (--progress, wharf_console_set_progress): `tty` keeps one
 *    progress line at the bottom of stderr, redrawn every 500 ms; a log line
 *    clears it, prints, and the next update redraws it. `log` writes the
 *    progress as an ordinary log line ("progress: load: tables 12/300, ...")
 *    every interval (default 10 s), for cron, systemd and CI. `auto` (the
 *    default) is tty on a terminal, log elsewhere; `none` shows nothing.
 *  - --log-file FILE: every log record goes to FILE (appended); errors and
 *    warnings also reach stderr as text. --log-format json: each record is
 *    one JSON object per line, {"time" (ISO 8601, UTC), "elapsed" (s),
 *    "level" (error|warning|info|debug), "event" (message|progress),
 *    "message", and for progress "phase", "tables_done", "tables_total",
 *    "rows", "bytes", "bytes_total"} (docs/LOGS.md).
 *  - Thread-safe: one mutex (console.lock) serialises every write.
 *  - The console lives in main()'s frame and is passed to the handler as
 *    user data; no mutable globals.
 */
#ifndef WHARF_CORE_CONSOLE_H
#define WHARF_CORE_CONSOLE_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    WHARF_LOG_QUIET = 0, /* errors only */
    WHARF_LOG_NORMAL,    /* + warnings and info */
    WHARF_LOG_VERBOSE,   /* + debug */
} wharf_verbosity;

typedef enum {
    WHARF_PROGRESS_AUTO = 0, /* tty on a terminal, else log */
    WHARF_PROGRESS_TTY,
    WHARF_PROGRESS_LOG,
    WHARF_PROGRESS_NONE,
} wharf_progress_mode;

typedef struct wharf_console {
    GMutex lock;              /* guards everything below */
    wharf_verbosity verbosity; /* set once in setup */
    gboolean is_tty;          /* set once in setup */
    wharf_progress_mode progress_mode; /* set once, never AUTO after setup */
    FILE *log_file;           /* --log-file, or NULL: the log goes to stderr */
    gboolean json;            /* --log-format json: one JSON object per line */
    int progress_interval_s;  /* log mode: seconds between lines */
    gboolean progress_shown;  /* a progress line is on screen */
    gint64 start_us;          /* monotonic time of setup */
} wharf_console;

void wharf_console_setup(wharf_console *c, wharf_verbosity v);
/* Where and how the log is written (before any thread logs). */
gboolean wharf_console_set_log(wharf_console *c, const char *path, gboolean json, GError **err);
/* How progress is shown (before any reporter starts); AUTO resolves here. */
void wharf_console_set_progress(wharf_console *c, wharf_progress_mode m, int interval_s);
void wharf_console_teardown(wharf_console *c);

/* Draw (replace) the progress line; no-op unless the mode is tty. */
void wharf_console_progress(wharf_console *c, const char *line);
/* Remove the progress line (before the final summary). */
void wharf_console_progress_clear(wharf_console *c);

/* Progress counters and the line they render into. Counters are atomics so
 * workers update them without locks; the reporter thread reads them. */
typedef struct wharf_progress {
    const char *verb;          /* "dump" or "load" */
    gint64 start_us;
    volatile gint64 objects_total, objects_done; /* tables */
    volatile gint64 rows_done;
    volatile gint64 bytes_total, bytes_done;  /* bytes_total may be an estimate */
    volatile gint64 rows_total;                /* estimate, 0 = unknown */
} wharf_progress;

void wharf_progress_init(wharf_progress *p, const char *verb);
/* Lock-free counter updates for workers (relaxed: only the totals matter). */
static inline void wharf_counter_add(volatile gint64 *c, gint64 n)
{
    __atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}
static inline gint64 wharf_counter_get(const volatile gint64 *c)
{
    return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* Render "dump: tables 12/300, rows 1.2M, 340 MiB, 45 MiB/s, ETA 0:02:10". */
char *wharf_progress_render(const wharf_progress *p);
/* Write the progress as a log record (log mode). */
void wharf_console_progress_log(wharf_console *c, const wharf_progress *p);

/* A background thread that shows the progress as the console's mode says
 * (every 500 ms in tty mode, every interval in log mode, no thread in none),
 * sleeping on a condition variable, stopped with wharf_reporter_stop. */
typedef struct wharf_reporter wharf_reporter;
wharf_reporter *wharf_reporter_start(wharf_console *c, wharf_progress *p);
void wharf_reporter_stop(wharf_reporter *r);

/* Format helpers shared by summaries. */
char *wharf_format_bytes(int64_t bytes);     /* "12.3 MiB" */
char *wharf_format_duration(double seconds); /* "1:02:03" or "3.2s" */

#define WHARF_LOG_DOMAIN "wharf"
#define WLOG_ERR(...) g_log(WHARF_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, __VA_ARGS__)
#define WLOG_WARN(...) g_log(WHARF_LOG_DOMAIN, G_LOG_LEVEL_WARNING, __VA_ARGS__)
#define WLOG_INFO(...) g_log(WHARF_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, __VA_ARGS__)
#define WLOG_DEBUG(...) g_log(WHARF_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
