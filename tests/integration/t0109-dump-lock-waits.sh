#!/usr/bin/env bash
# Every lock wait of a dump is bounded (--lock-wait-timeout) and says what
# it waits for: behind another session's LOCK TABLES ... WRITE the dump
# fails after the bound, naming the wait and the other sessions, locks
# released; a loop of ALTER TABLE during 10 dumps never hangs a dump past
# the bound, and the altered table stays readable (the "3-way lock" of
# BACKUP STAGE BLOCK_DDL, an ALTER and SHOW CREATE: MDEV-17772).
. "$(dirname "$0")/../harness/lib.sh"

start_server src
sql src <<'SQL'
CREATE DATABASE lw;
CREATE TABLE lw.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;
INSERT INTO lw.t SELECT seq, seq FROM lw.seq_1_to_20000;
CREATE TABLE lw.u (id INT PRIMARY KEY) ENGINE=InnoDB;
INSERT INTO lw.u VALUES (1);
SQL

# 1. LOCK TABLES ... WRITE held by another session
mariadb --no-defaults -uroot -S "$T/src/sock" -e "LOCK TABLES lw.t WRITE; SELECT SLEEP(20)" >/dev/null 2>&1 &
locker=$!
sleep 1
start=$(date +%s)
out=$(timeout 60 "$WHARF_BIN" dump --no-defaults -u root -S "$T/src/sock" -B lw --lock-wait-timeout 2 -o "$T/d1" 2>&1) &&
    fail "dump behind LOCK TABLES WRITE exited 0"
took=$(( $(date +%s) - start ))
kill "$locker" 2>/dev/null || true
wait "$locker" 2>/dev/null || true
[ "$took" -lt 30 ] || fail "dump waited ${took}s behind LOCK TABLES WRITE (bound 2s)"
grep -q "waited lock_wait_timeout = 2 s" <<<"$out" || fail "no bound named: $out"
grep -q "other sessions: \[id" <<<"$out" || fail "the other sessions are not named: $out"
[ ! -e "$T/d1/metadata" ] || fail "a failed dump wrote metadata"
ok "behind LOCK TABLES WRITE: failed after ${took}s, naming the wait"

# Ctrl-C during that wait ends the dump at once
mariadb --no-defaults -uroot -S "$T/src/sock" -e "LOCK TABLES lw.t WRITE; SELECT SLEEP(20)" >/dev/null 2>&1 &
locker=$!
sleep 1
start=$(date +%s)
env --default-signal=INT,TERM "$WHARF_BIN" dump --no-defaults -u root -S "$T/src/sock" -B lw --lock-wait-timeout 60 \
    -o "$T/d1i" >"$T/d1i.log" 2>&1 &
dumper=$!
sleep 2
kill -INT "$dumper"
rc=0
wait "$dumper" || rc=$?
took=$(( $(date +%s) - start ))
kill "$locker" 2>/dev/null || true
wait "$locker" 2>/dev/null || true
[ "$rc" = 130 ] || fail "SIGINT during the lock wait: exit $rc, expected 130: $(cat "$T/d1i.log")"
[ "$took" -lt 10 ] || fail "SIGINT during the lock wait took ${took}s"
ok "SIGINT during the lock wait: exit 130 after ${took}s"

# 2. ALTER TABLE in a loop during 10 dumps
alter_loop() {
    local i
    for i in $(seq 1 200); do
        mariadb --no-defaults -uroot -S "$T/src/sock" -e "SET lock_wait_timeout=30;
            ALTER TABLE lw.u ADD COLUMN c$((i % 2)) INT; ALTER TABLE lw.u DROP COLUMN c$((i % 2))" 2>/dev/null || true
        [ -e "$T/stop" ] && return 0
    done
}
alter_loop &
alters=$!
fails=0
for n in $(seq 1 10); do
    start=$(date +%s)
    timeout 120 "$WHARF_BIN" dump --no-defaults -u root -S "$T/src/sock" -B lw --lock-wait-timeout 3 -t 2 \
        -o "$T/d2-$n" -q >"$T/d2-$n.log" 2>&1 || fails=$((fails + 1))
    took=$(( $(date +%s) - start ))
    [ "$took" -lt 60 ] || fail "dump $n took ${took}s with a 3s lock bound"
    # readable right after, within the bound
    rstart=$(date +%s)
    sql src -e "SET lock_wait_timeout=10; SELECT COUNT(*) FROM lw.u" >/dev/null || fail "lw.u not readable after dump $n"
    [ $(( $(date +%s) - rstart )) -lt 15 ] || fail "lw.u blocked readers after dump $n"
done
touch "$T/stop"
wait "$alters" || true
ok "10 dumps during an ALTER loop: none hung ($fails failed on a collision, each naming it), lw.u readable"
for n in $(seq 1 10); do
    if [ -e "$T/d2-$n/metadata" ]; then
        grep -q "fail" "$T/d2-$n.log" && fail "dump $n wrote metadata and logged a failure"
    else
        grep -Eq "lock_wait_timeout|1412|changed|error" "$T/d2-$n.log" || fail "dump $n failed without a reason: $(cat "$T/d2-$n.log")"
    fi
done
ok "every failed dump says why"
