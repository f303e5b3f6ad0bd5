#include "CRetryTLS.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// OpenSSL's headers are not needed to build retry (no libssl-dev): its
// types stay opaque here, and the few constants below are part of the
// OpenSSL 3 ABI, which libssl.so.3 keeps for its whole major version.
typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct ssl_method_st SSL_METHOD;
typedef struct X509_VERIFY_PARAM_st X509_VERIFY_PARAM;

enum {
    SSL_ERROR_SSL = 1,
    SSL_ERROR_WANT_READ = 2,
    SSL_ERROR_WANT_WRITE = 3,
    SSL_ERROR_SYSCALL = 5,
    SSL_ERROR_ZERO_RETURN = 6,
    SSL_VERIFY_PEER = 1,
    SSL_CTRL_MODE = 33,
    SSL_CTRL_SET_TLSEXT_HOSTNAME = 55,
    SSL_CTRL_SET_MIN_PROTO_VERSION = 123,
    TLSEXT_NAMETYPE_host_name = 0,
    TLS1_2_VERSION = 0x0303,
    SSL_MODE_ENABLE_PARTIAL_WRITE = 1,
    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER = 2,
    X509_V_OK = 0,
    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS = 4,
};

/// The libssl and libcrypto functions used, found by name once.
static struct {
    const SSL_METHOD *(*TLS_client_method)(void);
    SSL_CTX *(*SSL_CTX_new)(const SSL_METHOD *);
    void (*SSL_CTX_free)(SSL_CTX *);
    void (*SSL_CTX_set_verify)(SSL_CTX *, int, void *);
    int (*SSL_CTX_set_default_verify_paths)(SSL_CTX *);
    int (*SSL_CTX_load_verify_file)(SSL_CTX *, const char *);
    long (*SSL_CTX_ctrl)(SSL_CTX *, int, long, void *);
    SSL *(*SSL_new)(SSL_CTX *);
    void (*SSL_free)(SSL *);
    int (*SSL_set_fd)(SSL *, int);
    long (*SSL_ctrl)(SSL *, int, long, void *);
    int (*SSL_set1_host)(SSL *, const char *);
    X509_VERIFY_PARAM *(*SSL_get0_param)(SSL *);
    int (*SSL_connect)(SSL *);
    int (*SSL_get_error)(const SSL *, int);
    int (*SSL_read_ex)(SSL *, void *, size_t, size_t *);
    int (*SSL_write_ex)(SSL *, const void *, size_t, size_t *);
    long (*SSL_get_verify_result)(const SSL *);
    void (*X509_VERIFY_PARAM_set_hostflags)(X509_VERIFY_PARAM *, unsigned int);
    int (*X509_VERIFY_PARAM_set1_ip_asc)(X509_VERIFY_PARAM *, const char *);
    const char *(*X509_verify_cert_error_string)(long);
    unsigned long (*ERR_get_error)(void);
    void (*ERR_clear_error)(void);
    const char *(*ERR_reason_error_string)(unsigned long);
} ssl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[256];

/// The context is made once per CA choice and kept: loading the system's
/// trust store costs more than the handshake on a LAN.
static pthread_mutex_t context_lock = PTHREAD_MUTEX_INITIALIZER;
static SSL_CTX *context;
static char *context_ca_file;

struct cretry_tls {
    SSL *ssl;
};

/// In a static retry, dlopen brings a second libc.so.6, whose pthread keys
/// are numbered from 0 again but stored in the same thread descriptor as
/// retry's own: OpenSSL's per-thread state would land in the slots of the
/// Swift runtime's keys (and free() their values). So before OpenSSL makes a
/// key, the second libc's low slots, which retry's libc uses or may use, are
/// taken by keys that are never used, and the slots left to it (up to 31,
/// in the descriptor itself, so neither libc allocates a block for them)
/// are taken in retry's libc. 0 when done or not needed.
static int separate_thread_keys(void) {
    void *second = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    if (!second) return 0;
    int (*create)(pthread_key_t *, void (*)(void *)) = (int (*)(pthread_key_t *, void (*)(void *)))dlsym(second, "pthread_key_create");
    if (!create || create == pthread_key_create) return 0;  // one libc: a dynamic retry
    pthread_key_t probe;
    if (pthread_key_create(&probe, NULL) != 0) return -1;
    pthread_key_delete(probe);
    // Retry's libc uses the keys below `probe`, and keeps 8 more for later.
    const unsigned reserved = probe + 8 > 16 ? probe + 8 : 16;
    if (reserved > 24) return -1;
    pthread_key_t key, ours[32];
    unsigned count = 0;
    while (pthread_key_create(&key, NULL) == 0 && count < 32) {
        ours[count++] = key;
        if (key >= 31) break;
    }
    for (unsigned i = 0; i < count; i++) if (ours[i] < reserved) pthread_key_delete(ours[i]);
    do {
        if (create(&key, NULL) != 0) return -1;
    } while (key + 1 < reserved);
    return 0;
}

static void load(void) {
    // RTLD_LOCAL: nothing else in the process sees OpenSSL's symbols. A
    // static retry still loads it (glibc's dlopen in a static binary loads
    // the library and its own libc.so.6).
    void *crypto = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    void *library = crypto ? dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL) : NULL;
    if (library && separate_thread_keys() != 0) {
        snprintf(load_error, sizeof load_error, "rediss:// cannot load OpenSSL into this static retry: no free thread keys");
        return;
    }
    if (!library) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "rediss:// needs OpenSSL 3 (libssl.so.3), which cannot be loaded: %s",
                 why ? why : "not found");
        return;
    }
    struct { void **slot; void *from; const char *name; } table[] = {
#define FROM(lib, name) {(void **)&ssl.name, lib, #name}
        FROM(library, TLS_client_method), FROM(library, SSL_CTX_new), FROM(library, SSL_CTX_free),
        FROM(library, SSL_CTX_set_verify), FROM(library, SSL_CTX_set_default_verify_paths),
        FROM(library, SSL_CTX_load_verify_file), FROM(library, SSL_CTX_ctrl), FROM(library, SSL_new),
        FROM(library, SSL_free), FROM(library, SSL_set_fd), FROM(library, SSL_ctrl), FROM(library, SSL_set1_host),
        FROM(library, SSL_get0_param), FROM(library, SSL_connect), FROM(library, SSL_get_error),
        FROM(library, SSL_read_ex), FROM(library, SSL_write_ex), FROM(library, SSL_get_verify_result),
        FROM(crypto, X509_VERIFY_PARAM_set_hostflags), FROM(crypto, X509_VERIFY_PARAM_set1_ip_asc),
        FROM(crypto, X509_verify_cert_error_string), FROM(crypto, ERR_get_error), FROM(crypto, ERR_clear_error),
        FROM(crypto, ERR_reason_error_string),
#undef FROM
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        *table[i].slot = dlsym(table[i].from, table[i].name);
        if (!*table[i].slot) {
            snprintf(load_error, sizeof load_error, "rediss:// needs OpenSSL 3: libssl.so.3 has no %s", table[i].name);
            return;
        }
    }
}

static void say(char *error, size_t size, const char *what, const char *detail) {
    snprintf(error, size, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

/// The reason of the oldest error OpenSSL queued on this thread, if any.
static const char *queued_reason(void) {
    unsigned long code = ssl.ERR_get_error();
    const char *reason = code ? ssl.ERR_reason_error_string(code) : NULL;
    return reason;
}

/// The shared context for `ca_file` (NULL: the default verify paths).
static SSL_CTX *context_for(const char *ca_file, char *error, size_t size) {
    pthread_mutex_lock(&context_lock);
    int same = context && ((ca_file == NULL && context_ca_file == NULL) ||
                           (ca_file && context_ca_file && strcmp(ca_file, context_ca_file) == 0));
    if (same) {
        pthread_mutex_unlock(&context_lock);
        return context;
    }
    SSL_CTX *made = ssl.SSL_CTX_new(ssl.TLS_client_method());
    if (!made) {
        pthread_mutex_unlock(&context_lock);
        say(error, size, "cannot set up TLS", queued_reason());
        return NULL;
    }
    ssl.SSL_CTX_set_verify(made, SSL_VERIFY_PEER, NULL);
    ssl.SSL_CTX_ctrl(made, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, NULL);
    // Writes are retried from Swift arrays, which may move between tries.
    ssl.SSL_CTX_ctrl(made, SSL_CTRL_MODE, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, NULL);
    int trusted = ca_file ? ssl.SSL_CTX_load_verify_file(made, ca_file) : ssl.SSL_CTX_set_default_verify_paths(made);
    if (trusted != 1) {
        pthread_mutex_unlock(&context_lock);
        ssl.SSL_CTX_free(made);
        char what[320];
        snprintf(what, sizeof what, "cannot read the CA file %s", ca_file ? ca_file : "(default verify paths)");
        say(error, size, what, errno ? strerror(errno) : queued_reason());
        return NULL;
    }
    if (context) {
        // A second CA choice in one run: keep the first (a live
        // connection may use it); this one is freed with its connection.
        pthread_mutex_unlock(&context_lock);
        return made;
    }
    context = made;
    context_ca_file = ca_file ? strdup(ca_file) : NULL;
    pthread_mutex_unlock(&context_lock);
    return context;
}

cretry_tls *cretry_tls_open(int fd, const char *host, const char *ca_file, char *error, size_t size) {
    pthread_once(&load_once, load);
    if (load_error[0]) {
        say(error, size, load_error, NULL);
        return NULL;
    }
    ssl.ERR_clear_error();
    errno = 0;
    SSL_CTX *ctx = context_for(ca_file, error, size);
    if (!ctx) return NULL;
    SSL *connection = ssl.SSL_new(ctx);
    if (ctx != context) ssl.SSL_CTX_free(ctx);  // the connection holds its own reference
    if (!connection) {
        say(error, size, "cannot set up TLS", queued_reason());
        return NULL;
    }
    unsigned char address[16];
    int is_address = inet_pton(AF_INET, host, address) == 1 || inet_pton(AF_INET6, host, address) == 1;
    int named;
    if (is_address) {
        // No SNI for an address (RFC 6066); the certificate must name it.
        named = ssl.X509_VERIFY_PARAM_set1_ip_asc(ssl.SSL_get0_param(connection), host);
    } else {
        ssl.X509_VERIFY_PARAM_set_hostflags(ssl.SSL_get0_param(connection), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        named = ssl.SSL_set1_host(connection, host) == 1 &&
                ssl.SSL_ctrl(connection, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, (void *)host) == 1;
    }
    if (named != 1 || ssl.SSL_set_fd(connection, fd) != 1) {
        ssl.SSL_free(connection);
        say(error, size, "cannot set up TLS for this host", queued_reason());
        return NULL;
    }
    cretry_tls *tls = malloc(sizeof *tls);
    if (!tls) {
        ssl.SSL_free(connection);
        say(error, size, "cannot set up TLS", "out of memory");
        return NULL;
    }
    tls->ssl = connection;
    return tls;
}

/// What `result` (of SSL_connect, SSL_read_ex or SSL_write_ex) came to.
static int status(cretry_tls *tls, int result, const char *doing, char *error, size_t size) {
    int code = ssl.SSL_get_error(tls->ssl, result);
    switch (code) {
    case SSL_ERROR_WANT_READ: return CRETRY_TLS_WANT_READ;
    case SSL_ERROR_WANT_WRITE: return CRETRY_TLS_WANT_WRITE;
    case SSL_ERROR_ZERO_RETURN: return CRETRY_TLS_CLOSED;
    default: break;
    }
    long verified = ssl.SSL_get_verify_result(tls->ssl);
    if (verified != X509_V_OK) {
        say(error, size, "the server's certificate failed verification", ssl.X509_verify_cert_error_string(verified));
        return CRETRY_TLS_FAILED;
    }
    int saved = errno;
    const char *reason = queued_reason();
    if (code == SSL_ERROR_SYSCALL && !reason) {
        if (saved == 0 || saved == ECONNRESET || saved == EPIPE) return CRETRY_TLS_CLOSED;
        reason = strerror(saved);
    }
    say(error, size, doing, reason ? reason : "unknown error");
    return CRETRY_TLS_FAILED;
}

int cretry_tls_handshake(cretry_tls *tls, char *error, size_t size) {
    ssl.ERR_clear_error();
    errno = 0;
    int result = ssl.SSL_connect(tls->ssl);
    if (result == 1) return CRETRY_TLS_DONE;
    return status(tls, result, "TLS handshake failed", error, size);
}

int cretry_tls_write(cretry_tls *tls, const void *bytes, size_t size, size_t *written, char *error, size_t error_size) {
    ssl.ERR_clear_error();
    errno = 0;
    *written = 0;
    int result = ssl.SSL_write_ex(tls->ssl, bytes, size, written);
    if (result == 1) return CRETRY_TLS_DONE;
    return status(tls, result, "TLS write failed", error, error_size);
}

int cretry_tls_read(cretry_tls *tls, void *bytes, size_t size, size_t *got, char *error, size_t error_size) {
    ssl.ERR_clear_error();
    errno = 0;
    *got = 0;
    int result = ssl.SSL_read_ex(tls->ssl, bytes, size, got);
    if (result == 1) return CRETRY_TLS_DONE;
    return status(tls, result, "TLS read failed", error, error_size);
}

void cretry_tls_free(cretry_tls *tls) {
    if (!tls) return;
    ssl.SSL_free(tls->ssl);
    free(tls);
}
