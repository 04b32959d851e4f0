# Helpers for dump tests (sourced after lib.sh): restore a wharf dump with
# the mariadb client alone, so dump tests do not depend on `wharf load`.
#
#   restore_with_client SERVER DIR   load every file of the dump DIR into
#                                    SERVER: schema-create, table schemas,
#                                    views (retried until their dependencies
#                                    exist), data (.sql INSERT files, or the
#                                    LOAD DATA twin of .dat files), then
#                                    triggers and routines.
#   dump_name_decode ENC             a file-name part back to the real name.

dump_name_decode() { local s=${1//%/\\x}; printf '%b' "$s"; }

# cat a possibly compressed file
_dcat() {
    case "$1" in
    *.zst) zstd -dcq "$1" ;;
    *.gz) gzip -dc "$1" ;;
    *) cat "$1" ;;
    esac
}

_strip_z() { local f=${1%.zst}; echo "${f%.gz}"; }

# _load SERVER DB FILE
_load() {
    local srv=$1 db=$2 f=$3
    _dcat "$f" | sql "$srv" --binary-mode -D "$db" || fail "loading $(basename "$f") into $srv"
}

restore_with_client() {
    local srv=$1 dir=$2 f base db tb
    [ -f "$dir/metadata" ] || fail "$dir has no metadata file"
    for f in "$dir"/*-schema-create.sql*; do
        [ -e "$f" ] || continue
        _dcat "$f" | sql "$srv" --binary-mode || fail "loading $(basename "$f")"
    done
    for f in "$dir"/*-schema.sql*; do
        [ -e "$f" ] || continue
        base=$(basename "$(_strip_z "$f")" -schema.sql)
        db=$(dump_name_decode "${base%%.*}")
        _load "$srv" "$db" "$f"
    done
    local pending=() left tries=0
    for f in "$dir"/*-schema-view.sql*; do [ -e "$f" ] && pending+=("$f"); done
    while [ ${#pending[@]} -gt 0 ]; do
        left=()
        for f in "${pending[@]}"; do
            base=$(basename "$(_strip_z "$f")" -schema-view.sql)
            db=$(dump_name_decode "${base%%.*}")
            _dcat "$f" | sql "$srv" --binary-mode -D "$db" 2>/dev/null || left+=("$f")
        done
        tries=$((tries + 1))
        [ "$tries" -lt 20 ] || fail "views do not load: ${left[*]}"
        pending=("${left[@]+"${left[@]}"}")
    done
    local tmp
    tmp=$(mktemp -d "$T/restore.XXXXXX")
    for f in "$dir"/*.[0-9][0-9][0-9][0-9][0-9].sql*; do
        [ -e "$f" ] || continue
        base=$(basename "$(_strip_z "$f")")
        db=$(dump_name_decode "${base%%.*}")
        local dat
        dat=$(ls "$dir/${base%.sql}".dat* 2>/dev/null || true)
        if [ -n "$dat" ]; then
            _dcat "$dat" >"$tmp/${base%.sql}.dat"
            (cd "$tmp" && _dcat "$f" | sql "$srv" --local-infile=1 --binary-mode -D "$db") ||
                fail "LOAD DATA of $(basename "$dat")"
            rm -f "$tmp/${base%.sql}.dat"
        else
            _load "$srv" "$db" "$f"
        fi
    done
    for f in "$dir"/*-schema-triggers.sql*; do
        [ -e "$f" ] || continue
        base=$(basename "$(_strip_z "$f")" -schema-triggers.sql)
        _load "$srv" "$(dump_name_decode "${base%%.*}")" "$f"
    done
    for f in "$dir"/*-schema-post.sql*; do
        [ -e "$f" ] || continue
        base=$(basename "$(_strip_z "$f")" -schema-post.sql)
        _load "$srv" "$(dump_name_decode "$base")" "$f"
    done
}

# reset_server SERVER: drop every non-system database.
reset_server() {
    local srv=$1 db
    while IFS= read -r db; do
        [ -n "$db" ] || continue
        sql "$srv" -e "DROP DATABASE \`${db//\`/\`\`}\`"
    done < <(sql "$srv" -e "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql','sys','information_schema','performance_schema')")
}
