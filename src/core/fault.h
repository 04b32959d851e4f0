/* fault: named crash points for tests (SQLite-style fault injection).
 *
 * Contract:
 *  - wharf_fault_point(NAME) kills the process with SIGKILL, as `kill -9`
 *    would, when the environment variable WHARF_FAULT equals NAME; it does
 *    nothing otherwise (one getenv per call: call it at most once per job,
 *    never per row). Tests arm one point per run to prove that every window
 *    between an effect and its record is recoverable.
 *  - Points (docs/design-load.md): load-table-after-create,
 *    load-chunk-mid, load-chunk-after-commit, dump-before-metadata.
 */
#ifndef WHARF_CORE_FAULT_H
#define WHARF_CORE_FAULT_H

void wharf_fault_point(const char *name);

#endif
