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

# a chunk whose INSERTs change head (with and without a column list: three
# LOAD DATA streams of 700 rows in one file): a part is the transaction,
# whatever the streams in it
mkdir -p "$T/heads"
printf 'Started dump at: 2026-12-01 00:00:00\nFinished dump at: 2026-12-01 00:00:01\n' >"$T/heads/metadata"
echo 'CREATE DATABASE `mh`;' >"$T/heads/mh-schema-create.sql"
echo 'CREATE TABLE `t` (`id` int NOT NULL, `v` varchar(20), PRIMARY KEY (`id`)) ENGINE=InnoDB;' >"$T/heads/mh.t-schema.sql"
{
    echo "INSERT INTO \`t\` VALUES"; seq 1 700 | sed "s/.*/(&,'a&'),/; \$s/,\$/;/"
    echo "INSERT INTO \`t\` (\`id\`,\`v\`) VALUES"; seq 701 1400 | sed "s/.*/(&,'b&'),/; \$s/,\$/;/"
    echo "INSERT INTO \`t\` VALUES"; seq 1401 2100 | sed "s/.*/(&,'c&'),/; \$s/,\$/;/"
} >"$T/heads/mh.t.00000.sql"
if wharf_on galera1 load -d "$T/heads" >"$T/heads.log" 2>&1; then
    galera_wait_synced 3
    for ((k = 1; k <= GALERA_N; k++)); do
        [ "$(galera_sql "$k" -e 'SELECT COUNT(*), SUM(id) FROM mh.t')" = "$(printf '2100\t2206050')" ] ||
            failed "three heads: node $k has [$(galera_sql "$k" -e 'SELECT COUNT(*), SUM(id) FROM mh.t')]"
    done
    ok "a chunk of three INSERT heads (2,100 rows) loaded in parts under the limit"
else
    failed "three heads: $(grep error "$T/heads.log" | head -3)"
fi

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
