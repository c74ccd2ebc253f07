"""eventmap dedupe: one event reported by several datasets becomes one event with every source,
every row kept, and the links can be taken out again."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pytest
from click.testing import CliRunner

from eventmap import dataset
from eventmap.cli import main
from eventmap.dedupe import find_links, link, undo
from eventmap.export import write_batches
from eventmap.model import EVENT_SCHEMA
from eventmap.table import read_table
from eventmap.validate import events

DAY = dt.date(2020, 1, 5)


def _table(rows: list[dict]) -> pa.Table:
    base = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "time_precision": 1,
        "geo_precision": 1,
        "latitude": 10.5,
        "longitude": 20.25,
        "event_date": DAY.isoformat(),
        "actor1": "Military Forces of Testland",
        "actor2": "North Front",
    }
    full = []
    for row in rows:
        item = {**base, **row}
        item["sources"] = json.dumps([{"document": item["event_id"] + ".txt", "quote": "q"}])
        full.append(item)
    columns = {name: [r.get(name) for r in full] for name in {k for r in full for k in r}}
    return events(pa.table(columns), source="test")


def _ids(table: pa.Table, links) -> list[list[str]]:
    ids = table["event_id"].to_pylist()
    return [[ids[i] for i in group] for group in links.groups]


def test_the_same_event_in_two_datasets_is_linked_and_the_primary_is_the_most_precise():
    table = _table(
        [
            {"event_id": "ucdp-1", "source_dataset": "ucdp", "geo_precision": 2},
            {"event_id": "acled-A", "source_dataset": "acled", "latitude": 10.52},
        ]
    )
    assert _ids(table, find_links(table)) == [["acled-A", "ucdp-1"]]


@pytest.mark.parametrize(
    "other, linked",
    [
        ({}, True),
        ({"event_type": "Protests", "sub_event_type": "Peaceful protest"}, False),
        ({"event_date": "2020-01-06"}, True),  # one day apart: --days 1
        ({"event_date": "2020-01-07"}, False),
        ({"latitude": 10.54}, True),  # about 4.4 km north
        ({"latitude": 10.56}, False),  # about 6.7 km
        ({"actor1": "Rebels of South", "actor2": None}, False),  # no actor word in common
        ({"actor1": None, "actor2": None}, True),  # no actors named: compatible
        ({"source_dataset": "acled"}, False),  # one dataset's two events are two events
        ({"latitude": None, "longitude": None}, False),  # no point: nothing to match
    ],
)
def test_the_linking_rule(other, linked):
    table = _table(
        [
            {"event_id": "acled-A", "source_dataset": "acled"},
            {"event_id": "ucdp-1", "source_dataset": "ucdp", **other},
        ]
    )
    assert bool(find_links(table, days=1, km=5).groups) is linked


def test_a_group_never_holds_two_events_of_one_dataset():
    table = _table(
        [
            {"event_id": "acled-A", "source_dataset": "acled"},
            {"event_id": "acled-B", "source_dataset": "acled", "latitude": 10.51},
            {"event_id": "ucdp-1", "source_dataset": "ucdp", "latitude": 10.505},
        ]
    )
    groups = _ids(table, find_links(table))
    assert len(groups) == 1 and len(groups[0]) == 2 and "ucdp-1" in groups[0]


def test_link_keeps_every_row_lists_every_source_and_undo_gives_the_rows_back():
    table = _table(
        [
            {"event_id": "acled-A", "source_dataset": "acled"},
            {"event_id": "ucdp-1", "source_dataset": "ucdp"},
            {"event_id": "gdelt-9", "source_dataset": "gdelt", "longitude": 20.27},
            {"event_id": "acled-Z", "source_dataset": "acled", "latitude": 30.0},
        ]
    )
    linked = link(table, find_links(table))
    assert linked.num_rows == table.num_rows
    rows = {r["event_id"]: r for r in linked.to_pylist()}
    assert rows["ucdp-1"]["duplicate_of"] == rows["gdelt-9"]["duplicate_of"] == "acled-A"
    assert rows["acled-A"]["duplicate_of"] is None and rows["acled-Z"]["duplicate_of"] is None
    sources = json.loads(rows["acled-A"]["sources"])
    assert [s["document"] for s in sources] == ["acled-A.txt", "gdelt-9.txt", "ucdp-1.txt"]
    assert [s.get("linked_event") for s in sources] == [None, "gdelt-9", "ucdp-1"]
    assert link(linked, find_links(linked)).equals(linked)  # linking twice: the same
    assert undo(linked).equals(table)


def test_the_command_links_and_unlinks_the_store_and_the_page_shows_each_event_once(tmp_path):
    store = tmp_path / "events.parquet"
    table = _table(
        [
            {"event_id": "acled-A", "source_dataset": "acled"},
            {"event_id": "ucdp-1", "source_dataset": "ucdp"},
        ]
    )
    write_batches(table, store)
    runner = CliRunner()
    result = runner.invoke(main, ["dedupe", "--to", str(store)])
    assert result.exit_code == 0, result.output
    assert "acled-A ← ucdp-1" in result.output
    assert "1 event reported by more than one dataset; 1 event folded" in result.output
    stored = read_table(store)
    assert stored.num_rows == 2 and stored.schema == EVENT_SCHEMA
    prepared, _ = dataset.load(store)
    assert prepared.table["event_id"].to_pylist() == ["acled-A"]
    result = runner.invoke(main, ["dedupe", "--to", str(store), "--undo"])
    assert result.exit_code == 0, result.output
    assert read_table(store).equals(table)


def test_bad_options_are_refused_with_a_message(tmp_path):
    result = CliRunner().invoke(main, ["dedupe", "--days", "-1", "--to", str(tmp_path / "x")])
    assert result.exit_code == 2 and "--days" in result.output
    result = CliRunner().invoke(main, ["dedupe", "--to", str(tmp_path / "missing.parquet")])
    assert result.exit_code == 1 and "missing.parquet" in result.output
    assert "Traceback" not in result.output


def test_an_import_replacing_a_linked_event_takes_the_links_out_and_says_so(tmp_path):
    store = tmp_path / "events.parquet"
    table = _table(
        [
            {"event_id": "acled-A", "source_dataset": "acled"},
            {"event_id": "ucdp-1", "source_dataset": "ucdp"},
        ]
    )
    write_batches(link(table, find_links(table)), store)
    again = tmp_path / "again.parquet"
    write_batches(table.filter(pa.array([True, False])), again)  # acled-A once more
    result = CliRunner().invoke(main, ["import", str(again), "--to", str(store)])
    assert result.exit_code == 0, result.output
    assert "run `eventmap dedupe` again" in result.output
    stored = read_table(store)
    assert stored["duplicate_of"].null_count == stored.num_rows


def test_a_row_whose_primary_is_gone_is_shown_again(tmp_path):
    table = _table(
        [
            {"event_id": "acled-A", "source_dataset": "acled"},
            {"event_id": "ucdp-1", "source_dataset": "ucdp"},
        ]
    )
    orphan = link(table, find_links(table)).filter(pa.array([False, True]))
    path = tmp_path / "orphan.parquet"
    write_batches(orphan, path)
    prepared, _ = dataset.load(path)
    assert prepared.table["event_id"].to_pylist() == ["ucdp-1"]
