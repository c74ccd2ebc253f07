"""Read news articles and propose the events they report, each traceable to its sentence.

`extract_events(text)` works on text, `extract_file(path)` / `extract_files(paths)` on files
(decoding legacy encodings, merging the same event across articles). Output records carry the
catalog's columns plus `confidence`; `sources` hold {document, quote, start, end} with
quote == document[start:end]. `evaluate` scores extraction against hand-coded events.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import yaml

from .. import validate
from ..errors import DocumentError, EventmapError
from ..export import feature_collection
from ..frame import to_frame
from ..store import atomic_path
from ..table import sort_events
from ..table import to_frame as table_to_frame
from .core import _finder, default_finder, extract_events, extract_file, extract_files, read_text
from .evaluate import (
    Score,
    as_dates,
    gold_from_catalog,
    gold_from_expected,
    merged,
    score,
)

__all__ = [
    "extract_events",
    "extract_file",
    "extract_files",
    "read_text",
    "read_candidates",
    "read_candidates_table",
    "read_candidate_records",
    "feed_dates",
    "evaluate",
    "to_jsonl",
    "write_output",
    "Score",
]

FORMATS = ("jsonl", "geojson", "yaml")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_jsonl(records: list[dict[str, Any]]) -> str:
    """One JSON object per line, ISO dates."""
    return "".join(json.dumps(r, ensure_ascii=False, default=_json_default) + "\n" for r in records)


def _frame(records: list[dict[str, Any]]):
    frame = to_frame(records)
    by_id = {r["event_id"]: r.get("confidence") for r in records}
    frame["confidence"] = frame["event_id"].map(by_id).astype("float64")
    return frame


def render(records: list[dict[str, Any]], fmt: str) -> str:
    """The records as jsonl, an RFC 7946 GeoJSON FeatureCollection (with confidence), or YAML."""
    if fmt == "jsonl":
        return to_jsonl(records)
    if fmt == "yaml":
        plain = json.loads(json.dumps(records, default=_json_default))
        return yaml.safe_dump({"events": plain}, sort_keys=False, allow_unicode=True, width=100)
    if fmt == "geojson":
        collection = feature_collection(_frame(records))
        by_id = {r["event_id"]: r for r in records}
        for feature in collection["features"]:
            record = by_id[feature["id"]]
            feature["properties"]["confidence"] = record.get("confidence")
            feature["properties"]["sources"] = record["sources"]
        return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_output(records: list[dict[str, Any]], path: str | Path, fmt: str) -> Path:
    """Write atomically; the folder is created."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(render(records, fmt), encoding="utf-8")
    return path


def feed_dates(paths) -> dict[str, str]:
    """Publication dates from NAME.meta.yaml sidecars, as a news feed supplies them with an
    article: {file name: YYYY-MM-DD, or YYYY-MM when the sidecar knows only the month}."""
    found = {}
    for path in map(Path, paths):
        meta = path.with_name(path.name.removesuffix(path.suffix) + ".meta.yaml")
        if not meta.is_file():
            continue
        try:
            data = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise DocumentError(f"{meta}: cannot read the sidecar ({exc})") from None
        day = data.get("published")
        if isinstance(day, dt.date):
            found[path.name] = day.strftime(
                "%Y-%m" if data.get("date_precision") == 3 else "%Y-%m-%d"
            )
    return found


def read_candidates(path: str | Path):
    """Extractor output (.jsonl) as a typed GeoDataFrame with a float `confidence` column.

    Why: the app shows candidates as an "unreviewed" layer beside the curated catalog.
    Records without a date or place are kept (no geometry / no date), never dropped.
    """
    table = read_candidates_table(path)
    frame = table_to_frame(table)
    frame["confidence"] = table.column("confidence").to_numpy()
    return frame


def read_candidate_records(path: str | Path) -> list[dict[str, Any]]:
    """Extractor output (.jsonl) as its records; DocumentError naming the line that is not a
    JSON object."""
    path = Path(path)
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{path}: cannot read candidates ({exc})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = getattr(exc, "msg", "nested too deeply")
            raise DocumentError(f"{path}:{number}: not a JSON object ({reason})") from None
        if not isinstance(record, dict):
            raise DocumentError(f"{path}:{number}: not a JSON object ({type(record).__name__})")
        records.append(record)
    return records


def read_candidates_table(
    path: str | Path, records: list[dict[str, Any]] | None = None
) -> pa.Table:
    """Extractor output (.jsonl, or its `records` as read) through the validation layer, as
    EVENT_SCHEMA plus a float `confidence` (a number in [0, 1], else empty), sorted like every
    events table."""
    records = read_candidate_records(path) if records is None else records
    table = validate.events(validate.records_table(records), source=path)
    confidence = pd.to_numeric(
        pd.Series([r.get("confidence") for r in records], dtype="object"), errors="coerce"
    )
    confidence = confidence.where(confidence.between(0, 1))
    table = table.append_column("confidence", pa.array(confidence, pa.float64()))
    return sort_events(table)


def evaluate(
    paths: list[str | Path],
    gold: str | Path | list[dict[str, Any]],
    *,
    published: dict[str, Any] | None = None,
    min_confidence: float = 0.5,
    gazetteer: Any = None,
) -> tuple[Score, list[dict[str, Any]]]:
    """Extract from `paths` (merged across them) and score against the gold events.

    `gold` is a catalog path, an expected-events .yaml path (tests/articles style), or a list of
    events. `published` optionally maps a file name to the publication date a feed would give.
    """
    finder = gazetteer if gazetteer is not None else default_finder()
    finder = _finder(finder)

    def locate(name):
        if not name:
            return None
        place = finder.by_name(name)
        return (place.latitude, place.longitude) if place else None

    if isinstance(gold, (str, Path)):
        gold_path = Path(gold)
        try:
            text = gold_path.read_text(encoding="utf-8") if gold_path.is_file() else ""
        except (OSError, UnicodeDecodeError) as exc:
            raise EventmapError(f"{gold_path}: not a readable gold file ({exc})") from None
        events = (
            gold_from_catalog(gold_path, locate)
            if "event_id:" in text or not gold_path.is_file()
            else gold_from_expected(gold_path, locate)
        )
        if not events:  # a score against nothing would read as a result
            raise EventmapError(f"{gold_path}: holds no gold events to score against")
    else:
        events = [as_dates(g) for g in gold]
    records = extract_files(list(paths), gazetteer=finder, published_by_file=published)
    return score(events, records, min_confidence=min_confidence), records


SET_PARTS = ("dev", "test")


def evaluate_set(
    folder: str | Path, *, min_confidence: float = 0.5
) -> dict[str, tuple[Score, list[Score]]]:
    """Score extraction on a held-out set (tests/extraction_set: dev/ and test/, each text with
    NAME.meta.yaml and NAME.gold.yaml), a document at a time with its feed date: per part, the
    added-up Score at `min_confidence` and the per-document Scores at 0 (for calibration)."""
    folder = Path(folder)
    finder = _finder(default_finder())
    out = {}
    for part in SET_PARTS:
        texts = sorted((folder / part).glob("*.txt"))
        if not texts:
            raise EventmapError(f"{folder / part}: no texts (NAME.txt with NAME.gold.yaml)")
        kept, every = [], []
        for path in texts:
            gold = gold_from_expected(path.with_name(f"{path.stem}.gold.yaml"))
            records = extract_files([path], gazetteer=finder, published_by_file=feed_dates([path]))
            kept.append(score(gold, records, min_confidence=min_confidence))
            every.append(score(gold, records, min_confidence=0.0))
        out[part] = (merged(kept), every)
    return out
