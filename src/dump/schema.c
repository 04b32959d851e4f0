#include "dump/schema.h"

#include "core/conn.h"
#include "core/error.h"
#include "format/layout.h"
#include "format/splitter.h"

#include <string.h>

#define SCHEMA_HEADER                                                                              \
    "/*!40101 SET NAMES utf8mb4*/;\n"                                                              \
    "/*!40014 SET FOREIGN_KEY_CHECKS=0*/;\n"

/* Column `col` of the single row of `sql`, newly allocated. */
static char *show_value(MYSQL *m, const char *sql, unsigned col, GError **err)
{
    MYSQL_RES *res = wharf_conn_query(m, sql, err);
    if (res == NULL)
        return NULL;
    MYSQL_ROW row = mysql_fetch_row(res);
    char *out = NULL;
    if (row == NULL || mysql_num_fields(res) <= col || row[col] == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                    "%s returned nothing (missing privilege, or the object was dropped)", sql);
    } else {
        unsigned long *len = mysql_fetch_lengths(res);
        out = g_strndup(row[col], len[col]);
    }
    mysql_free_result(res);
    return out;
}

/* A statement as the file holds it: ending with ";" at the end of its line,
 * with the line-end escape inside it (format/splitter.h): no DELIMITER, so
 * that myloader splits the file as wharf does, and a body with ";" at the
 * end of an inner line comes back byte for byte. */
void wharf_schema_append_stmt(GString *s, const char *text, size_t n)
{
    size_t en = 0;
    char *e = wharf_sql_escape_line_ends(text, n, &en);
    if (e) {
        g_string_append_len(s, e, (gssize)en);
        g_free(e);
    } else {
        g_string_append_len(s, text, (gssize)n);
    }
    g_string_append(s, ";\n");
}

static gboolean write_file(const wharf_outdir *o, char *name, GString *content, GError **err)
{
    wharf_writer *w = wharf_rows_open(o, name, err);
    gboolean ok = w && wharf_writer_write(w, content->str, content->len, err) &&
                  wharf_writer_commit(w, err);
    if (w && !ok)
        wharf_writer_abort(w);
    g_free(name);
    g_string_free(content, TRUE);
    return ok;
}

gboolean wharf_schema_database(MYSQL *m, const wharf_outdir *o, const wharf_cat_db *d, GError **err)
{
    char *id = wharf_quote_ident(d->name);
    char *sql = g_strdup_printf("SHOW CREATE DATABASE %s", id);
    char *create = show_value(m, sql, 1, err);
    g_free(sql);
    if (create == NULL) {
        wharf_error_prefix(err, "database %s", id);
        g_free(id);
        return FALSE;
    }
    GString *s = g_string_new(SCHEMA_HEADER);
    wharf_schema_append_stmt(s, create, strlen(create));
    g_free(create);
    gboolean ok = write_file(o, wharf_layout_schema_create(d->fname, o->compress), s, err);
    if (!ok)
        wharf_error_prefix(err, "database %s", id);
    g_free(id);
    return ok;
}

/* One SHOW CREATE result, by column name (the column order differs by
 * object kind and server). Text is in the object's own character set
 * (the connection's results are binary), as the server stored it. */
typedef struct show_create {
    char *create;                 /* the CREATE statement */
    char *sql_mode, *time_zone;   /* NULL when the kind has none */
    char *cs_client, *coll_conn;  /* character_set_client, collation_connection */
} show_create;

static void show_create_clear(show_create *sc)
{
    g_free(sc->create);
    g_free(sc->sql_mode);
    g_free(sc->time_zone);
    g_free(sc->cs_client);
    g_free(sc->coll_conn);
    memset(sc, 0, sizeof *sc);
}

static gboolean show_create_read(MYSQL *m, const char *sql, show_create *sc, GError **err)
{
    memset(sc, 0, sizeof *sc);
    MYSQL_RES *res = wharf_conn_query(m, sql, err);
    if (res == NULL)
        return FALSE;
    MYSQL_ROW row = mysql_fetch_row(res);
    unsigned long *len = row ? mysql_fetch_lengths(res) : NULL;
    MYSQL_FIELD *f = mysql_fetch_fields(res);
    for (unsigned i = 0; row && i < mysql_num_fields(res); i++) {
        if (row[i] == NULL)
            continue;
        char **slot = NULL;
        if (g_str_has_prefix(f[i].name, "Create ") || strcmp(f[i].name, "SQL Original Statement") == 0)
            slot = &sc->create;
        else if (strcmp(f[i].name, "sql_mode") == 0)
            slot = &sc->sql_mode;
        else if (strcmp(f[i].name, "time_zone") == 0)
            slot = &sc->time_zone;
        else if (strcmp(f[i].name, "character_set_client") == 0)
            slot = &sc->cs_client;
        else if (strcmp(f[i].name, "collation_connection") == 0)
            slot = &sc->coll_conn;
        if (slot && *slot == NULL)
            *slot = g_strndup(row[i], len[i]);
    }
    mysql_free_result(res);
    if (sc->create == NULL) {
        show_create_clear(sc);
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                    "%s returned nothing (missing privilege, or the object was dropped)", sql);
        return FALSE;
    }
    return TRUE;
}

/* The session context an object was created in, as statements ending in
 * `term`: sql_mode, character_set_client / collation_connection (the
 * object's text below is in that character set) and an event's time_zone.
 * The file's footer restores the loading session (FILE_FOOTER). */
static void append_context(GString *s, const show_create *sc, const char *term)
{
    if (sc->sql_mode) {
        char *mode = wharf_quote_string(sc->sql_mode);
        g_string_append_printf(s, "SET SESSION SQL_MODE=%s%s\n", mode, term);
        g_free(mode);
    }
    if (sc->cs_client && sc->coll_conn) {
        char *cs = wharf_quote_string(sc->cs_client), *co = wharf_quote_string(sc->coll_conn);
        g_string_append_printf(s,
                               "SET SESSION character_set_client=%s, collation_connection=%s%s\n",
                               cs, co, term);
        g_free(cs);
        g_free(co);
    }
    if (sc->time_zone) {
        char *tz = wharf_quote_string(sc->time_zone);
        g_string_append_printf(s, "SET SESSION TIME_ZONE=%s%s\n", tz, term);
        g_free(tz);
    }
}

/* Saved at the top of an object file, restored at its end, so the loading
 * session is as it was for the next file. Plain statements, not executable
 * comments: myloader 1.0 takes an executable-comment statement after the
 * first CREATE of a file as a header line and crashes. */
#define CONTEXT_SAVE                                                                               \
    "SET @OLD_SQL_MODE=@@SQL_MODE, @OLD_TIME_ZONE=@@TIME_ZONE;\n"
#define CONTEXT_RESTORE                                                                            \
    "SET SESSION SQL_MODE=@OLD_SQL_MODE, TIME_ZONE=@OLD_TIME_ZONE;\n"                  \
    "SET NAMES utf8mb4;\n"

/* One routine, trigger or event with its context. */
static void append_object(GString *s, const show_create *sc)
{
    append_context(s, sc, ";");
    wharf_schema_append_stmt(s, sc->create, strlen(sc->create));
}

/* SHOW CREATE PACKAGE [BODY] drops the label after the final END ("END
 * pkg" becomes "END"); information_schema keeps the body as written. The
 * body is put back so the package is recreated exactly. */
static gboolean package_body(MYSQL *m, const char *db, const char *name, const char *what,
                             show_create *sc, GError **err)
{
    if (sc->cs_client == NULL || !g_str_has_prefix(sc->cs_client, "utf8"))
        return TRUE; /* information_schema's text is utf8: only then the same bytes */
    char *qdb = wharf_quote_string(db), *qn = wharf_quote_string(name), *qt = wharf_quote_string(what);
    char *sql = g_strdup_printf("SELECT ROUTINE_DEFINITION FROM information_schema.ROUTINES WHERE "
                                "ROUTINE_SCHEMA=%s AND ROUTINE_NAME=%s AND ROUTINE_TYPE=%s",
                                qdb, qn, qt);
    char *def = wharf_conn_query_value(m, sql, err);
    g_free(sql);
    g_free(qdb);
    g_free(qn);
    g_free(qt);
    if (def == NULL)
        return err == NULL || *err == NULL;
    /* the longest prefix of def that ends the CREATE text is the body */
    size_t cl = strlen(sc->create), dl = strlen(def);
    for (size_t k = MIN(cl, dl); k > 0; k--) {
        if (memcmp(sc->create + cl - k, def, k) == 0) {
            /* only a missing label: most of the body matched */
            if (k < dl && dl - k <= 64 + 4 && k >= dl / 2) {
                char *fixed = g_malloc(cl - k + dl + 1);
                memcpy(fixed, sc->create, cl - k);
                memcpy(fixed + cl - k, def, dl + 1);
                g_free(sc->create);
                sc->create = fixed;
            }
            break;
        }
    }
    g_free(def);
    return TRUE;
}

static gboolean post_list(MYSQL *m, GString *s, const char *db, GPtrArray *names, const char *what,
                          GError **err)
{
    for (guint i = 0; i < names->len; i++) {
        char *tn = wharf_quote_table(db, names->pdata[i]);
        char *sql = g_strdup_printf("SHOW CREATE %s %s", what, tn);
        show_create sc;
        gboolean ok = show_create_read(m, sql, &sc, err);
        g_free(sql);
        if (ok && g_str_has_prefix(what, "PACKAGE") && !package_body(m, db, names->pdata[i], what, &sc, err))
            show_create_clear(&sc), ok = FALSE;
        if (!ok) {
            wharf_error_prefix(err, "%s %s", what, tn);
            g_free(tn);
            return FALSE;
        }
        append_object(s, &sc);
        show_create_clear(&sc);
        g_free(tn);
    }
    return TRUE;
}

gboolean wharf_schema_post(MYSQL *m, const wharf_outdir *o, const wharf_cat_db *d, GError **err)
{
    if (d->functions->len + d->procedures->len + d->events->len + d->packages->len +
            d->package_bodies->len ==
        0)
        return TRUE;
    GString *s = g_string_new(SCHEMA_HEADER CONTEXT_SAVE);
    /* Functions first: a procedure, package or event may call them (the
     * server checks nothing at CREATE time, but keep the natural order);
     * a package body needs its package. */
    if (!post_list(m, s, d->name, d->functions, "FUNCTION", err) ||
        !post_list(m, s, d->name, d->procedures, "PROCEDURE", err) ||
        !post_list(m, s, d->name, d->packages, "PACKAGE", err) ||
        !post_list(m, s, d->name, d->package_bodies, "PACKAGE BODY", err) ||
        !post_list(m, s, d->name, d->events, "EVENT", err)) {
        g_string_free(s, TRUE);
        return FALSE;
    }
    g_string_append(s, CONTEXT_RESTORE);
    gboolean ok = write_file(o, wharf_layout_post(d->fname, o->compress), s, err);
    if (!ok)
        wharf_error_prefix(err, "routines of database `%s`", d->name);
    return ok;
}

gboolean wharf_schema_triggers(MYSQL *m, const wharf_outdir *o, const wharf_cat_table *t,
                               GError **err)
{
    if (t->triggers->len == 0)
        return TRUE;
    GString *s = g_string_new(SCHEMA_HEADER CONTEXT_SAVE);
    if (!post_list(m, s, t->db, t->triggers, "TRIGGER", err)) {
        g_string_free(s, TRUE);
        return FALSE;
    }
    g_string_append(s, CONTEXT_RESTORE);
    return write_file(o, wharf_layout_triggers(t->fdb, t->fname, o->compress), s, err);
}

/* SHOW CREATE TABLE of an Aria table prints PAGE_CHECKSUM=1 when the table
 * only has it by default; replayed, it becomes an explicit option
 * (CREATE_OPTIONS gains page_checksum=1). Left out unless it was given. */
static void append_table(GString *s, const wharf_cat_table *t, const char *create)
{
    const char *close = strrchr(create, ')');
    const char *pc = close ? strstr(close, " PAGE_CHECKSUM=1") : NULL;
    if (pc && t->engine && g_ascii_strcasecmp(t->engine, "Aria") == 0 &&
        (t->create_options == NULL || strstr(t->create_options, "page_checksum") == NULL)) {
        char *c = g_strdup(create);
        char *at = c + (pc - create);
        memmove(at, at + 16, strlen(at + 16) + 1);
        wharf_schema_append_stmt(s, c, strlen(c));
        g_free(c);
        return;
    }
    wharf_schema_append_stmt(s, create, strlen(create));
}

gboolean wharf_schema_table(MYSQL *m, const wharf_outdir *o, const wharf_cat_table *t, GError **err)
{
    char *tn = wharf_quote_table(t->db, t->name);
    gboolean seq = t->kind == WHARF_OBJ_SEQUENCE;
    char *sql = g_strdup_printf("SHOW CREATE %s %s", seq ? "SEQUENCE" : "TABLE", tn);
    char *create = show_value(m, sql, 1, err);
    g_free(sql);
    gboolean ok = create != NULL;
    GString *s = g_string_new(SCHEMA_HEADER);
    if (ok)
        append_table(s, t, create);
    g_free(create);
    if (ok)
        ok = write_file(o, wharf_layout_table_schema(t->fdb, t->fname, o->compress), s, err);
    else
        g_string_free(s, TRUE);
    if (ok)
        ok = wharf_schema_triggers(m, o, t, err);
    if (!ok)
        wharf_error_prefix(err, "%s %s", seq ? "sequence" : "table", tn);
    g_free(tn);
    return ok;
}

/* The CREATE TABLE of the current result of a multi-statement batch. */
static char *batch_create(MYSQL *m, const char *tn, GError **err)
{
    MYSQL_RES *res = mysql_store_result(m);
    if (res == NULL) {
        wharf_conn_set_error(m, NULL, err);
        return NULL;
    }
    MYSQL_ROW row = mysql_fetch_row(res);
    char *out = NULL;
    if (row == NULL || mysql_num_fields(res) < 2 || row[1] == NULL)
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                    "SHOW CREATE TABLE %s returned nothing (missing privilege, or the table was"
                    " dropped)",
                    tn);
    else
        out = g_strndup(row[1], mysql_fetch_lengths(res)[1]);
    mysql_free_result(res);
    return out;
}

gboolean wharf_schema_tables(MYSQL *m, const wharf_outdir *o, wharf_cat_table *const *t, guint n,
                             GError **err)
{
    GString *q = g_string_new(NULL);
    for (guint i = 0; i < n; i++) {
        char *tn = wharf_quote_table(t[i]->db, t[i]->name);
        g_string_append_printf(q, "%sSHOW CREATE TABLE %s", i ? ";" : "", tn);
        g_free(tn);
    }
    gboolean ok = TRUE;
    guint i = 0;
    if (mysql_real_query(m, q->str, q->len) != 0) {
        wharf_conn_set_error(m, NULL, err);
        ok = FALSE;
    }
    /* One result per statement; the server stops at the first error, which
     * mysql_next_result() reports. Every result is consumed either way. */
    for (; ok && i < n; i++) {
        char *tn = wharf_quote_table(t[i]->db, t[i]->name);
        char *create = batch_create(m, tn, err);
        ok = create != NULL;
        if (ok) {
            GString *s = g_string_new(SCHEMA_HEADER);
            append_table(s, t[i], create);
            ok = write_file(o, wharf_layout_table_schema(t[i]->fdb, t[i]->fname, o->compress), s,
                            err);
        }
        g_free(create);
        if (!ok)
            wharf_error_prefix(err, "table %s", tn);
        g_free(tn);
        if (ok && i + 1 < n) {
            int rc = mysql_next_result(m);
            if (rc != 0) {
                char *next = wharf_quote_table(t[i + 1]->db, t[i + 1]->name);
                if (rc > 0)
                    wharf_conn_set_error(m, NULL, err);
                else
                    g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "no result");
                wharf_error_prefix(err, "table %s", next);
                g_free(next);
                ok = FALSE;
            }
        }
    }
    while (mysql_more_results(m) && mysql_next_result(m) == 0) {
        MYSQL_RES *r = mysql_store_result(m);
        if (r)
            mysql_free_result(r);
    }
    g_string_free(q, TRUE);
    for (i = 0; ok && i < n; i++) {
        ok = wharf_schema_triggers(m, o, t[i], err);
        if (!ok) {
            char *tn = wharf_quote_table(t[i]->db, t[i]->name);
            wharf_error_prefix(err, "table %s", tn);
            g_free(tn);
        }
    }
    return ok;
}

/* SHOW CREATE VIEW for a view the server cannot print on a connection
 * whose collation is binary (ERROR 1253: a COLLATE clause of another
 * character set is checked against the connection's): the same, with a
 * utf8mb4 connection collation; results stay binary (the original text). */
static gboolean view_utf8(MYSQL *m, const char *sql, show_create *sc, GError **err)
{
    if (!wharf_conn_exec(m, "SET collation_connection=utf8mb4_general_ci", err))
        return FALSE;
    gboolean ok = show_create_read(m, sql, sc, err);
    GError *e2 = NULL;
    if (!wharf_conn_exec(m, "SET NAMES binary", &e2)) {
        if (ok) {
            g_propagate_error(err, e2);
            show_create_clear(sc);
            return FALSE;
        }
        g_clear_error(&e2);
    }
    return ok;
}

/* DB.V-schema.sql, as mydumper writes it: a MEMORY table of the view's
 * columns (all int) that myloader creates with the tables and the view file
 * replaces; wharf's loader does not run it. */
static GString *view_placeholder(const wharf_cat_table *t)
{
    char *id = wharf_quote_ident(t->name);
    GString *s = g_string_new(SCHEMA_HEADER);
    g_string_append_printf(s, "CREATE TABLE IF NOT EXISTS %s(\n", id);
    g_free(id);
    for (guint i = 0; i < t->columns->len; i++) {
        char *c = wharf_quote_ident(((wharf_column *)t->columns->pdata[i])->name);
        g_string_append_printf(s, "%s%s int", i ? ",\n" : "", c);
        g_free(c);
    }
    if (t->columns->len == 0)
        g_string_append(s, "`wharf_placeholder` int");
    g_string_append(s, "\n) ENGINE=MEMORY;\n");
    return s;
}

gboolean wharf_schema_view(MYSQL *m, const wharf_outdir *o, const wharf_cat_table *t, GError **err)
{
    char *tn = wharf_quote_table(t->db, t->name);
    char *sql = g_strdup_printf("SHOW CREATE VIEW %s", tn);
    show_create sc;
    gboolean ok = show_create_read(m, sql, &sc, err);
    if (!ok && (*err)->domain == WHARF_SQL_ERROR && (*err)->code == 1253) {
        g_clear_error(err);
        ok = view_utf8(m, sql, &sc, err);
    }
    g_free(sql);
    if (ok) {
        /* The placeholder goes first: myloader creates views in directory
         * order, so a view reading a later view needs its placeholder. */
        ok = write_file(o, wharf_layout_table_schema(t->fdb, t->fname, o->compress),
                        view_placeholder(t), err);
    }
    if (ok) {
        char *id = wharf_quote_ident(t->name);
        GString *s = g_string_new(SCHEMA_HEADER);
        g_string_append_printf(s, "DROP TABLE IF EXISTS %s;\nDROP VIEW IF EXISTS %s;\n" CONTEXT_SAVE,
                               id, id);
        g_free(id);
        append_context(s, &sc, ";");
        wharf_schema_append_stmt(s, sc.create, strlen(sc.create));
        g_string_append(s, CONTEXT_RESTORE);
        ok = write_file(o, wharf_layout_view_schema(t->fdb, t->fname, o->compress), s, err);
    }
    show_create_clear(&sc);
    if (!ok)
        wharf_error_prefix(err, "view %s", tn);
    g_free(tn);
    return ok;
}
