#!/usr/bin/env bash
# wharf load --dry-run: on a target that holds some of the dump's objects it
# lists them and every step in order, says whether the load would run, and
# changes nothing (the target's full description before = after).
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst

sql src <<'SQL'
CREATE DATABASE dr;
USE dr;
CREATE TABLE t1 (id INT PRIMARY KEY, v VARCHAR(10));
CREATE TABLE t2 (id INT PRIMARY KEY, t1_id INT, FOREIGN KEY (t1_id) REFERENCES t1 (id));
INSERT INTO t1 VALUES (1,'a'),(2,'b');
INSERT INTO t2 VALUES (10,1);
CREATE VIEW v1 AS SELECT id FROM t1;
CREATE TRIGGER tr BEFORE INSERT ON t2 FOR EACH ROW SET NEW.id = NEW.id;
CREATE PROCEDURE p() SELECT 1;
SQL
wharf_on src dump -o "$T/d" -B dr -q || fail "dump"

sql dst <<'SQL'
CREATE DATABASE dr;
CREATE TABLE dr.t1 (id INT PRIMARY KEY, v VARCHAR(10), extra INT);
INSERT INTO dr.t1 VALUES (7,'mine',1);
CREATE VIEW dr.v1 AS SELECT 42 AS x;
SQL
snapshot() { _cmp_snapshot dst dr "$1"; sql dst -e "SHOW DATABASES" >>"$1"; }
snapshot "$T/before"

rc=0
wharf_on dst load -d "$T/d" --dry-run >"$T/plan" 2>"$T/log" || rc=$?
[ "$rc" -eq 1 ] || fail "--dry-run with conflicts and --if-exists=fail: exit $rc"
grep -q "^exists:  table dr.t1" "$T/plan" || fail "existing table not listed: $(cat "$T/plan")"
grep -q "^exists:  view dr.v1" "$T/plan" || fail "existing view not listed: $(cat "$T/plan")"
grep -q "the load would refuse to start" "$T/plan" || fail "no verdict: $(cat "$T/plan")"
# every step, dependencies first
for step in "database dr" "table dr.t1" "table dr.t2" "chunk dr.t1.00000" "foreign keys of dr.t2" "view dr.v1" "triggers of dr.t2" "routines of dr"; do
    grep -Eq "^ *[0-9]+  $step" "$T/plan" || fail "step '$step' missing: $(cat "$T/plan")"
done
line() { grep -En "^ *[0-9]+  $1" "$T/plan" | head -1 | cut -d: -f1; }
[ "$(line 'database dr')" -lt "$(line 'table dr.t1')" ] || fail "database after its table"
[ "$(line 'chunk dr.t1.00000')" -lt "$(line 'foreign keys of dr.t2')" ] || fail "FK before the parent's data"
[ "$(line 'routines of dr')" -lt "$(line 'view dr.v1')" ] || fail "view before the routines"
ok "--dry-run lists what exists and every step in order, exit 1 (would refuse)"

wharf_on dst load -d "$T/d" --dry-run --if-exists=drop >"$T/plan2" 2>"$T/log2" || fail "--dry-run --if-exists=drop: $(cat "$T/log2")"
grep -q "table dr.t1  -- exists: dropped and created again" "$T/plan2" || fail "action on t1 not said: $(cat "$T/plan2")"
grep -q "the load would run" "$T/plan2" || fail "no verdict: $(cat "$T/plan2")"
ok "--dry-run --if-exists=drop says what would be dropped, exit 0"

snapshot "$T/after"
diff "$T/before" "$T/after" >/dev/null || fail "--dry-run changed the target: $(diff "$T/before" "$T/after" | head -10)"
ok "the target is unchanged after both dry runs"

expect_fail "--dry-run with --resume" "use one of them" wharf_on dst load -d "$T/d" --dry-run --resume "$T/j"
