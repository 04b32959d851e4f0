#!/usr/bin/env bash
# --long-query-guard: before its locks the dump refuses (naming it), waits
# for, or with --kill-long-queries kills a statement that has run longer
# than the threshold.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
sql src -e "CREATE DATABASE lq; CREATE TABLE lq.t (id INT PRIMARY KEY); INSERT INTO lq.t VALUES (1),(2)"

long_query() { # a statement that runs $1 s, in the background; its output in $T/long.out
    sql src -e "SELECT SLEEP($1) AS slept" >"$T/long.out" 2>&1 &
    LONG=$!
    for _ in $(seq 50); do
        [ "$(sql src -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP%' AND TIME >= 2")" -ge 1 ] && return 0
        sleep 0.2
    done
    fail "the long statement did not start"
}

long_query 60
t0=$(date +%s)
expect_fail "a statement older than --long-query-guard" "long-query-guard 1: 1 statement.*SELECT SLEEP\(60\)" \
    wharf_on src dump -o "$T/d1" -B lq --long-query-guard 1
[ $(( $(date +%s) - t0 )) -lt 20 ] || fail "the refusal took too long"
[ ! -e "$T/d1/metadata" ] || fail "a refused dump wrote metadata"

expect_fail "--long-query-wait runs out" "long-query-guard 1" wharf_on src dump -o "$T/d2" -B lq --long-query-guard 1 --long-query-wait 2

wharf_on src dump -o "$T/d3" -B lq --long-query-guard 1 --kill-long-queries 2>"$T/kill.log" || fail "dump with --kill-long-queries: $(cat "$T/kill.log")"
grep -q "kill-long-queries: killing id [0-9]* .*SELECT SLEEP(60)" "$T/kill.log" || fail "the kill was not logged: $(cat "$T/kill.log")"
wait "$LONG" || true
[ -e "$T/d3/metadata" ] || fail "the dump after the kill did not complete"
[ "$(sql src -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP%'")" = 0 ] || fail "the long statement still runs"
ok "--kill-long-queries ended the statement and the dump completed"

long_query 6
wharf_on src dump -o "$T/d4" -B lq --long-query-guard 1 --long-query-wait 30 2>"$T/wait.log" || fail "dump waiting for the statement: $(cat "$T/wait.log")"
grep -q "waiting up to 30 s for id" "$T/wait.log" || fail "the wait was not said: $(cat "$T/wait.log")"
wait "$LONG"
grep -q "0" "$T/long.out" || fail "the waited-for statement did not finish normally: $(cat "$T/long.out")"
ok "--long-query-wait: the dump waited for the statement, which finished untouched"

wharf_on src dump -o "$T/d5" -B lq --long-query-guard 0 -q || fail "--long-query-guard 0 (off)"
ok "--long-query-guard 0 turns the guard off"
