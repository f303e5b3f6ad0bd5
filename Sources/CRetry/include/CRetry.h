// The few C calls Swift cannot make itself: `prctl` is variadic, and Swift
// imports no variadic C function.
#ifndef CRETRY_H
#define CRETRY_H

#include "CRetryTLS.h"

/// Makes the calling process not dumpable and sets RLIMIT_CORE to 0, as GNU
/// timeout does before dying of a signal; 0 on success.
int cretry_disable_core_dumps(void);

/// Whether the calling process is a child subreaper (PR_GET_CHILD_SUBREAPER):
/// orphans of its descendants are then re-parented to it.
int cretry_is_child_subreaper(void);

#endif
