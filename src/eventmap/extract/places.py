"""Places a sentence names, found in the gazetteer: longest match first, with cue words.

A name matches only as a whole proper name: not a word of a longer one ("Hamid" of "Hamid
Karzai International Airport"), not an abbreviation ("Col. Smith"), not a run of ordinary English
words ("Bay", "Federal", "Middle East") unless it is a curated place, a country or a big city.
The article's countries (`countries`) rank same-named places and admit towns: a town under
15,000 people, or one found by its transliteration skeleton ("Tal Afar" for "Tall 'Afar"), is
taken only in a country the article names.

"near/outside (of) X" marks the place as approximate (geo_precision 2); a compass word before
a country ("northern Iraq") is a region (geo_precision 3); "from X" marks an origin, which an
event's place should not be when the sentence names another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from wordfreq import zipf_frequency

from ..gazetteer import TOWN_POPULATION, Gazetteer, Place, normalise
from .merge import distance_km

_TOKEN = re.compile(r"[^\W_](?:[\w'’.]*[^\W_])?")  # letters of any script: "Côte", "Türkiye"
_ELIDED = re.compile(r"[dl]['’][A-Z]")  # a capitalised name after an elided article
_CONNECTORS = {"in", "of", "al", "el", "ez", "az", "ad", "ar", "as", "ash", "de", "du", "bin"}
_CUES = {
    "near": "near", "outside": "near", "outskirts": "near", "around": "near", "close": "near",
    "in": "in", "at": "in", "inside": "in", "across": "in", "throughout": "in", "into": "to",
    "to": "to", "toward": "to", "towards": "to", "for": "to", "from": "from", "of": "of",
    "between": "between", "over": "in",
}  # fmt: skip
_FACILITIES = {
    "base", "airbase", "airport", "airfield", "airstrip", "field", "station", "fob", "camp",
    "compound", "embassy", "region", "province", "governorate", "state", "county",
}  # fmt: skip
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "key", "central", "and"}
_NOT_PLACES = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "president", "general", "gen", "secretary", "god", "victoria", "marine",
    "marines", "army", "navy", "command", "university", "reuters", "us", "u.s", "u.k", "uk",
    "american", "british", "state", "central", "national", "house", "white", "isis", "daesh",
    # armed groups, never their namesakes' towns ("Taliban" is an alternate name of Natalbany)
    "isil", "taliban", "al shabaab", "shabaab", "al shabab", "shabab", "houthi", "houthis",
    "hezbollah", "hamas", "aqap",
    "al qaeda", "al qaida", "boko haram", "jnim", "iswap", "isis k", "ansar allah",
}  # fmt: skip
# Words that may follow a place's name without making it part of a longer name.
_FEATURES = {
    "airport", "air", "airbase", "airfield", "airstrip", "aerodrome", "base", "province",
    "governorate", "district", "region", "city",
    "dam", "bay", "valley", "river", "mountains", "mountain", "border", "crossing", "road",
    "highway", "university", "international", "area", "camp", "gate", "port", "oil", "field",
    "fields", "refinery", "prison", "hospital", "bridge", "desert", "countryside", "state",
    "county", "municipality", "military", "town", "village", "subdistrict", "neighborhood",
    "neighbourhood", "governor", "governor's", "governor’s", "provincial", "police", "market",
    "hotel", "stadium", "mosque", "station", "headquarters", "compound", "embassy", "council",
}  # fmt: skip
# Words that may come before a place's name ("Camp Taji", "Lake Chad", "Greater Mosul").
_BEFORE_PLACES = {
    "camp", "fort", "lake", "mount", "port", "cape", "gulf", "greater", "old", "new", "upper",
    "lower", "middle", "city", "province", "governorate", "district", "outside", "downtown",
}  # fmt: skip
_KINDS_OF = {
    "town", "city", "village", "district", "province", "governorate", "region", "governorates",
    "provinces", "districts", "towns", "villages", "cities", "neighborhood", "neighbourhood",
    "suburb", "municipality", "subdistrict", "sub-district", "area", "county", "counties",
}  # fmt: skip
# Words that say the name after them is a site's ("Mission Support Site Green Village",
# "Cooperative Security Location Manda Bay").
_SITE_WORDS = {"site", "mss", "fob", "outpost", "camp", "cop", "location"}
_ORDINARY = 4.0  # Zipf frequency: "bay" 4.7, "center" 5.2 ... "Mosul" 3.3, "Tampa" 3.9
_BIG_CITY = 1_000_000
FOREIGN_KM = 1500  # a city this far from the article's countries needs its own name
_COMPASS = re.compile(
    r"^(north|south|east|west|central|northern|southern|eastern|western|"
    r"north-?eastern|north-?western|south-?eastern|south-?western|northeast|northwest|"
    r"southeast|southwest)$",
    re.I,
)
_COMPASS_ADJ = {
    "north": "northern", "south": "southern", "east": "eastern", "west": "western",
    "northeast": "northeastern", "northwest": "northwestern", "southeast": "southeastern",
    "southwest": "southwestern",
}  # fmt: skip
_PEOPLES = {
    "iraqi": ("Iraq", "IQ"), "syrian": ("Syria", "SY"), "iranian": ("Iran", "IR"),
    "afghan": ("Afghanistan", "AF"), "yemeni": ("Yemen", "YE"), "kuwaiti": ("Kuwait", "KW"),
    "saudi": ("Saudi Arabia", "SA"), "turkish": ("Turkey", "TR"), "lebanese": ("Lebanon", "LB"),
    "israeli": ("Israel", "IL"), "somali": ("Somalia", "SO"), "libyan": ("Libya", "LY"),
    "pakistani": ("Pakistan", "PK"), "nigerian": ("Nigeria", "NG"), "malian": ("Mali", "ML"),
    "jordanian": ("Jordan", "JO"), "egyptian": ("Egypt", "EG"), "sudanese": ("Sudan", "SD"),
    "ukrainian": ("Ukraine", "UA"), "russian": ("Russia", "RU"), "kenyan": ("Kenya", "KE"),
    "somalian": ("Somalia", "SO"), "burkinabe": ("Burkina Faso", "BF"),
    "nigerien": ("Niger", "NE"), "mozambican": ("Mozambique", "MZ"),
    "congolese": ("Democratic Republic of the Congo", "CD"), "ethiopian": ("Ethiopia", "ET"),
    "eritrean": ("Eritrea", "ER"), "cameroonian": ("Cameroon", "CM"), "chadian": ("Chad", "TD"),
    "ivorian": ("Ivory Coast", "CI"), "mauritanian": ("Mauritania", "MR"),
    "senegalese": ("Senegal", "SN"), "ugandan": ("Uganda", "UG"), "djiboutian": ("Djibouti", "DJ"),
    "algerian": ("Algeria", "DZ"), "tunisian": ("Tunisia", "TN"), "moroccan": ("Morocco", "MA"),
    "filipino": ("Philippines", "PH"),
    "qatari": ("Qatar", "QA"), "emirati": ("United Arab Emirates", "AE"),
    "bahraini": ("Bahrain", "BH"), "omani": ("Oman", "OM"), "bangladeshi": ("Bangladesh", "BD"),
    "uzbek": ("Uzbekistan", "UZ"), "tajik": ("Tajikistan", "TJ"),
}  # fmt: skip
# Words after which "of X" is in X: "the center of Mosul", "the capital of Ouagadougou", "in
# most of Mosul" ("areas of" is not: "fired from Houthi-controlled areas of Yemen" is an origin)
_IN_OF = frozenset(
    {"center", "centre", "heart", "streets", "zone", "part", "parts", "quarter", "capital"}
    | {"most", "much", "rest", "half", "remainder", "neighborhoods", "neighbourhoods", "control"}
)
DEMONYMS = {word: name for word, (name, _) in _PEOPLES.items()}
DEMONYM_CODES = {word: code for word, (_, code) in _PEOPLES.items()}
_LOCATION_NOUNS = re.compile(
    r"^(?:bases?|outposts?|city|cities|towns?|villages?|provinces?|border|territory|soil|"
    r"airspace|capital|countryside|military bases?|air bases?|camps?|positions?|bases)\b",
    re.I,
)


@dataclass(frozen=True)
class PlaceMention:
    """A place the sentence names, resolved to the gazetteer."""

    name: str
    place_text: str
    latitude: float
    longitude: float
    geo_precision: int
    kind: str
    country_code: str | None
    start: int
    end: int
    cue: str = ""
    weak: bool = False  # a demonym ("Iraqi bases"), not a toponym


class PlaceFinder:
    """Finds gazetteer places in sentences; lookups are cached, so long articles stay fast."""

    def __init__(self, gazetteer: Gazetteer, max_words: int = 6) -> None:
        self.gazetteer = gazetteer
        self.max_words = max_words
        self._lookup = lru_cache(maxsize=200_000)(self._lookup_uncached)
        self._find = lru_cache(maxsize=8192)(self._find_uncached)

    def _lookup_uncached(
        self,
        key: str,
        countries: frozenset[str] = frozenset(),
        named: bool = False,
        item: bool = False,
    ) -> Place | None:
        """`named`: the text says what the name is ("the town of Hit"), so an ordinary word
        may be it; `item`: a strike digest's item names its town first ("-- Near Tuz, ..."),
        so a short name or a close spelling of a town of the article's countries is it."""
        bare = re.sub(r"^the\s+", "", key.lower())
        if bare in _NOT_PLACES or _demonym(bare) or len(key) < 3:
            return None  # "Afghan", "The Marines" are no towns' names here
        ordered = tuple(sorted(countries))
        for place in self.gazetteer.lookup(key, region=ordered or None, fuzzy=False):
            if (
                not named
                and (_ordinary(key, place) or (len(key) <= 3 and not key.isupper()))
                and not _local_site(key, place, countries)
            ):
                continue  # "And" is not AND, Andorra's ISO code
            if _town(place) and place.country_code not in countries:
                continue
            if (_foreign_alias(key, place, countries) or _foreign_town(place, countries)) and (
                self._far(place, countries)
            ):
                continue  # "Nahr-e Saraj" in a text on Afghanistan is not Saraj, North Macedonia
            if (_bare_field(key, place) or _ordinary_field(key, place)) and (
                place.country_code not in countries
            ):
                continue  # "Stanford" is an airstrip's name too, but not in a text on Somalia
            return place
        if countries and sum(c.isalpha() for c in key) >= 5 and not _ordinary(key, None):
            for place in self.gazetteer.similar(key, ordered):
                if not place.curated:
                    return place
            for place in self.gazetteer.close_region(key, ordered):
                return place  # "Paktiya" for Paktia
            if item:  # "-- Near Shadaddi, a strike ...": a close spelling of a town there
                for place in self.gazetteer.lookup(key, region=ordered):
                    if place.kind == "city" and place.country_code in countries:
                        return place
        return None

    def _far(self, place: Place, countries: frozenset[str]) -> bool:
        """More than FOREIGN_KM from every country of the article ("Abu Kamal" in a text on
        Iraq is Syria's, across the border; "Manda" in one on Kenya is not Japan's Handa)."""
        points = [p for p in map(self.gazetteer.country_point, countries) if p is not None]
        return bool(points) and all(
            distance_km(place.latitude, place.longitude, p.latitude, p.longitude) > FOREIGN_KM
            for p in points
        )

    def by_name(self, name: str) -> Place | None:
        return self._lookup(name)

    def find(self, sentence: str, countries: frozenset[str] = frozenset()) -> list[PlaceMention]:
        """Every place in `sentence`, left to right, longest names first, without overlaps.
        `countries` (ISO codes) are the article's: they admit towns and rank namesakes."""
        return list(self._find(sentence, frozenset(countries)))

    def _find_uncached(self, sentence: str, countries: frozenset[str]) -> tuple[PlaceMention, ...]:
        tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
        words = [_bare(t[0]) for t in tokens]
        found: list[PlaceMention] = []
        far: list[PlaceMention] = []  # the far end of a distance, a place of last resort
        abroad: set[int] = set()
        i = 0
        while i < len(tokens):
            if not words[i][:1].isupper():  # a name starts with a capital ("Tower 22", not "22")
                i += 1
                continue
            match = None
            owner = self._owner(tokens, words, i)
            for n in range(min(self.max_words, len(tokens) - i), 0, -1):
                last = words[i + n - 1]
                if (
                    not (last[:1].isupper() or _ELIDED.match(last))  # "Côte d’Ivoire"
                    and not last[:1].isdigit()
                    and (n < 2 or last.lower() not in _FACILITIES)
                ):
                    continue
                inner = words[i : i + n]
                if any(
                    not (w[:1].isupper() or w[:1].isdigit() or w.lower() in _CONNECTORS)
                    for w in inner[:-1]
                ):
                    continue
                if any(t[0].endswith(("'s", "’s")) for t in tokens[i : i + n - 1]) and not (
                    n == 2 and last.lower() in _FACILITIES
                ):
                    continue  # a possessive ends a name: "Yemen's Al Jawf", not "Baghdad's airport"
                # Keep a multiword span only when the words are really contiguous in the text.
                text = sentence[tokens[i][1] : tokens[i + n - 1][2]]
                if re.search(r"[,;:()\"“”]|\s[-–—]+\s", text):
                    continue
                key = " ".join(inner)
                named = (
                    (i >= 2 and words[i - 1] == "of" and words[i - 2].lower() in _KINDS_OF)
                    or (i >= 1 and words[i - 1].lower() in _SITE_WORDS)
                    # "in the Bay region of Somalia": the kind word after names it
                    or bool(_REGION_KIND_AFTER.match(sentence, tokens[i + n - 1][2]))
                )
                item = bool(
                    _ITEM_PLACE.match(sentence, 0, tokens[i][1])
                    or _TARGETS_NEAR.search(sentence, max(0, tokens[i][1] - 20), tokens[i][1])
                )
                place = self._lookup(key, owner or countries, named or item, item)
                if place is not None and not _part_of_longer_name(place, sentence, tokens, i, n):
                    match = (n, place)
                    break
            if match is None:
                i += 1
                continue
            n, place = match
            start, end = tokens[i][1], tokens[i + n - 1][2]
            if place.kind == "region" and re.match(r"\s+city\b", sentence[end:]):
                # "north of Deir ez-Zor city": the city, not the governorate of its name
                name = " ".join(words[i : i + n])
                towns = self.gazetteer.similar(name, [place.country_code])
                place = next((p for p in towns if p.kind == "city"), place)
            singular = _SINGULAR_KIND.match(sentence, end)
            if singular and place.kind != "region" and countries:
                # "the Hamrin mountains in Salahuddin province": the province (Salah ad Din),
                # not a town with that alias
                name, ordered = " ".join(words[i : i + n]), sorted(countries)
                regions = [p for p in self.gazetteer.similar(name, ordered) if p.kind == "region"]
                regions += self.gazetteer.close_region(name, ordered, cutoff=0.75)
                place = regions[0] if regions else place
            plural = _PLURAL_KIND.match(sentence, end)
            listed = _REGIONS_OF.search(sentence, 0, start)
            if place.kind != "region" and (plural or listed):
                # "in Paktiya and Ghazni provinces": Ghazni province, not the town; so are the
                # items of "the governorates of Abyan, Al Bayda and Shabwah"
                kind = _SINGULAR[(plural or listed).group(1).lower()]
                region = self._lookup(f"{' '.join(words[i : i + n])} {kind}", countries)
                place = region if region is not None and region.kind == "region" else place
            if _curated_alias_abroad(" ".join(words[i : i + n]), place, countries):
                abroad.add(start)
            cue = self._cue(words, i)
            if place.kind == "country" and _AFTER_A_NAME.search(
                sentence, max(0, start - 40), start
            ):
                cue = "in"  # "in the vicinity of Kunyo Barrow, Somalia": the event is in Somalia
            if re.match(
                r"-(?:backed|led|allied|aligned|sponsored|based)\b|\s+(?:local\s+)?time\b",
                sentence[end : end + 12],
            ):
                i += n
                continue  # "Iran-backed militias", "2:45 p.m. Mogadishu time" name no place
            if (
                cue not in ("in", "near")
                or _SPEAKING_BODY.search(sentence, max(0, start - 40), start)
            ) and (
                _SPEAKER_AFTER.match(sentence, end)
                or _SPEAKER_BEFORE.search(sentence, max(0, start - 30), start)
            ):
                i += n
                continue  # "The United States condemns", "said Townsend": who speaks, not where
            if not self._acceptable(place, cue, sentence, end, countries):
                i += n
                continue
            where = _SITE_IN.match(sentence, end) or _SITE_TOWN.match(sentence, end)
            if (
                where
                and place.curated
                and place.kind == "site"
                and not any(where.group(1) in n for n in (place.name, *place.aliases))
                and not self._around(place, where.group(1), countries)
                and (where.re is _SITE_IN or self._lookup(where.group(1)) is not None)
            ):
                i += n
                continue  # "The U.S. Embassy in Kabul", "U.S. Embassy Kabul" are not Baghdad's
            if _MODIFIER_OF.match(sentence, end):
                i += n
                continue  # "the Baghdad neighborhood of Abu Ghraib" is at Abu Ghraib
            mention = self._mention(place, sentence, start, end, cue, words, tokens, i)
            if _far_from(sentence, start):
                far.append(
                    replace(mention, cue="near", geo_precision=max(2, mention.geo_precision))
                )
            else:
                found.append(mention)
            i += n
        found = _consistent(found, sentence)
        if not any(m.kind != "country" for m in found):
            # "185 miles southwest of Mogadishu", no other place: coded to Mogadishu, near, as
            # ACLED codes the nearest named place; beside a nearer name ("near Galmudug, ...
            # 510 km northeast of Mogadishu") it is not the event's place
            found.extend(far)
        # "the U.S. Embassy" in a text on Kabul is not Baghdad's, unless the sentence says so
        found = [
            m
            for m in found
            if m.start not in abroad
            or any(o.country_code == m.country_code for o in found if o is not m)
        ]
        found.extend(self._demonyms(sentence, tokens, words, found))
        return tuple(sorted(found, key=lambda m: m.start))

    def _owner(self, tokens, words, i: int) -> frozenset[str]:
        """The country a possessive names before a name ("Kenya's Manda Bay Airfield"): the
        name is looked up there alone."""
        if i == 0 or not re.search(r"['’]s$", tokens[i - 1][0]):
            return frozenset()
        place = self._lookup(words[i - 1])
        return frozenset({place.country_code}) if place and place.kind == "country" else frozenset()

    def _around(self, site: Place, name: str, countries: frozenset[str]) -> bool:
        """ "Al-Tanf Garrison in Syria": the place after "in" is the site's country, region or
        town (within 50 km)."""
        other = self._lookup(name, countries)
        return (
            other is not None
            and other.country_code == site.country_code
            and (
                other.kind in ("country", "region")
                or distance_km(other.latitude, other.longitude, site.latitude, site.longitude) <= 50
            )
        )

    @staticmethod
    def _cue(words: list[str], i: int) -> str:
        for back in range(1, 6):
            if i - back < 0:
                break
            word = words[i - back].lower()
            if word in _CUES:
                cue = _CUES[word]
                if cue == "of":
                    before = words[i - back - 1].lower() if i - back - 1 >= 0 else ""
                    if before in (
                        "outside", "outskirts", "near", "edge", "vicinity", "environs", "gate",
                        "gates", "entrance", "perimeter", "suburbs",
                    ):  # fmt: skip
                        return "near"  # "near the gate of Bagram Airfield"
                    if _COMPASS.match(before):
                        return "near"
                    # "the town of Aguelhok", "the capital of Ouagadougou", "the state of
                    # Galmudug" (not "the Islamic State of Iraq")
                    if before in _KINDS_OF or before in _IN_OF or words[i - back - 1] == "state":
                        # "fired from a Houthi-controlled area of Yemen": from there
                        origin = [w.lower() for w in words[max(0, i - back - 5) : i - back - 1]]
                        return "from" if "from" in origin else "in"
                    return "of"
                return cue
            if (
                word not in _DETERMINERS
                and word not in _CONNECTORS  # "in the al-Baydah Governorate"
                and not _COMPASS.match(word)
                and not words[i - back][:1].isupper()
                and word not in ("strategic", "key", "major", "remote", "small", "main")
            ):
                break
        return ""

    @staticmethod
    def _acceptable(place: Place, cue: str, sentence: str, end: int, countries=()) -> bool:
        """Curated places, countries and airfields (a whole "X Air Base") always, and towns in
        the article's countries ("rockets hit Erbil"); other towns only after a location cue."""
        if place.curated or place.kind in ("country", "site"):
            return True
        if place.country_code in countries and (
            cue != "of" or _OF_A_PLACE.search(sentence, 0, end)
        ):
            return True
        if cue in ("in", "near", "to", "from"):
            return True
        return bool(re.match(r",\s+[A-Z][a-z]+", sentence[end : end + 30]))

    def _mention(self, place, sentence, start, end, cue, words, tokens, i) -> PlaceMention:
        precision = place.geo_precision
        text_start = start
        name = place.name
        if i > 0 and _COMPASS.match(words[i - 1]) and place.kind == "country":
            compass = words[i - 1].lower().replace("-", "")
            adjective = _COMPASS_ADJ.get(compass, compass)
            region = self._lookup(f"{adjective} {place.name}")
            if region is None or region.kind != "region":
                region = self.gazetteer.compass_region(place, adjective)
            text_start = tokens[i - 1][1]
            if region is not None and region.kind == "region":
                place = region
                name = region.name
            precision = 3
            cue = cue or "in"
        elif cue == "near" and place.kind != "country":
            precision = max(precision, 2)
        return PlaceMention(
            name=name,
            place_text=sentence[text_start:end],
            latitude=place.latitude,
            longitude=place.longitude,
            geo_precision=precision,
            kind=place.kind,
            country_code=place.country_code,
            start=text_start,
            end=end,
            cue=cue,
        )

    def _demonyms(self, sentence, tokens, words, found) -> list[PlaceMention]:
        out = []
        for i, word in enumerate(words):
            country = DEMONYMS.get(word.lower())
            if country is None or i + 1 >= len(tokens):
                continue
            rest = sentence[tokens[i][2] :].lstrip()
            if not _LOCATION_NOUNS.match(rest):
                continue
            start = tokens[i][1]
            if any(m.start <= start < m.end for m in found):
                continue
            place = self._lookup(country)
            if place is None:
                continue
            out.append(
                PlaceMention(
                    place.name,
                    sentence[start : tokens[i + 1][2]],
                    place.latitude,
                    place.longitude,
                    3,
                    place.kind,
                    place.country_code,
                    start,
                    tokens[i + 1][2],
                    "in",
                    weak=True,
                )  # fmt: skip
            )
        return out


# The one who speaks is not where the event was: "The United States condemns", "U.S. Embassy
# Condemns Attacks in Baghdad", "Townsend said", "said Townsend."
SPEECH = (
    r"condemn\w*|express\w*|join\w*|urge\w*|welcome\w*|reaffirm\w*|extend\w*|commend\w*|"
    r"deplore\w*|denounce\w*|mourn\w*|applaud\w*|congratulat\w*|offer\w*|send\w*|"
    r"said|says|stated|told|added|noted|announced|reminds?|calls? (?:on|for)|stands? with|"
    r"remains? (?:a |an |committed|ready|concerned|steadfast)|"
    r"(?:is|are) (?:\w+ly )?(?:saddened|concerned|disappointed|outraged|shocked|alarmed|"
    r"troubled|dismayed|appalled)|"
    r"statement|press release|spokes(?:man|woman|person)"
)
_AFTER_A_NAME = re.compile(r"[A-Z][\w'’-]+,\s*$")  # "Kunyo Barrow, " before "Somalia"
_MODIFIER_OF = re.compile(r"\s+(?:neighbou?rhood|district|suburb|town|village)\s+of\b")
_SPEAKER_AFTER = re.compile(rf"\s+(?:\w+ly\s+|also\s+)*(?:{SPEECH})\b", re.I)
_SITE_IN = re.compile(r"\s+in\s+(?:the\s+)?([A-Z][\w'’-]+)")
_SITE_TOWN = re.compile(r"\s+([A-Z][\w'’-]+)")  # "U.S. Embassy Kabul", when Kabul is a place
# "The United States Embassy in Baghdad strongly condemns": the speaker's seat.
_SPEAKING_BODY = re.compile(
    r"\b(?:Embassy|Consulate|Mission|Ambassador|Government|Office|Command)\s+in\s+(?:the\s+)?$"
)
_SPEAKER_BEFORE = re.compile(
    r"\b(?:said|says|according to|(?:teleconference|videoconference|video link|phone|reporters|"
    r"speaking|briefing)\s+(?:\w+\s+)?from)\s+$",
    re.I,
)  # "told Pentagon reporters via teleconference from Baghdad": where the speaker sat

# A person's name, by a title before it ("Gen. Stephen Townsend", "Capt. Jeff Davis"): its last
# word is that person for the whole article. (A speaker is left out: "Baghdad said" is a
# government, and the same name may be the place of an event.)
_NAME = r"[A-Z][a-z][\w'’-]*"
_PEOPLE = re.compile(
    r"\b(?:Gen|Lt|Col|Maj|Capt|Sgt|Adm|Cmdr|Cpl|Pvt|Spc|Dr|Mr|Mrs|Ms|Sen|Rep|Gov|President|"
    r"Secretary|Minister|Ambassador|Commander|Spokes(?:man|woman|person)|Director|Chairman|"
    rf"Governor)\.?\s+(?:{_NAME}\s+|[A-Z]\.\s+){{0,3}}({_NAME})\b(?!\s+(?:of|for)\b)"
)


# A people's forces ("a Somali National Army outpost"), not a person ("Iranian Gen.").
_PEOPLES_FORCES = re.compile(
    r"\b([A-Z][a-z]+)(?:\s+[A-Z][\w-]*){0,3}(?i:\s+(?:national\s+)?(?:army|forces|troops|soldiers|police|military|"
    r"security|government))\b"
)


def peoples_forces(text: str) -> set[str]:
    """The countries whose forces a sentence names (ISO codes)."""
    words = {m.group(1).lower() for m in _PEOPLES_FORCES.finditer(text)}
    return {DEMONYM_CODES[w] for w in words if w in DEMONYM_CODES}


# A transcript's speaker label: "MR. KIRBY:", "PRESS SECRETARY JOHN F. KIRBY:", "GEN. MCKENZIE:".
_SPEAKER_LABEL = re.compile(r"^[ \t]*((?:[A-Z][A-Z.'’-]*\s+){0,6}[A-Z][A-Z'’-]+)\s*:", re.M)


def peoples(text: str) -> frozenset[str]:
    """The countries whose peoples a text names ("the Afghan people", "Iraqis"), ISO codes."""
    words = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+\b", text)}
    return frozenset(DEMONYM_CODES.get(w) or DEMONYM_CODES[w[:-1]] for w in words if _demonym(w))


# A ship's name ("the M/V Maersk Gibraltar", "USS Mason") and a flag state ("a Marshall
# Islands-flagged tanker") say where no event was.
_VESSEL = re.compile(
    r"\b(?:M/V|MV|M/T|MT|USS|USNS|HMS|Motor Vessel|Motor Tanker)\s+((?:[A-Z][\w'’-]*\s?){1,3})"
)
_FLAGGED = re.compile(r"\b((?:[A-Z][\w'’]+\s+){0,2}[A-Z][\w'’]+)-flagged\b")


def people(text: str) -> frozenset[str]:
    """Names the text gives to people, so "Townsend traveled to East Africa" is no town, nor
    "Kirby" a Texas town in a transcript's "MR. KIRBY:"."""
    names = {m.group(1) for m in _PEOPLE.finditer(text)}
    for label in _SPEAKER_LABEL.finditer(text):
        last = label.group(1).split()[-1]
        names |= {last, last.title()}
    return frozenset(names)


def ships(text: str) -> frozenset[str]:
    """Names the text gives to ships and flag states, countries included: the "M/V Maersk
    Gibraltar" is not Gibraltar, a "Marshall Islands-flagged tanker" not in the Marshall
    Islands."""
    names = set()
    for ship in (*_VESSEL.finditer(text), *_FLAGGED.finditer(text)):
        words = ship.group(1).split()
        names |= {
            " ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
        }
    return frozenset(names)


# "N miles northwest of X" is coded as X, near (geo_precision 2), as ACLED codes the nearest
# named place; farther than this, X is not the place at all.
FAR_OFFSET_KM = 100
_DISTANCE = re.compile(
    r"\b(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?:-\s*)?(?P<unit>km|kilomet(?:er|re)s?|miles?|mi)\b"
    r"(?:\s*\([^)]{1,20}\))?\s+(?P<dir>(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?"
    r"\s+of\s+(?:the\s+)?(?:(?:town|city|village|capital) of\s+)?$",
    re.I,
)


def _far_from(sentence: str, start: int) -> bool:
    """The name is the far end of a distance ("approximately 510 km northeast of X")."""
    offset = _DISTANCE.search(sentence[max(0, start - 80) : start])
    if offset is None:
        return False
    n = float(offset["n"].replace(",", ""))
    km = n * 1.609344 if offset["unit"].lower().startswith("mi") else n
    return km > FAR_OFFSET_KM


@lru_cache(maxsize=100_000)
def _common(word: str) -> bool:
    return zipf_frequency(word, "en") >= _ORDINARY


def _ordinary(key: str, place: Place | None) -> bool:
    """A name made of ordinary English words ("Bay", "Federal", "Middle East"), which is a place
    only when curated, a country or a big city."""
    if place is not None and (
        place.curated or place.kind == "country" or place.population >= _BIG_CITY
    ):
        return False
    words = [w for w in key.lower().split() if w not in _CONNECTORS]
    return bool(words) and all(_common(w) for w in words)


def _town(place: Place) -> bool:
    """A town or an admin-1 region, which a text names only in its country's context."""
    return (
        not place.curated
        and place.kind in ("city", "region")
        and place.population < TOWN_POPULATION
    )


def _foreign_alias(key: str, place: Place, countries: frozenset[str]) -> bool:
    """A city of a country the article does not name, found only under one of its alternate
    names ("Manda" for Handa, Japan; "Madina hospital" in Mogadishu for Saudi Arabia's
    Madinah): too weak a match to take far away, however big."""
    return (
        place.kind == "city"
        and not place.curated
        and place.country_code not in countries
        and normalise(key) != normalise(place.name)
    )


def _foreign_town(place: Place, countries: frozenset[str]) -> bool:
    """A town, not a big city, of a country the article does not name."""
    return (
        place.kind == "city"
        and not place.curated
        and place.country_code not in countries
        and place.population < _BIG_CITY
    )


def _local_site(key: str, place: Place, countries: frozenset[str]) -> bool:
    """A site of the article's country under a name of ordinary words ("the Green Village"
    in a text on Syria): a capitalised name of two words or more is the site's."""
    return place.kind == "site" and place.country_code in countries and len(key.split()) >= 2


def _curated_alias_abroad(key: str, place: Place, countries: frozenset[str]) -> bool:
    """A curated place found under a short alias ("U.S. Embassy", "the airport") in a text
    that names countries, none of them the place's."""
    return (
        place.curated
        and bool(countries)
        and place.country_code not in countries
        and place.kind != "country"
        and normalise(key) != normalise(place.name)
    )


def _bare_field(key: str, place: Place) -> bool:
    """An airfield named without a word for one ("Baledogle" for Baledogle Airfield)."""
    return (
        place.kind == "site"
        and not place.curated
        and not any(w.lower() in _FACILITIES for w in key.split())
    )


def _ordinary_field(key: str, place: Place) -> bool:
    """An airfield whose name is an ordinary word and a word for one ("West Airport")."""
    if place.kind != "site" or place.curated:
        return False
    stem = [w for w in key.lower().split() if w not in _FACILITIES and w != "air"]
    return all(_common(w) for w in stem)


# The plural kind word after a list of names: "Paktiya and Ghazni provinces".
_PLURAL_KIND = re.compile(
    r"(?:\s*,\s*[A-Z][\w'’-]*)*\s*,?\s*(?:and\s+[A-Z][\w'’-]*\s+)?"
    r"(provinces|governorates|counties)\b"
)
_SINGULAR = {"provinces": "province", "governorates": "governorate", "counties": "county"}
# A name in the list after "the governorates of": "of Abyan, Al Bayda and Shabwah".
_REGIONS_OF = re.compile(
    r"\b(provinces|governorates|counties) of\s+"
    r"(?:[A-Z][\w'’-]*(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+(?=[A-Z])))+$"
)
# "the siege of Marawi", "the battle for/of Mosul", "the fall of Kabul": a town after "of".
_OF_A_PLACE = re.compile(
    r"\b(?:siege|battle|liberation|fall|capture|recapture|retaking|seizure|takeover|handover|"
    r"clearing|clearance|freeing|control|outskirts|suburbs|streets|people|"
    r"residents|city|town|village|district|province|governorate)\s+of\s+(?:the\s+)?[\w' ’-]+$",
    re.I,
)
_REGION_KIND_AFTER = re.compile(r"\s+(?:region|province|governorate)\b", re.I)
_SINGULAR_KIND = re.compile(r"\s+(?:province|governorate|county)\b", re.I)


# A strike digest's item opens on its place ("-- Near Tuz, a strike engaged ..."), or its
# sentence ends on it: the name is a place's, however short or oddly spelled
_ITEM_PLACE = re.compile(r"^\W*(?:near|in|at)\s+$", re.I)
# "... against ISIS targets near Shadaddi", "initiated major combat operations in Huwayjah"
_TARGETS_NEAR = re.compile(r"\b(?:targets\s+near|(?:combat\s+)?operations\s+in)\s+$")


def _given_name(sentence: str, tokens, i: int) -> bool:
    """The word before token `i`, a space apart, is capitalised and no cue, article, people's
    word, compass point or place word: the first part of a person's or another name."""
    if not re.fullmatch(r"\s+", sentence[tokens[i - 1][2] : tokens[i][1]]):
        return False
    before = tokens[i - 1][0]
    return (
        before[:1].isupper()
        and before.lower() not in _CUES
        and before.lower() not in _DETERMINERS
        and before.lower() not in DEMONYMS
        and before.lower() not in _NOT_PLACES
        and before.lower() not in _BEFORE_PLACES
        and before.lower() not in _SITE_WORDS
        and not _COMPASS.match(before)
        and not (i == 1 and tokens[0][1] == 0)  # a capitalised first word of the sentence
        and not re.search(r"['’]s$", before)  # "Yemen's Al Jawf governorate"
    )


def _part_of_longer_name(place: Place, sentence: str, tokens, i: int, n: int) -> bool:
    """ "Hamid" in "Hamid Karzai ...", "Col" in "Col. Smith": a piece of another name."""
    if place.curated:
        return False
    after = sentence[tokens[i + n - 1][2] :]
    if re.match(r"\.\s+[A-Z]", after) and n == 1 and len(tokens[i][0]) <= 5:
        return True  # an abbreviation before a name
    if place.kind == "country":
        return False
    if place.kind == "region" and _SINGULAR_KIND.match(sentence, tokens[i + n - 1][2]):
        return False  # "Maidan Wardak province" is Wardak's
    if i > 0 and sentence[tokens[i - 1][2] : tokens[i][1]] == "-":
        if tokens[i - 1][0].lower() not in _CONNECTORS:
            return True  # "West" of "Q-West", not of "al-"
        # "Abu Hasan al-Taftanaz": a man's name ending on the town he is from
        return i > 1 and _given_name(sentence, tokens, i - 1)
    if i > 0 and _given_name(sentence, tokens, i):
        return True  # "Qassem Soleimani" is a man, not Sulaymaniyah
    if re.search(r"['’]s$", tokens[i + n - 1][0]):
        return False  # a possessive ends a name: "Kabul's Kart-e-Sakhi shrine" is in Kabul
    if i + n < len(tokens) and re.match(r"\s+\S", after):
        following = tokens[i + n][0]
        return (
            following[:1].isupper()
            and following.lower() not in _FEATURES
            and following.lower() not in _NOT_PLACES
            and following.lower() not in _CONNECTORS
            and following.lower() not in _EVENT_NOUNS  # a headline's "the Kabul Attack"
        )
    return False


# Event words a title-case headline capitalises after a place: "on the Kabul Attack",
# "Mogadishu Bombing Kills 20"
_EVENT_NOUNS = frozenset({
    "attack", "attacks", "bombing", "bombings", "blast", "blasts", "explosion", "explosions",
    "strike", "strikes", "airstrike", "airstrikes", "raid", "raids", "ambush", "assault",
    "clashes", "protest", "protests", "shelling", "massacre", "violence",
})  # fmt: skip


def _consistent(found: list[PlaceMention], sentence: str) -> list[PlaceMention]:
    """Drop "X" of "X, Kenya" when the gazetteer's X is in another country."""
    out = []
    for k, m in enumerate(found):
        nxt = found[k + 1] if k + 1 < len(found) else None
        if (
            nxt is not None
            and m.kind != "country"
            and nxt.kind == "country"
            and re.fullmatch(r"(?:\s+[A-Z][\w-]*)*,\s*", sentence[m.end : nxt.start])
            and m.country_code != nxt.country_code
        ):
            continue
        out.append(m)
    return out


def _demonym(word: str) -> bool:
    """ "Afghan", "Somalis", "Iraqis": a people, never a town spelled like it."""
    return word in DEMONYMS or (word.endswith("s") and word[:-1] in DEMONYMS)


def _bare(token: str) -> str:
    """Drop a possessive: "Baghdad's" -> "Baghdad"."""
    return re.sub(r"['’]s$", "", token)


# A name where the text puts an event: after a location word, or as what was taken.
_PLACE_SLOT = re.compile(
    r"\b(?:in|near|outside|around|at|vicinity of|recaptured|retook|seized|captured|overran)\s+"
    r"(?:the\s+)?(?:(?:town|city|village|district|region|province|area|base|camp)\s+of\s+)?"
    r"((?:[A-Z][a-z'’]+(?:-[A-Za-z][a-z'’]+)*)(?:\s+[A-Z][a-z'’]+(?:-[A-Za-z][a-z'’]+)*)*)"
)
_NOT_A_PLACE_NAME = re.compile(r"^(?:The|This|That|His|Her|Their|Its|Our|A|An)\b")


def unplaced_names(sentence: str, mentions: list[PlaceMention]) -> list[str]:
    """Names the sentence gives as where something happened that no gazetteer entry placed
    ("recaptured Awdhegle", "in the vicinity of Saakow"): the event is there, finer than the
    country it falls back to, so its place is unsure."""
    names = []
    for m in _PLACE_SLOT.finditer(sentence):
        start, end = m.span(1)
        name = m.group(1)
        if any(x.start < end and start < x.end for x in mentions):
            continue
        words = [_bare(w) for w in name.split()]
        if _NOT_A_PLACE_NAME.match(name) or any(_demonym(w) for w in words):
            continue
        key = normalise(name)
        if any(key == word or key.startswith(word + " ") for word in _NOT_PLACES):
            continue  # "Killed in Al-Shabab Attacks", "in March": a group, a month, a title
        if all(_common(w.lower()) for w in re.split(r"[\s-]+", name)):
            continue  # "in Defense", "at Headquarters": ordinary words
        names.append(name)
    return names
