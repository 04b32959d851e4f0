#!/usr/bin/env bash
# wharf load reads mydumper dumps: the one Debian's mydumper (0.10.x) writes
# (text metadata, gzip, chunked and unchunked data files, placeholder tables
# for views), and the mydumper 0.16 layout (key-file metadata with row
# counts, .dat files with their LOAD DATA .sql twin, zstd and gzip, two-part
# chunk numbers) from a hand-written fixture. The TSV fixture is also loaded
# with the server's local_infile=OFF, through the INSERT fallback.
. "$(dirname "$0")/../harness/lib.sh"

if ! command -v mydumper >/dev/null 2>&1; then
    apt-get install -y mydumper >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y mydumper >/dev/null; } ||
        fail "mydumper is not installed and apt-get install mydumper failed"
fi

start_server src
start_server dst

{
    cat <<'SQL'
CREATE DATABASE md;
USE md;
CREATE TABLE cust (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40), note TEXT, bin VARBINARY(20), d DATETIME(3),
  f DOUBLE, KEY k_name (name)) ENGINE=InnoDB;
CREATE TABLE ord (id INT PRIMARY KEY, cust_id INT, total DECIMAL(10,2),
  CONSTRAINT fk_cust FOREIGN KEY (cust_id) REFERENCES cust (id)) ENGINE=InnoDB;
CREATE TABLE audit (id INT PRIMARY KEY AUTO_INCREMENT, msg VARCHAR(60)) ENGINE=InnoDB;
INSERT INTO cust (name, note, bin, d, f) VALUES ('a', 'tab\there', 0x00FF, '2024-01-01 10:00:00.5', 0.1),
  ('q''uote', 'nl\nline', '', NULL, -1e300), (NULL, NULL, NULL, '1970-01-01 00:00:01', NULL);
SQL
    echo "INSERT INTO cust (name) VALUES"
    for i in $(seq 1 1500); do printf "('n%d'),\n" "$i"; done
    echo "('last');"
    cat <<'SQL'
INSERT INTO ord SELECT id, id, id * 2.5 FROM cust;
CREATE VIEW v_ord AS SELECT o.id, c.name FROM ord o JOIN cust c ON c.id = o.cust_id;
CREATE VIEW v_v AS SELECT id FROM v_ord WHERE id < 10;
CREATE TRIGGER trg AFTER INSERT ON ord FOR EACH ROW INSERT INTO audit (msg) VALUES (CONCAT('o ', NEW.id));
CREATE PROCEDURE p_n() SELECT COUNT(*) FROM cust;
CREATE EVENT ev ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM audit WHERE id < 0;
SQL
} | sql src

objects() {
    sql "$1" -e "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA='$2' ORDER BY 1;
      SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='$2';
      SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='$2';
      SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA='$2';
      SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='$2'"
}

i=0
for opts in "-c -r 500" ""; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    mydumper -S "$T/src/sock" -u root -B md -o "$T/my$i" -G -R -E $opts >"$T/mydumper$i.log" 2>&1 ||
        { cat "$T/mydumper$i.log"; fail "mydumper $opts"; }
    sql dst -e "DROP DATABASE IF EXISTS md"
    out=$(wharf_on dst load -d "$T/my$i" -t 4 2>&1) || fail "load of mydumper dump ($opts): $out"
    grep -q "old mydumper format" <<<"$out" || fail "old metadata not recognised: $out"
    compare_databases src md dst md
    [ "$(objects src md)" = "$(objects dst md)" ] || fail "objects differ: $(objects dst md)"
    [ "$(sql dst -e 'SELECT COUNT(*) FROM md.v_v')" = 9 ] || fail "view on view"
    ok "mydumper $(mydumper --version | awk '{print $2}') dump ($opts) loaded: tables, views, trigger, routine, event, FK"
done

# mydumper 0.16 layout, written by hand
F=$T/my16
mkdir -p "$F"
cat >"$F/metadata" <<'META'
# Started dump at: 2026-01-01 00:00:00
[config]
quote-character = BACKTICK

[myloader_session_variables]
SQL_MODE='NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION' /*!40101

[master]
File = binlog.000001
Position = 4
Executed_Gtid_Set = 0-1-1

[`m16`.`t1`]
real_table_name=t1
rows = 4

[`m16`.`t2`]
real_table_name=t2
rows = 3
META
echo 'CREATE DATABASE /*!32312 IF NOT EXISTS*/ `m16` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;' >"$F/m16-schema-create.sql"
printf '/*!40101 SET NAMES binary*/;\n/*!40014 SET FOREIGN_KEY_CHECKS=0*/;\n\nCREATE TABLE `t1` (\n  `id` int(11) NOT NULL,\n  `v` varchar(20) DEFAULT NULL,\n  `b` bit(4) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `k_v` (`v`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n' | zstd -q -o "$F/m16.t1-schema.sql.zst"
printf '1\talpha\t5\n2\t\\N\t\\N\n3\ttab\\there\t15\n4\tnl\\nx\t0\n' | zstd -q -o "$F/m16.t1.00000.dat.zst"
printf "/*!40101 SET NAMES binary*/;\n/*!40014 SET FOREIGN_KEY_CHECKS=0*/;\n/*!40103 SET TIME_ZONE='+00:00' */;\nLOAD DATA LOCAL INFILE 'm16.t1.00000.dat' REPLACE INTO TABLE \`t1\` CHARACTER SET binary FIELDS TERMINATED BY '\\\\t' ENCLOSED BY '' ESCAPED BY '\\\\\\\\' LINES STARTING BY '' TERMINATED BY '\\\\n' (\`id\`,\`v\`,@\`b\`) SET \`b\`=CAST(@\`b\` AS UNSIGNED);\n" | zstd -q -o "$F/m16.t1.00000.sql.zst"
printf 'CREATE TABLE `t2` (\n  `id` int(11) NOT NULL,\n  `t1_id` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `t1_id` (`t1_id`),\n  CONSTRAINT `t2_fk` FOREIGN KEY (`t1_id`) REFERENCES `t1` (`id`)\n) ENGINE=InnoDB;\n' | gzip -c >"$F/m16.t2-schema.sql.gz"
printf 'INSERT INTO `t2` VALUES (1,1),(2,2);\n' | gzip -c >"$F/m16.t2.00000.00000.sql.gz"
printf 'INSERT INTO `t2` VALUES (3,NULL);\n' | gzip -c >"$F/m16.t2.00000.00001.sql.gz"

want='1 alpha 5|2 NULL NULL|3 tab	here 15|4 nl
x 0|'
rows() { sql dst -e "SELECT GROUP_CONCAT(id, ' ', IFNULL(v,'NULL'), ' ', IFNULL(b+0,'NULL') ORDER BY id SEPARATOR '|'), '' FROM m16.t1" | tr -d '\n' | sed 's/\t$/|/'; }
out=$(wharf_on dst load -d "$F" 2>&1) || fail "load of the 0.16 fixture: $out"
grep -q "row counts verified 2/2" <<<"$out" || fail "0.16 row counts not verified: $out"
[ "$(sql dst -e 'SELECT COUNT(*) FROM m16.t2')" = 3 ] || fail "t2 (two-part chunk numbers)"
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='m16'")" = 1 ] || fail "FK of t2"
got1=$(sql dst -e "SELECT HEX(GROUP_CONCAT(id, ' ', IFNULL(v,'NULL'), ' ', IFNULL(b+0,'NULL') ORDER BY id SEPARATOR '|')) FROM m16.t1")
ok "mydumper 0.16 fixture loaded through LOAD DATA LOCAL and verified"

sql dst -e "SET GLOBAL local_infile=0"
out=$(wharf_on dst load -d "$F" --if-exists=drop 2>&1) || fail "load with local_infile=OFF: $out"
grep -q "INSERT" <<<"$out" || fail "no warning about the INSERT fallback: $out"
grep -q "row counts verified 2/2" <<<"$out" || fail "fallback not verified: $out"
got2=$(sql dst -e "SELECT HEX(GROUP_CONCAT(id, ' ', IFNULL(v,'NULL'), ' ', IFNULL(b+0,'NULL') ORDER BY id SEPARATOR '|')) FROM m16.t1")
[ "$got1" = "$got2" ] || fail "INSERT fallback loaded different values: $got1 vs $got2"
[ "$(sql dst -e "SELECT v FROM m16.t1 WHERE id=3")" = 'tab\there' ] || fail "escapes: $(sql dst -e 'SELECT v FROM m16.t1')"
[ "$(sql dst -e "SELECT b+0 FROM m16.t1 WHERE id=3")" = 15 ] || fail "BIT through SET CAST"
ok "local_infile=OFF: .dat rows loaded as INSERTs, same values"
