#!/usr/bin/env bash
# wharf copy: the conformance fixture (every object kind) from one server to
# another, and one database to another name on the same server, each
# compared in full; a table of several chunks bigger than the pipes; a
# conflict on the target fails before changing it; SIGINT stops both halves.
. "$(dirname "$0")/../harness/lib.sh"

fixture=$WHARF_SOURCE_DIR/tests/fixtures/conformance.sql
export COMPARE_KNOWN='table `sv_part_limit`|rows in partition|history rows are spread over LIMIT partitions by the loading statements, not as on the source'

start_server src
start_server dst
sql src <"$fixture" || fail "loading the fixture"
sql dst -e "CREATE USER 'app'@'localhost'; GRANT ALL PRIVILEGES ON *.* TO 'app'@'localhost'"
mapfile -t dbs < <(sql src --raw -e "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN
    ('mysql', 'sys', 'information_schema', 'performance_schema') ORDER BY BINARY SCHEMA_NAME")

copy() { wharf_on src copy --to-socket "$dst_SOCK" --to-user root "$@"; }

copy -t 2 >"$T/copy.log" 2>&1 || fail "copy of the fixture: $(grep -E 'error' "$T/copy.log" | head -10)"
grep -q "copy complete" "$T/copy.log" || fail "no completion line: $(tail -3 "$T/copy.log")"
for db in "${dbs[@]}"; do compare_full src "$db" dst "$db"; done
ok "copy of ${#dbs[@]} databases of every object kind: identical"

# the same server, another name: no DDL lock (the load's DDL would wait)
wharf_on src copy --to-socket "$src_SOCK" --to-user root -B conformance --into conformance_copy -t 2 >"$T/same.log" 2>&1 ||
    fail "copy to another name on the same server: $(grep -E 'error' "$T/same.log" | head -5)"
grep -q "no DDL lock" "$T/same.log" || fail "the same-server copy did not say it takes no DDL lock"
( compare_full src conformance src conformance_copy )
expect_fail "same server without --into" "needs --into" wharf_on src copy --to-socket "$src_SOCK" --to-user root -B conformance

# several chunks, each bigger than a pipe (4 MiB)
sql src <<'SQL'
CREATE DATABASE big;
USE big;
CREATE TABLE big.t (id INT PRIMARY KEY, pad VARCHAR(300), n DOUBLE);
INSERT INTO big.t SELECT seq, REPEAT(CHAR(65 + seq % 26), 300), seq / 3 FROM seq_1_to_60000 s;
SQL
copy -B big -r 20000 -t 2 --load-data on >"$T/big.log" 2>&1 || fail "copy of big: $(grep error "$T/big.log" | head -5)"
grep -q "chunks 3/3" "$T/big.log" || fail "big was not copied in 3 chunks: $(grep 'load summary' "$T/big.log")"
compare_databases src big dst big

# a conflict: refused before anything changes
sql dst -e "INSERT INTO big.t VALUES (0, 'mine', 0)"
expect_fail "copy onto existing tables" "already exist" copy -B big
[ "$(sql dst -e 'SELECT COUNT(*) FROM big.t')" = 60001 ] || fail "the refused copy changed the target"
copy -B big --if-exists drop -q || fail "copy --if-exists drop"
compare_databases src big dst big

# SIGINT while rows flow: both halves stop, nothing is left running
sql dst -e "DROP DATABASE big"
env --default-signal=INT "$WHARF_BIN" copy --no-defaults -u root -S "$src_SOCK" --to-socket "$dst_SOCK" --to-user root \
    -B big -r 5000 -t 2 --max-rate 0.5 >"$T/int.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "source: " "$T/int.log" && break; sleep 0.1; done
sleep 1
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || fail "copy after SIGINT: exit $rc: $(tail -5 "$T/int.log")"
left=$(sql dst -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER='root' AND ID <> CONNECTION_ID() AND COMMAND <> 'Daemon'")
[ "$left" = 0 ] || fail "$left sessions left on the target after SIGINT"
ok "SIGINT: exit 130, nothing left running"
