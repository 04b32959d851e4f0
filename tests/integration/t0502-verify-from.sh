#!/usr/bin/env bash
# wharf verify --from-*: after a copy, the source (read at a snapshot, its
# rows checksummed, not kept) and the target compared chunk by chunk; a
# changed, a deleted and an added row on the target are each found, named
# by table and key range.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst
sql src <<'SQL'
CREATE DATABASE vf;
USE vf;
CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20), d DOUBLE, b BLOB);
INSERT INTO t SELECT seq, CONCAT('v', seq), seq / 7, UNHEX(HEX(seq)) FROM seq_1_to_30000;
CREATE TABLE nokey (a INT, b VARCHAR(10));
INSERT INTO nokey VALUES (1,'x'),(2,NULL),(2,NULL);
CREATE VIEW v AS SELECT id FROM t;
SQL
wharf_on src copy -B vf --to-socket "$dst_SOCK" --to-user root -t 2 -q || fail "copy"

vfrom() { wharf_on dst verify --from-socket "$src_SOCK" --from-user root -B vf -t 2 -r 5000 "$@"; }
vfrom >"$T/ok.log" 2>&1 || fail "verify --from after a copy: $(grep -E 'error|differ' "$T/ok.log" | head -5)"
ok "verify --from: the copy equals the source"

sql dst -e "UPDATE vf.t SET v = 'changed' WHERE id = 12345"
expect_fail "a changed value" "vf.*t.*12345|t.*chunk|differ" vfrom
sql dst -e "UPDATE vf.t SET v = 'v12345' WHERE id = 12345; DELETE FROM vf.t WHERE id = 29999"
expect_fail "a deleted row" "vf.*t.*(rows|differ)" vfrom
sql dst -e "INSERT INTO vf.t VALUES (29999, 'v29999', 29999/7, UNHEX(HEX(29999))); INSERT INTO vf.nokey VALUES (3, 'y')"
expect_fail "an added row in a table without a key" "nokey" vfrom
sql dst -e "DELETE FROM vf.nokey WHERE a = 3"
vfrom -q || fail "verify --from after the repairs"
ok "verify --from finds each difference and passes again once repaired"
