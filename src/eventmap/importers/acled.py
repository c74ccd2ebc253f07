"""ACLED exports (current, pre-2023, legacy UPPERCASE, monadic, API dumps with reordered
columns) as eventmap's columns. Names are found in any case and order.

- `event_id_cnty` is the source id (else `event_id_no_cnty`, else `data_id`).
- Types map through codes.acled_type (legacy types flagged with the old name; the original
  type is kept in `original_type`).
- Dates are settled for the whole file, day-first unless the file says otherwise; the `year`
  column settles two-digit years. ACLED's own `time_precision` and `geo_precision` are kept.
- `sources` cites ACLED's `source` with the `notes` as the quote.
- Monadic files: the two rows of one event (same id, date, place and type) become one event
  with both actors; the second row is accounted for as merged into the first.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .codes import acled_type
from .read import Raw
from .rows import Rows, coalesce, sources_column

DATASET = "acled"
MERGED = "merged with the other actor row of the same event (monadic file)"


def rows(raw: Raw) -> Rows:
    """The file's rows as eventmap's columns (see the module's docstring)."""
    r = Rows(raw.table)
    c = r.columns
    c["source_event_id"] = r.get("event_id_cnty") or r.get("event_id_no_cnty", "data_id")
    c["source_dataset"] = pa.array([DATASET] * r.n, pa.string())
    years = r.get("year")
    precision = r.dates(r.get("event_date"), years=years)
    c["time_precision"] = coalesce(r.numbers(r.get("time_precision")), precision)
    event_type, sub_type = r.get("event_type"), r.get("sub_event_type")
    inter1, inter2 = r.get("inter1", use=False), r.get("inter2", use=False)
    mapped, mapped_sub, flag = r.per_distinct(
        lambda t, s, i1, i2: tuple(acled_type(t, s, inter1=i1, inter2=i2)),
        event_type,
        sub_type,
        inter1,
        inter2,
    )
    c["event_type"], c["sub_event_type"] = mapped, mapped_sub
    r.flag(pc.is_valid(flag), flag)
    c["original_type"] = _original(event_type, sub_type)
    c["actor1"], c["actor2"] = r.get("actor1"), r.get("actor2")
    c["location"] = r.get("location")
    c["latitude"] = r.numbers(r.get("latitude"))
    c["longitude"] = r.numbers(r.get("longitude"))
    c["geo_precision"] = r.numbers(r.get("geo_precision"))
    for name in ("country", "admin1", "admin2", "admin3"):
        c[name] = r.get(name)
    c["iso"] = r.get("iso3", "iso")
    notes = r.get("notes")
    c["notes"] = notes
    c["fatalities"], c["fatalities_low"], c["fatalities_high"] = r.counts(r.get("fatalities"))
    c["sources"] = sources_column(r.get("source"), notes, r.n)
    _merge_monadic(r, raw.record_numbers())
    return r


def _original(event_type: pa.Array | None, sub_type: pa.Array | None) -> pa.Array | None:
    if event_type is None:
        return None
    if sub_type is None:
        return event_type
    both = pc.binary_join_element_wise(event_type, sub_type, " / ")
    return pc.coalesce(both, event_type)


def _merge_monadic(r: Rows, numbers: np.ndarray) -> None:
    """Pairs of rows with the same id, date, place and type are one event seen from each
    actor: the first row takes the second's actor1 as its actor2 and the second is skipped
    as merged. Other repeated ids are left for `finish` to keep apart under suffixed ids."""
    ids = r.columns.get("source_event_id")
    if (
        ids is None
        or pc.count_distinct(ids, mode="only_valid").as_py() == len(ids) - ids.null_count
    ):
        return
    order = pc.sort_indices(
        pa.table({"id": ids, "row": pa.array(np.arange(r.n))}),
        [("id", "ascending"), ("row", "ascending")],
    ).to_numpy()
    key_parts = [r.columns.get(n) for n in ("event_date", "latitude", "longitude", "event_type")]
    key_parts = [pc.cast(p, pa.string()) for p in key_parts if p is not None]
    same_event = pc.binary_join_element_wise(*key_parts, "|") if key_parts else None
    sorted_ids = ids.take(order).to_numpy(zero_copy_only=False)
    equal_next = np.zeros(r.n, dtype=bool)
    equal_next[:-1] = (sorted_ids[:-1] == sorted_ids[1:]) & (sorted_ids[:-1] != None)  # noqa: E711
    # exactly two rows: equal to the next, and neither the one before nor the one after
    before = np.concatenate([[False], equal_next[:-1]])
    after = np.concatenate([equal_next[1:], [False]])
    pair_first = equal_next & ~before & ~after
    if same_event is not None:
        keys = pc.fill_null(same_event, "").take(order).to_numpy(zero_copy_only=False)
        pair_first[:-1] &= keys[:-1] == keys[1:]
    firsts = order[pair_first]
    seconds = order[np.flatnonzero(pair_first) + 1]
    if not len(firsts):
        return
    keep = np.zeros(r.n, dtype=bool)
    keep[firsts] = True
    other_actor = np.full(r.n, None, dtype=object)
    actor1 = r.columns.get("actor1")
    if actor1 is not None:
        other_actor[firsts] = actor1.take(pa.array(seconds)).to_numpy(zero_copy_only=False)
    actor2 = r.columns.get("actor2")
    other = pa.array(other_actor, pa.string())
    r.columns["actor2"] = pc.coalesce(actor2, other) if actor2 is not None else other
    r.flag(keep, MERGED)
    reasons = np.full(r.n, None, dtype=object)
    skip = np.zeros(r.n, dtype=bool)
    skip[seconds] = True
    # the record quoted, so that the summary counts these as one reason (validate.flag_kind)
    reasons[seconds] = [
        f"the other actor row of the event in record '{numbers[k]}': merged into it" for k in firsts
    ]
    r.skip(skip, reasons)
