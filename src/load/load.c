/* load: `wharf load`, the driver (contract in load.h).
 *
 *   options -> plan (one readdir + metadata) -> target check (--if-exists,
 *   bulk information_schema queries, before anything changes) -> job graph
 *   -> scheduler with N workers (restore.c) -> summary + exit status.
 *
 * Threads: the main thread plans, checks and waits in wharf_sched_run();
 * workers run jobs; the reporter thread draws the progress line.
 */
#include "load/load.h"

#include "core/cli.h"
#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"
#include "core/sigwatch.h"
#include "format/splitter.h"
#include "load/ddl.h"
#include "load/journal.h"
#include "load/plan.h"
#include "load/restore.h"
#include "load/scheduler.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

/* --- options ------------------------------------------------------------- */

typedef struct raw_opts {
    char *dbs, *tables, *regex, *exclude, *if_exists, *defer, *load_data, *verify;
    gboolean help;
} raw_opts;

static void raw_clear(raw_opts *r)
{
    g_free(r->dbs);
    g_free(r->tables);
    g_free(r->regex);
    g_free(r->exclude);
    g_free(r->if_exists);
    g_free(r->defer);
    g_free(r->load_data);
    g_free(r->verify);
    memset(r, 0, sizeof *r);
}

void wharf_load_opts_clear(wharf_load_opts *o)
{
    wharf_conn_opts_clear(&o->common.conn);
    g_free(o->common.log_file);
    g_free(o->dir);
    g_strfreev(o->databases);
    g_strfreev(o->tables);
    if (o->regex)
        g_regex_unref(o->regex);
    g_strfreev(o->exclude);
    g_free(o->into);
    g_free(o->resume);
    memset(o, 0, sizeof *o);
}

/* An auto|on|off option (NULL = auto): 0, 1 or 2, the order of wharf_defer
 * and wharf_load_data. */
static gboolean auto_on_off(const char *opt, const char *v, int *out, GError **err)
{
    static const char *const words[] = {"auto", "on", "off"};
    for (int i = 0; i < 3; i++)
        if (strcmp(v ? v : "auto", words[i]) == 0) {
            *out = i;
            return TRUE;
        }
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "%s must be auto, on or off, not '%s'", opt, v);
    return FALSE;
}

/* --verify=count|content|none; --no-verify is --verify=none. */
static gboolean verify_mode(wharf_load_opts *o, const char *v, GError **err)
{
    if (v == NULL || strcmp(v, "count") == 0) {
        o->verify = o->no_verify ? WHARF_VERIFY_NONE : WHARF_VERIFY_COUNT;
    } else if (strcmp(v, "content") == 0) {
        o->verify = WHARF_VERIFY_CONTENT;
    } else if (strcmp(v, "none") == 0) {
        o->verify = WHARF_VERIFY_NONE;
    } else {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--verify must be count, content or none, not '%s'", v);
        return FALSE;
    }
    if (v != NULL && o->no_verify && o->verify != WHARF_VERIFY_NONE) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--no-verify contradicts --verify=%s", v);
        return FALSE;
    }
    if (o->verify == WHARF_VERIFY_CONTENT && o->no_data) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--verify=content with --no-data: no rows to verify");
        return FALSE;
    }
    if (o->verify == WHARF_VERIFY_CONTENT && o->if_exists == WHARF_IF_EXISTS_APPEND) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                    "--verify=content with --if-exists append: the tables kept their own rows too");
        return FALSE;
    }
    o->no_verify = o->verify == WHARF_VERIFY_NONE;
    return TRUE;
}

static gboolean finish_opts(wharf_load_opts *o, raw_opts *r, char **rest, GError **err)
{
    if (rest && rest[0]) {
        if (o->dir == NULL && rest[1] == NULL) {
            o->dir = g_strdup(rest[0]);
        } else {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "unexpected argument '%s'", rest[0]);
            return FALSE;
        }
    }
    if (o->dir == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "no dump directory: use -d DIR");
        return FALSE;
    }
    if (o->no_data && o->no_schema) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--no-data and --no-schema together load nothing");
        return FALSE;
    }
    if (o->into && *o->into == '\0') {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--into needs a database name");
        return FALSE;
    }
    o->databases = wharf_cli_split_list(r->dbs);
    o->tables = wharf_cli_split_list(r->tables);
    if (o->tables) {
        for (char **t = o->tables; *t; t++) {
            if (strchr(*t, '.') == NULL) {
                g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "-T wants db.table, not '%s'", *t);
                return FALSE;
            }
        }
    }
    if (r->regex && (o->regex = g_regex_new(r->regex, 0, 0, err)) == NULL) {
        wharf_error_prefix(err, "-x");
        if (*err)
            (*err)->domain = WHARF_ERROR, (*err)->code = WHARF_ERROR_USAGE;
        return FALSE;
    }
    o->exclude = wharf_cli_split_list(r->exclude);
    const char *ie = r->if_exists ? r->if_exists : "fail";
    if (strcmp(ie, "fail") == 0)
        o->if_exists = WHARF_IF_EXISTS_FAIL;
    else if (strcmp(ie, "drop") == 0)
        o->if_exists = WHARF_IF_EXISTS_DROP;
    else if (strcmp(ie, "truncate") == 0)
        o->if_exists = WHARF_IF_EXISTS_TRUNCATE;
    else if (strcmp(ie, "append") == 0)
        o->if_exists = WHARF_IF_EXISTS_APPEND;
    else {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                    "--if-exists must be fail, drop, truncate or append, not '%s'", ie);
        return FALSE;
    }
    int df, ld;
    if (!auto_on_off("--defer-indexes", r->defer, &df, err) || !auto_on_off("--load-data", r->load_data, &ld, err))
        return FALSE;
    o->defer = (wharf_defer)df;
    o->load_data = (wharf_load_data)ld;
    if (!verify_mode(o, r->verify, err))
        return FALSE;
    return wharf_cli_finish(&o->common, err);
}

/* --- the target check (--if-exists) -------------------------------------- */

static char *in_list_sql(const wharf_load_plan *p)
{
    GString *s = g_string_new("(");
    for (guint i = 0; i < p->dbs->len; i++) {
        const wharf_load_db *d = p->dbs->pdata[i];
        char *q = wharf_quote_string(d->target);
        g_string_append_printf(s, "%s%s", i ? "," : "", q);
        g_free(q);
    }
    g_string_append_c(s, ')');
    return g_string_free(s, FALSE);
}

static wharf_load_db *db_by_target(const wharf_load_plan *p, const char *target)
{
    for (guint i = 0; i < p->dbs->len; i++) {
        wharf_load_db *d = p->dbs->pdata[i];
        if (strcmp(d->target, target) == 0)
            return d;
    }
    return NULL;
}

/* Routine/event names created by a post file: "PROCEDURE\x1fname" ... */
static GHashTable *post_names(const wharf_load_plan *p, const char *path, GError **err)
{
    wharf_reader *r = wharf_reader_open(path, err);
    if (r == NULL)
        return NULL;
    GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    wharf_splitter *sp = wharf_load_plan_splitter(p, r, 0);
    const char *stmt;
    size_t len;
    int rc;
    while ((rc = wharf_splitter_next(sp, &stmt, &len, err)) == 1) {
        char *db = NULL, *name = NULL;
        wharf_ddl_kind k = wharf_ddl_object(stmt, len, &db, &name);
        if (k != WHARF_DDL_OTHER)
            g_hash_table_add(h, g_strdup_printf("%s\x1f%s", wharf_ddl_kind_keyword(k), name));
        g_free(db);
        g_free(name);
    }
    wharf_splitter_free(sp);
    wharf_reader_close(r);
    if (rc < 0) {
        g_hash_table_unref(h);
        return NULL;
    }
    return h;
}

/* One bulk query per catalog table, for all databases at once: marks the
 * planned objects that exist, and with --if-exists=fail refuses to start. */
static gboolean check_target(MYSQL *m, const wharf_load_opts *o, wharf_load_plan *p,
                             const wharf_journal *journal, GError **err)
{
    if (p->dbs->len == 0)
        return TRUE;
    GPtrArray *conflicts = g_ptr_array_new_with_free_func(g_free);
    char *in = in_list_sql(p);
    char *q = g_strdup_printf("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
                              "WHERE TABLE_SCHEMA IN %s ORDER BY 1, 2", in);
    MYSQL_RES *res = wharf_conn_query(m, q, err);
    g_free(q);
    gboolean ok = res != NULL;
    MYSQL_ROW row;
    while (res && (row = mysql_fetch_row(res)) != NULL) {
        wharf_load_db *d = db_by_target(p, row[0]);
        if (d == NULL)
            continue;
        char *k = g_strconcat(d->name, "\x1f", row[1], NULL);
        wharf_load_table *t = g_hash_table_lookup(p->table_by_key, k);
        g_free(k);
        if (t == NULL)
            continue;
        char *job = wharf_load_job_key(t->view_path ? WHARF_LJ_VIEW : WHARF_LJ_TABLE, t);
        gboolean ours = wharf_journal_done(journal, job);
        g_free(job);
        if (ours)
            continue; /* created by the run this one resumes */
        if (wharf_journal_resumed(journal)) {
            /* not journaled, but there: the run this one resumes created it
             * (its own --if-exists check passed before it changed anything)
             * and died before recording it: it is replaced */
            t->existing = row[2] && strcmp(row[2], "VIEW") == 0 ? WHARF_EXISTING_VIEW : WHARF_EXISTING_TABLE;
            continue;
        }
        t->existing = row[2] && strcmp(row[2], "VIEW") == 0 ? WHARF_EXISTING_VIEW : WHARF_EXISTING_TABLE;
        g_ptr_array_add(conflicts, g_strdup_printf("%s %s.%s",
                                                   t->existing == WHARF_EXISTING_VIEW ? "view" : "table",
                                                   row[0], row[1]));
    }
    if (res)
        mysql_free_result(res);
    if (ok && o->if_exists == WHARF_IF_EXISTS_FAIL && !o->tables) {
        /* Routines and events: read the post files only for databases that
         * have some already. */
        static const char *const queries[] = {
            "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES "
            "WHERE ROUTINE_SCHEMA IN %s ORDER BY 1, 2",
            "SELECT EVENT_SCHEMA, EVENT_NAME, 'EVENT' FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN %s ORDER BY 1, 2",
        };
        GHashTable *names_by_db = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify)g_hash_table_unref);
        for (size_t qi = 0; ok && qi < G_N_ELEMENTS(queries); qi++) {
            if ((qi == 0 && o->no_schema) || (qi == 1 && o->no_data))
                continue;
            q = g_strdup_printf(queries[qi], in);
            res = wharf_conn_query(m, q, err);
            g_free(q);
            if (res == NULL) {
                ok = FALSE;
                break;
            }
            while ((row = mysql_fetch_row(res)) != NULL) {
                wharf_load_db *d = db_by_target(p, row[0]);
                if (d == NULL || d->post_path == NULL)
                    continue;
                char *job = wharf_load_job_key(qi == 0 ? WHARF_LJ_ROUTINES : WHARF_LJ_EVENTS, d);
                gboolean ours = wharf_journal_done(journal, job);
                g_free(job);
                if (ours || journal)
                    continue; /* a resumed run replaces them */
                GHashTable *names = g_hash_table_lookup(names_by_db, d);
                if (names == NULL) {
                    GError *e = NULL;
                    names = post_names(p, d->post_path, &e);
                    if (names == NULL) {
                        /* The POST job reports the broken file. */
                        g_clear_error(&e);
                        names = g_hash_table_new(g_str_hash, g_str_equal);
                    }
                    g_hash_table_insert(names_by_db, d, names);
                }
                char *k = g_strdup_printf("%s\x1f%s", row[2], row[1]);
                if (g_hash_table_contains(names, k)) {
                    char *kind = g_ascii_strdown(row[2], -1);
                    g_ptr_array_add(conflicts, g_strdup_printf("%s %s.%s", kind, row[0], row[1]));
                    g_free(kind);
                }
                g_free(k);
            }
            mysql_free_result(res);
        }
        g_hash_table_unref(names_by_db);
    }
    g_free(in);
    if (ok && o->if_exists == WHARF_IF_EXISTS_FAIL && conflicts->len > 0 && !o->no_schema) {
        GString *s = g_string_new(NULL);
        for (guint i = 0; i < conflicts->len && i < 20; i++)
            g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)conflicts->pdata[i]);
        if (conflicts->len > 20)
            g_string_append_printf(s, " and %u more", conflicts->len - 20);
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_EXISTS,
                    "%u object(s) of the dump already exist in the server: %s; nothing was changed "
                    "(--if-exists=drop|truncate|append to load anyway)",
                    conflicts->len, s->str);
        g_string_free(s, TRUE);
        ok = FALSE;
    }
    g_ptr_array_free(conflicts, TRUE);
    return ok;
}

/* --- run ----------------------------------------------------------------- */

static void on_final(void *pctx, wharf_job *job)
{
    wharf_load_ctx *ctx = pctx;
    int kind = wharf_job_kind(job);
    wharf_job_state st = wharf_job_state_get(job);
    if (kind == WHARF_LJ_TABLE_DONE || (kind == WHARF_LJ_TABLE && ctx->o->no_data))
        wharf_counter_add(&ctx->progress.objects_done, 1);
    if (st == WHARF_JOB_FAILED)
        WLOG_ERR("%s", wharf_job_reason(job));
    else if (st == WHARF_JOB_SKIPPED)
        WLOG_DEBUG("%s skipped: %s", wharf_job_name(job), wharf_job_reason(job));
}

static guint count(wharf_sched *s, int kind, wharf_job_state st, guint *total)
{
    guint n = 0, t = 0;
    for (guint i = 0; i < wharf_sched_count(s); i++) {
        wharf_job *j = wharf_sched_job(s, i);
        if (wharf_job_kind(j) != kind)
            continue;
        t++;
        if (wharf_job_state_get(j) == st)
            n++;
    }
    if (total)
        *total = t;
    return n;
}

/* Print the summary; returns TRUE if everything requested was restored. */
static gboolean summary(wharf_load_ctx *ctx, double seconds)
{
    wharf_sched *s = ctx->sched;
    guint t_db, t_tab, t_view, t_chunk, t_ver;
    guint n_db = count(s, WHARF_LJ_DATABASE, WHARF_JOB_DONE, &t_db);
    guint n_tab = count(s, WHARF_LJ_TABLE, WHARF_JOB_DONE, &t_tab);
    guint n_view = count(s, WHARF_LJ_VIEW, WHARF_JOB_DONE, &t_view);
    guint n_chunk = count(s, WHARF_LJ_CHUNK, WHARF_JOB_DONE, &t_chunk);
    guint n_ver = count(s, WHARF_LJ_VERIFY, WHARF_JOB_DONE, &t_ver);
    guint failed = 0, skipped = 0;
    for (guint i = 0; i < wharf_sched_count(s); i++) {
        wharf_job_state st = wharf_job_state_get(wharf_sched_job(s, i));
        failed += st == WHARF_JOB_FAILED;
        skipped += st == WHARF_JOB_SKIPPED;
    }
    char *bytes = wharf_format_bytes(wharf_counter_get(&ctx->bytes_loaded));
    char *dur = wharf_format_duration(seconds);
    gint64 rows = wharf_counter_get(&ctx->rows_loaded);
    WLOG_INFO("load summary: databases %u/%u, tables %u/%u, views %u/%u, triggers %" G_GINT64_FORMAT
              ", routines %" G_GINT64_FORMAT ", events %" G_GINT64_FORMAT,
              n_db, t_db, n_tab, t_tab, n_view, t_view, wharf_counter_get(&ctx->n_triggers),
              wharf_counter_get(&ctx->n_routines), wharf_counter_get(&ctx->n_events));
    WLOG_INFO("load summary: chunks %u/%u, rows %" G_GINT64_FORMAT ", %s in %s (%.0f rows/s), "
              "row counts verified %u/%u, retries %" G_GINT64_FORMAT ", resumed %" G_GINT64_FORMAT,
              n_chunk, t_chunk, rows, bytes, dur, seconds > 0 ? (double)rows / seconds : 0.0, n_ver, t_ver,
              wharf_counter_get(&ctx->n_retries), wharf_counter_get(&ctx->n_resumed));
    g_free(bytes);
    g_free(dur);
    if (failed + skipped > 0) {
        for (guint i = 0; i < wharf_sched_count(s); i++) {
            wharf_job *j = wharf_sched_job(s, i);
            wharf_job_state st = wharf_job_state_get(j);
            if (st == WHARF_JOB_FAILED)
                WLOG_ERR("FAILED  %s", wharf_job_reason(j));
        }
        guint listed = 0;
        for (guint i = 0; i < wharf_sched_count(s); i++) {
            wharf_job *j = wharf_sched_job(s, i);
            if (wharf_job_state_get(j) == WHARF_JOB_SKIPPED && listed++ < 50)
                WLOG_ERR("SKIPPED %s: %s", wharf_job_name(j), wharf_job_reason(j));
        }
        if (listed > 50)
            WLOG_ERR("SKIPPED ... and %u more", listed - 50);
        WLOG_ERR("load incomplete: %u job(s) failed, %u skipped", failed, skipped);
        return FALSE;
    }
    /* say what was checked, never more */
    WLOG_INFO("load complete: everything requested was restored%s",
              ctx->o->no_verify ? " (row counts not verified: --no-verify)"
              : t_ver == 0 && t_tab > 0 ? " (no row counts to verify: the dump records none)"
              : t_ver < t_tab ? " and the row counts the dump records match"
                               : " and row counts match the dump");
    return TRUE;
}

/* Every database (-B) and table (-T) the user named is in the dump: a typo
 * is an error, not an empty load. */
gboolean wharf_load_check_named(const wharf_load_plan *p, const wharf_load_opts *o, GError **err)
{
    for (char **b = o->databases; b && *b; b++)
        if (!g_hash_table_contains(p->db_by_name, *b)) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                        "database `%s` (named in -B) is not in the dump %s", *b, o->dir);
            return FALSE;
        }
    if (o->tables == NULL)
        return TRUE;
    GHashTable *have = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < p->dbs->len; i++) {
        const wharf_load_db *d = p->dbs->pdata[i];
        for (guint j = 0; j < d->tables->len; j++)
            g_hash_table_add(have, ((wharf_load_table *)d->tables->pdata[j])->display);
    }
    gboolean ok = TRUE;
    for (char **t = o->tables; ok && *t; t++)
        if (!g_hash_table_contains(have, *t)) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                        "table %s (named in -T) is not in the dump %s", *t, o->dir);
            ok = FALSE;
        }
    g_hash_table_unref(have);
    return ok;
}

/* A dump of data only: data files, and no CREATE of any database, table or
 * view (wharf dump --no-schema, mydumper -m). */
static gboolean data_only(const wharf_load_plan *p)
{
    if (p->nchunks == 0)
        return FALSE;
    for (guint i = 0; i < p->dbs->len; i++) {
        const wharf_load_db *d = p->dbs->pdata[i];
        if (d->create_path)
            return FALSE;
        for (guint j = 0; j < d->tables->len; j++) {
            const wharf_load_table *t = d->tables->pdata[j];
            if (t->schema_path || t->view_path)
                return FALSE;
        }
    }
    return TRUE;
}

/* SIGINT/SIGTERM: no job starts any more, the running statements are
 * KILLed (their jobs roll back and are not journaled), the summary says what
 * was done. Runs on the signal watcher thread. */
static void kill_busy(wharf_load_ctx *ctx)
{
    MYSQL *side = NULL;
    for (int round = 0; round < 50; round++) {
        GArray *ids = g_array_new(FALSE, FALSE, sizeof(gulong));
        g_mutex_lock(&ctx->busy_lock);
        for (guint i = 0; i < ctx->n_busy; i++)
            if (ctx->busy_ids[i])
                g_array_append_val(ids, ctx->busy_ids[i]);
        g_mutex_unlock(&ctx->busy_lock);
        gboolean sent = wharf_conn_kill_queries(&ctx->conn, &side, ids);
        gboolean none = ids->len == 0 || !sent;
        g_array_free(ids, TRUE);
        if (none)
            break;
        g_usleep(200 * 1000); /* a KILL sent just before a statement starts is lost: again */
    }
    wharf_conn_close(side);
}

static void on_signal(int signo, gpointer data)
{
    wharf_load_ctx *ctx = data;
    g_mutex_lock(&ctx->busy_lock);
    gboolean first = ctx->interrupted == 0;
    if (first)
        ctx->interrupted = signo;
    wharf_sched *s = ctx->sched;
    g_mutex_unlock(&ctx->busy_lock);
    if (!first)
        return;
    WLOG_WARN("%s: stopping: no job starts any more, running statements are killed", signo == SIGINT ? "SIGINT" : "SIGTERM");
    if (s)
        wharf_sched_stop(s);
    kill_busy(ctx);
}

static int run(wharf_load_opts *o, wharf_console *console)
{
    GError *err = NULL;
    gint64 t0 = g_get_monotonic_time();
    wharf_load_plan *plan = wharf_load_plan_read(o, &err);
    if (plan == NULL) {
        WLOG_ERR("%s", err->message);
        int rc = err->code == WHARF_ERROR_USAGE ? WHARF_EXIT_USAGE : WHARF_EXIT_FAILED;
        g_error_free(err);
        return rc;
    }
    WLOG_INFO("%s: %u database(s), %u table(s), %u view(s), %u data chunk(s)", o->dir, plan->dbs->len,
              plan->ntables, plan->nviews, plan->nchunks);
    if (!wharf_load_check_named(plan, o, &err)) {
        WLOG_ERR("%s", err->message);
        g_error_free(err);
        wharf_load_plan_free(plan);
        return WHARF_EXIT_USAGE;
    }
    if (!o->no_schema && !o->no_data && data_only(plan)) {
        WLOG_INFO("%s holds data without table definitions (a --no-schema dump): loading its data into "
                  "the existing tables, as with --no-schema", o->dir);
        o->no_schema = TRUE;
    }

    wharf_load_ctx ctx = {0};
    g_mutex_init(&ctx.busy_lock);
    /* before any thread: SIGINT/SIGTERM then reach only the watcher */
    wharf_sigwatch *sig = wharf_sigwatch_start(on_signal, &ctx, &err);
    if (sig == NULL) {
        WLOG_ERR("%s", err->message);
        g_error_free(err);
        wharf_load_plan_free(plan);
        return WHARF_EXIT_FAILED;
    }
    ctx.o = o;
    ctx.plan = plan;
    ctx.conn = o->common.conn;
    ctx.conn.local_infile = TRUE;
    int rc = WHARF_EXIT_FAILED;
    MYSQL *m = wharf_conn_open(&ctx.conn, &err);
    if (m == NULL)
        goto out;
    {
        MYSQL_RES *res = wharf_conn_query(m, "SELECT @@max_allowed_packet, @@local_infile", &err);
        if (res == NULL)
            goto out;
        MYSQL_ROW row = mysql_fetch_row(res);
        ctx.max_packet = row && row[0] ? strtoul(row[0], NULL, 10) : 16ul << 20;
        if (row && row[1] && strcmp(row[1], "0") == 0) {
            ctx.infile_refused = 1;
            WLOG_WARN("the server has local_infile=OFF: .dat files are loaded as INSERT statements (slower)");
        }
        mysql_free_result(res);
    }
    {
        const char *mode = plan->meta && plan->meta->sql_mode ? plan->meta->sql_mode : "NO_AUTO_VALUE_ON_ZERO";
        char *qm = wharf_quote_string(mode);
        ctx.session_sql = g_strdup_printf("SET SESSION SQL_MODE=%s, time_zone='+00:00', "
                                          "FOREIGN_KEY_CHECKS=0, UNIQUE_CHECKS=1", qm);
        g_free(qm);
        if (!wharf_conn_exec(m, ctx.session_sql, &err)) {
            wharf_error_prefix(&err, "the dump's session settings");
            goto out;
        }
        if (o->skip_binlog && !wharf_conn_exec(m, "SET SESSION SQL_LOG_BIN=0", &err)) {
            wharf_error_prefix(&err, "--skip-binlog");
            goto out;
        }
    }
    if (o->resume) {
        ctx.journal = wharf_journal_open(o->resume, o->dir, &err);
        if (ctx.journal == NULL)
            goto out;
        if (wharf_journal_count(ctx.journal) > 0)
            WLOG_INFO("%s: resuming, %u job(s) done by a previous run are skipped", o->resume,
                      wharf_journal_count(ctx.journal));
    }
    if (ctx.journal && !wharf_journal_attach(ctx.journal, m, &err))
        goto out;
    if (ctx.journal && wharf_journal_marks(ctx.journal) > 0)
        WLOG_INFO("%s: %u chunk(s) committed by a previous run (markers in `wharf_resume`.`done`) are skipped",
                  o->resume, wharf_journal_marks(ctx.journal));
    if (!check_target(m, o, plan, ctx.journal, &err))
        goto out;
    wharf_conn_close(m);
    m = NULL;

    ctx.busy_ids = g_new0(gulong, (gsize)o->common.threads);
    ctx.n_busy = (guint)o->common.threads;
    {
        wharf_sched *s = wharf_sched_new(o->fail_fast);
        wharf_load_plan_build_jobs(plan, o, s);
        g_mutex_lock(&ctx.busy_lock);
        ctx.sched = s;
        gboolean early = ctx.interrupted != 0;
        g_mutex_unlock(&ctx.busy_lock);
        if (early)
            wharf_sched_stop(s);
    }
    wharf_progress_init(&ctx.progress, "load");
    ctx.progress.objects_total = plan->ntables;
    ctx.progress.bytes_total = o->no_data ? 0 : plan->data_bytes;
    WLOG_DEBUG("%u jobs, %d worker(s)", wharf_sched_count(ctx.sched), o->common.threads);
    wharf_reporter *rep = wharf_reporter_start(console, &ctx.progress);
    wharf_sched_callbacks cb = {&ctx, wharf_restore_worker_new, wharf_restore_worker_free, wharf_restore_run,
                                on_final};
    wharf_sched_run(ctx.sched, o->common.threads, &cb);
    wharf_reporter_stop(rep);
    rc = summary(&ctx, (double)(g_get_monotonic_time() - t0) / 1e6) ? WHARF_EXIT_OK : WHARF_EXIT_FAILED;
    if (rc == WHARF_EXIT_OK && ctx.journal && !ctx.interrupted) {
        MYSQL *fm = wharf_conn_open(&ctx.conn, &err);
        if (fm == NULL || !wharf_journal_finish(ctx.journal, fm, &err)) {
            wharf_error_prefix(&err, "--resume: removing this load's markers from `wharf_resume`.`done`");
            rc = WHARF_EXIT_FAILED;
        }
        wharf_conn_close(fm);
    }
    if (rc == WHARF_EXIT_OK && o->verify == WHARF_VERIFY_CONTENT) {
        /* every load thread has ended: the verifier watches signals itself */
        wharf_sigwatch_stop(sig);
        sig = NULL;
        if (!ctx.interrupted)
            rc = o->content(o, plan, console);
    }
out:
    wharf_sigwatch_stop(sig);
    if (ctx.interrupted) {
        WLOG_ERR("load interrupted (%s): running statements killed and rolled back%s", ctx.interrupted == SIGINT ? "SIGINT" : "SIGTERM",
                 ctx.journal ? "; rerun with the same --resume to finish" : "");
        rc = 128 + ctx.interrupted;
    }
    if (err) {
        WLOG_ERR("%s", err->message);
        g_error_free(err);
    }
    wharf_conn_close(m);
    wharf_sched_free(ctx.sched);
    g_free(ctx.session_sql);
    wharf_journal_close(ctx.journal);
    wharf_load_plan_free(plan);
    g_free(ctx.busy_ids);
    g_mutex_clear(&ctx.busy_lock);
    return rc;
}

/* Options both `wharf load` and `wharf verify` take: the dump, what of it. */
static GOptionEntry *shared_entries(wharf_load_opts *o, raw_opts *r)
{
    GOptionEntry e[] = {
        {"directory", 'd', 0, G_OPTION_ARG_FILENAME, &o->dir, "Dump directory", "DIR"},
        {"database", 'B', 0, G_OPTION_ARG_FILENAME, &r->dbs, "Only these databases (comma-separated)", "DB,..."},
        {"tables-list", 'T', 0, G_OPTION_ARG_FILENAME, &r->tables, "Only these tables (db.table, comma-separated)",
         "DB.T,..."},
        {"regex", 'x', 0, G_OPTION_ARG_FILENAME, &r->regex, "Only objects whose db.name matches", "REGEX"},
        {"exclude", 0, 0, G_OPTION_ARG_FILENAME, &r->exclude, "Skip these databases or tables (db or db.table, comma-separated)", "LIST"},
        {"into", 0, 0, G_OPTION_ARG_FILENAME, &o->into, "The (one) source database is restored under this name", "DB"},
        {"databases", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &r->dbs, "Same as --database", "DB,..."},
        {"tables", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &r->tables, "Same as --tables-list", "DB.T,..."},
        {"help", '?', 0, G_OPTION_ARG_NONE, &r->help, "Show this help", NULL},
        {NULL}};
    return g_memdup2(e, sizeof e);
}

static GOptionEntry *load_entries(wharf_load_opts *o, raw_opts *r)
{
    GOptionEntry e[] = {
        {"no-data", 0, 0, G_OPTION_ARG_NONE, &o->no_data,
         "Schema only: databases, tables, views, routines (phase 1 of 2)", NULL},
        {"no-schema", 0, 0, G_OPTION_ARG_NONE, &o->no_schema,
         "Data only, into existing tables, then triggers and events (phase 2 of 2)", NULL},
        {"if-exists", 0, 0, G_OPTION_ARG_FILENAME, &r->if_exists,
         "When objects exist: fail (default, checked before any change), drop, truncate, append", "MODE"},
        {"skip-binlog", 0, 0, G_OPTION_ARG_NONE, &o->skip_binlog, "Do not write the load to the binary log",
         NULL},
        {"defer-indexes", 0, 0, G_OPTION_ARG_FILENAME, &r->defer,
         "Add secondary indexes after the data: auto (big InnoDB tables: 100k rows or 4 MiB), on, off", "WHEN"},
        {"load-data", 0, 0, G_OPTION_ARG_FILENAME, &r->load_data,
         "Send INSERT chunks as LOAD DATA LOCAL streams: auto (chunks of 512 KiB or more), on, off", "WHEN"},
        {"fail-fast", 0, 0, G_OPTION_ARG_NONE, &o->fail_fast, "Stop starting jobs after the first failure", NULL},
        {"verify", 0, 0, G_OPTION_ARG_FILENAME, &r->verify,
         "After loading compare: count (default: row counts), content (also every chunk's rows, as "
         "`wharf verify`), none (file CRCs are checked while loading in every case)", "WHAT"},
        {"no-verify", 0, 0, G_OPTION_ARG_NONE, &o->no_verify, "Same as --verify=none", NULL},
        {"allow-incomplete", 0, 0, G_OPTION_ARG_NONE, &o->allow_incomplete,
         "Load a dump directory that has no metadata file", NULL},
        {"resume", 0, 0, G_OPTION_ARG_FILENAME, &o->resume,
         "Journal of completed jobs: record them, and skip those a previous run recorded", "FILE"},
        {NULL}};
    return g_memdup2(e, sizeof e);
}

int wharf_load_opts_parse(wharf_load_cmd cmd, int argc, char **argv, wharf_load_opts *o)
{
    const gboolean load = cmd == WHARF_LOAD_CMD_LOAD;
    const char *prg = load ? "wharf load" : "wharf verify";
    raw_opts r = {0};
    memset(o, 0, sizeof *o);
    GOptionEntry *shared = shared_entries(o, &r), *own = load ? load_entries(o, &r) : NULL;
    g_set_prgname(prg);
    GOptionContext *octx = g_option_context_new(load ? "- restore a dump directory into a server"
                                                     : "- prove a server holds exactly the rows of a dump");
    g_option_context_set_help_enabled(octx, FALSE);
    g_option_context_add_main_entries(octx, shared, NULL);
    if (own)
        g_option_context_add_main_entries(octx, own, NULL);
    wharf_cli_add_common(octx, &o->common);
    char **rest = NULL;
    GError *err = NULL;
    int rc = -1;
    if (!wharf_cli_parse(octx, argc, argv, &rest, &err)) {
        rc = WHARF_EXIT_USAGE;
    } else if (r.help) {
        char *h = g_option_context_get_help(octx, FALSE, NULL);
        fputs(h, stdout);
        g_free(h);
        rc = WHARF_EXIT_OK;
    } else if (!finish_opts(o, &r, rest, &err)) {
        rc = err->code == WHARF_ERROR_USAGE ? WHARF_EXIT_USAGE : WHARF_EXIT_FAILED;
    }
    if (err)
        fprintf(stderr, "%s: %s\n", prg, err->message);
    g_clear_error(&err);
    g_strfreev(rest);
    g_option_context_free(octx);
    g_free(shared);
    g_free(own);
    raw_clear(&r);
    if (rc >= 0)
        wharf_load_opts_clear(o);
    return rc;
}

int wharf_load_main(int argc, char **argv, wharf_load_content_fn content)
{
    wharf_load_opts o;
    int rc = wharf_load_opts_parse(WHARF_LOAD_CMD_LOAD, argc, argv, &o);
    if (rc >= 0)
        return rc;
    o.content = content;
    if (o.verify == WHARF_VERIFY_CONTENT && content == NULL) {
        fprintf(stderr, "wharf load: --verify=content is not available in this build\n");
        wharf_load_opts_clear(&o);
        return WHARF_EXIT_USAGE;
    }
    wharf_console console;
    GError *err = NULL;
    if (!wharf_cli_console_setup(&console, &o.common, &err)) {
        fprintf(stderr, "wharf load: %s\n", err->message);
        g_error_free(err);
        wharf_load_opts_clear(&o);
        return WHARF_EXIT_USAGE;
    }
    rc = run(&o, &console);
    wharf_console_teardown(&console);
    wharf_load_opts_clear(&o);
    return rc;
}
