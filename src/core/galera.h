/* galera: what a server says of its Galera cluster (wsrep), read once.
 *
 * Contract:
 *  - wharf_galera_probe() reads the node's wsrep variables (@@wsrep_on,
 *    the cluster's write-set limits wsrep_max_ws_rows and
 *    wsrep_max_ws_size, wsrep_mode) and status (wsrep_cluster_size,
 *    wsrep_local_state_comment, wsrep_cluster_state_uuid,
 *    wsrep_last_committed, wsrep_ready) in two queries. A server without
 *    wsrep (MySQL, a MariaDB without it, wsrep_on OFF, no provider) is not
 *    Galera (on = FALSE): never an error.
 *  - Read at the start of a run (and by a dump inside its snapshot lock);
 *    the struct is then only read. Strings are owned; free with
 *    wharf_galera_clear.
 */
#ifndef WHARF_CORE_GALERA_H
#define WHARF_CORE_GALERA_H

#include <glib.h>
#include <mysql.h>

typedef struct wharf_galera {
    gboolean on;          /* wsrep_on, a provider loaded, a cluster of 1 or more */
    gboolean ready;       /* wsrep_ready: the node accepts queries */
    gint64 cluster_size;
    gint64 max_ws_rows;   /* rows a transaction may change (0: no limit) */
    gint64 max_ws_size;   /* bytes of one write set */
    gint64 last_committed; /* wsrep_last_committed: the cluster's seqno */
    char *state;          /* wsrep_local_state_comment: Synced, Donor/Desynced, Joining... */
    char *cluster_uuid;   /* wsrep_cluster_state_uuid */
    char *mode;           /* wsrep_mode ("" when none) */
} wharf_galera;

gboolean wharf_galera_probe(MYSQL *m, wharf_galera *g, GError **err);
void wharf_galera_clear(wharf_galera *g);
/* Does wsrep_mode replicate rows of this engine (MyISAM, Aria)? InnoDB is
 * always replicated; other engines never. */
gboolean wharf_galera_replicates(const wharf_galera *g, const char *engine);

#endif
