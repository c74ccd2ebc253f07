"""Read and validate the curated catalog (seeds/events.yaml).

The catalog is the truth for the seeds, so every entry is checked field by field and every
quote must be an exact substring of its document. Errors name the file, the event and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .documents import read_document
from .errors import CatalogError, DocumentError
from .model import FieldError, normalise_event

# YAML aliases in one catalog: enough to share a source; too few for a "billion laughs"
# (with k levels of m aliases, k * m <= 20, the expansion stays under about 2,000).
MAX_ALIASES = 20


class _CatalogLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so an impossible date is reported per event, and
    that stops at MAX_ALIASES aliases, so nested aliases cannot blow up time and memory."""

    aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(
                    f"more than {MAX_ALIASES} aliases (line {mark.line + 1}): "
                    "a catalog repeats no structure that many times"
                )
        return super().compose_node(parent, index)


_CatalogLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Catalog:
    """Validated events, the entries skipped in lenient mode, and the documents' texts."""

    path: Path
    events: list[dict[str, Any]]
    skipped: list[CatalogError] = field(default_factory=list)
    documents: dict[str, str] = field(default_factory=dict)


def load_catalog(
    path: str | Path, *, documents_dir: str | Path | None = None, lenient: bool = False
) -> Catalog:
    """Load `path`; documents are looked up in `documents_dir` (default: the catalog's folder).

    Strict mode raises the first CatalogError; lenient mode skips only the bad entries and
    returns them in `Catalog.skipped`. A file that cannot be parsed at all always raises.
    """
    path = Path(path)
    documents_dir = Path(documents_dir) if documents_dir is not None else path.parent
    entries = _read_entries(path)
    catalog = Catalog(path=path, events=[])
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        try:
            event = _check_entry(entry, index, path, documents_dir, catalog.documents)
            if event["event_id"] in seen:
                raise CatalogError(
                    "duplicate event_id", path=path, event_id=event["event_id"], field="event_id"
                )
            seen.add(event["event_id"])
            catalog.events.append(event)
        except CatalogError as exc:
            if not lenient:
                raise
            catalog.skipped.append(exc)
    return catalog


def _read_entries(path: Path) -> list[Any]:
    try:
        text = read_document(path)
    except DocumentError as exc:
        raise CatalogError(str(exc)) from None
    try:
        data = yaml.load(text, Loader=_CatalogLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", exc)
        raise CatalogError(f"not valid YAML{where}: {problem}", path=path) from None
    if isinstance(data, dict) and set(data) == {"events"}:
        data = data["events"]
    if not isinstance(data, list):
        raise CatalogError(
            "expected a list of events, or a mapping with one key 'events'", path=path
        )
    return data


def _check_entry(
    entry: Any, index: int, path: Path, documents_dir: Path, texts: dict[str, str]
) -> dict[str, Any]:
    label = f"#{index + 1}"
    if not isinstance(entry, dict):
        raise CatalogError(f"entry {label} is not a mapping", path=path)
    event_id = entry.get("event_id") if isinstance(entry.get("event_id"), str) else label
    entry = dict(entry)
    review = entry.pop("review", None)
    if review is not None and not (
        isinstance(review, dict) and all(isinstance(k, str) for k in review)
    ):
        raise CatalogError(
            "review must be a mapping (by, at, candidate...)",
            path=path,
            event_id=event_id,
            field="review",
        )
    try:
        event = normalise_event(entry)
    except FieldError as exc:
        raise CatalogError(str(exc), path=path, event_id=event_id, field=exc.field) from None
    if review is not None:
        event["review"] = review  # who accepted it, when, from which candidate (eventmap review)
    for number, source in enumerate(event["sources"], start=1):
        name = source["document"]
        if name not in texts:
            doc_path = documents_dir / name
            if Path(name).name != name or not doc_path.is_file():
                raise CatalogError(
                    f"source {number}: unknown document {name!r} (not a file in {documents_dir})",
                    path=path,
                    event_id=event_id,
                    field="sources",
                )
            try:
                texts[name] = read_document(doc_path)
            except DocumentError as exc:
                raise CatalogError(
                    f"source {number}: {exc}", path=path, event_id=event_id, field="sources"
                ) from None
        if "start" in source and texts[name][source["start"] : source["end"]] != source["quote"]:
            raise CatalogError(
                f"source {number}: the quote is not at {source['start']}-{source['end']} in {name}",
                path=path,
                event_id=event_id,
                field="sources",
            )
        if source["quote"] not in texts[name]:
            raise CatalogError(
                f"source {number}: quote not found verbatim in {name}: {source['quote'][:80]!r}",
                path=path,
                event_id=event_id,
                field="sources",
            )
    return event
