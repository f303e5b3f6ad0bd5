#include "CRetry.h"

#include <sys/prctl.h>
#include <sys/resource.h>

int cretry_disable_core_dumps(void) {
    // Not dumpable stops a core even where core_pattern pipes it to a
    // program, which ignores RLIMIT_CORE; the limit covers the rest.
    int dumpable = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    struct rlimit none = {0, 0};
    int limited = setrlimit(RLIMIT_CORE, &none);
    return dumpable == 0 || limited == 0 ? 0 : -1;
}

int cretry_is_child_subreaper(void) {
    int flag = 0;
    if (prctl(PR_GET_CHILD_SUBREAPER, &flag, 0, 0, 0) != 0) return 0;
    return flag != 0;
}
