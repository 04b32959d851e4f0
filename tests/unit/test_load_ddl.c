/* Unit tests of src/load/ddl.c: CREATE TABLE rewriting for deferred indexes
 * and foreign keys, object names, CREATE DATABASE renaming, LOAD DATA
 * parsing for the INSERT fallback. */
#include "core/error.h"
#include "load/ddl.h"

#include <string.h>

static const char *CREATE =
    "CREATE TABLE `orders` (\n"
    "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
    "  `cust` int(11) NOT NULL,\n"
    "  `note` text DEFAULT 'a, KEY `x` (`y`)',\n"
    "  PRIMARY KEY (`id`),\n"
    "  UNIQUE KEY `uk` (`cust`,`note`(10)),\n"
    "  KEY `k_c` (`cust`),\n"
    "  FULLTEXT KEY `ft` (`note`),\n"
    "  CONSTRAINT `fk1` FOREIGN KEY (`cust`) REFERENCES `customers` (`id`) ON DELETE CASCADE,\n"
    "  CONSTRAINT `fk2` FOREIGN KEY (`cust`) REFERENCES `other`.`p` (`id`),\n"
    "  CONSTRAINT `chk` CHECK (`cust` > 0)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;";

static void test_split(void)
{
    wharf_ddl_table t;
    wharf_ddl_table_init(&t);
    g_assert_true(wharf_ddl_split_table(CREATE, strlen(CREATE), TRUE, TRUE, &t));
    g_assert_cmpstr(t.engine, ==, "InnoDB");
    g_assert_null(strstr(t.create, "KEY `k_c`"));
    g_assert_null(strstr(t.create, "UNIQUE KEY"));
    g_assert_null(strstr(t.create, "FOREIGN KEY"));
    g_assert_nonnull(strstr(t.create, "PRIMARY KEY (`id`)"));
    g_assert_nonnull(strstr(t.create, "CONSTRAINT `chk` CHECK (`cust` > 0)\n) ENGINE=InnoDB"));
    g_assert_nonnull(strstr(t.create, "DEFAULT 'a, KEY `x` (`y`)',"));
    g_assert_cmpuint(t.indexes->len, ==, 2);
    g_assert_cmpstr(t.indexes->pdata[0], ==, "ADD UNIQUE KEY `uk` (`cust`,`note`(10))");
    g_assert_cmpuint(t.fulltext->len, ==, 1);
    g_assert_cmpuint(t.fks->len, ==, 2);
    g_assert_cmpstr(t.fks->pdata[0], ==,
                    "ADD CONSTRAINT `fk1` FOREIGN KEY (`cust`) REFERENCES `customers` (`id`) ON DELETE CASCADE");
    g_assert_cmpuint(t.parents->len, ==, 2);
    g_assert_cmpstr(t.parents->pdata[0], ==, "\x1f" "customers");
    g_assert_cmpstr(t.parents->pdata[1], ==, "other\x1fp");
    wharf_ddl_table_clear(&t);
}

static void test_auto_increment_index_kept(void)
{
    const char *c = "CREATE TABLE `t` (\n  `a` int NOT NULL,\n  `b` int NOT NULL AUTO_INCREMENT,\n"
                    "  PRIMARY KEY (`a`,`b`),\n  KEY `k_b` (`b`),\n  KEY `k_a` (`a`)\n) ENGINE=InnoDB";
    wharf_ddl_table t;
    wharf_ddl_table_init(&t);
    g_assert_true(wharf_ddl_split_table(c, strlen(c), TRUE, TRUE, &t));
    g_assert_nonnull(strstr(t.create, "KEY `k_b` (`b`)\n)"));
    g_assert_cmpuint(t.indexes->len, ==, 1);
    g_assert_cmpstr(t.indexes->pdata[0], ==, "ADD KEY `k_a` (`a`)");
    wharf_ddl_table_clear(&t);
}

static void test_not_a_table(void)
{
    const char *c = "CREATE SEQUENCE `s` start with 1";
    wharf_ddl_table t;
    wharf_ddl_table_init(&t);
    g_assert_false(wharf_ddl_split_table(c, strlen(c), TRUE, TRUE, &t));
    g_assert_cmpstr(t.create, ==, c);
    wharf_ddl_table_clear(&t);
}

static void test_objects(void)
{
    static const struct {
        const char *sql;
        wharf_ddl_kind k;
        const char *name;
    } cases[] = {
        {"CREATE DEFINER=`root`@`localhost` TRIGGER `trg` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.a=1",
         WHARF_DDL_TRIGGER, "trg"},
        {"/*!50003 CREATE*/ /*!50017 DEFINER=`u`@`%`*/ /*!50003 TRIGGER tr2 AFTER UPDATE ON t FOR EACH ROW BEGIN END */",
         WHARF_DDL_TRIGGER, "tr2"},
        {"CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v` AS select 1",
         WHARF_DDL_VIEW, "v"},
        {"CREATE DEFINER=CURRENT_USER() FUNCTION `db`.`f`(x int) RETURNS int RETURN x", WHARF_DDL_FUNCTION, "f"},
        {"CREATE OR REPLACE PROCEDURE p() SELECT 1", WHARF_DDL_PROCEDURE, "p"},
        {"CREATE DEFINER=root@localhost EVENT `ev` ON SCHEDULE EVERY 1 DAY DO SELECT 1", WHARF_DDL_EVENT, "ev"},
        {"INSERT INTO t VALUES (1)", WHARF_DDL_OTHER, NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *db = NULL, *name = NULL;
        wharf_ddl_kind k = wharf_ddl_object(cases[i].sql, strlen(cases[i].sql), &db, &name);
        g_assert_cmpint(k, ==, cases[i].k);
        g_assert_cmpstr(name, ==, cases[i].name);
        g_free(db);
        g_free(name);
    }
}

static void test_create_database(void)
{
    const char *s = "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `src` /*!40100 DEFAULT CHARACTER SET utf8mb4 */";
    char *r = wharf_ddl_create_database(s, strlen(s), "dst`x");
    g_assert_cmpstr(r, ==, "CREATE DATABASE IF NOT EXISTS `dst``x` /*!40100 DEFAULT CHARACTER SET utf8mb4 */");
    g_free(r);
    g_assert_null(wharf_ddl_create_database("SET NAMES binary", 16, "x"));
}

static void test_requalify(void)
{
    const char *s = "select `src`.`t`.`a` AS `a`,'`src`.' from `src`.`t` join `srcx`.`u`";
    size_t n;
    char *r = wharf_ddl_requalify(s, strlen(s), "src", "dst", &n);
    g_assert_cmpstr(r, ==, "select `dst`.`t`.`a` AS `a`,'`src`.' from `dst`.`t` join `srcx`.`u`");
    g_free(r);
    /* a trigger's text as it was typed: bare qualifiers too */
    s = "CREATE TRIGGER src.trg AFTER INSERT ON src.a FOR EACH ROW INSERT INTO srcx.b VALUES ('src.a')";
    r = wharf_ddl_requalify(s, strlen(s), "src", "dst", &n);
    g_assert_cmpstr(r, ==, "CREATE TRIGGER `dst`.trg AFTER INSERT ON `dst`.a FOR EACH ROW INSERT INTO srcx.b VALUES ('src.a')");
    g_free(r);
}

static void test_load_data(void)
{
    const char *s = "LOAD DATA LOCAL INFILE 'db.t.00000.dat' REPLACE INTO TABLE `t` CHARACTER SET binary "
                    "FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\' LINES STARTING BY '' "
                    "TERMINATED BY '\\n' (`id`,`v`,@`b`) SET `b`=CAST(@`b` AS UNSIGNED), `c`=NOW()";
    wharf_ddl_load_data ld;
    GError *err = NULL;
    g_assert_true(wharf_ddl_parse_load_data(s, strlen(s), &ld, &err));
    g_assert_no_error(err);
    g_assert_true(ld.default_format);
    g_assert_cmpstr(ld.modifier, ==, "REPLACE");
    g_assert_cmpstr(ld.table, ==, "`t`");
    g_assert_cmpuint(ld.columns->len, ==, 3);
    g_assert_cmpstr(ld.columns->pdata[2], ==, "@b");
    g_assert_cmpuint(ld.set_cols->len, ==, 2);
    g_assert_cmpstr(ld.set_expr->pdata[0], ==, "CAST(@`b` AS UNSIGNED)");
    GPtrArray *vars = g_ptr_array_new(), *lits = g_ptr_array_new();
    g_ptr_array_add(vars, (gpointer) "b");
    g_ptr_array_add(lits, (gpointer) "'5'");
    char *e = wharf_ddl_subst_vars(ld.set_expr->pdata[0], vars, lits);
    g_assert_cmpstr(e, ==, "CAST('5' AS UNSIGNED)");
    g_free(e);
    g_ptr_array_free(vars, TRUE);
    g_ptr_array_free(lits, TRUE);
    wharf_ddl_load_data_clear(&ld);

    const char *csv = "LOAD DATA LOCAL INFILE 'x' INTO TABLE t FIELDS TERMINATED BY ',' ENCLOSED BY '\"'";
    g_assert_true(wharf_ddl_parse_load_data(csv, strlen(csv), &ld, &err));
    g_assert_false(ld.default_format);
    wharf_ddl_load_data_clear(&ld);
}

static void check_definer(const char *in, const char *definer, const char *want)
{
    size_t n = 0;
    char *out = wharf_ddl_set_definer(in, strlen(in), definer, &n);
    if (want == NULL) {
        g_assert_null(out);
        return;
    }
    g_assert_nonnull(out);
    g_assert_cmpuint(n, ==, strlen(out));
    g_assert_cmpstr(out, ==, want);
    g_free(out);
}

/* --definer: the clause of the CREATE head only, every object kind, every
 * spelling the servers and mydumper write. */
static void test_definer(void)
{
    check_definer("CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v` AS select 1",
                  NULL, "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 1");
    check_definer("CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v` AS select 1",
                  "`app`@`%`", "CREATE ALGORITHM=UNDEFINED DEFINER=`app`@`%` SQL SECURITY DEFINER VIEW `v` AS select 1");
    check_definer("CREATE DEFINER=`a b`@`h` TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.id = 1", "",
                  "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.id = 1");
    check_definer("CREATE DEFINER='root'@'localhost' PROCEDURE p() SELECT 'DEFINER=`x`@`y`'", "`u`@`h`",
                  "CREATE DEFINER=`u`@`h` PROCEDURE p() SELECT 'DEFINER=`x`@`y`'");
    check_definer("CREATE DEFINER=CURRENT_USER() FUNCTION f() RETURNS INT RETURN 1", NULL,
                  "CREATE FUNCTION f() RETURNS INT RETURN 1");
    check_definer("CREATE DEFINER=root@localhost EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1", NULL,
                  "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1");
    check_definer("/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER t AFTER INSERT ON x "
                  "FOR EACH ROW SET @a = 1 */", "`app`@`%`",
                  "/*!50003 CREATE*/ /*!50017 DEFINER=`app`@`%`*/ /*!50003 TRIGGER t AFTER INSERT ON x "
                  "FOR EACH ROW SET @a = 1 */");
    /* none to change: a DEFINER word in the body is not the clause */
    check_definer("CREATE SQL SECURITY DEFINER VIEW v AS SELECT 1", NULL, NULL);
    check_definer("CREATE PROCEDURE p() SELECT DEFINER FROM t", "`u`@`h`", NULL);
    check_definer("CREATE TABLE t (id INT)", NULL, NULL);

    GError *err = NULL;
    char *c = wharf_ddl_definer_clause("'app'@'%'", &err);
    g_assert_cmpstr(c, ==, "`app`@`%`");
    g_free(c);
    c = wharf_ddl_definer_clause("us`er@10.0.0.%", &err);
    g_assert_cmpstr(c, ==, "`us``er`@`10.0.0.%`");
    g_free(c);
    g_assert_null(wharf_ddl_definer_clause("nohost", &err));
    g_assert_error(err, WHARF_ERROR, WHARF_ERROR_USAGE);
    g_clear_error(&err);
}

static wharf_ddl_acct_kind acct_kind(const char *sql, const char *user, const char *host)
{
    wharf_ddl_account a;
    wharf_ddl_acct_kind k = wharf_ddl_account_parse(sql, strlen(sql), &a);
    if (k != WHARF_ACCT_OTHER) {
        g_assert_cmpstr(a.user, ==, user);
        g_assert_cmpstr(a.host, ==, host);
    }
    wharf_ddl_account_clear(&a);
    return k;
}

static void test_accounts(void)
{
    g_assert_cmpint(acct_kind("CREATE USER `u_pw`@`%` IDENTIFIED BY PASSWORD '*7C67' WITH MAX_QUERIES_PER_HOUR 100", "u_pw", "%"),
                    ==, WHARF_ACCT_CREATE_USER);
    g_assert_cmpint(acct_kind("CREATE ROLE `r_read`", "r_read", NULL), ==, WHARF_ACCT_CREATE_ROLE);
    g_assert_cmpint(acct_kind("ALTER USER `u`@`localhost` PASSWORD EXPIRE", "u", "localhost"), ==, WHARF_ACCT_ALTER_USER);
    g_assert_cmpint(acct_kind("GRANT USAGE ON *.* TO `u`@`localhost` IDENTIFIED VIA unix_socket", "u", "localhost"), ==,
                    WHARF_ACCT_GRANT);
    g_assert_cmpint(acct_kind("GRANT SELECT ON `app`.* TO `r_read`", "r_read", NULL), ==, WHARF_ACCT_GRANT);
    g_assert_cmpint(acct_kind("GRANT PROXY ON ``@`%` TO `root`@`localhost` WITH GRANT OPTION", "root", "localhost"), ==,
                    WHARF_ACCT_GRANT);
    g_assert_cmpint(acct_kind("GRANT SELECT (`a`, `b`), UPDATE (`a`) ON `app`.`t` TO `u`@`localhost`", "u", "localhost"),
                    ==, WHARF_ACCT_GRANT_OBJECT);
    g_assert_cmpint(acct_kind("GRANT EXECUTE ON PROCEDURE `app`.`p` TO `u`@`h`", "u", "h"), ==, WHARF_ACCT_GRANT_OBJECT);
    g_assert_cmpint(acct_kind("GRANT INSERT ON `app`.`t` TO `u`@`%` WITH GRANT OPTION", "u", "%"), ==,
                    WHARF_ACCT_GRANT_OBJECT);
    wharf_ddl_account a;
    g_assert_cmpint(wharf_ddl_account_parse("GRANT `r1`, `r2` TO `u`@`%`", 27, &a), ==, WHARF_ACCT_GRANT_ROLE);
    g_assert_cmpuint(a.roles->len, ==, 2);
    g_assert_cmpstr(a.roles->pdata[1], ==, "r2");
    wharf_ddl_account_clear(&a);
    g_assert_cmpint(acct_kind("SET DEFAULT ROLE `r_adm` FOR `u_pw`@`%`", "u_pw", "%"), ==, WHARF_ACCT_DEFAULT_ROLE);
    g_assert_cmpint(acct_kind("SET DEFAULT ROLE NONE FOR `u`@`%`", "u", "%"), ==, WHARF_ACCT_DEFAULT_ROLE);
    /* refused: other statements, lists, the current user, unqualified objects */
    const char *bad[] = {"DROP DATABASE app", "DROP USER `u`@`%`", "CREATE OR REPLACE USER `u`@`%`",
                         "CREATE USER IF NOT EXISTS `u`@`%`", "CREATE USER `a`@`%`, `b`@`%`",
                         "CREATE ROLE `r` WITH ADMIN `x`@`%`", "GRANT ALL ON *.* TO CURRENT_USER",
                         "GRANT ALL ON *.* TO `a`@`%`, `b`@`%`", "GRANT SELECT ON t TO `u`@`%`",
                         "GRANT ALL PRIVILEGES TO `u`@`%`", "SET DEFAULT ROLE `r`", "REVOKE ALL ON *.* FROM `u`@`%`",
                         "SET PASSWORD FOR `u`@`%` = PASSWORD('x')", "CREATE TABLE `t` (a int)",
                         "ALTER USER IF EXISTS `u`@`%` ACCOUNT LOCK", "GRANT EXECUTE ON PROCEDURE *.* TO `u`@`%`"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_cmpint(acct_kind(bad[i], NULL, NULL), ==, WHARF_ACCT_OTHER);
        g_assert_false(wharf_ddl_allowed(bad[i], strlen(bad[i]), &(wharf_ddl_scope){WHARF_SCOPE_ACCOUNTS, NULL, NULL}));
    }
    const char *set = "/*!40101 SET NAMES utf8mb4*/";
    g_assert_true(wharf_ddl_allowed(set, strlen(set), &(wharf_ddl_scope){WHARF_SCOPE_ACCOUNTS, NULL, NULL}));
    g_assert_false(wharf_ddl_allowed("CREATE ROLE `r`", 15, &(wharf_ddl_scope){WHARF_SCOPE_POST, "db", NULL}));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/load/ddl/definer", test_definer);
    g_test_add_func("/load/ddl/split", test_split);
    g_test_add_func("/load/ddl/auto-increment", test_auto_increment_index_kept);
    g_test_add_func("/load/ddl/not-a-table", test_not_a_table);
    g_test_add_func("/load/ddl/objects", test_objects);
    g_test_add_func("/load/ddl/create-database", test_create_database);
    g_test_add_func("/load/ddl/requalify", test_requalify);
    g_test_add_func("/load/ddl/load-data", test_load_data);
    g_test_add_func("/load/ddl/accounts", test_accounts);
    return g_test_run();
}
