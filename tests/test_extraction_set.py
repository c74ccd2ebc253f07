"""The extraction evaluation set (tests/extraction_set, issue 11) is complete and well formed.

Checks the files only: every text has its metadata and gold events, every quote is an exact
substring of its text, types are ACLED's, coordinates and dates are real, and the dev and test
parts are disjoint. It does not run or score the extractor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from extraction_set.load import HERE, PARTS, documents, gold_events

from eventmap.model import EVENT_TYPES, GEO_PRECISION, TIME_PRECISION

DOCS = documents()
META_KEYS = ("publisher", "title", "url", "published", "licence", "date_basis", "date_reasoning")
EVENT_KEYS = ("id", "date", "time_precision", "type", "sub_type", "actor1", "place")
EVENT_KEYS += ("latitude", "longitude", "coord_source", "geo_precision", "region", "quote")


def _ids(docs):
    return [doc.name for doc in docs]


def test_enough_texts_in_both_parts():
    counts = Counter(doc.part for doc in DOCS)
    assert len(DOCS) >= 20
    assert counts["dev"] >= 10 and counts["test"] >= 8, counts


def test_every_file_belongs_to_a_document():
    for part in PARTS:
        files = {p.name for p in (HERE / part).iterdir()}
        names = {p.rsplit(".", 1)[0] for p in files if p.endswith(".txt")}
        expected = {
            f"{n}{suffix}" for n in names for suffix in (".txt", ".meta.yaml", ".gold.yaml")
        }
        assert files == expected, sorted(files ^ expected)


def test_dev_and_test_are_disjoint():
    dev, test = documents("dev"), documents("test")
    assert not set(_ids(dev)) & set(_ids(test))
    assert not {d.text for d in dev} & {d.text for d in test}
    assert not {d.meta["url"] for d in dev} & {d.meta["url"] for d in test}
    assert len({d.meta["url"] for d in DOCS}) == len(DOCS)


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_metadata(doc):
    for key in META_KEYS:
        assert doc.meta.get(key), f"{doc.name}: no {key}"
    assert isinstance(doc.published, dt.date) and not isinstance(doc.published, dt.datetime)
    assert dt.date(2016, 1, 1) <= doc.published <= dt.date(2023, 12, 31)
    assert doc.meta["url"].startswith(("http://", "https://"))
    assert "public domain" in doc.meta["licence"]
    assert doc.meta["date_basis"] in ("stated", "inferred")
    assert doc.gold["document"] == doc.path.name
    assert doc.gold["published"] == doc.published
    assert doc.text.strip() and "\r" not in doc.text


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_gold_events(doc):
    for event in doc.events:
        where = f"{doc.name}: {event.get('id')}"
        for key in EVENT_KEYS:
            assert event.get(key) is not None, f"{where}: no {key}"
        assert event["id"].startswith(doc.name + "-"), where
        assert event["sub_type"] in EVENT_TYPES[event["type"]], where
        assert event["time_precision"] in TIME_PRECISION, where
        assert event["geo_precision"] in GEO_PRECISION, where
        start = event["date"]
        end = event.get("date_end", start)
        assert isinstance(start, dt.date) and isinstance(end, dt.date), where
        assert start <= end <= doc.published, where
        if event["time_precision"] == 1:
            assert (end - start).days <= 1, where
        assert -90 <= event["latitude"] <= 90 and -180 <= event["longitude"] <= 180, where
        assert isinstance(event["region"], bool), where
        if event["region"]:
            assert event["geo_precision"] == 3, where
        for key in ("fatalities", "injured"):
            value = event.get(key)
            assert value is None or (type(value) is int and value >= 0), where


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_quotes_are_exact_substrings(doc):
    quotes = [e["quote"] for e in doc.events]
    quotes += [q for e in doc.events for q in e.get("more_quotes", [])]
    quotes += [x["quote"] for x in doc.gold.get("excluded") or []]
    for quote in quotes:
        assert quote and quote in doc.text, f"{doc.name}: {quote[:80]!r}"
    for excluded in doc.gold.get("excluded") or []:
        assert excluded.get("why"), doc.name


def test_event_ids_are_unique():
    ids = [e["id"] for doc in DOCS for e in doc.events]
    assert len(ids) == len(set(ids))


def test_gold_events_in_score_shape():
    events = gold_events()
    assert len(events) == sum(len(doc.events) for doc in DOCS)
    for event in events:
        assert isinstance(event["event_date"], dt.date)
        assert event["event_date"] <= event["date_end"]
        assert event["event_type"] in EVENT_TYPES
    assert {e["part"] for e in gold_events("test")} == {"test"}


def test_readme_lists_every_text_and_the_gold_counts():
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    for doc in DOCS:
        assert f"{doc.part}/{doc.name}" in readme, doc.name
    for part in PARTS:
        count = sum(len(doc.events) for doc in documents(part))
        assert re.search(rf"\b{part}\b[^\n]*\b{count} gold events\b", readme), part
