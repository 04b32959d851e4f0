#!/usr/bin/env bash
# wharf dump splits big tables into chunks on their key (integer PK by
# ranges, composite keys led by an integer column with enough values by
# ranges of that column, other composite keys (comp: 7 values of `a` for 8
# chunks) and character keys by walking the key), dumps tables
# without a usable key as one stream (saying why), and every row comes back
# exactly once.
. "$(dirname "$0")/../harness/lib.sh"
. "$(dirname "$0")/../harness/dumplib.sh"

start_server src
start_server dst
sql src <<'SQL'
CREATE DATABASE ck;
USE ck;
CREATE TABLE ipk (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20));
INSERT INTO ipk SELECT CAST(seq AS SIGNED) * 3 - 500, CONCAT('v', seq) FROM seq_1_to_5000;
CREATE TABLE upk (id INT UNSIGNED NOT NULL PRIMARY KEY, v INT);
INSERT INTO upk SELECT 4294967295 - seq * 1000, seq FROM seq_0_to_2999;
CREATE TABLE comp (a INT NOT NULL, b VARCHAR(10) NOT NULL, v INT, PRIMARY KEY (a, b));
INSERT INTO comp SELECT seq % 7, CONCAT(CHAR(65 + seq % 26), seq), seq FROM seq_1_to_4000;
CREATE TABLE comp2 (a INT NOT NULL, b VARCHAR(10) NOT NULL, v INT, PRIMARY KEY (a, b));
INSERT INTO comp2 SELECT seq DIV 40, CONCAT('b', seq % 40), seq FROM seq_1_to_4000;
CREATE TABLE vpk (k VARCHAR(30) COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY, v INT);
INSERT INTO vpk SELECT CONCAT(IF(seq % 2, LOWER(CHAR(65 + seq % 26)), CHAR(65 + seq % 26)), 'é', seq), seq FROM seq_1_to_4000;
CREATE TABLE uk (x INT, code VARBINARY(8) NOT NULL, UNIQUE KEY (code));
INSERT INTO uk SELECT seq, UNHEX(LPAD(HEX(seq * 7919), 8, '0')) FROM seq_1_to_3000;
CREATE TABLE nokey (a INT, b VARCHAR(10));
INSERT INTO nokey SELECT seq % 10, 'x' FROM seq_1_to_3000;
CREATE TABLE empty_t (id INT PRIMARY KEY);
CREATE TABLE dt (d DATETIME NOT NULL PRIMARY KEY);
INSERT INTO dt SELECT '2020-01-01' + INTERVAL seq MINUTE FROM seq_1_to_3000;
SQL
sql src -e "ANALYZE TABLE ck.ipk, ck.upk, ck.comp, ck.comp2, ck.vpk, ck.uk, ck.nokey, ck.dt" >/dev/null

for fmt in sql tsv; do
    out=$T/dump-$fmt
    wharf_on src dump -o "$out" -B ck --rows 500 --format "$fmt" -t 3 2>"$T/log-$fmt" || fail "dump: $(cat "$T/log-$fmt")"
    for t in ipk upk comp comp2 vpk uk dt; do
        n=$(ls "$out"/ck.$t.[0-9]*.sql* | wc -l)
        [ "$n" -ge 5 ] || fail "$fmt: ck.$t was split into $n chunks, expected >= 5"
    done
    [ "$(ls "$out"/ck.nokey.[0-9]*.sql* | wc -l)" -eq 1 ] || fail "nokey has several chunks"
    grep -q 'ck`.`nokey`.*one stream: it has no primary key' "$T/log-$fmt" || fail "no reason logged for nokey: $(cat "$T/log-$fmt")"
    ! ls "$out"/ck.empty_t.0* 2>/dev/null || fail "empty table has a data file"
    # metadata: per-chunk rows add up to the table's rows
    awk -F'[=;]' '/^\[/{g=$0} /^rows=/{r[g]=$2} /^wharf-chunk-/{s[g]+=$3} END{for (g in r) if (r[g]!=s[g]+0) {print g, r[g], s[g]; exit 1}}' "$out/metadata" ||
        fail "chunk rows do not add up"
    reset_server dst
    restore_with_client dst "$out"
    compare_databases src ck dst ck
done
ok "chunked tables round-trip, every row exactly once"

# chunk size by bytes: --chunk-size 1 (MB) keeps ipk in one chunk
out=$T/dump-size
wharf_on src dump -o "$out" -T ck.ipk --chunk-size 1 -q || fail "dump --chunk-size"
[ "$(ls "$out"/ck.ipk.[0-9]*.sql* | wc -l)" -eq 1 ] || fail "--chunk-size 1 split a small table"
# statement size: many INSERT statements, each below the limit
out=$T/dump-stmt
wharf_on src dump -o "$out" -T ck.ipk --statement-size 4K --compress none -q || fail "dump --statement-size"
[ "$(grep -c '^INSERT' "$out/ck.ipk.00000.sql")" -ge 15 ] || fail "--statement-size 4K did not split statements"
awk 'BEGIN{RS=";\n"} length($0) > 4096 {bad=1} END{exit bad}' "$out/ck.ipk.00000.sql" || fail "a statement exceeds 4K"
ok "--chunk-size and --statement-size"
