"""Helpers for the browser tests: a real Streamlit server on a free local port."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from bench.common import StreamlitServer

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
LOCAL = ("http://localhost", "http://127.0.0.1", "data:", "blob:", "about:")


class Server(StreamlitServer):
    """`streamlit run app.py` on a free local port, showing the events file it is given."""

    def __init__(self, data: Path, log: Path, extra_env: dict[str, str] | None = None) -> None:
        super().__init__(data, log, extra_env=extra_env, timeout=60)


def start_server(
    tmp_path_factory, name: str, frame, extra_env: dict[str, str] | None = None
) -> Iterator[Server]:
    from eventmap.store import write_store

    folder = tmp_path_factory.mktemp(name)
    server = Server(
        write_store(frame, folder / "events.parquet"), folder / "streamlit.log", extra_env
    )
    try:
        yield server
    finally:
        server.stop()


def new_page(browser):
    """A page that may talk to localhost only; remote requests fail and are listed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.blocked = []
    context.on(
        "request",
        lambda request: None if request.url.startswith(LOCAL) else page.blocked.append(request.url),
    )
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(f"{error} {error.stack}"))
    return page


def map_frame(page, timeout: float = 60.0):
    """The st_folium iframe of the main map, once its layer has drawn a window."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate("() => Boolean(window.eventmapStats && eventmapStats.ready)"):
                    return frame
            except Exception:  # a frame navigating away
                pass
        time.sleep(0.2)
    page.screenshot(path="/tmp/e2e-fail.png", full_page=True)
    raise AssertionError(f"the map never drew; page errors: {page.errors}")
