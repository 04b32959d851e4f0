#!/usr/bin/env bash
# load --replica-setup: dump a source while a writer inserts rows, load with
# --replica-setup=apply; once the writer stops the target catches up and
# equals the source (full comparison). Also from a dump taken on a replica
# of that source (--replica-of=upstream). print shows the statements with
# the password masked.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
WHARF_SERVER_OPTS="--server-id=2 --log-slave-updates" start_server rep
WHARF_SERVER_OPTS="--server-id=3" start_server dst
WHARF_SERVER_OPTS="--server-id=4" start_server dst2

sql src <<'SQL'
CREATE USER 'repl'@'%' IDENTIFIED BY 'rpw';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
CREATE DATABASE rp;
USE rp;
CREATE TABLE rp.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40), at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6));
INSERT INTO rp.t (v) SELECT CONCAT('seed', seq) FROM seq_1_to_5000;
SQL
# a replica of the source, from the beginning of its binary log
sql rep -e "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$src_PORT, MASTER_USER='repl', MASTER_PASSWORD='rpw', MASTER_USE_GTID=slave_pos; START SLAVE"
caught_up() { # caught_up SERVER: it has applied everything the source has written
    local gtid
    gtid=$(sql src -e "SELECT @@gtid_binlog_pos")
    [ "$(sql "$1" -e "SELECT MASTER_GTID_WAIT('$gtid', 60)")" = 0 ] || fail "$1 did not catch up with $gtid: $(sql "$1" -e 'SHOW SLAVE STATUS\G' | grep -E 'Running|Error' | head -6)"
}
caught_up rep

writer() { for i in $(seq 100000); do sql src -e "INSERT INTO rp.t (v) VALUES ('w$i')" || return; done; }
writer & W=$!
sleep 1
wharf_on src dump -o "$T/d1" -B rp -q || fail "dump of the source under writes"
wharf_on rep dump -o "$T/d2" -B rp -q || fail "dump of the replica under writes"
sleep 1
kill "$W" 2>/dev/null; wait "$W" 2>/dev/null || true

dumped=$(grep -A20 '^\[`rp`.`t`\]' "$T/d1/metadata" | grep -m1 '^rows' | tr -dc 0-9)
final=$(sql src -e "SELECT COUNT(*) FROM rp.t")
[ "$dumped" -gt 5000 ] && [ "$final" -gt "$dumped" ] || fail "the writer did not write during and after the dump ($dumped dumped, $final in the end)"
ok "the dump holds $dumped rows; the source has $final after the writer stopped"

# print: the statements, the password masked
out=$(wharf_on dst load -d "$T/d1" --replica-setup=print --source-host=127.0.0.1 --source-port="$src_PORT" \
    --source-user=repl --source-password=rpw -q) || fail "--replica-setup=print"
grep -q "SET GLOBAL gtid_slave_pos = '0-1-" <<<"$out" || fail "print: no gtid_slave_pos: $out"
grep -q "MASTER_PASSWORD='\*\*\*'" <<<"$out" || fail "print: the password is not masked: $out"
! grep -q rpw <<<"$out" || fail "print shows the password"
ok "--replica-setup=print: $(grep -c . <<<"$out") statements, password masked"
sql dst -e "DROP DATABASE rp"

# apply, from the source's own dump
wharf_on dst load -d "$T/d1" --replica-setup=apply --source-host=127.0.0.1 --source-port="$src_PORT" \
    --source-user=repl --source-password=rpw 2>"$T/apply.log" || fail "--replica-setup=apply: $(grep error "$T/apply.log")"
grep -q "replica-setup: START SLAVE" "$T/apply.log" || fail "apply did not start the replica"
caught_up dst
compare_full src rp dst rp
ok "a replica from the source's dump caught up and equals the source"

# apply, from the replica's dump, replicating from the replica's own source
wharf_on dst2 load -d "$T/d2" --replica-setup=apply --replica-of=upstream --source-user=repl --source-password=rpw \
    2>"$T/apply2.log" || fail "--replica-of=upstream: $(grep error "$T/apply2.log")"
grep -q "MASTER_PORT=$src_PORT" "$T/apply2.log" || fail "the upstream's port was not taken from the dump: $(grep replica-setup "$T/apply2.log")"
caught_up dst2
compare_full src rp dst2 rp
ok "a replica from a replica's dump, pointed at its source, caught up and equals the source"

expect_fail "--source-host without --replica-setup" "need --replica-setup" wharf_on dst load -d "$T/d1" --source-host=x
