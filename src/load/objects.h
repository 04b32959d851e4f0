/* objects: the schema jobs of a load: databases, tables (with deferred
 * indexes and foreign keys), views, triggers, routines and events.
 *
 * Contract:
 *  - Each function runs one job's statements from its file on the worker's
 *    connection, through the file's confinement (session.h). A table's
 *    CREATE may be split (ddl.h): secondary indexes deferred to
 *    wharf_objects_table_done (big InnoDB tables, --defer-indexes), foreign
 *    keys to wharf_objects_fks, both kept on the table for those later jobs.
 *  - --if-exists decides what an existing object gets (fail, drop and
 *    recreate, append, truncate); a retry (w->attempt > 0) or a resumed run
 *    first removes what its last attempt may have created, and replaces
 *    triggers, routines and events.
 *  - Errors name the object and its file.
 */
#ifndef WHARF_LOAD_OBJECTS_H
#define WHARF_LOAD_OBJECTS_H

#include "load/session.h"

gboolean wharf_objects_database(wharf_load_worker *w, wharf_load_db *d, GError **err);
gboolean wharf_objects_table(wharf_load_worker *w, wharf_load_table *t, GError **err);
gboolean wharf_objects_table_resumed(wharf_load_worker *w, wharf_load_table *t, GError **err);
gboolean wharf_objects_table_done(wharf_load_worker *w, wharf_load_table *t, GError **err);
gboolean wharf_objects_fks(wharf_load_worker *w, wharf_load_table *t, GError **err);
gboolean wharf_objects_view(wharf_load_worker *w, wharf_load_table *t, GError **err);
gboolean wharf_objects_triggers(wharf_load_worker *w, wharf_load_table *t, GError **err);
gboolean wharf_objects_db_triggers(wharf_load_worker *w, wharf_load_db *d, GError **err);
gboolean wharf_objects_post(wharf_load_worker *w, wharf_load_db *d, gboolean events, GError **err);

#endif
