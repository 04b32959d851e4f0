# Helpers for dump tests (sourced after lib.sh): restore a wharf dump with
# another tool, so dump tests do not depend on `wharf load`.
#
#   restore_with_client SERVER DIR   load the dump DIR into SERVER with
#                                    upstream myloader 1.0.1 (built from
#                                    ../shared/peers by peers.sh, cached):
#                                    the independent reader of wharf's format
#                                    (myloader's layout, names, metadata and
#                                    statement convention).

# _dcat FILE: a possibly compressed file's content
_dcat() {
    case "$1" in
    *.zst) zstd -dcq "$1" ;;
    *.gz) gzip -dc "$1" ;;
    *) cat "$1" ;;
    esac
}

restore_with_client() {
    local srv=$1 dir=$2 ml log
    [ -f "$dir/metadata" ] || fail "$dir has no metadata file"
    ml=$("$HARNESS_DIR/peers.sh" path myloader) || fail "cannot build myloader 1.0.1 (tests/harness/peers.sh)"
    printf '[myloader]\n' >"$T/myloader.cnf"
    log=$(mktemp "$T/myloader.XXXXXX")
    timeout 300 "$ml" --defaults-file "$T/myloader.cnf" -S "$T/$srv/sock" -u root -d "$dir" -t 2 >"$log" 2>&1 ||
        { tail -20 "$log" >&2; fail "myloader 1.0.1 could not load $dir (log: $log)"; }
    # myloader names the files it does not know and leaves them: wharf's
    # accounts file is one (docs/FORMAT.md, "Accounts")
    if grep -E "CRITICAL|WARNING \*\*" "$log" | grep -v "g_key_file_get_groups" |
        grep -Ev "Filename wharf-accounts\.grants(\.zst|\.gz)? has been ignored" >&2; then
        fail "myloader 1.0.1 reported errors loading $dir (log: $log)"
    fi
}

# reset_server SERVER: drop every non-system database.
reset_server() {
    local srv=$1 db
    while IFS= read -r db; do
        [ -n "$db" ] || continue
        sql "$srv" -e "DROP DATABASE \`${db//\`/\`\`}\`"
    done < <(sql "$srv" -e "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql','sys','information_schema','performance_schema')")
}
