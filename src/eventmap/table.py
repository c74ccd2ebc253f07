"""Events as Arrow: the one canonical in-memory table for big data.

`EVENT_SCHEMA` has the columns of `model.COLUMNS`, in that order, with dates as date32, the
precision codes as int8 and `sources` as JSON text (exactly what `export.flat_table` writes).
`read_table` / `iter_batches` read any events file eventmap reads; Parquet goes straight
through pyarrow (no GeoDataFrame), so a million events load in seconds, and `iter_batches`
streams it with bounded memory. `from_frame` / `to_frame` convert to and from the typed
GeoDataFrame of `frame.coerce`.

Data flows one way: catalog + geocode -> frame -> table (reads any file) -> export (writes)
-> sources (what the app and the CLI show); pipeline (catalog -> store) sits beside table.
"""

from __future__ import annotations

import codecs
import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pyogrio
import shapely
from pyarrow import csv as pacsv

from . import validate
from .catalog import load_catalog
from .errors import ExportError, StoreError, ValidationError
from .frame import build_frame, coerce
from .geocode import default_resolver
from .model import COLUMNS, EVENT_SCHEMA
from .validate import sources_text

log = logging.getLogger(__name__)

FORMATS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".csv": "CSV",
    ".gpkg": "GPKG",
    ".parquet": "GeoParquet",
}
CATALOG_SUFFIXES = (".yaml", ".yml")
SORT_KEYS = [("event_date", "ascending"), ("event_id", "ascending")]
DEFAULT_BATCH_SIZE = 65_536

# pyarrow and pyogrio raise these (and their subclasses) for unreadable or odd files.
_READ_ERRORS = (pa.ArrowException, KeyError, ValueError, TypeError, OSError, RuntimeError)


def format_for(path: str | Path) -> str:
    """The format a file's extension names (GeoJSON, CSV, GPKG, GeoParquet); ExportError else."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(
            f"{path}: unknown format {suffix or '(no extension)'!r}; "
            f"use one of {', '.join(sorted(FORMATS))}"
        )
    return FORMATS[suffix]


# --- GeoDataFrame <-> Arrow ---------------------------------------------------------------


def from_frame(frame: pd.DataFrame) -> pa.Table:
    """The events of a GeoDataFrame (typed as `frame.coerce` gives, or close to it) as an
    EVENT_SCHEMA table, rows in the frame's order; latitude/longitude from their columns."""
    arrays = []
    for field in EVENT_SCHEMA:
        name = field.name
        series = frame[name] if name in frame.columns else pd.Series([None] * len(frame))
        if name == "sources":
            arrays.append(pa.array([sources_text(v) for v in series], type=pa.string()))
        elif pa.types.is_date32(field.type):
            stamps = pd.to_datetime(series).dt.normalize()
            arrays.append(pa.array(stamps, type=pa.timestamp("ns"), from_pandas=True))
        elif pa.types.is_integer(field.type):
            numbers = pd.to_numeric(series).astype("Int64")
            arrays.append(pa.array(numbers, type=pa.int64(), from_pandas=True))
        elif pa.types.is_floating(field.type):
            numbers = pd.to_numeric(series).astype("float64")
            arrays.append(pa.array(numbers, type=pa.float64(), from_pandas=True))
        else:
            text = series.astype("object").where(series.notna(), None)
            arrays.append(pa.array(text, type=pa.string(), from_pandas=True))
    names = [f.name for f in EVENT_SCHEMA]
    return conform(pa.Table.from_arrays(arrays, names=names))


def to_frame(table: pa.Table | pa.RecordBatch) -> gpd.GeoDataFrame:
    """An EVENT_SCHEMA table back to the typed GeoDataFrame `frame.coerce` gives (sorted)."""
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    table = conform(table)
    data = table.to_pandas(date_as_object=False)
    lat = data["latitude"].to_numpy(dtype="float64", na_value=np.nan)
    lon = data["longitude"].to_numpy(dtype="float64", na_value=np.nan)
    geometry = np.full(len(data), None, dtype=object)
    located = ~(np.isnan(lat) | np.isnan(lon))
    geometry[located] = shapely.points(lon[located], lat[located])
    return coerce(gpd.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326"))


# --- Columns from any Arrow data into EVENT_SCHEMA -----------------------------------------


def _as_date32(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    kind = array.type
    if pa.types.is_date32(kind):
        return array
    if pa.types.is_dictionary(kind):
        return _as_date32(array.cast(kind.value_type))
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        array = pc.utf8_slice_codeunits(array, 0, 10)  # "YYYY-MM-DD" of an ISO date or time
    elif pa.types.is_timestamp(kind) and kind.tz is not None:
        array = pc.local_timestamp(array)
    return pc.cast(array, pa.date32(), safe=False)


def _as_integer(array, kind: pa.DataType):
    if pa.types.is_floating(array.type):
        array = pc.if_else(pc.is_nan(array), pa.scalar(None, array.type), array)
    return pc.cast(array, kind)


def _list_sources_as_text(array) -> pa.Array:
    return pa.array([sources_text(v) for v in array.to_pylist()], type=pa.string())


def _column(data: pa.Table | pa.RecordBatch, field: pa.Field):
    name, kind = field.name, field.type
    if name not in data.schema.names:
        if name == "event_id":
            raise ValueError("it has no event_id column")
        return pa.nulls(len(data), kind)
    array = data.column(name)
    if array.type == kind:
        return array
    if pa.types.is_dictionary(array.type):
        array = array.cast(array.type.value_type)
    if name == "sources" and (pa.types.is_list(array.type) or pa.types.is_large_list(array.type)):
        return _list_sources_as_text(array)
    if pa.types.is_date32(kind):
        return _as_date32(array)
    if pa.types.is_integer(kind):
        return _as_integer(array, kind)
    if pa.types.is_floating(kind) and pa.types.is_floating(array.type):
        array = pc.cast(array, kind)
        return pc.if_else(pc.is_nan(array), pa.scalar(None, kind), array)  # NaN: no value
    return pc.cast(array, kind)


def _conformed(data: pa.Table | pa.RecordBatch) -> bool:
    """Whether `conform` would give `data` back unchanged (the common case: a quick check)."""
    if not data.schema.equals(EVENT_SCHEMA) or data.column("sources").null_count:
        return False
    starts, ends = data.column("event_date"), data.column("date_end")
    if ends.null_count and pc.any(pc.and_(pc.is_null(ends), pc.is_valid(starts))).as_py():
        return False
    return not any(pc.any(pc.is_nan(data.column(c))).as_py() for c in ("latitude", "longitude"))


def conform(data: pa.Table | pa.RecordBatch) -> pa.Table | pa.RecordBatch:
    """A table or batch made in code (a frame, `eventmap synth`, an older store's batch) as
    EVENT_SCHEMA: missing columns null, types cast, date_end filled with event_date, null
    sources as "[]". Files never come this way: their columns go through `validate.events`.

    Raises ValueError (or a pyarrow error) when a column cannot be cast."""
    if _conformed(data):
        return data
    columns = {field.name: _column(data, field) for field in EVENT_SCHEMA}
    columns["date_end"] = pc.coalesce(columns["date_end"], columns["event_date"])
    columns["sources"] = pc.fill_null(columns["sources"], "[]")
    arrays = list(columns.values())
    if isinstance(data, pa.RecordBatch):
        arrays = [a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in arrays]
        return pa.RecordBatch.from_arrays(arrays, schema=EVENT_SCHEMA)
    return pa.Table.from_arrays(arrays, schema=EVENT_SCHEMA)


def sort_events(table: pa.Table) -> pa.Table:
    """Rows sorted by (event_date, event_id); the table itself when already in that order."""
    if table.num_rows < 2:
        return table
    order = pc.sort_indices(table, sort_keys=SORT_KEYS)  # empty dates last
    if pc.all(pc.equal(order, pa.array(np.arange(len(order), dtype=np.uint64)))).as_py():
        return table
    return table.take(order)


def select_batch(
    batch: pa.RecordBatch | pa.Table,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    types: Iterable[str] = (),
):
    """The rows overlapping [start, end] (either side open when None) of the given types."""
    mask = None
    if end is not None:
        mask = pc.less_equal(batch.column("event_date"), pa.scalar(_date(end), pa.date32()))
    if start is not None:
        after = pc.greater_equal(batch.column("date_end"), pa.scalar(_date(start), pa.date32()))
        mask = after if mask is None else pc.and_kleene(mask, after)
    types = list(types or ())
    if types:
        kept = pc.is_in(batch.column("event_type"), value_set=pa.array(types, pa.string()))
        mask = kept if mask is None else pc.and_kleene(mask, kept)
    return batch if mask is None else batch.filter(mask)


def _date(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


# --- Reading files -------------------------------------------------------------------------


def read_frame(path: str | Path) -> gpd.GeoDataFrame:
    """Any events file (.yaml catalog, .geojson/.json, .csv, .gpkg, .parquet) as the typed
    GeoDataFrame, checked by `eventmap.validate` (see `read_table`)."""
    return to_frame(read_table(path))


def read_catalog(path: str | Path) -> gpd.GeoDataFrame:
    """A catalog .yaml's events geocoded offline, as `eventmap build` does (strict: a
    malformed entry raises CatalogError; events without a place are kept and warned of)."""
    frame, _ = build_frame(load_catalog(path).events, default_resolver())
    return frame


def read_table(path: str | Path) -> pa.Table:
    """Any events file eventmap reads as an EVENT_SCHEMA table sorted by (event_date, event_id).

    Every reader hands its columns, as found, to `validate.events` (the one boundary): bad
    values are kept empty and flagged, never silently changed. A file that cannot be read
    raises an eventmap error naming it: StoreError for Parquet, ExportError (or
    ValidationError, with the line) for the others."""
    path = _existing(path)
    if path.suffix.lower() in CATALOG_SUFFIXES:
        return sort_events(validate.events(from_frame(read_catalog(path)), source=path))
    if _is_parquet(path):
        parquet = _open_parquet(path)
        try:
            raw = parquet.read(columns=_wanted(parquet.schema_arrow))
        except _READ_ERRORS as exc:
            raise StoreError(f"{path}: not a readable events table ({exc})") from None
        return sort_events(validate.events(raw, source=path))
    kind = format_for(path)
    raw = _read_csv(path) if kind == "CSV" else _read_ogr(path)
    return sort_events(validate.events(raw, source=path))


def _read_csv(path: Path) -> pa.Table:
    """A CSV's cells as text (the validation layer types them), UTF-8 with or without BOM,
    else Windows-1252 or Latin-1 (said in the log); quoted line breaks kept. A file that
    ends inside a quoted field has its last row flagged as maybe cut off."""
    encoding, cut_off = _inspect_text(path)
    bad_rows: list[Any] = []

    def refuse(row: Any) -> str:
        bad_rows.append(row)
        return "error"

    parse = pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=refuse)
    convert = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in (*COLUMNS, "geometry")},
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    options = pacsv.ReadOptions(encoding=encoding, block_size=64 << 20)
    try:
        table = pacsv.read_csv(
            path, read_options=options, parse_options=parse, convert_options=convert
        )
    except _READ_ERRORS as exc:
        if bad_rows:
            row = bad_rows[0]
            raise ValidationError(
                f"{row.actual_columns} fields where the header has {row.expected_columns}",
                file=path,
                line=row.number if row.number is not None else _line_of(path, row.text, encoding),
                value=repr(row.text[:80]),
            ) from None
        raise ExportError(f"{path}: not a readable CSV ({_first_line(exc)})") from None
    if cut_off and table.num_rows:
        last = np.zeros(table.num_rows, dtype=bool)
        last[-1] = True
        flag = "the file ends inside a quoted field: this row may be cut off"
        flags = pc.if_else(pa.array(last), flag, pa.scalar(None, pa.string()))
        if "flags" in table.column_names:
            flags = pc.coalesce(table.column("flags"), flags)  # the row's own flags first
            table = table.drop_columns(["flags"])
        table = table.append_column("flags", flags)
    return table


def _line_of(path: Path, text: str, encoding: str) -> int | None:
    """The number of the first line of `path` that is `text` (for messages)."""
    with path.open(encoding=encoding, newline="") as fh:
        for number, line in enumerate(fh, 1):
            if line.rstrip("\r\n") == text:
                return number
    return None


def _inspect_text(path: Path) -> tuple[str, bool]:
    """(the encoding to read `path` with, whether it ends inside a quoted field).

    utf8 when the file decodes as UTF-8, else cp1252 (or latin-1), with a log line naming
    the first line that is not UTF-8. An empty file, or a NUL byte (binary), is refused."""
    if path.stat().st_size == 0:
        raise ExportError(f"{path}: the file is empty")
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding, line, quotes = "utf8", 1, 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if b"\0" in chunk:
                raise ExportError(f"{path}: a binary file, not CSV text")
            quotes += chunk.count(b'"')
            if encoding == "utf8":
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    line += chunk[: exc.start].count(b"\n")
                    encoding = "cp1252" if _decodes(path, "cp1252") else "latin-1"
                    log.warning("%s: line %d is not UTF-8; read as %s", path, line, encoding)
                else:
                    line += chunk.count(b"\n")
    return encoding, quotes % 2 == 1


def _decodes(path: Path, encoding: str) -> bool:
    try:
        with path.open(encoding=encoding) as fh:
            while fh.read(1 << 20):
                pass
    except UnicodeDecodeError:
        return False
    return True


def _read_ogr(path: Path) -> pa.Table:
    """A GeoJSON or GeoPackage layer as Arrow, its geometry as WKB in `geometry`; GeoJSON
    dates read as text so that an impossible date is flagged, not moved (GDAL would turn
    2020-02-30 into 2020-03-01)."""
    kind = format_for(path)
    if path.stat().st_size == 0:
        raise ExportError(f"{path}: the file is empty")
    options = {"DATE_AS_STRING": "YES"} if kind == "GeoJSON" else {}
    try:
        meta, table = pyogrio.read_arrow(path, **options)
    except Exception as exc:  # pyogrio.errors.DataSourceError and kin, pyarrow errors
        parts = _first_line(exc).replace(f"'{path}' ", "").split(";")
        reason = ";".join(p for p in parts if "might help" not in p).strip().rstrip(".")
        raise ExportError(f"{path}: not readable as {kind} ({reason})") from None
    geometry = meta.get("geometry_name") or "wkb_geometry"
    columns = {}
    for name, column in zip(table.schema.names, table.columns, strict=True):
        if isinstance(column.type, pa.ExtensionType):
            column = pa.chunked_array([c.storage for c in column.chunks], column.type.storage_type)
        columns["geometry" if name == geometry else name] = column
    return pa.table(columns)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def iter_batches(
    path: str | Path,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    types: Iterable[str] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[pa.RecordBatch]:
    """The events of any file as EVENT_SCHEMA record batches, filtered to those overlapping
    [start, end] (either side open when None) and of the given event types.

    Parquet streams with bounded memory (row groups at a time; row groups whose date
    statistics rule out the window are skipped) and keeps the file's row order: sorted for
    the store and `eventmap synth` output, file order for a Parquet file written unsorted.
    Other formats are read whole, sorted, then sliced. Opening the file and checking its
    columns happen on the first `next()`."""
    path = _existing(path)
    types = tuple(types or ())
    if not _is_parquet(path):
        table = select_batch(read_table(path), start=start, end=end, types=types)
        yield from table.to_batches(max_chunksize=batch_size)
        return
    parquet = _open_parquet(path)
    columns = _wanted(parquet.schema_arrow)
    row_groups = _row_groups(parquet, start, end)
    try:
        if not row_groups:
            validate.events(parquet.schema_arrow.empty_table().select(columns), source=path)
            return
        repeated = _repeated_ids(parquet)
        first_rows = np.cumsum(
            [0] + [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)]
        )
        for group in row_groups:
            row = int(first_rows[group]) + 1
            for raw in parquet.iter_batches(
                batch_size=batch_size, row_groups=[group], columns=columns
            ):
                checked = validate.events(raw, source=path, first_row=row, duplicate_ids=repeated)
                row += raw.num_rows
                batch = select_batch(checked, start=start, end=end, types=types)
                if batch.num_rows:
                    yield from batch.to_batches()
    except _READ_ERRORS as exc:
        raise StoreError(f"{path}: not a readable events table ({exc})") from None


def _repeated_ids(parquet: pq.ParquetFile) -> set[str]:
    """The ids that occur more than once in the whole file (one column read: quick)."""
    if "event_id" not in parquet.schema_arrow.names:
        return set()
    return validate.duplicate_ids(parquet.read(columns=["event_id"]).column("event_id"))


def _existing(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"{path}: no such events file")
    if path.stat().st_size == 0:
        raise ExportError(f"{path}: the file is empty")
    return path


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet"


def _open_parquet(path: Path) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except _READ_ERRORS as exc:
        raise StoreError(f"{path}: not a readable GeoParquet store ({exc})") from None


def _wanted(schema: pa.Schema) -> list[str]:
    """The event columns the file has; its WKB geometry only when latitude/longitude lack."""
    columns = [name for name in COLUMNS if name in schema.names]
    if "latitude" not in columns and "longitude" not in columns and "geometry" in schema.names:
        columns.append("geometry")
    return columns


def _row_groups(parquet: pq.ParquetFile, start: Any, end: Any) -> list[int]:
    """Row groups that may hold events overlapping [start, end], from the date statistics."""
    groups = list(range(parquet.num_row_groups))
    if start is None and end is None:
        return groups
    names = parquet.schema_arrow.names
    if "event_date" not in names:
        return groups
    first = names.index("event_date")
    last = names.index("date_end") if "date_end" in names else first
    kept = []
    for i in groups:
        meta = parquet.metadata.row_group(i)
        low = _stat(meta.column(first).statistics, "min")
        # An empty date_end means event_date: the larger of the two maxima bounds the ends.
        highs = [_stat(meta.column(j).statistics, "max") for j in {first, last}]
        high = None if None in highs else max(highs)
        if end is not None and low is not None and low > _date(end):
            continue
        if start is not None and high is not None and high < _date(start):
            continue
        kept.append(i)
    return kept


def _stat(stats: Any, which: str) -> dt.date | None:
    if stats is None or not stats.has_min_max:
        return None
    value = getattr(stats, which)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None
