"""The code tables of the outside formats: every entry, and the cells real files hold."""

from __future__ import annotations

import math

import pytest

from eventmap.importers import codes
from eventmap.importers.codes import (
    ACLED_INTER,
    ACLED_LEGACY_TYPES,
    CAMEO_CODES,
    CAMEO_ROOT_NAMES,
    CAMEO_ROOTS,
    GDELT_CENTROID_FLAG,
    GDELT_GEO_TYPE,
    UCDP_DATE_PREC,
    UCDP_VIOLENCE,
    UCDP_WHERE_PREC,
    PrecisionMapping,
    TypeMapping,
    acled_type,
    cameo_type,
    gdelt_geo_precision,
    inter_code,
    inter_name,
    normalise_cameo_code,
    ucdp_geo_precision,
    ucdp_time_precision,
    ucdp_type,
)
from eventmap.model import EVENT_TYPES, GEO_PRECISION, TIME_PRECISION

# --------------------------------------------------------------------------------------------
# Every mapping lands in the schema


def _all_type_pairs():
    yield from ACLED_LEGACY_TYPES.values()
    yield codes.ACLED_LEGACY_RIOTS
    yield from UCDP_VIOLENCE.values()
    yield from CAMEO_ROOTS.values()
    yield from CAMEO_CODES.values()


def test_every_mapping_is_a_valid_event_type_and_sub_type():
    for event_type, sub_event_type in _all_type_pairs():
        assert event_type in EVENT_TYPES
        assert sub_event_type is None or sub_event_type in EVENT_TYPES[event_type]
    for table, allowed in (
        (UCDP_WHERE_PREC, GEO_PRECISION),
        (UCDP_DATE_PREC, TIME_PRECISION),
        (GDELT_GEO_TYPE, GEO_PRECISION),
    ):
        assert set(table.values()) <= set(allowed)


def test_every_function_result_is_valid():
    results = [
        *(acled_type(t, None) for t in ACLED_LEGACY_TYPES),
        acled_type("Riots/Protests", None, inter1=5),
        *(acled_type(t, s) for t, subs in EVENT_TYPES.items() for s in subs),
        *(ucdp_type(v) for v in UCDP_VIOLENCE),
        *(cameo_type(f"{r:02d}") for r in range(1, 21)),
        *(cameo_type(c) for c in CAMEO_CODES),
    ]
    for result in results:
        assert isinstance(result, TypeMapping)
        if result.event_type is not None:
            assert result.event_type in EVENT_TYPES
            assert result.sub_event_type in (None, *EVENT_TYPES[result.event_type])


def test_a_typo_in_a_table_fails_at_import(monkeypatch):
    monkeypatch.setitem(codes.CAMEO_CODES, "195", ("Explosions/Remote violence", "Air strike"))
    with pytest.raises(AssertionError, match="Air strike"):
        codes._check_tables()
    monkeypatch.setitem(codes.CAMEO_CODES, "195", ("Explosion", None))
    with pytest.raises(AssertionError, match="Explosion"):
        codes._check_tables()


# --------------------------------------------------------------------------------------------
# ACLED


def test_acled_inter_table_and_inter_name():
    assert ACLED_INTER == {
        1: "State forces",
        2: "Rebel groups",
        3: "Political militias",
        4: "Identity militias",
        5: "Rioters",
        6: "Protesters",
        7: "Civilians",
        8: "External/Other forces",
    }
    for code, name in ACLED_INTER.items():
        for value in (code, str(code), f" {code} ", float(code), f"{code}.0", name, name.upper()):
            assert inter_name(value) == name, value
            assert inter_code(value) == code, value
    # The API writes the singular.
    assert inter_name("Rebel group") == "Rebel groups"
    assert inter_name("political militia") == "Political militias"
    assert inter_name("Identity  Militia") == "Identity militias"
    assert inter_name("External / Other forces") == "External/Other forces"
    for value in (0, "0", 9, "9", -1, "", "  ", None, math.nan, True, "Rebels", 5.5, "abc"):
        assert inter_name(value) is None, value
        assert inter_code(value) is None, value


def test_acled_legacy_table_every_entry():
    expected = {
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
    assert expected == ACLED_LEGACY_TYPES
    for legacy, (event_type, sub_event_type) in expected.items():
        result = acled_type(legacy, None)
        assert result[:2] == (event_type, sub_event_type), legacy
        assert result.flag.startswith(f"legacy ACLED type {legacy!r} mapped to {event_type}")
        # Empty cells as pandas and csv give them.
        assert acled_type(legacy, "")[:2] == (event_type, sub_event_type)
        assert acled_type(legacy, math.nan)[:2] == (event_type, sub_event_type)
        # Legacy files may be uppercase or padded.
        assert acled_type(f"  {legacy.upper()} ", None)[:2] == (event_type, sub_event_type)


def test_acled_legacy_flag_wording():
    assert acled_type("Remote violence", None).flag == (
        "legacy ACLED type 'Remote violence' mapped to "
        "Explosions/Remote violence (sub-event type unknown)"
    )
    assert acled_type("Strategic development", None).flag == (
        "legacy ACLED type 'Strategic development' mapped to Strategic developments / Other"
    )
    assert acled_type("battle - no change of territory", None).flag.startswith(
        "legacy ACLED type 'Battle-No change of territory' mapped to Battles / Armed clash"
    )


@pytest.mark.parametrize(
    "inter1, inter2, expected",
    [
        (5, None, "Riots"),
        (None, 5, "Riots"),
        ("5", "1", "Riots"),
        (1, " 5 ", "Riots"),
        ("Rioters", "", "Riots"),
        ("State forces", "rioters", "Riots"),
        (5.0, math.nan, "Riots"),
        (6, None, "Protests"),
        ("Protesters", "State forces", "Protests"),
        ("6", "1", "Protests"),
        (None, None, "Protests"),
        ("", "", "Protests"),
        (50, "55", "Protests"),
    ],
)
def test_acled_legacy_riots_protests_split_on_inter(inter1, inter2, expected):
    result = acled_type("Riots/Protests", None, inter1=inter1, inter2=inter2)
    assert result == (expected, None, result.flag)
    assert result.flag.startswith(f"legacy ACLED type 'Riots/Protests' mapped to {expected}")


def test_acled_current_types_pass_through_every_entry():
    for event_type, subs in EVENT_TYPES.items():
        for sub in subs:
            assert acled_type(event_type, sub) == (event_type, sub, None)
            # Case and whitespace do not matter; the codebook spelling comes back.
            messy_type = "  " + event_type.upper().replace(" ", "   ") + " "
            messy_sub = "\t" + sub.lower().replace("/", " / ") + "  "
            assert acled_type(messy_type, messy_sub) == (event_type, sub, None)


def test_acled_current_type_edge_cases():
    assert acled_type("explosions / remote violence", "AIR/DRONE STRIKE") == (
        "Explosions/Remote violence",
        "Air/drone strike",
        None,
    )
    # Inter codes do not touch current types.
    assert acled_type("Protests", "Peaceful protest", inter1=5) == (
        "Protests",
        "Peaceful protest",
        None,
    )
    # A current name that is also a legacy name: current with a sub-type, legacy without.
    assert acled_type("Violence against civilians", "Attack") == (
        "Violence against civilians",
        "Attack",
        None,
    )
    assert acled_type("Violence against civilians", None).flag.startswith("legacy ACLED type")
    # Current type without or with a wrong sub-type keeps the type, flags the sub-type.
    assert acled_type("Battles", None) == (
        "Battles",
        None,
        "ACLED sub-event type missing for Battles",
    )
    assert acled_type("Battles", "Attack") == (
        "Battles",
        None,
        "unknown ACLED sub-event type 'Attack' for Battles",
    )


@pytest.mark.parametrize("value", ["Bombing", "Battle", "Protest", "Riots/Protest", "x"])
def test_acled_unknown_types(value):
    assert acled_type(value, "Armed clash") == (None, None, f"unknown ACLED event type {value!r}")


@pytest.mark.parametrize("value", [None, "", "   ", math.nan])
def test_acled_missing_type(value):
    assert acled_type(value, "Armed clash") == (None, None, "ACLED event type missing")


# --------------------------------------------------------------------------------------------
# UCDP GED


def test_ucdp_violence_every_entry_and_strings():
    assert UCDP_VIOLENCE == {
        1: ("Battles", "Armed clash"),
        2: ("Battles", "Armed clash"),
        3: ("Violence against civilians", "Attack"),
    }
    for code, pair in UCDP_VIOLENCE.items():
        for value in (code, str(code), f" {code} ", float(code), f"{code}.0"):
            assert ucdp_type(value) == (*pair, None), value


@pytest.mark.parametrize("value", [0, 4, "4", "", None, "state-based", math.nan, 1.5, True])
def test_ucdp_violence_unknown(value):
    assert ucdp_type(value) == (None, None, f"unknown UCDP type_of_violence {value!r}")


def test_ucdp_where_prec_every_entry():
    assert UCDP_WHERE_PREC == {1: 1, 2: 2, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3}
    for where, code in UCDP_WHERE_PREC.items():
        for value in (where, str(where), float(where)):
            assert ucdp_geo_precision(value) == PrecisionMapping(code, None)
    for value in (0, 8, "8", "", None, "ADM1", -1):
        assert ucdp_geo_precision(value) == (None, f"unknown UCDP where_prec {value!r}")


def test_ucdp_date_prec_every_entry():
    assert UCDP_DATE_PREC == {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
    for prec, code in UCDP_DATE_PREC.items():
        for value in (prec, str(prec), f" {prec}.0 "):
            assert ucdp_time_precision(value) == PrecisionMapping(code, None)
    for value in (0, 6, "6", "", None, "day"):
        assert ucdp_time_precision(value) == (None, f"unknown UCDP date_prec {value!r}")


# --------------------------------------------------------------------------------------------
# GDELT


def test_gdelt_geo_type_every_entry():
    assert GDELT_GEO_TYPE == {1: 3, 2: 3, 3: 2, 4: 2, 5: 3}
    centroid = {1, 2, 5}
    for geo_type, code in GDELT_GEO_TYPE.items():
        for value in (geo_type, str(geo_type), float(geo_type)):
            flag = GDELT_CENTROID_FLAG if geo_type in centroid else None
            assert gdelt_geo_precision(value) == PrecisionMapping(code, flag)
    assert GDELT_CENTROID_FLAG == "GDELT point is the centroid of a country/state"


@pytest.mark.parametrize("value", [0, "0", "", None, math.nan])
def test_gdelt_geo_type_no_place(value):
    code, flag = gdelt_geo_precision(value)
    assert code is None and "no geographic match" in flag


@pytest.mark.parametrize("value", [6, "6", "city", -1])
def test_gdelt_geo_type_unknown(value):
    assert gdelt_geo_precision(value) == (None, f"unknown GDELT Geo_Type {value!r}")


def test_cameo_roots_every_entry():
    assert CAMEO_ROOTS == {
        "14": ("Protests", "Peaceful protest"),
        "15": ("Strategic developments", "Other"),
        "17": ("Strategic developments", "Other"),
        "18": ("Violence against civilians", "Attack"),
        "19": ("Battles", "Armed clash"),
        "20": ("Violence against civilians", "Attack"),
    }
    assert list(CAMEO_ROOT_NAMES) == [f"{r:02d}" for r in range(1, 21)]
    for root in CAMEO_ROOT_NAMES:
        expected = CAMEO_ROOTS.get(root)
        for value in (root, int(root), root + "0", root + "00"):  # "x1" may be an override
            result = cameo_type(value)
            if expected is None:
                assert result == (None, None, f"CAMEO root {root} has no ACLED type"), value
            else:
                assert result == (*expected, None), value


def test_cameo_overrides_every_entry_and_children():
    assert CAMEO_CODES == {
        "145": ("Riots", "Violent demonstration"),
        "173": ("Strategic developments", "Arrests"),
        "181": ("Violence against civilians", "Abduction/forced disappearance"),
        "1821": ("Violence against civilians", "Sexual violence"),
        "183": ("Explosions/Remote violence", None),
        "1831": ("Explosions/Remote violence", "Suicide bomb"),
        "1832": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        "1833": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        "1834": ("Explosions/Remote violence", None),
        "194": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        "195": ("Explosions/Remote violence", "Air/drone strike"),
    }
    for code, pair in CAMEO_CODES.items():
        assert cameo_type(code) == (*pair, None)
        assert cameo_type(int(code)) == (*pair, None)
    # Children inherit the override, siblings keep the root.
    assert cameo_type("1451") == ("Riots", "Violent demonstration", None)
    assert cameo_type("1951") == ("Explosions/Remote violence", "Air/drone strike", None)
    assert cameo_type("1831")[1] == "Suicide bomb"
    assert cameo_type("183")[1] is None
    assert cameo_type("1823") == ("Violence against civilians", "Attack", None)  # kill: root 18
    assert cameo_type("1811")[1] == "Abduction/forced disappearance"
    # Override versus root.
    assert cameo_type("140") == ("Protests", "Peaceful protest", None)
    assert cameo_type("141") == ("Protests", "Peaceful protest", None)
    assert cameo_type("1411") == ("Protests", "Peaceful protest", None)
    assert cameo_type("14") == ("Protests", "Peaceful protest", None)
    assert cameo_type("172") == ("Strategic developments", "Other", None)
    assert cameo_type("180") == ("Violence against civilians", "Attack", None)
    assert cameo_type("1822") == ("Violence against civilians", "Attack", None)
    assert cameo_type("190") == ("Battles", "Armed clash", None)
    assert cameo_type("193") == ("Battles", "Armed clash", None)
    assert cameo_type("196") == ("Battles", "Armed clash", None)
    assert cameo_type("2041") == ("Violence against civilians", "Attack", None)


@pytest.mark.parametrize(
    "written, cameo",
    [
        # Leading zero kept: read as written.
        ("04", "04"),
        ("042", "042"),
        ("0211", "0211"),
        ("010", "010"),
        # Lost zero: the first two digits are not a root 01-20, so a zero goes back.
        ("4", "04"),
        (4, "04"),
        ("42", "042"),
        (42, "042"),
        ("211", "0211"),
        (211, "0211"),
        ("871", "0871"),
        ("311", "0311"),
        (" 57 ", "057"),
        # First two digits are a root: read as written (root, base code, sub-code).
        ("14", "14"),
        ("20", "20"),
        ("145", "145"),
        ("201", "201"),
        ("1831", "1831"),
        (1831, "1831"),
        (183.0, "183"),
    ],
)
def test_cameo_leading_zero_rule(written, cameo):
    assert normalise_cameo_code(written) == cameo


@pytest.mark.parametrize(
    "written, root, cameo",
    [
        # The root column settles the 2-digit ambiguity: "14" is root 14 or a stripped "014".
        ("14", "14", "14"),
        ("14", "01", "014"),
        ("14", "1", "014"),
        ("14", 1, "014"),
        ("10", "01", "010"),
        ("10", "10", "10"),
        ("211", "2", "0211"),
        ("211", "02", "0211"),
        ("145", "14", "145"),
        ("42", "4", "042"),
        ("4", "4", "04"),
        ("1831", 18, "1831"),
        # A code that is not under its root: None.
        ("190", "14", None),
        ("1831", "01", None),
        ("4", "14", None),
        # A bad root: None.
        ("145", "21", None),
        ("145", "x", None),
    ],
)
def test_cameo_root_code_settles_the_code(written, root, cameo):
    assert normalise_cameo_code(written, root_code=root) == cameo


def test_cameo_type_with_root_code():
    assert cameo_type("14", root_code="1") == (None, None, "CAMEO root 01 has no ACLED type")
    assert cameo_type("14", root_code="14") == ("Protests", "Peaceful protest", None)
    assert cameo_type("145", root_code=14) == ("Riots", "Violent demonstration", None)
    assert cameo_type("195", root_code="") == cameo_type("195")
    assert cameo_type("195", root_code=None) == cameo_type("195")
    result = cameo_type("190", root_code="14")
    assert result[:2] == (None, None) and "not a code under root" in result.flag


@pytest.mark.parametrize(
    "value", ["", " ", None, "0", "00", "000", "21x", "abc", "-14", "14.5", "12345", "2111", True]
)
def test_cameo_not_a_code(value):
    assert normalise_cameo_code(value) is None
    assert cameo_type(value) == (None, None, f"{value!r} is not a CAMEO event code")


def test_cameo_roots_without_acled_type_say_so():
    for root in ("01", "04", "13", "16"):
        assert cameo_type(root).flag == f"CAMEO root {root} has no ACLED type"
    assert cameo_type("4").flag == "CAMEO root 04 has no ACLED type"
    assert cameo_type("211").flag == "CAMEO root 02 has no ACLED type"
    assert cameo_type("160").flag == "CAMEO root 16 has no ACLED type"
