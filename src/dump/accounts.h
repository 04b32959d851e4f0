/* accounts: the server's users and roles as statements
 * (wharf-accounts.grants, docs/FORMAT.md "Accounts").
 *
 * Contract:
 *  - wharf_accounts_dump() lists the accounts in one query
 *    (mysql.global_priv: user, host, is_role; mysql.user where that table
 *    does not exist), then per account SHOW CREATE USER (users) and SHOW
 *    GRANTS FOR: O(accounts) round trips, on an autocommit connection.
 *  - The file holds, in this order: every CREATE ROLE, every CREATE USER
 *    (as SHOW CREATE USER prints it: authentication, resource limits,
 *    password and lock options), every account's own GRANT lines (a role's
 *    SHOW GRANTS also prints the grants of the roles granted to it: those
 *    belong to those roles and are written once, with them), then every SET
 *    DEFAULT ROLE. So each statement finds what it names already there.
 *    Statements end with ';' at the end of a line (the line-end escape of
 *    format/splitter.h inside them), after one SET NAMES utf8mb4 line.
 *  - The server's own accounts are left out (wharf_layout_system_account):
 *    every target has its own. The result counts both.
 *  - Errors name the account.
 */
#ifndef WHARF_DUMP_ACCOUNTS_H
#define WHARF_DUMP_ACCOUNTS_H

#include "dump/rows.h"

#include <mysql.h>

typedef struct wharf_accounts_result {
    guint users, roles;   /* written */
    guint left_out;       /* system accounts not written */
    char *left_out_names; /* "`mariadb.sys`@`localhost`, ..." (NULL if none) */
} wharf_accounts_result;

gboolean wharf_accounts_dump(MYSQL *m, const wharf_outdir *o, wharf_accounts_result *r, GError **err);
void wharf_accounts_result_clear(wharf_accounts_result *r);

#endif
