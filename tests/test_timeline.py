"""The timeline: counts per bin and type are exact, ranged events become counted spans, and the
chart's data stays small (rows and Arrow bytes) whatever the number of events."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pytest

from bench.common import arrow_bytes
from eventmap.timeline import (
    MAX_BAR_ROWS,
    MAX_BINS,
    MAX_SPAN_ROWS,
    Timeline,
    aggregate,
    chart,
    window_html,
)

ORIGIN = dt.date(2024, 1, 1)  # a Monday
NAMES = ("Battles", "Protests", "Riots")
COLOURS = {"Battles": "#d62728", "Protests": "#2ca02c", "Riots": "#e377c2"}
BYTE_BUDGET = 100_000


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def build(rows, *, names=NAMES, origin=ORIGIN) -> Timeline:
    """rows: (first day, last day or None for a day-precision event, type name)."""
    start = np.array([(d(a) - origin).days for a, _, _ in rows], dtype=np.int32)
    end = np.array([(d(b or a) - origin).days for a, b, _ in rows], dtype=np.int32)
    code = np.array([names.index(t) for _, _, t in rows], dtype=np.uint8)
    known = np.array([b is None for _, b, _ in rows], dtype=bool)
    return aggregate(start, end, code, known, origin=origin, type_names=names)


def bars(timeline: Timeline) -> dict[tuple[dt.date, str], int]:
    frame = timeline.bars
    return {
        (start.date(), t): int(n)
        for start, t, n in zip(frame["start"], frame["event_type"], frame["count"], strict=True)
    }


def spans(timeline: Timeline) -> set[tuple[dt.date, dt.date, str, int]]:
    frame = timeline.spans
    rows = zip(frame["start"], frame["stop"], frame["event_type"], frame["count"], strict=True)
    return {(a.date(), b.date(), t, int(n)) for a, b, t, n in rows}


def synthetic(n: int, days: int = 3653, n_types: int = 7, seed: int = 0):
    """n events over `days` days, 40% in bursts, skewed types, 20% ranged over 7 or 30 days."""
    rng = np.random.default_rng(seed)
    centres = rng.integers(0, days, 40)
    burst = rng.random(n) < 0.4
    jitter = rng.normal(0, 12, n).astype(np.int64)
    start = np.where(burst, centres[rng.integers(0, 40, n)] + jitter, rng.integers(0, days, n))
    start = np.clip(start, 0, days - 1).astype(np.int32)
    weights = np.linspace(2, 1, n_types)
    code = rng.choice(n_types, n, p=weights / weights.sum()).astype(np.uint8)
    known = rng.random(n) >= 0.2
    length = np.where(rng.random(n) < 0.5, 7, 30)
    end = np.where(known, start, np.minimum(start + length - 1, days - 1)).astype(np.int32)
    return start, end, code, known


SEVEN = (*NAMES, "Explosions", "Violence", "Strategic", "Other")


def test_counts_per_day_and_type_are_exact_and_only_non_empty_pairs_kept():
    timeline = build(
        [
            ("2024-01-01", None, "Battles"),
            ("2024-01-01", None, "Battles"),
            ("2024-01-01", None, "Protests"),
            ("2024-01-03", None, "Battles"),
        ]
    )
    assert timeline.unit == "day"
    assert bars(timeline) == {
        (d("2024-01-01"), "Battles"): 2,
        (d("2024-01-01"), "Protests"): 1,
        (d("2024-01-03"), "Battles"): 1,
    }
    assert timeline.types == ("Battles", "Protests")  # no Riots: not in the legend either
    assert timeline.span == (d("2024-01-01"), d("2024-01-03"))
    assert timeline.spans.empty


def test_daily_up_to_the_row_budget_then_weekly_bins_from_monday():
    last_daily = ORIGIN + dt.timedelta(days=min(MAX_BINS, MAX_BAR_ROWS // len(NAMES)) - 1)
    rows = [(ORIGIN.isoformat(), None, t) for t in NAMES]
    assert build([*rows, (last_daily.isoformat(), None, "Battles")]).unit == "day"

    one_more = (last_daily + dt.timedelta(days=1)).isoformat()
    weekly = build(
        [
            *rows,
            ("2024-01-06", None, "Battles"),  # Saturday
            ("2024-01-07", None, "Battles"),  # Sunday: same week
            ("2024-01-08", None, "Battles"),  # Monday: the next
            (one_more, None, "Battles"),
        ]
    )
    assert weekly.unit == "week"
    counts = bars(weekly)
    assert counts[(d("2024-01-01"), "Battles")] == 3
    assert counts[(d("2024-01-08"), "Battles")] == 1
    assert all(start.weekday() == 0 for start, _ in counts)


def test_monthly_bins_past_the_weekly_budget():
    weeks = min(MAX_BINS, MAX_BAR_ROWS // len(NAMES))
    far = (ORIGIN + dt.timedelta(weeks=weeks)).isoformat()  # one week more than weekly allows
    timeline = build(
        [
            *[(ORIGIN.isoformat(), None, t) for t in NAMES],
            ("2024-01-31", None, "Riots"),
            ("2024-02-01", None, "Riots"),
            ("2024-02-29", None, "Riots"),
            (far, None, "Riots"),
        ]
    )
    assert timeline.unit == "month"
    counts = bars(timeline)
    assert counts[(d("2024-01-01"), "Riots")] == 2
    assert counts[(d("2024-02-01"), "Riots")] == 2
    assert all(start.day == 1 for start, _ in counts)


def test_ranged_events_become_spans_counted_per_first_and_last_bin_and_type():
    week, month = ("2024-01-01", "2024-01-07"), ("2024-01-01", "2024-01-31")
    timeline = build(
        [
            *[(*week, "Battles")] * 3,
            (*week, "Protests"),
            *[(*month, "Battles")] * 2,
            ("2024-01-02", None, "Battles"),
        ]
    )
    assert spans(timeline) == {
        (d("2024-01-01"), d("2024-01-08"), "Battles", 3),
        (d("2024-01-01"), d("2024-01-08"), "Protests", 1),
        (d("2024-01-01"), d("2024-02-01"), "Battles", 2),
    }
    assert bars(timeline) == {(d("2024-01-02"), "Battles"): 1}  # ranged ones are not bars
    assert timeline.span == (d("2024-01-01"), d("2024-01-31"))


def test_too_many_distinct_spans_are_merged_into_coarser_ones_under_the_cap():
    days = 700
    start = np.repeat(np.arange(days, dtype=np.int32), 3)
    code = np.tile(np.arange(3, dtype=np.uint8), days)
    end = start + np.int32(6)
    known = np.zeros(len(start), dtype=bool)
    timeline = aggregate(start, end, code, known, origin=ORIGIN, type_names=NAMES)
    assert timeline.unit == "day"
    assert 0 < len(timeline.spans) <= MAX_SPAN_ROWS
    assert timeline.total == len(start)
    frame = timeline.spans
    assert frame["start"].min().date() == ORIGIN
    assert frame["stop"].max().date() == ORIGIN + dt.timedelta(days=days + 6)
    assert (frame["stop"] > frame["start"]).all()


def test_counts_sum_to_the_number_of_events_per_type():
    start, end, code, known = synthetic(50_000, days=1500)
    timeline = aggregate(start, end, code, known, origin=ORIGIN, type_names=SEVEN)
    assert timeline.total == len(start)
    per_type = np.bincount(code, minlength=len(SEVEN))
    for frame, mask in ((timeline.bars, known), (timeline.spans, ~known)):
        counted = frame.groupby("event_type", observed=True)["count"].sum()
        expected = np.bincount(code[mask], minlength=len(SEVEN))
        assert {t: int(n) for t, n in counted.items()} == {
            t: int(n) for t, n in zip(SEVEN, expected, strict=True) if n
        }
    assert per_type.sum() == len(start)


def test_empty_input_gives_an_empty_timeline_and_a_chart_with_the_window():
    empty = np.zeros(0, dtype=np.int32)
    timeline = aggregate(
        empty, empty, empty.astype(np.uint8), empty.astype(bool), origin=ORIGIN, type_names=NAMES
    )
    assert timeline.total == 0 and timeline.span is None and timeline.types == ()
    chart(timeline, colours=COLOURS).to_dict()
    assert "left:0.0000%;width:100.0000%" in window_html(timeline, (ORIGIN, ORIGIN))


def test_one_day_of_events_spans_zero_days():
    timeline = build([("2024-05-05", None, "Riots"), ("2024-05-05", None, "Riots")])
    assert timeline.unit == "day"
    assert timeline.span == (d("2024-05-05"), d("2024-05-05"))
    assert bars(timeline) == {(d("2024-05-05"), "Riots"): 2}
    chart(timeline, colours=COLOURS).to_dict()
    assert "left:0.0000%;width:100.0000%" in window_html(timeline, timeline.span)


def test_the_strip_shows_the_window_in_whole_days_on_the_chart_s_days():
    timeline = build([("2024-01-01", None, "Riots"), ("2024-01-05", "2024-01-11", "Battles")])
    html = window_html(timeline, (d("2024-01-02"), d("2024-01-03")))
    # 11 days from 2024-01-01 (the chart's first day) to 2024-01-12 (the day after its last)
    assert "left:9.0909%;width:18.1818%" in html
    assert 'title="from 2024-01-02 until 2024-01-04"' in html
    spec = chart(timeline, colours={"Battles": "#d62728"}).to_dict()
    days = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert days == [{"year": 2024, "month": 1, "date": 1}, {"year": 2024, "month": 1, "date": 12}]
    assert "margin:0 1px 0 49px" in html  # the chart's axis: both start on its first day
    outside = window_html(timeline, (d("2023-12-01"), d("2024-02-01")))
    assert "left:0.0000%;width:100.0000%" in outside


def test_the_chart_is_the_same_whatever_the_window_and_colours_the_present_types():
    timeline = build([("2024-01-01", None, "Riots"), ("2024-01-05", "2024-01-11", "Battles")])
    spec = chart(timeline, colours={"Battles": "#d62728"}).to_dict()
    assert spec == chart(timeline, colours={"Battles": "#d62728"}).to_dict()
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale == {"domain": ["Battles", "Riots"], "range": ["#d62728", "#7f7f7f"]}


def test_the_unit_follows_the_span():
    weekly = build([("2024-01-01", None, "Riots"), ("2030-01-01", None, "Riots")])
    assert weekly.unit == "week"  # even with one type: days only up to two years


def test_bad_input_is_refused():
    one = np.zeros(1, dtype=np.int32)
    with pytest.raises(ValueError, match="length"):
        aggregate(
            one, one, np.zeros(2, np.uint8), one.astype(bool), origin=ORIGIN, type_names=NAMES
        )
    with pytest.raises(ValueError, match="type_code"):
        aggregate(
            one, one, np.array([3], np.uint8), one.astype(bool), origin=ORIGIN, type_names=NAMES
        )


def test_a_million_events_aggregate_fast_into_a_small_chart():
    start, end, code, known = synthetic(1_000_000)
    took = []
    for _ in range(3):
        began = time.perf_counter()
        timeline = aggregate(start, end, code, known, origin=ORIGIN, type_names=SEVEN)
        took.append(time.perf_counter() - began)
    assert min(took) < 0.25, took
    assert timeline.total == 1_000_000
    assert timeline.unit == "week"
    assert len(timeline.bars) + len(timeline.spans) <= 5_000
    window = (d("2026-03-01"), d("2026-04-30"))
    timeline_chart = chart(timeline, colours=COLOURS)
    sizes = arrow_bytes(timeline_chart) + [len(window_html(timeline, window))]
    print(  # the figures, with `pytest tests/test_timeline.py -k million -s`
        f"\naggregate 1M events: {min(took) * 1e3:.1f} ms (best of 3), unit {timeline.unit}; "
        f"rows: {len(timeline.bars)} bars + {len(timeline.spans)} spans; "
        f"Arrow bytes (bars, spans, window): {sizes}, total {sum(sizes):,}"
    )
    assert sum(sizes) <= BYTE_BUDGET
    timeline_chart.to_dict()  # under Altair's 5,000-row limit: no MaxRowsError


def test_worst_case_every_day_and_type_plus_the_span_cap_stays_within_the_byte_budget():
    days = min(MAX_BINS, MAX_BAR_ROWS // len(SEVEN))  # the longest span still drawn per day
    every = np.repeat(np.arange(days, dtype=np.int32), len(SEVEN))  # every (day, type) pair
    start = np.concatenate([every, every])  # once known to the day, once ranged
    end = np.concatenate([every, np.minimum(every + 9, days - 1)])
    code = np.tile(np.arange(len(SEVEN), dtype=np.uint8), 2 * days)
    known = np.arange(len(start)) < len(every)
    timeline = aggregate(start, end, code, known, origin=ORIGIN, type_names=SEVEN)
    assert timeline.unit == "day"
    assert len(timeline.bars) <= MAX_BAR_ROWS and len(timeline.spans) <= MAX_SPAN_ROWS
    timeline_chart = chart(timeline, colours=COLOURS)
    assert sum(arrow_bytes(timeline_chart)) <= BYTE_BUDGET
    timeline_chart.to_dict()


def test_the_chart_spec_made_once_holds_the_frames_and_altairs_spec():
    from eventmap.timeline import chart_spec

    timeline = build([("2024-01-01", None, "Battles"), ("2024-02-10", "2024-02-15", "Riots")])
    spec = chart_spec(timeline, colours=COLOURS)
    fresh = chart(timeline, colours=COLOURS).to_dict()
    assert [table.num_rows for table in spec["datasets"].values()] == [1, 1]
    assert spec["datasets"].keys() == fresh["datasets"].keys()
    assert {k: v for k, v in spec.items() if k != "datasets"} == {
        k: v for k, v in fresh.items() if k != "datasets"
    }
