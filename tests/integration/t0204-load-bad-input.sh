#!/usr/bin/env bash
# Bad input: a truncated .zst, a corrupt .gz, a data file whose table has no
# schema file, a data file listed in metadata but missing, a CREATE TABLE and
# an INSERT the server rejects, malformed metadata. Each is a clear error
# naming the file; everything else is still restored (and compared); nothing
# partial is left behind; the exit status is non-zero.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst

{
    echo "CREATE DATABASE bad; USE bad;"
    for t in a b c d e f g h; do
        echo "CREATE TABLE $t (id INT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB;"
        echo "INSERT INTO $t VALUES"
        for i in $(seq 1 3000); do printf "(%d,'row %d of table %s with some text'),\n" "$i" "$i" "$t"; done
        echo "(0,NULL);"
    done
    echo "CREATE VIEW vg AS SELECT * FROM g;"
    echo "CREATE DATABASE mm; CREATE TABLE mm.x (id INT PRIMARY KEY); INSERT INTO mm.x VALUES (1),(2);"
    echo "CREATE TABLE mm.y (id INT PRIMARY KEY); INSERT INTO mm.y VALUES (3);"
} | sql src
wharf_on src dump -o "$T/dump" -B bad -q || fail "dump"
wharf_on src dump -o "$T/mm" -B mm -q || fail "dump mm"
D=$T/dump

# a: truncated zstd
f=$D/bad.a.00000.sql.zst; truncate -s $(( $(stat -c %s "$f") / 2 )) "$f"
# b: gzip instead of zstd, corrupted in the middle
zstd -dcq "$D/bad.b.00000.sql.zst" | gzip -c >"$D/bad.b.00000.sql.gz"; rm "$D/bad.b.00000.sql.zst"
f=$D/bad.b.00000.sql.gz; size=$(stat -c %s "$f")
printf '\xde\xad\xbe\xef\xde\xad\xbe\xef' | dd of="$f" bs=1 seek=$((size / 2)) conv=notrunc status=none
# c: no schema file
rm "$D"/bad.c-schema.sql.zst
# d: data file missing (metadata lists it)
rm "$D"/bad.d.00000.sql.zst
# e: CREATE TABLE the server rejects
echo 'CREATE TABLE `e` (`id` int NOT NULL, `v` no_such_type, PRIMARY KEY (`id`)) ENGINE=InnoDB;' | zstd -q -o "$D/bad.e-schema.sql.zst.new" && mv "$D/bad.e-schema.sql.zst.new" "$D/bad.e-schema.sql.zst"
# f: an INSERT the server rejects (after a good one: the chunk must roll back whole)
printf 'INSERT INTO `f` VALUES (1,%s);\nINSERT INTO `f` (`id`,`no_such_column`) VALUES (2,%s);\n' "'x'" "'y'" | zstd -q -o "$D/bad.f.00000.sql.zst.new" && mv "$D/bad.f.00000.sql.zst.new" "$D/bad.f.00000.sql.zst"

out=$(wharf_on dst load -d "$D" -t 4 2>&1) && fail "load of a broken dump exited 0: $out"
echo "$out" | grep -E "FAILED|SKIPPED|incomplete"
check() { grep -Eq -- "$2" <<<"$out" || fail "$1: no error matching /$2/ in: $out"; ok "$1"; }
check "truncated .zst" "FAILED .*bad\.a\.00000\.sql\.zst.*(truncat|corrupt|unexpected end)"
check "corrupt .gz" "FAILED .*bad\.b\.00000\.sql\.gz"
check "data without schema" "FAILED .*no schema file for bad\.c.*bad\.c\.00000\.sql\.zst"
check "missing data file" "FAILED .*bad\.d\.00000\.sql\.zst.*missing"
check "rejected CREATE TABLE" "FAILED .*table bad\.e.*bad\.e-schema\.sql\.zst.*ERROR (1064|4161)"
check "rejected INSERT" "FAILED .*bad\.f\.00000\.sql\.zst.*ERROR 1054"
check "dependents skipped" "SKIPPED chunk bad\.e\.00000: table bad\.e failed"

for t in g h; do
    [ "$(table_fingerprint src bad $t)" = "$(table_fingerprint dst bad $t)" ] || fail "bad.$t not restored"
done
[ "$(sql dst -e 'SELECT COUNT(*) FROM bad.vg')" = 3001 ] || fail "view vg"
ok "the good tables and the view are restored"
for t in a b f; do
    [ "$(sql dst -e "SELECT COUNT(*) FROM bad.$t")" = 0 ] || fail "bad.$t has rows from a failed chunk"
done
ok "failed chunks left no rows behind"

# --fail-fast: the first failure stops the run; nothing else starts
out=$(wharf_on dst load -d "$D" -t 1 --into ff --fail-fast 2>&1) && fail "--fail-fast exited 0"
grep -q "SKIPPED .*not started: the run stopped after a failure" <<<"$out" || fail "--fail-fast did not stop: $out"
[ "$(echo "$out" | grep -c '^.*FAILED  ')" = 1 ] || fail "--fail-fast: more than one job failed: $out"
ok "--fail-fast stops at the first failure"

# malformed metadata: named, the rest still restored, exit non-zero
sed -i 's/^wharf-chunks=.*/wharf-chunks=not-a-number/' "$T/mm/metadata"
out=$(wharf_on dst load -d "$T/mm" 2>&1) && fail "malformed metadata: exit 0: $out"
grep -Eq "mm/metadata.*malformed" <<<"$out" || fail "malformed metadata not named: $out"
compare_databases src mm dst mm
ok "malformed metadata"

# no metadata at all: an interrupted dump is refused
rm "$T/mm/metadata"
expect_fail "dump without metadata" "no .metadata. file" wharf_on dst load -d "$T/mm" --if-exists=drop
wharf_on dst load -d "$T/mm" --if-exists=drop --allow-incomplete -q 2>/dev/null || fail "--allow-incomplete"
compare_databases src mm dst mm
