"""Browser tests: the real app in Debian's chromium, driven by Playwright, offline.

Every request to a host other than localhost is blocked by the browser itself: chromium sends
all traffic but loopback to a proxy address where nothing listens, and each such request is
listed. Blocking in the browser rather than with Playwright's request routing keeps the HTTP
cache working (routing switches it off), so a reopened page behaves as it does for a user.
With CI=true a missing chromium fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import new_page

CHROMIUM = Path(os.environ.get("EVENTMAP_CHROMIUM", "/usr/bin/chromium"))


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def playwright_session():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def dead_proxy() -> Iterator[str]:
    """The proxy every non-local request is sent to: a port held bound but never listening, so
    connections are refused and no test server can be given the same port."""
    with socket.socket() as dead:
        dead.bind(("127.0.0.1", 0))
        yield f"--proxy-server=http://127.0.0.1:{dead.getsockname()[1]}"


@pytest.fixture(scope="session")
def browser(chromium, playwright_session, dead_proxy):
    browser = playwright_session.chromium.launch(
        executable_path=str(chromium), args=[*CHROMIUM_ARGS, dead_proxy]
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser_without_webgl(chromium, playwright_session, dead_proxy):
    """Chromium with WebGL switched off, as on a machine without a GPU."""
    browser = playwright_session.chromium.launch(
        executable_path=str(chromium), args=[*CHROMIUM_ARGS, dead_proxy, "--disable-3d-apis"]
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    page = new_page(browser)
    yield page
    page.context.close()
