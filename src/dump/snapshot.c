/* Lock order: snapshot.lock is a leaf (nothing else is taken while it is
 * held). The helper threads of run_parallel() share only `next` (atomic)
 * and the first error (under par.lock, also a leaf). */
#include "dump/snapshot.h"

#include "core/console.h"
#include "core/error.h"
#include "core/galera.h"

#include <string.h>

gboolean wharf_lock_parse(const char *s, wharf_lock_method *out)
{
    static const struct {
        const char *name;
        wharf_lock_method m;
    } names[] = {{"auto", WHARF_LOCK_AUTO},   {"backup-stage", WHARF_LOCK_BACKUP_STAGE},
                 {"instance", WHARF_LOCK_INSTANCE}, {"ftwrl", WHARF_LOCK_FTWRL},
                 {"none", WHARF_LOCK_NONE}};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        if (g_ascii_strcasecmp(s, names[i].name) == 0) {
            *out = names[i].m;
            return TRUE;
        }
    return FALSE;
}

const char *wharf_lock_name(wharf_lock_method m)
{
    switch (m) {
    case WHARF_LOCK_BACKUP_STAGE: return "backup-stage";
    case WHARF_LOCK_INSTANCE: return "instance";
    case WHARF_LOCK_FTWRL: return "ftwrl";
    case WHARF_LOCK_NONE: return "none";
    default: return "auto";
    }
}

void wharf_snapshot_init(wharf_snapshot *s, const wharf_conn_opts *opts,
                         const wharf_server_info *server, wharf_lock_method method,
                         gboolean ddl_lock, int threads)
{
    memset(s, 0, sizeof *s);
    s->opts = opts;
    s->server = *server;
    s->ddl_lock = ddl_lock;
    s->threads = threads < 1 ? 1 : threads;
    g_mutex_init(&s->lock);
    s->sessions = g_ptr_array_new();
    if (method == WHARF_LOCK_AUTO) {
        if (server->flavor == WHARF_FLAVOR_MARIADB)
            method = server->version >= 100401 ? WHARF_LOCK_BACKUP_STAGE : WHARF_LOCK_FTWRL;
        else
            method = server->version >= 80000 ? WHARF_LOCK_INSTANCE : WHARF_LOCK_FTWRL;
    }
    s->method = method;
}

/* A connection that never reconnects by itself: a reconnected snapshot
 * session would read outside the snapshot, a reconnected lock connection
 * would no longer hold the lock. */
static MYSQL *open_pinned(const wharf_conn_opts *o, GError **err)
{
    MYSQL *m = wharf_conn_open(o, err);
    if (m) {
        my_bool no = 0;
        mysql_optionsv(m, MYSQL_OPT_RECONNECT, &no);
    }
    return m;
}

static gboolean lock_exec(wharf_snapshot *s, const char *sql, GError **err)
{
    if (!wharf_conn_exec(s->lock_conn, sql, err)) {
        wharf_error_prefix(err, "taking the snapshot lock (--lock %s)", wharf_lock_name(s->method));
        return FALSE;
    }
    return TRUE;
}

gboolean wharf_snapshot_block_ddl(wharf_snapshot *s, GError **err)
{
    if (s->method == WHARF_LOCK_NONE || s->method == WHARF_LOCK_FTWRL)
        return TRUE;
    s->lock_conn = open_pinned(s->opts, err);
    if (s->lock_conn != NULL)
        g_atomic_pointer_set(&s->lock_conn_id, (gsize)mysql_thread_id(s->lock_conn));
    if (s->lock_conn == NULL)
        return FALSE;
    if (s->method == WHARF_LOCK_INSTANCE)
        return lock_exec(s, "LOCK INSTANCE FOR BACKUP", err);
    if (!s->ddl_lock)
        return TRUE; /* --no-ddl-lock: only the brief commit block below */
    if (!lock_exec(s, "BACKUP STAGE START", err))
        return FALSE;
    return lock_exec(s, "BACKUP STAGE BLOCK_DDL", err);
}

/* ---- running one step on every session, with a few helper threads ---- */

typedef enum { STEP_CONNECT, STEP_START } step_kind;

typedef struct par {
    wharf_snapshot *s;
    step_kind step;
    gint next;     /* atomic: next session index */
    GMutex lock;   /* guards err */
    GError *err;
} par;

static gboolean do_step(par *p, wharf_snap_session *ss, GError **err)
{
    if (p->step == STEP_CONNECT) {
        ss->conn = open_pinned(p->s->opts, err);
        if (ss->conn == NULL)
            return FALSE;
        return wharf_conn_exec(ss->conn, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                               err);
    }
    return wharf_conn_exec(ss->conn, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", err);
}

static gpointer par_main(gpointer data)
{
    par *p = data;
    for (;;) {
        gint i = g_atomic_int_add(&p->next, 1);
        if (i >= (gint)p->s->sessions->len)
            break;
        GError *e = NULL;
        if (!do_step(p, p->s->sessions->pdata[i], &e)) {
            g_mutex_lock(&p->lock);
            if (p->err == NULL)
                p->err = e;
            else
                g_error_free(e);
            g_mutex_unlock(&p->lock);
            break;
        }
    }
    return NULL;
}

static gboolean run_parallel(wharf_snapshot *s, step_kind step, guint nthreads, GError **err)
{
    par p = {.s = s, .step = step};
    g_mutex_init(&p.lock);
    guint n = MIN(nthreads, s->sessions->len);
    if (n == 0)
        n = 1;
    GThread **th = g_new0(GThread *, n);
    for (guint i = 0; i < n; i++)
        th[i] = g_thread_new("wharf-snap", par_main, &p);
    for (guint i = 0; i < n; i++)
        g_thread_join(th[i]);
    g_free(th);
    g_mutex_clear(&p.lock);
    if (p.err) {
        g_propagate_error(err, p.err);
        wharf_error_prefix(err, "opening snapshot sessions");
        return FALSE;
    }
    return TRUE;
}

/* The dumped server's own source, when it is a replica (the default
 * connection of SHOW SLAVE STATUS; none: nothing recorded). Read in the
 * same commit block as the snapshot. */
static void read_upstream(wharf_snapshot *s, MYSQL *m)
{
    GError *e = NULL;
    MYSQL_RES *res = wharf_conn_query(m, "SHOW SLAVE STATUS", &e);
    if (res == NULL) {
        WLOG_DEBUG("SHOW SLAVE STATUS: %s", e ? e->message : "no result");
        g_clear_error(&e);
        return;
    }
    MYSQL_ROW row = mysql_fetch_row(res);
    MYSQL_FIELD *f = mysql_fetch_fields(res);
    unsigned nf = mysql_num_fields(res);
    for (unsigned i = 0; row && i < nf; i++) {
        const char *v = row[i], *n = f[i].name;
        if (v == NULL || *v == '\0')
            continue;
        if (strcmp(n, "Master_Host") == 0 || strcmp(n, "Source_Host") == 0)
            s->upstream_host = g_strdup(v);
        else if (strcmp(n, "Master_Port") == 0 || strcmp(n, "Source_Port") == 0)
            s->upstream_port = (guint)g_ascii_strtoull(v, NULL, 10);
        else if (strcmp(n, "Relay_Master_Log_File") == 0 || strcmp(n, "Relay_Source_Log_File") == 0)
            s->upstream_file = g_strdup(v);
        else if (strcmp(n, "Exec_Master_Log_Pos") == 0 || strcmp(n, "Exec_Source_Log_Pos") == 0)
            s->upstream_position = g_ascii_strtoull(v, NULL, 10);
        else if (strcmp(n, "Gtid_Slave_Pos") == 0)
            s->upstream_gtid = g_strdup(v);
    }
    mysql_free_result(res);
    if (s->upstream_host)
        WLOG_INFO("the dumped server is a replica of %s:%u: its position there (%s:%" G_GUINT64_FORMAT "%s%s) is"
                  " recorded", s->upstream_host, s->upstream_port, s->upstream_file ? s->upstream_file : "?",
                  s->upstream_position, s->upstream_gtid ? ", GTID " : "", s->upstream_gtid ? s->upstream_gtid : "");
}

/* A Galera node: the cluster's position at the snapshot (what
 * mariabackup's --galera-info records); its binary log and GTIDs are the
 * node's, the same on every node with wsrep_gtid_mode. */
static void read_galera(wharf_snapshot *s, MYSQL *m)
{
    wharf_galera g;
    GError *e = NULL;
    if (!wharf_galera_probe(m, &g, &e)) {
        WLOG_WARN("cannot read the wsrep state: %s", e->message);
        g_error_free(e);
        return;
    }
    if (g.on) {
        s->galera_position = g_strdup_printf("%s:%" G_GINT64_FORMAT, g.cluster_uuid, g.last_committed);
        WLOG_INFO("the dumped server is a node of a Galera cluster of %" G_GINT64_FORMAT " (%s): cluster position %s",
                  g.cluster_size, g.state, s->galera_position);
    }
    wharf_galera_clear(&g);
}

static void read_position(wharf_snapshot *s, MYSQL *m)
{
    GError *e = NULL;
    MYSQL_RES *res = wharf_conn_query(m, "SHOW MASTER STATUS", &e);
    if (res == NULL && e && e->code == 1064) {
        g_clear_error(&e);
        res = wharf_conn_query(m, "SHOW BINARY LOG STATUS", &e); /* MySQL 8.4 */
    }
    if (res == NULL) {
        WLOG_WARN("cannot read the binary log position (%s); metadata has no [source] position",
                  e ? e->message : "no result");
        g_clear_error(&e);
    } else {
        MYSQL_ROW row = mysql_fetch_row(res);
        unsigned nf = mysql_num_fields(res);
        if (row && row[0]) {
            s->binlog_file = g_strdup(row[0]);
            s->binlog_position = row[1] ? g_ascii_strtoull(row[1], NULL, 10) : 0;
            if (nf >= 5 && row[4] && s->server.flavor == WHARF_FLAVOR_MYSQL)
                s->gtid = g_strdup(row[4]);
        }
        mysql_free_result(res);
    }
    if (s->server.flavor == WHARF_FLAVOR_MARIADB) {
        char *g = wharf_conn_query_value(m, "SELECT @@GLOBAL.gtid_binlog_pos", &e);
        if (e) {
            WLOG_WARN("cannot read gtid_binlog_pos: %s", e->message);
            g_clear_error(&e);
        }
        if (g && *g)
            s->gtid = g;
        else
            g_free(g);
        g = wharf_conn_query_value(m, "SELECT @@GLOBAL.gtid_current_pos", NULL);
        if (g && *g)
            s->gtid_current = g;
        else
            g_free(g);
    }
    read_upstream(s, m);
    read_galera(s, m);
}

gboolean wharf_snapshot_open(wharf_snapshot *s, guint n_sessions, GError **err)
{
    for (guint i = 0; i < n_sessions; i++) {
        wharf_snap_session *ss = g_new0(wharf_snap_session, 1);
        ss->index = i;
        ss->touched = g_hash_table_new(g_direct_hash, g_direct_equal);
        g_ptr_array_add(s->sessions, ss);
    }
    /* Connecting is latency bound: more helpers than CPUs is fine. */
    if (!run_parallel(s, STEP_CONNECT, MAX((guint)s->threads, 8), err))
        return FALSE;
    if (s->lock_conn == NULL && s->method != WHARF_LOCK_NONE) {
        s->lock_conn = open_pinned(s->opts, err);
        if (s->lock_conn != NULL)
            g_atomic_pointer_set(&s->lock_conn_id, (gsize)mysql_thread_id(s->lock_conn));
        if (s->lock_conn == NULL)
            return FALSE;
    }

    gint64 t0 = g_get_monotonic_time();
    switch (s->method) {
    case WHARF_LOCK_BACKUP_STAGE:
        if (!s->ddl_lock && !lock_exec(s, "BACKUP STAGE START", err))
            return FALSE;
        if (!lock_exec(s, "BACKUP STAGE BLOCK_COMMIT", err))
            return FALSE;
        break;
    case WHARF_LOCK_INSTANCE:
    case WHARF_LOCK_FTWRL:
        if (!lock_exec(s, "FLUSH TABLES WITH READ LOCK", err))
            return FALSE;
        break;
    default:
        break;
    }
    gint64 t1 = g_get_monotonic_time();
    /* Commits are blocked (except with --lock none): every session's read
     * view now sees the same committed state. */
    gboolean ok = run_parallel(s, STEP_START, (guint)s->threads, err);
    if (ok)
        read_position(s, s->lock_conn ? s->lock_conn : ((wharf_snap_session *)s->sessions->pdata[0])->conn);
    switch (s->method) {
    case WHARF_LOCK_BACKUP_STAGE:
        ok = lock_exec(s, "BACKUP STAGE END", ok ? err : NULL) && ok;
        break;
    case WHARF_LOCK_INSTANCE:
    case WHARF_LOCK_FTWRL:
        ok = lock_exec(s, "UNLOCK TABLES", ok ? err : NULL) && ok;
        break;
    default:
        break;
    }
    gint64 t2 = g_get_monotonic_time();
    s->commit_block_ms = s->method == WHARF_LOCK_NONE ? 0 : (t2 - t1 + 999) / 1000;
    s->consistent = s->method != WHARF_LOCK_NONE;
    if (!ok)
        return FALSE;
    WLOG_DEBUG("snapshot: %u sessions opened, commits blocked %" G_GINT64_FORMAT
               " ms (lock taken in %" G_GINT64_FORMAT " ms)",
               n_sessions, s->commit_block_ms, (t1 - t0) / 1000);
    /* Re-take the DDL lock for the rest of the dump. */
    if (s->method == WHARF_LOCK_BACKUP_STAGE && s->ddl_lock) {
        if (!lock_exec(s, "BACKUP STAGE START", err) || !lock_exec(s, "BACKUP STAGE BLOCK_DDL", err))
            return FALSE;
    } else if (s->method == WHARF_LOCK_INSTANCE && !s->ddl_lock) {
        if (!lock_exec(s, "UNLOCK INSTANCE", err))
            return FALSE;
    }
    return TRUE;
}

wharf_snap_session *wharf_snapshot_acquire(wharf_snapshot *s)
{
    wharf_snap_session *ss = NULL;
    g_mutex_lock(&s->lock);
    if (s->next_session < s->sessions->len)
        ss = s->sessions->pdata[s->next_session++];
    g_mutex_unlock(&s->lock);
    return ss;
}

gboolean wharf_snapshot_release(wharf_snapshot *s, wharf_snap_session *ss, GError **err)
{
    gboolean ok = TRUE;
    if (ss->conn) {
        ok = wharf_conn_exec(ss->conn, "COMMIT", err);
        wharf_conn_close(ss->conn);
        ss->conn = NULL;
    }
    return ok;
}

void wharf_snapshot_discard(wharf_snapshot *s, wharf_snap_session *ss)
{
    wharf_conn_close(ss->conn);
    ss->conn = NULL;
}

guint wharf_snapshot_unused(wharf_snapshot *s)
{
    g_mutex_lock(&s->lock);
    guint n = s->sessions->len - s->next_session;
    g_mutex_unlock(&s->lock);
    return n;
}

gboolean wharf_snapshot_check_lock(wharf_snapshot *s, GError **err)
{
    gboolean held = s->ddl_lock &&
                    (s->method == WHARF_LOCK_BACKUP_STAGE || s->method == WHARF_LOCK_INSTANCE);
    if (!held || s->lock_conn == NULL)
        return TRUE;
    if (!wharf_conn_exec(s->lock_conn, "DO 0", err)) {
        wharf_error_prefix(err, "the DDL lock (--lock %s) was lost during the dump, so a DDL may"
                                " have changed a table after its schema was read; dump again",
                           wharf_lock_name(s->method));
        return FALSE;
    }
    return TRUE;
}

void wharf_snapshot_release_locks(wharf_snapshot *s)
{
    if (s->lock_conn) {
        if (s->method == WHARF_LOCK_BACKUP_STAGE)
            wharf_conn_exec(s->lock_conn, "BACKUP STAGE END", NULL);
        else if (s->method == WHARF_LOCK_INSTANCE && s->ddl_lock)
            wharf_conn_exec(s->lock_conn, "UNLOCK INSTANCE", NULL);
        g_atomic_pointer_set(&s->lock_conn_id, 0);
        wharf_conn_close(s->lock_conn);
        s->lock_conn = NULL;
    }
}

gulong wharf_snapshot_lock_conn_id(wharf_snapshot *s)
{
    return (gulong)g_atomic_pointer_get(&s->lock_conn_id);
}

void wharf_snapshot_finish(wharf_snapshot *s)
{
    wharf_snapshot_release_locks(s);
    for (guint i = 0; i < s->sessions->len; i++) {
        wharf_snap_session *ss = s->sessions->pdata[i];
        wharf_conn_close(ss->conn);
        g_hash_table_destroy(ss->touched);
        g_free(ss);
    }
    g_ptr_array_set_size(s->sessions, 0);
    g_ptr_array_unref(s->sessions);
    s->sessions = NULL;
    g_free(s->binlog_file);
    g_free(s->gtid);
    s->binlog_file = s->gtid = NULL;
    g_clear_pointer(&s->gtid_current, g_free);
    g_clear_pointer(&s->galera_position, g_free);
    g_clear_pointer(&s->upstream_host, g_free);
    g_clear_pointer(&s->upstream_file, g_free);
    g_clear_pointer(&s->upstream_gtid, g_free);
    g_mutex_clear(&s->lock);
}
