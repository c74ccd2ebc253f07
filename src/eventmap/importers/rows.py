"""What every format's mapping does to a file's rows, vectorised: find a column whatever its
case, read numbers and counts from text, flag rows, skip rows with a reason, map a code once
per distinct value, and write JSON text (sources, source_fields) for a whole column at once.

A format module (acled, ucdp, gdelt, plain) fills a `Rows` with eventmap's columns, as text or
typed, and `eventmap.importers.run` hands them to `eventmap.validate`, the one boundary.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..validate import FLAG_SEPARATOR
from .dates import Order, settle

# Words that mean "no value" in the number columns of real files (compared lower-case).
MISSING_WORDS = ("", "na", "n/a", "nan", "null", "none", "unknown", "-", "?", "#n/a", "nil")
_RANGE = r"^\s*(?P<low>\d+)\s*(?:-|–|—|to)\s*(?P<high>\d+)\s*$"
_SEP = "\x1f"  # joins the parts of a key for per-distinct mapping
JSON_SLICE = 1 << 17  # rows of a column made into JSON at a time


def text(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Any column as text: strings as they are, numbers without a trailing .0, nested values
    (lists, structs: a JSON record's `sources`, `filters`) as JSON."""
    column = _single(column)  # arrow.json from GDAL, and the like: as stored
    kind = column.type
    if pa.types.is_dictionary(kind):
        column, kind = column.cast(kind.value_type), kind.value_type
    if pa.types.is_string(kind):
        return column
    if pa.types.is_large_string(kind):
        return column.cast(pa.string())
    if pa.types.is_null(kind):
        return pa.nulls(len(column), pa.string())
    if pa.types.is_floating(kind):
        whole = pc.and_(pc.is_finite(column), pc.equal(pc.floor(column), column))
        as_int = pc.cast(pc.if_else(whole, column, None), pa.int64(), safe=False)
        return pc.coalesce(pc.cast(as_int, pa.string()), pc.cast(column, pa.string()))
    if pa.types.is_nested(kind) or pa.types.is_map(kind):
        return json_column({"v": column}, key="v")
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        return pc.cast(
            pc.cast(column, pa.date32()) if pa.types.is_timestamp(kind) else column, pa.string()
        )
    try:
        return pc.cast(column, pa.string())
    except pa.ArrowException:
        return pa.array([None if v is None else str(v) for v in column.to_pylist()], pa.string())


def blank_to_null(values: pa.Array) -> pa.Array:
    """Text with empty and whitespace-only cells as null (the same array when it has none)."""
    blank = pc.match_substring_regex(values, r"^\s*$")  # no trimmed copy of the text
    if not pc.any(blank).as_py():
        return values
    return nulled(values, blank)


def nulled(values: pa.Array, mask: pa.Array) -> pa.Array:
    """`values` with the rows where `mask` holds as null, sharing the text's buffers (a new
    validity bitmap, not a copy of a column that can be the size of every note)."""
    valid = pc.and_(pc.is_valid(values), pc.invert(pc.fill_null(mask, False)))
    if values.offset or valid.offset or not pa.types.is_string(values.type):
        return pc.if_else(valid, values, None)
    buffers = values.buffers()
    return pa.Array.from_buffers(values.type, len(values), [valid.buffers()[1], *buffers[1:]])


def missing_to_null(values: pa.Array) -> pa.Array:
    """Text with the words files use for "no value" (NA, Unknown, -, ...) as null."""
    lowered = pc.utf8_lower(pc.utf8_trim_whitespace(values))
    return pc.if_else(pc.is_in(lowered, value_set=pa.array(MISSING_WORDS)), None, values)


def json_column(
    columns: dict[str, pa.Array], *, key: str | None = None
) -> pa.Array | pa.ChunkedArray:
    """One JSON text per row: an object of `columns` (null members left out; null when all
    are), or, with `key`, that column's value alone. Built with Arrow's string kernels, each
    distinct text escaped once: no Python object per row on the common path."""
    if not columns:
        raise ValueError("no columns")
    if key is not None:
        return _json_values(columns[key])
    n = len(next(iter(columns.values())))
    if n > JSON_SLICE:  # a slice at a time: the transient copies stay a slice's size
        columns = {name: _single(column) for name, column in columns.items()}
        parts = [
            json_column({name: c.slice(start, JSON_SLICE) for name, c in columns.items()})
            for start in range(0, n, JSON_SLICE)
        ]
        release_memory()
        return pa.chunked_array(parts, pa.string())  # not concatenated: that would copy it
    joined = None  # members joined as they are made: never all of them held at once
    for name, column in columns.items():
        prefix = json.dumps(str(name), ensure_ascii=False) + ":"
        values = _single(column)
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            encoded = pc.dictionary_encode(values.cast(pa.string()))
            member = pc.binary_join_element_wise(prefix, _json_strings(encoded.dictionary), "")
            member = pc.take(member, encoded.indices)
        else:
            member = pc.binary_join_element_wise(prefix, _json_values(values), "")
        # Pairwise, not null_handling="skip": Arrow 26 drops the rows where every value is null.
        joined = (
            member
            if joined is None
            else pc.coalesce(pc.binary_join_element_wise(joined, member, ","), joined, member)
        )
    return pc.binary_join_element_wise("{", joined, "}", "")


def release_memory() -> None:
    """Give the memory Arrow's pool keeps after a big step back to the system: the peak of a
    million-row import is what counts, and freed copies of the notes would stay in it."""
    pa.default_memory_pool().release_unused()


_ESCAPED = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _json_strings(values: pa.Array) -> pa.Array:
    """Text as JSON string literals, quoted and escaped (json.dumps's escapes, non-ASCII kept);
    only the values that need escaping are touched."""
    need = pc.fill_null(pc.match_substring_regex(values, r'[\\"\x00-\x1f]'), False)
    if pc.any(need).as_py():
        rows = pc.indices_nonzero(need)
        some = pc.take(values, rows)
        for raw, escaped in _ESCAPED.items():
            some = pc.replace_substring(some, raw, escaped)
        odd = pc.fill_null(pc.match_substring_regex(some, r"[\x00-\x1f]"), False)
        if pc.any(odd).as_py():  # other control characters: rare, json.dumps spells them
            spelt = [
                json.dumps(v, ensure_ascii=False)[1:-1] if bad else None
                for v, bad in zip(pc.take(values, rows).to_pylist(), odd.to_pylist(), strict=True)
            ]
            some = pc.if_else(odd, pa.array(spelt, pa.string()), some)
        values = pc.replace_with_mask(values, need, some)
    return pc.binary_join_element_wise('"', values, '"', "")


def _json_values(values: pa.Array) -> pa.Array:
    """Any column's values as JSON text (null stays null): numbers and booleans as Arrow
    writes them, text escaped, anything else (lists, structs, dates) through json.dumps."""
    values = _single(values)
    kind = values.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _json_strings(values.cast(pa.string()))
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind):
        return pc.cast(values, pa.string())
    if pa.types.is_floating(kind):
        return pc.if_else(pc.is_finite(values), pc.cast(values, pa.string()), None)
    return pa.array(
        [
            None
            if v is None
            else json.dumps(v, ensure_ascii=False, default=str, separators=(",", ":"))
            for v in values.to_pylist()
        ],
        pa.string(),
    )


def _single(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One array (a chunked column of one chunk is not copied; extension types as stored)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    if isinstance(column.type, pa.ExtensionType):
        column = column.storage
    return column


def coalesce(*arrays: pa.Array | None) -> pa.Array | None:
    """The first non-null value per row of the arrays given (None: an absent column)."""
    present = [a for a in arrays if a is not None]
    if len({a.type for a in present}) > 1:  # text and numbers: as text, for validate to type
        present = [text(a) for a in present]
    return pc.coalesce(*present) if present else None


def sources_column(document: pa.Array | None, quote: pa.Array | None, n: int) -> pa.Array:
    """eventmap's `sources` JSON (a list of one {document, quote}) from a citation column and
    a quote column (either may be None or have nulls); "[]" where both are empty. Written in
    one join: a quote column is as big as the notes, and copies of it add up."""
    doc = None if document is None else _json_strings(blank_to_null(text(document)))
    said = None if quote is None else _json_strings(blank_to_null(text(quote)))
    forms = []
    if doc is not None and said is not None:
        forms.append(pc.binary_join_element_wise('[{"document":', doc, ',"quote":', said, "}]", ""))
        said = pc.if_else(pc.is_null(doc), said, None)  # the few rows with a quote alone
    if doc is not None:
        forms.append(pc.binary_join_element_wise('[{"document":', doc, "}]", ""))
    if said is not None:
        forms.append(pc.binary_join_element_wise('[{"quote":', said, "}]", ""))
    if not forms:
        return pa.array(["[]"] * n, pa.string())
    sources = pc.fill_null(pc.coalesce(*forms), "[]")
    del forms, doc, said
    release_memory()
    return sources


class Rows:
    """One file's rows on their way to eventmap's columns: the raw table, the columns made so
    far, the flags per row and, for rows that cannot be events, the reason each is skipped."""

    def __init__(self, raw: pa.Table) -> None:
        self.raw = raw
        self.n = raw.num_rows
        self.columns: dict[str, pa.Array] = {}
        self.used: set[str] = set()  # raw columns taken into eventmap's columns
        self._flags: list[pa.Array] = []
        self.reasons = np.full(self.n, None, dtype=object)
        self.own_flags: pa.Array | None = None  # flags a re-imported eventmap export carries
        self.geocode = True  # place rows with a name and no coordinates (plain tables)
        self._by_name = {}
        for name in raw.column_names:
            self._by_name.setdefault(_key(name), name)

    # -- reading the raw table -----------------------------------------------------------

    def name(self, *candidates: str) -> str | None:
        """The raw column first matching one of `candidates` (any case, spaces or _)."""
        for candidate in candidates:
            found = self._by_name.get(_key(candidate))
            if found is not None:
                return found
        return None

    def get(self, *candidates: str, use: bool = True) -> pa.Array | None:
        """The first matching raw column as text (blank cells null), or None when absent."""
        found = self.name(*candidates)
        if found is None:
            return None
        if use:
            self.used.add(found)
        return blank_to_null(text(self.raw.column(found)))

    def numbers(self, values: pa.Array | None) -> pa.Array | None:
        """Text that should be numbers with the "no value" words as null (the rest is left to
        the validation layer, which flags what is not a number)."""
        if values is None:
            return None
        values = missing_to_null(values)
        return pc.utf8_trim_whitespace(values)

    def counts(
        self, values: pa.Array | None, *, name: str = "fatalities"
    ) -> tuple[pa.Array | None, pa.Array | None, pa.Array | None]:
        """(best, low, high) of a count column; "3 – 7" is best 3, low 3, high 7, flagged."""
        if values is None:
            return None, None, None
        values = self.numbers(values)
        parts = pc.extract_regex(values, _RANGE)
        ranged = pc.is_valid(parts)
        if not pc.any(ranged).as_py():
            return values, None, None
        low = pc.if_else(ranged, pc.struct_field(parts, "low"), None)
        high = pc.if_else(ranged, pc.struct_field(parts, "high"), None)
        self.flag_values(
            ranged,
            pc.binary_join_element_wise(low, high, "–"),
            f"{name} given as a range {{}}: best is the low figure, high kept",
        )
        return pc.if_else(ranged, low, values), low, high

    # -- flags and skips -----------------------------------------------------------------

    def flag(self, mask: pa.Array | np.ndarray, texts: pa.Array | str) -> None:
        """Flag the rows where `mask` holds with `texts` (one for all, or one per row)."""
        mask = _mask(mask)
        if not pc.any(mask).as_py():
            return
        if isinstance(texts, str):
            texts = pa.scalar(texts, pa.string())
        self._flags.append(pc.if_else(mask, texts, pa.scalar(None, pa.string())))

    def flag_values(self, mask, values: pa.Array, template: str) -> None:
        """Flag rows where `mask` holds, quoting each row's value at {} in `template`."""
        head, _, tail = template.partition("{}")
        shown = pc.utf8_slice_codeunits(pc.replace_substring(text(values), "'", "’"), 0, 40)
        self.flag(mask, pc.binary_join_element_wise(head + "'", shown, "'" + tail, ""))

    def skip(self, mask: pa.Array | np.ndarray, reason: str | Sequence[str | None]) -> None:
        """Skip the rows where `mask` holds, with `reason` (one, or one per row); a row keeps
        the first reason it was given."""
        mask = np.asarray(_mask(mask).to_numpy(zero_copy_only=False), dtype=bool)
        mask &= self.reasons == None  # noqa: E711 (numpy elementwise)
        if not mask.any():
            return
        if isinstance(reason, str):
            self.reasons[mask] = reason
        else:
            reasons = np.asarray(reason, dtype=object)
            self.reasons[mask] = reasons[mask]

    def flags(self) -> pa.Array:
        """The flags of each row, "; " between them (null: none)."""
        if not self._flags:
            return pa.nulls(self.n, pa.string())
        joined = self._flags[0]
        for more in self._flags[1:]:
            both = pc.binary_join_element_wise(joined, more, FLAG_SEPARATOR)
            joined = pc.coalesce(both, joined, more)
        return joined

    # -- dates ---------------------------------------------------------------------------

    def dates(
        self,
        values: pa.Array | None,
        *,
        ends: pa.Array | None = None,
        years: pa.Array | None = None,
        usual: Order = "day-first",
        name: str = "event_date",
    ) -> pa.Array | None:
        """Set event_date, date_end and time_precision from date texts, settled for the whole
        file (importers.dates). A record with no date, or one that is not a real date, is
        skipped with the value named. Returns the precision the dates themselves give."""
        if values is None:
            self.skip(np.ones(self.n, dtype=bool), "no date column")
            return None
        year_numbers = None
        if years is not None:
            year_numbers = pc.cast(
                pc.if_else(pc.match_substring_regex(years, r"^\s*\d{4}\s*$"), years, None),
                pa.int64(),
            ).to_pylist()
        settled = settle(values, years=year_numbers, usual=usual)
        self.skip(pc.is_null(values), "no date at all")
        self.skip(
            np.asarray([r is not None for r in settled.reasons]),
            [None if r is None else f"{name} {r}" for r in settled.reasons],
        )
        self.flag(pc.is_valid(settled.flags), settled.flags)
        start, end = settled.start, settled.end
        precision = settled.precision
        if ends is not None:
            last = settle(ends, years=year_numbers, usual=settled.order)
            given = pc.is_valid(last.end)
            bad = pc.and_(pc.is_valid(ends), pc.is_null(last.end))
            self.flag_values(bad, ends, "date_end {} is not a date: the start's range kept")
            end = pc.if_else(given, last.end, end)
        self.columns["event_date"] = start
        self.columns["date_end"] = end
        self.columns["time_precision"] = precision
        return precision

    # -- codes ---------------------------------------------------------------------------

    def per_distinct(self, fn: Callable[..., tuple], *columns: pa.Array | None) -> list[pa.Array]:
        """fn(*values) once per distinct combination of `columns` (None: an absent column),
        spread back to every row: one array per item of fn's result (text or int)."""
        present = [c if c is not None else pa.nulls(self.n, pa.string()) for c in columns]
        parts = [pc.fill_null(text(c), "\x00") for c in present]
        key = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, _SEP)
        distinct = pc.unique(key)
        index = pc.index_in(key, value_set=distinct).to_numpy(zero_copy_only=False)
        results = []
        for combo in distinct.to_pylist():
            values = [None if v == "\x00" else v for v in combo.split(_SEP)]
            results.append(fn(*values) if len(present) > 1 else fn(values[0]))
        # no rows: fn of nothing says how many arrays (callers unpack them), each empty
        width = len(results[0]) if results else len(fn(*[None] * len(present)))
        out = []
        for i in range(width):
            items = [r[i] for r in results]
            kind = pa.int64() if any(isinstance(v, int) for v in items) else pa.string()
            out.append(pc.take(pa.array(items, kind), pa.array(index)))
        return out


def _mask(mask: pa.Array | np.ndarray) -> pa.Array:
    if isinstance(mask, np.ndarray):
        mask = pa.array(mask, pa.bool_())
    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    return pc.fill_null(mask, False)


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "_", str(name).strip().strip('"').lower()).strip("_")
