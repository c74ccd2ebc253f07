"""Dates as real event files write them, settled per file by evidence, never guessed silently.

Spreadsheets rewrite dates: `15 April 2022`, `2022-04-15`, `01-January-2015`, `9-May-20`,
`29/12/2015`, `31-12-19`, `1/1/16`, `2016/08/04` (meaning 8 April), Excel serial numbers such
as `41712`, `october-7-2023`. `settle` reads a whole column at once:

- Day/month order: a value with a first number above 12 says day-first for the whole file, one
  with a second number above 12 says month-first. Values that cannot tell are read in the order
  the file's evidence gives ("day/month order inferred from other rows of the file"); with no
  evidence, in the format's usual order, and flagged so.
- Two-digit years: the `year` column, when there is one, settles them ("two-digit year settled
  by the year column"); else a year up to next year's is 20YY, and the row is flagged.
- A month or a year alone is kept as the whole month or year, with time precision 3.
- A value that is not a date (`2020-02-30`, `yesterday`) is named, for the caller to skip with
  that reason: `reasons[i]`.

Each distinct text is parsed once, in Python; rows are assembled with numpy.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Order = Literal["day-first", "month-first"]

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)
EXCEL_SERIALS = (20_000, 80_000)  # 1954-10-03 to 2119-01-10: numbers read as Excel dates
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]*(?:Z|[+-]\d{2}:?\d{2})?)?$")
_NUMERIC = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")
_TOKENS = re.compile(r"[\s,./-]+")


@dataclass(frozen=True)
class Settled:
    """A column of dates, settled: first and last day (the same for a known day), the time
    precision (1 day, 3 month or year), a flag per row (or None), and for values that are not
    dates the reason (or None). `order` says how ambiguous numbers were read."""

    start: pa.Array
    end: pa.Array
    precision: pa.Array
    flags: pa.Array
    reasons: list[str | None]
    order: Order


@dataclass(frozen=True)
class _Parsed:
    """One distinct text: y, m, d as read (d None: a month; m None: a year), whether its year
    had two digits, and whether its day and month could be either way round (a, b as written)."""

    y: int | None = None
    m: int | None = None
    d: int | None = None
    two_digit: bool = False
    swappable: tuple[int, int] | None = None  # (first, second) number when order decides
    year_first: bool = False  # YYYY/MM/DD or YYYY/DD/MM: its own order, from its own evidence
    excel: bool = False
    reason: str | None = None


def settle(
    values: Sequence[str | None] | pa.Array,
    *,
    years: Sequence[int | None] | None = None,
    usual: Order = "day-first",
    this_year: int | None = None,
) -> Settled:
    """Read a column of date texts (see the module's docstring). `years` is the file's year
    column, if any; `usual` the order to read undecidable numbers in when the file gives no
    evidence (ACLED: day-first; TimeMap: month-first)."""
    texts = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    texts = pc.cast(texts, pa.string())
    distinct = pc.unique(texts).to_pylist()
    parsed = {text: _parse(text) for text in distinct if text is not None}
    order, evidence = _order(parsed.values(), usual)
    # Year first: YYYY/MM/DD unless the file's own such values say YYYY/DD/MM.
    # (For them "day-first" means the last number is the day, as swappable holds it first.)
    year_order = _order(parsed.values(), "day-first", year_first=True)

    # Everything that does not depend on the row, once per distinct text.
    table = _Distinct(distinct, parsed, {False: (order, evidence), True: year_order})
    k = pc.index_in(texts, value_set=pa.array(distinct, pa.string()))
    k = pc.fill_null(k, len(distinct)).to_numpy(zero_copy_only=False)  # a null: the last slot
    y, m, d = table.y[k], table.m[k], table.d[k]
    notes = [table.notes[k]]
    two = table.two_digit[k]
    if two.any():
        row_years = _years(years, len(k))
        y, century_notes = _centuries(y, two, row_years, this_year or dt.date.today().year)
        notes.append(century_notes)
    first, last, precision, unreal = _spans(y, m, d)
    reasons = table.reasons[k].astype(object)
    reasons[unreal & (reasons == None)] = "not a real date"  # noqa: E711 (numpy elementwise)
    known = reasons == None  # noqa: E711
    partial = known & (precision == 3)
    notes.append(
        np.where(
            partial,
            np.where(
                d < 0, np.where(m < 0, "only the year is given", "only the month is given"), ""
            ),
            "",
        )
    )
    flags = _joined_notes(notes, known)
    days = lambda a: pa.array(np.where(known, a, 0).astype("int32"), pa.date32(), mask=~known)  # noqa: E731
    return Settled(
        start=days(first),
        end=days(last),
        precision=pa.array(precision.astype("int8"), pa.int8(), mask=~known),
        flags=flags,
        reasons=_reasons(reasons, texts),
        order=order,
    )


class _Distinct:
    """Per distinct text (and one last slot for null): y, m, d (-1 where absent), whether the
    year had two digits, the notes that do not depend on the row, and the reason it is not a
    date (None when it is)."""

    def __init__(self, distinct, parsed, orders: dict[bool, tuple[Order, bool]]) -> None:
        n = len(distinct) + 1
        self.y = np.full(n, -1, dtype=np.int64)
        self.m = np.full(n, -1, dtype=np.int64)
        self.d = np.full(n, -1, dtype=np.int64)
        self.two_digit = np.zeros(n, dtype=bool)
        self.notes = np.full(n, "", dtype=object)
        self.reasons = np.full(n, "no date", dtype=object)
        for i, text in enumerate(distinct):
            item = parsed.get(text) if text is not None else None
            if item is None or item.reason:
                self.reasons[i] = item.reason if item else "no date"
                continue
            self.reasons[i] = None
            notes = []
            y, m, d = item.y, item.m, item.d
            if item.swappable is not None:
                first, second = item.swappable
                order, evidence = orders[item.year_first]
                if first > 12 >= second:  # the value says its order itself
                    order, evidence = "day-first", None
                elif second > 12 >= first:
                    order, evidence = "month-first", None
                m, d = (second, first) if order == "day-first" else (first, second)
                if first != second and evidence is not None:
                    notes.append(_order_note(order, evidence, year_first=item.year_first))
            if item.excel:
                notes.append(f"Excel serial date '{text}'")
            self.y[i], self.two_digit[i] = y, item.two_digit
            self.m[i] = -1 if m is None else m
            self.d[i] = -1 if d is None else d
            self.notes[i] = "; ".join(notes)


def _centuries(y, two, row_years, this_year: int):
    """Two-digit years made whole: by the row's year column when its last two digits agree,
    else 20YY up to next year and 19YY before; with the note that says which."""
    yy = np.where(two, y, 0)
    guessed = np.where(2000 + yy <= this_year + 1, 2000 + yy, 1900 + yy)
    settled = two & (row_years >= 0) & (row_years % 100 == yy)
    whole = np.where(settled, row_years, np.where(two, guessed, y))
    notes = np.full(len(y), "", dtype=object)
    notes[settled] = "two-digit year settled by the year column"
    plain = two & ~settled
    for i in np.flatnonzero(plain):  # rare: files with a year column that agrees are the rule
        said = f" (the year column says {row_years[i]})" if row_years[i] >= 0 else ""
        notes[i] = f"two-digit year '{yy[i]:02d}' read as {whole[i]}{said}"
    return whole, notes


def _spans(y, m, d):
    """First and last day (days since 1970), precision, and whether y-m-d is not a real date."""
    unreal = (y < 1) | (y > 9999) | (m > 12) | (m == 0) | (d == 0) | (d > 31)
    safe_y = np.where(unreal | (y < 0), 1970, y)
    month = np.where(m > 0, m, 1)
    month_start = ((safe_y - 1970) * 12 + month - 1).astype("datetime64[M]")
    next_month = month_start + 1
    length = (next_month.astype("datetime64[D]") - month_start.astype("datetime64[D]")).astype(int)
    unreal |= (d > length) & (d > 0)
    day_start = month_start.astype("datetime64[D]").astype(np.int64)
    year_start = (safe_y - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    year_end = ((safe_y - 1970) + 1).astype("datetime64[Y]").astype("datetime64[D]").astype(
        np.int64
    ) - 1
    first = np.where(m < 0, year_start, np.where(d < 0, day_start, day_start + d - 1))
    last = np.where(m < 0, year_end, np.where(d < 0, day_start + length - 1, first))
    precision = np.where((m < 0) | (d < 0), 3, 1)
    return first, last, precision, unreal


def _joined_notes(parts, known) -> pa.Array:
    out = parts[0].astype(object)
    for more in parts[1:]:
        more = np.asarray(more, dtype=object)
        both = (out != "") & (more != "")
        out = np.where(both, out + "; " + more, np.where(out != "", out, more))
    out = np.where(known & (out != ""), out, None)
    return pa.array(out, pa.string())


def _reasons(reasons: np.ndarray, texts: pa.Array) -> list[str | None]:
    """The reason per row, None for a date; only the rows that are not dates are looked at."""
    out: list[str | None] = [None] * len(reasons)
    bad = np.flatnonzero(reasons != None)  # noqa: E711 (numpy elementwise)
    for i, text in zip(bad, pc.take(texts, pa.array(bad, pa.int64())).to_pylist(), strict=True):
        out[i] = _named(reasons[i], text)
    return out


def _named(reason: str, text: str | None) -> str:
    """The reason a value is not a date, quoting it."""
    if reason.startswith("'") or text is None or reason == "no date":
        return reason
    return f"'{text.strip()}' is {reason}"


def _parse(text: str) -> _Parsed:
    raw = text.strip()
    if not raw:
        return _Parsed(reason="no date")
    if found := _ISO.match(raw):
        y, m, d = (int(g) for g in found.groups())
        return _Parsed(y=y, m=m, d=d)
    if re.fullmatch(r"\d{5}(\.0+)?", raw):
        serial = int(float(raw))
        if EXCEL_SERIALS[0] <= serial <= EXCEL_SERIALS[1]:
            day = EXCEL_EPOCH + dt.timedelta(days=serial)
            return _Parsed(y=day.year, m=day.month, d=day.day, excel=True)
    if re.fullmatch(r"\d{4}", raw):
        return _Parsed(y=int(raw))
    if found := _NUMERIC.match(raw):
        return _numeric(*found.groups(), raw)
    return _words(raw)


def _numeric(a: str, b: str, c: str, raw: str) -> _Parsed:
    if len(a) == 4:  # a year first: YYYY/MM/DD, or YYYY/DD/MM in files that went through Excel
        return _Parsed(y=int(a), swappable=(int(c), int(b)), year_first=True)
    if len(c) in (2, 4) and len(a) <= 2:
        return _Parsed(y=int(c), two_digit=len(c) == 2, swappable=(int(a), int(b)))
    return _Parsed(reason=f"'{raw}' is not a date")


def _words(raw: str) -> _Parsed:
    """A date with a month name: 15 April 2022, April 15, 2022, 01-January-2015, 9-May-20,
    october-7-2023, April 2022."""
    tokens = [t for t in _TOKENS.split(raw.lower()) if t]
    months = [i for i, t in enumerate(tokens) if t in MONTHS]
    numbers = [t for t in tokens if t.isdigit()]
    if len(months) != 1 or len(numbers) + 1 != len(tokens) or not 1 <= len(numbers) <= 2:
        return _Parsed(reason=f"'{raw}' is not a date")
    month = MONTHS[tokens[months[0]]]
    if len(numbers) == 1:  # April 2022
        year = numbers[0]
        return _Parsed(y=int(year), m=month) if len(year) == 4 else _Parsed(reason=f"'{raw}'?")
    first, second = numbers
    if len(first) == 4:  # 2022 April 15
        return _Parsed(y=int(first), m=month, d=int(second))
    if len(second) in (2, 4) and len(first) <= 2:  # 15 April 2022, April 15 2022, 9-May-20
        return _Parsed(y=int(second), m=month, d=int(first), two_digit=len(second) == 2)
    return _Parsed(reason=f"'{raw}' is not a date")


def _order(parsed, usual: Order, *, year_first: bool = False) -> tuple[Order, bool]:
    """The file's day/month order from its values (those written year first apart), and
    whether they gave any evidence."""
    day_first = month_first = False
    for item in parsed:
        if item.swappable is None or item.year_first != year_first:
            continue
        first, second = item.swappable
        day_first |= first > 12 >= second
        month_first |= second > 12 >= first
    if day_first and not month_first:
        return "day-first", True
    if month_first and not day_first:
        return "month-first", True
    return usual, False


def _order_note(order: Order, evidence: bool, *, year_first: bool) -> str:
    if evidence:
        return "day/month order inferred from other rows of the file"
    if year_first:
        read = "YYYY/MM/DD" if order == "day-first" else "YYYY/DD/MM"
    else:
        read = "DD/MM/YYYY" if order == "day-first" else "MM/DD/YYYY"
    return f"day/month order not settled by the file: read as {read}"


def _years(years: Sequence[int | None] | None, n: int) -> np.ndarray:
    if years is None:
        return np.full(n, -1, dtype=np.int64)
    out = np.full(n, -1, dtype=np.int64)
    for i, value in enumerate(years):
        try:
            out[i] = int(float(value)) if value not in (None, "") else -1
        except (TypeError, ValueError):
            out[i] = -1
    return out
