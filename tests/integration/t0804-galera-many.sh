#!/usr/bin/env bash
# bench/run's `many` dataset, at 400 tables (six shapes, foreign-key
# children, views, triggers, a function and a procedure; the bench runs the
# full 6,111 in bench/galera), dumped and loaded into node 1 of a 3-node
# Galera cluster with 4 threads: hundreds of schema jobs through the gate
# among the chunks. Every node is compared in full with the source.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/galera.sh"

start_server src
python3 "$HARNESS_DIR/dataset.py" many 400 "$T/src" || fail "creating the many dataset"
wharf_on src dump -B bench_many -o "$T/d" -q || fail "dump"
start_galera 3
out=$(wharf_on galera1 load -d "$T/d" -t 4 2>&1) || fail "load into node 1: $(grep error <<<"$out" | head -5)"
grep -q "load complete" <<<"$out" || fail "no completion line: $(tail -2 <<<"$out")"
galera_wait_synced 3
for k in 1 2 3; do compare_full src bench_many "galera$k" bench_many; done
ok "400 tables of the many dataset on every node of the cluster"
