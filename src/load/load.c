#include "load/load.h"

#include "core/error.h"

#include <stdio.h>

int wharf_load_main(int argc, char **argv)
{
    fprintf(stderr, "wharf load: not implemented yet\n");
    return WHARF_EXIT_FAILED;
}
