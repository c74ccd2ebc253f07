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
from .errors import ExportError
from .export import read_events as read_frame
from .model import COLUMNS
from .table import DEFAULT_BATCH_SIZE, iter_batches, read_table, select_batch, to_frame

__all__ = [
    "events_file",
    "own_layout",
    "read_events",
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
    """The command line's events: the --data file (any importable file), else the store,
    else the catalog."""
    path = events_file(data)[0]
    if own_layout(path):
        return read_frame(path)
    return to_frame(read_events(path)[0])


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
    if own_layout(path):
        return iter_batches(path, start=start, end=end, types=types, **options)
    return _imported_batches(path, start, end, tuple(types), batch_size or DEFAULT_BATCH_SIZE)


def _imported_batches(path, start, end, types, batch_size) -> Iterator[pa.RecordBatch]:
    """Another dataset's file (ACLED, UCDP, GDELT, a table) through the importer, as batches;
    read on the first `next()`, as iter_batches does."""
    table = select_batch(read_events(path)[0], start=start, end=end, types=types)
    yield from table.to_batches(max_chunksize=batch_size)


def check_events_file(path: str | Path) -> None:
    """Fail now, with an eventmap error naming the file, if `path` cannot be read as events.

    Files in eventmap's own layout are checked as they are read (Parquet by its footer and
    columns, quick at any size); other files by the importer's first look (exists, not empty,
    not binary), the rest of their reading being the importer's, which reports every record."""
    path = Path(path)
    if not own_layout(path):
        _first_look(path)
    elif path.suffix.lower() == ".parquet":
        next(iter_batches(path, batch_size=1), None)
    else:
        read_frame(path)


_OWN = frozenset(COLUMNS) | {"geometry", "id"}  # GeoJSON: the feature id
_BINARY_TABLES = (b"PK\x03\x04", b"PAR1", b"SQLite format 3")  # xlsx, Parquet, GeoPackage


def _first_look(path: Path) -> None:
    """What the importer would refuse at once, said before a server starts: a missing, empty
    or binary file."""
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    if not head:
        raise ExportError(f"{path}: the file is empty")
    if b"\0" in head and not head.startswith(_BINARY_TABLES):
        raise ExportError(f"{path}: a binary file, not a table of events")


def own_layout(path: str | Path) -> bool:
    """Whether every column of the file is one of eventmap's (its store, its exports, a
    catalog): read as it is. Anything else (ACLED, UCDP, GDELT, a user's table) goes through
    the importer (eventmap.importers), which maps its columns and accounts for every record."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml") or not path.is_file():
        return True  # a catalog; or a missing file, which read_table names
    try:
        names = _column_names(path, suffix)
    except Exception:  # unreadable here: a .parquet is named as a store, others by the importer
        return suffix == ".parquet"
    return bool(names) and "event_id" in names and set(names) <= _OWN


def _column_names(path: Path, suffix: str) -> list[str]:
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_schema(path).names
    if suffix in (".geojson", ".json", ".gpkg"):
        with path.open("rb") as fh:
            if fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[":
                return []  # a JSON array of records: the importer's
        import pyogrio

        return list(pyogrio.read_info(path)["fields"])
    if suffix == ".csv":
        import csv

        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            return [name.strip() for name in next(csv.reader(fh), [])]
    return []


def read_events(path: str | Path) -> tuple[pa.Table, dict | None]:
    """Any events file as an EVENT_SCHEMA table, and the import report (None for files in
    eventmap's own layout, read as they are; see `own_layout`)."""
    if own_layout(path):
        return read_table(path), None
    from .importers.run import import_file

    table, report = import_file(path)
    return table, report.as_json()


UPLOAD_SUFFIXES = (
    ".csv",
    ".tsv",
    ".txt",
    ".xlsx",
    ".json",
    ".geojson",
    ".gpkg",
    ".parquet",
    ".yaml",
    ".yml",
)


def save_upload(name: str, data: bytes) -> Path:
    """Keep a file opened in the page under data/uploads, named by its content (the same file
    twice is one file) and a safe form of its name; written atomically. Returns its path."""
    import hashlib
    import re

    from .store import atomic_path

    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._-")[:80] or "upload"
    digest = hashlib.sha256(data).hexdigest()[:16]
    path = settings.PROJECT_ROOT / "data" / "uploads" / digest / stem
    if not path.is_file():
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
    return path
