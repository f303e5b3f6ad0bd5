#!/usr/bin/env python3
"""A simulation of figure 8 of bench/run (the herd), to see what drives it.

N clients start together and each retries, with one of retry's backoff
strategies, a request to a server that answers 503 when K requests or more
already arrived in the last W ms (by default only the requests it let
through count, as in herd_server.py --count ok). It counts the requests and
the time until the last client was served, as bench/run does, but in
milliseconds of simulated time instead of minutes.

    herd_sim.py [--retry BIN] [--n 100] [--limit 1] [--window-ms 50] [--base 10ms]
                [--cap 2s] [--budget 150s] [--cores 2] [--cpu-ms 7.5] [--skew-ms 0] [--runs 20]
                [--sweep NAME=V1,V2,...]

What it models:

- each client's delays: with --retry BIN, the real schedules of retry,
  read from `retry --dry-run --seed S` (a different seed per client, so
  different jitter); without it, the formulas of retry(1);
- the machine: every attempt costs --cpu-ms of CPU (retry's spawn plus
  curl, about 1.5 + 6 ms here), ±50%, on --cores CPUs taken first come,
  first served; the request reaches the server when its CPU work is done.
  This is what spreads clients that start (or retry) at the same instant
  on a 2-core machine. --cores 0 leaves the CPU out: clients on machines
  of their own, as in Brooker's simulation;
- --skew-ms: each client starts at a uniform random instant in
  [0, skew], on top of that (cron on different hosts, clocks apart);
- --budget: a client gives up when its next delay would end past it.

--sweep runs the same for each value of one parameter (n, limit,
window_ms, base, cap, cores, cpu_ms, skew_ms) and prints one row per value:
median requests over --runs runs, the saving of each strategy against
exponential without jitter, and the median time until all were served.
Standard library only; it measures nothing on the machine.
"""

import argparse
import collections
import functools
import heapq
import math
import random
import statistics
import subprocess
import sys

STRATEGIES = [
    # key, label, retry options (base and cap are added)
    ("none", "exponential, no jitter", ["-s", "exponential", "-j", "none"]),
    ("full", "exponential, full jitter", ["-s", "exponential", "-j", "full"]),
    ("equal", "exponential, equal jitter", ["-s", "exponential", "-j", "equal"]),
    ("decorrelated", "decorrelated", ["-s", "decorrelated"]),
    ("constant", "constant 1s, no jitter", ["-s", "constant", "-j", "none"]),
    ("constant10", "constant 1s, ±10%", ["-s", "constant", "-j", "10%"]),
    ("constant20", "constant 1s, ±20% (its default)", ["-s", "constant", "-j", "20%"]),
    ("constantequal", "constant 1s, equal jitter", ["-s", "constant", "-j", "equal"]),
    ("constantfull", "constant 1s, full jitter", ["-s", "constant", "-j", "full"]),
]
# What the constant variants draw around their 1 s: (low, high) as shares of it.
CONSTANT_SPREAD = {"constant": (1, 1), "constant10": (0.9, 1.1), "constant20": (0.8, 1.2),
                   "constantequal": (0.5, 1), "constantfull": (0, 1)}
SCHEDULE_LENGTH = 200  # delays per client; --forever is cut off by the budget anyway


def duration_ms(text):
    """'250ms', '1.5s', '2m', '3' (seconds) -> milliseconds."""
    for unit, scale in (("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)):
        if text.endswith(unit) and text[: -len(unit)].replace(".", "", 1).isdigit():
            return float(text[: -len(unit)]) * scale
    return float(text) * 1000


def formula_schedule(key, base, cap, rng, length=SCHEDULE_LENGTH):
    """The delays (ms) of retry(1)'s formulas, for one client."""
    if key in CONSTANT_SPREAD:
        low, high = CONSTANT_SPREAD[key]
        return [1000.0 * rng.uniform(low, high) for _ in range(length)]
    delays, previous = [], base
    for n in range(1, length + 1):
        if key == "decorrelated":
            previous = min(cap, rng.uniform(base, max(base, previous * 3)))
            delays.append(previous)
            continue
        t = min(cap, base * 2.0 ** min(n - 1, 60))
        if key == "full":
            t = rng.uniform(0, t)
        elif key == "equal":
            t = t / 2 + rng.uniform(0, t / 2)
        delays.append(t)
    return delays


@functools.lru_cache(maxsize=None)
def retry_schedule(binary, key, base, cap, seed):
    """The delays (ms) that `retry --dry-run --seed SEED` prints for one client."""
    options = dict((k, o) for k, _, o in STRATEGIES)[key]
    if key in CONSTANT_SPREAD:
        argv = [binary, "--dry-run", "--seed", str(seed), "-n", str(SCHEDULE_LENGTH + 1), "-b", "1s"] + options
    else:
        argv = [binary, "--dry-run", "--seed", str(seed), "-n", str(SCHEDULE_LENGTH + 1),
                "-b", f"{base:g}ms", "-c", f"{cap:g}ms"] + options
    out = subprocess.run(argv + ["--", "true"], check=True, capture_output=True, text=True).stdout
    delays = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0].isdigit() and fields[1] != "-":
            delays.append(duration_ms(fields[1]))
    return tuple(delays)


def simulate(key, p, seed):
    """One herd; returns (requests, ms until all served, clients that gave up)."""
    rng = random.Random(seed)
    if p.retry:
        pool = [retry_schedule(p.retry, key, p.base, p.cap, seed * 1000 + i) for i in range(p.n)]
    else:
        pool = [formula_schedule(key, p.base, p.cap, rng) for _ in range(p.n)]
    cores = [0.0] * p.cores
    window = collections.deque()  # instants (ms) that count in the server's window
    events = []  # (ms, client): the client's next attempt is ready to run
    started = [rng.uniform(0, p.skew_ms) for _ in range(p.n)]
    for client in range(p.n):
        heapq.heappush(events, (started[client], client))
    attempt = [0] * p.n
    requests, done, failed = 0, [], 0
    arrivals = []
    while events:
        ready, client = heapq.heappop(events)
        cost = p.cpu_ms * rng.uniform(1 - p.cpu_spread, 1 + p.cpu_spread) if p.cpu_ms else 0.0
        if cores:
            # First come, first served on the earliest free CPU.
            i = min(range(len(cores)), key=cores.__getitem__)
            arrive = max(ready, cores[i]) + cost
            cores[i] = arrive
        else:
            arrive = ready + cost + abs(rng.gauss(p.latency_ms, p.latency_ms * 0.4))
        heapq.heappush(arrivals, (arrive, client))
        # Serve every arrival up to the next attempt that starts: arrivals
        # come out in time order because attempts start in time order and
        # the CPUs are first come, first served.
        next_ready = events[0][0] if events else math.inf
        while arrivals and arrivals[0][0] <= next_ready:
            at, who = heapq.heappop(arrivals)
            requests += 1
            while window and window[0] <= at - p.window_ms:
                window.popleft()
            ok = len(window) < p.limit
            if ok or p.count == "all":
                window.append(at)
            if ok:
                done.append(at + 1)
                continue
            delay = pool[who][min(attempt[who], len(pool[who]) - 1)]
            attempt[who] += 1
            end = at + 1
            if end + delay - started[who] > p.budget_ms:
                failed += 1
                done.append(end)
                continue
            heapq.heappush(events, (end + delay, who))
            next_ready = events[0][0]
    return requests, max(done), failed


def run_cell(key, p):
    results = [simulate(key, p, seed) for seed in range(1, p.runs + 1)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results) / 1000,
            sum(r[2] for r in results))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--retry", help="take the delays from this retry's --dry-run (else the formulas)")
    parser.add_argument("--n", type=int, default=100, help="clients (100)")
    parser.add_argument("--limit", type=int, default=1, help="K: requests let through per window (1)")
    parser.add_argument("--window-ms", type=float, default=50, help="W (50)")
    parser.add_argument("--count", choices=["ok", "all"], default="ok", help="what the window counts (ok)")
    parser.add_argument("--base", default="10ms")
    parser.add_argument("--cap", default="2s")
    parser.add_argument("--budget", default="150s", help="each client's --budget (150s, as bench/run)")
    parser.add_argument("--cores", type=int, default=2, help="CPUs the clients share; 0: a machine each (2)")
    parser.add_argument("--cpu-ms", type=float, default=7.5, help="CPU per attempt, ±50%% (7.5)")
    parser.add_argument("--cpu-spread", type=float, default=0.5, help="the CPU per attempt varies by ± this share (0.5)")
    parser.add_argument("--latency-ms", type=float, default=1.0, help="with --cores 0: network latency (1)")
    parser.add_argument("--skew-ms", type=float, default=0, help="clients start uniformly within this (0)")
    parser.add_argument("--runs", type=int, default=20, help="runs per cell; medians (20)")
    parser.add_argument("--strategies", default="none,full,equal,decorrelated,constant")
    parser.add_argument("--sweep", help="NAME=V1,V2,...: one row per value")
    p = parser.parse_args()
    p.base, p.cap, p.budget_ms = duration_ms(p.base), duration_ms(p.cap), duration_ms(p.budget)
    keys = p.strategies.split(",")
    if p.sweep:
        name, values = p.sweep.split("=", 1)
        name = name.replace("-", "_")
        values = values.split(",")
    else:
        name, values = None, [None]
    head = ["requests " + k for k in keys] + [f"saving {k}" for k in keys if k != "none"] + ["all done " + k for k in keys]
    print(f"# n={p.n} K={p.limit} W={p.window_ms:g}ms count={p.count} base={p.base:g}ms cap={p.cap:g}ms "
          f"cores={p.cores} cpu={p.cpu_ms:g}ms skew={p.skew_ms:g}ms runs={p.runs} "
          f"delays from {'retry --dry-run' if p.retry else 'the formulas'}")
    print("| " + " | ".join(([name] if name else []) + head) + " |")
    print("|" + "---|" * (len(head) + (1 if name else 0)))
    for value in values:
        if name:
            setattr(p, name, duration_ms(value) if name in ("base", "cap") else type(getattr(p, name))(float(value)))
        cells = {k: run_cell(k, p) for k in keys}
        row = [value] if name else []
        row += [f"{cells[k][0]:.0f}" + (f" ({cells[k][2] / p.runs:.1f} gave up a run)" if cells[k][2] else "")
                for k in keys]
        if "none" in cells:
            row += [f"{(1 - cells[k][0] / cells['none'][0]) * 100:.0f}%" for k in keys if k != "none"]
        row += [f"{cells[k][1]:.1f} s" for k in keys]
        print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
