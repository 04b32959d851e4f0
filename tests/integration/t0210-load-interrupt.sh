#!/usr/bin/env bash
# SIGINT and SIGTERM during a load: no job starts any more, the running
# statements are KILLed on the server (none is left running), the run ends
# with its summary and exit 130/143, and a rerun with the same --resume
# journal finishes the load: the target is identical to the source.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst
sql src <<'SQL'
CREATE DATABASE ir;
CREATE TABLE ir.big (id INT PRIMARY KEY, k INT, pad VARCHAR(200), KEY k_k (k)) ENGINE=InnoDB;
INSERT INTO ir.big SELECT seq, seq % 1000, REPEAT('x', 180) FROM ir.seq_1_to_400000;
CREATE TABLE ir.small (id INT PRIMARY KEY) ENGINE=InnoDB;
INSERT INTO ir.small VALUES (1),(2),(3);
SQL
for i in $(seq 1 30); do echo "CREATE TABLE ir.t$i (id INT PRIMARY KEY); INSERT INTO ir.t$i VALUES (1),(2);"; done | sql src
wharf_on src dump -o "$T/dump" -r 20000 -q || fail dump

for sig in INT TERM; do
    sql dst -e "DROP DATABASE IF EXISTS ir"
    rm -f "$T/journal"
    # wharf itself in the background with SIGINT at its default (a
    # non-interactive shell starts background jobs with SIGINT ignored)
    env --default-signal=INT,TERM "$WHARF_BIN" load --no-defaults -u root -S "$T/dst/sock" -d "$T/dump" -t 2 \
        --resume "$T/journal" >"$T/load-$sig.log" 2>&1 &
    pid=$!
    for i in $(seq 1 200); do
        [ -n "$(sql dst -e "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO \`big\`%' LIMIT 1")" ] && break
        sleep 0.05
    done
    kill -"$sig" "$pid"
    rc=0
    wait "$pid" || rc=$?
    want=$([ "$sig" = INT ] && echo 130 || echo 143)
    [ "$rc" = "$want" ] || fail "SIG$sig: exit $rc, expected $want: $(tail -5 "$T/load-$sig.log")"
    grep -q "load interrupted (SIG$sig)" "$T/load-$sig.log" || fail "SIG$sig: no interrupt message: $(tail -5 "$T/load-$sig.log")"
    grep -q "load summary" "$T/load-$sig.log" || fail "SIG$sig: no summary"
    left=$(sql dst -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB='ir' AND COMMAND='Query'")
    [ "$left" = 0 ] || fail "SIG$sig: $left statements left running on the server"
    ok "SIG$sig: exit $rc, summary printed, nothing left running"
    wharf_on dst load -d "$T/dump" -t 2 --resume "$T/journal" -q || fail "SIG$sig: resumed load failed"
    compare_databases src ir dst ir
done
