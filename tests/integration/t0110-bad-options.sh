#!/usr/bin/env bash
# Typos and hostile options fail at once, naming the option (issue 8):
# --where that leaves its parentheses or names a table not dumped, zero
# counts (-t 0, --rows 0, -F 0, --compress-level 0), -B/-T naming nothing of
# the dump on load, --into ''. A password given as a separate word is not
# visible in the process list. --into NEW moves triggers written with
# qualified names too.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst
sql src <<'SQL'
CREATE DATABASE bo;
CREATE TABLE bo.t (id INT PRIMARY KEY, x INT);
INSERT INTO bo.t VALUES (1, 1), (2, 5);
CREATE TABLE bo.log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(20));
CREATE TRIGGER bo.trg AFTER INSERT ON bo.t FOR EACH ROW INSERT INTO bo.log (msg) VALUES ('ins');
SQL
D=$T/d
expect_fail "--where breaking out of its parentheses" "not one expression" \
    wharf_on src dump -o "$D" --where 'bo.t:x<3) UNION SELECT 1, CONCAT(user, authentication_string) FROM mysql.user WHERE (1'
expect_fail "--where with a comment" "not one expression" wharf_on src dump -o "$D" --where 'bo.t:x<3 -- '
expect_fail "--where naming a table not dumped" "which is not a table this run selects" \
    wharf_on src dump -o "$D" -B bo --where 'bo.nosuch:x<3'
for opt in "-t 0" "--rows 0" "-F 0" "--compress gzip --compress-level 0" "--lock-wait-timeout 0"; do
    # shellcheck disable=SC2086
    expect_fail "dump $opt" "must be|out of range" wharf_on src dump -o "$D" -B bo $opt
done
wharf_on src dump -o "$D" -B bo -q || fail dump
expect_fail "load -B nosuchdb" "database .nosuchdb. \(named in -B\) is not in the dump" wharf_on dst load -d "$D" -B nosuchdb
expect_fail "load -T bo.nosuch" "table bo.nosuch \(named in -T\) is not in the dump" wharf_on dst load -d "$D" -T bo.nosuch
expect_fail "load --into ''" "--into needs a database name" wharf_on dst load -d "$D" --into ''
expect_fail "load -t 0" "must be between 1 and 1024" wharf_on dst load -d "$D" -t 0

# -p SECRET: taken as the password, and wiped from the process list
sql src -e "CREATE USER 'pw'@'localhost' IDENTIFIED BY 'S3cretWord'; GRANT ALL ON *.* TO 'pw'@'localhost'"
"$WHARF_BIN" dump --no-defaults -u pw -p S3cretWord -S "$T/src/sock" -B bo -o "$T/dpw" \
    --where 'bo.t:SLEEP(1)=0' -q &
pid=$!
sleep 0.5
args=$(tr '\0' ' ' <"/proc/$pid/cmdline" || true)
wait "$pid" || fail "dump with -p SECRET"
[[ "$args" != *S3cretWord* ]] || fail "the password is visible in the process list: $args"
ok "-p SECRET: authenticated, not visible in /proc/PID/cmdline"

# --into NEW: a trigger written with qualified names (bo.trg ON bo.t) goes to NEW
wharf_on dst load -d "$D" --into bo_new -q || fail "load --into"
[ "$(sql dst -e "SELECT EVENT_OBJECT_SCHEMA FROM information_schema.TRIGGERS WHERE TRIGGER_NAME='trg'")" = bo_new ] ||
    fail "--into: trigger not on bo_new: $(sql dst -e "SELECT TRIGGER_SCHEMA, EVENT_OBJECT_SCHEMA FROM information_schema.TRIGGERS")"
sql dst -e "INSERT INTO bo_new.t VALUES (3, 3)"
[ "$(sql dst -e 'SELECT COUNT(*) FROM bo_new.log')" = 1 ] || fail "--into: the trigger does not write into bo_new.log"
ok "--into moves a trigger written with qualified names"

# --defaults-extra-file is read in addition to the usual option files
printf '[client]\nuser=pw\npassword=S3cretWord\n' >"$T/extra.cnf"
printf '[client]\nuser=pw\npassword=wrong\n' >"$T/extra-bad.cnf"
"$WHARF_BIN" dump --defaults-extra-file="$T/extra.cnf" -S "$T/src/sock" -B bo -o "$T/dx1" -q ||
    fail "--defaults-extra-file with the right password"
expect_fail "--defaults-extra-file with a wrong password" "Access denied for user 'pw'" \
    "$WHARF_BIN" dump --defaults-extra-file="$T/extra-bad.cnf" -S "$T/src/sock" -B bo -o "$T/dx2"
ok "--defaults-extra-file is read"
