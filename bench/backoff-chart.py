#!/usr/bin/env python3
"""Draws bench/backoff-chart.svg from retry's own backoff code.

Usage: backoff-chart.py RETRY_BINARY OUTPUT.svg

For each strategy and jitter below it runs
    retry --dry-run --seed N -n 12 -s STRATEGY -b 100ms -c 5s [-j JITTER]
for several seeds, parses the table of delays, and draws small multiples:
one panel per strategy and jitter, x the attempt, y the delay before it,
one faint line per seed; shaded behind them, the range that the delay can
fall in, from the same command without --seed. Python 3 standard library
only. SEEDS in the environment sets the number of seeds (default 8).
"""

import os
import re
import subprocess
import sys
from html import escape

ATTEMPTS = 12
BASE = "100ms"
CAP = "5s"
CAP_SECONDS = 5.0

# (title, options[, zoom]); the options follow `-n 12 -b 100ms -c 5s`. A
# panel with a zoom (seconds) also gets an inset from 0 to that delay.
PANELS = [
    ("exponential, no jitter", ["-s", "exponential", "-j", "none"]),
    ("exponential, full jitter (the default)", ["-s", "exponential", "-j", "full"]),
    ("exponential, equal jitter", ["-s", "exponential", "-j", "equal"]),
    ("decorrelated (random by itself)", ["-s", "decorrelated"]),
    ("constant, full jitter", ["-s", "constant", "-j", "full"], 0.1),
    ("linear, full jitter", ["-s", "linear", "-j", "full"]),
]

UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


def seconds(text):
    """'250ms', '1.84s', '2m05s', '1h02m' -> seconds."""
    parts = DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {text!r}")
    return sum(float(n) * UNIT_SECONDS[u] for n, u in parts)


def dry_run(binary, options, seed=None):
    """The rows of `retry --dry-run`: {attempt: delay text} for attempts 2...n."""
    command = [binary, "--dry-run", "-n", str(ATTEMPTS), "-b", BASE, "-c", CAP] + options
    if seed is not None:
        command += ["--seed", str(seed)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    lines = output.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.split()[:1] == ["attempt"])
    except StopIteration:
        raise SystemExit(f"no table in the output of {' '.join(command)}:\n{output}")
    # Columns are separated by two or more spaces; a range reads "0ms to 1s".
    header = re.split(r"\s{2,}", lines[start].strip())
    rows = {}
    for line in lines[start + 1:]:
        if not line.strip() or line.startswith("..."):
            break
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) != len(header):
            raise SystemExit(f"unexpected row {line!r} in the output of {' '.join(command)}")
        attempt, delay = int(cells[0]), cells[1]
        if delay != "-":
            rows[attempt] = delay
    if sorted(rows) != list(range(2, ATTEMPTS + 1)):
        raise SystemExit(f"expected attempts 2 to {ATTEMPTS} in the output of {' '.join(command)}:\n{output}")
    return rows


def delays(binary, options, seed):
    return [seconds(text) for _, text in sorted(dry_run(binary, options, seed).items())]


def ranges(binary, options):
    """[(low, high)] of each delay, from the dry run without a seed."""
    result = []
    for _, text in sorted(dry_run(binary, options).items()):
        low, _, high = text.partition(" to ")
        result.append((seconds(low), seconds(high or low)))
    return result


def fmt_seconds(value):
    return f"{value:.1f} s" if value >= 1 else f"{value * 1000:.0f} ms"


def inset(add, runs, top, x0, y0, w, h, xs, line_colour, ink, soft, faint):
    """A magnified plot of `runs` from 0 to `top` seconds, in the box at x0, y0."""
    def x_at(attempt):
        return x0 + (attempt - xs[0]) / (xs[-1] - xs[0]) * w

    def y_at(delay):
        return y0 + h - min(delay, top) / top * h

    add(f'<rect x="{x0 - 44}" y="{y0 - 20}" width="{w + 52}" height="{h + 40}" fill="#fff" stroke="{faint}"/>')
    add(f'<text x="{x0}" y="{y0 - 7}" font-size="11" fill="{ink}">zoomed in: 0 to {fmt_seconds(top)}</text>')
    for fraction in (0, 0.5, 1):
        y = y_at(top * fraction)
        add(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + w}" y2="{y:.1f}" stroke="{faint}"/>')
        add(f'<text x="{x0 - 4}" y="{y + 3.5:.1f}" font-size="10" fill="{soft}" text-anchor="end">'
            f'{top * fraction * 1000:.0f} ms</text>')
    for attempt in (xs[0], xs[-1]):
        add(f'<text x="{x_at(attempt):.1f}" y="{y0 + h + 13}" font-size="10" fill="{soft}" text-anchor="middle">{attempt}</text>')
    for run in runs:
        points = " ".join(f"{x_at(a):.1f},{y_at(d):.1f}" for a, d in zip(xs, run))
        add(f'<polyline points="{points}" fill="none" stroke="{line_colour}" stroke-opacity="0.42" '
            'stroke-width="1.4" stroke-linejoin="round"/>')
    add(f'<line x1="{x0}" y1="{y0 + h}" x2="{x0 + w}" y2="{y0 + h}" stroke="{soft}"/>')


def draw(binary, seeds, path):
    columns, rows = 3, 2
    width, height = 1020, 700
    left, top = 70, 112          # the grid of panels
    panel_w, panel_h = 316, 272  # a panel, margins included
    plot_w, plot_h = 262, 170    # its plotting area
    inset_x, inset_y = 42, 56    # plotting area within the panel
    ymax = CAP_SECONDS
    xs = list(range(2, ATTEMPTS + 1))
    ink, soft, faint = "#222", "#666", "#e4e4e4"
    line_colour, band_colour = "#1f5fa8", "#dce7f5"

    out = []
    add = out.append
    add(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">')
    add(f'<rect width="{width}" height="{height}" fill="#fff"/>')
    add(f'<text x="{left - 40}" y="36" font-size="21" font-weight="bold" fill="{ink}">'
        "What jitter does to retry's backoff delays</text>")
    add(f'<text x="{left - 40}" y="62" font-size="13.5" fill="{soft}">'
        f"Delay before each attempt of retry --dry-run -n {ATTEMPTS} -b {BASE} -c {CAP} --seed N, "
        f"one line per seed (N = 0 to {seeds - 1}); from the real backoff code.</text>")
    add(f'<text x="{left - 40}" y="82" font-size="13.5" fill="{soft}">'
        f'<tspan fill="{line_colour}" font-weight="bold">Lines</tspan>: the delays of one seed. '
        f'<tspan fill="#7f9cc4" font-weight="bold">Shaded</tspan>: the range a delay can fall in. '
        f"Dashed: the {CAP} cap. Same scales in every panel.</text>")

    for index, (title, options, *zoom) in enumerate(PANELS):
        col, row = index % columns, index // columns
        px, py = left + col * panel_w, top + row * panel_h
        ox, oy = px + inset_x, py + inset_y  # top-left of the plotting area

        def x_at(attempt):
            return ox + (attempt - xs[0]) / (xs[-1] - xs[0]) * plot_w

        def y_at(delay):
            return oy + plot_h - min(delay, ymax) / ymax * plot_h

        add(f'<text x="{ox}" y="{py + 12}" font-size="14.5" font-weight="bold" fill="{ink}">{escape(title)}</text>')
        add(f'<text x="{ox}" y="{py + 29}" font-size="11.5" fill="{soft}" font-family="DejaVu Sans Mono, monospace">'
            f"{escape(' '.join(options))}</text>")

        # Grid, ticks and tick labels.
        for second in range(0, int(ymax) + 1):
            y = y_at(second)
            add(f'<line x1="{ox}" y1="{y:.1f}" x2="{ox + plot_w}" y2="{y:.1f}" stroke="{faint}"/>')
            add(f'<text x="{ox - 6}" y="{y + 4:.1f}" font-size="11" fill="{soft}" text-anchor="end">{second}</text>')
        for attempt in xs:
            x = x_at(attempt)
            add(f'<line x1="{x:.1f}" y1="{oy + plot_h}" x2="{x:.1f}" y2="{oy + plot_h + 4}" stroke="{soft}"/>')
            add(f'<text x="{x:.1f}" y="{oy + plot_h + 17}" font-size="11" fill="{soft}" text-anchor="middle">{attempt}</text>')

        # The range each delay can fall in.
        band = ranges(binary, options)
        upper = [f"{x_at(a):.1f},{y_at(high):.1f}" for a, (_, high) in zip(xs, band)]
        lower = [f"{x_at(a):.1f},{y_at(low):.1f}" for a, (low, _) in reversed(list(zip(xs, band)))]
        if all(low == high for low, high in band):
            add(f'<polyline points="{" ".join(upper)}" fill="none" stroke="{band_colour}" stroke-width="7" '
                'stroke-linejoin="round" stroke-linecap="round"/>')
        else:
            add(f'<polygon points="{" ".join(upper + lower)}" fill="{band_colour}"/>')

        # The cap.
        add(f'<line x1="{ox}" y1="{y_at(CAP_SECONDS):.1f}" x2="{ox + plot_w}" y2="{y_at(CAP_SECONDS):.1f}" '
            f'stroke="{soft}" stroke-dasharray="5 4"/>')

        # One faint line per seed.
        totals = []
        runs = [delays(binary, options, seed) for seed in range(seeds)]
        for run in runs:
            totals.append(sum(run))
            points = " ".join(f"{x_at(a):.1f},{y_at(d):.1f}" for a, d in zip(xs, run))
            add(f'<polyline points="{points}" fill="none" stroke="{line_colour}" stroke-opacity="0.42" '
                'stroke-width="1.6" stroke-linejoin="round"/>')
            for a, d in zip(xs, run):
                add(f'<circle cx="{x_at(a):.1f}" cy="{y_at(d):.1f}" r="2" fill="{line_colour}" fill-opacity="0.5"/>')

        if zoom:
            inset(add, runs, zoom[0], ox + 62, oy + 34, plot_w - 72, 90, xs, line_colour, ink, soft, faint)

        # Axes.
        add(f'<line x1="{ox}" y1="{oy}" x2="{ox}" y2="{oy + plot_h}" stroke="{soft}"/>')
        add(f'<line x1="{ox}" y1="{oy + plot_h}" x2="{ox + plot_w}" y2="{oy + plot_h}" stroke="{soft}"/>')

        # Total slept across the seeds, under the options.
        low, high = min(totals), max(totals)
        total = fmt_seconds(low) if high - low < 0.0005 else f"{fmt_seconds(low)} to {fmt_seconds(high)}"
        note = f"total slept: {total}"
        if all(run == runs[0] for run in runs):
            note += f", the same for every seed"
        add(f'<text x="{ox}" y="{py + 45}" font-size="11.5" fill="{ink}">{escape(note)}</text>')

        if col == 0:
            cy = oy + plot_h / 2
            add(f'<text x="{px + 6}" y="{cy:.1f}" font-size="12" fill="{ink}" text-anchor="middle" '
                f'transform="rotate(-90 {px + 6} {cy:.1f})">delay before it (seconds)</text>')
        if row == rows - 1 or index + columns >= len(PANELS):
            add(f'<text x="{ox + plot_w / 2:.1f}" y="{oy + plot_h + 36}" font-size="12" fill="{ink}" '
                'text-anchor="middle">attempt</text>')

    add(f'<text x="{left - 40}" y="{height - 16}" font-size="12" fill="{soft}">'
        "Every panel uses the same seeds, so the same random draws: a dip that several panels share at one attempt "
        "is chance, not a pattern.</text>")
    add("</svg>")
    with open(path, "w", encoding="utf-8") as file:
        file.write("\n".join(out) + "\n")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    seeds = int(os.environ.get("SEEDS", "8"))
    if seeds < 1:
        raise SystemExit("SEEDS must be at least 1")
    draw(sys.argv[1], seeds, sys.argv[2])


if __name__ == "__main__":
    main()
