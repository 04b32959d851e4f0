#!/usr/bin/env bash
# --if-exists=fail (default: checked for all objects before anything
# changes), drop, truncate, append; --into restores one database under
# another name (and refuses a multi-database dump without -B).
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst

sql src <<'SQL'
CREATE DATABASE ie;
USE ie;
CREATE TABLE t1 (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB;
CREATE TABLE t2 (id INT PRIMARY KEY, t1_id INT, CONSTRAINT fk1 FOREIGN KEY (t1_id) REFERENCES t1 (id)) ENGINE=InnoDB;
INSERT INTO t1 VALUES (1,'a'),(2,'b'),(3,'c');
INSERT INTO t2 VALUES (10,1),(20,2);
CREATE VIEW v1 AS SELECT ie.t1.id, ie.t1.v FROM ie.t1;
CREATE TRIGGER trg1 BEFORE INSERT ON t2 FOR EACH ROW SET NEW.id = NEW.id;
CREATE PROCEDURE p1() SELECT COUNT(*) FROM ie.t1;
CREATE DATABASE other;
CREATE TABLE other.x (id INT PRIMARY KEY);
INSERT INTO other.x VALUES (1);
SQL
wharf_on src dump -o "$T/dump" -q || fail "dump"

wharf_on dst load -d "$T/dump" -B ie -q || fail "first load"
compare_databases src ie dst ie

# fail (default): nothing is changed, every conflict named
sql dst -e "INSERT INTO ie.t1 VALUES (99,'extra')"
expect_fail "--if-exists=fail" "already exist.*table ie.t1.*table ie.t2.*view ie.v1" wharf_on dst load -d "$T/dump" -B ie
[ "$(sql dst -e 'SELECT COUNT(*) FROM ie.t1')" = 4 ] || fail "--if-exists=fail changed ie.t1"
# only the routine exists: still a conflict, found through the post file
sql dst -e "DROP DATABASE ie; CREATE DATABASE ie; CREATE PROCEDURE ie.p1() SELECT 1"
expect_fail "--if-exists=fail on a routine" "procedure ie.p1" wharf_on dst load -d "$T/dump" -B ie
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='ie'")" = 0 ] || fail "fail mode created tables"

# drop: everything recreated
wharf_on dst load -d "$T/dump" -B ie --if-exists=drop -q || fail "drop over a routine"
sql dst -e "INSERT INTO ie.t1 VALUES (99,'extra')"
wharf_on dst load -d "$T/dump" -B ie --if-exists=drop -q || fail "--if-exists=drop"
compare_databases src ie dst ie
[ "$(sql dst -e 'CALL ie.p1()')" = 3 ] || fail "routine after drop"
ok "--if-exists=drop"

# truncate: the existing table (with an extra column) is kept and emptied
sql dst -e "ALTER TABLE ie.t1 ADD COLUMN extra INT DEFAULT 7; INSERT INTO ie.t1 (id, v) VALUES (99,'extra')"
wharf_on dst load -d "$T/dump" -B ie --if-exists=truncate -q || fail "--if-exists=truncate"
[ "$(sql dst -e 'SELECT COUNT(*), SUM(extra) FROM ie.t1')" = "3	21" ] || fail "truncate: $(sql dst -e 'SELECT * FROM ie.t1')"
sql dst -e "ALTER TABLE ie.t1 DROP COLUMN extra"
compare_databases src ie dst ie
ok "--if-exists=truncate keeps the table definition"

# append: existing rows stay
sql dst -e "DELETE FROM ie.t2; DELETE FROM ie.t1; INSERT INTO ie.t1 VALUES (99,'extra')"
wharf_on dst load -d "$T/dump" -B ie --if-exists=append -q || fail "--if-exists=append"
[ "$(sql dst -e 'SELECT GROUP_CONCAT(id ORDER BY id) FROM ie.t1')" = "1,2,3,99" ] || fail "append: $(sql dst -e 'SELECT id FROM ie.t1')"
ok "--if-exists=append keeps existing rows"

# data only into existing tables, emptied first
out=$(wharf_on dst load -d "$T/dump" -B ie --no-schema --if-exists=truncate 2>&1) || fail "--no-schema --if-exists=truncate: $out"
compare_databases src ie dst ie
ok "--no-schema --if-exists=truncate reloads the data of existing tables"

# --into: a second copy under another name; the view follows the rename
out=$(wharf_on dst load -d "$T/dump" -B ie --into ie_copy 2>&1) || fail "--into: $out"
compare_databases src ie dst ie_copy
[ "$(sql dst -e 'SELECT COUNT(*) FROM ie_copy.v1')" = 3 ] || fail "view in ie_copy"
sql dst -e "SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA='ie_copy'" | grep -q '`ie`' &&
    fail "view of ie_copy still reads ie: $(sql dst -e "SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA='ie_copy'")"
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='ie_copy'")" = 1 ] || fail "trigger in ie_copy"
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='ie_copy'")" = 1 ] || fail "FK in ie_copy"
ok "--into ie_copy"
expect_fail "--into with two databases" "choose one with -B" wharf_on dst load -d "$T/dump" --into z
# filters
sql dst -e "DROP DATABASE ie"
wharf_on dst load -d "$T/dump" -T ie.t1 --into only_t1 -q || fail "-T"
[ "$(sql dst -e "SELECT GROUP_CONCAT(TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA='only_t1'")" = t1 ] || fail "-T loaded more than t1"
wharf_on dst load -d "$T/dump" --exclude ie -q || fail "--exclude ie"
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ('ie','other')")" = 1 ] || fail "--exclude"
compare_databases src other dst other
ok "-T and --exclude"
