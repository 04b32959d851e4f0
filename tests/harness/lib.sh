# Shell library for integration tests (sourced by tests/integration/t*.sh).
#
# Each test script sources this file, which:
#   - creates a private temp dir ($T) removed on exit,
#   - starts throwaway MariaDB servers on demand (start_server NAME),
#     stopped on exit whatever happens,
#   - provides sql/wharf helpers and compare_databases, which proves a
#     restore by comparing every table's row count and content checksum.
# Tests never skip for lack of a server: server.sh fails loudly instead.
set -euo pipefail

HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WHARF_SOURCE_DIR=${WHARF_SOURCE_DIR:-$(cd "$HARNESS_DIR/../.." && pwd)}
WHARF_BIN=${WHARF_BIN:-$WHARF_SOURCE_DIR/build/wharf}
T=$(mktemp -d "${TMPDIR:-/tmp}/wharf-test.XXXXXX")
_servers=()
_cleanup_hooks=() # functions a helper (harness/s3.sh) runs on exit

_cleanup() {
    local rc=$?
    for h in "${_cleanup_hooks[@]}"; do "$h" >/dev/null 2>&1 || true; done
    for s in "${_servers[@]}"; do "$HARNESS_DIR/server.sh" stop "$s" >/dev/null 2>&1 || true; done
    if [ "$rc" -eq 0 ] && [ -z "${WHARF_KEEP_TMP:-}" ]; then rm -rf "$T"; else echo "test files kept in $T" >&2; fi
    exit "$rc"
}
trap _cleanup EXIT

# start_server NAME: start a server in $T/NAME; sets NAME_SOCK, NAME_PORT.
start_server() {
    local name=$1
    "$HARNESS_DIR/server.sh" start "$T/$name" >/dev/null
    _servers+=("$T/$name")
    # shellcheck disable=SC1090
    . "$T/$name/env"
    printf -v "${name}_SOCK" '%s' "$WHARF_TEST_SOCKET"
    printf -v "${name}_PORT" '%s' "$WHARF_TEST_PORT"
}

# sql NAME [client args...]: run the mariadb client against server NAME.
sql() {
    local name=$1; shift
    mariadb --no-defaults -uroot -S "$T/$name/sock" --batch --skip-column-names "$@"
}

# wharf_on NAME SUBCOMMAND [args...]: run wharf against server NAME.
wharf_on() {
    local name=$1 sub=$2; shift 2
    "$WHARF_BIN" "$sub" --no-defaults -u root -S "$T/$name/sock" "$@"
}

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# expect_fail DESCRIPTION PATTERN cmd...: the command must exit non-zero and
# its stderr must match PATTERN (extended regex).
expect_fail() {
    local what=$1 pattern=$2; shift 2
    local out rc=0
    out=$("$@" 2>&1) || rc=$?
    [ "$rc" -ne 0 ] || fail "$what: expected failure, got exit 0"
    grep -Eq -- "$pattern" <<<"$out" || fail "$what: output does not match /$pattern/: $out"
    ok "$what (exit $rc)"
}

# table_fingerprint SERVER DB TABLE: "rows checksum" of one table: COUNT(*)
# and CHECKSUM TABLE ... EXTENDED (computed by the server over every column
# of every row, so two tables with the same definition and the same content
# have the same checksum).
table_fingerprint() {
    local srv=$1 db=$2 tb=$3 qdb qtb
    qdb=${db//\`/\`\`}; qtb=${tb//\`/\`\`}
    local cnt ck
    cnt=$(sql "$srv" -e "SELECT COUNT(*) FROM \`$qdb\`.\`$qtb\`")
    ck=$(sql "$srv" -e "CHECKSUM TABLE \`$qdb\`.\`$qtb\` EXTENDED" | awk -F'\t' '{print $NF}')
    echo "$cnt $ck"
}

# compare_databases SRC_SERVER SRC_DB DST_SERVER DST_DB: every base table of
# the source exists in the target with the same row count and content
# checksum (and the target has no extra tables).
compare_databases() {
    local s=$1 sdb=$2 d=$3 ddb=$4 n=0
    local stables dtables
    stables=$(sql "$s" -e "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='$sdb' AND TABLE_TYPE IN ('BASE TABLE','SEQUENCE') ORDER BY 1")
    dtables=$(sql "$d" -e "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='$ddb' AND TABLE_TYPE IN ('BASE TABLE','SEQUENCE') ORDER BY 1")
    [ "$stables" = "$dtables" ] || fail "table lists differ between $s.$sdb and $d.$ddb: $(diff <(echo "$stables") <(echo "$dtables") | head -5)"
    while IFS= read -r tb; do
        [ -n "$tb" ] || continue
        local a b
        a=$(table_fingerprint "$s" "$sdb" "$tb")
        b=$(table_fingerprint "$d" "$ddb" "$tb")
        [ "$a" = "$b" ] || fail "table $sdb.$tb differs: source [$a] target [$b]"
        n=$((n + 1))
    done <<<"$stables"
    ok "compared $n tables of $sdb: row counts and checksums equal"
}

# compare_full (every object and row of a database) and list_catalog_objects
. "$HARNESS_DIR/compare.sh"
