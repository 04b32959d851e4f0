#!/usr/bin/env bash
# wharf load into a 3-node Galera cluster (tests/harness/galera.sh): t0201's
# dump of every object kind (roundtrip_fixture: types, keys, foreign keys,
# views on views, triggers, routines, an event, a sequence, a MyISAM
# table) is loaded into node 1, and every node is compared with the source
# by compare_full once the cluster has applied every write set.
#
# What is compared, as a DBA expects of Galera:
#   - node 1, where wharf loads: everything, every row;
#   - nodes 2 and 3: everything, but for two things of Galera itself:
#       * the rows of the MyISAM table rt.myi: Galera replicates InnoDB
#         rows only (wsrep_mode without REPLICATE_MYISAM), so the table is
#         created on every node (DDL is replicated) and its rows stay on
#         node 1: checked explicitly (2 rows on node 1, 0 elsewhere); a
#         restore should say so (a warning naming the table; not asserted:
#         wharf gives none yet, the test prints a note when the load warns
#         of nothing);
#       * the event's status: a node applying a replicated CREATE EVENT
#         marks it SLAVESIDE_DISABLED (an event runs on the node it was
#         created on), as a replica does;
#   - the sequence rt.seq1 (CACHE 1000, INCREMENT BY 5) on every node:
#     Galera refuses a CACHE with an INCREMENT BY other than 0 (ERROR 1235),
#     so a restore must create it NOCACHE: its CACHE clause and cache_size
#     are not compared; every other column of its state is (the next value
#     included).
# Then a second round, with wsrep_mode=REPLICATE_MYISAM,REPLICATE_ARIA set
# on the cluster (how a DBA keeps MyISAM tables on Galera): the database is
# dropped and loaded again, and now rt.myi has its rows on every node too.
# Every check runs; the test fails at the end if any did. A load that hangs
# (DDL runs in total order isolation on Galera, and concurrent DDL with rows
# can wedge it) fails after 2 minutes, printing node 1's sessions.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/fixtures.sh"
. "$HARNESS_DIR/galera.sh"

failures=()
failed() { echo "FAILED: $*" >&2; failures+=("$*"); }

start_server src
roundtrip_fixture src >/dev/null
wharf_on src dump -o "$T/d" -q || fail "dump of the fixture"

start_galera 3
[ "$(galera_sql 1 -e "SELECT @@wsrep_mode")" = "" ] || fail "the cluster does not have the default wsrep_mode"

known_seq='table `seq1`|SHOW CREATE TABLE|Galera refuses CACHE with INCREMENT BY other than 0: created NOCACHE
table `seq1`|SELECT *|its state, compared without cache_size below'
known_event='event `ev_cleanup`|EVENTS.STATUS|a node applying a replicated CREATE EVENT marks it SLAVESIDE_DISABLED
event `ev_cleanup`|SHOW CREATE EVENT|the same: DISABLE ON SLAVE'
known_myisam='table `myi`|COUNT(*)|Galera does not replicate MyISAM rows (wsrep_mode without REPLICATE_MYISAM)
table `myi`|CHECKSUM TABLE|the same'

# load ROUND: load the dump into node 1 (4 threads: DDL and rows at once),
# report what the load said. A load that does not end within 2 minutes
# (the fixture loads in a second) is a hang: the sessions of node 1 are
# printed and the test ends there (a cluster stuck in DDL takes no more).
load() {
    local round=$1 rc=0 log=$T/load-$1.log
    galera_wharf_load 1 120 "$log" -d "$T/d" -t 4 || rc=$?
    if [ "$rc" = 124 ]; then
        [ ${#failures[@]} -eq 0 ] || printf 'FAIL: %s\n' "${failures[@]}" >&2
        fail "$round: wharf load into node 1 hung"
    fi
    if [ "$rc" != 0 ]; then
        failed "$round: wharf load into node 1: exit $rc: $(grep -Eo 'load incomplete: .*' "$log" || tail -1 "$log")"
        grep -E '^wharf\[.*\] error: FAILED' "$log" | cut -c1-400 >&2 || true
    fi
    grep -E 'warning:' "$log" >&2 || echo "note: $round: wharf load gave no warning" >&2
    galera_wait_synced 3
}

# seq_state NODE: the sequence's state without cache_size
seq_state() {
    sql "$1" -e "SELECT next_not_cached_value, minimum_value, maximum_value, start_value, increment, cycle_option,
        cycle_count FROM rt.seq1" 2>/dev/null || echo "no sequence rt.seq1"
}

# compare_nodes ROUND MYISAM_REPLICATED
compare_nodes() {
    local round=$1 myisam=$2 k known rows before=${#failures[@]}
    for ((k = 1; k <= GALERA_N; k++)); do
        known=$known_seq
        if [ "$k" -gt 1 ]; then
            known+=$'\n'$known_event
            [ "$myisam" = yes ] || known+=$'\n'$known_myisam
        fi
        ( COMPARE_KNOWN=$known compare_full src rt "galera$k" rt ) || failed "$round: node $k differs from the source"
        [ "$(seq_state "galera$k")" = "$(seq_state src)" ] ||
            failed "$round: node $k: sequence rt.seq1: [$(seq_state "galera$k")], source [$(seq_state src)]"
        rows=$(sql "galera$k" -e "SELECT COUNT(*) FROM rt.myi" 2>&1 | tail -1)
        if [ "$k" = 1 ] || [ "$myisam" = yes ]; then
            [ "$rows" = 2 ] || failed "$round: node $k: rt.myi has [$rows] rows, not 2"
        else
            [ "$rows" = 0 ] || failed "$round: node $k: rt.myi has [$rows] rows: MyISAM rows were not expected to replicate"
        fi
    done
    [ ${#failures[@]} -gt "$before" ] || ok "$round: every node compared, as expected"
}

load default
compare_nodes default no

for ((k = 1; k <= GALERA_N; k++)); do galera_sql "$k" -e "SET GLOBAL wsrep_mode = 'REPLICATE_MYISAM,REPLICATE_ARIA'"; done
galera_sql 1 -e "DROP DATABASE rt"
galera_wait_synced 3
load replicate-myisam
compare_nodes replicate-myisam yes

if [ ${#failures[@]} -gt 0 ]; then
    printf 'FAIL: %s\n' "${failures[@]}" >&2
    exit 1
fi
ok "every node of the cluster holds the restore"
