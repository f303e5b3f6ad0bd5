#!/usr/bin/env python3
"""Runs the performance figures for bench/run and writes the Markdown report.

Standard library only. bench/run builds what this needs and calls it; to run
it by hand:

    bench.py --retry BIN --unstripped BIN --helpers DIR --probe BIN --out REPORT.md [--quick]
    bench.py --only herd --retry BIN --helpers DIR --out HERD.md [--json HERD.json] [--svg HERD.svg] [--quick]

BIN is ours, release, -static-executable, stripped; DIR holds stamp,
spawnloop and startat (bench/helpers/*.c); --probe is FoundationProbe
(bench/probe/). Debian's retry is called by its path, /usr/bin/retry, and
never by name, so that it is never mistaken for ours. --only herd runs
figure 8 alone (18 minutes on a busy 2-core machine) and needs only BIN, and startat in DIR.
--only cost runs retry's own cost alone (figures 1, 2, 6, 7, 10 and 11: start-up,
per attempt, RSS, the binary, instructions, scanning throughput), in minutes;
figures 10 and 11 are in cost.py.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import cost

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = "/usr/bin/retry"

# The herd (figure 8). See bench/README.md for why these values, and
# bench/herd_sim.py for how the saving depends on them.
HERD_LIMIT = 1          # K: requests let through per window...
HERD_WINDOW_MS = 50     # W: ...of this many milliseconds: one worker, 50 ms a request, no queue
HERD_COUNT = "ok"       # the window counts only the requests answered 200
HERD_BASE = "1s"        # retry's default base
HERD_CAP = "5s"         # the time the server needs to serve the N = 100 herd once (100 / 20 per s)
HERD_BUDGET_S = 150     # --budget of each client: no jitter took 89-110 s at N = 100, 152 s at N = 300 (2 of 300 ran out)
HERD_STRATEGIES = [
    # key, label, options
    ("none", "exponential, no jitter", ["-s", "exponential", "-b", HERD_BASE, "-c", HERD_CAP, "-j", "none"]),
    ("full", "exponential, full jitter", ["-s", "exponential", "-b", HERD_BASE, "-c", HERD_CAP, "-j", "full"]),
    ("equal", "exponential, equal jitter", ["-s", "exponential", "-b", HERD_BASE, "-c", HERD_CAP, "-j", "equal"]),
    ("decorrelated", "decorrelated", ["-s", "decorrelated", "-b", HERD_BASE, "-c", HERD_CAP]),
    ("constant", "constant 1s, no jitter", ["-s", "constant", "-b", "1s", "-j", "none"]),
]


# ---------------------------------------------------------------- utilities

def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def run(argv, check=True, **kwargs):
    return subprocess.run(argv, check=check, text=True, capture_output=True, **kwargs)


def percentile(values, q):
    """Nearest-rank percentile, q in [0, 100]."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def evict_from_page_cache(path):
    """Drops a program's clean pages from the page cache, as after a reboot.

    Its text pages count in its RSS, and how many a fault maps depends on
    how the file got into the cache: a binary that `strip` has just written
    peaked at 18.8 MiB where the same bytes read back from disk peak at
    10.1 MiB (kernel 6.18, ext4). Evicting first makes every row start alike.
    """
    resolved = shutil.which(path) or path
    try:
        fd = os.open(resolved, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fdatasync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def median(values):
    return statistics.median(values) if values else float("nan")


def ms(seconds, digits=2):
    return f"{seconds * 1e3:.{digits}f} ms"


def fmt_ms(value_ms, digits=2):
    return f"{value_ms:.{digits}f} ms"


def cmdline(argv):
    return shlex.join(argv)


def hyperfine(commands, runs, warmup, ignore_failure=False):
    """Runs hyperfine -N on the commands (argv lists) once; returns, per
    command, its wall times and mean user and system times, in seconds."""
    with tempfile.NamedTemporaryFile(suffix=".json") as export:
        argv = ["hyperfine", "-N", "--style", "none", "--runs", str(runs), "--warmup", str(warmup),
                "--export-json", export.name]
        if ignore_failure:
            argv.append("-i")
        argv += [cmdline(c) for c in commands]
        run(argv)
        data = json.load(open(export.name))
    return [{"times": r["times"], "user": r["user"], "system": r["system"]} for r in data["results"]]


def interleaved(commands, rounds, runs, warmup, ignore_failure=False, quiet_s=10):
    """hyperfine in rounds, so that the commands take turns and a slow spell
    of the machine hits them all; returns pooled times and per-round
    medians for each command."""
    pooled = [{"times": [], "round_medians": [], "user": [], "system": []} for _ in commands]
    for _ in range(rounds):
        wait_quiet(quiet_s)
        for slot, result in zip(pooled, hyperfine(commands, runs, warmup, ignore_failure)):
            slot["times"] += result["times"]
            slot["round_medians"].append(median(result["times"]))
            slot["user"].append(result["user"])
            slot["system"].append(result["system"])
    return pooled


def read_stamps(path):
    with open(path) as f:
        return [int(line) for line in f if line.strip()]


def gaps_ms(stamps):
    return [(b - a) / 1e6 for a, b in zip(stamps, stamps[1:])]


def spawnloop(helpers, count, command, env=None):
    """Runs COMMAND count times under the C harness; returns (start ns,
    end ns, last status)."""
    out = run([os.path.join(helpers, "spawnloop"), str(count)] + command, env=env).stdout.split()
    return int(out[0]), int(out[1]), int(out[2])


def cpu_busy(interval=0.5):
    """The share of all CPUs busy over `interval` seconds, from /proc/stat."""
    def sample():
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait
    total1, idle1 = sample()
    time.sleep(interval)
    total2, idle2 = sample()
    return 1 - (idle2 - idle1) / max(1, total2 - total1)


QUIET = 0.2  # at most this share of all CPUs busy counts as quiet


def wait_quiet(limit_s):
    """Waits until the CPUs are at most QUIET busy, or limit_s seconds have
    passed; returns (seconds waited, last share busy)."""
    began = time.monotonic()
    busy = cpu_busy()
    while busy > QUIET and time.monotonic() - began < limit_s:
        busy = cpu_busy()
    return time.monotonic() - began, busy


def busy_processes():
    """Processes that used a large share of a CPU (lifetime average) when we started."""
    out = run(["ps", "-eo", "pid,pcpu,comm", "--sort=-pcpu", "--no-headers"], check=False).stdout
    found = []
    for line in out.splitlines():
        pid, pcpu, comm = line.split(None, 2)
        if float(pcpu) >= 20 and int(pid) != os.getpid():
            found.append(f"{comm} ({float(pcpu):.0f}% of a CPU)")
    return found


def source_state():
    """The commit the sources are at, and how many files under Sources/ differ from it."""
    root = os.path.dirname(HERE)
    head = run(["git", "-C", root, "rev-parse", "--short", "HEAD"], check=False).stdout.strip() or "?"
    changed = run(["git", "-C", root, "status", "--porcelain", "--", "Sources", "Package.swift"], check=False).stdout
    count = len([line for line in changed.splitlines() if line.strip()])
    return f"commit {head}" + (f" with {count} uncommitted change(s) under Sources/" if count else "")


def wait_or_kill(process, limit_s=10):
    """Waits for a process we started; SIGKILL after limit_s."""
    try:
        process.wait(timeout=limit_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def reap_clients(pids, limit_s):
    """Waits for the client pids (a set, emptied) to exit; past limit_s
    they get SIGTERM, then SIGKILL 10 s later, by pid, never by name.
    Returns the monotonic ns of each exit and how many exited non-zero."""
    def overdue(signum, frame):
        for pid in list(pids):
            try:
                os.kill(pid, signal.SIGKILL if overdue.fired else signal.SIGTERM)
            except ProcessLookupError:
                pass
        overdue.fired = True
        signal.alarm(10)
    overdue.fired = False
    previous = signal.signal(signal.SIGALRM, overdue)
    signal.alarm(limit_s)
    ends, failures = [], 0
    try:
        while pids:
            pid, status = os.waitpid(-1, 0)
            if pid in pids:
                pids.discard(pid)
                ends.append(time.monotonic_ns())
                if os.waitstatus_to_exitcode(status) != 0:
                    failures += 1
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return ends, failures


def summary(values):
    return {"n": len(values), "median": median(values), "p90": percentile(values, 90),
            "p99": percentile(values, 99), "max": max(values) if values else float("nan"),
            "min": min(values) if values else float("nan")}


# ------------------------------------------------------------------ figures

class Bench:
    def __init__(self, options):
        self.o = options
        self.quick = options.quick
        self.retry = options.retry
        self.helpers = options.helpers
        self.stamp = os.path.join(options.helpers, "stamp")
        self.probe = options.probe
        self.tmp = tempfile.mkdtemp(prefix="retry-bench-")
        self.results = {}
        # retry's own JSON log (--log-format json, on standard error) stamps
        # every event with CLOCK_MONOTONIC: where this build has it, figures
        # 3 to 5 also measure from the inside.
        helptext = run([self.retry, "--help"], check=False).stdout
        self.json_log = any("--log-format" in line and "json" in line for line in helptext.splitlines())

    def run_json(self, argv, check=False):
        """Runs argv (which holds --log-format json); returns its standard
        output and the events of the log on standard error."""
        done = run(argv, check=check)
        events = []
        for line in done.stderr.splitlines():
            if line.startswith("{"):
                try:
                    events.append(json.loads(line))
                except ValueError:
                    pass
        return done.stdout, events

    def fresh(self, name):
        path = os.path.join(self.tmp, name)
        if os.path.exists(path):
            os.unlink(path)
        return path

    # 0. The machine
    def machine(self):
        cpu = "unknown"
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        os_name = platform.system()
        if os.path.exists("/etc/os-release"):
            for line in open("/etc/os-release"):
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
        swift = run(["swift", "--version"], check=False)
        swift_line = (swift.stdout or swift.stderr).strip().splitlines()[0] if (swift.stdout or swift.stderr) else "?"
        mem_kb = 0
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        versions = {}
        for package in ("retry", "hyperfine", "curl", "time"):
            q = run(["dpkg-query", "-W", "-f", "${Version}", package], check=False)
            versions[package] = q.stdout.strip() if q.returncode == 0 else "?"
        self.results["machine"] = {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": os.cpu_count(),
            "cpu": cpu,
            "kernel": platform.release(),
            "os": os_name,
            "memory_gib": round(mem_kb / 1048576, 1),
            "swift": swift_line,
            "python": platform.python_version(),
            "packages": versions,
            "quick": self.quick,
            "busy_processes": busy_processes(),
            "source": source_state(),
        }

    # 1. Start-up and one successful attempt
    def startup(self):
        log("figure 1: start-up")
        commands = {
            "ours": [self.retry, "--", "/bin/true"],
            "floor": ["/bin/true"],
            "peer": [PEER, "-t", "1", "--", "/bin/true"],
            # Where the start-up goes: a C wrapper that only spawns and
            # reaps; the same from a static Swift binary with Foundation
            # linked in (as big as ours); and with Foundation Process.
            "c_wrapper": [os.path.join(self.helpers, "spawnloop"), "1", "/bin/true"],
            "swift_posix": [self.probe, "posix", "1", "/bin/true"],
            "swift_process": [self.probe, "handler", "1", "/bin/true"],
        }
        rounds, runs, warmup = (3, 10, 3) if self.quick else (10, 20, 5)
        pooled = interleaved(list(commands.values()), rounds, runs, warmup, quiet_s=2 if self.quick else 10)
        fig = {"rounds": rounds, "runs_per_round": runs, "warmup": warmup, "commands": {}}
        for (key, argv), data in zip(commands.items(), pooled):
            fig["commands"][key] = {"argv": cmdline(argv), **summary([t * 1e3 for t in data["times"]]),
                                    "user_ms": median(data["user"]) * 1e3, "system_ms": median(data["system"]) * 1e3,
                                    "round_medians_ms": [t * 1e3 for t in data["round_medians"]]}
        c = fig["commands"]
        fig["ratio_to_peer"] = c["ours"]["median"] / c["peer"]["median"]
        fig["ratio_to_floor"] = c["ours"]["median"] / c["floor"]["median"]
        fig["peer_ratio_to_floor"] = c["peer"]["median"] / c["floor"]["median"]
        fig["round_ratios"] = [a / b for a, b in zip(c["ours"]["round_medians_ms"], c["peer"]["round_medians_ms"])]
        fig["target"] = 1.5
        fig["met"] = fig["ratio_to_peer"] <= 1.5
        self.results["startup"] = fig

    # 2. Per-attempt overhead, and where it goes
    def per_attempt(self):
        log("figure 2: per-attempt overhead")
        n = 300 if self.quick else 1000
        commands = {
            "ours_n": [self.retry, "-q", "-n", str(n), "-b", "0", "-j", "none", "false"],
            "ours_1": [self.retry, "-q", "-n", "1", "false"],
            "peer_n": [PEER, "-t", str(n), "-d", "0", "--", "false"],
            "peer_1": [PEER, "-t", "1", "-d", "0", "--", "false"],
        }
        probes = {
            "c_posix_spawn": [os.path.join(self.helpers, "spawnloop"), str(n), "false"],
            "swift_posix_spawn": [self.probe, "posix", str(n), "false"],
            "foundation_handler": [self.probe, "handler", str(n), "false"],
            "foundation_env": [self.probe, "env", str(n), "false"],
            "foundation_waitid": [self.probe, "waitid", str(n), "false"],
            "foundation_launcher": [self.probe, "launcher", str(n), "false"],
        }
        rounds = 1 if self.quick else 4
        runs = 2
        per_spawn = {key: [] for key in probes}
        hyper = {key: {"times": [], "user": [], "system": [], "round_medians": []} for key in commands}
        for _ in range(rounds):
            wait_quiet(2 if self.quick else 10)
            for key, data in zip(commands, hyperfine(list(commands.values()), runs, 1, ignore_failure=True)):
                hyper[key]["times"] += data["times"]
                hyper[key]["user"].append(data["user"])
                hyper[key]["system"].append(data["system"])
                hyper[key]["round_medians"].append(median(data["times"]))
            for key, argv in probes.items():
                out = run(argv).stdout.split()
                per_spawn[key].append((int(out[1]) - int(out[0])) / n / 1e6)
        med = {key: median(v["times"]) for key, v in hyper.items()}
        fig = {"attempts": n, "rounds": rounds, "runs_per_round": runs,
               "commands": {key: {"argv": cmdline(argv), "median_ms": med[key] * 1e3,
                                  "user_ms": median(hyper[key]["user"]) * 1e3,
                                  "system_ms": median(hyper[key]["system"]) * 1e3}
                            for key, argv in commands.items()},
               "probes": {key: {"argv": cmdline(argv), "per_spawn_ms": median(per_spawn[key]),
                                "rounds_ms": per_spawn[key]} for key, argv in probes.items()}}
        fig["ours_per_attempt_ms"] = (med["ours_n"] - med["ours_1"]) / (n - 1) * 1e3
        fig["ours_rounds_ms"] = [(a - b) / (n - 1) * 1e3 for a, b in
                                 zip(hyper["ours_n"]["round_medians"], hyper["ours_1"]["round_medians"])]
        fig["peer_per_attempt_ms"] = (med["peer_n"] - med["peer_1"]) / (n - 1) * 1e3
        fig["ours_cpu_per_attempt_ms"] = ((median(hyper["ours_n"]["user"]) + median(hyper["ours_n"]["system"]))
                                          - (median(hyper["ours_1"]["user"]) + median(hyper["ours_1"]["system"]))) / (n - 1) * 1e3
        fig["peer_cpu_per_attempt_ms"] = ((median(hyper["peer_n"]["user"]) + median(hyper["peer_n"]["system"]))
                                          - (median(hyper["peer_1"]["user"]) + median(hyper["peer_1"]["system"]))) / (n - 1) * 1e3
        fig["target_ms"] = 1.5
        fig["met"] = fig["ours_per_attempt_ms"] <= 1.0
        self.results["per_attempt"] = fig

    # 3. Exit notice
    def exit_notice(self):
        log("figure 3: exit notice")
        m = 300 if self.quick else 1000
        # (a) From one attempt's exit to the next one's start, with no delay.
        # The gap holds the notice plus one spawn; the same gap under the
        # bare posix_spawn loop is the floor.
        def stamped(key, argv_for):
            path = self.fresh(f"gap-{key}.txt")
            run(argv_for(path), check=False)
            return gaps_ms(read_stamps(path))
        loops = {
            "c_posix_spawn": lambda p: [os.path.join(self.helpers, "spawnloop"), str(m), self.stamp, p],
            "foundation_handler": lambda p: [self.probe, "handler", str(m), self.stamp, p],
            "foundation_launcher": lambda p: [self.probe, "launcher", str(m), self.stamp, p],
            "ours": lambda p: [self.retry, "-q", "-n", str(m), "-b", "0", "-j", "none", "--", self.stamp, p],
            "peer": lambda p: [PEER, "-t", str(m), "-d", "0", "--", self.stamp, p],
        }
        rounds = 1 if self.quick else 2
        gaps = {key: [] for key in loops}
        for _ in range(rounds):
            for key, argv_for in loops.items():
                gaps[key] += stamped(key, argv_for)
        fig = {"attempts": m, "rounds": rounds,
               "gap": {key: {"argv": cmdline(loops[key]("FILE")), **summary(v)} for key, v in gaps.items()}}
        floor = fig["gap"]["c_posix_spawn"]["median"]
        for key in loops:
            fig["gap"][key]["excess_median"] = fig["gap"][key]["median"] - floor

        # (b) From the last attempt's exit to retry gone, seen by its parent.
        reps = 20 if self.quick else 100
        gone = {"floor": [], "ours": [], "peer": []}
        wrappers = {"floor": [], "ours": [self.retry, "-q", "-n", "1", "--"], "peer": [PEER, "-t", "1", "--"]}
        for _ in range(reps):
            for key, prefix in wrappers.items():
                path = self.fresh("gone.txt")
                _, end, _ = spawnloop(self.helpers, 1, prefix + [self.stamp, path, "0"])
                gone[key].append((end - read_stamps(path)[0]) / 1e6)
        fig["gone"] = {key: {"argv": cmdline(["spawnloop", "1"] + wrappers[key] + ["stamp", "FILE", "0"]), **summary(v)}
                       for key, v in gone.items()}
        # (c) From the inside, where the build has the JSON log: the command's
        # stamp (start of main; it exits microseconds later) to the
        # attempt-end event, and the attempt-start event to the stamp.
        if self.json_log:
            notice, spawn, between = [], [], []
            argv_for = lambda p: [self.retry, "--log-format", "json", "-q", "-n", str(m), "-b", "0", "-j", "none",
                                  "--", self.stamp, p]
            for _ in range(rounds):
                path = self.fresh("json-notice.txt")
                _, events = self.run_json(argv_for(path))
                stamps = read_stamps(path)
                starts = [e["monotonic_ns"] for e in events if e.get("event") == "attempt-start"]
                ends = [e["monotonic_ns"] for e in events if e.get("event") == "attempt-end"]
                notice += [(end - st) / 1e6 for st, end in zip(stamps, ends)]
                spawn += [(st - begin) / 1e6 for begin, st in zip(starts, stamps)]
                between += [(b - a) / 1e6 for a, b in zip(ends, starts[1:])]
            fig["json"] = {"argv": cmdline(argv_for("FILE")), "notice": summary(notice), "spawn": summary(spawn),
                           "between": summary(between)}
        fig["target_ms"] = 1.5
        if self.json_log:
            fig["met"] = fig["json"]["notice"]["median"] <= 1.5 and fig["json"]["notice"]["max"] < 50
        else:
            fig["met"] = fig["gap"]["ours"]["median"] <= 1.5 and fig["gap"]["ours"]["max"] < 50
        self.results["exit_notice"] = fig

    # 4. Sleep precision
    def sleep_precision(self):
        log("figure 4: sleep precision")
        sleeps = 30 if self.quick else 100
        rounds = 1 if self.quick else 3
        argv = [self.retry, "-q", "-n", str(sleeps + 1), "-b", "20ms", "-s", "constant", "-j", "none", "--", self.stamp]
        floor_argv = [os.path.join(self.helpers, "spawnloop"), "-d", "20", str(sleeps + 1), self.stamp]
        ours, floor, nanosleep, semaphore, round_p99 = [], [], [], [], []
        json_sleep, json_wake = [], []
        for _ in range(rounds):
            path = self.fresh("sleep.txt")
            run(argv + [path], check=False)
            gaps = gaps_ms(read_stamps(path))
            ours += gaps
            round_p99.append(percentile([g - 20 for g in gaps], 99))
            path = self.fresh("sleep-floor.txt")
            run(floor_argv + [path])
            floor += gaps_ms(read_stamps(path))
            nanosleep += [int(x) / 1e6 for x in run([os.path.join(self.helpers, "sleeploop"), str(sleeps), "20"]).stdout.split()]
            semaphore += [int(x) / 1e6 for x in run([self.probe, "sleep", str(sleeps), "20"]).stdout.split()]
            if self.json_log:
                path = self.fresh("sleep-json.txt")
                _, events = self.run_json(argv[:1] + ["--log-format", "json"] + argv[1:] + [path])
                stamps = read_stamps(path)
                starts = [e["monotonic_ns"] for e in events if e.get("event") == "attempt-start"]
                slept = [(e["monotonic_ns"], e["delay_ms"]) for e in events if e.get("event") == "sleep"]
                json_sleep += [(b - a) / 1e6 - d for (a, d), b in zip(slept, starts[1:])]
                json_wake += [(st - a) / 1e6 - d for (a, d), st in zip(slept, stamps[1:])]
        gap3 = self.results["exit_notice"]["gap"]
        spawn, floor_spawn = gap3["ours"]["median"], gap3["c_posix_spawn"]["median"]
        over = [g - 20 - spawn for g in ours]
        self.results["sleep"] = {
            "argv": cmdline(argv[:-1] + ["stamp", "FILE"]), "floor_argv": cmdline(["spawnloop"] + floor_argv[1:-1] + ["stamp", "FILE"]),
            "sleeps": len(ours), "rounds": rounds, "spawn_gap_ms": spawn, "floor_spawn_gap_ms": floor_spawn,
            "raw": summary([g - 20 for g in ours]), "overshoot": summary(over), "round_raw_p99": round_p99,
            "floor_raw": summary([g - 20 for g in floor]), "floor_overshoot": summary([g - 20 - floor_spawn for g in floor]),
            "nanosleep": summary(nanosleep), "semaphore": summary(semaphore),
            "target_ms": 2.0, "met": percentile(over, 99) <= 2.0}
        if self.json_log:
            self.results["sleep"]["json_sleep"] = summary(json_sleep)
            self.results["sleep"]["json_wake"] = summary(json_wake)

    # 5. Timeout teardown
    def teardown(self):
        log("figure 5: timeout teardown")
        runs = 5 if self.quick else 20
        argv = [self.retry, "-q", "-n", "1", "-t", "200ms", "--", "sleep", "10"]
        wall = [t * 1e3 for t in hyperfine([argv], runs, 1, ignore_failure=True)[0]["times"]]
        startup = self.results["startup"]["commands"]["ours"]["median"]
        fig = {"wall": {"argv": cmdline(argv), **summary(wall)}, "startup_ms": startup,
               "wall_minus": summary([w - 200 - startup for w in wall])}
        # From timestamps: S when the command started, T when SIGTERM reached
        # it, and when retry was gone (its parent's waitpid returned).
        reps = 5 if self.quick else 30
        late, after, total, upper = [], [], [], []
        exact = {"signal": [], "attempt_end": [], "gone": []}
        logged = ["--log-format", "json"] if self.json_log else []
        for _ in range(reps):
            path = self.fresh("term.txt")
            out, events = self.run_json([os.path.join(self.helpers, "spawnloop"), "1", self.retry] + logged
                                        + ["-q", "-n", "1", "-t", "200ms", "--", self.stamp, "--term", path], check=True)
            begin, end, status = (int(x) for x in out.split())
            marks = dict(line.split() for line in open(path))
            starts = [e["monotonic_ns"] for e in events if e.get("event") == "attempt-start"]
            ends = [e["monotonic_ns"] for e in events if e.get("event") == "attempt-end"]
            if starts and ends:
                deadline = starts[0] + 200_000_000
                exact["signal"].append((int(marks["T"]) - deadline) / 1e6)
                exact["attempt_end"].append((ends[0] - deadline) / 1e6)
                exact["gone"].append((end - deadline) / 1e6)
            s, t = int(marks["S"]), int(marks["T"])
            late.append((t - s) / 1e6 - 200)
            after.append((end - t) / 1e6)
            total.append((end - s) / 1e6 - 200)
            upper.append((end - begin) / 1e6 - 200)
            fig["status"] = status
        fig["stamped"] = {"argv": cmdline(["spawnloop", "1", self.retry] + logged + ["-q", "-n", "1", "-t", "200ms", "--",
                                           "stamp", "--term", "FILE"]),
                          "signal_late": summary(late), "term_to_gone": summary(after), "deadline_to_gone": summary(total),
                          "deadline_to_gone_upper": summary(upper)}
        if exact["gone"]:
            fig["json"] = {key: summary(v) for key, v in exact.items()}
        # The same on a crowded host: a command's zombie may make retry look
        # through /proc for the rest of its group, and /proc holds every
        # process of the machine. So: that many idle processes more (ours,
        # ended by their pids afterwards).
        if self.json_log:
            crowd_size = 200 if self.quick else 1000
            soft, _ = resource.getrlimit(resource.RLIMIT_NPROC)
            if soft == resource.RLIM_INFINITY or soft > crowd_size + 2000:
                crowded = {"signal": [], "attempt_end": [], "gone": []}
                crowd = []
                try:
                    for _ in range(crowd_size):
                        crowd.append(subprocess.Popen(["sleep", "600"], stdin=subprocess.DEVNULL,
                                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                    processes = len([d for d in os.listdir("/proc") if d.isdigit()])
                    for _ in range(5 if self.quick else 20):
                        path = self.fresh("term-crowd.txt")
                        out, events = self.run_json([os.path.join(self.helpers, "spawnloop"), "1", self.retry] + logged
                                                    + ["-q", "-n", "1", "-t", "200ms", "--", self.stamp, "--term", path],
                                                    check=True)
                        end = int(out.split()[1])
                        marks = dict(line.split() for line in open(path))
                        starts = [e["monotonic_ns"] for e in events if e.get("event") == "attempt-start"]
                        ends = [e["monotonic_ns"] for e in events if e.get("event") == "attempt-end"]
                        if starts and ends:
                            deadline = starts[0] + 200_000_000
                            crowded["signal"].append((int(marks["T"]) - deadline) / 1e6)
                            crowded["attempt_end"].append((ends[0] - deadline) / 1e6)
                            crowded["gone"].append((end - deadline) / 1e6)
                finally:
                    for process in crowd:
                        process.kill()
                    for process in crowd:
                        process.wait()
                if crowded["gone"]:
                    fig["crowded"] = {"extra": crowd_size, "processes": processes,
                                      **{key: summary(v) for key, v in crowded.items()}}
        fig["target_ms"] = 20
        if "json" in fig:
            fig["met"] = fig["json"]["gone"]["median"] <= 20
        else:
            fig["met"] = fig["stamped"]["deadline_to_gone_upper"]["median"] <= 20 and fig["wall_minus"]["median"] <= 20
        self.results["teardown"] = fig

    # 6. Peak RSS
    def rss(self):
        log("figure 6: peak RSS")
        reps = 3 if self.quick else 10
        many = 300 if self.quick else 3000
        commands = {
            # The target is on the maximum of 20 runs.
            "ours": ([self.retry, "--", "true"], 5 if self.quick else 20),
            "ours_1": ([self.retry, "-q", "-n", "1", "-b", "0", "-j", "none", "false"], reps),
            "ours_many": ([self.retry, "-q", "-n", str(many), "-b", "0", "-j", "none", "false"], 1),
            "handler_many": ([self.probe, "handler", str(many), "false"], 1),
            "env_many": ([self.probe, "env", str(many), "false"], 1),
            "released_many": ([self.probe, "released", str(many), "false"], 1),
            "swift_posix": ([self.probe, "posix", "1", "true"], reps),
            "swift_process": ([self.probe, "handler", "1", "true"], reps),
            "peer": ([PEER, "-t", "1", "--", "true"], reps),
            "peer_many": ([PEER, "-t", str(many), "-d", "0", "--", "false"], 1),
            "floor": (["/bin/true"], reps),
        }
        fig = {"attempts": many, "commands": {}}
        for key, (argv, count) in commands.items():
            kib = []
            for _ in range(count):
                evict_from_page_cache(argv[0])
                out = self.fresh("time.txt")
                run(["/usr/bin/time", "-f", "%M", "-o", out] + argv, check=False)
                kib.append(int(open(out).read().split()[-1]))
            fig["commands"][key] = {"argv": cmdline(["/usr/bin/time", "-f", "%M"] + argv), "median_kib": median(kib),
                                    "max_kib": max(kib), "runs": len(kib)}
        c = fig["commands"]
        fig["growth_kib_per_attempt"] = (c["ours_many"]["max_kib"] - c["ours_1"]["median_kib"]) / (many - 1)
        fig["target_kib"] = 10 * 1024
        fig["met"] = c["ours"]["max_kib"] <= 10 * 1024
        self.results["rss"] = fig

    # 7. The binary
    def binary(self):
        log("figure 7: the binary")
        def describe(path):
            return {"path": path, "bytes": os.path.getsize(path), "file": run(["file", "-b", path]).stdout.strip()}
        self.results["binary"] = {"ours": describe(self.retry), "unstripped": describe(self.o.unstripped),
                                  "peer": describe(PEER), "build": self.o.build_command}

    # 8. The herd
    def herd(self):
        log("figure 8: the herd")
        sizes = [10] if self.quick else [10, 100, 300]
        budget = 5 if self.quick else HERD_BUDGET_S
        # Each client is retry (several threads) plus curl, sometimes a
        # watchdog sh: make sure the process limit leaves room.
        soft, _ = resource.getrlimit(resource.RLIMIT_NPROC)
        fig = {"limit": HERD_LIMIT, "window_ms": HERD_WINDOW_MS, "count": HERD_COUNT, "base": HERD_BASE,
               "cap": HERD_CAP, "budget_s": budget, "runs": [], "notes": []}
        # One run of a herd varies a lot (a few tight bursts more or less):
        # at the N of the target, each jitter is run three times, taking
        # turns, and the medians count.
        repeats = 1 if self.quick else 3
        reference_n = 100 if 100 in sizes else max(sizes)
        fig["repeats"] = repeats
        fig["reference_n"] = reference_n
        for size in sizes:
            if soft != resource.RLIM_INFINITY and size * 12 > soft:
                fig["notes"].append(f"N = {size} skipped: RLIMIT_NPROC is {soft}")
                continue
            for rep in range(repeats if size == reference_n else 1):
                for key, label, options in HERD_STRATEGIES:
                    if rep > 0 and key == "constant":
                        continue
                    log(f"  herd N={size} {key}" + (f" (run {rep + 1})" if rep else ""))
                    waited, busy = wait_quiet(2 if self.quick else 15)
                    load = os.getloadavg()[0]
                    result = self.herd_run(size, options, budget)
                    result.update({"busy_before": busy, "waited_s": round(waited, 1), "loadavg_before": load})
                    result.update({"n": size, "strategy": key, "label": label, "repeat": rep,
                                   "argv": cmdline(["retry", "-q", "--forever", "--budget", f"{budget}s"] + options
                                                   + ["--", "curl", "-fsS", "--noproxy", "*", "--max-time", "5",
                                                      "-o", "/dev/null", "http://127.0.0.1:PORT/"])})
                    fig["runs"].append(result)
        cells = {}
        for result in fig["runs"]:
            cells.setdefault((result["n"], result["strategy"]), []).append(result)
        fig["cells"] = []
        for (size, key), group in cells.items():
            requests = [g["requests"] for g in group]
            typical = sorted(group, key=lambda g: g["requests"])[len(group) // 2]
            fig["cells"].append({
                "n": size, "strategy": key, "label": group[0]["label"], "runs": len(group),
                "requests": median(requests), "requests_range": [min(requests), max(requests)],
                "per_client": median(requests) / size, "rejected": median([g["rejected"] for g in group]),
                "failed_clients": sum(g["failed_clients"] for g in group),
                "all_done_s": median([g["all_done_s"] for g in group]),
                "all_done_range": [min(g["all_done_s"] for g in group), max(g["all_done_s"] for g in group)],
                "median_client_s": median([g["median_client_s"] for g in group]),
                "bins_250ms": typical["bins_250ms"]})
        fig["cut_at_100"] = {}
        by = {(c["n"], c["strategy"]): c for c in fig["cells"]}
        if (reference_n, "none") in by:
            base = by[(reference_n, "none")]["requests"]
            for key in ("full", "equal", "decorrelated"):
                if (reference_n, key) in by:
                    fig["cut_at_100"][key] = 1 - by[(reference_n, key)]["requests"] / base
            none_done = by[(reference_n, "none")]["all_done_s"]
            fig["time_cut_at_100"] = {key: 1 - by[(reference_n, key)]["all_done_s"] / none_done
                                      for key in ("full", "equal", "decorrelated") if (reference_n, key) in by}
        fig["target_cut"] = 0.5
        fig["met"] = bool(fig["cut_at_100"]) and all(v >= 0.5 for v in fig["cut_at_100"].values())
        self.results["herd"] = fig

    def herd_run(self, size, options, budget):
        server = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "herd_server.py"), "--limit", str(HERD_LIMIT),
             "--window-ms", str(HERD_WINDOW_MS), "--count", HERD_COUNT,
             "--max-seconds", str(budget + 60), "--idle", "20"],
            stdout=subprocess.PIPE, text=True)
        try:
            port = int(server.stdout.readline().split()[1])
            url = f"http://127.0.0.1:{port}/"
            # No proxy may take the requests anywhere but 127.0.0.1.
            env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
            quiet = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                     (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
                     (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)]
            # Every client waits (startat) for the same instant, as jobs
            # fired by one cron line do.
            start = time.monotonic_ns() + 300_000_000 + size * 4_000_000
            argv_tail = [self.retry, "-q", "--forever", "--budget", f"{budget}s"] + options + [
                "--", "curl", "-fsS", "--noproxy", "*", "--max-time", "5", "-o", "/dev/null", url]
            pids = set()
            for _ in range(size):
                argv = [os.path.join(self.helpers, "startat"), str(start)] + argv_tail
                # Python ignores SIGPIPE; the clients get it at its default.
                pids.add(os.posix_spawn(argv[0], argv, env, file_actions=quiet,
                                        setsigdef=(signal.SIGPIPE, signal.SIGXFSZ)))
            launched = time.monotonic_ns()
            ends, failures = reap_clients(pids, budget + 30)
            stats = json.load(urllib.request.urlopen(url + "stats", timeout=10))
            urllib.request.urlopen(url + "stop", timeout=10).read()
        finally:
            wait_or_kill(server)
        arrivals = stats["arrivals"]
        bin_ns = 250_000_000
        last = max([a for a, _ in arrivals] + ends + [start])
        bins = [[0, 0] for _ in range(int((last - start) // bin_ns) + 1)]
        for at, status in arrivals:
            index = max(0, int((at - start) // bin_ns))
            bins[index][0 if status == 200 else 1] += 1
        finish = [(e - start) / 1e9 for e in ends]
        return {"requests": stats["requests"], "ok": stats["ok"], "rejected": stats["rejected"],
                "failed_clients": failures, "all_done_s": max(finish), "median_client_s": median(finish),
                "per_client": stats["requests"] / size, "launch_late_ms": max(0, (launched - start) / 1e6),
                "bins_250ms": bins}

    # ------------------------------------------------------------ report
    def report(self):
        r = self.results
        mach = r["machine"]
        lines = []
        add = lines.append
        add("# `retry` performance report")
        add("")
        kind = "quick pass (`bench/run --quick`: fewer runs, smaller herd; a smoke test, not the figures to quote)" \
            if self.quick else "full run (`bench/run`)"
        if r.get("only") == "cost":
            kind = "retry's own cost only (`bench/run --cost`: figures 1, 2, 6, 7, 10 and 11)" + ("; quick" if self.quick else "")
        add(f"Generated by `bench/run` on {mach['date']}: {kind}.")
        add("")
        add("## Machine")
        add("")
        add("| | |")
        add("|---|---|")
        add(f"| CPU | {mach['cpu']}, `nproc` = {mach['nproc']} |")
        add(f"| memory | {mach['memory_gib']} GiB |")
        add(f"| system | {mach['os']}, kernel {mach['kernel']} |")
        add(f"| Swift | {mach['swift']} |")
        pk = mach["packages"]
        add(f"| tools | hyperfine {pk['hyperfine']}, Debian `retry` {pk['retry']}, curl {pk['curl']}, GNU time {pk['time']}, Python {mach['python']} |")
        add(f"| `retry` under test | {mach['source']}; `{r['binary']['build']}`, then `strip` |" if "binary" in r
            else f"| `retry` under test | {mach['source']} |")
        add("")
        add("Times are wall-clock: CLOCK_MONOTONIC or hyperfine's. \"Debian's retry\" is the C")
        add("`retry` package, always run as `/usr/bin/retry`; `retry` in a command is ours, run by the path")
        add("of a stripped copy of the release build. `stamp`, `spawnloop`, `sleeploop` and `startat` are")
        add("bench/helpers/*.c; `FoundationProbe` is bench/probe/FoundationProbe.swift, built like ours.")
        add("Other work on the machine while this ran adds noise: compare within a table, not across runs.")
        add("")
        load = r.get("load", {})
        if load:
            add(f"Load: before each figure the bench waits (up to a minute; before each round of 1 and 2 and each herd run, up to 10 to 15 s) "
                f"for the CPUs to be at most {QUIET * 100:.0f}% busy. Busy in the half second before each figure "
                f"started: "
                + ", ".join(f"{k}: {v['busy'] * 100:.0f}%" + (f" (after waiting {v['waited_s']:.0f} s)" if v.get("waited_s", 0) >= 1 else "")
                            for k, v in load.items())
                + f"; 1-minute load average at the start {next(iter(load.values()))['loadavg']:.2f}.")
        if mach.get("busy_processes"):
            add("Already busy when the run started: " + ", ".join(mach["busy_processes"]) + ".")
        add("")

        add("## Summary")
        add("")
        add("| # | figure | measured | target | |")
        add("|---|---|---|---|---|")

        def verdict(ok):
            return "met" if ok else "**missed**"
        if "startup" in r:
            s = r["startup"]
            add(f"| 1 | start-up + one attempt, vs Debian's retry | {s['ratio_to_peer']:.2f}× ({fmt_ms(s['commands']['ours']['median'])} vs {fmt_ms(s['commands']['peer']['median'])}) | ≤ 1.5× | {verdict(s['met'])} |")
        if "per_attempt" in r:
            p = r["per_attempt"]
            add(f"| 2 | per-attempt overhead | {fmt_ms(p['ours_per_attempt_ms'])} | ≤ 1.0 ms | {verdict(p['ours_per_attempt_ms'] <= 1.0)} |")
        if "exit_notice" in r:
            e = r["exit_notice"]
            g = e["gap"]["ours"]
            if "json" in e:
                j = e["json"]["notice"]
                add(f"| 3 | exit noticed (command's last stamp to retry's attempt-end event) | median {fmt_ms(j['median'])}, p99 {fmt_ms(j['p99'])}, max {fmt_ms(j['max'])} | median ≤ 1.5 ms, never ~50 ms | {verdict(e['met'])} |")
            else:
                add(f"| 3 | exit noticed (upper bound: exit to next start) | median {fmt_ms(g['median'])}, max {fmt_ms(g['max'])} | median ≤ 1.5 ms, never ~50 ms | {verdict(e['met'])} |")
        if "sleep" in r:
            s = r["sleep"]
            add(f"| 4 | sleep overshoot, 20 ms delays: gaps − 20 ms − spawn | p50 {fmt_ms(s['overshoot']['median'])}, p99 {fmt_ms(s['overshoot']['p99'])} | p99 ≤ 2 ms | {verdict(s['met'])} |")
            if "json_sleep" in s:
                j = s["json_sleep"]
                add(f"| 4 | the same, from retry's log: `sleep` to next `attempt-start` − delay | p50 {fmt_ms(j['median'])}, p99 {fmt_ms(j['p99'])} | p99 ≤ 2 ms | {verdict(j['p99'] <= 2)} |")
        if "teardown" in r:
            t = r["teardown"]
            if "json" in t:
                add(f"| 5 | timeout deadline to `retry` gone | median {fmt_ms(t['json']['gone']['median'])}, max {fmt_ms(t['json']['gone']['max'])} | ≤ 20 ms | {verdict(t['met'])} |")
                if "crowded" in t:
                    cr = t["crowded"]
                    add(f"| 5 | the same with {cr['processes']} processes on the host | median {fmt_ms(cr['gone']['median'])}, p90 {fmt_ms(cr['gone']['p90'])}, max {fmt_ms(cr['gone']['max'])} | ≤ 20 ms | {verdict(cr['gone']['max'] <= 20)} (by the max) |")
            else:
                add(f"| 5 | timeout to attempt gone | median {fmt_ms(t['stamped']['deadline_to_gone']['median'])} to {fmt_ms(t['stamped']['deadline_to_gone_upper']['median'])} (stamps), {fmt_ms(t['wall_minus']['median'])} (wall) | ≤ 20 ms | {verdict(t['met'])} |")
        if "rss" in r:
            m = r["rss"]
            add(f"| 6 | peak RSS of `retry -- true`, max of {m['commands']['ours']['runs']} runs | {m['commands']['ours']['max_kib'] / 1024:.1f} MiB (median {m['commands']['ours']['median_kib'] / 1024:.1f}; +{m['growth_kib_per_attempt']:.1f} KiB per further attempt) | ≤ 10 MiB | {verdict(m['met'])} |")
        if "binary" in r:
            b = r["binary"]
            link = "static" if "statically linked" in b["ours"]["file"] or "static-pie" in b["ours"]["file"] else "dynamic"
            add(f"| 7 | release binary | {b['ours']['bytes'] / 1e6:.1f} MB stripped, {link} | (no target) | |")
        if "herd" in r:
            h = r["herd"]
            cuts = ", ".join(f"{k} {v * 100:.0f}%" for k, v in h["cut_at_100"].items())
            add(f"| 8 | herd: fewer requests than no jitter at N = {h['reference_n']} | {cuts} | ≥ 50% | {verdict(h['met'])} |")
        for row in cost.summary_rows(r, verdict):
            add(row)
        add("")

        if "startup" in r:
            s = r["startup"]
            c = s["commands"]
            add("## 1. Start-up and one successful attempt")
            add("")
            add(f"`hyperfine -N`, {s['rounds']} rounds of {s['runs_per_round']} runs per command (warm-up {s['warmup']}), the commands taking turns in each round; medians of all runs.")
            add("")
            add("| command | median | p90 | × `/bin/true` | user | system |")
            add("|---|---|---|---|---|---|")
            for key, name in (("floor", "`/bin/true`"), ("peer", "Debian's `retry -t 1 -- /bin/true`"),
                              ("ours", "**`retry -- /bin/true`**"),
                              ("c_wrapper", "C wrapper: `spawnloop 1 /bin/true` (`posix_spawnp` + `waitpid`)"),
                              ("swift_posix", "static Swift + Foundation binary, `posix_spawn`: `FoundationProbe posix 1 /bin/true`"),
                              ("swift_process", "the same with Foundation `Process`: `FoundationProbe handler 1 /bin/true`")):
                add(f"| {name} | {fmt_ms(c[key]['median'])} | {fmt_ms(c[key]['p90'])} | {c[key]['median'] / c['floor']['median']:.2f} | {fmt_ms(c[key]['user_ms'])} | {fmt_ms(c[key]['system_ms'])} |")
            add("")
            add(f"Where ours' start-up goes (differences of medians): a wrapper in C needs "
                f"{fmt_ms(c['c_wrapper']['median'])}; a static Swift binary of the same size doing the same with "
                f"`posix_spawn` {fmt_ms(c['swift_posix']['median'])} (+{fmt_ms(c['swift_posix']['median'] - c['c_wrapper']['median'])}: "
                f"loading and starting the {self.results.get('binary', {}).get('ours', {}).get('bytes', 0) / 1e6:.1f} MB static binary and the Swift runtime); "
                f"Foundation `Process` instead of `posix_spawn` "
                f"+{fmt_ms(c['swift_process']['median'] - c['swift_posix']['median'])}; the rest of `retry` (parsing, "
                f"signal relay, environment, reporting) +{fmt_ms(c['ours']['median'] - c['swift_process']['median'])}.")
            add("")
            rr = s["round_ratios"]
            add(f"Ours over Debian's: **{s['ratio_to_peer']:.2f}×** (per-round ratios {min(rr):.2f} to {max(rr):.2f}); target ≤ 1.5×: {verdict(s['met'])}.")
            add("")
            add("Commands: " + "; ".join(f"`{c[k]['argv']}`" for k in ("ours", "floor", "peer")) + ".")
            add("")

        if "per_attempt" in r:
            p = r["per_attempt"]
            c = p["commands"]
            pr = p["probes"]
            add("## 2. Per-attempt overhead")
            add("")
            add(f"{p['attempts']} failing attempts of `false` with no delay, against one; `hyperfine -N -i`, {p['rounds']} round(s) of {p['runs_per_round']} runs, medians. Per attempt = (time of {p['attempts']} − time of 1) / {p['attempts'] - 1}.")
            add("")
            add("| command | median | per attempt | CPU per attempt |")
            add("|---|---|---|---|")
            add(f"| `{c['ours_1']['argv']}` | {fmt_ms(c['ours_1']['median_ms'])} | | |")
            add(f"| `{c['ours_n']['argv']}` | {fmt_ms(c['ours_n']['median_ms'], 0)} | **{fmt_ms(p['ours_per_attempt_ms'])}** | {fmt_ms(p['ours_cpu_per_attempt_ms'])} |")
            add(f"| `{c['peer_1']['argv']}` | {fmt_ms(c['peer_1']['median_ms'])} | | |")
            add(f"| `{c['peer_n']['argv']}` | {fmt_ms(c['peer_n']['median_ms'], 0)} | {fmt_ms(p['peer_per_attempt_ms'])} | {fmt_ms(p['peer_cpu_per_attempt_ms'])} |")
            add("")
            add(f"Target ≤ 1.0 ms per attempt: {verdict(p['ours_per_attempt_ms'] <= 1.0)}.")
            add("")
            add(f"Where it goes: the same {p['attempts']} spawns of `false` inside one running process (start-up excluded; each probe times its own loop; median of the rounds):")
            add("")
            add("| probe | per spawn | rounds | command |")
            add("|---|---|---|---|")
            names = {"c_posix_spawn": "C, `posix_spawnp` + `waitpid` (the floor)",
                     "swift_posix_spawn": "Swift, Glibc `posix_spawn` + `waitpid`, same static Foundation binary",
                     "foundation_handler": "Foundation `Process` + `terminationHandler` + semaphore",
                     "foundation_env": "as above + an explicit environment (three variables added)",
                     "foundation_waitid": "as above (no environment) + a `waitid(WNOWAIT)` watcher on a Dispatch thread",
                     "foundation_launcher": "both: what `FoundationLauncher` does around `Process`"}
            for key, name in names.items():
                spread = pr[key]["rounds_ms"]
                add(f"| {name} | {fmt_ms(pr[key]['per_spawn_ms'])} | {min(spread):.2f} to {max(spread):.2f} | "
                    f"`{pr[key]['argv'].replace(self.probe, 'FoundationProbe').replace(self.helpers + '/', '')}` |")
            rounds = p["ours_rounds_ms"]
            add(f"| ours, per attempt | {fmt_ms(p['ours_per_attempt_ms'])} | {min(rounds):.2f} to {max(rounds):.2f} | as above |")
            add("")
            floor = pr["c_posix_spawn"]["per_spawn_ms"]
            swift = pr["swift_posix_spawn"]["per_spawn_ms"]
            found = pr["foundation_handler"]["per_spawn_ms"]
            launcher = pr["foundation_launcher"]["per_spawn_ms"]
            ours = p["ours_per_attempt_ms"]
            add(f"Differences of medians (each has noise of about the spread of its rounds): of ours' {fmt_ms(ours)}, "
                f"{fmt_ms(floor)} is the kernel spawning and reaping `false` (the C floor; a static Swift binary with "
                f"raw `posix_spawn` costs {fmt_ms(swift)}); Foundation `Process` with a `terminationHandler` adds "
                f"{fmt_ms(found - floor)}; the environment and the `waitid` watcher that `FoundationLauncher` adds "
                f"around it, {fmt_ms(launcher - found)}{' (nothing measurable)' if abs(launcher - found) < 0.1 else ''}; "
                f"the rest of `retry`'s loop (policy, reporting, the event mailbox, the executable lookup), "
                f"{fmt_ms(ours - launcher)}.")
            add("")

        if "exit_notice" in r:
            e = r["exit_notice"]
            add("## 3. Exit notice")
            add("")
            if "json" in e:
                add("Measured from outside, in two ways that work with any build and compare with the floor and the peer, and from the inside with `retry`'s JSON log.")
            else:
                add("This build has no JSON log with timestamps, so the notice is measured from outside, two ways.")
            add("")
            add(f"**(a) From an attempt's exit to the next attempt's start, no delay.** `stamp` (bench/helpers/stamp.c, static) appends CLOCK_MONOTONIC to a file at the start of `main` and exits 1 at once; {e['attempts']} attempts, {e['rounds']} round(s). A gap holds the exit, its notice, the bookkeeping and the next spawn, so it is an upper bound of the notice; the same gap under a bare `posix_spawnp`/`waitpid` loop is the floor.")
            add("")
            add("| runner | median gap | p90 | p99 | max | median over the floor |")
            add("|---|---|---|---|---|---|")
            names = {"c_posix_spawn": "C `posix_spawnp` + `waitpid` loop (floor)",
                     "foundation_handler": "Foundation `Process` + `terminationHandler` + semaphore",
                     "foundation_launcher": "as above + `waitid(WNOWAIT)` watcher",
                     "ours": "`retry -q -n M -b 0 -j none -- stamp FILE`",
                     "peer": "Debian's `retry -t M -d 0 -- stamp FILE`"}
            for key, name in names.items():
                g = e["gap"][key]
                add(f"| {name} | {fmt_ms(g['median'])} | {fmt_ms(g['p90'])} | {fmt_ms(g['p99'])} | {fmt_ms(g['max'])} | {fmt_ms(g['excess_median'])} |")
            add("")
            add(f"**(b) From the last attempt's exit to `retry` gone**, as its parent sees it: the C harness `spawnloop 1` notes when `waitpid` returns; `stamp FILE 0` succeeds at once. {e['gone']['ours']['n']} runs each, interleaved.")
            add("")
            add("| | median | p90 | p99 | max |")
            add("|---|---|---|---|---|")
            for key, name in (("floor", "`stamp` run directly (floor: exit to reaped)"),
                              ("ours", "`retry -q -n 1 -- stamp FILE 0`"),
                              ("peer", "Debian's `retry -t 1 -- stamp FILE 0`")):
                g = e["gone"][key]
                add(f"| {name} | {fmt_ms(g['median'])} | {fmt_ms(g['p90'])} | {fmt_ms(g['p99'])} | {fmt_ms(g['max'])} |")
            add("")
            if "json" in e:
                j = e["json"]
                add(f"**(c) From the inside**, with `retry`'s JSON log, whose events carry CLOCK_MONOTONIC: `{j['argv']}`. `stamp` exits microseconds after its stamp, so stamp to `attempt-end` is the notice (plus that exit); `attempt-start` to stamp is the spawn, as far as the command's `main`.")
                add("")
                add("| | median | p90 | p99 | max |")
                add("|---|---|---|---|---|")
                for key, name in (("notice", "**exit noticed**: stamp to `attempt-end`"),
                                  ("spawn", "spawn: `attempt-start` to the command's stamp"),
                                  ("between", "between attempts: `attempt-end` to the next `attempt-start`")):
                    v = j[key]
                    add(f"| {name} | {fmt_ms(v['median'])} | {fmt_ms(v['p90'])} | {fmt_ms(v['p99'])} | {fmt_ms(v['max'])} |")
                add("")
                add(f"Target: notice median ≤ 1.5 ms and never ~50 ms: {verdict(e['met'])} (by (c)). (b) adds `retry`'s own exit, after the notice.")
            else:
                add(f"Target: notice median ≤ 1.5 ms and never ~50 ms: {verdict(e['met'])} (by the upper bound (a)). (b) adds `retry`'s own exit, after the notice.")
            add("")

        if "sleep" in r:
            s = r["sleep"]
            add("## 4. Sleep precision")
            add("")
            add(f"`{s['argv'].replace(self.retry, 'retry')}`, {s['rounds']} run(s): {s['sleeps']} delays of 20 ms. "
                f"Each gap between consecutive attempts' start stamps, minus 20 ms (raw); minus also the median "
                f"no-delay gap of figure 3a ({fmt_ms(s['spawn_gap_ms'])}: notice, bookkeeping and spawn), the overshoot. "
                f"The floor does the same with the C loop, `{s['floor_argv']}`, which sleeps with `clock_nanosleep` "
                f"between reap and spawn (its no-delay gap: {fmt_ms(s['floor_spawn_gap_ms'])}). The last two rows are "
                f"the sleep primitives alone, 20 ms {s['sleeps']} times: `clock_nanosleep` (bench/helpers/sleeploop.c) and "
                f"`DispatchSemaphore.wait(timeout:)`, which `retry`'s backoff sleep uses (`FoundationProbe sleep`).")
            add("")
            add("| | p50 | p90 | p99 | max | min |")
            add("|---|---|---|---|---|---|")
            for key, name in (("raw", "ours: gap − 20 ms"), ("overshoot", "**ours: overshoot**"),
                              ("floor_raw", "C loop: gap − 20 ms"), ("floor_overshoot", "C loop: overshoot"),
                              ("nanosleep", "`clock_nanosleep` alone: overshoot"),
                              ("semaphore", "`DispatchSemaphore.wait(timeout:)` alone: overshoot"),
                              ("json_sleep", "ours, JSON log: `sleep` event to the next `attempt-start`, minus the delay"),
                              ("json_wake", "ours, JSON log: `sleep` event to the next command's stamp, minus the delay")):
                if key not in s:
                    continue
                v = s[key]
                add(f"| {name} | {fmt_ms(v['median'])} | {fmt_ms(v['p90'])} | {fmt_ms(v['p99'])} | {fmt_ms(v['max'])} | {fmt_ms(v['min'])} |")
            add("")
            if len(s["round_raw_p99"]) > 1:
                add("p99 of gap − 20 ms in each run: " + ", ".join(fmt_ms(x) for x in s["round_raw_p99"]) + ".")
                add("")
            add(f"Target p99 overshoot ≤ 2 ms, by the gaps: {verdict(s['met'])}.")
            if "json_sleep" in s:
                add(f"By `retry`'s own log (the sleep alone, without the spawn and its variance): "
                    f"{verdict(s['json_sleep']['p99'] <= 2)} (p99 {fmt_ms(s['json_sleep']['p99'])}).")
            add("")

        if "teardown" in r:
            t = r["teardown"]
            add("## 5. Timeout teardown")
            add("")
            add(f"**Wall time**: `hyperfine -N -i` of `{t['wall']['argv']}`, {t['wall']['n']} runs: median {fmt_ms(t['wall']['median'])}; minus 200 ms and minus figure 1's start-up and one attempt ({fmt_ms(t['startup_ms'])}): median **{fmt_ms(t['wall_minus']['median'])}**, max {fmt_ms(t['wall_minus']['max'])}. This subtraction is good to a few milliseconds only (figure 1's time includes running `/bin/true`; this one's the watchdog `retry` starts once an attempt has run 100 ms), hence the timestamps.")
            add("")
            st = t["stamped"]
            add(f"**Timestamps**: `{st['argv'].replace(self.retry, 'retry')}`, {st['deadline_to_gone']['n']} runs. The harness notes when it spawns `retry` (E) and when `retry` is gone (G); `stamp --term` notes when it starts (S) and when SIGTERM reaches it (T), then exits 143. `retry` starts the attempt's clock after E and before S, so its deadline lies between E + 200 ms and S + 200 ms: two bounds.")
            add("")
            add("| | median | p90 | max |")
            add("|---|---|---|---|")
            for key, name in (("signal_late", "S + 200 ms to SIGTERM received (negative: the attempt's clock starts before the command runs)"),
                              ("term_to_gone", "SIGTERM received to `retry` gone"),
                              ("deadline_to_gone", "deadline to `retry` gone, lower bound (G − S − 200 ms)"),
                              ("deadline_to_gone_upper", "**deadline to `retry` gone, upper bound** (G − E − 200 ms: includes `retry`'s start-up)")):
                v = st[key]
                add(f"| {name} | {fmt_ms(v['median'])} | {fmt_ms(v['p90'])} | {fmt_ms(v['max'])} |")
            add("")
            if "json" in t:
                add("")
                add("With the JSON log (the same runs), the deadline is known exactly: the `attempt-start` event + 200 ms.")
                add("")
                add("| from the deadline to | median | p90 | max |")
                add("|---|---|---|---|")
                for key, name in (("signal", "SIGTERM received by the command"),
                                  ("attempt_end", "`attempt-end` written (command gone, group cleared)"),
                                  ("gone", "**`retry` gone** (its parent's `waitpid` returned)")):
                    v = t["json"][key]
                    add(f"| {name} | {fmt_ms(v['median'])} | {fmt_ms(v['p90'])} | {fmt_ms(v['max'])} |")
                add("")
            if "crowded" in t:
                cr = t["crowded"]
                add(f"On a crowded host: the same, {cr['gone']['n']} runs, with {cr['extra']} idle processes more "
                    f"(`sleep 600`, ended afterwards), {cr['processes']} in all. When `retry` sees the command's exit "
                    f"before Foundation has reaped it, the zombie keeps `kill(-group, 0)` true; `ProcessGroup.isAlive` "
                    f"then gives Foundation a millisecond to reap it, and only if the group still seems alive reads "
                    f"the `stat` of every process in /proc, a cost that grows with the host's process count.")
                add("")
                add("| from the deadline to | median | p90 | max |")
                add("|---|---|---|---|")
                for key, name in (("signal", "SIGTERM received by the command"),
                                  ("attempt_end", "`attempt-end` written"),
                                  ("gone", "**`retry` gone**")):
                    v = cr[key]
                    add(f"| {name} | {fmt_ms(v['median'])} | {fmt_ms(v['p90'])} | {fmt_ms(v['max'])} |")
                add("")
            crowd_note = ""
            if "crowded" in t:
                crowd_note = (f" With {t['crowded']['processes']} processes on the host: "
                              f"{verdict(t['crowded']['gone']['max'] <= 20)} (max {fmt_ms(t['crowded']['gone']['max'])}).")
            add(f"Exit status: {t.get('status')}. Target ≤ 20 ms on this host as it was: {verdict(t['met'])}.{crowd_note}")
            add("")

        if "rss" in r:
            m = r["rss"]
            add("## 6. Peak RSS")
            add("")
            add("`/usr/bin/time -f %M` (maximum resident set size), each program first evicted from the page "
                "cache (`posix_fadvise(DONTNEED)`), as after a reboot: its text pages count, and a binary just "
                "written by `strip` was seen mapped in larger pieces, peaking near twice as high.")
            c = m["commands"]
            add("")
            add("| command | median | max | runs |")
            add("|---|---|---|---|")
            for key in ("floor", "peer", "ours", "swift_posix", "swift_process", "ours_1", "ours_many", "peer_many",
                        "handler_many", "env_many", "released_many"):
                if key not in m["commands"]:
                    continue  # a results file from before the probe had it
                v = m["commands"][key]
                shown = v["argv"].replace(self.retry, "retry").replace(self.probe, "FoundationProbe")
                add(f"| `{shown}` | {v['median_kib'] / 1024:.1f} MiB | {v['max_kib'] / 1024:.1f} MiB | {v['runs']} |")
            add("")
            add(f"Target ≤ 10 MiB for `retry -- true`: {verdict(m['met'])}. A static Swift binary with Foundation "
                f"linked in that only spawns `true` (`FoundationProbe posix 1 true`) already peaks at "
                f"{c['swift_posix']['max_kib'] / 1024:.1f} MiB, with Foundation `Process` at "
                f"{c['swift_process']['max_kib'] / 1024:.1f} MiB.")
            add("")
            add(f"Growth with the number of attempts: {m['growth_kib_per_attempt']:.2f} KiB per attempt "
                f"from 1 to {m['attempts']} attempts (Debian's retry: "
                f"{(c['peer_many']['max_kib'] - c['peer']['median_kib']) / (m['attempts'] - 1):.2f} KiB). "
                f"Foundation `Process` alone leaks each `Process` (its run loop source and the `Process` hold each "
                f"other until `waitUntilExit()` is called): {m['attempts']} runs with a `terminationHandler` grow to "
                f"{c['handler_many']['max_kib'] / 1024:.1f} MiB, and to {c['env_many']['max_kib'] / 1024:.1f} MiB when "
                f"each is given an explicit environment, as `FoundationLauncher` does"
                + (f"; calling `waitUntilExit()` from the handler, where it returns at once, keeps that at "
                   f"{c['released_many']['max_kib'] / 1024:.1f} MiB, and `FoundationLauncher` does so."
                   if "released_many" in c else "."))
            add("")

        if "binary" in r:
            b = r["binary"]
            add("## 7. Release binary")
            add("")
            add("| binary | size | `file` |")
            add("|---|---|---|")
            add(f"| ours, stripped (as `make install` installs it) | {b['ours']['bytes']:,} bytes ({b['ours']['bytes'] / 1e6:.1f} MB) | {b['ours']['file']} |")
            add(f"| ours, before `strip` | {b['unstripped']['bytes']:,} bytes ({b['unstripped']['bytes'] / 1e6:.1f} MB) | {b['unstripped']['file']} |")
            add(f"| Debian's `/usr/bin/retry` | {b['peer']['bytes']:,} bytes | {b['peer']['file']} |")
            add("")
            add(f"Built with `{b['build']}`.")
            add("")

        if "herd" in r:
            h = r["herd"]
            add("## 8. The herd")
            add("")
            add(f"N clients start at the same instant (`startat`, as jobs fired by one cron line) and each runs `retry -q --forever --budget {h['budget_s']}s <strategy> -- curl -fsS --noproxy '*' --max-time 5 -o /dev/null http://127.0.0.1:PORT/` against `bench/herd_server.py`, which lets at most K = {h['limit']} request through per sliding window of W = {h['window_ms']} ms (the window counts the requests it answered 200; the others get 503): one worker that takes W per request and sheds what arrives meanwhile, a capacity of {1000 * h['limit'] / h['window_ms']:g} requests a second. Base {h['base']} (retry's default), cap {h['cap']} for the exponential and decorrelated strategies. A fresh server for each run; \"all done\" is from the common start to the last client's exit.")
            add("")
            add("Why these values, and how the saving depends on them (mostly on the base: with a base of 10 ms every client makes about 8 attempts in the first second and a half, jitter or not, while the 2 CPUs need about 0.4 s just to start 100 curls): bench/README.md, \"The herd's parameters\", and `bench/herd_sim.py`.")
            add("")
            if h.get("repeats", 1) > 1:
                add(f"At N = {h['reference_n']} each strategy but the constant one ran {h['repeats']} times, taking turns: medians, with the range.")
                add("")
            add("| N | strategy | runs | requests | per client | 503s | clients that gave up | all done | median client |")
            add("|---|---|---|---|---|---|---|---|---|")
            for c in h["cells"]:
                req = f"{c['requests']:.0f}"
                done = f"{c['all_done_s']:.1f} s"
                if c["runs"] > 1:
                    req += f" ({c['requests_range'][0]}–{c['requests_range'][1]})"
                    done += f" ({c['all_done_range'][0]:.1f}–{c['all_done_range'][1]:.1f})"
                add(f"| {c['n']} | {c['label']} | {c['runs']} | {req} | {c['per_client']:.1f} | {c['rejected']:.0f} | {c['failed_clients']} | {done} | {c['median_client_s']:.1f} s |")
            add("")
            cuts = ", ".join(f"{k} {v * 100:.0f}%" for k, v in h["cut_at_100"].items())
            add(f"Requests saved against no jitter at N = {h['reference_n']}: {cuts}. Target ≥ 50%: {verdict(h['met'])}.")
            if h.get("time_cut_at_100"):
                add("")
                add(f"Time until every client was served, saved against no jitter at N = {h['reference_n']}: "
                    + ", ".join(f"{k} {v * 100:.0f}%" for k, v in h["time_cut_at_100"].items()) + ".")
            for note in h["notes"]:
                add(f"\n{note}")
            loads = [x for x in h["runs"] if "busy_before" in x]
            if loads:
                add(f"\nCPUs busy just before each run (the bench waits up to {2 if self.quick else 15} s for at most {QUIET * 100:.0f}%): "
                    f"{min(x['busy_before'] for x in loads) * 100:.0f}% to {max(x['busy_before'] for x in loads) * 100:.0f}%, "
                    f"load average {min(x['loadavg_before'] for x in loads):.1f} to {max(x['loadavg_before'] for x in loads):.1f}.")
            late = max((x["launch_late_ms"] for x in h["runs"]), default=0)
            if late > 0:
                add(f"\nWarning: launching the clients overran the common start by up to {late:.0f} ms.")
            add("")
            if self.o.svg:
                add("## 9. Chart")
                add("")
                add(f"![The herd: requests and time until every client succeeded]({os.path.relpath(self.o.svg, os.path.dirname(os.path.abspath(self.o.out)))})")
                add("")
        lines += cost.sections(r, verdict)
        text = "\n".join(lines) + "\n"
        # Ours ran by the path of a stripped copy in a temporary folder:
        # show it as `retry` (Debian's is always /usr/bin/retry).
        text = text.replace(self.retry, "retry").replace(self.probe, "FoundationProbe")
        return text.replace(self.helpers + "/", "")


def render(options):
    """Writes the report again from a results file, without measuring: for
    changes to the report's wording."""
    results = json.load(open(options.from_json))
    bench = Bench.__new__(Bench)
    bench.o = options
    bench.results = results
    bench.quick = results["machine"].get("quick", False)
    ours = results.get("binary", {}).get("ours", {}).get("path", "/nonexistent/retry")
    folder = os.path.dirname(ours)
    bench.retry, bench.probe, bench.helpers = ours, os.path.join(folder, "FoundationProbe"), os.path.join(folder, "helpers")
    if options.svg and "herd" in results:
        subprocess.run([sys.executable, os.path.join(HERE, "herd_chart.py"), options.from_json, options.svg], check=True)
    with open(options.out, "w") as f:
        f.write(bench.report())
    log(f"wrote {options.out} from {options.from_json}")


def main():
    parser = argparse.ArgumentParser(description="retry's performance figures")
    parser.add_argument("--retry", required=True, help="ours: release, static, stripped")
    parser.add_argument("--unstripped", required=True)
    parser.add_argument("--helpers", required=True)
    parser.add_argument("--probe", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--json")
    parser.add_argument("--svg")
    parser.add_argument("--build-command", default="?")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--figures", default="1,2,3,4,5,6,7,8,10,11", help="for debugging: a subset")
    parser.add_argument("--only", choices=["herd", "cost"],
                        help="herd: figure 8 alone (--probe and --unstripped not needed); "
                             "cost: retry's own cost, figures 1, 2, 6, 7, 10 and 11 (a few minutes)")
    parser.add_argument("--from-json", help="measure nothing: write the report (and chart) again from this results file")
    if "--from-json" in sys.argv:
        for name in ("--retry", "--unstripped", "--helpers", "--probe"):
            parser._option_string_actions[name].required = False
    if any(a == "--only" or a.startswith("--only=") for a in sys.argv) and "cost" not in sys.argv:
        for name in ("--unstripped", "--probe"):
            parser._option_string_actions[name].required = False
    options = parser.parse_args()
    if options.from_json:
        render(options)
        return
    if options.only == "herd":
        options.figures = "8"
        # Never run: only the report's path clean-up uses it.
        options.probe = options.probe or "/nonexistent/FoundationProbe"
        options.unstripped = options.unstripped or options.retry
    if options.only == "cost":
        options.figures = "1,2,6,7,10,11"
    for path in (options.retry,) if options.only == "herd" else (options.retry, options.probe, PEER):
        if not os.access(path, os.X_OK):
            sys.exit(f"bench: {path} missing")
    for path in (options.out, options.json, options.svg):
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    bench = Bench(options)
    bench.machine()
    bench.results["only"] = options.only
    wanted = set(options.figures.split(","))
    steps = [("1", bench.startup), ("2", bench.per_attempt), ("3", bench.exit_notice), ("4", bench.sleep_precision),
             ("5", bench.teardown), ("6", bench.rss), ("7", bench.binary), ("8", bench.herd),
             ("10", lambda: cost.instructions(bench)), ("11", lambda: cost.throughput(bench))]
    started = time.monotonic()
    timings = {}
    for number, step in steps:
        # Figures 4 and 5 build on 3 and 1.
        if number in wanted or (number == "3" and "4" in wanted) or (number == "1" and "5" in wanted):
            waited, busy = wait_quiet(5 if options.quick else 60)
            bench.results.setdefault("load", {})[number] = {"busy": busy, "waited_s": round(waited, 1),
                                                            "loadavg": os.getloadavg()[0]}
            began = time.monotonic()
            step()
            timings[number] = round(time.monotonic() - began, 1)
            log(f"  ({timings[number]} s)")
    bench.results["timings_s"] = timings
    bench.results["elapsed_s"] = time.monotonic() - started
    if options.json:
        with open(options.json, "w") as f:
            json.dump(bench.results, f, indent=1)
            f.write("\n")
    if options.svg and "herd" in bench.results:
        data = options.json
        if not data:
            data = os.path.join(bench.tmp, "results.json")
            with open(data, "w") as f:
                json.dump(bench.results, f)
        subprocess.run([sys.executable, os.path.join(HERE, "herd_chart.py"), data, options.svg], check=True)
    with open(options.out, "w") as f:
        f.write(bench.report())
    log(f"wrote {options.out} ({bench.results['elapsed_s']:.0f} s)")


if __name__ == "__main__":
    main()
