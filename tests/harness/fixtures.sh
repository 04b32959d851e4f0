# shellcheck shell=bash
# Shared fixtures for integration tests (sourced after lib.sh).
#
#   roundtrip_fixture SERVER
#       Creates database `rt` on SERVER (a lib.sh server name): tables of
#       many column types (integers, BIT, DECIMAL, FLOAT, strings in several
#       character sets, JSON, ENUM/SET, temporal, INET6/UUID/GEOMETRY,
#       generated and invisible columns, odd names), a composite key with
#       AUTO_INCREMENT on its second column, unique/secondary/fulltext
#       indexes, a foreign-key chain customers <- orders <- order_lines
#       (ON DELETE CASCADE, a CHECK constraint), one MyISAM table (`myi`),
#       an empty table, a used sequence, views on views, two triggers, a
#       function, a procedure and a (disabled) event; about 2,000 rows in
#       customers/orders, 4,000 in order_lines. 12 base tables, 1 sequence.
#       The fixture of t0201 (and t0801, the same into a Galera cluster).

roundtrip_fixture() {
    local srv=${1:?roundtrip_fixture SERVER}
    sql "$srv" <<'SQL'
SET SESSION sql_mode='NO_ENGINE_SUBSTITUTION';
CREATE DATABASE rt;
USE rt;
CREATE TABLE ints (id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT,
  mi MEDIUMINT UNSIGNED, i INT, bi BIGINT, biu BIGINT UNSIGNED, y YEAR,
  b1 BIT(1), b5 BIT(5), b64 BIT(64), bo BOOLEAN);
INSERT INTO ints VALUES
 (1,-128,255,-32768,16777215,-2147483648,-9223372036854775808,18446744073709551615,1901,b'0',b'0',b'0',0),
 (2,127,0,32767,0,2147483647,9223372036854775807,0,2155,b'1',b'10101',0xFFFFFFFFFFFFFFFF,1),
 (3,NULL,NULL,NULL,NULL,NULL,NULL,NULL,0,NULL,NULL,b'1000000000000000000000000000000000000000000000000000000000000001',NULL);
CREATE TABLE nums (id INT PRIMARY KEY, d DECIMAL(65,30), f FLOAT, dd DOUBLE);
INSERT INTO nums VALUES (1,'99999999999999999999999999999999999.999999999999999999999999999999',0.33333334,1.7976931348623157e308),
 (2,NULL,-1.17549435e-38,4.9e-324),(3,'-0.000000000000000000000000000001',NULL,0.1);
CREATE TABLE strs (id INT PRIMARY KEY AUTO_INCREMENT, vc VARCHAR(200), t TEXT, vb VARBINARY(300), bl BLOB,
  e ENUM('a','b','x y',''), s SET('p','q','r'), lat VARCHAR(50) CHARACTER SET latin1, j JSON,
  UNIQUE KEY uk_vc (vc), KEY k_e_s (e, s), FULLTEXT KEY ft_t (t)) DEFAULT CHARSET=utf8mb4 ENGINE=InnoDB;
INSERT INTO strs VALUES
 (1,'','','','','','','','{}'),
 (2,'NULL','NULL','NULL','NULL','a','p,r','NULL','null'),
 (3,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL),
 (4,'quote\' dq" bs\\ tab\t nl\n cr\r z\Z nul\0 end','\\N','\\N',0x000102,'x y','q',_latin1 0xE9E8FF80A0,'{"a": [1, "x\\ny"]}'),
 (5,'😀 utf8mb4 𝄞 é','😀😀',0xF09F9880,0xFF,'b','p,q,r',_latin1 0x41,'[1.5e300, "😀"]');
CREATE TABLE tms (id INT PRIMARY KEY, dt DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, d DATE, t TIME(3));
INSERT INTO tms VALUES (1,'0000-00-00 00:00:00','1970-01-01 00:00:01.000001','0000-00-00','-838:59:59.000'),
 (2,'9999-12-31 23:59:59.999999','2038-01-19 03:14:07.999999','9999-12-31','00:00:00.5');
CREATE TABLE misc (id INT PRIMARY KEY, ip6 INET6, u UUID, g GEOMETRY, gen INT AS (id * 2) VIRTUAL,
  gs VARCHAR(20) AS (CONCAT('x', id)) STORED, inv INT INVISIBLE, `select` INT, `we ird``name` VARCHAR(5));
INSERT INTO misc (id, ip6, u, g, inv, `select`, `we ird``name`) VALUES
 (1,'::1','12345678-1234-1234-1234-123456789abc',ST_GeomFromText('POINT(1 2)'),7,1,'w'),
 (2,NULL,NULL,NULL,NULL,NULL,NULL);
-- auto_increment on a non-first primary key column needs its own index
CREATE TABLE ai2 (a INT NOT NULL, b INT NOT NULL AUTO_INCREMENT, c INT, PRIMARY KEY (a, b), KEY k_b (b), KEY k_c (c)) ENGINE=InnoDB;
INSERT INTO ai2 (a, c) VALUES (1,1),(1,2),(2,3);
CREATE TABLE customers (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL, email VARCHAR(80),
  UNIQUE KEY uk_email (email), KEY k_name (name)) ENGINE=InnoDB;
CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, customer_id INT NOT NULL, total DECIMAL(10,2),
  created DATETIME DEFAULT CURRENT_TIMESTAMP, KEY k_created (created),
  CONSTRAINT fk_cust FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
  CONSTRAINT chk_total CHECK (total >= 0)) ENGINE=InnoDB;
CREATE TABLE order_lines (order_id INT NOT NULL, line INT NOT NULL, qty INT, PRIMARY KEY (order_id, line),
  CONSTRAINT fk_order FOREIGN KEY (order_id) REFERENCES orders (id)) ENGINE=InnoDB;
CREATE TABLE audit (id INT PRIMARY KEY AUTO_INCREMENT, msg VARCHAR(100)) ENGINE=InnoDB;
CREATE TABLE myi (id INT PRIMARY KEY, v VARCHAR(10), KEY k_v (v)) ENGINE=MyISAM;
INSERT INTO myi VALUES (1,'x'),(2,'y');
CREATE TABLE empty_t (id INT PRIMARY KEY) ENGINE=InnoDB;
CREATE SEQUENCE seq1 START WITH 100 INCREMENT BY 5;
SQL
    # enough rows for several statements
    {
        echo "INSERT INTO rt.customers (name, email) VALUES"
        for i in $(seq 1 2000); do printf "('name %d','c%d@example.com'),\n" "$i" "$i"; done
        echo "('last','last@example.com');"
        echo "INSERT INTO rt.orders (customer_id, total, created) SELECT id, id * 1.5, '2024-01-01 00:00:00' FROM rt.customers;"
        echo "INSERT INTO rt.order_lines SELECT id, 1, 2 FROM rt.orders; INSERT INTO rt.order_lines SELECT id, 2, 3 FROM rt.orders;"
        echo "INSERT INTO rt.audit (msg) SELECT CONCAT('audit ', id) FROM rt.customers LIMIT 500;"
    } | sql "$srv"
    sql "$srv" <<'SQL'
USE rt;
SELECT NEXTVAL(seq1);
CREATE VIEW v_orders AS SELECT o.id, c.name, o.total FROM orders o JOIN customers c ON c.id = o.customer_id;
CREATE VIEW v_big AS SELECT * FROM v_orders WHERE total > 100;
CREATE VIEW v_bigger AS SELECT id FROM v_big WHERE total > 1000;
DELIMITER ;;
CREATE TRIGGER trg_orders_ai AFTER INSERT ON orders FOR EACH ROW BEGIN
  INSERT INTO audit (msg) VALUES (CONCAT('order; ', NEW.id));
END;;
CREATE TRIGGER trg_cust_bu BEFORE UPDATE ON customers FOR EACH ROW SET NEW.name = UPPER(NEW.name);;
CREATE FUNCTION f_total(cid INT) RETURNS DECIMAL(12,2) READS SQL DATA
BEGIN
  DECLARE s DECIMAL(12,2);
  SELECT SUM(total) INTO s FROM orders WHERE customer_id = cid; -- a comment; with semicolons
  RETURN s;
END;;
CREATE PROCEDURE p_count(OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM orders; END;;
CREATE EVENT ev_cleanup ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM audit WHERE id < 0;;
DELIMITER ;
SQL
}
