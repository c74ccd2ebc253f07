"""Events as Arrow (eventmap.table): schema, frame round trips, reading every format."""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from paths import SEEDS

from eventmap.errors import ExportError, StoreError, ValidationError
from eventmap.export import write_events
from eventmap.model import COLUMNS
from eventmap.table import EVENT_SCHEMA, from_frame, iter_batches, read_table, to_frame


def test_schema_follows_the_columns():
    assert tuple(EVENT_SCHEMA.names) == COLUMNS
    assert EVENT_SCHEMA.field("event_date").type == pa.date32()
    assert EVENT_SCHEMA.field("time_precision").type == pa.int8()
    assert EVENT_SCHEMA.field("sources").type == pa.string()
    assert not EVENT_SCHEMA.field("event_id").nullable
    assert all(f.nullable for f in EVENT_SCHEMA if f.name != "event_id")


def test_frame_to_table_and_back_is_the_same_frame(seed_frame):
    table = from_frame(seed_frame)
    assert table.schema.equals(EVENT_SCHEMA) and table.num_rows == len(seed_frame)
    back = to_frame(table)
    pd.testing.assert_frame_equal(pd.DataFrame(back), pd.DataFrame(seed_frame))


def test_sources_are_the_json_text_of_the_flat_table(seed_frame):
    table = from_frame(seed_frame)
    texts = table.column("sources").to_pylist()
    assert texts == [json.dumps(s, ensure_ascii=False) for s in seed_frame["sources"]]
    assert table.column("date_end").null_count == 0


@pytest.mark.parametrize("suffix", [".geojson", ".json", ".csv", ".gpkg", ".parquet"])
def test_read_table_of_every_format(tmp_path, seed_frame, suffix):
    path = write_events(seed_frame, tmp_path / f"events{suffix}")
    assert read_table(path).equals(from_frame(seed_frame))


def test_read_table_of_the_catalog(seed_frame):
    table = read_table(SEEDS / "events.yaml")
    assert table.column("event_id").to_pylist() == list(seed_frame["event_id"])


def test_read_table_sorts_a_shuffled_geoparquet(tmp_path, seed_frame):
    path = tmp_path / "shuffled.parquet"
    shuffled = seed_frame.sample(frac=1, random_state=3)
    shuffled.to_parquet(path)  # geopandas' own GeoParquet: timestamps, list<struct> sources
    assert read_table(path).equals(from_frame(seed_frame))


def test_geoparquet_without_latitude_columns_takes_the_points(tmp_path, seed_frame):
    path = tmp_path / "points.parquet"
    seed_frame.drop(columns=["latitude", "longitude"]).to_parquet(path)
    table = read_table(path)
    assert table.column("latitude").to_pylist() == pytest.approx(list(seed_frame["latitude"]))


def test_iter_batches_filters_window_and_type(tmp_path, seed_frame):
    path = write_events(seed_frame, tmp_path / "e.parquet")
    batches = list(
        iter_batches(
            path,
            start=dt.date(2019, 12, 27),
            end=dt.date(2019, 12, 31),
            types=["Explosions/Remote violence"],
            batch_size=2,
        )
    )
    assert all(b.schema.equals(EVENT_SCHEMA) and b.num_rows <= 2 for b in batches)
    assert sum(b.num_rows for b in batches) == 3
    everything = pa.Table.from_batches(list(iter_batches(path, batch_size=5)))
    assert everything.equals(from_frame(seed_frame))


def test_iter_batches_skips_row_groups_outside_the_window(tmp_path, seed_frame):
    path = tmp_path / "groups.parquet"
    pq.write_table(from_frame(seed_frame), path, row_group_size=2)
    late = list(iter_batches(path, start=dt.date(2020, 3, 1)))
    expected = seed_frame[seed_frame["date_end"] >= "2020-03-01"]
    assert [e for b in late for e in b.column("event_id").to_pylist()] == list(expected["event_id"])


def test_unreadable_files_name_the_file(tmp_path):
    with pytest.raises(ExportError, match="no such events file"):
        read_table(tmp_path / "none.parquet")
    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet")
    with pytest.raises(StoreError, match="bad.parquet"):
        read_table(bad)
    with pytest.raises(StoreError, match="bad.parquet"):
        next(iter_batches(bad))
    bad_gpkg = tmp_path / "bad.gpkg"
    bad_gpkg.write_text("not a geopackage")
    with pytest.raises(ExportError, match="bad.gpkg"):
        read_table(bad_gpkg)
    no_ids = tmp_path / "no_ids.parquet"
    pq.write_table(pa.table({"notes": ["x"]}), no_ids)
    with pytest.raises(
        ValidationError, match="no_ids.parquet: not a table of events.*found: notes"
    ):
        read_table(no_ids)


def test_to_frame_keeps_events_without_coordinates(seed_frame):
    table = from_frame(seed_frame)
    lat = table.column("latitude").to_pylist()
    lat[0] = None
    table = table.set_column(10, "latitude", pa.array(lat, pa.float64()))
    frame = to_frame(table)
    assert isinstance(frame, gpd.GeoDataFrame) and frame.geometry.isna().sum() == 1
