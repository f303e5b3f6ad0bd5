// What must happen before any other Swift code runs (main.swift's first line):
//
// - Below a small stack limit (`ulimit -s 16`) the Swift runtime overflows
//   its stack while instantiating the first generic type: SIGSEGV without a
//   word. Refuse here, with a line and status 125.
// - A stopping signal (INT, TERM, HUP, QUIT) that arrives before
//   `SignalRelay.install` would kill `retry` by its default action, or, for
//   SIGQUIT, be taken by the Swift runtime's crash reporter, which prints a
//   backtrace as for a crash. Blocked here, they wait for the relay's
//   handlers, which `SignalRelay.install` unblocks once they are in place.
// - The handshake signal (see CRetry.h) is blocked in every thread, which
//   all inherit this mask, so it waits for `cretry_await_handshake`.
#define _GNU_SOURCE
#include "CRetry.h"

#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

const unsigned long cretry_minimum_stack = 256 * 1024;

void cretry_startup(void) {
    sigset_t held;
    sigemptyset(&held);
    sigaddset(&held, SIGINT);
    sigaddset(&held, SIGTERM);
    sigaddset(&held, SIGHUP);
    sigaddset(&held, SIGQUIT);
    sigaddset(&held, cretry_handshake_signal());
    sigprocmask(SIG_BLOCK, &held, NULL);

    struct rlimit stack;
    if (getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur != RLIM_INFINITY && stack.rlim_cur < cretry_minimum_stack) {
        char line[200];
        snprintf(line, sizeof line,
                 "retry: the stack size limit (ulimit -s %lu) is too small; retry needs at least %lu KiB (ulimit -s %lu)\n",
                 (unsigned long)(stack.rlim_cur / 1024), cretry_minimum_stack / 1024, cretry_minimum_stack / 1024);
        cretry_write_all(2, line);
        _exit(125);
    }
}
