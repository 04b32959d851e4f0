/* objects: views, triggers, routines, packages and events of a dump compared
 * by definition with a target.
 *
 * Contract:
 *  - wharf_verify_objects() reads the plan's view, trigger and post files
 *    (load/plan.h splitter: the line-end escape undone, as load sends
 *    them), takes each CREATE statement's kind and name (load/ddl.h) and
 *    compares its text with the target's SHOW CREATE of the same object
 *    in the target database (--into: the dump's `db`. qualifiers rewritten
 *    as load rewrites them). The texts must be equal byte for byte, except
 *    that a package's label after its final END, which SHOW CREATE PACKAGE
 *    drops and the dump restores, may be missing on the target.
 *  - Only a wharf dump's text is the server's own (SHOW CREATE as is);
 *    other tools rewrite definitions (mydumper drops a view's database
 *    qualifiers), so for them only presence on the target is checked
 *    (result.by_definition FALSE).
 *  - Only what load would create is compared: with -T no routines, events
 *    or database-wide trigger files. Each object missing on the target or
 *    defined differently is logged (kind, `db`.`name`, the first differing
 *    byte) and counted; a file that cannot be read fails the call.
 *  - Runs on the caller's connection (NAMES binary, as wharf_conn_open
 *    sets it); a few statements per object, meant for the main thread.
 */
#ifndef WHARF_VERIFY_OBJECTS_H
#define WHARF_VERIFY_OBJECTS_H

#include "load/load.h"
#include "load/plan.h"

#include <glib.h>
#include <mysql.h>

typedef struct wharf_verify_objects_result {
    guint checked; /* objects compared */
    guint differ;  /* defined differently */
    guint missing; /* not on the target */
    gboolean by_definition; /* texts compared (a wharf dump), else presence only */
} wharf_verify_objects_result;

gboolean wharf_verify_objects(MYSQL *m, const wharf_load_opts *o, const wharf_load_plan *plan,
                              wharf_verify_objects_result *out, GError **err);

#endif
