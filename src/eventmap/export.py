"""Events in and out of the exchange formats: GeoJSON (RFC 7946), CSV, GeoPackage, GeoParquet.

The format follows the file's extension. Every writer is atomic; every reader returns the
same typed GeoDataFrame, so export followed by import gives back the same events.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .errors import ExportError
from .frame import DATE_COLUMNS, coerce
from .model import COLUMNS
from .store import atomic_path, read_store, write_store

FORMATS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".csv": "CSV",
    ".gpkg": "GPKG",
    ".parquet": "GeoParquet",
}
COORDINATE_DECIMALS = 6  # about 0.1 m: RFC 7946 section 11.2 advises no more


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(
            f"{path}: unknown format {suffix or '(no extension)'!r}; "
            f"use one of {', '.join(sorted(FORMATS))}"
        )
    return FORMATS[suffix]


def write_events(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write `frame` to `path` in the format its extension names; returns the path."""
    path = Path(path)
    kind = format_for(path)
    frame = coerce(frame)
    if kind == "GeoParquet":
        return write_store(frame, path)
    with atomic_path(path) as tmp:
        if kind == "GeoJSON":
            tmp.write_text(geojson_text(frame), encoding="utf-8")
        elif kind == "CSV":
            flat_table(frame).to_csv(tmp, index=False, lineterminator="\n")
        else:
            table = flat_table(frame)
            for name in DATE_COLUMNS:
                table[name] = frame[name].dt.date
            gpd.GeoDataFrame(table, geometry=frame.geometry, crs="EPSG:4326").to_file(
                tmp, driver="GPKG", layer="events", engine="pyogrio"
            )
    return path


def feature_collection(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection: WGS84 [lon, lat], no `crs`, ISO dates, all columns."""
    features = []
    for row in frame.itertuples(index=False):
        properties = {name: _json_value(getattr(row, name)) for name in COLUMNS}
        geometry = None
        if row.geometry is not None and not row.geometry.is_empty:
            geometry = {
                "type": "Point",
                "coordinates": [
                    round(row.geometry.x, COORDINATE_DECIMALS),
                    round(row.geometry.y, COORDINATE_DECIMALS),
                ],
            }
        features.append(
            {"type": "Feature", "id": row.event_id, "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


def geojson_text(frame: gpd.GeoDataFrame) -> str:
    return json.dumps(feature_collection(coerce(frame)), ensure_ascii=False, indent=1) + "\n"


def flat_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The columns as a plain table: ISO dates, sources as JSON text (for CSV and GeoPackage)."""
    table = pd.DataFrame({name: frame[name] for name in COLUMNS})
    for name in DATE_COLUMNS:
        table[name] = frame[name].dt.strftime("%Y-%m-%d")
    table["sources"] = [json.dumps(s, ensure_ascii=False) for s in frame["sources"]]
    return table


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def read_events(path: str | Path) -> gpd.GeoDataFrame:
    """Read events from any format eventmap writes (and a catalog .yaml, via catalog+geocode)."""
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"{path}: no such events file")
    if path.suffix.lower() in (".yaml", ".yml"):
        from .pipeline import frame_from_catalog

        return frame_from_catalog(path)
    kind = format_for(path)
    if kind == "GeoParquet":
        return read_store(path)
    try:
        if kind == "CSV":
            table = pd.read_csv(path, dtype={"event_id": str}, keep_default_na=True)
            geometry = gpd.points_from_xy(table["longitude"], table["latitude"])
            frame = gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:4326")
        else:
            frame = gpd.read_file(path, engine="pyogrio")
    except (KeyError, ValueError, OSError) as exc:
        raise ExportError(f"{path}: cannot read events ({exc})") from None
    if kind == "GeoJSON" or kind == "GPKG":
        frame["latitude"] = frame.geometry.y.where(frame.geometry.notna())
        frame["longitude"] = frame.geometry.x.where(frame.geometry.notna())
    frame.loc[frame["latitude"].isna(), "geometry"] = None
    return coerce(frame)
