#!/usr/bin/env bash
# A GET cut short (the connection drops halfway through a 14 MB chunk) is
# resumed from the byte reached with a signed Range request: the load
# completes, the table is whole, and the chunk was read once plus the rest.
# A GET that the server never answers ends with the run (SIGTERM).
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

# a server that hangs (a GET never answered): SIGTERM ends the load within
# a second (the transfer is ended by the run's stop), exit 143
_stop_sigv4_proxy
start_sigv4_proxy - ct.big.00000.sql
sql dst -e "DROP DATABASE ct"
"$WHARF_BIN" load --no-defaults -u root -S "$T/dst/sock" -d s3://wharf-cut/d --s3-endpoint "$S3_PROXY_ENDPOINT" -v \
    >"$T/stall.log" 2>&1 &
pid=$!
for ((i = 0; i < 200; i++)); do grep -q "^stalled" "$S3_PROXY_LOG" && break; sleep 0.05; done
grep -q "^stalled" "$S3_PROXY_LOG" || fail "the GET never reached the stalling proxy: $(cat "$S3_PROXY_LOG")"
kill -TERM "$pid"
for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    fail "the load still waited for the hung GET 3 s after SIGTERM: $(tail -3 "$T/stall.log")"
fi
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 143 ] || fail "SIGTERM during a hung GET: exit $rc: $(grep error "$T/stall.log")"
ok "SIGTERM during a GET that the server never answers: exit 143 at once"
