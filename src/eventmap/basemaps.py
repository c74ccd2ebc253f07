"""Which basemaps the page offers, and which comes first. The only module that reads the
basemap settings or asks a tile server anything; the map itself is given the answers.

The map's layer control is the one basemap switch: every basemap offered is one of its base
layers, switched in the browser without a rerun. `default_basemap` (or ?basemap= in the URL)
only picks the one shown first; when its tiles cannot load, the map says so and offers the
offline basemap (static/eventmap-map.js)."""

from __future__ import annotations

import urllib.request

import xyzservices.providers as xyz

from . import settings

BASEMAPS = {
    "offline": "Offline (Natural Earth)",
    "osm": "OpenStreetMap",
    "carto": "CartoDB Positron",
}


def online_basemaps() -> dict[str, xyz.TileProvider]:
    """Tile basemaps (need the internet): OpenStreetMap, and CartoDB when a key is set,
    since CartoDB's tiles now require one (EVENTMAP_CARTO_API_KEY)."""
    providers = {"osm": xyz.OpenStreetMap.Mapnik}
    key = settings.get("EVENTMAP_CARTO_API_KEY")
    if key:
        providers["carto"] = xyz.CartoDB.Positron(apikey=key)
    return providers


def available_basemaps() -> dict[str, str]:
    """Basemap choices for the page: offline first, then the tile services usable now."""
    return {key: BASEMAPS[key] for key in ("offline", *online_basemaps())}


def default_basemap(*, timeout: float = 1.5) -> str:
    """The EVENTMAP_BASEMAP setting; with "auto", OpenStreetMap if its tile server answers
    within `timeout` seconds, else the offline basemap. Optional: any failure means offline."""
    choice = settings.get("EVENTMAP_BASEMAP")
    if choice != "auto":
        return choice if choice in available_basemaps() else "offline"
    url = xyz.OpenStreetMap.Mapnik.build_url(x=0, y=0, z=0)
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "eventmap"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return "osm" if answer.status == 200 else "offline"
    except (OSError, ValueError):
        return "offline"
