#!/usr/bin/env bash
# --resume FILE: a load that failed part-way (one corrupt chunk) is rerun
# with the same journal after the file is repaired; chunks committed by the
# first run are not loaded again (a replay would hit duplicate keys), the
# rest is, and the result equals the source.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst

{
    echo "CREATE DATABASE rs; USE rs;"
    for t in a b c d; do
        echo "CREATE TABLE $t (id INT PRIMARY KEY, v VARCHAR(30), KEY k_v (v)) ENGINE=InnoDB;"
        echo "INSERT INTO $t SELECT seq, CONCAT('$t ', seq) FROM seq_1_to_2000;"
    done
    echo "CREATE TABLE e (id INT PRIMARY KEY, a_id INT, CONSTRAINT fk_a FOREIGN KEY (a_id) REFERENCES a (id)) ENGINE=InnoDB;"
    echo "INSERT INTO e SELECT seq, seq FROM seq_1_to_100;"
    echo "CREATE VIEW va AS SELECT * FROM a; CREATE TRIGGER tr BEFORE INSERT ON b FOR EACH ROW SET NEW.v = NEW.v;"
    echo "CREATE PROCEDURE pp() SELECT 1;"
} | sql src
wharf_on src dump -o "$T/dump" -r 500 -q || fail "dump"
n=$(ls "$T"/dump/rs.c.*.sql.zst | wc -l)
[ "$n" -ge 3 ] || fail "expected several chunks of rs.c, got $n"

good=$(ls "$T"/dump/rs.c.*.sql.zst | sed -n 2p)
cp "$good" "$T/good.zst"
truncate -s 20 "$good"
out=$(wharf_on dst load -d "$T/dump" -t 2 --defer-indexes=on --resume "$T/journal" 2>&1) && fail "first run exited 0"
grep -q "FAILED  chunk rs.c" <<<"$out" || fail "first run: $out"
# journal keys: job kind (4: chunk), quoted source names, part, subpart
grep -q '^4 `rs`.`a` 0 0$' "$T/journal" || fail "journal lacks committed chunks: $(cat "$T/journal")"
part=$(basename "$good" .sql.zst | sed 's/^rs\.c\.0*//')
grep -q "^4 \`rs\`.\`c\` ${part:-0} 0$" "$T/journal" && fail "journal lists the failed chunk"
ok "first run failed on $(basename "$good"), journal has $(($(wc -l <"$T/journal") - 1)) completed jobs"

cp "$T/good.zst" "$good"
out=$(wharf_on dst load -d "$T/dump" -t 2 --defer-indexes=on --resume "$T/journal" 2>&1) || fail "resumed run: $out"
grep -q "resuming" <<<"$out" || fail "no resume message: $out"
grep -Eq "resumed [1-9]" <<<"$out" || fail "nothing resumed: $out"
grep -q "load complete" <<<"$out" || fail "resumed run incomplete: $out"
compare_databases src rs dst rs
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='rs' AND INDEX_NAME='k_v'")" = 4 ] ||
    fail "indexes missing after resume"
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='rs'")" = 1 ] ||
    fail "FK missing after resume"
ok "resumed run completed the load without replaying committed chunks"

# a journal of another dump is refused
mkdir "$T/other"
expect_fail "journal of another dump" "not a load journal" wharf_on dst load -d "$T/other" --allow-incomplete --resume "$T/journal"
