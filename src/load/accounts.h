/* accounts: loading a dump's users, roles and grants (wharf load --users).
 *
 * Contract:
 *  - wharf_load_accounts_read() reads the accounts file (wharf-accounts.grants,
 *    docs/FORMAT.md "Accounts") once, while planning, before anything is
 *    changed: every statement must be a session SET or an account statement
 *    of load/ddl.h (wharf_ddl_account_parse: one account each); the first
 *    that is not fails the read, naming the file and the statement number,
 *    so a tampered file loads nothing at all. A statement that changes one
 *    of the server's own accounts (wharf_layout_system_account), which no
 *    dump holds, is refused so too. Statements are grouped by the
 *    account they change, in file order; --include-users / --exclude-users
 *    (GPatternSpec globs, `*` and `?`, on "user@host" for a user and the
 *    name alone for a role) choose accounts: all of an account's statements
 *    go, or none.
 *  - Each account is one job (WHARF_LJ_ACCOUNT: CREATE USER/ROLE, ALTER
 *    USER, global and database grants, role grants, SET DEFAULT ROLE),
 *    after the jobs of the roles granted to it; its grants on tables,
 *    columns and routines are a second job (WHARF_LJ_ACCOUNT_OBJECTS) after
 *    every table, view and routine is created (the server refuses a grant
 *    on an object that does not exist). Views, triggers, routines and events
 *    wait for every account job (their DEFINER), events also for the object
 *    grants.
 *  - The account the load connects as may not be in the dump (refused
 *    before anything changes). An account that exists in the target
 *    (wharf_load_accounts_check, one query): --if-exists=fail refuses the load before anything changes,
 *    naming it; drop: DROP USER / DROP ROLE, then the dump's statements;
 *    truncate and append (which keep a table's definition) do not apply to
 *    an account: refused as fail is (the caller, load.c).
 *  - The plan owns the structures; jobs read them (and set nothing).
 */
#ifndef WHARF_LOAD_ACCOUNTS_H
#define WHARF_LOAD_ACCOUNTS_H

#include <glib.h>
#include <mysql.h>

struct wharf_load_plan;
struct wharf_load_opts;
struct wharf_load_worker;
struct wharf_journal;

typedef struct wharf_load_account {
    char *user, *host;        /* host NULL: a role (named alone) */
    char *display;            /* `u`@`h` or `r` */
    gboolean created_by_dump; /* the file has its CREATE USER / CREATE ROLE */
    GPtrArray *stmts;         /* char*: everything but grants on objects, in file order */
    GPtrArray *object_stmts;  /* char*: grants on tables, columns, routines */
    GPtrArray *roles;         /* wharf_load_account*: roles granted to it (in the plan) */
    gboolean exists;          /* in the target before the run (wharf_load_accounts_check) */
} wharf_load_account;

typedef struct wharf_load_accounts {
    char *path;
    GPtrArray *session;   /* char*: the file's session SET statements, run first */
    GPtrArray *list;      /* wharf_load_account*, by first appearance */
    guint left_out;       /* accounts --include-users / --exclude-users left out */
    guint created;        /* CREATE USER / CREATE ROLE statements in the file */
} wharf_load_accounts;

/* NULL with *err when the file is refused or unreadable. */
wharf_load_accounts *wharf_load_accounts_read(const struct wharf_load_plan *p, const struct wharf_load_opts *o,
                                              const char *path, GError **err);
void wharf_load_accounts_free(wharf_load_accounts *a);

/* Mark the accounts (with a CREATE in the file) the target has;
 * conflicts (char*, "account `u`@`h`") are added to conflicts for the
 * caller's --if-exists decision. journal (--resume, or NULL): an account
 * its previous run created is not a conflict (journaled: kept; else
 * replaced). */
gboolean wharf_load_accounts_check(MYSQL *m, wharf_load_accounts *a, const struct wharf_journal *journal,
                                   GPtrArray *conflicts, GError **err);

/* The job of one account (objects: its grants on objects). */
gboolean wharf_load_account_run(struct wharf_load_worker *w, wharf_load_account *a, gboolean objects,
                                GError **err);

#endif
