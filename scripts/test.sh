#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: install dependencies, build,
# run unit and integration tests (each integration test starts its own
# throwaway MariaDB server). Usage: scripts/test.sh [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
