"""UCDP GED (CSV, Excel, Parquet; the Humanitarian Data Exchange copy with its row of HXL
hashtags) as eventmap's columns.

- `id` is the source id; `type_of_violence`, `where_prec` and `date_prec` map through the
  tables in codes (UCDP_VIOLENCE, UCDP_WHERE_PREC, UCDP_DATE_PREC).
- `date_start` to `date_end` is the event's range; `best` the fatalities, with `low` and
  `high` kept.
- side_a and side_b are the actors; `sources` cites `source_article` with the headline.
- A row whose cells are HXL hashtags (`#date+year`) is not an event: skipped as such.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from .codes import ucdp_geo_precision, ucdp_time_precision, ucdp_type
from .read import Raw
from .rows import Rows, coalesce, sources_column

DATASET = "ucdp"
VIOLENCE_NAMES = {1: "state-based", 2: "non-state", 3: "one-sided"}
HXL_ROW = "HXL tag row (hashtags naming the columns), not an event"


def rows(raw: Raw) -> Rows:
    """The file's rows as eventmap's columns (see the module's docstring)."""
    r = Rows(raw.table)
    c = r.columns
    _skip_hxl(r)
    c["source_event_id"] = r.get("id")
    c["source_dataset"] = pa.array([DATASET] * r.n, pa.string())
    r.dates(r.get("date_start"), ends=r.get("date_end"), years=r.get("year"), usual="month-first")
    date_prec = r.get("date_prec")
    if date_prec is not None:
        code, flag = r.per_distinct(lambda v: tuple(ucdp_time_precision(v)), date_prec)
        r.flag(pc.and_(pc.is_valid(flag), pc.is_valid(date_prec)), flag)
        c["time_precision"] = coalesce(pc.cast(code, pa.int8()), c.get("time_precision"))
    violence = r.get("type_of_violence")
    event_type, sub_type, flag = r.per_distinct(lambda v: tuple(ucdp_type(v)), violence)
    c["event_type"], c["sub_event_type"] = event_type, sub_type
    r.flag(pc.is_valid(flag), flag)
    if violence is not None:
        names = {str(k): f"UCDP type_of_violence {k} ({v})" for k, v in VIOLENCE_NAMES.items()}
        described = pc.take(
            pa.array(list(names.values())),
            pc.index_in(pc.utf8_trim_whitespace(violence), value_set=pa.array(list(names))),
        )
        c["original_type"] = pc.coalesce(
            described, pc.binary_join_element_wise("UCDP type_of_violence ", violence, "")
        )
    c["actor1"], c["actor2"] = r.get("side_a"), r.get("side_b")
    c["location"] = r.get("where_coordinates", "where_description")
    c["latitude"] = r.numbers(r.get("latitude"))
    c["longitude"] = r.numbers(r.get("longitude"))
    where = r.get("where_prec")
    if where is not None:
        code, flag = r.per_distinct(lambda v: tuple(ucdp_geo_precision(v)), where)
        r.flag(pc.and_(pc.is_valid(flag), pc.is_valid(where)), flag)
        c["geo_precision"] = code
    c["country"] = r.get("country")
    c["admin1"], c["admin2"] = r.get("adm_1"), r.get("adm_2")
    c["iso"] = r.get("country_iso", "iso")
    c["fatalities"], low, high = r.counts(r.get("best"))
    c["fatalities_low"] = coalesce(r.numbers(r.get("low")), low)
    c["fatalities_high"] = coalesce(r.numbers(r.get("high")), high)
    c["notes"] = None
    c["sources"] = sources_column(r.get("source_article"), r.get("source_headline"), r.n)
    return r


def _skip_hxl(r: Rows) -> None:
    """HDX copies put a row of hashtags under the header: every filled cell starts with #."""
    if not r.n or not r.raw.num_columns:
        return
    tagged = None
    filled = None
    for column in r.raw.columns[:8]:
        # empty cells as "" (not null): a null would make the row's and/or null, and not skipped
        values = pc.fill_null(pc.utf8_trim_whitespace(pc.cast(column, pa.string())), "")
        present = pc.and_(pc.is_valid(values), pc.not_equal(values, ""))
        hashed = pc.and_(present, pc.starts_with(values, "#"))
        unhashed = pc.and_(present, pc.invert(hashed))
        tagged = hashed if tagged is None else pc.or_(tagged, hashed)
        filled = unhashed if filled is None else pc.or_(filled, unhashed)
    r.skip(pc.and_(pc.fill_null(tagged, False), pc.invert(pc.fill_null(filled, False))), HXL_ROW)
