"""`eventmap import --format auto`: the format from the first lines, and why."""

from __future__ import annotations

import pytest

from eventmap.importers.detect import detect, detect_columns

ACLED_2023 = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,"
    "country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,"
    "notes,fatalities,tags,timestamp"
)
ACLED_LEGACY = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,"
    "ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,LOCATION,"
    "LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES"
)
UCDP = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,"
    "deaths_unknown,best,high,low,gwnoa,gwnob"
)


def _gdelt(fields: int) -> str:
    return "\t".join(["1054466573", "20220415", *(["x"] * (fields - 2))])


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([ACLED_2023, "X1,15 April 2022"], "acled"),
        (["\ufeff" + ACLED_LEGACY], "acled"),
        ([",".join(reversed(ACLED_2023.split(",")))], "acled"),  # an API dump, reordered
        ([UCDP, "#id,#rel", "1,2"], "ucdp"),
        ([_gdelt(61)], "gdelt2"),
        ([_gdelt(57), _gdelt(58)], "gdelt1"),
        (["date,lat,lon,description", "2020-01-01,1,2,x"], "table"),
        ([], "table"),
    ],
)
def test_the_format_is_recognised_from_the_first_lines(lines, expected):
    assert detect(lines).format == expected


def test_the_evidence_is_said():
    assert detect([ACLED_2023]).evidence.startswith("ACLED columns: ")
    assert detect([_gdelt(61)]).evidence == "tab-separated rows of 61 fields, no header (GDELT)"
    assert "columns recognised by name" in detect(["a,b"]).evidence


def test_a_table_with_a_few_acled_names_is_still_a_plain_table():
    assert detect_columns(["event_date", "latitude", "longitude", "fatalities"]).format == "table"


def test_gdelt_rows_of_another_length_are_not_gdelt():
    assert detect([_gdelt(40)]).format == "table"


def test_eventmap_s_own_export_is_a_plain_table():
    from eventmap.model import COLUMNS

    assert detect([",".join(COLUMNS)]).format == "table"


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["event_id_cnty", "event_date", "latitude", "longitude", "notes"], "acled"),
        (["EVENT_ID_NO_CNTY", "EVENT_DATE", "FATALITIES"], "acled"),
        (["relid", "date_start", "latitude", "longitude"], "ucdp"),
        (["type_of_violence", "date_start", "best"], "ucdp"),
        (["id", "date", "latitude", "longitude", "notes"], "table"),
    ],
)
def test_a_column_that_names_the_format_s_own_events_is_enough(columns, expected):
    """A user who trimmed an ACLED file still has ACLED's ids: read as ACLED, they are kept."""
    assert detect_columns(columns).format == expected
