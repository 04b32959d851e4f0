#!/usr/bin/env bash
# The object store goes away while a dump uploads (--max-rate keeps the dump
# going for several seconds): requests are retried with backoff; a server
# back within the retries costs nothing (the dump completes and loads
# whole); a server that stays away fails the dump loudly, naming the object,
# with a non-zero exit and no `metadata` object: the bucket never holds a
# dump that looks complete.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/s3.sh"

start_server src
start_server dst
start_s3 wharf-stop

sql src <<'SQL'
CREATE DATABASE st;
CREATE TABLE st.a (id INT PRIMARY KEY, payload VARCHAR(200)) ENGINE=InnoDB;
INSERT INTO st.a SELECT seq, REPEAT(MD5(seq), 6) FROM st.seq_1_to_40000;
CREATE TABLE st.b LIKE st.a;
INSERT INTO st.b SELECT * FROM st.a;
SQL
ep=(--s3-endpoint "$S3_ENDPOINT")
dump_args=(-B st --compress none -r 2000 -t 2 --max-rate 3 -v)

# 1. away for a second: retried, the dump completes
wharf_on src dump -o s3://wharf-stop/back "${ep[@]}" "${dump_args[@]}" >"$T/back.log" 2>&1 &
pid=$!
sleep 2
stop_s3
sleep 1
restart_s3
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 0 ] || fail "dump with the server away for 1 s failed (exit $rc): $(grep -E 'error|warn' "$T/back.log")"
grep -q "attempt 1 of" "$T/back.log" || fail "no request was retried: the server was not away during the dump"
s3_keys wharf-stop back | grep -qx "back/metadata" || fail "no metadata after a completed dump"
out=$(wharf_on dst load -d s3://wharf-stop/back "${ep[@]}" 2>&1) || fail "load: $out"
compare_full src st dst st
ok "a server away for 1 s: requests retried, dump complete and whole"

# 2. away for good: the dump fails loudly, no metadata
wharf_on src dump -o s3://wharf-stop/gone "${ep[@]}" "${dump_args[@]}" >"$T/gone.log" 2>&1 &
pid=$!
sleep 2
stop_s3
rc=0
wait "$pid" || rc=$?
[ "$rc" -ne 0 ] || fail "dump succeeded with the object store gone"
grep -Eq "error: dump failed: .*s3://wharf-stop/gone/st\.[ab]\.[0-9]+\.sql: .* failed after every retry: .*(connect|Connection refused)" \
    "$T/gone.log" || fail "no clear error naming the object: $(grep -E 'error' "$T/gone.log")"
grep -q "no metadata object" "$T/gone.log" || fail "the error does not say the dump is incomplete: $(grep error "$T/gone.log")"
[ -e "$T/s3/wharf-stop/gone/metadata._S3rver_object" ] && fail "a metadata object after a failed dump"
ok "a server gone for good: $(grep 'error:' "$T/gone.log" | head -1)"

# 3. SIGTERM while a request waits to be retried: the wait ends at once
# (it is the run's backoff), exit 143, without the ~8 s of retries
"$WHARF_BIN" dump --no-defaults -u root -S "$T/src/sock" -o s3://wharf-stop/term "${ep[@]}" -B st -v \
    >"$T/term.log" 2>&1 &
pid=$!
for ((i = 0; i < 100; i++)); do grep -q "attempt 1 of" "$T/term.log" 2>/dev/null && break; sleep 0.05; done
grep -q "attempt 1 of" "$T/term.log" || fail "no retry to interrupt: $(cat "$T/term.log")"
kill -TERM "$pid"
for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    fail "the dump still waited to retry 2 s after SIGTERM"
fi
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 143 ] || fail "SIGTERM during a retry wait: exit $rc: $(grep -E 'error' "$T/term.log")"
ok "SIGTERM during a retry wait ends the dump at once (exit 143)"

# 4. the store goes away under a load, then SIGTERM: the GETs waiting to be
# retried end at once (the load's run backoff), exit 143
restart_s3
sql dst -e "DROP DATABASE st"
"$WHARF_BIN" load --no-defaults -u root -S "$T/dst/sock" -d s3://wharf-stop/back "${ep[@]}" -t 2 --max-rate 2 -v \
    >"$T/load.log" 2>&1 &
pid=$!
for ((i = 0; i < 100; i++)); do grep -q "chunk .* done" "$T/load.log" 2>/dev/null && break; sleep 0.05; done
stop_s3
for ((i = 0; i < 200; i++)); do grep -q "get: .*attempt 1 of" "$T/load.log" 2>/dev/null && break; sleep 0.05; done
grep -q "get: .*attempt 1 of" "$T/load.log" || fail "no GET was retried: $(tail -5 "$T/load.log")"
kill -TERM "$pid"
for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    fail "the load still ran 2 s after SIGTERM: $(tail -5 "$T/load.log")"
fi
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 143 ] || fail "SIGTERM during the load's GET retries: exit $rc: $(grep -E 'error' "$T/load.log")"
ok "SIGTERM while the load's GETs wait to be retried: exit 143 at once"
