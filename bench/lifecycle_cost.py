#!/usr/bin/env python3
"""Start-up and per-attempt cost of two retry builds beside the Foundation
probe (bench/probe, `swiftc -O -static-executable`), in alternating rounds
of `hyperfine -N`; medians.

    bench/lifecycle_cost.py BEFORE AFTER PROBE [ROUNDS]
"""
import json, statistics, subprocess, sys, tempfile, os
B, A, P = sys.argv[1:4]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 8
def hf(cmds, runs, warmup=3):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "h.json")
        argv = ["hyperfine", "-N", "--warmup", str(warmup), "--runs", str(runs), "--export-json", out, "-i"]
        for name, c in cmds: argv += ["-n", name, c]
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return {r["command"]: r["times"] for r in json.load(open(out))["results"]}
start = {"before": [], "after": [], "probe": []}
per = {"before_n": [], "before_1": [], "after_n": [], "after_1": []}
probe_spawn, launcher_spawn = [], []
N = 1000
for r in range(rounds):
    t = hf([("before", f"{B} -- /bin/true"), ("after", f"{A} -- /bin/true"), ("probe", f"{P} handler 1 /bin/true")], 30)
    for k in start: start[k] += t[k]
    t = hf([("before_n", f"{B} -q -n {N} -b 0 -j none false"), ("before_1", f"{B} -q -n 1 false"),
            ("after_n", f"{A} -q -n {N} -b 0 -j none false"), ("after_1", f"{A} -q -n 1 false")], 2, 1)
    for k in per: per[k] += t[k]
    out = subprocess.run([P, "handler", str(N), "false"], capture_output=True, text=True).stdout.split()
    probe_spawn.append((int(out[1]) - int(out[0])) / N / 1e6)
    out = subprocess.run([P, "launcher", str(N), "false"], capture_output=True, text=True).stdout.split()
    launcher_spawn.append((int(out[1]) - int(out[0])) / N / 1e6)
m = {k: statistics.median(v) * 1e3 for k, v in start.items()}
print("start-up ms median:", {k: round(v, 3) for k, v in m.items()})
print("start-up ratio to probe: before %.2f after %.2f" % (m["before"] / m["probe"], m["after"] / m["probe"]))
pm = {k: statistics.median(v) for k, v in per.items()}
pa_b = (pm["before_n"] - pm["before_1"]) / (N - 1) * 1e3
pa_a = (pm["after_n"] - pm["after_1"]) / (N - 1) * 1e3
ps = statistics.median(probe_spawn)
print("per attempt ms: before %.3f after %.3f; probe handler per spawn %.3f" % (pa_b, pa_a, ps))
print("per attempt ratio to probe: before %.2f after %.2f" % (pa_b / ps, pa_a / ps))
print("probe launcher mode (waitid thread + environment) per spawn %.3f" % statistics.median(launcher_spawn))
print("load", open("/proc/loadavg").read().strip())
