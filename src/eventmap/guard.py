"""Each part of the page fails alone: a short message in its place and a log line, never a
traceback, and the rest of the page keeps working.

The one module besides app.py that calls Streamlit: app.py wraps each part of the page (the
dates, the map, the timeline, the tables, the details, the downloads) in `part(name)`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import streamlit as st

from .errors import EventmapError

log = logging.getLogger("eventmap.page")


@contextlib.contextmanager
def part(name: str) -> Iterator[None]:
    """Run one part of the page; if it fails, say so in its place and log the traceback.

    Streamlit's own rerun and stop signals are BaseExceptions and pass through untouched."""
    try:
        yield
    except EventmapError as exc:
        log.error("the %s failed: %s", name, exc)
        st.error(f"The {name} could not be shown: {exc}")
    except Exception as exc:  # a bug: the page goes on, the log has the traceback
        log.exception("the %s failed", name)
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        st.error(
            f"The {name} could not be shown ({type(exc).__name__}"
            + (f": {reason}" if reason else "")
            + "). The rest of the page still works; the server log has the details."
        )
