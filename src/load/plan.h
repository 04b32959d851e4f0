/* plan: what a dump directory holds and what this run restores.
 *
 * Contract:
 *  - wharf_load_plan_read() reads the directory ONCE (one readdir pass,
 *    file names classified by format/layout.h) plus `metadata`
 *    (format/metadata.h), maps file-name forms to real names (mapped
 *    mydumper_N names: metadata's real_table_name / wharf-database, else the
 *    CREATE statement in the object's own schema file), applies the filters
 *    (-B -T -x --exclude) and --into, and returns the objects to restore
 *    grouped by database. Cost is O(files); lookups are hash tables.
 *  - A file whose name is not part of a dump, or a second file for the same
 *    object, is a problem (a FAILED job naming it), never skipped.
 *  - Schema files of tables are read (small files) only to find the parent
 *    tables of their foreign keys, views only to find the views they read
 *    when `metadata` has no wharf-depends; data files are never opened here.
 *  - Problems found while planning (a data file whose table has no schema
 *    file, malformed metadata, a .dat without its .sql twin) do not stop the
 *    plan: they are recorded in plan->problems (with the file named), become
 *    FAILED jobs, and everything else is still restored.
 *  - wharf_load_plan_build_jobs() turns the plan into the job graph:
 *        database -> table -> chunks -> table-done (deferred indexes)
 *          -> foreign keys (also after the parent's table-done)
 *          -> triggers, verify
 *        a database's triggers file after all its tables' data
 *        views after the tables/views they read (hard edges from
 *          wharf-depends, or after all tables + the views named in them)
 *        routines after their database, before every view (a view may
 *          call a function of any database: order-only edges through a
 *          barrier); events after everything else (order-only edges)
 *        with --users: accounts before views, triggers, routines and events
 *          (their DEFINERs), each after the roles granted to it; its grants
 *          on objects after every table, view and routine, before events
 *  - The plan is immutable while jobs run, except fields documented as
 *    written by one job and read by its dependents (ordered by the
 *    scheduler's lock).
 */
#ifndef WHARF_LOAD_PLAN_H
#define WHARF_LOAD_PLAN_H

#include "format/metadata.h"
#include "format/splitter.h"
#include "load/accounts.h"
#include "load/load.h"
#include "engine/sched.h"
#include "format/dumpdir.h"

#include <glib.h>

typedef enum {
    WHARF_LJ_PROBLEM = 1, /* a planning problem, fails when run */
    WHARF_LJ_DATABASE,
    WHARF_LJ_TABLE,       /* create (or drop/truncate) a table or sequence */
    WHARF_LJ_CHUNK,
    WHARF_LJ_TABLE_DONE,  /* all chunks loaded: add deferred indexes */
    WHARF_LJ_FKS,
    WHARF_LJ_VIEW,
    WHARF_LJ_TRIGGERS,
    WHARF_LJ_DB_TRIGGERS, /* a database's triggers file (mydumper 1.0) */
    WHARF_LJ_ROUTINES,    /* stored routines and packages of a database */
    WHARF_LJ_EVENTS,      /* events of a database */
    WHARF_LJ_VERIFY,
    WHARF_LJ_BARRIER,     /* no work: orders other jobs */
    WHARF_LJ_ACCOUNT,     /* a user or role (load/accounts.h) */
    WHARF_LJ_ACCOUNT_OBJECTS, /* its grants on tables, columns, routines */
} wharf_load_job_kind;

typedef enum { WHARF_EXISTING_NONE = 0, WHARF_EXISTING_TABLE, WHARF_EXISTING_VIEW } wharf_existing;

struct wharf_load_table;

typedef struct wharf_load_chunk {
    struct wharf_load_table *table;
    guint64 part, subpart;
    char *sql_path;               /* INSERT statements, or the LOAD DATA twin */
    char *dat_path;               /* TSV data, or NULL */
    gint64 disk_bytes;            /* size on disk of the data file (progress) */
    const wharf_chunk_meta *meta; /* checksum and rows, NULL if not recorded */
    char *name;                   /* "db.t.00003" for messages */
} wharf_load_chunk;

typedef struct wharf_load_db wharf_load_db;

typedef struct wharf_load_table {
    wharf_load_db *db;
    char *name;
    char *schema_path;   /* -schema.sql / -schema-sequence.sql, NULL if none */
    char *view_path;     /* -schema-view.sql: this object is a view */
    char *triggers_path;
    GPtrArray *chunks;   /* of wharf_load_chunk*, in (part, subpart) order */
    const wharf_table_meta *meta;
    GPtrArray *parents;  /* of wharf_load_table*: FK parents / objects a view reads (in the plan); NULL when none */
    wharf_existing existing; /* in the target before the run (set by the --if-exists check) */
    gboolean has_fks;    /* its CREATE TABLE has foreign keys */
    char *engine;        /* its CREATE TABLE's ENGINE= (NULL: none said, or not read) */
    GPtrArray *sequences; /* of wharf_load_table*: sequences its DEFAULT nextval() reads (created first); NULL when none */
    /* Written by its TABLE job, read by its TABLE_DONE and FKS jobs. */
    GPtrArray *deferred_indexes; /* char* ALTER clauses (NULL if none) */
    GPtrArray *deferred_fulltext;
    GPtrArray *deferred_fks;
    gboolean created;    /* TRUE if this run created it (vs kept an existing one) */
    /* Written by its TABLE job (not by a --resume skip), read by its VERIFY
     * job: this run created or truncated it, so it held no rows before. */
    gboolean fresh;
    /* Counters updated by its chunk jobs (atomics). */
    volatile gint64 rows_loaded;
    /* Set (atomically, never cleared) when rows_loaded may differ from the
     * rows the table gained: a chunk retried or resumed, REPLACE/IGNORE/ON
     * DUPLICATE KEY rows, statements that change rows without inserting. */
    volatile gint rows_inexact;
    /* Jobs of this object (set while building the graph). */
    wharf_job *job_create; /* TABLE or VIEW job, NULL in --no-schema */
    wharf_job *job_done;   /* TABLE_DONE (or the TABLE job in --no-data) */
    gboolean views_after_tables; /* a view without wharf-depends */
    char *qname;         /* `target`.`name` */
    char *display;       /* "db.name" (source names) */
} wharf_load_table;

struct wharf_load_db {
    char *name;          /* in the dump */
    char *target;        /* in the server (--into) */
    char *create_path;   /* -schema-create.sql, NULL if none */
    char *post_path;     /* -schema-post.sql, NULL if none */
    char *triggers_path; /* -schema-triggers.sql: every trigger of the database (mydumper 1.0) */
    GPtrArray *tables;   /* of wharf_load_table* (tables, sequences and views) */
    wharf_job *job;      /* its DATABASE job (NULL in --no-schema) */
};

typedef struct wharf_load_plan {
    char *dir;
    wharf_dumpdir src;     /* where the files are read from (path = dir) */
    gint64 metadata_size;  /* of the metadata file, when there is one */
    wharf_metadata *meta;  /* NULL for a dump without usable metadata */
    gboolean wharf_dump;   /* metadata written by wharf (has wharf-depends) */
    gboolean line_ends;    /* statements end at ';' + line break (mydumper's and
                            * wharf's convention since statement-end = line) */
    gboolean unescape;     /* wharf's line-end escape to undo (format/splitter.h) */
    GPtrArray *dbs;        /* of wharf_load_db*, sorted by name */
    GHashTable *db_by_name;    /* name -> wharf_load_db* */
    GHashTable *table_by_key;  /* "db\x1fname" -> wharf_load_table* */
    GPtrArray *problems;   /* char* messages, each naming the file */
    char *accounts_path;   /* wharf-accounts.grants, NULL if none */
    wharf_load_accounts *accounts; /* read with --users, else NULL */
    gint64 data_bytes;     /* sum of data files on disk, for progress */
    guint ntables, nviews, nchunks;
} wharf_load_plan;

/* src: where the dump's files are (NULL: the directory o->dir on disk). */
wharf_load_plan *wharf_load_plan_read(const wharf_load_opts *o, const wharf_dumpdir *src, GError **err);
/* Open a file of the dump (a path the plan holds). */
wharf_reader *wharf_load_plan_open(const wharf_load_plan *p, const char *path, GError **err);

/* A splitter for a file of this dump: by the convention of a delimiter at
 * the end of a line (mydumper's, and wharf's with statement-end = line), or
 * by full SQL lexing (older wharf dumps). Statements of a wharf dump with
 * the line-end escape must pass through wharf_load_plan_statement(). */
wharf_splitter *wharf_load_plan_splitter(const wharf_load_plan *p, wharf_reader *r, size_t max_statement);
/* A statement as the server must get it: NULL when unchanged, else a new
 * string with the line-end escape undone (*out_len its length). */
char *wharf_load_plan_statement(const wharf_load_plan *p, const char *stmt, size_t len, size_t *out_len);
/* The table db.name of the plan, or NULL. */
wharf_load_table *wharf_load_plan_table(const wharf_load_plan *p, const char *db, const char *name);
void wharf_load_plan_free(wharf_load_plan *p);

/* The journal key of a job (--resume): its kind and its object's source
 * names, quoted, so that no two objects share a key (`a.b`.`c` is not
 * `a`.`b.c`). Newly allocated. */
char *wharf_load_job_key(int kind, const void *payload);

/* Build the job graph for this run into s (payloads point into the plan). */
void wharf_load_plan_build_jobs(wharf_load_plan *p, const wharf_load_opts *o, wharf_sched *s);

#endif
