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

REVIEWED_NAME = "reviewed.yaml"  # accepted candidates, beside the catalog (eventmap.review)

# Which file the app and the command line read is eventmap.sources', above both pipeline and
# export, so that neither imports the other.


@dataclass
class BuildReport:
    frame: gpd.GeoDataFrame
    unresolved: list[Unresolved] = field(default_factory=list)
    skipped: list[CatalogError] = field(default_factory=list)
    path: Path | None = None
    kept_imported: int = 0  # events `eventmap import` had put in the store, kept (cli.build)


def build_events(
    catalog_path: str | Path | None = None,
    *,
    resolver: Resolver | None = None,
    lenient: bool = False,
) -> BuildReport:
    """Load and geocode the catalog (default: the EVENTMAP_SEEDS folder's events.yaml), with
    the events reviewers accepted from the extractor's candidates (reviewed.yaml beside it,
    written by `eventmap review`), checked the same way."""
    catalog_path = Path(catalog_path or settings.path("EVENTMAP_SEEDS") / "events.yaml")
    catalog = load_catalog(catalog_path, lenient=lenient)
    events, skipped = list(catalog.events), list(catalog.skipped)
    reviewed_path = catalog_path.with_name(REVIEWED_NAME)
    if reviewed_path.is_file():
        reviewed = load_catalog(reviewed_path, lenient=lenient)
        ids = {e["event_id"] for e in events}
        for event in reviewed.events:
            if event["event_id"] in ids:
                raise CatalogError(
                    "event_id already in the catalog",
                    path=reviewed_path,
                    event_id=event["event_id"],
                    field="event_id",
                )
        events += reviewed.events
        skipped += reviewed.skipped
    frame, unresolved = build_frame(events, resolver or default_resolver())
    return BuildReport(frame=frame, unresolved=unresolved, skipped=skipped)


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
