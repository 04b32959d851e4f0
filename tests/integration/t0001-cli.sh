#!/usr/bin/env bash
# The binary answers --version/--help and rejects unknown commands and options.
. "$(dirname "$0")/../harness/lib.sh"

grep -q '^wharf ' <<<"$("$WHARF_BIN" --version)" || fail "--version"
ok "--version"
grep -q 'dump' <<<"$("$WHARF_BIN" --help)" || fail "--help lists dump"
ok "--help"
expect_fail "unknown command" "unknown command" "$WHARF_BIN" frobnicate
