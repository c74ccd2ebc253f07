"""The filter state: URL round trip, defaults for bad URLs, and what each filter keeps."""

from __future__ import annotations

import datetime as dt

import pytest

from eventmap import filters
from eventmap.frame import TimeIndex

SPAN = (dt.date(2018, 9, 26), dt.date(2020, 3, 31))


@pytest.fixture(scope="module")
def index(seed_frame):
    return TimeIndex(seed_frame)


def test_url_round_trip():
    state = filters.FilterState(
        start=dt.date(2019, 12, 27),
        end=dt.date(2020, 1, 5),
        mode="scrub",
        window_days=3,
        types=("Riots", "Battles"),
        actors=("U.S. forces",),
        text="embassy",
        min_fatalities=1,
        basemap="osm",
    )
    assert filters.state_from_query(state.to_query(), SPAN) == state


def test_a_bad_url_falls_back_to_defaults():
    query = {
        "start": "2019-13-01",
        "end": "yesterday",
        "mode": "warp",
        "window": "-4",
        "type": ["Riots", "<script>"],
        "minfat": "many",
        "basemap": "nope",
    }
    state = filters.state_from_query(query, SPAN)
    assert (state.start, state.end, state.mode) == (SPAN[0], SPAN[1], "range")
    assert state.types == ("Riots",) and state.min_fatalities == 0 and state.basemap == "offline"
    assert state.window_days == 1


def test_scrub_window_trails_the_date_or_accumulates():
    state = filters.FilterState(start=SPAN[0], end=dt.date(2020, 1, 5), mode="scrub", window_days=7)
    assert state.window(SPAN) == (dt.date(2019, 12, 30), dt.date(2020, 1, 5))
    cumulative = filters.replace(state, cumulative=True)
    assert cumulative.window(SPAN) == (SPAN[0], dt.date(2020, 1, 5))


def ids(state, index):
    shown, positions = filters.apply(state, index)
    assert list(index.frame.iloc[positions]["event_id"]) == list(shown["event_id"])
    return set(shown["event_id"])


def test_each_filter_narrows(index):
    everything = filters.FilterState(start=SPAN[0], end=SPAN[1])
    assert len(ids(everything, index)) == len(index.frame)
    dec = filters.replace(everything, start=dt.date(2019, 12, 27), end=dt.date(2019, 12, 31))
    assert "IRQ-20191227-KIRKUK-ROCKETS" in ids(dec, index)
    assert "IRQ-20200308-MARINES-KILLED-RAID" not in ids(dec, index)
    assert ids(filters.replace(everything, types=("Battles",)), index) == {
        "IRQ-20200308-MARINES-KILLED-RAID"
    }
    assert ids(filters.replace(everything, actors=("ISIS",)), index) == {
        "IRQ-20200308-MARINES-KILLED-RAID"
    }
    fatal = ids(filters.replace(everything, min_fatalities=2), index)
    assert fatal == {"IRQ-20200308-MARINES-KILLED-RAID", "IRQ-20200311-ROCKETS-NEAR-BAGHDAD"}
    # Search reaches notes, places and quotes, case-insensitively.
    assert "IRQ-20191231-EMBASSY-STORMED" in ids(filters.replace(everything, text="BREACH"), index)
    assert ids(filters.replace(everything, text="no such words anywhere"), index) == set()
