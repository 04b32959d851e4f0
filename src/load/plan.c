/* plan: the dump directory read once into objects, then into a job graph.
 * Contract in plan.h. Single-threaded (runs before the workers start). */
#include "load/plan.h"

#include "core/filter.h"

#include "core/conn.h"
#include "core/console.h"
#include "core/error.h"
#include "core/stream.h"
#include "format/layout.h"
#include "format/splitter.h"
#include "load/ddl.h"
#include "engine/run.h"
#include "engine/sched.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *key2(const char *db, const char *t)
{
    return wharf_filter_key(db, t);
}

wharf_load_table *wharf_load_plan_table(const wharf_load_plan *p, const char *db, const char *name)
{
    char *k = key2(db, name);
    wharf_load_table *t = g_hash_table_lookup(p->table_by_key, k);
    g_free(k);
    return t;
}

static void chunk_free(gpointer p)
{
    wharf_load_chunk *c = p;
    g_free(c->sql_path);
    g_free(c->dat_path);
    g_free(c->name);
    g_free(c);
}

static void table_free(gpointer p)
{
    wharf_load_table *t = p;
    g_free(t->name);
    g_free(t->schema_path);
    g_free(t->engine);
    g_free(t->view_path);
    g_free(t->triggers_path);
    g_ptr_array_free(t->chunks, TRUE);
    if (t->parents)
        g_ptr_array_free(t->parents, TRUE);
    if (t->sequences)
        g_ptr_array_free(t->sequences, TRUE);
    if (t->deferred_indexes)
        g_ptr_array_free(t->deferred_indexes, TRUE);
    if (t->deferred_fulltext)
        g_ptr_array_free(t->deferred_fulltext, TRUE);
    if (t->deferred_fks)
        g_ptr_array_free(t->deferred_fks, TRUE);
    g_free(t->qname);
    g_free(t->display);
    g_free(t);
}

static void db_free(gpointer p)
{
    wharf_load_db *d = p;
    g_free(d->name);
    g_free(d->target);
    g_free(d->create_path);
    g_free(d->post_path);
    g_free(d->triggers_path);
    g_ptr_array_free(d->tables, TRUE);
    g_free(d);
}

void wharf_load_plan_free(wharf_load_plan *p)
{
    if (p == NULL)
        return;
    g_free(p->dir);
    if (p->meta)
        wharf_metadata_free(p->meta);
    g_hash_table_unref(p->table_by_key);
    g_hash_table_unref(p->db_by_name);
    g_ptr_array_free(p->dbs, TRUE);
    g_ptr_array_free(p->problems, TRUE);
    g_free(p->accounts_path);
    wharf_load_accounts_free(p->accounts);
    g_free(p);
}

static wharf_load_db *get_db(wharf_load_plan *p, const char *name)
{
    wharf_load_db *d = g_hash_table_lookup(p->db_by_name, name);
    if (d == NULL) {
        d = g_new0(wharf_load_db, 1);
        d->name = g_strdup(name);
        d->tables = g_ptr_array_new_with_free_func(table_free);
        g_hash_table_insert(p->db_by_name, d->name, d);
        g_ptr_array_add(p->dbs, d);
    }
    return d;
}

static wharf_load_table *get_table(wharf_load_plan *p, const char *db, const char *name)
{
    char *k = key2(db, name);
    wharf_load_table *t = g_hash_table_lookup(p->table_by_key, k);
    if (t == NULL) {
        wharf_load_db *d = get_db(p, db);
        t = g_new0(wharf_load_table, 1);
        t->db = d;
        t->name = g_strdup(name);
        t->chunks = g_ptr_array_new_with_free_func(chunk_free);
        t->display = g_strdup_printf("%s.%s", db, name);
        g_ptr_array_add(d->tables, t);
        g_hash_table_insert(p->table_by_key, k, t);
    } else {
        g_free(k);
    }
    return t;
}

static int cmp_db(gconstpointer a, gconstpointer b)
{
    const wharf_load_db *x = *(wharf_load_db *const *)a, *y = *(wharf_load_db *const *)b;
    return strcmp(x->name, y->name);
}

static int cmp_table(gconstpointer a, gconstpointer b)
{
    const wharf_load_table *x = *(wharf_load_table *const *)a, *y = *(wharf_load_table *const *)b;
    return strcmp(x->name, y->name);
}

static int cmp_chunk(gconstpointer a, gconstpointer b)
{
    const wharf_load_chunk *x = *(wharf_load_chunk *const *)a, *y = *(wharf_load_chunk *const *)b;
    if (x->part != y->part)
        return x->part < y->part ? -1 : 1;
    if (x->subpart != y->subpart)
        return x->subpart < y->subpart ? -1 : 1;
    return 0;
}

/* Resolve "db.name" (names may contain dots) to a planned object. */
static wharf_load_table *resolve_dotted(wharf_load_plan *p, const char *s)
{
    for (const char *dot = strchr(s, '.'); dot; dot = strchr(dot + 1, '.')) {
        char *db = g_strndup(s, (size_t)(dot - s));
        char *k = key2(db, dot + 1);
        wharf_load_table *t = g_hash_table_lookup(p->table_by_key, k);
        g_free(k);
        g_free(db);
        if (t)
            return t;
    }
    return NULL;
}

static void add_parent(wharf_load_table *t, wharf_load_table *parent)
{
    if (parent == NULL || parent == t)
        return;
    if (t->parents == NULL)
        t->parents = g_ptr_array_new();
    for (guint i = 0; i < t->parents->len; i++)
        if (t->parents->pdata[i] == parent)
            return;
    g_ptr_array_add(t->parents, parent);
}

/* The ENGINE= of SHOW CREATE TABLE's text (after the last column's line:
 * ") ENGINE=name"), or NULL. */
static char *table_engine(const char *text, size_t len)
{
    const char *e = g_strrstr_len(text, (gssize)len, ") ENGINE=");
    if (e == NULL)
        return NULL;
    e += 9;
    size_t n = 0;
    while (e + n < text + len && (g_ascii_isalnum(e[n]) || e[n] == '_'))
        n++;
    return n ? g_strndup(e, n) : NULL;
}

/* Foreign key parents, sequences and engine of a table, from its schema file. */
static void scan_table_schema(wharf_load_plan *p, wharf_load_table *t)
{
    char *text = NULL;
    size_t len = 0;
    GError *err = NULL;
    if (!wharf_dumpdir_read(&p->src, t->schema_path, &text, &len, &err)) {
        /* The TABLE job reports it, naming the file. */
        g_clear_error(&err);
        return;
    }
    /* DEFAULT nextval(`db`.`seq`): the sequence must exist first */
    for (const char *nv = text; (nv = g_strstr_len(nv, (gssize)(len - (size_t)(nv - text)), "nextval(")) != NULL;) {
        nv += 8;
        const char *close = memchr(nv, ')', len - (size_t)(nv - text));
        if (close == NULL)
            break;
        GPtrArray *ids = wharf_ddl_identifiers(nv, (size_t)(close - nv));
        if (ids->len == 1 || ids->len == 2) {
            char *k = ids->len == 2 ? key2(ids->pdata[0], ids->pdata[1]) : key2(t->db->name, ids->pdata[0]);
            wharf_load_table *sq = g_hash_table_lookup(p->table_by_key, k);
            g_free(k);
            if (sq && sq != t) {
                if (t->sequences == NULL)
                    t->sequences = g_ptr_array_new();
                g_ptr_array_add(t->sequences, sq);
            }
        }
        g_ptr_array_free(ids, TRUE);
    }
    t->engine = table_engine(text, len);
    if (g_strstr_len(text, (gssize)len, "FOREIGN KEY") != NULL) {
        const char *c = g_strstr_len(text, (gssize)len, "CREATE TABLE");
        if (c) {
            wharf_ddl_table dt;
            wharf_ddl_table_init(&dt);
            wharf_ddl_split_table(c, len - (size_t)(c - text), FALSE, TRUE, &dt);
            t->has_fks = dt.fks->len > 0;
            for (guint i = 0; i < dt.parents->len; i++) {
                const char *pk = dt.parents->pdata[i];
                char *k = pk[0] == '\x1f' ? g_strconcat(t->db->name, pk, NULL) : g_strdup(pk);
                add_parent(t, g_hash_table_lookup(p->table_by_key, k));
                g_free(k);
            }
            wharf_ddl_table_clear(&dt);
        }
    }
    g_free(text);
}

/* Views a view reads, from its text: identifiers naming another view of the
 * plan (same database, or `db`.`view`). */
static void scan_view(wharf_load_plan *p, wharf_load_table *v)
{
    char *text = NULL;
    size_t len = 0;
    GError *err = NULL;
    if (!wharf_dumpdir_read(&p->src, v->view_path, &text, &len, &err)) {
        g_clear_error(&err);
        return;
    }
    GPtrArray *ids = wharf_ddl_identifiers(text, len);
    for (guint i = 0; i < ids->len; i++) {
        const char *id = ids->pdata[i];
        char *k = key2(v->db->name, id);
        wharf_load_table *x = g_hash_table_lookup(p->table_by_key, k);
        g_free(k);
        if (x && x->view_path)
            add_parent(v, x);
        if (i + 1 < ids->len) {
            k = key2(id, ids->pdata[i + 1]);
            x = g_hash_table_lookup(p->table_by_key, k);
            g_free(k);
            if (x && x->view_path)
                add_parent(v, x);
        }
    }
    g_ptr_array_free(ids, TRUE);
    g_free(text);
}

/* mydumper's text metadata (before 0.16): only its first bytes are read. */
static gboolean is_legacy_metadata(const wharf_load_plan *p)
{
    static const char magic[] = "Started dump at";
    char *path = g_build_filename(p->dir, "metadata", NULL);
    char head[sizeof magic - 1];
    wharf_reader *r = wharf_dumpdir_open(&p->src, path, NULL);
    g_free(path);
    if (r == NULL)
        return FALSE;
    gssize n = wharf_reader_read(r, head, sizeof head, NULL);
    wharf_reader_close(r);
    return n == (gssize)sizeof head && memcmp(head, magic, sizeof head) == 0;
}

/* One file of the directory, as named (file-name forms). */
typedef struct dir_entry {
    char *fn;
    wharf_file_info fi;
    gint64 size;
} dir_entry;

static void dir_entry_free(gpointer x)
{
    dir_entry *e = x;
    g_free(e->fn);
    wharf_file_info_clear(&e->fi);
    g_free(e);
}

/* The --resume journal may be kept in the dump directory. */
static gboolean is_journal(const wharf_load_opts *o, const char *fn)
{
    if (o->resume == NULL)
        return FALSE;
    char *dir = g_path_get_dirname(o->resume), *base = g_path_get_basename(o->resume);
    char *a = realpath(dir, NULL), *b = realpath(o->dir, NULL);
    gboolean r = a && b && strcmp(a, b) == 0 && strcmp(base, fn) == 0;
    free(a);
    free(b);
    g_free(dir);
    g_free(base);
    return r;
}

static void set_path(wharf_load_plan *p, char **slot, char *path);
static char *file_path(const char *dir, const char *fn);

/* Phase 1, the one readdir pass: every name classified. A name that is not
 * part of a dump is a problem (it could be a file the dump lost its name
 * for, or one that does not belong): never skipped in silence. */
static GPtrArray *scan_dir(wharf_load_plan *p, const wharf_load_opts *o, gboolean *has_metadata,
                           GError **err)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GArray *sizes = g_array_new(FALSE, FALSE, sizeof(gint64));
    if (!wharf_dumpdir_list(&p->src, names, sizes, err)) {
        g_ptr_array_free(names, TRUE);
        g_array_free(sizes, TRUE);
        return NULL;
    }
    GPtrArray *files = g_ptr_array_new_with_free_func(dir_entry_free);
    for (guint i = 0; i < names->len; i++) {
        const char *fn = names->pdata[i];
        if (p->src.ops == NULL && is_journal(o, fn))
            continue;
        dir_entry *e = g_new0(dir_entry, 1);
        if (!wharf_layout_parse(fn, &e->fi)) {
            g_ptr_array_add(p->problems,
                            g_strdup_printf("%s/%s: not a file of a dump (unknown name); move it out of "
                                            "the dump directory",
                                            o->dir, fn));
            g_free(e);
            continue;
        }
        if (e->fi.kind == WHARF_FILE_ACCOUNTS) { /* the server's, no database */
            set_path(p, &p->accounts_path, file_path(o->dir, fn));
            g_free(e);
            continue;
        }
        if (e->fi.kind == WHARF_FILE_METADATA) {
            *has_metadata = TRUE;
            p->metadata_size = g_array_index(sizes, gint64, i);
            wharf_file_info_clear(&e->fi);
            g_free(e);
            continue;
        }
        e->fn = g_strdup(fn);
        e->size = g_array_index(sizes, gint64, i);
        g_ptr_array_add(files, e);
    }
    g_ptr_array_free(names, TRUE);
    g_array_free(sizes, TRUE);
    return files;
}

/* Phase 2: `metadata`, before the files are placed (it maps file names). */
/* An empty metadata file, one without [config] (myloader requires it), or a
 * wharf one without its finish time: the dump did not complete. NULL if the
 * file looks whole, else why not. */
static const char *metadata_incomplete(const wharf_load_plan *p)
{
    gboolean empty = p->metadata_size == 0;
    if (empty)
        return "it is empty";
    if (p->meta == NULL)
        return NULL; /* malformed: reported as a problem */
    if (!p->meta->has_config)
        return "it has no [config] group (truncated?)";
    if (p->wharf_dump && p->meta->finished == NULL)
        return "it has no [wharf] finished time (truncated?)";
    return NULL;
}

/* A directory's metadata is read as a stream; another dumpdir's whole. */
static wharf_metadata *read_metadata(const wharf_load_plan *p, GError **err)
{
    if (p->src.ops == NULL)
        return wharf_metadata_read(p->dir, err);
    char *path = g_build_filename(p->dir, "metadata", NULL), *text = NULL;
    size_t len = 0;
    wharf_metadata *m = NULL;
    if (wharf_dumpdir_read(&p->src, path, &text, &len, err))
        m = wharf_metadata_read_text(path, text, len, err);
    g_free(text);
    g_free(path);
    return m;
}

/* Phase 2: `metadata`, before the files are placed (it maps file names). */
static gboolean read_meta(wharf_load_plan *p, const wharf_load_opts *o, gboolean has_metadata,
                          GError **err)
{
    if (!has_metadata) {
        if (!o->allow_incomplete) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                        "%s has no `metadata` file: an interrupted or incomplete dump "
                        "(--allow-incomplete loads it anyway)", o->dir);
            return FALSE;
        }
        WLOG_WARN("%s: no metadata file; loading an incomplete dump without checks", o->dir);
    } else if (is_legacy_metadata(p)) {
        WLOG_INFO("%s/metadata: old mydumper format (before 0.16): no row counts or checksums to verify",
                  o->dir);
    } else {
        GError *merr = NULL;
        p->meta = read_metadata(p, &merr);
        if (p->meta == NULL) {
            g_ptr_array_add(p->problems,
                            g_strdup_printf("%s/metadata is malformed, loading without it "
                                            "(no checksums, no row counts): %s",
                                            o->dir, merr->message));
            g_clear_error(&merr);
        } else {
            p->wharf_dump = p->meta->tool && g_str_has_prefix(p->meta->tool, "wharf");
        }
        const char *why = metadata_incomplete(p);
        if (why && !o->allow_incomplete) {
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                        "%s/metadata is incomplete (%s): an interrupted or damaged dump "
                        "(--allow-incomplete loads it anyway)", o->dir, why);
            return FALSE;
        }
        if (why) {
            WLOG_WARN("%s/metadata is incomplete (%s); loading without it", o->dir, why);
            if (p->meta)
                wharf_metadata_free(p->meta);
            p->meta = NULL;
            p->wharf_dump = FALSE;
        }
    }
    /* wharf's own convention, else (mydumper, or no metadata) mydumper's */
    gboolean line = p->meta && p->meta->statement_end && strcmp(p->meta->statement_end, "line") == 0;
    p->line_ends = !p->wharf_dump || line;
    p->unescape = p->wharf_dump && line;
    return TRUE;
}

/* The name a file's first CREATE statement of kind `want` gives its object
 * (NULL if none): how a mapped name (mydumper_N) is resolved when nothing
 * else records it, as myloader does. */
wharf_splitter *wharf_load_plan_splitter(const wharf_load_plan *p, wharf_reader *r, size_t max_statement)
{
    wharf_splitter *sp = wharf_splitter_new(r, max_statement);
    wharf_splitter_set_line_end(sp, p->line_ends);
    return sp;
}

char *wharf_load_plan_statement(const wharf_load_plan *p, const char *stmt, size_t len, size_t *out_len)
{
    return p->unescape ? wharf_sql_unescape_line_ends(stmt, len, out_len) : NULL;
}

static char *created_name(const wharf_load_plan *p, const char *fn, wharf_ddl_kind want)
{
    char *path = g_build_filename(p->dir, fn, NULL);
    wharf_reader *r = wharf_dumpdir_open(&p->src, path, NULL);
    g_free(path);
    if (r == NULL)
        return NULL;
    wharf_splitter *sp = wharf_load_plan_splitter(p, r, 0);
    const char *stmt;
    size_t len;
    char *found = NULL;
    while (found == NULL && wharf_splitter_next(sp, &stmt, &len, NULL) == 1) {
        char *db = NULL, *name = NULL;
        wharf_ddl_kind k = wharf_ddl_object(stmt, len, &db, &name);
        if (k == want || (want == WHARF_DDL_TABLE && k == WHARF_DDL_SEQUENCE)) {
            found = name;
            name = NULL;
        }
        g_free(db);
        g_free(name);
    }
    wharf_splitter_free(sp);
    wharf_reader_close(r);
    return found;
}

/* Phase 3: file-name forms -> real names. Databases: a mapped name by the
 * CREATE DATABASE of its -schema-create file, else by metadata's
 * wharf-database. Tables: by their metadata group (real_table_name), else
 * a mapped name by the CREATE in its schema file. Entries are rewritten to
 * real names; metadata entries get their real database. */
static void resolve_names(wharf_load_plan *p, const wharf_load_opts *o, GPtrArray *files)
{
    GHashTable *dbs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GHashTable *tables = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (guint i = 0; i < files->len; i++) {
        dir_entry *e = files->pdata[i];
        if (e->fi.kind != WHARF_FILE_SCHEMA_CREATE || !wharf_layout_is_mapped(e->fi.db))
            continue;
        char *real = created_name(p, e->fn, WHARF_DDL_DATABASE);
        if (real)
            g_hash_table_replace(dbs, g_strdup(e->fi.db), real);
    }
    for (guint i = 0; p->meta && i < p->meta->tables->len; i++) {
        wharf_table_meta *tm = p->meta->tables->pdata[i];
        const char *fdb = tm->file_db ? tm->file_db : tm->db;
        const char *known = g_hash_table_lookup(dbs, fdb);
        if (known && strcmp(tm->db, fdb) == 0) {
            tm->file_db = tm->db;
            tm->db = wharf_metadata_str(p->meta, known);
        } else if (!known && strcmp(tm->db, fdb) != 0) {
            g_hash_table_replace(dbs, g_strdup(fdb), g_strdup(tm->db));
        }
        g_hash_table_replace(tables, key2(fdb, tm->file_table ? tm->file_table : tm->table),
                             g_strdup(tm->table));
    }
    for (guint i = 0; i < files->len; i++) {
        dir_entry *e = files->pdata[i];
        gboolean schema = e->fi.kind == WHARF_FILE_TABLE_SCHEMA || e->fi.kind == WHARF_FILE_SEQUENCE;
        if ((!schema && e->fi.kind != WHARF_FILE_VIEW_SCHEMA) || !wharf_layout_is_mapped(e->fi.table))
            continue;
        char *k = key2(e->fi.db, e->fi.table);
        char *real = g_hash_table_contains(tables, k)
                         ? NULL
                         : created_name(p, e->fn, schema ? WHARF_DDL_TABLE : WHARF_DDL_VIEW);
        if (real)
            g_hash_table_replace(tables, k, real);
        else
            g_free(k);
    }
    for (guint i = 0; i < files->len; i++) {
        dir_entry *e = files->pdata[i];
        if (e->fi.table) {
            char *k = key2(e->fi.db, e->fi.table);
            const char *real = g_hash_table_lookup(tables, k);
            g_free(k);
            if (real) {
                g_free(e->fi.table);
                e->fi.table = g_strdup(real);
            }
        }
        const char *rdb = g_hash_table_lookup(dbs, e->fi.db);
        if (rdb) {
            g_free(e->fi.db);
            e->fi.db = g_strdup(rdb);
        }
    }
    g_hash_table_unref(dbs);
    g_hash_table_unref(tables);
}

/* Set a file slot of an object; a second file for the same slot (t-schema.sql
 * and t-schema.sql.zst) is a problem, not a silent pick. */
static void set_path(wharf_load_plan *p, char **slot, char *path)
{
    if (*slot != NULL) {
        g_ptr_array_add(p->problems, g_strdup_printf("%s and %s are two files for the same object; keep "
                                                     "one", *slot, path));
        g_free(path);
        return;
    }
    *slot = path;
}

static void place_chunk(wharf_load_plan *p, const dir_entry *e, char *path, gint64 size,
                        GHashTable *chunk_by_key)
{
    const wharf_file_info *fi = &e->fi;
    wharf_load_table *t = get_table(p, fi->db, fi->table);
    char *ck = g_strdup_printf("%s\x1f%s\x1f%" G_GUINT64_FORMAT "\x1f%" G_GUINT64_FORMAT, fi->db, fi->table,
                               fi->part, fi->subpart);
    wharf_load_chunk *c = g_hash_table_lookup(chunk_by_key, ck);
    if (c == NULL) {
        c = g_new0(wharf_load_chunk, 1);
        c->table = t;
        c->part = fi->part;
        c->subpart = fi->subpart;
        c->name = fi->subpart ? g_strdup_printf("%s.%s.%05" G_GUINT64_FORMAT ".%05" G_GUINT64_FORMAT, fi->db,
                                                fi->table, fi->part, fi->subpart)
                              : g_strdup_printf("%s.%s.%05" G_GUINT64_FORMAT, fi->db, fi->table, fi->part);
        g_ptr_array_add(t->chunks, c);
        g_hash_table_insert(chunk_by_key, ck, c);
    } else {
        g_free(ck);
    }
    if (fi->kind == WHARF_FILE_DATA_SQL) {
        set_path(p, &c->sql_path, path);
        if (c->dat_path == NULL)
            c->disk_bytes = size;
    } else {
        set_path(p, &c->dat_path, path);
        c->disk_bytes = size;
    }
}

/* DIR/FN as g_build_filename() joins them, in an allocation of its length
 * (g_build_filename's own is at least 256 bytes: one per file of the dump,
 * kept for the whole run). */
static char *file_path(const char *dir, const char *fn)
{
    char *built = g_build_filename(dir, fn, NULL);
    char *path = g_strdup(built);
    g_free(built);
    return path;
}

/* Phase 4: each file to the object it names (real names now). */
static void place_files(wharf_load_plan *p, const wharf_load_opts *o, const wharf_filter_sets *ns, GPtrArray *files)
{
    GHashTable *chunk_by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < files->len; i++) {
        const dir_entry *e = files->pdata[i];
        const wharf_file_info *fi = &e->fi;
        if (!wharf_filter_db_selected(ns, fi->db))
            continue;
        char *path = file_path(o->dir, e->fn);
        switch (fi->kind) {
        case WHARF_FILE_SCHEMA_CREATE: set_path(p, &get_db(p, fi->db)->create_path, path); break;
        case WHARF_FILE_POST: set_path(p, &get_db(p, fi->db)->post_path, path); break;
        case WHARF_FILE_DB_TRIGGERS: set_path(p, &get_db(p, fi->db)->triggers_path, path); break;
        case WHARF_FILE_TABLE_SCHEMA:
        case WHARF_FILE_SEQUENCE: set_path(p, &get_table(p, fi->db, fi->table)->schema_path, path); break;
        case WHARF_FILE_VIEW_SCHEMA: set_path(p, &get_table(p, fi->db, fi->table)->view_path, path); break;
        case WHARF_FILE_TRIGGERS: set_path(p, &get_table(p, fi->db, fi->table)->triggers_path, path); break;
        case WHARF_FILE_DATA_SQL:
        case WHARF_FILE_DATA_DAT:
            place_chunk(p, e, path, e->size, chunk_by_key);
            break;
        default:
            g_ptr_array_add(p->problems, g_strdup_printf("%s: not a file wharf can load", path));
            g_free(path);
            break;
        }
    }
    g_hash_table_unref(chunk_by_key);
}

/* Checksums and row counts of a table's chunks, by part number, and the
 * chunks metadata lists but the directory lacks: one merge of the two
 * part-ordered lists (t->chunks sorted, metadata kept in part order). */
static void match_chunks(wharf_load_plan *p, const wharf_load_opts *o, wharf_load_table *t)
{
    guint m = 0, n = t->meta ? t->meta->chunks->len : 0;
    gboolean matched = FALSE; /* meta chunk m has a file */
    for (guint c = 0; c < t->chunks->len; c++) {
        wharf_load_chunk *ch = t->chunks->pdata[c];
        p->nchunks++;
        p->data_bytes += ch->disk_bytes;
        for (; m < n; m++, matched = FALSE) {
            const wharf_chunk_meta *cm = t->meta->chunks->pdata[m];
            if (cm->part >= ch->part)
                break;
            if (!matched && !o->no_data)
                g_ptr_array_add(p->problems, g_strdup_printf("%s/%s: listed in metadata for %s but missing",
                                                             o->dir, cm->file, t->display));
        }
        if (m < n && ((const wharf_chunk_meta *)t->meta->chunks->pdata[m])->part == ch->part) {
            matched = TRUE;
            if (ch->subpart == 0)
                ch->meta = t->meta->chunks->pdata[m];
        }
    }
    for (; m < n; m++, matched = FALSE) {
        const wharf_chunk_meta *cm = t->meta->chunks->pdata[m];
        if (!matched && !o->no_data)
            g_ptr_array_add(p->problems, g_strdup_printf("%s/%s: listed in metadata for %s but missing", o->dir,
                                                         cm->file, t->display));
    }
}

/* Phase 5: -T/-x/--exclude on tables and views: one compacting pass per
 * database (not one removal each: O(tables), whatever -T selects); with
 * -T/-x, databases without a selected object are not restored. */
static void apply_filter(wharf_load_plan *p, const wharf_load_opts *o, const wharf_filter_sets *ns)
{
    for (guint i = 0; i < p->dbs->len; i++) {
        wharf_load_db *d = p->dbs->pdata[i];
        GPtrArray *kept = g_ptr_array_new_with_free_func(table_free);
        for (guint j = 0; j < d->tables->len; j++) {
            wharf_load_table *t = d->tables->pdata[j];
            if (wharf_filter_table_selected(ns, d->name, t->name)) {
                g_ptr_array_add(kept, t);
                continue;
            }
            char *k = key2(d->name, t->name);
            g_hash_table_remove(p->table_by_key, k);
            g_free(k);
            table_free(t);
        }
        g_ptr_array_set_free_func(d->tables, NULL);
        g_ptr_array_free(d->tables, TRUE);
        d->tables = kept;
    }
    if (o->filter.tables || o->filter.regex) {
        for (guint i = 0; i < p->dbs->len;) {
            wharf_load_db *d = p->dbs->pdata[i];
            if (d->tables->len == 0) {
                g_hash_table_remove(p->db_by_name, d->name);
                g_ptr_array_remove_index(p->dbs, i);
                continue;
            }
            i++;
        }
    }
    g_ptr_array_sort(p->dbs, cmp_db);
}

/* Phase 6: files and metadata agree. A wharf dump lists every object it
 * wrote: files of an object that metadata does not list are a damaged or
 * altered dump; an object metadata lists needs its files. */
static void match_metadata(wharf_load_plan *p, const wharf_load_opts *o, const wharf_filter_sets *ns)
{
    if (p->meta && p->wharf_dump) {
        GHashTable *listed_set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (guint m = 0; m < p->meta->tables->len; m++) {
            const wharf_table_meta *tm = p->meta->tables->pdata[m];
            g_hash_table_add(listed_set, key2(tm->db, tm->table));
        }
        for (guint i = 0; i < p->dbs->len; i++) {
            wharf_load_db *d = p->dbs->pdata[i];
            for (guint j = 0; j < d->tables->len; j++) {
                wharf_load_table *t = d->tables->pdata[j];
                char *k = key2(d->name, t->name);
                gboolean listed = g_hash_table_contains(listed_set, k);
                g_free(k);
                if (!listed)
                    g_ptr_array_add(p->problems,
                                    g_strdup_printf("%s.%s: files of it are in %s but metadata does not list it "
                                                    "(a damaged or altered dump)",
                                                    d->name, t->name, o->dir));
            }
        }
        g_hash_table_unref(listed_set);
    }
    for (guint i = 0; p->meta && i < p->meta->tables->len; i++) {
        const wharf_table_meta *tm = p->meta->tables->pdata[i];
        if (!wharf_filter_db_selected(ns, tm->db) || !wharf_filter_table_selected(ns, tm->db, tm->table))
            continue;
        char *k = key2(tm->db, tm->table);
        wharf_load_table *t = g_hash_table_lookup(p->table_by_key, k);
        g_free(k);
        if (t == NULL) {
            g_ptr_array_add(p->problems, g_strdup_printf("%s.%s: listed in metadata but no file of it is in %s",
                                                         tm->db, tm->table, o->dir));
            continue;
        }
        t->meta = tm;
    }
}

/* --into needs exactly one database. */
static gboolean check_into(const wharf_load_plan *p, const wharf_load_opts *o, GError **err)
{
    if (o->into == NULL || p->dbs->len == 1)
        return TRUE;
    GString *names = g_string_new(NULL);
    for (guint i = 0; i < p->dbs->len; i++)
        g_string_append_printf(names, "%s%s", i ? ", " : "", ((wharf_load_db *)p->dbs->pdata[i])->name);
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE,
                "--into needs exactly one source database, the dump has %u (%s); choose one with -B",
                p->dbs->len, names->str);
    g_string_free(names, TRUE);
    return FALSE;
}

/* Phase 7: target names, order, counts, chunks matched to metadata. */
static void finish_objects(wharf_load_plan *p, const wharf_load_opts *o)
{
    for (guint i = 0; i < p->dbs->len; i++) {
        wharf_load_db *d = p->dbs->pdata[i];
        d->target = g_strdup(o->into ? o->into : d->name);
        g_ptr_array_sort(d->tables, cmp_table);
        for (guint j = 0; j < d->tables->len; j++) {
            wharf_load_table *t = d->tables->pdata[j];
            t->qname = wharf_quote_table(d->target, t->name);
            g_ptr_array_sort(t->chunks, cmp_chunk);
            if (t->view_path) {
                p->nviews++;
                /* mydumper writes a placeholder table in -schema.sql for a view */
                g_free(t->schema_path);
                t->schema_path = NULL;
            } else {
                p->ntables++;
            }
            match_chunks(p, o, t);
        }
    }
}

/* A table's or view's dependencies read from its file (it changes only
 * that object; the plan's maps are only read). */
static void scan_one(wharf_load_plan *p, wharf_load_table *t)
{
    if (t->view_path) {
        t->views_after_tables = TRUE;
        scan_view(p, t);
    } else {
        scan_table_schema(p, t);
    }
}

static void *scan_worker_new(void *ctx, int index)
{
    (void)index;
    return ctx;
}

static gboolean scan_job(void *worker, wharf_job *job, GError **err)
{
    (void)err;
    scan_one(worker, wharf_job_payload(job));
    return TRUE;
}

/* The files scanned on the engine's workers: from a source other than the
 * local disk (a bucket) each is a request, bound by its latency, not one
 * after another. A file that cannot be read is left to its TABLE job. */
static void scan_parallel(wharf_load_plan *p, GPtrArray *todo, int threads)
{
    wharf_run *run = wharf_run_new("reading schema files", NULL, (guint)threads);
    wharf_sched *s = wharf_sched_new(FALSE, run);
    for (guint i = 0; i < todo->len; i++) {
        wharf_load_table *t = todo->pdata[i];
        wharf_sched_add(s, 0, t, t->name, FALSE);
    }
    wharf_sched_callbacks cb = {.ctx = p, .worker_new = scan_worker_new, .run = scan_job};
    wharf_sched_run(s, threads, &cb);
    wharf_sched_free(s);
    wharf_run_free(run);
}

/* Phase 8: dependencies read from the files (after every object is known):
 * a wharf dump's views from its metadata, every other object's from its
 * file. */
static void read_dependencies(wharf_load_plan *p, const wharf_load_opts *o)
{
    GPtrArray *todo = g_ptr_array_new();
    for (guint i = 0; i < p->dbs->len; i++) {
        wharf_load_db *d = p->dbs->pdata[i];
        for (guint j = 0; j < d->tables->len; j++) {
            wharf_load_table *t = d->tables->pdata[j];
            if (t->view_path && p->wharf_dump && t->meta != NULL) {
                for (guint k = 0; t->meta->depends && k < t->meta->depends->len; k++)
                    add_parent(t, resolve_dotted(p, t->meta->depends->pdata[k]));
            } else if (t->view_path || (t->schema_path && !o->no_schema)) {
                g_ptr_array_add(todo, t);
            }
        }
    }
    int threads = MIN(MAX(o->common.threads, 4), 32);
    if (p->src.ops != NULL && todo->len > 1) {
        scan_parallel(p, todo, threads);
    } else {
        for (guint i = 0; i < todo->len; i++)
            scan_one(p, todo->pdata[i]);
    }
    g_ptr_array_free(todo, TRUE);
}

/* Phase 9 (--users): the accounts file, every statement checked before
 * anything is loaded. */
static gboolean read_accounts(wharf_load_plan *p, const wharf_load_opts *o, GError **err)
{
    if (p->accounts_path == NULL) {
        if (p->meta && p->meta->accounts >= 0)
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                        "--users: %s has no wharf-accounts.grants, but metadata says the dump wrote %" G_GINT64_FORMAT
                        " account(s) to it (a damaged dump); nothing was changed", o->dir, p->meta->accounts);
        else
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_NOT_FOUND,
                        "--users: %s holds no accounts (no wharf-accounts.grants: the dump was not of a whole "
                        "server, or made with --no-users); nothing was changed", o->dir);
        return FALSE;
    }
    p->accounts = wharf_load_accounts_read(p, o, p->accounts_path, err);
    if (p->accounts == NULL)
        return FALSE;
    /* a wharf dump says how many it wrote: a cut file is not a smaller server */
    if (p->meta && p->meta->accounts >= 0 && p->meta->accounts != (gint64)p->accounts->created) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "%s creates %u account(s), metadata says the dump wrote %" G_GINT64_FORMAT
                    " (a damaged or altered dump); nothing was changed",
                    p->accounts_path, p->accounts->created, p->meta->accounts);
        return FALSE;
    }
    return TRUE;
}

wharf_load_plan *wharf_load_plan_read(const wharf_load_opts *o, const wharf_dumpdir *src, GError **err)
{
    wharf_load_plan *p = g_new0(wharf_load_plan, 1);
    p->dir = g_strdup(o->dir);
    p->src = src ? *src : (wharf_dumpdir){NULL, NULL, NULL};
    p->src.path = p->dir;
    p->dbs = g_ptr_array_new_with_free_func(db_free);
    p->db_by_name = g_hash_table_new(g_str_hash, g_str_equal);
    p->table_by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    p->problems = g_ptr_array_new_with_free_func(g_free);
    gboolean has_metadata = FALSE;
    GPtrArray *files = scan_dir(p, o, &has_metadata, err);
    if (files == NULL || !read_meta(p, o, has_metadata, err)) {
        if (files)
            g_ptr_array_free(files, TRUE);
        wharf_load_plan_free(p);
        return NULL;
    }
    wharf_filter_sets *ns = wharf_filter_sets_new(&o->filter);
    resolve_names(p, o, files);
    place_files(p, o, ns, files);
    g_ptr_array_free(files, TRUE);
    apply_filter(p, o, ns);
    match_metadata(p, o, ns);
    wharf_filter_sets_free(ns);
    if (!check_into(p, o, err)) {
        wharf_load_plan_free(p);
        return NULL;
    }
    finish_objects(p, o);
    read_dependencies(p, o);
    if (o->users && !read_accounts(p, o, err)) {
        wharf_load_plan_free(p);
        return NULL;
    }
    return p;
}

/* --- the job graph ------------------------------------------------------- */

char *wharf_load_job_key(int kind, const void *payload)
{
    switch ((wharf_load_job_kind)kind) {
    case WHARF_LJ_DATABASE:
    case WHARF_LJ_ROUTINES:
    case WHARF_LJ_EVENTS:
    case WHARF_LJ_DB_TRIGGERS: {
        char *q = wharf_quote_ident(((const wharf_load_db *)payload)->name);
        char *k = g_strdup_printf("%d %s", kind, q);
        g_free(q);
        return k;
    }
    case WHARF_LJ_CHUNK: {
        const wharf_load_chunk *c = payload;
        char *q = wharf_quote_table(c->table->db->name, c->table->name);
        char *k = g_strdup_printf("%d %s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, kind, q, c->part, c->subpart);
        g_free(q);
        return k;
    }
    case WHARF_LJ_TABLE:
    case WHARF_LJ_TABLE_DONE:
    case WHARF_LJ_FKS:
    case WHARF_LJ_VIEW:
    case WHARF_LJ_TRIGGERS:
    case WHARF_LJ_VERIFY: {
        const wharf_load_table *t = payload;
        char *q = wharf_quote_table(t->db->name, t->name);
        char *k = g_strdup_printf("%d %s", kind, q);
        g_free(q);
        return k;
    }
    case WHARF_LJ_ACCOUNT:
    case WHARF_LJ_ACCOUNT_OBJECTS:
        return g_strdup_printf("%d %s", kind, ((const wharf_load_account *)payload)->display);
    default:
        return g_strdup_printf("%d", kind);
    }
}

/* Bytes a row costs the server beyond its text (parsing, a B-tree insert). */
#define ROW_COST_BYTES 100

/* Estimated server work of a table's data: its uncompressed bytes (disk
 * bytes when the metadata has none) plus a cost per row. Chunks of the
 * heaviest tables run first (longest job first): their index builds and
 * verification then overlap with the loading of smaller tables instead of
 * trailing the run. */
static gint64 table_weight(const wharf_load_table *t)
{
    gint64 w = 0;
    for (guint c = 0; c < t->chunks->len; c++) {
        const wharf_load_chunk *ch = t->chunks->pdata[c];
        w += ch->meta ? (gint64)ch->meta->bytes + ROW_COST_BYTES * MAX(ch->meta->rows, 0) : ch->disk_bytes;
    }
    if (t->meta && t->meta->rows > 0 && t->chunks->len && ((wharf_load_chunk *)t->chunks->pdata[0])->meta == NULL)
        w += ROW_COST_BYTES * t->meta->rows;
    return w;
}

/* The job graph being built (wharf_load_plan_build_jobs). */
typedef struct graph {
    wharf_load_plan *p;
    const wharf_load_opts *o;
    wharf_sched *s;
    gboolean schema, data;
    wharf_job *all_tables;  /* every TABLE job final (views without deps) */
    wharf_job *all_done;    /* every table, view, trigger final (events) */
    GPtrArray *create_jobs; /* TABLE jobs */
    GPtrArray *late_jobs;   /* views, tables' completions, FKs, triggers */
} graph;

static wharf_job *add(graph *g, int kind, void *payload, gboolean schema, const char *fmt, ...) G_GNUC_PRINTF(5, 6);
static wharf_job *add(graph *g, int kind, void *payload, gboolean schema, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *name = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    wharf_job *j = wharf_sched_add(g->s, kind, payload, name, schema);
    g_free(name);
    return j;
}

/* A view, or a table: created, its chunks, its completion (deferred
 * indexes), its triggers, its row count check. */
static void add_object_jobs(graph *g, wharf_load_db *d, wharf_load_table *t, wharf_job *dbj)
{
    const wharf_load_opts *o = g->o;
    if (t->view_path) {
        if (!g->schema || o->filter.skip_views)
            return;
        t->job_create = add(g, WHARF_LJ_VIEW, t, TRUE, "view %s", t->display);
        wharf_sched_depend(g->s, t->job_create, dbj, TRUE);
        g_ptr_array_add(g->late_jobs, t->job_create);
        return;
    }
    /* --no-schema --if-exists=truncate: a TABLE job empties the existing table */
    if (g->schema || o->if_exists == WHARF_IF_EXISTS_TRUNCATE) {
        t->job_create = add(g, WHARF_LJ_TABLE, t, TRUE, "table %s", t->display);
        if (dbj)
            wharf_sched_depend(g->s, t->job_create, dbj, TRUE);
        g_ptr_array_add(g->create_jobs, t->job_create);
    }
    if (!g->data) {
        t->job_done = t->job_create;
        return;
    }
    t->job_done = add(g, WHARF_LJ_TABLE_DONE, t, TRUE, "table %s (indexes)", t->display);
    if (t->job_create)
        wharf_sched_depend(g->s, t->job_done, t->job_create, TRUE);
    gint64 weight = table_weight(t);
    for (guint c = 0; c < t->chunks->len; c++) {
        wharf_load_chunk *ch = t->chunks->pdata[c];
        wharf_job *cj = add(g, WHARF_LJ_CHUNK, ch, FALSE, "chunk %s", ch->name);
        wharf_job_set_weight(cj, weight);
        if (t->job_create)
            wharf_sched_depend(g->s, cj, t->job_create, TRUE);
        wharf_sched_depend(g->s, t->job_done, cj, TRUE);
    }
    g_ptr_array_add(g->late_jobs, t->job_done);
    if (t->triggers_path && !o->filter.skip_triggers) {
        wharf_job *tj = add(g, WHARF_LJ_TRIGGERS, t, TRUE, "triggers of %s", t->display);
        wharf_sched_depend(g->s, tj, t->job_done, TRUE);
        g_ptr_array_add(g->late_jobs, tj);
    }
    if (!o->no_verify && t->meta && t->meta->rows >= 0 &&
        (t->meta->kind == NULL || strcmp(t->meta->kind, "table") == 0)) {
        wharf_job *vj = add(g, WHARF_LJ_VERIFY, t, TRUE, "verify %s", t->display);
        wharf_sched_depend(g->s, vj, t->job_done, TRUE);
    }
    (void)d;
}

/* A table whose DEFAULT reads a sequence: created after it. */
static void add_sequence_edges(graph *g, wharf_load_table *t)
{
    for (guint k = 0; t->job_create && t->sequences && k < t->sequences->len; k++) {
        wharf_load_table *sq = t->sequences->pdata[k];
        if (sq->job_create)
            wharf_sched_depend(g->s, t->job_create, sq->job_create, TRUE);
    }
}

/* A view after the objects it reads (or, without recorded dependencies,
 * after every table); a table's foreign keys after it and each parent are
 * complete. */
static void add_view_and_fk_edges(graph *g, wharf_load_table *t)
{
    const wharf_load_opts *o = g->o;
    if (t->view_path) {
        if (t->job_create == NULL)
            return; /* --no-schema / --skip-views: views are not loaded */
        for (guint k = 0; t->parents && k < t->parents->len; k++) {
            wharf_load_table *x = t->parents->pdata[k];
            if (x->job_create)
                wharf_sched_depend(g->s, t->job_create, x->job_create, TRUE);
        }
        if (t->views_after_tables) {
            if (g->all_tables == NULL)
                g->all_tables = add(g, WHARF_LJ_BARRIER, NULL, TRUE, "all tables created");
            wharf_sched_depend(g->s, t->job_create, g->all_tables, FALSE);
        }
        return;
    }
    if (!(g->schema && g->data && t->has_fks && o->defer != WHARF_DEFER_OFF))
        return;
    wharf_job *fj = add(g, WHARF_LJ_FKS, t, TRUE, "foreign keys of %s", t->display);
    wharf_sched_depend(g->s, fj, t->job_done, TRUE);
    for (guint k = 0; t->parents && k < t->parents->len; k++) {
        wharf_load_table *x = t->parents->pdata[k];
        if (x->job_done && x != t)
            wharf_sched_depend(g->s, fj, x->job_done, TRUE);
    }
    g_ptr_array_add(g->late_jobs, fj);
}

/* mydumper 1.0's DB-schema-triggers.sql: after the data of every table of
 * the database (order-only: one failed table fails only its own
 * triggers, named by the server). */
static void add_db_trigger_jobs(graph *g, wharf_load_db *d)
{
    if (!g->data || d->triggers_path == NULL || g->o->filter.skip_triggers)
        return;
    wharf_job *tj = add(g, WHARF_LJ_DB_TRIGGERS, d, TRUE, "triggers of database %s", d->target);
    if (d->job)
        wharf_sched_depend(g->s, tj, d->job, TRUE);
    for (guint j = 0; j < d->tables->len; j++) {
        wharf_load_table *t = d->tables->pdata[j];
        if (t->job_done)
            wharf_sched_depend(g->s, tj, t->job_done, FALSE);
        else if (t->job_create)
            wharf_sched_depend(g->s, tj, t->job_create, FALSE);
    }
    g_ptr_array_add(g->late_jobs, tj);
}

/* Routines with the schema, before any view; events (which could fire on
 * the data) last. */
static void add_post_jobs(graph *g)
{
    const wharf_load_opts *o = g->o;
    wharf_job *all_routines = NULL;
    gboolean any_events = FALSE;
    for (guint i = 0; i < g->p->dbs->len; i++) {
        wharf_load_db *d = g->p->dbs->pdata[i];
        if (d->post_path == NULL || o->filter.tables != NULL)
            continue;
        if (g->schema && !o->filter.skip_routines) {
            wharf_job *rj = add(g, WHARF_LJ_ROUTINES, d, TRUE, "routines of %s", d->target);
            if (d->job)
                wharf_sched_depend(g->s, rj, d->job, TRUE);
            if (all_routines == NULL)
                all_routines = add(g, WHARF_LJ_BARRIER, NULL, TRUE, "all routines");
            wharf_sched_depend(g->s, all_routines, rj, FALSE);
        }
        if (g->data && !o->filter.skip_events) {
            if (g->all_done == NULL)
                g->all_done = add(g, WHARF_LJ_BARRIER, NULL, TRUE, "all tables, views and triggers");
            wharf_job *ej = add(g, WHARF_LJ_EVENTS, d, TRUE, "events of %s", d->target);
            wharf_sched_depend(g->s, ej, g->all_done, FALSE);
            if (d->job)
                wharf_sched_depend(g->s, ej, d->job, TRUE);
            any_events = TRUE;
        }
    }
    for (guint i = 0; all_routines && i < g->late_jobs->len; i++) {
        wharf_job *j = g->late_jobs->pdata[i];
        if (wharf_job_kind(j) == WHARF_LJ_VIEW)
            wharf_sched_depend(g->s, j, all_routines, FALSE);
    }
    if (any_events) {
        for (guint i = 0; i < g->late_jobs->len; i++)
            wharf_sched_depend(g->s, g->all_done, g->late_jobs->pdata[i], FALSE);
        for (guint i = 0; i < g->create_jobs->len; i++)
            wharf_sched_depend(g->s, g->all_done, g->create_jobs->pdata[i], FALSE);
    }
}

/* --users: one job per account, after the roles granted to it; views,
 * triggers, routines and events (DEFINERs) after every account; grants on
 * objects after what they name, before events. Edges by the kind of the
 * jobs already built: one pass over them. */
static void add_account_jobs(graph *g)
{
    const wharf_load_accounts *a = g->p->accounts;
    if (a == NULL || a->list->len == 0)
        return;
    GHashTable *job_of = g_hash_table_new(g_direct_hash, g_direct_equal);
    guint n_before = wharf_sched_count(g->s);
    wharf_job *all = add(g, WHARF_LJ_BARRIER, NULL, TRUE, "all accounts");
    GPtrArray *objects = g_ptr_array_new();
    for (guint i = 0; i < a->list->len; i++) {
        wharf_load_account *acc = a->list->pdata[i];
        wharf_job *j = add(g, WHARF_LJ_ACCOUNT, acc, TRUE, "%s %s", acc->host ? "account" : "role", acc->display);
        g_hash_table_insert(job_of, acc, j);
        wharf_sched_depend(g->s, all, j, FALSE);
        if (acc->object_stmts->len) {
            wharf_job *oj = add(g, WHARF_LJ_ACCOUNT_OBJECTS, acc, TRUE, "grants on objects to %s", acc->display);
            wharf_sched_depend(g->s, oj, j, TRUE);
            g_ptr_array_add(objects, oj);
        }
    }
    for (guint i = 0; i < a->list->len; i++) {
        wharf_load_account *acc = a->list->pdata[i];
        for (guint k = 0; k < acc->roles->len; k++)
            wharf_sched_depend(g->s, g_hash_table_lookup(job_of, acc), g_hash_table_lookup(job_of, acc->roles->pdata[k]),
                               TRUE);
    }
    for (guint i = 0; i < n_before; i++) {
        wharf_job *j = wharf_sched_job(g->s, i);
        int kind = wharf_job_kind(j);
        if (kind == WHARF_LJ_VIEW || kind == WHARF_LJ_TRIGGERS || kind == WHARF_LJ_DB_TRIGGERS ||
            kind == WHARF_LJ_ROUTINES || kind == WHARF_LJ_EVENTS)
            wharf_sched_depend(g->s, j, all, FALSE);
        for (guint k = 0; k < objects->len; k++) {
            if (kind == WHARF_LJ_TABLE || kind == WHARF_LJ_VIEW || kind == WHARF_LJ_ROUTINES)
                wharf_sched_depend(g->s, objects->pdata[k], j, FALSE);
            else if (kind == WHARF_LJ_EVENTS)
                wharf_sched_depend(g->s, j, objects->pdata[k], FALSE);
        }
    }
    g_ptr_array_free(objects, TRUE);
    g_hash_table_unref(job_of);
}

void wharf_load_plan_build_jobs(wharf_load_plan *p, const wharf_load_opts *o, wharf_sched *s)
{
    graph g = {p, o, s, !o->no_schema, !o->no_data, NULL, NULL, g_ptr_array_new(), g_ptr_array_new()};
    for (guint i = 0; i < p->problems->len; i++)
        wharf_sched_add(s, WHARF_LJ_PROBLEM, p->problems->pdata[i], "dump", TRUE);
    for (guint i = 0; i < p->dbs->len; i++) {
        wharf_load_db *d = p->dbs->pdata[i];
        wharf_job *dbj = g.schema ? (d->job = add(&g, WHARF_LJ_DATABASE, d, TRUE, "database %s", d->target)) : NULL;
        for (guint j = 0; j < d->tables->len; j++)
            add_object_jobs(&g, d, d->tables->pdata[j], dbj);
    }
    for (guint i = 0; i < p->dbs->len; i++) {
        wharf_load_db *d = p->dbs->pdata[i];
        for (guint j = 0; j < d->tables->len; j++)
            add_sequence_edges(&g, d->tables->pdata[j]);
    }
    for (guint i = 0; i < p->dbs->len; i++) {
        wharf_load_db *d = p->dbs->pdata[i];
        for (guint j = 0; j < d->tables->len; j++)
            add_view_and_fk_edges(&g, d->tables->pdata[j]);
    }
    if (g.all_tables)
        for (guint i = 0; i < g.create_jobs->len; i++)
            wharf_sched_depend(s, g.all_tables, g.create_jobs->pdata[i], FALSE);
    for (guint i = 0; i < p->dbs->len; i++)
        add_db_trigger_jobs(&g, p->dbs->pdata[i]);
    add_post_jobs(&g);
    if (g.schema)
        add_account_jobs(&g);
    g_ptr_array_free(g.create_jobs, TRUE);
    g_ptr_array_free(g.late_jobs, TRUE);
}

wharf_reader *wharf_load_plan_open(const wharf_load_plan *p, const char *path, GError **err)
{
    return wharf_dumpdir_open(&p->src, path, err);
}
