#!/usr/bin/env bash
# --skip-views, --skip-triggers, --skip-routines, --skip-events on dump and
# on load: exactly that kind is left out, said in the log; everything else
# arrives whole.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst

sql src <<'SQL'
CREATE DATABASE sk;
USE sk;
CREATE TABLE t (id INT PRIMARY KEY, v INT);
INSERT INTO t VALUES (1,10),(2,20);
CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(20));
CREATE VIEW v AS SELECT id FROM t;
CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW INSERT INTO log (what) VALUES ('ins');
CREATE PROCEDURE p() SELECT 1;
CREATE FUNCTION f() RETURNS INT DETERMINISTIC RETURN 2;
CREATE EVENT e ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM log;
SQL
count() { sql "$1" -e "$2"; }
kinds() { # views triggers routines events of database sk on server $1
    echo "$(count "$1" "SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA='sk'") $(count "$1" "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='sk'") $(count "$1" "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='sk'") $(count "$1" "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA='sk'")"
}
[ "$(kinds src)" = "1 1 2 1" ] || fail "source objects: $(kinds src)"

# dump: views and triggers left out
wharf_on src dump -o "$T/d1" -B sk --skip-views --skip-triggers 2>"$T/dump.log" || fail "dump --skip-views --skip-triggers"
grep -q "left out on request.*views, triggers" "$T/dump.log" || fail "dump did not say what it left out: $(cat "$T/dump.log")"
! ls "$T/d1" | grep -Eq 'schema-view|schema-triggers' || fail "skipped kinds in the dump: $(ls "$T/d1")"
wharf_on dst load -d "$T/d1" -q || fail "load of d1"
[ "$(kinds dst)" = "0 0 2 1" ] || fail "after the load of d1: $(kinds dst)"
compare_databases src sk dst sk
ok "dump --skip-views --skip-triggers"

# load: routines and events left out of a whole dump
wharf_on src dump -o "$T/d2" -B sk -q || fail "full dump"
sql dst -e "DROP DATABASE sk"
wharf_on dst load -d "$T/d2" --skip-routines --skip-events 2>"$T/load.log" || fail "load --skip-routines --skip-events"
grep -q "left out on request.*routines, events" "$T/load.log" || fail "load did not say what it left out: $(cat "$T/load.log")"
[ "$(kinds dst)" = "1 1 0 0" ] || fail "after the load of d2: $(kinds dst)"
compare_databases src sk dst sk
ok "load --skip-routines --skip-events"
