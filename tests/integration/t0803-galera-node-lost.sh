#!/usr/bin/env bash
# A load given the three nodes of a Galera cluster (-h node1,node2,node3)
# spreads its workers over them; node 2 is killed (SIGKILL) while rows flow,
# with chunks committed in parts under wsrep_max_ws_rows: the workers on
# node 2 retry on the next node, each skipping the rows its chunk had
# committed, and the load ends complete; the two remaining nodes are equal
# to the source (compare_full), and wharf verify against each says so.
# Then the same with --resume after killing wharf itself mid-load.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/galera.sh"

start_server src
sql src <<'SQL'
CREATE DATABASE nl;
CREATE TABLE nl.keyed (id INT PRIMARY KEY, v VARCHAR(60), KEY k_v (v)) ENGINE=InnoDB;
INSERT INTO nl.keyed SELECT seq, CONCAT('value ', seq, REPEAT('x', seq % 40)) FROM nl.seq_1_to_200000;
CREATE TABLE nl.nokey (a INT, b VARCHAR(30)) ENGINE=InnoDB;
INSERT INTO nl.nokey SELECT seq % 100, CONCAT('n', seq) FROM nl.seq_1_to_60000;
CREATE TABLE nl.parent (id INT PRIMARY KEY) ENGINE=InnoDB;
INSERT INTO nl.parent SELECT seq FROM nl.seq_1_to_100;
CREATE TABLE nl.child (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES nl.parent (id)) ENGINE=InnoDB;
INSERT INTO nl.child SELECT seq, 1 + seq % 100 FROM nl.seq_1_to_5000;
CREATE VIEW nl.v AS SELECT COUNT(*) AS n FROM nl.keyed;
SQL
wharf_on src dump -o "$T/d" -r 10000 --compress none -q || fail "dump"

start_galera 3 --wsrep-max-ws-rows=2000
nodes="127.0.0.1:$galera1_PORT,127.0.0.1:$galera2_PORT,127.0.0.1:$galera3_PORT"
W=("$WHARF_BIN" load --no-defaults -u root -h "$nodes" -d "$T/d" -t 3 --max-rate 0.6)

# the workers spread over the nodes
"${W[@]}" -v >"$T/load1.log" 2>&1 &
pid=$!
for _ in $(seq 150); do
    grep -q "connected to node 2 of" "$T/load1.log" && break
    sleep 0.1
done
grep -q "connected to node 2 of" "$T/load1.log" || { kill "$pid"; fail "no worker on node 2: $(tail -3 "$T/load1.log")"; }
sleep 1
grep -q "load complete" "$T/load1.log" && fail "the load ended before node 2 was killed (too fast for the test)"
stop_galera_node 2 kill
rc=0
wait "$pid" || rc=$?
[ "$rc" = 0 ] || fail "the load with node 2 killed: exit $rc: $(grep -E 'error|FAILED' "$T/load1.log" | head -5)"
grep -q "load complete" "$T/load1.log" || fail "no completion line: $(tail -3 "$T/load1.log")"
retries=$(grep -Eo 'retries [0-9]+' "$T/load1.log" | tail -1)
[ "${retries#retries }" -gt 0 ] || fail "node 2 was killed but nothing was retried: $(grep 'load summary' "$T/load1.log")"
galera_wait_synced 2
for k in 1 3; do
    compare_full src nl "galera$k" nl
    wharf_on "galera$k" verify -d "$T/d" -q || fail "verify against node $k"
done
[ -z "$(galera_sql 1 -e "SHOW DATABASES LIKE 'wharf_resume'")" ] || fail "wharf_resume left after a complete load"
ok "node 2 killed mid-load: the load ended complete on nodes 1 and 3 ($retries), both equal to the source"

# wharf itself killed mid-part, resumed on the two nodes left
galera_sql 1 -e "DROP DATABASE nl"
galera_wait_synced 2
nodes2="127.0.0.1:$galera1_PORT,127.0.0.1:$galera3_PORT"
rc=0
WHARF_FAULT=load-part-after-commit "$WHARF_BIN" load --no-defaults -u root -h "$nodes2" -d "$T/d" -t 2 \
    --resume "$T/journal" >"$T/load2.log" 2>&1 || rc=$?
[ "$rc" = 137 ] || fail "the armed load was not killed (exit $rc): $(tail -3 "$T/load2.log")"
# read with wsrep_sync_wait: node 3 may not have applied the last part yet
[ -n "$(galera_sql 3 -e "SET SESSION wsrep_sync_wait=1; SELECT 1 FROM wharf_resume.parts LIMIT 1")" ] ||
    fail "no part recorded before the kill"
out=$("$WHARF_BIN" load --no-defaults -u root -h "$nodes2" -d "$T/d" -t 2 --resume "$T/journal" 2>&1) ||
    fail "resumed load: $out"
galera_wait_synced 2
for k in 1 3; do compare_full src nl "galera$k" nl; done
ok "killed after a part's commit, resumed on two nodes: equal to the source on both"
