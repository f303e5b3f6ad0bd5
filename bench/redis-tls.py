#!/usr/bin/env python3
"""The cost of TLS for the Redis store, on loopback (bench/REDIS-TLS.md).

    bench/redis-tls.py --retry PATH [--runs 100] [--out bench/REDIS-TLS.json]

Starts a private redis-server (no persistence) with a plain port and a TLS
port whose certificate, for localhost, is signed by a CA made on the fly in
a temporary directory (removed at the end, with the server), then measures,
each the median of --runs:

1. connect + TLS handshake + a first script (EVAL of a one-line script) and
   its reply, from Python's ssl module (the same OpenSSL 3): what the limit
   of connecting over TLS must cover;
2. the same over plain TCP;
3. `retry -n 1 --breaker rediss://localhost:PORT/b --redis-ca CA true`,
   `retry -n 1 --breaker redis://127.0.0.1:PORT/b true` and `retry -n 1
   true`, run in turn (so that a busy machine slows all three alike): what
   a whole run pays for TLS (dlopen of libssl, the CA file, the handshake).
"""
import argparse
import json
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time

SCRIPT = "return redis.call('TIME')"


def resp(words):
    out = b"*%d\r\n" % len(words)
    for word in words:
        data = word.encode()
        out += b"$%d\r\n%s\r\n" % (len(data), data)
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificates(directory):
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run = lambda *args: subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)
    run("req", "-x509", *key, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=bench CA")
    run("req", *key, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    with open(os.path.join(directory, "server.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "1", "-extfile", "server.ext")


def first_script(port, context):
    """Seconds for connect (+ handshake) + one EVAL and its reply."""
    started = time.perf_counter()
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn = context.wrap_socket(raw, server_hostname="localhost") if context else raw
    conn.sendall(resp(["EVAL", SCRIPT, "0"]))
    reply = b""
    while not reply.endswith(b"\r\n") or reply.count(b"\r\n") < 5:
        chunk = conn.recv(4096)
        if not chunk:
            raise RuntimeError("closed")
        reply += chunk
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def wall(command):
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or done.stderr:
        raise RuntimeError(f"{command}: status {done.returncode}: {done.stderr!r}")
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--retry", required=True)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--out")
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="retry-redis-tls-")
    server = None
    try:
        make_certificates(directory)
        port, tls_port = free_port(), free_port()
        server = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--tls-port", str(tls_port),
             "--tls-cert-file", "server.crt", "--tls-key-file", "server.key", "--tls-ca-cert-file", "ca.crt",
             "--tls-auth-clients", "no", "--save", "", "--appendonly", "no", "--dir", directory, "--logfile", ""],
            cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while True:
            try:
                first_script(port, None)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        context = ssl.create_default_context(cafile=os.path.join(directory, "ca.crt"))
        first_script(tls_port, context)
        tls = [first_script(tls_port, context) for _ in range(args.runs)]
        plain = [first_script(port, None) for _ in range(args.runs)]
        ca = os.path.join(directory, "ca.crt")
        commands = {
            "rediss": [args.retry, "-n", "1", "--breaker", f"rediss://localhost:{tls_port}/b", "--redis-ca", ca, "true"],
            "redis": [args.retry, "-n", "1", "--breaker", f"redis://127.0.0.1:{port}/b", "true"],
            "none": [args.retry, "-n", "1", "true"],
        }
        runs = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                runs[name].append(wall(command))
        ms = lambda values: round(statistics.median(values) * 1000, 3)
        result = {
            "runs": args.runs,
            "python_connect_handshake_first_script_ms": {"tls": ms(tls), "plain": ms(plain),
                                                          "tls_p90": round(sorted(tls)[int(0.9 * len(tls))] * 1000, 3)},
            "retry_run_ms": {name: ms(values) for name, values in runs.items()},
            "commands": {name: " ".join(command) for name, command in commands.items()},
        }
        print(json.dumps(result, indent=2))
        if args.out:
            with open(args.out, "w") as f:
                json.dump(result, f, indent=2)
                f.write("\n")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
