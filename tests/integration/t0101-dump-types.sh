#!/usr/bin/env bash
# wharf dump round-trips every value of every column type exactly, in the SQL
# and TSV formats and with zstd, gzip and no compression: the dump is loaded
# with the mariadb client into a second server and every table is compared
# (row counts, CHECKSUM TABLE, and HEX() of the tricky values).
. "$(dirname "$0")/../harness/lib.sh"
. "$(dirname "$0")/../harness/dumplib.sh"

start_server src
start_server dst

sql src <<'SQL'
SET SESSION sql_mode='NO_ENGINE_SUBSTITUTION';
CREATE DATABASE ty;
USE ty;
CREATE TABLE ints (id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT,
  mi MEDIUMINT UNSIGNED, i INT, bi BIGINT, biu BIGINT UNSIGNED, y YEAR,
  b1 BIT(1), b5 BIT(5), b64 BIT(64), bo BOOLEAN);
INSERT INTO ints VALUES
 (1,-128,255,-32768,16777215,-2147483648,-9223372036854775808,18446744073709551615,1901,b'0',b'0',b'0',0),
 (2,127,0,32767,0,2147483647,9223372036854775807,0,2155,b'1',b'10101',0xFFFFFFFFFFFFFFFF,1),
 (3,NULL,NULL,NULL,NULL,NULL,NULL,NULL,0,NULL,NULL,b'1000000000000000000000000000000000000000000000000000000000000001',NULL);
CREATE TABLE nums (id INT PRIMARY KEY, d DECIMAL(65,30), d2 DECIMAL(10,2) UNSIGNED,
  f FLOAT, f2 FLOAT(7,3), dd DOUBLE, dd2 DOUBLE PRECISION);
INSERT INTO nums VALUES
 (1,'99999999999999999999999999999999999.999999999999999999999999999999',0.01,0.33333334,1234.567,1.7976931348623157e308,-2.2250738585072014e-308),
 (2,'-99999999999999999999999999999999999.999999999999999999999999999999',99999999.99,3.4028235e38,-9999.999,4.9e-324,0.1),
 (3,'0.000000000000000000000000000001',NULL,-1.17549435e-38,NULL,-1.7976931348623157e308,1e-300),
 (4,NULL,0,1e-45,0,0,NULL);
CREATE TABLE strs (id INT PRIMARY KEY, vc VARCHAR(200), c CHAR(10), t TEXT, lt LONGTEXT,
  vb VARBINARY(300), bn BINARY(4), bl BLOB, e ENUM('a','b','x y',''), s SET('p','q','r'),
  lat VARCHAR(50) CHARACTER SET latin1, latt TEXT CHARACTER SET latin1, bin VARCHAR(20) COLLATE utf8mb4_bin,
  j JSON) DEFAULT CHARSET=utf8mb4;
INSERT INTO strs VALUES
 (1,'','','',NULL,'','\0\0\0\0','','', '', '', '', '', '{}'),
 (2,'NULL','NULL','NULL','NULL','NULL','NULL','NULL','a','p,r','NULL','NULL','NULL','null'),
 (3,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL),
 (4,'quote\' dq" bs\\ tab\t nl\n cr\r z\Z nul\0 end','a\'b','\\N','\\\\','\\N',0x5C4E0A09,0x000102,'x y','q',_latin1 0xE9E8FF80A0,_latin1 0x5C0D0A00,'Bin','{"a": [1, "x\\ny", null], "b": "\\u00e9"}'),
 (5,'😀 utf8mb4 𝄞 é ü 中文','ñ','😀😀','Ω', 0xF09F9880,'abc',0xFF,'b','p,q,r',_latin1 0x41,NULL,'😀','[1.5e300, -0.0, "😀"]');
CREATE TABLE tms (id INT PRIMARY KEY, dt DATETIME(6), dt0 DATETIME, ts TIMESTAMP(6) NULL DEFAULT NULL,
  d DATE, t TIME(3), t0 TIME);
INSERT INTO tms VALUES
 (1,'0000-00-00 00:00:00','0000-00-00 00:00:00','1970-01-01 00:00:01.000001','0000-00-00','-838:59:59.000','838:59:59'),
 (2,'9999-12-31 23:59:59.999999','1000-01-01 00:00:00','2038-01-19 03:14:07.999999','9999-12-31','00:00:00.5','-00:00:01'),
 (3,'2024-02-29 12:34:56.123456','2024-00-00 00:00:00',NULL,'2024-02-00',NULL,'00:00:00');
CREATE TABLE misc (id INT PRIMARY KEY, ip6 INET6, u UUID, ip4 INET4, g GEOMETRY, p POINT,
  gen INT AS (id * 2) VIRTUAL, gs VARCHAR(20) AS (CONCAT('x', id)) STORED, inv INT INVISIBLE,
  `select` INT, `we ird``name` VARCHAR(5));
INSERT INTO misc (id, ip6, u, ip4, g, p, inv, `select`, `we ird``name`) VALUES
 (1,'::1:2:3:4:5:6:77','12345678-1234-1234-1234-123456789abc','1.2.3.4',ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'),POINT(1.5,-2.25),7,1,'w'),
 (2,'::ffff:1.2.3.4','00000000-0000-0000-0000-000000000000','0.0.0.0',ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))'),NULL,NULL,NULL,NULL),
 (3,NULL,NULL,NULL,NULL,POINT(0,0),-1,2,'');
CREATE TABLE bytes (id INT PRIMARY KEY, b BLOB, v VARBINARY(1), t VARCHAR(4) CHARACTER SET latin1);
SQL
# every byte 0x00-0xFF alone in each column, plus one row with all of them
{
    echo "INSERT INTO ty.bytes VALUES"
    for i in $(seq 0 255); do printf "(%d,0x%02X,0x%02X,0x%02X)," "$i" "$i" "$i" "$i"; done
    all=""; for i in $(seq 0 255); do all+=$(printf "%02X" "$i"); done
    echo "(1000,0x$all,NULL,NULL);"
} | sql src
sql src -e "ANALYZE TABLE ty.ints, ty.nums, ty.strs, ty.tms, ty.misc, ty.bytes" >/dev/null

check_values() {
    local what=$1 q a b
    for q in \
        "SELECT GROUP_CONCAT(HEX(vc),'|',HEX(c),'|',HEX(t),'|',HEX(IFNULL(lt,'~')),'|',HEX(vb),'|',HEX(bn),'|',HEX(bl),'|',HEX(lat),'|',HEX(latt),'|',HEX(bin),'|',HEX(j),'|',ISNULL(vc) ORDER BY id) FROM ty.strs" \
        "SELECT GROUP_CONCAT(HEX(b),'|',HEX(v),'|',HEX(t) ORDER BY id) FROM ty.bytes" \
        "SELECT GROUP_CONCAT(f+0e0,'|',f2+0e0,'|',dd,'|',dd2,'|',d ORDER BY id) FROM ty.nums" \
        "SELECT GROUP_CONCAT(HEX(b1),'|',HEX(b5),'|',HEX(b64),'|',biu,'|',y ORDER BY id) FROM ty.ints" \
        "SELECT GROUP_CONCAT(ip6,'|',u,'|',ip4,'|',HEX(g),'|',HEX(p),'|',gen,'|',gs,'|',IFNULL(inv,'N') ORDER BY id) FROM ty.misc" \
        "SELECT GROUP_CONCAT(dt,'|',dt0,'|',IFNULL(ts,'N'),'|',d,'|',IFNULL(t,'N'),'|',t0 ORDER BY id) FROM ty.tms"; do
        a=$(sql src -e "$q")
        b=$(sql dst -e "$q")
        [ "$a" = "$b" ] || fail "$what: values differ for [$q]: source [$a] target [$b]"
    done
    # a FLOAT must come back bit-identical, not rounded to 6 digits
    [ "$(sql dst -e "SELECT f + 0e0 FROM ty.nums WHERE id=1")" = 0.3333333432674408 ] ||
        fail "$what: FLOAT lost digits: $(sql dst -e "SELECT f + 0e0 FROM ty.nums WHERE id=1")"
    ok "$what: HEX of tricky values equal"
}

for fmt in sql tsv; do
    for comp in zstd gzip none; do
        [ "$fmt" = tsv ] && [ "$comp" = gzip ] && continue
        out=$T/dump-$fmt-$comp
        wharf_on src dump -o "$out" --format "$fmt" --compress "$comp" -t 2 -q || fail "dump $fmt $comp"
        [ -f "$out/metadata" ] || fail "no metadata"
        [ "$(stat -c %a "$out")" = 700 ] || fail "output dir mode is $(stat -c %a "$out")"
        [ "$(stat -c %a "$out/metadata")" = 600 ] || fail "metadata mode"
        case $comp in
        zstd) ls "$out"/ty.strs.00000.*.zst >/dev/null || fail "no .zst data file" ;;
        gzip) ls "$out"/ty.strs.00000.*.gz >/dev/null || fail "no .gz data file" ;;
        none) ls "$out"/ty.strs.00000.sql >/dev/null || fail "no plain data file" ;;
        esac
        if [ "$fmt" = tsv ]; then ls "$out"/ty.strs.00000.dat* >/dev/null || fail "no .dat file"; fi
        # generated columns are not dumped, the invisible one is
        data=$(_dcat "$out"/ty.misc.00000.sql*)
        if [ "$fmt" = sql ]; then
            grep -q '`inv`' <<<"$data" || fail "invisible column not dumped"
            grep -q '`gen`' <<<"$data" && fail "generated column dumped"
        fi
        reset_server dst
        restore_with_client dst "$out"
        compare_databases src ty dst ty
        check_values "$fmt/$comp"
        grep -q '^wharf-chunk-00000=ty.bytes.00000.*;257;' "$out/metadata" || fail "metadata chunk line for ty.bytes: $(grep -A8 bytes "$out/metadata")"
    done
done
