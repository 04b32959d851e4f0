#!/usr/bin/env bash
# A data file larger than --s3-part-size goes up as a multipart upload
# (parts of the part size, completed when the file is): a 14 MB chunk with
# 5 MiB parts is three parts, its object whole, the load reads it back (one
# streamed GET) and the table is the same; the multipart upload leaves
# nothing pending. Small files of the same dump are single PUTs.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/s3.sh"

start_server src
start_server dst
start_s3 wharf-mp

sql src <<'SQL'
CREATE DATABASE mp;
CREATE TABLE mp.big (id INT PRIMARY KEY, payload VARCHAR(200)) ENGINE=InnoDB;
INSERT INTO mp.big SELECT seq, REPEAT(MD5(seq), 6) FROM mp.seq_1_to_70000;
CREATE TABLE mp.small (id INT PRIMARY KEY, v VARCHAR(10));
INSERT INTO mp.small VALUES (1,'a'),(2,'b');
SQL

url=s3://wharf-mp/m
out=$(wharf_on src dump -o "$url" --s3-endpoint "$S3_ENDPOINT" -B mp --compress none -F 512 --s3-part-size 5M -v 2>&1) ||
    fail "dump: $out"
grep -q "s3://wharf-mp/m/mp.big.00000.sql: part 3 uploaded" <<<"$out" ||
    fail "the big chunk was not sent in 3 parts: $(grep 'uploaded' <<<"$out")"
grep -q "part 4 uploaded" <<<"$out" && fail "more than 3 parts of 5 MiB for 14 MB: $(grep 'uploaded' <<<"$out")"
grep -q "mp.small.00000.sql: part" <<<"$out" && fail "a small file went up as a multipart upload"
obj=$T/s3/wharf-mp/m/mp.big.00000.sql._S3rver_object
size=$(stat -c %s "$obj")
[ "$size" -gt $((10 * 1024 * 1024)) ] || fail "the big chunk's object is only $size bytes"
pending=$(find "$T/s3" -path '*uploads*' -type f | wc -l)
[ "$pending" -eq 0 ] || fail "$pending multipart upload files left in the server's store"
ok "a $size-byte chunk went up in 3 parts of 5 MiB"

out=$(wharf_on dst load -d "$url" --s3-endpoint "$S3_ENDPOINT" 2>&1) || fail "load: $out"
compare_full src mp dst mp

expect_fail "a part size below S3's 5 MiB" "--s3-part-size must be at least 5M" \
    wharf_on src dump -o s3://wharf-mp/n --s3-endpoint "$S3_ENDPOINT" --s3-part-size 1M

# a dump interrupted in the middle of a multipart upload aborts it: no
# object of the chunk, no metadata
"$WHARF_BIN" dump --no-defaults -u root -S "$T/src/sock" -o s3://wharf-mp/int --s3-endpoint "$S3_ENDPOINT" \
    -T mp.big --compress none -F 512 --s3-part-size 5M --max-rate 2 -v >"$T/int.log" 2>&1 &
pid=$!
for ((i = 0; i < 150; i++)); do grep -q "part 1 uploaded" "$T/int.log" 2>/dev/null && break; sleep 0.1; done
grep -q "part 1 uploaded" "$T/int.log" || fail "the interrupted dump never sent a part: $(cat "$T/int.log")"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 143 ] || fail "interrupted dump: exit $rc, not 143: $(grep error "$T/int.log")"
grep -q "error: dump interrupted (SIGTERM): stopped, unfinished uploads aborted, locks released; no metadata written (the objects already uploaded are an incomplete dump)" \
    "$T/int.log" || fail "the interruption is not reported as such: $(grep error "$T/int.log")"
keys=$(s3_keys wharf-mp int)
grep -q "mp.big.00000" <<<"$keys" && fail "the interrupted chunk is an object: $keys"
grep -q "metadata" <<<"$keys" && fail "a metadata object after an interrupted dump: $keys"
# The abort request reached the server (not completed: no object). s3rver
# 3.7 does not implement AbortMultipartUpload (it answers 405, which wharf
# reports as a warning), so its pending parts cannot be checked here.
grep -q "int/mp.big.00000.sql?uploadId=" "$T/s3rver.log" || fail "no abort reached the server: $(tail -3 "$T/s3rver.log")"
grep -q "warning: s3://wharf-mp/int/mp.big.00000.sql: abort multipart upload failed: HTTP 405" "$T/int.log" ||
    fail "s3rver's refusal of the abort is not reported: $(grep -E 'warn|error' "$T/int.log")"
ok "an interrupted multipart upload is aborted (sent; s3rver refuses it with 405): no object, no metadata"
