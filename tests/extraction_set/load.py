"""Load the extraction evaluation set: its texts, their metadata and their gold events.

The set lives beside this file, in two parts: `dev/` (texts one may read while developing) and
`test/` (texts that are only ever scored). Each document NAME has NAME.txt, NAME.meta.yaml and
NAME.gold.yaml; README.md says where the texts come from and how the gold events are coded.

    from extraction_set.load import documents, gold_events
    for doc in documents("dev"):
        ...  # doc.text, doc.published, doc.events
    gold = gold_events("dev")  # in the shape eventmap.extract.evaluate.score() compares
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PARTS = ("dev", "test")


@dataclass(frozen=True)
class Document:
    """One text of the set with its metadata and its gold file, as loaded."""

    name: str
    part: str
    path: Path
    text: str
    meta: dict[str, Any]
    gold: dict[str, Any]

    @property
    def published(self) -> dt.date:
        return self.meta["published"]

    @property
    def events(self) -> list[dict[str, Any]]:
        return list(self.gold.get("events") or [])


def _read_yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@cache
def _load(part: str) -> tuple[Document, ...]:
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}: expected one of {PARTS}")
    docs = []
    for path in sorted((HERE / part).glob("*.txt")):
        name = path.stem
        docs.append(
            Document(
                name=name,
                part=part,
                path=path,
                text=path.read_text(encoding="utf-8"),
                meta=_read_yaml(path.with_name(f"{name}.meta.yaml")),
                gold=_read_yaml(path.with_name(f"{name}.gold.yaml")),
            )
        )
    return tuple(docs)


def documents(part: str | None = None) -> list[Document]:
    """The documents of one part, or of both parts (dev first) when `part` is None."""
    parts = PARTS if part is None else (part,)
    return [doc for p in parts for doc in _load(p)]


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def gold_events(part: str | None = None) -> list[dict[str, Any]]:
    """Gold events in the catalog's column names, as `evaluate.score()` compares them.

    `location` is the place as the text gives it; `latitude`/`longitude` are the annotator's own
    coordinates (see `coord_source` in the gold files), so no gazetteer is needed to score.
    """
    out = []
    for doc in documents(part):
        for event in doc.events:
            start = _as_date(event["date"])
            out.append(
                {
                    "event_id": event["id"],
                    "document": doc.path.name,
                    "part": doc.part,
                    "event_date": start,
                    "date_end": _as_date(event.get("date_end") or start),
                    "time_precision": event["time_precision"],
                    "event_type": event["type"],
                    "sub_event_type": event["sub_type"],
                    "actor1": event.get("actor1"),
                    "actor2": event.get("actor2"),
                    "location": event["place"],
                    "latitude": event["latitude"],
                    "longitude": event["longitude"],
                    "geo_precision": event["geo_precision"],
                    "region": event["region"],
                    "fatalities": event.get("fatalities"),
                    "injured": event.get("injured"),
                    "quote": event["quote"],
                }
            )
    return out
