"""De-duplication, as ACLED does it: one record per event however many times it is reported.

Two candidates are the same event when type and sub-type agree, their dates overlap (within a
day), their places lie within 25 km (or one is only the country the other lies in), and their
actors do not contradict each other.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .events import FAMILY

MERGE_KM = 25.0
# "central Yemen", "eastern Syria": a part of a country, as coarse as the country for merging.
COMPASS_PART = re.compile(r"(?:north|south|east|west|central)\w* \w", re.I)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _places_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["latitude"] is None or b["latitude"] is None:
        return a["latitude"] is None and b["latitude"] is None
    if (
        a["_place_kind"] == b["_place_kind"] == "city"
        and not a["_place_weak"]
        and not b["_place_weak"]
        and a["location"] != b["location"]
    ):
        return False  # strikes "near Qaim" and "near Abu Kamal", towns 9 km apart: two events
    if distance_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"]) <= MERGE_KM:
        return True
    for coarse, fine in ((a, b), (b, a)):
        if (
            (coarse["_place_kind"] == "country" or _same_day_part(coarse, fine))
            and coarse["_country"] is not None
            and coarse["_country"] == fine["_country"]
            and (coarse["_place_weak"] or coarse["_doc"] == fine["_doc"])
            and _compatible(a["actor2"], b["actor2"])
        ):
            return True
    return False


def _same_day_part(coarse: dict[str, Any], fine: dict[str, Any]) -> bool:
    """ "strikes in central Yemen on Dec. 29" and "On Dec. 29, one strike ... in al-Baydah":
    a part of the country, on the very same day, or a place in it given no day of its own."""
    if not COMPASS_PART.match(coarse["location"] or ""):
        return False
    if None in (coarse["_span"], fine["_span"]):
        return False
    # "The strikes targeted ... near Abu Kamal", undated, after "strikes in eastern Syria today"
    undated = not fine["_span"].explicit and fine["_span"].overlaps(coarse["_span"], slack=0)
    # "26 people have died in an airstrike in northwestern Yemen", no day, then "The airstrike
    # Wednesday hit a hotel ... in Saada province": the part told first, its day told after
    vague = not coarse["_span"].explicit and coarse["_span"].overlaps(fine["_span"], slack=0)
    return coarse["_span"].start == fine["_span"].start or undated or vague


def _compatible(x: str | None, y: str | None) -> bool:
    return not x or not y or x == y or FAMILY.get(x) == y or FAMILY.get(y) == x


def _dates_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Overlapping within a day (reports differ by a time zone); but one text that states two
    different days ("Dec. 15 ... Dec. 16") reports two events."""
    sa, sb = a["_span"], b["_span"]
    if sa is None or sb is None:
        return sa is None and sb is None and a["_doc"] == b["_doc"]
    if a["_doc"] == b["_doc"] and sa.precision == sb.precision == 1 and sa.start != sb.start:
        return False  # a day is always the text's, stated or passed on: "On March 10 ... -- Near"
    return sa.overlaps(sb, slack=1)


def _actors_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if not a["actor1"] or not b["actor1"]:
        return True
    if a["actor1"] == b["actor1"]:
        return True
    pair_a = {a["actor1"], a["actor2"]} - {None}
    pair_b = {b["actor1"], b["actor2"]} - {None}
    return bool(pair_a & pair_b)


def same_event(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """`_answers`: "responded and fired six rounds of artillery towards the point of origin
    of the attack" is never the attack it answers, however near."""
    return (
        a.get("_answers") is not b
        and b.get("_answers") is not a
        and a["event_type"] == b["event_type"]
        and a["sub_event_type"] == b["sub_event_type"]
        and _dates_agree(a, b)
        and _places_agree(a, b)
        and _actors_agree(a, b)
    )


def _better_span(a, b):
    if a is None or b is None:
        return a or b
    key_a = (not a.explicit, a.precision, (a.end - a.start).days)
    key_b = (not b.explicit, b.precision, (b.end - b.start).days)
    return a if key_a <= key_b else b


def absorb(into: dict[str, Any], other: dict[str, Any]) -> None:
    """Fold `other` into `into`: the most exact date and place, the highest counts, all sources."""
    span = _better_span(into["_span"], other["_span"])
    if span is not into["_span"]:
        into["_span"] = span
    if other["_place_rank"] < into["_place_rank"]:
        for key in (
            "location", "place_text", "latitude", "longitude", "geo_precision",
            "_place_kind", "_country", "_place_rank", "_place_weak",
        ):  # fmt: skip
            into[key] = other[key]
    for key in ("fatalities", "injured"):
        if other[key] is not None and (into[key] is None or other[key] > into[key]):
            into[key] = other[key]
    for key in ("actor1", "actor2"):
        if into[key] is None and other[key] not in (None, into["actor1"]):
            into[key] = other[key]
    seen = into.get("_seen")
    if seen is None:
        seen = into["_seen"] = {(s["document"], s["start"]) for s in into["sources"]}
    for source in other["sources"]:
        if (source["document"], source["start"]) not in seen:
            into["sources"].append(source)
            seen.add((source["document"], source["start"]))
    # A second report corroborates; a headline restating the body does not.
    bonus = 0.0 if into.get("_headline") or other.get("_headline") else 0.05
    into["confidence"] = min(0.99, max(into["confidence"], other["confidence"]) + bonus)
    into["_headline"] = into.get("_headline", False) and other.get("_headline", False)
    for flag in ("_generic", "_blast"):  # told once with its weapon, it is no longer vague
        if flag in into:
            into[flag] = into[flag] and other.get(flag, False)


def merge(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge duplicates; candidates are compared only within their (type, sub-type) bucket."""
    buckets: dict[tuple[str, str], list[dict[str, Any]]] = {}
    exact: dict[tuple, dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    for cand in candidates:
        key = (
            cand["event_type"], cand["sub_event_type"], cand["location"], cand["actor1"],
            cand["_span"].start if cand["_span"] else None,
            cand["_span"].end if cand["_span"] else None,
        )  # fmt: skip
        if key in exact:  # the fast path for an event repeated word for word
            absorb(exact[key], cand)
            continue
        bucket = buckets.setdefault((cand["event_type"], cand["sub_event_type"]), [])
        for existing in reversed(bucket[-200:]):
            if same_event(existing, cand):
                absorb(existing, cand)
                break
        else:
            bucket.append(cand)
            exact[key] = cand
            out.append(cand)
    return out
