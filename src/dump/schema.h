/* schema: the schema files of a dump (SHOW CREATE ... -> files).
 *
 * Contract:
 *  - Each function runs SHOW CREATE statements on the given autocommit
 *    connection (a worker's, never a snapshot session) and writes one file
 *    through wharf_writer (atomic, 0600, compressed as configured):
 *      wharf_schema_database()  DB-schema-create.sql
 *      wharf_schema_post()      DB-schema-post.sql: functions, procedures,
 *                               events (DELIMITER ;;); no file when none
 *      wharf_schema_table()     DB.T-schema.sql (CREATE TABLE, or CREATE
 *                               SEQUENCE + SETVAL to its next value) and
 *                               DB.T-schema-triggers.sql when it has triggers
 *      wharf_schema_view()      DB.V-schema-view.sql
 *      wharf_schema_tables()    the same as wharf_schema_table() for n base
 *                               tables, with all their SHOW CREATE TABLE sent
 *                               in one multi-statement round trip (the
 *                               connection must have multi statements on)
 *  - Schema text from the server is UTF-8 (identifiers and literals are
 *    converted to the system character set by SHOW CREATE), so schema files
 *    start with SET NAMES utf8mb4; each routine, trigger and event is
 *    preceded by the sql_mode it was created with.
 *  - Errors name the object.
 */
#ifndef WHARF_DUMP_SCHEMA_H
#define WHARF_DUMP_SCHEMA_H

#include "dump/catalog.h"
#include "dump/rows.h"

#include <mysql.h>

gboolean wharf_schema_database(MYSQL *m, const wharf_outdir *o, const wharf_cat_db *d, GError **err);
gboolean wharf_schema_post(MYSQL *m, const wharf_outdir *o, const wharf_cat_db *d, GError **err);
gboolean wharf_schema_table(MYSQL *m, const wharf_outdir *o, const wharf_cat_table *t, GError **err);
gboolean wharf_schema_tables(MYSQL *m, const wharf_outdir *o, wharf_cat_table *const *t, guint n,
                             GError **err);
/* DB.T-schema-triggers.sql alone (a --no-schema dump keeps triggers). */
gboolean wharf_schema_triggers(MYSQL *m, const wharf_outdir *o, const wharf_cat_table *t,
                               GError **err);
gboolean wharf_schema_view(MYSQL *m, const wharf_outdir *o, const wharf_cat_table *t, GError **err);

/* Append one statement as the schema files hold it: ";" then a line end,
 * with the line-end escape where a line inside ends with ";" (so that
 * wharf and myloader split it alike). */
void wharf_schema_append_stmt(GString *s, const char *text, size_t n);

#endif
