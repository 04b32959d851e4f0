/* conn: connecting to a server and running statements on it.
 *
 * Contract:
 *  - wharf_conn_opts holds what the user gave (command line, option files);
 *    it is filled once by wharf_cli and then only read (const everywhere).
 *  - wharf_conn_open() connects with those options, reading the [client] and
 *    [wharf] groups of the usual option files (and --defaults-file), and sets
 *    the session up for exact byte round trips: NAMES binary, time_zone
 *    '+00:00', wait_timeout large. Errors are WHARF_SQL_ERROR with the server
 *    error number as code and a message "host:port: ERROR n: text".
 *  - wharf_conn_query*() run one statement; on failure the GError carries the
 *    server error number (WHARF_SQL_ERROR) and the statement's start (first
 *    200 bytes) so the log names what failed. The caller prefixes the object.
 *  - A MYSQL handle is used by one thread at a time; nothing here locks.
 */
#ifndef WHARF_CORE_CONN_H
#define WHARF_CORE_CONN_H

#include <glib.h>
#include <mysql.h>
#include <stdint.h>

typedef struct wharf_conn_opts {
    char *host;
    unsigned port;
    char *user;
    char *password;      /* NULL = none given; never logged */
    char *socket;
    char *defaults_file; /* --defaults-file: read instead of the usual files */
    char *defaults_extra_file;
    /* With --defaults-extra-file: a private option file (made by
     * wharf_conn_opts_merge_defaults) that !includes the usual files and the
     * extra one in the client's order; removed by wharf_conn_opts_clear. */
    char *defaults_merged;
    gboolean no_defaults;
    gboolean ssl;         /* --ssl: require TLS */
    gboolean ssl_verify_server_cert;
    char *ssl_ca, *ssl_capath, *ssl_cert, *ssl_key, *ssl_cipher, *ssl_crl;
    unsigned connect_timeout; /* seconds, 0 = library default */
    unsigned lock_wait_timeout; /* session lock_wait_timeout, seconds, 0 = server's */
    gboolean local_infile;    /* enable LOAD DATA LOCAL (load side) */
} wharf_conn_opts;

typedef enum { WHARF_FLAVOR_MARIADB, WHARF_FLAVOR_MYSQL } wharf_flavor;

typedef struct wharf_server_info {
    wharf_flavor flavor;
    unsigned long version; /* e.g. 101106 for 10.11.6, 80036 for 8.0.36 */
    char version_string[128];
} wharf_server_info;

void wharf_conn_opts_clear(wharf_conn_opts *o);
/* "host:port" or "socket path" for messages. */
/* --defaults-extra-file adds a file to the usual ones (Connector/C reads
 * only the one it is given): build the merged file. */
gboolean wharf_conn_opts_merge_defaults(wharf_conn_opts *o, GError **err);

char *wharf_conn_opts_describe(const wharf_conn_opts *o);

/* host may list the nodes of a cluster: "HOST[:PORT],HOST[:PORT],..."
 * (-h node1,node2:3307,[::1]:3308; a node without a port has -P's).
 * wharf_conn_open_from tries node first, then the next ones in turn while
 * a node cannot be reached (failover), and says which answered;
 * wharf_conn_open is wharf_conn_open_from node 0; wharf_conn_open_node
 * tries that node only. One host: node 0, always. */
MYSQL *wharf_conn_open(const wharf_conn_opts *o, GError **err);
MYSQL *wharf_conn_open_from(const wharf_conn_opts *o, guint first, guint *node, GError **err);
MYSQL *wharf_conn_open_node(const wharf_conn_opts *o, guint node, GError **err);
guint wharf_conn_nodes(const wharf_conn_opts *o);
/* The node of the list m is connected to (0 when unknown). */
guint wharf_conn_node_of(const wharf_conn_opts *o, MYSQL *m);
void wharf_conn_close(MYSQL *m);
void wharf_conn_server_info(MYSQL *m, wharf_server_info *out);

/* Run a statement that returns no rows (or whose rows are discarded). */
/* Interrupts: KILL QUERY each thread, on its node's side connection
 * sides[node] (an array of wharf_conn_nodes(o); opened from o on first
 * use, kept for the next round; the caller closes them). FALSE (warning
 * logged) if a side connection could not be opened. */
typedef struct wharf_conn_thread {
    gulong id;  /* server thread id */
    guint node; /* of the node list (wharf_conn_node_of) */
} wharf_conn_thread;
gboolean wharf_conn_kill_queries(const wharf_conn_opts *o, MYSQL **sides, const GArray *threads);

/* Install the handler that refuses every LOAD DATA LOCAL request (the
 * default of every connection opened with local_infile); a loader installs
 * its own for exactly one statement and then calls this again. */
void wharf_conn_refuse_local_infile(MYSQL *m);

gboolean wharf_conn_exec(MYSQL *m, const char *sql, GError **err);
gboolean wharf_conn_execf(MYSQL *m, GError **err, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Same for a statement of known length (may contain NUL bytes). */
gboolean wharf_conn_exec_len(MYSQL *m, const char *sql, size_t len, GError **err);
/* Run a query and store the whole result (small catalog results only). */
MYSQL_RES *wharf_conn_query(MYSQL *m, const char *sql, GError **err);
/* Run a query and stream the result row by row (mysql_use_result). */
MYSQL_RES *wharf_conn_query_stream(MYSQL *m, const char *sql, GError **err);
/* First column of the first row as a newly allocated string, or NULL with
 * *err unset when there is no row / the value is NULL. */
char *wharf_conn_query_value(MYSQL *m, const char *sql, GError **err);

/* Set *err from the handle's current error (for calls made directly on m). */
void wharf_conn_set_error(MYSQL *m, const char *what, GError **err);

/* Quote an identifier with backticks, doubling embedded backticks. */
char *wharf_quote_ident(const char *name);
/* `db`.`table` */
char *wharf_quote_table(const char *db, const char *table);
/* A string literal 'text' with quotes and backslashes escaped (no mysql
 * handle needed; safe under NAMES binary and any sql_mode). */
char *wharf_quote_string(const char *s);

#endif
