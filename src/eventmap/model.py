"""The event schema: columns, ACLED taxonomy, precision codes and per-field validation.

Names follow ACLED's codebook where ACLED has the field, so exports join with ACLED data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

# What an imported dataset (ACLED, UCDP, GDELT, a user's table) says of an event in its own
# terms: its id and name, the admin areas, its own type, a fatality range, its other columns.
SOURCE_FIELDS: tuple[str, ...] = (
    "source_event_id",
    "source_dataset",
    "country",
    "iso",
    "admin1",
    "admin2",
    "admin3",
    "original_type",
    "fatalities_low",
    "fatalities_high",
    "source_fields",
)
# Column order of the GeoDataFrame and of every export (ACLED's order where the fields match).
COLUMNS: tuple[str, ...] = (
    "event_id",
    "event_date",
    "date_end",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "place_text",
    "latitude",
    "longitude",
    "geo_precision",
    "sources",
    "notes",
    "fatalities",
    "injured",
    *SOURCE_FIELDS,
    "duplicate_of",
    "flags",
)

# The columns as Arrow: dates as date32, precision codes as int8, `sources` as JSON text
# and `flags` as text (what `eventmap.validate` found, "; " between flags).
# The `source_*` columns to `fatalities_high` keep what an imported dataset (ACLED, UCDP,
# GDELT, a user's table) says of the event in its own terms: its id and name, the admin areas,
# its own event type, a fatality range; `source_fields` holds its other useful columns as
# one JSON object (eventmap.importers). `duplicate_of` names the event this one is another
# dataset's report of (eventmap.dedupe): the map shows that event, with both sources.
EVENT_SCHEMA: pa.Schema = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("event_date", pa.date32()),
        pa.field("date_end", pa.date32()),
        pa.field("time_precision", pa.int8()),
        pa.field("event_type", pa.string()),
        pa.field("sub_event_type", pa.string()),
        pa.field("actor1", pa.string()),
        pa.field("actor2", pa.string()),
        pa.field("location", pa.string()),
        pa.field("place_text", pa.string()),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
        pa.field("geo_precision", pa.int8()),
        pa.field("sources", pa.string()),
        pa.field("notes", pa.string()),
        pa.field("fatalities", pa.int64()),
        pa.field("injured", pa.int64()),
        pa.field("source_event_id", pa.string()),
        pa.field("source_dataset", pa.string()),
        pa.field("country", pa.string()),
        pa.field("iso", pa.string()),
        pa.field("admin1", pa.string()),
        pa.field("admin2", pa.string()),
        pa.field("admin3", pa.string()),
        pa.field("original_type", pa.string()),
        pa.field("fatalities_low", pa.int64()),
        pa.field("fatalities_high", pa.int64()),
        pa.field("source_fields", pa.string()),
        pa.field("duplicate_of", pa.string()),
        pa.field("flags", pa.string()),
    ]
)
assert tuple(EVENT_SCHEMA.names) == COLUMNS

# Fields a catalog entry may carry: the columns less those filled by geocoding.
# `flags` is written by the validation layer (eventmap.validate), never by hand.
CATALOG_FIELDS: frozenset[str] = frozenset(COLUMNS) - {
    "latitude",
    "longitude",
    "flags",
    "duplicate_of",
}
REQUIRED_FIELDS: tuple[str, ...] = (
    "event_id",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "geo_precision",
    "notes",
    "sources",
)

# ACLED event types and their sub-event types (ACLED codebook, 2023).
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

# What an imported dataset says in its own terms (text; see EVENT_SCHEMA).
SOURCE_TEXT_FIELDS: tuple[str, ...] = tuple(
    f for f in SOURCE_FIELDS if f not in ("fatalities_low", "fatalities_high")
)

TIME_PRECISION = {1: "day known", 2: "known within a week", 3: "within a month or coarser"}
GEO_PRECISION = {1: "exact site", 2: "near or part of a town or area", 3: "region or country"}

EVENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


def parse_date(value: Any) -> dt.date:
    """Accept a date, or an ISO 8601 day string; raise ValueError naming the bad value."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)")


def _count(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0 or empty, not {value!r}")
    return value


def _code(value: Any, allowed: Mapping[int, str]) -> int:
    if isinstance(value, bool) or value not in allowed:
        raise ValueError(f"{value!r} is not one of {sorted(allowed)}")
    return int(value)


def _text(value: Any, *, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError("is required and empty")
        return None
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {type(value).__name__} {value!r}")
    return " ".join(value.split())


def validate_coordinates(latitude: Any, longitude: Any) -> tuple[float, float]:
    """Return (lat, lon) as floats in WGS84 range; raise ValueError naming the bad one."""
    lat, lon = float(latitude), float(longitude)
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {latitude!r} is outside [-90, 90]")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"longitude {longitude!r} is outside [-180, 180]")
    return lat, lon


class FieldError(ValueError):
    """A single field of an event is invalid; `field` says which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def normalise_event(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one event mapping and return it with typed values.

    Raises FieldError naming the first bad field. Coordinates, if present, are checked
    for range only; the catalog refuses them separately (they come from geocoding).
    """
    unknown = sorted(set(raw) - CATALOG_FIELDS - {"latitude", "longitude"})
    if unknown:
        allowed = ", ".join(c for c in COLUMNS if c != "flags")
        raise FieldError(unknown[0], f"unknown field (allowed: {allowed})")
    for name in REQUIRED_FIELDS:
        if raw.get(name) in (None, "", []):
            raise FieldError(name, "is required")

    def check(name: str, fn, *args, **kwargs):
        try:
            return fn(raw.get(name), *args, **kwargs)
        except ValueError as exc:
            raise FieldError(name, str(exc)) from None

    event: dict[str, Any] = {}
    event_id = check("event_id", _text, required=True)
    if not EVENT_ID_PATTERN.match(event_id):
        raise FieldError("event_id", f"{event_id!r} must be letters, digits, '-', '_' or '.'")
    event["event_id"] = event_id
    event["event_date"] = check("event_date", parse_date)
    event["date_end"] = (
        event["event_date"] if raw.get("date_end") is None else check("date_end", parse_date)
    )
    if event["date_end"] < event["event_date"]:
        raise FieldError(
            "date_end", f"{event['date_end']} is before event_date {event['event_date']}"
        )
    event["time_precision"] = check("time_precision", _code, TIME_PRECISION)
    event_type = check("event_type", _text, required=True)
    if event_type not in EVENT_TYPES:
        raise FieldError("event_type", f"{event_type!r} is not one of {', '.join(EVENT_TYPES)}")
    sub_type = check("sub_event_type", _text, required=True)
    if sub_type not in EVENT_TYPES[event_type]:
        raise FieldError(
            "sub_event_type",
            f"{sub_type!r} is not a sub-event type of {event_type!r} "
            f"({', '.join(EVENT_TYPES[event_type])})",
        )
    event["event_type"], event["sub_event_type"] = event_type, sub_type
    event["actor1"] = check("actor1", _text, required=True)
    event["actor2"] = check("actor2", _text, required=False)
    event["location"] = check("location", _text, required=False)
    event["place_text"] = check("place_text", _text, required=False)
    event["geo_precision"] = check("geo_precision", _code, GEO_PRECISION)
    event["fatalities"] = check("fatalities", _count, "fatalities")
    event["injured"] = check("injured", _count, "injured")
    for name in SOURCE_TEXT_FIELDS:
        event[name] = check(name, _text, required=False)
    for name in ("fatalities_low", "fatalities_high"):
        event[name] = check(name, _count, name)
    event["notes"] = check("notes", _text, required=True)
    event["sources"] = check("sources", _sources)
    if raw.get("latitude") is not None or raw.get("longitude") is not None:
        try:
            event["latitude"], event["longitude"] = validate_coordinates(
                raw.get("latitude"), raw.get("longitude")
            )
        except (TypeError, ValueError) as exc:
            field = "latitude" if "latitude" in str(exc) else "longitude"
            raise FieldError(field, str(exc)) from None
    else:
        event["latitude"] = event["longitude"] = None
    return event


def _sources(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of {document, quote}")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping) or set(item) - {"document", "quote", "start", "end"}:
            raise ValueError(f"item {i} must be a mapping with document and quote")
        document, quote = item.get("document"), item.get("quote")
        if not isinstance(document, str) or not document.strip():
            raise ValueError(f"item {i} has no document")
        if not isinstance(quote, str) or not quote.strip():
            raise ValueError(f"item {i} has no quote")
        source = {"document": document, "quote": quote}
        start, end = item.get("start"), item.get("end")
        if start is not None or end is not None:  # offsets into the document, kept when given
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
                raise ValueError(f"item {i}: start and end must be whole numbers")
            if not 0 <= start < end:
                raise ValueError(f"item {i}: start {start} and end {end} do not make a span")
            source.update(start=start, end=end)
        out.append(source)
    return out
