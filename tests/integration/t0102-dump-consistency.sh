#!/usr/bin/env bash
# wharf dump reads every table from one snapshot: while the dump runs, a
# writer keeps moving money between accounts in different tables, one
# transaction per move. The dumped total must equal the invariant, with the
# default lock, with FTWRL, and with many snapshot sessions (a table budget
# of 1 makes workers hop between sessions).
. "$(dirname "$0")/../harness/lib.sh"
. "$(dirname "$0")/../harness/dumplib.sh"

start_server src
start_server dst
ROWS=20000
sql src <<SQL
CREATE DATABASE bank;
USE bank;
CREATE TABLE moves (id INT PRIMARY KEY, n BIGINT NOT NULL, stop INT NOT NULL DEFAULT 0);
INSERT INTO moves VALUES (1, 0, 0);
CREATE TABLE acct1 (id INT PRIMARY KEY, bal BIGINT NOT NULL, pad CHAR(100) NOT NULL DEFAULT '');
INSERT INTO acct1 (id, bal) SELECT seq, 100 FROM seq_1_to_$ROWS;
CREATE TABLE acct2 LIKE acct1; INSERT INTO acct2 SELECT * FROM acct1;
CREATE TABLE acct3 LIKE acct1; INSERT INTO acct3 SELECT * FROM acct1;
CREATE TABLE acct4 LIKE acct1; INSERT INTO acct4 SELECT * FROM acct1;
ANALYZE TABLE acct1, acct2, acct3, acct4;
DELIMITER //
CREATE PROCEDURE mover()
BEGIN
  DECLARE s INT DEFAULT 0;
  DECLARE a, b, x, y INT;
  WHILE s = 0 DO
    SET a = FLOOR(1 + RAND() * 4), b = FLOOR(1 + RAND() * 4);
    SET x = FLOOR(1 + RAND() * $ROWS), y = FLOOR(1 + RAND() * $ROWS);
    START TRANSACTION;
    CASE a WHEN 1 THEN UPDATE acct1 SET bal = bal - 7 WHERE id = x;
           WHEN 2 THEN UPDATE acct2 SET bal = bal - 7 WHERE id = x;
           WHEN 3 THEN UPDATE acct3 SET bal = bal - 7 WHERE id = x;
           ELSE UPDATE acct4 SET bal = bal - 7 WHERE id = x; END CASE;
    CASE b WHEN 1 THEN UPDATE acct1 SET bal = bal + 7 WHERE id = y;
           WHEN 2 THEN UPDATE acct2 SET bal = bal + 7 WHERE id = y;
           WHEN 3 THEN UPDATE acct3 SET bal = bal + 7 WHERE id = y;
           ELSE UPDATE acct4 SET bal = bal + 7 WHERE id = y; END CASE;
    UPDATE moves SET n = n + 1 WHERE id = 1;
    COMMIT;
    SELECT stop INTO s FROM moves WHERE id = 1;
  END WHILE;
END//
DELIMITER ;
SQL
TOTAL=$((4 * ROWS * 100))

total_of() { sql "$1" -e "SELECT (SELECT SUM(bal) FROM bank.acct1) + (SELECT SUM(bal) FROM bank.acct2) + (SELECT SUM(bal) FROM bank.acct3) + (SELECT SUM(bal) FROM bank.acct4)"; }
moves() { sql src -e "SELECT n FROM bank.moves"; }

run_case() { # NAME wharf-args...
    local name=$1; shift
    sql src -e "UPDATE bank.moves SET stop = 0"
    sql src -e "CALL bank.mover()" &
    local writer=$!
    sleep 1
    local before after
    before=$(moves)
    local out=$T/dump-$name
    wharf_on src dump -o "$out" -B bank -t 4 --rows 1000 --compress none "$@" 2>"$T/$name.log" ||
        { sql src -e "UPDATE bank.moves SET stop = 1"; wait "$writer"; fail "$name: dump failed: $(cat "$T/$name.log")"; }
    after=$(moves)
    sql src -e "UPDATE bank.moves SET stop = 1"
    wait "$writer"
    [ "$after" -gt "$before" ] || fail "$name: the writer made no progress during the dump ($before -> $after)"
    [ "$(ls "$out"/bank.acct1.[0-9]*.sql | wc -l)" -ge 10 ] || fail "$name: acct1 was not chunked"
    reset_server dst
    restore_with_client dst "$out"
    local got
    got=$(total_of dst)
    [ "$got" = "$TOTAL" ] || fail "$name: dumped total is $got, invariant is $TOTAL ($((after - before)) moves during the dump)"
    [ "$(total_of src)" = "$TOTAL" ] || fail "$name: source total broken (test bug)"
    grep -q '^commit-block-ms=' "$out/metadata" || fail "$name: no commit-block-ms"
    grep -q '^Position=' "$out/metadata" || fail "$name: no binlog position"
    ok "$name: total $got = invariant while $((after - before)) transfers committed during the dump ($(grep '^lock=' "$out/metadata"))"
}

run_case default
run_case ftwrl --lock ftwrl
run_case budget1 --snapshot-table-budget 1 -v
grep -q 'moving to session' "$T/budget1.log" || fail "budget1: workers did not move between snapshot sessions: $(grep -i session "$T/budget1.log")"
ok "budget1: workers moved between snapshot sessions"
