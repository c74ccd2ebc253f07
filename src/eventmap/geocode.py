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

from geopy.adapters import BaseSyncAdapter, RequestsAdapter, URLLibAdapter
from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeopyError,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from . import settings
from .errors import EventmapError
from .gazetteer import Gazetteer, normalise, shared_gazetteer

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


class _NotRetried(Exception):
    """Carries a geopy error that retrying cannot cure past RateLimiter (which retries
    every GeocoderServiceError) straight to CachedOnlineGeocoder.geocode."""

    def __init__(self, error: GeopyError) -> None:
        super().__init__(error)
        self.error = error


# A real refusal of this query by the service (HTTP 400, Nominatim's {"error": ...}):
# asking again gets the same answer, so it is cached as "not found".
_REFUSED = (GeocoderQueryError,)
# Errors a retry a second later cannot cure, so RateLimiter must not retry them: the
# refusals above, and configuration or account problems (bad key, no rights, quota used
# up), which are not the query's fault and so are never cached either. A 429
# (GeocoderRateLimited, a GeocoderQuotaExceeded) is the exception: it is retried.
_NOT_RETRIED = (
    GeocoderQueryError,
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQuotaExceeded,
)


def adapter_without_retries(*, proxies: Any, ssl_context: Any) -> BaseSyncAdapter:
    """An `adapter_factory` for geopy geocoders: geopy's default sync adapter with its
    own HTTP retries off, so that CachedOnlineGeocoder's RateLimiter alone retries.

    geopy's RequestsAdapter retries each request twice inside urllib3 (read timeouts
    included) and sleeps for a 429/503 Retry-After header (urllib3 caps that at 6 hours),
    which would multiply or dwarf RateLimiter's small, configurable waits.
    """
    if RequestsAdapter.is_available:
        return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)
    return URLLibAdapter(proxies=proxies, ssl_context=ssl_context)  # never retries


class CachedOnlineGeocoder:
    """A geopy geocoder behind RateLimiter with a JSON cache on disk (written atomically).

    Only real answers are cached: a Location, or the service saying it knows no such place
    (an empty result, or a refusal of the query). An outage, timeout, HTTP 5xx, rate limit
    (429), unreadable answer or configuration error (401/402/403) is logged as a warning
    and returns None without caching, so the next call asks the service again.
    Transient errors are retried `max_retries` times, `error_wait_seconds` apart, by
    geopy's RateLimiter; the wait is never shorter than `min_delay_seconds`. Build the
    geocoder with `adapter_factory=adapter_without_retries` so that these are the only
    retries and waits (online_geocoder_from_settings does).
    """

    def __init__(
        self,
        geocoder: Geocoder,
        cache_path: Path,
        *,
        min_delay_seconds: float = 1.0,
        max_retries: int = 1,
        error_wait_seconds: float = 2.0,
    ):
        self.geocoder = geocoder
        self.cache_path = Path(cache_path)
        self._geocode = RateLimiter(
            self._lookup,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=max(error_wait_seconds, min_delay_seconds),
            swallow_exceptions=False,
        )
        self._cache: dict[str, Any] = self._load()

    def geocode(self, query: str) -> Location | None:
        key = normalise(query)
        if key not in self._cache:
            try:
                found = self._geocode(query)
            except _NotRetried as wrapped:
                error = wrapped.error
                if not isinstance(error, _REFUSED):
                    self._not_cached(query, "a configuration or account error", error)
                    return None
                log.warning(
                    "online geocoder refused %r (%s: %s); cached as not found",
                    query,
                    type(error).__name__,
                    error,
                )
                found = None
            except GeocoderServiceError as error:  # outage, timeout, 5xx, 429, bad JSON
                self._not_cached(query, "the service failed", error)
                return None
            except Exception as error:  # an answer geopy could not turn into a Location
                self._not_cached(query, "unexpected answer", error, exc_info=True)
                return None
            if found is not None and (found.latitude, found.longitude) == (0.0, 0.0):
                # geopy's Location for a result without coordinates (Nominatim's answer
                # without lat/lon): Null Island is no place an event happens.
                self._not_cached(query, "unexpected answer", f"no coordinates: {found!r}")
                return None
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

    def _lookup(self, query: str) -> Location | None:
        try:
            return self.geocoder.geocode(query, exactly_one=True)
        except _NOT_RETRIED as error:
            if isinstance(error, GeocoderRateLimited):  # 429: worth retrying
                raise
            raise _NotRetried(error) from error

    def _not_cached(
        self, query: str, why: str, error: Exception | str, *, exc_info: bool = False
    ) -> None:
        if isinstance(error, Exception):
            error = f"{type(error).__name__}: {error}"
        log.warning(
            "online geocoder: %r not looked up, %s (%s); not cached, the next call asks again",
            query,
            why,
            error,
            exc_info=exc_info,
        )

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.cache_path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
        else:
            if isinstance(data, dict):
                return data
            problem = f"a JSON {type(data).__name__}, not an object"
        log.warning(
            "geocode cache %s is unreadable (%s); starting from an empty cache, "
            "the file is replaced on the next save",
            self.cache_path,
            problem,
        )
        return {}

    def _save(self) -> None:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.cache_path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self._cache, fh, ensure_ascii=False, indent=1, sort_keys=True)
            os.replace(tmp, self.cache_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


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
    geocoder = cls(user_agent=user_agent, adapter_factory=adapter_without_retries)
    return CachedOnlineGeocoder(geocoder, settings.path("EVENTMAP_GEOCODE_CACHE"))


def default_resolver(geo_dir: str | Path | None = None) -> Resolver:
    """The gazetteer of `geo_dir` (default: the EVENTMAP_GEO setting) plus any online geocoder."""
    region = [c for c in settings.get("EVENTMAP_REGION").split(",") if c.strip()]
    gazetteer = shared_gazetteer(geo_dir or settings.path("EVENTMAP_GEO"), region=region)
    return Resolver(GazetteerGeocoder(gazetteer), online_geocoder_from_settings())
