/* sleeploop: how late a plain relative sleep wakes. Sleeps MS milliseconds
 * N times with clock_nanosleep(CLOCK_MONOTONIC) and prints each overshoot
 * in nanoseconds, one a line: the floor for figure 4.
 *
 *   sleeploop N MS
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: sleeploop N MS\n");
        return 2;
    }
    long n = atol(argv[1]);
    long long want = (long long)(atof(argv[2]) * 1e6);
    struct timespec ts = { .tv_sec = want / 1000000000LL, .tv_nsec = want % 1000000000LL };
    for (long i = 0; i < n; i++) {
        long long before = now_ns();
        clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
        printf("%lld\n", now_ns() - before - want);
    }
    return 0;
}
