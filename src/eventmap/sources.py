"""Which events the app and the command line show, and from where.

The one module above both `pipeline` (catalog -> store) and `export` (files in and out):
an events file named by the user (or EVENTMAP_DATA for the app), else the store, else the
catalog geocoded in memory when no store has been built yet. The reading of each format is
`eventmap.table`'s (Arrow; Parquet streamed) and `eventmap.export.read_events` (frames).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import pyarrow as pa

from . import settings
from .export import read_events
from .table import iter_batches

__all__ = [
    "events_file",
    "load_events",
    "event_batches",
    "check_events_file",
]


def events_file(data: str | Path | None = None, *, use_setting: bool = False) -> tuple[Path, str]:
    """The events file to read and a label saying where the events come from.

    `data` when given (or, with use_setting, the EVENTMAP_DATA setting); else the store when
    it has been built; else the catalog (seeds/events.yaml), geocoded when read."""
    if not data and use_setting:
        data = settings.get("EVENTMAP_DATA") or None
    if data:
        return Path(data), Path(data).name
    store = settings.path("EVENTMAP_STORE")
    if store.is_file():
        return store, f"store {store.name}"
    catalog = settings.path("EVENTMAP_SEEDS") / "events.yaml"
    return catalog, "catalog events.yaml (no store built yet)"


def load_events(data: str | Path | None = None) -> gpd.GeoDataFrame:
    """The command line's events: the --data file, else the store, else the catalog."""
    return read_events(events_file(data)[0])


def event_batches(
    data: str | Path | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    types: Iterable[str] = (),
    batch_size: int | None = None,
) -> Iterator[pa.RecordBatch]:
    """The command line's events (as `load_events` picks them) as EVENT_SCHEMA record batches,
    filtered to [start, end] and the given types; Parquet is streamed (see table.iter_batches)."""
    path = events_file(data)[0]
    options = {"batch_size": batch_size} if batch_size else {}
    return iter_batches(path, start=start, end=end, types=types, **options)


def check_events_file(path: str | Path) -> None:
    """Fail now, with an eventmap error naming the file, if `path` cannot be read as events.

    Parquet is checked by its footer and columns (quick at any size); other formats are read."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        next(iter_batches(path, batch_size=1), None)
    else:
        read_events(path)
