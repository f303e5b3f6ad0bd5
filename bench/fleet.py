#!/usr/bin/env python3
"""The herd with shared back-pressure: N clients started at one instant
against bench/herd_server.py, which answers 503 with `Retry-After: S` when
busy, with no shared state, with a breaker file and with a Redis breaker
(the shared Retry-After of issue 17). Prints a Markdown table and writes
every number as JSON.

    bench/fleet.py --retry BIN [--n 100] [--retry-after 1] [--budget 150] [--repeats 1]
                   [--json bench/FLEET.json] [--out bench/FLEET.md] [--only KEY,...]

Every client runs
    retry -q --forever --budget B -b 1s -c 5s [--http] [--breaker STORE] --
        curl -sS --noproxy '*' --max-time 5 -D - -o /dev/null http://127.0.0.1:PORT/
(-fsS without --http, so that a 503 fails the attempt).
The figures: requests that reached the server, and the time from the common
start until the last client was served (exited). A fresh server (and a
fresh breaker file or Redis key) for each run; Redis is a private
redis-server on a free loopback port, stopped at the end.

With --hosts K (root), the clients are spread over K network namespaces,
one per simulated host, each joined by a veth pair to a bridge in this
namespace that only this machine routes (10.217.0.1/24); the server and
Redis listen on the bridge's address. The namespaces and the bridge are
removed at the end. The file breaker still works across namespaces (they
share the file system, which real hosts would not).
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench import reap_clients, wait_or_kill

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(directory, address):
    port = free_port()
    # Protected mode refuses clients from other addresses than loopback
    # when there is no password: the namespaces' bridge is one of those.
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", address, "--save", "",
                               "--appendonly", "no", "--dir", directory, "--logfile", "",
                               "--protected-mode", "no" if address != "127.0.0.1" else "yes"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((address, port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return server, port
        except OSError:
            time.sleep(0.02)
    server.kill()
    server.wait()
    sys.exit("fleet: redis-server did not start")


class Hosts:
    """K network namespaces joined by veth pairs to one bridge, or none."""
    address = "10.217.0.1"

    def __init__(self, count):
        self.count = count
        tag = str(os.getpid())[-6:]
        self.bridge = f"fb{tag}"
        self.names = [f"fleet{tag}h{k + 1}" for k in range(count)]
        self.made = []
        if count:
            self.ip("link", "add", self.bridge, "type", "bridge")
            self.made.append(("link", self.bridge))
            self.ip("addr", "add", f"{self.address}/24", "dev", self.bridge)
            self.ip("link", "set", self.bridge, "up")
            for k, name in enumerate(self.names):
                self.add_host(k, name, tag)
        else:
            self.address = "127.0.0.1"

    def add_host(self, k, name, tag):
        outside, inside = f"fv{tag}{k}", f"fn{tag}{k}"
        self.ip("netns", "add", name)
        self.made.append(("netns", name))
        self.ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        self.ip("link", "set", inside, "netns", name)
        self.ip("link", "set", outside, "master", self.bridge, "up")
        inner = ["netns", "exec", name, "ip"]
        self.ip(*inner, "addr", "add", f"10.217.0.{10 + k}/24", "dev", inside)
        self.ip(*inner, "link", "set", inside, "up")
        self.ip(*inner, "link", "set", "lo", "up")

    @staticmethod
    def ip(*words):
        subprocess.run(["ip"] + list(words), check=True)

    def prefix(self, index):
        return ["/usr/bin/env", "ip", "netns", "exec", self.names[index % self.count]] if self.count else []

    def close(self):
        # Deleting a namespace deletes its end of the veth pair, and the other end with it.
        for kind, name in reversed(self.made):
            subprocess.run(["ip", kind, "del", name], check=False)


def herd_run(options, startat, extra, hosts):
    server = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "herd_server.py"), "--limit", "1", "--window-ms", "50", "--bind", hosts.address,
         "--retry-after", str(options.retry_after), "--max-seconds", str(options.budget + 60), "--idle", "20"],
        stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline().split()[1])
        url = f"http://{hosts.address}:{port}/"
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        quiet = [(os.POSIX_SPAWN_OPEN, fd, "/dev/null", os.O_RDONLY if fd == 0 else os.O_WRONLY, 0) for fd in (0, 1, 2)]
        start = time.monotonic_ns() + 300_000_000 + options.n * (12_000_000 if hosts.count else 4_000_000)
        argv = [startat, str(start), options.retry, "-q", "--forever", "--budget", f"{options.budget}s",
                "-b", "1s", "-c", "5s"] + extra + [
            # Without --http, curl's own -f makes a 503 a failed attempt.
            "--", "curl", "-sS" if "--http" in extra else "-fsS", "--noproxy", "*", "--max-time", "5", "-D", "-", "-o", "/dev/null", url]
        pids = set()
        for index in range(options.n):
            command = hosts.prefix(index) + argv
            pids.add(os.posix_spawn(command[0], command, env, file_actions=quiet, setsigdef=(signal.SIGPIPE,)))
        ends, failures = reap_clients(pids, options.budget + 30)
        stats = json.load(urllib.request.urlopen(url + "stats", timeout=10))
        urllib.request.urlopen(url + "stop", timeout=10).read()
    finally:
        wait_or_kill(server)
    return {"requests": stats["requests"], "ok": stats["ok"], "rejected": stats["rejected"],
            "failed_clients": failures, "all_done_s": round((max(ends) - start) / 1e9, 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--retry", required=True)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--budget", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--hosts", type=int, default=0, help="spread the clients over this many network namespaces (root)")
    parser.add_argument("--json", default=os.path.join(HERE, "FLEET.json"))
    parser.add_argument("--out", default=os.path.join(HERE, "FLEET.md"))
    parser.add_argument("--only", default="", help="run only these modes (ignored, own, file, redis, pace-file, pace-redis)")
    options = parser.parse_args()
    options.retry = os.path.abspath(options.retry)
    work = tempfile.mkdtemp(prefix="fleet-")
    redis = None
    hosts = Hosts(0)
    try:
        hosts = Hosts(options.hosts)
        startat = os.path.join(work, "startat")
        subprocess.run(["cc", "-O2", "-o", startat, os.path.join(HERE, "helpers", "startat.c")], check=True)
        redis, redis_port = start_redis(work, hosts.address)
        modes = [
            ("ignored", "Retry-After ignored (no --http), no shared state", lambda i: []),
            ("own", "--http: each client obeys its own Retry-After", lambda i: ["--http"]),
            ("file", "--http --breaker FILE: Retry-After shared on the host",
             lambda i: ["--http", "--breaker", os.path.join(work, f"breaker-{i}"), "--breaker-threshold", "1000"]),
            ("redis", "--http --breaker redis://: Retry-After shared through Redis",
             lambda i: ["--http", "--breaker", f"redis://{hosts.address}:{redis_port}/herd-{i}", "--breaker-threshold", "1000"]),
            # The pace (issue 21) at 0.9 of the server's 20 requests/s.
            ("pace-file", "--http --pace FILE --rate 18/s: a pace shared on the host",
             lambda i: ["--http", "--pace", os.path.join(work, f"pace-{i}"), "--rate", "18/s"]),
            ("pace-redis", "--http --pace redis:// --rate 18/s: a pace shared through Redis",
             lambda i: ["--http", "--pace", f"redis://{hosts.address}:{redis_port}/pace-{i}", "--rate", "18/s"]),
        ]
        if options.only:
            modes = [mode for mode in modes if mode[0] in options.only.split(",")]
        runs = []
        for rep in range(options.repeats):
            for key, label, extra in modes:
                print(f"fleet: N={options.n} {key} (run {rep + 1})", file=sys.stderr, flush=True)
                result = herd_run(options, startat, extra(f"{rep}-{key}"), hosts)
                result.update({"mode": key, "label": label, "repeat": rep})
                print(f"fleet:   {result}", file=sys.stderr, flush=True)
                runs.append(result)
    finally:
        if redis:
            redis.terminate()
            redis.wait()
        hosts.close()
        shutil.rmtree(work, ignore_errors=True)
    where = f"spread over {options.hosts} network namespaces" if options.hosts else "on loopback"
    lines = [f"N = {options.n} clients {where}, one start instant; server: 1 request per 50 ms, 503 with "
             f"`Retry-After: {options.retry_after}` otherwise; client: `-b 1s -c 5s --forever --budget {options.budget}s` "
             f"(full jitter); medians of {options.repeats} run(s).", "",
             "| clients | requests that reached the server | answered 503 | all served after | clients that failed |",
             "|---|---:|---:|---:|---:|"]
    for key, label, _ in modes:
        group = [r for r in runs if r["mode"] == key]
        lines.append(f"| {label} | {statistics.median(r['requests'] for r in group):g} "
                     f"| {statistics.median(r['rejected'] for r in group):g} "
                     f"| {statistics.median(r['all_done_s'] for r in group):g} s "
                     f"| {sum(r['failed_clients'] for r in group)} |")
    with open(options.json, "w") as f:
        json.dump({"n": options.n, "hosts": options.hosts, "retry_after": options.retry_after, "budget": options.budget, "runs": runs}, f, indent=1)
    with open(options.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
