#!/usr/bin/env bash
# Streams between wharf and mydumper/myloader 1.0.1 (tests/harness/peers.sh),
# both ways, on a small database with every object kind (tables with a
# foreign key and several chunks, a row with id 0 under
# NO_AUTO_VALUE_ON_ZERO, a view, a trigger, a function, a procedure, an
# event, a sequence, a table whose file name is mapped), each target compared with the source (compare_full):
#   wharf dump -o - [--compress zstd|none] [--format tsv] | myloader --stream
#   mydumper --stream [-c]                  | wharf load -d -
. "$(dirname "$0")/../harness/lib.sh"

MD=$("$HARNESS_DIR/peers.sh" path mydumper) || fail "cannot build mydumper 1.0.1"
ML=$("$HARNESS_DIR/peers.sh" path myloader) || fail "cannot build myloader 1.0.1"
printf '[mydumper]\n[myloader]\n' >"$T/peer.cnf"
failures=()
failed() { echo "FAILED: $*" >&2; failures+=("$*"); }

start_server src
start_server dst
sql src <<'SQL' >/dev/null || fail "creating the source database"
SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO,STRICT_TRANS_TABLES';
CREATE DATABASE shop;
USE shop;
CREATE TABLE customers (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(50) NOT NULL, note TEXT, KEY (name));
CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2), created DATETIME,
                     payload BLOB, FOREIGN KEY (customer_id) REFERENCES customers (id));
INSERT INTO customers VALUES (0, 'zero', 'id 0 stays 0 only under NO_AUTO_VALUE_ON_ZERO');
INSERT INTO customers (name, note) SELECT CONCAT('c', seq), IF(seq % 7 = 0, NULL, REPEAT('x\n-- y 1\n', seq % 5))
  FROM seq_1_to_300;
INSERT INTO orders SELECT seq, seq % 301, seq / 7, '2026-01-01' + INTERVAL seq MINUTE, UNHEX(MD5(seq))
  FROM seq_1_to_3000;
CREATE VIEW v_totals AS SELECT customer_id, SUM(total) AS total FROM orders GROUP BY customer_id;
CREATE TRIGGER orders_total BEFORE INSERT ON orders FOR EACH ROW SET NEW.total = IFNULL(NEW.total, 0);
CREATE FUNCTION f_double(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
CREATE PROCEDURE p_count() SELECT COUNT(*) FROM orders;
CREATE EVENT ev_purge ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM orders WHERE id < 0;
CREATE SEQUENCE seq_ids START WITH 100 INCREMENT BY 5;
CREATE TABLE `odd.name` (id INT PRIMARY KEY, v VARCHAR(10));
INSERT INTO `odd.name` VALUES (1, 'a'), (2, 'b');
SELECT NEXTVAL(seq_ids);
SQL
reset_dst() { sql dst -e "SET foreign_key_checks = 0; DROP DATABASE IF EXISTS shop"; }

# wharf -> myloader --stream
for round in zstd:sql none:sql zstd:tsv; do
    compress=${round%%:*} format=${round#*:}
    what="wharf dump -o - --compress $compress --format $format | myloader --stream"
    reset_dst
    set +e
    wharf_on src dump -o - -t 2 --rows 500 --compress "$compress" --format "$format" -B shop 2>"$T/w-$round.log" |
        ( cd "$T" && timeout 120 "$ML" --defaults-file "$T/peer.cnf" -S "$T/dst/sock" -u root --stream -t 2 -v 3 \
            >"$T/ml-$round.log" 2>&1 )   # (its spool, import-DATE, goes to the cwd)
    rcs=("${PIPESTATUS[@]}")
    set -e
    [ "${rcs[0]}" = 0 ] || failed "$what: wharf exit ${rcs[0]}: $(grep error "$T/w-$round.log" | head -3)"
    [ "${rcs[1]}" = 0 ] || failed "$what: myloader exit ${rcs[1]}: $(grep -m3 -E 'CRITICAL|ERROR' "$T/ml-$round.log")"
    ( compare_full src shop dst shop ) || failed "$what: shop differs from the source"
done

# mydumper --stream -> wharf. What mydumper's format does not carry (as in
# t0302): an object's own sql_mode and an event's time_zone.
why="mydumper keeps no object's sql_mode: it is created under the dump's session sql_mode"
COMPARE_KNOWN=$(for a in ROUTINES.SQL_MODE "SHOW CREATE FUNCTION.sql_mode" "SHOW CREATE PROCEDURE.sql_mode" \
    TRIGGERS.SQL_MODE "SHOW CREATE TRIGGER.sql_mode" EVENTS.SQL_MODE "SHOW CREATE EVENT.sql_mode"; do
    echo "*|$a|$why"; done)
COMPARE_KNOWN+=$'\n*|EVENTS.TIME_ZONE|mydumper keeps no event time_zone\n*|SHOW CREATE EVENT.time_zone|mydumper keeps no event time_zone'
export COMPARE_KNOWN
for comp in "" "-c"; do
    what="mydumper --stream ${comp:+$comp }| wharf load -d -"
    reset_dst
    set +e
    # shellcheck disable=SC2086
    timeout 120 "$MD" --defaults-file "$T/peer.cnf" -S "$T/src/sock" -u root -B shop -G -E -R -r 500 \
        --stream $comp 2>"$T/md$comp.log" | tee "$T/md$comp.stream" |
        wharf_on dst load -d - -t 2 >"$T/wl$comp.log" 2>&1
    rcs=("${PIPESTATUS[@]}")
    set -e
    [ "${rcs[0]}" = 0 ] || failed "$what: mydumper exit ${rcs[0]}: $(tail -3 "$T/md$comp.log")"
    [ "${rcs[2]}" = 0 ] || failed "$what: wharf exit ${rcs[2]}: $(grep -E 'error|incomplete' "$T/wl$comp.log" | head -5)"
    frames=$(grep -ac -- '^-- [^ ]* [0-9]*$' "$T/md$comp.stream" || true)
    data=$(grep -aEc -- '^-- shop\.orders\.[0-9]+\.sql(\.zst|\.gz)? [0-9]+$' "$T/md$comp.stream" || true)
    [ "$data" -ge 2 ] || failed "$what: expected several orders chunks, the stream has $data (of $frames frames)"
    ( compare_full src shop dst shop ) || failed "$what: shop differs from the source"
done

if [ "${#failures[@]}" -gt 0 ]; then
    printf '  %.300s\n' "${failures[@]}" >&2
    fail "${#failures[@]} stream failures with mydumper/myloader 1.0.1"
fi
ok "streams with mydumper/myloader 1.0.1, both ways: the database is identical"
