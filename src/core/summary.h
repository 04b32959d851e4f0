/* summary: a run's final summary as one JSON document (--summary-json).
 *
 * Contract (docs/LOGS.md, "Summary document", is the normative list of keys):
 *  - The subcommand fills a json-glib JsonBuilder between
 *    wharf_summary_begin (which opens the top object and writes command,
 *    tool and started) and wharf_summary_write (which adds finished,
 *    seconds, status and exit_status, closes the object and writes the
 *    file). JSON is produced by json-glib, never by hand.
 *  - Written at the end of every run that got as far as parsing its
 *    options: success, failure and interrupt alike; status is "ok",
 *    "failed" or "interrupted" and agrees with exit_status.
 *  - The file is written atomically (temp + fsync + rename, 0600): a job
 *    runner never reads half a summary.
 */
#ifndef WHARF_CORE_SUMMARY_H
#define WHARF_CORE_SUMMARY_H

#include <glib.h>
#include <json-glib/json-glib.h>

JsonBuilder *wharf_summary_begin(const char *command);
/* "2026-12-01T17:00:00Z" now (the summary's times and metadata's). */
char *wharf_summary_now(void);
/* Add "key": int / string / double to the open object. */
void wharf_summary_int(JsonBuilder *b, const char *key, gint64 v);
void wharf_summary_str(JsonBuilder *b, const char *key, const char *v); /* NULL -> null */
/* "key": {"done": done, "total": total} */
void wharf_summary_count(JsonBuilder *b, const char *key, gint64 done, gint64 total);
/* Finish and write path (b is released). signo: the interrupting signal, 0 = none. */
gboolean wharf_summary_write(JsonBuilder *b, const char *path, int exit_status, int signo, double seconds,
                             GError **err);

#endif
