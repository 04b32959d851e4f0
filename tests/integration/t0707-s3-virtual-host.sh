#!/usr/bin/env bash
# Virtual-host addressing (--s3-virtual-host: BUCKET.host/KEY instead of
# host/BUCKET/KEY): a dump and its load against http://s3.localhost:PORT, whose
# BUCKET.s3.localhost libcurl resolves to the loopback (s3rver takes
# BUCKET.s3.ENDPOINT as virtual-host addressing), every request's
# signature checked by the proxy (Host is signed), the table back whole.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/s3.sh"

start_server src
start_server dst
start_s3 wharf-vh
start_sigv4_proxy
port=${S3_PROXY_ENDPOINT##*:}
ep=(--s3-endpoint "http://s3.localhost:$port" --s3-virtual-host)

sql src >/dev/null <<'SQL'
CREATE DATABASE vh;
CREATE TABLE vh.t (id INT PRIMARY KEY, v VARCHAR(200));
INSERT INTO vh.t SELECT seq, REPEAT(MD5(seq), 6) FROM vh.seq_1_to_40000;
CREATE VIEW vh.v AS SELECT id FROM vh.t;
SQL
out=$(wharf_on src dump -o s3://wharf-vh/x/y "${ep[@]}" -B vh --compress none -F 512 --s3-part-size 5M -v 2>&1) ||
    fail "dump: $out"
grep -q "part 2 uploaded" <<<"$out" || fail "no multipart upload: $out"
s3_keys wharf-vh x/y | grep -qx "x/y/metadata" || fail "no metadata object: $(s3_keys wharf-vh)"
out=$(wharf_on dst load -d s3://wharf-vh/x/y "${ep[@]}" 2>&1) || fail "load: $out"
compare_full src vh dst vh
grep -q MISMATCH "$S3_PROXY_LOG" && fail "signature mismatch: $(grep MISMATCH "$S3_PROXY_LOG" | head -3)"
grep -q "^ok GET /x/y/vh.t.00000.sql " "$S3_PROXY_LOG" || fail "not virtual-host requests: $(head -5 "$S3_PROXY_LOG")"
grep -q "^ok GET /?delimiter" "$S3_PROXY_LOG" || fail "no virtual-host listing: $(head -5 "$S3_PROXY_LOG")"
ok "virtual-host addressing: $(grep -c '^ok' "$S3_PROXY_LOG") requests as BUCKET.s3.localhost, signatures checked"
