/* startat: sleeps until an absolute CLOCK_MONOTONIC time, then execs a
 * command, so that many clients of the herd start at the same instant, as
 * jobs fired by one cron line do.
 *
 *   startat NS COMMAND [ARG...]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: startat NS COMMAND [ARG...]\n");
        return 2;
    }
    long long at = atoll(argv[1]);
    struct timespec ts = { .tv_sec = at / 1000000000LL, .tv_nsec = at % 1000000000LL };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {}
    execvp(argv[2], &argv[2]);
    perror("startat: exec");
    return 127;
}
