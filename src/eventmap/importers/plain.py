"""Plain tables (a user's spreadsheet, a TimeMap export, a scraped incident list, GeoJSON from
another tool, eventmap's own exports) as eventmap's columns.

Columns are recognised by common names (COLUMN_NAMES, any case, spaces or underscores), or
named with `--map FIELD=COLUMN`. Coordinates come from the columns, else from a point
geometry; a row with a place name and no coordinates is placed by the offline gazetteer
(exact names only), with the gazetteer's precision, and flagged so. Columns not recognised
are kept, as they were, in `source_fields`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from ..errors import EventmapError
from ..model import COLUMNS, EVENT_TYPES
from .codes import acled_type
from .read import Raw
from .rows import Rows, coalesce, sources_column

# eventmap field -> the column names that mean it, in order of preference.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "event_id": ("event_id", "id", "eventid", "event id", "uid", "identifier", "incident_id"),
    "event_date": (
        "event_date",
        "date",
        "date_start",
        "start_date",
        "datetime",
        "date_time",
        "day",
        "start",
        "time",
    ),
    "date_end": ("date_end", "end_date", "end", "date_to"),
    "latitude": ("latitude", "lat", "y", "lat_dd", "point_y"),
    "longitude": ("longitude", "lon", "lng", "long", "x", "lon_dd", "point_x"),
    "event_type": ("event_type", "type", "category", "incident_type", "event type"),
    "sub_event_type": ("sub_event_type", "subtype", "sub_type", "sub_category"),
    "actor1": ("actor1", "actor", "perpetrator", "actor_1", "side_a"),
    "actor2": ("actor2", "target", "actor_2", "side_b"),
    "location": ("location", "place", "place_name", "site", "locality", "city", "town"),
    "notes": ("notes", "description", "summary", "details", "text", "title"),
    "fatalities": ("fatalities", "deaths", "killed", "dead", "fatality", "casualties"),
    "injured": ("injured", "wounded", "injuries"),
    "sources": ("sources", "source", "source_url", "url", "link", "links"),
    "country": ("country", "country_name"),
    "iso": ("iso", "iso3", "country_code", "iso_code"),
    "admin1": ("admin1", "region", "province", "state", "governorate", "adm1", "adm_1"),
    "admin2": ("admin2", "district", "adm2", "adm_2", "county"),
    "admin3": ("admin3", "subdistrict", "adm3", "adm_3"),
    "time_precision": ("time_precision",),
    "geo_precision": ("geo_precision",),
}
# eventmap's own columns come back as they were written (a re-import of an export).
OWN_COLUMNS = tuple(c for c in COLUMNS if c not in COLUMN_NAMES)
# What --map may name: every field but those eventmap itself writes.
MAPPABLE = tuple(c for c in COLUMNS if c not in ("flags", "duplicate_of", "source_fields"))
ADMIN = ("admin1", "admin2", "admin3")
GEOCODED = "no coordinates: placed at the gazetteer's {} for its place name"


def rows(raw: Raw, *, dataset: str, mapping: Mapping[str, str] | None = None) -> Rows:
    """The file's rows as eventmap's columns (see the module's docstring)."""
    r = Rows(raw.table)
    c = r.columns
    chosen = _chosen(r, mapping or {})
    get = lambda field: r.get(chosen[field]) if field in chosen else None  # noqa: E731
    own = r.name("source_dataset") is not None and r.name("event_id") is not None
    for name in OWN_COLUMNS:
        if name in chosen:
            c[name] = get(name)
        elif r.name(name) is not None and name != "flags":
            c[name] = r.get(name)
    ids = get("event_id")
    if own:  # eventmap's own export: its ids are eventmap ids already
        c["event_id"] = ids
    else:  # an id column, or the one --map names as source_event_id
        c["source_event_id"] = coalesce(ids, c.get("source_event_id"))
        c["source_dataset"] = coalesce(c.get("source_dataset"), pa.array([dataset] * r.n))
    # Undecidable numeric dates: day-first, as most of the world writes them, except in JSON
    # records, which come from web tools (TimeMap) that write MM/DD/YYYY. Flagged either way.
    usual = "month-first" if raw.json_records else "day-first"
    r.dates(get("event_date"), ends=get("date_end"), usual=usual)
    given_precision = r.numbers(get("time_precision"))
    if given_precision is not None:
        c["time_precision"] = coalesce(given_precision, c.get("time_precision"))
    event_type, sub_type = get("event_type"), get("sub_event_type")
    if own:  # eventmap's types already, flagged when it wrote them: not mapped (and flagged) again
        c["event_type"], c["sub_event_type"] = event_type, sub_type
    elif event_type is not None:
        mapped, mapped_sub, flag = r.per_distinct(
            lambda t, s: _table_type(t, s), event_type, sub_type
        )
        r.flag(pc.is_valid(flag), flag)
        c["event_type"] = pc.coalesce(mapped, event_type)
        c["sub_event_type"] = coalesce(mapped_sub, sub_type)
        c["original_type"] = event_type
    for name in ("actor1", "actor2", "location", "notes", "country", "iso", *ADMIN):
        c[name] = get(name)
    c["latitude"] = r.numbers(get("latitude"))
    c["longitude"] = r.numbers(get("longitude"))
    c["geo_precision"] = r.numbers(get("geo_precision"))
    _points_from_geometry(r)
    best, low, high = r.counts(get("fatalities"))
    c["fatalities"] = best
    c["fatalities_low"] = coalesce(c.get("fatalities_low"), low)
    c["fatalities_high"] = coalesce(c.get("fatalities_high"), high)
    c["injured"], _, _ = r.counts(get("injured"), name="injured")
    c["sources"] = _sources(r, get("sources"))
    if own:  # already through eventmap: its flags kept, its places not looked up again
        r.own_flags = r.get("flags")
        r.geocode = False
    return r


def _chosen(r: Rows, mapping: Mapping[str, str]) -> dict[str, str]:
    """eventmap field -> the raw column holding it: `mapping` first, then COLUMN_NAMES."""
    chosen: dict[str, str] = {}
    for field, column in mapping.items():
        if field not in MAPPABLE:
            raise EventmapError(
                f"--map {field}={column}: {field!r} is not an eventmap field "
                f"(one of {', '.join(MAPPABLE)})"
            )
        found = r.name(column)
        if found is None:
            raise EventmapError(
                f"--map {field}={column}: the file has no column {column!r} "
                f"(it has {', '.join(r.raw.column_names[:30])})"
            )
        chosen[field] = found
    taken = set(chosen.values())
    for field, names in COLUMN_NAMES.items():
        if field in chosen:
            continue
        for name in names:
            found = r.name(name)
            if found is not None and found not in taken:
                chosen[field] = found
                taken.add(found)
                break
    return chosen


def _table_type(event_type: str | None, sub_type: str | None) -> tuple:
    """An ACLED type (current or legacy) as codes.acled_type maps it; other names as given,
    for the validation layer to show as Other."""
    mapped = acled_type(event_type, sub_type)
    if mapped.event_type is None:
        return None, None, None
    if mapped.event_type in EVENT_TYPES and _same(event_type, mapped.event_type):
        # a current type without its sub-type ("Violence against civilians" is also a legacy
        # name): a user's table says no more, which is no oddity of the data to flag
        return mapped.event_type, mapped.sub_event_type, None if sub_type is None else mapped.flag
    return tuple(mapped)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == b.casefold()


def _points_from_geometry(r: Rows) -> None:
    """Coordinates from a point geometry where the columns give none."""
    name = r.name("geometry")
    if name is None:
        return
    r.used.add(name)
    wkb = r.raw.column(name).combine_chunks()
    if not (pa.types.is_binary(wkb.type) or pa.types.is_large_binary(wkb.type)):
        return
    geoms = shapely.from_wkb(
        np.asarray(wkb.to_numpy(zero_copy_only=False), dtype=object), on_invalid="ignore"
    )
    point = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    other = ~shapely.is_missing(geoms) & ~point & ~shapely.is_empty(geoms)
    r.flag(other, "geometry is not a point: kept without a point")
    lon = pa.array(np.where(point, shapely.get_x(geoms), np.nan), mask=~point)
    lat = pa.array(np.where(point, shapely.get_y(geoms), np.nan), mask=~point)
    c = r.columns
    c["latitude"] = coalesce(c.get("latitude"), pc.cast(lat, pa.string()))
    c["longitude"] = coalesce(c.get("longitude"), pc.cast(lon, pa.string()))


def _sources(r: Rows, values: pa.Array | None) -> pa.Array:
    """A sources column as eventmap's JSON: a JSON list as it is (the validation layer reads
    it), a URL or a citation as one source's document; a list of URLs or ids (TimeMap's
    `sources`) as one source per item."""
    if values is None:
        return pa.array(["[]"] * r.n, pa.string())
    listed = pc.starts_with(pc.utf8_trim_whitespace(values), "[")
    cited = sources_column(pc.if_else(listed, None, values), None, r.n)
    compact = pc.match_substring_regex(values, r'^\[(\]|\{"[^"]*":[^ ])')
    redo = pc.fill_null(pc.and_(listed, pc.invert(compact)), False)
    if pc.any(redo).as_py():  # GDAL's spaced JSON, or a list of texts: as eventmap writes it
        (redone,) = r.per_distinct(lambda v: (_compact(v),), pc.if_else(redo, values, None))
        values = pc.coalesce(redone, values)
    return pc.if_else(pc.fill_null(listed, False), values, cited)


def _compact(value: str | None) -> str | None:
    """A JSON list of sources written compactly, each text item as {"document": item};
    None when it is not a JSON list (the validation layer flags it as it is)."""
    try:
        items = json.loads(value)
    except (TypeError, ValueError, RecursionError):
        return None
    if not isinstance(items, list):
        return None
    items = [
        {"document": item.strip()} if isinstance(item, str) else item
        for item in items
        if not (isinstance(item, str) and not item.strip())
    ]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def geocode_missing(r: Rows, resolver) -> None:
    """Place rows that have a place name and no coordinates, through the offline gazetteer
    (exact names only: never a guess), each distinct name once."""
    c = r.columns
    location = c.get("location")
    if location is None or not r.geocode:
        return
    lat, lon = c.get("latitude"), c.get("longitude")
    everywhere = pa.array(np.ones(r.n, dtype=bool))  # typed, even with no rows
    absent = pc.and_(
        pc.is_null(lat) if lat is not None else everywhere,
        pc.is_null(lon) if lon is not None else everywhere,
    )
    wanted = pc.and_(pc.fill_null(absent, False), pc.is_valid(location))
    if not pc.any(wanted).as_py():
        return
    names = pc.if_else(wanted, location, None)

    def place(name: str | None) -> tuple:
        if name is None:
            return None, None, None, None
        found = resolver.offline.geocode(name, fuzzy=False)
        if found is None:
            return None, None, None, None
        return (
            repr(found.latitude),
            repr(found.longitude),
            int(found.raw.get("geo_precision") or 3),
            found.address,
        )

    found_lat, found_lon, precision, address = r.per_distinct(place, names)
    placed = pc.is_valid(found_lat)
    c["latitude"] = coalesce(lat, found_lat)
    c["longitude"] = coalesce(lon, found_lon)
    c["geo_precision"] = coalesce(c.get("geo_precision"), pc.cast(precision, pa.string()))
    r.flag_values(placed, address, GEOCODED)
    unplaced = pc.and_(wanted, pc.invert(placed))
    r.flag_values(
        unplaced,
        location,
        "no coordinates, and the gazetteer has no place {}: kept without a point",
    )
