"""The GeoParquet store (atomic, reproducible) and the exports (RFC 7946, CSV, GPKG)."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from paths import SEEDS

from eventmap.errors import ExportError, StoreError
from eventmap.export import read_events, write_events
from eventmap.model import COLUMNS
from eventmap.pipeline import build_store
from eventmap.store import write_store
from eventmap.table import read_frame as read_store


def test_build_is_idempotent_byte_for_byte(tmp_path, resolver):
    first = build_store(
        tmp_path / "a.parquet", catalog_path=SEEDS / "events.yaml", resolver=resolver
    )
    second = build_store(
        tmp_path / "b.parquet", catalog_path=SEEDS / "events.yaml", resolver=resolver
    )
    assert first.path.read_bytes() == second.path.read_bytes()
    assert list(read_store(first.path)["event_id"]) == list(first.frame["event_id"])


def test_store_write_is_atomic_and_keeps_the_old_file_on_failure(tmp_path, seed_frame):
    path = write_store(seed_frame, tmp_path / "deep" / "events.parquet")
    before = path.read_bytes()
    broken = seed_frame.copy()
    broken["notes"] = [object()] * len(broken)  # pyarrow cannot write this
    with pytest.raises(Exception):  # noqa: B017 - whatever pyarrow raises
        write_store(broken, path)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["events.parquet"]


def test_reading_a_missing_or_bad_store_says_what_to_do(tmp_path):
    with pytest.raises(ExportError, match="no such events file"):
        read_store(tmp_path / "none.parquet")
    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet")
    with pytest.raises(StoreError, match="not a readable GeoParquet"):
        read_store(bad)


def test_geojson_export_is_rfc7946(tmp_path, seed_frame):
    path = write_events(seed_frame, tmp_path / "all.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert len(data["features"]) == len(seed_frame)
    for feature, row in zip(data["features"], seed_frame.itertuples(), strict=True):
        assert feature["type"] == "Feature" and set(feature["properties"]) == set(COLUMNS)
        lon, lat = feature["geometry"]["coordinates"]
        assert (round(lat, 5), round(lon, 5)) == (round(row.latitude, 5), round(row.longitude, 5))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        assert pd.Timestamp(props["event_date"]).date().isoformat() == props["event_date"]
        assert props["sources"] and all({"document", "quote"} <= set(s) for s in props["sources"])
        assert props["fatalities"] is None or isinstance(props["fatalities"], int)


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg", ".parquet"])
def test_export_then_import_gives_back_the_same_events(tmp_path, seed_frame, suffix):
    path = write_events(seed_frame, tmp_path / f"events{suffix}")
    back = read_events(path)
    pd.testing.assert_frame_equal(
        pd.DataFrame(back[list(COLUMNS)]),
        pd.DataFrame(seed_frame[list(COLUMNS)]),
        check_exact=False,
        atol=1e-6,
    )
    assert back.geometry.geom_equals_exact(seed_frame.geometry, tolerance=1e-6).all()


def test_geojson_is_readable_by_pyogrio_as_is(tmp_path, seed_frame):
    path = write_events(seed_frame, tmp_path / "all.geojson")
    plain = gpd.read_file(path, engine="pyogrio")
    assert len(plain) == len(seed_frame) and plain.crs.to_epsg() == 4326
    assert sorted(plain["event_id"]) == sorted(seed_frame["event_id"])


def test_events_without_coordinates_survive_export(tmp_path, seed_frame):
    frame = seed_frame.copy()
    frame.loc[0, ["latitude", "longitude"]] = None
    frame.loc[0, "geometry"] = None
    for suffix in (".geojson", ".csv", ".gpkg"):
        back = read_events(write_events(frame, tmp_path / f"e{suffix}"))
        assert len(back) == len(frame) and back.geometry.isna().sum() == 1, suffix


def test_csv_follows_acled_column_order(tmp_path, seed_frame):
    header = write_events(seed_frame, tmp_path / "e.csv").read_text().splitlines()[0]
    assert header.split(",") == list(COLUMNS)


def test_unknown_format_is_refused(tmp_path, seed_frame):
    with pytest.raises(ExportError, match=r"unknown format '\.txt'"):
        write_events(seed_frame, tmp_path / "e.txt")
    assert not (tmp_path / "e.txt").exists()


def test_geoparquet_export_reads_as_a_store(tmp_path, seed_frame):
    path = write_events(seed_frame, tmp_path / "e.parquet")
    back = read_store(path)
    assert list(back["event_id"]) == list(seed_frame["event_id"])
    assert gpd.read_parquet(path).crs.to_epsg() == 4326


def _internal_imports(module_path, package_root) -> set[str]:
    """The eventmap modules a module imports, at its top or inside functions."""
    import ast

    tree = ast.parse(module_path.read_text(encoding="utf-8"))
    relative = module_path.relative_to(package_root.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    package = parts if module_path.name == "__init__.py" else parts[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join(base + ([node.module] if node.module else []))
            if node.level and not node.module:  # from . import x
                found |= {f"{name}.{alias.name}" for alias in node.names}
            else:
                found.add(name)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.startswith("eventmap")}


def _import_closure(start: str) -> set[str]:
    """Every eventmap module `start` imports, directly or not (parents of submodules too)."""
    from paths import ROOT

    package_root = ROOT / "src" / "eventmap"
    files = {}
    for path in package_root.rglob("*.py"):
        parts = list(path.relative_to(package_root.parent).with_suffix("").parts)
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen or name not in files:
            continue
        seen.add(name)
        for imported in _internal_imports(files[name], package_root):
            pieces = imported.split(".")
            todo += [".".join(pieces[:k]) for k in range(2, len(pieces) + 1)]
    return seen - {start}


def test_data_flows_one_way_between_pipeline_export_and_sources():
    assert "eventmap.pipeline" not in _import_closure("eventmap.export")
    assert "eventmap.pipeline" not in _import_closure("eventmap.table")
    pipeline = _import_closure("eventmap.pipeline")
    assert not pipeline & {"eventmap.export", "eventmap.table", "eventmap.sources"}
    assert "eventmap.sources" not in _import_closure("eventmap.extract")
    for name in ("eventmap.export", "eventmap.table", "eventmap.pipeline", "eventmap.sources"):
        assert name not in _import_closure(name), f"{name} imports itself through others"


def test_no_module_of_the_package_imports_itself_through_others():
    from paths import ROOT

    package_root = ROOT / "src" / "eventmap"
    names = []
    for path in package_root.rglob("*.py"):
        parts = list(path.relative_to(package_root.parent).with_suffix("").parts)
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    cyclic = [name for name in names if name in _import_closure(name)]
    assert cyclic == []
    # The page's logic needs the map's constants only, never the map itself.
    for name in ("eventmap.filters", "eventmap.timeline", "eventmap.view", "eventmap.dataset"):
        assert "eventmap.mapview" not in _import_closure(name), name
