"""Dates: the publication date (anchors) and the dates a sentence states, absolute or relative.

Relative dates ("Tuesday", "last night", "last week") are resolved only against a known
anchor, with explicit weekday logic; without one they stay unresolved rather than guessed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY_NAME = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"  # for patterns of other modules
# Small counts in words ("two days ago", "The strike came two days after"); "a" is one.
SMALL_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7}  # fmt: skip
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
MONTH_NAME = _MONTH.replace("?P<month>", "?:")  # a month's name, without the group
# Before or after a day's number a month is one in any case ("JAN. 6, 2022", "5 JANUARY"),
# but "may" in lower case is the modal.
_MONTH_ANY = f"(?!may\\b)(?i:{_MONTH})"
_ABS = re.compile(
    rf"\b{_MONTH_ANY}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
)
_ABS_DMY = re.compile(rf"\b(?P<day>[0-3]?\d)\s+{_MONTH_ANY}(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")
# A day of a month, as `_ABS` and `_ABS_DMY` find it, for callers that only ask whether one is
# there ("a series of strikes on March 2" is an event, "the August 15 attacks").
DAY_OF_MONTH = re.compile(
    rf"\b{MONTH_NAME}\s+[0-3]?\d\b|"
    rf"\b[0-3]?\d\s+{MONTH_NAME}",
    re.I,
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_MONTH_ONLY = re.compile(
    rf"\b(?i:(?:in|since|during|early|late)\s+|mid-?\s*){_MONTH}(?:\s+(?P<year>\d{{4}}))?\b"
)
# "May 25-27", "May 25 to 27": the days after a day of a month, as one span.
_DAY_RANGE = re.compile(
    r"\s*(?:[-–]|to|through|until)\s*(?P<day>[0-3]?\d)\b(?!\s*(?:%|percent|km|miles))"
)
# "attacked the embassy in Sanaa in 2008": a year, when no month is given
_YEAR_ONLY = re.compile(
    r"\b(?i:in|during)\s+(?i:(?:early|late)\s+|mid-?\s*)?(?P<year>(?:19|20)\d\d)\b(?![-/])"
)  # also "in early 2014", "in mid-2015"
# "the deadly March attack": an event named by its month
_MONTH_OF_EVENT = re.compile(
    rf"\b(?i:the|last)\s+(?:[a-z]+\s+)?{_MONTH}(?=\s+(?i:attacks?|bombings?|strikes?|raids?|"
    r"assaults?|massacres?|offensive)\b)"
)
_WEEKDAY = re.compile(
    r"\b(?P<pre>(?:late |early )?on |last |this past |this |late |early )?"
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:['’]s)?"
    r"(?P<part> morning| afternoon| evening| night)?\b",
    re.I,
)
_RELATIVE = re.compile(
    r"\b(?P<phrase>yesterday|today|tonight|this morning|this afternoon|this evening|last night|"
    r"overnight|earlier this week|earlier this month|last week|this week|later this week|"
    r"last month|over the weekend|last weekend|this past weekend|last year|earlier this year|"
    r"(?P<n>\d+|two|three|four|five|six) days ago|(?:just )?(?:a few|several) days ago|"
    r"(?:just )?days ago|(?:a|one|two|three) weeks? ago|"
    r"(?:this|the) (?:reporting period|quarter))\b",
    re.I,
)


@dataclass(frozen=True)
class DateSpan:
    """A resolved date or range with ACLED time precision (1 day, 2 week, 3 month or coarser)."""

    start: dt.date
    end: dt.date
    precision: int
    text: str = ""
    position: int = -1
    explicit: bool = True

    def overlaps(self, other: DateSpan, slack: int = 1) -> bool:
        return self.start - dt.timedelta(
            days=slack
        ) <= other.end and other.start <= self.end + dt.timedelta(days=slack)


@dataclass(frozen=True)
class Anchor:
    """What relative dates are measured from: a day, or a coarse (month) publication span."""

    start: dt.date
    end: dt.date
    basis: str
    position: int = 0

    @property
    def exact(self) -> bool:
        return self.start == self.end


def _month(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _infer_year(month: int, day: int, anchor: Anchor | None) -> int | None:
    """The year of a month-day date: the anchor's, or the year before if it would be future."""
    if anchor is None:
        return None
    year = anchor.end.year
    try:
        candidate = dt.date(year, month, day)
    except ValueError:
        return None
    if candidate > anchor.end + dt.timedelta(days=3):
        year -= 1
    return year


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_published(value: Any) -> Anchor | None:
    """A publication date from a CLI option or metadata: YYYY-MM-DD (a day) or YYYY-MM (a month)."""
    if value is None or value == "":
        return None
    if isinstance(value, Anchor):
        return value
    if isinstance(value, dt.datetime):
        return Anchor(value.date(), value.date(), "given")
    if isinstance(value, dt.date):
        return Anchor(value, value, "given")
    text = str(value).strip()
    month = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if month:
        first = dt.date(int(month.group(1)), int(month.group(2)), 1)
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
        return Anchor(first, last, "given")
    day = _parse_any(text)
    if day is None:
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD or YYYY-MM)")
    return Anchor(day, day, "given")


def _parse_any(text: str) -> dt.date | None:
    """A full date in any common written form; dateparser handles the long tail."""
    text = text.strip().strip("'\"")
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        return _safe(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    found = _ABS.search(text)
    if found and found.group("year"):
        return _safe(
            int(found.group("year")), _month(found.group("month")), int(found.group("day"))
        )
    try:
        import dateparser

        parsed = dateparser.parse(
            text,
            languages=["en"],
            settings={"STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False},
        )
    except Exception:
        parsed = None
    return parsed.date() if parsed else None


_ISSUED = re.compile(
    r"\b(?:issued|published|posted|released|updated|dated)(?:\s+on)?:?\s+(?P<date>"
    rf"{MONTH_NAME}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}\s+{MONTH_NAME}\s+\d{{4}})",
    re.I,
)
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][A-Za-z .]+)?,\s+"
    rf"(?P<date>{MONTH_NAME}"
    r"\s+\d{1,2},?\s+\d{4})\s*(?:\([A-Za-z .]+\))?\s*[-–—]+",
    re.M,
)
# A date alone on its line, as a release or statement prints it under its headline
# ("Oct. 26, 2023"; "Washington, DC" / "July 23, 2016" under a reposted statement).
_DATE_LINE = re.compile(
    rf"^[ \t]*(?:{WEEKDAY_NAME},?\s+)?(?P<date>"
    rf"{MONTH_NAME}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}\s+{MONTH_NAME}\s+\d{{4}})[ \t]*$",
    re.M,
)
_MORE_DAYS = re.compile(
    r"(?:,\s*|,?\s+and\s+)(?P<day>\d{1,2})\b(?=\s*(?:[,.;)]|$|and\b|in\b|at\b|near\b))"
)
DATELINE_HEAD = re.compile(
    r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][A-Za-z .]+)?,\s+[^—–]{4,30}?\s*(?:\([A-Za-z .]+\))?\s*"
    r"(?:(?:—|–|--+)\s*|-\s)"
)
LEAD_DATE = re.compile(r"\A\W*(?:date[d:]?\s+)?(?P<date>\d{4}-\d{2}-\d{2})\b", re.I)
_FRONT_KEYS = ("date", "published", "pubdate", "date_published", "datepublished", "publish_date")
_META_KEYS = ("article:published_time", "datepublished", "pubdate", "date", "dc.date")
_ANY_FULL = re.compile(
    rf"\b{_MONTH}\s+(?P<day>[0-3]?\d),?\s+(?P<year>(?:19|20)\d\d)\b|\b(?:19|20)\d\d-[01]\d-[0-3]\d\b"
)


def publication_anchors(
    text: str, front_matter: dict[str, Any] | None = None, meta: dict[str, str] | None = None
) -> list[Anchor]:
    """Publication dates the document states, in text order (one per issued section).

    Order of trust: front matter and HTML meta, then "issued <date>" lines, datelines and dates
    alone on their line, and
    only then a bare leading date marker, which is ignored as a placeholder whenever the text
    states any other full date more than a year away from it.
    """
    for source, keys in ((front_matter or {}, _FRONT_KEYS), (meta or {}, _META_KEYS)):
        for key in keys:
            for k, value in source.items():
                if str(k).lower() == key and value:
                    day = _parse_any(str(value)) if not isinstance(value, dt.date) else value
                    if isinstance(day, dt.datetime):
                        day = day.date()
                    if day:
                        return [Anchor(day, day, f"front matter {k}")]
    anchors = []
    for pattern, basis in (
        (_ISSUED, "issued line"),
        (_DATELINE, "dateline"),
        (_DATE_LINE, "date line"),
    ):
        for match in pattern.finditer(text):
            day = _parse_any(match.group("date"))
            if day:
                anchors.append(Anchor(day, day, basis, match.start()))
    if anchors:
        return sorted(anchors, key=lambda a: a.position)
    lead = LEAD_DATE.match(text[:200])
    if lead:
        day = _parse_any(lead.group("date"))
        others = []
        for m in _ANY_FULL.finditer(text, lead.end()):
            other = _parse_any(m.group(0))
            if other:
                others.append(other)
        if day and not any(abs((o - day).days) > 366 for o in others):
            return [Anchor(day, day, "leading date", 0)]
    return []


def anchor_at(anchors: list[Anchor], position: int) -> Anchor | None:
    """The anchor governing text at `position`: the last one before it, else the first."""
    if not anchors:
        return None
    index = (
        bisect.bisect_right([a.position for a in anchors], position)
        if len(anchors) < 64
        else (bisect.bisect_right(_positions(anchors), position))
    )
    return anchors[max(0, index - 1)]


_POSITION_CACHE: dict[int, tuple[list[Anchor], list[int]]] = {}


def _positions(anchors: list[Anchor]) -> list[int]:
    cached = _POSITION_CACHE.get(id(anchors))
    if cached is None or cached[0] is not anchors or len(cached[1]) != len(anchors):
        cached = (anchors, [a.position for a in anchors])
        _POSITION_CACHE.clear()
        _POSITION_CACHE[id(anchors)] = cached
    return cached[1]


def _weekday_on_or_before(anchor_day: dt.date, weekday: int) -> dt.date:
    return anchor_day - dt.timedelta(days=(anchor_day.weekday() - weekday) % 7)


def find_dates(sentence: str, anchor: Anchor | None) -> list[DateSpan]:
    """All dates a sentence states, resolved where they can be; positions are character offsets."""
    found: list[DateSpan] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return not any(s < m.end() and m.start() < e for s, e in taken)

    for pattern in (_ISO, _ABS, _ABS_DMY):
        for m in pattern.finditer(sentence):
            if not free(m):
                continue
            month = int(m.group("month")) if pattern is _ISO else _month(m.group("month"))
            day = int(m.group("day"))
            year = int(m.group("year")) if m.group("year") else _infer_year(month, day, anchor)
            taken.append(m.span())
            if year is None:
                continue
            date = _safe(year, month, day)
            span_to = _DAY_RANGE.match(sentence, m.end()) if pattern is _ABS else None
            last = _safe(year, month, int(span_to["day"])) if span_to else None
            if date and last and date < last <= date + dt.timedelta(days=14):
                found.append(
                    DateSpan(date, last, 2, sentence[m.start() : span_to.end()], m.start())
                )
                taken.append(span_to.span())
                continue
            if date:
                found.append(DateSpan(date, date, 1, m.group(0), m.start()))
            if pattern is not _ABS:
                continue
            end = m.end()  # "June 23 and 30", "July 2, 5 and 9": more days of that month
            while more := _MORE_DAYS.match(sentence, end):
                later = int(more.group("day"))
                if year is None or later <= day:
                    break
                date = _safe(year, month, later)
                if date is None:
                    break
                found.append(DateSpan(date, date, 1, more.group("day"), more.start("day")))
                taken.append(more.span())
                day, end = later, more.end()
    for m in [*_MONTH_ONLY.finditer(sentence), *_MONTH_OF_EVENT.finditer(sentence)]:
        if not free(m):
            continue
        month = _month(m.group("month"))
        given = m.groupdict().get("year")
        year = int(given) if given else _infer_year(month, 1, anchor)
        if not given and year and m.re is _MONTH_OF_EVENT and dt.date(year, month, 1) > anchor.end:
            year -= 1  # "the March attack" in February was last year's
        taken.append(m.span())
        if year:
            first = dt.date(year, month, 1)
            last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            found.append(DateSpan(first, last - dt.timedelta(1), 3, m.group(0), m.start()))
    for m in _YEAR_ONLY.finditer(sentence):
        if not free(m):
            continue
        year = int(m.group("year"))
        taken.append(m.span())
        found.append(DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31), 3, m.group(0), m.start()))
    if anchor is None:
        return sorted(found, key=lambda d: d.position)
    for m in _WEEKDAY.finditer(sentence):
        if not free(m):
            continue
        pre = (m.group("pre") or "").lower().strip()
        if pre == "this" and not m.group("part"):
            continue  # "this Tuesday" may be ahead; not enough to resolve
        taken.append(m.span())
        wd = WEEKDAYS.index(m.group("weekday").lower())
        found.append(_relative(anchor, m.group(0), m.start(), weekday=wd))
    for m in _RELATIVE.finditer(sentence):
        if not free(m):
            continue
        taken.append(m.span())
        found.append(_relative(anchor, m.group(0), m.start(), phrase=m.group("phrase").lower()))
    return sorted((d for d in found if d is not None), key=lambda d: d.position)


def _relative(
    anchor: Anchor, text: str, position: int, *, weekday: int | None = None, phrase: str = ""
) -> DateSpan | None:
    """Resolve against the anchor; a coarse (month) anchor gives back only its own span."""
    if not anchor.exact:
        return DateSpan(anchor.start, anchor.end, 3, text, position, explicit=False)
    a = anchor.start
    one = dt.timedelta(days=1)
    if weekday is not None:
        day = _weekday_on_or_before(a, weekday)
        return DateSpan(day, day, 1, text, position)
    monday = a - dt.timedelta(days=a.weekday())
    if phrase in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return DateSpan(a, a, 1, text, position)
    if phrase == "yesterday":
        return DateSpan(a - one, a - one, 1, text, position)
    if phrase in ("last night", "overnight"):
        return DateSpan(a - one, a, 2, text, position)
    if phrase == "last week":
        return DateSpan(monday - 7 * one, monday - one, 2, text, position)
    if phrase in ("earlier this week",):
        return DateSpan(monday, max(monday, a - one), 2, text, position)
    if phrase == "this week":
        return DateSpan(monday, a, 2, text, position)
    if phrase == "later this week":
        return DateSpan(a, monday + 6 * one, 2, text, position)
    if phrase.endswith(("quarter", "reporting period")):
        return _quarter(a, text, position)
    if phrase.endswith("weeks ago") or phrase.endswith("week ago"):  # "two weeks ago": about
        weeks = {"a": 1, "one": 1, "two": 2, "three": 3}[phrase.split()[0]]
        return DateSpan(a - (7 * weeks + 3) * one, a - (7 * weeks - 3) * one, 2, text, position)
    if phrase in ("over the weekend", "last weekend", "this past weekend"):
        sunday = _weekday_on_or_before(a, 6)
        return DateSpan(sunday - one, sunday, 2, text, position)
    if phrase == "earlier this month":
        return DateSpan(a.replace(day=1), a, 3, text, position)
    if phrase == "last month":
        last = a.replace(day=1) - one
        return DateSpan(last.replace(day=1), last, 3, text, position)
    if phrase == "last year":
        return DateSpan(dt.date(a.year - 1, 1, 1), dt.date(a.year - 1, 12, 31), 3, text, position)
    if phrase == "earlier this year":
        return DateSpan(a.replace(month=1, day=1), max(a.replace(month=1, day=1), a - one), 3,
                        text, position)  # fmt: skip
    if phrase.endswith("days ago"):
        n = phrase.split()[0]  # "two", "3"; "a" only begins "a few days ago"
        days = int(n) if n.isdigit() else None if n in ("a", "an") else SMALL_NUMBERS.get(n)
        if days is None:  # "a few days ago", "just days ago": two to six days back
            return DateSpan(a - 6 * one, a - 2 * one, 2, text, position)
        return DateSpan(a - days * one, a - days * one, 1, text, position)
    return None


def _quarter(day: dt.date, text: str, position: int) -> DateSpan:
    """ "This quarter" of a quarterly report, published in the weeks after the quarter it
    covers: the last whole calendar quarter when `day` is early in a quarter, else the
    quarter so far."""
    start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if (day - start).days < 75:
        end = start - dt.timedelta(days=1)
        start = dt.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    else:
        end = day
    return DateSpan(start, end, 3, text, position)


def last_quarter(anchor: Anchor) -> DateSpan:
    """The quarter a periodic report published at `anchor` covers (see `_quarter`), as a span
    the text does not state."""
    quarter = _quarter(anchor.start, "", -1)
    return DateSpan(quarter.start, quarter.end, 3, "", -1, explicit=False)


def report_window(anchor: Anchor | None, after: dt.date | None = None) -> DateSpan | None:
    """The span an undated report of an event covers: the week up to publication (GDELT-style).

    Why: news reports recent events; the week before publication bounds the date honestly with
    time_precision 2 instead of pretending to a day.
    """
    if anchor is None:
        return None
    if not anchor.exact:
        return DateSpan(anchor.start, anchor.end, 3, "", -1, explicit=False)
    start = anchor.start - dt.timedelta(days=6)
    if after is not None and start < after <= anchor.start:
        start = after
    return DateSpan(start, anchor.start, 2, "", -1, explicit=False)
