#!/usr/bin/env python3
"""Runs one `retry` command and samples the process while it runs (helper of bench/soak).

    bench/soak-sampler.py NAME INTERVAL MARKER SAMPLES.tsv -- RETRY ARGS...

Every INTERVAL seconds it reads, for the retry process:
  fds       entries of /proc/PID/fd
  threads   Threads: of /proc/PID/status
  rss, hwm  VmRSS and VmHWM of /proc/PID/status, KiB
  children  pids listed in /proc/PID/task/*/children (live_children: not zombies)
  zombies   processes in state Z whose parent is PID (a scan of /proc/*/stat)
and what the fds are (pipe, socket, eventfd, ...), from the first attempt's
start on, and writes them to SAMPLES.tsv. When retry has exited it looks for processes
whose command line contains MARKER (the commands the soak runs carry a
unique argument), which would be left-overs, and for zombies of retry that
were never reaped (none can remain once retry is gone, so the samples hold
that answer). Prints a JSON summary on stdout.
"""
import json
import os
import subprocess
import sys
import time


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def status_fields(pid):
    text = read(f"/proc/{pid}/status")
    if text is None:
        return None
    fields = {}
    for line in text.decode(errors="replace").splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def children(pid):
    result = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return result
    for task in tasks:
        text = read(f"/proc/{pid}/task/{task}/children")
        if text:
            result += [int(c) for c in text.split()]
    return result


def stat(pid):
    """(state, ppid) from /proc/PID/stat; the name may hold spaces and parentheses."""
    text = read(f"/proc/{pid}/stat")
    if text is None:
        return None
    rest = text[text.rindex(b")") + 2:].split()
    return rest[0].decode(), int(rest[1])


def fd_kinds(pid):
    """What the open fds are, counted by kind: `pipe:3,socket:2,anon_inode:[eventfd]:4,file:3`."""
    kinds = {}
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return ""
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        kind = target.split(":[")[0] if ":[" in target and not target.startswith("anon_inode") else target
        if kind.startswith("/"):
            kind = "file"
        kinds[kind] = kinds.get(kind, 0) + 1
    return ",".join(f"{k}:{v}" for k, v in sorted(kinds.items()))


def zombies_of(parent):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            info = stat(entry)
            if info and info[0] == "Z" and info[1] == parent:
                found.append(int(entry))
    return found


def with_marker(marker):
    found = []
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != me:
            cmdline = read(f"/proc/{entry}/cmdline")
            if cmdline and marker.encode() in cmdline.split(b"\0"):
                info = stat(entry)
                found.append({"pid": int(entry), "state": info[0] if info else "?",
                              "cmdline": cmdline.replace(b"\0", b" ").decode(errors="replace").strip()})
    return found


def main():
    name, interval, marker, samples_path = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
    assert sys.argv[5] == "--"
    command = sys.argv[6:]
    stderr_path = samples_path + ".stderr"
    with open(stderr_path, "wb") as stderr:
        start = time.monotonic()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
        pid = process.pid
        samples = []
        while process.poll() is None:
            status = status_fields(pid)
            try:
                fds = len(os.listdir(f"/proc/{pid}/fd"))
            except OSError:
                fds = None
            if status is None or fds is None or status.get("State", "").startswith("Z"):
                time.sleep(0.005)
                continue
            kids = children(pid)
            if not samples and not kids:
                # Not yet started its first attempt: still initialising.
                time.sleep(0.005)
                continue
            samples.append({
                "t": round(time.monotonic() - start, 3),
                "fds": fds,
                "threads": int(status["Threads"]),
                "rss": int(status["VmRSS"].split()[0]),
                "hwm": int(status["VmHWM"].split()[0]),
                "children": len(kids),
                "live_children": sum(1 for kid in kids if (stat(kid) or ("Z", 0))[0] != "Z"),
                "zombies": len(zombies_of(pid)),
                "fd_kinds": fd_kinds(pid),
            })
            time.sleep(interval)
        elapsed = time.monotonic() - start
        exit_status = process.returncode
    time.sleep(0.5)  # let a killed group's processes go
    leftovers = with_marker(marker)
    keys = ["t", "fds", "threads", "rss", "hwm", "children", "live_children", "zombies", "fd_kinds"]
    with open(samples_path, "w") as out:
        out.write("\t".join(keys) + "\n")
        for s in samples:
            out.write("\t".join(str(s[k]) for k in keys) + "\n")

    def summary(key):
        values = [s[key] for s in samples]
        if not values:
            return None
        quarter = max(1, len(values) // 4)
        return {"first": values[0], "last": values[-1], "min": min(values), "max": max(values),
                "max_first_quarter": max(values[:quarter]), "max_last_quarter": max(values[-quarter:])}

    stderr_text = read(stderr_path).decode(errors="replace")
    print(json.dumps({
        "phase": name,
        "command": command,
        "exit_status": exit_status if exit_status >= 0 else 128 - exit_status,
        "elapsed_s": round(elapsed, 2),
        "samples": len(samples),
        **{key: summary(key) for key in keys[1:-1]},
        "fd_kinds_first": samples[0]["fd_kinds"] if samples else None,
        "fd_kinds_last": samples[-1]["fd_kinds"] if samples else None,
        "fd_kinds_at_max_fds": max(samples, key=lambda s: s["fds"])["fd_kinds"] if samples else None,
        "leftover_processes": leftovers,
        "stderr": stderr_text[-2000:],
    }))


if __name__ == "__main__":
    main()
