"""Shared by the benchmarks: cached synthetic event files, medians, ratios and verdicts.

Machines are shared and noisy, so every figure is a median of several runs and every claim is
a ratio against a baseline measured in the same run. Event files come from `eventmap synth`
(synth.write_synth), made once into data/bench/ (git-ignored; EVENTMAP_BENCH_CACHE moves it)
and reused while present: the same (n, seed) always gives the same events.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (10_000, 100_000, 1_000_000)


def cache_dir() -> Path:
    folder = Path(os.environ.get("EVENTMAP_BENCH_CACHE") or ROOT / "data" / "bench")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def synth_path(n: int, *, seed: int = 0) -> Path:
    """`eventmap synth n --seed seed` output in the cache, written once (atomically, so a
    concurrent benchmark never reads half a file)."""
    from eventmap.synth import write_synth

    path = cache_dir() / f"synth-{n}-seed{seed}.parquet"
    if not path.is_file():
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".parquet")
        os.close(fd)
        try:
            write_synth(n, tmp, seed=seed)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return path


def median_seconds(fn: Callable[[], object], *, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values that were measured (None when none was)."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def verdict(value: float | None, bar: float) -> str:
    if value is None:
        return "n/a"
    return "met" if value <= bar else f"MISSED by {value / bar - 1:.0%}"


def ratio(a: float | None, b: float | None) -> str:
    """a / b as '12.3x', or '-' when either is missing."""
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.1f}x" if a / b < 100 else f"{a / b:.0f}x"


def load_average() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """`streamlit run <app>` on a free local port, showing the events file it is given, with
    the app's folder as cwd; `pythonpath` puts another checkout's code first (a baseline).
    Used by the benchmarks and by the browser tests."""

    def __init__(
        self,
        data: Path,
        log: Path,
        *,
        app: Path = ROOT / "app.py",
        extra_env: dict[str, str] | None = None,
        pythonpath: str | None = None,
        timeout: float = 90.0,
    ) -> None:
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        env = {**os.environ, "EVENTMAP_DATA": str(data), "EVENTMAP_BASEMAP": "offline"}
        env.pop("EVENTMAP_ONLINE_GEOCODER", None)
        env.pop("EVENTMAP_CANDIDATES", None)
        env.update(extra_env or {})
        if pythonpath:
            env["PYTHONPATH"] = pythonpath
        self.log = log
        self._log = log.open("w")
        command = [sys.executable, "-m", "streamlit", "run", str(app)]
        options = {
            "--server.port": str(self.port),
            "--server.address": "127.0.0.1",
            "--server.headless": "true",
            "--server.fileWatcherType": "none",
        }
        self.process = subprocess.Popen(
            [*command, *(part for pair in options.items() for part in pair)],
            cwd=app.parent,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"streamlit exited: {log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start: {log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if not self._log.closed:
            self._log.close()


def arrow_bytes(chart) -> list[int]:
    """The Arrow IPC size of each dataset of an Altair chart: what Streamlit sends for
    st.altair_chart (a layer's own data, and data the layers share)."""
    import pandas as pd
    import pyarrow as pa

    frames = [layer.data for layer in chart.layer if isinstance(layer.data, pd.DataFrame)]
    if isinstance(chart.data, pd.DataFrame):
        frames.append(chart.data)
    sizes = []
    for frame in frames:
        table = pa.Table.from_pandas(frame)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        sizes.append(sink.getvalue().size)
    return sizes


def summary_row(
    what: str,
    values: dict[int, float | None],
    base: dict[int, float | None],
    *,
    bar: float | None = None,
    bar_text: str = "-",
    digits: int = 2,
    no_base: str = "not run",
) -> list[str]:
    """One row of the summary table: what, a figure per size, the bar, met?, the old code's
    figures, and the ratios (1M against 10k; old against new at the largest old size)."""

    def text(value: float | None) -> str:
        return "-" if value is None else f"{value:.{digits}f}"

    big = values.get(SIZES[-1])
    ratios = [f"1M/10k {ratio(big, values.get(SIZES[0]))}"]
    if base:
        widest = max(base)
        ratios.append(f"old/new at {widest // 1000}k {ratio(base[widest], values.get(widest))}")
    return [
        what,
        *(text(values.get(n)) for n in SIZES),
        bar_text,
        verdict(big, bar) if bar is not None else "-",
        ", ".join(f"{n // 1000}k {text(v)}" for n, v in base.items()) or no_base,
        "; ".join(ratios),
    ]
