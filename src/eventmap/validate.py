"""The one boundary: every table of events entering eventmap passes `events()` first.

Readers hand over the columns as they found them (text from CSV, typed columns from Parquet,
GeoJSON or GeoPackage, frames from the catalog or the extractor). `events()` returns them as
`table.EVENT_SCHEMA` and checks what a map of events relies on:

- the columns and their types (a value that is not a date, a number or a code is flagged);
- dates: real (2020-02-30 is not), date_end not before event_date;
- coordinates: both present, in range, not (0, 0) (the usual stand-in for "unknown");
- event ids: present and unique;
- precision codes: 1, 2 or 3.

A problem with one value never stops the file: the event is kept, the value left empty (or,
for date_end, the event's first day), and the event carries a flag saying what and why, in its
`flags` column ("; " between flags). Only a table with none of the event columns is refused,
with a `ValidationError` naming the file and the columns found. Never a silent change.
Everything is vectorised with pyarrow: no Python per row, except for the rare bad value.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from .errors import ValidationError
from .model import EVENT_SCHEMA, EVENT_TYPES, GEO_PRECISION, TIME_PRECISION

FLAG_SEPARATOR = "; "
# Besides ISO 8601, dates written the way news and datasets spell them in full.
TEXT_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")
_ISO_DATE = (
    r"^\s*(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ][0-9:.]*(?:Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
_NUMBER = r"^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$"
# Dates that Python, and so every export, can hold: years 1 to 9999.
_FIRST_DAY = (dt.date(1, 1, 1) - dt.date(1970, 1, 1)).days
_LAST_DAY = (dt.date(9999, 12, 31) - dt.date(1970, 1, 1)).days
_UNREAD_SOURCES = "sources not a JSON list of sources: kept as text"
_KEY_COLUMNS = ("event_id", "event_date", "latitude", "longitude", "geometry")
_CODES = {"time_precision": TIME_PRECISION, "geo_precision": GEO_PRECISION}
_COUNTS = ("fatalities", "injured", "fatalities_low", "fatalities_high")
_SHOWN = 40  # characters of a bad value quoted in a flag
_GEOMETRY_NAMES = (
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
)


def events(
    data: pa.Table | pa.RecordBatch,
    *,
    source: str | Path,
    first_row: int = 1,
    duplicate_ids: Iterable[str] | None = None,
) -> pa.Table:
    """`data` as an EVENT_SCHEMA table with a `flags` column saying what was wrong and kept.

    `source` names the file in messages and in ids given to events without one; `first_row`
    is the record number of the table's first row (1 for a whole file; later for a batch of
    a streamed file). Duplicate ids are found within `data`, or, when streaming, given as
    `duplicate_ids` (the ids that occur more than once in the whole file).
    Raises ValidationError when `data` has none of the event columns."""
    table = pa.Table.from_batches([data]) if isinstance(data, pa.RecordBatch) else data
    names = table.schema.names
    if table.num_rows and not any(name in names for name in _KEY_COLUMNS):
        raise ValidationError(
            "not a table of events: none of the columns event_id, event_date, latitude, "
            "longitude or a geometry",
            file=source,
            value=", ".join(names[:20]) or "(no columns)",
        )
    repeated = sorted(
        {n for n in names if names.count(n) > 1 and n in (*EVENT_SCHEMA.names, "geometry")}
    )
    if repeated:
        raise ValidationError(
            "the header names a column more than once; which one holds the events' values "
            "cannot be told",
            file=source,
            value=", ".join(repeated),
        )
    checker = _Checker(table, source=source, first_row=first_row)
    columns: dict[str, Any] = {}
    for field in EVENT_SCHEMA:
        columns[field.name] = checker.column(field)  # flags: those the file already carries
    columns["sources"] = pc.fill_null(columns["sources"], "[]")
    if "latitude" not in names and "longitude" not in names and "geometry" in names:
        columns["latitude"], columns["longitude"] = checker.points()
    checker.check_dates(columns)
    checker.check_coordinates(columns)
    columns["event_id"] = checker.check_ids(columns["event_id"], duplicate_ids)
    checker.check_types(columns["event_type"])
    columns["flags"] = merged_flags(columns["flags"], checker.flags())
    arrays = [columns[field.name] for field in EVENT_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=EVENT_SCHEMA)


def sources_list(value: Any) -> list[dict[str, Any]]:
    """Sources as they arrive (a list, a numpy array from Parquet, JSON text from CSV or
    GeoPackage, None) as a list of dicts; ValueError or TypeError when they are not that."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in dict(item).items() if v is not None}
        for item in list(value)
    ]


def sources_text(value: Any) -> str:
    """A `sources` cell (list of dicts, numpy array, JSON text or None) as canonical JSON text."""
    return json.dumps(sources_list(value), ensure_ascii=False)


def records_table(records: list[dict[str, Any]]) -> pa.Table:
    """Records (JSON objects, YAML mappings) as a table of their columns as they came: a
    column whose values Arrow cannot hold as one type is kept as text, for `events` to check."""
    names = list(dict.fromkeys(key for record in records for key in record))
    columns = {}
    for name in names:
        values = [record.get(name) for record in records]
        try:
            columns[name] = pa.array(values)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            columns[name] = pa.array(
                [v if v is None or isinstance(v, str) else _json(v) for v in values], pa.string()
            )
    return (
        pa.table(columns)
        if columns
        else pa.table({"event_id": pa.nulls(len(records), pa.string())})
    )


def duplicate_ids(ids: pa.Array | pa.ChunkedArray) -> set[str]:
    """The ids occurring more than once (for `events(..., duplicate_ids=)` when streaming)."""
    ids = pc.cast(ids, pa.string())
    if pc.count_distinct(ids, mode="all").as_py() == len(ids):
        return set()
    counts = pc.value_counts(ids)
    repeated = pc.greater(counts.field("counts"), 1)
    return {v for v in counts.field("values").filter(repeated).to_pylist() if v is not None}


def flag_counts(flags: pa.Array | pa.ChunkedArray) -> Counter[str]:
    """How many events carry each kind of flag (the flag without its quoted values)."""
    counts: Counter[str] = Counter()
    present = pc.drop_null(flags)
    if not len(present):
        return counts
    if isinstance(present, pa.ChunkedArray):
        present = present.combine_chunks()
    for text, n in zip(
        *_value_counts(pc.list_flatten(pc.split_pattern(present, FLAG_SEPARATOR))), strict=True
    ):
        counts[flag_kind(text)] += n
    return counts


def flag_kind(flag: str) -> str:
    """A flag without the values it quotes: what `flag_counts` counts by."""
    return re.sub(r" '[^']*'", "", flag)


def summary(flags: pa.Array | pa.ChunkedArray) -> str:
    """One line for people: how many events were flagged, and for what ("" when none)."""
    tally = FlagTally()
    tally.add(flags)
    return tally.text()


class FlagTally:
    """Flags counted across the batches of a stream, for the line `summary` gives."""

    def __init__(self) -> None:
        self.flagged = 0
        self.kinds: Counter[str] = Counter()

    def add(self, flags: pa.Array | pa.ChunkedArray) -> None:
        self.flagged += len(flags) - flags.null_count
        self.kinds.update(flag_counts(flags))

    def text(self) -> str:
        if not self.flagged:
            return ""
        kinds = ", ".join(f"{kind}: {n:,}" for kind, n in self.kinds.most_common())
        s = "s" if self.flagged != 1 else ""
        return f"{self.flagged:,} event{s} kept with flags ({kinds})"


def _value_counts(values: pa.Array) -> tuple[list[str], list[int]]:
    counts = pc.value_counts(values)
    return counts.field("values").to_pylist(), counts.field("counts").to_pylist()


def _shown(value: Any) -> str:
    text = str(value).replace("'", "’").replace("\n", " ")
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


class _Checker:
    """Converts one table's columns and gathers the per-row flags as it goes."""

    def __init__(self, table: pa.Table, *, source: str | Path, first_row: int) -> None:
        self.table = table
        self.source = source
        self.first_row = first_row
        self.rows = table.num_rows
        self._flags: list[pa.Array] = []

    # -- flags -------------------------------------------------------------------------

    def flag(self, mask: pa.Array, texts: pa.Array | str) -> None:
        """Flag the rows where `mask` is true with `texts` (one per row, or one for all)."""
        mask = pc.fill_null(mask, False)
        if not pc.any(mask).as_py():
            return
        if isinstance(texts, str):
            texts = pa.scalar(texts, pa.string())
        self._flags.append(pc.if_else(mask, texts, pa.scalar(None, pa.string())))

    def flag_values(self, mask: pa.Array, values: pa.Array, template: str) -> None:
        """Flag rows where `mask` is true, quoting each row's value in `template` (at {})."""
        mask = pc.fill_null(mask, False)
        if not pc.any(mask).as_py():
            return
        rows = pc.indices_nonzero(mask)
        shown = np.full(self.rows, None, dtype=object)
        shown[rows.to_numpy()] = [_shown(v) for v in _plain(pc.take(values, rows))]
        head, _, tail = template.partition("{}")
        head, tail = head + "'", "'" + tail  # quoted: what flag_kind leaves out
        texts = pc.binary_join_element_wise(head, pa.array(shown, pa.string()), tail, "")
        self.flag(mask, texts)

    def flags(self) -> pa.Array:
        if not self._flags:
            return pa.nulls(self.rows, pa.string())
        return _joined(self._flags)

    # -- columns -----------------------------------------------------------------------

    def column(self, field: pa.Field) -> pa.Array:
        name, kind = field.name, field.type
        if name not in self.table.schema.names:
            return pa.nulls(self.rows, kind)
        values = self.table.column(name)
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        if pa.types.is_large_string(values.type):
            values = values.cast(pa.string())
        if pa.types.is_null(values.type):
            return pa.nulls(self.rows, kind)
        if name == "sources":
            return self.sources(values)
        if pa.types.is_date32(kind):
            return self.dates(values, name)
        if name in _CODES:
            return self.codes(values, name)
        if name in _COUNTS:
            return self.counts(values, name)
        if pa.types.is_floating(kind):
            return self.numbers(values, name)
        return self.text(values, name)

    def text(self, values: pa.Array, name: str) -> pa.Array:
        if pa.types.is_string(values.type):
            return values
        if _is_nested(values.type):
            self.flag_values(
                pc.is_valid(values), values, f"{name} {{}} is not text: kept as JSON text"
            )
            return pa.array(
                [None if v is None else _json(v) for v in values.to_pylist()], pa.string()
            )
        if pa.types.is_floating(values.type):
            whole = pc.equal(pc.floor(values), values)
            as_int = pc.cast(pc.if_else(whole, values, None), pa.int64(), safe=False)
            return pc.coalesce(pc.cast(as_int, pa.string()), pc.cast(values, pa.string()))
        return pc.cast(values, pa.string())

    def numbers(self, values: pa.Array, name: str) -> pa.Array:
        """Floats; text is read when it is a number, flagged when not; NaN is no value."""
        if pa.types.is_string(values.type):
            values = self._parsed_numbers(values, name)
        elif not (pa.types.is_integer(values.type) or pa.types.is_floating(values.type)):
            self.flag_values(
                pc.is_valid(values), values, f"{name} {{}} is not a number: left empty"
            )
            return pa.nulls(self.rows, pa.float64())
        values = pc.cast(values, pa.float64(), safe=False)  # huge integers: nearest float
        return pc.if_else(pc.is_finite(values), values, pa.scalar(None, pa.float64()))

    def _parsed_numbers(self, values: pa.Array, name: str) -> pa.Array:
        values = pc.if_else(pc.equal(pc.utf8_trim_whitespace(values), ""), None, values)
        good = pc.match_substring_regex(values, _NUMBER)
        self.flag_values(pc.invert(good), values, f"{name} {{}} is not a number: left empty")
        trimmed = pc.utf8_trim_whitespace(pc.if_else(good, values, None))
        return pc.cast(trimmed, pa.float64())

    def whole_numbers(self, values: pa.Array, name: str) -> pa.Array:
        """Whole numbers as int64 (null when absent); fractions and non-numbers flagged."""
        if pa.types.is_integer(values.type):
            return pc.cast(values, pa.int64())
        numbers = self.numbers(values, name)
        fraction = pc.not_equal(pc.floor(numbers), numbers)
        self.flag_values(fraction, numbers, f"{name} {{}} is not a whole number: left empty")
        numbers = pc.if_else(fraction, None, numbers)
        big = pc.greater(pc.abs(numbers), 2.0**53)
        self.flag_values(big, numbers, f"{name} {{}} is too large: left empty")
        return pc.cast(pc.if_else(big, None, numbers), pa.int64())

    def codes(self, values: pa.Array, name: str) -> pa.Array:
        allowed = _CODES[name]
        numbers = self.whole_numbers(values, name)
        bad = pc.invert(pc.is_in(numbers, value_set=pa.array(sorted(allowed), pa.int64())))
        bad = pc.and_(bad, pc.is_valid(numbers))
        codes = ", ".join(str(c) for c in sorted(allowed))
        self.flag_values(bad, numbers, f"{name} {{}} is not one of {codes}: left empty")
        return pc.cast(pc.if_else(bad, None, numbers), pa.int8())

    def counts(self, values: pa.Array, name: str) -> pa.Array:
        numbers = self.whole_numbers(values, name)
        negative = pc.less(numbers, 0)
        self.flag_values(negative, numbers, f"{name} {{}} is not a count: left empty")
        return pc.if_else(negative, None, numbers)

    def dates(self, values: pa.Array, name: str) -> pa.Array:
        kind = values.type
        if pa.types.is_date32(kind):
            return values
        if pa.types.is_date64(kind):
            return pc.cast(values, pa.date32())
        if pa.types.is_timestamp(kind):
            if kind.tz is not None:
                values = pc.local_timestamp(values)  # the date where the event happened
            return pc.cast(pc.floor_temporal(values, unit="day"), pa.date32())
        if not pa.types.is_string(kind):
            self.flag_values(pc.is_valid(values), values, f"{name} {{}} is not a date: left empty")
            return pa.nulls(self.rows, pa.date32())
        values = pc.if_else(pc.equal(pc.utf8_trim_whitespace(values), ""), None, values)
        dates = _iso_dates(values)
        other = pc.and_(pc.is_valid(values), pc.is_null(dates))
        if pc.any(other).as_py():
            dates = pc.coalesce(dates, _text_dates(pc.if_else(other, values, None)))
        bad = pc.and_(pc.is_valid(values), pc.is_null(dates))
        self.flag_values(bad, values, f"{name} {{}} is not a real date (YYYY-MM-DD): left empty")
        return dates

    def sources(self, values: pa.Array) -> pa.Array:
        """Sources as eventmap's JSON text of a list: text already in that form (what eventmap
        writes) is kept; other JSON is re-written; text that is not a JSON list is kept as
        one source's text, flagged."""
        if pa.types.is_list(values.type) or pa.types.is_large_list(values.type):
            pairs = [_sources_json(v) for v in values.to_pylist()]
            self.flag(pa.array([bad for _, bad in pairs]), _UNREAD_SOURCES)
            return pa.array([text for text, _ in pairs], pa.string())
        text = self.text(values, "sources")
        canonical = pc.or_(
            pc.equal(text, "[]"),
            pc.and_(pc.starts_with(text, '[{"'), pc.ends_with(text, "}]")),
        )
        other = pc.fill_null(pc.and_(pc.is_valid(text), pc.invert(canonical)), False)
        if pc.any(other).as_py():
            rewritten, unread = [], []
            for value, redo in zip(text.to_pylist(), other.to_pylist(), strict=True):
                fixed, bad = _sources_json(value) if redo else (value, False)
                rewritten.append(fixed)
                unread.append(bad)
            self.flag(pa.array(unread), _UNREAD_SOURCES)
            text = pa.array(rewritten, pa.string())
        return pc.fill_null(text, "[]")

    def points(self) -> tuple[pa.Array, pa.Array]:
        """(latitude, longitude) of a WKB `geometry` column; other shapes flagged, not drawn."""
        wkb = self.table.column("geometry").combine_chunks()
        if not (pa.types.is_binary(wkb.type) or pa.types.is_large_binary(wkb.type)):
            self.flag(pc.is_valid(wkb), "geometry not WKB: kept without a point")
            return pa.nulls(self.rows, pa.float64()), pa.nulls(self.rows, pa.float64())
        raw = np.asarray(wkb.to_numpy(zero_copy_only=False), dtype=object)
        geoms = shapely.from_wkb(raw, on_invalid="ignore")
        given = np.asarray(wkb.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        missing = shapely.is_missing(geoms)
        self.flag(pa.array(given & missing), "geometry unreadable: kept without a point")
        kind = shapely.get_type_id(geoms)
        other = ~missing & (kind != 0) & ~shapely.is_empty(geoms)
        names = np.array(_GEOMETRY_NAMES, dtype=object)[np.clip(kind, 0, 7)]
        self.flag_values(
            pa.array(other),
            pa.array(names, pa.string()),
            "geometry {} is not a point: kept without a point",
        )
        point = (kind == 0) & ~shapely.is_empty(geoms)
        lon, lat = np.full(self.rows, np.nan), np.full(self.rows, np.nan)
        lon[point], lat[point] = shapely.get_x(geoms[point]), shapely.get_y(geoms[point])
        return pa.array(lat, mask=~point), pa.array(lon, mask=~point)

    # -- checks across columns ---------------------------------------------------------

    def check_dates(self, columns: dict[str, Any]) -> None:
        for name in ("event_date", "date_end"):
            days = pc.cast(columns[name], pa.int32())
            out = pc.or_(pc.less(days, _FIRST_DAY), pc.greater(days, _LAST_DAY))
            self.flag_values(
                out,
                days,
                f"{name} {{}} days from 1970-01-01 is out of range (years 1-9999): left empty",
            )
            columns[name] = pc.if_else(out, None, columns[name])
        start, end = columns["event_date"], columns["date_end"]
        before = pc.less(end, start)
        if pc.any(pc.fill_null(before, False)).as_py():
            shown = pc.cast(end, pa.string())
            self.flag_values(before, shown, "date_end {} is before event_date: set to event_date")
            end = pc.if_else(before, start, end)
        orphan = pc.and_(pc.is_null(start), pc.is_valid(end))
        self.flag(orphan, "date_end without event_date: left undated")
        columns["date_end"] = pc.if_else(pc.is_null(start), None, pc.coalesce(end, start))
        self.flag(pc.is_null(start), "no event_date: kept undated")

    def check_coordinates(self, columns: dict[str, Any]) -> None:
        lat, lon = columns["latitude"], columns["longitude"]
        one = pc.xor(pc.is_null(lat), pc.is_null(lon))
        self.flag(one, "only one of latitude and longitude: kept without a point")
        out = pc.or_(pc.greater(pc.abs(lat), 90.0), pc.greater(pc.abs(lon), 180.0))
        if pc.any(pc.fill_null(out, False)).as_py():
            pair = pc.binary_join_element_wise(
                pc.cast(lat, pa.string()), pc.cast(lon, pa.string()), ", "
            )
            self.flag_values(out, pair, "coordinates {} out of range: kept without a point")
        zero = pc.and_(pc.equal(lat, 0.0), pc.equal(lon, 0.0))
        self.flag(zero, "point at (0, 0), the usual stand-in for unknown: kept without a point")
        drop = pc.fill_null(pc.or_kleene(pc.or_kleene(one, out), zero), False)  # null: absent
        columns["latitude"] = pc.if_else(drop, None, lat)
        columns["longitude"] = pc.if_else(drop, None, lon)

    def check_ids(self, ids: pa.Array, repeated: Iterable[str] | None) -> pa.Array:
        ids = pc.utf8_trim_whitespace(ids)
        missing = pc.or_(pc.is_null(ids), pc.equal(ids, ""))
        missing = pc.fill_null(missing, True)
        if pc.any(missing).as_py():
            stem = Path(str(self.source)).stem or "event"
            rows = pa.array(np.arange(self.first_row, self.first_row + self.rows).astype(str))
            named = pc.binary_join_element_wise(f"{stem}-row", rows, "")
            self.flag(missing, "no event_id: named after its row")
            ids = pc.if_else(missing, named, ids)
        repeated = duplicate_ids(ids) if repeated is None else set(repeated)
        if repeated:
            self.flag(
                pc.is_in(ids, value_set=pa.array(sorted(repeated), pa.string())),
                "event_id shared with another row",
            )
        return ids

    def check_types(self, types: pa.Array) -> None:
        known = pc.is_in(types, value_set=pa.array(list(EVENT_TYPES), pa.string()))
        unknown = pc.and_(pc.is_valid(types), pc.invert(known))
        self.flag_values(unknown, types, "event_type {} is not an ACLED event type: shown as Other")


def merged_flags(before: pa.Array, found: pa.Array) -> pa.Array:
    """The flags a file carried (from an earlier check or an import) and those found now,
    each once, in that order."""
    both = pc.and_(pc.is_valid(before), pc.is_valid(found))
    merged = pc.coalesce(before, found)
    if not pc.any(both).as_py():
        return merged
    texts = merged.to_pylist()
    for i in np.flatnonzero(both.to_numpy(zero_copy_only=False)):
        parts = [*before[i].as_py().split(FLAG_SEPARATOR), *found[i].as_py().split(FLAG_SEPARATOR)]
        texts[i] = FLAG_SEPARATOR.join(dict.fromkeys(p for p in parts if p))
    return pa.array(texts, pa.string())


def _joined(flags: list[pa.Array]) -> pa.Array:
    joined = flags[0]
    for more in flags[1:]:
        both = pc.binary_join_element_wise(joined, more, FLAG_SEPARATOR)
        joined = pc.coalesce(both, joined, more)
    return joined


def _iso_dates(values: pa.Array) -> pa.Array:
    """Dates written YYYY-MM-DD (a time after it allowed); null where not, or not real."""
    parts = pc.extract_regex(values, _ISO_DATE)
    matched = pc.is_valid(parts)
    year, month, day = (
        pc.cast(pc.if_else(matched, pc.struct_field(parts, k), None), pa.int32())
        for k in ("y", "m", "d")
    )
    text = pc.binary_join_element_wise(
        pc.cast(year, pa.string()), pc.cast(month, pa.string()), pc.cast(day, pa.string()), "-"
    )
    stamps = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    real = pc.and_(pc.equal(pc.month(stamps), month), pc.equal(pc.day(stamps), day))
    return pc.cast(pc.if_else(real, stamps, None), pa.date32())


def _text_dates(values: pa.Array) -> pa.Array:
    """Dates spelt with a month name ("31 December 2019"), parsed strictly per distinct value."""
    distinct = pc.unique(pc.drop_null(values)).to_pylist()
    parsed = pa.array([_text_date(v) for v in distinct], pa.date32())
    return pc.take(parsed, pc.index_in(values, value_set=pa.array(distinct, pa.string())))


def _text_date(value: str) -> dt.date | None:
    text = " ".join(value.replace(".", " ").split())
    for fmt in TEXT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _sources_json(value: Any) -> tuple[str, bool]:
    """(eventmap's JSON text of these sources, whether they had to be kept as plain text)."""
    try:
        return sources_text(value), False
    except (ValueError, TypeError, AttributeError, RecursionError):
        text = value if isinstance(value, str) else _json(value)
        return json.dumps([{"text": text}], ensure_ascii=False), True


def _plain(values: pa.Array) -> list[Any]:
    """Values as Python objects to quote; as Arrow's text where Python cannot hold them."""
    if not _is_nested(values.type) and not pa.types.is_binary(values.type):
        try:
            return pc.cast(values, pa.string()).to_pylist()
        except pa.ArrowException:
            pass
    return values.to_pylist()


def _is_nested(kind: pa.DataType) -> bool:
    return pa.types.is_nested(kind) or pa.types.is_map(kind)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
