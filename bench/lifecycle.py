#!/usr/bin/env python3
"""Issue 13's figures: what a `retry` killed with SIGKILL leaves alive, how
long teardown takes when `retry` is PID 1, and what `retry-exec` costs at
start-up. Compares two builds of retry ("before", "after").

    bench/lifecycle.py BEFORE AFTER [--runs N] [--out FILE.json] [--only kill,pid1,startup,zombies] [--window S]

BEFORE and AFTER are retry executables (release, static, as `make install`
builds them; AFTER with retry-exec beside it). Standard library only; needs
unshare (util-linux), hyperfine and valgrind for the third figure.
"""
import argparse, json, os, random, re, signal, statistics, subprocess, sys, tempfile, time

def pids_with(marker):
    """Live (non-zombie) processes whose command line contains `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
            with open(f"/proc/{entry}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in cmdline and state != "Z":
            found.append(int(entry))
    return found

def kill_at_random(binary, runs, group, window):
    """SIGKILL `retry` at a uniform moment in 0-`window` s of its run; count
    the command's processes alive 1 s later (the direct command, and with
    `group` a background grandchild too)."""
    left = {"command": 0, "grandchild": 0}
    for run in range(runs):
        tag = f"{os.getpid()}{run:04d}"
        command = ["sleep", f"1{tag}"] if not group else \
            ["sh", "-c", f"sleep 2{tag} & exec sleep 1{tag}"]
        moment = random.uniform(0, window)
        child = subprocess.Popen([binary, "-n", "1", "--kill-after", "200ms", "--"] + command,
                                 stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        child.kill()
        child.wait()
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and (pids_with(f"1{tag}") or pids_with(f"2{tag}")):
            time.sleep(0.01)
        for name, marker in (("command", f"1{tag}"), ("grandchild", f"2{tag}")):
            alive = pids_with(marker)
            left[name] += len(alive)
            for pid in alive:
                os.kill(pid, signal.SIGKILL)
    return left

def teardown_as_pid1(binary, runs, mount_proc):
    """Wall time of `retry -n 1 -t 200ms --kill-after 500ms` as PID 1 of a
    new PID namespace, minus the 200 ms timeout: teardown plus start-up.
    A run past 5 s is killed and counted as a hang."""
    times, hangs = [], 0
    script = 'trap "" TERM; sleep 30 & sleep 30'
    for _ in range(runs):
        argv = ["unshare", "--pid", "--fork"] + (["--mount-proc"] if mount_proc else []) + \
            ["--map-root-user", binary, "-n", "1", "-t", "200ms", "--kill-after", "500ms", "--", "sh", "-c", script]
        started = time.monotonic()
        child = subprocess.Popen(argv, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            child.wait(timeout=5)
            times.append((time.monotonic() - started - 0.2) * 1000)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            hangs += 1
    return times, hangs

ZOMBIE_LOOP = "i=0; while [ $i -lt 300 ]; do ( sleep 0.01 & ); sleep 0.03; i=$((i+1)); done; exit 1"

def zombies_as_pid1(init):
    """Issue 22's loop under `init` as PID 1 of a new PID namespace (with
    its own /proc): an orphan exits every 40 ms or so for about 12 s. Every
    250 ms, counts the zombies whose parent is that PID 1 (seen from the
    host). Returns the samples as (seconds, zombies)."""
    argv = ["unshare", "--pid", "--fork", "--mount-proc", "--map-root-user"] + init + ["sh", "-c", ZOMBIE_LOOP]
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    started, samples, pid1 = time.monotonic(), [], None
    while child.poll() is None and time.monotonic() - started < 60:
        time.sleep(0.25)
        if pid1 is None:
            children = open(f"/proc/{child.pid}/task/{child.pid}/children").read().split() \
                if os.path.exists(f"/proc/{child.pid}") else []
            pid1 = int(children[0]) if children else None
            if pid1 is None:
                continue
        count = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] == "Z" and int(fields[1]) == pid1:
                count += 1
        samples.append((round(time.monotonic() - started, 2), count))
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    return samples

def summary(values):
    if not values:
        return {}
    ordered = sorted(values)
    return {"median": statistics.median(ordered), "p90": ordered[int(0.9 * (len(ordered) - 1))], "max": ordered[-1]}

def instructions(binary):
    """Instructions executed by `retry -- /bin/true` (callgrind), per process."""
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                        f"--callgrind-out-file={scratch}/cg.%p", binary, "--", "/bin/true"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        # The guard (retry-exec --guard) ends just after retry: its file is
        # complete a moment later.
        deadline = time.monotonic() + 5
        while True:
            texts = [open(os.path.join(scratch, name), errors="replace").read() for name in os.listdir(scratch)]
            if all(re.search(r"^(?:summary|totals): (\d+)", t, re.M) for t in texts) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        counts = {}
        for text in texts:
            command, total = re.search(r"^cmd:\s+(.+)$", text, re.M), re.search(r"^(?:summary|totals): (\d+)", text, re.M)
            if not command or not total:
                continue
            name = " ".join(os.path.basename(part) if i == 0 else part for i, part in enumerate(command.group(1).split()))
            counts[name] = counts.get(name, 0) + int(total.group(1))
        return counts

def helper_instructions(after):
    """Instructions retry-exec runs before it would exec: measured on its
    failure path (a missing file), since callgrind drops the part of a
    process before its exec; an upper bound (it writes the error too).
    This script plays retry's part of the handshake: it keeps the signal
    blocked, sends "go" and takes the answer."""
    helper = os.path.join(os.path.dirname(after), "retry-exec")
    handshake = signal.SIGRTMIN + 3
    signal.pthread_sigmask(signal.SIG_BLOCK, {handshake})
    child = subprocess.Popen(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", helper,
                              str(os.getpid()), "x/nonexistent", "a/nonexistent"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    os.kill(child.pid, handshake)
    output = child.communicate(timeout=120)[0]
    signal.sigtimedwait({handshake}, 1)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {handshake})
    return int(re.search(r"Collected : (\d+)", output).group(1))

def hyperfine(before, after, runs):
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "h.json")
        # Alternating rounds, so that a busy spell of the shared machine hits both.
        results = {"before": [], "after": []}
        for _ in range(10):
            subprocess.run(["hyperfine", "-N", "--warmup", "5", "--runs", str(runs // 10), "--export-json", out,
                            "-n", "before", f"{before} -- /bin/true", "-n", "after", f"{after} -- /bin/true"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            for result in json.load(open(out))["results"]:
                results[result["command"]] += [t * 1000 for t in result["times"]]
        return {name: summary(times) for name, times in results.items()}

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--out", default=None)
    parser.add_argument("--only", default="kill,pid1,startup")
    parser.add_argument("--inits", default="tini --,dumb-init", help="for --only zombies: other inits, comma-separated")
    parser.add_argument("--window", type=float, default=0.3, help="kill within this many seconds of the start")
    args = parser.parse_args()
    report = {}
    only = args.only.split(",")
    for name, binary in (("before", args.before), ("after", args.after)):
        if "kill" in only:
            report[f"kill9 {name} direct"] = kill_at_random(binary, args.runs, group=False, window=args.window)
            report[f"kill9 {name} group"] = kill_at_random(binary, args.runs, group=True, window=args.window)
        if "pid1" in only:
            times, hangs = teardown_as_pid1(binary, args.runs, mount_proc=True)
            report[f"pid1 {name} own /proc"] = {"ms": summary(times), "hangs": hangs}
            if name == "after":
                times, hangs = teardown_as_pid1(binary, args.runs, mount_proc=False)
                report[f"pid1 {name} host /proc"] = {"ms": summary(times), "hangs": hangs}
        if "startup" in only:
            report[f"instructions {name}"] = instructions(binary)
            if name == "after":
                report["instructions retry-exec (upper bound)"] = helper_instructions(binary)
        if "zombies" in only:
            samples = zombies_as_pid1([binary, "-n", "1", "--"])
            report[f"zombies {name}"] = {"max": max((z for _, z in samples), default=None), "samples": samples}
        print(json.dumps(report, indent=1), file=sys.stderr)
    if "zombies" in only:
        for init in args.inits.split(","):
            samples = zombies_as_pid1(init.split())
            report[f"zombies {init.split()[0]}"] = {"max": max((z for _, z in samples), default=None), "samples": samples}
    if "startup" in only:
        report["hyperfine ms"] = hyperfine(args.before, args.after, args.runs)
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        open(args.out, "w").write(text + "\n")

if __name__ == "__main__":
    main()
