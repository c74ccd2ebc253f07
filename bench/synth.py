"""Synthetic event files for the big benchmarks, cached; and the time of `eventmap synth`.

Files live in data/bench/ (git-ignored; EVENTMAP_BENCH_CACHE moves it) and are reused while
present. Every command is timed as a subprocess: wall time and that child's peak RSS.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVENTMAP = str(Path(sys.executable).with_name("eventmap"))
SYNTH_BAR_S = 30.0


def cache_dir() -> Path:
    folder = Path(os.environ.get("EVENTMAP_BENCH_CACHE") or ROOT / "data" / "bench")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the child's maximum resident set size
    cpu_seconds: float  # user + system: what the run costs whatever else the machine does
    best_seconds: float | None = None  # the fastest of several runs (least disturbed)


def _peak_kb(pid: int) -> int:
    """The process's own peak resident set (VmHWM), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(command: list[str]) -> Run:
    """Run `command`, fail loudly if it fails; its wall time, peak RSS and CPU time.

    The peak is read from the child's own VmHWM while it runs, not from wait4's ru_maxrss:
    Linux counts in that the parent's memory the child was forked with, which here (a
    benchmark process holding a million events) would hide the child's own figure.
    """
    with tempfile.TemporaryFile() as output:  # a file, not a pipe: no size limit, no deadlock
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        peak_kb = 0
        while True:
            peak_kb = max(peak_kb, _peak_kb(child.pid))
            done, status, usage = os.wait4(child.pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            output.seek(0)
            text = output.read().decode("utf-8", "replace")
            raise RuntimeError(f"{' '.join(command)} failed ({child.returncode}):\n{text}")
    return Run(seconds, peak_kb / 1024, usage.ru_utime + usage.ru_stime)


def median_run(command: list[str], repeat: int = 3) -> Run:
    runs = [run(command) for _ in range(repeat)]
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.peak_mb for r in runs),
        statistics.median(r.cpu_seconds for r in runs),
        min(r.seconds for r in runs),
    )


def synth_file(n: int, *, seed: int = 0) -> tuple[Path, Run | None]:
    """The cached `eventmap synth n` GeoParquet file; the Run when it had to be made."""
    path = cache_dir() / f"synth-{n}-seed{seed}.parquet"
    if path.is_file():
        return path, None
    return path, run([EVENTMAP, "synth", str(n), "-o", str(path), "--seed", str(seed)])


def main(n: int = 1_000_000) -> Run:
    """Time `eventmap synth n` once (into the cache when it lacks the file)."""
    path, made = synth_file(n)
    if made is None:
        scratch = cache_dir() / f"timing-synth-{n}.parquet"
        try:
            made = run([EVENTMAP, "synth", str(n), "-o", str(scratch)])
        finally:
            scratch.unlink(missing_ok=True)
    verdict = "met" if made.seconds <= SYNTH_BAR_S else "MISSED"
    print(
        f"eventmap synth {n:,} -> GeoParquet: {made.seconds:.2f} s, {made.peak_mb:.0f} MB peak, "
        f"{made.cpu_seconds:.2f} s CPU (1 run; bar <= {SYNTH_BAR_S:g} s {verdict})"
    )
    return made


if __name__ == "__main__":
    main()
