// retry-exec: retry's helper, the one C program of the package. Two modes.
//
// `retry-exec PARENT-PID ITEM...`: started by retry for each attempt (and
// hook), it makes itself the command with execv, in the same process.
// Foundation's `Process` offers no hook between fork and exec, so what GNU
// timeout does there is done here:
//
//   - PR_SET_PDEATHSIG(SIGKILL): if retry dies (kill -9, the OOM killer),
//     the kernel kills the command at once; the guard (below) takes the
//     rest of its group. Checked against the expected parent afterwards:
//     retry may already have died.
//   - the handshake (CRetry.h): it waits for retry's "go", sent once retry
//     has told the guard about this group, so no process of the command
//     exists that the guard does not know of; then it tells retry it is
//     about to exec, so that retry can tell a helper that ran the command
//     from one that did not (a wrong file in its place).
//   - an empty signal mask, and glibc's internal signals 32 and 33 at their
//     defaults (they arrive ignored; a plain child has none ignored). Other
//     ignored signals stay ignored: a background job's SIGINT must.
//   - the arguments and environment as raw bytes: Swift's `String` cannot
//     hold bytes that are not UTF-8, so retry hex-encodes those.
//
//   - the descriptors retry was given (fds 3 and up: a `3>log`, a
//     `<(...)`, systemd's LISTEN_FDS, make's jobserver), which Foundation
//     closes in the child: with the item `d`, fd 0 is a socket on which
//     retry has queued them (SCM_RIGHTS, each with its number, the command's
//     real stdin as number 0); each is put back at its number, and every
//     other descriptor above 2 (Foundation's own socket) is closed at exec.
//
//   Items: xPATH  the file to run;  aARG  one argument, argv[0] first;
//   eNAME=VALUE  an environment entry to set;  d  receive descriptors. An upper-case letter (X, A, E)
//   means the rest is hex-encoded bytes. When the file cannot be run it says
//   why on stderr and exits 126 (found, not runnable) or 127 (not found), as
//   the shell and GNU timeout do.
//
// `retry-exec --guard`: started once by retry before its first attempt, in
// a process group of its own, with a pipe from retry as stdin. retry writes
// "GROUP GRACE-MS" when an attempt starts and "0 0" when it ends. When the
// pipe reaches end-of-file, retry has gone: if a group was running, the guard
// sends it SIGTERM and SIGCONT, waits up to the grace for it to empty, sends
// SIGKILL, and exits.
#define _GNU_SOURCE
#include "CRetry.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

// The kernel's `struct sigaction`: glibc's sigaction() refuses 32 and 33.
struct kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes hex in place (the result is never longer); NULL if malformed.
static char *unhex(char *text) {
    char *out = text;
    for (const char *in = text; in[0] != '\0'; in += 2) {
        int high = hex_digit(in[0]), low = in[1] == '\0' ? -1 : hex_digit(in[1]);
        if (high < 0 || low < 0) return NULL;
        *out++ = (char)(high * 16 + low);
    }
    *out = '\0';
    return text;
}

static void die_with_parent(pid_t parent) {
    // SIGKILL, not SIGTERM: a command that ignores SIGTERM must not outlive
    // retry either. The guard gives the rest of the group its grace.
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (getppid() != parent) {
        // retry died before the line above: no signal will come.
        kill(getpid(), SIGKILL);
        _exit(137);
    }
}

// Waits for retry's "go", as long as retry lives (PR_SET_PDEATHSIG ends the
// wait if it dies; the check covers a parent stopped for good meanwhile).
static void await_go(pid_t parent) {
    sigset_t handshake;
    sigemptyset(&handshake);
    sigaddset(&handshake, cretry_handshake_signal());
    sigprocmask(SIG_BLOCK, &handshake, NULL);
    for (;;) {
        struct timespec slice = {1, 0};
        siginfo_t info;
        int got = sigtimedwait(&handshake, &info, &slice);
        if (got > 0 && info.si_pid == parent) return;
        if (getppid() != parent) _exit(137);
    }
}

static void announce(pid_t parent) {
    union sigval value = {.sival_int = getpid()};
    sigqueue(parent, cretry_handshake_signal(), value);
}

static void reset_signals(void) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    struct kernel_sigaction action = {SIG_DFL, 0, NULL, 0};
    for (int signal = 32; signal <= 33; signal++) {
        syscall(SYS_rt_sigaction, signal, &action, NULL, sizeof action.mask);
    }
}

static int fail(const char *name, int error) {
    cretry_write_all(2, "retry: ");
    cretry_write_all(2, name);
    if (error == ENOENT || error == ENOTDIR) {
        cretry_write_all(2, ": no such file\n");
        return 127;
    }
    cretry_write_all(2, ": cannot run: ");
    if (error == ENOEXEC) {
        cretry_write_all(2, "exec format error (a script needs a #! line)\n");
    } else {
        const char *reason = strerror(error);
        char first[2] = {reason[0] >= 'A' && reason[0] <= 'Z' ? (char)(reason[0] - 'A' + 'a') : reason[0], '\0'};
        cretry_write_all(2, first);
        cretry_write_all(2, reason + 1);
        cretry_write_all(2, "\n");
    }
    return 126;
}

enum { most_descriptors = 4096, per_message = 250 };

// Marks every descriptor from 3 up close-on-exec.
static void close_on_exec_from_3(void) {
    if (syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */) == 0) return;
    long limit = sysconf(_SC_OPEN_MAX);
    if (limit < 0 || limit > 65536) limit = 65536;
    for (int fd = 3; fd < limit; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
}

// Receives the descriptors retry queued on fd 0 and puts each at its
// number (see the top of this file); 0 on success.
static int receive_descriptors(void) {
    static int received[most_descriptors], targets[most_descriptors];
    int count = 0;
    for (;;) {
        int data[1 + per_message];
        union { char bytes[CMSG_SPACE(per_message * sizeof(int))]; struct cmsghdr align; } control;
        struct iovec vector = {data, sizeof data};
        struct msghdr message = {0};
        message.msg_iov = &vector;
        message.msg_iovlen = 1;
        message.msg_control = control.bytes;
        message.msg_controllen = sizeof control.bytes;
        ssize_t got = recvmsg(0, &message, MSG_CMSG_CLOEXEC);
        if (got < 0 && errno == EINTR) continue;
        if (got < (ssize_t)sizeof(int) || (message.msg_flags & MSG_CTRUNC) != 0) return -1;
        int numbers = (int)(got / (ssize_t)sizeof(int)) - 1;
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        int descriptors = header != NULL && header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS
            ? (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int)) : 0;
        if (descriptors != numbers || count + numbers > most_descriptors) return -1;
        if (numbers > 0) memcpy(received + count, CMSG_DATA(header), (size_t)numbers * sizeof(int));
        memcpy(targets + count, data + 1, (size_t)numbers * sizeof(int));
        count += numbers;
        if (data[0] == 0) break;
    }
    // Above every number they go to, so that putting one in place never
    // closes another; then everything from 3 up closes at exec, except the
    // copies dup2 makes (dup2 clears close-on-exec).
    int base = 3;
    for (int index = 0; index < count; index++) {
        if (targets[index] < 0) return -1;
        if (targets[index] >= base) base = targets[index] + 1;
    }
    for (int index = 0; index < count; index++) {
        int high = fcntl(received[index], F_DUPFD_CLOEXEC, base);
        if (high < 0) return -1;
        close(received[index]);
        received[index] = high;
    }
    close_on_exec_from_3();
    int input = 0;
    for (int index = 0; index < count; index++) {
        if (dup2(received[index], targets[index]) < 0) return -1;
        if (targets[index] == 0) input = 1;
    }
    // retry's own stdin was closed: so is the command's.
    if (!input) close(0);
    return 0;
}

static long milliseconds_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000L + now.tv_nsec / 1000000L;
}

static int guard(void) {
    // Only end-of-file from retry ends it; nothing of the terminal's or of
    // the command's group reaches its own group, but a stray signal must not.
    int ignored[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU};
    for (size_t index = 0; index < sizeof ignored / sizeof ignored[0]; index++) signal(ignored[index], SIG_IGN);
    // Holds no descriptor or directory of retry's caller open (a pipe whose
    // reader waits for its end, a mount point).
    if (syscall(SYS_close_range, 3, ~0U, 0) != 0) {
        for (int fd = 3; fd < 1024; fd++) close(fd);
    }
    if (chdir("/") != 0) { /* nothing depends on it */ }
    long group = 0, grace = 0;
    char line[64];
    size_t used = 0;
    for (;;) {
        ssize_t count = read(0, line + used, sizeof line - 1 - used);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) break;
        used += (size_t)count;
        line[used] = '\0';
        char *end;
        while ((end = strchr(line, '\n')) != NULL) {
            char *rest;
            group = strtol(line, &rest, 10);
            grace = strtol(rest, NULL, 10);
            used -= (size_t)(end + 1 - line);
            memmove(line, end + 1, used + 1);
        }
        if (used == sizeof line - 1) used = 0;  // no line is this long
    }
    if (group <= 1) return 0;
    kill(-group, SIGTERM);
    kill(-group, SIGCONT);
    long deadline = milliseconds_now() + grace;
    while (milliseconds_now() < deadline && kill(-group, 0) == 0) {
        struct timespec pause = {0, 10 * 1000000L};
        nanosleep(&pause, NULL);
    }
    kill(-group, SIGKILL);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--guard") == 0) return guard();
    if (argc < 3) {
        cretry_write_all(2, "retry-exec: this program is run by retry, not by hand\n");
        return 125;
    }
    pid_t parent = (pid_t)strtol(argv[1], NULL, 10);
    die_with_parent(parent);
    char *path = NULL;
    int descriptors = 0;
    // Arguments are rewritten in place, over the items they come from.
    char **arguments = argv;
    int count = 0;
    for (int index = 2; index < argc; index++) {
        char kind = argv[index][0], *value = argv[index] + 1;
        if (kind >= 'A' && kind <= 'Z' && (value = unhex(value)) == NULL) {
            cretry_write_all(2, "retry-exec: malformed item\n");
            return 125;
        }
        switch (kind | 0x20) {
        case 'x': path = value; break;
        case 'a': arguments[count++] = value; break;
        case 'e': putenv(value); break;
        case 'd': descriptors = 1; break;
        default: cretry_write_all(2, "retry-exec: unknown item\n"); return 125;
        }
    }
    arguments[count] = NULL;
    if (path == NULL || count == 0) {
        cretry_write_all(2, "retry-exec: no command\n");
        return 125;
    }
    if (descriptors && receive_descriptors() != 0) {
        cretry_write_all(2, "retry-exec: cannot receive retry's descriptors\n");
        return 125;
    }
    await_go(parent);
    announce(parent);
    reset_signals();
    execv(path, arguments);
    return fail(arguments[0], errno);
}
