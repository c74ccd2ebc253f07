"""Benchmark (issue 10): `eventmap import` of 1,000,000 ACLED-layout rows. Part of `make bench`;
alone: `python -m bench import [--rows N] [--repeat K]` (or `make bench-import`).

Bars: <= 30 s and <= 2 GB peak RSS for 1,000,000 rows; the exit status says whether both held.

The file: a synthetic CSV in ACLED's current 31-column layout (no real ACLED row), made with
numpy and pyarrow (vectorised, seconds) and cached in data/bench/ (git-ignored;
EVENTMAP_BENCH_CACHE moves it): `acled-<rows>-seed<seed>-v<version>.csv`, reused while present.
Dates as ACLED exports write them ("15 April 2022"); current event and sub-event types
(model.EVENT_TYPES) with their disorder type, interaction codes as text and civilian
targeting; ~300 actors and ~400 locations over 20 countries; notes of ~180-300 characters
(median ~210) with commas, some with quoted words, 2% with a quoted line break; fatalities
mostly 0 or small; 0.5% of the rows are monadic pairs (an event as two rows, one per actor,
same id: the importer merges them, so 2,500 second rows per million are skipped as merged, by
design). Writing 1,000,000 rows (~550 MB) takes ~10 s.

Each run is `eventmap import FILE --to STORE --replace --report JSON`, the real CLI, started
by a fresh small Python wrapper that reports the wall time of the command and its peak RSS
(getrusage(RUSAGE_CHILDREN).ru_maxrss of the wrapper, whose only child is the command: the
figure is that run's alone, not this process's). Baseline, in the same run and the same way:
pyarrow.csv.read_csv of the same file, every column as text (what the importer's read does),
in its own subprocess. Medians of --repeat runs (3), the two interleaved; the ratio is
import / baseline. Every import run is checked at scale: its report accounts for every row
(imported + skipped == rows, the skipped ones exactly the monadic seconds) and the store
holds the imported events.
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .common import cache_dir, load_average
from .synth import EVENTMAP

ROWS, REPEAT, SEED = 1_000_000, 3, 0
TIME_BAR_S, MEMORY_BAR_MB = 30.0, 2000.0  # 2 GB, decimal (the stricter reading)
VERSION = 1  # bump when the generator changes: the cached file's name changes with it
MONADIC_SHARE = 0.005  # events written as two rows, one per actor
BREAK_SHARE = 0.02  # notes with a quoted line break

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

# (name, ISO 3166 numeric, ISO3, region, (lat min, lat max, lon min, lon max)); only the names
# and boxes matter, every place and actor in them is made up.
COUNTRIES = (
    ("Afghanistan", 4, "AFG", "Caucasus and Central Asia", (31.0, 37.0, 62.0, 71.0)),
    ("Burkina Faso", 854, "BFA", "Western Africa", (10.0, 15.0, -5.0, 2.0)),
    ("Cameroon", 120, "CMR", "Middle Africa", (2.5, 12.0, 9.5, 16.0)),
    ("Colombia", 170, "COL", "South America", (-3.0, 11.0, -78.0, -68.0)),
    ("Democratic Republic of Congo", 180, "COD", "Middle Africa", (-12.0, 4.0, 13.0, 30.0)),
    ("Ethiopia", 231, "ETH", "Eastern Africa", (4.0, 14.0, 34.0, 45.0)),
    ("India", 356, "IND", "Southern Asia", (9.0, 32.0, 70.0, 90.0)),
    ("Iraq", 368, "IRQ", "Middle East", (29.5, 37.0, 39.5, 47.5)),
    ("Mali", 466, "MLI", "Western Africa", (11.0, 24.0, -11.0, 4.0)),
    ("Mexico", 484, "MEX", "Central America", (15.0, 31.0, -115.0, -88.0)),
    ("Mozambique", 508, "MOZ", "Southern Africa", (-26.0, -11.0, 32.5, 40.5)),
    ("Myanmar", 104, "MMR", "Southeast Asia", (10.0, 28.0, 92.5, 101.0)),
    ("Nigeria", 566, "NGA", "Western Africa", (4.5, 13.5, 3.0, 14.5)),
    ("Pakistan", 586, "PAK", "Southern Asia", (24.5, 36.5, 61.0, 75.0)),
    ("Philippines", 608, "PHL", "Southeast Asia", (5.0, 18.5, 118.0, 126.0)),
    ("Somalia", 706, "SOM", "Eastern Africa", (-1.5, 11.5, 41.0, 51.0)),
    ("Sudan", 729, "SDN", "Northern Africa", (9.0, 22.0, 22.0, 38.0)),
    ("Syria", 760, "SYR", "Middle East", (32.5, 37.0, 36.0, 42.0)),
    ("Ukraine", 804, "UKR", "Europe", (44.5, 52.0, 22.5, 40.0)),
    ("Yemen", 887, "YEM", "Middle East", (12.5, 18.5, 42.5, 53.0)),
)

# (event type, sub-event type, disorder type, weight): ACLED's current taxonomy, with shares
# roughly as in its data (protests and battles first).
TYPES = (
    ("Protests", "Peaceful protest", "Demonstrations", 30),
    ("Protests", "Protest with intervention", "Demonstrations", 3),
    ("Protests", "Excessive force against protesters", "Political violence; Demonstrations", 1),
    ("Riots", "Violent demonstration", "Demonstrations", 5),
    ("Riots", "Mob violence", "Political violence", 3),
    ("Battles", "Armed clash", "Political violence", 16),
    ("Battles", "Government regains territory", "Political violence", 1),
    ("Battles", "Non-state actor overtakes territory", "Political violence", 1),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Political violence", 9),
    ("Explosions/Remote violence", "Air/drone strike", "Political violence", 5),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence", 3),
    ("Explosions/Remote violence", "Grenade", "Political violence", 1),
    ("Explosions/Remote violence", "Suicide bomb", "Political violence", 0.3),
    ("Explosions/Remote violence", "Chemical weapon", "Political violence", 0.05),
    ("Violence against civilians", "Attack", "Political violence", 10),
    ("Violence against civilians", "Abduction/forced disappearance", "Political violence", 2),
    ("Violence against civilians", "Sexual violence", "Political violence", 0.5),
    ("Strategic developments", "Looting/property destruction", "Strategic developments", 2),
    ("Strategic developments", "Arrests", "Strategic developments", 2),
    ("Strategic developments", "Change to group/activity", "Strategic developments", 2),
    ("Strategic developments", "Disrupted weapons use", "Strategic developments", 1),
    ("Strategic developments", "Agreement", "Strategic developments", 0.5),
    ("Strategic developments", "Headquarters or base established", "Strategic developments", 0.3),
    ("Strategic developments", "Non-violent transfer of territory", "Strategic developments", 0.3),
    ("Strategic developments", "Other", "Strategic developments", 0.5),
)

# Actors of each country: (pattern, inter); {c} is the country, {n} a made-up name.
ACTOR_KINDS = (
    ("Military Forces of {c} (2017-)", "State forces"),
    ("Police Forces of {c} (2017-)", "State forces"),
    ("Protesters ({c})", "Protesters"),
    ("Rioters ({c})", "Rioters"),
    ("Civilians ({c})", "Civilians"),
    ("Unidentified Armed Group ({c})", "Political militia"),
    ("{n} Liberation Front", "Rebel group"),
    ("{n} Ethnic Militia ({c})", "Identity militia"),
    ("{n} Communal Militia ({c})", "Identity militia"),
    ("{n} Defence Brigades", "Political militia"),
    ("{n} Popular Movement", "Rebel group"),
    ("{n} Self-Defence Group", "Political militia"),
    ("Unidentified Communal Militia ({c})", "Identity militia"),
    ("Private Security Forces ({c})", "External/Other forces"),
    ("{n} Youth Militia", "Political militia"),
)
SYLLABLES = (
    "ka", "ra", "mo", "te", "lu", "si", "ba", "do", "na", "ri", "zo", "fe", "ha", "gu",
    "pe", "vo", "ta", "ne", "ki", "la", "ma", "so", "we", "yo", "da", "li", "bu",
)  # fmt: skip
SOURCES = (
    "Local Source", "Whatsapp", "Twitter", "Facebook", "Xinhua", "Reuters", "AFP",
    "Associated Press", "BBC Monitoring", "Radio Okapi", "Daily Telegraph Local",
    "Regional Observer", "Provincial Herald", "Community Radio Network", "Human Rights Monitor",
    "Security Bulletin", "Local Partner Network", "Ministry Statement", "Crisis Watch Group",
    "Frontline Reporter", "Citizen Journal", "Valley Times", "National News Agency",
    "Morning Post", "Evening Courier", "Border Monitor", "Humanitarian Update",
)  # fmt: skip
SCALES = (
    "Local partner-Other", "Subnational", "National", "Regional", "International",
    "Subnational-National", "National-Regional", "New media", "Other-National",
    "Local partner-New media", "New media-National", "Other",
)  # fmt: skip
OPENINGS = (
    "clashed with",
    "attacked",
    "fought",
    "fired on positions of",
    "ambushed a patrol of",
    "confronted",
)
CIVILIAN_OPENINGS = ("attacked", "abducted", "shot at", "assaulted", "raided the homes of")
STRATEGIC_OPENINGS = (
    "arrested members of",
    "looted property belonging to",
    "signed an agreement with",
    "seized weapons from",
    "set up a base near positions of",
)
TAILS = (
    " The attack came after several days of rising tension between the two groups, local "
    "sources said.",
    " Residents fled to nearby villages, and the main road, which links the town to the "
    "district capital, was closed.",
    " According to a local partner, houses, shops and a health centre were looted or burnt.",
    " Fatalities are coded from the figure given by a local official; other reports differ.",
    " Sources describe the situation as calm but tense, with security reinforced overnight.",
    " No group claimed responsibility for the incident.",
    ' A spokesman called the attack "a cowardly act", and promised "a firm response".',
    " The incident was reported by several outlets, one of which gives a higher toll.",
    " Detained persons were released the following day, according to their families.",
)
PROTEST_TAILS = (
    " Protesters demanded the payment of salary arrears, better services and an end to power cuts.",
    " The demonstrators denounced rising fuel prices, corruption and the arrest of a local "
    "activist.",
    " The crowd marched to the governor's office, where a delegation handed over a petition.",
    " Police dispersed the gathering, and [size=around 200] people were reported present.",
)


def csv_path(rows: int = ROWS, seed: int = SEED) -> Path:
    """The synthetic ACLED file in the cache, written once (atomically, so a concurrent run
    never reads half a file)."""
    path = cache_dir() / f"acled-{rows}-seed{seed}-v{VERSION}.csv"
    if not path.is_file():
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".csv")
        os.close(fd)
        try:
            write_acled(rows, Path(tmp), seed=seed)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return path


def monadic_pairs(rows: int) -> int:
    """How many events of a file of `rows` rows are written as two rows (see write_acled)."""
    return int(rows * MONADIC_SHARE) // 2


def _names(rng, count: int, *, syllables: tuple[int, int]) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        parts = rng.choice(SYLLABLES, size=rng.integers(*syllables))
        names.add("".join(parts).capitalize())
    return sorted(names)


def write_acled(rows: int, path: Path, *, seed: int = SEED) -> None:
    """`rows` synthetic ACLED rows (current layout) as CSV at `path` (see the module)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv

    rng = np.random.default_rng(seed)
    n = rows

    def pick(values, index) -> pa.Array:
        return pa.array(values, pa.string()).take(pa.array(index))

    def join(*parts) -> pa.Array:
        return pc.binary_join_element_wise(*parts, "")

    # places: ~20 per country, admin areas made up; events cluster on a few busy places
    n_countries = len(COUNTRIES)
    per_country = 20
    n_places = n_countries * per_country
    place_names = _names(rng, n_places + 3 * n_countries * 4, syllables=(2, 4))
    rng.shuffle(place_names)
    place_country = np.repeat(np.arange(n_countries), per_country)
    boxes = np.array([c[4] for c in COUNTRIES])
    lat = rng.uniform(boxes[place_country, 0], boxes[place_country, 1]).round(4)
    lon = rng.uniform(boxes[place_country, 2], boxes[place_country, 3]).round(4)
    admin_pool = place_names[n_places:]
    # three admin levels of 4 names each per country; a third of the places have no admin3
    slot = place_country * 12 + np.arange(n_places) % 4
    admin1 = [admin_pool[k] for k in slot]
    admin2 = [admin_pool[k + 4] for k in slot]
    admin3 = [None if i % 3 == 0 else admin_pool[k + 8] for i, k in enumerate(slot)]
    place_weight = rng.pareto(1.2, n_places) + 0.05
    place = rng.choice(n_places, size=n, p=place_weight / place_weight.sum())
    country = place_country[place]

    # actors: each kind in each country (~300), plus made-up group names
    group_names = _names(rng, n_countries * len(ACTOR_KINDS), syllables=(2, 3))
    actor_names, actor_inter = [], []
    for c, (cname, *_rest) in enumerate(COUNTRIES):
        for k, (pattern, inter) in enumerate(ACTOR_KINDS):
            actor_names.append(pattern.format(c=cname, n=group_names[c * len(ACTOR_KINDS) + k]))
            actor_inter.append(inter)
    n_kinds = len(ACTOR_KINDS)
    kind_of = {
        inter: [k for k, (_, i) in enumerate(ACTOR_KINDS) if i == inter] for _, inter in ACTOR_KINDS
    }

    # types, and the actors each type has
    weights = np.array([t[3] for t in TYPES], dtype=float)
    type_index = rng.choice(len(TYPES), size=n, p=weights / weights.sum())
    event_type = pick([t[0] for t in TYPES], type_index)
    sub_type = pick([t[1] for t in TYPES], type_index)
    disorder = pick([t[2] for t in TYPES], type_index)
    main_type = np.array([t[0] for t in TYPES])[type_index]
    armed = np.array(
        kind_of["State forces"] + kind_of["Rebel group"] + kind_of["Political militia"]
        + kind_of["Identity militia"]
    )  # fmt: skip
    kind1 = armed[rng.integers(0, len(armed), n)]
    kind2 = armed[rng.integers(0, len(armed), n)]
    has2 = np.ones(n, dtype=bool)
    protests, riots = main_type == "Protests", main_type == "Riots"
    civilians = main_type == "Violence against civilians"
    strategic = main_type == "Strategic developments"
    kind1[protests] = kind_of["Protesters"][0]
    kind1[riots] = kind_of["Rioters"][0]
    kind2[civilians] = kind_of["Civilians"][0]
    has2[protests] = rng.random(int(protests.sum())) < 0.08  # police at some protests
    kind2[protests] = kind_of["State forces"][1]
    has2[riots] = rng.random(int(riots.sum())) < 0.5
    has2[strategic] = rng.random(int(strategic.sum())) < 0.4
    remote = main_type == "Explosions/Remote violence"
    has2[remote] = rng.random(int(remote.sum())) < 0.7
    kind2 = np.where(kind2 == kind1, (kind2 + 1) % n_kinds, kind2)
    actor1_index = country * n_kinds + kind1
    actor2_index = country * n_kinds + kind2
    actor1 = pick(actor_names, actor1_index)
    actor2 = pc.if_else(pa.array(has2), pick(actor_names, actor2_index), None)
    inter1 = pick(actor_inter, actor1_index)
    inter2 = pc.if_else(pa.array(has2), pick(actor_inter, actor2_index), None)
    interaction = pc.coalesce(
        pc.binary_join_element_wise(inter1, inter2, "-"), join(inter1, pa.scalar(" only"))
    )
    civilian_targeting = pc.if_else(pa.array(civilians), "Civilian targeting", None)
    groups = ("Women", "Students", "Labour Group", "Teachers", "Farmers", "Health Workers")
    assoc_pool = [f"{g} ({c[0]})" for c in COUNTRIES for g in groups]
    assoc = country * len(groups) + rng.integers(0, len(groups), n)
    assoc_1 = pc.if_else(pa.array(rng.random(n) < 0.15), pick(assoc_pool, assoc), None)
    assoc_2 = pc.if_else(
        pa.array(has2 & (rng.random(n) < 0.05)),
        pick(assoc_pool, assoc - assoc % len(groups) + (assoc + 3) % len(groups)),
        None,
    )

    # dates: 2018 to 2024, written as ACLED exports them ("15 April 2022"), unpadded day
    day = rng.integers(
        np.datetime64("2018-01-01", "D").astype(int),
        np.datetime64("2025-01-01", "D").astype(int),
        n,
    )
    days = pa.array(day.astype("datetime64[D]"))
    year = pc.year(days)
    month_names = pa.array([calendar.month_name[m] for m in range(13)], pa.string())
    month = month_names.take(pc.month(days))
    event_date = join(
        pc.cast(pc.day(days), pa.string()), " ", month, " ", pc.cast(year, pa.string())
    )
    time_precision = rng.choice([1, 2, 3], size=n, p=[0.86, 0.1, 0.04])
    timestamp = (day.astype(np.int64) + rng.integers(7, 60, n)) * 86_400 + rng.integers(
        0, 86_400, n
    )

    # fatalities: mostly none, a long tail; protests almost never
    fatal = np.where(rng.random(n) < 0.62, 0, rng.geometric(0.35, n))
    fatal[protests] = 0
    fatal[rng.random(n) < 0.001] = rng.integers(50, 400)
    fatalities = pa.array(fatal)

    # sources: one or two of them
    s1, s2 = rng.integers(0, len(SOURCES), n), rng.integers(0, len(SOURCES), n)
    two = pa.array(rng.random(n) < 0.3)
    source = pc.if_else(
        two,
        pc.binary_join_element_wise(pick(SOURCES, s1), pick(SOURCES, s2), "; "),
        pick(SOURCES, s1),
    )
    source_scale = pick(SCALES, rng.integers(0, len(SCALES), n))

    # notes: a sentence built from the row, one or two tails; some with a line break
    location = pick(place_names[:n_places], place)
    admin1_col = pick(admin1, place)
    where = join(location, " (", admin1_col, ", ", pick(admin2, place), ")")
    opening = pick(OPENINGS, rng.integers(0, len(OPENINGS), n))
    for where_, pool in ((civilians, CIVILIAN_OPENINGS), (strategic, STRATEGIC_OPENINGS)):
        opening = pc.if_else(pa.array(where_), pick(pool, rng.integers(0, len(pool), n)), opening)
    other = pc.coalesce(actor2, pa.scalar("unidentified assailants"))
    violent = join(
        "On ", event_date, ", ", actor1, " ", opening, " ", other, " in and around ", where, "."
    )
    protest = join(
        "On ", event_date, ", around ", pc.cast(pa.array(rng.integers(2, 40, n) * 25), pa.string()),
        " people, including ", pick(assoc_pool, assoc), ", demonstrated in ", where, ".",
    )  # fmt: skip
    first = pc.if_else(pa.array(protests | riots), protest, violent)
    tails = pick(TAILS, rng.integers(0, len(TAILS), n))
    tails2 = pick(TAILS, rng.integers(0, len(TAILS), n))
    protest_tail = pick(PROTEST_TAILS, rng.integers(0, len(PROTEST_TAILS), n))
    tail = pc.if_else(pa.array(protests | riots), protest_tail, tails)
    fatality_text = join(" ", pc.cast(fatalities, pa.string()), " reported fatalities.")
    notes = join(first, tail, pc.if_else(pa.array(fatal > 0), fatality_text, ""))
    short = pc.less(pc.utf8_length(notes), 180)
    notes = pc.if_else(short, join(notes, tails2), notes)
    broken = pa.array(rng.random(n) < BREAK_SHARE)
    notes = pc.if_else(broken, join(notes, "\nUpdate: ", tails2), notes)
    tags = pc.if_else(pa.array(protests), "crowd size=no report", None)

    iso = np.array([c[1] for c in COUNTRIES])[country]
    iso3 = [c[2] for c in COUNTRIES]
    ids = join(
        pick(iso3, country),
        pc.cast(pa.array(np.arange(1, n + 1) + 10_000 * (seed + 1)), pa.string()),
    )

    columns = {
        "event_id_cnty": ids,
        "event_date": event_date,
        "year": year,
        "time_precision": pa.array(time_precision),
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_type,
        "actor1": actor1,
        "assoc_actor_1": assoc_1,
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": assoc_2,
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": civilian_targeting,
        "iso": pa.array(iso),
        "region": pick([c[3] for c in COUNTRIES], country),
        "country": pick([c[0] for c in COUNTRIES], country),
        "admin1": admin1_col,
        "admin2": pick(admin2, place),
        "admin3": pick(admin3, place),
        "location": location,
        "latitude": pa.array(lat[place]),
        "longitude": pa.array(lon[place]),
        "geo_precision": pa.array(rng.choice([1, 2, 3], size=n, p=[0.7, 0.25, 0.05])),
        "source": source,
        "source_scale": source_scale,
        "notes": notes,
        "fatalities": fatalities,
        "tags": tags,
        "timestamp": pa.array(timestamp),
    }
    table = _monadic(pa.table(columns), monadic_pairs(n), rng)
    assert table.column_names == list(COLUMNS) and table.num_rows == n
    pacsv.write_csv(table, path, pacsv.WriteOptions(batch_size=64 * 1024))


def _monadic(table, pairs: int, rng):
    """Rows 2k and 2k+1 of `pairs` chosen k: one event seen from each actor (ACLED's monadic
    form): the second row repeats the first (same id, date, place, type, notes) with the
    first's actor2 as its actor1, and neither has an actor2."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = table.num_rows
    with_two = np.flatnonzero(table.column("actor2").is_valid().to_numpy(zero_copy_only=False))
    firsts = with_two[with_two % 2 == 0]
    firsts = np.sort(rng.choice(firsts[firsts + 1 < n], size=pairs, replace=False))
    seconds = firsts + 1
    source = np.arange(n)
    source[seconds] = firsts
    take = pa.array(source)
    out = {name: table.column(name).take(take) for name in table.column_names}
    second = np.zeros(n, dtype=bool)
    second[seconds] = True
    paired = second.copy()
    paired[firsts] = True
    second, paired = pa.array(second), pa.array(paired)
    for one, two in (
        ("actor1", "actor2"),
        ("inter1", "inter2"),
        ("assoc_actor_1", "assoc_actor_2"),
    ):
        out[one] = pc.if_else(second, out[two], out[one])
        out[two] = pc.if_else(paired, pa.nulls(n, out[two].type), out[two])
    out["interaction"] = pc.if_else(
        paired, pc.binary_join_element_wise(out["inter1"], " only", ""), out["interaction"]
    )
    return pa.table(out)


# -- measuring ---------------------------------------------------------------------------

# Runs argv, then prints its wall time, peak RSS (KiB) and CPU time as JSON: a fresh, small
# process per run, so RUSAGE_CHILDREN is that command alone.
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "maxrss_kb": usage.ru_maxrss,
    "cpu": usage.ru_utime + usage.ru_stime, "status": done.returncode,
    "output": done.stdout.decode("utf-8", "replace")[-4000:]}))
"""

BASELINE = """
import sys
import pyarrow as pa
from pyarrow import csv

names = open(sys.argv[1], encoding="utf-8").readline().rstrip("\\r\\n").split(",")
names = [n.strip('"') for n in names]
table = csv.read_csv(
    sys.argv[1],
    read_options=csv.ReadOptions(column_names=names, skip_rows=1, block_size=64 << 20),
    parse_options=csv.ParseOptions(newlines_in_values=True),
    convert_options=csv.ConvertOptions(column_types={n: pa.string() for n in names}),
)
print(f"{table.num_rows} rows, {table.num_columns} columns, {table.nbytes / 1e6:.0f} MB")
"""


@dataclass
class Run:
    seconds: float
    peak_mb: float  # decimal MB
    cpu_seconds: float
    output: str


def measure(command: list[str]) -> Run:
    """`command` in a fresh wrapper: its wall time, peak RSS and CPU time; fails loudly."""
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["status"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result['status']}):\n{result['output']}")
    return Run(result["seconds"], result["maxrss_kb"] * 1024 / 1e6, result["cpu"], result["output"])


def check_import(report_path: Path, store: Path, rows: int) -> str:
    """Every row accounted for at scale; raises AssertionError naming what is wrong."""
    import pyarrow.parquet as pq

    report = json.loads(report_path.read_text(encoding="utf-8"))
    pairs = monadic_pairs(rows)
    skipped = report["skipped"]
    merged = sum("merged into it" in s["reason"] for s in skipped)
    events = pq.read_metadata(store).num_rows
    problems = []
    if report["format"] != "acled":
        problems.append(f"read as {report['format']}, not acled")
    if report["rows"] != rows:
        problems.append(f"report says {report['rows']:,} rows, the file has {rows:,}")
    if report["imported"] + len(skipped) != rows:
        problems.append(f"imported {report['imported']:,} + skipped {len(skipped):,} != {rows:,}")
    if len(skipped) != pairs or merged != pairs:
        reasons = sorted({s["reason"].split(":")[0] for s in skipped})[:5]
        problems.append(
            f"{len(skipped):,} skipped ({merged:,} merged), expected {pairs:,}: {reasons}"
        )
    if events != rows - pairs or report["store"]["events"] != events:
        problems.append(f"store holds {events:,} events, expected {rows - pairs:,}")
    if problems:
        raise AssertionError("; ".join(problems))
    return (
        f"{report['imported']:,} imported + {len(skipped):,} skipped (monadic seconds merged) "
        f"= {rows:,}; store {events:,} events; flags {sum(report['flagged'].values()):,}"
    )


def _verdict(value: float, bar: float) -> str:
    return "PASS" if value <= bar else f"FAIL (+{value / bar - 1:.0%})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench import", description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)

    path = cache_dir() / f"acled-{args.rows}-seed{args.seed}-v{VERSION}.csv"
    made = "cached"
    if not path.is_file():
        start = time.perf_counter()
        csv_path(args.rows, args.seed)
        made = f"written in {time.perf_counter() - start:.1f} s"
    size_mb = path.stat().st_size / 1e6
    print(
        f"import_big: `eventmap import` of {args.rows:,} synthetic ACLED rows, "
        f"{path.name} ({size_mb:.0f} MB, {made}); {args.repeat} runs each, median; "
        f"{load_average()}"
    )
    work = Path(tempfile.mkdtemp(dir=cache_dir(), prefix="import-"))
    ours, base, checks = [], [], []
    try:
        for k in range(args.repeat):
            base.append(measure([sys.executable, "-c", BASELINE, str(path)]))
            store, report = work / f"store-{k}.parquet", work / f"report-{k}.json"
            command = [EVENTMAP, "import", str(path), "--to", str(store), "--replace"]
            ours.append(measure([*command, "--report", str(report)]))
            checks.append(check_import(report, store, args.rows))
            print(
                f"  run {k + 1}: import {ours[-1].seconds:6.2f} s {ours[-1].peak_mb:6.0f} MB; "
                f"baseline {base[-1].seconds:5.2f} s {base[-1].peak_mb:5.0f} MB; {checks[-1]}",
                flush=True,
            )
            store.unlink(missing_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def med(runs: list[Run], attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in runs)

    seconds, peak = med(ours, "seconds"), med(ours, "peak_mb")
    b_seconds, b_peak = med(base, "seconds"), med(base, "peak_mb")
    rows = [
        ["eventmap import (wall)", f"{seconds:.2f} s", f"{b_seconds:.2f} s",
         f"{seconds / b_seconds:.1f}x", f"<= {TIME_BAR_S:g} s", _verdict(seconds, TIME_BAR_S)],
        ["eventmap import (peak RSS)", f"{peak:.0f} MB", f"{b_peak:.0f} MB",
         f"{peak / b_peak:.1f}x", f"<= {MEMORY_BAR_MB:g} MB", _verdict(peak, MEMORY_BAR_MB)],
        ["eventmap import (CPU)", f"{med(ours, 'cpu_seconds'):.2f} s",
         f"{med(base, 'cpu_seconds'):.2f} s",
         f"{med(ours, 'cpu_seconds') / med(base, 'cpu_seconds'):.1f}x", "-", "-"],
        ["rows/s", f"{args.rows / seconds:,.0f}", f"{args.rows / b_seconds:,.0f}", "-", "-", "-"],
    ]  # fmt: skip
    header = ["what (median)", "import", "baseline: read_csv", "ratio", "bar", "verdict"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *rows]:
        print("  " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    ok = seconds <= TIME_BAR_S and peak <= MEMORY_BAR_MB
    note = "" if args.rows == ROWS else f" (bars are for {ROWS:,} rows; this ran {args.rows:,})"
    print(f"  import_big: {'PASS' if ok else 'FAIL'} against <= 30 s and <= 2 GB{note}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
