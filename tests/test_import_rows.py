"""The importer's JSON writers: what json.loads reads back is exactly the values given, for any
text (quotes, backslashes, control characters, non-ASCII, line separators), with rows whose
values are all null kept in place (Arrow 26's skip-join drops them; we must not)."""

from __future__ import annotations

import json
import re

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from eventmap.importers import rows

texts = st.one_of(st.none(), st.text(max_size=30))
BLANK = re.compile(r"[\t\n\f\r ]*")  # what the importer reads as an empty cell (RE2's \s)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(texts, texts, st.one_of(st.none(), st.integers(-(10**12), 10**12)))))
def test_json_column_reads_back_as_the_values_given(records):
    a = pa.array([r[0] for r in records], pa.string())
    b = pa.array([r[1] for r in records], pa.string())
    n = pa.array([r[2] for r in records], pa.int64())
    out = rows.json_column({"a": a, 'b "quoted"': b, "n": n}).to_pylist()
    assert len(out) == len(records)
    for text, (x, y, z) in zip(out, records, strict=True):
        expected = {k: v for k, v in (("a", x), ('b "quoted"', y), ("n", z)) if v is not None}
        assert (json.loads(text) if text is not None else {}) == expected


def test_json_column_in_slices_gives_the_same_rows(monkeypatch):
    values = pa.array([None if i % 3 == 0 else f'v"{i}\n' for i in range(1000)], pa.string())
    whole = rows.json_column({"k": values})
    monkeypatch.setattr(rows, "JSON_SLICE", 64)
    sliced = rows.json_column({"k": values})
    assert isinstance(sliced, pa.ChunkedArray) and sliced.to_pylist() == whole.to_pylist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(texts, texts)))
def test_sources_column_cites_the_document_and_quote(records):
    document = pa.array([r[0] for r in records], pa.string())
    quote = pa.array([r[1] for r in records], pa.string())
    out = rows.sources_column(document, quote, len(records)).to_pylist()
    assert len(out) == len(records)
    for text, (d, q) in zip(out, records, strict=True):
        expected = {
            k: v for k, v in (("document", d), ("quote", q)) if v and not BLANK.fullmatch(v)
        }
        assert json.loads(text) == ([expected] if expected else [])


def test_blanks_are_nulled_without_copying_the_text():
    values = pa.array(["x", " ", None, "", "y\n", " \t"])
    out = rows.blank_to_null(values)
    assert out.to_pylist() == ["x", None, None, None, "y\n", None]
    assert out.buffers()[2].address == values.buffers()[2].address
    assert rows.blank_to_null(values.slice(1)).to_pylist() == [None, None, None, "y\n", None]
