#!/usr/bin/env bash
# Crash at named points (WHARF_FAULT, core/fault.h: SIGKILL, as kill -9):
# after a CREATE TABLE before its journal line, in the middle of a chunk,
# after a chunk's COMMIT before its journal line. Each time a rerun with the
# same --resume ends identical to the source: no "already exists", no
# duplicate key, and a table without any key gets each chunk exactly once
# (its "done" marker commits with its rows). A dump killed before writing
# `metadata` is an incomplete dump that load refuses.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst
sql src <<'SQL'
CREATE DATABASE cp;
CREATE TABLE cp.keyed (id INT PRIMARY KEY, v VARCHAR(30)) ENGINE=InnoDB;
INSERT INTO cp.keyed SELECT seq, CONCAT('v', seq) FROM cp.seq_1_to_30000;
CREATE TABLE cp.nokey (a INT, b VARCHAR(30)) ENGINE=InnoDB;
INSERT INTO cp.nokey SELECT seq % 100, CONCAT('n', seq) FROM cp.seq_1_to_30000;
CREATE TABLE cp.child (id INT PRIMARY KEY, k INT, FOREIGN KEY (k) REFERENCES cp.keyed (id)) ENGINE=InnoDB;
INSERT INTO cp.child SELECT seq, seq FROM cp.seq_1_to_100;
CREATE VIEW cp.v AS SELECT COUNT(*) AS n FROM cp.keyed;
CREATE TRIGGER cp.trg BEFORE INSERT ON cp.child FOR EACH ROW SET NEW.k = NEW.k;
SQL
wharf_on src dump -o "$T/dump" -r 3000 -q || fail dump
n=$(ls "$T"/dump/cp.nokey.*.sql.zst | wc -l)
[ "$n" -ge 1 ] || fail "no chunk of cp.nokey"

for point in load-table-after-create load-chunk-mid load-chunk-after-commit; do
    sql dst -e "DROP DATABASE IF EXISTS cp; DROP DATABASE IF EXISTS wharf_resume"
    rm -f "$T/journal"
    rc=0
    WHARF_FAULT=$point wharf_on dst load -d "$T/dump" -t 2 --resume "$T/journal" >"$T/$point.log" 2>&1 || rc=$?
    [ "$rc" = 137 ] || fail "$point: the armed load was not killed (exit $rc): $(tail -3 "$T/$point.log")"
    out=$(wharf_on dst load -d "$T/dump" -t 2 --resume "$T/journal" 2>&1) || fail "$point: resumed load: $out"
    compare_databases src cp dst cp
    [ "$(sql dst -e 'SELECT n FROM cp.v')" = 30000 ] || fail "$point: view"
    [ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='cp'")" = 1 ] || fail "$point: trigger"
    [ -z "$(sql dst -e "SHOW DATABASES LIKE 'wharf_resume'")" ] || fail "$point: wharf_resume left after the load"
    ok "killed at $point, resumed: identical"
done

rc=0
WHARF_FAULT=dump-before-metadata wharf_on src dump -o "$T/dump2" -q >"$T/dump2.log" 2>&1 || rc=$?
[ "$rc" = 137 ] || fail "dump-before-metadata: exit $rc"
[ ! -e "$T/dump2/metadata" ] || fail "metadata written by a killed dump"
expect_fail "load of a dump killed before its metadata" "no .metadata. file" wharf_on dst load -d "$T/dump2"
ok "dump killed before metadata: refused as incomplete"
