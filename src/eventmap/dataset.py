"""A dataset prepared once for the page, whatever its size: slim arrays, a binary file for the
map, and the text fields kept on disk.

The page never holds one Python object per event. Numbers the filters and the map need (days,
type, size, position, flags) are numpy arrays; the same numbers are written once as a
content-hashed, gzipped binary file the browser fetches and keeps (see static/eventmap.js).
Text (notes, actors, sources) stays in an Arrow IPC file on disk, memory-mapped and read by
row index for the table and the details, and in small JSON shards the map fetches when a
popup opens.
"""

from __future__ import annotations

import datetime as dt
import gc
import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from .errors import DatasetError
from .extract import read_candidate_records, read_candidates_table
from .model import COLUMNS
from .published import CACHE_DIR, URL_PREFIX
from .settings import PROJECT_ROOT
from .sources import events_file, read_events
from .store import atomic_path
from .style import OTHER_CODE, TYPE_NAMES, marker_radii
from .table import read_table

STORE_DIR = PROJECT_ROOT / "data" / "cache"
SHARD_SIZE = 1024
# Flags per event, one byte: bit 0 it has a point, bit 1 its date is a week/month range,
# bit 2 the data had something odd about it (its `flags` column: a dark ring on the map).
LOCATED, HOLLOW, FLAGGED = 1, 2, 4
# The day number of an event without a date: after every real day, so starts stay sorted.
UNDATED = 10_000_000
FILE_UNDATED = 65535  # the same in the browser's file, where days are 16-bit
# Bumped whenever the layout of the binary file or of the shards changes, so a browser or a
# server never reads files of another layout (their names carry it).
FORMAT = 5  # 4: the flags column (eventmap.validate); 5: the imported source columns
# Files of a dataset (by its 16-hex key) in the caches, and the most they may hold together.
DATASET_FILE = re.compile(
    r"^[0-9a-f]{16}(-events-v\d+\.bin\.gz|-shards(-v\d+)?|-events\.bin\.gz|\.arrow"
    r"|\.report\.json)$"
)
CACHE_LIMIT = 700 * 1024 * 1024
# What the popups need: every column but the position (the binary file has it).
SHARD_COLUMNS = tuple(c for c in COLUMNS if c not in ("latitude", "longitude"))


@dataclass(frozen=True, eq=False)
class Prepared:
    """One dataset, sorted by event_date: row i of every array is row i of `table`."""

    key: str
    origin: dt.date
    start: np.ndarray  # int32 days since origin (first day)
    end: np.ndarray  # int32 days since origin (last day)
    type_code: np.ndarray  # uint8 index into style.TYPE_NAMES
    lat: np.ndarray  # float32, NaN without a point
    lon: np.ndarray
    flags: np.ndarray  # uint8, LOCATED | HOLLOW | FLAGGED
    fatalities: np.ndarray  # float32, NaN when not reported
    longest: int  # the longest span in days, bounds the window search
    table: pa.Table  # every column, memory-mapped from the IPC file
    data_url: str
    shard_url: str  # shard k is f"{shard_url}{k}.json"

    @property
    def n(self) -> int:
        return len(self.start)

    @property
    def located(self) -> np.ndarray:
        return (self.flags & LOCATED).astype(bool)

    def day(self, value: dt.date) -> int:
        return (value - self.origin).days

    def date(self, day: int) -> dt.date:
        return self.origin + dt.timedelta(days=int(day))

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        dated = self.start < UNDATED
        if not dated.any():
            return None
        return self.date(self.start[dated][0]), self.date(self.end[dated].max())

    def client_config(self) -> dict:
        """What the map's script needs to fetch and decode the arrays (numbers and our URLs)."""
        return {
            "n": self.n,
            "origin": self.origin.isoformat(),
            "longest": self.longest,
            "data": self.data_url,
            "shards": self.shard_url,
            "shardSize": SHARD_SIZE,
        }


def prepare(table: pa.Table, *, extra: tuple[str, ...] = (), key: str | None = None) -> Prepared:
    """Sort, encode and publish `table` (eventmap.table.EVENT_SCHEMA, plus `extra` columns
    such as a candidate's confidence, which also go into the shards).

    `key` names the dataset's files (see `source_key`); without one, the content's hash does.
    """
    starts = table["event_date"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    days = np.where(np.isnat(starts), np.iinfo("int64").max, starts.astype("int64"))
    if len(days) > 1 and (np.diff(days) < 0).any():  # undated rows come last
        table = table.take(pc.sort_indices(table, [("event_date", "ascending")]))
        starts = table["event_date"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    ends = table["date_end"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    ends = np.where(np.isnat(ends), starts, ends)
    dated = ~np.isnat(starts)
    origin64 = starts[dated].min() if dated.any() else np.datetime64("2000-01-01")
    origin = origin64.astype(dt.date)
    start = np.where(dated, (starts - origin64).astype("int64"), UNDATED).astype("int32")
    end = np.where(dated, (ends - origin64).astype("int64"), UNDATED).astype("int32")
    lat = _floats(table["latitude"]).astype("float32")
    lon = _floats(table["longitude"]).astype("float32")
    located = np.isfinite(lat) & np.isfinite(lon) & dated
    precision = _floats(table["time_precision"])
    flagged = table["flags"].is_valid().to_numpy(zero_copy_only=False)
    flags = (
        located.astype("uint8") * LOCATED
        + (np.nan_to_num(precision, nan=1.0) != 1) * HOLLOW
        + flagged * FLAGGED
    ).astype("uint8")
    fatalities = _floats(table["fatalities"]).astype("float32")
    type_code = _codes(table["event_type"])
    spans = (end - start)[dated]
    longest = int(spans.max()) if len(spans) else 0

    store = STORE_DIR / f"{key}.arrow" if key else None
    if store is None or not store.is_file():
        store = _write_store(table, key)
    os.utime(store)
    key = store.stem
    if dated.any() and int(end[dated].max()) >= FILE_UNDATED:
        raise DatasetError(
            f"the events span {int(end[dated].max())} days from {origin}; the map takes at "
            f"most {FILE_UNDATED - 1} days (about 179 years)"
        )
    x, y = _mercator(lon, lat)
    arrays = [
        np.where(located, x, np.nan).astype("<f4"),
        np.where(located, y, np.nan).astype("<f4"),
        np.minimum(start, FILE_UNDATED).astype("<u2"),
        np.minimum(end, FILE_UNDATED).astype("<u2"),
        type_code.astype("u1"),
        np.round(marker_radii(fatalities) * 10).astype("u1"),
        flags.astype("u1"),
    ]
    data_url = _publish(
        f"{key}-events-v{FORMAT}.bin.gz", lambda: _gzip(b"".join(map(np.ndarray.tobytes, arrays)))
    )
    shard_url = f"{URL_PREFIX}/{key}-shards-v{FORMAT}/"
    _write_shards(table, key, extra)
    prune_cache(key)
    return Prepared(
        key=key,
        origin=origin,
        start=start,
        end=end,
        type_code=type_code,
        lat=lat,
        lon=lon,
        flags=flags,
        fatalities=fatalities,
        longest=longest,
        table=_open_store(store),
        data_url=data_url,
        shard_url=shard_url,
    )


def _mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator in [0, 1] x [0, 1], north up (Leaflet's EPSG:3857 at zoom 0, over 256 px),
    computed once here so the browser uploads the file as it is."""
    phi = np.radians(np.clip(lat.astype("float64"), -85.0511287798, 85.0511287798))
    x = (lon.astype("float64") + 180.0) / 360.0
    y = 0.5 - np.log(np.tan(np.pi / 4 + phi / 2)) / (2 * np.pi)
    return x, y


def _floats(column: pa.ChunkedArray) -> np.ndarray:
    return pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False).astype("float64")


def _codes(types: pa.ChunkedArray) -> np.ndarray:
    """Type codes by the distinct values, not per event (a dataset has a handful of types)."""
    lookup = {name: code for code, name in enumerate(TYPE_NAMES[:OTHER_CODE])}
    out = np.full(len(types), OTHER_CODE, dtype="uint8")
    offset = 0
    for chunk in pc.dictionary_encode(types).chunks:
        codes = np.array(
            [lookup.get(v, OTHER_CODE) for v in chunk.dictionary.to_pylist()] + [OTHER_CODE],
            dtype="uint8",
        )
        index = pc.fill_null(chunk.indices, len(chunk.dictionary)).to_numpy()
        out[offset : offset + len(chunk)] = codes[index]
        offset += len(chunk)
    return out


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=5, mtime=0)


def _publish(name: str, make) -> str:
    """Write static/cache/<name> once, atomically; `make` runs only when it is missing."""
    target = CACHE_DIR / name
    if target.is_file():
        os.utime(target)  # recently used: pruned last
    else:
        _atomic_write(target, make())
    return f"{URL_PREFIX}/{name}"


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)


def _write_store(table: pa.Table, key: str | None = None) -> Path:
    """The table as an uncompressed Arrow IPC file named `key`, or by its content hash (so a
    changed dataset gets new static files, and an unchanged one reuses them)."""
    STORE_DIR.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=STORE_DIR, prefix=".", suffix=".tmp")
    os.close(fd)
    with pa.OSFile(tmp, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=65536)
    digest = hashlib.sha256()
    with open(tmp, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    target = STORE_DIR / f"{key or digest.hexdigest()[:16]}.arrow"
    if target.is_file():
        os.unlink(tmp)
        os.utime(target)
    else:
        os.replace(tmp, target)
    return target


def _open_store(path: Path) -> pa.Table:
    return pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()


def _write_shards(table: pa.Table, key: str, extra: tuple[str, ...]) -> None:
    """Popup texts, SHARD_SIZE events a file, column by column ({"event_id": [...], ...}),
    gzipped (Streamlit serves them as they are; the browser inflates them), in a folder of
    their own that appears whole (written aside, then renamed)."""
    target = CACHE_DIR / f"{key}-shards-v{FORMAT}"
    if target.is_dir():
        os.utime(target)
        return
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=CACHE_DIR, prefix=f".{key}-"))
    columns = {}
    for name in (*SHARD_COLUMNS, *extra):
        column = table[name]
        columns[name] = pc.cast(column, pa.string()) if pa.types.is_date(column.type) else column

    def write(k: int, data: bytes) -> None:
        (folder / f"{k}.json.gz").write_bytes(gzip.compress(data, compresslevel=1, mtime=0))

    # zlib lets go of the GIL: compress on a second thread while the next shard is built.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for k, offset in enumerate(range(0, table.num_rows, SHARD_SIZE)):
            shard = {name: c.slice(offset, SHARD_SIZE).to_pylist() for name, c in columns.items()}
            pool.submit(write, k, orjson.dumps(shard)).add_done_callback(_raise)
    folder.chmod(0o755)
    try:
        folder.rename(target)
    except OSError:  # another process published the same shards meanwhile
        shutil.rmtree(folder, ignore_errors=True)


def _raise(future) -> None:
    future.result()


def prune_cache(keep: str, *, limit: int = CACHE_LIMIT, grace: float = 3600.0) -> list[Path]:
    """Delete the least recently used datasets' files in static/cache and data/cache until
    they hold at most `limit` bytes: Streamlit stops serving a static folder over 1 GB. Never
    the dataset `keep`, nor anything used within `grace` seconds (another server may be
    showing it). Returns what was deleted."""
    now = time.time()
    groups: dict[str, list[Path]] = {}
    for folder in (CACHE_DIR, STORE_DIR):
        if folder.is_dir():
            for path in folder.iterdir():
                if DATASET_FILE.match(path.name):
                    groups.setdefault(path.name[:16], []).append(path)
    sizes = {key: sum(_size(p) for p in paths) for key, paths in groups.items()}
    used = {key: max(p.stat().st_mtime for p in paths) for key, paths in groups.items()}
    total, deleted = sum(sizes.values()), []
    for key in sorted(groups, key=used.get):
        if total <= limit:
            break
        if key == keep or now - used[key] < grace:
            continue
        for path in groups[key]:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(
                missing_ok=True
            )
            deleted.append(path)
        total -= sizes[key]
    return deleted


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir())
    return path.stat().st_size


def source_key(path: Path) -> str:
    """A dataset's name from its file (where, how big, when changed) and our file formats: an
    unchanged file is prepared once, even across restarts, and a changed one anew."""
    stat = path.stat()
    identity = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{FORMAT}"
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]


def load(data: str | Path | None) -> tuple[Prepared, str]:
    """The dataset the page shows and where it comes from: `data` (any events file), else the
    store, else the catalog geocoded in memory (no store built yet). A file prepared before
    is read back from its Arrow store, not parsed again."""
    path, label = events_file(data)
    if not path.is_file() or path.suffix.lower() in (".yaml", ".yml"):
        # A missing file: read_table names it. A catalog: its points come from the gazetteer
        # too, so only its content says whether it changed.
        return prepare(_fold_linked(read_table(path))), label
    key = source_key(path)
    store = STORE_DIR / f"{key}.arrow"
    if store.is_file():
        table = _open_store(store)
    else:
        table, report = read_events(path)
        if report is not None:
            _save_report(key, report)
        table = _fold_linked(table)
    prepared = prepare(table, key=key)
    del table
    # Give the read's buffers back to the system now (about 650 MB of the server's memory at a
    # million events): collect the cycles that still hold them (the app runs with Streamlit's
    # after-script collection off), then let Arrow's pool return what is free.
    gc.collect()
    pa.default_memory_pool().release_unused()
    return prepared, label


def _fold_linked(table: pa.Table) -> pa.Table:
    """Without the events that are another dataset's report of an event in the table
    (eventmap dedupe): that event stands for them, its popup listing their sources."""
    linked = table["duplicate_of"]
    if linked.null_count == len(linked):
        return table
    present = pc.is_in(linked, value_set=table["event_id"].combine_chunks())
    return table.filter(pc.invert(pc.fill_null(present, False)))  # a lost primary: shown


def import_report(key: str) -> dict | None:
    """The import report of dataset `key` when its file went through the importer (what
    became of each record), else None."""
    path = STORE_DIR / f"{key}.report.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _save_report(key: str, report: dict) -> None:
    STORE_DIR.mkdir(parents=True, exist_ok=True)
    with atomic_path(STORE_DIR / f"{key}.report.json") as tmp:
        tmp.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")


def _unreviewed(table: pa.Table) -> pa.Table:
    """The candidates no reviewer has accepted or rejected yet (eventmap.review)."""
    from .review import fingerprint, reviewed_fingerprints

    done = reviewed_fingerprints()
    if not done or not table.num_rows:
        return table
    keep = [
        fingerprint({"sources": json.loads(sources or "[]"), "event_type": kind}) not in done
        for sources, kind in zip(
            table["sources"].to_pylist(), table["event_type"].to_pylist(), strict=True
        )
    ]
    return table.filter(pa.array(keep))


def load_candidates(path: str | Path | None) -> tuple[Prepared | None, pa.Table]:
    """Extractor output for the unreviewed layer: (the dated candidates prepared, the undated
    ones as a table, listed apart since they can never be on the map); (None, empty) without."""

    if not path:
        return None, pa.table({})

    from .review import pending

    records = pending(read_candidate_records(path))  # those no reviewer decided on yet
    table = read_candidates_table(path, records)
    dated = pc.is_valid(table["event_date"])
    found, undated = table.filter(dated), table.filter(pc.invert(dated))
    return (prepare(found, extra=("confidence",)) if found.num_rows else None), undated
