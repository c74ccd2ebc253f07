"""Synthetic events for benchmarks, and a median timer."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Callable

import geopandas as gpd

from eventmap.frame import to_frame
from eventmap.model import EVENT_TYPES


def synthetic_events(n: int, *, seed: int = 1) -> gpd.GeoDataFrame:
    """n events over two years around Iraq, with day, week and month precision mixed."""
    rng = random.Random(seed)
    types = list(EVENT_TYPES)
    base = dt.date(2019, 1, 1)
    rows = []
    for i in range(n):
        start = base + dt.timedelta(days=rng.randrange(730))
        precision = rng.choice([1, 1, 1, 1, 2, 3])
        span = {1: 0, 2: 6, 3: 30}[precision]
        event_type = rng.choice(types)
        rows.append(
            {
                "event_id": f"SYN-{i:06d}",
                "event_date": start,
                "date_end": start + dt.timedelta(days=span),
                "time_precision": precision,
                "event_type": event_type,
                "sub_event_type": EVENT_TYPES[event_type][0],
                "actor1": rng.choice(
                    ["U.S. forces", "Kata'ib Hezbollah", "ISIS", "Rioters (Iraq)"]
                ),
                "actor2": None,
                "location": f"Place {i % 500}",
                "place_text": None,
                "latitude": 29.0 + rng.random() * 8,
                "longitude": 39.0 + rng.random() * 10,
                "geo_precision": rng.choice([1, 2, 3]),
                "fatalities": rng.choice([None, 0, 1, 2, 5]),
                "injured": None,
                "notes": f"Synthetic event {i} <b>with markup</b> & ampersands",
                "sources": [{"document": "synthetic.txt", "quote": f"quote {i}"}],
            }
        )
    return to_frame(rows)


def median_seconds(fn: Callable[[], object], *, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
