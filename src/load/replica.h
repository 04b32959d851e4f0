/* replica: --replica-setup, a loaded target made a replica of the dumped
 * server (or of that server's own source) from the dump's snapshot.
 *
 * Contract:
 *  - The position comes from the dump's metadata: the snapshot's GTID
 *    (MariaDB @@gtid_current_pos, else the recorded GTID set) with
 *    MASTER_USE_GTID=slave_pos; without a GTID, the binary log file and
 *    position. With --replica-of=upstream (a dump taken on a replica) the
 *    source defaults to the one the dumped server replicated from, and
 *    without a GTID its recorded position there is used (GTIDs are the same
 *    along a replication chain).
 *  - print: the statements on stdout, the password shown as '***'.
 *    apply: run on the target (SET GLOBAL gtid_slave_pos, CHANGE MASTER
 *    TO, START SLAVE), each logged, the first error named (a target that
 *    already replicates refuses CHANGE MASTER: nothing is changed then).
 *  - Only after a load that restored everything; the load runs with
 *    SQL_LOG_BIN=0 so that the target's own binary log holds none of it.
 *  - MariaDB targets only (MySQL's gtid_purged / CHANGE REPLICATION SOURCE
 *    forms are refused, said so).
 */
#ifndef WHARF_LOAD_REPLICA_H
#define WHARF_LOAD_REPLICA_H

#include "format/metadata.h"

#include <glib.h>
#include <mysql.h>

typedef enum { WHARF_REPLICA_NONE = 0, WHARF_REPLICA_PRINT, WHARF_REPLICA_APPLY } wharf_replica_mode;

typedef struct wharf_replica_opts {
    wharf_replica_mode mode;
    gboolean of_upstream;  /* --replica-of=upstream */
    char *host;            /* --source-host (default: upstream's with of_upstream) */
    int port;              /* --source-port, 0 = default (upstream's or 3306) */
    char *user, *password; /* --source-user, --source-password */
} wharf_replica_opts;

/* The statements, each ending with ";\n" (mask: the password as '***'). */
char *wharf_replica_statements(const wharf_metadata *m, const wharf_replica_opts *r, gboolean mask, GError **err);
/* Run them on m (a MariaDB target). */
gboolean wharf_replica_apply(MYSQL *m, const wharf_metadata *md, const wharf_replica_opts *r, GError **err);

#endif
