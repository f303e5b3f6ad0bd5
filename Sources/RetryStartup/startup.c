// What must happen before any Swift code runs, so it is C, in a constructor:
//
// - Below a small stack limit (`ulimit -s 16`) the Swift runtime overflows
//   its stack while instantiating the first generic type, in `main`'s first
//   line: SIGSEGV without a word. Refuse here, with a line and status 125.
// - A stopping signal (INT, TERM, HUP, QUIT) that arrives before
//   `SignalRelay.install` would kill `retry` by its default action, or, for
//   SIGQUIT, be taken by the Swift runtime's crash reporter, which prints a
//   backtrace as for a crash. Blocked here, they wait for the relay's
//   handlers, which `SignalRelay.install` unblocks once they are in place.
#define _GNU_SOURCE
#include "RetryStartup.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

const unsigned long retry_minimum_stack = 256 * 1024;

static void write_all(const char *text) {
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t written = write(2, text, left);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;
        text += written;
        left -= (size_t)written;
    }
}

__attribute__((constructor)) static void retry_startup(void) {
    // The end-to-end test bundle links this target too (it depends on the
    // executable): its signals and limits are its own business.
    size_t length = strlen(program_invocation_short_name);
    if (length >= 7 && strcmp(program_invocation_short_name + length - 7, ".xctest") == 0) return;

    sigset_t stopping;
    sigemptyset(&stopping);
    sigaddset(&stopping, SIGINT);
    sigaddset(&stopping, SIGTERM);
    sigaddset(&stopping, SIGHUP);
    sigaddset(&stopping, SIGQUIT);
    sigprocmask(SIG_BLOCK, &stopping, NULL);

    struct rlimit stack;
    if (getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur != RLIM_INFINITY && stack.rlim_cur < retry_minimum_stack) {
        char line[200];
        snprintf(line, sizeof line,
                 "retry: the stack size limit (ulimit -s %lu) is too small; retry needs at least %lu KiB (ulimit -s %lu)\n",
                 (unsigned long)(stack.rlim_cur / 1024), retry_minimum_stack / 1024, retry_minimum_stack / 1024);
        write_all(line);
        _exit(125);
    }
}
