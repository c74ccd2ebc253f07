"""The event store: GeoParquet on disk, written atomically and byte-for-byte reproducibly."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd

from .errors import StoreError
from .frame import coerce


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it into place only if the block succeeds.

    Creates the folder. A reader never sees a half-written file, and a failure leaves the
    previous file untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    os.unlink(tmp)  # some writers (GDAL) refuse to overwrite; let them create it
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        _fsync(tmp_path)  # on disk before it takes the name: a power cut keeps old or new
        os.replace(tmp_path, path)
        _fsync(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def _fsync(path: Path) -> None:
    """Flush a file (or a folder, for the rename) to disk, where the system allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_store(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write the events as GeoParquet at `path` (atomically); returns the path."""
    path = Path(path)
    frame = coerce(frame)
    try:
        with atomic_path(path) as tmp:
            frame.to_parquet(tmp, index=False, compression="zstd", write_covering_bbox=False)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write the store ({exc})") from None
    return path
