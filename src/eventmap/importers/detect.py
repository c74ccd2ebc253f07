"""Which format a file is in, from its first lines: ACLED, UCDP GED, GDELT 1.0 or 2.0, or a
plain table. What `eventmap import --format auto` says it found, with the evidence.

ACLED and UCDP are recognised by the columns only they have (any case, any order, extra or
missing columns allowed: spreadsheets reorder and drop them); GDELT by a tab-separated row with
no header, a numeric event id, a YYYYMMDD date and 57, 58 or 61 fields.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from eventmap.model import COLUMNS

Format = Literal["acled", "ucdp", "gdelt1", "gdelt2", "table"]

# Columns only that format has (eventmap's own columns, which ACLED's names inspired, are not
# among them): enough of them, and the file is that format.
ACLED_MARKS = frozenset(
    {
        "event_id_cnty",
        "event_id_no_cnty",
        "inter1",
        "inter2",
        "interaction",
        "admin1",
        "admin2",
        "source_scale",
        "disorder_type",
        "civilian_targeting",
        "iso",
        "iso3",
        "assoc_actor_1",
        "ally_actor_1",
        "gwno",
        "data_id",
        "timestamp",
    }
)
UCDP_MARKS = frozenset(
    {
        "relid",
        "type_of_violence",
        "conflict_name",
        "dyad_name",
        "side_a",
        "side_b",
        "where_prec",
        "date_prec",
        "date_start",
        "deaths_a",
        "deaths_b",
        "deaths_civilians",
        "deaths_unknown",
        "best",
        "high",
        "low",
        "source_article",
        "where_coordinates",
        "event_clarity",
    }
)
MARKS_NEEDED = 3
# Columns that name the format's own events: one is enough (a user who trimmed an ACLED file to
# the columns they need still has ACLED's ids, and a plain table would lose them).
DECISIVE = frozenset({"event_id_cnty", "event_id_no_cnty", "relid", "type_of_violence"})
GDELT_FIELDS = {57: "gdelt1", 58: "gdelt1", 61: "gdelt2"}
_GDELT_ROW = re.compile(r"^\d+\t(19|20)\d{6}\t")


@dataclass(frozen=True)
class Detected:
    """The format, and why: the columns or the row shape that said so."""

    format: Format
    evidence: str


def detect(first_lines: Sequence[str]) -> Detected:
    """The format of a text file from its first lines (the header and a few rows)."""
    lines = [line.rstrip("\r\n") for line in first_lines if line.strip()]
    if not lines:
        return Detected("table", "empty: read as a plain table")
    first = lines[0].lstrip("\ufeff")
    if _GDELT_ROW.match(first):
        fields = first.count("\t") + 1
        if fields in GDELT_FIELDS:
            kind = GDELT_FIELDS[fields]
            return Detected(kind, f"tab-separated rows of {fields} fields, no header (GDELT)")
    return detect_columns(_header(first))


def detect_columns(columns: Sequence[str]) -> Detected:
    """The format of a table from its column names (CSV header, Excel sheet, Parquet schema)."""
    names = {_name(c) for c in columns} - set(COLUMNS)  # eventmap's own carry iso, admin1...
    acled, ucdp = sorted(names & ACLED_MARKS), sorted(names & UCDP_MARKS)
    acled_score, ucdp_score = _score(acled), _score(ucdp)
    if ucdp_score >= MARKS_NEEDED and ucdp_score >= acled_score:
        return Detected("ucdp", f"UCDP GED columns: {', '.join(ucdp[:6])}")
    if acled_score >= MARKS_NEEDED:
        return Detected("acled", f"ACLED columns: {', '.join(acled[:6])}")
    return Detected("table", "no ACLED, UCDP or GDELT layout: columns recognised by name")


def _score(marks: list[str]) -> int:
    """How many marks the columns give, a decisive column counting as enough by itself."""
    return len(marks) + (MARKS_NEEDED if DECISIVE.intersection(marks) else 0)


def _header(line: str) -> list[str]:
    for separator in ("\t", ",", ";"):
        if separator in line:
            return [part.strip().strip('"') for part in line.split(separator)]
    return [line.strip().strip('"')]


def _name(column: str) -> str:
    return column.strip().strip('"').lower()
