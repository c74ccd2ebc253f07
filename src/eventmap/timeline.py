"""The timeline under the map: events per day stacked by type, ranged dates as spans, the window."""

from __future__ import annotations

import datetime as dt

import altair as alt
import geopandas as gpd
import pandas as pd

from .mapview import TYPE_COLOURS

WINDOW_DATA = "eventmap_window"


def timeline_spec(frame: gpd.GeoDataFrame, *, height: int = 170) -> dict:
    """The chart as a Vega-Lite spec, built once per dataset; `with_window` marks a window.

    Day-precision events are stacked daily bars; week/month-precision ones thin dashed spans
    (drawn at no particular count, so none reads as a known day). The window is a named
    dataset, so moving it changes a few bytes instead of rebuilding the chart.
    """
    colour = alt.Color(
        "event_type:N",
        title="Event type",
        scale=alt.Scale(domain=list(TYPE_COLOURS), range=list(TYPE_COLOURS.values())),
        legend=alt.Legend(orient="right"),
    )
    table = pd.DataFrame(
        {
            "start": frame["event_date"],
            "stop": frame["date_end"] + pd.Timedelta(days=1),
            "event_type": frame["event_type"],
            "event_id": frame["event_id"],
            "day_known": frame["time_precision"].fillna(1).astype(int) == 1,
        }
    )
    days = table[table["day_known"]]
    ranged = table[~table["day_known"]]
    base_x = alt.X("start:T", title=None)
    layers = [
        alt.Chart(alt.NamedData(name=WINDOW_DATA))
        .mark_rect(color="#4c78a8", opacity=0.15)
        .encode(x=base_x, x2="stop:T"),
        alt.Chart(days)
        .mark_bar(width=5)
        .encode(
            x=alt.X("yearmonthdate(start):T", title=None),
            y=alt.Y("count():Q", title="events per day", axis=alt.Axis(tickMinStep=1)),
            color=colour,
            tooltip=[
                alt.Tooltip("yearmonthdate(start):T", title="day"),
                "event_type:N",
                alt.Tooltip("count():Q", title="events"),
            ],
        ),
    ]
    if len(ranged):
        layers.append(
            alt.Chart(ranged)
            .mark_rule(strokeWidth=4, opacity=0.5, strokeDash=[4, 2])
            .encode(
                x=base_x,
                x2="stop:T",
                y=alt.datum(0.2),
                color=colour,
                tooltip=[
                    "event_id:N",
                    "event_type:N",
                    alt.Tooltip("start:T", title="from"),
                    alt.Tooltip("stop:T", title="to"),
                ],
            )
        )
    return alt.layer(*layers).properties(height=height).to_dict()


def with_window(spec: dict, window: tuple[dt.date, dt.date]) -> dict:
    """A shallow copy of `spec` whose shaded window is [window[0], window[1]] (whole days)."""
    stop = window[1] + dt.timedelta(days=1)
    datasets = {
        **spec.get("datasets", {}),
        WINDOW_DATA: [{"start": window[0].isoformat(), "stop": stop.isoformat()}],
    }
    return {**spec, "datasets": datasets}
