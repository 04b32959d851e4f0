#include "dump/catalog.h"

#include "core/console.h"
#include "core/error.h"
#include "core/filter.h"
#include "format/layout.h"

#include <stdlib.h>
#include <string.h>

static const char *const system_schemas[] = {"mysql", "sys", "information_schema",
                                             "performance_schema", NULL};

char *wharf_catalog_key(const char *db, const char *name)
{
    return wharf_filter_key(db, name);
}

static gboolean is_system(const char *db)
{
    for (int i = 0; system_schemas[i]; i++)
        if (strcmp(db, system_schemas[i]) == 0)
            return TRUE;
    return FALSE;
}

/* The filter's choice; without -B/-T the server's system schemas are left
 * out (they are the server's, not the application's). */
static gboolean db_selected(const wharf_filter_sets *s, const char *db)
{
    return wharf_filter_db_selected(s, db) && (wharf_filter_only_dbs(s) != NULL || !is_system(db));
}

static gboolean table_selected(const wharf_filter_sets *s, const char *db, const char *name)
{
    return db_selected(s, db) && wharf_filter_table_selected(s, db, name);
}

static void column_free(gpointer p)
{
    wharf_column *c = p;
    g_free(c->name);
    g_free(c->data_type);
    g_free(c->charset);
    g_free(c->collation);
    g_free(c);
}

static void table_free(gpointer p)
{
    wharf_cat_table *t = p;
    g_free(t->db);
    g_free(t->name);
    g_free(t->fname);
    g_free(t->engine);
    g_free(t->create_options);
    g_ptr_array_unref(t->columns);
    if (t->key)
        g_ptr_array_unref(t->key);
    g_free(t->key_name);
    g_ptr_array_unref(t->triggers);
    g_ptr_array_unref(t->depends);
    g_free(t->where);
    g_free(t);
}

static void db_free(gpointer p)
{
    wharf_cat_db *d = p;
    g_free(d->name);
    g_free(d->fname);
    g_ptr_array_unref(d->functions);
    g_ptr_array_unref(d->procedures);
    g_ptr_array_unref(d->events);
    g_ptr_array_unref(d->packages);
    g_ptr_array_unref(d->package_bodies);
    g_free(d);
}

void wharf_catalog_free(wharf_catalog *c)
{
    if (c == NULL)
        return;
    g_hash_table_destroy(c->by_name);
    g_hash_table_destroy(c->db_by_name);
    g_ptr_array_unref(c->tables);
    g_ptr_array_unref(c->dbs);
    g_free(c);
}

/* The schema condition pushed into every query (the rest is done here). */
static char *schema_cond(const wharf_filter_sets *s, const char *col)
{
    GString *q = g_string_new(NULL);
    GHashTable *only = wharf_filter_only_dbs(s);
    if (only) {
        g_string_append_printf(q, "%s IN (", col);
        GHashTableIter it;
        gpointer k;
        gboolean first = TRUE;
        g_hash_table_iter_init(&it, only);
        while (g_hash_table_iter_next(&it, &k, NULL)) {
            char *lit = wharf_quote_string(k);
            g_string_append_printf(q, "%s%s", first ? "" : ",", lit);
            g_free(lit);
            first = FALSE;
        }
        g_string_append(q, ")");
    } else {
        g_string_append_printf(q, "%s NOT IN (", col);
        for (int i = 0; system_schemas[i]; i++)
            g_string_append_printf(q, "%s'%s'", i ? "," : "", system_schemas[i]);
        g_string_append(q, ")");
    }
    return g_string_free(q, FALSE);
}

typedef gboolean (*row_fn)(wharf_catalog *c, const wharf_filter_sets *s, MYSQL_ROW row, GError **err);

static gboolean run_stream(MYSQL *m, wharf_catalog *c, const wharf_filter_sets *s, const char *what,
                           const char *sql, row_fn fn, GError **err)
{
    MYSQL_RES *res = wharf_conn_query_stream(m, sql, err);
    if (res == NULL) {
        wharf_error_prefix(err, "reading the catalog (%s)", what);
        return FALSE;
    }
    MYSQL_ROW row;
    gboolean ok = TRUE;
    while ((row = mysql_fetch_row(res)) != NULL) {
        if (ok && !fn(c, s, row, err))
            ok = FALSE; /* keep fetching: the result must be drained */
    }
    if (ok && mysql_errno(m) != 0) {
        wharf_conn_set_error(m, NULL, err);
        wharf_error_prefix(err, "reading the catalog (%s)", what);
        ok = FALSE;
    }
    mysql_free_result(res);
    return ok;
}

static wharf_cat_table *lookup(wharf_catalog *c, const char *db, const char *name)
{
    char *k = wharf_catalog_key(db, name);
    wharf_cat_table *t = g_hash_table_lookup(c->by_name, k);
    g_free(k);
    return t;
}

static wharf_cat_db *lookup_db(wharf_catalog *c, const char *db)
{
    return g_hash_table_lookup(c->db_by_name, db);
}

static gboolean on_schema(wharf_catalog *c, const wharf_filter_sets *s, MYSQL_ROW row, GError **err)
{
    if (!row[0] || !db_selected(s, row[0]))
        return TRUE;
    wharf_cat_db *d = g_new0(wharf_cat_db, 1);
    d->name = g_strdup(row[0]);
    d->functions = g_ptr_array_new_with_free_func(g_free);
    d->procedures = g_ptr_array_new_with_free_func(g_free);
    d->events = g_ptr_array_new_with_free_func(g_free);
    d->packages = g_ptr_array_new_with_free_func(g_free);
    d->package_bodies = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(c->dbs, d);
    g_hash_table_replace(c->db_by_name, d->name, d);
    return TRUE;
}

static gboolean is_transactional(const char *engine)
{
    static const char *const tx[] = {"InnoDB", "XtraDB", "RocksDB", "TokuDB", NULL};
    if (engine == NULL)
        return TRUE;
    for (int i = 0; tx[i]; i++)
        if (g_ascii_strcasecmp(engine, tx[i]) == 0)
            return TRUE;
    return FALSE;
}

static gboolean on_table(wharf_catalog *c, const wharf_filter_sets *s, MYSQL_ROW row, GError **err)
{
    /* TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS, AVG_ROW_LENGTH, DATA_LENGTH,
     * CREATE_OPTIONS */
    if (!row[0] || !row[1] || !table_selected(s, row[0], row[1]))
        return TRUE;
    const char *type = row[2] ? row[2] : "";
    wharf_obj_kind kind;
    gboolean versioned = FALSE;
    if (lookup_db(c, row[0]) == NULL)
        return TRUE;
    if (strcmp(type, "VIEW") == 0 && wharf_filter_of(s)->skip_views)
        return TRUE; /* --skip-views: left out on purpose, logged by the run */
    if (strcmp(type, "VIEW") == 0)
        kind = WHARF_OBJ_VIEW;
    else if (strcmp(type, "SEQUENCE") == 0)
        kind = WHARF_OBJ_SEQUENCE;
    else if (strcmp(type, "BASE TABLE") == 0)
        kind = WHARF_OBJ_TABLE;
    else if (strcmp(type, "SYSTEM VERSIONED") == 0)
        kind = WHARF_OBJ_TABLE, versioned = TRUE;
    else {
        /* SYSTEM VIEW, TEMPORARY or a type this version does not know: it
         * cannot be dumped, and it is never left out without a word. */
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_UNSUPPORTED,
                    "`%s`.`%s` is of table type '%s', which wharf cannot dump; leave it out"
                    " with --exclude or -x",
                    row[0], row[1], type);
        return FALSE;
    }
    wharf_cat_table *t = g_new0(wharf_cat_table, 1);
    t->db = g_strdup(row[0]);
    t->name = g_strdup(row[1]);
    t->kind = kind;
    t->versioned = versioned;
    t->history = versioned && !wharf_filter_of(s)->no_history;
    t->engine = (kind == WHARF_OBJ_VIEW || !row[3]) ? NULL : g_strdup(row[3]);
    t->create_options = g_strdup(row[7]);
    t->rows_estimate = row[4] ? g_ascii_strtoll(row[4], NULL, 10) : 0;
    t->avg_row_length = row[5] ? g_ascii_strtoll(row[5], NULL, 10) : 0;
    t->data_length = row[6] ? g_ascii_strtoll(row[6], NULL, 10) : 0;
    t->transactional = kind != WHARF_OBJ_TABLE || is_transactional(t->engine);
    t->columns = g_ptr_array_new_with_free_func(column_free);
    t->triggers = g_ptr_array_new_with_free_func(g_free);
    t->depends = g_ptr_array_new_with_free_func(g_free);
    char *k = wharf_catalog_key(t->db, t->name);
    t->where = g_strdup(wharf_filter_where(s, t->db, t->name));
    g_hash_table_replace(c->by_name, k, t);
    g_ptr_array_add(c->tables, t);
    if (kind == WHARF_OBJ_TABLE)
        c->n_base_tables++;
    else if (kind == WHARF_OBJ_VIEW)
        c->n_views++;
    else
        c->n_sequences++;
    return TRUE;
}

static gboolean on_column(wharf_catalog *c, const wharf_filter_sets *s, MYSQL_ROW row, GError **err)
{
    /* TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE,
     * CHARACTER_SET_NAME, COLLATION_NAME, EXTRA, GENERATION_EXPRESSION */
    if (!row[0] || !row[1] || !row[2])
        return TRUE;
    wharf_cat_table *t = lookup(c, row[0], row[1]);
    if (t == NULL)
        return TRUE;
    wharf_column *col = g_new0(wharf_column, 1);
    col->name = g_strdup(row[2]);
    col->data_type = g_ascii_strdown(row[3] ? row[3] : "", -1);
    col->is_unsigned = row[4] && strstr(row[4], "unsigned") != NULL;
    col->charset = g_strdup(row[5]);
    col->collation = g_strdup(row[6]);
    const char *extra = row[7] ? row[7] : "";
    /* MySQL 8 also has DEFAULT_GENERATED (a default expression), which is not
     * a generated column. */
    col->generated = strstr(extra, "VIRTUAL") != NULL || strstr(extra, "STORED") != NULL ||
                     strstr(extra, "PERSISTENT") != NULL;
    /* A system-versioned table's named ROW START / ROW END columns. */
    col->period = t->versioned && col->generated && row[8] &&
                  (strcmp(row[8], "ROW START") == 0 || strcmp(row[8], "ROW END") == 0);
    g_ptr_array_add(t->columns, col);
    return TRUE;
}

gboolean wharf_column_dumped(const wharf_cat_table *t, const wharf_column *c)
{
    return !c->generated || (c->period && t->history);
}

char *wharf_catalog_from(const wharf_cat_table *t)
{
    char *tn = wharf_quote_table(t->db, t->name);
    if (!t->history)
        return tn;
    char *s = g_strconcat(tn, " FOR SYSTEM_TIME ALL", NULL);
    g_free(tn);
    return s;
}

/* information_schema leaves out, with only a warning, the columns of a
 * table it could not open (being altered, or damaged): such a table would
 * be dumped as nothing. */
static gboolean every_table_has_columns(wharf_catalog *c, GError **err)
{
    for (guint i = 0; i < c->tables->len; i++) {
        wharf_cat_table *t = c->tables->pdata[i];
        /* (a view's columns are only used for its placeholder: a view the
         * binary catalog session cannot open, such as one with a COLLATE of
         * another character set, still has its SHOW CREATE VIEW) */
        if (t->columns->len == 0 && t->kind != WHARF_OBJ_VIEW) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED,
                        "`%s`.`%s`: information_schema lists no columns for it (the server could not open "
                        "it: a concurrent ALTER, or a damaged table); not dumped, the dump stops",
                        t->db, t->name);
            return FALSE;
        }
    }
    return TRUE;
}

/* A system-versioned table that names no period columns has the implicit
 * invisible `row_start` and `row_end` (which COLUMNS does not list). */
static void add_implicit_periods(wharf_catalog *c)
{
    for (guint i = 0; i < c->tables->len; i++) {
        wharf_cat_table *t = c->tables->pdata[i];
        if (!t->versioned)
            continue;
        gboolean named = FALSE;
        for (guint j = 0; j < t->columns->len && !named; j++)
            named = ((wharf_column *)t->columns->pdata[j])->period;
        for (int j = 0; j < 2 && !named; j++) {
            wharf_column *col = g_new0(wharf_column, 1);
            col->name = g_strdup(j == 0 ? "row_start" : "row_end");
            col->data_type = g_strdup("timestamp");
            col->generated = col->period = TRUE;
            g_ptr_array_add(t->columns, col);
        }
    }
}

/* Unique-index candidates while streaming STATISTICS (ordered by table,
 * index, position). */
typedef struct key_state {
    wharf_cat_table *t;
    char *index;
    GPtrArray *cols;
    gboolean usable;
} key_state;

static gboolean is_int_type(const char *t)
{
    return strcmp(t, "tinyint") == 0 || strcmp(t, "smallint") == 0 ||
           strcmp(t, "mediumint") == 0 || strcmp(t, "int") == 0 || strcmp(t, "bigint") == 0;
}

static int key_score(GPtrArray *cols, const char *index)
{
    /* lower is better: PRIMARY first, then fewer columns, integers first */
    int score = (int)cols->len * 10;
    if (strcmp(index, "PRIMARY") == 0)
        score -= 1000;
    if (cols->len == 1 && is_int_type(((wharf_column *)cols->pdata[0])->data_type))
        score -= 5;
    return score;
}

static void key_close(key_state *k)
{
    if (k->t && k->cols && k->usable && k->cols->len > 0) {
        wharf_cat_table *t = k->t;
        if (t->key == NULL || key_score(k->cols, k->index) < key_score(t->key, t->key_name)) {
            if (t->key)
                g_ptr_array_unref(t->key);
            g_free(t->key_name);
            t->key = g_ptr_array_ref(k->cols);
            t->key_name = g_strdup(k->index);
        }
    }
    if (k->cols)
        g_ptr_array_unref(k->cols);
    g_free(k->index);
    memset(k, 0, sizeof *k);
}

static wharf_column *find_column(wharf_cat_table *t, const char *name)
{
    for (guint i = 0; i < t->columns->len; i++) {
        wharf_column *col = t->columns->pdata[i];
        if (strcmp(col->name, name) == 0)
            return col;
    }
    return NULL;
}

static gboolean read_keys(MYSQL *m, wharf_catalog *c, const wharf_filter_sets *s, const char *cond,
                          GError **err)
{
    char *sql = g_strdup_printf(
        "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, NULLABLE"
        " FROM information_schema.STATISTICS WHERE NON_UNIQUE = 0 AND %s"
        " ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        cond);
    MYSQL_RES *res = wharf_conn_query_stream(m, sql, err);
    g_free(sql);
    if (res == NULL) {
        wharf_error_prefix(err, "reading the catalog (STATISTICS)");
        return FALSE;
    }
    key_state k = {0};
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        if (!row[0] || !row[1] || !row[2])
            continue;
        wharf_cat_table *t = lookup(c, row[0], row[1]);
        if (t == NULL || t->kind != WHARF_OBJ_TABLE)
            continue;
        if (k.t != t || strcmp(k.index, row[2]) != 0) {
            key_close(&k);
            k.t = t;
            k.index = g_strdup(row[2]);
            k.cols = g_ptr_array_new();
            k.usable = TRUE;
        }
        wharf_column *col = row[4] ? find_column(t, row[4]) : NULL;
        if (col == NULL || row[5] != NULL || (row[6] && row[6][0] != '\0'))
            k.usable = FALSE; /* expression, prefix or nullable part */
        else
            g_ptr_array_add(k.cols, col);
    }
    key_close(&k);
    gboolean ok = TRUE;
    if (mysql_errno(m) != 0) {
        wharf_conn_set_error(m, "reading the catalog (STATISTICS)", err);
        ok = FALSE;
    }
    mysql_free_result(res);
    return ok;
}

static void add_depend(wharf_cat_table *t, const char *db, const char *name)
{
    char *dep = g_strconcat(db, ".", name, NULL);
    for (guint i = 0; i < t->depends->len; i++)
        if (strcmp(t->depends->pdata[i], dep) == 0) {
            g_free(dep);
            return;
        }
    g_ptr_array_add(t->depends, dep);
}

/* Tables a view reads: the server stores view definitions with every table
 * qualified, `db`.`name`; keep the pairs that name a dumped object. */
static gboolean on_view(wharf_catalog *c, const wharf_filter_sets *s, MYSQL_ROW row, GError **err)
{
    if (!row[0] || !row[1] || !row[2])
        return TRUE;
    wharf_cat_table *v = lookup(c, row[0], row[1]);
    if (v == NULL)
        return TRUE;
    const char *p = row[2];
    char *prev = NULL;
    while ((p = strchr(p, '`')) != NULL) {
        char *ident = NULL;
        const char *e = wharf_filter_parse_ident(p, "", &ident);
        if (e == NULL)
            break;
        if (prev && p > row[2] && p[-1] == '.') {
            wharf_cat_table *dep = lookup(c, prev, ident);
            if (dep && dep != v)
                add_depend(v, dep->db, dep->name);
        }
        g_free(prev);
        prev = ident;
        p = e;
    }
    g_free(prev);
    return TRUE;
}

static gboolean on_trigger(wharf_catalog *c, const wharf_filter_sets *s, MYSQL_ROW row, GError **err)
{
    /* TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE */
    if (!row[0] || !row[1] || !row[2])
        return TRUE;
    wharf_cat_table *t = lookup(c, row[0], row[2]);
    if (t)
        g_ptr_array_add(t->triggers, g_strdup(row[1]));
    return TRUE;
}

static gboolean on_routine(wharf_catalog *c, const wharf_filter_sets *s, MYSQL_ROW row, GError **err)
{
    /* ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE */
    if (!row[0] || !row[1] || !row[2])
        return TRUE;
    wharf_cat_db *d = lookup_db(c, row[0]);
    if (d == NULL)
        return TRUE;
    if (strcmp(row[2], "FUNCTION") == 0)
        g_ptr_array_add(d->functions, g_strdup(row[1]));
    else if (strcmp(row[2], "PROCEDURE") == 0)
        g_ptr_array_add(d->procedures, g_strdup(row[1]));
    else if (strcmp(row[2], "PACKAGE") == 0)
        g_ptr_array_add(d->packages, g_strdup(row[1]));
    else if (strcmp(row[2], "PACKAGE BODY") == 0)
        g_ptr_array_add(d->package_bodies, g_strdup(row[1]));
    else {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_UNSUPPORTED,
                    "routine `%s`.`%s` is of type '%s', which wharf cannot dump", row[0], row[1],
                    row[2]);
        return FALSE;
    }
    return TRUE;
}

static gboolean on_event(wharf_catalog *c, const wharf_filter_sets *s, MYSQL_ROW row, GError **err)
{
    if (!row[0] || !row[1])
        return TRUE;
    wharf_cat_db *d = lookup_db(c, row[0]);
    if (d)
        g_ptr_array_add(d->events, g_strdup(row[1]));
    return TRUE;
}

static gboolean on_fk(wharf_catalog *c, const wharf_filter_sets *s, MYSQL_ROW row, GError **err)
{
    /* CONSTRAINT_SCHEMA, TABLE_NAME, UNIQUE_CONSTRAINT_SCHEMA, REFERENCED_TABLE_NAME */
    if (!row[0] || !row[1] || !row[2] || !row[3])
        return TRUE;
    wharf_cat_table *t = lookup(c, row[0], row[1]);
    if (t && !(strcmp(row[0], row[2]) == 0 && strcmp(row[1], row[3]) == 0))
        add_depend(t, row[2], row[3]);
    return TRUE;
}

/* Names that cannot be file names get mydumper_N, in catalog order. */
static void assign_file_names(wharf_catalog *c)
{
    guint n = 0;
    for (guint i = 0; i < c->dbs->len; i++) {
        wharf_cat_db *d = c->dbs->pdata[i];
        d->fname = wharf_layout_name_is_plain(d->name) ? g_strdup(d->name) : wharf_layout_mapped_name(n++);
    }
    for (guint i = 0; i < c->tables->len; i++) {
        wharf_cat_table *t = c->tables->pdata[i];
        t->fdb = lookup_db(c, t->db)->fname;
        t->fname = wharf_layout_name_is_plain(t->name) ? g_strdup(t->name) : wharf_layout_mapped_name(n++);
    }
}

static int cmp_db(gconstpointer a, gconstpointer b)
{
    const wharf_cat_db *x = *(wharf_cat_db *const *)a, *y = *(wharf_cat_db *const *)b;
    return strcmp(x->name, y->name);
}

static gboolean catalog_has(void *data, const char *db, const char *name, gboolean where)
{
    wharf_catalog *c = data;
    if (name == NULL)
        return lookup_db(c, db) != NULL;
    char *k = wharf_catalog_key(db, name);
    const wharf_cat_table *t = g_hash_table_lookup(c->by_name, k);
    g_free(k);
    return t != NULL && (!where || t->kind == WHARF_OBJ_TABLE);
}

static gboolean check_named(wharf_catalog *c, const wharf_filter_sets *s, GError **err)
{
    return wharf_filter_check_named(s, catalog_has, c, "does not exist or is not visible to this user", err);
}

wharf_catalog *wharf_catalog_read(MYSQL *m, const wharf_filter *f, GError **err)
{
    wharf_catalog *c = g_new0(wharf_catalog, 1);
    c->dbs = g_ptr_array_new_with_free_func(db_free);
    c->tables = g_ptr_array_new_with_free_func(table_free);
    c->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    c->db_by_name = g_hash_table_new(g_str_hash, g_str_equal);
    wharf_filter_sets *s = wharf_filter_sets_new(f);
    gboolean ok = TRUE;
    struct {
        const char *what, *fmt;
        row_fn fn;
        const char *col;
        gboolean skip; /* left out: -T (routines, events) or --skip-KIND */
    } q[] = {
        {"SCHEMATA", "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE %s", on_schema,
         "SCHEMA_NAME", FALSE},
        {"TABLES",
         "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS, AVG_ROW_LENGTH,"
         " DATA_LENGTH, CREATE_OPTIONS FROM information_schema.TABLES WHERE %s"
         " ORDER BY TABLE_SCHEMA, TABLE_NAME",
         on_table, "TABLE_SCHEMA", FALSE},
        {"COLUMNS",
         "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME,"
         " COLLATION_NAME, EXTRA, GENERATION_EXPRESSION FROM information_schema.COLUMNS WHERE %s"
         " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
         on_column, "TABLE_SCHEMA", FALSE},
        {"VIEWS",
         "SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE %s",
         on_view, "TABLE_SCHEMA", f->skip_views},
        {"TRIGGERS",
         "SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS"
         " WHERE %s ORDER BY TRIGGER_SCHEMA, EVENT_OBJECT_TABLE, ACTION_TIMING,"
         " EVENT_MANIPULATION, ACTION_ORDER",
         on_trigger, "TRIGGER_SCHEMA", f->skip_triggers},
        {"ROUTINES",
         "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES"
         " WHERE %s ORDER BY ROUTINE_SCHEMA, ROUTINE_NAME",
         on_routine, "ROUTINE_SCHEMA", !f->routines || f->skip_routines},
        {"EVENTS",
         "SELECT EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS WHERE %s"
         " ORDER BY EVENT_SCHEMA, EVENT_NAME",
         on_event, "EVENT_SCHEMA", !f->routines || f->skip_events},
        {"REFERENTIAL_CONSTRAINTS",
         "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, UNIQUE_CONSTRAINT_SCHEMA, REFERENCED_TABLE_NAME"
         " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE %s",
         on_fk, "CONSTRAINT_SCHEMA", FALSE},
    };
    for (guint i = 0; ok && i < G_N_ELEMENTS(q); i++) {
        if (q[i].skip)
            continue;
        char *cond = schema_cond(s, q[i].col);
        char *sql = g_strdup_printf(q[i].fmt, cond);
        ok = run_stream(m, c, s, q[i].what, sql, q[i].fn, err);
        g_free(sql);
        g_free(cond);
        if (ok && i == 0)
            g_ptr_array_sort(c->dbs, cmp_db);
        if (ok && strcmp(q[i].what, "COLUMNS") == 0) {
            ok = every_table_has_columns(c, err);
            if (ok) {
                add_implicit_periods(c);
                char *kc = schema_cond(s, "TABLE_SCHEMA");
                ok = read_keys(m, c, s, kc, err);
                g_free(kc);
            }
        }
    }
    if (ok)
        ok = check_named(c, s, err);
    if (ok)
        assign_file_names(c);
    wharf_filter_sets_free(s);
    if (!ok) {
        wharf_catalog_free(c);
        return NULL;
    }
    return c;
}
