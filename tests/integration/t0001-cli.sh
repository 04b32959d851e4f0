#!/usr/bin/env bash
# The binary answers --version/--help and rejects unknown commands and options.
. "$(dirname "$0")/../harness/lib.sh"

"$WHARF_BIN" --version | grep -q '^wharf ' || fail "--version"
ok "--version"
"$WHARF_BIN" --help | grep -q 'dump' || fail "--help lists dump"
ok "--help"
expect_fail "unknown command" "unknown command" "$WHARF_BIN" frobnicate
