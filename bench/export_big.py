"""Benchmark: `eventmap export` of 1,000,000 events, each format, as a user runs it.

The events are `eventmap synth 1000000` output (GeoParquet), made once and cached in
data/bench/. Each export is a subprocess (`eventmap export --data FILE -o OUT`): wall time,
its peak RSS and CPU time, median of 3 runs (and the best, the least disturbed by other
work on the machine; the load average is printed). Bars for GeoJSON: <= 5 s and <= 800 MB.

Baseline, measured in the same run: the export as it was before streaming, i.e. the store
read as a GeoDataFrame (gpd.read_parquet + frame.coerce, the old read_store) and written as
one string by `export.geojson_text` (the old write_events). That costs ~9 GB and a minute
at 1M, so it runs at 100,000 events by default, beside ours at 100,000; set
EVENTMAP_BENCH_BASELINE_1M=1 to also run it once at 1,000,000.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import synth
from .synth import EVENTMAP, Run, cache_dir, median_run, run, synth_file

TIME_BAR_S, MEMORY_BAR_MB = 5.0, 800.0
FORMATS = (("GeoJSON", ".geojson"), ("CSV", ".csv"), ("GPKG", ".gpkg"), ("GeoParquet", ".parquet"))

BASELINE = """
import sys
import geopandas as gpd
from eventmap.export import geojson_text
from eventmap.frame import coerce, select
from eventmap.store import atomic_path

frame = select(coerce(gpd.read_parquet(sys.argv[1])))
with atomic_path(sys.argv[2]) as tmp:
    tmp.write_text(geojson_text(frame), encoding="utf-8")
print(f"{sys.argv[2]}: {len(frame)} events")
"""


def _mb(r: Run) -> float:
    return r.peak_mb * 1024 * 1024 / 1e6  # ru_maxrss is KiB; report decimal MB (the larger)


def _export(source: Path, out: Path, repeat: int = 3) -> Run:
    try:
        return median_run([EVENTMAP, "export", "--data", str(source), "-o", str(out)], repeat)
    finally:
        out.unlink(missing_ok=True)


def _baseline(source: Path, out: Path) -> Run:
    try:
        return run([sys.executable, "-c", BASELINE, str(source), str(out)])
    finally:
        out.unlink(missing_ok=True)


def _line(label: str, r: Run, extra: str = "") -> str:
    best = f" (best {r.best_seconds:.2f})" if r.best_seconds is not None else ""
    text = (
        f"  {label:34} {r.seconds:7.2f} s{best:13} {_mb(r):6.0f} MB peak {r.cpu_seconds:6.2f} s CPU"
    )
    return text + (f"  {extra}" if extra else "")


def _verdict(value: float, bar: float) -> str:
    return "met" if value <= bar else f"MISSED by {value / bar - 1:.0%}"


def main(n: int = 1_000_000, small: int = 100_000) -> None:
    folder = cache_dir()
    load = os.getloadavg()[0]
    print(
        f"export_big: {n:,} synthetic events, `eventmap export` in a subprocess per run, "
        f"{os.cpu_count()} CPUs, load average {load:.1f} before the runs"
    )
    synth.main(n)
    source, _ = synth_file(n)
    small_source, _ = synth_file(small)
    results: dict[str, Run] = {}
    for kind, suffix in FORMATS:
        results[kind] = _export(source, folder / f"out{suffix}")
        extra = ""
        if kind == "GeoJSON":
            extra = (
                f"bars: <= {TIME_BAR_S:g} s {_verdict(results[kind].seconds, TIME_BAR_S)}, "
                f"<= {MEMORY_BAR_MB:g} MB {_verdict(_mb(results[kind]), MEMORY_BAR_MB)}"
            )
        print(_line(f"{kind}, {n:,} (median of 3)", results[kind], extra))

    ours_small = _export(small_source, folder / "small.geojson")
    base_small = _baseline(small_source, folder / "baseline-small.geojson")
    print(f"  baseline: GeoDataFrame -> geojson_text (today's writer before streaming), {small:,}")
    print(_line(f"GeoJSON, {small:,}, ours (median of 3)", ours_small))
    print(_line(f"GeoJSON, {small:,}, baseline (1 run)", base_small))
    print(
        f"  baseline/ours at {small:,}: time {base_small.seconds / ours_small.seconds:.1f}x, "
        f"peak memory {_mb(base_small) / _mb(ours_small):.1f}x"
    )
    ours = results["GeoJSON"]
    if os.environ.get("EVENTMAP_BENCH_BASELINE_1M") == "1":
        base = _baseline(source, folder / "baseline.geojson")
        print(_line(f"GeoJSON, {n:,}, baseline (1 run)", base))
        ratio_time, ratio_memory, how = base.seconds / ours.seconds, _mb(base) / _mb(ours), ""
    else:
        scale = n / small  # the baseline grows linearly with the events (one string of all)
        ratio_time = base_small.seconds * scale / ours.seconds
        ratio_memory = _mb(base_small) * scale / _mb(ours)
        how = f" (baseline scaled linearly from {small:,}; EVENTMAP_BENCH_BASELINE_1M=1 runs it)"
    print(
        f"  baseline/ours at {n:,}: time ~{ratio_time:.0f}x, peak memory ~{ratio_memory:.0f}x{how}"
    )


if __name__ == "__main__":
    main()
