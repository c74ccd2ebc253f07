"""Streaming writers (export.write_batches) against the in-memory reference writers."""

from __future__ import annotations

import datetime as dt
import io
import json

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eventmap.errors import ExportError
from eventmap.export import (
    feature_collection,
    flat_table,
    properties_json,
    read_events,
    write_batches,
)
from eventmap.model import COLUMNS, SOURCE_TEXT_FIELDS
from eventmap.synth import synth_table
from eventmap.table import EVENT_SCHEMA, from_frame, read_table, sort_events, to_frame
from eventmap.table import read_frame as read_store
from eventmap.validate import events as validated


@pytest.fixture(scope="module")
def synth():
    table = synth_table(10_000, seed=7)
    return table, to_frame(table)


def _odd_table() -> pa.Table:
    """Every awkward value a writer must get right, one event each."""
    texts = [
        'a "quoted" word, and a comma',
        "back\\slash and a\ttab",
        "two\nlines and a \r return",
        "control \x01 and \x1f chars",
        "",
        "Ḩasakah, Şanlıurfa — ñ ✓ \u2028",
        None,
        "plain",
    ]
    n = len(texts)
    rows = {
        "event_id": [f"ODD-{i}" for i in range(n)],
        "event_date": [dt.date(2020, 1, 1 + i) for i in range(n)],
        "date_end": [dt.date(2020, 1, 1 + i) if i % 2 else None for i in range(n)],
        "time_precision": [1, 2, 3, None, 1, 1, 1, 1],
        "event_type": ["Battles"] * (n - 1) + [None],
        "sub_event_type": ["Armed clash"] * n,
        "actor1": texts,
        "actor2": list(reversed(texts)),
        "location": texts,
        "place_text": texts,
        "latitude": [0.0, -0.0, 3.0, 1e-5, None, None, -45.123456789, 89.9999999],
        "longitude": [0.0, 180.0, -180.0, -2.5e-7, None, None, 100.0000005, 0.1],
        "geo_precision": [1, 2, 3, 1, 2, None, 3, 1],
        "sources": [
            json.dumps([{"document": "d.txt", "quote": t or "q"}], ensure_ascii=False)
            for t in texts[:-1]
        ]
        + [None],
        "notes": texts,
        "fatalities": [0, None, 5, 10**12, 1, 0, None, 3],
        "injured": [None, 0, 1, 2, 3, 4, 5, 6],
        **{name: texts for name in SOURCE_TEXT_FIELDS},
        "fatalities_low": [0, None, 3, 10**12, 1, 0, None, 2],
        "fatalities_high": [0, None, 7, 10**12, 1, 0, None, 9],
        "duplicate_of": texts,
        "flags": texts,
    }
    return pa.table(rows, schema=EVENT_SCHEMA)


def _geojson(table_or_batches, **kwargs) -> dict:
    out = io.BytesIO()
    write_batches(table_or_batches, out, kind="GeoJSON", **kwargs)
    return json.loads(out.getvalue())


def _csv_text(table_or_batches) -> str:
    out = io.BytesIO()
    write_batches(table_or_batches, out, kind="csv")
    return out.getvalue().decode("utf-8")


def test_streamed_geojson_is_the_reference_feature_collection(synth, tmp_path):
    table, frame = synth
    path = tmp_path / "all.geojson"
    assert write_batches(table.to_batches(max_chunksize=3_000), path) == 10_000
    assert json.loads(path.read_text(encoding="utf-8")) == feature_collection(frame)


def test_streamed_csv_is_the_reference_flat_table_text(synth, tmp_path):
    table, frame = synth
    path = tmp_path / "all.csv"
    assert write_batches(table.to_batches(max_chunksize=3_000), path) == 10_000
    expected = flat_table(frame).to_csv(index=False, lineterminator="\n")
    assert path.read_text(encoding="utf-8") == expected


def test_awkward_values_match_the_reference_writers():
    table = _odd_table()
    frame = to_frame(table)
    assert _geojson(table) == feature_collection(frame)
    assert _csv_text(table) == flat_table(frame).to_csv(index=False, lineterminator="\n")
    rows = [json.loads(r) for r in properties_json(table.to_batches()[0]).to_pylist()]
    assert rows == [f["properties"] for f in feature_collection(frame)["features"]]


def test_geojson_is_rfc7946_and_readable_by_gdal(synth, tmp_path):
    table, _ = synth
    path = tmp_path / "e.geojson"
    write_batches(table.slice(0, 500), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    feature = data["features"][0]
    assert list(feature) == ["type", "id", "geometry", "properties"]
    assert list(feature["properties"]) == list(COLUMNS)
    assert isinstance(feature["properties"]["sources"], list)
    plain = gpd.read_file(path, engine="pyogrio")
    assert len(plain) == 500 and plain.crs.to_epsg() == 4326


@pytest.mark.parametrize("suffix", [".gpkg", ".parquet", ".geojson", ".csv"])
def test_round_trip_through_read_events(tmp_path, suffix):
    table = pa.concat_tables([synth_table(300, seed=2), _odd_table()])
    path = tmp_path / f"e{suffix}"
    assert write_batches(table.to_batches(max_chunksize=100), path) == table.num_rows
    expected = to_frame(sort_events(validated(table, source=path)))  # (0, 0) loses its point
    if suffix == ".csv":  # CSV cannot tell an empty text from none
        expected = expected.replace("", None)
    back = read_events(path)
    pd.testing.assert_frame_equal(
        pd.DataFrame(back[list(COLUMNS)]),
        pd.DataFrame(expected[list(COLUMNS)]),
        check_exact=False,
        atol=1e-6,
    )
    assert back.geometry.isna().sum() == expected.geometry.isna().sum() == 3
    zero = back[back["event_id"] == "ODD-0"]["flags"].item()  # it was at (0, 0)
    assert zero.endswith("; point at (0, 0), the usual stand-in for unknown: kept without a point")


def test_geoparquet_has_geo_metadata_and_reads_everywhere(synth, tmp_path):
    table, frame = synth
    path = tmp_path / "e.parquet"
    write_batches(table.to_batches(max_chunksize=4_000), path)
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    assert geo["primary_column"] == "geometry" and geo["columns"]["geometry"]["encoding"] == "WKB"
    plain = gpd.read_parquet(path)
    assert plain.crs.to_epsg() == 4326 and len(plain) == 10_000
    assert plain.geometry.x.round(6).tolist() == frame["longitude"].round(6).tolist()
    assert list(read_store(path)["event_id"]) == list(frame["event_id"])
    assert read_table(path).equals(table)


def test_gpkg_has_todays_columns(synth, tmp_path):
    import pyogrio

    table, _ = synth
    path = tmp_path / "e.gpkg"
    write_batches(table.slice(0, 200), path)
    info = pyogrio.read_info(path, layer="events")
    assert list(info["fields"]) == list(COLUMNS) and info["geometry_type"] == "Point"
    assert info["crs"] == "EPSG:4326" and info["features"] == 200


def test_write_batches_into_a_file_object(synth):
    table, frame = synth
    out = io.BytesIO()
    count = write_batches(iter(table.slice(0, 50).to_batches(max_chunksize=7)), out, kind="csv")
    assert count == 50
    assert out.getvalue().decode() == flat_table(frame.iloc[:50]).to_csv(
        index=False, lineterminator="\n"
    )
    with pytest.raises(ExportError, match="GeoPackage"):
        write_batches(table.slice(0, 5), io.BytesIO(), kind="gpkg")
    with pytest.raises(ExportError, match="kind="):
        write_batches(table.slice(0, 5), io.BytesIO())


def test_nothing_to_write_gives_valid_empty_files(tmp_path):
    empty = EVENT_SCHEMA.empty_table()
    assert _geojson([]) == {"type": "FeatureCollection", "features": []}
    assert _csv_text(empty) == ",".join(COLUMNS) + "\n"
    for suffix in (".gpkg", ".parquet"):
        path = tmp_path / f"empty{suffix}"
        assert write_batches(iter(()), path) == 0
        assert len(read_events(path)) == 0


def test_a_failed_write_keeps_the_old_file(synth, tmp_path):
    table, _ = synth
    path = tmp_path / "e.geojson"
    write_batches(table.slice(0, 10), path)
    before = path.read_bytes()

    def failing():
        yield table.to_batches()[0].slice(0, 5)
        raise ExportError("the source broke")

    for suffix in (".geojson", ".csv", ".parquet", ".gpkg"):
        target = path.with_suffix(suffix)
        if suffix != ".geojson":
            write_batches(table.slice(0, 10), target)
        before = target.read_bytes()
        with pytest.raises(ExportError, match="the source broke"):
            write_batches(failing(), target)
        assert target.read_bytes() == before, suffix
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"e{s}" for s in (".csv", ".geojson", ".gpkg", ".parquet")
    )


def test_unknown_kind_or_extension_is_refused(tmp_path):
    with pytest.raises(ExportError, match="unknown format"):
        write_batches([], tmp_path / "e.txt")
    with pytest.raises(ExportError, match="unknown format"):
        write_batches([], io.BytesIO(), kind="xlsx")
    assert not list(tmp_path.iterdir())


def test_write_events_streams_the_frame(synth, tmp_path):
    from eventmap.export import write_events

    _, frame = synth
    path = write_events(frame.iloc[:100], tmp_path / "e.csv")
    assert path.read_text() == flat_table(frame.iloc[:100]).to_csv(index=False, lineterminator="\n")
    assert from_frame(frame.iloc[:100]).equals(read_table(path))


def test_an_unreadable_source_keeps_its_own_error(tmp_path):
    from eventmap.errors import StoreError
    from eventmap.table import iter_batches

    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet")
    with pytest.raises(StoreError, match="bad.parquet"):
        write_batches(iter_batches(bad), tmp_path / "out.geojson")
    assert not (tmp_path / "out.geojson").exists()
