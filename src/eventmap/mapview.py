"""The Folium map: a base map built once per dataset, and a tiny step per slider move.

The events reach the browser once, as the binary arrays of `eventmap.dataset`, drawn by our own
Leaflet layer (static/eventmap-map.js). The base map only points the layer at them; a slider
step sends feature groups that carry a window (numbers and our own URLs, never text from data).

Pure functions: data in, folium objects out, no Streamlit, no settings, no network. Text from
data reaches HTML only through `popup_html`/`tooltip_html` (escaped), for the details panel;
the map's popups are built in the browser with textContent.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import pandas as pd
import xyzservices
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from .assets import asset_url
from .basemaps import BASEMAPS
from .model import GEO_PRECISION, TIME_PRECISION
from .style import (
    CANDIDATES_LAYER,
    CLUSTERS_LAYER,
    COLOURS,
    EVENTS_LAYER,
    HEATMAP_LAYER,
    TYPE_NAMES,
)

# Our own map files, published to static/cache by the app: the JavaScript in load order, and
# its stylesheet (the page passes all their URLs as `scripts`; the .css one is linked as CSS).
SCRIPTS = tuple(
    Path(__file__).parent / "static" / name
    for name in ("eventmap-core.js", "eventmap-map.js", "eventmap-map.css")
)


def _use_local_assets(
    element: JSCSSMixin, js: Sequence[tuple[str, str]] = (), css: Sequence[tuple[str, str]] = ()
) -> None:
    """Point one element (not its class: that list is shared by every map) at local assets."""
    element.default_js = [(name, asset_url(asset)) for name, asset in js]
    element.default_css = [(name, asset_url(asset)) for name, asset in css]


# --- text: everything from data is escaped here -----------------------------------------------


def _e(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def date_label(row: Any) -> str:
    """'2019-12-27', or '2020-03-01 – 2020-03-31 (within a month or coarser)' for a ranged date."""
    start, end = pd.Timestamp(row["event_date"]).date(), pd.Timestamp(row["date_end"]).date()
    label = start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"
    precision = row["time_precision"]
    if not pd.isna(precision) and int(precision) != 1:
        label += f" ({TIME_PRECISION[int(precision)]})"
    return label


def short_title(row: Any) -> str:
    return f"{row['sub_event_type'] or row['event_type']} · {row['location'] or 'place unknown'}"


def tooltip_html(row: Any) -> str:
    return f"<b>{_e(date_label(row))}</b><br>{_e(short_title(row))}"


def popup_html(row: Any) -> str:
    """The event's details and every source quote, escaped, for popups and the details panel."""

    def count(value: Any) -> str:
        return "not reported" if pd.isna(value) else _e(int(value))

    geo = row["geo_precision"]
    geo_text = "" if pd.isna(geo) else f" ({_e(GEO_PRECISION[int(geo)])})"
    actors = " vs ".join(_e(a) for a in (row["actor1"], row["actor2"]) if a)
    place = _e(row["location"] or "place unknown")
    if row["place_text"] and row["place_text"] != row["location"]:
        place += f" — “{_e(row['place_text'])}”"
    sources = "".join(
        f"<li><q>{_e(s.get('quote'))}</q> <cite>{_e(s.get('document'))}</cite></li>"
        for s in row["sources"] or ()
    )
    flags = row.get("flags") if hasattr(row, "get") else None
    flag_list = (
        "<b>Flags (what was odd in the data)</b><ul>"
        + "".join(f"<li>{_e(f)}</li>" for f in str(flags).split("; "))
        + "</ul>"
        if isinstance(flags, str) and flags
        else ""
    )
    origin = origin_rows(row) if hasattr(row, "get") else []
    origin_html = (
        '<details class="eventmap-origin"><summary>From the source dataset</summary>'
        + "".join(f"<b>{_e(label)}:</b> {_e(text)}<br>" for label, text in origin)
        + "</details>"
        if origin
        else ""
    )
    confidence = row.get("confidence") if hasattr(row, "get") else None
    flag = (
        f"<b>Unreviewed candidate</b> · confidence {float(confidence):.2f}<br>"
        if confidence is not None and not pd.isna(confidence)
        else ""
    )
    return (
        f'<div class="eventmap-popup">{flag}'
        f"<b>{_e(date_label(row))}</b><br>"
        f"{_e(row['event_type'])} / {_e(row['sub_event_type'])}<br>"
        f"<b>Actors:</b> {actors or 'not given'}<br>"
        f"<b>Where:</b> {place}{geo_text}<br>"
        f"<b>Fatalities:</b> {count(row['fatalities'])} · <b>Injured:</b> {count(row['injured'])}"
        f"<p>{_e(row['notes'])}</p>{origin_html}{flag_list}"
        f"<b>Sources</b><ul>{sources}</ul>"
        f"<small>{_e(row['event_id'])}</small></div>"
    )


def origin_rows(row: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What an imported dataset says of the event in its own terms, as (label, text): its
    record, the admin areas, its own type, a fatality range, its other columns (the same as
    the map's popup, static/eventmap-core.js `origin`)."""

    def given(name: str) -> Any:
        value = row.get(name)
        return None if value is None or (isinstance(value, float) and pd.isna(value)) else value

    rows: list[tuple[str, str]] = []
    record = " ".join(str(v) for v in (given("source_dataset"), given("source_event_id")) if v)
    if record:
        rows.append(("Source record", record))
    areas = [str(given(n)) for n in ("admin3", "admin2", "admin1", "country") if given(n)]
    if given("iso"):
        areas.append(f"ISO {given('iso')}")
    if areas:
        rows.append(("Area", ", ".join(areas)))
    if given("original_type"):
        rows.append(("Original type", str(given("original_type"))))
    low, high = given("fatalities_low"), given("fatalities_high")
    if low is not None or high is not None:
        rows.append(("Fatality range", "–".join("?" if v is None else str(v) for v in (low, high))))
    fields = given("source_fields")
    if fields:
        try:
            more = json.loads(fields)
        except ValueError:
            more = {"source_fields": fields}
        if not isinstance(more, dict):
            more = {"source_fields": more}
        for key, value in more.items():
            if value is not None and value != "":
                text = value if isinstance(value, str) else json.dumps(value)
                rows.append((str(key), text))
    return rows


# --- the base map, built once per dataset ------------------------------------------------------


class EventMapScript(JSCSSMixin, MacroElement):
    """The base map's own script: loads our layer's JavaScript (as folium loads a plugin's
    `default_js`) and starts it on the dataset's binary file, with the legend.

    `config` holds numbers, our own URLs and our own labels only, never text from data.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        eventmap.init({{ this._parent.get_name() }}, {{ this.config|tojson }});
        (function () {
          var legend = L.control({position: "bottomleft"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "eventmap-legend");
            div.style.cssText = "background:rgba(255,255,255,.9);padding:6px 8px;" +
              "font:12px/1.5 sans-serif;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3)";
            div.innerHTML = {{ this.legend|tojson }};
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, config: Mapping[str, Any], scripts: Sequence[str], legend: str) -> None:
        super().__init__()
        self._name = "EventMapScript"
        self.config = dict(config)
        self.legend = legend
        css = [url for url in scripts if url.endswith(".css")]
        js = [url for url in scripts if not url.endswith(".css")]
        self.default_js = [(f"eventmap_{k}", url) for k, url in enumerate(js)]
        self.default_css = [(f"eventmap_css_{k}", url) for k, url in enumerate(css)]


def legend_html(types: Sequence[str] = TYPE_NAMES) -> str:
    """The legend: the event types given (those in the data), ranged dates, and size."""
    swatch = (
        '<i style="display:inline-block;width:10px;height:10px;border-radius:50%;'
        'margin-right:5px;background:{}"></i>'
    )
    colours = dict(zip(TYPE_NAMES, COLOURS, strict=True))
    rows = [f"{swatch.format(colours[t])}{_e(t)}" for t in TYPE_NAMES if t in types]
    rows.append(
        '<i style="display:inline-block;width:8px;height:8px;border-radius:50%;'
        'margin-right:5px;border:2px solid #555"></i>hollow: date known only to a week or month'
    )
    rows.append(
        '<i style="display:inline-block;width:8px;height:8px;border-radius:50%;'
        'margin-right:5px;border:2px solid #141414"></i>dark ring: flagged, something odd in '
        "the data (see the popup)"
    )
    rows.append("size: fatalities")
    return "<br>".join(rows)


class OfflineBasemap(folium.map.Layer):
    """Country outlines (Natural Earth) drawn by Leaflet from a local URL: a basemap that needs
    no tile server. A base layer, so the layer control offers it beside the tile basemaps; the
    map's script offers it too when tiles fail to load (eventmap.offlineBasemap)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON(null, {
          pane: "basemap", interactive: false, attribution: "Natural Earth (public domain)",
          style: {color: "#ffffff", weight: 0.8, fillColor: "#f2efe9", fillOpacity: 1}
        });
        (window.eventmap = window.eventmap || {}).offlineBasemap = {{ this.get_name() }};
        fetch({{ this.url|tojson }}).then(function (r) { return r.json(); })
          .then(function (data) { {{ this.get_name() }}.addData(data); });
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, url: str, *, show: bool = True) -> None:
        super().__init__(name=BASEMAPS["offline"], overlay=False, control=True, show=show)
        self._name = "OfflineBasemap"
        self.url = url


def layer_config(
    events: Mapping[str, Any], candidates: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What eventmap.init needs: the datasets' arrays (dataset.Prepared.client_config), the
    colours by type code, the precision labels, the layers on at first, the heat plugin."""
    return {
        "events": dict(events),
        "candidates": dict(candidates) if candidates else None,
        "colours": list(COLOURS),
        "labels": {"time": TIME_PRECISION, "geo": GEO_PRECISION},
        "layers": {
            EVENTS_LAYER: True,
            CLUSTERS_LAYER: False,
            HEATMAP_LAYER: False,
            CANDIDATES_LAYER: True,
        },
        "heatJs": [asset_url("leaflet_heat_js")],
    }


def base_map(
    config: Mapping[str, Any],
    *,
    scripts: Sequence[str],
    countries_url: str,
    bounds: tuple[tuple[float, float], tuple[float, float]] | None,
    basemap: str = "offline",
    tiles: Mapping[str, xyzservices.TileProvider] | None = None,
    types: Sequence[str] = TYPE_NAMES,
    height: int = 560,
) -> folium.Map:
    """The map that stays put while the user scrubs: basemaps, legend, first view, our layer.

    Its content depends only on the dataset and the basemap choice, so Streamlit re-renders it
    identically and the browser keeps its pan and zoom. `config` comes from `layer_config`;
    `scripts` are the URLs of our JavaScript files; `tiles` the online basemaps on offer.
    """
    tiles = dict(tiles or {})
    if basemap not in BASEMAPS or (basemap != "offline" and basemap not in tiles):
        raise ValueError(f"basemap {basemap!r} is not one of {', '.join(['offline', *tiles])}")
    fmap = folium.Map(
        location=[33.0, 44.0],
        zoom_start=5,
        tiles=None,
        height=height,
        control_scale=True,
        world_copy_jump=True,
    )
    _use_local_assets(fmap, js=[("leaflet", "leaflet_js")], css=[("leaflet_css", "leaflet_css")])
    folium.map.CustomPane("basemap", z_index=250, pointer_events=False).add_to(fmap)
    OfflineBasemap(countries_url, show=basemap == "offline").add_to(fmap)
    for key, provider in tiles.items():
        folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=BASEMAPS[key],
            overlay=False,
            show=basemap == key,
            max_zoom=provider.get("max_zoom", 18),
        ).add_to(fmap)
    EventMapScript(config, scripts, legend_html(types)).add_to(fmap)
    if bounds is not None:
        (south, west), (north, east) = bounds
        fmap.fit_bounds([[south, west], [north, east]], padding=(30, 30), max_zoom=8)
    return fmap


# --- a slider step: tiny feature groups that move the window ------------------------------------


class WindowStep(MacroElement):
    """Calls eventmap.step for its feature group: the window in days since the dataset's
    origin, the type mask, and the URL of the selection (filters that are not ranges)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        eventmap.step({{ this._parent.get_name() }}, {{ this._parent.layer_name|tojson }},
                      {{ this.kind|tojson }}, {{ this.args|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, kind: str, args: Mapping[str, Any] | None) -> None:
        super().__init__()
        if kind not in ("events", "clusters", "heat", "candidates"):
            raise ValueError(f"kind {kind!r} is not events, clusters, heat or candidates")
        self._name = "WindowStep"
        self.kind = kind
        self.args = _numbers_and_urls(args) if args is not None else None


def _numbers_and_urls(args: Mapping[str, Any]) -> dict[str, Any]:
    """Refuse anything but numbers and our own static URLs: this text is evaluated."""
    clean = {}
    for key, value in args.items():
        if isinstance(value, bool) or not isinstance(value, int | float | str | None):
            raise ValueError(f"step argument {key}={value!r} is not a number or URL")
        if isinstance(value, str) and not value.startswith("/app/static/cache/"):
            raise ValueError(f"step argument {key}={value!r} is not one of our static URLs")
        clean[key] = value
    return clean


def step_layers(
    events: Mapping[str, Any], candidates: Mapping[str, Any] | None = None
) -> list[folium.FeatureGroup]:
    """The feature groups of one step: Events (with the window), Clusters, Heatmap and, with
    candidates, the Unreviewed layer. Each is a few hundred bytes whatever the data size."""
    layers = [
        (EVENTS_LAYER, "events", events),
        (CLUSTERS_LAYER, "clusters", None),
        (HEATMAP_LAYER, "heat", None),
    ]
    if candidates is not None:
        layers.append((CANDIDATES_LAYER, "candidates", candidates))
    groups = []
    for name, kind, args in layers:
        group = folium.FeatureGroup(name=name, overlay=True)
        WindowStep(kind, args).add_to(group)
        groups.append(group)
    return groups


def layer_control() -> folium.LayerControl:
    return folium.LayerControl(collapsed=True, position="topright")
