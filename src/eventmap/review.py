"""Candidates become curated events: a reviewer accepts (maybe after editing), or rejects.

- Accepted events go into `reviewed.yaml` beside the catalog (seeds/events.yaml), in the
  catalog's terms and checked as the catalog is (every field; the quote verbatim in its
  document, at its offsets), with who accepted it and when under `review`. The article is
  copied, verbatim, beside the catalog when it is not there, so the quote stays checkable.
- Rejected candidates go into `rejected.yaml`, so that extracting the same article again does
  not propose them again (a candidate is known by its document, quote and event type).
- Both files are changed under an exclusive lock, read afresh inside it and replaced
  atomically: two reviewers at once lose nothing, and one candidate cannot be taken twice.

`eventmap review` and the app's Unreviewed table both call `accept` and `reject`; after an
accept the store is rebuilt (pipeline.build_events + importers.run.rebuild_store), so a map
of the store shows the curated event without a restart.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from . import settings
from .catalog import load_catalog
from .documents import read_document
from .errors import CatalogError, DocumentError, EventmapError
from .extract import read_candidate_records
from .model import COLUMNS, parse_date
from .pipeline import REVIEWED_NAME
from .store import atomic_path

REJECTED_NAME = "rejected.yaml"
LOCK_NAME = ".review.lock"
# What a reviewer may change, and how a value given as text (--set field=value) is read.
EDITABLE: dict[str, str] = {
    "event_date": "date",
    "date_end": "date",
    "time_precision": "int",
    "event_type": "text",
    "sub_event_type": "text",
    "actor1": "text",
    "actor2": "text",
    "location": "text",
    "latitude": "float",
    "longitude": "float",
    "geo_precision": "int",
    "fatalities": "int",
    "injured": "int",
    "notes": "text",
}
# A candidate's fields that a catalog entry carries (eventmap's own, not an import's).
CATALOG_KEYS = COLUMNS[: COLUMNS.index("injured") + 1]


class ReviewError(EventmapError, ValueError):
    """A review that cannot be done: unknown candidate, a bad edit, one already reviewed."""


def seeds_dir() -> Path:
    return settings.path("EVENTMAP_SEEDS")


def fingerprint(candidate: Mapping[str, Any]) -> str:
    """What identifies a candidate across extractions: its first source's document and quote,
    and its event type (the place and date may be improved by a better extractor)."""
    sources = candidate.get("sources") or [{}]
    first = sources[0] if isinstance(sources, list) and sources else {}
    key = f"{first.get('document')}|{first.get('quote')}|{candidate.get('event_type')}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def read_candidates(path: str | Path) -> list[dict[str, Any]]:
    """The extractor's candidates (.jsonl) as records; each needs an id to be reviewed."""
    records = read_candidate_records(path)
    for number, record in enumerate(records, 1):
        if not isinstance(record.get("event_id"), str):
            raise DocumentError(f"{path}: candidate {number} has no event_id")
    return records


def reviewed_fingerprints(folder: Path | None = None) -> set[str]:
    """Candidates already accepted or rejected (hidden from the Unreviewed layer and from
    what `eventmap extract` proposes)."""
    folder = folder or seeds_dir()
    done = {
        str(e.get("review", {}).get("candidate"))
        for e in _entries(folder / REVIEWED_NAME)
        if isinstance(e, dict) and isinstance(e.get("review"), dict)
    }
    done |= {
        str(e.get("candidate")) for e in _entries(folder / REJECTED_NAME) if isinstance(e, dict)
    }
    return done


def pending(candidates: list[dict[str, Any]], folder: Path | None = None) -> list[dict[str, Any]]:
    """The candidates no reviewer has accepted or rejected yet."""
    done = reviewed_fingerprints(folder)
    return [c for c in candidates if fingerprint(c) not in done]


def find(candidates: list[dict[str, Any]], candidate_id: str) -> dict[str, Any]:
    for candidate in candidates:
        if candidate["event_id"] == candidate_id:
            return candidate
    raise ReviewError(f"no candidate {candidate_id!r} (see `eventmap review --list`)")


def edited(candidate: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The candidate as a catalog entry with the reviewer's changes (text read by field type);
    ReviewError naming a field that cannot be edited or a value that is not of its kind."""
    entry = {key: candidate.get(key) for key in CATALOG_KEYS if candidate.get(key) is not None}
    if "location" in changes and not {"latitude", "longitude"} & set(changes):
        entry.pop("latitude", None)  # a new place: geocoded anew, not left at the old point
        entry.pop("longitude", None)
    for field, value in changes.items():
        if field not in EDITABLE:
            raise ReviewError(f"{field!r} cannot be edited (one of {', '.join(EDITABLE)})")
        entry[field] = _read(field, value)
    for key in ("event_date", "date_end"):
        if isinstance(entry.get(key), str):
            entry[key] = _read(key, entry[key])
    entry["event_id"] = "rev-" + str(candidate["event_id"]).removeprefix("cand-")
    return entry


def accept(
    candidate: Mapping[str, Any],
    *,
    reviewer: str,
    changes: Mapping[str, Any] | None = None,
    documents: list[Path] | None = None,
    folder: Path | None = None,
) -> dict[str, Any]:
    """Add the candidate (with `changes`) to reviewed.yaml, checked as the catalog is; returns
    the entry written. ReviewError when it was reviewed already or does not validate."""
    folder = folder or seeds_dir()
    reviewer = _reviewer(reviewer)
    changes = dict(changes or {})
    entry = edited(candidate, changes)
    entry["review"] = {
        "by": reviewer,
        "at": _now(),
        "candidate": fingerprint(candidate),
        "confidence": candidate.get("confidence"),
        "edited": sorted(changes),
    }
    with _locked(folder):
        if fingerprint(candidate) in reviewed_fingerprints(folder):
            raise ReviewError(f"candidate {candidate['event_id']} was reviewed already")
        for source in entry.get("sources") or []:
            _bring_document(source.get("document"), documents or [], folder)
        path = folder / REVIEWED_NAME
        entries = _entries(path) + [_plain(entry)]
        _check(entries, path, folder, entry["event_id"])
        _write(path, entries, "Events reviewers accepted from the extractor's candidates")
    return entry


def reject(
    candidate: Mapping[str, Any],
    *,
    reviewer: str,
    reason: str | None = None,
    folder: Path | None = None,
) -> dict[str, Any]:
    """Remember the candidate as rejected (rejected.yaml); returns the entry written."""
    folder = folder or seeds_dir()
    sources = candidate.get("sources") or [{}]
    first = sources[0] if sources else {}
    entry = {
        "candidate": fingerprint(candidate),
        "event_id": candidate.get("event_id"),
        "event_type": candidate.get("event_type"),
        "document": first.get("document"),
        "quote": first.get("quote"),
        "by": _reviewer(reviewer),
        "at": _now(),
    }
    if reason:
        entry["reason"] = str(reason)
    with _locked(folder):
        if entry["candidate"] in reviewed_fingerprints(folder):
            raise ReviewError(f"candidate {candidate.get('event_id')} was reviewed already")
        path = folder / REJECTED_NAME
        _write(path, _entries(path) + [entry], "Candidates reviewers rejected")
    return entry


def rebuild_store(store: Path | None = None) -> Path:
    """The store rebuilt from the catalog and the reviewed events (imported events kept)."""
    from .importers.run import rebuild_store as write
    from .pipeline import build_events

    store = Path(store or settings.path("EVENTMAP_STORE"))
    report = build_events(seeds_dir() / "events.yaml")
    write(report.frame, store)
    return store


def place_matches(query: str, *, limit: int = 8) -> list[tuple[str, str, float, float, int]]:
    """Places the offline gazetteer knows by that name, best first, for a reviewer to pick:
    (name, country code, latitude, longitude, geo_precision)."""
    from .geocode import default_resolver

    found = default_resolver().offline.geocode(query, exactly_one=False, fuzzy=True) or []
    return [
        (
            loc.address,
            str(loc.raw.get("country_code") or ""),
            float(loc.latitude),
            float(loc.longitude),
            int(loc.raw.get("geo_precision") or 2),
        )
        for loc in found[:limit]
    ]


# --- helpers ---------------------------------------------------------------------------------


def _read(field: str, value: Any) -> Any:
    kind = EDITABLE.get(field, "text")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        if kind == "date":
            return parse_date(value)
        if kind == "int":
            number = float(value) if isinstance(value, str) else value
            if isinstance(number, bool) or int(number) != number:
                raise ValueError
            return int(number)
        if kind == "float":
            return float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        what = {"date": "a date (YYYY-MM-DD)", "int": "a whole number", "float": "a number"}
        detail = f" ({exc})" if kind == "date" and str(exc) else ""
        raise ReviewError(f"{field}: {value!r} is not {what[kind]}{detail}") from None
    return str(value).strip()


def _reviewer(name: str | None) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise ReviewError(
            "no reviewer name: give --reviewer NAME, set EVENTMAP_REVIEWER, or fill in "
            "Reviewer in the app"
        )
    return name[:80]


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _plain(entry: Mapping[str, Any]) -> dict[str, Any]:
    """YAML-ready: dates as ISO text (the catalog reads them back as text)."""
    return json.loads(json.dumps(entry, default=lambda v: v.isoformat()))


def _entries(path: Path) -> list[Any]:
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(read_document(path)) or {}
    except (DocumentError, yaml.YAMLError) as exc:
        raise ReviewError(f"{path}: cannot read ({exc})") from None
    items = data.get("events") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ReviewError(f"{path}: expected a mapping with a list 'events'")
    return items


def _check(entries: list[Any], path: Path, folder: Path, event_id: str) -> None:
    """The file as it would be written, read back as the catalog is: nothing unchecked lands."""
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / path.name
        probe.write_text(yaml.safe_dump({"events": entries}, sort_keys=False, allow_unicode=True))
        try:
            load_catalog(probe, documents_dir=folder)
        except CatalogError as exc:
            raise ReviewError(f"{event_id}: not accepted: {exc}") from None


def _write(path: Path, entries: list[Any], title: str) -> None:
    header = f"# {title} (eventmap review): edited by the app and `eventmap review`.\n"
    body = yaml.safe_dump({"events": entries}, sort_keys=False, allow_unicode=True, width=100)
    with atomic_path(path) as tmp:
        tmp.write_text(header + body, encoding="utf-8")


def _bring_document(name: str | None, documents: list[Path], folder: Path) -> None:
    """The article beside the catalog, verbatim, so its quotes stay checkable there."""
    if not name or (folder / name).is_file():
        return
    if Path(name).name != name:
        raise ReviewError(f"document {name!r} is not a plain file name")
    for where in documents:
        found = Path(where) / name
        if found.is_file():
            with atomic_path(folder / name) as tmp:
                shutil.copyfile(found, tmp)
            return
    looked = ", ".join(str(d) for d in documents) or "no folder given"
    raise ReviewError(f"the article {name!r} is not in {folder} nor in {looked} (--documents)")


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One reviewer at a time changes the review files (other processes wait)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
