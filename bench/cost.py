"""Figures 10 and 11 of bench/run: retry's own cost, in instructions (the
stable figure: it does not move with the machine's load) and in output
scanning throughput. Called by bench.py; standard library only.

10. `retry -- /bin/true` under valgrind's callgrind with the soft descriptor
    limit at 64 (valgrind keeps its own descriptors just above it, and
    Foundation adds a close action for every descriptor up to the highest
    open one, so a high limit mostly counts valgrind). Split by callgrind's
    inclusive counts: before `main` (C library, Swift runtime, ICU's static
    initialisers), Foundation's `Process.run`, other threads, and the rest
    of `main`, which is ours. Note: under valgrind `Process.run` never gets
    to `posix_spawn` (the close action for valgrind's first descriptor fails
    with EBADF, and retry exits 126), so the count is start-up plus
    `Process.run` up to the spawn plus the failure's report; the report says
    which status it saw.
11. 1 GiB of text through `retry -n 1 --retry-if-output P -- cat FILE | cat`
    against `cat FILE | cat`, for a literal and two regular expressions.
"""

import os
import re
import resource
import statistics
import subprocess
import time

PROCESS_RUN = "$s10Foundation7ProcessC3runyyKF"
THROUGHPUT_PATTERNS = [("literal", "x"), ("alternation", "try again|busy"), ("case-insensitive", "(?i)error [0-9]+")]
# Every letter but x, z: no pattern above matches, so one attempt reads it all.
THROUGHPUT_LINE = b"the quick brown fog jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvw\n"


def _low_descriptor_limit():
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))


def callgrind(argv, out):
    """Runs argv under callgrind (no inherited descriptors, soft limit 64);
    returns (exit status, total instructions, inclusive counts by name)."""
    done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + argv,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, preexec_fn=_low_descriptor_limit)
    total = int(re.search(r"Collected : (\d+)", done.stderr).group(1))
    annotated = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                               capture_output=True, text=True).stdout
    inclusive = {}
    for line in annotated.splitlines():
        match = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(\S.*?)(?: \[[^\]]*\])?$", line)
        if match:
            name = match.group(2)
            inclusive.setdefault(name, int(match.group(1).replace(",", "")))
    return done.returncode, total, inclusive


def _find(inclusive, fragment):
    return max((v for k, v in inclusive.items() if k.endswith(fragment)), default=0)


def instructions(bench):
    """Figure 10."""
    binary = bench.o.unstripped
    runs = []
    for index in range(2):
        status, total, inclusive = callgrind([binary, "--", "/bin/true"], os.path.join(bench.tmp, f"callgrind.{index}"))
        runs.append({"status": status, "total": total})
    below = _find(inclusive, "(below main)")
    main = _find(inclusive, ":retry_main")
    process_run = _find(inclusive, PROCESS_RUN)
    threads = _find(inclusive, "start_thread")
    # Whoever triggers them: the first look-up of a (type, protocol) pair
    # scans every conformance record of the static binary.
    scans = max((v for k, v in inclusive.items() if k.startswith("???:swift_conformsToProtocolMaybeInstantiateSuperclasses(")
                 and "$_" not in k), default=0)
    casts = _find(inclusive, "???:swift_dynamicCast")
    ours = [(v, k.split(":", 1)[1] if ":" in k else k, k.split(":", 1)[0]) for k, v in inclusive.items()
            if "/Sources/" in k and "retry_main" not in k and not re.search(r" \(\d+x\)$", k)]
    top = sorted(ours, reverse=True)[:12]
    probe_status, probe_total, _ = callgrind([bench.probe, "posix", "1", "/bin/true"], os.path.join(bench.tmp, "callgrind.probe"))
    fig = {
        "argv": "ulimit -Sn 64; valgrind --tool=callgrind retry -- /bin/true",
        "runs": runs, "total": runs[-1]["total"], "status": runs[-1]["status"],
        "before_main": below - main, "process_run": process_run, "threads": threads,
        "ours": main - process_run, "conformance_scans": scans, "dynamic_casts": casts,
        "top": [{"instructions": v, "function": name, "file": path.split("/Sources/", 1)[-1]} for v, name, path in top],
        "swift_posix_probe": {"total": probe_total, "status": probe_status},
        "target_total": 1_300_000, "target_ours": 150_000,
    }
    fig["met"] = fig["total"] <= fig["target_total"] and fig["ours"] <= fig["target_ours"]
    bench.results["instructions"] = fig


def _seconds(command):
    began = time.monotonic()
    subprocess.run(["sh", "-c", command], check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - began


def throughput(bench):
    """Figure 11."""
    mib = 128 if bench.quick else 1024
    path = os.path.join(bench.tmp, "text")
    with open(path, "wb") as f:
        block = THROUGHPUT_LINE * (1048576 // len(THROUGHPUT_LINE) + 1)
        for _ in range(mib):
            f.write(block[:1048576])
    rounds = 1 if bench.quick else 3
    commands = {"cat": f"cat '{path}' | cat"}
    for key, pattern in THROUGHPUT_PATTERNS:
        quoted = pattern.replace("'", "'\\''")
        commands[key] = f"'{bench.retry}' -n 1 --retry-if-output '{quoted}' -- cat '{path}' | cat"
    times = {key: [] for key in commands}
    for _ in range(rounds):
        for key, command in commands.items():
            times[key].append(_seconds(command))
    cat = statistics.median(times["cat"])
    fig = {"mib": mib, "rounds": rounds, "commands": {}, "target": 0.8}
    for key, command in commands.items():
        seconds = statistics.median(times[key])
        fig["commands"][key] = {"command": command.replace(path, "FILE"), "median_s": seconds,
                                "share_of_cat": cat / seconds, "pattern": dict(THROUGHPUT_PATTERNS).get(key)}
    peak = subprocess.run(["/usr/bin/time", "-f", "%M", bench.retry, "-n", "1", "--retry-if-output", "(?i)error [0-9]+",
                           "--", "cat", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    fig["peak_rss_kib"] = int(peak.stderr.split()[-1])
    fig["met"] = all(c["share_of_cat"] >= 0.8 for k, c in fig["commands"].items() if k != "cat")
    os.unlink(path)
    bench.results["throughput"] = fig


def summary_rows(results, verdict):
    rows = []
    if "instructions" in results:
        i = results["instructions"]
        rows.append(f"| 10 | instructions, `retry -- /bin/true` (callgrind, soft fd limit 64; exit status {i['status']}) | "
                    f"{i['total'] / 1e6:.2f} M; outside `Process.run`: {(i['total'] - i['process_run']) / 1e6:.2f} M, "
                    f"of which ours {i['ours'] / 1e6:.2f} M | ≤ 1.3 M; ours ≤ 0.15 M | {verdict(i['met'])} |")
    if "throughput" in results:
        t = results["throughput"]
        shares = ", ".join(f"`{c['pattern']}` {c['share_of_cat'] * 100:.0f}%".replace("|", "\\|")
                           for k, c in t["commands"].items() if k != "cat")
        rows.append(f"| 11 | {t['mib']} MiB through `--retry-if-output`, share of `cat \\| cat`'s throughput | {shares} | ≥ 80% | {verdict(t['met'])} |")
    return rows


def sections(results, verdict):
    lines = []
    add = lines.append
    if "instructions" in results:
        i = results["instructions"]
        add("## 10. Instructions")
        add("")
        counts = ", ".join("{:,} (exit {})".format(r["total"], r["status"]) for r in i["runs"])
        add(f"`{i['argv']}`, twice: {counts}. "
            "Under valgrind Foundation's `Process.run` stops before `posix_spawn`: the close action it adds for valgrind's "
            "first descriptor, above the limit, fails with EBADF, and `retry` reports it and exits 126. So this counts "
            "start-up, `Process.run` up to the spawn and the report of the failure, not the wait for the command.")
        add("")
        add("| part | instructions |")
        add("|---|---|")
        add(f"| before `main` (C library, Swift runtime, ICU's static initialisers) | {i['before_main']:,} |")
        add(f"| Foundation's `Process.run` (inclusive) | {i['process_run']:,} |")
        add(f"| other threads (Foundation's process thread, the exit watcher) | {i['threads']:,} |")
        add(f"| the rest of `main`: ours, and the runtime's look-ups it triggers | {i['ours']:,} |")
        add(f"| total | {i['total']:,} |")
        if "conformance_scans" in i:
            add(f"| of the total: the runtime's protocol conformance scans, whoever triggers them | {i['conformance_scans']:,} |")
            add(f"| of the total: dynamic casts (in `Process.run`: its standard streams as `Pipe` or `FileHandle`) | {i['dynamic_casts']:,} |")
        add("")
        add(f"Beside it, the probe's static Swift binary that only `posix_spawn`s `/bin/true`: {i['swift_posix_probe']['total']:,} "
            f"(exit {i['swift_posix_probe']['status']}). Target: total ≤ 1.3 M and ours ≤ 0.15 M: {verdict(i['met'])}.")
        add("")
        add("Ours, inclusive (a function's count includes what it calls, `Process.run` among them):")
        add("")
        add("| instructions | function |")
        add("|---|---|")
        for row in i["top"]:
            add(f"| {row['instructions']:,} | `{row['function'][:110]}` |")
        add("")
    if "throughput" in results:
        t = results["throughput"]
        add("## 11. Output scanning throughput")
        add("")
        add(f"{t['mib']} MiB of 80-byte lines that no pattern matches, {t['rounds']} round(s) taking turns, medians of wall time.")
        add("")
        add("| command | median | share of `cat`'s throughput |")
        add("|---|---|---|")
        for key, c in t["commands"].items():
            command = c["command"].replace("|", "\\|")
            add(f"| `{command}` | {c['median_s'] * 1e3:.0f} ms | {c['share_of_cat'] * 100:.0f}% |")
        add("")
        add(f"Peak RSS of `retry` with `(?i)error [0-9]+`: {t['peak_rss_kib'] / 1024:.1f} MiB. Target ≥ 80% for every pattern: {verdict(t['met'])}.")
        add("")
    return lines
