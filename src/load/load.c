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
#include "core/spool.h"
#include "core/summary.h"
#include "format/splitter.h"
#include "load/ddl.h"
#include "load/journal.h"
#include "load/cluster.h"
#include "load/instream.h"
#include "load/plan.h"
#include "load/restore.h"
#include "engine/sched.h"
#include "objstore/s3dir.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* --- options ------------------------------------------------------------- */

typedef struct raw_opts {
    char **dbs, **tables, **exclude;
    char *regex, *if_exists, *defer, *load_data, *verify, *definer, *replica_setup, *replica_of;
    gboolean help;
} raw_opts;

static void raw_clear(raw_opts *r)
{
    g_strfreev(r->dbs);
    g_strfreev(r->tables);
    g_free(r->regex);
    g_strfreev(r->exclude);
    g_free(r->if_exists);
    g_free(r->defer);
    g_free(r->load_data);
    g_free(r->verify);
    g_free(r->definer);
    g_free(r->replica_setup);
    g_free(r->replica_of);
    memset(r, 0, sizeof *r);
}

void wharf_load_opts_clear(wharf_load_opts *o)
{
    wharf_conn_opts_clear(&o->common.conn);
    g_free(o->common.log_file);
    g_clear_pointer(&o->common.notes, g_ptr_array_unref);
    g_clear_pointer(&o->common.kinds, g_hash_table_destroy);
    g_clear_pointer(&o->common.origins, g_hash_table_destroy);
    g_free(o->dir);
    g_free(o->spool_dir);
    wharf_s3_opts_clear(&o->s3);
    g_free(o->common.summary_json);
    wharf_filter_clear(&o->filter);
    g_free(o->into);
    g_free(o->resume);
    g_free(o->definer);
    g_free(o->replica.host);
    g_free(o->replica.user);
    if (o->replica.password)
        memset(o->replica.password, 0, strlen(o->replica.password));
    g_free(o->replica.password);
    g_strfreev(o->include_users);
    g_strfreev(o->exclude_users);
    memset(o, 0, sizeof *o);
}

/* --replica-setup=print|apply, --replica-of=dumped|upstream. */
static gboolean replica_opts(wharf_load_opts *o, raw_opts *r, GError **err)
{
    const char *m = r->replica_setup;
    if (m == NULL)
        o->replica.mode = WHARF_REPLICA_NONE;
    else if (strcmp(m, "print") == 0)
        o->replica.mode = WHARF_REPLICA_PRINT;
    else if (strcmp(m, "apply") == 0)
        o->replica.mode = WHARF_REPLICA_APPLY;
    else {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--replica-setup must be print or apply, not '%s'", m);
        return FALSE;
    }
    if (r->replica_of && strcmp(r->replica_of, "upstream") != 0 && strcmp(r->replica_of, "dumped") != 0) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--replica-of must be dumped or upstream, not '%s'",
                    r->replica_of);
        return FALSE;
    }
    o->replica.of_upstream = r->replica_of && strcmp(r->replica_of, "upstream") == 0;
    gboolean given = o->replica.host || o->replica.user || o->replica.password || o->replica.port || r->replica_of;
    if (given && o->replica.mode == WHARF_REPLICA_NONE) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--source-* and --replica-of need --replica-setup");
        return FALSE;
    }
    if (o->replica.mode != WHARF_REPLICA_NONE && (o->dry_run || o->no_data)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--replica-setup needs the data: not with %s",
                    o->dry_run ? "--dry-run" : "--no-data");
        return FALSE;
    }
    /* the target's own binary log must hold none of the load */
    if (o->replica.mode != WHARF_REPLICA_NONE)
        o->skip_binlog = TRUE;
    return TRUE;
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
    if (o->verify == WHARF_VERIFY_CONTENT && o->dry_run) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--verify=content with --dry-run: nothing is loaded");
        return FALSE;
    }
    o->no_verify = o->verify == WHARF_VERIFY_NONE;
    return TRUE;
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
    if (strcmp(o->dir, "-") != 0 && o->spool_dir) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--spool-dir is for a stream on stdin (-d -)");
        return FALSE;
    }
    gboolean s3 = wharf_s3_is_url(o->dir);
    if (!s3 && (o->s3.endpoint || o->s3.region || o->s3.part_size_raw || o->s3.virtual_host)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--s3-* options are for a dump in a bucket (-d s3://BUCKET/PREFIX)");
        return FALSE;
    }
    if (s3 && !wharf_s3_opts_finish(&o->s3, err))
        return FALSE;
    if (strcmp(o->dir, "-") == 0 && o->resume) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                    "--resume needs a dump directory: a stream (-d -) cannot be resumed");
        return FALSE;
    }
    if (o->dry_run && o->resume) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                    "--dry-run changes nothing, --resume records what it does: use one of them");
        return FALSE;
    }
    if (o->no_data && o->no_schema) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--no-data and --no-schema together load nothing");
        return FALSE;
    }
    if ((o->include_users || o->exclude_users) && !o->users) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--include-users and --exclude-users choose among the"
                    " accounts --users loads: add --users");
        return FALSE;
    }
    if (o->users && o->no_schema) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--users loads accounts with the schema: not with"
                    " --no-schema (load them in the --no-data phase)");
        return FALSE;
    }
    if (o->into && *o->into == '\0') {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--into needs a database name");
        return FALSE;
    }
    if (!wharf_filter_init(&o->filter, r->dbs, r->tables, r->regex, r->exclude, NULL, err))
        return FALSE;
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
    if (!replica_opts(o, r, err))
        return FALSE;
    if (r->definer && strcmp(r->definer, "strip") == 0)
        o->definer = g_strdup("");
    else if (r->definer && strcmp(r->definer, "keep") != 0 &&
             (o->definer = wharf_ddl_definer_clause(r->definer, err)) == NULL)
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
    wharf_reader *r = wharf_load_plan_open(p, path, err);
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

/* "a, b, c and 17 more": at most 20 names of a list, for one message. */
static GString *name_list(const GPtrArray *names)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < names->len && i < 20; i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)names->pdata[i]);
    if (names->len > 20)
        g_string_append_printf(s, " and %u more", names->len - 20);
    return s;
}

/* One bulk query per catalog table, for all databases at once: marks the
 * planned objects that exist, and with --if-exists=fail refuses to start. */
static gboolean check_target(MYSQL *m, const wharf_load_opts *o, wharf_load_plan *p,
                             const wharf_journal *journal, GPtrArray *report, GError **err)
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
    if (ok && o->if_exists == WHARF_IF_EXISTS_FAIL && !o->filter.tables) {
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
    for (guint i = 0; report && i < conflicts->len; i++)
        g_ptr_array_add(report, g_strdup(conflicts->pdata[i]));
    if (ok && o->if_exists == WHARF_IF_EXISTS_FAIL && conflicts->len > 0 && !o->no_schema && !report) {
        GString *s = name_list(conflicts);
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

/* --users: the dump's accounts that the target has already; with
 * --if-exists=fail the load refuses to start, naming them. */
static gboolean check_accounts(MYSQL *m, const wharf_load_opts *o, wharf_load_plan *p, const wharf_journal *journal,
                               GPtrArray *report, GError **err)
{
    GPtrArray *conflicts = g_ptr_array_new_with_free_func(g_free);
    gboolean ok = wharf_load_accounts_check(m, p->accounts, journal, conflicts, err);
    for (guint i = 0; report && i < conflicts->len; i++)
        g_ptr_array_add(report, g_strdup(conflicts->pdata[i]));
    /* truncate and append keep a table's definition: an account has none
     * to keep apart from its grants (the dump's GRANT on *.* carries its
     * password and limits), so only fail and drop apply */
    if (ok && o->if_exists != WHARF_IF_EXISTS_DROP && conflicts->len > 0 && !report) {
        GString *s = name_list(conflicts);
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_EXISTS,
                    "%u account(s) of the dump already exist in the server: %s; nothing was changed "
                    "(--if-exists=drop replaces them, --exclude-users leaves them out%s)",
                    conflicts->len, s->str,
                    o->if_exists == WHARF_IF_EXISTS_FAIL ? "" : "; --if-exists=truncate|append apply to tables only");
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
    guint t_acc, n_acc = count(s, WHARF_LJ_ACCOUNT, WHARF_JOB_DONE, &t_acc);
    guint t_obj, n_obj = count(s, WHARF_LJ_ACCOUNT_OBJECTS, WHARF_JOB_DONE, &t_obj);
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
              wharf_run_retries(ctx->run), wharf_counter_get(&ctx->n_resumed));
    if (t_acc > 0)
        WLOG_INFO("load summary: accounts %u/%u (users and roles), grants on objects %u/%u", n_acc, t_acc, n_obj,
                  t_obj);
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

static gboolean plan_has(void *data, const char *db, const char *name, gboolean where)
{
    const wharf_load_plan *p = data;
    (void)where;
    if (name == NULL)
        return g_hash_table_contains(p->db_by_name, db);
    return wharf_load_plan_table(p, db, name) != NULL;
}

/* Every database (-B) and table (-T) the user named is in the dump: a typo
 * is an error, not an empty load. */
gboolean wharf_load_check_named(const wharf_load_plan *p, const wharf_load_opts *o, GError **err)
{
    char *missing = g_strdup_printf("is not in the dump %s", o->dir);
    wharf_filter_sets *fs = wharf_filter_sets_new(&o->filter);
    gboolean ok = wharf_filter_check_named(fs, plan_has, (void *)p, missing, err);
    wharf_filter_sets_free(fs);
    g_free(missing);
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

/* --dry-run: the jobs in the order one worker would run them, each with
 * what the target already holds; nothing is sent but SELECTs. */
typedef struct dry_ctx {
    const wharf_load_opts *o;
    guint n;
} dry_ctx;

static const char *existing_action(const wharf_load_opts *o)
{
    switch (o->if_exists) {
    case WHARF_IF_EXISTS_FAIL: return "exists: the load refuses to start (--if-exists=fail)";
    case WHARF_IF_EXISTS_DROP: return "exists: dropped and created again (--if-exists=drop)";
    case WHARF_IF_EXISTS_TRUNCATE: return "exists: emptied, its definition kept (--if-exists=truncate)";
    case WHARF_IF_EXISTS_APPEND: return "exists: rows added to it (--if-exists=append)";
    }
    return "exists";
}

static gboolean dry_job(void *w, wharf_job *job, GError **err)
{
    dry_ctx *d = w;
    const char *note = "";
    int kind = wharf_job_kind(job);
    if (kind == WHARF_LJ_TABLE || kind == WHARF_LJ_VIEW) {
        const wharf_load_table *t = wharf_job_payload(job);
        if (t->existing != WHARF_EXISTING_NONE)
            note = existing_action(d->o);
    }
    if (kind == WHARF_LJ_PROBLEM) {
        printf("%5u  REFUSED  %s\n", ++d->n, (const char *)wharf_job_payload(job));
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, "%s", (const char *)wharf_job_payload(job));
        return FALSE;
    }
    if (kind != WHARF_LJ_BARRIER)
        printf("%5u  %s%s%s\n", ++d->n, wharf_job_name(job), *note ? "  -- " : "", note);
    return TRUE;
}

static void *dry_worker(void *ctx, int index)
{
    (void)index;
    return ctx;
}

static int dry_run(wharf_load_ctx *ctx, MYSQL *m, GError **err)
{
    const wharf_load_opts *o = ctx->o;
    GPtrArray *exist = g_ptr_array_new_with_free_func(g_free);
    if (!check_target(m, o, ctx->plan, NULL, exist, err) || !check_accounts(m, o, ctx->plan, NULL, exist, err)) {
        g_ptr_array_free(exist, TRUE);
        return WHARF_EXIT_FAILED;
    }
    printf("dry run: %s into the server, --if-exists=%s; nothing is changed\n", o->dir,
           o->if_exists == WHARF_IF_EXISTS_FAIL ? "fail" : o->if_exists == WHARF_IF_EXISTS_DROP ? "drop"
           : o->if_exists == WHARF_IF_EXISTS_TRUNCATE ? "truncate" : "append");
    for (guint i = 0; i < exist->len; i++)
        printf("exists:  %s\n", (const char *)exist->pdata[i]);
    ctx->sched = wharf_sched_new(FALSE, ctx->run);
    wharf_load_plan_build_jobs(ctx->plan, o, ctx->sched);
    dry_ctx d = {o, 0};
    wharf_sched_callbacks cb = {&d, dry_worker, NULL, dry_job, NULL};
    wharf_sched_run(ctx->sched, 1, &cb);
    guint refused = 0;
    for (guint i = 0; i < wharf_sched_count(ctx->sched); i++)
        refused += wharf_job_state_get(wharf_sched_job(ctx->sched, i)) != WHARF_JOB_DONE;
    gboolean conflict = exist->len > 0 && o->if_exists == WHARF_IF_EXISTS_FAIL && !o->no_schema;
    printf("dry run: %u step(s); %u object(s) exist in the target; %s\n", d.n, exist->len,
           conflict ? "the load would refuse to start (--if-exists=fail)"
           : refused ? "the load would fail: the dump has problems (REFUSED above)"
                     : "the load would run");
    fflush(stdout);
    g_ptr_array_free(exist, TRUE);
    if (conflict || refused) {
        g_set_error(err, WHARF_ERROR, conflict ? WHARF_ERROR_EXISTS : WHARF_ERROR_FORMAT,
                    "dry run: the load would %s", conflict ? "refuse to start" : "fail");
        return WHARF_EXIT_FAILED;
    }
    return WHARF_EXIT_OK;
}

/* --summary-json: the error that ended the run before or after its jobs. */
static void json_error(JsonBuilder *js, const GError *e)
{
    if (js && e)
        wharf_summary_str(js, "error", e->message);
}

static void json_failures(JsonBuilder *js, wharf_sched *s)
{
    json_builder_set_member_name(js, "failures");
    json_builder_begin_array(js);
    for (guint i = 0; i < wharf_sched_count(s); i++) {
        wharf_job *j = wharf_sched_job(s, i);
        wharf_job_state st = wharf_job_state_get(j);
        if (st != WHARF_JOB_FAILED && st != WHARF_JOB_SKIPPED)
            continue;
        json_builder_begin_object(js);
        wharf_summary_str(js, "object", wharf_job_name(j));
        wharf_summary_str(js, "state", wharf_job_state_name(st));
        wharf_summary_str(js, "error", wharf_job_reason(j));
        json_builder_end_object(js);
    }
    json_builder_end_array(js);
}

/* --summary-json: what the jobs did (counted as the log's summary does). */
static void json_load(JsonBuilder *js, wharf_load_ctx *ctx)
{
    if (js == NULL)
        return;
    wharf_summary_str(js, "directory", ctx->o ? ctx->o->dir : NULL);
    if (ctx->o && ctx->o->dry_run) {
        json_builder_set_member_name(js, "dry_run");
        json_builder_add_boolean_value(js, TRUE);
        return;
    }
    if (ctx->sched == NULL)
        return;
    wharf_sched *s = ctx->sched;
    static const struct {
        const char *key;
        int kind;
    } kinds[] = {{"databases", WHARF_LJ_DATABASE}, {"tables", WHARF_LJ_TABLE}, {"views", WHARF_LJ_VIEW},
                 {"chunks", WHARF_LJ_CHUNK}, {"row_counts_verified", WHARF_LJ_VERIFY},
                 {"accounts", WHARF_LJ_ACCOUNT}, {"account_object_grants", WHARF_LJ_ACCOUNT_OBJECTS}};
    json_builder_set_member_name(js, "objects");
    json_builder_begin_object(js);
    for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++) {
        guint total = 0, done = count(s, kinds[i].kind, WHARF_JOB_DONE, &total);
        wharf_summary_count(js, kinds[i].key, done, total);
    }
    wharf_summary_int(js, "triggers", wharf_counter_get(&ctx->n_triggers));
    wharf_summary_int(js, "routines", wharf_counter_get(&ctx->n_routines));
    wharf_summary_int(js, "events", wharf_counter_get(&ctx->n_events));
    json_builder_end_object(js);
    wharf_summary_int(js, "rows", wharf_counter_get(&ctx->rows_loaded));
    wharf_summary_int(js, "bytes", wharf_counter_get(&ctx->bytes_loaded));
    wharf_summary_int(js, "retries", wharf_run_retries(ctx->run));
    wharf_summary_int(js, "resumed", wharf_counter_get(&ctx->n_resumed));
    json_failures(js, s);
}

/* --replica-setup, after a load that restored everything. */
static int replica_setup(wharf_load_ctx *ctx, GError **err)
{
    const wharf_load_opts *o = ctx->o;
    if (ctx->plan->meta == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, "--replica-setup: the dump has no metadata, so no position");
        return WHARF_EXIT_FAILED;
    }
    if (o->replica.mode == WHARF_REPLICA_PRINT) {
        char *s = wharf_replica_statements(ctx->plan->meta, &o->replica, TRUE, err);
        if (s == NULL)
            return WHARF_EXIT_FAILED;
        fputs(s, stdout);
        fflush(stdout);
        g_free(s);
        return WHARF_EXIT_OK;
    }
    MYSQL *m = wharf_conn_open(&ctx->conn, err);
    gboolean ok = m != NULL && wharf_replica_apply(m, ctx->plan->meta, &o->replica, err);
    wharf_conn_close(m);
    return ok ? WHARF_EXIT_OK : WHARF_EXIT_FAILED;
}

/* A copy's load: the source's stop is the load's (a signal interrupts both). */
static void parent_stopped(void *data)
{
    wharf_load_ctx *ctx = data;
    int signo = wharf_run_interrupted(ctx->parent);
    if (signo)
        wharf_run_interrupt(ctx->run, signo);
    else
        wharf_run_stop(ctx->run);
}

static gboolean src_wait(void *run, gint64 ms)
{
    return wharf_run_backoff(run, ms);
}

static void src_retried(void *run)
{
    wharf_run_count_retry(run);
}

static gboolean src_stopping(void *run)
{
    return wharf_run_stopping(run);
}

/* A complete load: its rows in `wharf_resume` (markers, split chunks) go. */
static int finish_bookkeeping(wharf_load_ctx *ctx, GError **err)
{
    MYSQL *fm = wharf_conn_open(&ctx->conn, err);
    gboolean ok = fm != NULL;
    if (ok && ctx->parts && !wharf_parts_finish(ctx->parts, fm, err)) {
        wharf_error_prefix(err, "removing this load's rows from `wharf_resume`.`parts`");
        ok = FALSE;
    }
    if (ok && ctx->journal && !wharf_journal_finish(ctx->journal, fm, err)) {
        wharf_error_prefix(err, "--resume: removing this load's markers from `wharf_resume`.`done`");
        ok = FALSE;
    }
    wharf_conn_close(fm);
    return ok ? WHARF_EXIT_OK : WHARF_EXIT_FAILED;
}

static int run_load(wharf_load_opts *o, wharf_console *console, JsonBuilder *js, const wharf_dumpdir *src,
                    wharf_run *parent)
{
    GError *err = NULL;
    gint64 t0 = g_get_monotonic_time();
    wharf_load_plan *plan = wharf_load_plan_read(o, src, &err);
    if (plan == NULL) {
        WLOG_ERR("%s", err->message);
        json_error(js, err);
        int rc = err->code == WHARF_ERROR_USAGE ? WHARF_EXIT_USAGE : WHARF_EXIT_FAILED;
        g_error_free(err);
        return rc;
    }
    WLOG_INFO("%s: %u database(s), %u table(s), %u view(s), %u data chunk(s)", o->dir, plan->dbs->len,
              plan->ntables, plan->nviews, plan->nchunks);
    char *skipped = wharf_filter_skipped(&o->filter);
    if (skipped)
        WLOG_INFO("left out on request (--skip-*): every one of the dump's %s", skipped);
    g_free(skipped);
    if (plan->accounts_path && !o->users)
        WLOG_INFO("%s: the dump holds the source's accounts (users, roles, grants, in wharf-accounts.grants): not"
                  " loaded (--users loads them)", o->dir);
    else if (plan->accounts)
        WLOG_INFO("%s: %u account(s) to load, %u left out by --include-users/--exclude-users", o->dir,
                  plan->accounts->list->len, plan->accounts->left_out);
    if (!wharf_load_check_named(plan, o, &err)) {
        WLOG_ERR("%s", err->message);
        json_error(js, err);
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
    ctx.run = wharf_run_new("load", &ctx.conn, (guint)o->common.threads);
    ctx.parent = parent;
    /* a bucket's retries wait on the run (a stop ends them), counted in it */
    gboolean waiter = src && src->ops && src->ops->set_waiter;
    if (waiter)
        src->ops->set_waiter(src->data, src_wait, src_retried, src_stopping, ctx.run);
    if (o->common.max_rate > 0)
        ctx.rate = wharf_rate_new(o->common.max_rate, ctx.run);
    /* SIGINT/SIGTERM: no job starts any more, the running statements are
     * KILLed (their jobs roll back and are not journaled), the summary says
     * what was done. Before any thread: signals then reach only the
     * watcher. */
    if (parent)
        wharf_run_on_stop(parent, parent_stopped, &ctx);
    if (parent && wharf_run_stopping(parent))
        parent_stopped(&ctx);
    if (!parent && !wharf_run_watch_signals(ctx.run, &err)) {
        WLOG_ERR("%s", err->message);
        g_error_free(err);
        wharf_run_free(ctx.run);
        wharf_load_plan_free(plan);
        return WHARF_EXIT_FAILED;
    }
    ctx.o = o;
    ctx.plan = plan;
    g_mutex_init(&ctx.gate_lock);
    g_cond_init(&ctx.gate_cond);
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
    /* a cluster's refusals come before anything (wharf_resume) is created */
    if (!wharf_cluster_setup(&ctx, m, &err))
        goto out;
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
    if (ctx.part_rows > 0 && !o->dry_run) {
        ctx.parts = wharf_parts_new(ctx.journal);
        if (!wharf_parts_attach(ctx.parts, m, &err))
            goto out;
    }
    if (ctx.journal && wharf_journal_marks(ctx.journal) > 0)
        WLOG_INFO("%s: %u chunk(s) committed by a previous run (markers in `wharf_resume`.`done`) are skipped",
                  o->resume, wharf_journal_marks(ctx.journal));
    if (o->dry_run) {
        rc = dry_run(&ctx, m, &err);
        goto out;
    }
    if (!check_target(m, o, plan, ctx.journal, NULL, &err) || !check_accounts(m, o, plan, ctx.journal, NULL, &err))
        goto out;
    wharf_conn_close(m);
    m = NULL;

    ctx.sched = wharf_sched_new(o->fail_fast, ctx.run);
    wharf_load_plan_build_jobs(plan, o, ctx.sched);
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
    if (rc == WHARF_EXIT_OK && (ctx.journal || ctx.parts) && !wharf_run_interrupted(ctx.run))
        rc = finish_bookkeeping(&ctx, &err);
    if (rc == WHARF_EXIT_OK && o->replica.mode != WHARF_REPLICA_NONE && !wharf_run_interrupted(ctx.run))
        rc = replica_setup(&ctx, &err);
    if (rc == WHARF_EXIT_OK && o->verify == WHARF_VERIFY_CONTENT && !wharf_run_interrupted(ctx.run)) {
        /* every load thread has ended: the verifier watches signals itself */
        wharf_run_unwatch_signals(ctx.run);
        rc = o->content(o, plan, console);
    }
out:
    /* First: no signal may stop the run (and its scheduler) any more. */
    wharf_run_unwatch_signals(ctx.run);
    if (parent)
        wharf_run_off_stop(parent, parent_stopped, &ctx);
    int signo = wharf_run_interrupted(ctx.run);
    if (signo) {
        WLOG_ERR("load interrupted (%s): running statements killed and rolled back%s", signo == SIGINT ? "SIGINT" : "SIGTERM",
                 ctx.journal ? "; rerun with the same --resume to finish" : "");
        rc = 128 + signo;
    }
    if (err) {
        WLOG_ERR("%s", err->message);
        json_error(js, err);
        g_error_free(err);
    }
    json_load(js, &ctx);
    wharf_conn_close(m);
    wharf_sched_free(ctx.sched);
    g_free(ctx.session_sql);
    wharf_parts_free(ctx.parts);
    wharf_galera_clear(&ctx.galera);
    g_mutex_clear(&ctx.gate_lock);
    g_cond_clear(&ctx.gate_cond);
    wharf_journal_close(ctx.journal);
    wharf_load_plan_free(plan);
    wharf_rate_free(ctx.rate);
    if (waiter)
        src->ops->set_waiter(src->data, NULL, NULL, NULL, NULL);
    wharf_run_free(ctx.run);
    return rc;
}

/* -d -: receive the stream into a spool directory (load/instream.h), then
 * load that directory as any other. */
/* The load, then its --summary-json document (whatever the outcome). */
static int run_on(wharf_load_opts *o, wharf_console *console, const wharf_dumpdir *src, wharf_run *parent)
{
    gint64 t0 = g_get_monotonic_time();
    JsonBuilder *js = o->common.summary_json ? wharf_summary_begin(parent ? "copy" : "load") : NULL;
    int rc = run_load(o, console, js, src, parent);
    if (js) {
        GError *err = NULL;
        int signo = rc > 128 ? rc - 128 : 0;
        if (!wharf_summary_write(js, o->common.summary_json, rc, signo,
                                 (double)(g_get_monotonic_time() - t0) / 1e6, &err)) {
            WLOG_ERR("%s", err->message);
            g_error_free(err);
            if (rc == WHARF_EXIT_OK)
                rc = WHARF_EXIT_FAILED;
        }
    }
    return rc;
}

static int run(wharf_load_opts *o, wharf_console *console)
{
    return run_on(o, console, NULL, NULL);
}

int wharf_load_run_source(wharf_load_opts *o, wharf_console *console, const wharf_dumpdir *src, wharf_run *parent)
{
    return run_on(o, console, src, parent);
}

/* -d s3://BUCKET/PREFIX: the dump read from the bucket (objstore/s3dir.h):
 * listed once, each file a streamed GET. */
static int run_s3(wharf_load_opts *o, wharf_console *console)
{
    GError *err = NULL;
    wharf_s3dir *d = wharf_s3dir_new(&o->s3, o->dir, 0, &err);
    if (d == NULL) {
        WLOG_ERR("%s", err->message);
        int rc = err->code == WHARF_ERROR_USAGE ? WHARF_EXIT_USAGE : WHARF_EXIT_FAILED;
        g_error_free(err);
        return rc;
    }
    /* The plan names files "DIR/NAME": DIR as the dumpdir spells it. */
    g_free(o->dir);
    o->dir = g_strdup(wharf_s3dir_url(d));
    wharf_dumpdir dd = wharf_s3dir_dumpdir(d);
    int rc = run_on(o, console, &dd, NULL);
    wharf_s3dir_free(d);
    return rc;
}

static int run_stream(wharf_load_opts *o, wharf_console *console)
{
    GError *err = NULL;
    int signo = 0;
    if (isatty(STDIN_FILENO)) {
        WLOG_ERR("-d - reads a dump stream from stdin, which is a terminal: pipe or redirect one");
        return WHARF_EXIT_USAGE;
    }
    gint64 t0 = g_get_monotonic_time();
    char *spool = wharf_instream_receive(STDIN_FILENO, o->spool_dir, &signo, &err);
    if (spool == NULL) {
        if (o->common.summary_json) {
            JsonBuilder *js = wharf_summary_begin("load");
            wharf_summary_str(js, "directory", "-");
            json_error(js, err);
            GError *e2 = NULL;
            if (!wharf_summary_write(js, o->common.summary_json, signo ? 128 + signo : WHARF_EXIT_FAILED, signo,
                                     (double)(g_get_monotonic_time() - t0) / 1e6, &e2)) {
                WLOG_ERR("%s", e2->message);
                g_error_free(e2);
            }
        }
        if (signo)
            WLOG_ERR("load interrupted (%s) while receiving the stream: nothing was loaded, the spool"
                     " is removed", signo == SIGINT ? "SIGINT" : "SIGTERM");
        else
            WLOG_ERR("%s; nothing was loaded", err->message);
        g_error_free(err);
        return signo ? 128 + signo : WHARF_EXIT_FAILED;
    }
    g_free(o->dir);
    o->dir = spool;
    int rc = run(o, console);
    wharf_spool_remove(spool);
    return rc;
}

/* Options both `wharf load` and `wharf verify` take: the dump, what of it. */
static GOptionEntry *shared_entries(wharf_load_opts *o, raw_opts *r)
{
    GOptionEntry e[] = {
        {"directory", 'd', 0, G_OPTION_ARG_FILENAME, &o->dir,
         "Dump directory, - for a stream on stdin (wharf dump -o -, mydumper --stream), or (load)"
         " s3://BUCKET/PREFIX",
         "DIR"},
        {"database", 'B', 0, G_OPTION_ARG_FILENAME_ARRAY, &r->dbs,
         "Only these databases (comma-separated, repeatable)", "DB,..."},
        {"tables-list", 'T', 0, G_OPTION_ARG_FILENAME_ARRAY, &r->tables,
         "Only these tables (db.table, comma-separated, repeatable)", "DB.T,..."},
        {"regex", 'x', 0, G_OPTION_ARG_FILENAME, &r->regex, "Only objects whose db.name matches", "REGEX"},
        {"exclude", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &r->exclude,
         "Skip these databases or tables (db or db.table, comma-separated, repeatable)", "LIST"},
        {"into", 0, 0, G_OPTION_ARG_FILENAME, &o->into, "The (one) source database is restored under this name", "DB"},
        {"databases", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME_ARRAY, &r->dbs, "Same as --database", "DB,..."},
        {"tables", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME_ARRAY, &r->tables, "Same as --tables-list", "DB.T,..."},
        {"help", '?', 0, G_OPTION_ARG_NONE, &r->help, "Show this help", NULL},
        {NULL}};
    return g_memdup2(e, sizeof e);
}

static GOptionEntry *load_entries(wharf_load_opts *o, raw_opts *r)
{
    GOptionEntry e[] = {
        {"spool-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->spool_dir,
         "With -d -: where the stream is stored before loading (a private directory under DIR;"
         " default $TMPDIR)",
         "DIR"},
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
        {"definer", 0, 0, G_OPTION_ARG_STRING, &r->definer,
         "Views, triggers, routines, events: keep their DEFINER (default), strip it (created as the loading "
         "user), or give them USER@HOST",
         "keep|strip|USER@HOST"},
        {"replica-setup", 0, 0, G_OPTION_ARG_STRING, &r->replica_setup,
         "After a complete load, print or apply the statements that make the target a replica from the "
         "dump's snapshot (implies --skip-binlog)", "print|apply"},
        {"replica-of", 0, 0, G_OPTION_ARG_STRING, &r->replica_of,
         "Replicate from the dumped server (default) or, for a dump taken on a replica, from its source",
         "dumped|upstream"},
        {"source-host", 0, 0, G_OPTION_ARG_STRING, &o->replica.host, "--replica-setup: the source's host", "HOST"},
        {"source-port", 0, 0, G_OPTION_ARG_INT, &o->replica.port, "--replica-setup: the source's port", "PORT"},
        {"source-user", 0, 0, G_OPTION_ARG_STRING, &o->replica.user, "--replica-setup: the replication account",
         "USER"},
        {"source-password", 0, 0, G_OPTION_ARG_STRING, &o->replica.password,
         "--replica-setup: the replication account's password", "PASSWORD"},
        {"dry-run", 0, 0, G_OPTION_ARG_NONE, &o->dry_run,
         "Read the dump and the target, print the steps in order and what exists; change nothing", NULL},
        {"verify", 0, 0, G_OPTION_ARG_FILENAME, &r->verify,
         "After loading compare: count (default: row counts), content (also every chunk's rows, as "
         "`wharf verify`), none (file CRCs are checked while loading in every case)", "WHAT"},
        {"no-verify", 0, 0, G_OPTION_ARG_NONE, &o->no_verify, "Same as --verify=none", NULL},
        {"users", 0, 0, G_OPTION_ARG_NONE, &o->users,
         "Load the dump's users, roles and grants too (off by default: it changes who can log in)", NULL},
        {"include-users", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->include_users,
         "With --users: only accounts matching these globs (user@host, or a role's name; * and ?;"
         " comma-separated, repeatable)",
         "PATTERN,..."},
        {"exclude-users", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->exclude_users,
         "With --users: leave out accounts matching these globs (as --include-users)", "PATTERN,..."},
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
    wharf_cli_add_common(octx, &o->common);
    wharf_cli_add_entries(octx, &o->common, shared);
    if (own)
        wharf_cli_add_entries(octx, &o->common, own);
    wharf_s3_add_options(octx, &o->common, &o->s3);
    wharf_filter_add_skip_options(octx, &o->common, &o->filter);
    char **rest = NULL;
    GError *err = NULL;
    int rc = -1;
    if (!wharf_cli_parse(octx, &o->common, argc, argv, &rest, &err)) {
        rc = WHARF_EXIT_USAGE;
    } else if (r.help) {
        char *h = g_option_context_get_help(octx, FALSE, NULL);
        fputs(h, stdout);
        g_free(h);
        rc = WHARF_EXIT_OK;
    } else if (!finish_opts(o, &r, rest, &err)) {
        wharf_cli_blame(&o->common, err);
        rc = err->code == WHARF_ERROR_USAGE ? WHARF_EXIT_USAGE : WHARF_EXIT_FAILED;
    } else if (!load && strcmp(o->dir, "-") == 0) {
        g_set_error(&err, WHARF_ERROR, WHARF_ERROR_USAGE, "verify reads a dump directory, not a stream (-d -)");
        rc = WHARF_EXIT_USAGE;
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
    rc = strcmp(o.dir, "-") == 0 ? run_stream(&o, &console)
         : wharf_s3_is_url(o.dir) ? run_s3(&o, &console)
                                  : run(&o, &console);
    wharf_console_teardown(&console);
    wharf_load_opts_clear(&o);
    return rc;
}
