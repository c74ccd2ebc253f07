"""eventmap's page: widgets and layout only. Every piece of logic lives in the eventmap package.

Run with `make run` (or `streamlit run app.py`); EVENTMAP_DATA names another events file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from eventmap import assets, filters, mapview, published, settings
from eventmap.export import flat_table, geojson_text
from eventmap.frame import TimeIndex
from eventmap.model import EVENT_TYPES
from eventmap.pipeline import load_candidates, load_dataset
from eventmap.timeline import timeline_spec, with_window

SPEEDS = {"slow (1 day / 1.5 s)": 1.5, "normal (1 day / 0.8 s)": 0.8, "fast (1 day / 0.4 s)": 0.4}
TABLE_COLUMNS = [
    "event_date",
    "date_end",
    "event_type",
    "sub_event_type",
    "location",
    "actor1",
    "actor2",
    "fatalities",
    "injured",
    "notes",
    "event_id",
]

st.set_page_config(page_title="eventmap", page_icon="🗺️", layout="wide")


def _data_version(data: str | None) -> tuple[str | None, float]:
    """Cache key: the file and its modification time, so a rebuilt store is picked up."""
    path = Path(data) if data else settings.path("EVENTMAP_STORE")
    return data, path.stat().st_mtime if path.is_file() else 0.0


@st.cache_resource(show_spinner="Loading events…")
def dataset(data: str | None, version: float, candidates: str | None, candidates_version: float):
    """The events and any unreviewed candidates, sorted and indexed once; their popup texts
    published for the browser as one table (candidates after the events)."""
    frame, label = load_dataset(data)
    index = TimeIndex(frame)
    dated, undated = load_candidates(candidates)
    candidate_index = TimeIndex(dated)
    table = mapview.details_table(index.frame) + mapview.details_table(candidate_index.frame)
    details_url = published.publish_json(table, "details.json")
    return index, label, details_url, candidate_index, undated


@st.cache_data(show_spinner=False)
def chart_spec(*key) -> dict:
    return timeline_spec(dataset(*key)[0].frame)


@st.cache_resource(ttl=600, show_spinner=False)
def first_basemap() -> str:
    return mapview.default_basemap()


@st.cache_resource
def countries_url() -> str:
    return published.publish_file(settings.path("EVENTMAP_GEO") / "countries.geojson")


missing = assets.missing_assets()
if missing:
    st.error(
        "The map's Leaflet files are missing from static/vendor: "
        f"{', '.join(missing)}. Run `make run` (or `python -m eventmap.assets`) once."
    )
    st.stop()

data_arg = os.environ.get("EVENTMAP_DATA") or None
candidates_arg = os.environ.get("EVENTMAP_CANDIDATES") or None
version = (*_data_version(data_arg), *_data_version(candidates_arg))
index, source_label, details_url, candidate_index, undated_candidates = dataset(*version)
map_data = {"details_url": details_url, "countries_url": countries_url()}
frame = index.frame
span = index.span
if span is None:
    st.warning(f"{source_label} holds no events.")
    st.stop()

types_in_data = [t for t in EVENT_TYPES if t in set(frame["event_type"])]

# --- state: initialised once from the URL, then owned by the widgets ---------------------------
if "initialised" not in st.session_state:
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    start = filters.state_from_query(query, span)
    st.session_state.update(
        initialised=True,
        playing=False,
        w_range=(start.start, start.end),
        w_day=start.end,
        w_mode=start.mode,
        w_window=start.window_days,
        w_cumulative=start.cumulative,
        w_types=list(start.types) or list(types_in_data),
        w_actors=list(start.actors),
        w_text=start.text,
        w_minfat=start.min_fatalities,
        w_basemap=start.basemap if "basemap" in query else first_basemap(),
        w_speed=next(iter(SPEEDS)),
    )

basemaps = mapview.available_basemaps()

with st.sidebar:
    st.title("eventmap")
    st.caption(f"Data: {source_label} · {len(frame)} events")
    st.radio(
        "Mode",
        filters.MODES,
        key="w_mode",
        horizontal=True,
        format_func={"range": "Range", "scrub": "Scrub"}.get,
        help="Range: a start and an end date. Scrub: one date and a trailing window.",
    )
    if st.session_state.w_mode == "scrub":
        st.number_input("Window (days)", min_value=1, max_value=3660, key="w_window")
        st.checkbox("Cumulative (everything up to the date)", key="w_cumulative")
        st.selectbox("Playback speed", list(SPEEDS), key="w_speed")
    st.multiselect("Event types", types_in_data, key="w_types")
    st.multiselect("Actors", filters.actors_of(frame), key="w_actors", placeholder="All actors")
    st.text_input("Search", key="w_text", placeholder="notes, places, quotes…")
    st.number_input("Min fatalities", min_value=0, step=1, key="w_minfat")
    st.radio(
        "Basemap",
        list(basemaps),
        key="w_basemap",
        format_func=basemaps.get,
        help="Offline needs no internet; tile basemaps do.",
    )


def current_state() -> filters.FilterState:
    mode = st.session_state.w_mode
    start, end = st.session_state.w_range if mode == "range" else (span[0], st.session_state.w_day)
    types = tuple(st.session_state.w_types)
    return filters.FilterState(
        start=start,
        end=end,
        mode=mode,
        window_days=int(st.session_state.w_window),
        cumulative=bool(st.session_state.w_cumulative),
        types=() if set(types) == set(types_in_data) else types,
        actors=tuple(st.session_state.w_actors),
        text=st.session_state.w_text.strip(),
        min_fatalities=int(st.session_state.w_minfat),
        basemap=st.session_state.w_basemap,
    )


def toggle_playback() -> None:
    st.session_state.playing = not st.session_state.playing
    if st.session_state.playing and st.session_state.w_day >= span[1]:
        st.session_state.w_day = span[0]


def date_controls() -> None:
    """The "Dates" slider: two handles in range mode; one handle and Play/Pause in scrub mode."""
    one_day = dt.timedelta(days=1)
    days = {"min_value": span[0], "max_value": span[1], "step": one_day, "format": "YYYY-MM-DD"}
    if st.session_state.w_mode == "range":
        st.slider("Dates", key="w_range", **days)
        return
    if st.session_state.playing:
        if st.session_state.w_day >= span[1]:
            st.session_state.playing = False
        else:
            st.session_state.w_day = min(span[1], st.session_state.w_day + one_day)
    slider, button = st.columns([8, 1], vertical_alignment="bottom")
    slider.slider("Dates", key="w_day", **days)
    button.button(
        "⏸ Pause" if st.session_state.playing else "▶ Play",
        on_click=toggle_playback,
        width="stretch",
    )
    if st.session_state.playing != st.session_state.timer_on:
        st.rerun(scope="app")  # start or stop the playback timer


def show_details(rows: pd.DataFrame) -> None:
    for row in rows.to_dict("records"):
        st.html(mapview.popup_html(row))


def main_view() -> None:
    date_controls()
    state = current_state()
    st.query_params.from_dict(state.to_query())
    shown, positions = filters.apply(state, index)
    window = state.window(span)
    unlocated = shown[shown.geometry.isna()]
    candidates = None
    if len(candidate_index.frame) or len(undated_candidates):
        found, found_positions = filters.apply(state, candidate_index)
        candidates = (found, found_positions + len(frame))  # after the events in the details
    st.markdown(
        f"**{len(shown)} events** · {window[0].isoformat()} → {window[1].isoformat()}"
        + (f" · {len(unlocated)} without coordinates" if len(unlocated) else "")
        + (f" · {len(candidates[0])} unreviewed candidates" if candidates else "")
    )
    view = st.segmented_control(
        "View", ["Map", "Playback"], key="w_view", label_visibility="collapsed"
    )
    clicked = None
    if view == "Playback":
        st.caption("Every event on an animated timeline: press ▶ on the map's slider.")
        st_folium(
            mapview.playback_map(frame, basemap=state.basemap, **map_data),
            returned_objects=[],
            key="playback",
            render=False,
            height=560,
            use_container_width=True,
        )
    else:
        clicked = st_folium(
            mapview.base_map(frame, basemap=state.basemap, **map_data),
            feature_group_to_add=mapview.event_layers(shown, positions, candidates=candidates),
            layer_control=mapview.layer_control(),
            returned_objects=["last_object_clicked"],
            key="map",
            render=False,  # st_folium renders the map itself once more; the first is redundant
            height=560,
            use_container_width=True,
        )
        if not len(shown):
            st.info("No event matches these dates and filters. Widen the dates or clear a filter.")
    st.vega_lite_chart(with_window(chart_spec(*version), window), width="stretch")
    if candidates:
        label = f"{len(candidates[0])} unreviewed candidates in view"
        if len(undated_candidates):
            label += f", {len(undated_candidates)} without a date (never on the map)"
        with st.expander(label):
            columns = ["confidence", "event_date", "date_end", "event_type", "location", "notes"]
            st.dataframe(
                pd.concat([candidates[0], undated_candidates])[columns],
                hide_index=True,
                width="stretch",
            )
    if len(unlocated):
        with st.expander(f"{len(unlocated)} events without coordinates (not on the map)"):
            st.dataframe(
                unlocated[["event_id", "event_date", "location", "place_text"]], hide_index=True
            )
    table = pd.DataFrame(shown[TABLE_COLUMNS])
    picked = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="table",
        width="stretch",
        column_config={
            "event_date": st.column_config.DateColumn("from", format="YYYY-MM-DD"),
            "date_end": st.column_config.DateColumn("to", format="YYYY-MM-DD"),
        },
    )
    rows = picked.selection.rows if picked else []
    point = (clicked or {}).get("last_object_clicked")
    if rows:
        show_details(shown.iloc[rows])
    elif point:
        near = shown[
            ((shown["latitude"] - point["lat"]).abs() < 1e-4)
            & ((shown["longitude"] - point["lng"]).abs() < 1e-4)
        ]
        show_details(near)
    # The files are made only when a button is clicked (deferred), not on every rerun.
    left, right = st.columns(2)
    left.download_button(
        f"Download GeoJSON ({len(shown)} events)",
        data=lambda: geojson_text(shown),
        file_name="eventmap.geojson",
        mime="application/geo+json",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        f"Download CSV ({len(shown)} events)",
        data=lambda: flat_table(shown).to_csv(index=False, lineterminator="\n"),
        file_name="eventmap.csv",
        mime="text/csv",
        on_click="ignore",
        width="stretch",
    )


# Playback reruns only the main area on a timer; the timer is set when the whole page runs.
speed = SPEEDS.get(st.session_state.get("w_speed"), 0.8)
st.session_state.timer_on = st.session_state.playing
st.fragment(run_every=speed if st.session_state.playing else None)(main_view)()
