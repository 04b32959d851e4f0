/* summary: --summary-json documents (contract in summary.h). */
#include "core/summary.h"

#include "core/error.h"
#include "core/stream.h"

#include <string.h>

char *wharf_summary_now(void)
{
    GDateTime *d = g_date_time_new_now_utc();
    char *s = g_date_time_format(d, "%Y-%m-%dT%H:%M:%SZ");
    g_date_time_unref(d);
    return s;
}

JsonBuilder *wharf_summary_begin(const char *command)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    wharf_summary_str(b, "command", command);
    wharf_summary_str(b, "tool", "wharf " WHARF_VERSION);
    char *now = wharf_summary_now();
    wharf_summary_str(b, "started", now);
    g_free(now);
    return b;
}

void wharf_summary_int(JsonBuilder *b, const char *key, gint64 v)
{
    json_builder_set_member_name(b, key);
    json_builder_add_int_value(b, v);
}

void wharf_summary_str(JsonBuilder *b, const char *key, const char *v)
{
    json_builder_set_member_name(b, key);
    if (v)
        json_builder_add_string_value(b, v);
    else
        json_builder_add_null_value(b);
}

void wharf_summary_count(JsonBuilder *b, const char *key, gint64 done, gint64 total)
{
    json_builder_set_member_name(b, key);
    json_builder_begin_object(b);
    wharf_summary_int(b, "done", done);
    wharf_summary_int(b, "total", total);
    json_builder_end_object(b);
}

gboolean wharf_summary_write(JsonBuilder *b, const char *path, int exit_status, int signo, double seconds,
                             GError **err)
{
    char *now = wharf_summary_now();
    wharf_summary_str(b, "finished", now);
    g_free(now);
    json_builder_set_member_name(b, "seconds");
    json_builder_add_double_value(b, seconds);
    wharf_summary_str(b, "status", signo ? "interrupted" : exit_status == 0 ? "ok" : "failed");
    if (signo)
        wharf_summary_str(b, "signal", signo == 2 ? "SIGINT" : signo == 15 ? "SIGTERM" : "signal");
    wharf_summary_int(b, "exit_status", exit_status);
    json_builder_end_object(b);
    JsonGenerator *g = json_generator_new();
    JsonNode *root = json_builder_get_root(b);
    json_generator_set_root(g, root);
    json_generator_set_pretty(g, TRUE);
    gsize len = 0;
    char *text = json_generator_to_data(g, &len);
    GString *out = g_string_new_len(text, (gssize)len);
    g_string_append_c(out, '\n');
    gboolean ok = wharf_write_file_atomic(path, out->str, out->len, err);
    if (!ok)
        wharf_error_prefix(err, "--summary-json");
    g_string_free(out, TRUE);
    g_free(text);
    json_node_unref(root);
    g_object_unref(g);
    g_object_unref(b);
    return ok;
}
