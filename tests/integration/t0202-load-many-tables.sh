#!/usr/bin/env bash
# The myloader failure mode: 6,111 tables (a few rows each, foreign keys
# between some, views on tables and on views, triggers) restored with 32
# threads, three times in a row, each time 100% complete and verified: every
# table, view and trigger exists, every row count and checksum matches.
. "$(dirname "$0")/../harness/lib.sh"

N=6111
# a small file-per-table-free InnoDB keeps 4 x 6,111 CREATE TABLEs quick on 2 cores
export WHARF_SERVER_OPTS="--innodb-file-per-table=0 --table-open-cache=4000 --table-definition-cache=8000 --innodb-buffer-pool-size=512M"
start_server src
start_server dst

# the schema as SQL scripts: tables in 2 parts created in parallel (2 cores), then views and triggers
awk -v n="$N" -v out="$T/gen" 'BEGIN {
    for (i = 1; i <= n; i++) {
        f = out "-" (i % 2) ".sql";
        fk = (i % 10 == 0) ? sprintf(", CONSTRAINT fk_%d FOREIGN KEY (p) REFERENCES t%04d (id)", i, i - 1) : "";
        printf "CREATE TABLE t%04d (id INT PRIMARY KEY, v VARCHAR(20), p INT, KEY k_v (v), KEY k_p (p)%s) ENGINE=InnoDB;\n", i, fk > f;
        printf "INSERT INTO t%04d VALUES (1,\x27a%d\x27,%s),(2,\x27b\x27,%s),(3,NULL,NULL);\n", i, i, (i % 10 == 0) ? "1" : "NULL", (i % 10 == 0) ? "2" : "NULL" > f;
    }
    f = out "-post.sql";
    for (i = 1; i <= 60; i++)
        printf "CREATE VIEW v%02d AS SELECT a.id, a.v, b.v AS w FROM t%04d a JOIN t%04d b ON a.id = b.id;\n", i, i * 7, i * 7 + 1 > f;
    for (i = 1; i <= 20; i++)
        printf "CREATE VIEW vv%02d AS SELECT id, v FROM v%02d WHERE id > 1;\n", i, i > f;
    print "CREATE TABLE tlog (id INT PRIMARY KEY AUTO_INCREMENT, msg VARCHAR(40)) ENGINE=InnoDB;" > f;
    for (i = 1; i <= 40; i++)
        printf "CREATE TRIGGER trg%02d AFTER INSERT ON t%04d FOR EACH ROW INSERT INTO tlog (msg) VALUES (CONCAT(\x27t%d \x27, NEW.id));\n", i, i * 100, i * 100 > f;
}'
sql src -e "CREATE DATABASE many"
for part in 0 1; do
    { echo "SET SESSION foreign_key_checks=0; SET SESSION autocommit=0;"; cat "$T/gen-$part.sql"; echo "COMMIT;"; } | sql src -D many &
done
wait
sql src -D many <"$T/gen-post.sql"
ntables=$(sql src -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='many' AND TABLE_TYPE='BASE TABLE'")
[ "$ntables" = $((N + 1)) ] || fail "source has $ntables tables"
ok "source: $ntables tables, 80 views, 40 triggers"

start=$(date +%s)
wharf_on src dump -o "$T/dump" -t 4 -q || fail "dump"
ok "dumped in $(( $(date +%s) - start ))s"

counts() { # SERVER DB
    sql "$1" -e "SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='$2' AND TABLE_TYPE='BASE TABLE'),
                        (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA='$2'),
                        (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='$2'),
                        (SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='$2')"
}
# every table's content: CHECKSUM TABLE ... EXTENDED over all tables, 500 per statement
all_rows() { # SERVER DB
    local list
    list=$(sql "$1" -e "SELECT CONCAT('\`', TABLE_NAME, '\`') FROM information_schema.TABLES WHERE TABLE_SCHEMA='$2' AND TABLE_TYPE='BASE TABLE' ORDER BY 1")
    echo "$list" | xargs -n 500 echo | tr ' ' ',' | while read -r tables; do
        sql "$1" -D "$2" -e "CHECKSUM TABLE $tables EXTENDED"
    done | sed "s/^$2\.//" | md5sum
}
want_counts=$(counts src many)
want_rows=$(all_rows src many)

for run in 1 2 3; do
    start=$(date +%s)
    out=$(wharf_on dst load -d "$T/dump" --into "copy$run" -t 32 2>&1) || fail "run $run: load failed: $(echo "$out" | tail -20)"
    secs=$(( $(date +%s) - start ))
    echo "$out" | grep -E "load summary|load complete"
    grep -q "tables $((N + 1))/$((N + 1))" <<<"$out" || fail "run $run: not every table created: $(echo "$out" | grep summary)"
    grep -q "row counts verified $((N + 1))/$((N + 1))" <<<"$out" || fail "run $run: not every table verified"
    got=$(counts dst "copy$run")
    [ "$got" = "$want_counts" ] || fail "run $run: tables/views/triggers/FKs [$got], want [$want_counts]"
    [ "$(all_rows dst "copy$run")" = "$want_rows" ] || fail "run $run: table contents differ"
    ok "run $run: $((N + 1)) tables, views, triggers, FKs and all rows restored in ${secs}s with 32 threads"
done



