#!/usr/bin/env bash
# --summary-json: one JSON document at the end of every run, whose counts
# are what the servers hold, for a success and for failures.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst

sql src <<'SQL'
CREATE DATABASE sj;
USE sj;
CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(10));
CREATE TABLE b (id INT PRIMARY KEY);
CREATE TABLE c (id INT PRIMARY KEY);
INSERT INTO a VALUES (1,'x'),(2,'y'),(3,'z');
INSERT INTO b VALUES (1),(2);
CREATE VIEW v AS SELECT id FROM a;
CREATE TRIGGER tr BEFORE INSERT ON b FOR EACH ROW SET NEW.id = NEW.id;
CREATE PROCEDURE p() SELECT 1;
SQL

py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

wharf_on src dump -o "$T/d" -B sj -q --summary-json "$T/dump.json" || fail "dump"
[ "$(py "$T/dump.json" "d['command'], d['status'], d['exit_status']")" = "dump ok 0" ] || fail "dump summary: $(cat "$T/dump.json")"
[ "$(py "$T/dump.json" "d['objects']['tables'], d['objects']['views'], d['rows']")" = "3 1 5" ] ||
    fail "dump counts: $(cat "$T/dump.json")"
[ "$(py "$T/dump.json" "d['snapshot']['lock']")" != "" ] || fail "dump summary without its snapshot"
ok "dump summary: 3 tables, 1 view, 5 rows, status ok"

wharf_on dst load -d "$T/d" -q --summary-json "$T/load.json" || fail "load"
srv_tables=$(sql dst -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='sj' AND TABLE_TYPE='BASE TABLE'")
srv_views=$(sql dst -e "SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA='sj'")
srv_rows=$(sql dst -e "SELECT (SELECT COUNT(*) FROM sj.a)+(SELECT COUNT(*) FROM sj.b)+(SELECT COUNT(*) FROM sj.c)")
got=$(py "$T/load.json" "d['objects']['tables']['done'], d['objects']['views']['done'], d['rows'], d['objects']['triggers'], d['objects']['routines'], len(d['failures']), d['status']")
[ "$got" = "$srv_tables $srv_views $srv_rows 1 1 0 ok" ] || fail "load summary [$got] vs server [$srv_tables $srv_views $srv_rows]: $(cat "$T/load.json")"
ok "load summary matches the server: $got"

# a failure in a job: a chunk whose content no longer matches its checksum
sql dst -e "DROP DATABASE sj"
cp -r "$T/d" "$T/bad"
f=$(ls "$T/bad"/sj.a.*.sql* | head -1)
zstd -dc "$f" | sed 's/(3,/(4,/' | zstd -q -o "$f.new" && mv "$f.new" "$f"
rc=0
wharf_on dst load -d "$T/bad" -q --summary-json "$T/fail.json" 2>/dev/null || rc=$?
[ "$rc" -eq 1 ] || fail "load of a tampered dump: exit $rc"
[ "$(py "$T/fail.json" "d['status'], d['exit_status']")" = "failed 1" ] || fail "failed summary: $(cat "$T/fail.json")"
py "$T/fail.json" "[f['object'] + ' ' + f['state'] for f in d['failures']]" | grep -q "chunk sj.a.* FAILED" ||
    fail "the failed chunk is not named: $(cat "$T/fail.json")"
py "$T/fail.json" "[f['error'] for f in d['failures']]" | grep -q "does not match metadata" || fail "no error text"
[ "$(py "$T/fail.json" "d['objects']['tables']['done'], d['rows']")" = "$(sql dst -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='sj' AND TABLE_TYPE='BASE TABLE'") $(sql dst -e "SELECT (SELECT COUNT(*) FROM sj.a)+(SELECT COUNT(*) FROM sj.b)+(SELECT COUNT(*) FROM sj.c)")" ] ||
    fail "failed summary's table and row counts are not the server's: $(cat "$T/fail.json")"
ok "a failed chunk is in the summary, named, with its error"

# a run that fails before any job: the error is there
rc=0
wharf_on src dump -o "$T/d2" -T sj.nosuch -q --summary-json "$T/dfail.json" 2>/dev/null || rc=$?
[ "$rc" -ne 0 ] || fail "dump of a missing table succeeded"
[ "$(py "$T/dfail.json" "d['status']")" = "failed" ] || fail "dump failure summary: $(cat "$T/dfail.json")"
py "$T/dfail.json" "d['error']" | grep -q "sj.nosuch" || fail "dump failure summary does not name the table"
ok "a dump that fails early still writes its summary, naming the cause"
