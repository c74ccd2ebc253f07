"""The time-window query (the scrubbing hot path): binary search vs a full boolean scan."""

from __future__ import annotations

import pandas as pd

from eventmap.frame import TimeIndex

from .common import median_seconds, synthetic_events


def run(n: int = 100_000) -> None:
    frame = synthetic_events(n)
    index = TimeIndex(frame)
    windows = [(pd.Timestamp("2019-01-01") + pd.Timedelta(days=d),) for d in range(0, 700, 7)]

    def indexed():
        for (start,) in windows:
            index.positions(start, start + pd.Timedelta(days=6))

    starts, ends = frame["event_date"], frame["date_end"]

    def scan():
        for (start,) in windows:
            ((starts <= start + pd.Timedelta(days=6)) & (ends >= start)).to_numpy().nonzero()

    fast, slow = median_seconds(indexed), median_seconds(scan)
    per = 1e3 / len(windows)
    print(f"window query, {n:,} events, 7-day window (median of 5 runs of {len(windows)} windows)")
    print(f"  sorted index + binary search: {fast * per:8.3f} ms per window")
    print(f"  full boolean scan (baseline): {slow * per:8.3f} ms per window")
    print(f"  speed-up: {slow / fast:.1f}x")
