#define _GNU_SOURCE
#include "CRetry.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

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

int cretry_await_handshake(pid_t pid, int milliseconds) {
    sigset_t handshake;
    sigemptyset(&handshake);
    sigaddset(&handshake, cretry_handshake_signal());
    struct timespec end, now;
    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += milliseconds / 1000;
    end.tv_nsec += (long)(milliseconds % 1000) * 1000000L;
    if (end.tv_nsec >= 1000000000L) { end.tv_sec++; end.tv_nsec -= 1000000000L; }
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long left = (end.tv_sec - now.tv_sec) * 1000000000L + (end.tv_nsec - now.tv_nsec);
        if (left <= 0) return 0;
        struct timespec wait = {left / 1000000000L, left % 1000000000L};
        siginfo_t info;
        int got = sigtimedwait(&handshake, &info, &wait);
        if (got == -1 && errno == EAGAIN) return 0;
        if (got == -1 && errno == EINTR) continue;
        if (got == -1) return -1;
        // Only the helper itself counts: sigqueue's sender pid and value.
        if (info.si_code == SI_QUEUE && info.si_pid == pid && info.si_value.sival_int == pid) return 1;
    }
}

pid_t cretry_spawn_guard(const char *helper, int read_end) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    if (posix_spawn_file_actions_init(&actions) != 0) return -1;
    if (posix_spawnattr_init(&attributes) != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return -1;
    }
    posix_spawn_file_actions_adddup2(&actions, read_end, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    // Its own group: a Ctrl-C, or a signal to retry's job or the command's
    // group, does not reach it.
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    char *arguments[] = {"retry-exec", "--guard", NULL};
    char *environment[] = {NULL};
    pid_t pid = -1;
    int error = posix_spawn(&pid, helper, &actions, &attributes, arguments, environment);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (error != 0) {
        errno = error;
        return -1;
    }
    return pid;
}
