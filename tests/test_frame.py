"""Events as a typed GeoDataFrame, and the time-window query's semantics."""

from __future__ import annotations

import datetime as dt
import random

import geopandas as gpd
import pandas as pd
import pytest

import eventmap
from eventmap.frame import TimeIndex, UngeocodedWarning, build_frame, select, to_frame, window


def test_load_events_is_a_typed_geodataframe_in_wgs84():
    frame = eventmap.load_events()
    assert isinstance(frame, gpd.GeoDataFrame) and frame.crs.to_epsg() == 4326
    assert str(frame["event_date"].dtype).startswith("datetime64")
    assert str(frame["fatalities"].dtype) == "Int64" and str(frame["injured"].dtype) == "Int64"
    assert set(frame.geom_type.dropna()) == {"Point"}
    assert frame["event_id"].is_unique and len(frame) >= 16
    kirkuk = frame.set_index("event_id").loc["IRQ-20191227-KIRKUK-ROCKETS"]
    assert kirkuk["location"] == "Kirkuk" and round(kirkuk["latitude"], 2) == 35.47
    assert pd.isna(frame.set_index("event_id").loc["IRQ-20191229-KH-STRIKES-IRAQ", "fatalities"])


def event(event_id, start, end=None, location="Kirkuk"):
    return {
        "event_id": event_id,
        "event_date": dt.date.fromisoformat(start),
        "date_end": dt.date.fromisoformat(end or start),
        "time_precision": 1 if not end else 3,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "A",
        "location": location,
        "geo_precision": 2,
        "notes": "n",
        "sources": [{"document": "d.txt", "quote": "q"}],
    }


def test_an_event_that_cannot_be_geocoded_is_kept_and_reported(resolver):
    events = [
        event("A", "2020-01-01"),
        event("B", "2020-01-02", location="Atlantis Base"),
        event("C", "2020-01-03", location=None),
    ]
    with pytest.warns(UngeocodedWarning, match=r"2 event\(s\).*B \(Atlantis Base"):
        frame, unresolved = build_frame(events, resolver)
    assert list(frame["event_id"]) == ["A", "B", "C"]
    assert [u.event_id for u in unresolved] == ["B", "C"]
    assert frame["geometry"].isna().tolist() == [False, True, True]


@pytest.fixture(scope="module")
def ranged_frame():
    return to_frame(
        [
            {**event("DAY", "2020-01-05"), "latitude": 33.0, "longitude": 44.0},
            {**event("WEEK", "2019-12-31", "2020-01-06"), "latitude": 33.0, "longitude": 44.0},
            {**event("MONTH", "2020-03-01", "2020-03-31"), "latitude": 33.0, "longitude": 44.0},
            {**event("EARLY", "2018-09-26"), "latitude": 33.0, "longitude": 44.0},
        ]
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2020-01-05", "2020-01-05", {"DAY", "WEEK"}),
        ("2020-01-06", "2020-01-10", {"WEEK"}),
        ("2020-01-07", "2020-02-29", set()),
        ("2020-03-15", "2020-03-15", {"MONTH"}),  # a month-precision event shows all month
        ("2020-03-31", "2020-04-30", {"MONTH"}),
        ("2019-12-01", "2019-12-31", {"WEEK"}),
        ("2018-01-01", "2021-01-01", {"DAY", "WEEK", "MONTH", "EARLY"}),
    ],
)
def test_window_returns_events_whose_range_overlaps(ranged_frame, start, end, expected):
    assert set(window(ranged_frame, start, end)["event_id"]) == expected


def test_window_end_before_start_is_refused(ranged_frame):
    with pytest.raises(ValueError, match="before its start"):
        window(ranged_frame, "2020-02-01", "2020-01-01")


def test_time_index_agrees_with_a_full_scan_on_random_events():
    rng = random.Random(7)
    base = dt.date(2019, 1, 1)
    events = []
    for i in range(2000):
        start = base + dt.timedelta(days=rng.randrange(700))
        end = start + dt.timedelta(days=rng.choice([0, 0, 0, 3, 6, 30]))
        events.append(
            {
                **event(f"E{i:05d}", start.isoformat(), end.isoformat()),
                "latitude": 33.0,
                "longitude": 44.0,
            }
        )
    frame = to_frame(events)
    index = TimeIndex(frame)
    for _ in range(200):
        a = base + dt.timedelta(days=rng.randrange(-10, 720))
        b = a + dt.timedelta(days=rng.randrange(0, 40))
        scan = frame[
            (frame["event_date"] <= pd.Timestamp(b)) & (frame["date_end"] >= pd.Timestamp(a))
        ]
        assert list(index.query(a, b)["event_id"]) == list(scan["event_id"])


def test_select_by_type_and_open_ended_window(seed_frame):
    battles = select(seed_frame, event_types=["Battles"])
    assert set(battles["event_type"]) == {"Battles"}
    after = select(seed_frame, start="2020-03-01")
    assert after["date_end"].min() >= pd.Timestamp("2020-03-01")
    assert len(select(seed_frame)) == len(seed_frame)
