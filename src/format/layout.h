/* layout: names of the files in a dump directory (mydumper-compatible).
 *
 * Contract (see docs/FORMAT.md, which this module implements):
 *   metadata                          key file, written last (dump complete)
 *   DB-schema-create.sql[.zst|.gz]    CREATE DATABASE
 *   DB.TABLE-schema.sql               CREATE TABLE (or CREATE SEQUENCE)
 *   DB.TABLE-schema-view.sql          CREATE VIEW
 *   DB.TABLE-schema-triggers.sql      triggers of TABLE
 *   DB-schema-post.sql                routines and events of DB
 *   DB.TABLE.NNNNN.sql                data chunk: INSERT statements, or the
 *                                     LOAD DATA statement of the .dat twin
 *   DB.TABLE.NNNNN.dat                data chunk: tab-separated values
 *   wharf-accounts.grants             users, roles and their grants (a name
 *                                     myloader ignores: not .sql, not .dat)
 *  Every file may carry a .zst or .gz suffix. NNNNN is the chunk number,
 *  5 digits or more. mydumper's extra part numbers (DB.TABLE.NNNNN.MMMMM.sql)
 *  are accepted when parsing.
 *
 *  Names (mydumper's rule, so that myloader reads the files): a plain name
 *  (wharf_layout_name_is_plain: ASCII letters, digits, '_', '-' and inner
 *  spaces, not starting with "mydumper_") is its own file name. Any other
 *  database or table gets a mapped file name "mydumper_N" (N unique in the
 *  dump); the real name is in the files' SQL and in `metadata`
 *  (real_table_name, wharf-database). wharf_layout_parse() returns file-name
 *  forms; the loader maps them back.
 *  Dumps of wharf before this rule wrote odd bytes as %XX ('.', '/', '%',
 *  '\\', control bytes, a leading '-'): parsing still decodes them.
 */
#ifndef WHARF_FORMAT_LAYOUT_H
#define WHARF_FORMAT_LAYOUT_H

#include "core/stream.h"

#include <glib.h>

typedef enum {
    WHARF_FILE_UNKNOWN = 0,
    WHARF_FILE_METADATA,      /* metadata */
    WHARF_FILE_SCHEMA_CREATE, /* db-schema-create.sql */
    WHARF_FILE_TABLE_SCHEMA,  /* db.t-schema.sql */
    WHARF_FILE_VIEW_SCHEMA,   /* db.v-schema-view.sql */
    WHARF_FILE_TRIGGERS,      /* db.t-schema-triggers.sql */
    WHARF_FILE_POST,          /* db-schema-post.sql */
    WHARF_FILE_DB_TRIGGERS,   /* db-schema-triggers.sql: every trigger of db (mydumper 1.0) */
    WHARF_FILE_SEQUENCE,      /* db.s-schema-sequence.sql (mydumper) */
    WHARF_FILE_DATA_SQL,      /* db.t.00000.sql */
    WHARF_FILE_DATA_DAT,      /* db.t.00000.dat */
    WHARF_FILE_ACCOUNTS,      /* wharf-accounts.grants: accounts and grants (no db) */
} wharf_file_kind;

typedef struct wharf_file_info {
    wharf_file_kind kind;
    char *db;            /* decoded */
    char *table;         /* decoded; NULL for database-level files */
    guint64 part;        /* chunk number (data files) */
    guint64 subpart;     /* mydumper's second number, 0 if absent */
    wharf_compress compress;
} wharf_file_info;

/* Can this database or table name be its own file name? */
gboolean wharf_layout_name_is_plain(const char *name);
/* "mydumper_N", the file name of the n-th name that is not plain. */
char *wharf_layout_mapped_name(guint n);
/* Is this file-name part a mapped name (the real name is elsewhere)? */
gboolean wharf_layout_is_mapped(const char *fname);

/* Encode a db/table name for use in a file name (newly allocated). */
char *wharf_layout_encode_name(const char *name);
/* Decode; NULL if the encoding is invalid. */
char *wharf_layout_decode_name(const char *enc);

/* File names (without directory), with the compression suffix appended;
 * db and table are file-name forms (plain or mapped names). */
char *wharf_layout_schema_create(const char *db, wharf_compress c);
char *wharf_layout_table_schema(const char *db, const char *table, wharf_compress c);
char *wharf_layout_view_schema(const char *db, const char *view, wharf_compress c);
char *wharf_layout_triggers(const char *db, const char *table, wharf_compress c);
char *wharf_layout_post(const char *db, wharf_compress c);
/* DB.SEQ-schema-sequence.sql (mydumper's name for a sequence's schema;
 * wharf itself writes sequences to DB.SEQ-schema.sql) */
char *wharf_layout_sequence_schema(const char *db, const char *seq, wharf_compress c);
/* wharf-accounts.grants: the server's accounts (CREATE USER/ROLE, GRANT). */
char *wharf_layout_accounts(wharf_compress c);
/* An account every server has of its own, which an accounts file never
 * holds (docs/FORMAT.md "Accounts"): `mariadb.sys`, `mysql.sys`,
 * `mysql.session`, `mysql.infoschema` and `root` at any host,
 * `mysql`@`localhost`. host NULL: a role (never one of them). */
gboolean wharf_layout_system_account(const char *user, const char *host);
/* ext: "sql" or "dat" */
char *wharf_layout_chunk(const char *db, const char *table, guint64 part, const char *ext,
                         wharf_compress c);

/* Classify a file name (a base name, no directory); FALSE for names that are
 * not part of a dump (info->kind = WHARF_FILE_UNKNOWN, nothing to free).
 * Fills info (free with _clear). Also accepts mydumper's DB.TABLE.sql /
 * DB.TABLE.dat (no chunk number: part 0) and DB.TABLE.N.M.sql (subpart M).
 * Temporary files (*.tmp) and anything else are WHARF_FILE_UNKNOWN. */
gboolean wharf_layout_parse(const char *filename, wharf_file_info *info);
void wharf_file_info_clear(wharf_file_info *info);

#endif
