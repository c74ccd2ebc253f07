"""eventmap: news events, dated and geocoded to named places, as a GeoDataFrame and a map."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

__all__ = ["load_events"]


def load_events(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """The events as a GeoDataFrame in EPSG:4326 with typed columns.

    With no path: the curated catalog (seeds/events.yaml), geocoded offline. With a path:
    any events file eventmap reads (.yaml catalog, .geojson, .csv, .gpkg, .parquet).
    """
    if path is None:
        from .pipeline import frame_from_catalog

        return frame_from_catalog()
    from .export import read_events

    return read_events(path)
