"""Helpers for the browser tests: a real Streamlit server on a free local port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
LOCAL = ("http://localhost", "http://127.0.0.1", "data:", "blob:", "about:")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`streamlit run app.py` on a free local port, showing the events file it is given."""

    def __init__(self, data: Path, log: Path, extra_env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://localhost:{self.port}"
        env = {
            **os.environ,
            "EVENTMAP_DATA": str(data),
            "EVENTMAP_BASEMAP": "offline",
            **(extra_env or {}),
        }
        env.pop("EVENTMAP_ONLINE_GEOCODER", None)
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not start: {log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


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
