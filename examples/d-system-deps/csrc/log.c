#include <stdio.h>
#include "shim.h"

void shim_log(const char *msg) { fprintf(stderr, "fetchit: %s\n", msg); }
