#!/usr/bin/env bash
# Build the peer tools (upstream mydumper/myloader 1.0.1) for the benchmark
# and the compatibility tests, outside the checkout, once per tarball.
#
#   peers.sh path mydumper|myloader   print the binary's absolute path,
#                                     building first if needed
#   peers.sh build                    build if needed, print the build dir
#   peers.sh src                      print the extracted source dir
#                                     (building first if needed)
#
# Source: $(repo)/../shared/peers/mydumper-1.0.1-3.tar.gz, or the file named
# by WHARF_PEERS_TARBALL. Cache: ${WHARF_PEERS_CACHE:-/var/cache/wharf-peers},
# or $HOME/.cache/wharf-peers when that is not writable; one subdirectory per
# sha256 of the tarball, so a rebuild happens only when the tarball changes.
# Build output goes to <cache>/<sha256>.log, shown only on failure. Missing
# build packages are installed with apt-get (as root, or through sudo).
# Concurrent callers are serialised with flock on <cache>/lock; a build is
# marked complete by <cache>/<sha256>/ok, written last, so a caller never
# uses a half-built tree (an interrupted build is redone from scratch).
set -euo pipefail

HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$HARNESS_DIR/../.." && pwd)
TARBALL=${WHARF_PEERS_TARBALL:-$REPO_DIR/../shared/peers/mydumper-1.0.1-3.tar.gz}
# Debian packages the build needs. The README names libpcre3-dev; the 1.0.1
# sources actually include <pcre2.h>, hence libpcre2-dev too.
DEPS=(cmake pkg-config libglib2.0-dev libmariadb-dev libpcre3-dev libpcre2-dev
      libssl-dev zlib1g-dev libzstd-dev)

die() { echo "peers.sh: $*" >&2; exit 1; }

usage() {
    echo "usage: peers.sh path mydumper|myloader | build | src" >&2
    exit 2
}

# cache_root: the first writable cache directory.
cache_root() {
    local d
    for d in "${WHARF_PEERS_CACHE:-/var/cache/wharf-peers}" "${HOME:-/nonexistent}/.cache/wharf-peers"; do
        if mkdir -p "$d" 2>/dev/null && [ -w "$d" ] && [ -x "$d" ]; then
            (cd "$d" && pwd)
            return 0
        fi
    done
    die "no writable cache directory (tried ${WHARF_PEERS_CACHE:-/var/cache/wharf-peers} and \$HOME/.cache/wharf-peers)"
}

# install_deps LOG: install the missing build packages, output to LOG.
install_deps() {
    local missing=() p
    for p in "${DEPS[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || missing+=(build-essential)
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${missing[*]}"
        sudo=(sudo)
    fi
    echo "peers.sh: installing ${missing[*]}" >&2
    local log=$1
    export DEBIAN_FRONTEND=noninteractive
    if ! { "${sudo[@]}" apt-get update -qq &&
           "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        cat "$log" >&2
        die "installing ${missing[*]} failed (log $log)"
    fi
}

# build_into DIR: extract the tarball into DIR/src and build in DIR/build.
# (Called in an `if`, where set -e does not apply: every step is checked.)
build_into() {
    local dir=$1
    mkdir -p "$dir/src" || return 1
    tar -xzf "$TARBALL" -C "$dir/src" || return 1
    [ -f "$dir/src/mydumper/CMakeLists.txt" ] || { echo "tarball has no mydumper/CMakeLists.txt"; return 1; }
    cmake -S "$dir/src/mydumper" -B "$dir/build" -DCMAKE_BUILD_TYPE=Release || return 1
    cmake --build "$dir/build" -j2 || return 1
    "$dir/build/mydumper" --version || return 1
    "$dir/build/myloader" --version || return 1
}

# ensure_built: print the final directory of a complete build.
ensure_built() {
    [ -f "$TARBALL" ] || die "tarball not found: $TARBALL"
    local root sha final log lockfd
    sha=$(sha256sum "$TARBALL" | cut -d' ' -f1)
    # Fast path: a finished build (even in a cache we cannot write) is
    # complete by construction.
    for root in "${WHARF_PEERS_CACHE:-/var/cache/wharf-peers}" "${HOME:-/nonexistent}/.cache/wharf-peers"; do
        if [ -f "$root/$sha/ok" ]; then (cd "$root/$sha" && pwd); return 0; fi
    done
    root=$(cache_root)
    final=$root/$sha
    exec {lockfd}>"$root/lock"
    flock "$lockfd"
    if [ ! -f "$final/ok" ]; then
        log=$root/$sha.log
        install_deps "$root/apt.log"
        # Built in place (the CMake cache holds absolute paths); leftovers of
        # an interrupted build are removed first.
        rm -rf "$final"
        if ! build_into "$final" >"$log" 2>&1; then
            rm -rf "$final"
            echo "peers.sh: build of $TARBALL failed; log $log:" >&2
            cat "$log" >&2
            exit 1
        fi
        printf '%s\n' "$sha" >"$final/ok"
    fi
    flock -u "$lockfd"
    exec {lockfd}>&-
    echo "$final"
}

cmd=${1:-}
case "$cmd" in
path)
    name=${2:-}
    case "$name" in mydumper|myloader) ;; *) usage ;; esac
    dir=$(ensure_built)
    [ -x "$dir/build/$name" ] || die "$dir/build/$name missing"
    echo "$dir/build/$name"
    ;;
build)
    dir=$(ensure_built)
    echo "$dir/build"
    ;;
src)
    dir=$(ensure_built)
    echo "$dir/src/mydumper"
    ;;
*) usage ;;
esac
