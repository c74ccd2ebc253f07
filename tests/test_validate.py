"""The validation layer: every bad value is kept empty and flagged, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import math

import pyarrow as pa
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventmap import validate
from eventmap.errors import EventmapError, ValidationError
from eventmap.model import COLUMNS, EVENT_SCHEMA


def _checked(**columns) -> dict[str, list]:
    n = len(next(iter(columns.values())))
    columns.setdefault("event_id", [f"E{i}" for i in range(n)])
    return validate.events(pa.table(columns), source="f.csv").to_pydict()


def test_good_rows_pass_unchanged_and_unflagged():
    out = _checked(
        event_date=["2020-01-03", "2020-01-04T23:30:00-05:00"],
        date_end=["2020-01-05", None],
        latitude=["33.3", " -1.5 "],
        longitude=["44.4", "36.8"],
        time_precision=["1", "2"],
        fatalities=["3", None],
    )
    assert out["event_date"] == [dt.date(2020, 1, 3), dt.date(2020, 1, 4)]
    assert out["date_end"] == [dt.date(2020, 1, 5), dt.date(2020, 1, 4)]
    assert out["latitude"] == [33.3, -1.5] and out["longitude"] == [44.4, 36.8]
    assert out["time_precision"] == [1, 2] and out["fatalities"] == [3, None]
    assert out["flags"] == [None, None]


@pytest.mark.parametrize(
    ("columns", "field", "value", "flag"),
    [
        (
            {"event_date": ["2020-02-30"]},
            "event_date",
            None,
            "event_date '2020-02-30' is not a real date (YYYY-MM-DD): left empty; "
            "no event_date: kept undated",
        ),
        (
            {"event_date": ["yesterday"]},
            "event_date",
            None,
            "event_date 'yesterday' is not a real date (YYYY-MM-DD): left empty; "
            "no event_date: kept undated",
        ),
        (
            {"event_date": ["2020-01-05"], "date_end": ["2020-01-02"]},
            "date_end",
            dt.date(2020, 1, 5),
            "date_end '2020-01-02' is before event_date: set to event_date",
        ),
        (
            {"event_date": ["2020-01-05"], "latitude": [95.0], "longitude": [200.0]},
            "latitude",
            None,
            "coordinates '95, 200' out of range: kept without a point",
        ),
        (
            {"event_date": ["2020-01-05"], "latitude": [0.0], "longitude": [0.0]},
            "longitude",
            None,
            "point at (0, 0), the usual stand-in for unknown: kept without a point",
        ),
        (
            {"event_date": ["2020-01-05"], "latitude": [33.0], "longitude": [None]},
            "latitude",
            None,
            "only one of latitude and longitude: kept without a point",
        ),
        (
            {"event_date": ["2020-01-05"], "latitude": ["33,5"], "longitude": ["44"]},
            "longitude",
            None,
            "latitude '33,5' is not a number: left empty; "
            "only one of latitude and longitude: kept without a point",
        ),
        (
            {"event_date": ["2020-01-05"], "time_precision": [7]},
            "time_precision",
            None,
            "time_precision '7' is not one of 1, 2, 3: left empty",
        ),
        (
            {"event_date": ["2020-01-05"], "geo_precision": ["2.5"]},
            "geo_precision",
            None,
            "geo_precision '2.5' is not a whole number: left empty",
        ),
        (
            {"event_date": ["2020-01-05"], "fatalities": ["3-7"]},
            "fatalities",
            None,
            "fatalities '3-7' is not a number: left empty",
        ),
        (
            {"event_date": ["2020-01-05"], "injured": [-2]},
            "injured",
            None,
            "injured '-2' is not a count: left empty",
        ),
        (
            {"event_date": ["2020-01-05"], "event_type": ["Shooting"]},
            "event_type",
            "Shooting",
            "event_type 'Shooting' is not an ACLED event type: shown as Other",
        ),
        (
            {"event_date": ["2020-01-05"], "sources": ["Reuters, 3 Jan"]},
            "sources",
            '[{"text": "Reuters, 3 Jan"}]',
            "sources not a JSON list of sources: kept as text",
        ),
    ],
)
def test_a_bad_value_is_kept_empty_and_flagged(columns, field, value, flag):
    out = _checked(**columns)
    assert out[field] == [value]
    assert out["flags"] == [flag]


def test_dates_spelt_out_are_read_strictly():
    out = _checked(
        event_date=["31 December 2019", "December 31, 2019", "3 Jan. 2020", "31 February 2019"]
    )
    day = dt.date(2019, 12, 31)
    assert out["event_date"] == [day, day, dt.date(2020, 1, 3), None]
    assert out["flags"][:3] == [None, None, None]
    assert out["flags"][3].startswith("event_date '31 February 2019' is not a real date")


def test_ids_missing_or_shared_are_named_and_flagged():
    table = pa.table({"event_id": ["A", None, "A", " "], "event_date": ["2020-01-01"] * 4})
    out = validate.events(table, source="data/my events.csv", first_row=10).to_pydict()
    assert out["event_id"] == ["A", "my events-row11", "A", "my events-row13"]
    assert out["flags"] == [
        "event_id shared with another row",
        "no event_id: named after its row",
        "event_id shared with another row",
        "no event_id: named after its row",
    ]


def test_streamed_batches_flag_ids_shared_across_the_file():
    batch = pa.table({"event_id": ["A", "B"], "event_date": ["2020-01-01"] * 2})
    out = validate.events(batch, source="f", duplicate_ids={"B"}).to_pydict()
    assert out["flags"] == [None, "event_id shared with another row"]


def test_geometries_other_than_points_are_kept_without_a_point():
    shapes = [shapely.Point(44, 33), shapely.box(0, 0, 1, 1), None, shapely.Point()]
    wkb = pa.array([None if g is None else shapely.to_wkb(g) for g in shapes], pa.binary())
    out = validate.events(pa.table({"event_id": list("abcd"), "geometry": wkb}), source="g")
    out = out.to_pydict()
    assert out["latitude"] == [33.0, None, None, None]
    assert out["flags"][1] == "geometry 'Polygon' is not a point: kept without a point; " + (
        "no event_date: kept undated"
    )


def test_flags_a_file_carries_are_kept_once():
    table = pa.table(
        {
            "event_id": ["A"],
            "event_date": [None],
            "flags": ["no event_date: kept undated"],
        }
    )
    out = validate.events(table, source="f").to_pydict()
    assert out["flags"] == ["no event_date: kept undated"]


def test_a_table_of_something_else_is_refused_with_its_columns():
    with pytest.raises(ValidationError) as error:
        validate.events(pa.table({"name": ["x"], "price": [3]}), source="shop.csv")
    assert str(error.value) == (
        "shop.csv: not a table of events: none of the columns event_id, event_date, "
        "latitude, longitude or a geometry (found: name, price)"
    )
    assert isinstance(error.value, ValueError) and isinstance(error.value, EventmapError)


def test_the_summary_counts_flags_by_kind():
    out = validate.events(
        pa.table({"event_id": ["a", "b", "c"], "event_date": ["2020-02-30", "x", "2020-01-01"]}),
        source="f",
    )
    assert validate.summary(out["flags"]) == (
        "2 events kept with flags (event_date is not a real date (YYYY-MM-DD): left empty: 2, "
        "no event_date: kept undated: 2)"
    )


# --- property: random frames give events or a named error, nothing else -------------------

_scalars = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.sampled_from(["2020-02-30", "2020-01-05", "0", "95", "", " ", "<script>", "1e400"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_names = st.sampled_from([*COLUMNS, "geometry", "other", ""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(_names, _scalars, max_size=8), max_size=12))
def test_random_records_give_events_or_a_named_error(records):
    try:
        raw = validate.records_table(records)
        out = validate.events(raw, source="random.jsonl")
    except ValidationError as error:
        assert str(error).startswith("random.jsonl: ")
        return
    assert out.schema.equals(EVENT_SCHEMA)
    assert out.num_rows == len(records)
    rows = out.to_pylist()
    for row in rows:
        assert row["event_id"]
        lat, lon = row["latitude"], row["longitude"]
        assert (lat is None) == (lon is None)
        if lat is not None:
            assert -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0, 0)
            assert math.isfinite(lat) and math.isfinite(lon)
        if row["event_date"] is not None:
            assert row["date_end"] >= row["event_date"]
        assert row["time_precision"] in (None, 1, 2, 3)
        assert row["geo_precision"] in (None, 1, 2, 3)
        assert row["fatalities"] is None or row["fatalities"] >= 0
        assert isinstance(json.loads(row["sources"]), list)
