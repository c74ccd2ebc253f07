"""The Folium map: an offline basemap built once, and event layers swapped as the window moves.

Pure functions: data in, folium objects out, no Streamlit. Every string that comes from data is
HTML-escaped here, in one place (`popup_html`, `tooltip_html`), before it reaches the browser.
Leaflet and plugin assets are local (`eventmap.assets`), set per map instance, never from a CDN.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import xyzservices.providers as xyz
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import Timeline, TimelineSlider
from folium.template import Template
from folium.utilities import JsCode

from . import settings
from .assets import asset_url
from .model import EVENT_TYPES, GEO_PRECISION, TIME_PRECISION

TYPE_COLOURS: dict[str, str] = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#e377c2",
    "Strategic developments": "#1f77b4",
}
OTHER_COLOUR = "#7f7f7f"
TYPE_ORDER = list(EVENT_TYPES)
EVENTS_LAYER, CLUSTERS_LAYER, HEATMAP_LAYER = "Events", "Clusters", "Heatmap"
CANDIDATES_LAYER = "Unreviewed (extracted)"
CANDIDATE_CLASS = "eventmap-candidate"
BASEMAPS = {
    "offline": "Offline (Natural Earth)",
    "osm": "OpenStreetMap",
    "carto": "CartoDB Positron",
}
MARKER_CLASS = "eventmap-event"


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
    return (
        f'<div class="eventmap-popup">'
        f"<b>{_e(date_label(row))}</b><br>"
        f"{_e(row['event_type'])} / {_e(row['sub_event_type'])}<br>"
        f"<b>Actors:</b> {actors or 'not given'}<br>"
        f"<b>Where:</b> {place}{geo_text}<br>"
        f"<b>Fatalities:</b> {count(row['fatalities'])} · <b>Injured:</b> {count(row['injured'])}"
        f"<p>{_e(row['notes'])}</p>"
        f"<b>Sources</b><ul>{sources}</ul>"
        f"<small>{_e(row['event_id'])}</small></div>"
    )


def marker_radii(fatalities: pd.Series) -> np.ndarray:
    """Marker radius in px: 6 with none reported, growing with the square root of fatalities,
    at most 22. (The heat layer's JavaScript inverts this to weigh each point.)"""
    counts = fatalities.astype("float64").fillna(0).to_numpy()
    return np.minimum(22.0, 6.0 + 3.0 * np.sqrt(counts)).round(1)


# --- the base map, built once per dataset ------------------------------------------------------


class EventDetails(MacroElement):
    """The base map's own script: zoom limits, the legend, the user's layer choices, and the
    dataset's tooltip and popup texts, fetched once from `details_url` (see details_table).

    Event layers then carry only positions into that table, never article text.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          var url = {{ this.details_url|tojson }};
          if (window.eventmapDetailsUrl !== url) {
            window.eventmapDetailsUrl = url;
            window.eventmapDetails = null;
            window.eventmapDetailsReady = fetch(url).then(function (r) { return r.json(); })
              .then(function (d) { window.eventmapDetails = d; return d; });
          }
          window.eventmapText = function (i, key) {
            var d = window.eventmapDetails;
            return d && d[i] ? d[i][key] : "Loading…";
          };
          window.eventmapBind = function (layer, i) {
            layer.bindTooltip(function () { return window.eventmapText(i, "tip"); });
            layer.bindPopup(function () { return window.eventmapText(i, "popup"); },
                            {maxWidth: 380, maxHeight: 360});
            layer.on("popupopen", function (e) {
              if (!window.eventmapDetails) {
                window.eventmapDetailsReady.then(function () {
                  e.popup.setContent(window.eventmapText(i, "popup"));
                });
              }
            });
            return layer;
          };
          // Plugins of layers that start switched off (clusters, heat) load when first needed,
          // so the first map waits for Leaflet alone.
          var loading = {};
          window.eventmapLoad = function (scripts, styles) {
            styles.forEach(function (href) {
              if (loading[href]) { return; }
              loading[href] = true;
              var link = document.createElement("link");
              link.rel = "stylesheet";
              link.href = href;
              document.head.appendChild(link);
            });
            return scripts.reduce(function (ready, src) {
              return ready.then(function () {
                return loading[src] || (loading[src] = new Promise(function (done, fail) {
                  var script = document.createElement("script");
                  script.src = src;
                  script.onload = done;
                  script.onerror = fail;
                  document.head.appendChild(script);
                }));
              });
            }, Promise.resolve());
          };
          // The plain event markers persist between windows in one group of their own: a slider
          // step adds and removes only the events that entered or left the window, instead of
          // redrawing them all. The group is on the map while the swapped "Events" layer is.
          // One event's marker from its compact row (see EventLayer), bound to its texts.
          window.eventmapMarker = function (r, colours, className, renderer) {
            var colour = colours[r[2]], hollow = r[4] === 1;
            var marker = L.circleMarker([r[0], r[1]], {
              renderer: renderer, radius: r[3], color: colour, weight: 2,
              dashArray: hollow ? "4 3" : null, fillColor: colour,
              fillOpacity: hollow ? 0.08 : 0.7, className: className
            });
            marker.eventmapIndex = r[5];
            // Leaflet reports the mouse position for a click on a circle wider than 10 px;
            // report the event's own point, which is what the page matches the click against.
            marker.on("click", function (e) { e.latlng = marker.getLatLng(); });
            return window.eventmapBind(marker, r[5]);
          };
          var shown = L.featureGroup(), made = {}, visible = {}, current = null;
          var renderer = L.svg({padding: 0.5});
          // streamlit-folium reports a click only on layers that were on the map when it last
          // swapped the groups; markers shown since then pass their clicks to the current group.
          shown.on("click", function (e) { if (current) { current.fire("click", e); } });
          var sync = function () {
            var on = current !== null && map.hasLayer(current);
            if (on !== map.hasLayer(shown)) { on ? map.addLayer(shown) : map.removeLayer(shown); }
          };
          window.eventmapShowWindow = function (group, rows, colours, className) {
            var wanted = {}, i, r, key;
            for (i = 0; i < rows.length; i++) { wanted[rows[i][5]] = true; }
            for (key in visible) {
              if (!wanted[key]) { shown.removeLayer(visible[key]); delete visible[key]; }
            }
            for (i = 0; i < rows.length; i++) {
              r = rows[i];
              key = r[5];
              if (visible[key]) { continue; }
              made[key] = made[key] || window.eventmapMarker(r, colours, className, renderer);
              shown.addLayer(made[key]);
              visible[key] = made[key];
            }
            current = group;
            group.on("add remove", function () { setTimeout(sync, 0); });
            setTimeout(sync, 0);
            // Read by the browser tests' timings; only the latest is kept.
            performance.clearMarks("eventmap-markers");
            performance.mark("eventmap-markers");
          };
          window.eventmapLayers = window.eventmapLayers || {{ this.layers|tojson }};
          map.setMinZoom(2);
          map.setMaxZoom(18);  // folium sets zoom limits only on tile layers; clusters need one
          map.getContainer().style.background = "#dfe9f2";
          // Remember only what the user ticks: swapping layers also fires overlayremove.
          map.getContainer().addEventListener("change", function (e) {
            var box = e.target;
            if (box.closest && box.closest(".leaflet-control-layers-overlays")) {
              var label = box.nextElementSibling ? box.nextElementSibling.textContent : "";
              window.eventmapLayers[label.trim()] = box.checked;
            }
          }, true);
          var legend = L.control({position: "bottomleft"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "eventmap-legend");
            div.style.cssText = "background:rgba(255,255,255,.9);padding:6px 8px;" +
              "font:12px/1.5 sans-serif;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3)";
            div.innerHTML = {{ this.legend|tojson }};
            return div;
          };
          legend.addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, details_url: str) -> None:
        super().__init__()
        self._name = "EventDetails"
        self.details_url = details_url
        self.layers = {
            EVENTS_LAYER: True,
            CLUSTERS_LAYER: False,
            HEATMAP_LAYER: False,
            CANDIDATES_LAYER: True,
        }
        self.legend = legend_html()


def details_table(frame: gpd.GeoDataFrame) -> list[dict[str, str]]:
    """Escaped tooltip and popup HTML for every event, in the frame's row order. Rows with a
    `confidence` (extractor candidates) say that they are unreviewed, and how sure."""
    table = []
    for row in frame.to_dict("records"):
        tip, popup = tooltip_html(row), popup_html(row)
        confidence = row.get("confidence")
        if confidence is not None and not pd.isna(confidence):
            flag = f"<b>Unreviewed candidate</b> · confidence {float(confidence):.2f}<br>"
            tip = flag + tip
            popup = popup.replace(
                '<div class="eventmap-popup">', f'<div class="eventmap-popup">{flag}', 1
            )
        table.append({"tip": tip, "popup": popup})
    return table


def legend_html() -> str:
    swatch = (
        '<i style="display:inline-block;width:10px;height:10px;border-radius:50%;'
        'margin-right:5px;background:{}"></i>'
    )
    rows = [f"{swatch.format(c)}{_e(t)}" for t, c in TYPE_COLOURS.items()]
    rows.append(
        '<i style="display:inline-block;width:8px;height:8px;border-radius:50%;'
        'margin-right:5px;border:2px dashed #555"></i>date known only to a week or month'
    )
    rows.append("size: fatalities")
    return "<br>".join(rows)


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
    within `timeout` seconds, else the offline basemap. The only network call the map makes
    from the server, and an optional one: any failure means offline."""
    choice = settings.get("EVENTMAP_BASEMAP")
    if choice != "auto":
        return choice if choice in available_basemaps() else "offline"
    import urllib.request

    url = xyz.OpenStreetMap.Mapnik.build_url(x=0, y=0, z=0)
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "eventmap"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return "osm" if answer.status == 200 else "offline"
    except (OSError, ValueError):
        return "offline"


class OfflineBasemap(folium.map.Layer):
    """Country outlines (Natural Earth) drawn by Leaflet from a local URL: a basemap that needs
    no tile server. A base layer, so the layer control offers it beside the tile basemaps."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON(null, {
          pane: "basemap", interactive: false, attribution: "Natural Earth (public domain)",
          style: {color: "#ffffff", weight: 0.8, fillColor: "#f2efe9", fillOpacity: 1}
        });
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


def base_map(
    frame: gpd.GeoDataFrame,
    *,
    details_url: str,
    countries_url: str,
    basemap: str = "offline",
    height: int = 560,
) -> folium.Map:
    """The map that stays put while the user scrubs: basemaps, legend, first view.

    Its content depends only on the dataset and the basemap choice, so Streamlit re-renders
    it identically and the browser keeps its pan and zoom. Big unchanging data stays out of
    it: the popup texts (details_table of the frame) and the country outlines are fetched
    from `details_url` and `countries_url` (see eventmap.published).
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"basemap {basemap!r} is not one of {', '.join(BASEMAPS)}")
    fmap = folium.Map(
        location=[33.0, 44.0],
        zoom_start=5,
        tiles=None,
        height=height,
        control_scale=True,
        prefer_canvas=False,
        world_copy_jump=True,
    )
    _use_local_assets(fmap, js=[("leaflet", "leaflet_js")], css=[("leaflet_css", "leaflet_css")])
    folium.map.CustomPane("basemap", z_index=250, pointer_events=False).add_to(fmap)
    OfflineBasemap(countries_url, show=basemap == "offline").add_to(fmap)
    for key, provider in online_basemaps().items():
        folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=BASEMAPS[key],
            overlay=False,
            show=basemap == key,
            max_zoom=provider.get("max_zoom", 18),
        ).add_to(fmap)
    EventDetails(details_url).add_to(fmap)
    located = frame[frame.geometry.notna()]
    if len(located):
        (south, west), (north, east) = _bounds(located)
        fmap.fit_bounds([[south, west], [north, east]], padding=(30, 30), max_zoom=8)
    return fmap


def _bounds(frame: gpd.GeoDataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    lat, lon = frame["latitude"].to_numpy(), frame["longitude"].to_numpy()
    pad = 1.0  # degrees, so a single event is not drawn at street level
    return (
        (float(lat.min()) - pad, float(lon.min()) - pad),
        (float(lat.max()) + pad, float(lon.max()) + pad),
    )


# --- event layers, rebuilt as the window moves --------------------------------------------------


class EventLayer(MacroElement):
    """One swapped layer drawn in the browser from compact rows: markers, clusters or heat.

    rows: [lat, lon, colour index, radius, hollow (0/1), detail index]. Only the markers layer
    carries them (as `window.eventmapRows`); clusters and heat reuse them, so each event is
    sent once per window. Tooltips and popups are looked up lazily in `window.eventmapDetails`.
    Each plain marker's SVG path has the class `eventmap-event`; plain markers are kept by the
    base map's script between windows, so a step touches only the events that changed.
    streamlit-folium adds every swapped group to the map; a layer the user has off is hidden
    again, and drawn only when switched on.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var group = {{ this._parent.get_name() }};
          var map = {{ this._parent._parent.get_name() }};
          {% if this.kind == "markers" %}
          // streamlit-folium removed the previous groups but keeps them in this list: let go.
          window.feature_group = [];
          window.eventmapRows = {{ this.rows_json }};
          {% endif %}
          var colours = {{ this.colours|tojson }};
          var chosen = (window.eventmapLayers || {})[{{ this._parent.layer_name|tojson }}];
          {% if this.kind == "markers" %}
          // Hide the group first if the user has it off, then let the persistent markers follow
          // (timeouts run in order), so markers the user hid are never drawn in between.
          setTimeout(function () {
            if (!chosen && map.hasLayer(group)) { map.removeLayer(group); }
          }, 0);
          window.eventmapShowWindow(group, window.eventmapRows, colours,
                                    {{ this.marker_class|tojson }});
          {% else %}
          {% if this.kind == "candidates" %}
          var rows = {{ this.rows_json }};
          {% else %}
          var rows = window.eventmapRows || [];
          {% endif %}
          var build = function () {
          {% if this.kind == "heat" %}
          group.addLayer(L.heatLayer(rows.map(function (r) {
            var fatalities = Math.pow((r[3] - 6) / 3, 2);
            return [r[0], r[1], 1 + fatalities];
          }), {radius: 22, blur: 18, minOpacity: 0.35}));
          {% else %}
          var target = {{ "L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40})"
                          if this.kind == "clusters" else "group" }};
          var renderer = L.svg({padding: 0.5});
          for (var i = 0; i < rows.length; i++) {
            var r = rows[i];
            {% if this.kind == "candidates" %}
            // Unreviewed: a grey ring with the type's colour inside, never a solid marker.
            var marker = L.circleMarker([r[0], r[1]], {
              renderer: renderer, radius: r[3], color: "#555", weight: 2, dashArray: "2 3",
              fillColor: colours[r[2]], fillOpacity: 0.25,
              className: {{ this.marker_class|tojson }}
            });
            marker.eventmapIndex = r[5];
            target.addLayer(window.eventmapBind(marker, r[5]));
            {% else %}
            target.addLayer(window.eventmapMarker(r, colours, {{ this.marker_class|tojson }},
                                                  renderer));
            {% endif %}
          }
          if (target !== group) { group.addLayer(target); }
          {% endif %}
          };
          var draw = function () {
            window.eventmapLoad({{ this.plugin_js|tojson }}, {{ this.plugin_css|tojson }})
              .then(build);
          };
          // Draw now only if the user has this layer on; otherwise when they switch it on.
          if (chosen) { draw(); }
          setTimeout(function () {
            if (!chosen) {
              if (map.hasLayer(group)) { map.removeLayer(group); }
              group.once("add", draw);
            }
          }, 0);
          {% endif %}
        })();
        {% endmacro %}
        """
    )

    def __init__(self, kind: str, rows: list[list[Any]] | None = None) -> None:
        super().__init__()
        if kind not in ("markers", "clusters", "heat", "candidates"):
            raise ValueError(f"kind {kind!r} is not markers, clusters, heat or candidates")
        self._name = "EventLayer"
        self.kind = kind
        # Numbers only, so safe inside <script>; compact separators keep the payload small.
        self.rows_json = json.dumps(rows or [], separators=(",", ":"))
        self.colours = [*TYPE_COLOURS.values(), OTHER_COLOUR]
        # Only the plain layer's markers count as drawn events; clustered copies are apart.
        self.marker_class = {"markers": MARKER_CLASS, "candidates": CANDIDATE_CLASS}.get(
            kind, f"{MARKER_CLASS}-clustered"
        )
        # Loaded by the browser when the layer is first drawn (window.eventmapLoad).
        plugins = {
            "clusters": (
                ["markercluster_js"],
                ["markercluster_css", "markercluster_default_css"],
            ),
            "heat": (["leaflet_heat_js"], []),
        }
        js, css = plugins.get(kind, ([], []))
        self.plugin_js = [asset_url(name) for name in js]
        self.plugin_css = [asset_url(name) for name in css]


def marker_rows(window: gpd.GeoDataFrame, positions: np.ndarray) -> list[list[Any]]:
    """Compact rows for the located events of `window`; `positions` index the details table."""
    located = window["latitude"].notna().to_numpy() & window["longitude"].notna().to_numpy()
    if not located.any():
        return []
    frame = window[located]
    colour = pd.Categorical(frame["event_type"], categories=TYPE_ORDER).codes
    colour = np.where(colour < 0, len(TYPE_ORDER), colour)
    radius = marker_radii(frame["fatalities"])
    hollow = (frame["time_precision"].fillna(1).to_numpy() != 1).astype(int)
    lat = frame["latitude"].to_numpy().round(5)
    lon = frame["longitude"].to_numpy().round(5)
    return [
        [a, b, int(c), float(r), int(h), int(p)]
        for a, b, c, r, h, p in zip(
            lat.tolist(),
            lon.tolist(),
            colour.tolist(),
            radius.tolist(),
            hollow.tolist(),
            positions[located].tolist(),
            strict=True,
        )
    ]


def event_layers(
    window: gpd.GeoDataFrame,
    positions: np.ndarray,
    *,
    candidates: tuple[gpd.GeoDataFrame, np.ndarray] | None = None,
) -> list[folium.FeatureGroup]:
    """The swapped layers for one window: markers, clusters, a fatality-weighted heatmap and,
    when given, the extractor's unreviewed candidates (drawn as grey dashed rings).

    `positions` index the details table the base map fetches; so do the candidates' own.
    """
    rows = marker_rows(window, positions)
    layers = [
        (EVENTS_LAYER, "markers", rows),
        (CLUSTERS_LAYER, "clusters", None),
        (HEATMAP_LAYER, "heat", None),
    ]
    if candidates is not None:
        layers.append((CANDIDATES_LAYER, "candidates", marker_rows(*candidates)))
    groups = []
    for name, kind, layer_rows in layers:
        group = folium.FeatureGroup(name=name, overlay=True)
        EventLayer(kind, layer_rows).add_to(group)
        groups.append(group)
    return groups


def layer_control() -> folium.LayerControl:
    return folium.LayerControl(collapsed=True, position="topright")


# --- playback: the in-map animated view ---------------------------------------------------------


def playback_map(
    frame: gpd.GeoDataFrame,
    *,
    details_url: str,
    countries_url: str,
    basemap: str = "offline",
    height: int = 520,
) -> folium.Map:
    """All events on a Leaflet.timeline with its own play/pause slider (a second view)."""
    fmap = base_map(
        frame, details_url=details_url, countries_url=countries_url, basemap=basemap, height=height
    )
    features = []
    radii = marker_radii(frame["fatalities"])
    for position, row in enumerate(frame.to_dict("records")):
        if pd.isna(row["latitude"]):
            continue
        end = pd.Timestamp(row["date_end"]) + pd.Timedelta(days=1)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(row["longitude"], 5), round(row["latitude"], 5)],
                },
                "properties": {
                    "start": pd.Timestamp(row["event_date"]).strftime("%Y-%m-%d"),
                    "end": end.strftime("%Y-%m-%d"),
                    "colour": TYPE_COLOURS.get(row["event_type"], OTHER_COLOUR),
                    "radius": float(radii[position]),
                    "hollow": int(row["time_precision"]) != 1,
                    "detail": position,
                },
            }
        )
    timeline = Timeline(
        {"type": "FeatureCollection", "features": features},
        pointToLayer=JsCode(
            """
            function (feature, latlng) {
              var p = feature.properties;
              return window.eventmapBind(L.circleMarker(latlng, {
                radius: p.radius, color: p.colour, fillColor: p.colour, weight: 2,
                fillOpacity: p.hollow ? 0.08 : 0.7, dashArray: p.hollow ? "4 3" : null,
                className: "eventmap-playback"
              }), p.detail);
            }
            """
        ),
    )
    _use_local_assets(timeline, js=[("timeline", "leaflet_timeline_js"), ("moment", "moment_js")])
    timeline.add_to(fmap)
    slider = TimelineSlider(
        auto_play=False,
        show_ticks=True,
        enable_keyboard_controls=True,
        playback_duration=30000,
        date_options="YYYY-MM-DD",
    )
    _use_local_assets(slider, js=[("timeline", "leaflet_timeline_js"), ("moment", "moment_js")])
    slider.add_timelines(timeline).add_to(fmap)
    return fmap
