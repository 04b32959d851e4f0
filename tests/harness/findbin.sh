# shellcheck shell=bash
# harness_find_bin NAME...: the path of the first server program found, on
# PATH or in the sbin/libexec directories Debian puts servers in (sourced
# by server.sh and galera.sh).
harness_find_bin() {
    local b p
    for b in "$@"; do
        if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
        for p in /usr/sbin /usr/libexec /usr/local/sbin; do
            [ -x "$p/$b" ] && { echo "$p/$b"; return 0; }
        done
    done
    return 1
}
