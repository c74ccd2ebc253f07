"""Outside data in a real browser: an ACLED-layout export served as it is, a UCDP GED file
opened with the "Open data" uploader, each with its import summary; flagged events picked out
with "Only flagged events"; a popup showing what the source dataset says. Rows are invented."""

from __future__ import annotations

import pytest
from e2e_support import SCREENSHOTS, Server, map_frame
from test_browser import click_point, settle, shown_count

HOSTILE = "<img src=x onerror=alert(1)>"
ACLED = "\n".join(
    [
        "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,inter1,"
        "actor2,inter2,interaction,iso,country,admin1,admin2,location,latitude,longitude,"
        "geo_precision,source,source_scale,notes,fatalities,timestamp",
        "TST1,05 January 2020,2020,1,Battles,Armed clash,Army of Testland,1,North Front,2,12,"
        f"999,Testland,North,Alpha,Alphaville,10.5,20.25,1,Wire,National,{HOSTILE},3 - 7,1",
        "TST2,06 January 2020,2020,1,Protests,Peaceful protest,Protesters (Testland),6,,0,60,"
        "999,Testland,South,Beta,Betatown,11.5,21.25,1,Radio,Local,march,0,1",
        "TST3,2020-02-30,2020,1,Protests,Peaceful protest,Protesters (Testland),6,,0,60,"
        "999,Testland,South,Beta,Betatown,11.5,21.25,1,Radio,Local,bad date,0,1",
    ]
)
UCDP = "\n".join(
    [
        "id,relid,year,type_of_violence,conflict_name,dyad_name,side_a,side_b,source_article,"
        "source_headline,where_prec,where_coordinates,adm_1,adm_2,latitude,longitude,country,"
        "date_prec,date_start,date_end,best,high,low",
        "#id,#id+rel,#date+year,#event+type,#event+conflict,#event+dyad,#org+side_a,#org+side_b,"
        "#meta+source,#meta+headline,#geo+precision,#loc+name,#adm1+name,#adm2+name,#geo+lat,"
        "#geo+lon,#country+name,#date+precision,#date+start,#date+end,#affected+killed,"
        "#affected+killed+high,#affected+killed+low",
        "900001,T-1,2020,1,Testland,Gov - Front,Government of Testland,North Front,Wire,Clash,1,"
        "Alphaville,North,Alpha,10.5,20.25,Testland,1,2020-01-05,2020-01-05,5,8,5",
        "900002,T-2,2020,3,Testland,Front - civilians,North Front,Civilians,Radio,Attack,4,North,"
        "North,,11,21,Testland,4,2020-02-01,2020-02-29,7,9,6",
    ]
)


@pytest.fixture(scope="module")
def acled_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("acled")
    data = folder / "acled-export.csv"
    data.write_text(ACLED + "\n", encoding="utf-8")
    server = Server(data, folder / "streamlit.log")
    try:
        yield server
    finally:
        server.stop()


def test_an_acled_export_opens_with_its_summary_flags_and_source_fields(
    page, acled_server, tmp_path
):
    page.goto(acled_server.url)
    frame = map_frame(page)
    settle(page, frame)
    assert shown_count(page) == (2, "2020-01-05", "2020-01-06")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Import: 3 records: 2 imported, 1 skipped").click()
    sidebar.get_by_text("1 × event_date is not a real date").wait_for()
    assert "first: line 4: event_date '2020-02-30' is not a real date" in sidebar.inner_text()

    click_point(frame, 10.5, 20.25, zoom=9)
    popup = frame.locator(".leaflet-popup-content")
    popup.get_by_text("acled-TST1").wait_for(timeout=10_000)
    assert HOSTILE in popup.inner_text()  # notes and quote shown as text, never as markup
    assert "fatalities given as a range '3–7'" in popup.inner_text()
    popup.get_by_text("From the source dataset").click()
    popup.get_by_text("Source record: acled TST1").wait_for(timeout=10_000)  # opened
    details = popup.locator(".eventmap-origin").inner_text()
    for shown in (
        "Source record: acled TST1",
        "Area: Alpha, North, Testland, ISO 999",
        "Original type: Battles / Armed clash",
        "Fatality range: 3–7",
        "source_scale: National",
        "interaction: 12",
    ):
        assert shown in details, details
    assert page.dialogs == [] and page.errors == []

    sidebar.get_by_text("Only flagged events").click()
    page.get_by_text("1 event · 2020-01-05").wait_for(timeout=30_000)
    assert settle(page, map_frame(page))["visible"] == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "import-acled.png", full_page=True)


def test_a_ucdp_file_opened_in_the_page_replaces_the_map_and_says_what_it_skipped(
    page, acled_server, tmp_path
):
    ged = tmp_path / "ged.csv"
    ged.write_text(UCDP + "\n", encoding="utf-8")
    page.goto(acled_server.url)
    map_frame(page)
    page.locator("input[type=file]").set_input_files(str(ged))
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Data: ged.csv · 2 events").wait_for(timeout=60_000)
    sidebar.get_by_text("Import: 3 records: 2 imported, 1 skipped").click()
    sidebar.get_by_text("1 × HXL tag row (hashtags naming the columns), not an event").wait_for()
    frame = map_frame(page)
    settle(page, frame)
    assert shown_count(page) == (2, "2020-01-05", "2020-02-29")
    click_point(frame, 11, 21, zoom=9)
    popup = frame.locator(".leaflet-popup-content")
    popup.get_by_text("ucdp-900002").wait_for(timeout=10_000)
    assert "Violence against civilians / Attack" in popup.inner_text()

    bad = tmp_path / "picture.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    page.locator("input[type=file]").set_input_files(str(bad))
    sidebar.get_by_text("picture.csv could not be opened").wait_for(timeout=60_000)
    assert "a binary file" in sidebar.inner_text()
    assert "Traceback" not in page.locator("body").inner_text()
    assert page.errors == []
