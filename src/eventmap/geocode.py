"""Geocoding through geopy's Geocoder interface: offline gazetteer first, network opt-in.

GazetteerGeocoder is deterministic and needs no network. An online geopy geocoder can be
added behind it for names the gazetteer lacks; it is rate-limited and cached on disk, and
never used unless the EVENTMAP_ONLINE_GEOCODER setting names one.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from . import settings
from .errors import EventmapError
from .gazetteer import Gazetteer, load_gazetteer, normalise

log = logging.getLogger(__name__)


class GazetteerGeocoder(Geocoder):
    """A geopy Geocoder answering from the offline gazetteer.

    `geocode()` returns None, one Location, or a list of them (exactly_one=False). Each
    Location's `raw` holds name, kind, geo_precision, country_code, source and, when the
    best match lies outside the region of interest, `outside_region: True` (also logged).
    """

    def __init__(self, gazetteer: Gazetteer, *, country_codes: Sequence[str] | None = None) -> None:
        super().__init__()
        self.gazetteer = gazetteer
        self.country_codes = tuple(c.upper() for c in (country_codes or gazetteer.region))

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: Sequence[str] | None = None,
        fuzzy: bool = True,
    ) -> Location | list[Location] | None:
        if not isinstance(query, str) or not query.strip():
            return None
        region = tuple(c.upper() for c in country_codes) if country_codes else self.country_codes
        places = self.gazetteer.lookup(query, region=region, fuzzy=fuzzy)
        if not places:
            return None
        locations = []
        for place in places:
            raw: dict[str, Any] = {"query": query, **place.raw()}
            if region and place.country_code not in region and place.kind != "country":
                raw["outside_region"] = True
            locations.append(Location(place.name, (place.latitude, place.longitude), raw))
        if exactly_one:
            best = locations[0]
            if best.raw.get("outside_region"):
                log.warning(
                    "%r resolved to %s (%s), outside the region %s",
                    query,
                    best.address,
                    best.raw["country_code"],
                    ",".join(region),
                )
            return best
        return locations

    def reverse(self, query, *, exactly_one=True):  # noqa: D102 - not offered offline
        raise NotImplementedError("GazetteerGeocoder does not reverse-geocode")


class CachedOnlineGeocoder:
    """A geopy geocoder behind RateLimiter with a JSON cache on disk (written atomically)."""

    def __init__(self, geocoder: Geocoder, cache_path: Path, *, min_delay_seconds: float = 1.0):
        self.geocoder = geocoder
        self.cache_path = cache_path
        self._geocode = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=1,
            swallow_exceptions=True,
        )
        try:
            self._cache: dict[str, Any] = json.loads(cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._cache = {}

    def geocode(self, query: str) -> Location | None:
        key = normalise(query)
        if key not in self._cache:
            found = self._geocode(query, exactly_one=True)
            self._cache[key] = (
                None
                if found is None
                else {
                    "address": found.address,
                    "latitude": found.latitude,
                    "longitude": found.longitude,
                }
            )
            self._save()
        hit = self._cache[key]
        if hit is None:
            return None
        raw = {
            "query": query,
            "name": hit["address"],
            "kind": "online",
            "geo_precision": 2,
            "country_code": None,
            "source": type(self.geocoder).__name__,
            "curated": False,
        }
        return Location(hit["address"], (hit["latitude"], hit["longitude"]), raw)

    def _save(self) -> None:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.cache_path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self._cache, fh, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(tmp, self.cache_path)


class Resolver:
    """Name -> Location: the gazetteer, then the optional online geocoder."""

    def __init__(self, offline: GazetteerGeocoder, online: CachedOnlineGeocoder | None = None):
        self.offline = offline
        self.online = online

    def resolve(self, name: str | None) -> Location | None:
        if not name:
            return None
        found = self.offline.geocode(name)
        if found is None and self.online is not None:
            found = self.online.geocode(name)
        return found


def online_geocoder_from_settings() -> CachedOnlineGeocoder | None:
    """The geocoder named by EVENTMAP_ONLINE_GEOCODER, or None (the default: offline only)."""
    service = settings.get("EVENTMAP_ONLINE_GEOCODER")
    if not service:
        return None
    user_agent = settings.get("EVENTMAP_USER_AGENT")
    if not user_agent:
        raise EventmapError(
            f"EVENTMAP_ONLINE_GEOCODER={service} needs EVENTMAP_USER_AGENT "
            "(a real user agent with a contact, per the service's usage policy)"
        )
    try:
        cls = get_geocoder_for_service(service)
    except Exception as exc:  # geopy raises GeocoderNotFound
        raise EventmapError(f"EVENTMAP_ONLINE_GEOCODER: {exc}") from None
    return CachedOnlineGeocoder(cls(user_agent=user_agent), settings.path("EVENTMAP_GEOCODE_CACHE"))


def default_resolver(geo_dir: str | Path | None = None) -> Resolver:
    """The gazetteer of `geo_dir` (default: the EVENTMAP_GEO setting) plus any online geocoder."""
    region = [c for c in settings.get("EVENTMAP_REGION").split(",") if c.strip()]
    gazetteer = load_gazetteer(geo_dir or settings.path("EVENTMAP_GEO"), region=region)
    return Resolver(GazetteerGeocoder(gazetteer), online_geocoder_from_settings())
