"""Code tables of the outside formats (ACLED, UCDP GED, GDELT), mapped to eventmap's schema.

Pure lookups, no I/O. Every function takes a raw cell as files write it (a number, a numeric
string, sometimes a name) and returns the eventmap value together with a flag: text that says
what was assumed or why nothing could be mapped, or None when the mapping is exact. The
importer keeps the original code in a column of its own; these tables never discard it.

Sources (see /work/shared/notes/formats.md):
- ACLED codebook (2023) for the current event types, the inter codes and the precision codes;
  the legacy (pre-2019) types and their mapping follow ACLED's own translation where it has
  one, otherwise they are eventmap's choice (marked so below).
- UCDP GED codebook for `type_of_violence`, `where_prec` and `date_prec`; the mappings onto
  ACLED's taxonomy and precision codes are eventmap's choice.
- GDELT event codebook and CAMEO manual (v1.1b3) for `Geo_Type` and the event codes; the
  mappings onto ACLED's taxonomy and precision codes are eventmap's choice.

Every (event_type, sub_event_type) in these tables is checked against model.EVENT_TYPES when
this module is imported, so a typo fails loudly.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from eventmap.model import EVENT_TYPES, GEO_PRECISION, TIME_PRECISION


class TypeMapping(NamedTuple):
    """An ACLED event type and sub-event type (None when unknown), and a flag (None if exact)."""

    event_type: str | None
    sub_event_type: str | None
    flag: str | None


class PrecisionMapping(NamedTuple):
    """An eventmap precision code (None when unknown) and a flag (None if nothing to say)."""

    code: int | None
    flag: str | None


# --------------------------------------------------------------------------------------------
# Helpers


def _as_int(value: Any) -> int | None:
    """An integer from 5, 5.0, "5", " 5 ", "5.0"; None for anything else (bools, NaN, text)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if math.isfinite(number) and number.is_integer() else None
    return None


def _key(name: str) -> str:
    """Case- and whitespace-insensitive key: "  explosions / REMOTE  violence" matches."""
    text = " ".join(name.split()).casefold()
    for sep in ("/", "-"):
        text = sep.join(part.strip() for part in text.split(sep))
    return text


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _describe(event_type: str, sub_event_type: str | None) -> str:
    if sub_event_type is None:
        return f"{event_type} (sub-event type unknown)"
    return f"{event_type} / {sub_event_type}"


# --------------------------------------------------------------------------------------------
# ACLED

# ACLED inter codes (ACLED codebook: the export tool writes the number, the API the name,
# in the singular: "Rebel group", "Political militia", "Identity militia").
ACLED_INTER: dict[int, str] = {
    1: "State forces",
    2: "Rebel groups",
    3: "Political militias",
    4: "Identity militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
RIOTERS = 5


def _inter_key(name: str) -> str:
    key = _key(name)
    return key[:-1] if key.endswith("s") else key  # "Rebel group" == "Rebel groups"


_INTER_BY_NAME: dict[str, int] = {_inter_key(name): code for code, name in ACLED_INTER.items()}


def inter_code(value: Any) -> int | None:
    """The ACLED inter code (1-8) of 5, "5", 5.0, "Rioters" or "rebel group"; None otherwise.

    0 (ACLED's "no actor") and blanks give None.
    """
    number = _as_int(value)
    if number is not None:
        return number if number in ACLED_INTER else None
    if isinstance(value, str) and value.strip():
        return _INTER_BY_NAME.get(_inter_key(value))
    return None


def inter_name(value: Any) -> str | None:
    """The codebook name of an ACLED inter code given as a number, numeric string or name."""
    code = inter_code(value)
    return None if code is None else ACLED_INTER[code]


# Legacy ACLED event types (files before 2019) -> (event_type, sub_event_type or None when the
# old type does not say). Source: formats.md, after ACLED's 2019 taxonomy change; the None
# sub-types and "Strategic development" -> Other are eventmap's choice.
# "Riots/Protests" is split by the actors: Riots when either actor is Rioters (inter 5), else
# the Protests entry below; see acled_type().
ACLED_LEGACY_TYPES: dict[str, tuple[str, str | None]] = {
    "Battle-No change of territory": ("Battles", "Armed clash"),
    "Battle-Government regains territory": ("Battles", "Government regains territory"),
    "Battle-Non-state actor overtakes territory": (
        "Battles",
        "Non-state actor overtakes territory",
    ),
    "Remote violence": ("Explosions/Remote violence", None),
    "Riots/Protests": ("Protests", None),
    "Violence against civilians": ("Violence against civilians", None),
    "Headquarters or base established": (
        "Strategic developments",
        "Headquarters or base established",
    ),
    "Non-violent transfer of territory": (
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    "Strategic development": ("Strategic developments", "Other"),
}
# What "Riots/Protests" becomes when an actor is Rioters (sub-type unknown).
ACLED_LEGACY_RIOTS: tuple[str, str | None] = ("Riots", None)

_CURRENT_BY_KEY: dict[str, str] = {_key(name): name for name in EVENT_TYPES}
_SUBTYPE_BY_KEY: dict[str, dict[str, str]] = {
    name: {_key(sub): sub for sub in subs} for name, subs in EVENT_TYPES.items()
}
_LEGACY_BY_KEY: dict[str, str] = {_key(name): name for name in ACLED_LEGACY_TYPES}


def acled_type(
    event_type: str | None,
    sub_event_type: str | None,
    *,
    inter1: Any = None,
    inter2: Any = None,
) -> TypeMapping:
    """Map an ACLED row's event type and sub-event type onto model.EVENT_TYPES.

    - Current types (2019 taxonomy) pass through, matched without regard to case or spaces, and
      come back in the codebook's spelling. An unknown or missing sub-event type gives
      (event_type, None, flag).
    - Legacy types map through ACLED_LEGACY_TYPES with a flag naming the old type. A name that
      is both ("Violence against civilians") is read as current when a sub-event type is given,
      as legacy otherwise. "Riots/Protests" becomes Riots when inter1 or inter2 is Rioters (5,
      "5" or "Rioters"), else Protests.
    - Anything else gives (None, None, "unknown ACLED event type '...'").
    """
    if _blank(event_type):
        return TypeMapping(None, None, "ACLED event type missing")
    raw = str(event_type)
    key = _key(raw)
    has_sub = not _blank(sub_event_type)
    current = _CURRENT_BY_KEY.get(key)
    legacy = _LEGACY_BY_KEY.get(key)

    if current is not None and (has_sub or legacy is None):
        if not has_sub:
            return TypeMapping(current, None, f"ACLED sub-event type missing for {current}")
        sub = _SUBTYPE_BY_KEY[current].get(_key(str(sub_event_type)))
        if sub is None:
            return TypeMapping(
                current, None, f"unknown ACLED sub-event type {sub_event_type!r} for {current}"
            )
        return TypeMapping(current, sub, None)

    if legacy is not None:
        mapped_type, mapped_sub = ACLED_LEGACY_TYPES[legacy]
        reason = ""
        if legacy == "Riots/Protests":
            if RIOTERS in (inter_code(inter1), inter_code(inter2)):
                mapped_type, mapped_sub = ACLED_LEGACY_RIOTS
                reason = ", as an actor is Rioters (inter 5)"
            else:
                reason = ", as no actor is Rioters (inter 5)"
        flag = f"legacy ACLED type {legacy!r} mapped to {_describe(mapped_type, mapped_sub)}"
        return TypeMapping(mapped_type, mapped_sub, flag + reason)

    return TypeMapping(None, None, f"unknown ACLED event type {raw!r}")


# --------------------------------------------------------------------------------------------
# UCDP GED

# UCDP `type_of_violence` (codebook: 1 state-based, 2 non-state, 3 one-sided violence)
# -> ACLED type. Suggested mapping, eventmap's choice.
UCDP_VIOLENCE: dict[int, tuple[str, str]] = {
    1: ("Battles", "Armed clash"),
    2: ("Battles", "Armed clash"),
    3: ("Violence against civilians", "Attack"),
}

# UCDP `where_prec` (codebook: 1 exact place; 2 within ~25 km of a place; 3 ADM2; 4 ADM1;
# 5 larger than ADM1 or between places; 6 country; 7 water or airspace) -> geo_precision.
# Suggested mapping, eventmap's choice.
UCDP_WHERE_PREC: dict[int, int] = {1: 1, 2: 2, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3}

# UCDP `date_prec` (codebook: 1 the day; 2 within 2-6 days; 3 a week; 4 a month; 5 a year;
# date_start/date_end carry the range) -> time_precision. Suggested mapping, eventmap's choice.
UCDP_DATE_PREC: dict[int, int] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}


def ucdp_type(type_of_violence: Any) -> TypeMapping:
    """The ACLED type of a UCDP `type_of_violence` (1, 2, 3, or the same as text)."""
    code = _as_int(type_of_violence)
    if code not in UCDP_VIOLENCE:
        return TypeMapping(None, None, f"unknown UCDP type_of_violence {type_of_violence!r}")
    return TypeMapping(*UCDP_VIOLENCE[code], None)


def _precision(value: Any, table: dict[int, int], what: str) -> PrecisionMapping:
    code = _as_int(value)
    if code not in table:
        return PrecisionMapping(None, f"unknown {what} {value!r}")
    return PrecisionMapping(table[code], None)


def ucdp_geo_precision(where_prec: Any) -> PrecisionMapping:
    """geo_precision of a UCDP `where_prec`; (None, flag) outside 1-7."""
    return _precision(where_prec, UCDP_WHERE_PREC, "UCDP where_prec")


def ucdp_time_precision(date_prec: Any) -> PrecisionMapping:
    """time_precision of a UCDP `date_prec`; (None, flag) outside 1-5."""
    return _precision(date_prec, UCDP_DATE_PREC, "UCDP date_prec")


# --------------------------------------------------------------------------------------------
# GDELT

# GDELT `Geo_Type` (GDELT codebook: 1 country, 2 US state, 3 US city, 4 world city,
# 5 world state/ADM1) -> geo_precision. Suggested mapping, eventmap's choice.
GDELT_GEO_TYPE: dict[int, int] = {1: 3, 2: 3, 3: 2, 4: 2, 5: 3}
# Geo types whose point is the centroid of the area, not a place (GDELT codebook).
GDELT_CENTROID_TYPES: frozenset[int] = frozenset({1, 2, 5})
GDELT_CENTROID_FLAG = "GDELT point is the centroid of a country/state"


def gdelt_geo_precision(geo_type: Any) -> PrecisionMapping:
    """geo_precision of a GDELT `Geo_Type`, flagged when the point is a centroid (1, 2, 5).

    0 or blank (GDELT found no place) and unknown values give (None, flag).
    """
    code = _as_int(geo_type)
    if _blank(geo_type) or code == 0:
        return PrecisionMapping(None, "GDELT row has no geographic match (Geo_Type 0)")
    if code not in GDELT_GEO_TYPE:
        return PrecisionMapping(None, f"unknown GDELT Geo_Type {geo_type!r}")
    flag = GDELT_CENTROID_FLAG if code in GDELT_CENTROID_TYPES else None
    return PrecisionMapping(GDELT_GEO_TYPE[code], flag)


# CAMEO root codes (CAMEO manual v1.1b3; GDELT `EventRootCode`), for messages.
CAMEO_ROOT_NAMES: dict[str, str] = {
    "01": "make public statement",
    "02": "appeal",
    "03": "express intent to cooperate",
    "04": "consult",
    "05": "engage in diplomatic cooperation",
    "06": "engage in material cooperation",
    "07": "provide aid",
    "08": "yield",
    "09": "investigate",
    "10": "demand",
    "11": "disapprove",
    "12": "reject",
    "13": "threaten",
    "14": "protest",
    "15": "exhibit force posture",
    "16": "reduce relations",
    "17": "coerce",
    "18": "assault",
    "19": "fight",
    "20": "use unconventional mass violence",
}

# CAMEO root -> ACLED type. Suggested mapping, eventmap's choice. Roots not listed (01-13, 16)
# have no ACLED type: cameo_type() says so and the importer skips them with that reason.
CAMEO_ROOTS: dict[str, tuple[str, str | None]] = {
    "14": ("Protests", "Peaceful protest"),
    "15": ("Strategic developments", "Other"),
    "17": ("Strategic developments", "Other"),
    "18": ("Violence against civilians", "Attack"),
    "19": ("Battles", "Armed clash"),
    "20": ("Violence against civilians", "Attack"),
}

# Overrides by full CAMEO code (CAMEO manual names in the comments); the longest matching
# prefix wins, so children inherit (1451 "violent protest for leadership change" -> Riots,
# 1951 "precision-guided aerial munitions" -> Air/drone strike). Eventmap's choice.
CAMEO_CODES: dict[str, tuple[str, str | None]] = {
    "145": ("Riots", "Violent demonstration"),  # protest violently, riot
    "173": ("Strategic developments", "Arrests"),  # arrest, detain, or charge
    "181": ("Violence against civilians", "Abduction/forced disappearance"),  # abduct, hijack
    "1821": ("Violence against civilians", "Sexual violence"),  # sexually assault
    "183": ("Explosions/Remote violence", None),  # conduct suicide, car, or other bombing
    "1831": ("Explosions/Remote violence", "Suicide bomb"),  # suicide bombing
    "1832": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),  # vehicular
    "1833": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),  # roadside
    "1834": ("Explosions/Remote violence", None),  # location bombing: device unknown
    "194": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),  # artillery, tanks
    "195": ("Explosions/Remote violence", "Air/drone strike"),  # employ aerial weapons
}


def _cameo_root(value: Any) -> str | None:
    """A root code "01".."20" from 4, "4", "04", 14, "14"; None otherwise."""
    number = _as_int(value)
    if number is None or not 1 <= number <= 20:
        return None
    if isinstance(value, str) and not value.strip().isdigit():
        return None
    return f"{number:02d}"


def normalise_cameo_code(event_code: Any, *, root_code: Any = None) -> str | None:
    """The CAMEO code as CAMEO writes it (2-4 digits, leading zero kept), or None if not one.

    Spreadsheets drop leading zeros: "04" -> "4", "042" -> "42", "0211" -> "211". The rule:

    - Without `root_code`: a code whose first two digits are not a root (01-20) lost its zero,
      so one is put back: "4" -> "04", "42" -> "042", "211" -> "0211", "871" -> "0871".
      A code whose first two digits are a root is read as written: "14" is root 14, "145"
      is base code 145, "201" is 201. This is unambiguous for 3-digit codes (CAMEO has no
      4-digit code under root 01 and none 020x, so no stripped code reads "1xx" or "20x"),
      but a 2-digit "10".."20" could be a stripped base code "010".."020"; it is read as a
      root code (GDELT's EventRootCode column writes roots that way).
    - With `root_code` (GDELT's EventRootCode, itself maybe "4" for "04"): the root settles it;
      the code is taken as written or with one zero put back, whichever starts with the root.
      A code that does neither contradicts its root: None.
    """
    if isinstance(event_code, bool) or event_code is None:
        return None
    if isinstance(event_code, float):
        number = _as_int(event_code)
        if number is None or number < 0:
            return None
        text = str(number)
    else:
        text = str(event_code).strip()
    if not text.isdigit() or not text.isascii() or not 1 <= len(text) <= 4:
        return None

    if root_code is not None and not _blank(root_code):
        root = _cameo_root(root_code)
        if root is None:
            return None
        for candidate in (text, "0" + text):
            if candidate.startswith(root) and len(candidate) <= 4:
                return candidate
        return None

    if len(text) == 1 or (text[0] != "0" and not 1 <= int(text[:2]) <= 20):
        text = "0" + text
    if len(text) > 4 or len(text) < 2 or not 1 <= int(text[:2]) <= 20:
        return None
    return text


def cameo_type(event_code: str | int, *, root_code: Any = None) -> TypeMapping:
    """The ACLED type of a CAMEO event code (GDELT `EventCode`, or a root code alone).

    The code is normalised by normalise_cameo_code() (leading zeros put back; pass GDELT's
    `EventRootCode` as `root_code` to settle a 2-digit code). The longest override in
    CAMEO_CODES wins, else the root's entry in CAMEO_ROOTS; a root with no ACLED type gives
    (None, None, "CAMEO root 04 has no ACLED type").
    """
    code = normalise_cameo_code(event_code, root_code=root_code)
    if code is None:
        if root_code is not None and not _blank(root_code):
            return TypeMapping(
                None,
                None,
                f"CAMEO code {event_code!r} is not a code under root {root_code!r}",
            )
        return TypeMapping(None, None, f"{event_code!r} is not a CAMEO event code")
    for length in (4, 3):
        if len(code) >= length and code[:length] in CAMEO_CODES:
            return TypeMapping(*CAMEO_CODES[code[:length]], None)
    root = code[:2]
    if root in CAMEO_ROOTS:
        return TypeMapping(*CAMEO_ROOTS[root], None)
    return TypeMapping(None, None, f"CAMEO root {root} has no ACLED type")


# --------------------------------------------------------------------------------------------
# Import-time check: every mapping lands in model.EVENT_TYPES and the precision codes exist.
# Explicit raises rather than `assert`, so `python -O` keeps the check.


def _check_tables() -> None:
    pairs: list[tuple[str, tuple[str, str | None]]] = [
        *(("ACLED_LEGACY_TYPES", v) for v in ACLED_LEGACY_TYPES.values()),
        ("ACLED_LEGACY_RIOTS", ACLED_LEGACY_RIOTS),
        *(("UCDP_VIOLENCE", v) for v in UCDP_VIOLENCE.values()),
        *(("CAMEO_ROOTS", v) for v in CAMEO_ROOTS.values()),
        *(("CAMEO_CODES", v) for v in CAMEO_CODES.values()),
    ]
    for table, (event_type, sub_event_type) in pairs:
        if event_type not in EVENT_TYPES:
            raise AssertionError(f"{table}: {event_type!r} is not in model.EVENT_TYPES")
        if sub_event_type is not None and sub_event_type not in EVENT_TYPES[event_type]:
            raise AssertionError(
                f"{table}: {sub_event_type!r} is not a sub-event type of {event_type!r}"
            )
    for name, table, allowed in (
        ("UCDP_WHERE_PREC", UCDP_WHERE_PREC, GEO_PRECISION),
        ("UCDP_DATE_PREC", UCDP_DATE_PREC, TIME_PRECISION),
        ("GDELT_GEO_TYPE", GDELT_GEO_TYPE, GEO_PRECISION),
    ):
        if not set(table.values()) <= set(allowed):
            raise AssertionError(f"{name}: codes outside {sorted(allowed)}")
    for code in (*CAMEO_ROOTS, *CAMEO_CODES):
        if normalise_cameo_code(code) != code or code[:2] not in CAMEO_ROOT_NAMES:
            raise AssertionError(f"CAMEO table key {code!r} is not a CAMEO code")


_check_tables()
