"""eventmap's page: widgets and layout only. Every piece of logic lives in the eventmap package.

Run with `make run` (or `eventmap serve`); EVENTMAP_DATA names another events file.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from eventmap import (
    assets,
    basemaps,
    filters,
    guard,
    mapview,
    published,
    review,
    settings,
    sources,
    timeline,
    view,
)
from eventmap.dataset import import_report, load, load_candidates
from eventmap.errors import EventmapError
from eventmap.importers.run import summary_lines
from eventmap.model import EVENT_TYPES
from eventmap.style import TYPE_COLOURS

SPEEDS = {"slow (1 day / 1.5 s)": 1.5, "normal (1 day / 0.8 s)": 0.8, "fast (1 day / 0.4 s)": 0.4}
TABLE_ROWS = {"100 rows": 100, "1,000 rows": 1000}
HEADERS = {
    "event_date": st.column_config.DateColumn("From", format="YYYY-MM-DD"),
    "date_end": st.column_config.DateColumn("To", format="YYYY-MM-DD"),
    "event_type": "Type",
    "sub_event_type": "Sub-type",
    "location": "Place",
    "actor1": "Actor 1",
    "actor2": "Actor 2",
    "fatalities": "Killed",
    "injured": "Injured",
    "notes": "Notes",
    "event_id": "Event id",
    "flags": "Flags",
}
PAGE_CSS = Path(mapview.__file__).parent / "static" / "page.css"

st.set_page_config(page_title="eventmap", page_icon="🗺️", layout="wide")


def _version(data: str | None) -> float:
    """Cache key: the file's modification time, so a rebuilt store is picked up."""
    path = Path(data) if data else settings.path("EVENTMAP_STORE")
    return path.stat().st_mtime if path.is_file() else 0.0


def _review_version(path: str | None) -> tuple[float, ...]:
    """Cache key of the candidates: their file and the review files (a decision hides one)."""
    folder = review.seeds_dir()
    files = (folder / review.REVIEWED_NAME, folder / review.REJECTED_NAME)
    return (_version(path), *(f.stat().st_mtime if f.is_file() else 0.0 for f in files))


@st.cache_resource(max_entries=2, show_spinner=False)
def candidate_records(path: str, version: tuple[float, ...]) -> dict[str, dict]:
    """The extractor's records by id, as review.accept takes them."""
    return {c["event_id"]: c for c in review.read_candidates(path)}


@st.cache_resource(max_entries=3, show_spinner="Preparing the events…")
def dataset(data: str | None, version: float):
    """One copy per dataset version, shared by every session."""
    prepared, label = load(data)
    chart_data = view.timeline_data(prepared)
    # Vega-Lite specs written once: Altair takes about 30 ms a spec, too long for each step.
    chart = timeline.chart_spec(chart_data, colours=TYPE_COLOURS)
    return (
        prepared,
        label,
        chart_data,
        chart,
        view.bounds(prepared),
        view.actors(prepared),
        view.focus_window(prepared),
        view.flag_summary(prepared),
        summary_lines(report) if (report := import_report(prepared.key)) else None,
    )


@st.cache_resource(max_entries=2, show_spinner=False)
def candidates(path: str | None, version: tuple[float, ...]):
    return load_candidates(path)


@st.cache_resource(max_entries=32, show_spinner=False)
def selection(key: str, actors: tuple[str, ...], text: str, min_fatalities: int, flagged: bool):
    """The non-range filters as a mask and its URL, made only when those filters change."""
    target = prepared if key == prepared.key else candidate_set
    state = filters.FilterState(
        start=span[0],
        end=span[1],
        actors=actors,
        text=text,
        min_fatalities=min_fatalities,
        flagged=flagged,
    )
    mask = view.selection(target, state)
    return mask, view.publish_selection(mask)


@st.cache_resource
def static_urls() -> tuple[list[str], str]:
    scripts = [published.publish_file(path) for path in mapview.SCRIPTS]
    return scripts, published.publish_file(settings.path("EVENTMAP_GEO") / "countries.geojson")


@st.cache_resource(ttl=600, show_spinner=False)
def first_basemap() -> str:
    return basemaps.default_basemap()


missing = assets.missing_assets()
if missing:
    st.error(
        "The map's Leaflet files are missing from static/vendor: "
        f"{', '.join(missing)}. Run `make run` (or `python -m eventmap.assets`) once."
    )
    st.stop()

with st.sidebar:
    st.title("eventmap")
    upload = st.file_uploader(
        "Open data",
        type=[suffix.lstrip(".") for suffix in sources.UPLOAD_SUFFIXES],
        key="w_upload",
        help="An ACLED, UCDP GED or GDELT export, or your own table (CSV, TSV, Excel, JSON, "
        "GeoJSON, GeoPackage, Parquet): imported as `eventmap import` does, every record "
        "accounted for.",
    )
data_arg = os.environ.get("EVENTMAP_DATA") or None
candidates_arg = os.environ.get("EVENTMAP_CANDIDATES") or None
active = None
if upload is not None:
    try:
        saved = st.session_state.get("saved_upload")
        if not saved or saved[0] != upload.file_id:  # once per file, not on every rerun
            saved = (upload.file_id, str(sources.save_upload(upload.name, upload.getvalue())))
            st.session_state.saved_upload = saved
        uploaded = saved[1]
        active = dataset(uploaded, _version(uploaded))
    except EventmapError as exc:  # not a table of events: say so, keep showing the rest
        logging.getLogger("eventmap").error("cannot open %s: %s", upload.name, exc)
        st.sidebar.error(f"{upload.name} could not be opened. {exc}")
try:
    active = active or dataset(data_arg, _version(data_arg))
    candidate_set, undated_candidates = candidates(candidates_arg, _review_version(candidates_arg))
except EventmapError as exc:  # a file the command line would refuse: say so, no traceback
    logging.getLogger("eventmap").error("cannot load the events: %s", exc)
    st.error(f"The events could not be loaded. {exc}")
    st.stop()
(
    prepared,
    source_label,
    chart_data,
    chart,
    map_bounds,
    actor_names,
    focus,
    flagged,
    import_lines,
) = active
if st.session_state.get("dataset_key") not in (None, prepared.key):  # another file opened
    for key in [k for k in st.session_state if k.startswith("w_") and k != "w_upload"]:
        del st.session_state[key]
    st.session_state.pop("initialised", None)
    st.query_params.clear()
st.session_state.dataset_key = prepared.key
span = prepared.span
if span is None:
    st.warning(f"{source_label} holds no dated events.")
    st.stop()
if candidate_set is not None and candidate_set.span is not None:
    # A reviewer must reach candidates from another year than the catalog's.
    span = (min(span[0], candidate_set.span[0]), max(span[1], candidate_set.span[1]))
types_in_data = view.types_present(prepared)

# --- state: initialised once from the URL, then owned by the widgets ---------------------------
if "initialised" not in st.session_state:
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    start = filters.state_from_query(query, span, focus)
    st.session_state.update(
        initialised=True,
        focused=focus if "start" not in query and "end" not in query else None,
        playing=False,
        w_range=(start.start, start.end),
        w_day=start.end,
        w_mode=start.mode,
        w_window=start.window_days,
        w_cumulative=start.cumulative,
        w_types=[t for t in start.types if t in types_in_data] or list(types_in_data),
        w_actors=[a for a in start.actors if a in actor_names],
        w_text=start.text,
        w_minfat=start.min_fatalities,
        w_flagged=start.flagged and bool(flagged[0]),
        w_basemap=start.basemap if "basemap" in query else first_basemap(),
        w_speed=next(iter(SPEEDS)),
        w_rows=next(iter(TABLE_ROWS)),
    )

offered = basemaps.available_basemaps()
st.html(PAGE_CSS)

with st.sidebar:
    undated = view.undated(prepared)
    st.caption(
        f"Data: {source_label} · {prepared.n:,} events"
        + (f" ({undated:,} without a date: never on the map)" if undated else "")
    )
    if import_lines:
        with st.expander(f"Import: {import_lines[0]}"):
            st.text("\n".join(import_lines[1:]))  # plain text: reasons quote the data
    if flagged[0]:
        with st.expander(f"{flagged[0]:,} kept with flags: what was odd in the data"):
            st.caption(
                "Each flagged event says why in its Flags column and details. "
                "Nothing was dropped; a value that could not be used was left empty."
            )
            # Plain text: a flag carried in from a file is data, never markdown or HTML.
            st.text("\n".join(f"{n:,} × {kind}" for kind, n in flagged[1]))
        st.checkbox(
            "Only flagged events",
            key="w_flagged",
            help="Review what the data had something odd about (dark rings on the map).",
        )
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
    st.multiselect("Actors", actor_names, key="w_actors", placeholder="All actors")
    st.text_input("Search", key="w_text", placeholder="notes, places, actors, quotes…")
    if candidates_arg:
        st.session_state.setdefault("reviewer", settings.get("EVENTMAP_REVIEWER"))
        st.text_input(
            "Reviewer",
            key="reviewer",
            placeholder="your name",
            help="Recorded with each candidate you accept or reject (EVENTMAP_REVIEWER).",
        )
    st.number_input("Min fatalities", min_value=0, step=1, key="w_minfat")
    st.selectbox(
        "Rows in the table",
        list(TABLE_ROWS),
        key="w_rows",
        help="Each slider step sends the table's rows again: fewer rows, lighter steps.",
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
        flagged=bool(st.session_state.get("w_flagged")),
        basemap=st.session_state.w_basemap,
    )


def toggle_playback() -> None:
    st.session_state.playing = not st.session_state.playing
    if st.session_state.playing and st.session_state.w_day >= span[1]:
        st.session_state.w_day = span[0]


def date_controls() -> None:
    """The "Dates" slider: two handles in range mode; one handle and Play/Pause in scrub mode."""
    if span[0] == span[1]:
        st.markdown(f"Dates: every event is on **{span[0].isoformat()}**")
        return
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
        "Pause" if st.session_state.playing else "▶ Play",
        on_click=toggle_playback,
        width="stretch",
    )
    if st.session_state.playing != st.session_state.timer_on:
        st.rerun(scope="app")  # start or stop the playback timer


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def window_download(rows, kind: str):
    """Deferred: the window's events written when the button is clicked, not on every rerun."""
    return lambda: view.download(prepared, rows, kind)


def main_view() -> None:
    playback = st.session_state.get("w_view") == "Playback"
    if not playback:
        with guard.part("Dates slider"):
            date_controls()
    state = current_state()
    st.query_params.from_dict(state.to_query())
    others = (state.actors, state.text, state.min_fatalities, state.flagged)
    mask, mask_url = selection(prepared.key, *others)
    player_days = max(1, state.window_days) if playback else 0
    shown = view.compute(prepared, state, mask=mask, mask_url=mask_url, player_days=player_days)
    found = None
    if candidate_set is not None:
        with guard.part("unreviewed candidates"):
            c_mask, c_url = selection(candidate_set.key, *others)
            found = view.compute(candidate_set, state, mask=c_mask, mask_url=c_url)
    if not playback:
        count_line(shown, found, state)
    st.segmented_control(
        "View", ["Map", "Playback"], key="w_view", default="Map", label_visibility="collapsed"
    )
    if playback:
        st.caption(
            "Playback runs in the map over every event: press ▶ Play on the map "
            f"(a {plural(player_days, 'day')} window; set its length in Scrub mode)."
        )
    clicked = None
    with guard.part("map"):
        clicked = event_map(state, shown, found)
    if not shown.count and not playback:
        st.info("No event matches these dates and filters. Widen the dates or clear a filter.")
    with guard.part("timeline"):
        # The chart is the same every step (Streamlit then sends a reference to it, not the
        # data); the strip under it shows the window.
        st.caption(
            f"Events per {chart_data.unit}, by type (colours as in the map's legend); "
            "the bar under the chart marks the dates shown."
        )
        st.vega_lite_chart(chart, width="stretch")
        if not playback:  # the player's window lives in the map
            st.html(timeline.window_html(chart_data, shown.window))
    table_rows = TABLE_ROWS[st.session_state.w_rows]
    with guard.part("table of unreviewed candidates"):
        candidates_table(found, table_rows)
    picked_rows: list[int] = []
    with guard.part("table"):
        picked_rows = events_table(shown, table_rows)
    with guard.part("event details"):
        event_details(shown, picked_rows, clicked)
    with guard.part("downloads"):
        downloads(shown.everything)


def count_line(shown, found, state) -> None:
    """ "N events · start → end", and, on the first view, why the dates start where they do."""
    st.markdown(
        f"**{plural(shown.count, 'event')}** · "
        f"{shown.window[0].isoformat()} → {shown.window[1].isoformat()}"
        + (f" · {len(shown.unlocated):,} more without coordinates" if len(shown.unlocated) else "")
        + (f" · {plural(found.count, 'unreviewed candidate')}" if found else "")
    )
    focused = st.session_state.get("focused")
    if focused and (state.start, state.end) == tuple(focused) and state.mode == "range":
        st.caption(
            f"The dates open on {focused[0].isoformat()} → {focused[1].isoformat()}, where most "
            f"events are; the data runs {span[0].isoformat()} → {span[1].isoformat()}. "
            "Drag the slider's handles to see every date."
        )


def event_map(state, shown, found) -> dict | None:
    scripts, countries = static_urls()
    config = mapview.layer_config(
        prepared.client_config(), candidate_set.client_config() if candidate_set else None
    )
    return st_folium(
        mapview.base_map(
            config,
            scripts=scripts,
            countries_url=countries,
            bounds=map_bounds,
            basemap=state.basemap if state.basemap in offered else "offline",
            tiles=basemaps.online_basemaps(),
            types=types_in_data,
        ),
        feature_group_to_add=mapview.step_layers(shown.step, found.step if found else None),
        layer_control=mapview.layer_control(),
        returned_objects=["last_object_clicked_tooltip"],
        key="map",
        render=False,  # st_folium renders the map itself once more; the first is redundant
        height=560,
        use_container_width=True,  # st_folium's own option
    )


def candidates_table(found, table_rows: int) -> None:
    """The Unreviewed candidates in view; pick one to accept (maybe edited) or reject."""
    if message := st.session_state.pop("review_message", None):
        st.success(message)
    if found is None and not undated_candidates.num_rows:
        return
    label = f"{plural(found.count if found else 0, 'unreviewed candidate')} in view"
    if undated_candidates.num_rows:
        label += f", {undated_candidates.num_rows:,} without a date (never on the map)"
    with st.expander(label, expanded=bool(st.session_state.get("review_open"))):
        if found is None:
            return
        page = view.table_page(candidate_set, found.rows, limit=table_rows)
        picked = st.dataframe(
            page,
            hide_index=True,
            column_config=HEADERS,
            on_select="rerun",
            selection_mode="single-row",
            key=f"candidates-{st.session_state.get('decisions', 0)}",  # new after each decision
        )
        rows = list(picked.selection.rows) if picked else []
        if not rows:
            st.caption("Select a candidate to accept it, edit then accept it, or reject it.")
            return
        record = candidate_records(candidates_arg, _review_version(candidates_arg)).get(
            str(page["event_id"].iloc[rows[0]])
        )
        if record is not None:
            review_form(record)


def review_form(record: dict) -> None:
    """Accept (with the fields as edited here) or reject one candidate; the quote is shown
    and always kept. The decision is written, the store rebuilt, the page rerun."""
    source = (record.get("sources") or [{}])[0]
    st.markdown(f"**Candidate {record['event_id']}** · confidence {record.get('confidence')}")
    st.text(
        f"“{source.get('quote', '')}”\n— {source.get('document')} "
        f"[{source.get('start')}:{source.get('end')}]"
    )
    place = place_search(record)
    kinds = [f"{t} / {s}" for t, subs in EVENT_TYPES.items() for s in subs]
    given = f"{record.get('event_type')} / {record.get('sub_event_type')}"
    with st.form(f"review-{record['event_id']}"):
        left, right = st.columns(2)
        start = left.date_input("From", value=_day(record.get("event_date")))
        end = right.date_input("To", value=_day(record.get("date_end")))
        index = kinds.index(given) if given in kinds else 0
        kind = st.selectbox("Type / sub-type", kinds, index=index)
        left, right = st.columns(2)
        actor1 = left.text_input("Actor 1", value=record.get("actor1") or "")
        actor2 = right.text_input("Actor 2", value=record.get("actor2") or "")
        location = st.text_input("Place", value=place[0] if place else record.get("location") or "")
        left, right = st.columns(2)
        counts = {"min_value": 0, "step": 1}
        fatalities = left.number_input("Killed", value=record.get("fatalities"), **counts)
        injured = right.number_input("Injured", value=record.get("injured"), **counts)
        notes = st.text_area("Notes", value=record.get("notes") or "")
        reason = st.text_input("Reason (when rejecting)")
        accept, reject = st.columns(2)
        accepted = accept.form_submit_button("Accept", type="primary", width="stretch")
        rejected = reject.form_submit_button("Reject", width="stretch")
    if not (accepted or rejected):
        return
    who = st.session_state.get("reviewer", "")
    try:
        if rejected:
            review.reject(record, reviewer=who, reason=reason)
            message = f"{record['event_id']} rejected: it will not be proposed again."
        else:
            event_type, sub_type = kind.split(" / ", 1)
            fields = {
                "event_date": start,
                "date_end": end,
                "event_type": event_type,
                "sub_event_type": sub_type,
                "actor1": actor1,
                "actor2": actor2,
                "location": location,
                "fatalities": fatalities,
                "injured": injured,
                "notes": notes,
            }
            if place and location == place[0]:
                fields.update(latitude=place[1], longitude=place[2], geo_precision=place[3])
            changes = {k: v for k, v in fields.items() if _changed(record.get(k), v)}
            folder = Path(candidates_arg).parent
            entry = review.accept(record, reviewer=who, changes=changes, documents=[folder])
            review.rebuild_store()
            message = f"{record['event_id']} accepted as {entry['event_id']}, into the store."
    except EventmapError as exc:
        st.error(str(exc))
        return
    st.session_state.review_message = message
    st.session_state.review_open = True  # the table stays open for the next candidate
    st.session_state.decisions = st.session_state.get("decisions", 0) + 1
    st.rerun()


def place_search(record: dict) -> tuple[str, float, float, int] | None:
    """Find a place in the gazetteer for the candidate: (name, lat, lon, precision) chosen."""
    query = st.text_input(
        "Find a place", key=f"place-{record['event_id']}", placeholder="search the gazetteer…"
    )
    if not query.strip():
        return None
    found = review_places(query.strip())
    if not found:
        st.caption(f"No place named {query!r} in the gazetteer; the Place field is free text.")
        return None
    labels = [f"{name} ({country}, {lat:.3f}, {lon:.3f})" for name, country, lat, lon, _ in found]
    choice = st.selectbox("Matches", range(len(found)), format_func=labels.__getitem__)
    name, _, lat, lon, precision = found[choice]
    return name, lat, lon, precision


@st.cache_resource(max_entries=256, show_spinner=False)
def review_places(query: str) -> list[tuple[str, str, float, float, int]]:
    return review.place_matches(query)


def _day(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _changed(before, after) -> bool:
    if isinstance(after, dt.date):
        return _day(before) != after if isinstance(before, str) else before != after
    if after in ("", None) and before in ("", None):
        return False
    return before != after


def events_table(shown, table_rows: int) -> list[int]:
    """The window's events, a page of them; returns the rows the user selected."""
    if len(shown.unlocated):
        with st.expander(f"{plural(len(shown.unlocated), 'event')} without coordinates"):
            st.dataframe(
                view.table_page(prepared, shown.unlocated, limit=table_rows),
                hide_index=True,
                column_config=HEADERS,
            )
    page = view.table_page(prepared, shown.rows, limit=table_rows)
    if shown.count > len(page):
        st.caption(
            f"Showing the first {len(page):,} of {shown.count:,} events of "
            f"{shown.window[0].isoformat()} → {shown.window[1].isoformat()}, by date "
            "(rows in the table: sidebar; the downloads hold them all)."
        )
    picked = st.dataframe(
        page,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="table",
        width="stretch",
        column_config=HEADERS,
    )
    return list(picked.selection.rows) if picked else []


def event_details(shown, picked_rows: list[int], clicked: dict | None) -> None:
    """The picked event (a table row, or a click on the map) in full, under the table."""
    row = int(shown.rows[picked_rows[0]]) if picked_rows else view.picked_row(prepared, clicked)
    if row is not None:
        st.html(mapview.popup_html(view.details(prepared, row)))
    elif candidate_set is not None:
        row = view.picked_row(candidate_set, clicked, "candidates")
        if row is not None:
            st.html(mapview.popup_html(view.details(candidate_set, row)))


def downloads(everything) -> None:
    """The files are made only when a button is clicked (deferred), not on every rerun; they
    hold every event of the window, those without coordinates too."""
    left, right = st.columns(2)
    left.download_button(
        f"Download GeoJSON ({plural(len(everything), 'event')})",
        data=window_download(everything, "GeoJSON"),
        file_name="eventmap.geojson",
        mime="application/geo+json",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        f"Download CSV ({plural(len(everything), 'event')})",
        data=window_download(everything, "CSV"),
        file_name="eventmap.csv",
        mime="text/csv",
        on_click="ignore",
        width="stretch",
    )


# Playback reruns only the main area on a timer; the timer is set when the whole page runs.
speed = SPEEDS.get(st.session_state.get("w_speed"), 0.8)
st.session_state.timer_on = st.session_state.playing


def guarded_main_view() -> None:
    with guard.part("page"):  # the last line of defence: each part above also fails alone
        main_view()


st.fragment(run_every=speed if st.session_state.playing else None)(guarded_main_view)()
