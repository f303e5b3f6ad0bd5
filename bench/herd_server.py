#!/usr/bin/env python3
"""A deliberately fragile HTTP server for the herd benchmark (bench/run).

It answers 503 when LIMIT requests or more already arrived in the last
WINDOW ms (so at most LIMIT per window get through), else 200, and counts
them. By default (--count ok) the window counts only the requests it
answered 200: with --limit 1 --window-ms 50, as bench/run uses it, that is
one worker that takes 50 ms per request and sheds whatever arrives while it
is busy, 20 requests a second. --count all counts the rejected requests
too, an overloaded server that pays for every request: it collapses once
clients spread into a steady stream above its rate (bench/README.md).
Standard library only; it binds 127.0.0.1 and nothing else, and stops by
itself: on GET /stop, after --idle seconds without a counted request, or
after --max-seconds whatever happens.

    herd_server.py --limit 1 --window-ms 50 [--count ok|all] [--retry-after S] [--port 0] [--max-seconds 300] [--idle 30]

With --retry-after S, each 503 carries `Retry-After: S` (bench/fleet.py).
--bind ADDR listens on another local address than 127.0.0.1 (fleet.py's
network namespaces: a bridge address that only this machine routes).

It prints "PORT <n>" on its first line of standard output, then serves:

    GET /        a counted request: 200 "ok" or 503 "busy"
    GET /stats   JSON: requests, ok, rejected, and every arrival as
                 [CLOCK_MONOTONIC ns, status] (not counted)
    GET /stop    answers, then stops the server (not counted)
"""

import argparse
import collections
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HerdServer(ThreadingHTTPServer):
    daemon_threads = True
    # Hundreds of clients connect at once; the default backlog of 5 would
    # drop SYNs and add 1 s retransmissions that have nothing to do with
    # the backoff being measured.
    request_queue_size = 1024

    def __init__(self, address, limit, window_ns, count_rejected=False, retry_after=None):
        super().__init__(address, Handler)
        self.retry_after = retry_after
        self.count_rejected = count_rejected
        self.limit = limit
        self.window_ns = window_ns
        self.lock = threading.Lock()
        self.recent = collections.deque()
        self.arrivals = []  # [monotonic ns, status]
        self.last_counted = None

    def handle_error(self, request, client_address):
        # A client that gave up (its attempt timed out, or retry stopped it)
        # closes the connection under us: not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def admit(self):
        """Counts one arrival; True if it gets a 200."""
        now = time.monotonic_ns()
        with self.lock:
            while self.recent and self.recent[0] <= now - self.window_ns:
                self.recent.popleft()
            ok = len(self.recent) < self.limit
            if ok or self.count_rejected:
                self.recent.append(now)
            self.arrivals.append([now, 200 if ok else 503])
            self.last_counted = now
            return ok

    def stats(self):
        with self.lock:
            ok = sum(1 for _, status in self.arrivals if status == 200)
            return {
                "limit": self.limit,
                "window_ms": self.window_ns / 1e6,
                "count": "all" if self.count_rejected else "ok",
                "requests": len(self.arrivals),
                "ok": ok,
                "rejected": len(self.arrivals) - ok,
                "arrivals": list(self.arrivals),
            }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        if self.path == "/stats":
            self.reply(200, json.dumps(self.server.stats()).encode(), "application/json")
        elif self.path == "/stop":
            self.reply(200, b"stopping\n")
            threading.Thread(target=self.server.shutdown, daemon=True).start()
        elif self.server.admit():
            self.reply(200, b"ok\n")
        else:
            self.reply(503, b"busy\n", retry_after=self.server.retry_after)

    def reply(self, status, body, kind="text/plain", retry_after=None):
        self.send_response(status)
        if retry_after is not None:
            self.send_header("Retry-After", str(retry_after))
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def watchdog(server, max_seconds, idle_seconds):
    """Stops the server when it has run too long or sat idle too long."""
    started = time.monotonic_ns()
    while True:
        time.sleep(0.2)
        now = time.monotonic_ns()
        last = server.last_counted or started
        if now - started > max_seconds * 1e9 or now - last > idle_seconds * 1e9:
            server.shutdown()
            return


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, required=True, help="requests allowed per window")
    parser.add_argument("--window-ms", type=float, required=True, help="the sliding window")
    parser.add_argument("--count", choices=["ok", "all"], default="ok",
                        help="what the window counts: only the requests answered 200 (default), or every arrival")
    parser.add_argument("--retry-after", type=int, default=None, help="send Retry-After: S with every 503")
    parser.add_argument("--bind", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--max-seconds", type=float, default=300, help="stop after this long, whatever happens")
    parser.add_argument("--idle", type=float, default=30, help="stop after this long without a counted request")
    options = parser.parse_args()
    server = HerdServer((options.bind, options.port), options.limit, int(options.window_ms * 1e6),
                        count_rejected=options.count == "all", retry_after=options.retry_after)
    print(f"PORT {server.server_address[1]}", flush=True)
    threading.Thread(target=watchdog, args=(server, options.max_seconds, options.idle), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
