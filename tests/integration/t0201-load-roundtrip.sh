#!/usr/bin/env bash
# wharf load restores a wharf dump exactly: a schema with many column types,
# foreign keys (deferred and re-added), secondary/unique/fulltext indexes,
# views on views, triggers, routines and events, in the SQL format (zstd) and
# the TSV format (gzip, LOAD DATA LOCAL), with 1 and 8 threads. Every table is
# compared (row counts and CHECKSUM TABLE), and every view, trigger, routine
# and event must exist in the target with the same definition.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/fixtures.sh"

start_server src
start_server dst

roundtrip_fixture src

objects() { # SERVER DB: definitions of views, triggers, routines, events
    local s=$1 db=$2
    sql "$s" -e "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA='$db' ORDER BY 1" | sed "s/\`$db\`\.//g"
    sql "$s" -e "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='$db' ORDER BY 1"
    sql "$s" -e "SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='$db' ORDER BY 1"
    sql "$s" -e "SELECT EVENT_NAME, EVENT_DEFINITION, STATUS FROM information_schema.EVENTS WHERE EVENT_SCHEMA='$db' ORDER BY 1"
    sql "$s" -e "SELECT TABLE_NAME, INDEX_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX), NON_UNIQUE, INDEX_TYPE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='$db' GROUP BY 1,2,4,5 ORDER BY 1,2"
    sql "$s" -e "SELECT CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME, DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='$db' ORDER BY 1"
    sql "$s" -e "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA='$db' AND ENGINE='InnoDB' ORDER BY 1"
}

check_objects() {
    local what=$1 a b
    a=$(objects src rt)
    b=$(objects dst rt)
    [ "$a" = "$b" ] || fail "$what: schema objects differ: $(diff <(echo "$a") <(echo "$b") | head -20)"
    # the FLOAT came back bit-identical
    [ "$(sql dst -e 'SELECT f + 0e0 FROM rt.nums WHERE id=1')" = 0.3333333432674408 ] || fail "$what: FLOAT lost digits"
    ok "$what: views, triggers, routines, events, indexes, foreign keys equal"
}

wharf_on src dump -o "$T/d-sql" --format sql --compress zstd -r 300 -q || fail "dump sql"
wharf_on src dump -o "$T/d-tsv" --format tsv --compress gzip -r 300 -q || fail "dump tsv"
ls "$T/d-tsv"/rt.customers.00000.dat.gz >/dev/null || fail "tsv dump has no .dat.gz"

# dump, threads, --defer-indexes (auto defers nothing here: the tables are small)
for run in "d-sql 1 on" "d-sql 8 auto" "d-tsv 1 auto" "d-tsv 8 on" "d-sql 4 off"; do
    set -- $run
    sql dst -e "DROP DATABASE IF EXISTS rt"
    out=$(wharf_on dst load -d "$T/$1" -t "$2" --defer-indexes="$3" -v 2>&1) || fail "load $run: $out"
    grep -q "load complete" <<<"$out" || fail "no completion line: $out"
    grep -q "row counts verified 12/12" <<<"$out" || fail "$run: not every table verified: $out"
    compare_databases src rt dst rt
    check_objects "$run"
done
