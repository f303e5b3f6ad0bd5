/* spawnloop: the floor for spawning a command and reaping it, with nothing
 * but posix_spawnp and waitpid, N times in a row. Prints
 * "<ns before the first spawn> <ns after the last reap> <last status>"
 * (CLOCK_MONOTONIC), so it also serves as a harness that notes when a
 * command (N = 1) has gone. With -d MS it sleeps MS milliseconds
 * (clock_nanosleep) between one reap and the next spawn, as a retry loop
 * with a constant delay does.
 *
 *   spawnloop [-d MS] N COMMAND [ARG...]
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    long long delay = 0;
    if (argc >= 3 && strcmp(argv[1], "-d") == 0) {
        delay = (long long)(atof(argv[2]) * 1e6);
        argv += 2;
        argc -= 2;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: spawnloop [-d MS] N COMMAND [ARG...]\n");
        return 2;
    }
    struct timespec pause = { .tv_sec = delay / 1000000000LL, .tv_nsec = delay % 1000000000LL };
    long n = atol(argv[1]);
    int status = 0;
    long long start = now_ns();
    for (long i = 0; i < n; i++) {
        if (i > 0 && delay > 0) clock_nanosleep(CLOCK_MONOTONIC, 0, &pause, NULL);
        pid_t pid;
        int err = posix_spawnp(&pid, argv[2], NULL, NULL, &argv[2], environ);
        if (err != 0) {
            fprintf(stderr, "spawnloop: cannot run %s\n", argv[2]);
            return 127;
        }
        while (waitpid(pid, &status, 0) < 0) {}
    }
    long long end = now_ns();
    printf("%lld %lld %d\n", start, end,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
