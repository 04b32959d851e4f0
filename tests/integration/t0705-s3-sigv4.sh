#!/usr/bin/env bash
# The requests are signed as AWS checks them: a proxy recomputes every
# request's Signature V4 with botocore (tests/harness/sigv4proxy.py) and
# refuses a mismatch, as S3 does. A dump with a multipart upload and a
# paged listing, its load, the abort of an interrupted multipart upload, and
# a wrong secret (refused with 403 SignatureDoesNotMatch and a clear line)
# all go through it. A session token is sent as x-amz-security-token and
# signed.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/s3.sh"

start_server src
start_server dst
start_s3 wharf-sig
start_sigv4_proxy
ep=(--s3-endpoint "$S3_PROXY_ENDPOINT" --s3-region eu-west-3)

sql src <<'SQL'
CREATE DATABASE sg;
CREATE TABLE sg.big (id INT PRIMARY KEY, payload VARCHAR(200)) ENGINE=InnoDB;
INSERT INTO sg.big SELECT seq, REPEAT(MD5(seq), 6) FROM sg.seq_1_to_40000;
CREATE TABLE sg.`we ird+name` (id INT PRIMARY KEY, v VARCHAR(10));
INSERT INTO sg.`we ird+name` VALUES (1,'x');
CREATE VIEW sg.v AS SELECT id FROM sg.big;
SQL

url="s3://wharf-sig/a b/dump+1"
out=$(wharf_on src dump -o "$url" "${ep[@]}" -B sg --compress none -F 512 --s3-part-size 5M -v 2>&1) || fail "dump: $out"
grep -q "part 2 uploaded" <<<"$out" || fail "no multipart upload: $out"
out=$(wharf_on dst load -d "$url" "${ep[@]}" --s3-list-page 3 2>&1) || fail "load: $out"
compare_full src sg dst sg
grep -q MISMATCH "$S3_PROXY_LOG" && fail "signature mismatches: $(grep MISMATCH "$S3_PROXY_LOG" | head -5)"
for op in "PUT .*partNumber=" "POST .*uploads" "POST .*uploadId=" "GET .*list-type=2" "GET .*continuation-token=" \
    "GET /wharf-sig/a%20b/dump%2B1/sg.big.00000.sql"; do
    grep -Eq "^ok $op" "$S3_PROXY_LOG" || fail "no signed request like '$op' checked: $(head -20 "$S3_PROXY_LOG")"
done
n=$(grep -c '^ok' "$S3_PROXY_LOG")
conns=$(grep -o 'port: [0-9]*' "$S3_PROXY_LOG" | sort -u | wc -l)
[ "$conns" -lt "$n" ] || fail "no connection was reused: $conns connections for $n requests"
ok "$n requests on $conns connections, every signature as AWS computes it"

: >"$S3_PROXY_LOG"
AWS_SESSION_TOKEN=tok-123 wharf_on src load -d "$url" "${ep[@]}" --into sg2 -q || fail "load with a session token"
grep -q MISMATCH "$S3_PROXY_LOG" && fail "mismatch with a session token: $(grep MISMATCH "$S3_PROXY_LOG" | head -3)"
n=$(grep -c '^ok' "$S3_PROXY_LOG")
[ "$(grep -c 'signed: .*x-amz-security-token' "$S3_PROXY_LOG")" -eq "$n" ] ||
    fail "the session token is not signed in every request: $(head -3 "$S3_PROXY_LOG")"
ok "a session token is signed with the request"

out=$(AWS_SECRET_ACCESS_KEY=wrong-secret-42 wharf_on src load -d "$url" "${ep[@]}" --into sg3 2>&1) &&
    fail "load with a wrong secret: $out"
grep -q "access denied (list objects: HTTP 403 SignatureDoesNotMatch" <<<"$out" || fail "wrong secret: $out"
[ "$(grep -c 'error:' <<<"$out")" -eq 1 ] || fail "wrong secret: not one error line: $out"
grep -q "wrong-secret-42" <<<"$out" && fail "the secret shows in the output: $out"
ok "a wrong secret: $(grep error: <<<"$out")"

# the abort of a multipart upload (DELETE ?uploadId=) is signed too: a dump
# interrupted after its first part
: >"$S3_PROXY_LOG"
"$WHARF_BIN" dump --no-defaults -u root -S "$T/src/sock" -o s3://wharf-sig/int "${ep[@]}" -T sg.big --compress none \
    -F 512 --s3-part-size 5M --max-rate 2 -v >"$T/int.log" 2>&1 &
pid=$!
for ((i = 0; i < 150; i++)); do grep -q "part 1 uploaded" "$T/int.log" 2>/dev/null && break; sleep 0.1; done
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 143 ] || fail "interrupted dump: exit $rc"
grep -Eq "^ok DELETE /wharf-sig/int/sg.big.00000.sql\?uploadId=" "$S3_PROXY_LOG" ||
    fail "no signed abort: $(grep -v '^ok GET' "$S3_PROXY_LOG" | tail -5)"
grep -q MISMATCH "$S3_PROXY_LOG" && fail "mismatch: $(grep MISMATCH "$S3_PROXY_LOG" | head -3)"
ok "the abort of a multipart upload is signed as AWS computes it"
