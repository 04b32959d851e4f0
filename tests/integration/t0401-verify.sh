#!/usr/bin/env bash
# wharf verify proves a target holds exactly the dump's rows, chunk by chunk:
# an integer-keyed table in several chunks (some empty at dump time), a
# table without a key (with duplicate rows), a character key, NULLs, binary
# data, FLOAT/DOUBLE, a generated column, a --where. After an intact load
# (and with load --verify=content) it passes; one changed value, one deleted
# row, one added row (also into a chunk that was empty), a dropped table
# each fail, naming the table and the chunk's key range. The checksums are
# those of the rows, not of the files: equal for SQL, TSV and compressed
# dumps. Hostile ranges in metadata are refused naming the file; a dump
# without checksums is verified by row count, saying so.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst

sql src <<'SQL'
SET NAMES utf8mb4;
CREATE DATABASE vt;
USE vt;
CREATE TABLE big (id INT PRIMARY KEY, f FLOAT, d DOUBLE, b VARBINARY(16), bl BLOB,
  s VARCHAR(30) CHARACTER SET utf8mb4, dt DATETIME(6), ts TIMESTAMP(3) NULL DEFAULT NULL,
  gen INT AS (id * 2) VIRTUAL);
-- ids 1..1000 and 5001..6000: the chunks between hold no rows
INSERT INTO big (id, f, d, b, bl, s, dt, ts)
  SELECT seq, seq / 7, seq / 3e0, IF(seq % 5 = 0, NULL, UNHEX(LPAD(HEX(seq * 7919), 8, '0'))),
         IF(seq % 7 = 0, '', CONCAT(0x00FF0A, seq)), IF(seq % 3 = 0, NULL, CONCAT('é😀 ', seq)),
         '2024-01-01' + INTERVAL seq SECOND, IF(seq % 4 = 0, NULL, '2001-02-03 04:05:06.789')
  FROM seq_1_to_1000;
INSERT INTO big (id, f, d, b, s) SELECT 5000 + seq, -seq * 1.5, 1e300 / seq, 0x00, 'x' FROM seq_1_to_1000;
CREATE TABLE nokey (a INT, b VARCHAR(10));
INSERT INTO nokey SELECT seq % 10, IF(seq % 10 = 3, NULL, 'x') FROM seq_1_to_1200;
CREATE TABLE ckey (k VARCHAR(30) COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY, v INT);
INSERT INTO ckey SELECT CONCAT(CHAR(65 + seq % 26), 'é', seq), seq FROM seq_1_to_1500;
CREATE TABLE w (id INT PRIMARY KEY, v INT);
INSERT INTO w SELECT seq, seq FROM seq_1_to_100;
CREATE TABLE empty_t (id INT PRIMARY KEY);
CREATE VIEW v_big AS SELECT id, s FROM big WHERE id < 10;
CREATE TRIGGER trg_w BEFORE INSERT ON w FOR EACH ROW SET NEW.v = NEW.v + 0;
CREATE PROCEDURE p_count(OUT n INT) SELECT COUNT(*) INTO n FROM big;
CREATE EVENT ev_noop ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM w WHERE id < 0;
SQL
sql src -e "ANALYZE TABLE vt.big, vt.nokey, vt.ckey, vt.w" >/dev/null
dump() { # DIR args...: dump vt with 300-row chunks
    local d=$1; shift
    wharf_on src dump -o "$T/$d" -B vt --rows 300 --where 'vt.w:id % 2 = 0' -q "$@" || fail "dump $d"
}
dump d-sql
dump d-tsv --format tsv --compress none
dump d-gz --compress gzip
n=$(grep -c '^wharf-range-' "$T/d-sql/metadata")
[ "$n" -ge 10 ] || fail "expected chunk ranges in metadata, got $n"
ls "$T"/d-sql/vt.big.0000[234].sql.zst >/dev/null 2>&1 && fail "expected empty chunks of big (no files)"
grep -q "^wharf-range-00003=" "$T/d-sql/metadata" || fail "no range recorded for an empty chunk"

# The recorded checksums are those of the rows: SQL, TSV and gzip dumps agree.
sums() { grep -E '^(\[|wharf-sum-|wharf-range-|wharf-where|rows=)' "$T/$1/metadata" | sed -n '/^\[`vt`/,$p'; }
[ "$(sums d-sql)" = "$(sums d-tsv)" ] || fail "SQL and TSV dumps record different checksums: $(diff <(sums d-sql) <(sums d-tsv) | head)"
[ "$(sums d-sql)" = "$(sums d-gz)" ] || fail "zstd and gzip dumps record different checksums"
ok "checksums equal across SQL/zstd, TSV/plain and SQL/gzip dumps"

verify() { wharf_on dst verify -t 2 "$@"; }
expect_fail "--verify=bogus" "--verify must be count, content or none" wharf_on dst load -d "$T/d-sql" --verify=bogus
expect_fail "--verify=content --no-data" "no rows to verify" wharf_on dst load -d "$T/d-sql" --verify=content --no-data
expect_fail "--verify=content --no-verify" "contradicts" wharf_on dst load -d "$T/d-sql" --verify=content --no-verify
expect_fail "--verify=content --if-exists append" "their own rows" wharf_on dst load -d "$T/d-sql" --verify=content --if-exists append
expect_fail "verify without -d" "no dump directory" verify
expect_fail "verify -B of a database not in the dump" "not in the dump" verify -d "$T/d-sql" -B nope
# expect_diff WHAT PATTERN DUMP: verify fails and names what differs
expect_diff() { expect_fail "$1" "$2" verify -d "$T/$3"; }

# Intact: load --verify=content and verify pass.
out=$(wharf_on dst load -d "$T/d-sql" --verify=content -t 2 2>&1) || fail "load --verify=content: $out"
grep -q "verify complete: the target holds exactly" <<<"$out" || fail "load --verify=content said: $out"
ok "load --verify=content passes on an intact load"
out=$(verify -d "$T/d-sql" 2>&1) || fail "verify of an intact load: $out"
grep -q "chunks equal \([0-9]*\)/\1" <<<"$out" || fail "not every chunk equal: $out"
ok "verify passes on an intact load"

# One value changed: the chunk holding it, with its range.
sql dst -e "UPDATE vt.big SET d = d + 1e-10 WHERE id = 1000"
expect_diff "changed DOUBLE" 'DIFFERS `vt`.`big` chunk [0-9]{5} \[`id` >= [0-9]+ AND `id` < [0-9]+\]: [0-9]+ rows as expected, but their content differs' d-sql
[ "$(verify -d "$T/d-sql" 2>&1 | grep -c DIFFERS)" = 1 ] || fail "exactly one chunk should differ"
sql dst -e "UPDATE vt.big SET d = 1000 / 3e0 WHERE id = 1000"
verify -d "$T/d-sql" -q || fail "verify after undoing the change"
ok "the checksum is exact: the change undone, verify passes again"
sql dst -e "UPDATE vt.big SET bl = 0x00 WHERE id = 5500"
expect_diff "changed BLOB" 'DIFFERS `vt`.`big` chunk [0-9]{5} \[`id` >= [0-9]+\]' d-sql
sql dst -e "UPDATE vt.big SET bl = NULL WHERE id = 5500"
sql dst -e "UPDATE vt.ckey SET v = v + 1 WHERE k = 'Bé1'"
expect_diff "changed row of a character key" 'DIFFERS `vt`.`ckey` chunk [0-9]{5} \[.*_utf8mb4 0x.* COLLATE utf8mb4_general_ci.*\]' d-sql
sql dst -e "UPDATE vt.ckey SET v = v - 1 WHERE k = 'Bé1'"
sql dst -e "UPDATE vt.nokey SET b = 'y' WHERE a = 1 LIMIT 1"
expect_diff "changed row of a table without a key" 'DIFFERS `vt`.`nokey` \(whole table\): 1200 rows as expected, but their content' d-sql
sql dst -e "UPDATE vt.nokey SET b = 'x' WHERE b = 'y'"
verify -d "$T/d-sql" -q || fail "verify after undoing the changes"

# One row deleted, one added (also into a range empty at dump time).
sql dst -e "CREATE TABLE vt.keep AS SELECT * FROM vt.big WHERE id = 42; DELETE FROM vt.big WHERE id = 42"
out=$(verify -d "$T/d-sql" 2>&1) && fail "verify passed after a deleted row"
re='DIFFERS `vt`.`big` chunk 00000 \[`id` < [0-9]+\]: ([0-9]+) rows expected, ([0-9]+) found'
[[ $out =~ $re ]] && [ $((BASH_REMATCH[1] - 1)) = "${BASH_REMATCH[2]}" ] || fail "deleted row not reported: $out"
ok "deleted row: its chunk, one row fewer"
sql dst -e "INSERT INTO vt.big (id, f, d, b, bl, s, dt, ts) SELECT id, f, d, b, bl, s, dt, ts FROM vt.keep; DROP TABLE vt.keep"
sql dst -e "INSERT INTO vt.big (id) VALUES (3000)"
expect_diff "row added into a chunk empty at dump time" 'DIFFERS `vt`.`big` chunk [0-9]{5} \[`id` >= [0-9]+ AND `id` < [0-9]+\]: 0 rows expected, 1 found' d-sql
sql dst -e "DELETE FROM vt.big WHERE id = 3000; INSERT INTO vt.nokey VALUES (1, 'x')"
expect_diff "duplicate row added to a table without a key" 'DIFFERS `vt`.`nokey` \(whole table\): 1200 rows expected, 1201 found' d-sql
sql dst -e "DELETE FROM vt.nokey WHERE a = 1 LIMIT 1; INSERT INTO vt.w VALUES (1000, 1)"
expect_diff "row added to a table dumped with --where" 'DIFFERS `vt`.`w`' d-sql
sql dst -e "DELETE FROM vt.w WHERE id = 1000; INSERT INTO vt.empty_t VALUES (1)"
expect_diff "row added to an empty table" 'DIFFERS `vt`.`empty_t` \(whole table\): 0 rows expected, 1 found' d-sql
sql dst -e "DELETE FROM vt.empty_t"
verify -d "$T/d-sql" -q || fail "verify after undoing the row changes"

# Views, triggers, routines, events: by definition.
grep -q "views, triggers, routines and events equal 4/4" <<<"$out" || fail "objects not compared: $out"
sql dst -e "DROP TRIGGER vt.trg_w; CREATE TRIGGER vt.trg_w BEFORE INSERT ON vt.w FOR EACH ROW SET NEW.v = NEW.v + 1"
expect_diff "changed trigger" 'DIFFERS TRIGGER `vt`.`trg_w`: its definition on the target is not the dump' d-sql
sql dst -e "DROP PROCEDURE vt.p_count; ALTER EVENT vt.ev_noop ON SCHEDULE EVERY 2 DAY"
out=$(verify -d "$T/d-sql" 2>&1) && fail "verify passed without vt.p_count"
grep -q 'PROCEDURE `vt`.`p_count`: missing on the target' <<<"$out" || fail "dropped procedure not named: $out"
grep -q 'DIFFERS EVENT `vt`.`ev_noop`' <<<"$out" || fail "changed event not named: $out"

# A dropped table, a dropped view.
sql dst -e "DROP TABLE vt.ckey; DROP VIEW vt.v_big"
out=$(verify -d "$T/d-sql" 2>&1) && fail "verify passed without vt.ckey"
grep -q '`vt`.`ckey`: missing on the target' <<<"$out" || fail "dropped table not named: $out"
grep -q 'VIEW `vt`.`v_big`: missing on the target' <<<"$out" || fail "dropped view not named: $out"
ok "a changed trigger and event, a dropped procedure, table and view are each named"

# A trigger on the target that changes rows as they are loaded: the row
# counts match (the load's own check passes), --verify=content fails it.
sql dst -e "DROP DATABASE vt"
wharf_on dst load -d "$T/d-sql" --no-data -q || fail "load --no-data"
sql dst -e "CREATE TRIGGER vt.bump BEFORE INSERT ON vt.w FOR EACH ROW SET NEW.v = NEW.v + 1"
wharf_on dst load -d "$T/d-sql" --no-schema -q || fail "a load whose row counts match must pass --verify=count"
sql dst -e "TRUNCATE vt.w"
expect_fail "load --verify=content with a trigger changing rows" 'DIFFERS `vt`.`w` \(whole table\): 50 rows as expected, but their content differs' \
    wharf_on dst load -d "$T/d-sql" --no-schema -T vt.w --if-exists truncate --verify=content
ok "a trigger firing during the load: row counts match, the content check fails the load"

# TSV and gzip dumps: load, verify, tamper, verify fails; --into.
for d in d-tsv d-gz; do
    sql dst -e "DROP DATABASE vt"
    wharf_on dst load -d "$T/$d" -q -t 2 || fail "load $d"
    verify -d "$T/$d" -q || fail "verify $d"
    sql dst -e "UPDATE vt.big SET f = 0.5 WHERE id = 7"
    expect_diff "$d: changed FLOAT" 'DIFFERS `vt`.`big` chunk 00000' "$d"
done
wharf_on dst load -d "$T/d-sql" --into vt2 -q || fail "load --into"
verify -d "$T/d-sql" --into vt2 -q || fail "verify --into vt2"
sql dst -e "DELETE FROM vt2.ckey LIMIT 1"
expect_fail "--into: deleted row" 'DIFFERS `vt2`.`ckey` chunk' verify -d "$T/d-sql" --into vt2
verify -d "$T/d-sql" --into vt2 -T vt.big -q || fail "verify -T vt.big (ckey not selected)"
ok "TSV, gzip and --into verify"

# Hostile metadata: refused, naming the file, before anything runs.
hostile() { # WHAT KEY VALUE
    rm -rf "$T/h" && cp -r "$T/d-sql" "$T/h"
    python3 - "$T/h/metadata" "$2" "$3" <<'PY'
import sys
p, key, val = sys.argv[1:]
lines = open(p).read().split('\n')
done = False
for i, l in enumerate(lines):
    if l.startswith(key + '='):
        lines[i] = key + '=' + val
        done = True
        break
if not done:  # wharf-where of big
    i = lines.index('[`vt`.`big`]')
    lines.insert(i + 1, key + '=' + val)
open(p, 'w').write('\n'.join(lines))
PY
    local t0=$SECONDS
    expect_fail "hostile $1" "$T/h/metadata: \\[\`vt\`.\`[a-z]+\`\\] $2: refused" verify -d "$T/h"
    [ $((SECONDS - t0)) -lt 5 ] || fail "hostile $1: the condition was run"
}
hostile "SLEEP" wharf-range-00001 '1=1 OR SLEEP(5)'
hostile "subquery" wharf-range-00001 '`id` < (SELECT MAX(id) FROM mysql.user)'
hostile "statement" wharf-range-00001 '`id` < 5; DROP DATABASE vt'
hostile "where with a function" wharf-where '(SLEEP(5) = 0)'

rm -rf "$T/h" && cp -r "$T/d-sql" "$T/h"
sed -i '/^\[`vt`.`big`\]/,/^rows=/ s/^rows=2000$/rows=2001/' "$T/h/metadata"
expect_fail "metadata rows disagree with its chunks" 'metadata: \[`vt`.`big`\] rows: 2001 rows, but its chunks hold 2000' verify -d "$T/h"

# A dump without checksums (older wharf, mydumper): row counts only, said.
rm -rf "$T/old" && cp -r "$T/d-sql" "$T/old"
sed -i -E '/^(content-checksum|wharf-sum-|wharf-range-|wharf-where)/d' "$T/old/metadata"
sql dst -e "DROP DATABASE vt"
wharf_on dst load -d "$T/d-sql" -q || fail "reload"
out=$(verify -d "$T/old" 2>&1) || fail "verify of a dump without checksums: $out"
grep -q "row count only" <<<"$out" || fail "not said that only row counts were compared: $out"
sql dst -e "DELETE FROM vt.big WHERE id = 1"
expect_fail "old dump: deleted row" 'DIFFERS `vt`.`big` \(whole table\): 2000 rows expected, 1999 found \(row count only' verify -d "$T/old"
ok "a dump without checksums is verified by row count, saying so"

# SIGTERM while a chunk's read waits (a LOCK TABLES elsewhere): the running
# statement is killed, the summary printed, exit 143, nothing left running.
sql dst -e "LOCK TABLES vt.big WRITE; SELECT SLEEP(60)" >/dev/null 2>&1 &
locker=$!
for i in $(seq 1 100); do
    [ -n "$(sql dst -e "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(60)%'")" ] && break
    sleep 0.05
done
env --default-signal=INT,TERM "$WHARF_BIN" verify --no-defaults -u root -S "$T/dst/sock" -d "$T/d-sql" -t 2 \
    >"$T/verify-term.log" 2>&1 &
pid=$!
for i in $(seq 1 200); do
    [ -n "$(sql dst -e "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT %FROM \`vt\`.\`big\`%' AND STATE LIKE 'Waiting%'")" ] && break
    sleep 0.05
done
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
lid=$(sql dst -e "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(60)%'")
[ -z "$lid" ] || sql dst -e "KILL $lid"
wait "$locker" 2>/dev/null || true
[ "$rc" = 143 ] || fail "SIGTERM: exit $rc, expected 143: $(tail -5 "$T/verify-term.log")"
grep -q "verify interrupted (SIGTERM)" "$T/verify-term.log" || fail "SIGTERM: no interrupt message: $(tail -3 "$T/verify-term.log")"
grep -q "verify summary" "$T/verify-term.log" || fail "SIGTERM: no summary"
left=$(sql dst -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT %FROM \`vt\`%' AND ID <> CONNECTION_ID()")
[ "$left" = 0 ] || fail "SIGTERM: $left statements left running on the server"
ok "SIGTERM: exit 143, summary printed, nothing left running"

# A mydumper 1.0.1 dump: row counts only, said; a deleted row is found.
MD=$("$HARNESS_DIR/peers.sh" path mydumper) || fail "cannot build mydumper 1.0.1"
printf '[mydumper]\n' >"$T/peer.cnf"
"$MD" --defaults-file "$T/peer.cnf" -S "$T/src/sock" -u root -B vt -o "$T/myd" -r 300 >"$T/myd.log" 2>&1 ||
    fail "mydumper: $(tail -3 "$T/myd.log")"
sql dst -e "DROP DATABASE vt"
wharf_on dst load -d "$T/myd" -q --verify=content || fail "load of a mydumper dump with --verify=content"
out=$(verify -d "$T/myd" 2>&1) || fail "verify of a mydumper dump: $out"
grep -q "row count only" <<<"$out" || fail "mydumper dump: not said that only row counts were compared: $out"
sql dst -e "DELETE FROM vt.nokey LIMIT 1"
expect_fail "mydumper dump: deleted row" 'DIFFERS `vt`.`nokey` \(whole table\): 1200 rows expected, 1199 found' verify -d "$T/myd"
ok "a mydumper dump is verified by row count"

# The whole database missing on the target: each of its tables is named.
sql dst -e "DROP DATABASE vt"
out=$(verify -d "$T/d-sql" 2>&1) && fail "verify passed without the database"
for t in big nokey ckey w empty_t; do
    grep -q "\`vt\`.\`$t\`: missing on the target" <<<"$out" || fail "missing database: $t not named: $out"
done
ok "a missing database: every table named"
