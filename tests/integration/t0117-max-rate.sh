#!/usr/bin/env bash
# --max-rate: dump and load move no more than the rate (checked as a lower
# bound on the time, which no machine can beat; the precision is bench/'s),
# the data arrives whole, bad values are refused.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst
sql src <<'SQL'
CREATE DATABASE mr;
USE mr;
CREATE TABLE mr.t (id INT PRIMARY KEY, pad CHAR(200));
INSERT INTO mr.t SELECT seq, REPEAT('x', 200) FROM seq_1_to_20000;
SQL
# about 4.5 MiB of rows

now() { date +%s.%N; }
# at_least ELAPSED BYTES RATE: ELAPSED >= BYTES / RATE MiB/s, less 0.3 s of start-up credit
at_least() { awk -v e="$1" -v b="$2" -v r="$3" 'BEGIN { exit !(e >= b / (r * 1048576) - 0.3) }'; }
t0=$(now)
wharf_on src dump -o "$T/d" -B mr --compress none --max-rate 1.5 -q || fail "dump --max-rate"
el=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
bytes=$(du -cb "$T"/d/mr.t.*.sql | tail -1 | cut -f1)
at_least "$el" "$bytes" 1.5 || fail "dump of $bytes bytes at 1.5 MiB/s took $el s"
ok "dump --max-rate 1.5: $bytes bytes in $el s"

t0=$(now)
wharf_on dst load -d "$T/d" --max-rate 2 -q || fail "load --max-rate"
el=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
at_least "$el" "$bytes" 2 || fail "load of $bytes bytes at 2 MiB/s took $el s"
compare_databases src mr dst mr
ok "load --max-rate 2: $bytes bytes in $el s"

expect_fail "--max-rate 0" "max-rate wants MiB per second" wharf_on src dump -o "$T/x" --max-rate 0
expect_fail "--max-rate abc" "max-rate wants MiB per second" wharf_on dst load -d "$T/d" --max-rate abc
