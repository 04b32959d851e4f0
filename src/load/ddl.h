/* ddl: reading and rewriting the SQL text of a dump's schema statements.
 *
 * Contract:
 *  - Pure functions over statement text (no server, no state): thread-safe.
 *  - A small lexer understands backtick identifiers, '...' and "..." strings
 *    with backslash escapes, comments (-- # and C style), and treats the
 *    markers of versioned comments (slash-star-bang NNNNN ... star-slash) as
 *    blanks, so `CREATE /x!50017 DEFINER=... x/ TRIGGER` style text from
 *    mysqldump-like tools parses the same as plain text.
 *  - wharf_ddl_split_table() rewrites a CREATE TABLE as SHOW CREATE TABLE
 *    prints it (one definition per line): it removes foreign keys (always,
 *    when split_fks) and, when defer_indexes, secondary indexes (KEY, UNIQUE,
 *    FULLTEXT, SPATIAL), keeping PRIMARY KEY, CHECK constraints and the index
 *    an AUTO_INCREMENT column needs. The removed definitions come back as
 *    ALTER TABLE clauses ("ADD KEY ..."); FULLTEXT indexes one per ALTER
 *    (InnoDB builds one at a time). Text it does not recognise is returned
 *    unchanged (nothing deferred): the rewrite never changes meaning.
 *  - wharf_ddl_object() names the object a CREATE statement makes.
 */
#ifndef WHARF_LOAD_DDL_H
#define WHARF_LOAD_DDL_H

#include <glib.h>

typedef struct wharf_ddl_table {
    char *create;       /* the rewritten CREATE TABLE */
    char *engine;       /* ENGINE=..., NULL if absent */
    GPtrArray *indexes; /* char* "ADD KEY `k` (`a`)" (non-FULLTEXT), for one ALTER */
    GPtrArray *fulltext;/* char* "ADD FULLTEXT KEY ...", one ALTER each */
    GPtrArray *fks;     /* char* "ADD CONSTRAINT `fk` FOREIGN KEY ...", for one ALTER */
    GPtrArray *parents; /* char* referenced tables: "db\x1ftable" (db "" if unqualified) */
} wharf_ddl_table;

void wharf_ddl_table_init(wharf_ddl_table *t);
void wharf_ddl_table_clear(wharf_ddl_table *t);
/* FALSE if stmt is not a CREATE TABLE with the expected layout (out->create
 * is then a copy of stmt and nothing is removed). */
gboolean wharf_ddl_split_table(const char *stmt, size_t len, gboolean defer_indexes,
                               gboolean split_fks, wharf_ddl_table *out);

typedef enum {
    WHARF_DDL_OTHER = 0,
    WHARF_DDL_DATABASE,
    WHARF_DDL_TABLE,
    WHARF_DDL_SEQUENCE,
    WHARF_DDL_VIEW,
    WHARF_DDL_TRIGGER,
    WHARF_DDL_PROCEDURE,
    WHARF_DDL_FUNCTION,
    WHARF_DDL_EVENT,
    WHARF_DDL_PACKAGE,      /* sql_mode=ORACLE package specification */
    WHARF_DDL_PACKAGE_BODY,
} wharf_ddl_kind;

/* Kind and (unquoted) name of the object created by a CREATE statement;
 * WHARF_DDL_OTHER (name NULL) for any other statement. *db gets the
 * qualifier if the name is qualified (else NULL). */
wharf_ddl_kind wharf_ddl_object(const char *stmt, size_t len, char **db, char **name);
/* Confinement: what a file of a dump may do. A file may hold only the
 * statements of the object its name claims (docs/FORMAT.md):
 *   every file       session SET (no GLOBAL/PERSIST, PASSWORD, ROLE,
 *                    DEFAULT ROLE, SET STATEMENT)
 *   DB_CREATE        CREATE DATABASE db
 *   TABLE            CREATE TABLE|SEQUENCE name; DROP TABLE [IF EXISTS]
 *                    name; DO SETVAL(name, ...) (older wharf dumps)
 *   VIEW             CREATE VIEW name; DROP TABLE|VIEW [IF EXISTS] name
 *   TRIGGERS         CREATE TRIGGER ... ON name; DROP TRIGGER
 *   DB_TRIGGERS      CREATE TRIGGER ... ON any table of db; DROP TRIGGER
 *   POST             CREATE/DROP FUNCTION|PROCEDURE|PACKAGE [BODY]|EVENT
 *   DATA             INSERT|REPLACE [INTO] name; LOAD DATA ... INTO TABLE name
 *   ACCOUNTS         the account statements of wharf_ddl_account_parse (no db)
 * A qualified name must be in db (the dump's database, before --into). */
typedef enum {
    WHARF_SCOPE_DB_CREATE,
    WHARF_SCOPE_TABLE,
    WHARF_SCOPE_VIEW,
    WHARF_SCOPE_TRIGGERS,
    WHARF_SCOPE_DB_TRIGGERS,
    WHARF_SCOPE_POST,
    WHARF_SCOPE_DATA,
    WHARF_SCOPE_ACCOUNTS,
} wharf_ddl_file_scope;

typedef struct wharf_ddl_scope {
    wharf_ddl_file_scope file;
    const char *db;   /* the database the file belongs to */
    const char *name; /* the table/view it is named for, NULL for database files */
} wharf_ddl_scope;

gboolean wharf_ddl_allowed(const char *stmt, size_t len, const wharf_ddl_scope *sc);

/* Account statements (an accounts file, docs/FORMAT.md): each changes
 * exactly one account, named with its host (`u`@`h`) or, for a role,
 * alone (`r`):
 *   CREATE USER acct ...        (no OR REPLACE, IF NOT EXISTS, no list)
 *   CREATE ROLE role            (nothing after the name)
 *   ALTER USER acct ...         (no IF EXISTS, no list)
 *   GRANT privs ON *.* | db.* TO acct ...        GRANT
 *   GRANT PROXY ON acct TO acct ...              GRANT
 *   GRANT privs ON [TABLE|PROCEDURE|FUNCTION|PACKAGE [BODY]] db.obj TO acct
 *                                                GRANT_OBJECT (needs the object)
 *   GRANT role [, role ...] TO acct ...          GRANT_ROLE
 *   SET DEFAULT ROLE role|NONE FOR acct          DEFAULT_ROLE
 * The account is never CURRENT_USER / CURRENT_ROLE, and anything after it
 * holds no top-level comma (one grantee). Anything else is OTHER. */
typedef enum {
    WHARF_ACCT_OTHER = 0,
    WHARF_ACCT_CREATE_USER,
    WHARF_ACCT_CREATE_ROLE,
    WHARF_ACCT_ALTER_USER,
    WHARF_ACCT_GRANT,
    WHARF_ACCT_GRANT_OBJECT,
    WHARF_ACCT_GRANT_ROLE,
    WHARF_ACCT_DEFAULT_ROLE,
} wharf_ddl_acct_kind;

typedef struct wharf_ddl_account {
    wharf_ddl_acct_kind kind;
    char *user;       /* unquoted */
    char *host;       /* unquoted; NULL when the account is named alone (a role) */
    GPtrArray *roles; /* GRANT_ROLE: the roles granted (char*), else NULL */
} wharf_ddl_account;

wharf_ddl_acct_kind wharf_ddl_account_parse(const char *stmt, size_t len, wharf_ddl_account *out);
void wharf_ddl_account_clear(wharf_ddl_account *a);

/* Kind of the object a DROP statement drops (WHARF_DDL_OTHER if not DROP). */
wharf_ddl_kind wharf_ddl_drop_kind(const char *stmt, size_t len);
/* "PROCEDURE", "FUNCTION", ... for DROP statements. */
const char *wharf_ddl_kind_keyword(wharf_ddl_kind k);

/* TRUE if the statement's first keyword is `word` (case-insensitive),
 * skipping blanks, comments and versioned-comment markers. */
gboolean wharf_ddl_starts_with(const char *stmt, size_t len, const char *word);

/* Rewrite CREATE DATABASE/SCHEMA to "CREATE DATABASE IF NOT EXISTS `target`"
 * followed by the original options (character set, collation). NULL if the
 * statement is not a CREATE DATABASE. */
char *wharf_ddl_create_database(const char *stmt, size_t len, const char *target);

/* Unquoted identifiers (`...` and bare words) of the statement, in order,
 * for finding the views a view reads. */
GPtrArray *wharf_ddl_identifiers(const char *stmt, size_t len);

/* Replace every `from`. (backtick-quoted qualifier followed by a dot) by
 * `to`. (for --into). Returns a new string; *out_len its length. */
char *wharf_ddl_requalify(const char *stmt, size_t len, const char *from, const char *to,
                          size_t *out_len);

/* A parsed LOAD DATA statement, for the INSERT fallback. */
typedef struct wharf_ddl_load_data {
    char *table;        /* quoted as written: `t` or `db`.`t` */
    GPtrArray *columns; /* char* column or "@var" (unquoted), in file order */
    GPtrArray *set_cols;/* char* target column of each SET assignment (quoted) */
    GPtrArray *set_expr;/* char* expression text of each SET assignment */
    gboolean default_format; /* tab / backslash / newline, nothing enclosed */
    const char *modifier;    /* "REPLACE", "IGNORE" or NULL (static) */
} wharf_ddl_load_data;

/* The statement with the DEFINER clause of its CREATE head replaced by
 * DEFINER=definer (a quoted `user`@`host`), or removed when definer is NULL
 * or "" (the object then belongs to the loading user; SQL SECURITY is
 * kept). NULL when the statement has no DEFINER clause. */
char *wharf_ddl_set_definer(const char *stmt, size_t len, const char *definer, size_t *out_len);
/* --definer=USER@HOST (parts optionally quoted) as `user`@`host`. */
char *wharf_ddl_definer_clause(const char *spec, GError **err);

gboolean wharf_ddl_parse_load_data(const char *stmt, size_t len, wharf_ddl_load_data *out,
                                   GError **err);
void wharf_ddl_load_data_clear(wharf_ddl_load_data *ld);
/* Substitute each @var of expr by its SQL literal (vars[i] -> literals[i]). */
char *wharf_ddl_subst_vars(const char *expr, GPtrArray *vars, GPtrArray *literals);

#endif
