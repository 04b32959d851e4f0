/* spool: private spool directories (see spool.h). */
#include "core/spool.h"

#include "core/console.h"
#include "core/error.h"

#include <errno.h>
#include <glib/gstdio.h>

char *wharf_spool_make(const char *parent, GError **err)
{
    char *tmpl = g_build_filename(parent ? parent : g_get_tmp_dir(), "wharf-spool-XXXXXX", NULL);
    if (g_mkdtemp_full(tmpl, 0700) == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "cannot create the spool directory %s: %s",
                    tmpl, g_strerror(errno));
        g_free(tmpl);
        return NULL;
    }
    return tmpl;
}

void wharf_spool_remove(const char *dir)
{
    if (dir == NULL)
        return;
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d)) != NULL) {
        char *p = g_build_filename(dir, name, NULL);
        if (g_unlink(p) != 0 && errno != ENOENT)
            WLOG_WARN("spool: cannot remove %s: %s", p, g_strerror(errno));
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    if (g_rmdir(dir) != 0 && errno != ENOENT)
        WLOG_WARN("spool: cannot remove the spool directory %s: %s", dir, g_strerror(errno));
}
