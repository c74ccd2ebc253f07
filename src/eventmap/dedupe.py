"""One event, several sources: link the events that more than one dataset (or file) reports.

Two events are the same event when, as in xSub's rule, they come from different datasets and
- are of the same event type,
- are at most `days` days apart (first days) and at most `km` kilometres apart,
- have compatible actors: one of them names none, or their names share a word that is not
  a generic one ("forces", "military", "unidentified"...).
Linked events form groups (a link of links is one group). Each group keeps every row: its
primary (the most precise place, then date, then the first dataset by name) gains the others'
sources, each marked with the event it came from, and the others name the primary in
`duplicate_of`, so the map shows the event once and its popup lists every source. `undo`
takes the links out again: the rows come back exactly as they were.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from .validate import sources_list

EARTH_KM = 6371.0088
LINKED = "linked_event"  # the key marking a source that a linked event brought
GENERIC_WORDS = frozenset(
    {
        *("of", "the", "and", "forces", "force", "military", "militia", "militias"),
        *("group", "groups", "unidentified", "unknown", "armed", "gunmen", "men"),
        *("government", "police", "army", "civilians", "civilian", "protesters"),
        *("rioters", "state", "national", "people", "other"),
    }
)


@dataclass(frozen=True)
class Links:
    """Groups of rows (indices into the table), each sorted with its primary first."""

    groups: list[list[int]]

    @property
    def folded(self) -> int:
        return sum(len(g) - 1 for g in self.groups)


def find_links(table: pa.Table, *, days: int = 1, km: float = 5.0) -> Links:
    """The groups of rows that are one event reported by several datasets (see the module)."""
    if days < 0 or km < 0:
        raise ValueError("days and km must be >= 0")
    lat = table["latitude"].to_numpy(zero_copy_only=False).astype("float64")
    lon = table["longitude"].to_numpy(zero_copy_only=False).astype("float64")
    start = table["event_date"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    usable = np.isfinite(lat) & np.isfinite(lon) & ~np.isnat(start)
    types = pc.fill_null(table["event_type"], "").to_numpy(zero_copy_only=False)
    usable &= types != ""
    datasets = _datasets(table)
    rows = np.flatnonzero(usable)
    if len(rows) < 2:
        return Links([])
    a, b = _near_pairs(rows, lat, lon, start.astype("int64"), types, km, days)
    keep = datasets[a] != datasets[b]
    a, b = a[keep], b[keep]
    distance = _km(lat[a], lon[a], lat[b], lon[b])
    keep = distance <= km
    a, b, distance = a[keep], b[keep], distance[keep]
    closest = np.argsort(distance, kind="stable")  # the nearest pairs link first
    a, b = a[closest], b[closest]
    if len(a):
        words = _actor_words(table, np.unique(np.concatenate([a, b])))
        keep = np.array([_compatible(words[i], words[j]) for i, j in zip(a, b, strict=True)])
        a, b = a[keep], b[keep]
    return Links(_groups(table, a, b, datasets))


def _near_pairs(rows, lat, lon, day, types, km: float, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (a < b by row) of the same type, at most `days` apart and roughly `km` apart,
    found a (type, day) at a time: events of every date that share a point (a district's
    centroid) are never paired with each other wholesale."""
    order = rows[np.lexsort((day[rows], types[rows]))]
    key_type, key_day = types[order], day[order]
    firsts, seconds = [], []
    start = 0
    while start < len(order):
        stop = start + 1
        while (
            stop < len(order)
            and key_type[stop] == key_type[start]
            and key_day[stop] == key_day[start]
        ):
            stop += 1
        # this day's events, against those of the same type from this day to `days` later
        end = stop
        while (
            end < len(order)
            and key_type[end] == key_type[start]
            and key_day[end] - key_day[start] <= days
        ):
            end += 1
        here, window = order[start:stop], order[start:end]
        widest = float(np.max(np.abs(lat[window])))
        reach = km / 111.0 / max(np.cos(np.radians(min(widest, 89.0))), 0.01)
        tree = shapely.STRtree(shapely.points(lon[window], lat[window]))
        left, right = tree.query(
            shapely.points(lon[here], lat[here]), predicate="dwithin", distance=reach
        )
        a, b = here[left], window[right]
        same_day = right < len(here)
        keep = (a != b) & (~same_day | (a < b))
        firsts.append(np.minimum(a[keep], b[keep]))
        seconds.append(np.maximum(a[keep], b[keep]))
        start = stop
    if not firsts:
        return np.array([], dtype=int), np.array([], dtype=int)
    return np.concatenate(firsts), np.concatenate(seconds)


def link(table: pa.Table, links: Links) -> pa.Table:
    """`table` with each group folded into its primary (see the module); undone first, so
    linking twice gives the same table."""
    table = undo(table)
    if not links.groups:
        return table
    ids = table["event_id"].to_pylist()
    sources = table["sources"].to_pylist()
    duplicate_of: list[str | None] = [None] * table.num_rows
    for group in links.groups:
        primary, others = group[0], group[1:]
        like = sources[primary] or ""
        merged = sources_list(sources[primary])
        for other in others:
            duplicate_of[other] = ids[primary]
            merged += [{**s, LINKED: ids[other]} for s in sources_list(sources[other])] or [
                {"document": _describe(table, other), LINKED: ids[other]}
            ]
        sources[primary] = _dump(merged, like)
    table = table.set_column(
        table.schema.get_field_index("sources"), "sources", pa.array(sources, pa.string())
    )
    return table.set_column(
        table.schema.get_field_index("duplicate_of"),
        "duplicate_of",
        pa.array(duplicate_of, pa.string()),
    )


def undo(table: pa.Table) -> pa.Table:
    """`table` without links: the sources linked events brought taken out of their primary,
    `duplicate_of` emptied."""
    linked = pc.fill_null(pc.match_substring(table["sources"], f'"{LINKED}"'), False)
    if pc.any(linked).as_py():
        sources = table["sources"].to_pylist()
        for i in np.flatnonzero(linked.to_numpy(zero_copy_only=False)):
            own = [s for s in sources_list(sources[i]) if LINKED not in s]
            sources[i] = _dump(own, sources[i])
        table = table.set_column(
            table.schema.get_field_index("sources"), "sources", pa.array(sources, pa.string())
        )
    return table.set_column(
        table.schema.get_field_index("duplicate_of"),
        "duplicate_of",
        pa.nulls(table.num_rows, pa.string()),
    )


def _dump(items: list[dict], like: str) -> str:
    """JSON text of `items` written as `like` is (eventmap writes compact JSON, older files
    spaced), so that undoing a link gives back the very text it had."""
    spaced = '": ' in like
    return json.dumps(items, ensure_ascii=False, separators=(", ", ": ") if spaced else (",", ":"))


def _datasets(table: pa.Table) -> np.ndarray:
    """Which dataset or file each row came from (events without one: eventmap's own)."""
    names = pc.fill_null(table["source_dataset"], "eventmap")
    return names.to_numpy(zero_copy_only=False)


def _km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distances in km (haversine)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _actor_words(table: pa.Table, rows: np.ndarray) -> dict[int, frozenset[str]]:
    picked = pa.array(rows)
    one = table["actor1"].take(picked).to_pylist()
    two = table["actor2"].take(picked).to_pylist()
    return {
        int(i): frozenset(
            w
            for name in (x, y)
            if name
            for w in re.findall(r"[^\W\d_]+", name.casefold())
            if w not in GENERIC_WORDS and len(w) > 2
        )
        for i, x, y in zip(rows, one, two, strict=True)
    }


def _compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or bool(a & b)


def _groups(table: pa.Table, a: np.ndarray, b: np.ndarray, datasets: np.ndarray) -> list[list[int]]:
    """Linked rows as groups (union-find over the pairs, nearest first), never two rows of
    one dataset in a group: a dataset's two events are two events. Each group is ordered
    primary first: the most precise place, then date, then dataset name, then event id."""
    parent: dict[int, int] = {}
    held: dict[int, set[str]] = {}  # a group's root -> the datasets in it

    def root(i: int) -> int:
        while parent.get(i, i) != i:
            i = parent[i]
        return i

    for i, j in zip(a.tolist(), b.tolist(), strict=True):
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        di = held.get(ri, {str(datasets[ri])})
        dj = held.get(rj, {str(datasets[rj])})
        if di & dj:
            continue
        low, high = min(ri, rj), max(ri, rj)
        parent[high] = low
        held[low] = di | dj
        held.pop(high, None)
    members: dict[int, list[int]] = {}
    for i in set(parent) | set(parent.values()):
        members.setdefault(root(i), []).append(i)
    geo = pc.fill_null(table["geo_precision"], 9).to_numpy(zero_copy_only=False)
    time = pc.fill_null(table["time_precision"], 9).to_numpy(zero_copy_only=False)
    ids = table["event_id"].to_numpy(zero_copy_only=False)
    rank = lambda i: (geo[i], time[i], str(datasets[i]), str(ids[i]))  # noqa: E731
    groups = [sorted(g, key=rank) for g in members.values() if len(g) > 1]
    return sorted(groups, key=lambda g: str(ids[g[0]]))


def _describe(table: pa.Table, row: int) -> str:
    dataset = table["source_dataset"][row].as_py() or "eventmap"
    source_id = table["source_event_id"][row].as_py() or table["event_id"][row].as_py()
    return f"{dataset} {source_id}"
