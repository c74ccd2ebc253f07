"""Shared fixtures: the repository's own seeds and geo data, and one gazetteer per session."""

from __future__ import annotations

import pytest
from paths import GEO, SEEDS

from eventmap.gazetteer import load_gazetteer
from eventmap.geocode import GazetteerGeocoder, Resolver

REGION = ("IQ", "SY", "IR", "KW")


@pytest.fixture(autouse=True)
def _offline_settings(monkeypatch, tmp_path):
    """No test may reach a network geocoder, whatever the developer's environment says."""
    monkeypatch.delenv("EVENTMAP_ONLINE_GEOCODER", raising=False)
    monkeypatch.setenv("EVENTMAP_BASEMAP", "offline")  # no tile-server probe in tests
    monkeypatch.setenv("EVENTMAP_GEOCODE_CACHE", str(tmp_path / "geocode-cache.json"))


@pytest.fixture(scope="session")
def gazetteer():
    return load_gazetteer(GEO, region=REGION)


@pytest.fixture(scope="session")
def geocoder(gazetteer):
    return GazetteerGeocoder(gazetteer)


@pytest.fixture(scope="session")
def resolver(geocoder):
    return Resolver(geocoder)


@pytest.fixture(scope="session")
def seed_frame(resolver):
    from eventmap.pipeline import build_events

    return build_events(SEEDS / "events.yaml", resolver=resolver).frame
