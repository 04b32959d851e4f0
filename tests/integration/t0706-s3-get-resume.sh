#!/usr/bin/env bash
# A GET cut short (the connection drops halfway through a 14 MB chunk) is
# resumed from the byte reached with a signed Range request: the load
# completes, the table is whole, and the chunk was read once plus the rest.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/s3.sh"

start_server src
start_server dst
start_s3 wharf-cut

sql src <<'SQL'
CREATE DATABASE ct;
CREATE TABLE ct.big (id INT PRIMARY KEY, payload VARCHAR(200)) ENGINE=InnoDB;
INSERT INTO ct.big SELECT seq, REPEAT(MD5(seq), 6) FROM ct.seq_1_to_70000;
SQL
wharf_on src dump -o s3://wharf-cut/d --s3-endpoint "$S3_ENDPOINT" -B ct --compress zstd -F 512 -q || fail "dump"

start_sigv4_proxy ct.big.00000.sql
out=$(wharf_on dst load -d s3://wharf-cut/d --s3-endpoint "$S3_PROXY_ENDPOINT" -v 2>&1) || fail "load: $out"
grep -q "^cut /wharf-cut/d/ct.big.00000.sql" "$S3_PROXY_LOG" || fail "the GET was not cut: $(cat "$S3_PROXY_LOG")"
grep -q "signed: host;range;" "$S3_PROXY_LOG" || fail "no signed Range request after the cut: $(cat "$S3_PROXY_LOG")"
grep -q MISMATCH "$S3_PROXY_LOG" && fail "signature mismatch: $(grep MISMATCH "$S3_PROXY_LOG")"
grep -q "s3://wharf-cut/d/ct.big.00000.sql.zst: get: .*attempt 1 of" <<<"$out" || fail "no resumed GET in the log: $out"
grep -q "retrying" <<<"$out" && fail "the chunk itself was retried, not the GET resumed: $out"
compare_full src ct dst ct
ok "a GET cut halfway resumed with Range: $(grep '^cut' "$S3_PROXY_LOG")"
