#include "dump/dump.h"

#include "core/error.h"

#include <stdio.h>

int wharf_dump_main(int argc, char **argv)
{
    fprintf(stderr, "wharf dump: not implemented yet\n");
    return WHARF_EXIT_FAILED;
}
