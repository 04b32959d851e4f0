/* sigwatch: SIGINT/SIGTERM turned into a callback on a thread of its own.
 *
 * Contract:
 *  - wharf_sigwatch_start() blocks SIGINT and SIGTERM in the calling thread
 *    (so in every thread it creates afterwards: call it before starting any
 *    other thread) and starts one thread that reads them from a signalfd.
 *    No signal is ever delivered asynchronously, so no system call of any
 *    other thread is interrupted (no EINTR in a server round trip) and no
 *    async-signal-safety rules apply to the callback.
 *  - Each signal calls cb(signo, data) on the watcher thread, one call at a
 *    time. The callback may block (e.g. to KILL running queries); it runs
 *    under no lock of this module.
 *  - A signal the process inherited as ignored (SIG_IGN, e.g. SIGINT in a
 *    background job of a non-interactive shell) stays ignored, as usual.
 *  - wharf_sigwatch_stop() ends and joins the thread (waiting for a running
 *    callback) and restores the signal mask the caller had. A signal that
 *    arrives after stop gets its default action.
 *  - No mutable globals: all state is in the returned object, owned by the
 *    caller's run context. Linux only (signalfd, eventfd).
 */
#ifndef WHARF_CORE_SIGWATCH_H
#define WHARF_CORE_SIGWATCH_H

#include <glib.h>

typedef void (*wharf_sigwatch_cb)(int signo, gpointer data);
typedef struct wharf_sigwatch wharf_sigwatch;

wharf_sigwatch *wharf_sigwatch_start(wharf_sigwatch_cb cb, gpointer data, GError **err);
/* NULL is fine. */
void wharf_sigwatch_stop(wharf_sigwatch *w);

#endif
