#include "core/error.h"

#include <stdarg.h>

G_DEFINE_QUARK(wharf-error-quark, wharf_error)
G_DEFINE_QUARK(wharf-sql-error-quark, wharf_sql_error)

gboolean wharf_error_is_connection_lost(const GError *err)
{
    if (err == NULL || err->domain != WHARF_SQL_ERROR)
        return FALSE;
    switch (err->code) {
    case 2002: case 2003: case 2006: case 2013: case 2055:
    case 1927: case 1053: case 4031:
        return TRUE;
    default:
        return FALSE;
    }
}

gboolean wharf_error_is_transient(const GError *err)
{
    if (err == NULL || err->domain != WHARF_SQL_ERROR)
        return FALSE;
    switch (err->code) {
    case 1205: case 1213: case 1317:
        return TRUE;
    case 1047: /* a Galera node not ready (not synced, not primary): it comes back, or the
                * next attempt fails over to another node */
        return TRUE;
    default:
        return wharf_error_is_connection_lost(err);
    }
}

gboolean wharf_error_is_transient_after_ddl(const GError *err)
{
    if (err != NULL && err->domain == WHARF_SQL_ERROR && err->code == 1146)
        return TRUE;
    return wharf_error_is_transient(err);
}

void wharf_error_prefix(GError **err, const char *fmt, ...)
{
    if (err == NULL || *err == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *msg = g_strdup_printf("%s: %s", prefix, (*err)->message);
    g_free((*err)->message);
    (*err)->message = msg;
    g_free(prefix);
}
