#!/usr/bin/env bash
# Two-phase load: --no-data (databases, tables with their indexes and foreign
# keys, views, routines) then --no-schema (data, then triggers and events)
# gives exactly what one run gives. The triggers write to another table, so
# creating them before the data would change the result.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst

sql src <<'SQL'
CREATE DATABASE tp;
USE tp;
CREATE TABLE cust (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40), KEY k_name (name)) ENGINE=InnoDB;
CREATE TABLE ord (id INT PRIMARY KEY AUTO_INCREMENT, cust_id INT, total DECIMAL(10,2), KEY k_total (total),
  CONSTRAINT fk_c FOREIGN KEY (cust_id) REFERENCES cust (id)) ENGINE=InnoDB;
CREATE TABLE log (id INT PRIMARY KEY AUTO_INCREMENT, msg VARCHAR(60)) ENGINE=InnoDB;
INSERT INTO cust (name) VALUES ('a'),('b'),('c');
INSERT INTO ord (cust_id, total) VALUES (1, 10), (2, 20), (3, 30), (1, 40);
INSERT INTO log (msg) VALUES ('only row');
CREATE TRIGGER trg_ord AFTER INSERT ON ord FOR EACH ROW INSERT INTO log (msg) VALUES (CONCAT('order ', NEW.id));
CREATE VIEW v_tot AS SELECT cust_id, SUM(total) AS s FROM ord GROUP BY cust_id;
CREATE FUNCTION f1(x INT) RETURNS INT DETERMINISTIC RETURN x + 1;
CREATE EVENT ev1 ON SCHEDULE EVERY 1 HOUR DISABLE DO DELETE FROM log WHERE id < 0;
SQL
wharf_on src dump -o "$T/dump" -q || fail "dump"

wharf_on dst load -d "$T/dump" --into one -q || fail "one-phase load"

out=$(wharf_on dst load -d "$T/dump" --into two --no-data 2>&1) || fail "phase 1: $out"
[ "$(sql dst -e 'SELECT COUNT(*) FROM two.ord')" = 0 ] || fail "phase 1 loaded data"
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='two'")" = 0 ] ||
    fail "phase 1 created triggers (they would fire on the data)"
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='two'")" = 1 ] ||
    fail "phase 1 did not create the routine"
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='two' AND INDEX_NAME IN ('k_name','k_total')")" = 2 ] ||
    fail "phase 1 tables lack their indexes"
ok "phase 1 (--no-data): schema without data or triggers"
out=$(wharf_on dst load -d "$T/dump" --into two --no-schema 2>&1) || fail "phase 2: $out"
grep -q "row counts verified 3/3" <<<"$out" || fail "phase 2 did not verify: $out"
ok "phase 2 (--no-schema): data, triggers, events"

compare_databases src tp dst one
compare_databases dst one dst two
for q in "SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='%s'" \
         "SELECT ROUTINE_NAME, ROUTINE_DEFINITION FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='%s'" \
         "SELECT EVENT_NAME, EVENT_DEFINITION FROM information_schema.EVENTS WHERE EVENT_SCHEMA='%s'" \
         "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA='%s'" \
         "SELECT CONSTRAINT_NAME, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='%s'"; do
    # shellcheck disable=SC2059
    a=$(sql dst -e "$(printf "$q" one)"); b=$(sql dst -e "$(printf "$q" two)")
    [ -n "$a" ] && [ "$a" = "$b" ] || fail "objects differ: [$a] vs [$b] for $q"
done
ok "two-phase load equals one run (tables, rows, triggers, routines, events, views, FKs)"
