/* snapshot: server locks and the consistent-snapshot sessions of a dump.
 *
 * Contract:
 *  - Phases, called in this order by the dump driver (one thread):
 *      wharf_snapshot_block_ddl()  take the DDL lock (MariaDB BACKUP STAGE
 *                                  START + BLOCK_DDL, MySQL LOCK INSTANCE FOR
 *                                  BACKUP); no-op for ftwrl/none. The catalog
 *                                  is read after this, so it matches the data.
 *      wharf_snapshot_open(n)      connect n snapshot sessions, block commits
 *                                  (BLOCK_COMMIT / FTWRL) for the few ms it
 *                                  takes all of them to START TRANSACTION WITH
 *                                  CONSISTENT SNAPSHOT (in parallel) and to
 *                                  read the binlog position and GTID, release
 *                                  commits, then (ddl_lock) hold the DDL lock
 *                                  until wharf_snapshot_finish().
 *      wharf_snapshot_acquire()    (workers) the next unused session, or NULL
 *      wharf_snapshot_release()    (workers) COMMIT and close a used session
 *      wharf_snapshot_discard()    (workers) close a session whose connection
 *                                  was lost: its transaction is gone and can
 *                                  never be reopened on the same snapshot, so
 *                                  the worker acquires another (spare) one
 *      wharf_snapshot_check_lock() (driver, after the workers) the DDL lock
 *                                  is still held: its connection is alive
 *      wharf_snapshot_release_locks() release the server locks (the DDL
 *                                  lock) as soon as every row is read, before
 *                                  the final syncfs and the metadata write
 *      wharf_snapshot_finish()     release the locks, close every connection.
 *  - Every session sees the same snapshot: they all start their transaction
 *    while commits are blocked. A session belongs to one worker at a time;
 *    a worker moves to a fresh session after its table budget, so no single
 *    transaction touches an unbounded number of tables.
 *  - Sessions never reconnect by themselves (MYSQL_OPT_RECONNECT off even if
 *    an option file asks for it): a silent reconnect would read outside the
 *    snapshot. The driver opens a few spare sessions for the ones that die.
 *  - Locking: `lock` guards next_session only; sessions themselves are owned
 *    by one worker after acquire and need no lock. Nothing else is shared.
 *  - MariaDB BACKUP STAGE only moves forward: after BLOCK_COMMIT the stage
 *    must END before BLOCK_DDL can be taken again. A DDL slipping into that
 *    window makes InnoDB fail reads of the changed table with error 1412:
 *    the dump fails loudly, never silently (docs/design-dump.md).
 */
#ifndef WHARF_DUMP_SNAPSHOT_H
#define WHARF_DUMP_SNAPSHOT_H

#include "core/conn.h"

#include <glib.h>
#include <mysql.h>

typedef enum {
    WHARF_LOCK_AUTO = 0,
    WHARF_LOCK_BACKUP_STAGE,
    WHARF_LOCK_INSTANCE,
    WHARF_LOCK_FTWRL,
    WHARF_LOCK_NONE,
} wharf_lock_method;

gboolean wharf_lock_parse(const char *s, wharf_lock_method *out);
const char *wharf_lock_name(wharf_lock_method m);

typedef struct wharf_snap_session {
    MYSQL *conn;
    guint index;
    guint tables_used;    /* distinct tables read so far (owner only) */
    GHashTable *touched;  /* wharf_cat_table* set (owner only) */
} wharf_snap_session;

typedef struct wharf_snapshot {
    const wharf_conn_opts *opts;  /* borrowed, read-only */
    wharf_server_info server;
    wharf_lock_method method;     /* resolved (never AUTO after block_ddl) */
    gboolean ddl_lock;            /* hold the DDL lock for the whole dump */
    int threads;                  /* helpers used to open sessions */
    MYSQL *lock_conn;
    volatile gsize lock_conn_id; /* its server thread id (atomic, for an interrupt's KILL), 0 = none */

    GPtrArray *sessions;          /* wharf_snap_session*, set by open() */
    GMutex lock;                  /* guards next_session */
    guint next_session;

    /* results of open(), read-only afterwards */
    char *binlog_file;
    guint64 binlog_position;
    char *gtid;
    char *gtid_current;           /* MariaDB @@gtid_current_pos: where a replica of this server, or of
                                     its own source, starts (GTIDs are kept along a chain) */
    char *galera_position;        /* a Galera node: the cluster's state UUID:seqno
                                     (wsrep_cluster_state_uuid:wsrep_last_committed), else NULL */
    /* When the dumped server is itself a replica (SHOW SLAVE STATUS): its
     * source and the position in the source's binary log it had applied. */
    char *upstream_host;
    guint upstream_port;
    char *upstream_file;
    guint64 upstream_position;
    char *upstream_gtid;          /* @@gtid_slave_pos */
    gint64 commit_block_ms;
    gboolean consistent;          /* FALSE with --lock none */
} wharf_snapshot;

/* server: from any connection; opts outlive the snapshot. */
void wharf_snapshot_init(wharf_snapshot *s, const wharf_conn_opts *opts,
                         const wharf_server_info *server, wharf_lock_method method,
                         gboolean ddl_lock, int threads);
gboolean wharf_snapshot_block_ddl(wharf_snapshot *s, GError **err);
gboolean wharf_snapshot_open(wharf_snapshot *s, guint n_sessions, GError **err);
wharf_snap_session *wharf_snapshot_acquire(wharf_snapshot *s);
gboolean wharf_snapshot_release(wharf_snapshot *s, wharf_snap_session *ss, GError **err);
void wharf_snapshot_discard(wharf_snapshot *s, wharf_snap_session *ss);
/* Sessions never handed out yet (spares left). */
guint wharf_snapshot_unused(wharf_snapshot *s);
gboolean wharf_snapshot_check_lock(wharf_snapshot *s, GError **err);
/* Release locks and close all connections; safe after any failure. */
void wharf_snapshot_release_locks(wharf_snapshot *s);
/* Server thread id of the lock connection (any thread), 0 if none. */
gulong wharf_snapshot_lock_conn_id(wharf_snapshot *s);
void wharf_snapshot_finish(wharf_snapshot *s);

#endif
