#!/usr/bin/env bash
# Tool options from option files (issue 11): [wharf-dump] threads and
# compress, [wharf-load] skip-binlog, next to the [client] connection
# options Connector/C reads; the command line wins; an unknown option in
# [wharf] fails with exit 2 naming file and line; ~/.my.cnf is read unless
# --no-defaults; --defaults-extra-file; a password in [wharf] is not logged.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst
sql src <<'SQL'
CREATE DATABASE of;
CREATE TABLE of.t (id INT PRIMARY KEY, v VARCHAR(20));
INSERT INTO of.t VALUES (1, 'one'), (2, 'two'), (3, 'three');
CREATE USER 'ofu'@'localhost' IDENTIFIED BY 'F1lePass';
GRANT ALL ON *.* TO 'ofu'@'localhost';
SQL

compressed() { ls "$1" | grep -c '\.zst$' || true; }
binlog_pos() { sql "$1" -e "SHOW MASTER STATUS" | cut -f2; }

# [client] for the connection (Connector/C), [wharf-dump] and [wharf-load]
# for wharf; comments, quotes and '_' for '-' as in any my.cnf
F=$T/wharf.cnf
cat >"$F" <<EOF
# written by t0113
[client]
socket = $T/src/sock
user = ofu
password = F1lePass

[wharf-dump]
threads = 3        # two spares are added to the snapshot sessions
compress = "none"

[wharf-load]
skip_binlog
EOF
"$WHARF_BIN" dump --defaults-file="$F" -o "$T/d1" -B of 2>"$T/d1.log" || fail "dump with $F: $(cat "$T/d1.log")"
[ "$(compressed "$T/d1")" = 0 ] || fail "compress = none from the file not applied: $(ls "$T/d1")"
[ -f "$T/d1/of.t.00000.sql" ] || fail "no uncompressed data file: $(ls "$T/d1")"
grep -q "snapshot: 5 sessions" "$T/d1.log" || fail "threads = 3 from the file not applied: $(cat "$T/d1.log")"
ok "[client] connects, [wharf-dump] threads = 3 and compress = none are applied"

# the command line wins
"$WHARF_BIN" dump --defaults-file="$F" -o "$T/d2" -B of --compress zstd -t 4 2>"$T/d2.log" ||
    fail "dump with $F and --compress zstd: $(cat "$T/d2.log")"
[ "$(compressed "$T/d2")" -ge 3 ] || fail "--compress zstd did not beat the file: $(ls "$T/d2")"
grep -q "snapshot: 6 sessions" "$T/d2.log" || fail "-t 4 did not beat the file: $(cat "$T/d2.log")"
ok "--compress zstd and -t 4 on the command line beat the file"

# [wharf-load] skip-binlog: nothing of the load is in the target's binlog;
# --skip-binlog=0 on the command line turns the file's flag off
sed "s|$T/src/sock|$T/dst/sock|; s|user = ofu|user = root|; /password/d" "$F" >"$T/load.cnf"
before=$(binlog_pos dst)
"$WHARF_BIN" load --defaults-file="$T/load.cnf" -d "$T/d1" -q || fail "load with skip-binlog from the file"
compare_databases src of dst of
[ "$(binlog_pos dst)" = "$before" ] || fail "[wharf-load] skip-binlog not applied: binlog moved from $before to $(binlog_pos dst)"
"$WHARF_BIN" load --defaults-file="$T/load.cnf" -d "$T/d1" --into of2 --skip-binlog=0 -q ||
    fail "load --skip-binlog=0"
[ "$(binlog_pos dst)" != "$before" ] || fail "--skip-binlog=0 did not turn the file's skip-binlog off"
ok "[wharf-load] skip_binlog is applied, --skip-binlog=0 turns it off"

# an unknown option in [wharf]: exit 2, file and line named, nothing done
printf '[client]\nsocket = %s\nuser = root\n[wharf]\nthreads = 2\nthreadz = 3\n' "$T/src/sock" >"$T/typo.cnf"
rc=0
"$WHARF_BIN" dump --defaults-file="$T/typo.cnf" -o "$T/d3" -B of 2>"$T/d3.log" || rc=$?
[ "$rc" = 2 ] || fail "unknown option in [wharf]: exit $rc, not 2: $(cat "$T/d3.log")"
grep -q "$T/typo.cnf:6: unknown option 'threadz' in \[wharf\]" "$T/d3.log" ||
    fail "the error does not name file:line and option: $(cat "$T/d3.log")"
[ ! -e "$T/d3" ] || fail "the dump started despite the unknown option"
rc=0
"$WHARF_BIN" load --defaults-file="$T/typo.cnf" -d "$T/d1" 2>"$T/l3.log" || rc=$?
[ "$rc" = 2 ] && grep -q "typo.cnf:6: unknown option 'threadz'" "$T/l3.log" ||
    fail "load with the unknown option: exit $rc: $(cat "$T/l3.log")"
ok "an unknown option in [wharf] fails with exit 2 naming $T/typo.cnf:6"

# ~/.my.cnf is read (connection and wharf options) unless --no-defaults
mkdir -p "$T/home"
printf '[client]\nsocket = %s\nuser = root\n[wharf-dump]\ncompress = none\n' "$T/src/sock" >"$T/home/.my.cnf"
HOME=$T/home "$WHARF_BIN" dump -o "$T/d4" -B of -q || fail "dump with ~/.my.cnf"
[ "$(compressed "$T/d4")" = 0 ] || fail "~/.my.cnf [wharf-dump] not read: $(ls "$T/d4")"
HOME=$T/home "$WHARF_BIN" dump --no-defaults -S "$T/src/sock" -u root -o "$T/d5" -B of -q || fail "dump --no-defaults"
[ "$(compressed "$T/d5")" -ge 3 ] || fail "--no-defaults read ~/.my.cnf: $(ls "$T/d5")"
printf '[wharf]\nno-such-option\n' >>"$T/home/.my.cnf"
rc=0
HOME=$T/home "$WHARF_BIN" dump -o "$T/d6" -B of 2>"$T/d6.log" || rc=$?
[ "$rc" = 2 ] && grep -q "$T/home/.my.cnf:7: unknown option 'no-such-option'" "$T/d6.log" ||
    fail "~/.my.cnf with an unknown option: exit $rc: $(cat "$T/d6.log")"
HOME=$T/home "$WHARF_BIN" dump --no-defaults -S "$T/src/sock" -u root -o "$T/d7" -B of -q ||
    fail "--no-defaults did not ignore ~/.my.cnf"
ok "~/.my.cnf is read, and ignored with --no-defaults"

# --defaults-extra-file: read after the global files, with ~/.my.cnf
mkdir -p "$T/home2"
printf '[client]\nsocket = %s\nuser = root\n' "$T/src/sock" >"$T/home2/.my.cnf"
printf '[wharf-dump]\ncompress=none\n' >"$T/extra.cnf"
HOME=$T/home2 "$WHARF_BIN" dump --defaults-extra-file="$T/extra.cnf" -o "$T/d8" -B of -q ||
    fail "dump --defaults-extra-file"
[ "$(compressed "$T/d8")" = 0 ] || fail "--defaults-extra-file [wharf-dump] not read: $(ls "$T/d8")"
ok "--defaults-extra-file is read for wharf's options too"

# a password in [wharf] authenticates and is never logged
printf '[wharf]\nsocket = %s\nuser = ofu\npassword = "F1lePass"\n' "$T/src/sock" >"$T/pw.cnf"
"$WHARF_BIN" dump --defaults-file="$T/pw.cnf" -o "$T/d9" -B of -v --log-file "$T/d9.log" 2>"$T/d9.err" ||
    fail "dump with the password in [wharf]: $(cat "$T/d9.err")"
! grep -q F1lePass "$T/d9.log" "$T/d9.err" || fail "the password is in the log"
ok "a password in [wharf] authenticates and is not logged"

# [wharf] databases = of: dump's -B, and load's alias of --database (a list)
sql src -e "CREATE DATABASE other; CREATE TABLE other.x (id INT PRIMARY KEY)"
printf '[client]\nsocket = %s\nuser = root\n[wharf]\ndatabases = of\n' "$T/src/sock" >"$T/dbs.cnf"
"$WHARF_BIN" dump --defaults-file="$T/dbs.cnf" -o "$T/d10" -q || fail "dump with [wharf] databases"
! ls "$T/d10" | grep -q '^other' || fail "[wharf] databases = of dumped other too: $(ls "$T/d10")"
sed -i "s|$T/src/sock|$T/dst/sock|" "$T/dbs.cnf"
"$WHARF_BIN" load --defaults-file="$T/dbs.cnf" -d "$T/d2" --into of3 -q || fail "load with [wharf] databases"
compare_databases src of dst of3
expect_fail "load: -B nosuch next to [wharf] databases is still checked" "database .nosuch. \(named in -B\) is not in the dump" \
    "$WHARF_BIN" load --defaults-file="$T/dbs.cnf" -d "$T/d2" -B nosuch
ok "[wharf] databases = of serves dump and load (the --databases alias of load)"

# a value refused after parsing names the file and line it came from
printf '[client]\nsocket = %s\nuser = root\n[wharf-dump]\nthreads = 2\ncompress = foo\n' "$src_SOCK" >"$T/badvalue.cnf"
expect_fail "a bad value in an option file" "badvalue.cnf:6: --compress must be" \
    "$WHARF_BIN" dump --defaults-file="$T/badvalue.cnf" -o "$T/never"
"$WHARF_BIN" dump --defaults-file="$T/badvalue.cnf" -o "$T/cmdline" --compress none -q ||
    fail "the command line's --compress did not override the file's bad one"
ok "the command line overrides a bad value from a file"
