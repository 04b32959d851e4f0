#!/usr/bin/env bash
# load --definer=keep|strip|USER@HOST: objects whose definer does not exist
# on the target, loaded as a user without SUPER (a managed server): keep
# fails naming the object, strip loads them as the loading user (SQL
# SECURITY kept) and they work, USER@HOST gives them that account; as a
# user allowed to set any definer, keep loads them with a warning naming
# each object whose definer is missing.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst
sql src <<'SQL'
CREATE USER 'ghost'@'%';
GRANT ALL ON *.* TO 'ghost'@'%';
CREATE DATABASE df;
USE df;
CREATE TABLE film (id INT PRIMARY KEY, title VARCHAR(40), rentals INT DEFAULT 0);
CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(40));
INSERT INTO film (id, title) VALUES (1, 'ACADEMY DINOSAUR'), (2, 'ACE GOLDFINGER');
CREATE DEFINER='ghost'@'%' SQL SECURITY DEFINER VIEW film_list AS SELECT id, title FROM film;
CREATE DEFINER='ghost'@'%' TRIGGER film_ins AFTER INSERT ON film FOR EACH ROW INSERT INTO log (what) VALUES (NEW.title);
CREATE DEFINER='ghost'@'%' PROCEDURE rent(IN f INT) SQL SECURITY INVOKER UPDATE film SET rentals = rentals + 1 WHERE id = f;
CREATE DEFINER='ghost'@'%' FUNCTION titles() RETURNS INT READS SQL DATA RETURN (SELECT COUNT(*) FROM film);
CREATE DEFINER='ghost'@'%' EVENT nightly ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM log;
SQL
wharf_on src dump -o "$T/d" -B df -q || fail "dump"

# the target: no ghost; a loader without SUPER (nor SET USER), all on df;
# binary logging on, with log_bin_trust_function_creators as managed
# servers set it (else the server refuses functions and triggers, 1419)
sql dst <<'SQL'
SET GLOBAL log_bin_trust_function_creators = 1;
CREATE USER 'loader'@'localhost' IDENTIFIED BY 'pw';
GRANT ALL PRIVILEGES ON df.* TO 'loader'@'localhost';
CREATE USER 'app'@'%';
GRANT ALL PRIVILEGES ON df.* TO 'app'@'%';
SQL
as_loader() { "$WHARF_BIN" load --no-defaults -u loader -ppw -S "$dst_SOCK" -d "$T/d" "$@"; }

expect_fail "keep, without SUPER" "view.*film_list|denied|1227" as_loader -q
sql dst -e "DROP DATABASE IF EXISTS df"
as_loader --definer=strip -q 2>"$T/strip.log" || fail "--definer=strip as a user without SUPER: $(grep error "$T/strip.log" | head -5)"
definers=$(sql dst -e "SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA='df' UNION ALL
    SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='df' UNION ALL
    SELECT DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='df' UNION ALL
    SELECT DEFINER FROM information_schema.EVENTS WHERE EVENT_SCHEMA='df'" | sort -u)
[ "$definers" = "loader@localhost" ] || fail "strip: definers are [$definers]"
[ "$(sql dst -e "SELECT SECURITY_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_NAME='rent'")" = INVOKER ] || fail "SQL SECURITY not kept"
# the objects work
[ "$(sql dst -e 'SELECT COUNT(*) FROM df.film_list')" = 2 ] || fail "the view does not work"
sql dst -e "INSERT INTO df.film (id, title) VALUES (3, 'AFRICAN EGG'); CALL df.rent(3)"
[ "$(sql dst -e "SELECT what FROM df.log")" = "AFRICAN EGG" ] || fail "the trigger did not fire"
[ "$(sql dst -e 'SELECT rentals FROM df.film WHERE id = 3')" = 1 ] || fail "the procedure did not run"
[ "$(sql dst -e 'SELECT df.titles()')" = 3 ] || fail "the function does not work"
ok "--definer=strip as a user without SUPER: every object created, owned by the loader, working"

sql dst -e "DROP DATABASE df"
wharf_on dst load -d "$T/d" --definer="'app'@'%'" -q || fail "--definer=app@%"
definers=$(sql dst -e "SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA='df' UNION ALL
    SELECT DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='df'" | sort -u)
[ "$definers" = "app@%" ] || fail "USER@HOST: definers are [$definers]"
ok "--definer=USER@HOST gives every object that account"

sql dst -e "DROP DATABASE df"
wharf_on dst load -d "$T/d" 2>"$T/keep.log" || fail "keep as root: $(grep error "$T/keep.log" | head -3)"
for o in film_list film_ins rent titles nightly; do
    grep -q "warning: .*$o.*ghost" "$T/keep.log" || fail "no warning naming $o and its missing definer: $(grep warning "$T/keep.log")"
done
ok "keep: each object whose definer is missing on the target is named in a warning"
expect_fail "--definer without a host" "definer must be keep, strip or USER@HOST" wharf_on dst load -d "$T/d" --definer=nobody
