"""CachedOnlineGeocoder against a local imitation of Nominatim's /search (never the internet).

Only real answers are cached; outages, timeouts, 5xx, 429 and unreadable answers are logged,
return None and are asked again on the next call.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from geopy.adapters import RequestsAdapter
from geopy.geocoders import Nominatim

from eventmap.geocode import (
    CachedOnlineGeocoder,
    adapter_without_retries,
    online_geocoder_from_settings,
)

TIMEOUT = 0.5  # the geocoder's HTTP timeout; the "slow" server sleeps longer than this
RETRIES = 1  # so every failing call reaches the server RETRIES + 1 times

PLACES = {
    "Ramadi": {"lat": "33.4206", "lon": "43.3078", "display_name": "Ramadi, Al Anbar, Iraq"},
}
RAMADI_CACHED = {"address": "Ramadi, Al Anbar, Iraq", "latitude": 33.4206, "longitude": 43.3078}


class FakeNominatim:
    """A threaded HTTP server answering /search like Nominatim, or failing as told."""

    def __init__(self, port: int = 0) -> None:
        self.queries: list[str] = []
        self.status = 200  # 200: answer from PLACES; anything else: that status
        self.body: bytes | None = None  # a fixed body instead of the JSON answer
        self.delay = 0.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                url = urlsplit(self.path)
                assert url.path == "/search"
                query = parse_qs(url.query)["q"][0]
                fake.queries.append(query)
                if fake.delay:
                    time.sleep(fake.delay)
                if fake.body is not None:
                    body, ctype = fake.body, "text/html"
                elif fake.status != 200:
                    body, ctype = b'{"error": "failing on purpose"}', "application/json"
                else:
                    place = PLACES.get(query)
                    body = json.dumps([place] if place else []).encode()
                    ctype = "application/json"
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    if fake.status in (429, 503):
                        # urllib3 would sleep this long before its own retry
                        self.send_header("Retry-After", "30")
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False  # don't wait for a handler still sleeping
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def recover(self) -> None:
        self.status, self.body, self.delay = 200, None, 0.0

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server():
    fake = FakeNominatim()
    yield fake
    fake.stop()


@pytest.fixture
def cache_path(tmp_path):
    return tmp_path / "cache" / "geocode.json"


@pytest.fixture
def caplog_geocode(caplog):
    caplog.set_level(logging.WARNING, logger="eventmap.geocode")
    return caplog


def make_online(port: int, cache_path) -> CachedOnlineGeocoder:
    nominatim = Nominatim(
        domain=f"127.0.0.1:{port}",
        scheme="http",
        user_agent="eventmap-tests",
        timeout=TIMEOUT,
        proxies={},  # straight to 127.0.0.1: geopy ignores NO_PROXY, so no HTTP_PROXY either
        adapter_factory=adapter_without_retries,  # as online_geocoder_from_settings does
    )
    return CachedOnlineGeocoder(
        nominatim, cache_path, min_delay_seconds=0, max_retries=RETRIES, error_wait_seconds=0.01
    )


def messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "eventmap.geocode"]


def cached(cache_path) -> dict:
    return json.loads(cache_path.read_text(encoding="utf-8"))


def not_cached_message(query: str, error: str) -> str:
    return (
        f"online geocoder: {query!r} not looked up, the service failed ({error}); "
        "not cached, the next call asks again"
    )


def test_a_found_place_is_cached_and_then_served_from_the_cache(server, cache_path, caplog_geocode):
    online = make_online(server.port, cache_path)
    first = online.geocode("Ramadi")
    assert (first.address, first.latitude, first.longitude) == (
        "Ramadi, Al Anbar, Iraq",
        33.4206,
        43.3078,
    )
    assert first.raw["source"] == "Nominatim"
    assert cached(cache_path) == {"ramadi": RAMADI_CACHED}

    again = online.geocode("Ramadi")
    assert (again.address, again.latitude, again.longitude) == (
        "Ramadi, Al Anbar, Iraq",
        33.4206,
        43.3078,
    )
    # A new instance (the next build) reads the cache from disk and does not ask either.
    reloaded = make_online(server.port, cache_path).geocode("ramadi")
    assert reloaded.point[:2] == (33.4206, 43.3078)
    assert server.queries == ["Ramadi"]
    assert messages(caplog_geocode) == []
    assert list(cache_path.parent.iterdir()) == [cache_path]  # no temporary file left behind


def test_a_genuine_empty_answer_is_cached_as_not_found(server, cache_path, caplog_geocode):
    online = make_online(server.port, cache_path)
    assert online.geocode("Atlantis") is None
    assert cached(cache_path) == {"atlantis": None}
    assert online.geocode("Atlantis") is None
    assert make_online(server.port, cache_path).geocode("Atlantis") is None
    assert server.queries == ["Atlantis"]
    assert messages(caplog_geocode) == []


@pytest.mark.parametrize(
    ("status", "body", "delay", "error"),
    [
        (500, None, 0.0, "GeocoderServiceError: Non-successful status code 500"),
        # geopy maps 503 (and 504) to GeocoderTimedOut
        (503, None, 0.0, "GeocoderTimedOut: Non-successful status code 503"),
        (429, None, 0.0, "GeocoderRateLimited: Non-successful status code 429"),
        (200, None, TIMEOUT + 0.4, "GeocoderTimedOut: Service timed out"),
        (
            200,
            b"<html>Bad gateway</html>",
            0.0,
            "GeocoderParseError: Could not deserialize using deserializer:\n"
            "<html>Bad gateway</html>",
        ),
    ],
    ids=["http-500", "http-503", "http-429", "timeout", "not-json"],
)
def test_a_failing_service_is_not_cached_and_asked_again_later(
    server, cache_path, caplog_geocode, status, body, delay, error
):
    server.status, server.body, server.delay = status, body, delay
    online = make_online(server.port, cache_path)

    started = time.monotonic()
    assert online.geocode("Ramadi") is None
    assert time.monotonic() - started < 5  # not the Retry-After: 30 sleep of urllib3
    assert server.queries == ["Ramadi"] * (RETRIES + 1)  # RateLimiter retried, then gave up
    assert not cache_path.exists()
    assert messages(caplog_geocode) == [not_cached_message("Ramadi", error)]
    assert all(
        r.levelno == logging.WARNING for r in caplog_geocode.records if r.name == "eventmap.geocode"
    )

    server.recover()
    caplog_geocode.clear()
    found = online.geocode("Ramadi")
    assert found.point[:2] == (33.4206, 43.3078)
    assert server.queries == ["Ramadi"] * (RETRIES + 2)
    assert cached(cache_path) == {"ramadi": RAMADI_CACHED}
    assert messages(caplog_geocode) == []


def test_a_closed_port_is_not_cached_and_asked_again_when_the_service_is_back(
    server, cache_path, caplog_geocode
):
    port = server.port
    server.stop()  # nothing listens there now: connection refused
    online = make_online(port, cache_path)

    started = time.monotonic()
    assert online.geocode("Ramadi") is None
    assert time.monotonic() - started < 5
    assert not cache_path.exists()
    [message] = messages(caplog_geocode)
    prefix = "online geocoder: 'Ramadi' not looked up, the service failed (GeocoderUnavailable: "
    assert message.startswith(prefix)
    assert "Connection refused" in message
    assert message.endswith("); not cached, the next call asks again")

    back = FakeNominatim(port)  # the service comes back on the same port
    try:
        caplog_geocode.clear()
        found = online.geocode("Ramadi")
        assert found.point[:2] == (33.4206, 43.3078)
        assert back.queries == ["Ramadi"]
        assert cached(cache_path) == {"ramadi": RAMADI_CACHED}
        assert messages(caplog_geocode) == []
    finally:
        back.stop()


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, "GeocoderAuthenticationFailure: Non-successful status code 401"),
        (403, "GeocoderInsufficientPrivileges: Non-successful status code 403"),
    ],
    ids=["http-401", "http-403"],
)
def test_a_configuration_error_is_not_cached_nor_retried(
    server, cache_path, caplog_geocode, status, error
):
    server.status = status
    online = make_online(server.port, cache_path)

    assert online.geocode("Ramadi") is None
    assert server.queries == ["Ramadi"]  # retrying cannot cure a bad key
    assert not cache_path.exists()
    assert messages(caplog_geocode) == [
        "online geocoder: 'Ramadi' not looked up, a configuration or account error "
        f"({error}); not cached, the next call asks again"
    ]

    server.recover()
    assert online.geocode("Ramadi").point[:2] == (33.4206, 43.3078)
    assert cached(cache_path) == {"ramadi": RAMADI_CACHED}


def test_a_refused_query_is_cached_as_not_found(server, cache_path, caplog_geocode):
    server.status = 400
    online = make_online(server.port, cache_path)

    assert online.geocode("Ramadi") is None
    assert server.queries == ["Ramadi"]
    assert cached(cache_path) == {"ramadi": None}
    assert messages(caplog_geocode) == [
        "online geocoder refused 'Ramadi' (GeocoderQueryError: Non-successful status code 400); "
        "cached as not found"
    ]
    server.recover()
    assert online.geocode("Ramadi") is None
    assert server.queries == ["Ramadi"]


@pytest.mark.parametrize(
    ("body", "error", "traceback"),
    [
        (
            b'[{"display_name": "Ramadi"}]',  # geopy makes it a Location at (0, 0)
            "no coordinates: Location(Ramadi, (0.0, 0.0, 0.0))",
            False,
        ),
        (
            b'[{"lat": "north", "lon": "east", "display_name": "Ramadi"}]',
            "ValueError: could not convert string to float: 'north'",
            True,
        ),
    ],
    ids=["no-lat-lon", "lat-not-a-number"],
)
def test_a_malformed_json_answer_is_not_cached(
    server, cache_path, caplog_geocode, body, error, traceback
):
    server.body = body
    online = make_online(server.port, cache_path)

    assert online.geocode("Ramadi") is None
    assert server.queries == ["Ramadi"]  # not a service error: not retried
    assert not cache_path.exists()
    [record] = [r for r in caplog_geocode.records if r.name == "eventmap.geocode"]
    assert record.getMessage() == (
        f"online geocoder: 'Ramadi' not looked up, unexpected answer ({error}); "
        "not cached, the next call asks again"
    )
    assert bool(record.exc_info) is traceback

    server.recover()
    assert online.geocode("Ramadi").point[:2] == (33.4206, 43.3078)
    assert cached(cache_path) == {"ramadi": RAMADI_CACHED}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            b'{"ramadi": {"address": ',
            "JSONDecodeError: Expecting value: line 1 column 24 (char 23)",
        ),
        (b"\x80garbage", "UnicodeDecodeError: "),
        (b'["not", "an", "object"]', "a JSON list, not an object"),
    ],
    ids=["truncated", "not-utf8", "a-list"],
)
def test_a_corrupt_cache_is_reported_and_replaced_on_the_next_save(
    server, cache_path, caplog_geocode, content, problem
):
    cache_path.parent.mkdir(parents=True)
    cache_path.write_bytes(content)
    online = make_online(server.port, cache_path)

    [message] = messages(caplog_geocode)
    assert message.startswith(f"geocode cache {cache_path} is unreadable ({problem}")
    assert message.endswith(
        "); starting from an empty cache, the file is replaced on the next save"
    )
    assert cache_path.read_bytes() == content  # left alone until there is something to save

    assert online.geocode("Ramadi").point[:2] == (33.4206, 43.3078)
    assert server.queries == ["Ramadi"]
    assert cached(cache_path) == {"ramadi": RAMADI_CACHED}
    assert list(cache_path.parent.iterdir()) == [cache_path]


def test_the_geocoder_from_settings_leaves_retries_to_the_rate_limiter(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTMAP_ONLINE_GEOCODER", "nominatim")
    monkeypatch.setenv("EVENTMAP_USER_AGENT", "eventmap-tests (test@example.org)")
    online = online_geocoder_from_settings()  # builds only; asks nothing
    assert isinstance(online.geocoder, Nominatim)
    assert online.cache_path == tmp_path / "geocode-cache.json"  # conftest's setting
    adapter = online.geocoder.adapter
    assert isinstance(adapter, RequestsAdapter)
    for prefix in ("http://", "https://"):
        retry = adapter.session.get_adapter(prefix).max_retries
        assert (retry.total, retry.read) == (0, False)
