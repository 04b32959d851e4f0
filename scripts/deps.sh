#!/usr/bin/env bash
# Install what wharf needs to build and test on Debian (bookworm), if missing.
# Runs apt-get as root, or through sudo when not root.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libglib2.0-dev libmariadb-dev libzstd-dev zlib1g-dev
      libjson-glib-dev libxxhash-dev libcurl4-openssl-dev
      mariadb-server mariadb-client python3 zstd gzip mydumper
      python3-botocore          # tests/harness/sigv4proxy.py: signatures checked as AWS does
      galera-4 mariadb-backup socat iproute2   # tests/harness/galera.sh: the provider, SST by mariabackup over socat (ss)
      dpkg-dev file man-db groff-base)   # cpack -G DEB (dpkg-shlibdeps, file) and man(1), for t0002
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# tests/harness/s3.sh runs s3rver (npm) on node; a node that came with its
# own npm (not Debian's) is kept as it is.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps.sh: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The distribution's own server must not hold the default port/socket; our
# harness starts private servers, so the packaged service is not needed.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet mariadb 2>/dev/null; then
    $SUDO systemctl stop mariadb || true
fi
