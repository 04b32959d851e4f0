#!/usr/bin/env bash
# wharf dump filters: -B, -T, -x, --exclude, --where, --no-data, --no-schema,
# and the system schemas skipped by default.
. "$(dirname "$0")/../harness/lib.sh"
. "$(dirname "$0")/../harness/dumplib.sh"

start_server src
start_server dst
sql src -e "
CREATE DATABASE a; CREATE DATABASE b; CREATE DATABASE c;
CREATE TABLE a.t1 (id INT PRIMARY KEY, v INT); CREATE TABLE a.t2 (id INT PRIMARY KEY);
CREATE TABLE a.log (id INT PRIMARY KEY);
CREATE TABLE b.t1 (id INT PRIMARY KEY); CREATE TABLE b.keep (id INT PRIMARY KEY);
CREATE TABLE c.x (id INT PRIMARY KEY);
INSERT INTO a.t1 VALUES (1,10),(2,20),(3,30),(4,40); INSERT INTO a.t2 VALUES (1);
INSERT INTO a.log VALUES (1); INSERT INTO b.t1 VALUES (1),(2); INSERT INTO b.keep VALUES (5); INSERT INTO c.x VALUES (9);
CREATE VIEW a.v AS SELECT id FROM a.t1;
CREATE FUNCTION a.f() RETURNS INT DETERMINISTIC RETURN 42;"

# files of a dump, without suffixes and metadata, sorted, one line
files() { (cd "$1" && ls | grep -v '^metadata$' | sed -e 's/\.zst$//' | sort | tr '\n' ' '); }
dump() { local out; out=$(mktemp -u "$T/d.XXXXXX"); wharf_on src dump -o "$out" -q "$@" || fail "dump $*"; echo "$out"; }

out=$(dump)
f=$(files "$out")
for want in a-schema-create.sql a.t1-schema.sql a.t1.00000.sql a.v-schema-view.sql a-schema-post.sql b.keep.00000.sql c.x.00000.sql; do
    [[ " $f " == *" $want "* ]] || fail "default dump lacks $want: $f"
done
[[ "$f" != *mysql* && "$f" != *sys-schema* && "$f" != *performance_schema* ]] || fail "system schema dumped: $f"
grep -q 'wharf-depends=a.t1' "$out/metadata" || fail "view depends not recorded"
ok "default: every user database, no system schema"

out=$(dump -B a,c)
f=$(files "$out")
[[ "$f" == *a.t1.00000.sql* && "$f" == *c.x.00000.sql* && "$f" != *b.* && "$f" != *b-schema* ]] || fail "-B a,c: $f"
ok "-B"

out=$(dump -T a.t2 -T b.keep)
f=$(files "$out")
[ "$f" = "a-schema-create.sql a.t2-schema.sql a.t2.00000.sql b-schema-create.sql b.keep-schema.sql b.keep.00000.sql " ] || fail "-T: $f"
ok "-T"

out=$(dump -x '^a\.t[0-9]$')
f=$(files "$out")
[[ "$f" == *a.t1.00000.sql* && "$f" == *a.t2.00000.sql* && "$f" != *a.log* && "$f" != *b.t1* && "$f" != *a.v-* ]] || fail "-x: $f"
ok "-x"

out=$(dump --exclude b,a.log --exclude c.x)
f=$(files "$out")
[[ "$f" == *a.t1.00000.sql* && "$f" != *a.log* && "$f" != *b.* && "$f" != *c.x* ]] || fail "--exclude: $f"
ok "--exclude"

out=$(dump -T a.t1 --where 'a.t1:v >= 20 AND v < 40' --compress none)
grep -c '^(' "$out/a.t1.00000.sql" | grep -qx 2 || fail "--where: $(cat "$out/a.t1.00000.sql")"
grep -q '^rows=2$' "$out/metadata" || fail "--where: metadata rows"
ok "--where"

out=$(dump --no-data -B a)
f=$(files "$out")
[[ "$f" == *a.t1-schema.sql* && "$f" != *00000* ]] || fail "--no-data: $f"
reset_server dst
restore_with_client dst "$out"
[ "$(sql dst -e 'SELECT COUNT(*) FROM a.t1')" = 0 ] || fail "--no-data restored rows"
[ "$(sql dst -e 'SELECT a.f()')" = 42 ] || fail "function not restored"
ok "--no-data (schema, views and routines restore)"

out=$(dump --no-schema -B a)
f=$(files "$out")
# data, plus the objects that go with the data (routines, events, triggers,
# as mydumper -m -R -E -G); no CREATE of a database, table or view
[[ "$f" != *schema-create* && "$f" != *-schema.sql* && "$f" != *schema-view* && "$f" == *a.t1.00000.sql* ]] ||
    fail "--no-schema: $f"
ok "--no-schema"

# full round trip of everything
out=$(dump)
reset_server dst
restore_with_client dst "$out"
for db in a b c; do compare_databases src $db dst $db; done
