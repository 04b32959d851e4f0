#!/usr/bin/env bash
# Progress off a terminal (issue 11): with stderr a file, dump and load write
# a progress line every --progress-interval seconds (log mode, the default
# off a TTY) during a run of several seconds, with the counters moving;
# --progress none writes none; --log-file with --log-format json writes one
# JSON object per line (every line parses, progress records carry the
# counters); bad values are refused.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst
sql src <<'SQL'
CREATE DATABASE pg;
CREATE TABLE pg.t (id INT PRIMARY KEY, pad VARCHAR(100));
INSERT INTO pg.t SELECT seq, REPEAT('x', 100) FROM pg.seq_1_to_4000;
SQL

# progress_lines LOG VERB: the progress lines of a run
progress_lines() { grep -c "progress: $2: tables" "$1" || true; }

# A dump slowed by its row filter (1 ms a row: about 4 s), one thread.
wharf_on src dump -o "$T/d" -B pg -t 1 --progress-interval 1 --where 'pg.t:SLEEP(0.001) = 0' \
    >"$T/dump.log" 2>&1 || { cat "$T/dump.log"; fail "dump"; }
n=$(progress_lines "$T/dump.log" dump)
[ "$n" -ge 2 ] || { cat "$T/dump.log"; fail "dump: $n progress lines in a 4 s run, expected at least 2"; }
grep "progress: dump" "$T/dump.log" | tail -1
ok "dump off a terminal: $n progress lines"

wharf_on src dump -o "$T/d2" -B pg -t 1 --progress none --where 'pg.t:SLEEP(0.0005) = 0' \
    >"$T/dump2.log" 2>&1 || fail "dump --progress none"
[ "$(progress_lines "$T/dump2.log" dump)" = 0 ] || fail "--progress none wrote progress lines"
ok "--progress none: no progress line"

# json_lines FILE: every line is a JSON object with the contract's keys;
# prints the number of progress records
json_lines() {
    python3 - "$1" <<'PY'
import json, sys
n = 0
for i, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    r = json.loads(line)
    for k in ("time", "elapsed", "level", "event", "message"):
        assert k in r, f"line {i}: no {k}: {line}"
    if r["event"] == "progress":
        assert isinstance(r["rows"], int) and isinstance(r["tables_total"], int), line
        n += 1
print(n)
PY
}
wharf_on src dump -o "$T/d4" -B pg -t 1 --progress-interval 1 --log-file "$T/dump.json" --log-format json \
    --where 'pg.t:SLEEP(0.0005) = 0' >"$T/dump4.log" 2>&1 || { cat "$T/dump4.log"; fail "dump --log-format json"; }
n=$(json_lines "$T/dump.json") || fail "dump: the JSON log does not parse: $(head -3 "$T/dump.json")"
[ "$n" -ge 1 ] || fail "dump: no progress record in the JSON log"
[ ! -s "$T/dump4.log" ] || fail "dump --log-file: stderr got more than errors and warnings: $(head -3 "$T/dump4.log")"
ok "--log-file --log-format json: $(wc -l <"$T/dump.json") records, all JSON, $n progress records"

expect_fail "--log-format bad" "--log-format must be text or json" wharf_on src dump -o "$T/d3" --log-format xml
expect_fail "--progress bad" "--progress must be auto, tty, log or none" wharf_on src dump -o "$T/d3" --progress sometimes
expect_fail "--progress-interval 0" "--progress-interval must be" wharf_on src dump -o "$T/d3" --progress-interval 0

# A load slowed by a trigger on the target (1 ms a row): the data goes into
# the existing table (--no-schema), so the trigger runs for every row.
sql dst <<'SQL'
CREATE DATABASE pg;
CREATE TABLE pg.t (id INT PRIMARY KEY, pad VARCHAR(100));
CREATE TRIGGER pg.slow BEFORE INSERT ON pg.t FOR EACH ROW SET @x = SLEEP(0.001);
SQL
wharf_on dst load -d "$T/d" -t 1 --no-schema --progress-interval 1 >"$T/load.log" 2>&1 ||
    { cat "$T/load.log"; fail "load"; }
n=$(progress_lines "$T/load.log" load)
[ "$n" -ge 2 ] || { cat "$T/load.log"; fail "load: $n progress lines in a 4 s run, expected at least 2"; }
grep "progress: load" "$T/load.log" | tail -1
[ "$(sql dst -e 'SELECT COUNT(*) FROM pg.t')" = 4000 ] || fail "load: rows missing"
ok "load off a terminal: $n progress lines"
