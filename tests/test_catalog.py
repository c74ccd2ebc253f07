"""The curated catalog: the seeds' events, verbatim provenance, and loud errors on bad input."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from paths import SEEDS

from eventmap.catalog import load_catalog
from eventmap.errors import CatalogError

DOC = "000_97cfeaf750d32181.txt"
GOOD = {
    "event_id": "T-1",
    "event_date": "2019-12-27",
    "time_precision": 1,
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Shelling/artillery/missile attack",
    "actor1": "Kata'ib Hezbollah",
    "location": "Kirkuk",
    "geo_precision": 2,
    "notes": "Rockets hit a base near Kirkuk.",
    "sources": [{"document": DOC, "quote": "nearly 30 rockets rocked an Iraqi base in Kirkuk"}],
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(SEEDS / "events.yaml")


def test_every_quote_is_verbatim_in_its_document(catalog):
    assert len(catalog.events) >= 16
    for event in catalog.events:
        for source in event["sources"]:
            text = (SEEDS / source["document"]).read_text(encoding="utf-8")
            assert source["quote"] in text, (event["event_id"], source["quote"])


def test_catalog_codes_the_events_the_articles_report(catalog):
    by_id = {e["event_id"]: e for e in catalog.events}
    kirkuk = by_id["IRQ-20191227-KIRKUK-ROCKETS"]
    assert kirkuk["event_date"] == dt.date(2019, 12, 27)
    assert (kirkuk["fatalities"], kirkuk["injured"]) == (1, 6)
    assert {s["document"][:3] for s in kirkuk["sources"]} == {"000", "003", "004"}
    assert "30" in kirkuk["notes"] and "31" in kirkuk["notes"]
    embassy = by_id["IRQ-20191231-EMBASSY-STORMED"]
    assert (embassy["event_date"], embassy["location"]) == (
        dt.date(2019, 12, 31),
        "U.S. Embassy Baghdad",
    )
    # 002 states no date: its events are coded to the month, never a guessed day.
    for event in catalog.events:
        if any(s["document"].startswith("002") for s in event["sources"]):
            assert event["time_precision"] == 3
            assert (event["date_end"] - event["event_date"]).days >= 27
    # Where Soleimani was struck is not in the text: coded coarse, not from memory.
    soleimani = by_id["IRQ-20200103-SOLEIMANI-STRIKE"]
    assert soleimani["geo_precision"] == 3
    kinds = {(e["event_type"], e["sub_event_type"]) for e in catalog.events}
    assert ("Battles", "Armed clash") in kinds
    assert ("Strategic developments", "Non-violent transfer of territory") in kinds


def test_no_coordinates_are_typed_into_the_seed_catalog():
    text = (SEEDS / "events.yaml").read_text(encoding="utf-8")
    assert "latitude" not in text and "longitude" not in text


def write_catalog(tmp_path: Path, entries) -> Path:
    shutil.copy(SEEDS / DOC, tmp_path / DOC)
    path = tmp_path / "events.yaml"
    path.write_text(yaml.safe_dump({"events": entries}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_good_entry_loads(tmp_path):
    catalog = load_catalog(write_catalog(tmp_path, [GOOD]))
    assert catalog.events[0]["date_end"] == dt.date(2019, 12, 27)
    assert catalog.events[0]["fatalities"] is None  # not reported is empty, not 0


BAD = [
    ({"colour": "red"}, "colour", "unknown field"),
    ({"event_date": "2019-02-30"}, "event_date", "not a date"),
    ({"date_end": "2019-12-01"}, "date_end", "before event_date"),
    ({"latitude": 95.0, "longitude": 44.0}, "latitude", "outside"),
    ({"latitude": 35.0, "longitude": 200.0}, "longitude", "outside"),
    ({"sub_event_type": "Armed clash"}, "sub_event_type", "not a sub-event type"),
    ({"time_precision": 7}, "time_precision", "not one of"),
    ({"fatalities": -1}, "fatalities", "whole number"),
    ({"sources": [{"document": DOC, "quote": "no such words"}]}, "sources", "not found verbatim"),
    ({"sources": [{"document": "999_missing.txt", "quote": "x"}]}, "sources", "unknown document"),
    ({"actor1": ""}, "actor1", "required"),
]


@pytest.mark.parametrize(("change", "field", "words"), BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_a_malformed_entry_names_file_event_and_field(tmp_path, change, field, words):
    path = write_catalog(tmp_path, [GOOD, {**GOOD, "event_id": "T-BAD", **change}])
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert str(path) in message and "event T-BAD" in message and f"field '{field}'" in message
    assert words in message
    assert (info.value.event_id, info.value.field) == ("T-BAD", field)


def test_lenient_skips_only_the_bad_entry_and_lists_it(tmp_path):
    bad = {**GOOD, "event_id": "T-BAD", "event_date": "2019-13-01"}
    catalog = load_catalog(
        write_catalog(tmp_path, [GOOD, bad, {**GOOD, "event_id": "T-2"}]), lenient=True
    )
    assert [e["event_id"] for e in catalog.events] == ["T-1", "T-2"]
    assert [e.event_id for e in catalog.skipped] == ["T-BAD"]


def test_duplicate_event_id(tmp_path):
    with pytest.raises(CatalogError, match="duplicate event_id"):
        load_catalog(write_catalog(tmp_path, [GOOD, GOOD]))


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text("events:\n  - event_id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"line \d+"):
        load_catalog(path)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        (b"caf\xe9 au lait, a plain article", "not valid UTF-8"),
    ],
    ids=["empty", "binary", "latin-1"],
)
def test_unreadable_articles_give_a_clear_error(tmp_path, content, words):
    path = write_catalog(tmp_path, [GOOD])
    (tmp_path / DOC).write_bytes(content)
    with pytest.raises(CatalogError, match=words) as info:
        load_catalog(path)
    assert DOC in str(info.value) and "T-1" in str(info.value)


def test_a_yaml_alias_bomb_is_refused_at_once_with_a_short_message(tmp_path):
    import time

    from eventmap.catalog import load_catalog
    from eventmap.errors import CatalogError

    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[level]
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    lines.append("events: [*i]")
    bomb = tmp_path / "events.yaml"
    bomb.write_text("\n".join(lines), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(CatalogError, match="more than 20 aliases") as caught:
        load_catalog(bomb)
    assert time.perf_counter() - started < 5 and len(str(caught.value)) < 300
