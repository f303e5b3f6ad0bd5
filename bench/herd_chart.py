#!/usr/bin/env python3
"""Draws the herd figure of bench/run as an SVG, with the standard library only.

    herd_chart.py RESULTS.json OUT.svg

RESULTS.json is what bench.py writes (its "herd" part). The chart has, for
each N, the total requests and the time until every client succeeded, per
strategy, and below them the requests per 250 ms over time at one N.
"""

import json
import math
import sys
from xml.sax.saxutils import escape

COLOURS = {
    "none": "#d62728",
    "full": "#1f77b4",
    "equal": "#2ca02c",
    "decorrelated": "#9467bd",
    "constant": "#ff7f0e",
}
FONT = "font-family='DejaVu Sans, Helvetica, Arial, sans-serif'"


def nice_step(top, ticks=5):
    """A 1-2-5 step that cuts 0..top into about `ticks` parts."""
    if top <= 0:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def label(value):
    if value >= 1000:
        return f"{value / 1000:g}k" if value % 100 == 0 else f"{value:,.0f}"
    return f"{value:g}"


class Svg:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.parts = []

    def add(self, text):
        self.parts.append(text)

    def text(self, x, y, content, size=12, anchor="start", weight="normal", colour="#222", rotate=None):
        transform = f" transform='rotate({rotate} {x:.1f} {y:.1f})'" if rotate else ""
        self.add(f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
                 f"font-weight='{weight}' fill='{colour}' {FONT}{transform}>{escape(str(content))}</text>")

    def line(self, x1, y1, x2, y2, colour="#999", width=1, dash=None):
        extra = f" stroke-dasharray='{dash}'" if dash else ""
        self.add(f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='{colour}' stroke-width='{width}'{extra}/>")

    def rect(self, x, y, w, h, colour, title=None, opacity=1.0):
        tip = f"<title>{escape(title)}</title>" if title else ""
        self.add(f"<rect x='{x:.1f}' y='{y:.1f}' width='{max(w, 0):.1f}' height='{max(h, 0):.1f}' fill='{colour}' "
                 f"fill-opacity='{opacity}'>{tip}</rect>")

    def polyline(self, points, colour, width=1.6):
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.add(f"<polyline points='{path}' fill='none' stroke='{colour}' stroke-width='{width}' stroke-linejoin='round'/>")

    def render(self):
        return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{self.width}' height='{self.height}' "
                f"viewBox='0 0 {self.width} {self.height}'>\n"
                f"<rect width='100%' height='100%' fill='white'/>\n" + "\n".join(self.parts) + "\n</svg>\n")


def bar_panel(svg, x, y, w, h, title, runs, value, unit, failed_note=True, against_none=False, target=None):
    """Bars of value(run) per strategy, with a 0-based axis; with
    against_none, each bar's change against no jitter below the axis, in
    green where it is a cut of at least `target`."""
    svg.text(x + w / 2, y - 8, title, size=13, anchor="middle", weight="bold")
    # Room above the tallest bar for its labels.
    top = max([value(r) for r in runs] + [1e-9]) * 1.18
    step = nice_step(top)
    axis_top = step * math.ceil(top / step)
    scale = h / axis_top
    tick = 0.0
    while tick <= axis_top + 1e-9:
        ty = y + h - tick * scale
        svg.line(x, ty, x + w, ty, colour="#e3e3e3")
        svg.text(x - 6, ty + 4, label(round(tick, 6)), size=10, anchor="end", colour="#555")
        tick += step
    svg.line(x, y + h, x + w, y + h, colour="#444")
    svg.line(x, y, x, y + h, colour="#444")
    svg.text(x - 36, y + h / 2, unit, size=11, anchor="middle", colour="#444", rotate=-90)
    slot = w / max(len(runs), 1)
    for i, run in enumerate(runs):
        v = value(run)
        bx = x + i * slot + slot * 0.15
        bw = slot * 0.7
        svg.rect(bx, y + h - v * scale, bw, v * scale, COLOURS.get(run["strategy"], "#777"),
                 title=f"{run['label']}: {v:g} {unit}")
        text = f"{v:.1f}" if isinstance(v, float) and v < 100 else f"{v:,.0f}"
        svg.text(bx + bw / 2, y + h - v * scale - 4, text, size=10, anchor="middle")
        none = [value(r) for r in runs if r["strategy"] == "none"]
        if against_none and none and none[0] and run["strategy"] != "none":
            change = v / none[0] - 1
            svg.text(bx + bw / 2, y + h + 14, f"{change * 100:+.0f}%".replace("-", "\u2212"), size=10,
                     anchor="middle", colour="#1a7f37" if target is not None and change <= -target else "#444")
        if failed_note and run.get("failed_clients"):
            svg.text(bx + bw / 2, y + h - v * scale - 16, f"{run['failed_clients']} gave up", size=9,
                     anchor="middle", colour="#b00")


def timeline_panel(svg, x, y, w, h, runs, size):
    svg.text(x + w / 2, y - 8, f"Requests per 250 ms after the common start, N = {size}", size=13,
             anchor="middle", weight="bold")
    series = {r["strategy"]: [ok + bad for ok, bad in r["bins_250ms"]] for r in runs}
    length = max(len(s) for s in series.values())
    top = max(max(s) for s in series.values())
    step = nice_step(top)
    axis_top = step * math.ceil(top / step)
    seconds = length * 0.25
    xstep = nice_step(seconds, ticks=8)
    sx = w / max(seconds, 1e-9)
    sy = h / axis_top
    tick = 0.0
    while tick <= axis_top + 1e-9:
        ty = y + h - tick * sy
        svg.line(x, ty, x + w, ty, colour="#e3e3e3")
        svg.text(x - 6, ty + 4, label(tick), size=10, anchor="end", colour="#555")
        tick += step
    t = 0.0
    while t <= seconds + 1e-9:
        tx = x + t * sx
        svg.line(tx, y + h, tx, y + h + 4, colour="#444")
        svg.text(tx, y + h + 16, f"{t:g} s", size=10, anchor="middle", colour="#555")
        t += xstep
    svg.line(x, y + h, x + w, y + h, colour="#444")
    svg.line(x, y, x, y + h, colour="#444")
    svg.text(x - 36, y + h / 2, "requests / 250 ms", size=11, anchor="middle", colour="#444", rotate=-90)
    for run in runs:
        counts = series[run["strategy"]]
        points = [(x + (i + 0.5) * 0.25 * sx, y + h - c * sy) for i, c in enumerate(counts)]
        svg.polyline(points, COLOURS.get(run["strategy"], "#777"))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: herd_chart.py RESULTS.json OUT.svg")
    results = json.load(open(sys.argv[1]))
    herd = results["herd"]
    # One entry per N and strategy: the medians where a cell ran more than once.
    runs = herd.get("cells") or herd["runs"]
    sizes = sorted({r["n"] for r in runs})
    strategies = []
    for r in runs:
        if (r["strategy"], r["label"]) not in strategies:
            strategies.append((r["strategy"], r["label"]))

    width = max(960, 300 * len(sizes) + 120)
    panel_w, panel_h = 220, 170
    pitch = (width - 100) / len(sizes)
    svg = Svg(width, 820)
    machine = results.get("machine", {})
    svg.text(width / 2, 26, "The herd: N retry clients against a server that lets "
             f"{herd['limit']} request through per {herd['window_ms']:g} ms "
             f"({1000 * herd['limit'] / herd['window_ms']:g} a second)", size=15, anchor="middle", weight="bold")
    svg.text(width / 2, 45, f"retry --forever --budget {herd['budget_s']}s, base {herd['base']}, cap {herd['cap']}; "
             f"curl on {machine.get('nproc', '?')} cores, {machine.get('date', '')}", size=11, anchor="middle", colour="#555")
    # Legend
    lx = 70
    for key, name in strategies:
        svg.rect(lx, 60, 12, 12, COLOURS.get(key, "#777"))
        svg.text(lx + 17, 70, name, size=11)
        lx += 30 + 6.2 * len(name)

    for i, size in enumerate(sizes):
        group = [r for r in runs if r["n"] == size]
        px = 80 + i * pitch + (pitch - 20 - panel_w) / 2
        bar_panel(svg, px, 115, panel_w, panel_h, f"N = {size}: total requests", group,
                  lambda r: r["requests"], "requests", against_none=True, target=herd.get("target_cut"))
        bar_panel(svg, px, 355, panel_w, panel_h, f"N = {size}: until all succeeded", group,
                  lambda r: round(r["all_done_s"], 1), "seconds", against_none=True)
    reference = herd.get("reference_n", sizes[-1])
    group = [r for r in runs if r["n"] == reference]
    if group:
        timeline_panel(svg, 80, 590, width - 120, 170, group, reference)
    repeats = herd.get("repeats", 1)
    note = (f"Bars: medians of {repeats} runs at N = {reference}, one elsewhere; under them, the change against no "
            f"jitter (green: requests cut by the target or more); the line: the median run. "
            if repeats > 1 else "Bars: one run each; under them, the change against no jitter. ")
    svg.text(width / 2, 812, note + "bench/herd_chart.py", size=10,
             anchor="middle", colour="#777")
    with open(sys.argv[2], "w") as f:
        f.write(svg.render())


if __name__ == "__main__":
    main()
