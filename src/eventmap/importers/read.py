"""A file's records as a raw Arrow table, whatever its shape, with the line each record starts
on: CSV and TSV (encoding detected, quoted line breaks, rows of the wrong width skipped and
counted), GDELT's headerless tab-separated rows (57, 58 and 61 fields, mixed), Excel .xlsx,
JSON arrays of records, GeoJSON, GeoPackage and (Geo)Parquet.

Cells stay as the file has them (text for text files); the format modules map them.
A file that is not a table at all raises ImportFileError naming it.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pyarrow import csv as pacsv

from ..errors import EventmapError
from ..table import _first_line, _inspect_text, _read_ogr
from ..validate import records_table
from .detect import Detected, detect, detect_columns
from .rows import release_memory

PEEK_BYTES = 256 * 1024
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
OGR_SUFFIXES = (".geojson", ".gpkg")
CUT_OFF = "the file ends inside a quoted field: this record may be cut off"
CUT_SHORT = "the file ends inside a quoted field: this record is cut off ({})"


class ImportFileError(EventmapError, ValueError):
    """The file cannot be imported at all (missing, empty, binary, not a table)."""


@dataclass
class Raw:
    """The records of one file: `table` (columns as found), `lines` (the line each record
    starts on; None where lines mean nothing, as in Parquet), what `detected` says of the
    format, records skipped already (wrong width: (record, line, reason)) and flags the
    reading itself puts on records (record index -> flag)."""

    table: pa.Table
    lines: np.ndarray | None
    detected: Detected
    skipped: list[tuple[int, int | None, str]] = field(default_factory=list)
    flags: dict[int, str] = field(default_factory=dict)
    records: int = 0  # records in the file, those skipped while reading included
    json_records: bool = False  # a JSON array of records (TimeMap and other web tools)

    def record_numbers(self) -> np.ndarray:
        """The record number (1 = the first after the header) of each row of `table`: the
        records skipped while reading keep their numbers."""
        rows = self.records - len(self.skipped)
        if not self.skipped:
            return np.arange(1, rows + 1)
        gone = {k for k, _, _ in self.skipped}
        return np.asarray([k for k in range(1, self.records + 1) if k not in gone])


def read_raw(path: Path) -> Raw:
    """The file's records (see the module's docstring)."""
    if not path.exists():
        raise ImportFileError(f"{path}: no such file")
    if path.is_dir():
        raise ImportFileError(f"{path}: a folder, not a file")
    if path.stat().st_size == 0:
        raise ImportFileError(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(PEEK_BYTES)
    if suffix in EXCEL_SUFFIXES or head.startswith(b"PK\x03\x04"):
        return _excel(path)
    if head.startswith(b"PAR1") or suffix == ".parquet":
        return _parquet(path)
    if head.startswith(b"SQLite format 3") or suffix in OGR_SUFFIXES:
        return _ogr(path)
    if b"\0" in head:
        raise ImportFileError(f"{path}: a binary file, not a table of events")
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first in (b"[", b"{"):
        return _json(path)
    return _text(path, head)


def _finish(table: pa.Table, lines, detected: Detected, **more) -> Raw:
    raw = Raw(table, lines, detected, **more)
    raw.records = table.num_rows + len(raw.skipped)
    return raw


def _parquet(path: Path) -> Raw:
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise ImportFileError(f"{path}: not a readable Parquet file ({_first_line(exc)})") from None
    return _finish(table, None, detect_columns(table.column_names))


def _ogr(path: Path) -> Raw:
    try:
        table = _read_ogr(path)
    except EventmapError as exc:
        raise ImportFileError(str(exc)) from None
    return _finish(table, None, detect_columns(table.column_names))


def _json(path: Path) -> Raw:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ImportFileError(f"{path}: not readable JSON ({_first_line(exc)})") from None
    if isinstance(data, dict) and data.get("type") in ("FeatureCollection", "Feature"):
        return _ogr(path)
    if isinstance(data, dict):  # {"events": [...]} and the like: the one list of records
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else data
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ImportFileError(
            f"{path}: JSON but not a list of records (objects with an event's fields)"
        )
    table = records_table(data)
    return _finish(table, None, detect_columns(table.column_names), json_records=True)


def _excel(path: Path) -> Raw:
    """The first sheet of a workbook; Excel's dates become ISO text, its serial numbers stay
    numbers (the date reader knows them)."""
    import openpyxl  # only for .xlsx: a slow import

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException...
        reason = _first_line(exc)
        raise ImportFileError(f"{path}: not a readable Excel workbook ({reason})") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header or all(h is None for h in header):
            raise ImportFileError(f"{path}: the first sheet has no header row")
        names = _names([("" if h is None else str(h)) for h in header])
        columns: list[list[str | None]] = [[] for _ in names]
        lines = []
        for number, row in enumerate(rows, 2):
            if all(value is None for value in row):  # an empty row is no record, as in CSV
                continue
            lines.append(number)
            for i in range(len(names)):
                value = row[i] if i < len(row) else None
                columns[i].append(_cell(value))
    finally:
        book.close()
    table = pa.table(
        {name: pa.array(col, pa.string()) for name, col in zip(names, columns, strict=True)}
    )
    return _finish(table, np.asarray(lines, dtype=np.int64), detect_columns(names))


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text(path: Path, head: bytes) -> Raw:
    encoding, cut_off = _inspect_text(path)
    sample = head.decode(encoding, errors="replace").lstrip("\ufeff")
    detected = detect(sample.splitlines()[:5])
    if detected.format in ("gdelt1", "gdelt2"):
        return _gdelt(path, encoding, detected)
    header_line = next((line for line in sample.splitlines() if line.strip()), "")
    delimiter = max(("\t", ",", ";", "|"), key=header_line.count)
    if not header_line.count(delimiter):
        delimiter = ","
    # the header as a CSV record, after any blank lines: a quoted name may hold a line break
    # (pyarrow skips lines, not records)
    with _no_field_limit(len(sample)):
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        header = next((row for row in reader if row), [])
        header_lines = reader.line_num
        alone = len(head) < PEEK_BYTES and not any(reader)
    if not any(name.strip() for name in header):
        raise ImportFileError(f"{path}: no header row naming columns")
    names = _names(header)
    bad: list = []

    def skip_row(row) -> str:
        bad.append(row)
        return "skip"

    if alone:
        # the header alone (pyarrow cannot skip a header that no line break ends)
        table = pa.table({name: pa.array([], pa.string()) for name in names})
        return _finish(table, np.zeros(0, dtype=np.int64), detect_columns(names))
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding=encoding,
                column_names=names,
                skip_rows=header_lines,
                block_size=64 << 20,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=skip_row
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError, OSError) as exc:
        raise ImportFileError(f"{path}: not a readable table ({_first_line(exc)})") from None
    if not table.num_columns or (table.num_columns == 1 and not names[0]):
        raise ImportFileError(f"{path}: no header row naming columns")
    table = _one_chunk(table)
    lines, skipped = None, []
    if not bad:
        lines = _lines(table, first=header_lines + 1)
        if len(lines) and lines[-1] + _breaks(table.slice(len(lines) - 1)) != _last_line(path):
            lines = None  # blank lines between records (pyarrow skips them): count by reading
    if lines is None:
        lines, skipped = _lines_by_reading(path, encoding, delimiter, len(names))
    records = table.num_rows + len(skipped)
    flags = {}
    if cut_off and skipped and skipped[-1][0] == records:
        # the cut-off record lost fields and was skipped: say why, and flag no other record
        record, line, reason = skipped[-1]
        skipped[-1] = (record, line, CUT_SHORT.format(reason))
    elif cut_off and table.num_rows:
        flags[table.num_rows - 1] = CUT_OFF
    return _finish(table, lines, detect_columns(names), skipped=skipped, flags=flags)


def _lines(table: pa.Table, *, first: int = 2) -> np.ndarray:
    """The line each record starts on (the first record on `first`), counting the line
    breaks inside quoted fields of the records before it."""
    breaks = _breaks_per_record(table)
    starts = np.empty(table.num_rows, dtype=np.int64)
    if table.num_rows:
        starts[0] = first
        np.cumsum(breaks[:-1] + 1, out=starts[1:])
        starts[1:] += first
    return starts


def _breaks_per_record(table: pa.Table) -> np.ndarray:
    """The line breaks inside each record's quoted fields."""
    breaks = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        counts = pc.count_substring_regex(column, r"\r\n|\r|\n")
        breaks += np.nan_to_num(counts.to_numpy(zero_copy_only=False).astype("float64")).astype(
            np.int64
        )
    return breaks


def _breaks(table: pa.Table) -> int:
    return int(_breaks_per_record(table).sum())


def _last_line(path: Path) -> int:
    """The number of the file's last line that is not blank (CRLF, LF or CR line ends), read
    in blocks: what the last record ends on when no blank line sits between records."""
    breaks, previous = 0, b""
    with path.open("rb") as fh:
        while block := fh.read(16 << 20):
            breaks += block.count(b"\n")
            if returns := block.count(b"\r"):  # most files have none: one count less
                breaks += returns - block.count(b"\r\n")
            breaks -= previous == b"\r" and block[:1] == b"\n"  # a CRLF across two blocks
            previous = block[-1:]
        fh.seek(max(0, fh.tell() - 4096))
        tail = fh.read()
    trailing = tail[len(tail.rstrip(b"\r\n")) :]
    breaks -= trailing.count(b"\n") + trailing.count(b"\r") - trailing.count(b"\r\n")
    return breaks + 1


def _lines_by_reading(
    path: Path, encoding: str, delimiter: str, width: int
) -> tuple[np.ndarray, list[tuple[int, int | None, str]]]:
    """Lines of the records pyarrow kept, and the records of the wrong width it skipped, by
    reading the file once more with Python's csv module (only when some rows were bad)."""
    lines, skipped = [], []
    with _no_field_limit(path.stat().st_size), path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        next((row for row in reader if row), None)  # the header, after any blank lines
        record = 0
        start = reader.line_num + 1
        for row in reader:
            if not row:  # blank line: pyarrow skips it too
                start = reader.line_num + 1
                continue
            record += 1
            if len(row) != width:
                reason = f"{len(row)} fields where the header has {width}"
                skipped.append((record, start, reason))
            else:
                lines.append(start)
            start = reader.line_num + 1
    return np.asarray(lines, dtype=np.int64), skipped


@contextlib.contextmanager
def _no_field_limit(size: int):
    """Python's csv refuses a field over 128 KiB, and a stray quote makes the rest of a file
    one field: allow one as large as the text read, for the time of the reading."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _gdelt(path: Path, encoding: str, detected: Detected) -> Raw:
    """GDELT rows as one list of fields each (no quoting in GDELT; rows of 57, 58 and 61
    fields may mix); the format module picks fields by position."""
    try:
        lines = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding=encoding, column_names=["line"], block_size=64 << 20
            ),
            parse_options=pacsv.ParseOptions(delimiter="\x01", quote_char=False),
            convert_options=pacsv.ConvertOptions(column_types={"line": pa.string()}),
        ).column("line")
    except (pa.ArrowException, ValueError, OSError) as exc:
        raise ImportFileError(f"{path}: not readable GDELT rows ({_first_line(exc)})") from None
    fields = pc.split_pattern(pc.utf8_rtrim(lines.combine_chunks(), characters="\r"), "\t")
    table = pa.table({"fields": fields})
    return _finish(table, np.arange(1, table.num_rows + 1), detected)


def _one_chunk(table: pa.Table) -> pa.Table:
    """The table with each column in one piece, combined a column at a time (each original
    let go as its copy is made), so that mapping never copies a chunked column again and the
    file is never held twice."""
    if all(column.num_chunks <= 1 for column in table.columns):
        return table
    names, columns = table.column_names, []
    while table.num_columns:
        columns.append(table.column(0).combine_chunks())
        table = table.remove_column(0)
    release_memory()
    return pa.Table.from_arrays(columns, names=names)


def _names(header: list[str]) -> list[str]:
    """Column names, each once: an empty name (Excel's trailing columns) becomes "column N",
    a repeated one gets " (2)"."""
    names, seen = [], set()
    for i, name in enumerate(header, 1):
        name = name.strip() or f"column {i}"
        unique, k = name, 2
        while unique in seen:
            unique, k = f"{name} ({k})", k + 1
        seen.add(unique)
        names.append(unique)
    return names


__all__ = ["CUT_OFF", "ImportFileError", "Raw", "read_raw"]
