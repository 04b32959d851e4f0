#!/usr/bin/env bash
# wharf dump fails cleanly on bad input: one clear error line, a non-zero
# exit, and never a `metadata` file.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
sql src -e "CREATE DATABASE app; CREATE TABLE app.t (id INT PRIMARY KEY); INSERT INTO app.t VALUES (1),(2);
            CREATE USER 'weak'@'localhost' IDENTIFIED BY 'pw'; CREATE USER 'reader'@'localhost' IDENTIFIED BY 'pw';
            GRANT SELECT ON app.* TO 'reader'@'localhost';"

no_metadata() { [ ! -e "$1/metadata" ] || fail "$2: a metadata file was left in $1"; }
one_error_line() {
    local n
    n=$(grep -c 'error:' "$1" || true)
    [ "$n" -eq 1 ] || fail "$2: expected one error line, got $n: $(cat "$1")"
}

run_fail() { # NAME PATTERN OUTDIR wharf-args...
    local name=$1 pattern=$2 out=$3; shift 3
    local rc=0
    "$WHARF_BIN" dump "$@" >"$T/$name.log" 2>&1 || rc=$?
    [ "$rc" -ne 0 ] || fail "$name: expected failure, got exit 0"
    grep -Eq -- "$pattern" "$T/$name.log" || fail "$name: output does not match /$pattern/: $(cat "$T/$name.log")"
    one_error_line "$T/$name.log" "$name"
    no_metadata "$out" "$name"
    ok "$name (exit $rc): $(grep 'error:' "$T/$name.log" | head -1)"
}

# unreachable server (nothing listens on port 1)
run_fail unreachable "cannot connect to 127.0.0.1:1.*ERROR 2002" "$T/o1" --no-defaults -h 127.0.0.1 -P 1 -u root -o "$T/o1"
[ ! -e "$T/o1" ] || fail "unreachable: output directory was created"

# wrong password
run_fail wrong-password "ERROR 1045.*Access denied" "$T/o2" --no-defaults -S "$T/src/sock" -u weak -pWRONG -o "$T/o2"

# a user with USAGE only: cannot take the backup lock
run_fail usage-only "ERROR 1227|ERROR 1044|denied" "$T/o3" --no-defaults -S "$T/src/sock" -u weak -ppw -o "$T/o3"

# SELECT but no RELOAD: the snapshot lock is refused, the message names it
run_fail no-reload "snapshot lock.*(RELOAD|denied)" "$T/o4" --no-defaults -S "$T/src/sock" -u reader -ppw -o "$T/o4"

# ... and with --lock none the same user can dump (a warning says it is not consistent)
"$WHARF_BIN" dump --no-defaults -S "$T/src/sock" -u reader -ppw -o "$T/o4b" --lock none -B app 2>"$T/o4b.log" || fail "reader with --lock none: $(cat "$T/o4b.log")"
[ -f "$T/o4b/metadata" ] || fail "reader with --lock none: no metadata"
grep -q 'warning: --lock none' "$T/o4b.log" || fail "no warning about --lock none"
ok "SELECT-only user dumps with --lock none"

# output directory not empty
mkdir -p "$T/full" && echo x >"$T/full/keep"
run_fail not-empty "not empty" "$T/full" --no-defaults -S "$T/src/sock" -u root -o "$T/full"
[ "$(ls "$T/full")" = keep ] || fail "not-empty: files were written"

# output path not writable (parent is read-only; root ignores modes, so use a file as parent)
echo x >"$T/afile"
run_fail not-writable "cannot create output directory|not a directory" "$T/afile/out" --no-defaults -S "$T/src/sock" -u root -o "$T/afile/out"

# a table named in -T that does not exist
run_fail missing-table "app.nope.*does not exist" "$T/o6" --no-defaults -S "$T/src/sock" -u root -o "$T/o6" -T app.nope

# a --where that the server rejects: the error names the table
run_fail bad-where "table \`app\`.\`t\`.*ERROR 1054" "$T/o7" --no-defaults -S "$T/src/sock" -u root -o "$T/o7" --where 'app.t:nosuchcol > 1'

# usage errors exit 2
rc=0; "$WHARF_BIN" dump --no-defaults -S "$T/src/sock" -o "$T/o8" --format xml 2>"$T/u.log" || rc=$?
[ "$rc" -eq 2 ] || fail "bad --format: exit $rc"
grep -q "format must be sql or tsv" "$T/u.log" || fail "bad --format message: $(cat "$T/u.log")"
rc=0; "$WHARF_BIN" dump --no-defaults -S "$T/src/sock" 2>"$T/u2.log" || rc=$?
[ "$rc" -eq 2 ] && grep -q "outputdir is required" "$T/u2.log" || fail "missing -o: exit $rc $(cat "$T/u2.log")"
ok "usage errors exit 2"
