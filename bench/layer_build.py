"""The event layer (rebuilt and re-sent on every slider move): build time and JS payload.

The app pays this on each scrub: `event_layers` plus streamlit-folium's
`_get_feature_group_string` per group, whose output is what the browser receives. Ours ships
compact rows that index a details table sent once with the base map; the baseline is the naive
one folium.CircleMarker + Popup + tooltip per event (its HTML built and shipped on every
move), measured in the same run.
Bars for 10,000 events: build <= 0.2 s and payload <= 1 MB.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import folium
import geopandas as gpd
import numpy as np
from streamlit_folium import _get_feature_group_string, _get_map_string

from eventmap import mapview
from eventmap.frame import TimeIndex

from .common import median_seconds, synthetic_events

BUILD_BAR_S, PAYLOAD_BAR_MB = 0.2, 1.0
MB = 1e6  # payload bar in decimal megabytes


def _payload(groups: list[folium.FeatureGroup], fmap: folium.Map) -> str:
    return "".join(_get_feature_group_string(g, map=fmap, idx=i) for i, g in enumerate(groups))


def _naive_layer(frame: gpd.GeoDataFrame) -> list[folium.FeatureGroup]:
    group = folium.FeatureGroup(name=mapview.EVENTS_LAYER)
    radii = mapview.marker_radii(frame["fatalities"])
    for row, radius in zip(frame.to_dict("records"), radii, strict=True):
        colour = mapview.TYPE_COLOURS.get(row["event_type"], mapview.OTHER_COLOUR)
        folium.CircleMarker(
            [row["latitude"], row["longitude"]],
            radius=float(radius),
            color=colour,
            fill_color=colour,
            popup=folium.Popup(mapview.popup_html(row)),
            tooltip=mapview.tooltip_html(row),
        ).add_to(group)
    return [group]


def _timed(
    build: Callable[[], list[folium.FeatureGroup]], maps: list[folium.Map]
) -> tuple[float, int]:
    """Median seconds of build + payload, one fresh base map per run (payload mutates it)."""
    fresh = iter(maps)
    payloads: list[str] = []
    seconds = median_seconds(
        lambda: payloads.append(_payload(build(), next(fresh))), repeat=len(maps)
    )
    return seconds, len(payloads[-1].encode("utf-8"))


def run(n: int = 10_000, *, naive_repeat: int = 1) -> None:
    frame = TimeIndex(synthetic_events(n)).frame
    positions = np.arange(n)
    start = time.perf_counter()
    details = json.dumps(mapview.details_table(frame), separators=(",", ":")).encode("utf-8")
    details_s = time.perf_counter() - start
    urls = {
        "details_url": "/app/static/cache/details.json",
        "countries_url": "/app/static/cache/countries.geojson",
    }
    start = time.perf_counter()
    base = mapview.base_map(frame, **urls)
    base_s = time.perf_counter() - start
    base_bytes = len(_get_map_string(base).encode("utf-8"))

    def fresh_maps(k: int) -> list[folium.Map]:
        return [mapview.base_map(frame, **urls) for _ in range(k)]

    ours_s, ours_b = _timed(lambda: mapview.event_layers(frame, positions), fresh_maps(5))
    naive_s, naive_b = _timed(lambda: _naive_layer(frame), fresh_maps(naive_repeat))

    def verdict(value: float, bar: float) -> str:
        return "met" if value <= bar else f"MISSED by {value / bar - 1:.0%}"

    runs = f"{naive_repeat} run{'s' if naive_repeat > 1 else ''}"
    print(f"event layer build + JS payload (every slider move), {n:,} events in the window")
    print(f"  ours, 3 groups (median of 5):      {ours_s:8.3f} s  {ours_b / MB:7.3f} MB")
    print(f"  naive CircleMarker+Popup ({runs}):  {naive_s:8.3f} s  {naive_b / MB:7.3f} MB")
    print(f"  naive/ours: time {naive_s / ours_s:.1f}x, payload {naive_b / ours_b:.1f}x")
    print(
        f"  once per dataset: popup texts {details_s:.3f} s, {len(details) / MB:.3f} MB "
        f"(a static file the browser fetches once); base map {base_s:.3f} s, "
        f"{base_bytes / MB:.3f} MB per rerun"
    )
    if n == 10_000:
        print(
            f"  bars for 10,000: build <= {BUILD_BAR_S} s {verdict(ours_s, BUILD_BAR_S)}; "
            f"payload <= {PAYLOAD_BAR_MB:g} MB {verdict(ours_b / MB, PAYLOAD_BAR_MB)}"
        )
