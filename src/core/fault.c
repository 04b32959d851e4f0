/* fault: named crash points (contract in fault.h). */
#include "core/fault.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

void wharf_fault_point(const char *name)
{
    const char *armed = getenv("WHARF_FAULT");
    if (armed != NULL && strcmp(armed, name) == 0)
        raise(SIGKILL);
}
