#!/usr/bin/env bash
# wharf dump -o s3://BUCKET/PREFIX writes a dump into a bucket of a real
# S3-protocol server (s3rver on loopback, tests/harness/s3.sh) and wharf load
# -d s3://BUCKET/PREFIX restores it: tables with foreign keys, indexes and
# many value types, a view, a trigger, routines, an event and a sequence, in
# several chunks, compared whole with the source (compare_full). The objects
# are exactly the dump's files, `metadata` among them; a prefix that already
# holds a dump is refused; a dump at the bucket's root loads too.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/s3.sh"

start_server src
start_server dst
start_s3 wharf-test wharf-root

sql src >/dev/null <<'SQL'
CREATE DATABASE s3rt;
USE s3rt;
CREATE TABLE customers (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL, email VARCHAR(80),
  note TEXT, bin VARBINARY(20), UNIQUE KEY uk_email (email), KEY k_name (name)) ENGINE=InnoDB;
CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, customer_id INT NOT NULL, total DECIMAL(10,2),
  created DATETIME(6), f FLOAT, d DOUBLE, j JSON,
  CONSTRAINT fk_cust FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE) ENGINE=InnoDB;
CREATE TABLE audit (id INT PRIMARY KEY AUTO_INCREMENT, msg VARCHAR(100)) ENGINE=InnoDB;
CREATE TABLE nokey (a INT, b VARCHAR(10)) ENGINE=InnoDB;
CREATE SEQUENCE seq1 START WITH 100 INCREMENT BY 5;
SELECT NEXTVAL(seq1);
CREATE VIEW v_orders AS SELECT o.id, c.name, o.total FROM orders o JOIN customers c ON c.id = o.customer_id;
DELIMITER ;;
CREATE TRIGGER trg_orders_ai AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (msg) VALUES (CONCAT('order; ', NEW.id));;
CREATE FUNCTION f_total(cid INT) RETURNS DECIMAL(12,2) READS SQL DATA
BEGIN
  DECLARE s DECIMAL(12,2);
  SELECT SUM(total) INTO s FROM orders WHERE customer_id = cid;
  RETURN s;
END;;
CREATE PROCEDURE p_count(OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM orders; END;;
CREATE EVENT ev_cleanup ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM audit WHERE id < 0;;
DELIMITER ;
INSERT INTO nokey VALUES (1,'a'),(NULL,NULL),(1,'a');
SQL
{
    echo "INSERT INTO s3rt.customers (name, email, note, bin) VALUES"
    for i in $(seq 1 3000); do printf "('name %d','c%d@example.com','quote'' tab\\t nl\\n %d',0x%04x),\n" "$i" "$i" "$i" "$i"; done
    echo "('last','last@example.com',NULL,NULL);"
    echo "INSERT INTO s3rt.orders (customer_id, total, created, f, d, j) SELECT id, id * 1.5,"
    echo " '2024-01-01 00:00:00.123456', id / 3, id / 7, JSON_OBJECT('k', id) FROM s3rt.customers;"
} | sql src

url=s3://wharf-test/backups/s3rt
out=$(wharf_on src dump -o "$url" --s3-endpoint "$S3_ENDPOINT" -B s3rt -r 500 -t 2 2>&1) || fail "dump to $url: $out"
grep -q "dump complete" <<<"$out" || fail "no completion line: $out"
keys=$(s3_keys wharf-test backups/s3rt)
grep -qx "backups/s3rt/metadata" <<<"$keys" || fail "no metadata object: $keys"
grep -qx "backups/s3rt/s3rt.customers.00001.sql.zst" <<<"$keys" || fail "no second chunk of customers: $keys"
grep -q "/" <<<"$(sed 's|^backups/s3rt/||' <<<"$keys")" && fail "an object deeper than the prefix: $keys"
ok "dump to $url: $(wc -l <<<"$keys") objects, metadata among them"

out=$(wharf_on dst load -d "$url/" --s3-endpoint "$S3_ENDPOINT" -t 3 2>&1) || fail "load from $url: $out"
grep -q "load complete" <<<"$out" || fail "no load completion line: $out"
compare_full src s3rt dst s3rt

# the same prefix again: refused before the source is touched
expect_fail "dump into a prefix that holds a dump" "s3://wharf-test/backups/s3rt is not empty \(it holds" \
    wharf_on src dump -o "$url" --s3-endpoint "$S3_ENDPOINT" -B s3rt

# backups/ holds s3rt/: a dump there is refused too (its parent; s3rver
# reports a common prefix only one level down, S3 at any depth)
out=$(wharf_on src dump -o "s3://wharf-test/backups/" --s3-endpoint "$S3_ENDPOINT/" -T s3rt.customers 2>&1) &&
    fail "dump into backups/, which holds s3rt/, succeeded: $out"
grep -q "s3://wharf-test/backups is not empty (it holds s3rt/)" <<<"$out" || fail "backups/ not empty: $out"
ok "a prefix that holds a deeper prefix is refused"

# a dump at the root of another bucket, TSV and gzip, read back a few keys
# per listing (ListObjectsV2 continuation)
sql dst -e "DROP DATABASE s3rt"
url2=s3://wharf-root
out=$(wharf_on src dump -o "$url2" --s3-endpoint "$S3_ENDPOINT" -B s3rt --compress gzip --format tsv -r 700 2>&1) ||
    fail "dump to $url2: $out"
keys=$(s3_keys wharf-root)
grep -qx "metadata" <<<"$keys" || fail "no metadata at the root of $url2: $keys"
grep -qx "s3rt.customers.00000.dat.gz" <<<"$keys" || fail "no TSV chunk: $keys"
out=$(wharf_on dst load -d "$url2" --s3-endpoint "$S3_ENDPOINT" --s3-list-page 7 -v 2>&1) || fail "load from $url2: $out"
pages=$(grep -c "list-type=2&max-keys=7" "$T/s3rver.log" || true)
[ "$pages" -ge 3 ] || fail "the listing was not paged (7 keys an answer): $pages answers"
compare_full src s3rt dst s3rt
ok "root of a bucket, $(wc -l <<<"$keys") objects listed 7 at a time"
