"""Properties of the importer over random input: the date reader never raises and answers for
every value; a random table written as CSV gives events, or an eventmap error naming the file,
never another exception, with every record accounted for."""

from __future__ import annotations

import csv
import io
import itertools

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventmap.errors import EventmapError
from eventmap.importers.dates import settle
from eventmap.importers.plain import COLUMN_NAMES
from eventmap.importers.run import import_file

# -- dates.settle ------------------------------------------------------------------------

_date_like = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.text(alphabet="0123456789/-. ", max_size=12),
    st.sampled_from(["29/12/2015", "1/1/16", "41712", "9-May-20", "2016/08/04", "2020-02-30"]),
    st.integers(-10, 200_000).map(str),
    st.tuples(st.integers(0, 99), st.sampled_from("/-."), st.integers(0, 99)).map(
        lambda t: f"{t[0]}{t[1]}{t[2]}{t[1]}20{t[0] % 30:02d}"
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_date_like, max_size=25),
    st.one_of(st.none(), st.lists(st.one_of(st.none(), st.integers(-5, 3000)), max_size=25)),
    st.sampled_from(["day-first", "month-first"]),
)
def test_settle_never_raises_and_answers_for_every_value(texts, years, usual):
    if years is not None:
        years = (years + [None] * len(texts))[: len(texts)]
    done = settle(texts, years=years, usual=usual)
    n = len(texts)
    assert len(done.start) == len(done.end) == len(done.precision) == n
    assert len(done.flags) == len(done.reasons) == n
    for text, start, reason in zip(texts, done.start.to_pylist(), done.reasons, strict=True):
        assert (start is None) == (reason is not None), (text, start, reason)


# -- a random table through import_file --------------------------------------------------

SYNONYMS = sorted({name for names in COLUMN_NAMES.values() for name in names})
_name = st.one_of(
    st.sampled_from(SYNONYMS),
    st.sampled_from(SYNONYMS).map(str.upper),
    st.text(min_size=0, max_size=12),
)
_cell = st.one_of(
    st.text(max_size=15),
    st.sampled_from(["", "NA", "Unknown", "3 – 7", "0", "0,0", "-91", "1e400", '"', "\n"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(2**70), 2**70).map(str),
    st.dates().map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%y")),
    st.sampled_from(["Battles", "Riots/Protests", "Remote violence", "Protests"]),
)


@st.composite
def tables(draw):
    names = draw(st.lists(_name, min_size=1, max_size=7))
    rows = draw(st.integers(0, 6))
    cells = [[draw(_cell) for _ in names] for _ in range(rows)]
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    return names, cells, delimiter


def _csv(names, cells, delimiter) -> str:
    """The table as CSV, Excel's way (CRLF: the csv module then quotes a lone CR too)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows(cells)
    return out.getvalue()


def _record_lines(text: str, delimiter: str) -> list[int]:
    """The line each record starts on, by Python's csv module (blank lines are no record)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(row for row in reader if row)
    starts, start = [], reader.line_num + 1
    for row in reader:
        if row:
            starts.append(start)
        start = reader.line_num + 1
    return starts


counter = itertools.count()


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tables())
def test_a_random_table_gives_events_or_an_error_naming_the_file(tmp_path, resolver, drawn):
    names, cells, delimiter = drawn
    path = tmp_path / f"random-{next(counter)}.csv"
    text = _csv(names, cells, delimiter)
    path.write_bytes(text.encode("utf-8"))
    try:
        table, report = import_file(path, resolver=resolver)
    except EventmapError as exc:
        assert str(path) in str(exc), str(exc)
        # the net for what no reader foresaw is not an answer: it hides a bug
        assert "cannot be imported (" not in str(exc), str(exc)
        return
    assert isinstance(table, pa.Table)
    assert report.imported == table.num_rows
    assert report.imported + len(report.skipped) == report.rows
    starts = _record_lines(text, delimiter)
    assert report.rows == len(starts) == len(cells)
    assert table.column("event_id").null_count == 0
    assert len(set(table.column("event_id").to_pylist())) == table.num_rows
    for skipped in report.skipped:
        assert skipped["reason"] and 1 <= skipped["record"] <= report.rows
        assert skipped["line"] == starts[skipped["record"] - 1], skipped
