"""The issue's bars for 1,000,000 events, in one table: `python -m bench.scale` (and `make bench`).

In process (this module), at 10k, 100k and 1M `eventmap synth` events:

5. first load: `eventmap.dataset.load(path)` with EMPTY caches (dataset.CACHE_DIR and
   STORE_DIR pointed at a fresh temporary folder each run), median of 3 (5 below 1M), split
   into its stages (reading the file, the arrays, the Arrow store, the binary file, the popup
   shards); then the timeline aggregation app.py runs on the prepared arrays. Bar: <= 15 s.
   Baseline: the old code's first load (ebc9ca9: read_events + TimeIndex + the details
   table published as JSON, and its timeline spec) in a subprocess, at 10k and 100k.
6. timeline data per step: the Arrow IPC bytes of the window strip's data (the chart itself
   is the same every step, so Streamlit sends it once and then a reference; its bytes are
   printed too); the websocket share of the timeline is measured by bench.browser.
   Bar: <= 100 KB.
7. a step's server work without Streamlit: view.compute, the table page, the chart, the map's
   step layers.

Then bench.browser (bars 1 to 4, and the websocket side of 6 and 7), and one summary table:
what, 10k, 100k, 1M, the bar, met?, the old code, ratios (1M against 10k of the new code, old
against new). `--no-browser` runs the in-process part alone.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import browser
from .common import (
    SIZES,
    arrow_bytes,
    load_average,
    median,
    median_seconds,
    ratio,
    summary_row,
    synth_path,
    verdict,
)

PREPARE_BAR_S, TIMELINE_BAR_KB = 15.0, 100.0
KB = 1000.0
STAGES = {  # dataset's functions timed as stages of prepare (module attributes, wrapped)
    "_write_store": "Arrow store",
    "_publish": "binary file",
    "_write_shards": "popup shards",
    "_open_store": "open store",
}

OLD_LOAD = """
import json, shutil, sys, tempfile, time
from pathlib import Path
from eventmap import mapview, published
from eventmap.frame import TimeIndex
from eventmap.pipeline import load_dataset
folder = Path(tempfile.mkdtemp(prefix="eventmap-bench-old-"))
start = time.perf_counter()
frame, label = load_dataset(sys.argv[1])
index = TimeIndex(frame)
url = published.publish_json(mapview.details_table(index.frame), "details.json", folder=folder)
load = time.perf_counter() - start
details = (folder / url.rsplit("/", 1)[1]).stat().st_size
shutil.rmtree(folder)
start = time.perf_counter()
try:
    from eventmap.timeline import timeline_spec
    timeline_spec(index.frame)
    spec = "ok"
except Exception as exc:
    spec = type(exc).__name__
timeline = time.perf_counter() - start
print(json.dumps({"load": load, "timeline": timeline, "spec": spec, "details": details}))
"""


@dataclass
class InProcess:
    n: int
    load: list[float] = field(default_factory=list)
    stages: list[dict[str, float]] = field(default_factory=list)
    aggregate_s: float | None = None
    timeline_rows: int = 0
    timeline_arrow: list[int] = field(default_factory=list)  # bytes per strip dataset (a step)
    chart_arrow: list[int] = field(default_factory=list)  # bytes per chart dataset (once)
    step_s: dict[str, float] = field(default_factory=dict)
    old: dict | None = None

    @property
    def load_s(self) -> float | None:
        return median(self.load)

    @property
    def timeline_kb(self) -> float:
        return sum(self.timeline_arrow) / KB


@contextlib.contextmanager
def empty_caches() -> Iterator[Path]:
    """dataset.CACHE_DIR and STORE_DIR pointed at a fresh folder, removed afterwards."""
    from eventmap import dataset

    folder = Path(tempfile.mkdtemp(prefix="eventmap-bench-"))
    saved = dataset.CACHE_DIR, dataset.STORE_DIR
    dataset.CACHE_DIR, dataset.STORE_DIR = folder / "static", folder / "store"
    try:
        yield folder
    finally:
        dataset.CACHE_DIR, dataset.STORE_DIR = saved
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def timed_stages(into: dict[str, float]) -> Iterator[None]:
    """Wrap dataset's stage functions so their time adds up in `into` (seconds)."""
    from eventmap import dataset

    saved = {}
    for name, label in STAGES.items():
        original = getattr(dataset, name, None)
        if original is None:
            continue
        saved[name] = original

        def wrapper(*args, _original=original, _label=label, **kwargs):
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                into[_label] = into.get(_label, 0.0) + time.perf_counter() - start

        setattr(dataset, name, wrapper)
    try:
        yield
    finally:
        for name, original in saved.items():
            setattr(dataset, name, original)


def first_load(path: Path) -> tuple[float, dict[str, float]]:
    """One `dataset.load(path)` with empty caches: seconds and its stages."""
    from eventmap import dataset

    stages: dict[str, float] = {}
    read = dataset.read_table

    def timed_read(*args, **kwargs):
        start = time.perf_counter()
        try:
            return read(*args, **kwargs)
        finally:
            stages["read file"] = stages.get("read file", 0.0) + time.perf_counter() - start

    with empty_caches(), timed_stages(stages):
        dataset.read_table = timed_read
        try:
            start = time.perf_counter()
            prepared, _ = dataset.load(path)
            seconds = time.perf_counter() - start
        finally:
            dataset.read_table = read
        del prepared
    stages["arrays and the rest"] = seconds - sum(stages.values())
    return seconds, stages


def chart_data(prepared):
    """The timeline's aggregation, as app.py's dataset() does it (view.timeline_data, which
    runs timeline.aggregate on the prepared arrays)."""
    from eventmap import view

    return view.timeline_data(prepared)


def step_work(prepared, data) -> dict[str, float]:
    """Median seconds of each part of a step's server work (the 30-day window, end + 1 day)."""
    from eventmap import filters, mapview, timeline, view

    state = filters.FilterState(start=browser.START, end=browser.END + dt.timedelta(days=1))
    shown = view.compute(prepared, state)
    parts = {
        "view.compute": lambda: view.compute(prepared, state),
        "table page (1,000 rows)": lambda: view.table_page(prepared, shown.rows, limit=1000),
        "window strip (HTML)": lambda: timeline.window_html(data, shown.window),
        "map step layers": lambda: mapview.step_layers(shown.step),
    }
    return {name: median_seconds(fn) for name, fn in parts.items()}


def old_load(path: Path) -> dict | None:
    """The old code's first load in a subprocess (its own package first on the path)."""
    answer = subprocess.run(
        [sys.executable, "-c", OLD_LOAD, str(path)],
        cwd=browser.BASELINE_DIR,
        env={**os.environ, "PYTHONPATH": browser.baseline_path()},
        capture_output=True,
        text=True,
        timeout=900,
    )
    if answer.returncode != 0:
        print(f"    old load failed: {answer.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(answer.stdout.strip().splitlines()[-1])


def measure(n: int, *, repeat: int, baseline: bool) -> InProcess:
    from eventmap import dataset, timeline
    from eventmap.style import TYPE_COLOURS

    path = synth_path(n)
    result = InProcess(n=n)
    for _ in range(repeat):
        seconds, stages = first_load(path)
        result.load.append(seconds)
        result.stages.append(stages)
    with empty_caches():
        prepared, _ = dataset.load(path)
        result.aggregate_s = median_seconds(lambda: chart_data(prepared))
        data = chart_data(prepared)
        result.timeline_rows = len(data.bars) + len(data.spans)
        window = (browser.START, browser.END)
        result.timeline_arrow = [len(timeline.window_html(data, window).encode())]
        result.chart_arrow = arrow_bytes(timeline.chart(data, colours=TYPE_COLOURS))
        result.step_s = step_work(prepared, data)
    if baseline and n in browser.BASELINE_SIZES:
        result.old = old_load(path)
    return result


def report(r: InProcess) -> None:
    each = ", ".join(f"{s:.2f}" for s in r.load)
    stages = {k: median(s.get(k) for s in r.stages) for k in r.stages[0]}
    split = ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
    print(f"  {r.n:,} events: first load median {r.load_s:.2f} s of {len(r.load)} [{each}]")
    print(f"    stages (medians, s): {split}")
    print(
        f"    timeline.aggregate {r.aggregate_s * 1e3:.1f} ms → {r.timeline_rows:,} rows; "
        f"window strip {r.timeline_kb:.2f} KB Arrow a step; the chart "
        f"({' + '.join(f'{b / KB:.1f}' for b in r.chart_arrow)} KB: bars, spans) sent once"
    )
    work = ", ".join(f"{k} {v * 1e3:.1f} ms" for k, v in r.step_s.items())
    print(f"    a step's server work (medians of 5): {work}")
    if r.old:
        print(
            f"    old code ({browser.BASELINE_COMMIT}): first load {r.old['load']:.2f} s (1 run; "
            f"its popup JSON {r.old['details'] / 1e6:.1f} MB, fetched whole by every browser), "
            f"timeline spec {r.old['timeline']:.2f} s ({r.old['spec']})"
        )


def in_process(sizes, *, baseline: bool) -> dict[int, InProcess]:
    print(f"scale (in process): dataset.load with empty caches, {load_average()}")
    results = {}
    for n in sizes:
        results[n] = measure(n, repeat=3 if n >= 1_000_000 else 5, baseline=baseline)
        report(results[n])
    if baseline and 1_000_000 in sizes:
        print(f"  old code at 1,000,000: {browser.BASELINE_SKIPPED}")
    return results


def summary(ours: dict[int, InProcess], new: dict, old: dict) -> None:
    """The browser's rows, then this module's, in one table."""
    rows = browser.summary_rows(new, old) if new else []

    def row(what, get, bar=None, bar_text="-", digits=2, old_get=None):
        values = {n: (get(ours[n]) if n in ours else None) for n in SIZES}
        base = {n: old_get(r) for n, r in ours.items() if old_get and r.old}
        missing = "-" if old_get is None else "not run"
        return summary_row(
            what, values, base, bar=bar, bar_text=bar_text, digits=digits, no_base=missing
        )

    rows += [
        row(
            "5. first load (prepare), s",
            lambda r: r.load_s,
            PREPARE_BAR_S,
            f"<= {PREPARE_BAR_S:g} s",
            old_get=lambda r: r.old["load"],
        ),
        row(
            "5b. timeline aggregate, ms",
            lambda r: r.aggregate_s * 1e3,
            digits=1,
        ),
        row(
            "6. timeline data/step (Arrow), KB",
            lambda r: r.timeline_kb,
            TIMELINE_BAR_KB,
            f"<= {TIMELINE_BAR_KB:g} KB",
            1,
        ),
        row(
            "7b. step server work (in process), ms",
            lambda r: sum(r.step_s.values()) * 1e3,
            digits=1,
        ),
    ]
    if new:
        timeline_ws = {n: new[n].kb(part="timeline") for n in new}
        big = timeline_ws.get(SIZES[-1])
        rows.append(
            [
                "6b. timeline on the websocket/step, KB",
                *("-" if timeline_ws.get(n) is None else f"{timeline_ws[n]:.1f}" for n in SIZES),
                f"<= {TIMELINE_BAR_KB:g} KB",
                verdict(big, TIMELINE_BAR_KB),
                "-",
                f"1M/10k {ratio(big, timeline_ws.get(SIZES[0]))}",
            ]
        )
    print()
    print("summary: the issue's bars (medians; bars apply at 1M; ratios in the same run)")
    browser.print_table(rows, browser.HEADER)
    for note in browser.NOTES if new else ():
        print(f"  note: {note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        default=os.environ.get("EVENTMAP_BENCH_BASELINE") == "0",
    )
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    baseline = not args.no_baseline
    with browser.baseline_worktree(baseline):
        ours = in_process(sizes, baseline=baseline)
        new, old = {}, {}
        if not args.no_browser:
            print()
            new, old = browser.run(sizes, baseline=baseline)
    summary(ours, new, old)


if __name__ == "__main__":
    main()
