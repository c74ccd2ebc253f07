"""`eventmap import`, format by format, on the invented fixtures of tests/fixtures/import: the
format found, ids, types, dates and their precision, actors, admin areas, the original type,
the source's other columns, the citation and the fatality range."""

from __future__ import annotations

import datetime as dt
import json
import re

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from paths import ROOT

from eventmap.errors import EventmapError
from eventmap.importers.acled import MERGED
from eventmap.importers.read import CUT_OFF
from eventmap.importers.run import import_file
from eventmap.importers.ucdp import HXL_ROW

FIXTURES = ROOT / "tests" / "fixtures" / "import"
D = dt.date

# What incidents_strings.parquet holds (the README says so; the test below checks it).
PARQUET_ROWS = {
    "id": ["pq-1", "pq-2", "pq-3", "pq-4", "pq-5"],
    "date": ["2018-01-05", "2018-01-06", "2018-02-10", "2018-02-11", "2018-03-01"],
    "lat": ["12.6392", "13.4549", " 14.4974 ", "", "not a number"],
    "lon": ["-8.0029", "-16.5790", "-14.4524", "", "-5.5"],
    "type": ["Battles", "Protests", "Violence against civilians", "Riots", "Protests"],
    "subtype": ["Armed clash", "Peaceful protest", "Attack", "Mob violence", "Peaceful protest"],
    "actor": [
        "Military Forces of Mali (2016-)",
        "Protesters (Gambia)",
        "Unidentified Armed Group (Senegal)",
        "Rioters (Mali)",
        "Protesters (Mali)",
    ],
    "deaths": [3, 0, 1, None, 0],
    "summary": [
        "Invented: a clash.",
        "Invented: a march.",
        "Invented: an attack on a bus.",
        "Invented: a riot, no coordinates.",
        "Invented: coordinates that are not numbers.",
    ],
    "extra_note": ["kept", None, "kept too", None, None],
}


@pytest.fixture(scope="module")
def load(resolver):
    """import_file on a fixture, once per module: (events by source id, or by another
    column, and the report)."""
    done = {}

    def get(name: str, by: str = "source_event_id"):
        if name not in done:
            done[name] = import_file(FIXTURES / name, resolver=resolver)
        table, report = done[name]
        events = {e[by]: e for e in table.to_pylist()}
        assert len(events) == table.num_rows, f"{by} is not unique in {name}"
        return events, report

    return get


def _flags(event) -> list[str]:
    return (event["flags"] or "").split("; ") if event["flags"] else []


def _fields(event) -> dict:
    return json.loads(event["source_fields"]) if event["source_fields"] else {}


# -- ACLED -------------------------------------------------------------------------------


def test_acled_current_layout(load):
    events, report = load("acled_current.csv")
    assert report.format == "acled" and report.evidence.startswith("ACLED columns: ")
    assert (report.rows, report.imported, report.skipped) == (7, 7, [])
    e = events["IRQ90001"]
    assert e["event_id"] == "acled-IRQ90001"
    assert e["source_dataset"] == "acled"
    assert (e["event_date"], e["date_end"], e["time_precision"]) == (D(2022, 4, 15),) * 2 + (1,)
    assert (e["event_type"], e["sub_event_type"]) == ("Battles", "Armed clash")
    assert e["original_type"] == "Battles / Armed clash"
    assert (e["actor1"], e["actor2"]) == ("Military Forces of Iraq (2022-)", "Islamic State (Iraq)")
    assert (e["country"], e["iso"]) == ("Iraq", "368")
    assert (e["admin1"], e["admin2"], e["admin3"], e["location"]) == ("Kirkuk", "Daquq") + (
        "Daquq",
    ) * 2
    assert (e["latitude"], e["longitude"], e["geo_precision"]) == (35.1403, 44.4497, 1)
    assert (e["fatalities"], e["fatalities_low"], e["fatalities_high"]) == (2, None, None)
    assert json.loads(e["sources"]) == [
        {"document": "Invented Wire; Example Daily", "quote": e["notes"]}
    ]
    assert e["notes"].startswith("On 15 April 2022, an invented clash")
    assert _fields(e) == {
        "disorder_type": "Political violence",
        "inter1": "1",
        "inter2": "2",
        "interaction": "12",
        "region": "Middle East",
        "source_scale": "National",
        "timestamp": "1650912000",
    }
    assert all(event["flags"] is None for event in events.values())


def test_acled_current_layout_keeps_precision_tags_and_quotes(load):
    events, _ = load("acled_current.csv")
    assert [events[k]["time_precision"] for k in ("NIG90005", "MEX90006")] == [2, 3]
    assert [events[k]["geo_precision"] for k in ("IRQ90002", "MEX90006")] == [2, 3]
    assert _fields(events["SYR90003"])["tags"] == "crowd size=around 50"
    assert _fields(events["SYR90003"])["assoc_actor_1"] == "Teachers (Syria)"
    assert _fields(events["SYR90004"])["civilian_targeting"] == "Civilian targeting"
    assert events["SYR90003"]["actor2"] is None
    assert 'with "heavy fire", near Jalawla' in events["IRQ90007"]["notes"]
    assert events["MEX90006"]["admin3"] is None
    assert events["MEX90006"]["longitude"] == -99.8237


def test_acled_pre_2023_layout(load):
    events, report = load("acled_pre2023.csv")
    assert report.format == "acled" and "data_id" in report.evidence
    assert (report.rows, report.imported) == (5, 5)
    e = events["SYR91001"]
    assert e["event_id"] == "acled-SYR91001"
    assert e["event_date"] == D(2019, 3, 14) and e["flags"] is None  # 14-March-2019
    assert e["iso"] == "SYR"  # iso3 first; the numeric iso kept with the rest
    assert _fields(e) == {
        "data_id": "9100001",
        "iso": "760",
        "event_id_no_cnty": "91001",
        "inter1": "1",
        "inter2": "2",
        "interaction": "12",
        "region": "Middle East",
        "source_scale": "Other",
        "timestamp": "1552867200",
    }
    assert events["IRQ91004"]["time_precision"] == 2
    assert (events["IRQ91003"]["admin3"], events["IRQ91003"]["location"]) == (
        "Baghdad - Al Resafa",
        "Baghdad - Sadr City",
    )
    assert (events["IRQ91005"]["event_type"], events["IRQ91005"]["sub_event_type"]) == (
        "Protests",
        "Excessive force against protesters",
    )


LEGACY = {
    "CDI9201": ("Battle-No change of territory", "Battles", "Armed clash"),
    "CDI9202": ("Battle-Government regains territory", "Battles", "Government regains territory"),
    "CDI9203": (
        "Battle-Non-state actor overtakes territory",
        "Battles",
        "Non-state actor overtakes territory",
    ),
    "NIG9204": ("Remote violence", "Explosions/Remote violence", None),
    "NIG9205": ("Riots/Protests", "Riots", None),  # inter1 5: Rioters
    "NIG9206": ("Riots/Protests", "Protests", None),  # inter1 6: Protesters
    "NIG9207": ("Violence against civilians", "Violence against civilians", None),
    "CDI9208": (
        "Headquarters or base established",
        "Strategic developments",
        "Headquarters or base established",
    ),
    "CDI9209": (
        "Non-violent transfer of territory",
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    "CDI9210": ("Strategic development", "Strategic developments", "Other"),
}


def test_acled_legacy_types_map_and_keep_the_old_name(load):
    events, report = load("acled_legacy_cp1252.csv")
    assert report.format == "acled" and "gwno" in report.evidence
    assert (report.rows, report.imported, report.skipped) == (10, 10, [])
    for source_id, (old, event_type, sub_type) in LEGACY.items():
        e = events[source_id]
        assert (e["event_type"], e["sub_event_type"], e["original_type"]) == (
            event_type,
            sub_type,
            old,
        ), source_id
        assert any(f.startswith(f"legacy ACLED type '{old}' mapped to") for f in _flags(e))
    assert "as an actor is Rioters (inter 5)" in events["NIG9205"]["flags"]
    assert "as no actor is Rioters (inter 5)" in events["NIG9206"]["flags"]


def test_acled_legacy_file_from_excel_cp1252_crlf_trailing_columns_and_a_line_break(load):
    events, _ = load("acled_legacy_cp1252.csv")
    raw = (FIXTURES / "acled_legacy_cp1252.csv").read_bytes()
    assert b"\r\n" in raw and b"\x92" in raw  # CRLF, and cp1252's right single quote
    e = events["CDI9203"]
    assert e["actor2"] == "Military Forces of Côte d’Ivoire (2000-2011)"
    assert e["country"] == "Côte d’Ivoire" and e["admin2"] == "Duékoué"
    assert e["notes"].startswith("Invented: rebels took the town.")
    assert e["notes"].endswith("Second line of the note, after a line break.")
    assert e["event_date"] == D(2011, 3, 3)  # 03-Mar-11, the year column says 2011
    assert "two-digit year settled by the year column" in _flags(e)
    assert _fields(e) == {
        "GWNO": "437",
        "EVENT_ID_NO_CNTY": "9203",
        "INTER1": "2",
        "INTER2": "1",
        "INTERACTION": "12",
    }  # the two trailing empty columns are not kept
    assert events["CDI9209"]["time_precision"] == 3
    assert events["CDI9201"]["event_id"] == "acled-CDI9201"


def test_acled_monadic_rows_become_one_event_with_both_actors(load):
    events, report = load("acled_monadic.csv")
    assert report.format == "acled"
    assert (report.rows, report.imported) == (7, 4)
    assert report.skipped == [
        {
            "record": 2,
            "line": 3,
            "reason": "the other actor row of the event in record '1': merged into it",
        },
        {
            "record": 4,
            "line": 5,
            "reason": "the other actor row of the event in record '3': merged into it",
        },
        {
            "record": 7,
            "line": 8,
            "reason": "the other actor row of the event in record '6': merged into it",
        },
    ]
    assert sorted(events) == ["SOM93001", "SOM93002", "SOM93003", "SOM93004"]
    pairs = {k: (e["actor1"], e["actor2"]) for k, e in events.items()}
    assert pairs == {
        "SOM93001": ("Military Forces of Somalia (2017-)", "Al Shabaab"),
        "SOM93002": ("Al Shabaab", "Civilians (Somalia)"),
        "SOM93003": ("Protesters (Somalia)", None),
        "SOM93004": ("Military Forces of the United States (2021-)", "Al Shabaab"),
    }
    for k in ("SOM93001", "SOM93002", "SOM93004"):
        assert MERGED in _flags(events[k])
        assert MERGED.startswith("merged with the other actor row")
    assert events["SOM93003"]["flags"] is None
    assert events["SOM93001"]["fatalities"] == 3  # one event's deaths, not counted twice
    assert report.flagged[MERGED] == 3


def test_acled_api_dump_in_alphabetical_order_with_an_index_column(load):
    events, report = load("acled_api_dump.csv")
    assert report.format == "acled"
    assert (report.rows, report.imported) == (5, 5)
    e = events["YEM94002"]
    assert e["event_id"] == "acled-YEM94002"
    assert (e["event_type"], e["sub_event_type"]) == (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    )
    assert (e["actor1"], e["actor2"], e["admin1"], e["iso"]) == (
        "Ansar Allah",
        "Civilians (Yemen)",
        "Taizz",
        "887",
    )
    assert (e["latitude"], e["longitude"], e["event_date"]) == (13.5795, 44.0209, D(2023, 7, 6))
    fields = _fields(e)
    assert fields["inter1"] == "Rebel group" and fields["interaction"] == "Rebel group-Civilians"
    assert "event_type" not in fields and "notes" not in fields
    assert "column 1" not in fields  # the unnamed index column numbers rows: not kept
    assert events["YEM94004"]["geo_precision"] == 2


def test_an_unnamed_column_with_data_is_kept(tmp_path, resolver):
    path = tmp_path / "unnamed.csv"
    path.write_text(
        ",date,latitude,longitude,\n0,2020-01-01,1,2,kept\n1,2020-01-02,1,2,\n7,2020-01-03,1,2,\n"
    )
    table, _ = import_file(path, resolver=resolver)
    assert [_fields(e) for e in table.to_pylist()] == [
        {"column 1": "0", "column 5": "kept"},
        {"column 1": "1"},
        {"column 1": "7"},  # not 0, 1, 2: not a row index, so the source's own
    ]


MESSY_DATES = {  # source id -> (date, flag on it or None)
    "LBN95001": (D(2015, 12, 29), None),
    "LBN95002": (D(2016, 1, 1), "two-digit year settled by the year column"),
    "LBN95003": (D(2014, 3, 14), "Excel serial date '41712'"),
    "LBN95004": (D(2020, 5, 9), "two-digit year settled by the year column"),
    "LBN95005": (D(2016, 4, 8), "day/month order inferred from other rows of the file"),
    "LBN95006": (D(2016, 4, 25), None),
    "LBN95007": (D(2015, 4, 3), "day/month order inferred from other rows of the file"),
    "LBN95011": (D(2020, 3, 13), None),
    "LBN95013": (D(2019, 12, 31), "two-digit year settled by the year column"),  # 31-12-19
}


def test_acled_mixed_dates_are_settled_by_the_file_and_flagged(load):
    events, report = load("acled_messy_dates.csv")
    assert report.format == "acled"  # trimmed by a user: its event_id_cnty still says ACLED
    assert report.evidence == "ACLED columns: event_id_cnty"
    for source_id, (day, flag) in MESSY_DATES.items():
        e = events[source_id]
        assert (e["event_date"], e["date_end"], e["time_precision"]) == (day, day, 1), source_id
        if flag is None:
            assert not [f for f in _flags(e) if "date" in f or "year" in f], source_id
        else:
            assert flag in _flags(e), source_id


def test_acled_bad_dates_places_and_a_cut_off_line(load):
    events, report = load("acled_messy_dates.csv")
    assert (report.rows, report.imported) == (13, 10)
    assert report.skipped == [
        {"record": 8, "line": 9, "reason": "event_date '2020-02-30' is not a real date"},
        {"record": 9, "line": 10, "reason": "no date at all"},
        {
            "record": 13,
            "line": 14,
            "reason": "the file ends inside a quoted field: this record is cut off "
            "(16 fields where the header has 17)",
        },
    ]
    out_of_range = events["LBN95010"]
    assert out_of_range["latitude"] is None and out_of_range["longitude"] is None
    assert "coordinates '95.2, 36.0833' out of range: kept without a point" in _flags(out_of_range)
    zero = events["LBN95011"]
    assert zero["latitude"] is None and zero["longitude"] is None
    assert any(f.startswith("point at (0, 0)") for f in _flags(zero))
    # the record before the cut-off one is whole: it is not said to be cut off
    assert not any(CUT_OFF in (e["flags"] or "") for e in events.values())


def test_a_cut_off_last_field_keeps_the_record_and_flags_it(tmp_path, resolver):
    path = tmp_path / "cut.csv"
    path.write_text(
        "event_id_cnty,event_date,event_type,sub_event_type,actor1,notes\n"
        "CUT1,2020-01-02,Protests,Peaceful protest,Protesters (Chad),Invented: whole.\n"
        'CUT2,2020-01-03,Protests,Peaceful protest,Protesters (Chad),"Invented: the export st'
    )
    table, report = import_file(path, resolver=resolver)
    assert (report.rows, report.imported, report.skipped) == (2, 2, [])
    flags = dict(zip(table["source_event_id"].to_pylist(), table["flags"].to_pylist(), strict=True))
    assert flags == {"CUT1": None, "CUT2": CUT_OFF}


# -- UCDP GED ----------------------------------------------------------------------------

UCDP = {  # id -> (type, sub, start, end, time_precision, geo_precision, best, low, high)
    "990001": ("Battles", "Armed clash", D(2019, 9, 30), D(2019, 9, 30), 1, 1, 15, 15, 20),
    "990002": ("Battles", "Armed clash", D(2019, 10, 2), D(2019, 10, 5), 2, 2, 7, 6, 9),
    "990003": ("Violence against civilians", "Attack", D(2019, 10, 7), D(2019, 10, 13), 2, 3)
    + (5, 5, 5),
    "990004": ("Battles", "Armed clash", D(2020, 3, 1), D(2020, 3, 31), 3, 3, 40, 30, 65),
    "990005": ("Violence against civilians", "Attack", D(2020, 1, 1), D(2020, 12, 31), 3, 3)
    + (25, 22, 40),
    "990006": ("Battles", "Armed clash", D(2021, 3, 24), D(2021, 3, 24), 1, 3, 15, 12, 18),
    "990007": ("Battles", "Armed clash", D(2021, 6, 10), D(2021, 6, 10), 1, 3, 2, 2, 2),
    "990008": ("Battles", "Armed clash", D(2021, 11, 4), D(2021, 11, 4), 1, 1, 3, 3, 3),
}
UCDP_COLUMNS = (
    "event_type",
    "sub_event_type",
    "event_date",
    "date_end",
    "time_precision",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
)


def test_ucdp_ged(load):
    events, report = load("ucdp_ged.csv")
    assert report.format == "ucdp" and report.evidence.startswith("UCDP GED columns: ")
    assert (report.rows, report.imported, report.skipped) == (8, 8, [])
    for source_id, expected in UCDP.items():
        e = events[source_id]
        assert tuple(e[c] for c in UCDP_COLUMNS) == expected, source_id
        assert e["event_id"] == f"ucdp-{source_id}" and e["source_dataset"] == "ucdp"
    e = events["990002"]
    assert e["original_type"] == "UCDP type_of_violence 2 (non-state)"
    assert events["990003"]["original_type"] == "UCDP type_of_violence 3 (one-sided)"
    assert (e["actor1"], e["actor2"]) == ("Dozo", "JNIM")
    assert (e["location"], e["admin1"], e["admin2"], e["country"]) == (
        "Bankass town",
        "Mopti region",
        "Bankass cercle",
        "Mali",
    )
    assert json.loads(e["sources"]) == [
        {
            "document": '"Invented Monitor,2019-10-02,Invented report 990002";'
            '"Example Agency,2019-10-05,Follow-up"',
            "quote": "Invented headline for event 990002",
        }
    ]
    fields = _fields(e)
    assert fields["relid"] == "MAL-2019-1-990002-2" and fields["deaths_unknown"] == "1"
    assert fields["where_description"] == "invented description of where (Bankass town)"
    assert not {"best", "low", "high", "side_a", "date_start", "type_of_violence"} & set(fields)
    assert all(e["flags"] is None for e in events.values())


def test_ucdp_hdx_copy_skips_its_hxl_row(load):
    events, report = load("ucdp_ged_hdx.csv")
    assert report.format == "ucdp"
    assert (report.rows, report.imported) == (7, 6)
    assert report.skipped == [{"record": 1, "line": 2, "reason": HXL_ROW}]
    ged, _ = load("ucdp_ged.csv")
    for source_id, e in events.items():
        assert tuple(e[c] for c in UCDP_COLUMNS) == tuple(ged[source_id][c] for c in UCDP_COLUMNS)
        assert e["event_id"] == ged[source_id]["event_id"]


# -- GDELT -------------------------------------------------------------------------------


def test_gdelt2(load):
    events, report = load("gdelt2.export.CSV")
    assert report.format == "gdelt2"
    assert report.evidence == "tab-separated rows of 61 fields, no header (GDELT)"
    assert (report.rows, report.imported) == (8, 7)
    assert report.skipped == [{"record": 6, "line": 6, "reason": "CAMEO root 04 has no ACLED type"}]
    types = {
        k: (e["event_type"], e["sub_event_type"], e["original_type"]) for k, e in events.items()
    }
    assert types == {
        "1100000001": ("Violence against civilians", "Attack", "CAMEO 180"),
        "1100000002": ("Battles", "Armed clash", "CAMEO 190"),
        "1100000003": ("Explosions/Remote violence", "Air/drone strike", "CAMEO 195"),
        "1100000004": ("Riots", "Violent demonstration", "CAMEO 145"),
        "1100000005": ("Strategic developments", "Arrests", "CAMEO 173"),
        "1100000007": ("Explosions/Remote violence", "Suicide bomb", "CAMEO 1831"),
        "1100000008": ("Battles", "Armed clash", "CAMEO 190"),
    }
    e = events["1100000001"]
    assert (e["event_id"], e["source_dataset"]) == ("gdelt-1100000001", "gdelt")
    assert (e["event_date"], e["date_end"], e["time_precision"]) == (D(2022, 4, 15),) * 2 + (1,)
    assert (e["actor1"], e["actor2"]) == ("SYRIA", "CIVILIAN")
    assert (e["location"], e["country"], e["admin1"]) == ("Aleppo, Halab, Syria", "SY", "SY09")
    assert (e["latitude"], e["longitude"], e["geo_precision"]) == (36.2028, 37.1586, 2)
    assert json.loads(e["sources"]) == [{"document": "https://news.example.org/1100000001"}]
    fields = _fields(e)
    assert fields["EventCode"] == "180" and fields["EventRootCode"] == "18"
    assert fields["QuadClass"] == "4" and fields["AvgTone"] == "-7.1"
    assert fields["DATEADDED"] == "20220415120000"
    assert e["flags"] is None


def test_gdelt_rows_without_a_place_and_at_a_country_centroid(load):
    events, _ = load("gdelt2.export.CSV")
    nowhere = events["1100000007"]
    assert (nowhere["latitude"], nowhere["longitude"], nowhere["geo_precision"]) == (None,) * 3
    assert _flags(nowhere) == ["GDELT row has no geographic match (Geo_Type 0)"]
    centroid = events["1100000008"]
    assert (centroid["latitude"], centroid["longitude"], centroid["geo_precision"]) == (35, 38, 3)
    assert _flags(centroid) == ["GDELT point is the centroid of a country/state"]


def test_gdelt1_with_57_and_58_fields_mixed(load):
    events, report = load("gdelt1.export.CSV")
    assert report.format == "gdelt1"
    assert (report.rows, report.imported) == (6, 4)
    assert report.skipped == [
        {"record": 2, "line": 2, "reason": "CAMEO root 02 has no ACLED type"},
        {"record": 5, "line": 5, "reason": "CAMEO root 04 has no ACLED type"},
    ]
    assert {k: (e["event_type"], e["sub_event_type"]) for k, e in events.items()} == {
        "300000001": ("Battles", "Armed clash"),
        "300000003": ("Violence against civilians", "Attack"),
        "300000004": ("Riots", "Violent demonstration"),
        "300000006": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    }
    short, long = events["300000001"], events["300000004"]  # 57 fields; 58 with SOURCEURL
    assert short["sources"] == "[]"
    assert json.loads(long["sources"]) == [{"document": "https://news.example.org/300000004"}]
    assert (long["latitude"], long["longitude"], long["location"]) == (
        33.5102,
        36.2913,
        "Damascus, Dimashq, Syria",
    )
    assert _fields(short)["DATEADDED"] == "20130401"
    assert events["300000003"]["geo_precision"] == 3  # Geo_Type 5: an ADM1 centroid
    assert "centroid" in events["300000003"]["flags"]
    assert short["event_date"] == D(2013, 4, 1)


# -- plain tables ------------------------------------------------------------------------


def test_timemap_json(load):
    events, report = load("timemap.json", by="event_id")
    assert report.format == "table"
    assert (report.rows, report.imported, report.skipped) == (6, 6, [])
    e = events["timemap.json-TM-001"]
    assert (e["event_id"], e["source_dataset"]) == ("timemap.json-TM-001", "timemap.json")
    assert e["event_date"] == D(2022, 3, 14)  # MM/DD/YYYY
    assert (e["latitude"], e["longitude"], e["location"]) == (36.335, 43.1189, "Mosul")
    assert e["notes"] == "Invented: shelling reported near the old city."
    assert json.loads(e["sources"]) == [
        {"document": "https://example.org/tm/1"},
        {"document": "https://example.org/tm/2"},
    ]
    assert _fields(e)["filters"] == [
        {"key": "category", "value": "shelling"},
        {"key": "verified", "value": "yes"},
    ]
    assert e["flags"] is None
    # 04/02/2022 read month-first, as the file's 03/14/2022 says
    third = events["timemap.json-TM-003"]
    assert third["event_date"] == D(2022, 4, 2)
    assert "day/month order inferred from other rows of the file" in _flags(third)
    assert third["sources"] == "[]"


def test_timemap_repeated_id_and_a_point_at_zero(load):
    rows, _ = load("timemap.json", by="event_id")
    first, second = rows["timemap.json-TM-003"], rows["timemap.json-TM-003-2"]
    assert first["source_event_id"] == second["source_event_id"] == "TM-003"
    assert (first["event_date"], second["event_date"]) == (D(2022, 4, 2), D(2022, 4, 3))
    for e in (first, second):
        assert any(f.startswith("source id shared with another record") for f in _flags(e))
    zero = rows["timemap.json-TM-005"]
    assert (zero["latitude"], zero["longitude"]) == (None, None)
    assert any(f.startswith("point at (0, 0)") for f in _flags(zero))


def test_scraped_incident_table(load):
    events, report = load("incidents_scraped.csv")
    assert report.format == "table"
    assert (report.rows, report.imported) == (6, 6)
    ranges = {
        k: (e["fatalities"], e["fatalities_low"], e["fatalities_high"]) for k, e in events.items()
    }
    assert ranges == {
        "INC-1": (3, 3, 7),  # "3 – 7"
        "INC-2": (None, None, None),  # "Unknown"
        "INC-3": (12, None, None),
        "INC-4": (0, None, None),
        "INC-5": (4, 4, 6),  # "4-6"
        "INC-6": (None, None, None),  # "n/a"
    }
    assert "fatalities given as a range '3–7': best is the low figure, high kept" in _flags(
        events["INC-1"]
    )
    assert not any("fatalities" in f for f in _flags(events["INC-2"]))
    e = events["INC-1"]
    assert (e["event_date"], e["time_precision"]) == (D(2023, 10, 7), 1)  # october-7-2023
    assert (e["event_type"], e["original_type"]) == ("Shelling", "Shelling")
    assert "event_type 'Shelling' is not an ACLED event type: shown as Other" in _flags(e)
    assert (e["actor1"], e["injured"], e["location"]) == ("Unknown armed group", 2, "Sderot")
    assert json.loads(e["sources"]) == [{"document": "https://example.org/inc/1"}]
    assert events["INC-4"]["sources"] == "[]"
    assert events["INC-6"]["injured"] is None
    # coordinates "NA": not numbers, but no value; the place name is looked up
    placed = events["INC-2"]
    assert not any("not a number" in f for f in _flags(placed))
    assert any(f.startswith("no coordinates") for f in _flags(placed))


def test_tsv(load):
    events, report = load("incidents.tsv")
    assert report.format == "table" and (report.rows, report.imported) == (5, 5)
    e = events["tsv-2"]
    assert (e["event_type"], e["sub_event_type"], e["fatalities"]) == (
        "Riots",
        "Violent demonstration",
        1,
    )
    assert e["notes"] == 'Invented: a roadblock turned violent, "tense" night.'
    assert (e["latitude"], e["longitude"], e["location"]) == (3.4372, -76.5225, "Cali")
    assert json.loads(e["sources"]) == [{"document": "Invented Cali Radio"}]
    odd = events["tsv-4"]
    assert odd["event_type"] == "Something else" and odd["fatalities"] is None
    assert "event_type 'Something else' is not an ACLED event type: shown as Other" in _flags(odd)


def test_geojson_with_points_in_the_geometry(load):
    events, report = load("points.geojson")
    assert report.format == "table" and (report.rows, report.imported) == (5, 5)
    e = events["gj-1"]
    assert (e["latitude"], e["longitude"]) == (50.4501, 30.5234)
    assert (e["event_type"], e["sub_event_type"], e["fatalities"]) == (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        4,
    )
    assert e["event_date"] == D(2022, 3, 1) and e["event_id"] == "points.geojson-gj-1"
    assert json.loads(e["sources"]) == [{"document": "Invented Kyiv News"}]
    assert (events["gj-4"]["latitude"], events["gj-4"]["longitude"]) == (None, None)
    assert events["gj-5"]["fatalities"] is None


def test_geojson_with_upper_case_coordinates_in_the_properties(load):
    events, report = load("points_props.geojson")
    assert report.format == "table" and (report.rows, report.imported) == (4, 4)
    e = events["P-1"]
    assert (e["latitude"], e["longitude"], e["fatalities"]) == (33.9017, 35.5196, 200)
    assert (e["event_type"], e["sub_event_type"], e["actor1"]) == (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        "Unknown",
    )
    assert e["notes"] == "Invented: a large explosion at the port."
    assert e["event_date"] == D(2020, 8, 4)
    assert (events["P-3"]["latitude"], events["P-3"]["longitude"]) == (None, None)
    assert all(event["flags"] is None for event in events.values())


def test_plain_parquet_with_coordinates_as_strings(load):
    path = FIXTURES / "incidents_strings.parquet"
    stored = pq.read_table(path)
    assert b"geo" not in (stored.schema.metadata or {})
    assert stored.to_pydict() == PARQUET_ROWS
    assert pa.types.is_string(stored.schema.field("lat").type)
    events, report = load("incidents_strings.parquet")
    assert report.format == "table" and (report.rows, report.imported) == (5, 5)
    coordinates = {k: (e["latitude"], e["longitude"]) for k, e in events.items()}
    assert coordinates == {
        "pq-1": (12.6392, -8.0029),
        "pq-2": (13.4549, -16.579),
        "pq-3": (14.4974, -14.4524),  # " 14.4974 "
        "pq-4": (None, None),
        "pq-5": (None, None),  # latitude "not a number"
    }
    assert "latitude 'not a number' is not a number: left empty" in _flags(events["pq-5"])
    e = events["pq-1"]
    assert (e["event_type"], e["sub_event_type"], e["actor1"], e["fatalities"]) == (
        "Battles",
        "Armed clash",
        "Military Forces of Mali (2016-)",
        3,
    )
    assert e["notes"] == "Invented: a clash." and _fields(e) == {"extra_note": "kept"}
    assert events["pq-2"]["source_fields"] is None
    assert report.skipped == []


MAPPING = {
    "event_id": "Kennung",
    "event_date": "Datum",
    "latitude": "Breite",
    "longitude": "Länge",
    "event_type": "Ereignis",
    "notes": "Beschreibung",
    "fatalities": "Tote",
    "sources": "Quelle",
}


def test_a_table_whose_columns_need_a_mapping(resolver):
    path = FIXTURES / "needs_map.csv"
    with pytest.raises(EventmapError, match="no column is an event field") as caught:
        import_file(path, resolver=resolver)
    assert str(path) in str(caught.value) and "--map" in str(caught.value)
    table, report = import_file(path, mapping=MAPPING, resolver=resolver)
    assert (report.rows, report.imported) == (4, 4)
    e = {x["source_event_id"]: x for x in table.to_pylist()}["DE-2"]
    assert (e["event_id"], e["event_date"], e["latitude"], e["longitude"]) == (
        "needs_map.csv-DE-2",
        D(2023, 2, 7),
        37.0662,
        37.3833,
    )
    assert (e["event_type"], e["fatalities"], e["notes"]) == (
        "Battles",
        5,
        "Erfunden: Gefecht am Stadtrand.",
    )
    assert json.loads(e["sources"]) == [{"document": "Erfundene Zeitung"}]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"datum": "Datum"}, "'datum' is not an eventmap field"),
        ({"event_date": "Zeitpunkt"}, "the file has no column 'Zeitpunkt'"),
    ],
)
def test_a_wrong_mapping_names_the_file_and_the_problem(mapping, message, resolver):
    path = FIXTURES / "needs_map.csv"
    with pytest.raises(EventmapError, match=message) as caught:
        import_file(path, mapping=mapping, resolver=resolver)
    assert str(caught.value).startswith(f"{path}: ")


def test_place_names_without_coordinates_are_placed_by_the_gazetteer(load):
    rows, report = load("places_no_coords.csv", by="location")  # no id column
    assert (report.rows, report.imported) == (5, 5)
    baghdad = rows["Baghdad"]
    assert re.fullmatch(r"places_no_coords-[0-9a-f]{12}", baghdad["event_id"])
    assert baghdad["source_event_id"] is None
    assert (baghdad["latitude"], baghdad["longitude"], baghdad["geo_precision"]) == (
        33.34058,
        44.40088,
        2,
    )
    assert _flags(baghdad) == [
        "no coordinates: placed at the gazetteer's 'Baghdad' for its place name"
    ]
    assert rows["Kirkuk"]["latitude"] == 35.46806
    unknown = rows["Atlantis Springs"]
    assert (unknown["latitude"], unknown["longitude"]) == (None, None)
    assert _flags(unknown) == [
        "no coordinates, and the gazetteer has no place 'Atlantis Springs': kept without a point"
    ]
    nowhere = rows[None]
    assert (nowhere["latitude"], nowhere["flags"]) == (None, None)


# -- files written here: Excel and GeoPackage --------------------------------------------


def write_xlsx(path):
    """An ACLED export saved by Excel: a real date cell, a serial number, a text date, a
    number stored as text, an empty trailing column, an empty row and an impossible date."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1"]
        + ["inter1", "country", "admin1", "location", "latitude", "longitude", "source"]
        + ["notes", "fatalities", None]
    )
    common = ["Chad", "Ouaddai", "Abeche", 13.8292, 20.8324, "Invented N'Djamena Post"]
    sheet.append(
        ["XLS001", dt.datetime(2020, 5, 9), 2020, "Riots", "Mob violence", "Rioters (Chad)", 5]
        + common
        + ["Invented riot.", 2, None]
    )
    sheet.append(
        ["XLS002", 43961, 2020, "Battles", "Armed clash", "Military Forces of Chad (2021-)", 1]
        + common
        + ["Invented clash, its date a serial number.", 7.0, None]
    )
    sheet.append([None] * 16)  # an empty row: no record
    sheet.append(
        ["XLS003", "11-May-20", 2020, "Protests", "Peaceful protest", "Protesters (Chad)", 6]
        + ["Chad", "N'Djamena", "N'Djamena", "12.1348", "15.0557", "Example Sahel News"]
        + ["Invented march.", "3 - 5", None]
    )
    sheet.append(["XLS004", "2020-02-30", 2020, "Protests", "Peaceful protest"])
    book.save(path)
    return path


def write_gpkg(path):
    """A GeoPackage layer of points from another tool, one without a geometry and one with
    an impossible date."""
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame(
        {
            "event_id": ["g1", "g2", "g3"],
            "event_date": ["2021-01-02", "2021-01-03", "2021-02-30"],
            "event_type": ["Battles", "Riots", "Protests"],
            "sub_event_type": ["Armed clash", "Mob violence", "Peaceful protest"],
            "actor1": ["Invented Group A", "Rioters (Iraq)", "Protesters (Iraq)"],
            "notes": ["Invented: one.", "Invented: two.", "Invented: three."],
            "fatalities": [1, None, 0],
            "colour": ["red", "blue", None],
        },
        geometry=[shapely.Point(44.4, 33.3), None, shapely.Point(43.1, 36.3)],
        crs="EPSG:4326",
    )
    frame.to_file(path, driver="GPKG")
    return path


def test_excel_workbook(tmp_path, resolver):
    table, report = import_file(write_xlsx(tmp_path / "acled.xlsx"), resolver=resolver)
    assert report.format == "acled" and (report.rows, report.imported) == (4, 3)
    assert report.skipped == [
        {"record": 4, "line": 6, "reason": "event_date '2020-02-30' is not a real date"}
    ]
    events = {e["source_event_id"]: e for e in table.to_pylist()}
    dates = {k: e["event_date"] for k, e in events.items()}
    assert dates == {"XLS001": D(2020, 5, 9), "XLS002": D(2020, 5, 10), "XLS003": D(2020, 5, 11)}
    assert _flags(events["XLS001"]) == []
    assert "Excel serial date '43961'" in _flags(events["XLS002"])
    assert "two-digit year settled by the year column" in _flags(events["XLS003"])
    assert events["XLS002"]["fatalities"] == 7  # 7.0 in the sheet
    assert (events["XLS003"]["fatalities"], events["XLS003"]["fatalities_high"]) == (3, 5)
    assert events["XLS003"]["latitude"] == 12.1348
    assert _fields(events["XLS001"]) == {"inter1": "5"}
    assert events["XLS001"]["event_id"] == "acled-XLS001"


def test_geopackage(tmp_path, resolver):
    table, report = import_file(write_gpkg(tmp_path / "other.gpkg"), resolver=resolver)
    assert report.format == "table" and (report.rows, report.imported) == (3, 2)
    assert report.skipped == [
        {"record": 3, "line": None, "reason": "event_date '2021-02-30' is not a real date"}
    ]
    events = {e["source_event_id"]: e for e in table.to_pylist()}
    assert (events["g1"]["latitude"], events["g1"]["longitude"]) == (33.3, 44.4)
    assert (events["g2"]["latitude"], events["g2"]["fatalities"]) == (None, None)
    assert _fields(events["g1"]) == {"colour": "red"}
    assert events["g1"]["event_id"] == "other.gpkg-g1"


def test_json_records_with_undecidable_dates_are_read_month_first_and_flagged(tmp_path):
    path = tmp_path / "timemap-like.json"
    records = [
        {"id": "a", "date": "03/04/2020", "latitude": "33.3", "longitude": "44.4"},
        {"id": "b", "date": "05/06/2020", "latitude": "33.3", "longitude": "44.4"},
    ]
    path.write_text(json.dumps(records), encoding="utf-8")
    table, report = import_file(path)
    assert table["event_date"].to_pylist() == [dt.date(2020, 3, 4), dt.date(2020, 5, 6)]
    assert report.imported == 2 and len(report.flagged) == 1
    (flag,) = report.flagged
    assert "month" in flag
    csv_path = tmp_path / "same.csv"
    csv_path.write_text("id,date,lat,lon\na,03/04/2020,33.3,44.4\n", encoding="utf-8")
    table, _ = import_file(csv_path)
    assert table["event_date"].to_pylist() == [dt.date(2020, 4, 3)]  # a table: day-first


def test_a_table_giving_a_current_type_without_sub_type_is_not_flagged_as_legacy(tmp_path):
    path = tmp_path / "types.csv"
    path.write_text(
        "id,date,lat,lon,type\n"
        "a,2020-01-02,33.3,44.4,Violence against civilians\n"
        "b,2020-01-02,33.3,44.4,Remote violence\n",
        encoding="utf-8",
    )
    table, report = import_file(path)
    rows = {r["source_event_id"]: r for r in table.to_pylist()}
    assert rows["a"]["event_type"] == "Violence against civilians" and rows["a"]["flags"] is None
    assert rows["b"]["event_type"] == "Explosions/Remote violence"
    assert "legacy ACLED type 'Remote violence'" in rows["b"]["flags"]
