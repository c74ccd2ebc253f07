"""Synthetic events (eventmap.synth): deterministic, realistic, readable by every reader."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from click.testing import CliRunner

from eventmap.cli import main
from eventmap.export import read_events
from eventmap.model import EVENT_ID_PATTERN, EVENT_TYPES
from eventmap.sources import check_events_file
from eventmap.synth import synth_table, write_synth
from eventmap.table import EVENT_SCHEMA, read_table
from eventmap.table import read_frame as read_store

N = 20_000


@pytest.fixture(scope="module")
def events() -> pa.Table:
    return synth_table(N, seed=11)


def test_same_seed_same_events_other_seed_other_events(events):
    assert synth_table(N, seed=11).equals(events)
    other = synth_table(N, seed=12)
    assert other.num_rows == N and not other.equals(events)


def test_schema_ids_and_order(events):
    assert events.schema.equals(EVENT_SCHEMA) and events.num_rows == N
    ids = events.column("event_id").to_pylist()
    assert len(set(ids)) == N and all(EVENT_ID_PATTERN.match(i) for i in ids[:1000])
    order = pc.sort_indices(events, [("event_date", "ascending"), ("event_id", "ascending")])
    assert order.to_pylist() == list(range(N))


def test_time_precision_mix_and_date_ranges(events):
    data = events.select(["event_date", "date_end", "time_precision"]).to_pandas(
        date_as_object=False
    )
    shares = data["time_precision"].value_counts(normalize=True)
    assert shares[1] > 0.7 and shares[2] > 0.05 and shares[3] > 0.03
    span = (data["date_end"] - data["event_date"]).dt.days
    assert (span[data["time_precision"] == 1] == 0).all()
    assert (span[data["time_precision"] == 2] == 6).all()
    month = data[data["time_precision"] == 3]
    assert (month["event_date"].dt.day == 1).all()
    assert ((month["date_end"] + np.timedelta64(1, "D")).dt.day == 1).all()
    assert data["event_date"].dt.year.nunique() >= 5


def test_bursts_of_activity(events):
    days = events.column("event_date").to_pandas().value_counts()
    assert days.max() > 5 * days.median()


def test_places_precision_and_coordinates(events):
    lat = events.column("latitude").to_numpy()
    lon = events.column("longitude").to_numpy()
    assert np.all((lat >= -90) & (lat <= 90)) and np.all((lon >= -180) & (lon <= 180))
    geo = events.column("geo_precision").to_pandas().value_counts(normalize=True)
    assert set(geo.index) == {1, 2, 3} and geo.min() > 0.05
    assert pc.count_distinct(events.column("location")).as_py() >= 150
    countries = {p.rsplit(", ", 1)[-1] for p in events.column("place_text").to_pylist()[:5000]}
    assert len({c.split()[-1] for c in countries}) >= 5


def test_types_and_sub_types_are_acled(events):
    pairs = set(
        zip(
            events.column("event_type").to_pylist(),
            events.column("sub_event_type").to_pylist(),
            strict=True,
        )
    )
    assert {t for t, _ in pairs} == set(EVENT_TYPES)
    assert all(sub in EVENT_TYPES[t] for t, sub in pairs)


def test_every_text_field_is_filled(events):
    for name in ("event_type", "sub_event_type", "actor1", "location", "place_text", "notes"):
        column = events.column(name)
        assert column.null_count == 0 and pc.min(pc.utf8_length(column)).as_py() > 0, name
    assert 0 < events.column("actor2").null_count < N / 2
    for text in events.column("sources").to_pylist()[:2000]:
        sources = json.loads(text)
        assert sources and all(s["document"] and s["quote"] for s in sources)
    assert any('"' in json.loads(t)[0]["quote"] for t in events.column("sources").to_pylist())


def test_casualties_have_a_heavy_tail(events):
    deaths = events.column("fatalities")
    assert deaths.null_count > N * 0.1
    values = deaths.drop_null().to_numpy()
    assert (values == 0).mean() > 0.3
    assert values.max() >= 200 and np.quantile(values, 0.99) > 10 * max(np.median(values), 1)
    assert events.column("injured").null_count > 0


@pytest.mark.parametrize("suffix", [".parquet", ".geojson", ".csv", ".gpkg"])
def test_every_reader_reads_the_output(tmp_path, suffix):
    path = tmp_path / f"synth{suffix}"
    assert write_synth(500, path, seed=3) == 500
    table = read_table(path)
    assert table.num_rows == 500 and table.column("event_id")[0].as_py() == "SYN-0000001"
    assert len(read_events(path)) == 500
    check_events_file(path)
    if suffix == ".parquet":
        assert len(read_store(path)) == 500


def test_synth_command(tmp_path):
    runner = CliRunner()
    out = tmp_path / "s.parquet"
    done = runner.invoke(main, ["synth", "300", "-o", str(out), "--seed", "5"])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == f"{out}: 300 events"
    assert read_table(out).equals(synth_table(300, seed=5))
    done = runner.invoke(main, ["synth", "0", "-o", str(out)])
    assert done.exit_code == 2 and "0 is not in the range x>=1" in done.output
    done = runner.invoke(main, ["synth", "10", "-o", str(tmp_path / "s.txt")])
    assert done.exit_code == 2 and "unknown format '.txt'" in done.output
    assert not (tmp_path / "s.txt").exists()
    with pytest.raises(ValueError, match="at least 1"):
        synth_table(0)
