"""`eventmap import` as a user runs it (click's CliRunner): the summary, the --report JSON,
--append and --replace, --map, --format, and files that are not tables of events."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from paths import ROOT

from eventmap.cli import main
from eventmap.table import read_table

FIXTURES = ROOT / "tests" / "fixtures" / "import"
ACLED = FIXTURES / "acled_current.csv"
MONADIC = FIXTURES / "acled_monadic.csv"
GDELT = FIXTURES / "gdelt2.export.CSV"


def invoke(*args, code: int = 0):
    done = CliRunner().invoke(main, ["import", *map(str, args)])
    assert done.exit_code == code, done.output
    # a message and an exit code, never an exception escaping (a traceback for a user)
    assert done.exception is None if code == 0 else isinstance(done.exception, SystemExit)
    assert "Traceback" not in done.output
    return done


def ids(store) -> list[str]:
    return sorted(read_table(store).column("event_id").to_pylist())


def test_the_summary_says_what_became_of_every_record(tmp_path):
    store = tmp_path / "events.parquet"
    out = invoke(MONADIC, "--to", store).output.splitlines()
    assert out[0] == f"{MONADIC}:"
    assert out[1] == "  7 records: 4 imported, 3 skipped"
    columns = "assoc_actor_1, event_id_cnty, inter1, interaction"
    assert out[2] == f"  format: acled (ACLED columns: {columns})"
    assert out[3:-2] == [
        "  flagged:",
        "    3 × merged with the other actor row of the same event (monadic file)",
        "  skipped:",
        "    3 × the other actor row of the event in record: merged into it",
    ]
    assert out[-2].startswith("    (first: line 3: the other actor row of the event in record '1'")
    assert out[-1] == f"{store}: 4 events (was 0)"


def test_skipped_reasons_are_counted_without_their_quoted_values(tmp_path):
    out = invoke(FIXTURES / "acled_messy_dates.csv", "--to", tmp_path / "s.parquet").output
    assert "  13 records: 10 imported, 3 skipped" in out
    assert "    1 × event_date is not a real date" in out
    assert "    1 × no date at all" in out
    assert "    1 × Excel serial date" in out


def test_the_report_of_one_file_has_its_keys_at_the_top(tmp_path):
    store, report = tmp_path / "events.parquet", tmp_path / "report.json"
    out = invoke(GDELT, "--to", store, "--report", report).output
    assert f"report: {report}" in out
    data = json.loads(report.read_text())
    assert set(data) == {
        "files",
        "file",
        "format",
        "evidence",
        "rows",
        "imported",
        "flagged",
        "skipped",
        "store",
    }
    assert len(data["files"]) == 1 and data["files"][0] == {
        k: v for k, v in data.items() if k not in ("files", "store")
    }
    assert (data["file"], data["format"], data["rows"], data["imported"]) == (
        str(GDELT),
        "gdelt2",
        8,
        7,
    )
    assert data["skipped"] == [
        {"record": 6, "line": 6, "reason": "CAMEO root 04 has no ACLED type"}
    ]
    assert data["flagged"] == {
        "GDELT row has no geographic match (Geo_Type 0)": 1,
        "GDELT point is the centroid of a country/state": 1,
    }
    assert data["store"] == {"path": str(store), "events": 7, "replaced": 0}


def test_the_report_of_several_files_lists_each(tmp_path):
    report = tmp_path / "report.json"
    invoke(ACLED, MONADIC, GDELT, "--to", tmp_path / "s.parquet", "--report", report)
    data = json.loads(report.read_text())
    assert set(data) == {"files", "store"}
    assert [(f["file"], f["format"], f["rows"], f["imported"]) for f in data["files"]] == [
        (str(ACLED), "acled", 7, 7),
        (str(MONADIC), "acled", 7, 4),
        (str(GDELT), "gdelt2", 8, 7),
    ]
    assert data["store"]["events"] == 7 + 4 + 7
    for entry in data["files"]:
        assert entry["imported"] + len(entry["skipped"]) == entry["rows"]


def test_appending_the_same_file_twice_changes_nothing(tmp_path):
    store = tmp_path / "events.parquet"
    invoke(ACLED, "--to", store)
    first = read_table(store)
    out = invoke(ACLED, "--to", store, "--append").output
    assert out.splitlines()[-1] == f"{store}: 7 events (was 7, 7 events replaced by the same ids)"
    again = read_table(store)
    assert again.equals(first)
    assert ids(store) == sorted(f"acled-{k}" for k in _acled_ids())


def _acled_ids():
    return [line.split(",")[0] for line in ACLED.read_text().splitlines()[1:]]


def test_append_adds_and_replace_starts_afresh(tmp_path):
    store = tmp_path / "events.parquet"
    invoke(ACLED, "--to", store)
    invoke(GDELT, "--to", store, "--append")
    assert len(ids(store)) == 7 + 7
    out = invoke(MONADIC, "--to", store, "--replace").output
    assert out.splitlines()[-1] == f"{store}: 4 events (was 0)"
    assert ids(store) == [f"acled-SOM9300{k}" for k in (1, 2, 3, 4)]


def test_map_names_the_columns_of_a_table(tmp_path):
    store = tmp_path / "events.parquet"
    path = FIXTURES / "needs_map.csv"
    failed = invoke(path, "--to", store, code=1)
    assert failed.output.startswith(f"Error: {path}: not a table of events")
    assert "--map FIELD=COLUMN" in failed.output and not store.exists()
    maps = ["event_id=Kennung", "event_date=Datum", "latitude=Breite", "longitude=Länge"]
    args = [a for m in maps for a in ("--map", m)]
    out = invoke(path, "--to", store, *args).output
    assert "  4 records: 4 imported, 0 skipped" in out
    table = read_table(store)
    assert table.column("event_id").to_pylist()[0] == "needs_map.csv-DE-1"
    assert table.column("latitude").to_pylist()[0] == 37.5753


def test_a_map_that_is_not_field_equals_column_is_a_usage_error(tmp_path):
    done = invoke(FIXTURES / "needs_map.csv", "--map", "Datum", "--to", tmp_path / "s", code=2)
    assert "'Datum' is not FIELD=COLUMN" in done.output


def test_a_map_to_a_missing_column_names_the_file(tmp_path):
    path = FIXTURES / "needs_map.csv"
    done = invoke(path, "--map", "event_date=Zeit", "--to", tmp_path / "s.parquet", code=1)
    assert done.output.startswith(f"Error: {path}: --map event_date=Zeit: the file has no column")


def test_format_forces_the_reading(tmp_path):
    store, report = tmp_path / "events.parquet", tmp_path / "report.json"
    invoke(ACLED, "--format", "table", "--to", store, "--report", report)
    data = json.loads(report.read_text())
    assert (data["format"], data["evidence"]) == ("table", "--format table")
    table = read_table(store)
    assert set(table.column("source_dataset").to_pylist()) == {"acled_current.csv"}
    # no id column: named by the record's content, as on every import of it
    assert re.fullmatch(r"acled_current-[0-9a-f]{12}", table.column("event_id").to_pylist()[0])

    tsv = FIXTURES / "incidents.tsv"
    invoke(tsv, "--format", "acled", "--to", store, "--replace", "--report", report)
    data = json.loads(report.read_text())
    assert (data["format"], data["evidence"], data["imported"]) == ("acled", "--format acled", 5)
    assert set(read_table(store).column("source_dataset").to_pylist()) == {"acled"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([ACLED, "--format", "gdelt"], "--format gdelt, but the file is not GDELT"),
        ([GDELT, "--format", "acled"], "--format acled, but the file is GDELT rows"),
    ],
)
def test_a_format_the_file_is_not_stops_with_a_message(tmp_path, args, message):
    done = invoke(*args, "--to", tmp_path / "s.parquet", code=1)
    assert done.output.startswith(f"Error: {args[0]}: {message}")


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PARAGRAPH = (
    "The river rose all week; by Thursday the lower town was under water, and the ferry, "
    "which had run since before the war, stopped.\nNobody there remembers a flood like it.\n"
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("picture.png", PNG, "a binary file, not a table of events"),
        ("random.bin", bytes(range(256)) * 8, "a binary file, not a table of events"),
        ("events.csv", b"", "the file is empty"),
        ("story.txt", PARAGRAPH.encode(), "not a table of events: no column is an event field"),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "not a readable Excel workbook"),
        ("broken.json", b'[{"id": 1,', "not readable JSON"),
        ("numbers.json", b"[1, 2, 3]", "JSON but not a list of records"),
        ("broken.parquet", b"PAR1 and then nothing", "not a readable Parquet file"),
    ],
)
def test_what_is_not_a_table_of_events_stops_with_one_line_and_leaves_the_store(
    tmp_path, name, content, message
):
    store = tmp_path / "events.parquet"
    invoke(ACLED, "--to", store)
    before = store.read_bytes()
    bad = tmp_path / name
    bad.write_bytes(content)
    done = invoke(bad, "--to", store, code=1)
    assert done.output == f"Error: {bad}: {done.output.split(': ', 2)[2]}"
    assert message in done.output and len(done.output.strip().splitlines()) == 1
    assert "Traceback" not in done.output
    assert store.read_bytes() == before
    # with good files before it: nothing is written either
    done = invoke(ACLED, bad, "--to", store, "--replace", code=1)
    assert str(bad) in done.output and store.read_bytes() == before


def test_a_missing_file_is_named(tmp_path):
    missing = tmp_path / "nowhere.csv"
    done = invoke(missing, "--to", tmp_path / "s.parquet", code=1)
    assert done.output.strip() == f"Error: {missing}: no such file"


def test_list_and_export_read_another_dataset_s_file_through_the_importer(tmp_path):
    ged = FIXTURES / "ucdp_ged.csv"
    listed = CliRunner().invoke(main, ["list", "--data", str(ged), "--format", "json"])
    assert listed.exit_code == 0, listed.output
    events = json.loads(listed.stdout)
    assert events and all(e["event_id"].startswith("ucdp-") for e in events)
    out = tmp_path / "ged.geojson"
    done = CliRunner().invoke(main, ["export", "--data", str(ged), "-o", str(out)])
    assert done.exit_code == 0, done.output
    features = json.loads(out.read_text())["features"]
    assert {f["properties"]["source_dataset"] for f in features} == {"ucdp"}
    assert len(features) == len(events)


def test_keep_unmapped_keeps_gdelt_rows_without_an_acled_type_flagged(tmp_path):
    skipped = invoke(GDELT, "--to", tmp_path / "a.parquet").output
    assert "1 × CAMEO root 04 has no ACLED type" in skipped
    kept = invoke(GDELT, "--to", tmp_path / "b.parquet", "--keep-unmapped").output
    assert "8 records: 8 imported, 0 skipped" in kept
    assert "1 × CAMEO root 04 has no ACLED type: kept untyped" in kept
    untyped = [r for r in read_table(tmp_path / "b.parquet").to_pylist() if not r["event_type"]]
    assert len(untyped) == 1 and untyped[0]["original_type"].startswith("CAMEO 04")


def test_records_without_ids_in_two_files_of_one_name_do_not_replace_each_other(tmp_path):
    store = tmp_path / "events.parquet"
    for folder, place in (("a", "Aleppo"), ("b", "Idlib")):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "events.csv"
        path.write_text(f"date,lat,lon,place\n2020-01-05,36.2,37.1,{place}\n", encoding="utf-8")
        invoke(path, "--to", store)
    assert len(ids(store)) == 2
    moved = tmp_path / "a" / "events.csv"  # the same record again, now on another row
    moved.write_text(
        "date,lat,lon,place\n2020-01-06,35.9,36.6,Idlib\n2020-01-05,36.2,37.1,Aleppo\n",
        encoding="utf-8",
    )
    before = ids(store)
    invoke(moved, "--to", store)
    assert set(before) <= set(ids(store)) and len(ids(store)) == 3


def test_map_names_any_field_but_those_eventmap_writes(tmp_path):
    path = tmp_path / "own.csv"
    path.write_text("date,lat,lon,kind,ref\n2020-01-05,36.2,37.1,Shooting,R-7\n", encoding="utf-8")
    store = tmp_path / "s.parquet"
    invoke(path, "--to", store, "--map", "original_type=kind", "--map", "source_event_id=ref")
    (row,) = read_table(store).to_pylist()
    assert row["original_type"] == "Shooting" and row["source_event_id"] == "R-7"
    assert row["event_id"] == "own.csv-R-7"
    out = invoke(path, "--to", store, "--map", "flags=kind", code=1).output
    assert "'flags' is not an eventmap field" in out


def test_a_report_into_a_folder_that_cannot_be_written_is_refused_before_the_store(tmp_path):
    store = tmp_path / "events.parquet"
    out = invoke(MONADIC, "--to", store, "--report", tmp_path / "no" / "r.json", code=2).output
    assert "--report" in out and not store.exists()
