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
 *  - A sequence is created NOCACHE where Galera refuses its CACHE
 *    (wharf_cluster_sequence_ddl), named in a warning.
 *  - The gate (wharf_cluster_enter / _leave around every job on a
 *    cluster): schema jobs run one at a time; those that may need a lock
 *    a chunk holds (all but CREATE DATABASE and CREATE TABLE of a table
 *    without foreign keys) never beside a data job; data jobs run in
 *    parallel between them. DDL runs in total order (TOI)
 *    and stalls every node while it runs; run beside open transactions it
 *    deadlocks (measured with -t 4 in about half the loads of t0801: an
 *    ALTER ... ADD CONSTRAINT waiting for a metadata lock held by a chunk
 *    whose COMMIT waits for certification behind that ALTER). A schema job
 *    waits for the chunks running to end; new chunks wait behind it.
 */
#ifndef WHARF_LOAD_CLUSTER_H
#define WHARF_LOAD_CLUSTER_H

#include "load/restore.h"

gboolean wharf_cluster_setup(wharf_load_ctx *ctx, MYSQL *m, GError **err);
/* On a cluster, a CREATE SEQUENCE with CACHE n and an INCREMENT BY other
 * than 0 (which Galera refuses, ERROR 1235) rewritten NOCACHE, with a
 * warning naming it; NULL when stmt stands as it is. */
char *wharf_cluster_sequence_ddl(const wharf_load_ctx *ctx, const wharf_load_table *t, const char *stmt, size_t len);
/* Around a job's work on its connection: FALSE (cancelled) when the run
 * stopped while the job waited at the gate. */
/* name: the job's, for the message a long wait logs every 10 s. */
gboolean wharf_cluster_enter(wharf_load_ctx *ctx, int kind, const void *payload, const char *name, GError **err);
void wharf_cluster_leave(wharf_load_ctx *ctx, int kind, const void *payload);

#endif
