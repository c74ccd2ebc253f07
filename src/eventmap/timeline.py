"""The timeline under the map: events per day, week or month stacked by type, ranged dates as
spans, the window shaded.

One row per event can be neither drawn (Altair refuses more than 5,000 rows) nor sent (the
chart's data goes to the browser again on every slider step), so `aggregate` reduces the
events to a few thousand counts once per dataset, with numpy and no loop over events, and
`chart` draws those counts plus the window, the one tiny part that moves with the slider.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

Unit = Literal["day", "week", "month", "year"]
UNITS: tuple[Unit, ...] = ("day", "week", "month", "year")
# The finest unit with at most MAX_BINS bins (no bars thinner than ~1 px on a wide page) and
# at most MAX_BAR_ROWS (bin, type) pairs (the bytes sent): days up to two years (714 days
# with 7 types), weeks up to 14 years, months up to 61; years only past that, so the rows
# stay bounded whatever the data.
MAX_BINS = 731
MAX_BAR_ROWS = 5_000
# Ranged events are counted per (first bin, last bin, type); past this many rows, runs of 2,
# 4, 8... bins are merged, so their share of the data stays small too.
MAX_SPAN_ROWS = 1_000
OTHER_COLOUR = "#7f7f7f"
WINDOW_COLOUR = "#4c78a8"
_EPOCH = dt.date(1970, 1, 1)
_DENSE_KEYS = 1 << 22  # up to this many possible keys a bincount (32 MB) beats a sort
_TOOLTIP_FORMAT = {"day": "%a %d %b %Y", "week": "week of %d %b %Y", "month": "%B %Y", "year": "%Y"}


@dataclass(frozen=True)
class Timeline:
    """The events reduced to what the chart draws (a few thousand rows at any number of events).

    bars: day-precision events, columns start (first day of the bin), event_type, count; only
    non-empty (bin, type) pairs. spans: ranged events, columns start, stop (the day after the
    last), event_type, count. types: the types present, in the given order. span: the first and
    last day of all events (None when there are none).
    """

    unit: Unit
    bars: pd.DataFrame
    spans: pd.DataFrame
    types: tuple[str, ...]
    span: tuple[dt.date, dt.date] | None

    @property
    def total(self) -> int:
        """How many events the timeline counts (each once, as a bar or in a span)."""
        return int(self.bars["count"].sum() + self.spans["count"].sum())


def aggregate(
    start_day: np.ndarray,
    end_day: np.ndarray,
    type_code: np.ndarray,
    day_known: np.ndarray,
    *,
    origin: dt.date,
    type_names: Sequence[str],
) -> Timeline:
    """Count the events per (bin, type), and the ranged ones per (first bin, last bin, type).

    start_day/end_day are days since `origin` (end inclusive), type_code indexes type_names,
    day_known is False for events dated only to a week or month. About 10 ms at a million
    events: the events go through one bincount (and the ranged ones a second), the calendar
    arithmetic runs once per day of the span, the rest on the counts.
    """
    start, end = np.asarray(start_day), np.asarray(end_day)
    code, known = np.asarray(type_code), np.asarray(day_known, dtype=bool)
    if not len(start) == len(end) == len(code) == len(known):
        raise ValueError("start_day, end_day, type_code and day_known differ in length")
    if not len(start):
        return Timeline(
            "day", _bars_frame([], [], [], ()), _spans_frame([], [], [], [], ()), (), None
        )
    n_types = len(type_names)
    if code.min() < 0 or code.max() >= n_types:
        raise ValueError(f"type_code outside 0..{n_types - 1}")
    lo, hi = int(start.min()), int(max(start.max(), end.max()))
    n_days = hi - lo + 1

    # Counts per (day, type, day known) first: the one pass over the events; in place, so
    # each step is one sweep of a million ints and no new array. The rest works on these.
    key = np.subtract(start, lo, dtype=np.int32 if 2 * n_days * n_types < 2**31 else np.int64)
    key *= n_types
    key += code
    key <<= 1
    key |= known
    found, day_counts = _count(key, 2 * n_days * n_types)
    day, day_type = np.divmod(found >> 1, n_types)
    present = np.zeros(n_types, dtype=bool)
    present[day_type] = True
    types = tuple(name for name, seen in zip(type_names, present, strict=True) if seen)
    type_index = np.cumsum(present) - 1  # type code -> position in `types`

    shift = (origin - _EPOCH).days
    unit = next(
        u
        for u in UNITS
        if _bin_count(lo + shift, hi + shift, u) <= min(MAX_BINS, MAX_BAR_ROWS // len(types))
        or u == "year"
    )
    numbers = _bin_numbers(np.arange(lo + shift, hi + shift + 1, dtype=np.int64), unit)
    lookup = numbers - numbers[0]  # day - lo -> bin
    n_bins = int(lookup[-1]) + 1
    edges = _bin_starts(np.arange(numbers[0], numbers[-1] + 2), unit)  # bin i is [i, i + 1)

    bar = (found & 1).astype(bool)
    keys, counts = _count(
        lookup[day[bar]] * n_types + day_type[bar], n_bins * n_types, day_counts[bar]
    )
    bar_bin, bar_type = np.divmod(keys, n_types)
    bars = _bars_frame(edges[bar_bin], type_index[bar_type], counts, types)

    ranged = np.flatnonzero(~known)
    first = lookup[start[ranged] - lo]
    last = lookup[np.maximum(end[ranged], start[ranged]) - lo]
    first, last, span_type, counts = _merge_spans(first, last, code[ranged], None, n_types, 1)
    step, merged = 1, (first, last, span_type, counts)
    while len(merged[3]) > MAX_SPAN_ROWS:
        step *= 2
        merged = _merge_spans(first, last, span_type, counts, n_types, step)
    first, last, span_type, counts = merged
    spans = _spans_frame(
        edges[first], edges[np.minimum(last, n_bins - 1) + 1], type_index[span_type], counts, types
    )
    span = (origin + dt.timedelta(days=lo), origin + dt.timedelta(days=hi))
    return Timeline(unit, bars, spans, types, span)


AXIS_WIDTH = 48  # px: the y axes of the chart and of the window strip, so their x axes align


def _x_scale(timeline: Timeline) -> alt.Scale:
    """The same days across the chart and the window strip: the data's whole span."""
    if timeline.span is None:
        return alt.Scale()
    first, last = timeline.span
    stop = last + dt.timedelta(days=1)
    return alt.Scale(
        domain=[alt.DateTime(year=d.year, month=d.month, date=d.day) for d in (first, stop)]
    )


def _y_axis(**options) -> alt.Axis:
    return alt.Axis(minExtent=AXIS_WIDTH, maxExtent=AXIS_WIDTH, title=None, **options)


def chart(timeline: Timeline, *, colours: Mapping[str, str], height: int = 150) -> alt.LayerChart:
    """The timeline as an Altair chart, for `st.altair_chart(chart, width="stretch")`.

    It depends on the dataset only, so Streamlit sends it once and, on each slider step, only
    a reference to it; the window is drawn by `window_strip` under it. Bars are as wide as
    their bin (the stop is computed in the browser, which keeps one date column off the
    wire); ranged events are thin dashed rules near zero, so none reads as a known day, their
    count in the tooltip.
    """
    types = list(timeline.types)
    colour = alt.Color(
        "event_type:N",
        title=None,
        sort=types,
        scale=alt.Scale(domain=types, range=[colours.get(t, OTHER_COLOUR) for t in types]),
        legend=None,  # the map's legend gives the same colours
    )
    unit, fmt = timeline.unit, _TOOLTIP_FORMAT[timeline.unit]
    x = alt.X("start:T", title=None, scale=_x_scale(timeline))
    # Explicit x/x2 and y/y2: with a ranged x alone Vega-Lite draws no stacked bars.
    bars = (
        alt.Chart(timeline.bars)
        .transform_calculate(
            stop=f"timeOffset('{unit}', toDate(datum.start), 1)",
            order=f"indexof({json.dumps(types)}, datum.event_type)",
        )
        .transform_stack(
            stack="count", groupby=["start"], sort=[alt.SortField("order")], as_=["low", "high"]
        )
        .mark_bar()
        .encode(
            x=x,
            x2="stop:T",
            y=alt.Y("high:Q", axis=_y_axis(tickMinStep=1)),
            y2="low:Q",
            color=colour,
            tooltip=[
                alt.Tooltip("start:T", title=unit, format=fmt),
                alt.Tooltip("event_type:N", title="type"),
                alt.Tooltip("count:Q", title="events"),
            ],
        )
    )
    spans = (
        alt.Chart(timeline.spans)
        .transform_calculate(last="timeOffset('day', toDate(datum.stop), -1)")
        .mark_rule(strokeWidth=4, opacity=0.5, strokeDash=[4, 2])
        .encode(
            x="start:T",
            x2="stop:T",
            y=alt.datum(0.2),
            color=colour,
            tooltip=[
                alt.Tooltip("event_type:N", title="type"),
                alt.Tooltip("start:T", title="from", format="%d %b %Y"),
                alt.Tooltip("last:T", title="to", format="%d %b %Y"),
                alt.Tooltip("count:Q", title="events dated only to a week or month"),
            ],
        )
    )
    return alt.layer(bars, spans).properties(height=height)


def window_html(timeline: Timeline, window: tuple[dt.date, dt.date], *, height: int = 18) -> str:
    """The shown window [start, end] (whole days) as a strip under the chart, on the chart's
    days and as far in from the left as its axis: the only part of the timeline a slider step
    changes. Plain HTML of our own numbers and dates (no data text): a browser draws it at
    once, where a chart would be compiled again at every step."""
    if timeline.span is None:
        left, width = 0.0, 100.0
    else:
        first, last = timeline.span
        days = (last - first).days + 1
        start = min(max((window[0] - first).days, 0), days)
        stop = min(max((window[1] - first).days + 1, start), days)
        left, width = 100.0 * start / days, 100.0 * (stop - start) / days
    until = window[1] + dt.timedelta(days=1)
    return (
        f'<div class="eventmap-window" title="from {window[0].isoformat()} until '
        f'{until.isoformat()}" style="position:relative;height:{height}px;'
        f'margin:0 1px 0 {1 + AXIS_WIDTH}px;background:#e8ecf1">'
        f'<div style="position:absolute;top:0;bottom:0;left:{left:.4f}%;width:{width:.4f}%;'
        f'min-width:2px;background:{WINDOW_COLOUR};opacity:0.7"></div></div>'
    )


def chart_spec(
    timeline: Timeline, *, colours: Mapping[str, str], height: int = 150
) -> dict[str, Any]:
    """`chart`'s Vega-Lite spec, made once per dataset (Altair takes about 30 ms a spec), its
    data as Arrow tables: Streamlit sends those as they are (as it sends st.altair_chart's
    DataFrames), not as the longer JSON rows Altair writes."""
    layered = chart(timeline, colours=colours, height=height)
    spec = layered.to_dict()
    names = [layer.get("data", spec.get("data", {})).get("name") for layer in spec["layer"]]
    # As Arrow tables: Streamlit writes a table's bytes at once, where a DataFrame is
    # converted again at every slider step.
    tables = [pa.Table.from_pandas(layer.data, preserve_index=False) for layer in layered.layer]
    spec["datasets"] = {name: table for name, table in zip(names, tables, strict=True)}
    return spec


def _bin_numbers(days: np.ndarray, unit: Unit) -> np.ndarray:
    """Calendar bin numbers of days since 1970-01-01 (weeks start on Monday)."""
    if unit == "day":
        return days
    if unit == "week":
        return (days + 3) // 7  # 1970-01-01 was a Thursday
    return days.astype("datetime64[D]").astype(f"datetime64[{unit[0].upper()}]").astype(np.int64)


def _bin_count(lo: int, hi: int, unit: Unit) -> int:
    """How many bins of `unit` the days lo..hi (since the epoch) touch."""
    first, last = _bin_numbers(np.array([lo, hi], dtype=np.int64), unit)
    return int(last - first) + 1


def _bin_starts(numbers: np.ndarray, unit: Unit) -> np.ndarray:
    """The first day of each bin number, as datetime64[D]."""
    if unit == "day":
        return numbers.astype("datetime64[D]")
    if unit == "week":
        return (numbers * 7 - 3).astype("datetime64[D]")
    return numbers.astype(f"datetime64[{unit[0].upper()}]").astype("datetime64[D]")


def _count(
    keys: np.ndarray, size: int, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys (ascending) and their counts: a bincount when the key space is small,
    a sort otherwise."""
    if size <= _DENSE_KEYS:
        counts = np.bincount(keys, weights=weights, minlength=size)
        found = np.flatnonzero(counts)
        return found, counts[found].astype(np.int64)
    found, inverse = np.unique(keys, return_inverse=True)
    return found, np.bincount(inverse, weights=weights).astype(np.int64)


def _merge_spans(
    first: np.ndarray,
    last: np.ndarray,
    code: np.ndarray,
    weights: np.ndarray | None,
    n_types: int,
    step: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Count spans per (first bin, last bin, type) with bins grouped `step` at a time; the
    key holds the length, not the last bin, to keep its space small."""
    if not len(first):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    group = first // step if step > 1 else first
    length = (last // step if step > 1 else last) - group
    width = int(length.max()) + 1
    size = (int(group.max()) + 1) * width * n_types
    keys, counts = _count((group * width + length) * n_types + code, size, weights)
    group, rest = np.divmod(keys, width * n_types)
    length, code = np.divmod(rest, n_types)
    return group * step, (group + length + 1) * step - 1, code, counts


def _bars_frame(
    start: npt.ArrayLike, type_pos: npt.ArrayLike, counts: npt.ArrayLike, types: tuple[str, ...]
) -> pd.DataFrame:
    """Bars: one date column only (the chart computes each bar's end), 13 bytes a row."""
    return pd.DataFrame(
        {
            "start": np.asarray(start, dtype="datetime64[ms]"),
            "event_type": _types(type_pos, types),
            "count": np.asarray(counts, dtype=np.int32),
        }
    )


def _spans_frame(
    start: npt.ArrayLike,
    stop: npt.ArrayLike,
    type_pos: npt.ArrayLike,
    counts: npt.ArrayLike,
    types: tuple[str, ...],
) -> pd.DataFrame:
    """Spans: as bars, with the day after each span's last."""
    return pd.DataFrame(
        {
            "start": np.asarray(start, dtype="datetime64[ms]"),
            "stop": np.asarray(stop, dtype="datetime64[ms]"),
            "event_type": _types(type_pos, types),
            "count": np.asarray(counts, dtype=np.int32),
        }
    )


def _types(type_pos: npt.ArrayLike, types: tuple[str, ...]) -> pd.Categorical:
    """Positions in `types` as a categorical: Arrow sends it as a dictionary, a byte a row."""
    dtype = pd.CategoricalDtype(list(types))
    return pd.Categorical.from_codes(
        np.asarray(type_pos, dtype=np.int64), dtype=dtype, validate=False
    )
