"""The time-window query of every slider step (view.window_rows): a binary search on the sorted
starts, bounded by the longest span, against a full boolean scan of every event.

1,000,000 `eventmap synth` events, 30-day windows a week apart over the six years; median of
5 runs over all windows, per window, and the ratio to the scan measured in the same run; also
the same search with keys of the array's own dtype.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from eventmap.table import read_table
from eventmap.view import window_rows

from .common import median_seconds, synth_path

WINDOW_DAYS = 30


def arrays(n: int) -> SimpleNamespace:
    """The start/end days and longest span of the events, as dataset.prepare makes them."""
    table = read_table(synth_path(n))
    first = table["event_date"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    last = table["date_end"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    origin = first.min()
    start = (first - origin).astype("int32")
    end = (np.where(np.isnat(last), first, last) - origin).astype("int32")
    return SimpleNamespace(start=start, end=end, longest=int((end - start).max()))


def run(n: int = 1_000_000) -> None:
    events = arrays(n)
    windows = [(d, d + WINDOW_DAYS - 1) for d in range(0, int(events.end.max()), 7)]

    def indexed():
        for d0, d1 in windows:
            window_rows(events, d0, d1)

    def typed():  # the same search with keys of the array's dtype: no cast of the whole array
        kind = events.start.dtype.type
        for d0, d1 in windows:
            lo = np.searchsorted(events.start, kind(d0 - events.longest), side="left")
            hi = np.searchsorted(events.start, kind(d1), side="right")
            np.nonzero(events.end[lo:hi] >= d0)[0] + lo

    def scan():
        for d0, d1 in windows:
            np.nonzero((events.start <= d1) & (events.end >= d0))[0]

    d0, d1 = windows[len(windows) // 2]
    assert np.array_equal(
        window_rows(events, d0, d1), np.nonzero((events.start <= d1) & (events.end >= d0))[0]
    )
    fast, slow, cast = median_seconds(indexed), median_seconds(scan), median_seconds(typed)
    per = 1e3 / len(windows)
    print(
        f"window query, {n:,} events, {WINDOW_DAYS}-day windows "
        f"(median of 5 runs of {len(windows)} windows)"
    )
    print(f"  view.window_rows (binary search): {fast * per:8.3f} ms per window")
    print(f"  full boolean scan (baseline):     {slow * per:8.3f} ms per window")
    print(f"  the same, keys cast to int32:     {cast * per:8.3f} ms per window")
    print(
        f"  speed-up over the scan: view.window_rows {slow / fast:.1f}x, "
        f"int32 keys {slow / cast:.1f}x"
    )
    print(
        "  (np.searchsorted with a Python int key on an int32 array converts the whole array "
        "first: O(n) per search)"
    )


if __name__ == "__main__":
    run()
