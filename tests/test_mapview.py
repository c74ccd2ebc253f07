"""The map is pure: data in, folium out. Tests render it and read the HTML."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from eventmap import mapview
from eventmap.frame import TimeIndex, to_frame

HOSTILE = "<img src=x onerror=alert(1)>"
URLS = {"details_url": "/app/static/cache/d.json", "countries_url": "/app/static/cache/c.geojson"}


@pytest.fixture(scope="module")
def seed_index(seed_frame):
    return TimeIndex(seed_frame)


def render(fmap) -> str:
    return fmap.get_root().render()


def test_map_html_uses_only_local_assets(seed_index):
    fmap = mapview.base_map(seed_index.frame, **URLS)
    for group in mapview.event_layers(seed_index.frame, np.arange(len(seed_index.frame))):
        group.add_to(fmap)
    mapview.layer_control().add_to(fmap)
    page = render(fmap)
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert links, "the map links its scripts and styles"
    assert all(link.startswith("/app/static/vendor/") for link in links), links
    assert all(f'"{url}"' in page for url in URLS.values())  # fetched, not embedded
    for cdn in ("jsdelivr", "cdnjs", "unpkg", "code.jquery", "bootstrapcdn", "googleapis"):
        assert cdn not in page
    assert "leaflet.markercluster" in page and "leaflet-heat" in page


def test_playback_map_assets_are_local_too(seed_index):
    page = render(mapview.playback_map(seed_index.frame, **URLS))
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert links and all(link.startswith("/app/static/vendor/") for link in links), links
    assert "L.timeline" in page and "timelineSliderControl" in page


def test_setting_assets_on_one_map_does_not_touch_folium_classes(seed_index):
    import folium

    mapview.base_map(seed_index.frame, **URLS)
    assert "cdn.jsdelivr.net" in dict(folium.Map.default_js)["leaflet"]


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


def test_hostile_text_cannot_break_out_of_the_map_script():
    frame = hostile_frame()
    fmap = mapview.base_map(frame, **URLS)
    for group in mapview.event_layers(frame, np.arange(1)):
        group.add_to(fmap)
    page = render(fmap)
    assert "<img src=x" not in page and "</script><script>alert(2)" not in page


def test_popup_carries_every_source_and_says_what_is_unknown(seed_index):
    row = seed_index.frame.set_index("event_id").loc["IRQ-20191227-KIRKUK-ROCKETS"]
    html = mapview.popup_html(row.to_dict() | {"event_id": "IRQ-20191227-KIRKUK-ROCKETS"})
    assert html.count("<li>") == len(row["sources"]) == 4
    assert "000_97cfeaf750d32181.txt" in html and "Fatalities:</b> 1" in html
    ranged = seed_index.frame.set_index("event_id").loc["IRQ-202003-AL-QAIM-HANDOVER"]
    html = mapview.popup_html(ranged.to_dict() | {"event_id": "x"})
    assert "2020-03-01 – 2020-03-31 (within a month or coarser)" in html
    assert "not reported" in html


def test_marker_rows_are_compact_and_mark_ranged_dates_hollow(seed_index):
    frame = seed_index.frame
    rows = mapview.marker_rows(frame, np.arange(len(frame)))
    assert len(rows) == len(frame)
    by_id = dict(zip(frame["event_id"], rows, strict=True))
    assert by_id["IRQ-202003-AL-QAIM-HANDOVER"][4] == 1  # month precision: hollow
    assert by_id["IRQ-20191227-KIRKUK-ROCKETS"][4] == 0
    assert by_id["IRQ-20200311-ROCKETS-NEAR-BAGHDAD"][3] > by_id["IRQ-20191227-KIRKUK-ROCKETS"][3]
    assert len(json.dumps(rows)) / len(rows) < 60  # bytes per event in the swapped layer


def test_events_without_coordinates_are_not_drawn(seed_index):
    frame = seed_index.frame.copy()
    frame.loc[0, ["latitude", "longitude"]] = np.nan
    assert len(mapview.marker_rows(frame, np.arange(len(frame)))) == len(frame) - 1


def test_basemaps_offer_offline_always_and_carto_only_with_a_key(monkeypatch):
    monkeypatch.delenv("EVENTMAP_CARTO_API_KEY", raising=False)
    assert list(mapview.available_basemaps()) == ["offline", "osm"]
    monkeypatch.setenv("EVENTMAP_CARTO_API_KEY", "k")
    assert list(mapview.available_basemaps()) == ["offline", "osm", "carto"]
    with pytest.raises(ValueError, match="basemap 'nope'"):
        mapview.base_map(hostile_frame(), basemap="nope", **URLS)


def test_default_basemap_follows_the_setting_and_falls_back_offline(monkeypatch):
    monkeypatch.setenv("EVENTMAP_BASEMAP", "osm")
    assert mapview.default_basemap() == "osm"
    monkeypatch.setenv("EVENTMAP_BASEMAP", "carto")  # no key: not available
    monkeypatch.delenv("EVENTMAP_CARTO_API_KEY", raising=False)
    assert mapview.default_basemap() == "offline"


def test_candidates_get_their_own_distinct_layer(seed_index):
    frame = seed_index.frame
    groups = mapview.event_layers(
        frame, np.arange(len(frame)), candidates=(frame.iloc[:2], np.array([18, 19]))
    )
    assert [g.layer_name for g in groups][-1] == mapview.CANDIDATES_LAYER
    fmap = mapview.base_map(frame, **URLS)
    for group in groups:
        group.add_to(fmap)
    page = render(fmap)
    assert '"eventmap-candidate"' in page and "[33.29889,44.39611" in page


def test_candidate_popups_say_they_are_unreviewed(seed_index):
    frame = seed_index.frame.iloc[:1].copy()
    frame["confidence"] = 0.42
    details = mapview.details_table(frame)[0]
    assert "Unreviewed candidate</b> · confidence 0.42" in details["popup"]
    assert details["tip"].startswith("<b>Unreviewed candidate")
