#!/usr/bin/env bash
# The README's main command: on a fresh Debian machine, install what wharf
# needs, build it, start two throwaway MariaDB servers, put a small sample
# database on the first (several column types, foreign keys, a view, a
# trigger, routines, a few thousand rows), `wharf dump` it, `wharf load` the
# dump into the second server, and prove the restore: every table's row count
# and CHECKSUM TABLE must match, and so must the views, triggers and routines.
# Servers and temporary files are removed at the end whatever happens.
#
#   scripts/demo.sh            (as root, or a user with sudo for apt-get)
#   WHARF_KEEP_TMP=1 scripts/demo.sh   keep the dump and server directories
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

step() { printf '\n== %s\n' "$*"; }

step "installing dependencies (scripts/deps.sh)"
scripts/deps.sh
step "building (scripts/build.sh)"
scripts/build.sh
WHARF_BIN=$ROOT/build/wharf
export WHARF_BIN
"$WHARF_BIN" --version

# The test harness: a private temp dir ($T) and throwaway servers, all
# stopped and removed on exit.
# shellcheck source=../tests/harness/lib.sh
. "$ROOT/tests/harness/lib.sh"

step "starting two throwaway MariaDB servers"
start_server src
start_server dst
echo "source: $src_SOCK   target: $dst_SOCK"

step "creating the sample database 'shop' on the source"
sql src <<'SQL'
CREATE DATABASE shop CHARACTER SET utf8mb4;
USE shop;
CREATE TABLE customers (
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(255) UNIQUE,
  born DATE,
  tier ENUM('basic','gold','platinum') NOT NULL DEFAULT 'basic',
  balance DECIMAL(12,2),
  prefs JSON,
  created TIMESTAMP NOT NULL DEFAULT '2024-01-01 00:00:00'
) ENGINE=InnoDB;
CREATE TABLE products (
  sku CHAR(12) NOT NULL PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  price DOUBLE NOT NULL,
  weight FLOAT,
  flags BIT(4),
  image BLOB,
  KEY k_title (title)
) ENGINE=InnoDB;
CREATE TABLE orders (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id INT NOT NULL,
  placed DATETIME(3) NOT NULL,
  note TEXT,
  KEY k_placed (placed),
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB;
CREATE TABLE order_items (
  order_id BIGINT NOT NULL,
  line SMALLINT NOT NULL,
  sku CHAR(12) NOT NULL,
  qty INT UNSIGNED NOT NULL,
  PRIMARY KEY (order_id, line),
  CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT fk_items_product FOREIGN KEY (sku) REFERENCES products (sku)
) ENGINE=InnoDB;
CREATE TABLE audit_log (
  at DATETIME NOT NULL,
  what VARCHAR(64) NOT NULL,
  ref BIGINT
) ENGINE=InnoDB;

INSERT INTO customers (id, name, email, born, tier, balance, prefs)
SELECT seq,
       CONCAT(ELT(1 + seq % 6, 'Ana', 'Björn', 'Chloé', 'Dmitri', 'O''Neil', '李'), ' ', seq),
       IF(seq % 10 = 0, NULL, CONCAT('user', seq, '@example.com')),
       '1950-01-01' + INTERVAL (seq * 97) % 20000 DAY,
       ELT(1 + seq % 3, 'basic', 'gold', 'platinum'),
       IF(seq % 7 = 0, NULL, (seq * 7919 % 1000000) / 100),
       JSON_OBJECT('lang', ELT(1 + seq % 3, 'en', 'fr', 'zh'), 'news', seq % 2 = 0)
FROM seq_1_to_1000;
INSERT INTO products
SELECT CONCAT('SKU', LPAD(seq, 9, '0')),
       CONCAT('Product "', seq, '"', IF(seq % 5 = 0, ' with a\ttab and a\nnewline', '')),
       seq * 1.25, IF(seq % 4 = 0, NULL, seq / 3), seq % 16,
       IF(seq % 3 = 0, NULL, UNHEX(SHA2(seq, 512)))
FROM seq_1_to_300;

DELIMITER ;;
CREATE TRIGGER trg_orders_audit AFTER INSERT ON orders FOR EACH ROW
BEGIN
  INSERT INTO audit_log VALUES (NEW.placed, 'order placed', NEW.id);
END;;
CREATE FUNCTION order_total(oid BIGINT) RETURNS DECIMAL(14,2) READS SQL DATA
BEGIN
  RETURN (SELECT COALESCE(SUM(i.qty * p.price), 0) FROM order_items i JOIN products p USING (sku)
          WHERE i.order_id = oid);
END;;
CREATE PROCEDURE top_customers(IN n INT)
BEGIN
  SELECT c.id, c.name, COUNT(*) AS orders FROM customers c JOIN orders o ON o.customer_id = c.id
  GROUP BY c.id, c.name ORDER BY orders DESC, c.id LIMIT n;
END;;
DELIMITER ;

INSERT INTO orders (customer_id, placed, note)
SELECT 1 + (seq * 31) % 1000, '2024-01-01' + INTERVAL seq * 3571 SECOND,
       IF(seq % 4 = 0, NULL, CONCAT('order #', seq, IF(seq % 9 = 0, ' \\ backslash ''quote''', '')))
FROM seq_1_to_3000;
INSERT INTO order_items
SELECT o.seq, l.seq, CONCAT('SKU', LPAD(1 + (o.seq * 7 + l.seq) % 300, 9, '0')), 1 + (o.seq + l.seq) % 5
FROM seq_1_to_3000 o JOIN seq_1_to_3 l ON l.seq <= 1 + o.seq % 3;

CREATE VIEW order_totals AS
SELECT o.id, o.customer_id, SUM(i.qty * p.price) AS total
FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.sku = i.sku
GROUP BY o.id, o.customer_id;
SQL
sql src -e "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA='shop' ORDER BY 1" \
    | awk '{printf "  %-14s ~%s rows\n", $1, $2}'

step "wharf dump  (source -> $T/dump)"
t0=$(date +%s.%N)
rc=0
wharf_on src dump -B shop -o "$T/dump" || rc=$?
t1=$(date +%s.%N)
if [ "$rc" -ne 0 ]; then
    echo "demo: 'wharf dump' failed (exit $rc): the dump step does not work yet on this build." >&2
    exit 1
fi
ls -l "$T/dump" | head -20
echo "  ($(ls "$T/dump" | wc -l) files, $(du -sh "$T/dump" | cut -f1))"

step "wharf load  ($T/dump -> target)"
t2=$(date +%s.%N)
rc=0
wharf_on dst load -d "$T/dump" || rc=$?
t3=$(date +%s.%N)
if [ "$rc" -ne 0 ]; then
    echo "demo: 'wharf load' failed (exit $rc): the load step does not work yet on this build." >&2
    exit 1
fi

step "verifying the restore: every object (SHOW CREATE, catalog, context), rows and checksums"
compare_full src shop dst shop
objs() {
    sql "$1" -e "SELECT CONCAT('views=', (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA='shop'),
        ' triggers=', (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='shop'),
        ' routines=', (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='shop'),
        ' foreign_keys=', (SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='shop'))"
}
a=$(objs src); b=$(objs dst)
[ "$a" = "$b" ] || fail "objects differ: source [$a] target [$b]"
ok "objects equal: $a"
# The view and the routines work on the target.
va=$(sql src -e "SELECT COUNT(*), SUM(total) FROM shop.order_totals")
vb=$(sql dst -e "SELECT COUNT(*), SUM(total) FROM shop.order_totals")
[ "$va" = "$vb" ] || fail "view order_totals differs: [$va] vs [$vb]"
fa=$(sql src -e "SELECT shop.order_total(42)"); fb=$(sql dst -e "SELECT shop.order_total(42)")
[ "$fa" = "$fb" ] || fail "function order_total differs: [$fa] vs [$fb]"
ok "view and function give the same results on the target"

step "wharf load --into shop_copy  (the same dump under another name, on the target)"
rc=0
wharf_on dst load -d "$T/dump" --into shop_copy || rc=$?
[ "$rc" -eq 0 ] || { echo "demo: 'wharf load --into' failed (exit $rc)." >&2; exit 1; }
compare_full src shop dst shop_copy
n=$(sql dst -e "SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA='shop_copy' AND VIEW_DEFINITION LIKE '%\`shop\`.%'")
[ "$n" = 0 ] || fail "a view in shop_copy still reads tables of shop"
ok "the view in shop_copy reads shop_copy's tables"

step "report"
rows=$(sql src -e "SELECT SUM(n) FROM (SELECT COUNT(*) n FROM shop.customers UNION ALL SELECT COUNT(*) FROM shop.products
       UNION ALL SELECT COUNT(*) FROM shop.orders UNION ALL SELECT COUNT(*) FROM shop.order_items
       UNION ALL SELECT COUNT(*) FROM shop.audit_log) x")
printf '  database shop: 5 tables, %s rows; %s\n' "$rows" "$a"
dt() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }
printf '  dump: %ss (%s)   load: %ss\n' "$(dt "$t0" "$t1")" "$(du -sh "$T/dump" | cut -f1)" "$(dt "$t2" "$t3")"
echo "  restore verified: every table has the same rows and checksum on both servers."
echo
echo "demo: OK"
