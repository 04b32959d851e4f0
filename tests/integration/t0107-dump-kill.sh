#!/usr/bin/env bash
# wharf dump survives lost connections: a snapshot session KILLed while it
# reads a chunk is replaced by a spare session of the same snapshot (the
# chunk's partial file discarded, the chunk read again), a KILL QUERY is
# retried on the same session; every row comes back exactly once and from
# the snapshot (rows changed after the dump started do not leak in). When
# every snapshot session dies the dump fails naming the chunk, with no
# metadata and no temp files.
. "$(dirname "$0")/../harness/lib.sh"
. "$(dirname "$0")/../harness/dumplib.sh"

start_server src
start_server dst
ROWS=20000
sql src <<SQL
CREATE DATABASE kk;
USE kk;
CREATE TABLE kk.big (id INT PRIMARY KEY, v INT NOT NULL, pad VARCHAR(100) NOT NULL);
INSERT INTO kk.big SELECT seq, seq % 1000, REPEAT(CHAR(65 + seq % 26), seq % 100) FROM seq_1_to_$ROWS;
CREATE TABLE kk.small (id INT PRIMARY KEY, s VARCHAR(10));
INSERT INTO kk.small SELECT seq, CONCAT('s', seq) FROM seq_1_to_100;
ANALYZE TABLE kk.big;
-- the expected content: kk as it is when the dump starts
CREATE DATABASE kk_orig;
CREATE TABLE kk_orig.big LIKE kk.big; INSERT INTO kk_orig.big SELECT * FROM kk.big;
CREATE TABLE kk_orig.small LIKE kk.small; INSERT INTO kk_orig.small SELECT * FROM kk.small;
SQL

# Each row costs the server ~0.2 ms (SLEEP in --where), so every chunk's
# SELECT runs long enough to be found and killed, without burning CPU.
SLOW=(--where 'kk.big:SLEEP(0.0002)=0' --rows 1000 -t 2 -B kk)

# reader_id: the id of a connection reading kk.big, or nothing
reader_id() {
    sql src -e "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT %FROM \`kk\`.\`big\`%' AND ID <> CONNECTION_ID() ORDER BY TIME DESC LIMIT 1"
}
wait_reader() {
    local id='' i
    for i in $(seq 1 300); do
        id=$(reader_id)
        [ -n "$id" ] && { echo "$id"; return 0; }
        sleep 0.05
    done
    return 1
}
no_tmp() { [ -z "$(find "$1" -name '*.tmp' 2>/dev/null)" ] || fail "temp files left in $1: $(ls "$1" | grep '\.tmp$')"; }

# --- 1. KILL CONNECTION of a snapshot session mid-chunk, while the table changes
out=$T/dump-kill
wharf_on src dump -o "$out" "${SLOW[@]}" 2>"$T/log-kill" &
pid=$!
id=$(wait_reader) || fail "no snapshot session seen reading kk.big"
# The snapshot is open (a chunk is being read): change every row. The dump
# must still write the rows as they were.
sql src -e "UPDATE kk.big SET v = v + 1; DELETE FROM kk.small WHERE id <= 10; INSERT INTO kk.small VALUES (1000, 'late')"
id=$(wait_reader) || fail "no reader to kill"
sql src -e "KILL CONNECTION $id"
rc=0; wait "$pid" || rc=$?
[ "$rc" -eq 0 ] || fail "dump after KILL CONNECTION exited $rc: $(cat "$T/log-kill")"
grep -Eq 'table `kk`.`big` chunk [0-9]+: .*(2013|2006|1927).*retrying in [0-9]+ ms on another snapshot session' "$T/log-kill" ||
    fail "no retry on another session logged: $(cat "$T/log-kill")"
no_tmp "$out"
# metadata counts only the successful attempt
rows=$(awk -F' *= *' '/^\[`kk`.`big`\]/{g=1;next} /^\[/{g=0} g&&/^rows *=/{print $2}' "$out/metadata")
[ "$rows" = "$ROWS" ] || fail "metadata rows for kk.big: '$rows', expected $ROWS"
reset_server dst
restore_with_client dst "$out"
compare_databases src kk_orig dst kk
ok "KILL CONNECTION of a snapshot session: chunk re-read on a spare session of the same snapshot"

# --- 2. KILL QUERY: the session survives, the chunk is retried on it
sql src -D kk -e "UPDATE kk.big SET v = v - 1; DELETE FROM kk.small WHERE id = 1000; INSERT INTO kk.small SELECT seq, CONCAT('s', seq) FROM seq_1_to_10"
out=$T/dump-killq
wharf_on src dump -o "$out" "${SLOW[@]}" 2>"$T/log-killq" &
pid=$!
id=$(wait_reader) || fail "no snapshot session seen reading kk.big"
sql src -e "KILL QUERY $id"
rc=0; wait "$pid" || rc=$?
[ "$rc" -eq 0 ] || fail "dump after KILL QUERY exited $rc: $(cat "$T/log-killq")"
grep -Eq '1317.*retrying in [0-9]+ ms on the same snapshot session' "$T/log-killq" ||
    fail "no retry on the same session logged: $(cat "$T/log-killq")"
reset_server dst
restore_with_client dst "$out"
compare_databases src kk dst kk
ok "KILL QUERY of a snapshot read: retried on the same session"

# --- 3. every snapshot session dies: a clear error, no metadata
out=$T/dump-allkilled
wharf_on src dump -o "$out" "${SLOW[@]}" 2>"$T/log-all" &
pid=$!
(
    # kill whatever reads kk.big until the dump is gone
    while kill -0 "$pid" 2>/dev/null; do
        id=$(reader_id)
        [ -n "$id" ] && sql src -e "KILL CONNECTION $id" 2>/dev/null || true
        sleep 0.05
    done
) &
killer=$!
rc=0; wait "$pid" || rc=$?
wait "$killer" || true
[ "$rc" -ne 0 ] || fail "dump succeeded with every snapshot session killed"
grep -Eq 'dump failed: table `kk`.`big`( chunk [0-9]+)?: no live snapshot session is left' "$T/log-all" ||
    fail "unclear error when all sessions die: $(cat "$T/log-all")"
[ ! -e "$out/metadata" ] || fail "metadata written by a failed dump"
no_tmp "$out"
ok "all snapshot sessions killed: exit $rc, named chunk, no metadata"
