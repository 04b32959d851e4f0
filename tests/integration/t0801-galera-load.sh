#!/usr/bin/env bash
# wharf load into a 3-node Galera cluster (tests/harness/galera.sh): t0201's
# dump of every object kind (roundtrip_fixture: types, keys, foreign keys,
# views on views, triggers, routines, an event, a sequence, a MyISAM
# table) is loaded into node 1, and every node is compared with the source
# by compare_full once the cluster has applied every write set.
#
# First, with the cluster's default wsrep_mode (MyISAM rows not
# replicated): the load is refused before anything is loaded, naming the
# MyISAM table rt.myi (its rows would reach node 1 only), and no node has
# the database.
# Then with wsrep_mode=REPLICATE_MYISAM,REPLICATE_ARIA on the cluster (how
# a DBA keeps MyISAM tables on Galera) the load runs, with 4 threads (DDL
# and rows at once), and every node is compared in full with the source,
# but for two things of Galera itself:
#   - the event's status on nodes 2 and 3: a node applying a replicated
#     CREATE EVENT marks it SLAVESIDE_DISABLED (an event runs on the node it
#     was created on), as a replica does;
#   - the sequence rt.seq1 (CACHE 1000, INCREMENT BY 5) on every node:
#     Galera refuses a CACHE with an INCREMENT BY other than 0 (ERROR 1235),
#     so the load creates it NOCACHE, with a warning naming it: its CACHE
#     clause and cache_size are not compared; every other column of its
#     state is (the next value included).
# A load that hangs (DDL runs in total order isolation on Galera, and DDL
# beside open transactions can wedge it) fails after 2 minutes, printing
# node 1's sessions.
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
    grep -q "rt.seq1: created NOCACHE instead of CACHE 1000" "$log" || failed "$round: no warning naming the sequence made NOCACHE"
    ! grep -q "error" "$log" || failed "$round: errors: $(grep error "$log" | head -3)"
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

# default wsrep_mode: refused, nothing loaded
rc=0
wharf_on galera1 load -d "$T/d" -t 4 >"$T/load-default.log" 2>&1 || rc=$?
[ "$rc" = 1 ] || failed "default wsrep_mode: the load was not refused (exit $rc)"
grep -q "replicates InnoDB tables only.*rt.myi (MyISAM)" "$T/load-default.log" ||
    failed "default wsrep_mode: no refusal naming rt.myi: $(grep error "$T/load-default.log" | head -2)"
for ((k = 1; k <= GALERA_N; k++)); do
    [ -z "$(galera_sql "$k" -e "SHOW DATABASES LIKE 'rt'")" ] || failed "default wsrep_mode: node $k has database rt"
done
ok "default wsrep_mode: refused before anything was loaded, naming rt.myi"

for ((k = 1; k <= GALERA_N; k++)); do galera_sql "$k" -e "SET GLOBAL wsrep_mode = 'REPLICATE_MYISAM,REPLICATE_ARIA'"; done
galera_wait_synced 3
load replicate-myisam
compare_nodes replicate-myisam yes

if [ ${#failures[@]} -gt 0 ]; then
    printf 'FAIL: %s\n' "${failures[@]}" >&2
    exit 1
fi
ok "every node of the cluster holds the restore"
