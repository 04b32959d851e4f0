/* Lock order: none. The watcher thread owns the signalfd; the eventfd is
 * written once by wharf_sigwatch_stop() and read by the watcher. */
#include "core/sigwatch.h"

#include "core/error.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

struct wharf_sigwatch {
    int sfd;           /* signalfd for SIGINT, SIGTERM */
    int efd;           /* eventfd: stop request */
    sigset_t old_mask; /* caller's mask, restored by stop */
    wharf_sigwatch_cb cb;
    gpointer data;
    GThread *thread;
};

static gpointer watch_main(gpointer p)
{
    wharf_sigwatch *w = p;
    struct pollfd fds[2] = {{.fd = w->sfd, .events = POLLIN}, {.fd = w->efd, .events = POLLIN}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[1].revents)
            break;
        if (fds[0].revents) {
            struct signalfd_siginfo si;
            ssize_t n = read(w->sfd, &si, sizeof si);
            if (n == (ssize_t)sizeof si)
                w->cb((int)si.ssi_signo, w->data);
        }
    }
    return NULL;
}

wharf_sigwatch *wharf_sigwatch_start(wharf_sigwatch_cb cb, gpointer data, GError **err)
{
    wharf_sigwatch *w = g_new0(wharf_sigwatch, 1);
    w->cb = cb;
    w->data = data;
    w->sfd = w->efd = -1;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int rc = pthread_sigmask(SIG_BLOCK, &set, &w->old_mask);
    if (rc != 0) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "blocking SIGINT/SIGTERM: %s",
                    g_strerror(rc));
        g_free(w);
        return NULL;
    }
    w->sfd = signalfd(-1, &set, SFD_CLOEXEC);
    w->efd = eventfd(0, EFD_CLOEXEC);
    if (w->sfd < 0 || w->efd < 0) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "watching SIGINT/SIGTERM: %s",
                    g_strerror(errno));
        if (w->sfd >= 0)
            close(w->sfd);
        if (w->efd >= 0)
            close(w->efd);
        pthread_sigmask(SIG_SETMASK, &w->old_mask, NULL);
        g_free(w);
        return NULL;
    }
    w->thread = g_thread_new("wharf-signals", watch_main, w);
    return w;
}

void wharf_sigwatch_stop(wharf_sigwatch *w)
{
    if (w == NULL)
        return;
    uint64_t one = 1;
    ssize_t n;
    do
        n = write(w->efd, &one, sizeof one);
    while (n < 0 && errno == EINTR);
    g_thread_join(w->thread);
    close(w->sfd);
    close(w->efd);
    pthread_sigmask(SIG_SETMASK, &w->old_mask, NULL);
    g_free(w);
}
