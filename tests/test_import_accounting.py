"""Every record of every fixture accounted for (imported, or skipped with its record, line and
reason), counted independently of the importer; and every format's events through eventmap's
own exports (GeoJSON, CSV, GeoPackage) and back, unchanged."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pyarrow.parquet as pq
import pyogrio
import pytest
from click.testing import CliRunner
from paths import ROOT
from test_import_formats import MAPPING, write_gpkg, write_xlsx

from eventmap.cli import main
from eventmap.importers.run import import_file
from eventmap.table import read_table

FIXTURES = ROOT / "tests" / "fixtures" / "import"
COMMITTED = sorted(
    p.name for p in FIXTURES.iterdir() if p.name not in ("README.md", ".gitattributes")
)
WRITTEN = {"written.xlsx": write_xlsx, "written.gpkg": write_gpkg}
MAPPINGS = {"needs_map.csv": MAPPING}


def test_the_readme_lists_every_fixture_and_says_the_rows_are_invented():
    readme = (FIXTURES / "README.md").read_text()
    assert "Every row is invented" in readme
    for name in COMMITTED:
        assert f"`{name}`" in readme, name


@pytest.fixture
def fixture_path(request, tmp_path):
    name = request.param
    if name in WRITTEN:
        return WRITTEN[name](tmp_path / name)
    return FIXTURES / name


def _text(path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def records_in(path) -> int:
    """How many records the file holds, counted without eventmap."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pq.read_metadata(path).num_rows
    if suffix == ".xlsx":  # rows with a value, less the header (an empty row is no record)
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        return sum(any(v is not None for v in row) for row in sheet.iter_rows(values_only=True)) - 1
    if suffix == ".gpkg":
        return pyogrio.read_info(path)["features"]
    if suffix == ".geojson":
        return len(json.loads(path.read_text())["features"])
    if suffix == ".json":
        return len(json.loads(path.read_text()))
    text = _text(path)
    if path.name.endswith(".export.CSV"):  # GDELT: one record a line, no header
        return len(text.splitlines())
    delimiter = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t").delimiter
    rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if row]
    return len(rows) - 1  # the header


@pytest.mark.parametrize("fixture_path", COMMITTED + list(WRITTEN), indirect=True)
def test_every_record_is_imported_or_skipped_with_its_record_line_and_reason(
    fixture_path, resolver
):
    table, report = import_file(
        fixture_path, mapping=MAPPINGS.get(fixture_path.name), resolver=resolver
    )
    expected = records_in(fixture_path)
    assert expected >= 3
    assert report.rows == expected
    assert report.imported == table.num_rows
    assert report.imported + len(report.skipped) == report.rows
    records = [s["record"] for s in report.skipped]
    assert len(set(records)) == len(records) and all(1 <= k <= expected for k in records)
    lines_known = fixture_path.suffix.lower() in (".csv", ".tsv", ".xlsx")
    for skipped in report.skipped:
        assert set(skipped) == {"record", "line", "reason"}
        assert isinstance(skipped["reason"], str) and skipped["reason"]
        if lines_known:
            assert skipped["line"] >= skipped["record"]
    assert table.column("event_id").null_count == 0
    assert len(set(table.column("event_id").to_pylist())) == table.num_rows


ROUND_TRIP = COMMITTED + list(WRITTEN)


def invoke(*args: str) -> str:
    done = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.output


@pytest.mark.parametrize("fixture_path", ROUND_TRIP, indirect=True)
def test_events_come_back_equal_through_every_export(fixture_path, tmp_path):
    store = tmp_path / "store.parquet"
    maps = [
        a for k, v in MAPPINGS.get(fixture_path.name, {}).items() for a in ("--map", f"{k}={v}")
    ]
    invoke("import", fixture_path, "--to", store, "--replace", *maps)
    events = read_table(store)
    assert events.num_rows >= 2
    for suffix in ("geojson", "csv", "gpkg"):
        exported = tmp_path / f"exported.{suffix}"
        again = tmp_path / f"again-{suffix}.parquet"
        invoke("export", "-o", exported, "--data", store)
        said = invoke("import", exported, "--to", again, "--replace")
        assert f"{events.num_rows} records: {events.num_rows} imported, 0 skipped" in said
        back = read_table(again)
        assert back.schema.equals(events.schema)
        for name in events.column_names:  # column by column, for a message that says which
            assert back.column(name).to_pylist() == events.column(name).to_pylist(), (
                suffix,
                name,
            )
        assert back.equals(events)
