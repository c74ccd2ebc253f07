"""The `eventmap` command, run as a user runs it: a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import yaml
from click.testing import CliRunner
from paths import SEEDS

from eventmap.cli import main
from eventmap.export import flat_table
from eventmap.synth import write_synth
from eventmap.table import read_table, to_frame

EVENTMAP = str(Path(sys.executable).with_name("eventmap"))


def run(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("EVENTMAP_ONLINE_GEOCODER", None)
    done = subprocess.run(
        [EVENTMAP, *args], capture_output=True, text=True, env=full_env, timeout=120
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "events.parquet"
    done = run("build", "-o", str(path))
    assert "18 events (18 geocoded" in done.stdout
    return path


@pytest.mark.parametrize("command", ["build", "list", "geocode", "export", "synth"])
def test_every_command_has_help(command):
    assert "Usage:" in run(command, "--help").stdout


def test_list_json_is_an_array_of_events(store):
    rows = json.loads(run("list", "--data", str(store), "--format", "json").stdout)
    assert len(rows) == 18
    assert {"event_id", "event_date", "location", "latitude", "sources"} <= set(rows[0])


def test_list_table(store):
    out = run("list", "--data", str(store)).stdout
    assert "2019-12-27" in out and "Kirkuk" in out and "2020-03-01..2020-03-31" in out


def test_geocode_prints_one_json_object():
    found = json.loads(run("geocode", "Baghdad embassy").stdout)
    assert found["location"] == "U.S. Embassy Baghdad" and found["geo_precision"] == 1
    assert {"query", "latitude", "longitude", "kind", "source"} <= set(found)


def test_geocode_miss_exits_1_with_a_message():
    done = run("geocode", "Atlantis Prime", check=False)
    assert done.returncode == 1 and "no place called 'Atlantis Prime'" in done.stderr
    assert done.stdout == ""


def test_export_all_reads_back_with_the_same_events(store, tmp_path):
    out = tmp_path / "all.geojson"
    run("export", "-o", str(out), "--data", str(store))
    assert sorted(gpd.read_file(out)["event_id"]) == sorted(gpd.read_parquet(store)["event_id"])


def test_export_window_and_type(store, tmp_path):
    out = tmp_path / "w.csv"
    done = run(
        "export",
        "-o",
        str(out),
        "--data",
        str(store),
        "--start",
        "2019-12-27",
        "--end",
        "2019-12-31",
        "--type",
        "Explosions/Remote violence",
    )
    assert "3 events" in done.stdout


def test_bad_input_is_a_message_not_a_traceback(tmp_path):
    done = run("export", "-o", str(tmp_path / "x.txt"), check=False)
    assert done.returncode == 1 and "unknown format" in done.stderr
    done = run("export", "-o", str(tmp_path / "x.csv"), "--start", "2020-02-30", check=False)
    assert done.returncode == 2 and "not a date" in done.stderr
    assert "Traceback" not in done.stderr


def test_build_stops_on_a_bad_entry_and_lenient_skips_it(tmp_path):
    for doc in SEEDS.glob("*.txt"):
        shutil.copy(doc, tmp_path / doc.name)
    catalog = yaml.safe_load((SEEDS / "events.yaml").read_text(encoding="utf-8"))
    catalog["events"][1]["event_date"] = "2019-12-32"
    bad_id = catalog["events"][1]["event_id"]
    path = tmp_path / "events.yaml"
    path.write_text(yaml.safe_dump(catalog, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "store.parquet"
    done = run("build", "--catalog", str(path), "-o", str(out), check=False)
    assert done.returncode == 1 and bad_id in done.stderr and "field 'event_date'" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
    done = run("build", "--catalog", str(path), "-o", str(out), "--lenient")
    assert f"skipped: {path}, event {bad_id}" in done.stderr
    assert "17 events" in done.stdout and out.exists()


@pytest.fixture(scope="module")
def synth_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "synth.parquet"
    write_synth(5_000, path, seed=9)
    return path


def _expected(path, start, end, types):
    """The same selection done on the whole table, independently of the streaming."""
    table = read_table(path)
    mask = pc.and_(
        pc.less_equal(table["event_date"], pa.scalar(end, pa.date32())),
        pc.greater_equal(table["date_end"], pa.scalar(start, pa.date32())),
    )
    mask = pc.and_(mask, pc.is_in(table["event_type"], value_set=pa.array(types)))
    return table.filter(mask)


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".parquet"])
def test_export_streams_a_window_and_types_from_parquet(synth_file, tmp_path, suffix):
    import datetime as dt

    out = tmp_path / f"w{suffix}"
    types = ["Battles", "Riots"]
    done = CliRunner().invoke(
        main,
        ["export", "-o", str(out), "--data", str(synth_file), "--start", "2020-03-01"]
        + ["--end", "2020-09-30", "--type", "Battles", "--type", "Riots"],
    )
    assert done.exit_code == 0, done.output
    expected = _expected(synth_file, dt.date(2020, 3, 1), dt.date(2020, 9, 30), types)
    assert 20 < expected.num_rows < 5_000
    assert done.output == f"{out}: {expected.num_rows} events\n"
    assert read_table(out).equals(expected)
    if suffix == ".csv":
        csv = flat_table(to_frame(expected)).to_csv(index=False, lineterminator="\n")
        assert out.read_text(encoding="utf-8") == csv


def test_export_refuses_a_window_that_ends_before_it_starts(synth_file, tmp_path):
    done = CliRunner().invoke(
        main,
        ["export", "-o", str(tmp_path / "x.csv"), "--data", str(synth_file)]
        + ["--start", "2020-02-02", "--end", "2020-02-01"],
    )
    assert done.exit_code == 2 and "before --start" in done.output


def test_list_reads_synth_output(synth_file):
    done = CliRunner().invoke(main, ["list", "--data", str(synth_file), "--format", "json"])
    assert done.exit_code == 0
    rows = json.loads(done.stdout)
    assert len(rows) == 5_000 and rows[0]["event_id"] == "SYN-0000001"
    assert isinstance(rows[0]["sources"], list)


@pytest.mark.parametrize("value", ["yesterday", "Dec. 27", "2020-02-30", "2020-13", "27/12/2019"])
def test_extract_takes_only_a_real_iso_publication_date(value, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Rockets hit a base near Kirkuk on Friday, killing one.", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(article), "--published", value])
    assert result.exit_code == 2
    assert f"{value!r} is not a date (expected YYYY-MM-DD or YYYY-MM)" in result.output
    for good in ("2019-12-27", "2019-12"):
        assert (
            CliRunner().invoke(main, ["extract", str(article), "--published", good]).exit_code == 0
        )


def test_evaluate_refuses_an_empty_or_binary_gold_file_and_a_confidence_over_one(tmp_path):
    article = str(SEEDS / "000_97cfeaf750d32181.txt")
    empty, binary = tmp_path / "gold.yaml", tmp_path / "gold.bin"
    empty.write_text("", encoding="utf-8")
    binary.write_bytes(b"\xff\xfe\x00binary\x9c")
    result = CliRunner().invoke(main, ["evaluate", article, "--gold", str(empty)])
    assert result.exit_code == 1
    assert f"{empty}: holds no gold events to score against" in result.output
    result = CliRunner().invoke(main, ["evaluate", article, "--gold", str(binary)])
    assert result.exit_code == 1 and f"{binary}: not a readable gold file" in result.output
    result = CliRunner().invoke(main, ["evaluate", article, "--min-confidence", "7"])
    assert result.exit_code == 2 and "--min-confidence" in result.output


def test_serve_says_when_its_port_is_taken_and_what_to_do():
    import socket

    with socket.socket() as taken:
        taken.bind(("localhost", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"port {port} on localhost is in use" in result.output
    assert f"--port {port + 1}" in result.output


def test_rebuilding_the_catalog_keeps_the_events_imported_into_the_store(tmp_path):
    store = tmp_path / "events.parquet"
    table = tmp_path / "mine.csv"
    table.write_text("id,date,lat,lon,type\nk1,2020-01-05,10.5,20.25,Battles\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--out", str(store)]).exit_code == 0
    built = read_table(store).num_rows
    result = runner.invoke(main, ["import", str(table), "--to", str(store)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["build", "--out", str(store)])
    assert result.exit_code == 0, result.output
    assert "and 1 event imported before, kept" in result.output
    after = read_table(store)
    assert after.num_rows == built + 1
    assert "mine.csv-k1" in after["event_id"].to_pylist()


def test_build_never_overwrites_a_store_it_cannot_read(tmp_path):
    store = tmp_path / "events.parquet"
    store.write_bytes(b"PAR1 not really a parquet file")
    result = CliRunner().invoke(main, ["build", "--out", str(store)])
    assert result.exit_code == 1 and "left as it is" in result.output
    assert store.read_bytes() == b"PAR1 not really a parquet file"
