/* journal: the --resume file of `wharf load`, the jobs a previous run of the
 * same load completed, so that a rerun skips them.
 *
 * Contract:
 *  - Text file, mode 0600: a header line "wharf-load-journal 2 DIR" naming
 *    the dump directory, then one line per completed job: its key
 *    (plan.h wharf_load_job_key: kind and quoted names) with bytes below
 *    0x20, 0x7F and '%' written as %XX, so a name cannot forge a line. A line is appended right
 *    after its job completed, fsynced for every job but chunks (a chunk's
 *    durable "done" is its marker, below), so a crash loses at most the
 *    jobs that were running.
 *  - wharf_journal_open() reads the existing entries (a journal of another
 *    dump directory is an error) and opens the file for appending. The set
 *    of entries read is fixed afterwards: wharf_journal_done() takes no lock.
 *  - wharf_journal_add() is called by workers; journal->lock serialises the
 *    appends (a leaf lock: never held while taking another).
 *  - A partial last line (a crash mid-write) is ignored.
 *  - Crash safety (docs/design-load.md): a data chunk's "done" cannot be
 *    separated from its rows: each chunk inserts its marker (the SHA-256
 *    of its key, under the journal's id) into `wharf_resume`.`done` on the
 *    target in the chunk's own transaction (wharf_journal_mark_sql), so a
 *    crash between COMMIT and the file append loses nothing: attach() reads
 *    the markers back and wharf_journal_done() counts them. finish()
 *    deletes this journal's markers after a complete load (and the database when empty).
 */
#ifndef WHARF_LOAD_JOURNAL_H
#define WHARF_LOAD_JOURNAL_H

#include <glib.h>
#include <mysql.h>

typedef struct wharf_journal wharf_journal;

wharf_journal *wharf_journal_open(const char *path, const char *dump_dir, GError **err);
void wharf_journal_close(wharf_journal *j);
/* TRUE if a previous run completed this job. */
gboolean wharf_journal_done(const wharf_journal *j, const char *job);
/* TRUE if the journal file existed before this run (a resumed load). */
gboolean wharf_journal_resumed(const wharf_journal *j);
/* The journal's id (hex SHA-256 of its path and dump directory): its
 * markers' and its split chunks' rows (parts.h) on the target. */
const char *wharf_journal_id(const wharf_journal *j);
/* Number of markers read by attach(). */
guint wharf_journal_marks(const wharf_journal *j);
/* Create the marker table if needed and read this journal's markers. */
gboolean wharf_journal_attach(wharf_journal *j, MYSQL *m, GError **err);
/* The INSERT that marks key done, to run inside the job's transaction. */
char *wharf_journal_mark_sql(const wharf_journal *j, const char *key);
/* Is key marked in the target now (after a lost COMMIT)? */
gboolean wharf_journal_marked_now(const wharf_journal *j, MYSQL *m, const char *key, gboolean *marked, GError **err);
/* Delete this journal's markers (the load is complete), and the database
 * `wharf_resume` when no other load has markers there. */
gboolean wharf_journal_finish(const wharf_journal *j, MYSQL *m, GError **err);
/* Number of entries read at open. */
guint wharf_journal_count(const wharf_journal *j);
/* Record a completed job (append). */
/* sync: fsync it too. A chunk needs no fsync (its marker on the target is
 * its durable "done"), so chunks do not queue on one fsync each. */
gboolean wharf_journal_add(wharf_journal *j, const char *job, gboolean sync, GError **err);

#endif
