"""A hostile events file in a real browser: the page opens, says what was odd, runs nothing."""

from __future__ import annotations

import pytest
from e2e_support import Server, map_frame
from test_browser import settle, shown_count

SCRIPT = "<script>alert('notes')</script>"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    data = folder / "hostile.csv"
    rows = [
        "event_id,event_date,date_end,latitude,longitude,event_type,notes,actor1",
        f"A,2020-01-02,,33.3,44.4,Riots,{SCRIPT},<img src=x onerror=alert(1)>",
        "B,2020-02-30,,33.3,44.4,Riots,impossible date,x",
        "C,2020-01-03,2019-12-01,95,200,Battles,Caf\xe9 out of range,x",
        "C,2020-01-04,,0,0,Battles,null island,x",
        "D,2020-01-05,,36.2,44.0,Shooting,own type,x",
        "E,2020-01-05,,36.2,44.1,Explosions/Remote violence,a long type name,x",
    ]
    data.write_bytes(("\n".join(rows) + "\n").encode("latin-1"))
    server = Server(data, folder / "streamlit.log")
    try:
        yield server
    finally:
        server.stop()


def test_a_hostile_file_opens_says_what_was_flagged_and_runs_no_script(page, hostile_server):
    page.goto(hostile_server.url)
    frame = map_frame(page)
    drawn = settle(page, frame)
    assert shown_count(page) == (3, "2020-01-02", "2020-01-05")  # A, D and E have a point
    assert drawn["visible"] == 3
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error" not in body
    assert "4 kept with flags: what was odd in the data" in body
    assert "(1 without a date: never on the map)" in body
    page.get_by_text("4 kept with flags").click()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("1 × coordinates out of range: kept without a point").wait_for()
    assert page.dialogs == [] and page.errors == []
    chip = page.locator('[data-tag] > span[title="Explosions/Remote violence"]')
    assert chip.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # the whole name shows
    page.screenshot(path="/tmp/e2e-hostile.png", full_page=True)
