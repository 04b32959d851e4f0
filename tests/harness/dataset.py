#!/usr/bin/env python3
"""dataset.py: one of bench/run's generated datasets, created on a test's
server (the generator itself, not a copy of it).

    dataset.py many N SOCKET_DIR [SEED]

SOCKET_DIR is a server directory of tests/harness/server.sh (its socket is
SOCKET_DIR/sock): the `many` dataset of N tables (six table shapes, every
25th table a foreign-key child of the one before, views, triggers, a
function and a procedure) is created there as database bench_many.
"""
import importlib.machinery
import importlib.util
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_loader = importlib.machinery.SourceFileLoader("bench_run", os.path.join(ROOT, "bench", "run"))
_spec = importlib.util.spec_from_loader("bench_run", _loader)
br = importlib.util.module_from_spec(_spec)
_loader.exec_module(br)


def main():
    kind, n, sdir = sys.argv[1], int(sys.argv[2]), os.path.abspath(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 42
    if kind != "many":
        sys.exit("dataset.py: only the many dataset")
    src = br.Server(os.path.basename(sdir), os.path.dirname(sdir))  # started by the test, never stopped here
    br.create_dataset(br.many_dataset(n, seed), src, 2, os.path.dirname(sdir))


if __name__ == "__main__":
    main()
