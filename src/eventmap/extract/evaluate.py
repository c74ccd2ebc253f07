"""Measure extraction against hand-coded events: precision, recall, F1, date and place accuracy.

An extracted event matches a gold one when the event types are equal, the places lie within
25 km, and the date ranges [event_date, date_end] overlap or come within one day of each other.
Each gold event matches at most one extracted event and vice versa (greedy, closest first).
Only candidates with confidence >= `min_confidence` count: the rest are flagged as unsure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import EventmapError
from ..gazetteer import normalise, skeleton
from ..model import parse_date
from .merge import distance_km
from .places import DEMONYMS

MATCH_KM = 25.0
MATCH_REGION_KM = 150.0
MATCH_DAYS = 1
MATCH_RULE = (
    "match = same event_type, places within 25 km (regions: 150 km and the same name, in any "
    "spelling), "
    "date ranges overlapping or within 1 day; candidates with confidence >= {min_confidence} only"
)
CALIBRATION_BINS = (0.0, 0.3, 0.5, 0.7, 0.9, 1.0001)


@dataclass
class Score:
    """The figures and the lists behind them, so a reader can check every miss."""

    gold: int
    extracted: int
    matched: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    misses: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    min_confidence: float = 0.5

    @property
    def precision(self) -> float:
        return len(self.matched) / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return len(self.matched) / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def date_accuracy(self) -> float:
        """Matched events whose first day equals the gold first day."""
        ok = sum(1 for g, e in self.matched if e["event_date"] == g["event_date"])
        return ok / len(self.matched) if self.matched else 0.0

    @property
    def place_accuracy(self) -> float:
        """Matched events placed at the gold location (same name, or within 1 km)."""
        ok = sum(
            1
            for g, e in self.matched
            if (e.get("location") or "").casefold() == (g.get("location") or "").casefold()
            or _km(g, e) <= 1.0
        )
        return ok / len(self.matched) if self.matched else 0.0

    def report(self) -> str:
        lines = [
            MATCH_RULE.format(min_confidence=self.min_confidence),
            f"gold {self.gold}  extracted {self.extracted}  matched {len(self.matched)}",
            f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}",
            f"date accuracy {self.date_accuracy:.3f}  place accuracy {self.place_accuracy:.3f}",
        ]
        if self.misses:
            lines.append("misses (gold events not found):")
            for gold, why in self.misses:
                lines.append(
                    f"  - {gold.get('event_id', '?')}: {gold['event_type']} at "
                    f"{gold.get('location')} {_range(gold)} ({why})"
                )
        if self.false_positives:
            lines.append("extracted events matching no gold event:")
            for e in self.false_positives:
                lines.append(
                    f"  - {e['event_type']} / {e['sub_event_type']} at {e.get('location')} "
                    f"{_range(e)} conf {e['confidence']}: {e['sources'][0]['quote'][:90]!r}"
                )
        return "\n".join(lines)


def _range(event: dict[str, Any]) -> str:
    start, end = event.get("event_date"), event.get("date_end") or event.get("event_date")
    if start is None:
        return "(no date)"
    return f"{start}" if start == end else f"{start}..{end}"


def _km(a: dict[str, Any], b: dict[str, Any]) -> float:
    if None in (a.get("latitude"), b.get("latitude")):
        return float("inf")
    return distance_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])


def _day_gap(a: dict[str, Any], b: dict[str, Any]) -> int | None:
    if a.get("event_date") is None or b.get("event_date") is None:
        return None
    a0, a1 = a["event_date"], a.get("date_end") or a["event_date"]
    b0, b1 = b["event_date"], b.get("date_end") or b["event_date"]
    if a0 <= b1 and b0 <= a1:
        return 0
    return min(abs((a0 - b1).days), abs((b0 - a1).days))


def score(
    gold: list[dict[str, Any]], extracted: list[dict[str, Any]], *, min_confidence: float = 0.5
) -> Score:
    """Match one-to-one, best pairs first (fewest days apart, then nearest)."""
    kept = [e for e in extracted if e.get("confidence", 1.0) >= min_confidence]
    result = Score(gold=len(gold), extracted=len(kept), min_confidence=min_confidence)
    pairs = []
    for gi, g in enumerate(gold):
        for ei, e in enumerate(kept):
            if g["event_type"] != e["event_type"]:
                continue
            gap, km = _day_gap(g, e), _km(g, e)
            if gap is not None and gap <= MATCH_DAYS and _near(g, e, km):
                pairs.append((gap, km, gi, ei))
    used_g, used_e = set(), set()
    for _, _, gi, ei in sorted(pairs):
        if gi in used_g or ei in used_e:
            continue
        used_g.add(gi)
        used_e.add(ei)
        result.matched.append((gold[gi], kept[ei]))
    for gi, g in enumerate(gold):
        if gi not in used_g:
            result.misses.append((g, _why(g, kept, extracted)))
    result.false_positives = [e for ei, e in enumerate(kept) if ei not in used_e]
    return result


# Words around a toponym that are not part of it: "the Yemeni governorate of Abyan" is Abyan,
# "Yemen's Marib governorate" is Marib.
_ADMIN_WORDS = re.compile(
    r"\b(?:governorates?|provinces?|region|state|county|district|prefecture|the|of|[\w-]+['’]s|"
    + "|".join(DEMONYMS)
    + r")\b",
    re.I,
)


_COMPASS_WORD = re.compile(r"\b(?:(?:north|south)?(?:east|west)|north|south|central)\b")
_COMPASS_FORM = re.compile(r"\b((?:north|south)?(?:east|west)|north|south)ern\b", re.I)


def same_toponym(a: str | None, b: str | None) -> bool:
    """One name in two spellings: 'al-Baydah Governorate' and "Al Bayda'", 'Nangarhar
    province' and 'Nangarhar', 'northwest Syria' and 'northwestern Syria' (the words for the
    kind of region, the form of a compass word and the romanisation aside)."""
    if not a or not b:
        return False
    a, b = _ADMIN_WORDS.sub(" ", a), _ADMIN_WORDS.sub(" ", b)
    a, b = _COMPASS_FORM.sub(r"\1", a), _COMPASS_FORM.sub(r"\1", b)  # "northwestern": northwest
    if _COMPASS_WORD.findall(a.lower()) != _COMPASS_WORD.findall(b.lower()):
        return False  # "eastern Syria" is not "western Syria", however alike their skeletons
    if normalise(a) == normalise(b):
        return True
    sa, sb = skeleton(a), skeleton(b)
    return len(sa) >= 2 and sa == sb


def _near(g: dict[str, Any], e: dict[str, Any], km: float) -> bool:
    """Within 25 km; or, for a gold region (a province, "eastern Syria"), within 150 km and
    under the same name (a region's point is its centroid, wherever the event was in it)."""
    if km <= MATCH_KM:
        return True
    same = same_toponym(g.get("location"), e.get("location"))
    return bool(g.get("region")) and same and km <= MATCH_REGION_KM


def _why(g: dict[str, Any], kept: list[dict[str, Any]], everything=()) -> str:
    undated = [
        e
        for e in everything
        if e["event_type"] == g["event_type"]
        and e.get("event_date") is None
        and _km(g, e) <= MATCH_KM
    ]
    if undated:
        return (
            f"extracted only without a date ({len(undated)} candidate(s), confidence <= 0.3): "
            "the article states no publication date to resolve its relative dates"
        )
    same_type = [e for e in kept if e["event_type"] == g["event_type"]]
    if not same_type:
        return "no extracted event of this type"
    dated = [e for e in same_type if e.get("event_date") is not None]
    if not dated:
        return "extracted events of this type have no date"
    near_day = [e for e in dated if (_day_gap(g, e) or 0) <= MATCH_DAYS]
    if not near_day:
        best = min(dated, key=lambda e: _day_gap(g, e))
        return f"closest date of this type is {_range(best)}"
    best = min(near_day, key=lambda e: _km(g, e))
    return (
        f"right type and date, but nearest place is {best.get('location')} ({_km(g, best):.0f} km)"
    )


def gold_from_catalog(path: str | Path, locate) -> list[dict[str, Any]]:
    """The curated catalog's events with coordinates from `locate(name)` -> (lat, lon) | None."""
    from ..catalog import load_catalog

    events = []
    for event in load_catalog(path).events:
        event = dict(event)
        where = locate(event.get("location"))
        event["latitude"], event["longitude"] = where if where else (None, None)
        events.append(event)
    return events


def gold_from_expected(path: str | Path, locate=None) -> list[dict[str, Any]]:
    """Gold events of one text: a test article's NAME.expected.yaml (date or date..date_end,
    place, type; placed by `locate(name) -> (lat, lon) | None`) or a held-out set's
    NAME.gold.yaml (tests/extraction_set), whose events carry the annotator's own latitude
    and longitude, so scoring needs no gazetteer and cannot inherit its mistakes."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise EventmapError(f"{path}: cannot read the gold events ({exc})") from None
    events = []
    for i, item in enumerate(data.get("events") or []):
        try:
            start = parse_date(item["date"])
            end = parse_date(item.get("date_end") or item["date"])
            if "latitude" in item:
                where = (float(item["latitude"]), float(item["longitude"]))
            else:
                where = locate(item.get("place")) if locate else None
        except (KeyError, TypeError, ValueError) as exc:
            raise EventmapError(f"{path}: event {i}: {exc}") from None
        if where is None:
            raise EventmapError(f"{path}: event {i}: place {item.get('place')!r} not in gazetteer")
        events.append(
            {
                "event_id": item.get("id", f"{path.stem}-{i}"),
                "event_date": start,
                "date_end": end,
                "event_type": item["type"],
                "sub_event_type": item.get("sub_type"),
                "location": item.get("place"),
                "latitude": where[0],
                "longitude": where[1],
                "region": bool(item.get("region")),
            }
        )
    return events


def as_dates(event: dict[str, Any]) -> dict[str, Any]:
    """Accept ISO strings for dates (events read back from JSON lines)."""
    event = dict(event)
    for key in ("event_date", "date_end"):
        if isinstance(event.get(key), str):
            event[key] = dt.date.fromisoformat(event[key])
    return event


def merged(scores: list[Score]) -> Score:
    """Documents scored one by one (no event matched across documents), added up."""
    total = Score(gold=0, extracted=0, min_confidence=scores[0].min_confidence if scores else 0.5)
    for one in scores:
        total.gold += one.gold
        total.extracted += one.extracted
        total.matched += one.matched
        total.misses += one.misses
        total.false_positives += one.false_positives
    return total


def calibration(scores: list[Score]) -> list[tuple[float, float, int, int]]:
    """(low, high, candidates, of which right) per confidence bin, from scores made with
    min_confidence 0: how often a candidate of that confidence matches a gold event."""
    right = [e.get("confidence", 1.0) for one in scores for _, e in one.matched]
    wrong = [e.get("confidence", 1.0) for one in scores for e in one.false_positives]
    rows = []
    for low, high in zip(CALIBRATION_BINS, CALIBRATION_BINS[1:], strict=False):
        ok = sum(low <= c < high for c in right)
        rows.append((low, min(high, 1.0), ok + sum(low <= c < high for c in wrong), ok))
    return rows


def calibration_table(rows: list[tuple[float, float, int, int]]) -> str:
    lines = ["confidence   candidates  right  share right"]
    for low, high, n, ok in rows:
        share = f"{ok / n:.2f}" if n else "-"
        lines.append(f"{low:.1f}–{high:.1f}   {n:10d}  {ok:5d}  {share:>11}")
    return "\n".join(lines)
