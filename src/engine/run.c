/* run: stop state, busy slots, signals and KILL QUERY (contract in run.h). */
#include "engine/run.h"

#include "core/console.h"
#include "core/error.h"
#include "core/sigwatch.h"

#include <signal.h>
#include <string.h>
#include <sys/socket.h>

#define KILL_ROUND_MS 200
#define KILL_GIVE_UP_MS 10000
#define MAX_LISTENERS 8

typedef struct slot {
    gulong id;           /* thread id of the running statement, 0 = none */
    guint node;          /* of the connection options' nodes */
    int fd;              /* its socket, -1 = unknown */
    wharf_run_id_fn get; /* or: read at each kill round */
    void *get_data;
} slot;

typedef struct listener {
    wharf_run_stop_fn fn;
    void *data;
} listener;

struct wharf_run {
    /* Read-only after wharf_run_new / before the threads start. */
    const char *what;
    const wharf_conn_opts *conn;
    guint n_slots;
    wharf_sigwatch *sig;
    /* lock guards everything below. */
    GMutex lock;
    listener listeners[MAX_LISTENERS];
    guint n_listeners;
    guint calling;       /* stops calling listeners now (off_stop waits for 0) */
    GCond cond;          /* the run stops; kill rounds and backoffs wait on it */
    gboolean stopping;
    int interrupted;
    slot *slots;
    volatile gint64 retries; /* atomic */
};

wharf_run *wharf_run_new(const char *what, const wharf_conn_opts *conn, guint n_slots)
{
    wharf_run *r = g_new0(wharf_run, 1);
    r->what = what;
    r->conn = conn;
    r->n_slots = n_slots;
    r->slots = g_new0(slot, MAX(n_slots, 1));
    for (guint i = 0; i < MAX(n_slots, 1); i++)
        r->slots[i].fd = -1;
    g_mutex_init(&r->lock);
    g_cond_init(&r->cond);
    return r;
}

void wharf_run_free(wharf_run *r)
{
    if (r == NULL)
        return;
    wharf_run_unwatch_signals(r);
    g_free(r->slots);
    g_mutex_clear(&r->lock);
    g_cond_clear(&r->cond);
    g_free(r);
}

void wharf_run_on_stop(wharf_run *r, wharf_run_stop_fn fn, void *data)
{
    g_mutex_lock(&r->lock);
    g_assert(r->n_listeners < MAX_LISTENERS);
    r->listeners[r->n_listeners++] = (listener){fn, data};
    g_mutex_unlock(&r->lock);
}

/* After it returns, fn is not running and will not be called: a stop
 * that copied the listeners before the removal is waited for (its data
 * may be about to go). Never called from a listener of the same run. */
void wharf_run_off_stop(wharf_run *r, wharf_run_stop_fn fn, void *data)
{
    g_mutex_lock(&r->lock);
    for (guint i = 0; i < r->n_listeners; i++)
        if (r->listeners[i].fn == fn && r->listeners[i].data == data) {
            r->listeners[i] = r->listeners[--r->n_listeners];
            break;
        }
    while (r->calling > 0)
        g_cond_wait(&r->cond, &r->lock);
    g_mutex_unlock(&r->lock);
}

/* TRUE for the call that stopped the run. */
static gboolean stop_once(wharf_run *r, int signo)
{
    g_mutex_lock(&r->lock);
    gboolean first = !r->stopping;
    r->stopping = TRUE;
    if (signo && r->interrupted == 0)
        r->interrupted = signo;
    g_cond_broadcast(&r->cond);
    listener ls[MAX_LISTENERS];
    guint n = first ? r->n_listeners : 0;
    memcpy(ls, r->listeners, n * sizeof *ls);
    r->calling += n > 0;
    g_mutex_unlock(&r->lock);
    for (guint i = 0; i < n; i++)
        ls[i].fn(ls[i].data);
    if (n > 0) {
        g_mutex_lock(&r->lock);
        r->calling--;
        g_cond_broadcast(&r->cond);
        g_mutex_unlock(&r->lock);
    }
    return first;
}

void wharf_run_stop(wharf_run *r)
{
    stop_once(r, 0);
}

gboolean wharf_run_stopping(wharf_run *r)
{
    g_mutex_lock(&r->lock);
    gboolean s = r->stopping;
    g_mutex_unlock(&r->lock);
    return s;
}

int wharf_run_interrupted(wharf_run *r)
{
    g_mutex_lock(&r->lock);
    int s = r->interrupted;
    g_mutex_unlock(&r->lock);
    return s;
}

void wharf_set_cancelled(GError **err, const char *what)
{
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_CANCELLED, "the %s is stopping", what);
}

gboolean wharf_run_busy_begin(wharf_run *r, guint slot_i, MYSQL *m, GError **err)
{
    g_assert(slot_i < r->n_slots);
    guint node = r->conn ? wharf_conn_node_of(r->conn, m) : 0;
    int fd = (int)mysql_get_socket(m);
    g_mutex_lock(&r->lock);
    gboolean go = !r->stopping;
    if (go) {
        r->slots[slot_i].id = mysql_thread_id(m);
        r->slots[slot_i].node = node;
        r->slots[slot_i].fd = fd;
    }
    g_mutex_unlock(&r->lock);
    if (!go)
        wharf_set_cancelled(err, r->what);
    return go;
}

void wharf_run_busy_end(wharf_run *r, guint slot_i)
{
    g_assert(slot_i < r->n_slots);
    g_mutex_lock(&r->lock);
    r->slots[slot_i].id = 0;
    r->slots[slot_i].fd = -1;
    g_mutex_unlock(&r->lock);
}

void wharf_run_busy_getter(wharf_run *r, guint slot_i, wharf_run_id_fn get, void *data)
{
    g_assert(slot_i < r->n_slots);
    g_mutex_lock(&r->lock);
    r->slots[slot_i].get = get;
    r->slots[slot_i].get_data = data;
    g_mutex_unlock(&r->lock);
}

gboolean wharf_run_backoff(wharf_run *r, gint64 delay_ms)
{
    gint64 end = g_get_monotonic_time() + delay_ms * G_TIME_SPAN_MILLISECOND;
    g_mutex_lock(&r->lock);
    while (!r->stopping && g_cond_wait_until(&r->cond, &r->lock, end))
        ;
    gboolean go_on = !r->stopping;
    g_mutex_unlock(&r->lock);
    return go_on;
}

void wharf_run_count_retry(wharf_run *r)
{
    wharf_counter_add(&r->retries, 1);
}

gint64 wharf_run_retries(wharf_run *r)
{
    return wharf_counter_get(&r->retries);
}

/* --- interruption (on the signal watcher thread) ------------------------- */

static void busy_ids(wharf_run *r, GArray *ids)
{
    g_array_set_size(ids, 0);
    g_mutex_lock(&r->lock);
    for (guint i = 0; i < r->n_slots; i++) {
        wharf_conn_thread t = {r->slots[i].get ? r->slots[i].get(r->slots[i].get_data) : r->slots[i].id,
                               r->slots[i].node};
        if (t.id)
            g_array_append_val(ids, t);
    }
    g_mutex_unlock(&r->lock);
}

/* Statements a KILL did not end (a Galera node can leave one waiting in
 * isolation, killed, for ever): their connections are cut, so that their
 * workers see a lost connection and the stop completes. */
static void cut_busy(wharf_run *r)
{
    g_mutex_lock(&r->lock);
    for (guint i = 0; i < r->n_slots; i++)
        if (r->slots[i].id && r->slots[i].fd >= 0) {
            WLOG_WARN("%s: statement of server thread %lu still running %d s after its KILL QUERY: its connection is"
                      " cut", r->what, r->slots[i].id, KILL_GIVE_UP_MS / 1000);
            shutdown(r->slots[i].fd, SHUT_RDWR);
        }
    g_mutex_unlock(&r->lock);
}

static void kill_busy(wharf_run *r)
{
    guint n_sides = r->conn ? wharf_conn_nodes(r->conn) : 1;
    MYSQL **sides = g_new0(MYSQL *, n_sides);
    gint64 give_up = g_get_monotonic_time() + KILL_GIVE_UP_MS * G_TIME_SPAN_MILLISECOND;
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(wharf_conn_thread));
    for (;;) {
        busy_ids(r, ids);
        if (ids->len == 0 || g_get_monotonic_time() > give_up)
            break;
        if (!wharf_conn_kill_queries(r->conn, sides, ids) && n_sides == 1)
            break;
        gint64 next = g_get_monotonic_time() + KILL_ROUND_MS * G_TIME_SPAN_MILLISECOND;
        g_mutex_lock(&r->lock);
        while (g_cond_wait_until(&r->cond, &r->lock, next))
            ; /* woken by another stop broadcast: still wait the round out */
        g_mutex_unlock(&r->lock);
    }
    if (ids->len > 0)
        cut_busy(r);
    g_array_free(ids, TRUE);
    for (guint i = 0; i < n_sides; i++)
        wharf_conn_close(sides[i]);
    g_free(sides);
}

void wharf_run_interrupt(wharf_run *r, int signo)
{
    if (wharf_run_interrupted(r) != 0)
        return;
    WLOG_WARN("%s: stopping the %s: no new work starts, running statements are killed",
              signo == SIGINT ? "SIGINT" : signo == SIGTERM ? "SIGTERM" : "signal", r->what);
    stop_once(r, signo);
    kill_busy(r);
}

static void on_signal(int signo, gpointer data)
{
    wharf_run_interrupt(data, signo);
}

gboolean wharf_run_watch_signals(wharf_run *r, GError **err)
{
    g_assert(r->sig == NULL);
    r->sig = wharf_sigwatch_start(on_signal, r, err);
    return r->sig != NULL;
}

void wharf_run_unwatch_signals(wharf_run *r)
{
    wharf_sigwatch_stop(r->sig);
    r->sig = NULL;
}
