"""Files the browser fetches from the app's static folder instead of receiving them on every rerun.

Streamlit re-sends a component's arguments with each rerun, so big, unchanging data (the
offline basemap, the dataset's popup texts) is written once under static/cache/, named by
its content hash, and the map fetches it by URL.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .settings import PROJECT_ROOT

CACHE_DIR = PROJECT_ROOT / "static" / "cache"
URL_PREFIX = "/app/static/cache"


def publish_bytes(data: bytes, name: str, *, folder: Path = CACHE_DIR) -> str:
    """Write `data` as <sha256[:16]>-<name> (atomically, once) and return its URL."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    filename = f"{digest}-{name}"
    target = folder / filename
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    return f"{URL_PREFIX}/{filename}"


def publish_json(value: Any, name: str, *, folder: Path = CACHE_DIR) -> str:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return publish_bytes(data, name, folder=folder)


def publish_file(path: Path, *, folder: Path = CACHE_DIR) -> str:
    return publish_bytes(Path(path).read_bytes(), Path(path).name, folder=folder)
