"""Events in and out of the exchange formats: GeoJSON (RFC 7946), CSV, GeoPackage, GeoParquet.

The format follows the file's extension. `write_batches` streams EVENT_SCHEMA record batches
(see `eventmap.table`) to any of them with bounded memory: GeoJSON and CSV are rendered a
batch at a time by pyarrow compute kernels, GeoPackage goes through pyogrio's Arrow writer,
GeoParquet through pyarrow's ParquetWriter. Every writer is atomic; every reader returns the
same typed GeoDataFrame, so export followed by import gives back the same events.
`feature_collection` / `geojson_text` / `flat_table` are the small in-memory writers (the app's
downloads, and the reference the streamed output is tested against).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pyogrio
from pyproj import CRS

from .errors import EventmapError, ExportError
from .frame import DATE_COLUMNS, coerce
from .model import COLUMNS
from .store import atomic_path
from .table import EVENT_SCHEMA, FORMATS, conform, format_for, from_frame
from .table import read_frame as _read_frame

__all__ = [
    "FORMATS",
    "COORDINATE_DECIMALS",
    "format_for",
    "write_batches",
    "write_events",
    "feature_collection",
    "properties_json",
    "json_strings",
    "geojson_text",
    "flat_table",
    "read_events",
]

COORDINATE_DECIMALS = 6  # about 0.1 m: RFC 7946 section 11.2 advises no more
GPKG_LAYER = "events"
PARQUET_ROW_GROUP = 65_536
# Rows rendered at once: bounds the memory of one rendered batch (and keeps its text < 2 GB).
CHUNK_ROWS = 16_384

_KINDS = {name.lower(): name for name in FORMATS.values()}
_KINDS.update({suffix.lstrip("."): name for suffix, name in FORMATS.items()})
_KINDS.update({"gpkg": "GPKG", "geopackage": "GPKG", "parquet": "GeoParquet"})


# --- In-memory writers (small data; the reference for the streamed ones) ---------------------


def feature_collection(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection: WGS84 [lon, lat], no `crs`, ISO dates, all columns."""
    features = []
    for row in frame.itertuples(index=False):
        properties = {name: _json_value(getattr(row, name)) for name in COLUMNS}
        geometry = None
        if row.geometry is not None and not row.geometry.is_empty:
            geometry = {
                "type": "Point",
                "coordinates": [
                    round(row.geometry.x, COORDINATE_DECIMALS),
                    round(row.geometry.y, COORDINATE_DECIMALS),
                ],
            }
        features.append(
            {"type": "Feature", "id": row.event_id, "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


def geojson_text(frame: gpd.GeoDataFrame) -> str:
    return json.dumps(feature_collection(coerce(frame)), ensure_ascii=False, indent=1) + "\n"


def flat_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The columns as a plain table: ISO dates, sources as JSON text (for CSV and GeoPackage)."""
    table = pd.DataFrame({name: frame[name] for name in COLUMNS})
    for name in DATE_COLUMNS:
        table[name] = frame[name].dt.strftime("%Y-%m-%d")
    table["sources"] = [json.dumps(s, ensure_ascii=False) for s in frame["sources"]]
    return table


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


# --- Streaming writers -------------------------------------------------------------------


def write_events(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write `frame` to `path` in the format its extension names; returns the path."""
    path = Path(path)
    format_for(path)  # refuse an unknown extension before any work
    write_batches(from_frame(coerce(frame)).to_batches(max_chunksize=CHUNK_ROWS), path)
    return path


def write_batches(
    batches: Iterable[pa.RecordBatch] | pa.Table,
    path: str | Path | IO[bytes],
    *,
    kind: str | None = None,
) -> int:
    """Stream EVENT_SCHEMA record batches (or a table) to `path`; returns the number of
    events written. Columns beyond EVENT_SCHEMA's are ignored.

    `kind` (GeoJSON, CSV, GPKG, GeoParquet; or an extension) defaults to the one `path`'s
    extension names. A path is written atomically (a reader never sees half a file; a failure
    leaves the old file). `path` may also be a writable binary file object (GeoJSON, CSV,
    GeoParquet): the caller owns it, and a failure may leave part of the output in it.
    Memory stays bounded whatever the number of events: a few chunks of CHUNK_ROWS rows are
    held at a time (one per rendering thread, one being written, one read ahead).
    """
    is_file = not isinstance(path, (str, Path))
    kind = _kind(kind, path, is_file)
    writer = {
        "GeoJSON": _write_geojson,
        "CSV": _write_csv,
        "GPKG": _write_gpkg,
        "GeoParquet": _write_geoparquet,
    }[kind]
    if isinstance(batches, (pa.Table, pa.RecordBatch)):
        batches = [batches]
    chunks = _chunks(batches)
    if is_file:
        if kind == "GPKG":
            raise ExportError("a GeoPackage can only be written to a path, not a file object")
        return writer(chunks, path)
    path = Path(path)
    try:
        with atomic_path(path) as tmp:
            if kind == "GPKG":
                return writer(chunks, tmp)
            with open(tmp, "wb") as out:
                return writer(chunks, out)
    except EventmapError:
        raise  # the source's own error (an unreadable input file, say), as it was
    except (OSError, pa.ArrowException, RuntimeError) as exc:
        raise ExportError(f"{path}: cannot write {kind} ({exc})") from None


def _kind(kind: str | None, path: Any, is_file: bool) -> str:
    if kind is not None:
        found = _KINDS.get(str(kind).lower().lstrip("."))
        if found is None:
            raise ExportError(f"unknown format {kind!r}; use one of {', '.join(FORMATS.values())}")
        return found
    name = getattr(path, "name", None) if is_file else path
    if not isinstance(name, (str, Path)):
        raise ExportError("writing to a file object needs kind= (GeoJSON, CSV or GeoParquet)")
    return format_for(name)


def _chunks(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The batches as EVENT_SCHEMA, none longer than CHUNK_ROWS rows."""
    for batch in batches:
        if isinstance(batch, pa.Table):
            yield from _chunks(batch.to_batches(max_chunksize=CHUNK_ROWS))
            continue
        batch = conform(batch)
        for offset in range(0, batch.num_rows, CHUNK_ROWS):
            yield batch.slice(offset, CHUNK_ROWS)


def _prefetched(batches: Iterable[pa.RecordBatch], depth: int = 2) -> Iterator[pa.RecordBatch]:
    """The batches, read up to `depth` ahead in a thread: reading (Parquet decoding) then
    overlaps a writer that works in the calling thread (GDAL, ParquetWriter)."""
    end = object()
    items = iter(batches)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="eventmap-read") as reader:
        pending = deque(reader.submit(next, items, end) for _ in range(depth))
        while (batch := pending.popleft().result()) is not end:
            pending.append(reader.submit(next, items, end))
            yield batch


def _write_text(out: IO[bytes], lines: pa.Array, *, skip: int = 0) -> None:
    """Write the concatenated values of a string array straight from its data buffer."""
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    if not len(lines):
        return
    _, offsets, data = lines.buffers()
    ends = np.frombuffer(offsets, dtype=np.int32)
    first, last = int(ends[lines.offset]) + skip, int(ends[lines.offset + len(lines)])
    out.write(memoryview(data)[first:last])


# --- Text rendering by pyarrow compute kernels -------------------------------------------------
#
# A batch is rendered column by column (each kernel runs over the whole column and releases
# the GIL), and the columns are then concatenated row by row, so batches render in parallel
# threads while the main thread reads the next and writes the previous one.

_JSON_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_JOIN_ARITY = 6  # pyarrow's variadic join slows down with many inputs: join a tree of them


def _data(values: pa.Array) -> np.ndarray:
    """The UTF-8 bytes of a string array's values, a view of its data buffer."""
    buffers = values.buffers()
    if not len(values) or buffers[2] is None:
        return np.empty(0, dtype=np.uint8)
    ends = np.frombuffer(buffers[1], dtype=np.int32)
    first, last = ends[values.offset], ends[values.offset + len(values)]
    return np.frombuffer(buffers[2], dtype=np.uint8)[first:last]


def _json_escaped(values: pa.Array) -> pa.Array:
    """The strings with JSON's escapes (backslash, quote, control characters); no quotes
    around them. UTF-8 is kept as it is, like json.dumps(ensure_ascii=False)."""
    data = _data(values)
    control = data < 0x20
    if (data == 0x5C).any():
        values = pc.replace_substring(values, "\\", "\\\\")
    if (data == 0x22).any():
        values = pc.replace_substring(values, '"', '\\"')
    if control.any():
        for code in np.unique(data[control]):
            char = chr(code)
            values = pc.replace_substring(values, char, _JSON_ESCAPES.get(char, f"\\u{code:04x}"))
    return values


def json_strings(values: pa.Array) -> pa.Array:
    """Each string as a JSON string literal; null as `null`."""
    quoted = pc.binary_join_element_wise('"', _json_escaped(values), '"', "")
    return pc.fill_null(quoted, "null")


def _concat(parts: list[str | pa.Array]) -> pa.Array:
    """Row by row, the concatenation of the parts (string arrays of one length, or texts)."""
    merged: list[str | pa.Array] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif not (isinstance(part, str) and not part):
            merged.append(part)
    while len(merged) > 1:
        groups = [merged[i : i + _JOIN_ARITY] for i in range(0, len(merged), _JOIN_ARITY)]
        merged = [
            group[0]
            if len(group) == 1
            else "".join(group)
            if all(isinstance(g, str) for g in group)
            else pc.binary_join_element_wise(*group, "")
            for group in groups
        ]
    return merged[0]


def _number_text(values: pa.Array) -> pa.Array:
    """Numbers as Python (and pandas) print them: 3.0 as "3.0", 1e-07 as "1e-07"."""
    text = pc.cast(values, pa.string())
    if not pa.types.is_floating(values.type):
        return text
    # Arrow and Python agree on the shortest digits but not on when and how to write an
    # exponent, and Arrow drops a whole number's ".0". Python writes 1e-4 <= |x| < 1e16
    # without one: those rows need at most the ".0"; the few others are printed by Python.
    size = pc.abs(values)
    plain = pc.and_(
        pc.and_(pc.greater_equal(size, 1e-4), pc.less(size, 1e16)),
        pc.invert(pc.match_substring(text, "e")),
    )
    whole = pc.or_(pc.and_(plain, pc.equal(pc.floor(values), values)), pc.equal(values, 0.0))
    if pc.any(whole).as_py():
        text = pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text)
    odd = pc.fill_null(pc.invert(pc.or_(plain, pc.equal(values, 0.0))), False)
    if pc.any(odd).as_py():
        numbers = values.filter(odd).to_pylist()
        fixed = pa.array([repr(float(x)) for x in numbers], pa.string())
        text = pc.replace_with_mask(text, odd, fixed)
    return text


def _finite(values: pa.Array) -> pa.Array:
    """Floats with NaN and infinities as null (JSON has no such numbers)."""
    if not pa.types.is_floating(values.type) or not pc.any(pc.invert(pc.is_finite(values))).as_py():
        return values
    return pc.if_else(pc.is_finite(values), values, pa.scalar(None, values.type))


def _json_parts(values: pa.Array, name: str) -> list[str | pa.Array]:
    """The JSON text of a column (as parts for `_concat`: quotes as text where no null)."""
    if name == "sources":
        return [pc.fill_null(values, "[]")]  # stored JSON text, spliced in as a real array
    if pa.types.is_date32(values.type):
        values = pc.cast(values, pa.string())
    if pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
        return [pc.fill_null(_number_text(_finite(values)), "null")]
    if values.null_count == 0:
        return ['"', _json_escaped(values), '"']
    return [json_strings(values)]


def _properties_parts(batch: pa.RecordBatch) -> list[str | pa.Array]:
    """Parts (for `_concat`) of each row's properties object, every column in order."""
    parts: list[str | pa.Array] = ["{"]
    for i, name in enumerate(COLUMNS):
        parts.append(("," if i else "") + json.dumps(name) + ":")
        parts += _json_parts(batch.column(name), name)
    return [*parts, "}"]


def properties_json(batch: pa.RecordBatch) -> pa.Array:
    """Each event of an EVENT_SCHEMA batch as one compact JSON object of all its columns
    (a GeoJSON feature's properties: ISO dates, sources as an array, empty as null)."""
    return _concat(_properties_parts(conform(batch)))


def _geojson_features(batch: pa.RecordBatch) -> pa.Array:
    """Each row as ",\n" and its RFC 7946 Feature (the shape of `feature_collection`)."""
    lon = _finite(pc.round(batch.column("longitude"), COORDINATE_DECIMALS))
    lat = _finite(pc.round(batch.column("latitude"), COORDINATE_DECIMALS))
    point = _concat(['{"type":"Point","coordinates":[', _number_text(lon), ",", _number_text(lat)])
    geometry = pc.fill_null(pc.binary_join_element_wise(point, "]}", ""), "null")
    parts: list[str | pa.Array] = [',\n{"type":"Feature","id":']
    parts += _json_parts(batch.column("event_id"), "event_id")
    parts += [',"geometry":', geometry, ',"properties":', *_properties_parts(batch), "}"]
    return _concat(parts)


def _rendered(
    render: Callable[[pa.RecordBatch], pa.Array], batches: Iterable[pa.RecordBatch]
) -> Iterator[tuple[pa.Array, int]]:
    """(render(batch), its rows) for each non-empty batch, in order, rendered by a few
    threads; at most one batch per thread and one more are held at a time."""
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eventmap-render") as pool:
        pending: deque = deque()
        for batch in batches:
            if batch.num_rows:
                pending.append((pool.submit(render, batch), batch.num_rows))
            if len(pending) > workers:
                future, rows = pending.popleft()
                yield future.result(), rows
        while pending:
            future, rows = pending.popleft()
            yield future.result(), rows


def _write_rendered(
    render: Callable[[pa.RecordBatch], pa.Array],
    batches: Iterable[pa.RecordBatch],
    out: IO[bytes],
    *,
    skip_first: int = 0,
) -> int:
    """Render the batches (in threads) and write their text in order from one more thread,
    so reading, rendering and writing overlap; returns the number of rows written.
    `skip_first` bytes are dropped from the first text (a separator)."""
    count = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="eventmap-write") as writer:
        last = None
        for text, rows in _rendered(render, batches):
            if last is not None:
                last.result()  # at most one text waits to be written
            last = writer.submit(_write_text, out, text, skip=0 if count else skip_first)
            count += rows
        if last is not None:
            last.result()
    return count


def _write_geojson(batches: Iterable[pa.RecordBatch], out: IO[bytes]) -> int:
    out.write(b'{"type":"FeatureCollection","features":[')
    count = _write_rendered(_geojson_features, batches, out, skip_first=1)  # no first comma
    out.write(b"\n]}\n")
    return count


def _csv_quotes_carriage_return() -> bool:
    """Whether Python's csv writer (pandas' to_csv) quotes a field holding a lone \\r."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["a\rb"])
    return buffer.getvalue().startswith('"')


_CSV_SPECIAL_BYTES = (
    (0x2C, 0x22, 0x0A, 0x0D) if _csv_quotes_carriage_return() else (0x2C, 0x22, 0x0A)
)
_CSV_SPECIAL = "[" + "".join(re.escape(chr(b)) for b in _CSV_SPECIAL_BYTES) + "]"


def _csv_strings(values: pa.Array) -> pa.Array:
    """Text as pandas' to_csv writes it: quoted only when needed, quotes doubled."""
    if np.isin(_data(values), _CSV_SPECIAL_BYTES).any():
        special = pc.match_substring_regex(values, _CSV_SPECIAL)
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(values, '"', '""'), '"', "")
        values = pc.if_else(special, quoted, values)
    return pc.fill_null(values, "")


def _csv_cell(values: pa.Array, name: str) -> pa.Array:
    if pa.types.is_date32(values.type):
        return pc.fill_null(pc.cast(values, pa.string()), "")
    if pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
        return pc.fill_null(_number_text(values), "")
    if name == "sources":
        values = pc.fill_null(values, "[]")
    return _csv_strings(values)


def _csv_rows(batch: pa.RecordBatch) -> pa.Array:
    parts: list[str | pa.Array] = []
    for i, name in enumerate(COLUMNS):
        parts += [","] if i else []
        parts.append(_csv_cell(batch.column(name), name))
    return _concat([*parts, "\n"])


def _write_csv(batches: Iterable[pa.RecordBatch], out: IO[bytes]) -> int:
    """The flat table as CSV, the text pandas' to_csv(index=False) gives for `flat_table`."""
    out.write((",".join(COLUMNS) + "\n").encode("utf-8"))
    return _write_rendered(_csv_rows, batches, out)


# --- GeoPackage and GeoParquet through their Arrow writers ----------------------------------

_WKB = "geometry"


_POINT_WKB = np.dtype([("order", "u1"), ("kind", "<u4"), ("x", "<f8"), ("y", "<f8")])


def _wkb(batch: pa.RecordBatch) -> pa.Array:
    """ISO WKB points (little-endian, 21 bytes) from longitude/latitude; null where either
    is missing. Built in numpy: shapely.to_wkb makes a Python bytes object per point."""
    lat = pc.fill_null(batch.column("latitude"), np.nan).to_numpy(zero_copy_only=False)
    lon = pc.fill_null(batch.column("longitude"), np.nan).to_numpy(zero_copy_only=False)
    valid = ~(np.isnan(lat) | np.isnan(lon))
    points = np.empty(int(valid.sum()), dtype=_POINT_WKB)
    points["order"], points["kind"] = 1, 1  # little-endian, Point
    points["x"], points["y"] = lon[valid], lat[valid]
    offsets = np.zeros(len(lat) + 1, dtype=np.int32)
    np.cumsum(np.where(valid, _POINT_WKB.itemsize, 0), out=offsets[1:])
    validity = None if valid.all() else pa.array(valid).buffers()[1]  # bits: 1 = a point
    return pa.Array.from_buffers(
        pa.binary(),
        len(lat),
        [
            validity,
            pa.py_buffer(offsets),
            pa.py_buffer(points.tobytes()),
        ],
    )


_GPKG_SCHEMA = pa.schema(
    [
        pa.field(f.name, pa.string())
        if f.name in DATE_COLUMNS
        else pa.field(f.name, pa.int64())
        if pa.types.is_integer(f.type)
        else f.with_nullable(True)
        for f in EVENT_SCHEMA
    ]
    + [pa.field(_WKB, pa.binary())]
)


def _gpkg_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The columns as today's GeoPackage has them: ISO date text, 64-bit integers, a point."""
    arrays = [pc.cast(batch.column(f.name), f.type) for f in _GPKG_SCHEMA if f.name != _WKB]
    return pa.RecordBatch.from_arrays([*arrays, _wkb(batch)], schema=_GPKG_SCHEMA)


def _write_gpkg(batches: Iterable[pa.RecordBatch], path: Path) -> int:
    count, failures = 0, []

    def counted() -> Iterator[pa.RecordBatch]:
        nonlocal count
        try:
            for batch in batches:
                count += batch.num_rows
                yield _gpkg_batch(batch)
        except Exception as exc:  # GDAL reports only "error while accessing batch"
            failures.append(exc)
            raise

    reader = pa.RecordBatchReader.from_batches(_GPKG_SCHEMA, _prefetched(counted()))
    try:
        pyogrio.write_arrow(
            reader,
            path,
            layer=GPKG_LAYER,
            driver="GPKG",
            geometry_name=_WKB,
            geometry_type="Point",
            crs="EPSG:4326",
        )
    except Exception:
        if failures:
            raise failures[0] from None
        raise
    return count


def geoparquet_metadata() -> bytes:
    """GeoParquet 1.1 "geo" metadata: one WKB point column in WGS84 (EPSG:4326)."""
    geo = {
        "version": "1.1.0",
        "primary_column": _WKB,
        "columns": {
            _WKB: {
                "encoding": "WKB",
                "geometry_types": ["Point"],
                "crs": CRS.from_epsg(4326).to_json_dict(),
            }
        },
    }
    return json.dumps(geo).encode("utf-8")


_PARQUET_SCHEMA = EVENT_SCHEMA.append(pa.field(_WKB, pa.binary())).with_metadata(
    {b"geo": geoparquet_metadata()}
)


def _write_geoparquet(batches: Iterable[pa.RecordBatch], out: IO[bytes]) -> int:
    """GeoParquet: the EVENT_SCHEMA columns, a WKB `geometry`, zstd, row groups of
    PARQUET_ROW_GROUP rows (their date statistics let readers skip them)."""
    count, group = 0, []
    with pq.ParquetWriter(out, _PARQUET_SCHEMA, compression="zstd") as writer:

        def flush() -> None:
            if group:
                writer.write_table(pa.Table.from_batches(group), row_group_size=PARQUET_ROW_GROUP)
                group.clear()

        for batch in _prefetched(batches):
            if batch.num_rows:
                arrays = [*batch.columns, _wkb(batch)]
                group.append(pa.RecordBatch.from_arrays(arrays, schema=_PARQUET_SCHEMA))
                count += batch.num_rows
                if sum(b.num_rows for b in group) >= PARQUET_ROW_GROUP:
                    flush()
        flush()
    return count


# --- Reading -------------------------------------------------------------------------------


def read_events(path: str | Path) -> gpd.GeoDataFrame:
    """Read events from any format eventmap writes (and a catalog .yaml, via catalog+geocode)."""
    return _read_frame(path)
