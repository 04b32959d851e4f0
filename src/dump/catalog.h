/* catalog: what to dump, read from information_schema in bulk.
 *
 * Contract:
 *  - wharf_catalog_read() runs a constant number of queries (SCHEMATA,
 *    TABLES, COLUMNS, STATISTICS, VIEWS, TRIGGERS, ROUTINES, EVENTS,
 *    REFERENTIAL_CONSTRAINTS), each streamed row by row, whatever the number
 *    of tables: never one query per table. It runs on an autocommit
 *    connection, outside the snapshot transactions (a transaction that
 *    touches many tables gets slower with each), while DDL is blocked.
 *  - The filter decides what is kept: -B databases, -T tables, -x regex on
 *    "db.table", --exclude "db" or "db.table"; system schemas (mysql, sys,
 *    information_schema, performance_schema) are skipped unless named in
 *    -B or -T. Names in lists are "db.table"; a part containing '.', ',' or
 *    ':' is written in backticks (`my.db`.`t`).
 *  - For each base table the chunk key is chosen: the PRIMARY KEY, else the
 *    unique index whose columns are all NOT NULL and unprefixed, fewest
 *    columns first; none means the table is dumped as one stream.
 *  - Completeness: every object of a selected schema is kept, or the read
 *    fails naming it. TABLE_TYPE 'BASE TABLE', 'SYSTEM VERSIONED', 'VIEW'
 *    and 'SEQUENCE' and ROUTINE_TYPE 'FUNCTION', 'PROCEDURE', 'PACKAGE' and
 *    'PACKAGE BODY' are known; any other type is an error, never a skip.
 *  - System-versioned tables keep their history unless no_history: the
 *    ROW START/END columns (implicit `row_start`/`row_end` when the table
 *    does not name them) are marked period columns.
 *  - File names: each database and table gets its file-name form (its own
 *    name when plain, else mydumper_N, N counted over the whole dump).
 *  - The catalog is built once by one thread and then only read.
 */
#ifndef WHARF_DUMP_CATALOG_H
#define WHARF_DUMP_CATALOG_H

#include "core/conn.h"

#include "core/filter.h"

#include <glib.h>
#include <mysql.h>

typedef enum { WHARF_OBJ_TABLE, WHARF_OBJ_VIEW, WHARF_OBJ_SEQUENCE } wharf_obj_kind;

typedef struct wharf_column {
    char *name;
    char *data_type;           /* information_schema DATA_TYPE, lower case */
    char *charset, *collation; /* NULL for non-character columns */
    gboolean is_unsigned;
    gboolean generated; /* VIRTUAL / STORED / PERSISTENT: computed, not dumped */
    gboolean period;    /* ROW START / ROW END of a system-versioned table: dumped
                         * (and loaded) only with the table's history */
} wharf_column;

typedef struct wharf_cat_table {
    char *db, *name;
    const char *fdb;     /* file-name form of db (borrowed from its wharf_cat_db) */
    char *fname;         /* file-name form of name: itself, or mydumper_N (format/layout.h) */
    wharf_obj_kind kind;
    char *engine;        /* NULL for views */
    char *create_options; /* information_schema TABLES.CREATE_OPTIONS, or NULL */
    gint64 rows_estimate; /* information_schema TABLE_ROWS (an estimate for InnoDB) */
    gint64 avg_row_length, data_length;
    gboolean transactional; /* engine gives a consistent snapshot (InnoDB...) */
    GPtrArray *columns;  /* wharf_column*, in ordinal order, all columns */
    GPtrArray *key;      /* wharf_column* borrowed from columns: chunk key, or NULL */
    char *key_name;      /* "PRIMARY" or the unique index's name, or NULL */
    GPtrArray *triggers; /* char*: trigger names in creation order */
    GPtrArray *depends;  /* char*: "db.name" (FK parents, tables a view reads) */
    char *where;         /* --where condition for this table, or NULL */
    gboolean versioned;  /* TABLE_TYPE 'SYSTEM VERSIONED' */
    gboolean history;    /* versioned and dumped with its history rows (FOR SYSTEM_TIME
                          * ALL, ROW START/END columns included): not --no-history */
} wharf_cat_table;

typedef struct wharf_cat_db {
    char *name;
    char *fname;         /* file-name form: itself, or mydumper_N */
    GPtrArray *functions, *procedures, *events; /* char* names */
    GPtrArray *packages, *package_bodies;       /* char* names (sql_mode=ORACLE) */
} wharf_cat_db;

typedef struct wharf_catalog {
    GPtrArray *dbs;      /* wharf_cat_db*, sorted by name */
    GPtrArray *tables;   /* wharf_cat_table*: tables, views, sequences */
    GHashTable *by_name; /* "db\x1fname" -> wharf_cat_table* (borrowed) */
    GHashTable *db_by_name; /* name -> wharf_cat_db* (borrowed) */
    gint64 n_base_tables, n_views, n_sequences;
} wharf_catalog;

wharf_catalog *wharf_catalog_read(MYSQL *m, const wharf_filter *f, GError **err);
void wharf_catalog_free(wharf_catalog *c);

/* Is column c of t written to the data files? (Not generated, except the
 * ROW START/END columns of a table dumped with its history.) */
gboolean wharf_column_dumped(const wharf_cat_table *t, const wharf_column *c);

/* The FROM operand for t's rows: `db`.`t`, with FOR SYSTEM_TIME ALL when
 * its history is dumped (newly allocated). */
char *wharf_catalog_from(const wharf_cat_table *t);

/* "db\x1fname" key of by_name. */
char *wharf_catalog_key(const char *db, const char *name);

#endif
