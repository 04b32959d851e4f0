#include "core/conn.h"

#include "core/console.h"
#include "core/error.h"
#include "core/optfile.h"

#include <errmsg.h>
#include <mysqld_error.h>
#include <stdarg.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

void wharf_conn_opts_clear(wharf_conn_opts *o)
{
    if (o->password)
        memset(o->password, 0, strlen(o->password));
    g_free(o->host);
    g_free(o->user);
    g_free(o->password);
    g_free(o->socket);
    g_free(o->defaults_file);
    g_free(o->defaults_extra_file);
    if (o->defaults_merged) {
        g_unlink(o->defaults_merged);
        g_free(o->defaults_merged);
    }
    g_free(o->ssl_ca);
    g_free(o->ssl_capath);
    g_free(o->ssl_cert);
    g_free(o->ssl_key);
    g_free(o->ssl_cipher);
    g_free(o->ssl_crl);
    memset(o, 0, sizeof *o);
}

gboolean wharf_conn_opts_merge_defaults(wharf_conn_opts *o, GError **err)
{
    if (o->defaults_extra_file == NULL || o->defaults_file || o->no_defaults)
        return TRUE;
    if (!g_file_test(o->defaults_extra_file, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_USAGE, "--defaults-extra-file %s: no such file",
                    o->defaults_extra_file);
        return FALSE;
    }
    /* the mysql client's order: global files, the extra file, the user's */
    char *extra = g_canonicalize_filename(o->defaults_extra_file, NULL);
    char **files = wharf_optfile_files(extra);
    GString *s = g_string_new("# wharf: --defaults-extra-file\n");
    for (size_t i = 0; files[i]; i++)
        if (g_file_test(files[i], G_FILE_TEST_IS_REGULAR))
            g_string_append_printf(s, "!include %s\n", files[i]);
    g_strfreev(files);
    g_free(extra);
    GError *e = NULL;
    int fd = g_file_open_tmp("wharf-defaults-XXXXXX.cnf", &o->defaults_merged, &e);
    gboolean ok = fd >= 0 && write(fd, s->str, s->len) == (ssize_t)s->len;
    if (fd >= 0)
        close(fd);
    g_string_free(s, TRUE);
    if (!ok) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_IO, "--defaults-extra-file: cannot write a temporary option file: %s",
                    e ? e->message : g_strerror(errno));
        g_clear_error(&e);
        return FALSE;
    }
    return TRUE;
}

/* -h NODE,NODE,...: each NODE is HOST, HOST:PORT or [IPV6]:PORT. */
guint wharf_conn_nodes(const wharf_conn_opts *o)
{
    guint n = 1;
    for (const char *p = o->host; p && *p; p++)
        n += *p == ',';
    return n;
}

/* Node k of the list: its host (owned) and port. */
static char *node_at(const wharf_conn_opts *o, guint k, unsigned *port)
{
    *port = o->port;
    if (o->host == NULL)
        return NULL;
    char **v = g_strsplit(o->host, ",", -1);
    guint n = g_strv_length(v);
    char *h = g_strstrip(g_strdup(v[k % MAX(n, 1)] ? v[k % MAX(n, 1)] : ""));
    g_strfreev(v);
    if (n <= 1)
        return h;
    char *colon = strrchr(h, ':');
    gboolean v6 = h[0] == '[';
    if (colon && (v6 ? colon > strchr(h, ']') : strchr(h, ':') == colon) && colon[1]) {
        *port = (unsigned)g_ascii_strtoull(colon + 1, NULL, 10);
        *colon = '\0';
    }
    if (v6 && h[strlen(h) - 1] == ']') {
        h[strlen(h) - 1] = '\0';
        memmove(h, h + 1, strlen(h));
    }
    return h;
}

char *wharf_conn_opts_describe(const wharf_conn_opts *o)
{
    if (wharf_conn_nodes(o) > 1)
        return g_strdup_printf("nodes %s", o->host);
    if (o->socket && (!o->host || strcmp(o->host, "localhost") == 0))
        return g_strdup_printf("socket %s", o->socket);
    return g_strdup_printf("%s:%u", o->host ? o->host : "localhost", o->port ? o->port : 3306);
}

/* After a lock wait timeout: how long it waited and who else is at work
 * on the server (the sessions that may hold the lock). */
static char *lock_suspects(MYSQL *m)
{
    char *waited = NULL;
    if (mysql_query(m, "SELECT @@lock_wait_timeout") == 0) {
        MYSQL_RES *r = mysql_store_result(m);
        MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
        if (row && row[0])
            waited = g_strdup_printf(" (waited lock_wait_timeout = %s s)", row[0]);
        if (r)
            mysql_free_result(r);
    }
    static const char q[] =
        "SELECT ID, USER, COMMAND, TIME, IFNULL(STATE, ''), LEFT(IFNULL(INFO, ''), 80)"
        " FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND NOT IN ('Sleep',"
        " 'Daemon', 'Binlog Dump') ORDER BY TIME DESC LIMIT 5";
    GString *s = g_string_new(waited);
    g_free(waited);
    int n = 0;
    MYSQL_RES *res = mysql_real_query(m, q, sizeof q - 1) == 0 ? mysql_store_result(m) : NULL;
    if (res == NULL)
        return g_string_free(s, FALSE);
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL)
        g_string_append_printf(s, "%s[id %s, %s, %s %s s, %s: %s]", row == NULL ? "" : (n++ ? ", " : "; other sessions: "),
                               row[0], row[1], row[2], row[3], row[4], row[5]);
    mysql_free_result(res);
    return g_string_free(s, FALSE);
}

void wharf_conn_set_error(MYSQL *m, const char *what, GError **err)
{
    unsigned no = mysql_errno(m);
    char state[6] = "HY000";
    if (mysql_sqlstate(m))
        g_strlcpy(state, mysql_sqlstate(m), sizeof state);
    char *msg = g_strdup(mysql_error(m));
    char *who = no == ER_LOCK_WAIT_TIMEOUT ? lock_suspects(m) : g_strdup("");
    g_set_error(err, WHARF_SQL_ERROR, no ? (gint)no : CR_UNKNOWN_ERROR, "%s%sERROR %u (%s): %s%s",
                what ? what : "", what ? ": " : "", no, state, msg, who);
    g_free(msg);
    g_free(who);
}

gboolean wharf_conn_kill_queries(const wharf_conn_opts *o, MYSQL **sides, const GArray *threads)
{
    gboolean ok = TRUE;
    for (guint i = 0; i < threads->len; i++) {
        const wharf_conn_thread *t = &g_array_index(threads, wharf_conn_thread, i);
        MYSQL **side = &sides[t->node % wharf_conn_nodes(o)];
        if (*side == NULL) {
            GError *e = NULL;
            *side = wharf_conn_open_node(o, t->node, &e);
            if (*side == NULL) { /* a node gone: its statements went with it */
                WLOG_WARN("interrupt: cannot connect to stop the running statements: %s", e->message);
                g_error_free(e);
                ok = FALSE;
                continue;
            }
        }
        wharf_conn_execf(*side, NULL, "KILL QUERY %lu", t->id); /* 1094: it ended meanwhile */
    }
    return ok;
}

guint wharf_conn_node_of(const wharf_conn_opts *o, MYSQL *m)
{
    guint n = wharf_conn_nodes(o);
    if (n == 1 || m == NULL)
        return 0;
    const char *host = NULL;
    unsigned port = 0;
    mariadb_get_infov(m, MARIADB_CONNECTION_HOST, &host);
    mariadb_get_infov(m, MARIADB_CONNECTION_PORT, &port);
    for (guint k = 0; k < n; k++) {
        unsigned p;
        char *h = node_at(o, k, &p);
        gboolean same = host && h && strcmp(h, host) == 0 && (p ? p : 3306) == port;
        g_free(h);
        if (same)
            return k;
    }
    return 0;
}

/* LOCAL INFILE requests nobody asked for: the server may name any file in
 * its answer to any statement; none is ever read. */
static int refuse_init(void **ptr, const char *filename, void *userdata)
{
    *ptr = (void *)filename;
    return 1;
}

static int refuse_read(void *ptr, char *buf, unsigned int len)
{
    return -1;
}

static void refuse_end(void *ptr)
{
}

static int refuse_error(void *ptr, char *msg, unsigned int len)
{
    g_snprintf(msg, len, "wharf refuses LOCAL INFILE '%s': not the data file being loaded",
               ptr ? (const char *)ptr : "");
    return CR_UNKNOWN_ERROR;
}

void wharf_conn_refuse_local_infile(MYSQL *m)
{
    mysql_set_local_infile_handler(m, refuse_init, refuse_read, refuse_end, refuse_error, NULL);
}

MYSQL *wharf_conn_open_node(const wharf_conn_opts *o, guint node, GError **err)
{
    MYSQL *m = mysql_init(NULL);
    if (m == NULL) {
        g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "out of memory creating a connection");
        return NULL;
    }
    if (!o->no_defaults) {
        if (o->defaults_file)
            mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, o->defaults_file);
        else if (o->defaults_merged)
            mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, o->defaults_merged);
        /* Reads [client], [client-server], [client-mariadb] and [wharf]. */
        mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, "wharf");
    }
    /* The handshake in utf8mb4, so a user name or password in UTF-8 is
     * taken as such (binary would make the server read its bytes as
     * latin1); the session then runs with SET NAMES binary. */
    mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    unsigned timeout = o->connect_timeout ? o->connect_timeout : 30;
    mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    unsigned rw_timeout = 24 * 3600;
    mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
    mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
    my_bool li = o->local_infile ? 1 : 0;
    mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &li);
    if (o->ssl || o->ssl_ca || o->ssl_capath || o->ssl_cert || o->ssl_key || o->ssl_cipher) {
        mysql_ssl_set(m, o->ssl_key, o->ssl_cert, o->ssl_ca, o->ssl_capath, o->ssl_cipher);
        if (o->ssl_crl)
            mysql_optionsv(m, MYSQL_OPT_SSL_CRL, o->ssl_crl);
        my_bool enforce = 1;
        mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &enforce);
    }
    if (o->ssl_verify_server_cert) { /* else the library's (or option file's) default stands */
        my_bool verify = 1;
        mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
    }

    unsigned port;
    char *host = node_at(o, node, &port);
    const char *sock = o->socket;
    gboolean connected = mysql_real_connect(m, host, o->user, o->password, NULL, port, sock,
                                            CLIENT_MULTI_RESULTS | (o->local_infile ? CLIENT_LOCAL_FILES : 0)) != NULL;
    if (!connected) {
        char *where = wharf_conn_nodes(o) > 1 ? g_strdup_printf("%s:%u", host, port ? port : 3306)
                                              : wharf_conn_opts_describe(o);
        char *what = g_strdup_printf("cannot connect to %s as %s", where,
                                     o->user ? o->user : "(default user)");
        wharf_conn_set_error(m, what, err);
        g_free(what);
        g_free(where);
        g_free(host);
        mysql_close(m);
        return NULL;
    }
    g_free(host);
    if (o->local_infile)
        wharf_conn_refuse_local_infile(m);
    /* Exact bytes both ways; UTC so TIMESTAMP values are stable; no sql_mode
     * surprises; generous timeouts for long chunks. */
    if (!wharf_conn_exec(m,
                         "SET NAMES binary, time_zone='+00:00', SQL_MODE='NO_AUTO_VALUE_ON_ZERO',"
                         " wait_timeout=86400, net_read_timeout=3600, net_write_timeout=3600",
                         err)) {
        mysql_close(m);
        return NULL;
    }
    if (o->lock_wait_timeout &&
        !wharf_conn_execf(m, err, "SET SESSION lock_wait_timeout=%u", o->lock_wait_timeout)) {
        mysql_close(m);
        return NULL;
    }
    return m;
}

MYSQL *wharf_conn_open_from(const wharf_conn_opts *o, guint first, guint *node, GError **err)
{
    guint n = wharf_conn_nodes(o);
    GError *last = NULL;
    for (guint i = 0; i < n; i++) {
        g_clear_error(&last);
        MYSQL *m = wharf_conn_open_node(o, first + i, &last);
        if (m) {
            if (i > 0)
                WLOG_DEBUG("node %u of %s did not answer: connected to node %u", first % n + 1, o->host,
                           (first + i) % n + 1);
            if (node)
                *node = (first + i) % n;
            return m;
        }
        /* only a node that cannot be reached is passed over */
        if (n == 1 || !wharf_error_is_connection_lost(last))
            break;
    }
    g_propagate_error(err, last);
    return NULL;
}

MYSQL *wharf_conn_open(const wharf_conn_opts *o, GError **err)
{
    return wharf_conn_open_from(o, 0, NULL, err);
}

void wharf_conn_close(MYSQL *m)
{
    if (m)
        mysql_close(m);
}

void wharf_conn_server_info(MYSQL *m, wharf_server_info *out)
{
    memset(out, 0, sizeof *out);
    const char *v = mysql_get_server_info(m);
    g_strlcpy(out->version_string, v ? v : "", sizeof out->version_string);
    out->flavor = (v && strstr(v, "MariaDB")) ? WHARF_FLAVOR_MARIADB : WHARF_FLAVOR_MYSQL;
    out->version = mysql_get_server_version(m);
}

static void set_stmt_error(MYSQL *m, const char *sql, size_t len, GError **err)
{
    size_t n = len < 200 ? len : 200;
    char *head = g_strndup(sql, n);
    for (char *p = head; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    unsigned no = mysql_errno(m);
    char state[6] = "HY000";
    if (mysql_sqlstate(m))
        g_strlcpy(state, mysql_sqlstate(m), sizeof state);
    char *msg = g_strdup(mysql_error(m));
    char *who = no == ER_LOCK_WAIT_TIMEOUT ? lock_suspects(m) : g_strdup("");
    g_set_error(err, WHARF_SQL_ERROR, no ? (gint)no : CR_UNKNOWN_ERROR,
                "ERROR %u (%s): %s [in: %s%s]%s", no, state, msg, head, len > n ? "..." : "", who);
    g_free(msg);
    g_free(who);
    g_free(head);
}

gboolean wharf_conn_exec_len(MYSQL *m, const char *sql, size_t len, GError **err)
{
    if (mysql_real_query(m, sql, len) != 0) {
        set_stmt_error(m, sql, len, err);
        return FALSE;
    }
    /* Drain every result set (multi results, or a statement returning rows). */
    do {
        MYSQL_RES *res = mysql_store_result(m);
        if (res)
            mysql_free_result(res);
        else if (mysql_field_count(m) != 0 || mysql_errno(m) != 0) {
            set_stmt_error(m, sql, len, err);
            return FALSE;
        }
    } while (mysql_next_result(m) == 0);
    if (mysql_errno(m) != 0) {
        set_stmt_error(m, sql, len, err);
        return FALSE;
    }
    return TRUE;
}

gboolean wharf_conn_exec(MYSQL *m, const char *sql, GError **err)
{
    return wharf_conn_exec_len(m, sql, strlen(sql), err);
}

gboolean wharf_conn_execf(MYSQL *m, GError **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *sql = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    gboolean ok = wharf_conn_exec(m, sql, err);
    g_free(sql);
    return ok;
}

static MYSQL_RES *query_common(MYSQL *m, const char *sql, gboolean stream, GError **err)
{
    size_t len = strlen(sql);
    if (mysql_real_query(m, sql, len) != 0) {
        set_stmt_error(m, sql, len, err);
        return NULL;
    }
    MYSQL_RES *res = stream ? mysql_use_result(m) : mysql_store_result(m);
    if (res == NULL) {
        if (mysql_errno(m) != 0)
            set_stmt_error(m, sql, len, err);
        else
            g_set_error(err, WHARF_ERROR, WHARF_ERROR_FAILED, "statement returned no result set: %.200s", sql);
        return NULL;
    }
    return res;
}

MYSQL_RES *wharf_conn_query(MYSQL *m, const char *sql, GError **err)
{
    return query_common(m, sql, FALSE, err);
}

MYSQL_RES *wharf_conn_query_stream(MYSQL *m, const char *sql, GError **err)
{
    return query_common(m, sql, TRUE, err);
}

char *wharf_conn_query_value(MYSQL *m, const char *sql, GError **err)
{
    MYSQL_RES *res = wharf_conn_query(m, sql, err);
    if (res == NULL)
        return NULL;
    char *out = NULL;
    MYSQL_ROW row = mysql_fetch_row(res);
    if (row && mysql_num_fields(res) > 0 && row[0]) {
        unsigned long *lens = mysql_fetch_lengths(res);
        out = g_strndup(row[0], lens[0]);
    }
    mysql_free_result(res);
    return out;
}

char *wharf_quote_ident(const char *name)
{
    GString *s = g_string_sized_new(strlen(name) + 2);
    g_string_append_c(s, '`');
    for (const char *p = name; *p; p++) {
        if (*p == '`')
            g_string_append_c(s, '`');
        g_string_append_c(s, *p);
    }
    g_string_append_c(s, '`');
    return g_string_free(s, FALSE);
}

char *wharf_quote_table(const char *db, const char *table)
{
    char *a = wharf_quote_ident(db), *b = wharf_quote_ident(table);
    char *r = g_strconcat(a, ".", b, NULL);
    g_free(a);
    g_free(b);
    return r;
}

char *wharf_quote_string(const char *s)
{
    GString *o = g_string_sized_new(strlen(s) + 2);
    g_string_append_c(o, '\'');
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '\'': g_string_append(o, "\\'"); break;
        case '\\': g_string_append(o, "\\\\"); break;
        case '\n': g_string_append(o, "\\n"); break;
        case '\r': g_string_append(o, "\\r"); break;
        case 26: g_string_append(o, "\\Z"); break;
        default: g_string_append_c(o, *p);
        }
    }
    g_string_append_c(o, '\'');
    return g_string_free(o, FALSE);
}
