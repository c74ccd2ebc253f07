"""The flow from seeds to store: catalog -> geocode -> GeoDataFrame -> GeoParquet."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from . import settings
from .catalog import load_catalog
from .errors import CatalogError
from .frame import Unresolved, build_frame
from .geocode import Resolver, default_resolver
from .store import write_store


@dataclass
class BuildReport:
    frame: gpd.GeoDataFrame
    unresolved: list[Unresolved] = field(default_factory=list)
    skipped: list[CatalogError] = field(default_factory=list)
    path: Path | None = None


def build_events(
    catalog_path: str | Path | None = None,
    *,
    resolver: Resolver | None = None,
    lenient: bool = False,
) -> BuildReport:
    """Load and geocode the catalog (default: the EVENTMAP_SEEDS folder's events.yaml)."""
    catalog_path = Path(catalog_path or settings.path("EVENTMAP_SEEDS") / "events.yaml")
    catalog = load_catalog(catalog_path, lenient=lenient)
    frame, unresolved = build_frame(catalog.events, resolver or default_resolver())
    return BuildReport(frame=frame, unresolved=unresolved, skipped=catalog.skipped)


def frame_from_catalog(catalog_path: str | Path | None = None) -> gpd.GeoDataFrame:
    return build_events(catalog_path).frame


def build_store(
    out: str | Path | None = None,
    *,
    catalog_path: str | Path | None = None,
    resolver: Resolver | None = None,
    lenient: bool = False,
) -> BuildReport:
    """Rebuild the store from the catalog; same input gives a byte-identical file."""
    report = build_events(catalog_path, resolver=resolver, lenient=lenient)
    report.path = write_store(report.frame, out or settings.path("EVENTMAP_STORE"))
    return report


def load_dataset(data: str | Path | None = None) -> tuple[gpd.GeoDataFrame, str]:
    """The events the app shows and a label saying where they come from.

    `data` (or the EVENTMAP_DATA setting) names any events file; otherwise the store, or the
    catalog geocoded in memory when no store has been built yet.
    """
    from .export import read_events
    from .store import read_store

    data = data or settings.get("EVENTMAP_DATA") or None
    if data:
        return read_events(data), Path(data).name
    store = settings.path("EVENTMAP_STORE")
    if store.is_file():
        return read_store(store), f"store {store.name}"
    return frame_from_catalog(), "catalog events.yaml (no store built yet)"


def load_candidates(path: str | Path | None = None) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Extractor output (the EVENTMAP_CANDIDATES setting by default) for the app's unreviewed
    layer: (dated candidates, undated ones). Undated candidates are kept to be listed."""
    from .extract import read_candidates
    from .frame import to_frame

    path = path or settings.get("EVENTMAP_CANDIDATES") or None
    if not path:
        empty = to_frame([])
        return empty, empty
    frame = read_candidates(path)
    dated = frame["event_date"].notna()
    return frame[dated].reset_index(drop=True), frame[~dated].reset_index(drop=True)
