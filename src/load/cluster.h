/* cluster: a load into a node of a Galera cluster, adapted to it.
 *
 * Contract:
 *  - wharf_cluster_setup() probes the target on the run's first connection
 *    (core/galera.h). Not Galera: nothing changes. Galera:
 *      - a node that is not ready (wsrep_ready OFF) is refused, and one that
 *        is not Synced is named in a warning;
 *      - tables whose engine the cluster does not replicate (MyISAM, Aria
 *        without wsrep_mode REPLICATE_*; any other non-InnoDB engine) are
 *        refused before anything is loaded, every one named: their rows
 *        would reach one node only;
 *      - ctx->part_rows: a chunk commits every part_rows rows
 *        (wsrep_max_ws_rows less the rows wharf itself adds to a chunk's
 *        transaction: its marker and its part row; load/parts.h), 0 when
 *        the cluster sets no limit;
 *      - ctx->session_sql gains streaming replication (fragments of half
 *        wsrep_max_ws_size, so no write set exceeds it) and
 *        wsrep_sync_wait=1 (a check of what an earlier attempt committed,
 *        maybe on another node, reads the cluster's latest state).
 *  - Schema jobs run one at a time on a cluster (wharf_cluster_ddl_begin /
 *    _end around them, ctx->toi_lock): DDL runs in total order (TOI) and
 *    stalls every node while it runs; a wall of concurrent DDL would queue
 *    the cluster behind it. Data jobs run in parallel.
 */
#ifndef WHARF_LOAD_CLUSTER_H
#define WHARF_LOAD_CLUSTER_H

#include "load/restore.h"

gboolean wharf_cluster_setup(wharf_load_ctx *ctx, MYSQL *m, GError **err);
void wharf_cluster_ddl_begin(wharf_load_ctx *ctx, int kind);
void wharf_cluster_ddl_end(wharf_load_ctx *ctx, int kind);

#endif
