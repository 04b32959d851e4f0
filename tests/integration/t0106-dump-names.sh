#!/usr/bin/env bash
# Names with backticks, dots, spaces, slashes, percent signs and unicode
# survive a dump: a name that cannot be a file name gets mydumper's mapped
# file name (mydumper_N, the real name in metadata and in the SQL), plain
# names stay, SQL quotes them, and the restore (by myloader 1.0.1 and by
# wharf) recreates the same objects with the same content.
. "$(dirname "$0")/../harness/lib.sh"
. "$(dirname "$0")/../harness/dumplib.sh"

start_server src
start_server dst
sql src <<'SQL'
CREATE DATABASE `we.ird db`;
CREATE DATABASE `ünï`;
CREATE TABLE `we.ird db`.`ta``ble` (`id` INT PRIMARY KEY, `co``l` VARCHAR(10), `a.b` INT, `sp ace` TEXT);
INSERT INTO `we.ird db`.`ta``ble` VALUES (1,'x',2,'y'),(2,NULL,NULL,'');
USE `we.ird db`;
CREATE TABLE `we.ird db`.`50% off/now` (`k` VARCHAR(20) NOT NULL PRIMARY KEY, v INT);
INSERT INTO `we.ird db`.`50% off/now` SELECT CONCAT('k', seq), seq FROM seq_1_to_300;
CREATE TABLE `we.ird db`.`-dash` (id INT);
INSERT INTO `we.ird db`.`-dash` VALUES (1);
USE `ünï`;
CREATE TABLE `ünï`.`表格` (`列` INT PRIMARY KEY, `ß` VARCHAR(5));
INSERT INTO `ünï`.`表格` VALUES (1,'ä'),(2,'€');
CREATE VIEW `ünï`.`v ü` AS SELECT `列` FROM `ünï`.`表格`;
CREATE TRIGGER `ünï`.`tr``g` BEFORE INSERT ON `ünï`.`表格` FOR EACH ROW SET NEW.`ß` = CONCAT(NEW.`ß`, ';');
SQL
sql src -e "ANALYZE TABLE \`we.ird db\`.\`50% off/now\`" >/dev/null

out=$T/dump
wharf_on src dump -o "$out" --rows 100 -q || fail dump
ls "$out" >"$T/files"
# every name here is odd: every file name is mapped, none holds a real name
# (a whole-server dump also holds the accounts file, wharf-accounts.grants)
grep -Evq '^(metadata|wharf-accounts\.grants\.zst|mydumper_[0-9]+(-schema-create|-schema-post|\.mydumper_[0-9]+(-schema|-schema-view|-schema-triggers|\.[0-9]{5}))\.sql\.zst)$' \
    "$T/files" && fail "file names not mapped: $(cat "$T/files")"
[ "$(grep -c 'schema-create' "$T/files")" = 2 ] || fail "two databases: $(cat "$T/files")"
grep -q 'mydumper_[0-9]*\.mydumper_[0-9]*\.00002\.sql' "$T/files" || fail "chunks of a mapped table: $(cat "$T/files")"
grep -q 'real_table_name=50% off/now' "$out/metadata" || fail "real_table_name"
grep -q 'wharf-database=we.ird db' "$out/metadata" || fail "wharf-database"
ok "file names mapped"
# a plain name keeps its own file name
sql src -e "CREATE DATABASE plain_db; CREATE TABLE plain_db.\`t-1 x\` (id INT)"
wharf_on src dump -o "$T/dump-plain" -B plain_db -q || fail dump
[ -e "$T/dump-plain/plain_db.t-1 x-schema.sql.zst" ] || fail "plain names: $(ls "$T/dump-plain")"
sql src -e "DROP DATABASE plain_db"
ok "plain names kept"

restore_with_client dst "$out"
compare_databases src 'we.ird db' dst 'we.ird db'
compare_databases src 'ünï' dst 'ünï'
[ "$(sql dst -e 'SELECT COUNT(*) FROM `ünï`.`v ü`')" = 2 ] || fail "view"
sql dst -e "INSERT INTO \`ünï\`.\`表格\` VALUES (3,'x')"
[ "$(sql dst -e 'SELECT `ß` FROM `ünï`.`表格` WHERE `列`=3')" = "x;" ] || fail "trigger"
ok "names with backticks, dots, spaces, unicode round-trip (myloader 1.0.1)"
reset_server dst
wharf_on dst load -d "$out" -q || fail "wharf load"
compare_databases src 'we.ird db' dst 'we.ird db'
compare_databases src 'ünï' dst 'ünï'
ok "names round-trip (wharf load)"

# -T and --exclude accept backticked names
out=$T/dump2
wharf_on src dump -o "$out" -T '`we.ird db`.`ta``ble`' -q || fail "-T with backticks"
[ "$(ls "$out" | grep -c '\.00000\.sql')" = 1 ] || fail "-T with backticks: $(ls "$out")"
ok "-T with quoted names"

# UTF-8 names and passwords on the command line, in the C locale too
sql src -e "CREATE USER 'üser'@'localhost' IDENTIFIED BY 'pässwörd€'; GRANT ALL ON *.* TO 'üser'@'localhost'"
for loc in C C.UTF-8; do
    out=$T/dump-$loc
    LC_ALL=$loc LANG=$loc "$WHARF_BIN" dump --no-defaults -u 'üser' -p'pässwörd€' -S "$T/src/sock" -B 'ünï' \
        -T 'ünï.表格' --where 'ünï.表格:`列` > 1' -o "$out" -q || fail "dump with UTF-8 names in LC_ALL=$loc"
    grep -q 'rows=1' "$out/metadata" || fail "--where with a UTF-8 name ($loc): $(cat "$out/metadata")"
    LC_ALL=$loc "$WHARF_BIN" dump --no-defaults -u root -S "$T/src/sock" -B 'ünï' --exclude 'ünï.表格' -o "$out-x" -q ||
        fail "--exclude with a UTF-8 name ($loc)"
    ! grep -q '表格' "$out-x/metadata" || fail "--exclude ünï.表格 ($loc)"
    LC_ALL=$loc "$WHARF_BIN" load --no-defaults -u root -S "$T/dst/sock" -d "$out" -B 'ünï' --into "ünï_$loc" -q ||
        fail "load --into with a UTF-8 name ($loc)"
    [ "$(sql dst -e "SELECT COUNT(*) FROM \`ünï_$loc\`.\`表格\`")" = 1 ] || fail "--into ünï_$loc"
done
ok "UTF-8 names and passwords in LC_ALL=C and C.UTF-8"
