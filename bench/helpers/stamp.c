/* stamp: appends CLOCK_MONOTONIC timestamps (nanoseconds) to a file, for
 * measuring `retry` from the outside. Built static (-static -O2) so that its
 * own start-up is as short as it gets.
 *
 *   stamp FILE [STATUS]   append "<ns>\n" at the start of main, exit STATUS (default 1)
 *   stamp --term FILE     append "S <ns>\n", wait for SIGTERM; on it append
 *                         "T <ns>\n" and exit 143 (gives up by itself after 30 s)
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int out = -1;

static void put(const char *prefix) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    char line[64];
    int n = snprintf(line, sizeof line, "%s%lld\n", prefix,
                     (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    if (write(out, line, (size_t)n) != n) _exit(99);
}

static void on_term(int sig) {
    (void)sig;
    put("T ");
    _exit(143);
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "--term") == 0) {
        out = open(argv[2], O_WRONLY | O_APPEND | O_CREAT, 0644);
        if (out < 0) return 98;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_term;
        sigaction(SIGTERM, &sa, NULL);
        put("S ");
        sleep(30);
        return 0;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: stamp FILE [STATUS] | stamp --term FILE\n");
        return 2;
    }
    out = open(argv[1], O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (out < 0) return 98;
    put("");
    return argc >= 3 ? atoi(argv[2]) : 1;
}
