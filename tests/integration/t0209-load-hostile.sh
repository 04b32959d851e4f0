#!/usr/bin/env bash
# A dump is input, possibly damaged or hostile: a file may only do what its
# name says, to the object it names. Each tampering below fails the object
# (naming the file) before the statement runs; the database `victim` and
# every object not tampered with are still there; the exit status is
# non-zero. Also: LOCAL INFILE requests for other files are refused, and an
# empty, truncated or incomplete metadata file is an incomplete dump.
. "$(dirname "$0")/../harness/lib.sh"

start_server src
start_server dst

sql src <<'SQL'
CREATE DATABASE h;
CREATE TABLE h.t (id INT PRIMARY KEY, v VARCHAR(20));
INSERT INTO h.t VALUES (1,'a'),(2,'b');
CREATE TABLE h.zz (id INT PRIMARY KEY);
INSERT INTO h.zz VALUES (1);
CREATE TABLE h.d (id INT PRIMARY KEY);
INSERT INTO h.d VALUES (1),(2),(3);
CREATE TABLE h.f (id INT PRIMARY KEY, s TEXT);
INSERT INTO h.f VALUES (1,'x');
CREATE TABLE h.ok (id INT PRIMARY KEY);
INSERT INTO h.ok VALUES (7);
CREATE VIEW h.v AS SELECT id FROM h.ok;
CREATE TRIGGER h.trg BEFORE INSERT ON h.ok FOR EACH ROW SET NEW.id = NEW.id;
SQL
wharf_on src dump -o "$T/dump" -B h --compress none -q || fail dump
cp -r "$T/dump" "$T/pristine"
D=$T/dump

reset_victim() { sql dst -e "DROP DATABASE IF EXISTS h; DROP DATABASE IF EXISTS victim; CREATE DATABASE victim; CREATE TABLE victim.keep (id INT); INSERT INTO victim.keep VALUES (1)"; }
victim_alive() { [ "$(sql dst -e 'SELECT COUNT(*) FROM victim.keep' 2>/dev/null)" = 1 ] || fail "$1: victim was harmed"; }

# DROP DATABASE appended to a table schema, a view, a trigger file, and
# inside a data chunk (before its last INSERT: the checksum cannot stop it)
echo 'DROP DATABASE victim;' >>"$D/h.t-schema.sql"
echo 'DROP DATABASE victim;' >>"$D/h.v-schema-view.sql"
echo 'DROP DATABASE victim;' >>"$D/h.ok-schema-triggers.sql"
sed -i '0,/^INSERT/s//DROP DATABASE victim;\nINSERT/' "$D/h.d.00000.sql"
# a schema file named for zz that creates t
sed -i 's/CREATE TABLE `zz`/CREATE TABLE `t_evil`/' "$D/h.zz-schema.sql"
# a data chunk that asks the client for /etc/passwd
sed -i '0,/^INSERT/s//LOAD DATA LOCAL INFILE '"'"'\/etc\/passwd'"'"' INTO TABLE `f` (s);\nINSERT/' "$D/h.f.00000.sql"
reset_victim
out=$(wharf_on dst load -d "$D" -t 2 2>&1) && fail "hostile dump loaded with exit 0: $out"
victim_alive "tampered files"
for f in h.t-schema.sql h.v-schema-view.sql h.ok-schema-triggers.sql h.d.00000.sql h.zz-schema.sql; do
    grep -q "$f: statement [0-9]* does not belong in the" <<<"$out" || fail "no refusal naming $f: $out"
done
grep -q "h.f.00000.sql.*refuses LOCAL INFILE '/etc/passwd'" <<<"$out" || fail "LOCAL INFILE /etc/passwd not refused: $out"
[ "$(sql dst -e "SELECT COUNT(*) FROM h.f")" = 0 ] || fail "h.f holds rows after a refused chunk"
sql dst -e "SHOW TABLES FROM h" | grep -q t_evil && fail "a schema file named for zz created t_evil"
[ "$(sql dst -e 'SELECT id FROM h.ok')" = 7 ] || fail "untampered table h.ok not restored"
ok "tampered files refused by name, victim intact, the rest restored"

# metadata: empty, truncated, lacking a table's group (with its data file gone)
for case in empty truncated nogroup; do
    rm -rf "$D"; cp -r "$T/pristine" "$D"
    case $case in
    empty) : >"$D/metadata" ;;
    truncated) head -c 60 "$T/pristine/metadata" >"$D/metadata" ;;
    nogroup)
        python3 - "$D/metadata" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r"\[`h`\.`d`\]\n(?:[^\[\n][^\n]*\n|\n)*", "", s)
open(p, "w").write(s)
PY
        rm "$D/h.d.00000.sql" ;;
    esac
    reset_victim
    out=$(wharf_on dst load -d "$D" -t 2 2>&1) && fail "metadata $case: exit 0: $out"
    case $case in
    empty|truncated) grep -q "metadata is incomplete" <<<"$out" || fail "metadata $case: $out" ;;
    nogroup) grep -q "h.d: files of it are in .* but metadata does not list it" <<<"$out" || fail "metadata $case: $out" ;;
    esac
    ok "metadata $case: refused"
done

# an unknown file and two files for one object
rm -rf "$D"; cp -r "$T/pristine" "$D"
echo x >"$D/notes.txt"
zstd -q "$D/h.ok-schema.sql" -o "$D/h.ok-schema.sql.zst"
reset_victim
out=$(wharf_on dst load -d "$D" -t 2 2>&1) && fail "unknown and duplicate files: exit 0"
grep -q "notes.txt: not a file of a dump" <<<"$out" || fail "unknown file not named: $out"
grep -q "h.ok-schema.sql.* are two files for the same object" <<<"$out" || fail "duplicate files not named: $out"
ok "unknown and duplicate files fail the load, named"

# --allow-incomplete says what it could not check
rm -rf "$D"; cp -r "$T/pristine" "$D"; rm "$D/metadata"
reset_victim
out=$(wharf_on dst load -d "$D" -t 2 --allow-incomplete 2>&1) || fail "--allow-incomplete: $out"
grep -q "no row counts to verify" <<<"$out" || fail "--allow-incomplete claims a verification: $out"
ok "--allow-incomplete: loaded, says no row counts were verified"
