"""The map is pure: data in, folium out. Tests render it and read the HTML."""

from __future__ import annotations

import re

import pytest

from eventmap import mapview
from eventmap.frame import to_frame
from eventmap.style import CANDIDATES_LAYER

HOSTILE = "<img src=x onerror=alert(1)>"
EVENTS = {"n": 2, "origin": "2020-01-01", "longest": 0, "data": "/app/static/cache/e.bin.gz"}
SCRIPTS = ["/app/static/cache/1-eventmap-core.js", "/app/static/cache/2-eventmap-map.js"]


def base(**kwargs):
    options = {
        "scripts": SCRIPTS,
        "countries_url": "/app/static/cache/c.geojson",
        "bounds": ((30.0, 40.0), (37.0, 48.0)),
    }
    return mapview.base_map(mapview.layer_config(EVENTS), **options | kwargs)


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
        assert path.is_file() and path.suffix == ".js"


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
            }
        ]
    )


def test_popup_and_tooltip_escape_everything_from_data():
    row = hostile_frame().to_dict("records")[0]
    for text in (mapview.popup_html(row), mapview.tooltip_html(row)):
        assert "<img" not in text and "<script" not in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text


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
