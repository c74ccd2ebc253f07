"""Every setting eventmap reads from the environment, declared and documented in one place.

The README's "Settings" table lists each of these; a test fails when one is missing there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# The repository root for an editable install (src/eventmap/settings.py -> ../../).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    doc: str

    def get(self) -> str:
        return os.environ.get(self.env, "").strip() or self.default


SETTINGS: dict[str, Setting] = {
    s.env: s
    for s in (
        Setting(
            "EVENTMAP_SEEDS",
            str(PROJECT_ROOT / "seeds"),
            "Folder with the articles, their .meta.yaml and events.yaml (the catalog).",
        ),
        Setting(
            "EVENTMAP_GEO",
            str(PROJECT_ROOT / "geo"),
            "Folder with places.geojson (the curated gazetteer) and countries.geojson.",
        ),
        Setting(
            "EVENTMAP_STORE",
            str(PROJECT_ROOT / "data" / "events.parquet"),
            "The GeoParquet store that `eventmap build` writes and the app reads.",
        ),
        Setting(
            "EVENTMAP_DATA",
            "",
            "Events file the app shows instead of the store (.yaml, .geojson, .parquet, ...).",
        ),
        Setting(
            "EVENTMAP_CANDIDATES",
            "",
            "Extractor output (.jsonl) the app shows as an unreviewed layer beside the events.",
        ),
        Setting(
            "EVENTMAP_REGION",
            "IQ,SY,IR,KW",
            "ISO country codes where ambiguous names are resolved first (comma-separated).",
        ),
        Setting(
            "EVENTMAP_ONLINE_GEOCODER",
            "",
            "A geopy service name (e.g. nominatim) tried for names the gazetteer lacks; "
            "empty means offline only.",
        ),
        Setting(
            "EVENTMAP_USER_AGENT",
            "",
            "User agent for the online geocoder (required by Nominatim's usage policy).",
        ),
        Setting(
            "EVENTMAP_BASEMAP",
            "auto",
            "First basemap: offline, osm, carto, or auto (OpenStreetMap if its tile server "
            "answers, else offline).",
        ),
        Setting(
            "EVENTMAP_CARTO_API_KEY",
            "",
            "CartoDB's key; the CartoDB Positron basemap is offered only with one.",
        ),
        Setting(
            "EVENTMAP_REVIEWER",
            "",
            "Your name, recorded with each candidate you accept or reject (eventmap review, "
            "the app's Unreviewed table).",
        ),
        Setting(
            "EVENTMAP_GAZETTEER_CACHE",
            str(Path.home() / ".cache" / "eventmap"),
            "Folder of the offline gazetteer's index (GeoNames, OurAirports, regions), built "
            "once in ~15 s and read back in ~2 s; rebuilt when its sources change.",
        ),
        Setting(
            "EVENTMAP_GEOCODE_CACHE",
            str(Path.home() / ".cache" / "eventmap" / "geocode.json"),
            "Disk cache of online geocoder answers, so each name is asked once.",
        ),
    )
}


def get(env: str) -> str:
    """The value of a declared setting (its default when unset or blank)."""
    return SETTINGS[env].get()


def path(env: str) -> Path:
    return Path(get(env)).expanduser()
