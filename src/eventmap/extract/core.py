"""Article -> candidate events: ties each trigger to its date, place, actors and counts.

Each candidate keeps the sentence it came from (quote, start, end) and a confidence that
reflects trigger strength, how exactly the date is known and how the place was resolved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .. import settings
from ..documents import read_bytes
from ..gazetteer import Gazetteer, shared_gazetteer
from . import dates as D
from .events import (
    ACTOR_HOMES,
    AIR_STRIKE,
    ANSWER_WORDS,
    ANY_TRIGGER,
    CIVILIANS,
    COORDINATE,
    EXPLOSIONS,
    FOLLOWS,
    STRATEGIC,
    TERRITORY,
    Trigger,
    answered_clause,
    casualties,
    find_actors,
    find_triggers,
)
from .merge import COMPASS_PART, MERGE_KM, distance_km, merge
from .places import (
    PlaceFinder,
    PlaceMention,
    people,
    peoples,
    peoples_forces,
    ships,
    unplaced_names,
)
from .text import Document, Sentence, decode, load, split_sentences

_PLACE_RANK = {1: 0, 2: 1, 3: 2}
_CONSEQUENCE = re.compile(
    r"\b(?:as a result|in response|in retaliation|responded|afterwards|later|then)\b", re.I
)
# "the militia that attacked ... Wednesday": another event's verb; but "the attack that killed
# three soldiers ... on Sunday" tells the attack's own toll, and its date, and "the attack ...
# that occurred on October 4th" its own day.
_OWN_TOLL = (
    r"(?!(?:killed|wounded|injured|targeted|claimed|destroyed|damaged|occurred|happened|"
    r"unfolded|started)\b)"
)
_RELATIVE_CLAUSE = re.compile(rf"\b(?:that|which|who)\s+(?:{_OWN_TOLL}\w+\s+)?{_OWN_TOLL}\w+ed\b")
# "took over the Al Qaim base, which had housed Coalition troops, on March 17": the clause
# closed by its comma, the day is the main clause's again
_CLOSED_CLAUSE = re.compile(r",\s+(?:which|who)\b[^,;]*,\s*(?:on\s+)?$")
# A report's place line ("TAMPA, Fla. –", "SOUTHWEST ASIA, April 17, 2017 —", "KABUL —"):
# where the report was filed, not where its events were.
_PLACE_LINE = re.compile(
    r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?(?:,\s+[^—–\n]{4,30}?)?"
    r"\s*(?:\([A-Za-z .]+\))?\s*(?:(?:—|–|--+)\s*|-\s)"
)
_CAPTION = re.compile(
    r"^(?:photo|image|video|caption|file photo)\b|\b(?:photo|photos|video|image) (?:by|courtesy)\b|"
    r"\((?:photo|image|video)\b|\bphoto illustration\b|^file\s*[-–—:]\s",
    re.I,
)
_PLACE_ANAPHOR = re.compile(
    r"\b(?:the|that|this) (?:air ?field|air ?base|base|airport|camp|compound|town|city|village|"
    r"facility|prison|embassy|outpost)\b",
    re.I,
)
_ANSWER = re.compile(rf"\b(?:{ANSWER_WORDS}|the attackers)\b", re.I)
_STATEMENT = re.compile(
    r"\b(?:condolences?|condemn\w*|sympath\w*|mourn\w*|thoughts and prayers|deplor\w*|"
    r"denounc\w*|solidarity)\b",
    re.I,
)
# "We also condemn the attacks on the Kandahar Governor's Office": another attack.
_ANOTHER = re.compile(
    r"\b(?:also|further|likewise|additionally)\s+(?:\w+ly\s+)?(?:condemn|denounce|deplore)", re.I
)
_RESPONSE_CLAUSE = re.compile(r"(?:In response to|In retaliation for|Following|After)\b")
# "the raid" of the sentence after a raid: that raid told again, whatever weapons it names.
_TOLD_AGAIN = re.compile(
    r"(?<!after )(?<!following )(?<!since )(?<!before )\b(?:the|this|that) (raid|operation|"
    r"ambush|strike|airstrike|air strike|attack|assault)\b",
    re.I,
)
_TOLD_AGAIN_KEYS = {
    "raid": "Battles", "ambush": "Battles", "assault": "Battles", "attack": "",
    "strike": f"{EXPLOSIONS}/Air/drone strike", "airstrike": f"{EXPLOSIONS}/Air/drone strike",
    "air strike": f"{EXPLOSIONS}/Air/drone strike", "operation": "",
}  # fmt: skip
_CIVILIAN_TARGET = re.compile(
    r"\b(?:civilians|women and children|worshippers|shoppers|students|schoolchildren|"
    r"celebrations?|weddings?|funerals?|markets?|shopping|mosques?|shrines?|churches|church|"
    r"schools?|universit(?:y|ies)|hospitals?|bazaars?|restaurants?|hotels?|stadiums?|"
    r"airports?|homes?|residences?|passengers?|travell?ers|commuters|parents|families|"
    r"(?:mini)?bus(?:es)?|villagers|residents|pilgrims|fishermen|farmers|herders)\b",
    re.I,
)
_ARMED_TARGET = re.compile(
    r"\b(?:forces|troops|soldiers|police\w*|army|bases?|convoys?|checkpoints?|patrols?|"
    r"military|personnel|peacekeepers|guards|security|officers|militants|fighters|clash\w*|"
    r"firefights?|gunmen|militias?|insurgents|service members?)\b",
    re.I,
)
# "Separately, militants attacked ...": the text itself says it is another event.
_SEPARATE = re.compile(
    r"(?:Separately|Elsewhere|In (?:a|another) (?:separate )?(?:incident|attack|event))\b", re.I
)
_SAID_ON = re.compile(
    r"\b(?:announced|said|stated|reported|declared|confirmed|approved|authorized|signed|"
    r"granted)(?:\s+by\s+(?:the\s+)?[\w.]+(?:\s+[\w.]+)?)?\s+(?:(?:on|in|last)\s+)?$|"
    r"\btold\s+(?:[\w.]+\s+){0,2}(?:reporters|journalists|lawmakers|VOA)\s+$",
    re.I,
)  # "a repositioning ..., announced in December"; "the authorities approved by the president
# in March", "Kirby told reporters today": the day it was said or decided, nobody's event
# An item of a list under a dated lead ("On Feb. 3, ... conducted 12 strikes:" / "-- Near X, ...")
_LIST_ITEM = re.compile(r"\s*(?:--|[-–•*])\s")
_DAY_LEAD = re.compile(rf"\d|\b{D.WEEKDAY_NAME}\b")
_WHERE_IT_WAS = re.compile(
    r"(?:The|This|That|It)\s+(?:(?:operation|incident|engagement|mission|event)s?\s+)?"
    r"(?:occurred|took place|happened|was (?:conducted|carried out))\b"
)
# A day given to the event just reported by a word for it ("yesterday's episode").
_DATED_ANAPHOR = re.compile(
    rf"\b(?:today|yesterday|last night|tonight|{D.WEEKDAY_NAME})['’]s?"
    r"\s+(?:\w+\s+)?(?:episode|incident|tragedy|violence|events?|bloodshed|carnage|atrocity|"
    r"massacre|attacks?)\b",
    re.I,
)
# A sentence that dates an operation without saying what it was ("U.S. forces conducted a
# counterterrorism operation today against an ISIS-K planner."); the next tells it.
_DATED_OPERATION = re.compile(
    r"\b(?:conducted|carried out|launched)\b[^.;]{0,80}?\b(?:operation|mission|engagement)s?\b",
    re.I,
)
# "The strike came two days after a suicide bombing at ...": the bombing's day, counted
# from the event the sentence's subject refers back to.
_DAYS_APART = re.compile(
    rf"\b(?P<n>{'|'.join(D.SMALL_NUMBERS)}|\d)\s+days?\s+(?P<dir>after|before)\s+"
    r"(?:(?:the|a|an|last)\s+)?(?:[\w-]+\s+){0,3}$",
    re.I,
)
_REFERS_BACK = re.compile(r"^(?:The|This|That|It|These)\b")
_NEXT_OR_BEFORE = re.compile(
    r"\b(?:(?:on )?the (?:following|next|previous) day|the day (?:before|after)|"
    r"a day (?:later|earlier))\b",
    re.I,
)
_LATER = re.compile(r"following|next|after|later", re.I)
_SAME_DAY = re.compile(
    r"\b(?:(?:earlier|later) (?:in|on) (?:the|that) day|later that day|(?:on )?the same day|"
    r"that (?:same )?(?:day|morning|afternoon|evening)|(?:hours|minutes) (?:later|earlier))\b",
    re.I,
)
OVERTAKES = "Non-state actor overtakes territory"
REGAINS = "Government regains territory"
_STATE_FORCES = re.compile(
    r"\b(?:Security Forces|Army|Armed Forces|Government|military|National|Defen[cs]e Forces|"
    r"Iraqi forces|Afghan forces|Somali forces|Syrian Democratic Forces|SDF)\b",
    re.I,
)
_NON_STATE = re.compile(
    r"\b(?:militants?|militias?|insurgents?|rebels?|fighters|ISIS|ISIL|Da'?esh|al[- ]?Shabaa?b|"
    r"Taliban|Houthis?|AQAP|terrorists?|extremists?|gunmen)\b",
    re.I,
)
REGION_KM = 150  # how far from a region's point a place in it may lie (as evaluate counts)
HEADLINE_CONFIDENCE = 0.45  # below the 0.5 a candidate needs to count as proposed
UNPLACED_CONFIDENCE = 0.45  # placed at its country while the text names a finer, unknown place
# Farther than this from every province its sentences name, a town is a namesake elsewhere in
# the country ("Qarabagh District" with "Kabul Province" is not Qarah Bagh, Herat: 674 km);
# no admin-1 region the set meets is wider than this from its point to its towns.
NAMESAKE_KM = 300
_PROVINCE_NAMED = re.compile(r"\b(?:province|governorate|region|state|county)$", re.I)
# "These air strikes took place in Shabwah, Hadramawt and Al-Bayda": the strikes just told.
_THEN = re.compile(r"\b(?:then|subsequently|afterwards?)\b", re.I)
# The bare word for an explosion, which any bombing or strike also is
_BARE_BLAST = re.compile(r"(?:bomb )?(?:blasts?|explosions?)", re.I)
_BARE_BOMBING = re.compile(r"bombings?", re.I)


def _bare_blast(trigger: Trigger, span: D.DateSpan | None) -> bool:
    """An explosion told with no weapon ("blasts", "an explosion"), or a "bombing" with no day
    of its own ("Da'esh's bombing in Samawa was equally shocking"): the article's bombing
    there, when it tells one."""
    if _BARE_BLAST.fullmatch(trigger.text):
        return True
    return bool(_BARE_BOMBING.fullmatch(trigger.text)) and not (span and span.explicit)


# "It was a suicide attack": a description of the event just told, not another one
_IT_WAS = re.compile(r"\b(?:it|this|that)\s+(?:was|is)\s+(?:an?\s+)(?:[\w-]+\s+){0,2}$", re.I)
_DEMONSTRATIVE = re.compile(r"\b(?:these|those)\s+(?:[\w-]+\s+){0,2}$", re.I)
# "investigating three attacks on U.S. bases": a count the next sentences tell one by one
_SEVERAL = re.compile(
    r"\b(?:two|three|four|five|six|several|multiple|\d+)\s+(?:[\w-]+\s+)?"
    r"(?:attacks|strikes|bombings|assaults)\b",
    re.I,
)
_ANAPHORA = re.compile(
    r"^(?:The|This|That|Such an?) (?:[\w-]+ )?(?:attack|assault|strike|incident|blast)\b"
)


@lru_cache(maxsize=4)
def _default_finder(geo_dir: str, region: tuple[str, ...]) -> PlaceFinder:
    return PlaceFinder(shared_gazetteer(geo_dir, region=region))


def default_finder() -> PlaceFinder:
    """The gazetteer of the EVENTMAP_GEO setting, loaded once per process."""
    region = tuple(
        c.strip().upper() for c in settings.get("EVENTMAP_REGION").split(",") if c.strip()
    )
    return _default_finder(str(settings.path("EVENTMAP_GEO")), region)


def _finder(gazetteer: Gazetteer | PlaceFinder | None) -> PlaceFinder:
    if gazetteer is None:
        return default_finder()
    if isinstance(gazetteer, PlaceFinder):
        return gazetteer
    if hasattr(gazetteer, "gazetteer") and not isinstance(gazetteer, Gazetteer):
        return PlaceFinder(gazetteer.gazetteer)  # a GazetteerGeocoder
    return PlaceFinder(gazetteer)


class _Article:
    """Per-document state: sentences, their places (computed lazily) and the salient country."""

    def __init__(self, doc: Document, finder: PlaceFinder, anchors: list[D.Anchor]) -> None:
        self.doc = doc
        self.finder = finder
        self.anchors = anchors
        self.sentences = split_sentences(doc)
        self._places: dict[int, list[PlaceMention]] = {}
        self._salient: PlaceMention | None | bool = False
        self._countries: frozenset[str] | None = None
        self._people = people(doc.clean)
        self._ships = ships(doc.clean)

    def _not_people(self, mentions: list[PlaceMention]) -> list[PlaceMention]:
        return [
            m
            for m in mentions
            if (m.kind == "country" or m.place_text not in self._people)
            and m.place_text not in self._ships
        ]

    @property
    def countries(self) -> frozenset[str]:
        """The countries the article names, or whose cities it names: the context in which its
        towns are looked up."""
        if self._countries is None:
            mentions = [
                m
                for sentence in self.sentences[:300]
                for m in self._not_people(self.finder.find(sentence.text))
                if m.country_code and not m.weak
            ]
            # The countries it names, and those of its regions ("western Iraq's Anbar
            # province"); their cities only when it names none ("in Kabul"); its peoples when
            # it names no place at all ("The Afghan people deserve peace").
            named = [m for m in mentions if m.kind in ("country", "region")] or mentions
            self._countries = frozenset(m.country_code for m in named) or peoples(
                " ".join(s.text for s in self.sentences[:300])
            )
        return self._countries

    def places(self, sentence: Sentence) -> list[PlaceMention]:
        """The sentence's places, without the place a report was filed from ("TAMPA, Fla. –")."""
        if sentence.index not in self._places:
            mentions = self._not_people(self.finder.find(sentence.text, self.countries))
            filed = _PLACE_LINE.match(sentence.text)
            if filed:
                mentions = [m for m in mentions if m.start >= filed.end()]
            self._places[sentence.index] = mentions
        return self._places[sentence.index]

    @cached_property
    def _caption_lines(self) -> list[tuple[int, int]]:
        """Lines of the original text that are photo captions ("A U.S. Army Soldier, deployed
        in support of ..., waits ... (Photo Credit: U.S. Army)")."""
        lines = list(re.finditer(r"[^\n]+", self.doc.original))
        texts = [m.group(0).strip() for m in lines]
        # a web page's caption and its image's alternative text: one line told twice in a row
        twice = {
            i for i in range(len(lines) - 1) if len(texts[i]) >= 30 and texts[i] == texts[i + 1]
        }
        twice |= {i + 1 for i in twice}
        return [
            (m.start(), m.end())
            for i, m in enumerate(lines)
            if i in twice or _CAPTION.search(m.group(0).strip())
        ]

    def in_caption(self, sentence: Sentence) -> bool:
        """Every sentence on a caption's line is a caption's."""
        return any(sentence.start < b and a < sentence.end for a, b in self._caption_lines)

    def country_of(self, sentence: Sentence, actors: tuple[str | None, ...]) -> str | None:
        """The one country of the article a sentence points to without naming a place: by a
        people's land or forces ("Iraqi bases", "a Somali National Army outpost") or an
        actor's home ("al-Shabaab")."""
        hints = {m.country_code for m in self.places(sentence) if m.weak and m.country_code}
        hints |= peoples_forces(sentence.text)
        hints |= {c for a in actors if a for c in ACTOR_HOMES.get(a, ())}
        hints &= self.countries
        return next(iter(hints)) if len(hints) == 1 else None

    def country_mention(self, code: str) -> PlaceMention | None:
        """The article's first naming of a country, for an event placed only in that country."""
        for sentence in self.sentences[:300]:
            for m in self.places(sentence):
                if m.kind == "country" and m.country_code == code:
                    return m
        return None

    def salient_place(self) -> PlaceMention | None:
        """The country the article names most often (cities count for their country); when it
        names no country, its most named place in the country its places lie in most."""
        if self._salient is not False:
            return self._salient
        counts: Counter[str] = Counter()
        first: dict[str, PlaceMention] = {}
        named: Counter[tuple[str, str]] = Counter()
        mentions: dict[tuple[str, str], PlaceMention] = {}
        window = self.sentences[:300]  # the lead and body of a report; long files stay linear
        for sentence in window:
            for m in self.places(sentence):
                if m.country_code:
                    counts[m.country_code] += 1
                    if m.kind == "country" and m.country_code not in first:
                        first[m.country_code] = m
                    elif not m.weak and m.kind != "country":
                        named[(m.country_code, m.name)] += 1
                        mentions.setdefault((m.country_code, m.name), m)
        if counts:
            top = counts.most_common(1)[0][0]
            if top not in first:
                # A briefing "in Kabul" that never says "Afghanistan": its most named place.
                place = max((k for k in named if k[0] == top), key=named.get, default=None)
                self._salient = mentions[place] if place else None
                return self._salient
        self._salient = next((first[c] for c, _ in counts.most_common() if c in first), None)
        return self._salient


def is_headline(sentence: Sentence) -> bool:
    """A headline, subhead or caption: a short line of its own without a sentence's final
    stop ("U.S. Conducts Defensive Precision Strike"), or a photo credit. It restates an event
    the body reports, or none; so alone it stays unsure, and only adds to the body's event."""
    if _CAPTION.search(sentence.text):
        return True
    words = sentence.text.split()
    return (
        sentence.whole_line
        and len(words) <= 20
        and not sentence.text.rstrip("\"'”’)] ").endswith((".", "!", "?", ";"))
        and not (_LIST_ITEM.match(sentence.text) and _DAY_LEAD.search(sentence.text[:24]))
    )  # "-- Nov. 20, a strike killed one AQAP operative in al-Baydah governorate": an item


def _side(answered: tuple[int, int] | None, position: int) -> bool:
    """Whether a position lies in the clause told as what an event answers."""
    return answered is not None and answered[0] <= position < answered[1]


# "after the quarter ended", "since the end of the reporting period": the bound of a period,
# not the day of what happened after it
_PERIOD_BOUND_BEFORE = re.compile(r"\b(?:after|since|following)\s+(?:the\s+end\s+of\s+)?$", re.I)
_PERIOD_ENDED = re.compile(r"\s+(?:had\s+)?(?:ended|closed|was over)\b", re.I)


_CLAIM_FOR = re.compile(r"\bclaim(?:ed|s|ing)?\s+(?:responsibility|credit)\s+for\b", re.I)
_CLAUSE_BREAK = re.compile(r",\s+(?:but|while|whereas)\s|;\s")


def _nobodys_day(text: str, span: D.DateSpan) -> bool:
    """A day no event of the sentence happened on: when something was said ("a repositioning
    ..., announced in December", "the spokesman said Wednesday"), or a period's bound ("after
    the quarter ended, a U.S. airstrike killed ... on July 31")."""
    if span.position <= 0:
        return False
    return bool(_SAID_ON.search(text, max(span.position - 40, 0), span.position)) or (
        _period_bound(text, span)
    )


def _period_bound(text: str, span: D.DateSpan) -> bool:
    before = _PERIOD_BOUND_BEFORE.search(text, max(0, span.position - 30), span.position)
    end = span.position + len(span.text)
    return before is not None and (
        "end of" in before.group(0).lower() or bool(_PERIOD_ENDED.match(text, end))
    )


def _own_dates(
    text: str,
    triggers: list[Trigger],
    found: list[D.DateSpan],
    answered: tuple[int, int] | None,
) -> dict[int, D.DateSpan]:
    """Give each date to its nearest trigger on its side of "in response to"; a clause-initial
    "on <date>" leans forward."""
    owned: dict[int, tuple[D.DateSpan, float]] = {}  # trigger -> its date, how far
    for span in found:
        if _nobodys_day(text, span):
            continue
        preceded_by_on = span.text.lower().startswith(("on ", "late on ", "early on ")) or text[
            max(0, span.position - 4) : span.position
        ].strip().lower() in ("on", "")
        best, best_d = None, None
        named = _named_event(text, span)
        for i, t in enumerate(triggers):
            if (
                named
                and not named.start() <= t.start < named.end()
                and not _ITS_CLAUSE.match(text, named.end(), max(named.end(), t.start))
            ):
                continue  # "The February 16 attack prompted ... airstrikes": the attack's day
            if (
                t.end < span.position
                and _RELATIVE_CLAUSE.search(text[t.end : span.position])
                and not _CLOSED_CLAUSE.search(text[t.end : span.position])
            ):
                continue  # "the militia that attacked ... Wednesday": not this trigger's date
            if _side(answered, t.start) != _side(answered, span.position):
                continue  # "These strikes respond to attacks that began on October 17th"
            if span.position < t.start and _CLAIM_FOR.search(text, span.position, t.start):
                continue  # "on Saturday claimed responsibility for the attacks": the claim's day
            d = abs(t.start - span.position)
            lo, hi = sorted((t.start, span.position))
            if _CLAUSE_BREAK.search(text, lo, hi):
                d += len(text)  # "did not ... during the quarter, but ... an airstrike killed"
            if t.start > span.position and preceded_by_on:
                d *= 0.5
            if best_d is None or d < best_d:
                best, best_d = i, d
        if best is not None and (best not in owned or best_d < owned[best][1]):
            owned[best] = (span, best_d)
    return {i: span for i, (span, _) in owned.items()}


def _item_dates(text: str, mention: PlaceMention, dates: list[D.DateSpan]) -> D.DateSpan | None:
    """The date right after a list item ("at Al Qaim on March 17 and Qayyarah Airfield West on
    March 26": the rest of an item's name may come between)."""
    for span in dates:
        gap = text[mention.end : span.position] if span.position >= mention.end else "-"
        if span.explicit and re.fullmatch(r"(?:\s+[A-Z][\w'’-]*){0,3}\s*(?:on\s+)?", gap):
            return span
    return None


_NOT_A_LIST = re.compile(
    r"\b(?:to|through|until|till|after|before|since|response|following|between|from)\b|[-–—]",
    re.I,
)


def _date_list(text: str, dates: list[D.DateSpan]) -> list[D.DateSpan]:
    """Two or more days listed close together ("May 25, ... June 23 and 30"), not a range
    ("from March 2 to March 5") and not an event and the one it answers."""
    days = [d for d in dates if d.explicit and d.precision == 1 and any(map(str.isdigit, d.text))]
    if len(days) < 2 or len({d.start for d in days}) < len(days):
        return []
    if _NOT_A_LIST.search(text[max(0, days[0].position - 12) : days[0].position]):
        return []
    # "the removal of A, an external operations leader, on Jan. 17; B, ..., on Jan. 12; and C
    # on Jan. 6": a list of items that each end on their day, however long
    items = all(text[d.position + len(d.text) :].startswith(";") for d in days[:-1])
    for a, b in zip(days, days[1:], strict=False):
        gap = re.sub(r"(?<=\w)-(?=\w)", "", text[a.position + len(a.text) : b.position])
        if len(gap) > (200 if items else 40) or _NOT_A_LIST.search(gap):  # not "al-Jalil"
            return []
    return days


def _without_dates(text: str, dates: list[D.DateSpan]) -> str:
    for span in dates:
        text = re.sub(rf"(?:\bon )?{re.escape(span.text)}", "", text)
    return " ".join(text.split())


def _kin(a: PlaceMention, b: PlaceMention) -> bool:
    """Places that can be items of one list: of one kind, or towns and provinces, which the
    gazetteer may resolve either way ("Abyan, Al Bayda and Shabwah")."""
    return a.kind == b.kind or {a.kind, b.kind} == {"city", "region"}


def _choose_places(
    text: str, trigger: Trigger, mentions: list[PlaceMention], dates: list[D.DateSpan] = ()
) -> list[PlaceMention]:
    usable = [
        m
        for m in mentions
        if (m.cue not in ("of", "between") or _what_changed_hands(text, trigger, m))
        and not (m.kind == "country" and not m.cue)
        and not (
            m.cue == "near"
            and m.kind == "country"
            and not re.match(r"[\w-]* border", text[m.end : m.end + 20].lstrip("-"))
        )
    ]
    if any(m.cue != "from" for m in usable):
        usable = [m for m in usable if m.cue != "from"]
    if not usable:
        return []

    filed = _PLACE_LINE.match(text)
    response = bool(_RESPONSE_CLAUSE.match(text, filed.end() if filed else 0))

    def score(m: PlaceMention) -> float:
        specific = {1: 3.0, 2: 2.0, 3: 1.0}[m.geo_precision] - (0.6 if m.weak else 0.0)
        specific += 0.3 if m.kind == "region" else 0.0  # a province over its country
        gap = m.start - trigger.end if m.start >= trigger.end else trigger.start - m.end
        between = text[m.end : trigger.start] if m.end <= trigger.start else ""
        # "In response to attacks in Iraq and Syria, forces struck ... in Iraq": the place of
        # another clause before the trigger names something else.
        other_clause = 0.5 if response and "," in between else 0.0
        return specific - max(gap, 0) / (80.0 if m.start >= trigger.end else 50.0) - other_clause

    best = max(usable, key=score)
    if best.start < trigger.start:
        return [best]
    # "bases in western Iraq and western Syria": coordinated places are separate events.
    # "so that's Kyiv, Chernihiv and Kharkiv": each item of the list the best place is in.
    chain, joined_by_and = [], False
    for m in sorted(usable, key=lambda m: m.start):
        if m.start - trigger.end >= 120:
            break
        between = _without_dates(text[chain[-1].end : m.start], dates).lower() if chain else ""
        # "in Baghdad on April 30 and in Samawa on May 1": the dates left out, a list too
        listed = bool(re.fullmatch(r",|,?\s*and(?:\s+(?:in|at|near))?", between.strip()))
        if chain and listed and m.start > chain[-1].end and _kin(m, chain[-1]):
            chain.append(m)
            joined_by_and |= "and" in between
            continue
        if best in chain:
            break
        chain, joined_by_and = [m], False
    if best not in chain:
        return [best]
    if not joined_by_and:
        return [best]  # "Jilib, Middle Juba Region", "Sadr City, Baghdad": an address
    return chain


def _what_changed_hands(text: str, trigger: Trigger, mention: PlaceMention) -> bool:
    """ "the liberation of Raqqa", "took control of Jilib", "the handover of Al Qaim": the
    place right after a taking or a handing over."""
    between = text[trigger.end : mention.start] if mention.start >= trigger.end else "-"
    return trigger.sub_event_type in (*TERRITORY, "Non-violent transfer of territory") and bool(
        _HANDS_BETWEEN.fullmatch(between.strip().lower())
    )


# "the liberation of eastern Mosul": only "of", "the" or a compass word between
_HANDS_BETWEEN = re.compile(
    r"(?:of\s*)?(?:the\s*)?(?:(?:north|south)?(?:east|west)(?:ern)?\s*|(?:north|south|central)"
    r"(?:ern)?\s*)?"
)


def _confidence(trigger, span, place_source, backref) -> float:
    c = trigger.strength
    if span is None:
        c = min(c, 0.3)
    elif span.explicit:
        c += 0.15 if span.precision == 1 else 0.1
    else:
        c += 0.0 if span.precision <= 2 else -0.05  # another clause's day, the week; a month: less
    c += {"sentence": 0.1, "paragraph": 0.0, "article": -0.1, None: 0.0}[place_source]
    if place_source is None:
        c = min(c, 0.3)
    if backref:
        c -= 0.1
    return round(max(0.05, min(0.99, c)), 3)


def _source(document: str, sentence: Sentence) -> dict[str, Any]:
    """Where a candidate was read; the quote is filled from the text at the end."""
    return {"document": document, "quote": None, "start": sentence.start, "end": sentence.end}


def _rank(place: PlaceMention, place_source: str | None) -> float:
    """How finely a record is placed, lower is finer: a site, a town, a region, a country;
    a place of the sentence over one of its context; a province over "central Yemen", and
    that over its country."""
    return (
        2 * _PLACE_RANK[place.geo_precision]
        + (place_source != "sentence" or place.weak)
        - (place.kind == "region" and place_source == "sentence")
        + 0.5 * bool(COMPASS_PART.match(place.name))
    )


def _place_at(record: dict[str, Any], mention: PlaceMention) -> None:
    """Move a record to a place its sentence names."""
    record.update(
        location=mention.name,
        place_text=mention.place_text,
        latitude=mention.latitude,
        longitude=mention.longitude,
        geo_precision=mention.geo_precision,
        _place_kind=mention.kind,
        _country=mention.country_code,
        _place_rank=_rank(mention, "sentence"),
        _place_weak=False,
        _mention=mention,
    )


def _vague(trigger: Trigger) -> bool:
    """An attack with no weapon given ("the attack on a coalition base"): one with a weapon,
    on those days, is the same attack told more exactly."""
    if trigger.sub_event_type in TERRITORY:
        return False  # "the liberation of eastern Mosul" is no attack a weapon could refine
    return trigger.strength < 0.5 or (
        trigger.event_type == "Battles" and trigger.text.lower().startswith("attack")
    )


def _record(doc_name, sentence, trigger, span, place, place_source, counts, actors, conf):
    fatalities, injured = counts
    record: dict[str, Any] = {
        "event_id": None,
        "event_date": span.start if span else None,
        "date_end": span.end if span else None,
        "time_precision": span.precision if span else None,
        "event_type": trigger.event_type,
        "sub_event_type": trigger.sub_event_type,
        "actor1": actors[0],
        "actor2": actors[1],
        "location": place.name if place else None,
        "place_text": place.place_text if place and place_source == "sentence" else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "geo_precision": (place.geo_precision if place_source == "sentence" else 3)
        if place
        else None,
        "fatalities": fatalities,
        "injured": injured,
        "notes": sentence.text if len(sentence.text) <= 300 else sentence.text[:297] + "...",
        "sources": [_source(doc_name, sentence)],
        "confidence": conf,
        "_span": span,
        "_doc": doc_name,
        "_place_kind": place.kind if place else None,
        "_country": place.country_code if place else None,
        "_place_rank": _rank(place, place_source) if place else 9,
        "_place_weak": bool(place and (place.weak or place_source != "sentence")),
        "_sentence": sentence.index,
        "_paragraph": sentence.paragraph,
        "_generic": _vague(trigger),
        "_blast": _bare_blast(trigger, span),
    }
    return record


def _another_day(found: list[D.DateSpan], event: dict[str, Any] | None) -> bool:
    """The sentence dates something else: "This attack follows the December 6 killing of ten
    in an ambush" after the January 2 attack tells another event, not how that one was done."""
    if event is None or event["event_date"] is None:
        return False
    return any(d.explicit and abs((d.start - event["event_date"]).days) > 1 for d in found)


# Where one clause of a sentence ends and another, with its own event, begins.
_CLAUSE_JOINT = re.compile(r",\s+(?:and|while|whereas)\s+|;\s+")
# A day that starts a period ("Since this current phase began on December 9th"): no later
# sentence's day.
_PERIOD_START = re.compile(
    r"\b(?:since|began|begun|started|starting|beginning|from)\b[^,;.]{0,40}$", re.I
)
# A sentence that moves away from the day just given.
_TIME_SHIFT = re.compile(
    rf"\W*(?:Previously|Earlier|Prior|Before|Since|Last|In (?:\d{{4}}|{D.MONTH_NAME})|Over the|"
    r"During the|Historically|Meanwhile)\b",
    re.I,
)


def _same_moment_elsewhere(text: str, found: list[D.DateSpan]) -> list[D.DateSpan]:
    """Without a day in parentheses that is the sentence's day in another time zone ("today at
    about 8:40 p.m. EDT (4:40 a.m., April 7, in Syria)"): one moment, one event."""
    brackets = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text)]
    if not brackets or len(found) < 2:
        return found

    def inside(d: D.DateSpan) -> bool:
        return any(a <= d.position < b for a, b in brackets)

    days = {d.start for d in found if d.explicit and not inside(d)}
    return [d for d in found if not (inside(d) and any(abs((d.start - o).days) <= 1 for o in days))]


# A day that names another event ("The February 16 attack prompted ... airstrikes"): that
# event's, never the sentence's day for the others.
_NAMES_AN_EVENT = re.compile(
    r"['’]?s?\s+(?:[\w-]+\s+)?(?:attacks?|strikes?|bombings?|killings?|assaults?|raids?|"
    r"ambush|explosions?|blasts?|incidents?)\b",
    re.I,
)


# The named event's own relative clause ("yesterday's attacks in Kabul that killed 38
# innocent Afghans"): its words tell that event, and its day is theirs.
_ITS_CLAUSE = re.compile(r"[^,;.]*?\b(?:that|which|who)\b", re.I)


def _named_event(text: str, span: D.DateSpan) -> re.Match[str] | None:
    """The event word a day stands before, when the lexicon knows it as one."""
    named = _NAMES_AN_EVENT.match(text, span.position + len(span.text))
    return named if named and ANY_TRIGGER.search(named.group(0)) else None


def _the_sentences_day(
    text: str, trigger: Trigger, found: list[D.DateSpan], answered: tuple[int, int] | None
) -> D.DateSpan | None:
    """The one day a sentence gives another of its events, for a trigger it did not go to:
    "On Oct. 19, a rocket attack targeted Ain al-Asad, and a drone was shot down near Erbil"."""
    days = {
        (d.start, d.end)
        for d in found
        if d.explicit
        and d.precision == 1
        and _side(answered, d.position) == _side(answered, trigger.start)
        and not _named_event(text, d)
        and not _nobodys_day(text, d)
    }
    if len(days) != 1:
        return None
    start, end = days.pop()
    return D.DateSpan(start, end, 1, "", -1, False)


def _days_apart(sentence: Sentence, trigger: Trigger, before: dict[str, Any]) -> D.DateSpan | None:
    """The day of an event told as "N days after/before" the one just reported, when the
    sentence refers back to that one ("The strike came two days after a suicide bombing")."""
    apart = _DAYS_APART.search(sentence.text, max(0, trigger.start - 60), trigger.start)
    day = before["event_date"]
    if (
        apart is None
        or not _REFERS_BACK.match(sentence.text)
        or before["time_precision"] != 1
        or day is None
        or before["date_end"] not in (None, day)
    ):
        return None
    n = D.SMALL_NUMBERS.get(apart["n"].lower()) or int(apart["n"])
    day = day - dt.timedelta(days=n if apart["dir"].lower() == "after" else -n)
    return D.DateSpan(day, day, 1, apart.group(0), trigger.start, True)


# "urged the public Saturday ..., one day after an armed group carried out attacks": the
# event of the clause after "N days after" is N days before the sentence's own day
_DAYS_AFTER_IN = re.compile(
    rf"\b(?P<n>{'|'.join(D.SMALL_NUMBERS)}|\d)\s+days?\s+(?P<dir>after|before)\s+"
    r"(?:[\w'’-]+\s+){0,6}$",
    re.I,
)


def _days_from_its_day(text: str, trigger: Trigger, found: list[D.DateSpan]) -> D.DateSpan | None:
    """The day of an event its sentence counts from the sentence's one day ("Saturday, one
    day after ... attacks": Friday)."""
    apart = _DAYS_AFTER_IN.search(text, max(0, trigger.start - 70), trigger.start)
    if apart is None or re.search(r"[.;:]", text[apart.start() : trigger.start]):
        return None
    days = [d for d in found if d.explicit and d.precision == 1 and d.position < apart.start()]
    if not days or len({(d.start, d.end) for d in days}) > 1 or days[-1].start != days[-1].end:
        return None  # no one day of the sentence to count from
    n = D.SMALL_NUMBERS.get(apart["n"].lower()) or int(apart["n"])
    day = days[-1].start - dt.timedelta(days=n if apart["dir"].lower() == "after" else -n)
    return D.DateSpan(day, day, 1, apart.group(0), trigger.start, True)


def _refine(event, trigger, counts, doc_name, sentence) -> None:
    event["event_type"], event["sub_event_type"] = trigger.event_type, trigger.sub_event_type
    event["confidence"] = round(min(0.99, event["confidence"] + trigger.strength - 0.3), 3)
    event["_generic"] = _vague(trigger)
    event["_blast"] = _bare_blast(trigger, event["_span"])
    _told_again(event, counts, doc_name, sentence)


def _told_again(event, counts, doc_name, sentence) -> None:
    """A sentence about an event already recorded: its higher counts, and its quote."""
    for key, value in zip(("fatalities", "injured"), counts, strict=True):
        if value is not None and (event[key] is None or value > event[key]):
            event[key] = value
    event["sources"].append(_source(doc_name, sentence))
    event["_sentence"], event["_paragraph"] = sentence.index, sentence.paragraph


def _only_its_country(places: list[PlaceMention], previous: dict[str, Any] | None) -> bool:
    """The sentence names no place finer than countries, one of them the event before's."""
    return (
        previous is not None
        and all(m.kind == "country" for m in places)
        and any(m.country_code == previous["_country"] for m in places)
    )


def _within_its_country(places: list[PlaceMention], previous: dict[str, Any] | None) -> bool:
    """The event before is placed no finer than a country, and the sentence's places lie in
    it: "These air strikes took place in Shabwah, Hadramawt and Al-Bayda" after six strikes
    "in Yemen" tells where they were, not three more. (One place alone refines the event:
    merging does that.)"""
    return (
        previous is not None
        and previous["_place_kind"] == "country"
        and all(m.country_code == previous["_country"] for m in places)
        and len({m.name for m in places if m.kind != "country"}) > 1
    )


def _by_the_state(text: str, trigger: Trigger, actors: tuple) -> bool:
    """Whether a place was seized by a state's forces: the actor found, or the clause's
    subject ("Iraqi Counter Terrorism Service forces seized Mosul International Airport",
    whoever the release quotes)."""
    subject = re.split(r"[,;:—–]", text[: trigger.start])[-1]
    if _NON_STATE.search(subject):
        return False
    return bool(
        (actors[0] and _STATE_FORCES.search(actors[0]))
        or peoples_forces(subject)
        or _STATE_FORCES.search(subject)  # "The Afghan National Army took over Camp Dwyer"
        or re.search(r"\bcoalition\b", subject, re.I)
    )


# A base taken over with no fight: "Iraqi Security Forces took control of Camp Taji" in a
# release on the coalition's handovers is the base handed over, not a battle won.
_TAKES_A_BASE = re.compile(
    r"^(?:took|taken|takes?|taking|gained) (?:full )?(?:control of|over)\s+(?:the\s+)?"
    r"(?:[\w'’-]+\s+){0,4}?(?:Camp|FOB|base|air ?base|airfield|facility|installation|compound|"
    r"headquarters|Command)\b",
    re.I,
)
_HANDOVER_WORDS = re.compile(
    r"\b(?:hand(?:ed|s|ing)? over|handovers?|transferr?(?:ed|ing)?|transfers?|turned over)\b|"
    r"\bfrom (?:the )?(?:coalition|U\.S\.|United States|American|NATO)\b|"
    # "the Al Qaim base, which had housed Coalition troops"
    r"\b(?:housed|hosted|housing|hosting) (?:the )?(?:coalition|U\.S\.|American|NATO)\b",
    re.I,
)


def _handed_over(article_text: str, sentence: str, trigger: Trigger) -> bool:
    """Whether a state's taking of a place is a handover: a base, no enemy or fight in the
    sentence, and the article speaks of handing over."""
    return bool(
        _TAKES_A_BASE.match(sentence[trigger.start :])
        and not _NON_STATE.search(sentence)
        and not any(t.violent and t.start != trigger.start for t in find_triggers(sentence))
        and _HANDOVER_WORDS.search(article_text)
    )


def _told_before(sentence, trigger, span, last_event, last_attack) -> dict[str, Any] | None:
    """The event reported before that a sentence speaks of again, when it adds no day: the
    attack that strikes answer ("in response to yesterday's attack"), or the event of a
    condolence or condemnation ("the victims of this brutal attack")."""
    if span is not None and span.explicit:
        return None
    if (
        trigger.violent
        and trigger.strength < 0.5
        and last_attack is not None
        and _ANSWER.search(sentence.text)
    ):
        return last_attack
    if (
        trigger.definite
        and last_event is not None
        and _STATEMENT.search(sentence.text)
        and not _ANOTHER.search(sentence.text)
    ):
        return last_event
    if (
        last_event is not None
        and sentence.index - last_event["_sentence"] <= 3
        and _IT_WAS.search(sentence.text, 0, trigger.start)
    ):
        return last_event  # '"It was a suicide attack," the spokesman said': what it was
    if (
        trigger.violent
        and last_attack is not None
        and sentence.index - last_attack["_sentence"] <= 3
        and _AFTER_THE.search(sentence.text, 0, trigger.start)
    ):
        return last_attack  # "Soldiers fled the base following the heavy attack": a time
    return None


# A yes-no question asks whether it happened ("And did rockets hit Al Asad Air Base on
# Wednesday?"); "how many were killed in the strike?" takes it as told.
_QUESTION = re.compile(
    r"^(?:Q\s*:\s*)?(?:(?:and|so|but|sir|general|john|ma'am),?\s+)*(?:did|does|do|was|were|is|are|"
    r"has|have|had|can|could|will|would)\b(?=.*\?[\s\"”’')]*$)",
    re.I | re.S,
)
# Changes of who holds or stands where: told with no place and no day of their own, unsure
_MOVES = frozenset({"Arrests", "Change to group/activity", "Non-violent transfer of territory"})
_A_HALT = re.compile(r"paus|suspen|halt|(?:placed|put) on hold", re.I)
# "following the heavy attack", "in the wake of the attack": the attack as a time, told before
_AFTER_THE = re.compile(
    r"\b(?:following|after|since|amid|in the wake of)\s+(?:the|this|that)\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.I,
)


def _elsewhere(mention: PlaceMention, event: dict[str, Any]) -> bool:
    """A town or site more than 25 km from an event placed at a town or site."""
    return (
        mention.kind not in ("country", "region")
        and event["_place_kind"] not in (None, "country", "region")
        and distance_km(mention.latitude, mention.longitude, event["latitude"], event["longitude"])
        > 25
    )


def _answered_attack(sentence, trigger, places, last_attack) -> dict[str, Any] | None:
    """The attack that strikes "in response" answer, when the sentence places them no finer
    than its country: an attack a few sentences before, with a place."""
    if (
        trigger.sub_event_type != AIR_STRIKE
        or last_attack is None
        or last_attack["_mention"] is None
        or sentence.index - last_attack["_sentence"] > 6
        or not _ANSWER.search(sentence.text)
    ):
        return None
    country = last_attack["_mention"].country_code
    if all(m.kind == "country" and m.country_code == country for m in places):
        return last_attack
    return None


def _context_places(article: _Article, sentence: Sentence) -> list[PlaceMention]:
    """The places of the sentences before, in its paragraph; when it names its place by a noun
    ("the airfield"), else of the paragraph before ("... an attack on Baledogle Airfield." /
    "Fighters detonated a car bomb at the entrance of the airfield.")."""
    before = article.sentences[max(0, sentence.index - 4) : sentence.index]
    for same_paragraph in (True, False) if _PLACE_ANAPHOR.search(sentence.text) else (True,):
        context = [
            m
            for s in before
            if (s.paragraph == sentence.paragraph) == same_paragraph
            and (same_paragraph or s.paragraph == sentence.paragraph - 1)
            for m in article.places(s)
            if m.cue not in ("from", "of") and not (m.cue == "near" and m.kind == "country")
        ]
        if context:
            return context
    return []


@dataclass
class _Running:
    """What the sentences read so far leave for the next: the events last told (overall, by
    type, the last attack) and the last day given, to which follow-up sentences attach."""

    by_type: dict[str, dict[str, Any]] = field(default_factory=dict)  # also by type/sub-type
    event: dict[str, Any] | None = None
    attack: dict[str, Any] | None = None
    date: tuple[int, D.DateSpan, int] | None = None  # sentence, its day or span, paragraph
    operation_day: tuple[int, D.DateSpan] | None = None  # a dated operation, told next
    lead: D.DateSpan | None = None  # the first day the body gives: a new section's
    period: D.DateSpan | None = None  # a periodic report's period: its undated events'

    def dated(self, sentence: Sentence, span: D.DateSpan) -> None:
        self.date = (sentence.index, span, sentence.paragraph)
        self.lead = self.lead or span

    def new_section(self, sentence: Sentence) -> None:
        """A subhead ("Strikes in Iraq") ends the section before: its list items are of the
        report's lead day again, not of the last day an item gave ("Twelve July 25 strikes")."""
        if self.lead is not None:
            self.date = (sentence.index, self.lead, sentence.paragraph)

    def told(self, record: dict[str, Any], trigger: Trigger, headline: bool) -> None:
        if trigger.violent and trigger.sub_event_type != AIR_STRIKE and not headline:
            self.attack = record
        self.by_type[trigger.event_type] = record
        self.by_type[f"{trigger.event_type}/{trigger.sub_event_type}"] = record
        self.event = record


def _sentence_dates(sentence: Sentence, anchor: D.Anchor | None) -> list[D.DateSpan]:
    """The days a sentence gives, without those that date the report (dateline, file header)."""
    found = D.find_dates(sentence.text, anchor)
    dateline = D.DATELINE_HEAD.match(sentence.text)
    if dateline:  # "KABUL, Sept. 6, 2019 (Wire) —" dates the report, not the event
        found = [d for d in found if d.position >= dateline.end()]
    found = _same_moment_elsewhere(sentence.text, found)
    lead = D.LEAD_DATE.match(sentence.text) if sentence.index == 0 else None
    if lead:  # a bare "date 2000-01-01" atop a file is file metadata, never an event's day
        found = [d for d in found if d.position >= lead.end()]
    return found


# A sentence that sums up events with no trigger of its own ("a series of high-profile
# attacks"), whose date the sentences after it inherit
_SUMMARY = re.compile(
    r"\b(?:series|wave|spate|string|number|campaign) of (?:[\w-]+ ){0,3}"
    r"(?:attacks|strikes|airstrikes|bombings|raids|assaults)\b",
    re.I,
)


def _follow_up(article: _Article, sentence: Sentence, anchor, run: _Running) -> None:
    """A sentence with no event of its own: the day, place or casualties of the event just
    told, or the day of an operation whose strike the next sentence tells."""
    doc, last = article.doc, run.event
    dated = _DATED_ANAPHOR.search(sentence.text)
    if (
        dated
        and last is not None
        and sentence.index - last["_sentence"] <= 5
        and last["_span"] is not None
        and not last["_span"].explicit
    ):
        # "... the terrorist attack in Grand-Bassam." "... yesterday's episode must not ...":
        # the day of the event just reported
        days = [d for d in D.find_dates(dated.group(0), anchor) if d.explicit]
        if days and last["_span"].overlaps(days[0], slack=0):
            last["_span"] = days[0]
            last["confidence"] = round(min(0.99, last["confidence"] + 0.15), 3)
            last["sources"].append(_source(doc.name, sentence))
    if _DATED_OPERATION.search(sentence.text):
        days = [d for d in D.find_dates(sentence.text, anchor) if d.explicit]
        if len({(d.start, d.end) for d in days}) == 1:
            run.operation_day = (sentence.index, days[0])
    if _SUMMARY.search(sentence.text):
        # "ISIS-K continued to destabilize Afghanistan this quarter with a series of attacks.
        # These included a bombing at the Kabul airport": the list's date
        days = [d for d in _sentence_dates(sentence, anchor) if d.explicit]
        if len({(d.start, d.end) for d in days}) == 1:
            run.dated(sentence, days[0])
    if last is None:
        return
    # "The operation occurred 60 miles northwest of the capital, Mogadishu.": where the event
    # just reported was, when it was placed no finer than its country.
    if sentence.index - last["_sentence"] <= 2 and _WHERE_IT_WAS.match(sentence.text):
        finer = [m for m in article.places(sentence) if not m.weak and m.cue != "of"]
        if finer and _rank(finer[0], "sentence") < last["_place_rank"]:
            _place_at(last, finer[0])
            last["sources"].append(_source(doc.name, sentence))
            return
    # "... was killed October 16 ... in a firefight with the Armed Forces of the Philippines."
    # "We congratulate our partners ... the months-long siege of Marawi.": the one town of the
    # event's country that the next sentence names
    if (
        last["_sentence"] == sentence.index - 1
        and last["_place_kind"] == "country"
        and last["_paragraph"] == sentence.paragraph
    ):
        towns = [
            m
            for m in article.places(sentence)
            if not m.weak and m.kind in ("city", "site") and m.country_code == last["_country"]
        ]
        if len({m.name for m in towns}) == 1:
            _place_at(last, towns[0])
            last["sources"].append(_source(doc.name, sentence))
            return
    # "14 others injured." right after an event adds to it.
    if last["_sentence"] == sentence.index - 1:
        fatalities, injured = casualties(sentence.text)
        if fatalities is not None or injured is not None:
            for key, value in (("fatalities", fatalities), ("injured", injured)):
                if value is not None and last[key] is None:
                    last[key] = value
            last["sources"].append(_source(doc.name, sentence))


def _history(span: D.DateSpan, anchor: D.Anchor) -> bool:
    """An event recalled, not reported: over a year before the text, or known only by a
    month or a year before the text's month ("Ukraine recaptured Kherson in November", in
    February; "targeted the base last year"). Quarters stay: periodic reports date their
    events by them."""
    if (anchor.start - span.end).days > 365:
        return True
    return span.precision == 3 and not _a_quarter(span) and span.end < anchor.start.replace(day=1)


def _a_quarter(span: D.DateSpan) -> bool:
    """A calendar quarter, as periodic reports date what they report."""
    return (
        span.start.day == 1
        and span.start.month % 3 == 1
        and (span.end + dt.timedelta(days=1)).day == 1
        and (span.end.month - span.start.month) == 2
    )


def _inherited(span: D.DateSpan) -> D.DateSpan:
    """Another sentence's day, or its month: never finer than that sentence gave it."""
    return D.DateSpan(span.start, span.end, span.precision, "", -1, False)


def _fallback_day(
    sentence: Sentence,
    trigger: Trigger,
    anchor: D.Anchor | None,
    run: _Running,
    context: tuple[list[D.DateSpan], tuple[int, int] | None, bool],
) -> D.DateSpan:
    """The day of an event whose clause gives it none of its own, first match wins: the dated
    operation just told, "N days after" the last event, the sentence's one day, the
    paragraph's day, "the following day", a list under a day, else the report's own window.
    `context` is the sentence's days given to its triggers, its answered clause and whether
    it is a headline or caption."""
    owned_days, answered, headline = context
    last_date = run.date
    if (
        trigger.definite
        and run.operation_day is not None
        and run.operation_day[0] == sentence.index - 1
    ):  # "... conducted an operation today ..." "The unmanned airstrike occurred in X."
        return run.operation_day[1]
    if run.event is not None and (apart := _days_apart(sentence, trigger, run.event)):
        return apart
    if one_day := _the_sentences_day(sentence.text, trigger, owned_days, answered):
        return one_day
    if (
        last_date
        and last_date[2] == sentence.paragraph
        and sentence.index - last_date[0] <= 2
        and not _TIME_SHIFT.match(sentence.text)
        and not _NEXT_OR_BEFORE.search(sentence.text)
        and not headline
    ):
        # "On Oct. 18, forces were attacked by drones and rockets. In western Iraq, two drones
        # targeted Al Asad Air Base": the details of the day (or month) just given
        return _inherited(last_date[1])
    if last_date and last_date[1].precision == 1 and sentence.index - last_date[0] <= 3:
        same_day = _SAME_DAY.search(sentence.text)
        if same_day:  # "Earlier in the day, ... attacked": the day just reported
            day = last_date[1].start
            return D.DateSpan(day, day, 1, same_day.group(0), -1, False)
        if shift := _NEXT_OR_BEFORE.search(sentence.text):
            # "The following day, ..." / "a day earlier": a day from the one reported
            step = 1 if _LATER.search(shift.group(0)) else -1
            day = last_date[1].start + dt.timedelta(days=step)
            return D.DateSpan(day, day, 1, shift.group(0), -1, False)
    if (
        last_date
        and sentence.index - last_date[0] <= 12
        and _LIST_ITEM.match(sentence.text)  # "-- Near Dayr Az Zawr, four strikes ..."
    ):
        return _inherited(last_date[1])
    after = (
        last_date[1].start
        if last_date and sentence.index - last_date[0] <= 3 and _CONSEQUENCE.search(sentence.text)
        else None
    )
    if run.period is not None and after is None and anchor is not None:
        if _AFTER_THE_PERIOD.search(sentence.text):
            # "an attack, just after the quarter ended, on Kenya's Manda Bay Airfield"
            start = run.period.end + dt.timedelta(days=1)
            if start <= anchor.start:
                return D.DateSpan(start, anchor.start, 3, "", -1, explicit=False)
        return run.period  # a quarterly report's undated events are of its quarter
    return D.report_window(anchor, after=after)


# A periodic report says so: "Quarterly Report to the United States Congress", "The report
# covers the period April 1, 2017, to June 30, 2017", "during the reporting period".
_PERIODIC = re.compile(
    r"\b(?:quarterly report|reporting period|covers the (?:period|quarter))\b", re.I
)


_AFTER_THE_PERIOD = re.compile(
    r"\b(?:after|since) the (?:end of the )?(?:quarter|reporting period)(?: ended)?\b", re.I
)


def _report_period(article: _Article) -> D.DateSpan | None:
    """The period a quarterly report covers, as it states it ("April 1, 2017 - June 30,
    2017"), else the last whole quarter before it was published; None for other texts."""
    if not _PERIODIC.search(article.doc.clean[:6000]):
        return None
    anchor = D.anchor_at(article.anchors, 0)
    for sentence in article.sentences[:12]:
        if not _PERIODIC.search(sentence.text):
            continue
        days = [d for d in _sentence_dates(sentence, anchor) if d.explicit and d.precision == 1]
        if len(days) >= 2:
            start, end = days[0].start, days[-1].start
            if start > end:  # "July 1 to September 30, 2020": the first day has no year
                start = start.replace(year=end.year)
            if 28 <= (end - start).days <= 190:
                return D.DateSpan(start, end, 3, "", -1, explicit=False)
    return D.last_quarter(anchor) if anchor is not None else None


# "has taken control of the town": a town told of before, by no name
_THE_TOWN = re.compile(
    r"^\s+(?:\w+\s+){0,2}?the\s+(?:town|city|village|base|camp|district)\b(?!\s+of\s+[A-Z])"
)


def _fallback_places(
    article: _Article, sentence: Sentence, trigger: Trigger, last: dict[str, Any] | None = None
) -> tuple[list[PlaceMention], str | None]:
    """Where an event whose sentence names no place was: the town the article's last event
    was in, when the sentence speaks of "the town"; the paragraph's place; else the article's
    main place (in the country the sentence's actors point to)."""
    if (
        last is not None
        and last.get("_mention") is not None
        and last["_place_kind"] in ("city", "site", "region")
        and _THE_TOWN.match(sentence.text[trigger.end :])
    ):
        return [last["_mention"]], "paragraph"
    context = _context_places(article, sentence)
    if context:
        if not context[0].weak:
            # "First, in Syria, ... forces ... are now in control of Jarabulus" / "We did
            # conduct additional coalition air strikes today": the town, not its country
            finer = [m for m in context if not m.weak and m.kind != "country"]
            if context[0].kind == "country" and len(finer) == 1:
                return finer, "paragraph"
            return [context[0]], "paragraph"
        return [min(context, key=lambda m: (m.weak, m.start))], "paragraph"
    salient = article.salient_place()
    hinted = article.country_of(sentence, find_actors(sentence.text, trigger))
    if hinted is not None and (salient is None or salient.country_code != hinted):
        salient = article.country_mention(hinted) or salient
    if salient is not None:
        return [salient], "article"
    return [], None


def _continues_last(
    doc_name: str,
    sentence: Sentence,
    triggers: list[Trigger],
    found_dates: list[D.DateSpan],
    mentions: list[PlaceMention],
    counts: tuple[int | None, int | None],
    run: _Running,
) -> bool:
    """Whether a sentence with triggers only tells more of an event just reported (its
    weapon, where it was, how it was done), which it then adds to that event."""
    last_event = run.event
    if (
        last_event is not None
        and sentence.index - last_event["_sentence"] <= 2
        and last_event["_paragraph"] == sentence.paragraph
        and all(t.violent and _vague(t) for t in triggers)
        and _THEN.search(sentence.text, 0, triggers[0].end)
        and not any(d.explicit for d in found_dates)
        and not any(m.kind != "country" for m in mentions)
    ):
        # "... an explosives-laden car detonated at the entrance." "Militants then stormed
        # inside and opened fire.": the next stage of the attack just told
        _told_again(last_event, counts, doc_name, sentence)
        return True
    specific = [t for t in triggers if t.violent and t.strength >= 0.5]
    # "investigating three attacks on U.S. bases" then "The attack in Irbil killed ...": one of
    # them, another event, not more of the count
    one_of_several = last_event is not None and bool(_SEVERAL.search(last_event["notes"] or ""))
    if (
        specific
        and (
            (
                _ANAPHORA.match(sentence.text)
                and not _another_day(found_dates, last_event)
                and not one_of_several
            )
            or (  # "... attacked the airfield." "Fighters detonated a car bomb at the gate."
                specific[0].sub_event_type != AIR_STRIKE
                and not any(d.explicit for d in found_dates)
                and not any(m.kind != "country" for m in mentions)
            )
        )
        and last_event is not None
        and last_event["_generic"]
        and sentence.index - last_event["_sentence"] <= 2
    ):
        # "... were attacked near X." then "The attack, in which 31 rockets were fired, ...":
        # the weapon tells the type of the attack already recorded.
        _refine(last_event, specific[0], counts, doc_name, sentence)
        return True
    finer = [m for m in mentions if not m.weak and m.kind not in ("country", "region")]
    if (
        _ANAPHORA.match(sentence.text)
        and last_event is not None
        and not one_of_several
        and sentence.index - last_event["_sentence"] <= 2
        and last_event["_place_kind"] in (None, "country", "region")
        and finer
        and (last_event["_country"] in (None, finer[0].country_code))
        and not any(d.explicit for d in found_dates)
        and len(triggers) == 1  # not "The strike came two days after a suicide bombing"
        # "The attack occurred near ... Dhusamareb" after a roadside bomb: any event's place
        and (triggers[0].event_type == last_event["event_type"] or _vague(triggers[0]))
    ):
        # "U.S. forces conducted a cruise missile strike against a Syrian Air Force airfield
        # today." "The strike targeted Shayrat Airfield in Homs governorate": where it was
        _place_at(last_event, finer[0])
        _told_again(last_event, counts, doc_name, sentence)
        return True
    again = _TOLD_AGAIN.search(sentence.text)
    told = run.by_type.get(_TOLD_AGAIN_KEYS[again.group(1).lower()]) if again else None
    if told is None and again and again.group(1).lower() in ("attack", "operation"):
        told = last_event
    if (
        again
        and told is not None
        and sentence.index - told["_sentence"] <= 2
        and any(t.start >= again.end() or t.end <= again.start() for t in triggers)
        and not any(d.explicit for d in found_dates)
        and not any(m.kind != "country" for m in mentions)
        and not _ANSWER.search(sentence.text)
    ):
        # "The intent of the raid was ..., noting that seven militants were killed with
        # small-arms fire and precision airstrikes": how the raid just reported was done.
        _told_again(told, counts, doc_name, sentence)
        return True
    return False


def _candidates(article: _Article) -> list[dict[str, Any]]:
    doc = article.doc
    out: list[dict[str, Any]] = []
    run = _Running(period=_report_period(article))
    for sentence in article.sentences:
        anchor = D.anchor_at(article.anchors, sentence.start)
        heading = is_headline(sentence)
        if sentence.index > 0 and heading and not _CAPTION.search(sentence.text):
            run.new_section(sentence)
        triggers = find_triggers(sentence.text)
        found_dates = _sentence_dates(sentence, anchor) if triggers else []
        if not triggers:
            _follow_up(article, sentence, anchor, run)
            continue
        answered = answered_clause(sentence.text)
        owned = _own_dates(sentence.text, triggers, found_dates, answered)
        days = {
            (d.start, d.end)
            for d in found_dates
            if d.explicit and not _nobodys_day(sentence.text, d)
        }
        if (
            len(days) == 1
            and COORDINATE.search(sentence.text)
            and not _ANSWER.search(sentence.text)
        ):
            # "Today's bombing in Parwan ..., while the suicide attack in Kabul ...": one day
            the_day = next(
                d for d in found_dates if d.explicit and not _nobodys_day(sentence.text, d)
            )
            owned = {i: owned.get(i, the_day) for i in range(len(triggers))}
        mentions = article.places(sentence)
        headline = heading or article.in_caption(sentence)
        counts = casualties(sentence.text)
        if _continues_last(doc.name, sentence, triggers, found_dates, mentions, counts, run):
            continue
        for i, trigger in enumerate(triggers):
            last_event, last_attack = run.event, run.attack
            span = _days_from_its_day(sentence.text, trigger, found_dates) or owned.get(i)
            told = _told_before(sentence, trigger, span, last_event, last_attack)
            finer = [m for m in mentions if m.cue in ("in", "near", "to") and not m.weak]
            towns = [m for m in mentions if not m.weak and m.kind in ("city", "site")]
            if told is not None and towns and _elsewhere(towns[0], told):
                # "We also condemn Da'esh's attack ... in Abu Ghraib", "the attacks on the
                # Kandahar Governor's Office": another one
                told = None
            if told is not None:  # "condolences to the victims of this attack": reported already
                told["sources"].append(_source(doc.name, sentence))
                if (
                    told.get("_headline")
                    and finer
                    and _rank(finer[0], "sentence") <= told["_place_rank"]
                ):
                    # "Rocket Attack in Iraq" / "We condemn the latest attack ... in Baghdad":
                    # the body places the headline's event, and vouches for it
                    if _rank(finer[0], "sentence") < told["_place_rank"]:
                        _place_at(told, finer[0])
                    told["confidence"] = max(
                        told["confidence"] + 0.1, _confidence(trigger, span, "sentence", False)
                    )
                    told["_headline"] = False
                continue
            lo = triggers[i - 1].end if i > 0 else 0
            hi = triggers[i + 1].start if i + 1 < len(triggers) else len(sentence.text)
            # "a rocket attack targeted Ain al-Asad, and a drone was shot down near Erbil":
            # each trigger's places within its own clause
            for joint in _CLAUSE_JOINT.finditer(sentence.text, lo, hi):
                if joint.end() <= trigger.start:
                    lo = max(lo, joint.end())
                elif joint.start() >= trigger.end and i + 1 < len(triggers):
                    hi = min(hi, joint.start())
            here = _side(answered, trigger.start)
            sided = [m for m in mentions if _side(answered, m.start) == here]
            own = [m for m in sided if m.start >= lo and m.end <= hi]
            places = _choose_places(sentence.text, trigger, own, found_dates)
            if not places and not trigger.definite:
                places = _choose_places(sentence.text, trigger, sided, found_dates)
            # "The airstrikes killed ten": the last air strike, not the car bomb before it.
            previous = run.by_type.get(
                trigger.event_type
                if trigger.strength < 0.5
                else f"{trigger.event_type}/{trigger.sub_event_type}"
            )
            # "These strikes ... in Iraq and Syria" after strikes in Iraq: the same strikes.
            backref = (
                trigger.definite
                and span is None
                and (
                    not places
                    or _only_its_country(places, previous)
                    or (
                        _DEMONSTRATIVE.search(sentence.text[: trigger.start])
                        and _within_its_country(own, previous)
                    )
                )
            )
            if backref:
                if previous is not None and sentence.index - previous["_sentence"] <= 3:
                    if (
                        previous["sub_event_type"] != trigger.sub_event_type
                        and trigger.strength > 0.5
                        and previous["confidence"] < 0.5  # a generic attack now has a weapon
                    ):
                        previous["sub_event_type"] = trigger.sub_event_type
                        previous["event_type"] = trigger.event_type
                        previous["_blast"] = False
                        previous["confidence"] = round(previous["confidence"] + 0.35, 3)
                    _told_again(previous, counts, doc.name, sentence)
                    continue
                if trigger.violent and not any(counts):
                    continue
                # "The attack ... killed one" right after a generic attack: refine that one.
            if span is None:
                context = (list(owned.values()), answered, headline)
                span = _fallback_day(sentence, trigger, anchor, run, context)
            place_source = "sentence" if places else None
            attacked = _answered_attack(sentence, trigger, places, last_attack)
            if attacked is not None:  # the strikes answering an attack: at the attacked place
                places, place_source = [attacked["_mention"]], "paragraph"
            if not places:
                places, place_source = _fallback_places(article, sentence, trigger, run.event)
            actors = find_actors(sentence.text, trigger)
            if trigger.sub_event_type == OVERTAKES and _by_the_state(
                sentence.text, trigger, actors
            ):
                trigger.sub_event_type = REGAINS  # "Iraqi forces seized"
                if _handed_over(article.doc.clean, sentence.text, trigger):
                    trigger.event_type, trigger.violent = STRATEGIC, False
                    trigger.sub_event_type = "Non-violent transfer of territory"
            elif trigger.sub_event_type == REGAINS and _NON_STATE.search(
                re.split(r"[,;:—–]", sentence.text[: trigger.start])[-1]
            ):
                trigger.sub_event_type = OVERTAKES  # "al-Shabab attacked and recaptured a town"
            conf = _confidence(
                trigger,
                span,
                place_source,
                # "the attack": told before, unless it has its own day, or nothing came before
                trigger.definite and not (span and span.explicit) and last_event is not None,
            )
            if trigger.violent and any(counts) and place_source == "sentence":
                conf = min(0.99, conf + 0.1)  # "the attack that killed three soldiers": it was
            in_period = (
                trigger.violent
                and run.period is not None
                and span is not None
                and span.overlaps(run.period, 0)
            )
            if span is not None and anchor is not None and _history(span, anchor) and not in_period:
                # "attacked the embassy in 2008": history, unsure; but "In January" in a
                # quarterly report is a month of the quarter it reports
                conf = min(conf, 0.45)
            if not trigger.violent and span is not None and _a_quarter(span):
                # "as the United States completed its withdrawal" in a quarterly report: a
                # change over three months, no event of a day
                conf = min(conf, 0.45)
            if headline:
                conf = min(conf, HEADLINE_CONFIDENCE)
            if _QUESTION.match(sentence.text.strip()):
                # a reporter's "did rockets hit Al Asad Air Base on Wednesday?": asked, not
                # reported; the answer that confirms it is a report of its own
                conf = min(conf, 0.45)
            if (
                trigger.sub_event_type in _MOVES
                and not _A_HALT.match(trigger.text)  # "paused training": a decision for all
                and place_source != "sentence"
                and not (span and span.explicit)
            ):
                # "Iraqi forces have made an initial arrest, he said", "reinforcements have
                # been sent to the base": neither place nor day of its own, unsure
                conf = min(conf, 0.45)
            follows = FOLLOWS.search(sentence.text, 0, trigger.start)
            if follows and not (span and span.explicit):
                # "the airstrikes come days after the Houthis claimed ... drone attacks": an
                # earlier event, its day not given
                conf = min(conf, 0.45)
            # "air strikes May 25, two airstrikes June 23 and 30": an event on each day listed
            days = _date_list(sentence.text, found_dates) if len(triggers) == 1 else []
            for place in places or [None]:
                item_spans = days or [span]
                if len(places) > 1 and place_source == "sentence":
                    item_spans = [_item_dates(sentence.text, place, found_dates) or span]
                for item_span in item_spans:
                    record = _record(
                        doc.name, sentence, trigger, item_span, place, place_source, counts,
                        actors, conf,
                    )  # fmt: skip
                    record["_headline"] = headline
                    record["_from_headline"] = headline and sentence.index == 0  # the title
                    record["_mention"] = place
                    record["_separate"] = bool(_SEPARATE.match(sentence.text))
                    answer = _ANSWER.search(sentence.text)
                    if (
                        run.attack is not None
                        and answer
                        # not the answered attack itself; after "responded" comes the answer
                        and (not here or answer.group(0).lower().startswith("respond"))
                    ):
                        record["_answers"] = run.attack  # the artillery answering an attack
                    out.append(record)
                    run.told(record, trigger, headline)
            if span is not None and span.explicit:
                run.dated(sentence, span)
        if found_dates:
            explicit = [
                d
                for d in found_dates
                if d.explicit
                and not _PERIOD_START.search(sentence.text, 0, max(d.position, 0))
                and not _nobodys_day(sentence.text, d)  # "the spokesman said Wednesday"
            ]
            if explicit:
                run.dated(sentence, explicit[0])
    # one article's mentions merged, then folded
    records = _against_civilians(_fold_generic(merge(out)), doc.original)
    return _unsure_where(_namesakes_elsewhere(records, article), article)


def _namesakes_elsewhere(records: list[dict[str, Any]], article: _Article) -> list[dict[str, Any]]:
    """A town placed far from every province of its country that the event's sentences name
    is a namesake of a place in that province the gazetteer lacks: the event is in the
    province, as far as the text says."""
    by_start = {sentence.start: sentence for sentence in article.sentences}
    for record in records:
        if record["_place_kind"] != "city":
            continue
        told = [by_start[s["start"]] for s in record["sources"] if s["start"] in by_start]
        regions = {
            m.name: m
            for t in told
            for m in article.places(t)
            if m.kind == "region" and m.country_code == record["_country"]
        }
        if len(regions) != 1:
            continue  # none, or several provinces: no one province the event is in
        (region,) = regions.values()
        far = distance_km(
            region.latitude, region.longitude, record["latitude"], record["longitude"]
        )
        if _PROVINCE_NAMED.search(region.place_text) and far > NAMESAKE_KM:
            _place_at(record, region)
    return records


def _unsure_where(records: list[dict[str, Any]], article: _Article) -> list[dict[str, Any]]:
    """An event placed at its country while one of its sentences names a place the gazetteer
    lacks ("recaptured Awdhegle", "22 Somali Soldiers Killed ..." then "in the town of
    Runirgood") is there, not anywhere in the country: unsure until a reviewer places it."""
    by_start = {sentence.start: sentence for sentence in article.sentences}
    for record in records:
        placed_by_text = record["_place_kind"] != "country" and not record["_place_weak"]
        if placed_by_text or record["confidence"] <= UNPLACED_CONFIDENCE:
            continue  # placed by its own words, or unsure already
        told = [by_start[s["start"]] for s in record["sources"] if s["start"] in by_start]
        names = [
            n
            for t in told
            for n in unplaced_names(t.text, article.places(t))
            if not article.finder.find(n, article.countries)  # "the Mission in Somalia": known
        ]
        if not names:
            continue
        placed = next(filter(None, (_placed_elsewhere(name, article) for name in names)), None)
        if placed is not None:
            _place_at(record, placed)  # "recaptured Awdhegle": the town told of before
        else:
            record["confidence"] = UNPLACED_CONFIDENCE
    return records


# "the town of Awdhegle, 70 kilometers south of Mogadishu": an unknown town placed by its
# distance from a known one
_OFFSET_AFTER = re.compile(
    r"^,?\s+(?:(?:about|some|roughly|nearly|around|approximately)\s+)?\d[\d,.]*\s*"
    r"(?:kilometers|kilometres|km|miles)\s+(?:\(\d[\d,.]*\s*(?:miles|km|kilometers)\)\s+)?"
    r"(?:(?:north|south)?(?:east|west)|north|south)(?:ern)?\s+of\s+$|"
    r"^,?\s+(?:near|outside)\s+(?:the\s+)?$",
    re.I,
)


def _placed_elsewhere(name: str, article: _Article) -> PlaceMention | None:
    """Where another sentence of the article places a town the gazetteer lacks: the known
    town it gives the distance from, near (geo_precision 2)."""
    for sentence in article.sentences:
        at = sentence.text.find(name)
        if at < 0:
            continue
        after = at + len(name)
        for mention in article.places(sentence):
            if mention.start >= after and _OFFSET_AFTER.match(sentence.text[after : mention.start]):
                return replace(mention, geo_precision=max(mention.geo_precision, 2))
    return None


def _against_civilians(records: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """An attack with no weapon whose sentences name only unarmed targets ("the attack near
    Kabul University ... a day of celebration"; "women and children ... were killed") is
    violence against civilians, as ACLED codes it; one on troops or police stays a clash."""
    for record in records:
        if not record["_generic"] or record["sub_event_type"] != "Armed clash":
            continue
        told = " ".join(text[s["start"] : s["end"]] for s in record["sources"])
        if not _ARMED_TARGET.search(told):
            record.update(event_type=CIVILIANS, sub_event_type="Attack")
            if _CIVILIAN_TARGET.search(told):  # a target named: it was
                record["confidence"] = min(0.99, record["confidence"] + 0.1)
    return records


def _fold_generic(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One article's vague "attack" on the days of an attack it also reports with a weapon
    ("the attack on a coalition base in Syria" / "the drone attack on the base near
    Hasakah"): one event, the specific one, with both quotes. So are its "protests" on the
    days of the violent demonstration it reports there, and the other cases `_told_in` lists."""
    violent = [
        r
        for r in records
        if r["event_type"] in (EXPLOSIONS, CIVILIANS, "Battles")
        and r["sub_event_type"] not in TERRITORY  # a town seized is no weapon attack
    ]
    riots = [r for r in records if r["event_type"] == "Riots"]
    kept = []
    for record in records:
        target = _told_in(record, violent, riots)
        if target is None:
            kept.append(record)
            continue
        target["sources"].extend(record["sources"])
        for key in ("fatalities", "injured"):
            if record[key] is not None and (target[key] is None or record[key] > target[key]):
                target[key] = record[key]
        if record["_span"].explicit and not target["_span"].explicit:
            target["_span"] = record["_span"]  # "June 8 ... an enemy attack" / "under mortar fire"
        if target.get("_headline"):  # the body vouches for the headline's event
            target["confidence"] = max(target["confidence"], record["confidence"])
    return kept


def _told_in(
    record: dict[str, Any], violent: list[dict[str, Any]], riots: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The article's event that `record` tells again, less exactly, if any: the first rule
    that applies to it decides. (Pools per record: a title may have typed an earlier one.)"""
    specific = [r for r in violent if not r["_generic"]]
    blasts = [r for r in specific if r["event_type"] == EXPLOSIONS]
    country_wide = record["_place_kind"] == "country"
    if record["_generic"]:
        title = next((r for r in specific if _weapon_of_many(r, record)), None)
        if title is not None and record["_place_kind"] not in (None, "country"):
            # "Missile Attacks on U.S. Bases" over "The attack in Irbil ..., while the attack in
            # Baghdad's Green Zone ...": each attack placed is one of the title's, its weapon
            record.update(
                event_type=title["event_type"],
                sub_event_type=title["sub_event_type"],
                _generic=False,
            )
            return None
        return next((r for r in specific if _same_attack(record, r)), None)
    if record["_blast"]:
        # "explosions and gunshots were heard, in Jalalabad city" beside "a suicide bomber
        # blowing himself up at the entrance": the bombing, told by its sound
        told = [r for r in blasts if not r["_blast"] and r is not record]
        target = next((r for r in told if _same_attack(record, r)), None)
        if target is None and country_wide:
            # "An explosion occurred at about the same time near the military headquarters",
            # placed nowhere finer: part of that day's attack there
            target = next((r for r in violent if _detail_of(record, r)), None)
        if target is None:
            # "heavy clashes overnight ... Residents reported the area was rocked by blasts":
            # the sound of that day's fight there, no bombing of its own
            fights = [r for r in specific if r["sub_event_type"] == "Armed clash"]
            target = next((r for r in fights if _same_day_there(r, record)), None)
        return target
    if country_wide and record["event_type"] == EXPLOSIONS:
        # "On Oct. 18, forces in Iraq and Syria were attacked by drones and rockets." over
        # "two drones targeted Al Asad Air Base": the day's summary, told in detail
        return next((r for r in blasts if _detail_of(record, r)), None)
    if record["sub_event_type"] == "Attack":
        # "today's attack on civilians at a cultural center" under "Suicide Attack in Kabul":
        # the weapon makes it an explosion, as ACLED codes a bombing of civilians
        return next((r for r in blasts if _same_attack(record, r)), None)
    if record["sub_event_type"] == "Peaceful protest":
        return next((r for r in riots if _same_attack(record, r)), None)
    if record["sub_event_type"] == "Armed clash" and record.get("_answers") is None:
        # "militants detonated a suicide car bomb at the base followed by an infantry attack":
        # a complex attack is one event, coded by its opening bombing
        bombs = [r for r in blasts if r["sub_event_type"] in _GROUND_BOMBS and not r["_blast"]]
        return next((r for r in bombs if _same_day_there(record, r)), None)
    if country_wide and record["event_type"] == "Battles":
        # "Al-Shabab said its fighters overran the base" after "the militants attacked Daynunay
        # military base": that day's fight there, in the other side's words
        fights = [r for r in violent if r["event_type"] == "Battles"]
        return next((r for r in fights if _detail_of(record, r)), None)
    return None


def _weapon_of_many(title: dict[str, Any], record: dict[str, Any]) -> bool:
    """A title that names the weapon of several attacks in `record`'s country and days."""
    return bool(
        title.get("_from_headline")
        and title["_country"] == record["_country"]
        and re.search(r"\b(?:attacks|strikes)\b", title["notes"] or "", re.I)
        and title["_span"] is not None
        and record["_span"] is not None
        and title["_span"].overlaps(record["_span"], slack=1)
    )


def _detail_of(summary: dict[str, Any], detail: dict[str, Any]) -> bool:
    """A finer explosion in the summary's country on its very day, and not one that answers
    it or that it answers ("In response to this attack ..., we carried out precision
    defensive strikes")."""
    return (
        detail is not summary
        and summary.get("_answers") is None
        and detail.get("_answers") is None
        and detail["_place_kind"] not in (None, "country")
        and detail["_country"] == summary["_country"]
        and summary["_span"] is not None
        and detail["_span"] is not None
        and summary["_span"].precision == detail["_span"].precision == 1
        and summary["_span"].start == detail["_span"].start
    )


_GROUND_BOMBS = frozenset({"Suicide bomb", "Remote explosive/landmine/IED"})


def _same_day_there(clash: dict[str, Any], bomb: dict[str, Any]) -> bool:
    """A clash on the very day and at the very place of a bombing (or placed no finer than
    its country), not by the bombing's target: the bombing's complex attack."""
    a, b = clash["_span"], bomb["_span"]
    if a is None or b is None or not a.overlaps(b, slack=0) or bomb.get("_answers") is clash:
        return False
    if clash["_country"] is None or clash["_country"] != bomb["_country"]:
        return False
    if clash["actor1"] and clash["actor1"] == bomb["actor2"]:
        return False
    if clash["_place_kind"] == "country":
        return True
    apart = distance_km(clash["latitude"], clash["longitude"], bomb["latitude"], bomb["longitude"])
    return apart <= MERGE_KM


def _same_attack(vague: dict[str, Any], exact: dict[str, Any]) -> bool:
    if vague["_span"] is None or exact["_span"] is None or vague.get("_separate"):
        return False
    if vague["actor1"] and vague["actor1"] == exact["actor2"]:
        return False  # "al-Shabaab attacked an outpost" is not the strike on al-Shabaab
    if not vague["_span"].overlaps(exact["_span"], slack=1):
        return False
    if vague["_country"] is None or vague["_country"] != exact["_country"]:
        return False
    apart = distance_km(
        vague["latitude"], vague["longitude"], exact["latitude"], exact["longitude"]
    )
    if (
        vague["_place_kind"] == "country"
        or vague["_place_weak"]
        or COMPASS_PART.match(vague["location"] or "")  # "southwestern Somalia": a country's part
    ):
        return True
    if apart <= (REGION_KM if vague["_place_kind"] == "region" else MERGE_KM):
        # "an attack against police posts in southern Kandahar province" is not the assault
        # on outposts in Baghlan's Nahreen district: a region holds what lies near its point
        return True
    # The title's attack is the article's, wherever the body places it more exactly.
    return vague["_from_headline"] and exact["_place_kind"] not in (None, "country", "region")


def _finish(records: list[dict[str, Any]], texts: dict[str, str]) -> list[dict[str, Any]]:
    """Fill quotes from the original texts, order by date, give stable ids, drop internals."""
    out = []
    for record in records:
        for source in record["sources"]:
            source["quote"] = texts[source["document"]][source["start"] : source["end"]]
        record["sources"].sort(key=lambda s: (s["document"], s["start"]))
        span = record.pop("_span")
        if span is not None:
            record["event_date"], record["date_end"] = span.start, span.end
            record["time_precision"] = span.precision
        if record["event_date"] is None or record["location"] is None:
            record["confidence"] = min(record["confidence"], 0.3)  # nothing invented: unsure
        record["confidence"] = round(record["confidence"], 3)
        first = record["sources"][0]
        digest = hashlib.sha1(
            f"{first['document']}|{first['start']}|{record['event_type']}|{record['location']}".encode()
        ).hexdigest()[:10]
        record["event_id"] = f"cand-{digest}"
        for key in [k for k in record if k.startswith("_")]:
            del record[key]
        out.append(record)
    out.sort(key=lambda r: (r["event_date"] is None, r["event_date"] or dt.date.min, r["event_id"]))
    return out


def _prepare(
    text: str, name: str, published: Any, finder: PlaceFinder, feed_date: Any = None
) -> _Article:
    """`published` (the user's) wins; `feed_date` (a feed's, e.g. a .meta.yaml sidecar) is
    used only when the text states no publication date of its own, since issued lines date
    each section more finely than a feed dates the whole file."""
    doc = load(text, name)
    given = D.parse_published(published)
    if given is not None:
        anchors = [given]
    else:
        found = D.publication_anchors(doc.clean, doc.front_matter, doc.meta)
        anchors = [
            D.Anchor(a.start, a.end, a.basis, doc.to_original(a.position, a.position + 1)[0])
            if doc.offsets is not None and a.position < len(doc.clean)
            else a
            for a in found
        ]
        fallback = D.parse_published(feed_date)
        if not anchors and fallback is not None:
            anchors = [fallback]
    return _Article(doc, finder, anchors)


def extract_events(
    text: str,
    published: Any = None,
    document: str | None = None,
    *,
    gazetteer: Any = None,
) -> list[dict[str, Any]]:
    """Propose the events an article reports, merged, each with its sources and a confidence.

    `published` (a date, "YYYY-MM-DD" or "YYYY-MM") overrides any date the text states.
    Raises ValueError for a bad `published`; returns [] when the article reports no event.
    """
    if not isinstance(text, str):
        raise TypeError("extract_events takes text; use extract_file for a path or bytes")
    name = document or "document"
    article = _prepare(text, name, published, _finder(gazetteer))
    return _finish(merge(_candidates(article)), {name: text})


def read_text(path: str | Path) -> str:
    """An article file as text, decoding as `text.decode` does; DocumentError names the file."""
    return decode(read_bytes(path), str(path))


def extract_files(
    paths: list[str | Path],
    published: Any = None,
    *,
    gazetteer: Any = None,
    published_by_file: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Extract from several articles and merge the same event across them.

    `published_by_file` maps file names to feed dates, used where a text states none."""
    finder = _finder(gazetteer)
    candidates: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        text = read_text(path)
        texts[path.name] = text
        feed = (published_by_file or {}).get(path.name)
        candidates.extend(_candidates(_prepare(text, path.name, published, finder, feed)))
    return _finish(merge(candidates), texts)


def extract_file(path: str | Path, published: Any = None, *, gazetteer: Any = None):
    """Extract from one article file (any encoding `decode` accepts)."""
    return extract_files([path], published, gazetteer=gazetteer)
