#!/usr/bin/env bash
# SIGINT / SIGTERM stop a dump cleanly: the running chunk reads are killed
# (KILL QUERY from a side connection) so the dump stops at once, no temp
# file and no metadata is left, the BACKUP STAGE lock is released (a DDL
# succeeds right after), one "interrupted" line, exit 128+signal.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
sql src <<'SQL'
CREATE DATABASE ii;
USE ii;
CREATE TABLE big (id INT PRIMARY KEY, v INT NOT NULL, pad VARCHAR(100) NOT NULL);
INSERT INTO big SELECT seq, seq % 1000, REPEAT('x', seq % 100) FROM seq_1_to_20000;
CREATE TABLE small (id INT PRIMARY KEY);
INSERT INTO small SELECT seq FROM seq_1_to_100;
ANALYZE TABLE big;
SQL

# Each chunk's SELECT takes seconds (SLEEP per row): a dump that did not
# kill its running reads would take far longer than the bound below.
SLOW=(--where 'ii.big:SLEEP(0.001)=0' --rows 5000 -t 2 -B ii)

reader_id() {
    sql src -e "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT %FROM \`ii\`.\`big\`%' AND ID <> CONNECTION_ID() LIMIT 1"
}

# interrupt_case SIGNAL EXPECTED_RC
interrupt_case() {
    local sig=$1 want=$2 out=$T/dump-$1 id='' i
    # wharf itself in the background (not a subshell), with SIGINT at its
    # default: a non-interactive shell starts background jobs with SIGINT
    # ignored, and an ignored signal stays ignored.
    env --default-signal=INT,TERM "$WHARF_BIN" dump --no-defaults -u root -S "$T/src/sock" \
        -o "$out" "${SLOW[@]}" 2>"$T/log-$sig" &
    local pid=$!
    for i in $(seq 1 300); do
        id=$(reader_id)
        [ -n "$id" ] && break
        sleep 0.05
    done
    [ -n "$id" ] || fail "$sig: no chunk read seen"
    kill -"$sig" "$pid"
    # a hang guard, not a benchmark: the killed reads end at once
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid"
        fail "$sig: dump still running 10 s after the signal: $(cat "$T/log-$sig")"
    fi
    local rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq "$want" ] || fail "$sig: exit $rc, expected $want: $(cat "$T/log-$sig")"
    grep -q 'interrupted' "$T/log-$sig" || fail "$sig: no 'interrupted' message: $(cat "$T/log-$sig")"
    [ "$(grep -c 'interrupted' "$T/log-$sig")" -eq 1 ] || fail "$sig: more than one line: $(cat "$T/log-$sig")"
    ! grep -q 'retrying' "$T/log-$sig" || fail "$sig: a killed read was retried: $(cat "$T/log-$sig")"
    [ ! -e "$out/metadata" ] || fail "$sig: metadata written by an interrupted dump"
    [ -z "$(find "$out" -name '*.tmp' 2>/dev/null)" ] || fail "$sig: temp files left: $(ls "$out")"
    [ -z "$(reader_id)" ] || fail "$sig: a read of ii.big still runs on the server"
    # the DDL lock is gone: a DDL does not wait
    sql src -e "SET SESSION lock_wait_timeout = 5; ALTER TABLE ii.small ADD COLUMN c$sig INT" ||
        fail "$sig: DDL blocked after the interrupted dump (BACKUP lock left?)"
    ok "$sig: exit $rc, no metadata, no temp files, lock released"
}

interrupt_case INT 130
interrupt_case TERM 143
