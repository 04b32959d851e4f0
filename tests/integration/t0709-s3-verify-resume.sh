#!/usr/bin/env bash
# A dump in a bucket is verified and resumed as a directory is:
# wharf verify -d s3://... proves a restore (and names the table whose rows
# differ), and a load from the bucket killed mid-chunk (WHARF_FAULT, SIGKILL)
# resumes with the same --resume journal to a copy identical to the source,
# a table without any key holding each chunk exactly once.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/s3.sh"

start_server src
start_server dst
start_s3 wharf-test
sql src <<'SQL'
CREATE DATABASE vr;
CREATE TABLE vr.keyed (id INT PRIMARY KEY, v VARCHAR(30)) ENGINE=InnoDB;
INSERT INTO vr.keyed SELECT seq, CONCAT('v', seq) FROM vr.seq_1_to_20000;
CREATE TABLE vr.nokey (a INT, b VARCHAR(30)) ENGINE=InnoDB;
INSERT INTO vr.nokey SELECT seq % 100, CONCAT('n', seq) FROM vr.seq_1_to_20000;
CREATE VIEW vr.v AS SELECT COUNT(*) AS n FROM vr.keyed;
SQL
url=s3://wharf-test/vr
S3=(--s3-endpoint "$S3_ENDPOINT")
wharf_on src dump -o "$url" "${S3[@]}" -r 2000 -q || fail "dump to $url"

# verify from the bucket
wharf_on dst load -d "$url" "${S3[@]}" -q || fail "load from $url"
out=$(wharf_on dst verify -d "$url" "${S3[@]}" 2>&1) || fail "verify -d $url: $out"
grep -q "verify complete" <<<"$out" || fail "no completion line: $out"
sql dst -e "UPDATE vr.keyed SET v = 'changed' WHERE id = 7777"
expect_fail "verify -d $url of a changed row" "vr.*keyed" wharf_on dst verify -d "$url" "${S3[@]}"
ok "verify -d s3://: a restore proved, a changed row named"

# --s3-* options without a bucket are refused by verify as by load
expect_fail "verify --s3-endpoint with a directory" "--s3-\* options are for a dump in a bucket" \
    wharf_on dst verify -d "$T" "${S3[@]}"

# killed mid-chunk, resumed from the bucket
for point in load-chunk-mid load-chunk-after-commit; do
    sql dst -e "DROP DATABASE IF EXISTS vr; DROP DATABASE IF EXISTS wharf_resume"
    rm -f "$T/journal"
    rc=0
    WHARF_FAULT=$point wharf_on dst load -d "$url" "${S3[@]}" -t 2 --resume "$T/journal" >"$T/$point.log" 2>&1 || rc=$?
    [ "$rc" = 137 ] || fail "$point: the armed load was not killed (exit $rc): $(tail -3 "$T/$point.log")"
    out=$(wharf_on dst load -d "$url" "${S3[@]}" -t 2 --resume "$T/journal" 2>&1) || fail "$point: resumed load: $out"
    grep -q "resum" <<<"$out" || fail "$point: the second run did not say it resumed: $out"
    compare_databases src vr dst vr
    wharf_on dst verify -d "$url" "${S3[@]}" -q || fail "$point: verify after the resumed load"
    ok "killed at $point while loading from the bucket, resumed: identical"
done
