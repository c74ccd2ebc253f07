"""Read article files as text, refusing empty, binary and undecodable ones with a clear error."""

from __future__ import annotations

from pathlib import Path

from .errors import DocumentError


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes; a missing file, a folder or a read error is a DocumentError."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such article file") from None
    except IsADirectoryError:
        raise DocumentError(f"{path}: is a folder, not an article file") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None


def read_document(path: str | Path) -> str:
    """Return the file's text (UTF-8, BOM allowed); raise DocumentError naming the file."""
    path = Path(path)
    data = read_bytes(path)
    if not data.strip():
        raise DocumentError(f"{path}: the article is empty")
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{path}: looks binary (NUL bytes), not an article's text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{path}: not valid UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})"
        ) from None
