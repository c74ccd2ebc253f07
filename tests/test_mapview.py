"""The map is pure: data in, folium out. Tests render it and read the HTML."""

from __future__ import annotations

import json
import re
from itertools import pairwise

import pytest
import xyzservices.providers as xyz
from paths import GEO

from eventmap import mapview, settings
from eventmap.frame import to_frame
from eventmap.style import CANDIDATES_LAYER

HOSTILE = "<img src=x onerror=alert(1)>"
EVENTS = {"n": 2, "origin": "2020-01-01", "longest": 0, "data": "/app/static/cache/e.bin.gz"}
SCRIPTS = ["/app/static/cache/1-eventmap-core.js", "/app/static/cache/2-eventmap-map.js"]


BASE = {
    "scripts": SCRIPTS,
    "countries_url": "/app/static/cache/c.geojson",
    "bounds": ((30.0, 40.0), (37.0, 48.0)),
}


def base(**kwargs):
    return mapview.base_map(mapview.layer_config(EVENTS), **BASE | kwargs)


def render(fmap) -> str:
    return fmap.get_root().render()


def step(**changes):
    return {"d0": 3, "d1": 9, "mask": 127, "selection": None, "player": 0} | changes


def test_map_html_uses_only_local_assets_and_loads_our_scripts_as_files():
    fmap = base()
    for group in mapview.step_layers(step()):
        group.add_to(fmap)
    mapview.layer_control().add_to(fmap)
    page = render(fmap)
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert all(link.startswith(("/app/static/vendor/", "/app/static/cache/")) for link in links)
    assert all(f'src="{url}"' in page for url in SCRIPTS)
    for cdn in ("jsdelivr", "cdnjs", "unpkg", "code.jquery", "bootstrapcdn", "googleapis"):
        assert cdn not in page
    assert "eventmap.init(" in page and '"/app/static/cache/e.bin.gz"' in page


def test_our_scripts_exist_in_the_package():
    for path in mapview.SCRIPTS:
        assert path.is_file() and path.suffix in (".js", ".css")


def test_our_stylesheet_is_linked_as_css_and_never_loaded_as_a_script():
    urls = [*SCRIPTS, "/app/static/cache/3-eventmap-map.css"]
    page = render(mapview.base_map(mapview.layer_config(EVENTS), **BASE | {"scripts": urls}))
    assert '<link rel="stylesheet" href="/app/static/cache/3-eventmap-map.css"' in page
    assert 'src="/app/static/cache/3-eventmap-map.css"' not in page
    css = (mapview.SCRIPTS[0].parent / "eventmap-map.css").read_text(encoding="utf-8")
    assert ":focus-visible" in css and ".eventmap-topcenter" in css


def test_the_offline_basemap_is_offered_to_the_map_script_for_failed_tiles():
    page = render(base(basemap="osm", tiles={"osm": xyz.OpenStreetMap.Mapnik}))
    assert re.search(r"\.offlineBasemap = offline_basemap_\w+;", page)


def test_setting_assets_on_one_map_does_not_touch_folium_classes():
    import folium

    base()
    assert "cdn.jsdelivr.net" in dict(folium.Map.default_js)["leaflet"]


def test_a_step_is_tiny_and_carries_only_numbers_and_our_urls():
    groups = mapview.step_layers(step(selection="/app/static/cache/ab-selection.bin"))
    scripts = "".join(render_group(g) for g in groups)
    assert len(scripts) < 3000
    assert '"d0": 3' in scripts and "ab-selection.bin" in scripts
    with pytest.raises(ValueError, match="not one of our static URLs"):
        mapview.step_layers(step(selection="javascript:alert(1)"))
    with pytest.raises(ValueError, match="not a number or URL"):
        mapview.step_layers(step(d0=[1]))


def render_group(group) -> str:
    fmap = base()
    group.add_to(fmap)
    page = render(fmap)
    return page[page.index("eventmap.step(") :]


def test_legend_lists_only_the_types_in_the_data():
    page = render(base(types=["Battles", "Riots"]))
    assert "Battles" in page and "Riots" in page and "Protests" not in page


def hostile_frame():
    return to_frame(
        [
            {
                "event_id": "X-1",
                "event_date": "2020-01-01",
                "date_end": "2020-01-01",
                "time_precision": 1,
                "event_type": "Riots",
                "sub_event_type": "Mob violence",
                "actor1": HOSTILE,
                "actor2": "</script><script>alert(2)</script>",
                "location": HOSTILE,
                "place_text": HOSTILE,
                "latitude": 33.3,
                "longitude": 44.4,
                "geo_precision": 1,
                "fatalities": None,
                "injured": None,
                "notes": HOSTILE,
                "sources": [{"document": HOSTILE, "quote": HOSTILE}],
                "flags": f"event_date {HOSTILE} is odd; another flag",
            }
        ]
    )


def test_popup_and_tooltip_escape_everything_from_data():
    row = hostile_frame().to_dict("records")[0]
    for text in (mapview.popup_html(row), mapview.tooltip_html(row)):
        assert "<img" not in text and "<script" not in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text
    popup = mapview.popup_html(row)
    assert "<li>another flag</li>" in popup and "<b>Flags (what was odd in the data)</b>" in popup


def test_popup_carries_every_source_and_says_what_is_unknown(seed_frame):
    row = seed_frame.set_index("event_id").loc["IRQ-20191227-KIRKUK-ROCKETS"]
    html = mapview.popup_html(row.to_dict() | {"event_id": "IRQ-20191227-KIRKUK-ROCKETS"})
    assert html.count("<li>") == len(row["sources"]) == 4
    assert "000_97cfeaf750d32181.txt" in html and "Fatalities:</b> 1" in html
    ranged = seed_frame.set_index("event_id").loc["IRQ-202003-AL-QAIM-HANDOVER"]
    html = mapview.popup_html(ranged.to_dict() | {"event_id": "x"})
    assert "2020-03-01 – 2020-03-31 (within a month or coarser)" in html
    assert "not reported" in html


def test_basemaps_offer_offline_always_and_carto_only_with_a_key(monkeypatch):
    from eventmap import basemaps

    monkeypatch.delenv("EVENTMAP_CARTO_API_KEY", raising=False)
    assert list(basemaps.available_basemaps()) == ["offline", "osm"]
    monkeypatch.setenv("EVENTMAP_CARTO_API_KEY", "k")
    assert list(basemaps.available_basemaps()) == ["offline", "osm", "carto"]
    with pytest.raises(ValueError, match="basemap 'osm'"):
        base(basemap="osm")  # no tile provider given: the map does not look one up
    page = render(base(basemap="osm", tiles=basemaps.online_basemaps()))
    assert "tile.openstreetmap.org" in page


def test_the_layer_control_is_the_basemap_switch_with_the_first_one_shown(monkeypatch):
    """Every basemap on offer is a base layer of the map's layer control (the one switch, no
    page rerun); `basemap` (the setting, or ?basemap=) only says which is shown first."""
    from eventmap import basemaps

    monkeypatch.setenv("EVENTMAP_CARTO_API_KEY", "k")
    for first in basemaps.available_basemaps():
        fmap = base(basemap=first, tiles=basemaps.online_basemaps())
        mapview.layer_control().add_to(fmap)
        page = render(fmap)
        block = page[page.index("base_layers : {") : page.index("overlays :")]
        offered = dict(re.findall(r'"([^"]+)" : (\w+),', block))
        assert list(offered) == list(basemaps.available_basemaps().values())
        shown = [name for name, var in offered.items() if re.search(rf"{var}\.addTo\(map_", page)]
        assert shown == [basemaps.BASEMAPS[first]]


def test_default_basemap_follows_the_setting_and_falls_back_offline(monkeypatch):
    from eventmap import basemaps

    monkeypatch.setenv("EVENTMAP_BASEMAP", "osm")
    assert basemaps.default_basemap() == "osm"
    monkeypatch.setenv("EVENTMAP_BASEMAP", "carto")  # no key: not available
    monkeypatch.delenv("EVENTMAP_CARTO_API_KEY", raising=False)
    assert basemaps.default_basemap() == "offline"


def test_candidates_get_their_own_layer():
    groups = mapview.step_layers(step(), step())
    assert [g.layer_name for g in groups][-1] == CANDIDATES_LAYER
    config = mapview.layer_config(EVENTS, EVENTS | {"n": 1})
    assert config["candidates"]["n"] == 1


def test_a_candidate_s_details_say_it_is_unreviewed(seed_frame):
    row = seed_frame.iloc[0].to_dict() | {"confidence": 0.42}
    assert "<b>Unreviewed candidate</b> · confidence 0.42" in mapview.popup_html(row)
    assert "Unreviewed" not in mapview.popup_html(seed_frame.iloc[0].to_dict())


# --- the offline basemap's outlines (geo/countries.geojson, made by geo/build_countries.py) -----


def build_countries():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_countries", GEO / "build_countries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rings(geometry):
    polygons = geometry["coordinates"]
    return polygons if geometry["type"] == "Polygon" else [r for p in polygons for r in p]


def test_no_outline_of_the_offline_basemap_crosses_the_world():
    """Rings joined across ±180 drew stripes over Russia and the Pacific at world zoom."""
    import json

    served = settings.path("EVENTMAP_GEO") / "countries.geojson"  # what the app publishes
    assert served.resolve() == (GEO / "countries.geojson").resolve()
    data = json.loads(served.read_text(encoding="utf-8"))
    longest = {}
    for feature in data["features"]:
        for ring in rings(feature["geometry"]):
            for (x0, _), (x1, _) in pairwise(ring):
                name = feature["properties"]["name"]
                longest[name] = max(longest.get(name, 0), abs(x1 - x0))
    assert max(longest.values()) <= 180, {k: v for k, v in longest.items() if v > 180}
    # The countries that cross it are still there, on both sides.
    for name in ("Russia", "Fiji", "Antarctica"):
        feature = next(f for f in data["features"] if f["properties"]["name"] == name)
        xs = [x for ring in rings(feature["geometry"]) for x, _ in ring]
        assert min(xs) == -180 and max(xs) == 180


def test_outlines_across_the_antimeridian_and_round_a_pole_are_split():
    from shapely.geometry import shape

    build = build_countries()
    # An island from 170°E to 170°W, as the TopoJSON gives it: one ring through ±180.
    island = {
        "type": "Polygon",
        "coordinates": [[[170, -10], [-170, -10], [-170, -20], [170, -20], [170, -10]]],
    }
    assert build.crosses_antimeridian(island)
    split = build.split_antimeridian(island)
    assert not build.crosses_antimeridian(split)
    parts = shape(split)
    assert parts.geom_type == "MultiPolygon" and len(parts.geoms) == 2
    assert sorted(round(p.area) for p in parts.geoms) == [100, 100]
    assert {p.bounds for p in parts.geoms} == {(170, -20, 180, -10), (-180, -20, -170, -10)}
    # A coast once round the south pole, read by GDAL as the hole of a flat ring at -89.999.
    coast = [[x, -70] for x in range(-180, 180, 30)] + [[-180, -70]]
    flat = [[-180, -89.999], [90, -89.999], [0, -89.999], [-90, -89.999], [-180, -89.999]]
    pole = build.split_antimeridian({"type": "Polygon", "coordinates": [flat, coast]})
    land = shape(pole)
    assert land.is_valid and land.bounds == (-180, -90, 180, -70)
    assert round(land.area) == 360 * 20
    assert not build.crosses_antimeridian(pole)


def test_the_details_show_what_the_source_dataset_says_escaped():
    hostile = "<img src=x onerror=alert(1)>"
    row = {
        "event_id": "acled-X1",
        "event_date": "2020-01-01",
        "date_end": "2020-01-01",
        "time_precision": 1,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "A",
        "actor2": None,
        "location": "Here",
        "place_text": None,
        "geo_precision": 1,
        "fatalities": 3,
        "injured": None,
        "notes": "n",
        "sources": [],
        "source_dataset": "acled",
        "source_event_id": "X1",
        "country": "Testland",
        "admin1": hostile,
        "iso": None,
        "original_type": "Battles",
        "fatalities_low": 3,
        "fatalities_high": 7,
        "source_fields": json.dumps({hostile: hostile, "empty": "", "n": 2}),
    }
    assert mapview.origin_rows(row) == [
        ("Source record", "acled X1"),
        ("Area", f"{hostile}, Testland"),
        ("Original type", "Battles"),
        ("Fatality range", "3–7"),
        (hostile, hostile),
        ("n", "2"),
    ]
    html = mapview.popup_html(row)
    assert hostile not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "From the source dataset" in html
