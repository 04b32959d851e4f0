/* frame: mydumper's stream framing (see frame.h). */
#include "format/frame.h"

#include "core/error.h"
#include "format/layout.h"

#include <string.h>

char *wharf_frame_header(const char *name, guint64 size)
{
    return g_strdup_printf("\n-- %s %" G_GUINT64_FORMAT "\n", name, size);
}

static gboolean bad(GError **err, const char *fmt, const char *name)
{
    g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT, fmt, name);
    return FALSE;
}

/* metadata.partial or metadata.partial.N */
static gboolean is_partial(const char *name)
{
    static const char prefix[] = "metadata.partial";
    if (strncmp(name, prefix, sizeof prefix - 1) != 0)
        return FALSE;
    const char *p = name + sizeof prefix - 1;
    if (*p == '\0')
        return TRUE;
    if (*p++ != '.' || *p == '\0')
        return FALSE;
    for (; *p; p++)
        if (!g_ascii_isdigit(*p))
            return FALSE;
    return TRUE;
}

gboolean wharf_frame_check_name(const char *name, wharf_frame_role *role, GError **err)
{
    size_t n = strlen(name);
    if (n == 0)
        return bad(err, "empty file name%s", "");
    if (n > WHARF_FRAME_MAX_NAME)
        return bad(err, "file name longer than 255 bytes: '%.64s...'", name);
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            char *e = g_strescape(name, NULL);
            bad(err, "file name '%s' holds a control byte", e);
            g_free(e);
            return FALSE;
        }
    if (strchr(name, '/'))
        return bad(err, "file name '%s' holds a '/': a frame names a file of the dump, not a path",
                   name);
    if (name[0] == '.')
        return bad(err, "hidden or relative file name '%s'", name);
    if (strcmp(name, "metadata") == 0) {
        *role = WHARF_FRAME_METADATA;
        return TRUE;
    }
    if (strcmp(name, "metadata.header") == 0) {
        *role = WHARF_FRAME_HEADER;
        return TRUE;
    }
    if (is_partial(name)) {
        *role = WHARF_FRAME_PARTIAL;
        return TRUE;
    }
    wharf_file_info info;
    if (!wharf_layout_parse(name, &info) || info.kind == WHARF_FILE_METADATA) {
        if (info.kind != WHARF_FILE_UNKNOWN)
            wharf_file_info_clear(&info);
        return bad(err, "'%s' is not a file of a dump", name);
    }
    wharf_file_info_clear(&info);
    *role = WHARF_FRAME_FILE;
    return TRUE;
}

gboolean wharf_frame_parse(const char *line, gsize len, char **name, guint64 *size,
                           wharf_frame_role *role, GError **err)
{
    if (len < 3 || memcmp(line, "-- ", 3) != 0 || memchr(line, '\0', len) != NULL) {
        g_set_error_literal(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                            "not a frame header (\"-- NAME SIZE\")");
        return FALSE;
    }
    const char *sp = NULL;
    for (const char *p = line + len; p > line + 3; p--)
        if (p[-1] == ' ') {
            sp = p - 1;
            break;
        }
    if (sp == NULL || sp == line + 3) {
        g_set_error_literal(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                            "frame header without a file name and a size");
        return FALSE;
    }
    const char *digits = sp + 1, *end = line + len;
    gsize nd = (gsize)(end - digits);
    guint64 v = 0;
    gboolean ok = nd >= 1 && nd <= 20;
    for (const char *p = digits; ok && p < end; p++) {
        ok = g_ascii_isdigit(*p) && v <= (G_MAXUINT64 - (guint64)(*p - '0')) / 10;
        v = v * 10 + (guint64)(*p - '0');
    }
    char *n = g_strndup(line + 3, (gsize)(sp - (line + 3)));
    if (!ok || v > WHARF_FRAME_MAX_SIZE) {
        char *s = g_strndup(digits, MIN(nd, 40));
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FORMAT,
                    "%s: size '%s' is not a decimal number of at most %" G_GUINT64_FORMAT " bytes",
                    n, s, WHARF_FRAME_MAX_SIZE);
        g_free(s);
        g_free(n);
        return FALSE;
    }
    if (!wharf_frame_check_name(n, role, err)) {
        g_free(n);
        return FALSE;
    }
    *name = n;
    *size = v;
    return TRUE;
}
