"""Dates as real event files write them: settled per file by evidence, flagged, never guessed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventmap.importers.dates import settle

D = dt.date


def _one(text, **options):
    done = settle([text], **options)
    return done.start[0].as_py(), done.flags[0].as_py(), done.reasons[0]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("15 April 2022", D(2022, 4, 15)),
        ("2022-04-15", D(2022, 4, 15)),
        ("2022-04-15T23:10:00+03:00", D(2022, 4, 15)),
        ("01-January-2015", D(2015, 1, 1)),
        ("April 15, 2022", D(2022, 4, 15)),
        ("october-7-2023", D(2023, 10, 7)),
        ("29/12/2015", D(2015, 12, 29)),
        ("12/29/2015", D(2015, 12, 29)),
        ("Sept 3 2021", D(2021, 9, 3)),
    ],
)
def test_unambiguous_dates_are_read_without_a_flag(text, day):
    assert _one(text) == (day, None, None)


def test_excel_serial_numbers_are_dates_and_say_so():
    assert _one("41712") == (D(2014, 3, 14), "Excel serial date '41712'", None)


def test_a_month_or_a_year_alone_is_the_whole_month_or_year():
    done = settle(["April 2022", "2020"])
    assert done.start.to_pylist() == [D(2022, 4, 1), D(2020, 1, 1)]
    assert done.end.to_pylist() == [D(2022, 4, 30), D(2020, 12, 31)]
    assert done.precision.to_pylist() == [3, 3]
    assert done.flags.to_pylist() == ["only the month is given", "only the year is given"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2020-02-30", "'2020-02-30' is not a real date"),
        ("31/31/2020", "'31/31/2020' is not a real date"),
        ("yesterday", "'yesterday' is not a date"),
        ("", "no date"),
        (None, "no date"),
    ],
)
def test_what_is_not_a_date_is_named_for_the_caller_to_skip(text, reason):
    assert _one(text) == (None, None, reason)


def test_one_day_above_12_settles_the_order_for_the_whole_file():
    day_first = settle(["03/04/2015", "29/12/2015"])
    assert day_first.start.to_pylist() == [D(2015, 4, 3), D(2015, 12, 29)]
    assert day_first.flags.to_pylist() == [
        "day/month order inferred from other rows of the file",
        None,
    ]
    month_first = settle(["03/04/2015", "12/29/2015"])
    assert month_first.start.to_pylist() == [D(2015, 3, 4), D(2015, 12, 29)]
    assert month_first.order == "month-first"


def test_without_evidence_the_usual_order_is_read_and_flagged():
    assert _one("03/04/2015") == (
        D(2015, 4, 3),
        "day/month order not settled by the file: read as DD/MM/YYYY",
        None,
    )
    assert _one("03/04/2015", usual="month-first")[0] == D(2015, 3, 4)
    assert _one("05/05/2015") == (D(2015, 5, 5), None, None)  # either way the same day


def test_year_first_dates_have_their_own_evidence():
    done = settle(["2016/08/04", "2016/30/04", "29/12/2015"])  # YYYY/DD/MM beside DD/MM/YYYY
    assert done.start.to_pylist() == [D(2016, 4, 8), D(2016, 4, 30), D(2015, 12, 29)]
    assert _one("2016/08/04") == (
        D(2016, 8, 4),
        "day/month order not settled by the file: read as YYYY/MM/DD",
        None,
    )


def test_two_digit_years_are_settled_by_the_year_column_or_flagged():
    done = settle(["9-May-20", "31-12-19", "05-Jan-22"], years=[2020, "2019", None])
    assert done.start.to_pylist() == [D(2020, 5, 9), D(2019, 12, 31), D(2022, 1, 5)]
    assert done.flags.to_pylist() == [
        "two-digit year settled by the year column",
        "two-digit year settled by the year column",
        "two-digit year '22' read as 2022",
    ]
    old = settle(["1/1/95"], years=[2003], this_year=2026)
    assert old.start.to_pylist() == [D(1995, 1, 1)]
    assert old.flags.to_pylist() == ["two-digit year '95' read as 1995 (the year column says 2003)"]


def test_a_million_rows_are_read_by_distinct_value():
    import time

    texts = [f"{1 + i % 28}/{1 + i % 12}/20{10 + i % 14}" for i in range(1_000_000)]
    began = time.perf_counter()
    done = settle(texts)
    took = time.perf_counter() - began
    assert done.start.null_count == 0 and len(done.reasons) == 1_000_000
    assert took < 10, took  # about 1 s here: a generous bound for a shared machine


_texts = st.one_of(
    st.none(),
    st.text(max_size=14),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.day}/{d.month}/{d.year}"),
    st.dates().map(lambda d: d.strftime("%d %B %Y")),
    st.integers(0, 99_999).map(str),
    st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 2100)).map(
        lambda t: f"{t[0]}-{t[1]}-{t[2]}"
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_texts, max_size=20), st.sampled_from(["day-first", "month-first"]))
def test_every_row_is_a_real_day_range_or_has_a_reason(texts, usual):
    done = settle(texts, usual=usual)
    rows = zip(
        done.start.to_pylist(),
        done.end.to_pylist(),
        done.precision.to_pylist(),
        done.reasons,
        strict=True,
    )
    for start, end, precision, reason in rows:
        if reason is None:
            assert start is not None and end >= start and precision in (1, 3)
        else:
            assert start is None and end is None and isinstance(reason, str) and reason
