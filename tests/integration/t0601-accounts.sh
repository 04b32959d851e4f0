#!/usr/bin/env bash
# Accounts: a whole-server dump records users, roles, grants, default roles,
# resource limits and authentication (wharf-accounts.grants); `wharf load
# --users` restores them so that SHOW GRANTS and SHOW CREATE USER are the
# source's and the accounts log in; without --users they are left out;
# --exclude-users, --if-exists=fail|drop (append: refused); a tampered accounts file loads
# nothing.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst
start_server fresh

sql src <<'SQL'
CREATE DATABASE app;
CREATE TABLE app.t (id INT PRIMARY KEY, a INT, b INT);
INSERT INTO app.t VALUES (1, 10, 100), (2, 20, 200);
CREATE PROCEDURE app.p() SELECT COUNT(*) FROM app.t;
CREATE FUNCTION app.f() RETURNS INT DETERMINISTIC RETURN 1;
CREATE ROLE r_read;
GRANT SELECT ON app.* TO r_read;
CREATE ROLE r_adm;
GRANT r_read TO r_adm;
CREATE USER u_pw@'%' IDENTIFIED BY 'secret1' WITH MAX_QUERIES_PER_HOUR 100 MAX_USER_CONNECTIONS 5;
GRANT r_adm TO u_pw@'%';
SET DEFAULT ROLE r_adm FOR u_pw@'%';
GRANT INSERT ON app.t TO u_pw@'%' WITH GRANT OPTION;
CREATE USER u_nopw@localhost;
GRANT SELECT (a, b), UPDATE (a) ON app.t TO u_nopw@localhost;
GRANT EXECUTE ON PROCEDURE app.p TO u_nopw@localhost;
GRANT EXECUTE ON FUNCTION app.f TO u_nopw@localhost;
CREATE USER u_sock@localhost IDENTIFIED VIA unix_socket;
GRANT RELOAD ON *.* TO u_sock@localhost;
CREATE USER u_locked@'10.0.%' IDENTIFIED BY 'x' PASSWORD EXPIRE INTERVAL 30 DAY ACCOUNT LOCK;
CREATE USER u_gone@'%';
GRANT SELECT ON app.* TO u_gone@'%';
CREATE DEFINER=u_pw@'%' SQL SECURITY DEFINER VIEW app.v AS SELECT id FROM app.t;
SQL
ACCOUNTS=("\`u_pw\`@\`%\`" "\`u_nopw\`@\`localhost\`" "\`u_sock\`@\`localhost\`" "\`u_locked\`@\`10.0.%\`" "\`r_read\`" "\`r_adm\`")

wharf_on src dump -o "$T/dump" 2>"$T/dump.log" || { cat "$T/dump.log"; fail "dump"; }
f=$(ls "$T/dump"/wharf-accounts.grants*) || fail "no accounts file in a whole-server dump"
grep -q "accounts: 5 user(s) and 2 role(s).*left out [0-9]* account(s).*mariadb.sys" "$T/dump.log" ||
    fail "the dump does not say what it wrote and left out: $(grep accounts "$T/dump.log")"
if zstd -dcq "$f" | grep -q "mariadb.sys\|\`root\`@"; then fail "system accounts were dumped"; fi
ok "whole-server dump: accounts in $(basename "$f"), system accounts left out"

# --no-users, and -B: no accounts; -B --users: accounts
wharf_on src dump -o "$T/nousers" --no-users -q || fail "dump --no-users"
wharf_on src dump -o "$T/onedb" -B app -q || fail "dump -B"
wharf_on src dump -o "$T/onedb-users" -B app --users -q || fail "dump -B --users"
[ -z "$(ls "$T/nousers" "$T/onedb" | grep accounts)" ] || fail "accounts dumped with --no-users or -B"
ls "$T/onedb-users"/wharf-accounts.grants* >/dev/null || fail "-B --users dumped no accounts"
ok "--no-users, -B and -B --users"

# without --users: the accounts are left out, and the log says so
wharf_on dst load -d "$T/dump" 2>"$T/load0.log" || { cat "$T/load0.log"; fail "load without --users"; }
grep -q "accounts.*not loaded (--users loads them)" "$T/load0.log" || fail "no word that accounts were not loaded"
[ "$(sql dst -e "SELECT COUNT(*) FROM mysql.global_priv WHERE User LIKE 'u\\_%' OR User LIKE 'r\\_%'")" = 0 ] ||
    fail "accounts loaded without --users"
ok "load without --users leaves the accounts out"

# --users --exclude-users into a fresh server: every account as in the source
wharf_on fresh load -d "$T/dump" --users --exclude-users 'u_gone@*' 2>"$T/load1.log" ||
    { cat "$T/load1.log"; fail "load --users"; }
grep -q "accounts 6/6 (users and roles), grants on objects 2/2" "$T/load1.log" ||
    fail "summary does not count the accounts: $(grep summary "$T/load1.log")"
same_accounts() {
    local a q
    for a in "${ACCOUNTS[@]}"; do
        for q in "SHOW GRANTS FOR $a" "SHOW CREATE USER $a"; do
            [[ $a != *@* && $q == "SHOW CREATE USER"* ]] && continue # a role has no CREATE USER
            diff <(sql src -e "$q" | sort) <(sql "$1" -e "$q" | sort) >"$T/diff" ||
                fail "$q differs between source and $1: $(cat "$T/diff")"
        done
    done
    ok "$1: SHOW GRANTS and SHOW CREATE USER of ${#ACCOUNTS[@]} accounts equal the source's"
}
same_accounts fresh
[ "$(sql fresh -e "SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'u_gone'")" = 0 ] || fail "--exclude-users loaded u_gone"
ok "--exclude-users left u_gone out"
diff <(sql src -e "SHOW CREATE VIEW app.v") <(sql fresh -e "SHOW CREATE VIEW app.v") >/dev/null ||
    fail "the view whose DEFINER is u_pw differs"
compare_databases src app fresh app

# the accounts log in: the password over TCP (with its default role), the
# one without a password on the socket. u_sock (unix_socket) is not tried:
# no OS user of that name runs this test.
r=$(mariadb --no-defaults -u u_pw -psecret1 -h 127.0.0.1 -P "$fresh_PORT" -N -e "SELECT CURRENT_ROLE(), COUNT(*) FROM app.t") ||
    fail "u_pw cannot log in"
[ "$r" = "r_adm	2" ] || fail "u_pw logged in as [$r], expected its default role r_adm reading app.t"
r=$(mariadb --no-defaults -u u_nopw -S "$T/fresh/sock" -N -e "SELECT SUM(a) FROM app.t; CALL app.p()") ||
    fail "u_nopw cannot log in"
[ "$r" = $'30\n2' ] || fail "u_nopw: column grant and routine grant give [$r]"
expect_fail "a wrong password" "Access denied" mariadb --no-defaults -u u_pw -pwrong -h 127.0.0.1 -P "$fresh_PORT" -e "SELECT 1"
ok "accounts log in with their passwords, roles and grants"

# --if-exists=fail: an existing account is named, nothing is changed
sql dst -e "DROP DATABASE app; CREATE USER u_nopw@localhost IDENTIFIED BY 'other'"
expect_fail "--users onto an existing account" "account \`u_nopw\`@\`localhost\`.*nothing was changed" \
    wharf_on dst load -d "$T/dump" --users
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'app'")" = 0 ] ||
    fail "--if-exists=fail created the database"
[ "$(sql dst -e "SELECT COUNT(*) FROM mysql.global_priv WHERE User IN ('u_pw', 'r_adm')")" = 0 ] ||
    fail "--if-exists=fail created accounts"
expect_fail "--if-exists=append onto an existing account" "u_nopw.*truncate\|append apply to tables only" \
    wharf_on dst load -d "$T/dump" --users --if-exists=append
[ "$(sql dst -e "SELECT COUNT(*) FROM mysql.global_priv WHERE User IN ('u_pw', 'r_adm')")" = 0 ] ||
    fail "--if-exists=append created accounts"
wharf_on dst load -d "$T/dump" --users --if-exists=drop --exclude-users 'u_gone@*' -q || fail "--if-exists=drop"
same_accounts dst

# a tampered accounts file: refused, named with its statement, nothing loaded
cp -r "$T/dump" "$T/bad"
zstd -dcq "$T/bad/$(basename "$f")" >"$T/plain"
n=$(($(grep -c ';$' "$T/plain") + 1))
echo 'DROP DATABASE mysql;' >>"$T/plain"
rm "$T/bad/$(basename "$f")"
zstd -q "$T/plain" -o "$T/bad/$(basename "$f")"
sql dst -e "DROP DATABASE app"
expect_fail "a tampered accounts file" "$(basename "$f"): statement $n is not an account statement.*DROP DATABASE mysql" \
    wharf_on dst load -d "$T/bad" --users --if-exists=drop
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'app'")" = 0 ] ||
    fail "the load of a tampered dump created the database"
for bad in "GRANT ALL ON *.* TO CURRENT_USER;" "ALTER USER \`root\`@\`localhost\` IDENTIFIED BY 'x';" "CREATE OR REPLACE USER \`u_pw\`@\`%\`;" "DROP USER \`u_pw\`@\`%\`;"; do
    { zstd -dcq "$f"; echo "$bad"; } | zstd -q >"$T/bad/$(basename "$f")"
    expect_fail "accounts file with: $bad" "is not an account statement|an account the server has of its own" wharf_on dst load -d "$T/bad" --users --if-exists=drop
done
# a file cut short, or with an account removed: metadata counts what the dump wrote
zstd -dcq "$f" | grep -v '^CREATE USER `u_sock`' | zstd -q >"$T/bad/$(basename "$f")"
expect_fail "an account removed from the file" "creates 6 account\(s\), metadata says the dump wrote 7" \
    wharf_on dst load -d "$T/bad" --users --if-exists=drop
rm "$T/bad/$(basename "$f")"
expect_fail "the accounts file removed" "metadata says the dump wrote 7 account" wharf_on dst load -d "$T/bad" --users
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'app'")" = 0 ] || fail "a tampered dump loaded"
ok "tampered accounts files are refused before anything is loaded"

# bad options
expect_fail "--exclude-users without --users" "add --users" wharf_on dst load -d "$T/dump" --exclude-users x
expect_fail "--users on a dump without accounts" "holds no accounts" wharf_on dst load -d "$T/onedb" --users
expect_fail "--users --no-users" "contradict" wharf_on src dump -o "$T/x" --users --no-users

# the account the load connects as is never replaced
for s in src dst; do sql $s -e "CREATE USER dba@localhost; GRANT ALL ON *.* TO dba@localhost WITH GRANT OPTION"; done
wharf_on src dump -o "$T/dump2" -q || fail "second dump"
expect_fail "--users holding the loading account" "holds \`dba\`@\`localhost\`, the account this load connects as" \
    "$WHARF_BIN" load --no-defaults -u dba -S "$T/dst/sock" -d "$T/dump2" --users --if-exists=drop
[ "$(sql dst -e "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'app'")" = 0 ] ||
    fail "the refused load created the database"
