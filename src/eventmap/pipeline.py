"""The flow from seeds to store: catalog -> geocode -> GeoDataFrame -> GeoParquet."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import pyarrow.compute as pc

from . import settings
from .catalog import load_catalog
from .errors import CatalogError, EventmapError
from .export import write_batches
from .frame import Unresolved, build_frame
from .geocode import Resolver, default_resolver
from .store import write_store
from .table import from_frame, read_table, sort_events
from .validate import events

# Which file the app and the command line read is eventmap.sources', above both pipeline and
# export, so that neither imports the other.


@dataclass
class BuildReport:
    frame: gpd.GeoDataFrame
    unresolved: list[Unresolved] = field(default_factory=list)
    skipped: list[CatalogError] = field(default_factory=list)
    path: Path | None = None
    kept_imported: int = 0  # events `eventmap import` had put in the store, kept


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
    """Rebuild the store from the catalog; same input gives a byte-identical file. Events
    `eventmap import` put in the store (they have a `source_dataset`) are kept: rebuilding
    the catalog never loses a user's data."""
    report = build_events(catalog_path, resolver=resolver, lenient=lenient)
    path = Path(out or settings.path("EVENTMAP_STORE"))
    imported = _imported_events(path)
    if imported is None or not imported.num_rows:
        report.path = write_store(report.frame, path)
        return report
    catalog = events(from_frame(report.frame), source=catalog_path or "catalog")
    ids = catalog["event_id"].combine_chunks()
    imported = imported.filter(pc.invert(pc.is_in(imported["event_id"], value_set=ids)))
    write_batches(sort_events(pa.concat_tables([catalog, imported])), path)
    report.path, report.kept_imported = path, imported.num_rows
    return report


def _imported_events(path: Path):
    """The store's imported events (a table), or None without a readable store."""
    if not path.is_file():
        return None
    try:
        table = read_table(path)
    except EventmapError:
        return None  # an unreadable store is rebuilt from the catalog, as before
    return table.filter(pc.is_valid(table["source_dataset"]))
