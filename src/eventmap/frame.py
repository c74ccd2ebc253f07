"""Events as a GeoDataFrame (EPSG:4326), and the time-window query the app scrubs with."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from .geocode import Resolver
from .model import COLUMNS
from .validate import sources_list

DATE_COLUMNS = ("event_date", "date_end")
INT_COLUMNS = (
    "time_precision",
    "geo_precision",
    "fatalities",
    "injured",
    "fatalities_low",
    "fatalities_high",
)
# Everything else but coordinates and sources is text.
TEXT_COLUMNS = tuple(
    c for c in COLUMNS if c not in (*DATE_COLUMNS, *INT_COLUMNS, "latitude", "longitude", "sources")
)


class UngeocodedWarning(UserWarning):
    """Some events have no coordinates; they are kept, without geometry."""


@dataclass
class Unresolved:
    event_id: str
    location: str | None
    reason: str


def geocode_events(
    events: Iterable[Mapping[str, Any]], resolver: Resolver
) -> tuple[list[dict[str, Any]], list[Unresolved]]:
    """Fill latitude/longitude from each event's `location`; keep and report the misses."""
    out, unresolved = [], []
    for event in events:
        row = dict(event)
        if row.get("latitude") is None or row.get("longitude") is None:
            found = resolver.resolve(row.get("location"))
            if found is None:
                row["latitude"] = row["longitude"] = None
                reason = (
                    "no location in the source"
                    if not row.get("location")
                    else "not in the gazetteer"
                )
                unresolved.append(Unresolved(row["event_id"], row.get("location"), reason))
            else:
                row["location"] = found.raw.get("name", found.address)
                row["latitude"], row["longitude"] = found.latitude, found.longitude
        out.append(row)
    return out, unresolved


def to_frame(events: Iterable[Mapping[str, Any]]) -> gpd.GeoDataFrame:
    """A typed GeoDataFrame in COLUMNS order, sorted by (event_date, event_id)."""
    rows = [dict(e) for e in events]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    geometry = [
        Point(lon, lat) if lat is not None and lon is not None and not pd.isna(lat) else None
        for lat, lon in zip(frame["latitude"], frame["longitude"], strict=True)
    ]
    return coerce(gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326"))


def coerce(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give every column its declared type; used after every read so all sources agree."""
    frame = frame.copy()
    for name in COLUMNS:
        if name not in frame.columns:
            frame[name] = None
    for name in DATE_COLUMNS:
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[ns]")
    frame["date_end"] = frame["date_end"].fillna(frame["event_date"])
    for name in INT_COLUMNS:
        frame[name] = pd.to_numeric(frame[name]).astype("Int64")
    for name in ("latitude", "longitude"):
        frame[name] = pd.to_numeric(frame[name]).astype("float64")
    for name in TEXT_COLUMNS:
        frame[name] = frame[name].astype("object").where(frame[name].notna(), None)
    frame["sources"] = [sources_list(v) for v in frame["sources"]]
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    frame = frame[[*COLUMNS, "geometry"]]
    frame = frame.sort_values(["event_date", "event_id"], kind="stable").reset_index(drop=True)
    return frame


def build_frame(events: Iterable[Mapping[str, Any]], resolver: Resolver):
    """Geocode then frame; warns with UngeocodedWarning listing events kept without a point."""
    rows, unresolved = geocode_events(events, resolver)
    if unresolved:
        listed = "; ".join(
            f"{u.event_id} ({u.location or 'no place'}: {u.reason})" for u in unresolved
        )
        warnings.warn(
            f"{len(unresolved)} event(s) kept without coordinates: {listed}",
            UngeocodedWarning,
            stacklevel=2,
        )
    return to_frame(rows), unresolved


class TimeIndex:
    """Events sorted by start date, for overlap queries by binary search.

    An event [event_date, date_end] overlaps [start, end] when event_date <= end and
    date_end >= start. Sorted starts bound the first test with searchsorted; the longest
    duration bounds the second, so only the events that can overlap are looked at.
    """

    def __init__(self, frame: gpd.GeoDataFrame) -> None:
        self.frame = frame.sort_values(["event_date", "event_id"], kind="stable").reset_index(
            drop=True
        )
        self._starts = self.frame["event_date"].to_numpy(dtype="datetime64[ns]")
        self._ends = self.frame["date_end"].to_numpy(dtype="datetime64[ns]")
        spans = self._ends - self._starts
        self._longest = spans.max() if len(spans) else np.timedelta64(0, "ns")

    def positions(self, start: Any, end: Any) -> np.ndarray:
        """Row positions of the events overlapping the closed window [start, end] (days)."""
        start64, end64 = _day(start), _day(end)
        if end64 < start64:
            raise ValueError(f"window end {end} is before its start {start}")
        lo = np.searchsorted(self._starts, start64 - self._longest, side="left")
        hi = np.searchsorted(self._starts, end64, side="right")
        hits = np.nonzero(self._ends[lo:hi] >= start64)[0]
        return hits + lo

    def query(self, start: Any, end: Any) -> gpd.GeoDataFrame:
        return self.frame.iloc[self.positions(start, end)]

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        if not len(self.frame):
            return None
        return (pd.Timestamp(self._starts[0]).date(), pd.Timestamp(self._ends.max()).date())


def _day(value: Any) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).normalize().to_datetime64(), "ns")


def window(frame: gpd.GeoDataFrame, start: Any, end: Any) -> gpd.GeoDataFrame:
    """The events of `frame` overlapping [start, end]; build a TimeIndex to query repeatedly."""
    return TimeIndex(frame).query(start, end)


def select(
    frame: gpd.GeoDataFrame,
    *,
    start: Any = None,
    end: Any = None,
    event_types: Iterable[str] | None = None,
) -> gpd.GeoDataFrame:
    """Events overlapping [start, end] (either side open when None) of the given types."""
    if start is not None or end is not None:
        index = TimeIndex(frame)
        span = index.span
        if span is None:
            return frame.iloc[0:0]
        frame = index.query(start or span[0], end or span[1])
    types = list(event_types or ())
    if types:
        frame = frame[frame["event_type"].isin(types)]
    return frame
