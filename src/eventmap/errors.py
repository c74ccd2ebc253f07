"""eventmap's exceptions: one root, each subclass also a built-in so callers can catch either.

Every message names where the problem is (file, event_id, field) so a user can fix it.
"""

from __future__ import annotations


def _where(*parts: str | None) -> str:
    """The parts that are known, for the start of a message: "file, row 3, field 'x'"."""
    return ", ".join(part for part in parts if part)


class EventmapError(Exception):
    """Root of every error eventmap raises on purpose."""


class CatalogError(EventmapError, ValueError):
    """A catalog entry or its file is malformed."""

    def __init__(
        self,
        message: str,
        *,
        path: object = None,
        event_id: str | None = None,
        field: str | None = None,
    ) -> None:
        where = _where(
            str(path) if path is not None else None,
            f"event {event_id}" if event_id else None,
            f"field '{field}'" if field else None,
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.event_id = event_id
        self.field = field


class DocumentError(EventmapError, ValueError):
    """An article file is missing, empty, binary or not decodable text."""


class GazetteerError(EventmapError, ValueError):
    """The gazetteer file is malformed."""


class StoreError(EventmapError, OSError):
    """The event store cannot be read or written."""


class ExportError(EventmapError, ValueError):
    """An export was asked for in a format or with options eventmap cannot honour."""


class DatasetError(EventmapError, ValueError):
    """A dataset cannot be prepared for the map (for example, dates it cannot hold)."""


class ValidationError(EventmapError, ValueError):
    """Data that cannot be taken as events; says which file, row, field and value, and why."""

    def __init__(
        self,
        reason: str,
        *,
        file: object = None,
        row: int | None = None,
        line: int | None = None,
        field: str | None = None,
        value: object = None,
    ) -> None:
        where = _where(
            str(file) if file is not None else None,
            f"row {row}" if row is not None else None,
            f"line {line}" if line is not None else None,
            f"field '{field}'" if field else None,
        )
        shown = f" (found: {value})" if value is not None else ""
        super().__init__(f"{where}: {reason}{shown}" if where else f"{reason}{shown}")
        self.file, self.row, self.line, self.field = file, row, line, field
        self.value, self.reason = value, reason
