#!/usr/bin/env bash
# `wharf dump -o -` when its stream cannot go on:
#   1. the reader dies (| head -c 1000): the dump fails loudly (EPIPE named,
#      exit 1), its spool is removed;
#   2. the reader stalls (never reads): the writers wait on the bounded
#      spool; SIGINT then ends the dump at once (exit 130), spool removed.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
sql src <<'SQL' || fail "creating the source"
CREATE DATABASE big;
USE big;
CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(200));
INSERT INTO t SELECT seq, REPEAT(MD5(seq), 6) FROM seq_1_to_40000;
CREATE TABLE u LIKE t;
INSERT INTO u SELECT * FROM t;
SQL
mkdir -p "$T/spool"

# 1. the reader dies
set +e
wharf_on src dump -o - --compress none -t 2 --rows 2000 --spool-dir "$T/spool" --spool-max 64K \
    2>"$T/epipe.log" | head -c 1000 >/dev/null
rcs=("${PIPESTATUS[@]}")
set -e
[ "${rcs[0]}" = 1 ] || fail "reader died: dump exit ${rcs[0]}, expected 1: $(tail -3 "$T/epipe.log")"
grep -Eq 'error: dump failed: .*stream: writing .* to stdout failed after [0-9]+ bytes: Broken pipe \(the reader of the stream is gone\)' \
    "$T/epipe.log" || fail "reader died: no clear error: $(grep error "$T/epipe.log")"
[ -z "$(ls -A "$T/spool")" ] || fail "reader died: spool left: $(ls -A "$T/spool"/*)"
ok "reader died: $(grep -o 'dump failed: .*' "$T/epipe.log" | cut -c1-160)"

# 2. the reader stalls, then SIGINT
mkfifo "$T/fifo"
sleep 120 <"$T/fifo" &   # holds the pipe open and never reads
sleeper=$!
env --default-signal=INT,TERM "$WHARF_BIN" dump --no-defaults -u root -S "$T/src/sock" -o - --compress none \
    -t 2 --rows 2000 --spool-dir "$T/spool" --spool-max 64K >"$T/fifo" 2>"$T/int.log" &
pid=$!
# wait until the pipe is full and the spool holds files waiting to be sent
# (up to 30 s: a loaded CI machine is slow to fill it)
for _ in $(seq 300); do
    [ "$(find "$T/spool" -type f -name 'big.*' | wc -l)" -ge 2 ] && break
    sleep 0.1
done
[ "$(find "$T/spool" -type f -name 'big.*' | wc -l)" -ge 2 ] || fail "stalled reader: no files waiting in the spool"
sleep 0.5
kill -INT "$pid"
rc=0
timeout 20 bash -c "while kill -0 $pid 2>/dev/null; do sleep 0.1; done" || fail "SIGINT: the dump did not stop within 20 s"
wait "$pid" || rc=$?
kill "$sleeper" 2>/dev/null || true
[ "$rc" = 130 ] || fail "SIGINT: exit $rc, expected 130: $(tail -3 "$T/int.log")"
grep -q 'dump interrupted (SIGINT)' "$T/int.log" || fail "SIGINT: no message: $(tail -3 "$T/int.log")"
[ -z "$(ls -A "$T/spool")" ] || fail "SIGINT: spool left: $(ls -A "$T/spool"/*)"
ok "stalled reader + SIGINT: exit 130, spool removed"
