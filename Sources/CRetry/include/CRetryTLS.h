// TLS for the Redis store (rediss://), over the system's OpenSSL 3, which
// is loaded with dlopen() at the first TLS connection and never before:
// retry links no libssl, so its start-up and its fully static build are the
// same for everyone who does not use TLS, and a machine without libssl.so.3
// gets a one-line error instead of a binary that will not start.
#ifndef CRETRY_TLS_H
#define CRETRY_TLS_H

#include <stddef.h>

/// One TLS connection over a connected, non-blocking socket.
typedef struct cretry_tls cretry_tls;

// What a step of a TLS exchange came to (plain macros: Swift imports them
// as Int32, the type the functions return).
#define CRETRY_TLS_DONE 0
/// Not yet: poll the socket for reading, then call again.
#define CRETRY_TLS_WANT_READ 1
/// Not yet: poll the socket for writing, then call again.
#define CRETRY_TLS_WANT_WRITE 2
/// The server closed the connection.
#define CRETRY_TLS_CLOSED 3
/// Failed: `error` says why, in one line.
#define CRETRY_TLS_FAILED (-1)

/// Starts a client connection on `fd` to `host` (a name, for SNI and name
/// verification, or an IP address, verified as one), verifying the server's
/// certificate against `ca_file` when not NULL, else against OpenSSL's
/// default verify paths (SSL_CERT_FILE, SSL_CERT_DIR). Loads libssl on first
/// use. NULL, with `error` filled, when it cannot.
cretry_tls *cretry_tls_open(int fd, const char *host, const char *ca_file, char *error, size_t error_size);

/// One step of the handshake (certificate verification included).
int cretry_tls_handshake(cretry_tls *tls, char *error, size_t error_size);

/// Writes up to `size` bytes; `*written` says how many went.
int cretry_tls_write(cretry_tls *tls, const void *bytes, size_t size, size_t *written, char *error, size_t error_size);

/// Reads up to `size` bytes; `*got` says how many came.
int cretry_tls_read(cretry_tls *tls, void *bytes, size_t size, size_t *got, char *error, size_t error_size);

/// Frees the connection (the socket stays open: its owner closes it).
void cretry_tls_free(cretry_tls *tls);

#endif
