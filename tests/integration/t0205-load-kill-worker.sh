#!/usr/bin/env bash
# Fault: a worker's connection is killed (KILL CONNECTION from another
# session) in the middle of a big chunk: while it runs INSERTs
# (--load-data=off), while its INSERTs stream as LOAD DATA (the default for
# a big chunk), and during LOAD DATA LOCAL INFILE of a .dat. The chunk's transaction rolls back, the
# chunk is replayed on a new connection, and no row is lost or duplicated.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst

sql src <<'SQL'
CREATE DATABASE fault;
CREATE TABLE fault.big (id INT PRIMARY KEY, k INT, pad VARCHAR(200), KEY k_k (k)) ENGINE=InnoDB;
INSERT INTO fault.big SELECT seq, seq % 1000, REPEAT(CHAR(65 + seq % 26), 150) FROM fault.seq_1_to_300000;
CREATE TABLE fault.small (id INT PRIMARY KEY) ENGINE=InnoDB;
INSERT INTO fault.small VALUES (1),(2),(3);
SQL
# one chunk for the big table
wharf_on src dump -o "$T/d-sql" --format sql -F 1024 -q || fail "dump sql"
wharf_on src dump -o "$T/d-tsv" --format tsv -F 1024 -q || fail "dump tsv"
[ "$(ls "$T"/d-sql/fault.big.*.sql.zst | wc -l)" = 1 ] || fail "expected one chunk for fault.big"

kill_mid_chunk() { # DUMP LOAD-DATA PATTERN: TRUE if the kill hit a running chunk
    local dump=$1 ld=$2 pattern=$3 id="" pid i
    sql dst -e "DROP DATABASE IF EXISTS fault"
    wharf_on dst load -d "$T/$dump" -t 2 --load-data="$ld" >"$T/load.out" 2>&1 &
    pid=$!
    for i in $(seq 1 1500); do
        id=$(sql dst -e "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '$pattern' AND DB='fault' LIMIT 1")
        [ -n "$id" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
    done
    [ -n "$id" ] || { cat "$T/load.out"; fail "$dump: never saw a worker running $pattern"; }
    sleep 0.05
    sql dst -e "KILL CONNECTION $id" || true
    wait "$pid" || { cat "$T/load.out"; fail "$dump: load failed after the kill"; }
    grep -q "load complete" "$T/load.out" || fail "$dump: load not complete"
    compare_databases src fault dst fault
    grep -q "retrying" "$T/load.out" || return 1
    grep -E "retrying|load complete" "$T/load.out"
    ok "$dump: worker killed during $pattern, chunk replayed, no row lost or duplicated"
}
# the kill races the statement's end: a kill that came too late (the chunk
# had committed) proves nothing, and is tried again (the data is compared
# every time)
for case in "d-sql off INSERT INTO%" "d-sql auto LOAD DATA%" "d-tsv auto LOAD DATA%"; do
    hit=0
    read -r cdump cld cpat <<<"$case"
    for attempt in 1 2 3 4 5; do
        if kill_mid_chunk "$cdump" "$cld" "$cpat"; then hit=1; break; fi
        echo "note: ${case%% *}: the kill came after the chunk ended (attempt $attempt), again"
    done
    [ "$hit" = 1 ] || fail "${case%% *}: the kill never hit a running chunk in 5 attempts"
done
