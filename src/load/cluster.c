/* cluster: a load into a Galera node (contract in cluster.h). */
#include "load/cluster.h"

#include "core/console.h"
#include "core/error.h"
#include "load/ddl.h"

#include <string.h>

/* Rows of a chunk's transaction that are wharf's own: the --resume marker
 * and the part row. */
#define OWN_ROWS 2

/* Every table whose engine the cluster would not replicate, named. */
static gboolean check_engines(const wharf_load_ctx *ctx, GError **err)
{
    GString *bad = g_string_new(NULL);
    guint n = 0;
    const wharf_load_plan *p = ctx->plan;
    for (guint i = 0; i < p->dbs->len; i++) {
        const wharf_load_db *d = p->dbs->pdata[i];
        for (guint j = 0; j < d->tables->len; j++) {
            const wharf_load_table *t = d->tables->pdata[j];
            const char *engine = t->engine ? t->engine : t->meta ? t->meta->engine : NULL;
            if (t->view_path || engine == NULL || g_ascii_strcasecmp(engine, "SEQUENCE") == 0 ||
                wharf_galera_replicates(&ctx->galera, engine))
                continue;
            if (n++ < 20)
                g_string_append_printf(bad, "%s%s (%s)", bad->len ? ", " : "", t->display, engine);
        }
    }
    if (n > 20)
        g_string_append_printf(bad, " and %u more", n - 20);
    gboolean ok = n == 0;
    if (!ok)
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_UNSUPPORTED,
                    "the target is a Galera node, which replicates InnoDB tables only (MyISAM and Aria with"
                    " wsrep_mode REPLICATE_MYISAM / REPLICATE_ARIA, now '%s'): the rows of %u table(s) would"
                    " reach this node only: %s; convert them to InnoDB on the source, or load them elsewhere"
                    " (-x / --exclude)",
                    ctx->galera.mode, n, bad->str);
    g_string_free(bad, TRUE);
    return ok;
}

static void add_session_settings(wharf_load_ctx *ctx)
{
    GString *s = g_string_new(ctx->session_sql);
    gint64 frag = ctx->galera.max_ws_size / 2;
    if (frag >= 1024)
        g_string_append_printf(s, ", wsrep_trx_fragment_unit='bytes', wsrep_trx_fragment_size=%" G_GINT64_FORMAT, frag);
    g_string_append(s, ", wsrep_sync_wait=1");
    g_free(ctx->session_sql);
    ctx->session_sql = g_string_free(s, FALSE);
}

gboolean wharf_cluster_setup(wharf_load_ctx *ctx, MYSQL *m, GError **err)
{
    if (!wharf_galera_probe(m, &ctx->galera, err)) {
        wharf_error_prefix(err, "reading the target's wsrep state");
        return FALSE;
    }
    const wharf_galera *g = &ctx->galera;
    if (!g->on)
        return TRUE;
    if (!g->ready) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED,
                    "the target is a Galera node that is not ready (wsrep_ready OFF, state %s): load into a synced node",
                    g->state);
        return FALSE;
    }
    WLOG_INFO("the target is a node of a Galera cluster of %" G_GINT64_FORMAT " (state %s, wsrep_max_ws_rows %"
              G_GINT64_FORMAT ", wsrep_max_ws_size %" G_GINT64_FORMAT "): schema changes one at a time%s",
              g->cluster_size, g->state, g->max_ws_rows, g->max_ws_size,
              g->max_ws_rows > 0 ? ", chunks committed in parts under the row limit" : "");
    if (strcmp(g->state, "Synced") != 0)
        WLOG_WARN("the target Galera node is %s, not Synced: it may refuse queries (ERROR 1047, retried) or lag",
                  g->state);
    if (!ctx->o->no_schema && !check_engines(ctx, err))
        return FALSE;
    if (g->max_ws_rows > 0)
        ctx->part_rows = MAX(g->max_ws_rows - OWN_ROWS, 1);
    add_session_settings(ctx);
    return TRUE;
}

/* The number after a word (" cache 1000"), at its start in text. */
static const char *find_word(const char *text, size_t len, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++)
        if ((i == 0 || text[i - 1] == ' ') && g_ascii_strncasecmp(text + i, word, n) == 0 &&
            (i + n == len || text[i + n] == ' '))
            return text + i;
    return NULL;
}

char *wharf_cluster_sequence_ddl(const wharf_load_ctx *ctx, const wharf_load_table *t, const char *stmt, size_t len)
{
    if (!ctx->galera.on || !wharf_ddl_starts_with(stmt, len, "CREATE") ||
        find_word(stmt, MIN(len, 64), "SEQUENCE") == NULL)
        return NULL;
    const char *inc = find_word(stmt, len, "increment by");
    if (inc && strtoll(inc + 13, NULL, 10) == 0)
        return NULL; /* INCREMENT BY 0 may cache */
    const char *c = find_word(stmt, len, "cache");
    if (c == NULL)
        return NULL;
    const char *num = c + 6, *end = num;
    while (end < stmt + len && g_ascii_isdigit(*end))
        end++;
    if (end == num || strtoll(num, NULL, 10) == 0)
        return NULL;
    WLOG_WARN("%s: created NOCACHE instead of CACHE %.*s (a Galera cluster refuses a cached sequence unless"
              " INCREMENT BY 0, ERROR 1235); its values are the same, only handed out one at a time",
              t->display, (int)(end - num), num);
    return g_strdup_printf("%.*snocache%.*s", (int)(c - stmt), stmt, (int)(stmt + len - end), end);
}

enum { GATE_NONE, GATE_DATA, GATE_DDL, GATE_DDL_ALONE };

/* A data job (rows in an open transaction); a schema job that locks only
 * its own new object (CREATE DATABASE, CREATE TABLE of a table without
 * foreign keys, not replacing an existing one, whose chunks have not
 * started: no chunk can hold a lock it needs); or any other schema job,
 * which must run alone. */
static int gate_side(const wharf_load_ctx *ctx, int kind, const void *payload)
{
    if (!ctx->galera.on)
        return GATE_NONE;
    switch ((wharf_load_job_kind)kind) {
    case WHARF_LJ_CHUNK: case WHARF_LJ_VERIFY:
        return GATE_DATA;
    case WHARF_LJ_PROBLEM: case WHARF_LJ_BARRIER:
        return GATE_NONE;
    case WHARF_LJ_DATABASE:
        return GATE_DDL;
    case WHARF_LJ_TABLE: {
        const wharf_load_table *t = payload; /* an existing one is dropped: a child's chunk may lock it */
        return t->has_fks || t->existing != WHARF_EXISTING_NONE ? GATE_DDL_ALONE : GATE_DDL;
    }
    default:
        return GATE_DDL_ALONE;
    }
}

/* Gate state machine, under gate_lock (gate_ddl: the one schema job
 * inside; gate_alone: it runs alone):
 *   data enters while no schema job runs alone or waits to (gate_data++);
 *   a schema job enters when no other is inside (gate_ddl); one that must
 *   run alone then also waits for gate_data == 0, new data waiting behind
 *   it (gate_alone). Each wait ends when what it waits for leaves: every
 *   holder runs one statement or one chunk, each bounded, and killed when
 *   the run stops. */
#define GATE_SAY_MS 10000 /* a wait longer than this says what it waits for, and again each time */

/* One wait on the gate's condition (gate_lock held); every GATE_SAY_MS it
 * names the job and what it waits for. */
static void gate_wait(wharf_load_ctx *ctx, const char *name, const char *what, gint64 *since)
{
    gint64 now = g_get_monotonic_time();
    if (*since == 0)
        *since = now;
    gint64 say = *since + ((now - *since) / (GATE_SAY_MS * 1000) + 1) * GATE_SAY_MS * 1000;
    if (!g_cond_wait_until(&ctx->gate_cond, &ctx->gate_lock, say))
        WLOG_INFO("%s: waiting %" G_GINT64_FORMAT " s for %s (a Galera cluster: schema changes run apart from"
                  " open chunks)", name, (g_get_monotonic_time() - *since) / G_USEC_PER_SEC, what);
}

gboolean wharf_cluster_enter(wharf_load_ctx *ctx, int kind, const void *payload, const char *name, GError **err)
{
    int side = gate_side(ctx, kind, payload);
    if (side == GATE_NONE)
        return TRUE;
    gint64 since = 0;
    g_mutex_lock(&ctx->gate_lock);
    if (side == GATE_DATA) {
        while (ctx->gate_alone)
            gate_wait(ctx, name, "a schema change to end", &since);
        ctx->gate_data++;
    } else {
        while (ctx->gate_ddl)
            gate_wait(ctx, name, "another schema change to end", &since);
        ctx->gate_ddl = TRUE;
        ctx->gate_alone = side == GATE_DDL_ALONE;
        while (ctx->gate_alone && ctx->gate_data > 0)
            gate_wait(ctx, name, "the running chunks to end", &since);
    }
    g_mutex_unlock(&ctx->gate_lock);
    if (wharf_run_stopping(ctx->run)) { /* it stopped while this job waited */
        wharf_cluster_leave(ctx, kind, payload);
        wharf_set_cancelled(err, "load");
        return FALSE;
    }
    return TRUE;
}

void wharf_cluster_leave(wharf_load_ctx *ctx, int kind, const void *payload)
{
    int side = gate_side(ctx, kind, payload);
    if (side == GATE_NONE)
        return;
    g_mutex_lock(&ctx->gate_lock);
    if (side == GATE_DATA) {
        g_assert(ctx->gate_data > 0); /* gate_alone may be set: its DDL waits for this one */
        ctx->gate_data--;
    } else {
        g_assert(ctx->gate_ddl && ctx->gate_alone == (side == GATE_DDL_ALONE));
        ctx->gate_ddl = FALSE;
        ctx->gate_alone = FALSE;
    }
    g_cond_broadcast(&ctx->gate_cond);
    g_mutex_unlock(&ctx->gate_lock);
}
