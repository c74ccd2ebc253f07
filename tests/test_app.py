"""The page's logic through Streamlit's AppTest: widgets drive counts, table, URL and download."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from paths import ROOT
from streamlit.testing.v1 import AppTest


@pytest.fixture
def app(monkeypatch, tmp_path):
    monkeypatch.delenv("EVENTMAP_DATA", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def count_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if re.search(r" events?\*\*", m.value))


def table_ids(at: AppTest) -> list[str]:
    """The event ids in the main table (the last one: the expanders' tables come first)."""
    return list(at.dataframe[-1].value["event_id"])


def test_opens_on_where_the_events_are_and_the_slider_holds_every_date(app):
    # One 2018 event would stretch the first view over 15 empty months.
    assert count_line(app).startswith("**17 events** · 2019-12-27 → 2020-03-31")
    assert any(
        "open on 2019-12-27 → 2020-03-31, where most events are; the data runs "
        "2018-09-26 → 2020-03-31" in c.value
        for c in app.caption
    )
    whole = (dt.date(2018, 9, 26), dt.date(2020, 3, 31))
    app.slider(key="w_range").set_value(whole).run()
    assert count_line(app).startswith("**18 events** · 2018-09-26 → 2020-03-31")
    assert len(table_ids(app)) == 18
    assert not any("where most events are" in c.value for c in app.caption)


def test_dates_slider_changes_counts_table_and_url(app):
    app.slider(key="w_range").set_value((dt.date(2019, 12, 27), dt.date(2019, 12, 31))).run()
    assert count_line(app).startswith("**7 events** · 2019-12-27 → 2019-12-31")
    assert "IRQ-20191227-KIRKUK-ROCKETS" in table_ids(app)
    assert "IRQ-20200308-MARINES-KILLED-RAID" not in table_ids(app)
    assert (app.query_params["start"], app.query_params["end"]) == ("2019-12-27", "2019-12-31")


def test_filters_narrow_the_table(app):
    app.multiselect(key="w_types").set_value(["Battles"]).run()
    assert table_ids(app) == ["IRQ-20200308-MARINES-KILLED-RAID"]
    app.multiselect(key="w_types").set_value(
        ["Battles", "Explosions/Remote violence", "Riots", "Strategic developments"]
    ).run()
    app.text_input(key="w_text").set_value("embassy").run()
    assert set(table_ids(app)) >= {"IRQ-20191231-EMBASSY-STORMED"}
    app.text_input(key="w_text").set_value("").run()
    app.number_input(key="w_minfat").set_value(2).run()
    assert set(table_ids(app)) == {
        "IRQ-20200308-MARINES-KILLED-RAID",
        "IRQ-20200311-ROCKETS-NEAR-BAGHDAD",
    }


def test_nothing_matches_shows_a_message(app):
    app.text_input(key="w_text").set_value("no such words anywhere").run()
    assert count_line(app).startswith("**0 events**")
    assert any("No event matches" in info.value for info in app.info)


def test_scrub_mode_shows_a_trailing_window_and_ranged_events(app):
    app.radio(key="w_mode").set_value("scrub").run()
    app.number_input(key="w_window").set_value(3).run()
    app.slider(key="w_day").set_value(dt.date(2020, 3, 12)).run()
    ids = set(table_ids(app))
    assert "IRQ-20200311-ROCKETS-NEAR-BAGHDAD" in ids
    assert "IRQ-202003-AL-QAIM-HANDOVER" in ids  # a month-precision event overlaps the window
    assert "IRQ-20200308-MARINES-KILLED-RAID" not in ids
    app.checkbox(key="w_cumulative").check().run()
    ids = set(table_ids(app))
    assert len(ids) == 17 and "IRQ-20200313-US-STRIKES-WEAPONS-SITES" not in ids  # after Mar 12


def test_url_reopens_the_same_view():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(
        {"start": "2020-01-01", "end": "2020-01-31", "type": "Strategic developments"}
    )
    at.run()
    assert not at.exception
    assert count_line(at).startswith("**4 events** · 2020-01-01 → 2020-01-31")
    assert at.multiselect(key="w_types").value == ["Strategic developments"]


def test_download_holds_exactly_the_filtered_events(app, monkeypatch):
    # Keep each deferred download's maker as Streamlit registers it (registration still runs).
    from streamlit.runtime.media_file_manager import MediaFileManager

    makers: list = []
    real = MediaFileManager.add_deferred

    def spy(self, maker, *args, **kwargs):
        makers.append(maker)
        return real(self, maker, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    app.slider(key="w_range").set_value((dt.date(2020, 3, 8), dt.date(2020, 3, 13))).run()
    shown = table_ids(app)
    labels = [b.proto.label for b in app.get("download_button")]
    assert f"Download GeoJSON ({len(shown)} events)" in labels
    assert f"Download CSV ({len(shown)} events)" in labels
    geojson_maker, csv_maker = makers[-2:]
    geojson = json.loads(geojson_maker().read())
    assert [f["properties"]["event_id"] for f in geojson["features"]] == shown
    csv_lines = csv_maker().read().decode("utf-8").splitlines()
    assert csv_lines[0].startswith("event_id,")
    assert [line.split(",")[0] for line in csv_lines[1:]] == shown


def test_extractor_output_shows_as_an_unreviewed_layer(monkeypatch, tmp_path):
    from paths import SEEDS

    from eventmap.extract import extract_files, write_output

    records = extract_files(sorted(SEEDS.glob("*.txt")))
    out = write_output(records, tmp_path / "candidates.jsonl", "jsonl")
    monkeypatch.setenv("EVENTMAP_CANDIDATES", str(out))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    at.slider(key="w_range").set_value((dt.date(2018, 9, 26), dt.date(2020, 3, 31))).run()
    dated = sum(1 for r in records if r["event_date"])
    assert f"· {dated} unreviewed candidates" in count_line(at)
    assert any("unreviewed candidates in view" in e.label for e in at.expander)
    assert len(table_ids(at)) == 18  # the curated events are unchanged


def test_candidates_of_another_year_than_the_catalog_can_be_reached(monkeypatch, tmp_path):
    from eventmap.extract import extract_events, write_output

    text = "U.S. forces conducted an airstrike near Jilib, Somalia, on April 9, 2023."
    records = extract_events(text, "2023-04-10", document="jilib.txt")
    out = write_output(records, tmp_path / "candidates.jsonl", "jsonl")
    monkeypatch.setenv("EVENTMAP_CANDIDATES", str(out))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    last = dt.datetime.fromtimestamp(at.slider(key="w_range").max / 1e6, dt.UTC)
    assert last.date() == dt.date(2023, 4, 9)  # the slider's end: the candidate's day
    at.slider(key="w_range").set_value((dt.date(2023, 4, 1), dt.date(2023, 4, 30))).run()
    assert "· 1 unreviewed candidate" in count_line(at)


@pytest.fixture(scope="module")
def million(tmp_path_factory):
    from eventmap.synth import write_synth

    path = tmp_path_factory.mktemp("million") / "events.parquet"
    write_synth(1_000_000, path, seed=2)
    return path


def test_a_million_events_open_with_map_timeline_and_a_bounded_table(
    million, monkeypatch, tmp_path
):
    from eventmap import dataset

    monkeypatch.setattr(dataset, "CACHE_DIR", tmp_path / "static")
    monkeypatch.setattr(dataset, "STORE_DIR", tmp_path / "store")
    monkeypatch.setenv("EVENTMAP_DATA", str(million))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params.update({"start": "2021-01-01", "end": "2021-01-30"})
    at.run()
    assert not at.exception, at.exception
    assert "1,000,000 events" in at.sidebar.caption[0].value
    number = int(count_line(at).split("**")[1].split()[0].replace(",", ""))
    assert number > 100
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1  # the timeline, from counts not from a million rows
    sent = sum(len(d.data.data) for d in charts[0].proto.datasets) + len(charts[0].proto.spec)
    assert 1_000 < sent <= 100_000
    strip = [h for h in at.get("html") if "eventmap-window" in h.proto.body]
    assert len(strip) == 1 and len(strip[0].proto.body) < 500  # the window, a step's part
    assert len(table_ids(at)) == min(100, number)
    assert any(f"of {number:,} events" in c.value for c in at.caption)


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary", b'{"type": "Featu'])
def test_an_unreadable_events_file_is_named_in_the_page_without_a_traceback(
    content, monkeypatch, tmp_path
):
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(content)
    monkeypatch.setenv("EVENTMAP_DATA", str(bad))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] and str(bad) in at.error[0].value
    assert at.error[0].value.startswith("The events could not be loaded.")


def test_one_day_of_events_and_events_without_properties_open_without_a_traceback(
    monkeypatch, tmp_path
):
    data = tmp_path / "odd.geojson"
    point = {"type": "Point", "coordinates": [44.4, 33.3]}
    features = [
        {"type": "Feature", "geometry": point, "properties": None},
        {
            "type": "Feature",
            "geometry": point,
            "properties": {"event_id": "A", "event_date": "2020-01-01", "event_type": "Riots"},
        },
    ]
    data.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    monkeypatch.setenv("EVENTMAP_DATA", str(data))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert any("every event is on **2020-01-01**" in m.value for m in at.markdown)
    assert count_line(at).startswith("**1 event** · 2020-01-01 → 2020-01-01")
    assert "(1 without a date: never on the map)" in at.sidebar.caption[0].value
