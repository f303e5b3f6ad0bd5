// retry-exec: the program retry starts for each attempt, which makes itself
// the command with execv, in the same process. Foundation's `Process` offers
// no hook between fork and exec, so what GNU timeout does there is done here:
//
//   - PR_SET_PDEATHSIG(SIGKILL): if retry dies without tearing the attempt
//     down (kill -9, the OOM killer), the kernel kills the command. Checked
//     against the expected parent afterwards: retry may already have died.
//   - an empty signal mask, and glibc's internal signals 32 and 33 at their
//     defaults (they arrive ignored; a plain child has none ignored). Other
//     ignored signals stay ignored: a background job's SIGINT must.
//   - the arguments and environment as raw bytes: Swift's `String` cannot
//     hold bytes that are not UTF-8, so retry hex-encodes those.
//
// Usage (by retry only): retry-exec PARENT-PID ITEM...
//   xPATH  the file to run          aARG       one argument, argv[0] first
//   eNAME=VALUE  an environment entry to set
// An upper-case letter (X, A, E) means the rest is hex-encoded bytes.
// When the file cannot be run it says why on stderr and exits 126 (found,
// not runnable) or 127 (not found), as the shell and GNU timeout do.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

// The kernel's `struct sigaction`: glibc's sigaction() refuses 32 and 33.
struct kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};

static void say(const char *text) {
    size_t length = strlen(text);
    while (length > 0) {
        ssize_t written = write(2, text, length);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;
        text += written;
        length -= (size_t)written;
    }
}

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

static void die_with_parent(const char *expected) {
    // SIGKILL, not SIGTERM: a command that ignores SIGTERM must not outlive
    // retry either. retry's watchdog gives the rest of the group its grace.
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (getppid() != (pid_t)strtol(expected, NULL, 10)) {
        // retry died before the line above: no signal will come.
        kill(getpid(), SIGKILL);
        _exit(137);
    }
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
    say("retry: ");
    say(name);
    if (error == ENOENT || error == ENOTDIR) {
        say(": no such file\n");
        return 127;
    }
    say(": cannot run: ");
    if (error == ENOEXEC) {
        say("exec format error (a script needs a #! line)\n");
    } else {
        const char *reason = strerror(error);
        char first[2] = {reason[0] >= 'A' && reason[0] <= 'Z' ? (char)(reason[0] - 'A' + 'a') : reason[0], '\0'};
        say(first);
        say(reason + 1);
        say("\n");
    }
    return 126;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        say("retry-exec: this program is run by retry, not by hand\n");
        return 125;
    }
    die_with_parent(argv[1]);
    reset_signals();
    char *path = NULL;
    // Arguments are rewritten in place, over the items they come from.
    char **arguments = argv;
    int count = 0;
    for (int index = 2; index < argc; index++) {
        char kind = argv[index][0], *value = argv[index] + 1;
        if (kind >= 'A' && kind <= 'Z' && (value = unhex(value)) == NULL) {
            say("retry-exec: malformed item\n");
            return 125;
        }
        switch (kind | 0x20) {
        case 'x': path = value; break;
        case 'a': arguments[count++] = value; break;
        case 'e': putenv(value); break;
        default: say("retry-exec: unknown item\n"); return 125;
        }
    }
    arguments[count] = NULL;
    if (path == NULL || count == 0) {
        say("retry-exec: no command\n");
        return 125;
    }
    execv(path, arguments);
    return fail(arguments[0], errno);
}
