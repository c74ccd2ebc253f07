"""One file in, events out, every record accounted for: read, recognise the format, map its
columns, give ids, keep the source's other columns, validate, and report.

Every record of the file ends as exactly one of: imported, imported with flags, or skipped
with a reason (and its record number and line). `FileReport.imported + len(skipped) == rows`.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import validate
from ..errors import EventmapError
from ..model import EVENT_SCHEMA
from ..table import SORT_KEYS, sort_events
from . import acled, gdelt, plain, ucdp
from .read import ImportFileError, Raw, read_raw
from .rows import Rows, json_column, release_memory, text

FORMATS = ("auto", "acled", "ucdp", "gdelt", "table")
DUPLICATE = "{} shared with another record of the file: kept apart under a suffixed event_id"


@dataclass
class FileReport:
    """What became of each record of one file (the `--report` JSON's entry for it)."""

    file: str
    format: str
    evidence: str
    rows: int = 0
    imported: int = 0
    flagged: Counter[str] = field(default_factory=Counter)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "evidence": self.evidence,
            "rows": self.rows,
            "imported": self.imported,
            "flagged": dict(self.flagged.most_common()),
            "skipped": self.skipped,
        }

    def lines(self) -> list[str]:
        """The summary for people (see `summary_lines`), under the file's name."""
        return [f"{self.file}:", *("  " + line for line in summary_lines(self.as_json()))]


def summary_lines(report: dict[str, Any]) -> list[str]:
    """One file's import report (`FileReport.as_json`, as saved) for people: records,
    imported and skipped; the format and why; each flag and each reason for skipping with
    how many records it concerns (quoted values left out), and the first skipped record."""
    rows, skipped = report["rows"], report["skipped"]
    lines = [
        f"{rows:,} record{'' if rows == 1 else 's'}: {report['imported']:,} imported, "
        f"{len(skipped):,} skipped",
        f"format: {report['format']} ({report['evidence']})",
    ]
    if report["flagged"]:
        lines.append("flagged:")
        lines += [f"  {n:,} × {flag}" for flag, n in report["flagged"].items()]
    if skipped:
        lines.append("skipped:")
        reasons = Counter(validate.flag_kind(s["reason"]) for s in skipped)
        lines += [f"  {n:,} × {reason}" for reason, n in reasons.most_common()]
        first = skipped[0]
        where = f"line {first['line']}" if first.get("line") else f"record {first['record']}"
        lines.append(f"  (first: {where}: {first['reason']})")
    return lines


def import_file(
    path: str | Path,
    *,
    fmt: str = "auto",
    mapping: Mapping[str, str] | None = None,
    resolver=None,
    keep_unmapped: bool = False,
) -> tuple[pa.Table, FileReport]:
    """The file's events as an EVENT_SCHEMA table (sorted), and the report of every record.

    `fmt` forces a format (acled, ucdp, gdelt, table) instead of recognising it; `mapping`
    names the columns of a plain table (field -> column); `resolver` places plain-table rows
    that have a place name and no coordinates (None: the default offline gazetteer);
    `keep_unmapped` keeps GDELT rows whose CAMEO code has no ACLED type (flagged, untyped).
    Raises an EventmapError naming the file when it is not a table of events at all."""
    path = Path(path)
    if fmt not in FORMATS:
        raise EventmapError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    try:
        return _import(path, fmt, mapping, resolver, keep_unmapped)
    except EventmapError:
        raise
    except (
        pa.ArrowException,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        OverflowError,
        csv.Error,
    ) as exc:
        # a file shaped in a way no reader foresaw: one clear line naming it, not a traceback
        raise ImportFileError(
            f"{path}: cannot be imported ({type(exc).__name__}: {str(exc)[:200]})"
        ) from exc


def _import(
    path: Path, fmt: str, mapping, resolver, keep_unmapped: bool = False
) -> tuple[pa.Table, FileReport]:
    raw = read_raw(path)
    kind = _kind(raw, fmt, path)
    evidence = raw.detected.evidence if fmt == "auto" else f"--format {fmt}"
    report = FileReport(str(path), kind, evidence, rows=raw.records)
    if kind == "acled":
        r = acled.rows(raw)
    elif kind == "ucdp":
        r = ucdp.rows(raw)
    elif kind in ("gdelt1", "gdelt2"):
        r = gdelt.rows(raw, keep_unmapped=keep_unmapped)
    else:
        try:
            r = plain.rows(raw, dataset=path.name, mapping=mapping)
        except EventmapError as exc:  # a --map naming what is not there: say which file
            raise ImportFileError(f"{path}: {exc}") from None
        if not r.used:
            raise ImportFileError(
                f"{path}: not a table of events: no column is an event field "
                f"(columns: {', '.join(raw.table.column_names[:12])}); "
                "name them with --map FIELD=COLUMN"
            )
        if resolver is None:
            from ..geocode import default_resolver

            resolver = default_resolver()
        plain.geocode_missing(r, resolver)
    table = _finish(r, raw, path, report)
    return table, report


def _kind(raw: Raw, fmt: str, path: Path) -> str:
    found = raw.detected.format
    if fmt == "auto":
        return found
    if fmt == "gdelt":
        if found not in ("gdelt1", "gdelt2"):
            raise EventmapError(
                f"{path}: --format gdelt, but the file is not GDELT's "
                "headerless tab-separated rows of 57, 58 or 61 fields"
            )
        return found
    if found in ("gdelt1", "gdelt2"):
        raise EventmapError(f"{path}: --format {fmt}, but the file is GDELT rows (no header)")
    return fmt


def _finish(r: Rows, raw: Raw, path: Path, report: FileReport) -> pa.Table:
    n = r.n
    numbers = raw.record_numbers()
    for i, flag in raw.flags.items():
        mask = np.zeros(n, dtype=bool)
        mask[i] = True
        r.flag(mask, flag)
    c = r.columns
    c["event_id"] = _event_ids(r, path, numbers)
    keep = r.reasons == None  # noqa: E711 (numpy elementwise)
    _suffix_duplicates(r, keep)
    skipped = [
        (int(numbers[i]), None if raw.lines is None else int(raw.lines[i]), r.reasons[i])
        for i in np.flatnonzero(~keep)
    ]
    skipped += raw.skipped
    report.skipped = [
        {"record": k, "line": line, "reason": reason} for k, line, reason in sorted(skipped)
    ]
    # One take per column, of the kept rows in the store's order: no filtered copy and no
    # sorted copy of the whole table held beside it (a million rows: a gigabyte each).
    order = _kept_in_order(c, keep)
    columns = {}
    rest = _rest(r, order) if c.get("source_fields") is None else {}
    r.raw = raw.table = None  # what is still needed of it, `rest` and the columns hold
    release_memory()
    if rest:  # made from the kept rows, in order: never taken again
        columns["source_fields"] = json_column(rest)
        del rest
    flags = r.flags()
    if r.own_flags is not None:
        flags = validate.merged_flags(r.own_flags, flags)
    for f in EVENT_SCHEMA:
        values = flags if f.name == "flags" else c.pop(f.name, None)
        if values is not None:
            columns[f.name] = values.take(order)
        del values
        release_memory()  # the column just copied, given back before the next is
    del flags
    table = validate.events(pa.table(columns), source=path)
    del columns
    report.imported = table.num_rows
    report.flagged = Counter(validate.flag_counts(table.column("flags")))
    return sort_events(table)


def _kept_in_order(c: dict[str, pa.Array], keep: np.ndarray) -> pa.Array:
    """The kept rows' indices in the store's order, (event_date, event_id), undated last."""
    kept = pa.array(np.flatnonzero(keep))
    dates = c.get("event_date")
    keys = pa.table(
        {
            "event_date": pa.nulls(len(kept), pa.date32()) if dates is None else dates.take(kept),
            "event_id": c["event_id"].take(kept),
        }
    )
    return pc.take(kept, pc.sort_indices(keys, sort_keys=SORT_KEYS))


def _slug(text_: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", text_).strip("_.-") or "file"
    return slug


def _event_ids(r: Rows, path: Path, numbers: np.ndarray) -> pa.Array:
    """`dataset-sourceid` (unsafe characters as _); eventmap's own exports keep their event
    ids. A record with no id is named by its content (`file-<hash>`): the same on every import
    of it, wherever it moves in the file, and never the id of another file's record."""
    c = r.columns
    own = c.get("event_id")
    source = c.get("source_event_id")
    dataset = c.get("source_dataset")
    given = own if own is not None else source
    missing = np.ones(r.n, dtype=bool) if given is None else _blank(given)
    row_ids = _content_ids(r, _slug(path.stem), missing)
    if own is not None:
        return pc.coalesce(pc.utf8_trim_whitespace(own), row_ids)
    if source is None:
        return row_ids
    safe = pc.replace_substring_regex(pc.utf8_trim_whitespace(source), r"[^A-Za-z0-9_.-]+", "_")
    prefix = pc.replace_substring_regex(text(dataset), r"[^A-Za-z0-9_.-]+", "_")
    joined = pc.binary_join_element_wise(prefix, safe, "-")
    return pc.coalesce(pc.if_else(pc.equal(safe, ""), None, joined), row_ids)


def _blank(values: pa.Array) -> np.ndarray:
    blank = pc.or_kleene(pc.is_null(values), pc.equal(pc.utf8_trim_whitespace(text(values)), ""))
    return pc.fill_null(blank, True).to_numpy(zero_copy_only=False)


def _content_ids(r: Rows, stem: str, rows: np.ndarray) -> pa.Array:
    """`stem-<12 hex>` from the record's cells, for the rows given (null elsewhere)."""
    out = np.full(r.n, None, dtype=object)
    picked = np.flatnonzero(rows)
    if len(picked):
        taken = pa.array(picked)
        cells = [pc.fill_null(text(r.raw.column(n)).take(taken), "") for n in r.raw.column_names]
        keys = pc.binary_join_element_wise(*cells, "\x1f") if len(cells) > 1 else cells[0]
        out[picked] = [
            f"{stem}-{hashlib.sha1(k.encode('utf-8')).hexdigest()[:12]}" for k in keys.to_pylist()
        ]
    return pa.array(out, pa.string())


def _suffix_duplicates(r: Rows, keep: np.ndarray) -> None:
    """Ids that repeat among the kept records: the second becomes `id-2`, the third `id-3`,
    each flagged; the first keeps the id (so a re-import gives the same ids)."""
    ids = r.columns["event_id"]
    kept_ids = ids.filter(pa.array(keep))
    if pc.count_distinct(kept_ids).as_py() == len(kept_ids):
        return
    values = np.asarray(ids.to_numpy(zero_copy_only=False), dtype=object)
    seen: Counter[str] = Counter()
    suffixed = values.copy()
    repeated = validate.duplicate_ids(kept_ids)
    mask = np.zeros(r.n, dtype=bool)
    for i in np.flatnonzero(keep):
        value = values[i]
        if value in repeated:
            seen[value] += 1
            mask[i] = True
            if seen[value] > 1:
                suffixed[i] = f"{value}-{seen[value]}"
    r.flag(mask, DUPLICATE.format("source id"))
    r.columns["event_id"] = pa.array(suffixed, pa.string())


def _rest(r: Rows, order: pa.Array) -> dict[str, pa.Array]:
    """The columns no eventmap field took (for `source_fields`), their rows of `order`."""
    return {
        n: r.raw.column(n).take(order)
        for n in r.raw.column_names
        if n not in r.used and n.lower() != "geometry" and not _row_index(r.raw.column(n), n)
    }


def _row_index(column: pa.Array | pa.ChunkedArray, name: str) -> bool:
    """An unnamed column that only numbers the rows 0, 1, 2... or 1, 2, 3... (the pandas
    index an API dump was saved with): not the source's data, so not kept."""
    if not re.fullmatch(r"column \d+|Unnamed: \d+", name) or not len(column):
        return False
    values = pc.utf8_trim_whitespace(text(column))
    first = values[0].as_py()
    if first not in ("0", "1"):
        return False
    numbers = pa.array(np.arange(int(first), int(first) + len(values)).astype(str))
    return bool(pc.all(pc.fill_null(pc.equal(values, numbers), False)).as_py())


@dataclass
class Outcome:
    """What `import_into_store` did: the reports of each file and the store's new size."""

    reports: list[FileReport]
    store: Path
    before: int  # events in the store before
    after: int  # events in the store after
    replaced: int  # events already there that the import replaced (same event_id)
    unlinked: bool = False  # `eventmap dedupe` links taken out (run it again)

    def as_json(self) -> dict[str, Any]:
        """The `--report` JSON: every file; with one file, its keys at the top level too."""
        files = [r.as_json() for r in self.reports]
        data: dict[str, Any] = {"files": files}
        if len(files) == 1:
            data.update(files[0])
        data["store"] = {"path": str(self.store), "events": self.after, "replaced": self.replaced}
        return data


def import_into_store(
    paths: list[Path],
    store: Path,
    *,
    fmt: str = "auto",
    replace: bool = False,
    mapping: Mapping[str, str] | None = None,
    resolver=None,
    keep_unmapped: bool = False,
) -> Outcome:
    """Import every file, then write the store once, atomically: with `replace`, only the
    imported events; else the store's events plus these, an event with an id already there
    replacing the old one (so importing the same file twice changes nothing). A file that
    cannot be imported stops everything before the store is touched."""
    from ..export import write_batches
    from ..table import read_table

    tables, reports = [], []
    for path in paths:
        table, report = import_file(
            path, fmt=fmt, mapping=mapping, resolver=resolver, keep_unmapped=keep_unmapped
        )
        tables.append(table)
        reports.append(report)
    existing = None
    if not replace and store.exists():
        existing = read_table(store)
    before = 0 if existing is None else existing.num_rows
    merged, replaced = merge(existing, tables)
    unlinked = False
    if replaced and linked(merged):  # a replaced event may be a link's end: links redone
        merged, unlinked = undo_links(merged), True
    write_batches(merged, store)
    return Outcome(reports, store, before, merged.num_rows, replaced, unlinked)


def merge(existing: pa.Table | None, new: list[pa.Table]) -> tuple[pa.Table, int]:
    """`existing` plus the `new` tables, a later event replacing an earlier one of the same
    event_id; sorted. Returns the table and how many events were replaced."""
    tables = ([existing] if existing is not None else []) + list(new)
    if not tables:
        return EVENT_SCHEMA.empty_table(), 0
    combined = pa.concat_tables(tables)
    ids = combined.column("event_id")
    if pc.count_distinct(ids).as_py() == combined.num_rows:
        return sort_events(combined), 0
    # the last row of each id wins: reverse, keep the first occurrence, count the rest
    positions = np.arange(combined.num_rows)
    reversed_ids = pc.take(ids, pa.array(positions[::-1]))
    first = pc.index_in(reversed_ids, value_set=pc.unique(reversed_ids))
    _, keep_rev = np.unique(first.to_numpy(zero_copy_only=False), return_index=True)
    keep = np.sort(positions[::-1][keep_rev])
    result = combined.take(pa.array(keep))
    return sort_events(result), combined.num_rows - len(keep)


def rebuild_store(frame, path: Path) -> int:
    """Write the catalog's events (a GeoDataFrame, as `eventmap build` makes it) as the store
    at `path`, keeping the events `eventmap import` had put there (they have a
    `source_dataset`): rebuilding the catalog never loses a user's data. Returns how many
    imported events were kept. Without any, the store is exactly `store.write_store`'s."""
    from ..export import write_batches
    from ..store import write_store
    from ..table import from_frame, read_table

    imported = None
    if path.is_file():
        try:
            stored = read_table(path)
        except EventmapError as exc:  # it may hold imported events: never overwrite it blind
            raise EventmapError(
                f"{exc} — the store is left as it is; move it aside to rebuild from the catalog"
            ) from None
        if stored is not None:
            imported = stored.filter(pc.is_valid(stored["source_dataset"]))
    if imported is None or not imported.num_rows:
        write_store(frame, path)
        return 0
    catalog = validate.events(from_frame(frame), source=path)
    ids = catalog["event_id"].combine_chunks()
    imported = imported.filter(pc.invert(pc.is_in(imported["event_id"], value_set=ids)))
    # the catalog's rows come back without the sources links had given them: links taken out
    write_batches(sort_events(undo_links(pa.concat_tables([catalog, imported]))), path)
    return imported.num_rows


def linked(table: pa.Table) -> bool:
    """Whether `eventmap dedupe` linked any of the table's events."""
    column = table["duplicate_of"]
    return column.null_count < len(column)


def undo_links(table: pa.Table) -> pa.Table:
    from ..dedupe import undo

    return undo(table) if linked(table) else table
