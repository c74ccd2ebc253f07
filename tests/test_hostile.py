"""Hostile inputs, at every boundary: a named error or a flagged event, never a traceback.

CLI cases run in-process through click's CliRunner (a few through a real subprocess); page
cases through Streamlit's AppTest. Each asserts the exact outcome: which words, which flag.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from paths import ROOT
from streamlit.testing.v1 import AppTest

from eventmap.cli import main

POINT = {"type": "Point", "coordinates": [44.4, 33.3]}


def _collection(*properties, geometry=POINT) -> str:
    features = [{"type": "Feature", "geometry": geometry, "properties": p} for p in properties]
    return json.dumps({"type": "FeatureCollection", "features": features})


# name -> (file name, bytes, the words of the error)
REFUSED = {
    "empty GeoJSON": ("e.geojson", b"", "e.geojson: the file is empty"),
    "empty CSV": ("e.csv", b"", "e.csv: the file is empty"),
    "empty Parquet": ("e.parquet", b"", "e.parquet: the file is empty"),
    "binary GeoJSON": (
        "b.geojson",
        bytes(range(256)) * 8,
        "b.geojson: not readable as GeoJSON (not recognized as being in a supported file format)",
    ),
    "binary CSV": ("b.csv", b"id,x\n\x00\x01\x02", "b.csv: a binary file"),
    "binary GeoPackage": ("b.gpkg", b"\x00" * 4096, "b.gpkg: not readable as GPKG"),
    "binary Parquet": ("b.parquet", b"\x00" * 64, "b.parquet: not a readable GeoParquet store"),
    "truncated GeoJSON": (
        "t.geojson",
        b'{"type": "FeatureCollection", "features": [{"type": "Feat',
        "t.geojson: not readable as GeoJSON (Failed to read GeoJSON data",
    ),
    "JSON that is not GeoJSON": ("l.geojson", b"[1, 2, 3]", "l.geojson: not readable as GeoJSON"),
    "CSV row with too many fields": (
        "f.csv",
        b"event_id,event_date\nA,2020-01-01\nB,2020-01-02,extra\n",
        "f.csv, line 3: 3 fields where the header has 2 (found: 'B,2020-01-02,extra')",
    ),
    "table of something else": (  # read by the importer: no column is any event field
        "shop.csv",
        b"name,price\nbread,3\n",
        "shop.csv: not a table of events: no column is an event field (columns: name, price); "
        "name them with --map FIELD=COLUMN",
    ),
    "a column named twice": (
        "twice.csv",
        b"event_id,event_id,event_date\nA,B,2020-01-01\n",
        "twice.csv: the header names a column more than once; which one holds the events' "
        "values cannot be told (found: event_id)",
    ),
    "no extension (path traversal)": (  # tried as a table by the importer, and refused
        "passwd",
        b"root:x:0:0:root:/root:/bin/bash\n",
        "passwd: not a table of events: no column is an event field",
    ),
}

# name -> (file name, text, the event id, the words its flags must hold, event count)
FLAGGED = {
    "impossible date": (
        "d.csv",
        "event_id,event_date,latitude,longitude\nA,2020-02-30,33.3,44.4\n",
        "A",
        "event_date '2020-02-30' is not a real date (YYYY-MM-DD): left empty",
    ),
    "end before start": (
        "r.csv",
        "event_id,event_date,date_end,latitude,longitude\nA,2020-01-05,2020-01-02,33.3,44.4\n",
        "A",
        "date_end '2020-01-02' is before event_date: set to event_date",
    ),
    "latitude 95, longitude 200": (
        "o.geojson",
        _collection({"event_id": "A", "event_date": "2020-01-01"}, geometry=None).replace(
            "null", '{"type": "Point", "coordinates": [200, 95]}', 1
        ),
        "A",
        "coordinates '95, 200' out of range: kept without a point",
    ),
    "point at (0, 0)": (
        "z.csv",
        "event_id,event_date,latitude,longitude\nA,2020-01-01,0,0\n",
        "A",
        "point at (0, 0), the usual stand-in for unknown: kept without a point",
    ),
    "duplicate ids": (
        "dup.csv",
        "event_id,event_date,latitude,longitude\nA,2020-01-01,1,1\nA,2020-01-02,2,2\n",
        "A",
        "event_id shared with another row",
    ),
    "null properties": (
        "n.geojson",
        _collection(None, {"event_id": "A", "event_date": "2020-01-01"}),
        "n-row1",
        "no event_date: kept undated; no event_id: named after its row",
    ),
    "fatalities as a range": (
        "k.csv",
        "event_id,event_date,latitude,longitude,fatalities\nA,2020-01-01,1,1,3-7\n",
        "A",
        "fatalities '3-7' is not a number: left empty",
    ),
    "wrong precision code": (
        "p.csv",
        "event_id,event_date,latitude,longitude,time_precision\nA,2020-01-01,1,1,9\n",
        "A",
        "time_precision '9' is not one of 1, 2, 3: left empty",
    ),
    "file cut off inside a quoted field": (
        "c.csv",
        'event_id,event_date,latitude,longitude,notes\nA,2020-01-01,1,1,"cut',
        "A",
        "the file ends inside a quoted field: this row may be cut off",
    ),
    "polygon instead of a point": (
        "poly.geojson",
        _collection(
            {"event_id": "A", "event_date": "2020-01-01"},
            geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        ),
        "A",
        "geometry 'Polygon' is not a point: kept without a point",
    ),
}


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.delenv("EVENTMAP_DATA", raising=False)
    return CliRunner()


def _refused(result, words: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    assert "Traceback" not in result.output
    assert words in result.output


@pytest.mark.parametrize("case", sorted(REFUSED))
@pytest.mark.parametrize("command", ["list", "export"])
def test_unreadable_files_are_refused_by_name(case, command, runner, tmp_path):
    name, content, words = REFUSED[case]
    path = tmp_path / name
    path.write_bytes(content)
    args = ["export", "-o", str(tmp_path / "out.geojson")] if command == "export" else ["list"]
    result = runner.invoke(main, [*args, "--data", str(path)])
    _refused(result, words)
    assert not (tmp_path / "out.geojson").exists()


@pytest.mark.parametrize("case", sorted(FLAGGED))
def test_bad_values_are_kept_and_flagged(case, runner, tmp_path):
    name, text, event_id, flag = FLAGGED[case]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["list", "--format", "json", "--data", str(path)])
    assert result.exit_code == 0, result.output
    assert "kept with flags" in result.stderr and "see the 'flags' column" in result.stderr
    events = json.loads(result.stdout)
    assert flag in next(e for e in events if e["event_id"] == event_id)["flags"]


def test_a_latin1_csv_is_read_and_its_line_named(runner, tmp_path, caplog):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "event_id,event_date,latitude,longitude,notes\nA,2020-01-02,33.1,44.2,Café bomb\n".encode(
            "latin-1"
        )
    )
    result = runner.invoke(main, ["list", "--format", "json", "--data", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["notes"] == "Café bomb"
    assert f"{path}: line 2 is not UTF-8; read as cp1252" in caplog.text


def test_csv_export_of_undated_events_says_so(runner, tmp_path):
    source = tmp_path / "n.geojson"
    source.write_text(_collection(None, {"event_id": "A", "event_date": "2020-01-01"}))
    out = tmp_path / "out.csv"
    result = runner.invoke(main, ["export", "-o", str(out), "--data", str(source)])
    assert result.exit_code == 0, result.output
    assert "1 event kept with flags (" in result.stderr
    assert "no event_id: named after its row: 1" in result.stderr
    assert "no event_date: kept undated: 1" in result.stderr
    flags = "no event_date: kept undated; no event_id: named"
    row = "n-row1,,,,,,,,,,33.3,44.4,,[]," + "," * 15 + flags
    assert row in out.read_text()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["export", "-o", "{tmp}/x.csv", "--start", "2020-02-30"], "'2020-02-30' is not a date"),
        (
            ["export", "-o", "{tmp}/x.csv", "--start", "2020-03-01", "--end", "2020-01-01"],
            "2020-01-01 is before --start 2020-03-01",
        ),
        (["export", "-o", "{tmp}/x.txt"], "x.txt: unknown format '.txt'; use one of .csv"),
        (["export", "-o", "{tmp}"], "is a directory"),
        (["list", "--data", "{tmp}/none.csv"], "none.csv: no such events file"),
        (["extract", "--published", "yesterday", "{seed}"], "'yesterday'"),
        (["evaluate", "{seed}", "--min-confidence", "7"], "7.0 is not in the range 0.0<=x<=1.0"),
    ],
)
def test_bad_arguments_quote_the_bad_value(args, words, runner, tmp_path):
    seed = next((ROOT / "seeds").glob("*.txt"))
    args = [a.replace("{tmp}", str(tmp_path)).replace("{seed}", str(seed)) for a in args]
    result = runner.invoke(main, args)
    assert result.exit_code in (1, 2), result.output  # a domain error, or a usage error
    assert isinstance(result.exception, SystemExit)
    assert words in result.output


def test_writers_create_the_output_folder(runner, tmp_path):
    out = tmp_path / "new" / "deeper" / "events.geojson"
    result = runner.invoke(main, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["type"] == "FeatureCollection"


def test_a_yaml_alias_bomb_fails_fast(runner, tmp_path):
    bomb = tmp_path / "events.yaml"
    layers = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    layers += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]" for i in range(1, 9)]
    bomb.write_text("\n".join(layers) + "\nevents: *a8\n")
    result = runner.invoke(main, ["build", "--catalog", str(bomb), "-o", str(tmp_path / "s.pq")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert len(result.output) < 400 and "alias" in result.output


@pytest.mark.parametrize("name", ["empty GeoJSON", "binary CSV", "CSV row with too many fields"])
def test_the_real_command_prints_one_line_and_no_traceback(name, tmp_path):
    file_name, content, words = REFUSED[name]
    path = tmp_path / file_name
    path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "eventmap.cli", "list", "--data", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "EVENTMAP_DATA": ""},
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and words in done.stderr
    assert done.stderr.count("\n") == 1


# --- the page ---------------------------------------------------------------------------------


def _page(monkeypatch, path) -> AppTest:
    monkeypatch.setenv("EVENTMAP_DATA", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("case", ["binary CSV", "CSV row with too many fields", "empty Parquet"])
def test_the_page_names_an_unreadable_file(case, monkeypatch, tmp_path):
    name, content, words = REFUSED[case]
    path = tmp_path / name
    path.write_bytes(content)
    at = _page(monkeypatch, path)
    assert at.error[0].value == f"The events could not be loaded. {tmp_path}/{words}" or (
        words in at.error[0].value
    )


def test_the_page_shows_flagged_events_and_why(monkeypatch, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(
        "event_id,event_date,latitude,longitude,notes\n"
        "A,2020-01-02,95,200,Caf\xe9\n"
        "B,2020-02-30,33.3,44.4,<script>alert(1)</script>\n"
        "C,2020-01-03,33.3,44.4,fine\n".encode("latin-1")
    )
    at = _page(monkeypatch, path)
    assert any(e.label == "2 kept with flags: what was odd in the data" for e in at.expander)
    kinds = at.sidebar.text[0].value.splitlines()
    assert sorted(kinds) == [
        "1 × coordinates out of range: kept without a point",
        "1 × event_date is not a real date (YYYY-MM-DD): left empty",
        "1 × no event_date: kept undated",
    ]
    assert "(1 without a date: never on the map)" in at.sidebar.caption[0].value
    unlocated, located = (d.value for d in at.main.dataframe)
    assert list(unlocated["flags"]) == ["coordinates '95, 200' out of range: kept without a point"]
    assert list(located["event_id"]) == ["C"] and list(located["flags"]) == [""]


def test_a_failing_part_of_the_page_fails_alone(monkeypatch, caplog):
    from eventmap import mapview, timeline

    def broken(*args, **kwargs):
        raise RuntimeError("the tiles melted")

    monkeypatch.setattr(mapview, "base_map", broken)
    monkeypatch.setattr(timeline, "window_html", broken)
    monkeypatch.delenv("EVENTMAP_DATA", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors == [
        "The map could not be shown (RuntimeError: the tiles melted). The rest of the page "
        "still works; the server log has the details.",
        "The timeline could not be shown (RuntimeError: the tiles melted). The rest of the "
        "page still works; the server log has the details.",
    ]
    assert "the map failed" in caplog.text and "the timeline failed" in caplog.text
    assert len(at.main.dataframe[-1].value) == 17  # the table still works
    assert len(at.get("download_button")) == 2


def test_playback_of_a_file_without_precision_codes(monkeypatch, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text(
        "event_id,event_date,latitude,longitude\nA,2020-01-01,33.3,44.4\nB,2020-01-09,33.4,44.5\n"
    )
    at = _page(monkeypatch, path)
    at.segmented_control(key="w_view").set_value("Playback").run()
    assert not at.exception, at.exception
    assert not at.error
    assert any("Playback runs in the map" in c.value for c in at.caption)


def test_mixed_date_styles_in_one_file_are_each_read(runner, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "event_id,event_date,latitude,longitude\nA,31 December 2019,1,1\nB,2020-01-05,1,1\n"
    )
    result = runner.invoke(main, ["list", "--data", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("2019-12-31")
    assert result.stdout.splitlines()[1].startswith("2020-01-05")
    assert "flags" not in result.stderr


def test_list_as_a_table_shows_events_without_date_or_place(runner, tmp_path):
    path = tmp_path / "n.geojson"
    path.write_text(_collection(None, {"event_id": "A", "event_date": "2020-01-01"}))
    result = runner.invoke(main, ["list", "--data", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2020-01-01") and lines[0].endswith(" A")
    assert lines[1].startswith("(no date)") and lines[1].endswith(" n-row1")
