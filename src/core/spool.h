/* spool: the private directory a stream passes through on disk
 * (`wharf dump -o -` spools files before sending them, `wharf load -d -`
 * receives them there before loading).
 *
 * Contract:
 *  - wharf_spool_make() creates a new, empty directory "wharf-spool-XXXXXX"
 *    with mode 0700 (mkdtemp) under parent, or under $TMPDIR (/tmp) when
 *    parent is NULL, and returns its path.
 *  - wharf_spool_remove() unlinks every entry of the directory (it holds
 *    only plain files wharf wrote) and the directory itself; it logs a
 *    warning naming what it could not remove. NULL is fine.
 */
#ifndef WHARF_CORE_SPOOL_H
#define WHARF_CORE_SPOOL_H

#include <glib.h>

char *wharf_spool_make(const char *parent, GError **err);
void wharf_spool_remove(const char *dir);

#endif
