#!/usr/bin/env bash
# Conformance: the fixture tests/fixtures/conformance.sql (system-versioned
# and application-time tables, sequences, every partitioning kind, generated,
# invisible and compressed columns, CHECK constraints, every index kind,
# foreign-key cycles and cross-database keys, triggers ordered with
# FOLLOWS/PRECEDES, routines, packages, events and views created under other
# sql_modes, character sets and time zones, odd and very long names, every
# data type) is dumped by wharf and loaded into a fresh server, for several
# data formats and compressions, and then a restore under another name
# (--into). Each database must come back identical: compare_full checks the
# catalog, every SHOW CREATE, sequence state and the data (counts,
# checksums, partitions, system-versioned history).
#
# Every round runs to the end and every difference is reported; the test
# fails at the end if any round had one.
#   WHARF_CONFORMANCE_FIXTURE=FILE    use another fixture (e.g. a scratch copy)
#   WHARF_CONFORMANCE_ROUNDS="sql:zstd tsv:gzip sql:none bulk into"   rounds to run
# ("bulk" loads the sql:zstd dump again with --load-data=on: every INSERT
# chunk sent as a LOAD DATA stream, format/insert.h)
. "$(dirname "$0")/../harness/lib.sh"

fixture=${WHARF_CONFORMANCE_FIXTURE:-$WHARF_SOURCE_DIR/tests/fixtures/conformance.sql}
rounds=${WHARF_CONFORMANCE_ROUNDS:-sql:zstd tsv:gzip sql:none tsv:zstd bulk into}
failures=()

# failed WHAT: record a failure and go on
failed() { echo "FAILED: $*" >&2; failures+=("$*"); }

# load_errors LOG: what a failed wharf load reports: its summary line and
# the jobs that failed (the full output stays in LOG)
load_errors() {
    local log=$1
    echo "wharf load failed: $(grep -Eo 'load incomplete: .*' "$log" || tail -1 "$log")"
    grep -Eo 'error: FAILED .*' "$log" | sed -E 's/^error: FAILED +/    /' | cut -c1-400 | head -20
}

# user_dbs SERVER: the non-system databases, one per line (raw names)
user_dbs() {
    sql "$1" --raw -e "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN
        ('mysql', 'sys', 'information_schema', 'performance_schema') ORDER BY BINARY SCHEMA_NAME"
}

# drop_user_dbs SERVER: drop every non-system database (cross-database
# foreign keys are ignored while dropping)
drop_user_dbs() {
    local db
    while IFS= read -r db; do
        [ -n "$db" ] || continue
        sql "$1" -e "SET foreign_key_checks = 0; DROP DATABASE \`${db//\`/\`\`}\`" || fail "dropping $db on $1"
    done < <(user_dbs "$1")
}

# compare_all WHAT SRC_DB DST_DB: compare_full, recording a failure
compare_all() {
    local what=$1 sdb=$2 ddb=$3 missing
    missing=$(diff <(list_catalog_objects src "$sdb") <(list_catalog_objects dst "$ddb") | grep -c '^<' || true)
    [ "$missing" = 0 ] || echo "$what: $missing catalog objects of $sdb were not restored" >&2
    ( compare_full src "$sdb" dst "$ddb" ) || failed "$what: $sdb differs after the restore"
}

# Known server limitations (README "Known limitations"): history partitions
# of PARTITION BY SYSTEM_TIME LIMIT are filled by the server per statement
# at load time, so history rows may land in other history partitions than
# on the source (every row and its history is there: checksums compare).
export COMPARE_KNOWN='table `sv_part_limit`|rows in partition|history rows are spread over LIMIT partitions by the loading statements, not as on the source'

start_server src
start_server dst

sql src <"$fixture" || fail "loading the fixture $fixture"
mapfile -t dbs < <(user_dbs src)
[ "${#dbs[@]}" -ge 4 ] || fail "the fixture created ${#dbs[@]} databases, expected at least 4"
ok "fixture loaded: ${#dbs[@]} databases, $(for db in "${dbs[@]}"; do list_catalog_objects src "$db"; done | wc -l) objects"
# users are not part of a dump: the fixture's definer must exist on the target
sql dst -e "CREATE USER 'app'@'localhost'; GRANT ALL PRIVILEGES ON *.* TO 'app'@'localhost'"

# com_load SERVER: LOAD DATA statements the server has run
com_load() { sql "$1" -N -e "SHOW GLOBAL STATUS LIKE 'Com_load'" | cut -f2; }

for round in $rounds; do
    [ "$round" = into ] && continue
    if [ "$round" = bulk ]; then
        dir=$T/dump-sql-zstd what="--load-data=on"
        [ -d "$dir" ] || { failed "$what: needs the sql:zstd round"; continue; }
        drop_user_dbs dst
        before=$(com_load dst)
        wharf_on dst load -d "$dir" -t 2 --load-data=on >"$dir.bulk.log" 2>&1 || failed "$what: $(load_errors "$dir.bulk.log")"
        streams=$(( $(com_load dst) - before ))
        chunks=$(find "$dir" -name '*.[0-9][0-9][0-9][0-9][0-9].sql.zst' | wc -l)
        redone=$(grep -c 'not sent as LOAD DATA' "$dir.bulk.log" || true)
        grep -o 'not sent as LOAD DATA.*' "$dir.bulk.log" | sort | uniq -c | sed 's/^/    /' | head -20 >&2
        ok "$what: $streams LOAD DATA streams for $chunks INSERT chunks, $redone chunks run as INSERTs instead"
        [ "$streams" -ge $(( chunks / 2 )) ] || failed "$what: only $streams LOAD DATA streams for $chunks chunks"
        for db in "${dbs[@]}"; do compare_all "$what" "$db" "$db"; done
        continue
    fi
    format=${round%%:*} compress=${round#*:}
    what="--format $format --compress $compress"
    dir=$T/dump-$format-$compress
    if ! wharf_on src dump -o "$dir" --format "$format" --compress "$compress" -t 2 >"$dir.dump.log" 2>&1; then
        failed "$what: wharf dump failed: $(grep -E 'error' "$dir.dump.log" | head -5)"
        continue
    fi
    drop_user_dbs dst
    wharf_on dst load -d "$dir" -t 2 >"$dir.load.log" 2>&1 || failed "$what: $(load_errors "$dir.load.log")"
    for db in "${dbs[@]}"; do compare_all "$what" "$db" "$db"; done
    # wharf verify recomputes every chunk's checksum on the restored server
    wharf_on dst verify -d "$dir" -t 2 >"$dir.verify.log" 2>&1 ||
        failed "$what: wharf verify: $(grep -E 'error' "$dir.verify.log" | head -5)"
    last_dir=$dir
done

# A restore of the main database under another name: every database of the
# last round stays (cross-database references), the copy is compared with
# the database names normalised.
if [[ " $rounds " == *" into "* ]]; then
    if [ -z "${last_dir:-}" ]; then
        failed "--into: no dump to load"
    else
        wharf_on dst load -d "$last_dir" -t 2 -B conformance --into conformance_into >"$T/into.load.log" 2>&1 ||
            failed "--into: $(load_errors "$T/into.load.log")"
        compare_all "--into conformance_into" conformance conformance_into
        wharf_on dst verify -d "$last_dir" -t 2 -B conformance --into conformance_into >"$T/into.verify.log" 2>&1 ||
            failed "--into: wharf verify: $(grep -E 'error' "$T/into.verify.log" | head -5)"
    fi
fi

if [ "${#failures[@]}" -gt 0 ]; then
    echo "conformance failures:" >&2
    printf '  %.300s\n' "${failures[@]%%$'\n'*}" >&2
    fail "${#failures[@]} conformance failures"
fi
ok "conformance: every database identical after every round ($rounds)"
