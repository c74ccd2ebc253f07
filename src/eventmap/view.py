"""One filter state -> everything the page shows: the count, the map's window, the table page,
the details of a picked event. Numpy over the prepared arrays; no per-event Python objects.

app.py calls these and lays the answers out; it does no arithmetic of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import timeline
from .dataset import FLAGGED, HOLLOW, LOCATED, UNDATED, Prepared
from .export import write_batches
from .filters import FilterState
from .published import publish_bytes
from .style import TYPE_NAMES
from .validate import flag_counts

TABLE_COLUMNS = (
    "event_date",
    "date_end",
    "event_type",
    "sub_event_type",
    "location",
    "actor1",
    "actor2",
    "fatalities",
    "injured",
    "notes",
    "event_id",
    "flags",
)
SEARCHED = ("notes", "location", "place_text", "actor1", "actor2", "sources")


@dataclass(frozen=True)
class View:
    """What one filter state shows. `rows` are the map's events (in the window, filtered, with
    a point), in date order; `unlocated` those that match but have no point."""

    window: tuple[dt.date, dt.date]
    rows: np.ndarray
    unlocated: np.ndarray
    step: dict[str, Any]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def everything(self) -> np.ndarray:
        """Every matching event, with a point or not, in date order (for the downloads)."""
        return np.sort(np.concatenate([self.rows, self.unlocated]))


def type_mask(types: tuple[str, ...]) -> int:
    """Bit k set when type code k is shown; no types chosen means all."""
    codes = range(len(TYPE_NAMES)) if not types else [TYPE_NAMES.index(t) for t in types]
    return sum(1 << code for code in codes)


def selection(prepared: Prepared, state: FilterState) -> np.ndarray | None:
    """The filters that are not ranges (actors, text, minimum fatalities, only flagged) as one
    mask over all events, or None when none is set. Computed when those filters change, not
    per step."""
    if not (state.actors or state.text.strip() or state.min_fatalities or state.flagged):
        return None
    keep = np.ones(prepared.n, dtype=bool)
    table = prepared.table
    if state.actors:
        chosen = pa.array(list(state.actors), type=pa.string())
        either = pc.or_(
            pc.is_in(table["actor1"], value_set=chosen), pc.is_in(table["actor2"], value_set=chosen)
        )
        keep &= _bools(either)
    if state.min_fatalities:
        keep &= np.nan_to_num(prepared.fatalities, nan=0.0) >= state.min_fatalities
    if state.flagged:
        keep &= (prepared.flags & FLAGGED).astype(bool)
    needle = state.text.strip()
    if needle:
        found = np.zeros(prepared.n, dtype=bool)
        for name in SEARCHED:
            found |= _bools(pc.match_substring(table[name], needle, ignore_case=True))
        keep &= found
    return keep


def _bools(array: pa.ChunkedArray) -> np.ndarray:
    return pc.fill_null(array, False).to_numpy(zero_copy_only=False).astype(bool)


def publish_selection(mask: np.ndarray | None) -> str | None:
    """The mask as a bit-packed static file the map fetches once (a bit an event)."""
    if mask is None:
        return None
    return publish_bytes(np.packbits(mask).tobytes(), "selection.bin")


def window_rows(prepared: Prepared, d0: int, d1: int) -> np.ndarray:
    """Rows of the events whose [start, end] overlaps days [d0, d1]: a binary search on the
    sorted starts, bounded by the longest span, then one comparison on that slice."""
    # Keys of the array's own type: a Python int would make numpy convert all of `start`.
    key = prepared.start.dtype.type
    lo = np.searchsorted(prepared.start, key(d0 - prepared.longest), side="left")
    hi = np.searchsorted(prepared.start, key(d1), side="right")
    return np.nonzero(prepared.end[lo:hi] >= d0)[0] + lo


def compute(
    prepared: Prepared,
    state: FilterState,
    *,
    mask: np.ndarray | None = None,
    mask_url: str | None = None,
    player_days: int = 0,
) -> View:
    """The view of `state`; `mask` / `mask_url` come from `selection` / `publish_selection`."""
    span = prepared.span
    if span is None:
        raise ValueError("the dataset has no dated events")
    window = state.window(span)
    d0, d1 = prepared.day(window[0]), prepared.day(window[1])
    rows = window_rows(prepared, d0, min(d1, UNDATED - 1))
    bits = type_mask(state.types)
    keep = ((bits >> prepared.type_code[rows].astype(np.int64)) & 1).astype(bool)
    if mask is not None:
        keep &= mask[rows]
    rows = rows[keep]
    located = (prepared.flags[rows] & LOCATED).astype(bool)
    step = {"d0": d0, "d1": d1, "mask": bits, "selection": mask_url, "player": player_days}
    return View(window=window, rows=rows[located], unlocated=rows[~located], step=step)


NOTES_IN_TABLE = 120  # characters; the details below the map show the whole text


def table_page(prepared: Prepared, rows: np.ndarray, *, limit: int) -> pd.DataFrame:
    """The first `limit` of `rows` (date order), read from the on-disk store by row index.

    Notes are cut to NOTES_IN_TABLE characters (marked with "…"): every slider step sends the
    page again, and whole notes would make it several times larger.
    """
    taken = prepared.table.select(list(TABLE_COLUMNS)).take(pa.array(rows[:limit]))
    page = taken.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    notes = page["notes"].astype("string")
    long = notes.str.len() > NOTES_IN_TABLE
    page["notes"] = notes.where(~long, notes.str.slice(0, NOTES_IN_TABLE - 1) + "…")
    # Text not given shows as an empty cell, not as "None".
    text = [c for c in page.columns if pd.api.types.is_string_dtype(page[c])]
    page[text] = page[text].fillna("")
    return page


def focus_window(prepared: Prepared, share: float = 0.9) -> tuple[dt.date, dt.date] | None:
    """The shortest stretch of days where `share` of the dated events start, when it is less
    than half of all the dates; else None. Why: the first view should show where the events
    are, not the empty months one stray event stretches the dates over."""
    dated = prepared.start < UNDATED
    days, ends = prepared.start[dated], prepared.end[dated]  # sorted by start (see prepare)
    n = len(days)
    if n < 5:
        return None
    k = int(np.ceil(share * n))
    widths = days[k - 1 :].astype(np.int64) - days[: n - k + 1]
    first = int(np.argmin(widths))
    start, end = int(days[first]), int(ends[first : first + k].max())
    whole = int(ends.max()) - int(days[0])
    if end - start >= whole / 2:
        return None
    return prepared.date(start), prepared.date(end)


def flag_summary(prepared: Prepared) -> tuple[int, list[tuple[str, int]]]:
    """(how many events carry flags, and the count of each kind of flag, most first)."""
    flags = prepared.table.column("flags")
    return len(flags) - flags.null_count, flag_counts(flags).most_common()


def details(prepared: Prepared, row: int) -> dict[str, Any]:
    """One event's fields (for mapview.popup_html), its sources parsed."""
    record = prepared.table.slice(row, 1).to_pylist()[0]
    try:
        record["sources"] = json.loads(record.get("sources") or "[]")
    except ValueError:
        record["sources"] = []
    return record


def picked_row(prepared: Prepared, clicked: dict | None, name: str = "events") -> int | None:
    """The row the map reported ("events:<row>" in streamlit-folium's tooltip), if valid."""
    text = (clicked or {}).get("last_object_clicked_tooltip") or ""
    prefix = f"{name}:"
    if not text.startswith(prefix) or not text[len(prefix) :].isdigit():
        return None
    row = int(text[len(prefix) :])
    return row if 0 <= row < prepared.n else None


def bounds(prepared: Prepared) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The located events' extent, padded a degree so one event is not shown at street level."""
    located = (prepared.flags & LOCATED).astype(bool)
    if not located.any():
        return None
    lat, lon = prepared.lat[located], prepared.lon[located]
    pad = 1.0
    return (
        (max(-85.0, float(lat.min()) - pad), max(-180.0, float(lon.min()) - pad)),
        (min(85.0, float(lat.max()) + pad), min(180.0, float(lon.max()) + pad)),
    )


def actors(prepared: Prepared, *, limit: int = 5000) -> list[str]:
    """The actor names for the filter, most frequent first (at most `limit`), then sorted."""
    names = pa.chunked_array(
        [*prepared.table["actor1"].chunks, *prepared.table["actor2"].chunks]
    ).drop_null()
    counts = pc.value_counts(names)
    if not len(counts):
        return []
    values = counts.field("values").to_pylist()
    order = np.argsort(-counts.field("counts").to_numpy(), kind="stable")[:limit]
    return sorted(values[i] for i in order)


def timeline_data(prepared: Prepared) -> timeline.Timeline:
    """The timeline's counts for the whole dataset (its dated events), made once."""
    dated = prepared.start < UNDATED
    return timeline.aggregate(
        prepared.start[dated],
        prepared.end[dated],
        prepared.type_code[dated],
        (prepared.flags[dated] & HOLLOW) == 0,
        origin=prepared.origin,
        type_names=TYPE_NAMES,
    )


def download(prepared: Prepared, rows: np.ndarray, kind: str, *, chunk: int = 65536) -> BinaryIO:
    """The events at `rows`, written by the streaming writer into a temporary file, returned
    open for reading (its name already gone): one copy of the file, on disk, not in memory."""
    batches = (
        batch
        for k in range(0, len(rows), chunk)
        for batch in prepared.table.take(pa.array(rows[k : k + chunk])).to_batches()
    )
    fd, name = tempfile.mkstemp(prefix="eventmap-", suffix=".download")
    try:
        with os.fdopen(fd, "wb") as out:
            write_batches(batches, out, kind=kind)
        return open(name, "rb")  # noqa: SIM115 (the caller reads and closes it)
    finally:
        os.unlink(name)


def undated(prepared: Prepared) -> int:
    """How many events have no date (kept, listed in the data, never in a window)."""
    return int((prepared.start >= UNDATED).sum())


def types_present(prepared: Prepared) -> list[str]:
    return [TYPE_NAMES[c] for c in np.unique(prepared.type_code)]
