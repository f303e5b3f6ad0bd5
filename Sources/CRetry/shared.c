// What retry and retry-exec (built alone with cc by `make`) both use.
#define _GNU_SOURCE
#include "CRetry.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

void cretry_write_all(int fd, const char *text) {
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t written = write(fd, text, left);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;
        text += written;
        left -= (size_t)written;
    }
}

int cretry_handshake_signal(void) {
    return SIGRTMIN + 3;
}
