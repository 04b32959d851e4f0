/* metadata: the dump's `metadata` key file (mydumper 0.16+ compatible).
 *
 * Contract (docs/FORMAT.md is the normative description):
 *  - A GLib key file. Groups myloader reads: [config], [myloader_session_variables],
 *    [source] (binlog file/position/GTID of the snapshot), and one group per
 *    table named `db`.`table` (backticks, embedded backticks doubled) with
 *    real_table_name and rows. wharf's extras are keys prefixed "wharf-" or
 *    groups prefixed "wharf", which myloader ignores.
 *  - Written last, atomically (temp + fsync + rename, 0600): a directory
 *    without `metadata` is an incomplete dump.
 *  - Reading validates: a malformed file is WHARF_ERROR_FORMAT naming
 *    `metadata` and the line/key ("DIR/metadata: [group] key: problem").
 *    A missing file is WHARF_ERROR_NOT_FOUND.
 *  - Table group names: each name between backticks, backticks doubled, and
 *    '%', '[', ']' and control bytes written as %XX (GKeyFile group names
 *    cannot hold them). Names round-trip exactly.
 *  - mydumper files (no [wharf] group): the table name is taken from
 *    real_table_name, the database from the group name; [master] is read
 *    when [source] is absent; "is_sequence = 1" gives kind "sequence".
 *  - wharf-depends entries are opaque strings to this module (written and
 *    read back as given).
 *  - Reading streams the file: one group's text at a time is parsed by a
 *    GKeyFile (the groups before the tables -- [config], [wharf], the session
 *    variables, [source]/[master] -- gathered first, so a group repeated
 *    merges as in one key file); neither the whole text nor a key file of
 *    every group is held. A table group repeated is "listed twice".
 *  - The strings of table entries (names, engine, chunk file names) belong
 *    to the wharf_metadata (wharf_metadata_str()); kind is a static string.
 */
#ifndef WHARF_FORMAT_METADATA_H
#define WHARF_FORMAT_METADATA_H

#include "core/stream.h"

#include <glib.h>
#include <stdint.h>

typedef struct wharf_chunk_meta {
    char *file;        /* file name of the data file (.sql or .dat, with suffix);
                        * entries added by wharf_table_meta_add_chunk() hold it
                        * in the same allocation */
    guint64 part;
    gint64 rows;       /* rows in the chunk */
    guint64 bytes;     /* uncompressed bytes */
    guint32 crc32;     /* CRC-32 of the uncompressed bytes */
    guint64 sum;       /* content checksum of the rows (format/checksum.h) */
    gboolean has_sum;  /* wharf-sum-NNNNN recorded */
} wharf_chunk_meta;

/* wharf-range-NNNNN: the key range of chunk part, recorded for every chunk
 * the dump planned (also those that held no rows and have no file). */
typedef struct wharf_range_meta {
    guint64 part;
    char *cond;        /* in the wharf_metadata's strings */
} wharf_range_meta;

typedef struct wharf_table_meta {
    char *db, *table;          /* real names (db: wharf-database, else the group's) */
    /* The group's names, file-name forms (format/layout.h): the group is
     * [`file_db`.`file_table`]. NULL when they are db and table. */
    char *file_db, *file_table;
    gint64 rows;               /* rows dumped, -1 unknown */
    const char *kind;          /* "table", "view", "sequence" (static) */
    char *engine;              /* owned by the wharf_metadata */
    gboolean snapshot;         /* covered by the consistent snapshot */
    gboolean history;          /* system-versioned, rows include its history
                                * (wharf-history; count FOR SYSTEM_TIME ALL) */
    GPtrArray *chunks;         /* of wharf_chunk_meta*, in part order */
    GPtrArray *depends;        /* of char* "db.table" this object needs (views,
                                * FKs); NULL when none */
    /* Content verification (docs/FORMAT.md): the table's --where (as put
     * in the SELECT, parenthesised) or NULL, and the chunks' range
     * conditions, of wharf_range_meta* in part order; NULL or empty when
     * the table was read as one stream. Written only with sums
     * (wharf_metadata.content_checksum). Strings are opaque here: a reader
     * must check them before sending them anywhere. */
    char *where;
    GPtrArray *ranges;
} wharf_table_meta;

typedef struct wharf_metadata {
    /* [config] / [wharf] */
    char *tool;                /* "wharf 0.1.0" or "mydumper ..." */
    char *started, *finished;  /* ISO 8601 UTC */
    char *server_version;
    char *data_format;         /* "sql" or "tsv" */
    /* "line": statements end with ';' at the end of a line, the line-end
     * escape inside them (format/splitter.h); NULL: older wharf dumps, full
     * SQL lexing with DELIMITER blocks */
    char *statement_end;
    char *compression;         /* "zstd", "gzip", "none" */
    char *lock_method;         /* backup-stage, instance, ftwrl, none */
    gint64 commit_block_ms;    /* how long commits were blocked; -1 unknown */
    /* [wharf] content-checksum: the scheme of the wharf-sum-NNNNN entries
     * (WHARF_CHECKSUM_SCHEME), NULL when the dump records none */
    char *content_checksum;
    /* [wharf] accounts: users and roles written to wharf-accounts.grants;
     * -1 when the dump has no accounts file */
    gint64 accounts;
    /* [source] */
    char *binlog_file;
    guint64 binlog_position;
    char *gtid;
    /* [wharf] gtid-current-pos (MariaDB @@gtid_current_pos at the snapshot)
     * and replica-of-* (the dumped server's own source, when it is a
     * replica): where a new replica starts. NULL / 0 = not recorded. */
    char *gtid_current;
    /* [wharf] galera-position: a Galera node's cluster state UUID:seqno at
     * the snapshot (NULL: not a cluster) */
    char *galera_position;
    char *upstream_host;
    guint64 upstream_port;
    char *upstream_file;
    guint64 upstream_position;
    char *upstream_gtid;
    /* [myloader_session_variables], unquoted values (the file holds them as
     * SQL: SQL_MODE = 'A,B' then a version-comment opener, as mydumper
     * writes it); NULL = not recorded */
    char *sql_mode;
    char *time_zone;
    /* tables in file order; index by "db\x1ftable" */
    GPtrArray *tables;         /* of wharf_table_meta* */
    /* key "db\x1ftable" -> wharf_table_meta* (borrowed): the names the entry
     * was created with: real names when dumping, the group's names (file
     * forms) when read */
    GHashTable *by_name;
    GStringChunk *strings;     /* the entries' strings and the keys of by_name */
    gboolean has_config;       /* read: the file has a [config] group */
} wharf_metadata;

/* Empty metadata: no tables, commit_block_ms -1. */
wharf_metadata *wharf_metadata_new(void);
void wharf_metadata_free(wharf_metadata *m);
/* A copy of s (NULL for NULL) owned by m, for the string fields of its
 * table entries. */
char *wharf_metadata_str(wharf_metadata *m, const char *s);

/* Find or add a table entry (a new one has rows -1, snapshot TRUE, kind NULL
 * which is written as "table"). */
wharf_table_meta *wharf_metadata_table(wharf_metadata *m, const char *db, const char *table,
                                       gboolean create);
/* Add a chunk, kept in part order (no sum: set ->sum and ->has_sum). */
wharf_chunk_meta *wharf_table_meta_add_chunk(wharf_table_meta *t, const char *file, guint64 part,
                                             gint64 rows, guint64 bytes, guint32 crc32);
/* Add a chunk's range condition (cond copied into m's strings), in part order. */
void wharf_table_meta_add_range(wharf_metadata *m, wharf_table_meta *t, guint64 part, const char *cond);
/* Add a wharf-depends entry (copied). */
void wharf_table_meta_add_depend(wharf_table_meta *t, const char *dep);

/* Serialise and write DIR/metadata atomically. */
gboolean wharf_metadata_write(const wharf_metadata *m, const char *dir, GError **err);

/* The same file written as a stream, one table at a time, so that a dump
 * never holds every table's entry (nor the file's text) at once: open()
 * writes the header groups and m's tables (if any), table() appends one
 * table's group, commit() makes DIR/metadata appear atomically (temp +
 * fsync + rename + fsync of DIR, 0600) and frees the writer; abort() (or a
 * failed commit) leaves no file. The bytes are those wharf_metadata_write()
 * writes for the same tables in the same order. */
typedef struct wharf_metadata_writer wharf_metadata_writer;
wharf_metadata_writer *wharf_metadata_writer_open(const wharf_metadata *m, const char *dir,
                                                  GError **err);
gboolean wharf_metadata_writer_table(wharf_metadata_writer *mw, const wharf_table_meta *t,
                                     GError **err);
gboolean wharf_metadata_writer_commit(wharf_metadata_writer *mw, GError **err);
void wharf_metadata_writer_abort(wharf_metadata_writer *mw);
/* The text of a stream's `metadata.header` (docs/FORMAT.md, "A dump as a
 * stream"): [config] and [myloader_session_variables] with these values,
 * the same lines `metadata` holds, so myloader --stream can start before
 * `metadata` arrives. Newly allocated. */
char *wharf_metadata_stream_header(const char *sql_mode, const char *time_zone);
/* The same on a writer the caller opened (not a file: no directory fsync). */
wharf_metadata_writer *wharf_metadata_writer_open_on(const wharf_metadata *m, wharf_writer *w, GError **err);
/* Parse metadata text held in memory (path: for messages). */
wharf_metadata *wharf_metadata_read_text(const char *path, const char *text, size_t len, GError **err);
/* Read DIR/metadata (wharf or mydumper 0.16+). */
wharf_metadata *wharf_metadata_read(const char *dir, GError **err);

/* "`db`.`table`" group name for the key file. */
char *wharf_metadata_group(const char *db, const char *table);
/* Parse a group name "`db`.`table`"; FALSE if it is not one. */
gboolean wharf_metadata_parse_group(const char *group, char **db, char **table);

#endif
