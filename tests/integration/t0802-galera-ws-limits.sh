#!/usr/bin/env bash
# wharf load into a Galera cluster whose write sets are limited to 1,000
# rows (wsrep_max_ws_rows; a transaction above it is refused by the node
# that commits it): a table of 50,000 rows must load, in the SQL format and
# as LOAD DATA streams (--load-data on), and be the same on all three nodes
# (compare_full of the database on every node). The load has to keep each
# transaction under the cluster's limit: a chunk of the dump is split into
# several transactions when needed. Then wharf copy, into nodes 1 and 2
# given together (--to-host a,b), the same way.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/galera.sh"

rows=50000
failures=()
failed() { echo "FAILED: $*" >&2; failures+=("$*"); }

start_server src
sql src <<SQL
CREATE DATABASE ws;
USE ws;
CREATE TABLE ws.big (id INT PRIMARY KEY, pad VARCHAR(100), n DOUBLE, KEY k_n (n)) ENGINE=InnoDB;
INSERT INTO ws.big SELECT seq, REPEAT(CHAR(65 + seq % 26), seq % 100), seq / 7 FROM seq_1_to_$rows;
CREATE TABLE ws.small (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB;
INSERT INTO ws.small SELECT seq, CONCAT('v', seq) FROM seq_1_to_10;
SQL
wharf_on src dump -o "$T/d" -q || fail "dump"

start_galera 3 --wsrep-max-ws-rows=1000
[ "$(galera_sql 1 -e 'SELECT @@wsrep_max_ws_rows')" = 1000 ] || fail "wsrep_max_ws_rows is not 1000 on the cluster"
# the limit is real: one statement of 1,001 rows is refused
expect_fail "a write set of 1,001 rows" "wsrep_max_ws_rows|1180|Error on commit" \
    galera_sql 1 -e "CREATE DATABASE probe; CREATE TABLE probe.t (id INT PRIMARY KEY) ENGINE=InnoDB;
        INSERT INTO probe.t SELECT seq FROM probe.seq_1_to_1001"
galera_sql 1 -e "DROP DATABASE probe"

for round in "sql" "load-data --load-data on"; do
    set -- $round
    name=$1; shift
    galera_sql 1 -e "DROP DATABASE IF EXISTS ws"
    galera_wait_synced 3
    rc=0
    galera_wharf_load 1 300 "$T/load-$name.log" -d "$T/d" -t 2 "$@" || rc=$?
    [ "$rc" != 124 ] || fail "$name: wharf load into node 1 hung"
    if [ "$rc" = 0 ]; then
        ok "$name: the load of $rows rows under wsrep_max_ws_rows=1000 succeeded"
    else
        failed "$name: wharf load into node 1: exit $rc: $(grep -Eo 'load incomplete: .*' "$T/load-$name.log" || tail -1 "$T/load-$name.log")"
        grep -E '^wharf\[.*\] error: ' "$T/load-$name.log" | cut -c1-400 >&2 || true
    fi
    galera_wait_synced 3
    for ((k = 1; k <= GALERA_N; k++)); do
        ( compare_full src ws "galera$k" ws ) || failed "$name: node $k differs from the source"
    done
done

# wharf copy into two nodes at once: the same limits, the same split
galera_sql 1 -e "DROP DATABASE IF EXISTS ws"
galera_wait_synced 3
nodes="127.0.0.1:$galera1_PORT,127.0.0.1:$galera2_PORT"
if "$WHARF_BIN" copy --no-defaults -u root -S "$src_SOCK" --to-host "$nodes" --to-user root -B ws -t 2 \
    >"$T/copy.log" 2>&1; then
    grep -q "Galera cluster of 3" "$T/copy.log" || failed "copy: the target was not seen as a Galera node"
    ok "copy into nodes 1 and 2 under wsrep_max_ws_rows=1000"
else
    failed "copy into $nodes: $(grep error "$T/copy.log" | head -3)"
fi
galera_wait_synced 3
for ((k = 1; k <= GALERA_N; k++)); do
    ( compare_full src ws "galera$k" ws ) || failed "copy: node $k differs from the source"
done

if [ ${#failures[@]} -gt 0 ]; then
    printf 'FAIL: %s\n' "${failures[@]}" >&2
    exit 1
fi
ok "$rows rows loaded under a 1,000-row write-set limit, equal on every node"
