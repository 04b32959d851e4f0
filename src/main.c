/* wharf: parallel, consistent logical backup and restore for MariaDB/MySQL.
 *
 * main() owns the process: it picks the subcommand from the table below,
 * hands it argv, and turns its result into the exit status. Subcommands
 * return a WHARF_EXIT_* value and never exit themselves.
 */
#include "core/error.h"
#include "dump/dump.h"
#include "load/load.h"
#include "verify/verify.h"
#include "copy/copy.h"

#include <mysql.h>
#include <stdio.h>
#include <string.h>

typedef struct subcommand {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} subcommand;

/* load --verify=content runs verify's check: wired here, so that load does
 * not depend on the layer above it. */
static int load_main(int argc, char **argv)
{
    return wharf_load_main(argc, argv, wharf_verify_content);
}

static const subcommand subcommands[] = {
    {"dump", "write a server's databases to a dump directory", wharf_dump_main},
    {"load", "restore a dump directory into a server", load_main},
    {"verify", "prove a server holds exactly the rows of a dump directory", wharf_verify_main},
    {"copy", "copy databases from one server to another, with no file in between", wharf_copy_main},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: wharf [--version] [--help] COMMAND [OPTIONS]\n\n"
            "Parallel, consistent logical backup and restore for MariaDB and MySQL.\n\n"
            "Commands:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(subcommands); i++)
        fprintf(out, "  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
    fprintf(out, "\nRun 'wharf help COMMAND' or 'wharf COMMAND --help' for a command's options.\n");
}

static const subcommand *find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(subcommands); i++)
        if (strcmp(subcommands[i].name, name) == 0)
            return &subcommands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return WHARF_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0 || strcmp(cmd, "version") == 0) {
        printf("wharf %s (Connector/C %s)\n", WHARF_VERSION, mysql_get_client_info());
        return WHARF_EXIT_OK;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-?") == 0) {
        usage(stdout);
        return WHARF_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return WHARF_EXIT_OK;
        }
        const subcommand *sc = find(argv[2]);
        if (sc == NULL) {
            fprintf(stderr, "wharf: unknown command '%s'\n", argv[2]);
            return WHARF_EXIT_USAGE;
        }
        char *hargv[] = {argv[2], (char *)"--help", NULL};
        return sc->run(2, hargv);
    }
    const subcommand *sc = find(cmd);
    if (sc == NULL) {
        fprintf(stderr, "wharf: unknown command '%s'\n\n", cmd);
        usage(stderr);
        return WHARF_EXIT_USAGE;
    }
    if (mysql_library_init(0, NULL, NULL) != 0) {
        fprintf(stderr, "wharf: cannot initialise the MariaDB client library\n");
        return WHARF_EXIT_FAILED;
    }
    int rc = sc->run(argc - 1, argv + 1);
    mysql_library_end();
    return rc;
}
