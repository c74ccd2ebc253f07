"""The one filter state the page is a function of, its URL form, and applying it to events.

Kept free of Streamlit so it is tested directly; app.py only maps widgets to it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from .basemaps import BASEMAPS
from .frame import TimeIndex
from .model import EVENT_TYPES

MODES = ("range", "scrub")


@dataclass(frozen=True)
class FilterState:
    """Dates, mode and filters. In scrub mode the window is the `window_days` ending at `end`
    (or everything up to `end` when `cumulative`); in range mode it is [start, end]."""

    start: dt.date
    end: dt.date
    mode: str = "range"
    window_days: int = 7
    cumulative: bool = False
    types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    text: str = ""
    min_fatalities: int = 0
    flagged: bool = False  # only the events the data had something odd about
    basemap: str = "offline"
    playing: bool = field(default=False, compare=False)

    def window(self, span: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
        """The closed date window this state shows, given the data's span."""
        if self.mode == "scrub":
            if self.cumulative:
                return span[0], self.end
            return self.end - dt.timedelta(days=max(1, self.window_days) - 1), self.end
        return self.start, self.end

    def to_query(self) -> dict[str, str | list[str]]:
        """The URL form: only what differs from the defaults, so links stay short."""
        query: dict[str, str | list[str]] = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }
        if self.mode != "range":
            query["mode"] = self.mode
            query["window"] = str(self.window_days)
            if self.cumulative:
                query["cumulative"] = "1"
        if self.types:
            query["type"] = list(self.types)
        if self.actors:
            query["actor"] = list(self.actors)
        if self.text:
            query["q"] = self.text
        if self.min_fatalities:
            query["minfat"] = str(self.min_fatalities)
        if self.flagged:
            query["flagged"] = "1"
        if self.basemap != "offline":
            query["basemap"] = self.basemap
        return query


def state_from_query(
    query: Mapping[str, str | list[str]],
    span: tuple[dt.date, dt.date],
    focus: tuple[dt.date, dt.date] | None = None,
) -> FilterState:
    """Read a FilterState from URL parameters; anything malformed falls back to its default.

    The default dates are `focus` when given (where most events are), else the whole span."""

    def one(key: str) -> str | None:
        value = query.get(key)
        if isinstance(value, list):
            value = value[-1] if value else None
        return value

    def many(key: str) -> tuple[str, ...]:
        value = query.get(key)
        if value is None:
            return ()
        return tuple(value) if isinstance(value, list) else (value,)

    def day(key: str, default: dt.date) -> dt.date:
        try:
            value = dt.date.fromisoformat(one(key) or "")
        except ValueError:
            return default
        return min(max(value, span[0]), span[1])

    def number(key: str, default: int, low: int, high: int) -> int:
        try:
            return min(max(int(one(key) or default), low), high)
        except ValueError:
            return default

    first, last = focus or span
    start, end = day("start", first), day("end", last)
    if end < start:
        start, end = first, last
    mode = one("mode") if one("mode") in MODES else "range"
    return FilterState(
        start=start,
        end=end,
        mode=mode,
        window_days=number("window", 7, 1, 3660),
        cumulative=one("cumulative") == "1",
        types=tuple(t for t in many("type") if t in EVENT_TYPES),
        actors=many("actor"),
        text=(one("q") or "")[:200],
        min_fatalities=number("minfat", 0, 0, 1_000_000),
        flagged=one("flagged") == "1",
        basemap=one("basemap") if one("basemap") in BASEMAPS else "offline",
    )


def replace(state: FilterState, **changes) -> FilterState:
    return dataclasses.replace(state, **changes)


def apply(state: FilterState, index: TimeIndex) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """The events the page shows, and their positions in `index.frame` (the details table)."""
    span = index.span
    if span is None:
        return index.frame.iloc[0:0], np.array([], dtype=int)
    start, end = state.window(span)
    positions = index.positions(start, end)
    frame = index.frame.iloc[positions]
    keep = np.ones(len(frame), dtype=bool)
    if state.types:
        keep &= frame["event_type"].isin(state.types).to_numpy()
    if state.actors:
        keep &= (frame["actor1"].isin(state.actors) | frame["actor2"].isin(state.actors)).to_numpy()
    if state.min_fatalities:
        keep &= (frame["fatalities"].fillna(0) >= state.min_fatalities).to_numpy()
    if state.text.strip():
        keep &= _matches(frame, state.text.strip()).to_numpy()
    if state.flagged:
        keep &= frame["flags"].notna().to_numpy()
    return frame[keep], positions[keep]


def _matches(frame: gpd.GeoDataFrame, text: str) -> pd.Series:
    """Case-insensitive substring search in notes, location, place words, actors and quotes."""
    needle = text.casefold()
    haystack = (
        frame["notes"].fillna("")
        + " "
        + frame["location"].fillna("")
        + " "
        + frame["place_text"].fillna("")
        + " "
        + frame["actor1"].fillna("")
        + " "
        + frame["actor2"].fillna("")
        + " "
        + frame["sources"].map(lambda s: " ".join(x.get("quote", "") for x in s))
    )
    return haystack.str.casefold().str.contains(needle, regex=False)
