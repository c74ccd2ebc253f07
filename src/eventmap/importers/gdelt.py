"""GDELT 1.0 (57 or 58 fields) and 2.0 (61 fields) event exports, mixed in one file if need
be, as eventmap's columns. Fields are taken by position (GDELT codebooks).

- `GLOBALEVENTID` is the source id; `SQLDATE` (YYYYMMDD) the day.
- The CAMEO code maps through codes.cameo_type (CAMEO_ROOTS, CAMEO_CODES). A root with no
  ACLED type (statements, appeals, consultations...) is skipped with that reason: GDELT codes
  every news report, most of them not events an event map shows (`--keep-unmapped` keeps
  them, untyped and flagged).
- The place is the ActionGeo block; its `Geo_Type` gives the precision (country and state
  centroids flagged), and a row without coordinates is kept without a point.
- `sources` cites `SOURCEURL`; the codes, tone and counts are kept in `source_fields`.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from .codes import cameo_type, gdelt_geo_precision
from .detect import GDELT_FIELDS
from .read import Raw
from .rows import Rows, json_column, sources_column

DATASET = "gdelt"
# name -> (GDELT 2.0 position, GDELT 1.0 position)
FIELDS = {
    "GLOBALEVENTID": (0, 0),
    "SQLDATE": (1, 1),
    "Actor1Code": (5, 5),
    "Actor1Name": (6, 6),
    "Actor1CountryCode": (7, 7),
    "Actor2Code": (15, 15),
    "Actor2Name": (16, 16),
    "Actor2CountryCode": (17, 17),
    "IsRootEvent": (25, 25),
    "EventCode": (26, 26),
    "EventBaseCode": (27, 27),
    "EventRootCode": (28, 28),
    "QuadClass": (29, 29),
    "GoldsteinScale": (30, 30),
    "NumMentions": (31, 31),
    "NumSources": (32, 32),
    "NumArticles": (33, 33),
    "AvgTone": (34, 34),
    "ActionGeo_Type": (51, 49),
    "ActionGeo_FullName": (52, 50),
    "ActionGeo_CountryCode": (53, 51),
    "ActionGeo_ADM1Code": (54, 52),
    "ActionGeo_Lat": (56, 53),
    "ActionGeo_Long": (57, 54),
    "ActionGeo_FeatureID": (58, 55),
    "DATEADDED": (59, 56),
    "SOURCEURL": (60, 57),
}
KEPT = (
    "Actor1Code",
    "Actor1CountryCode",
    "Actor2Code",
    "Actor2CountryCode",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "ActionGeo_FeatureID",
    "DATEADDED",
)


def rows(raw: Raw, *, keep_unmapped: bool = False) -> Rows:
    """The file's rows as eventmap's columns (see the module's docstring); `keep_unmapped`
    keeps the rows whose CAMEO code has no ACLED type, untyped and flagged, instead."""
    fields = raw.table.column("fields").combine_chunks()
    width = pc.list_value_length(fields)
    version2 = pc.equal(width, 61)
    g = {name: _field(fields, version2, *where) for name, where in FIELDS.items()}
    r = Rows(pa.table(g))
    c = r.columns
    known = pc.is_in(width, value_set=pa.array(list(GDELT_FIELDS), width.type))
    r.skip(
        pc.invert(known),
        pc.binary_join_element_wise(
            pc.cast(width, pa.string()),
            " fields: not a GDELT 1.0 (57 or 58 fields) or 2.0 (61 fields) row",
            "",
        ).to_pylist(),
    )
    c["source_event_id"] = g["GLOBALEVENTID"]
    c["source_dataset"] = pa.array([DATASET] * r.n, pa.string())
    day = pc.strptime(g["SQLDATE"], format="%Y%m%d", unit="s", error_is_null=True)
    day = pc.cast(day, pa.date32())
    real = pc.equal(pc.strftime(day, format="%Y%m%d"), g["SQLDATE"])
    bad = pc.invert(pc.fill_null(real, False))
    r.skip(pc.is_null(g["SQLDATE"]), "no date at all")
    reasons = pc.binary_join_element_wise("SQLDATE '", g["SQLDATE"], "' is not a real date", "")
    r.skip(bad, reasons.to_pylist())
    c["event_date"] = c["date_end"] = pc.if_else(bad, None, day)
    c["time_precision"] = pa.array([1] * r.n, pa.int8())
    event_type, sub_type, flag = r.per_distinct(
        lambda code, root: tuple(cameo_type(code or "", root_code=root)),
        g["EventCode"],
        g["EventRootCode"],
    )
    if keep_unmapped:
        r.flag(pc.is_null(event_type), pc.binary_join_element_wise(flag, ": kept untyped", ""))
    else:
        r.skip(pc.is_null(event_type), flag.to_pylist())
    c["event_type"], c["sub_event_type"] = event_type, sub_type
    c["original_type"] = pc.binary_join_element_wise("CAMEO ", g["EventCode"], "")
    c["actor1"], c["actor2"] = g["Actor1Name"], g["Actor2Name"]
    c["location"] = g["ActionGeo_FullName"]
    c["country"] = g["ActionGeo_CountryCode"]  # FIPS 10-4, as GDELT writes it
    c["admin1"] = g["ActionGeo_ADM1Code"]
    c["latitude"], c["longitude"] = g["ActionGeo_Lat"], g["ActionGeo_Long"]
    code, flag = r.per_distinct(lambda v: tuple(gdelt_geo_precision(v)), g["ActionGeo_Type"])
    c["geo_precision"] = code
    r.flag(pc.is_valid(flag), flag)
    c["sources"] = sources_column(g["SOURCEURL"], None, r.n)
    c["source_fields"] = json_column({name: g[name] for name in KEPT})
    r.used.update(g)  # every field picked is accounted for above
    return r


def _field(fields: pa.Array, version2: pa.Array, v2: int, v1: int) -> pa.Array:
    """Field `v2` of GDELT 2.0 rows, `v1` of 1.0 rows: text, null when empty or absent."""
    picked = pc.if_else(version2, _at(fields, v2), _at(fields, v1))
    return pc.if_else(pc.equal(picked, ""), None, picked)


def _at(fields: pa.Array, i: int) -> pa.Array:
    one = pc.list_slice(fields, i, i + 1, return_fixed_size_list=True)
    return one.flatten()
