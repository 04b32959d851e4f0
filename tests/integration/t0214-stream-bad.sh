#!/usr/bin/env bash
# Damaged and hostile streams for `wharf load -d -`: each fails with one
# clear error naming the frame (offset, number, file), exits non-zero,
# changes nothing on the target (its databases and a sentinel table are
# compared before and after) and leaves no spool; nothing is written
# outside the spool. Then the undamaged stream loads, compared with the
# source.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst
sql src <<'SQL' || fail "creating the source"
CREATE DATABASE shop;
USE shop;
CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(100));
INSERT INTO shop.orders SELECT seq, REPEAT(CHAR(65 + seq % 26), seq % 90) FROM seq_1_to_5000;
CREATE VIEW shop.v AS SELECT COUNT(*) AS n FROM shop.orders;
SQL
sql dst -e "CREATE DATABASE sentinel; CREATE TABLE sentinel.t (id INT PRIMARY KEY); INSERT INTO sentinel.t VALUES (1), (2)"
state() {
    sql dst -e "SELECT GROUP_CONCAT(SCHEMA_NAME ORDER BY SCHEMA_NAME) FROM information_schema.SCHEMATA;
                SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN ('mysql','sys','information_schema','performance_schema')"
    table_fingerprint dst sentinel t
}
before=$(state)
mkdir -p "$T/spool"

wharf_on src dump -o - --compress none -t 2 -q >"$T/good" || fail "dump -o -"

# frames.py STREAM: "offset name size body_offset" of every frame
cat >"$T/frames.py" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
i = 0
while i < len(d):
    j = d.index(b'\n', i + 1)
    name, size = d[i + 4:j].rsplit(b' ', 1)
    print(i, name.decode(), int(size), j + 1)
    i = j + 1 + int(size)
PY
python3 "$T/frames.py" "$T/good" >"$T/frames"
read -r chunk_off _ chunk_size chunk_body < <(grep ' shop\.orders\.00000\.sql ' "$T/frames")
meta_off=$(awk '$2 == "metadata" {print $1}' "$T/frames")
[ -n "$chunk_off" ] && [ -n "$meta_off" ] || fail "cannot find the frames in the stream: $(cat "$T/frames")"
second=$(sed -n 2p "$T/frames" | cut -d' ' -f1)   # offset of the second frame

# splice OUT CUT TEXT: the good stream with TEXT (printf format) inserted at byte CUT
splice() {
    { head -c "$2" "$T/good"; printf -- "$3"; tail -c +$(($2 + 1)) "$T/good"; } >"$T/$1"
}
head -c $((chunk_body + chunk_size / 2)) "$T/good" >"$T/mid-file"
head -c "$meta_off" "$T/good" >"$T/no-metadata"
head -c $((meta_off + 5)) "$T/good" >"$T/mid-header"
splice dotdot "$second" '\n-- ../x 3\nabc'
splice absolute "$second" "\\n-- /tmp/wharf-evil-$$ 3\\nabc"
splice unknown "$second" '\n-- notes.txt 3\nabc'
splice hidden "$second" '\n-- .metadata 3\nabc'
splice nan "$second" '\n-- shop.x-schema.sql 12ab\nabc'
splice overflow "$second" '\n-- shop.x-schema.sql 99999999999999999999\nabc'
splice huge "$second" '\n-- shop.x-schema.sql 1125899906842623\nabc'
splice garbage "$second" 'garbage'
{ head -c "$second" "$T/good"; cat "$T/good"; } >"$T/twice"   # metadata.header again
cp "$T/good" "$T/after-metadata" && printf '\n-- shop.zz-schema.sql 3\nabc' >>"$T/after-metadata"
: >"$T/empty"

check() {
    local name=$1 pattern=$2
    expect_fail "$name" "$pattern" bash -c '"$@" <"$0"' "$T/$name" \
        "$WHARF_BIN" load --no-defaults -u root -S "$T/dst/sock" -d - --spool-dir "$T/spool"
    [ "$(state)" = "$before" ] || fail "$name: the target changed: $(state)"
    [ -z "$(ls -A "$T/spool")" ] || fail "$name: spool left: $(ls -A "$T/spool")"
}
check mid-file "frame [0-9]+ \(shop\.orders\.00000\.sql\) at offset $chunk_off: truncated stream: the input ended after $((chunk_size / 2)) of $chunk_size bytes"
check no-metadata "at offset $meta_off: truncated stream: the input ended after [0-9]+ files without metadata"
check mid-header "at offset $meta_off: truncated stream: the input ended inside a frame header"
check dotdot "frame [0-9]+ at offset $second: file name '\.\./x' holds a '/'"
check absolute "at offset $second: file name '/tmp/wharf-evil-$$' holds a '/'"
[ ! -e "/tmp/wharf-evil-$$" ] || fail "a frame wrote /tmp/wharf-evil-$$"
check unknown "at offset $second: 'notes\.txt' is not a file of a dump"
check hidden "at offset $second: hidden or relative file name '\.metadata'"
check nan "at offset $second: shop\.x-schema\.sql: size '12ab' is not a decimal number"
check overflow "at offset $second: shop\.x-schema\.sql: size '99999999999999999999' is not a decimal number"
check huge "frame [0-9]+ \(shop\.x-schema\.sql\) at offset $second: shop\.x-schema\.sql: 1125899906842623 bytes do not fit in the spool"
check garbage "at offset $second: byte 0x67 where a frame header"
check twice "frame 2 \(metadata\.header\) at offset $second: metadata\.header is sent twice"
check after-metadata "shop\.zz-schema\.sql\) at offset $(stat -c %s "$T/good"): shop\.zz-schema\.sql comes after metadata"
check empty "the stream is empty"

# SIGINT while the stream is arriving: exit 130, spool removed, target unchanged
mkfifo "$T/fifo"
{ head -c "$chunk_body" "$T/good"; exec sleep 60; } >"$T/fifo" &
feeder=$!
env --default-signal=INT,TERM "$WHARF_BIN" load --no-defaults -u root -S "$T/dst/sock" -d - \
    --spool-dir "$T/spool" <"$T/fifo" >"$T/int.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
    [ -n "$(find "$T/spool" -name 'shop-schema-create.sql')" ] && break
    sleep 0.1
done
[ -n "$(find "$T/spool" -name 'shop-schema-create.sql')" ] || fail "SIGINT: nothing received: $(cat "$T/int.log")"
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
kill "$feeder" 2>/dev/null || true
[ "$rc" = 130 ] || fail "SIGINT while receiving: exit $rc: $(cat "$T/int.log")"
grep -q 'load interrupted (SIGINT) while receiving the stream' "$T/int.log" || fail "SIGINT: $(cat "$T/int.log")"
[ -z "$(ls -A "$T/spool")" ] || fail "SIGINT: spool left: $(ls -A "$T/spool")"
[ "$(state)" = "$before" ] || fail "SIGINT: the target changed"
ok "SIGINT while receiving: exit 130, spool removed, target unchanged"

# the undamaged stream loads
wharf_on dst load -d - --spool-dir "$T/spool" <"$T/good" >"$T/good.log" 2>&1 || fail "the good stream: $(tail -3 "$T/good.log")"
compare_databases src shop dst shop
[ -z "$(ls -A "$T/spool")" ] || fail "spool left after the good load"

# options that only make sense with a stream, and a spool that cannot be made
expect_fail "dump --spool-dir without -o -" "spool-dir and --spool-max are for a dump to stdout" \
    wharf_on src dump -o "$T/dir" --spool-dir "$T/spool"
expect_fail "dump --spool-max not a size" "--spool-max: 'lots' is not a size" wharf_on src dump -o - --spool-max lots
expect_fail "dump, spool cannot be made" "cannot create the spool directory $T/none/wharf-spool-" \
    wharf_on src dump -o - --spool-dir "$T/none"
expect_fail "load --resume with -d -" "a stream \(-d -\) cannot be resumed" \
    wharf_on dst load -d - --resume "$T/journal" </dev/null
expect_fail "load --spool-dir without -d -" "spool-dir is for a stream on stdin" \
    wharf_on dst load -d "$T/dir" --spool-dir "$T/spool"
expect_fail "load, spool cannot be made" "cannot create the spool directory $T/none/wharf-spool-" \
    wharf_on dst load -d - --spool-dir "$T/none" <"$T/good"
# a terminal is neither a stream's source nor its destination (script gives a tty)
expect_fail "dump -o - to a terminal" "stdout, which is a terminal" \
    script -qec "$WHARF_BIN dump --no-defaults -u root -S $T/src/sock -o -" /dev/null
expect_fail "load -d - from a terminal" "stdin, which is a terminal" \
    script -qec "$WHARF_BIN load --no-defaults -u root -S $T/dst/sock -d -" /dev/null
ok "every damaged stream refused before any change; the good one loads"
