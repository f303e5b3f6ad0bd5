// retry's C: what Swift cannot call (variadic `prctl`, SIGRTMIN, which is a
// function call behind a macro), what must run before any Swift code, and
// what `retry-exec` shares with `retry`; the libssl shim is in CRetryTLS.h.
#ifndef CRETRY_H
#define CRETRY_H

#include "CRetryTLS.h"
#include <sys/types.h>

/// The smallest stack limit (`ulimit -s`, in bytes) `retry` runs with.
extern const unsigned long cretry_minimum_stack;

/// The first thing `retry` does, before any other Swift code: refuses a
/// stack limit below `cretry_minimum_stack` (a line on stderr, exit 125),
/// and blocks the stopping signals (INT, TERM, HUP, QUIT) until
/// `SignalRelay.install` has handlers for them, and the handshake signal
/// for good.
void cretry_startup(void);

/// Writes all of `text` to `fd`, retrying after EINTR; gives up silently on
/// any other error (it is used for last words).
void cretry_write_all(int fd, const char *text);

/// Makes the calling process not dumpable and sets RLIMIT_CORE to 0, as GNU
/// timeout does before dying of a signal; 0 on success.
int cretry_disable_core_dumps(void);

/// Whether the calling process is a child subreaper (PR_GET_CHILD_SUBREAPER):
/// orphans of its descendants are then re-parented to it.
int cretry_is_child_subreaper(void);

/// The real-time signal of the handshake between `retry` and `retry-exec`:
/// `retry` sends it to the helper once the helper's group is registered
/// with the guard ("go"); the helper sends it back, with its pid as the
/// value, just before it execs the command ("starting"). Blocked in `retry`
/// and, inherited, in the helper, so it waits pending until asked for.
int cretry_handshake_signal(void);

/// Waits up to `milliseconds` for the helper `pid`'s handshake; 1 when it
/// came, 0 when it did not (yet), -1 on an error other than EINTR.
int cretry_await_handshake(pid_t pid, int milliseconds);

/// Starts `helper` as the guard (`retry-exec --guard`), in a process group
/// of its own, reading `read_end` as its stdin; its stdout and stderr are
/// /dev/null. Returns its pid, or -1 with errno set.
pid_t cretry_spawn_guard(const char *helper, int read_end);

#endif
