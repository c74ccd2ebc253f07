"""What a person sees: the seed events on the map, scrubbed by keyboard, popups, download."""

from __future__ import annotations

import json
import re
import time

import numpy as np
import pandas as pd
import pytest
from e2e_support import SCREENSHOTS, map_frame, new_page, start_server

from eventmap import filters
from eventmap.frame import TimeIndex, to_frame

HOSTILE = "<img src=x onerror=alert(1)>"
COUNT = re.compile(r"(\d+) events? · (\d{4}-\d\d-\d\d) → (\d{4}-\d\d-\d\d)")


def hostile_event() -> dict:
    return {
        "event_id": "ZZ-HOSTILE",
        "event_date": "2020-03-13",
        "date_end": "2020-03-13",
        "time_precision": 1,
        "event_type": "Riots",
        "sub_event_type": "Mob violence",
        "actor1": HOSTILE,
        "actor2": None,
        "location": "Erbil",
        "place_text": HOSTILE,
        "latitude": 36.19117,
        "longitude": 44.00943,
        "geo_precision": 2,
        "fatalities": None,
        "injured": None,
        "notes": HOSTILE,
        "sources": [{"document": "x.txt", "quote": HOSTILE}],
    }


@pytest.fixture(scope="module")
def dataset(seed_frame):
    """The seed events plus one whose every text field is an HTML injection attempt."""
    rows = seed_frame.drop(columns="geometry").to_dict("records")
    return to_frame([*rows, hostile_event()])


@pytest.fixture(scope="module")
def server(tmp_path_factory, dataset):
    yield from start_server(tmp_path_factory, "seeds", dataset)


def stats(frame) -> dict:
    return frame.evaluate("() => window.eventmapStats")


def shown_count(page) -> tuple[int, str, str]:
    text = page.get_by_text(COUNT).first.inner_text()
    number, start, end = COUNT.search(text.replace(",", "")).groups()
    return int(number), start, end


def settle(page, frame, timeout: float = 20.0) -> dict:
    """Waits until the map has drawn the page's window and counts what the page counts."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        number, start, end = shown_count(page)
        now = stats(frame)
        if now and (now["visible"], now["start"], now["end"]) == (number, start, end):
            return now
        time.sleep(0.1)
    raise AssertionError(f"map stats {stats(frame)}, page {shown_count(page)}")


def step_end_handle(page, key: str = "PageDown") -> int:
    """Moves the end of "Dates" and waits for the count line to follow; the new count."""
    before = shown_count(page)
    thumb = page.get_by_role("slider").nth(1)
    thumb.focus()
    page.keyboard.press(key)
    deadline = time.monotonic() + 15
    while shown_count(page) == before:
        assert time.monotonic() < deadline, "the count did not follow the slider"
        time.sleep(0.1)
    return shown_count(page)[0]


def expected_ids(dataset, start: str, end: str) -> list[str]:
    """The located events of the window, by the plain filters on the GeoDataFrame."""
    state = filters.FilterState(start=pd.Timestamp(start).date(), end=pd.Timestamp(end).date())
    shown, _ = filters.apply(state, TimeIndex(dataset))
    return list(shown.loc[shown["latitude"].notna(), "event_id"])


def click_point(frame, lat: float, lon: float, zoom: int = 8) -> None:
    """Centres the map on a point and clicks there with the mouse, as a user would."""
    frame.evaluate(
        # in braces: setView returns the map, which Playwright would serialise for seconds
        "([lat, lon, zoom]) => { eventmap.map.setView([lat, lon], zoom, {animate: false}); }",
        [lat, lon, zoom],
    )
    time.sleep(0.4)
    point = frame.evaluate(
        "([lat, lon]) => eventmap.map.latLngToContainerPoint([lat, lon])", [lat, lon]
    )
    frame.locator(".leaflet-container").click(position={"x": point["x"], "y": point["y"]})


def test_map_renders_offline_and_draws_what_the_page_counts(page, server, dataset):
    page.goto(server.url)
    frame = map_frame(page)
    now = settle(page, frame)
    number, start, end = shown_count(page)
    # The page opens on where most events are: all but the 2018 exercise.
    assert (start, end) == ("2019-12-27", "2020-03-31")
    assert now["visible"] == number == len(dataset) - 1 == len(expected_ids(dataset, start, end))
    assert now["total"] == len(dataset) and now["renderer"] == "webgl"
    assert frame.locator(".leaflet-container").count() == 1
    assert frame.locator(".eventmap-legend").count() == 1
    assert "WebGL" in frame.locator(".eventmap-renderer").inner_text()
    assert not page.blocked, f"requests left localhost: {page.blocked[:5]}"
    assert not page.errors, page.errors


def test_requests_to_other_hosts_fail_and_are_listed(page, server):
    """The offline guard itself: a remote fetch from the page fails at the dead proxy (not
    merely for want of a network) and is reported."""
    failures = {}
    page.on("requestfailed", lambda request: failures.update({request.url: request.failure}))
    page.goto(server.url)
    urls = ["http://example.com/x.js", "http://203.0.113.9/t.png"]
    outcome = page.evaluate(
        """async urls => Promise.all(urls.map(
            url => fetch(url, {mode: "no-cors"}).then(() => "loaded", () => "failed")))""",
        urls,
    )
    assert outcome == ["failed", "failed"]
    assert set(urls) <= set(page.blocked)
    assert {failures.get(url) for url in urls} == {"net::ERR_PROXY_CONNECTION_FAILED"}


def test_keyboard_scrub_changes_the_count_and_the_map_and_keeps_the_view(page, server, dataset):
    page.goto(server.url)
    frame = map_frame(page)
    settle(page, frame)
    # As a user would: once the first view has settled, zoom in.
    frame.wait_for_function("() => window.eventmap.map && !eventmap.map._animatingZoom")
    time.sleep(1.0)
    frame.evaluate("""() => {
        eventmap.map.setView([33.3, 44.4], 7, {animate: false});
        eventmap.map.eventmapMark = 1;
    }""")
    time.sleep(0.5)
    assert frame.evaluate("() => eventmap.map.getZoom()") == 7
    thumbs = page.get_by_role("slider")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "1-all-dates.png", full_page=True)
    thumbs.nth(1).focus()
    for _ in range(19):  # 2020-03-31 back to 2020-03-12
        page.keyboard.press("ArrowLeft")
    deadline = time.monotonic() + 15
    while shown_count(page)[2] != "2020-03-12" and time.monotonic() < deadline:
        time.sleep(0.1)
    number, start, end = shown_count(page)
    assert end == "2020-03-12"
    assert number == len(expected_ids(dataset, start, end)) < len(dataset)
    assert settle(page, frame)["visible"] == number
    assert page.locator('[data-testid="stDataFrame"]').first.is_visible()
    page.screenshot(path=SCREENSHOTS / "2-to-2020-03-12.png", full_page=True)
    thumbs.nth(0).focus()
    page.keyboard.press("End")
    page.keyboard.press("Home")
    for _ in range(20):
        page.keyboard.press("PageUp")
    time.sleep(1.0)
    # The same Leaflet map (not remounted) at the zoom the user chose.
    assert frame.evaluate("() => eventmap.map.eventmapMark") == 1
    assert frame.evaluate("() => eventmap.map.getZoom()") == 7
    number, start, end = shown_count(page)
    assert settle(page, frame)["visible"] == len(expected_ids(dataset, start, end))
    page.screenshot(path=SCREENSHOTS / "3-later-window.png", full_page=True)


def test_popup_fetched_on_click_shows_sources_and_hostile_text_literally(page, server):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url)
    frame = map_frame(page)
    settle(page, frame)
    shards = lambda: [u for u in requests if "-shards-" in u and u.endswith(".json.gz")]  # noqa: E731
    assert not shards(), "no popup text before a click"
    event = hostile_event()
    click_point(frame, event["latitude"], event["longitude"], zoom=9)
    popup = frame.locator(".leaflet-popup-content")
    popup.get_by_text("ZZ-HOSTILE").wait_for(timeout=10_000)
    assert HOSTILE in popup.inner_text()
    assert popup.locator("img").count() == 0
    assert len(shards()) == 1  # one shard, fetched on demand
    time.sleep(0.5)
    assert page.dialogs == []
    # A real seed event: Kirkuk, with its quote and the documents it comes from.
    click_point(frame, 35.46806, 44.39222, zoom=9)
    popup.get_by_text("IRQ-20191227-KIRKUK-ROCKETS").wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "On Dec. 27, nearly 30 rockets rocked an Iraqi base in Kirkuk" in text
    assert "000_97cfeaf750d32181.txt" in text and "004_fb62ce4d62dc1888.txt" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    time.sleep(1)  # the popup's fade and the pan that keeps it clear of the controls
    page.screenshot(path=SCREENSHOTS / "5-popup.png")


def test_events_stacked_on_one_point_are_counted_and_stepped_through(page, server, dataset):
    """Seven seed events share the "Iraq" point: the popup says so and steps through them,
    and the details below the map follow."""
    iraq = dataset[dataset["location"] == "Iraq"]
    lat, lon = float(iraq["latitude"].iloc[0]), float(iraq["longitude"].iloc[0])
    stacked = dataset[(dataset["latitude"] == lat) & (dataset["longitude"] == lon)]
    assert len(stacked) >= 2
    page.goto(server.url)
    frame = map_frame(page)
    now = settle(page, frame)
    shown = dataset[dataset["event_id"].isin(expected_ids(dataset, now["start"], now["end"]))]
    points = shown.groupby(["latitude", "longitude"]).size()
    assert now["stacks"] == int((points > 1).sum()) >= 1  # each such point shows its number
    click_point(frame, lat, lon, zoom=7)
    popup = frame.locator(".leaflet-popup-content")
    popup.get_by_text(f"1 of {len(stacked)} events here").wait_for(timeout=10_000)
    seen = set()
    for k in range(len(stacked)):
        popup.get_by_text(f"{k + 1} of {len(stacked)} events here").wait_for(timeout=10_000)
        event_id = popup.locator("small").inner_text()
        seen.add(event_id)
        details = page.locator(".eventmap-popup")  # below the map, on the page
        details.get_by_text(event_id).wait_for(timeout=10_000)
        if k + 1 < len(stacked):
            popup.locator(".eventmap-next").click()
    assert seen == set(stacked["event_id"])


def test_downloaded_geojson_equals_the_filter(page, server, dataset):
    page.goto(server.url)
    frame = map_frame(page)
    settle(page, frame)
    thumbs = page.get_by_role("slider")
    thumbs.nth(1).focus()
    for _ in range(80):
        page.keyboard.press("ArrowLeft")
    deadline = time.monotonic() + 15
    while shown_count(page)[2] != "2020-01-11" and time.monotonic() < deadline:
        time.sleep(0.1)
    number, start, end = shown_count(page)
    button = page.get_by_role("button", name=f"Download GeoJSON ({number} events)")
    button.wait_for(timeout=15_000)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=15_000)
    time.sleep(0.5)
    with page.expect_download() as download_info:
        button.click()
    data = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert [f["id"] for f in data["features"]] == expected_ids(dataset, start, end)


def layer_on(frame, kind: str) -> bool:
    return frame.evaluate(f"() => eventmap.layer.show[{kind!r}]")


def test_a_layer_the_user_switches_on_stays_on_while_scrubbing(page, server):
    page.goto(server.url)
    frame = map_frame(page)
    settle(page, frame)
    assert not layer_on(frame, "clusters")  # clusters start off
    frame.locator(".leaflet-control-layers").hover()
    frame.get_by_text("Clusters", exact=True).click()
    frame.wait_for_function("() => eventmap.layer.show.clusters === true")
    step_end_handle(page)
    settle(page, frame)
    time.sleep(0.5)
    assert layer_on(frame, "clusters")
    box = frame.locator(".leaflet-control-layers-overlays label", has_text="Clusters")
    assert box.locator("input").is_checked()


def test_events_switched_off_stay_off_while_scrubbing_and_the_heatmap_draws(page, server):
    page.goto(server.url)
    frame = map_frame(page)
    settle(page, frame)
    frame.locator(".leaflet-control-layers").hover()
    frame.get_by_text("Events", exact=True).click()
    frame.get_by_text("Heatmap", exact=True).click()
    frame.locator("canvas.leaflet-heatmap-layer").wait_for(timeout=10_000)
    assert not layer_on(frame, "events")
    number = step_end_handle(page)
    settle(page, frame)
    time.sleep(0.5)
    assert number > 0 and not layer_on(frame, "events")
    assert frame.locator("canvas.leaflet-heatmap-layer").count() == 1
    frame.locator(".leaflet-control-layers").hover()
    frame.get_by_text("Events", exact=True).click()
    frame.wait_for_function("() => eventmap.layer.show.events === true")
    step_end_handle(page, "End")
    settle(page, frame)
    assert not page.errors, page.errors


def test_scrub_mode_plays_through_the_days(page, server):
    page.goto(server.url + "/?mode=scrub&window=7&start=2018-09-26&end=2019-12-25")
    page.get_by_text(COUNT).first.wait_for(timeout=30_000)
    assert shown_count(page)[0] == 0 and shown_count(page)[2] == "2019-12-25"
    page.get_by_role("button", name="▶ Play").click()
    deadline = time.monotonic() + 30
    while shown_count(page)[2] < "2019-12-28" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert shown_count(page)[2] >= "2019-12-28"
    page.get_by_role("button", name="Pause").click()
    time.sleep(2.0)
    paused_at = shown_count(page)[2]
    time.sleep(2.5)
    assert shown_count(page)[2] == paused_at
    frame = map_frame(page)
    number, start, end = shown_count(page)
    assert (pd.Timestamp(end) - pd.Timestamp(start)).days == 6
    settle(page, frame)


def test_playback_view_animates_the_window_in_the_browser(page, server):
    page.goto(server.url)
    frame = map_frame(page)
    settle(page, frame)
    page.get_by_text("Playback", exact=True).first.click()
    player = frame.locator(".eventmap-player")
    player.wait_for(timeout=15_000)
    assert page.get_by_role("slider").count() == 0  # the page's Dates do not apply here
    websocket = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: websocket.append(f)))
    player.locator(".eventmap-play").click()
    ends = set()
    deadline = time.monotonic() + 20
    while len(ends) < 5 and time.monotonic() < deadline:
        ends.add(stats(frame)["end"])
        time.sleep(0.1)
    assert len(ends) >= 5, "the window did not move"
    player.locator(".eventmap-play").click()
    assert not page.errors, page.errors
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "4-playback.png", full_page=True)


@pytest.fixture(scope="module")
def candidates_server(tmp_path_factory, seed_frame):
    from paths import SEEDS

    from eventmap.extract import extract_files, write_output

    folder = tmp_path_factory.mktemp("candidates")
    records = extract_files(sorted(SEEDS.glob("*.txt")))
    out = write_output(records, folder / "candidates.jsonl", "jsonl")
    yield from start_server(
        tmp_path_factory, "with-candidates", seed_frame, {"EVENTMAP_CANDIDATES": str(out)}
    )


def test_extracted_candidates_are_drawn_apart_from_the_catalog(page, candidates_server):
    page.goto(candidates_server.url)
    frame = map_frame(page)
    text = page.get_by_text(COUNT).first.inner_text()
    wanted = int(re.search(r"(\d+) unreviewed candidates", text).group(1))
    assert wanted > 0
    frame.wait_for_function(
        f"() => eventmap.layer.sets.candidates.indices.length === {wanted}", timeout=15_000
    )
    # the catalog, on where most of its events are (all but the 2018 one)
    assert settle(page, frame)["visible"] == shown_count(page)[0] == 17
    label = frame.locator(".leaflet-control-layers-overlays label", has_text="Unreviewed")
    assert label.count() == 1


def test_clicking_an_event_shows_its_details_below_the_map(page, server):
    """Right after the page opens, and again after a step."""
    page.goto(server.url)
    frame = map_frame(page)
    settle(page, frame)
    details = page.locator(".eventmap-popup")  # the main page's, not the map iframe's
    assert details.count() == 0
    click_point(frame, 33.34058, 44.40088, zoom=9)  # the rockets near Baghdad: 3 killed
    details.first.wait_for(timeout=10_000)
    assert "Fatalities: 3" in details.first.inner_text()
    assert "Sources" in details.first.inner_text()
    start_handle = page.get_by_role("slider").nth(0)
    start_handle.focus()
    page.keyboard.press("Home")  # the first day of the data
    page.get_by_text(re.compile(r"· 2018-09-26 →")).first.wait_for(timeout=15_000)
    step_end_handle(page, "Home")  # the first day only: one other event
    settle(page, frame)
    frame.evaluate("() => { eventmap.map.closePopup(); }")  # not the map itself: slow to copy
    click_point(frame, 33.78561, 42.44120, zoom=9)  # Al Asad Air Base, the 2018 exercise
    deadline = time.monotonic() + 10
    while details.count() != 1 or "Fatalities: 3" in details.first.inner_text():
        assert time.monotonic() < deadline, "no details for the second clicked event"
        time.sleep(0.1)
    assert "Sources" in details.first.inner_text()


# --- 100,000 synthetic events: the same contract at size -----------------------------------------


@pytest.fixture(scope="module")
def big_table():
    from eventmap.synth import synth_table

    return synth_table(100_000, seed=4)


@pytest.fixture(scope="module")
def big_server(tmp_path_factory, big_table):
    from e2e_support import Server

    from eventmap.export import write_batches

    folder = tmp_path_factory.mktemp("big")
    data = folder / "events.parquet"
    write_batches(big_table.to_batches(), data)
    server = Server(data, folder / "streamlit.log")
    yield server
    server.stop()


def independent_count(table, start: str, end: str, *, types=(), min_fatalities=0) -> int:
    """Located events overlapping [start, end], counted with numpy on the raw table."""
    first = table["event_date"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    last = table["date_end"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    lat = table["latitude"].to_numpy(zero_copy_only=False).astype(float)
    keep = (first <= np.datetime64(end)) & (last >= np.datetime64(start)) & ~np.isnan(lat)
    if types:
        keep &= np.isin(table["event_type"].to_numpy(zero_copy_only=False), list(types))
    if min_fatalities:
        killed = table["fatalities"].to_numpy(zero_copy_only=False).astype(float)
        keep &= np.nan_to_num(killed) >= min_fatalities
    return int(keep.sum())


def test_100k_events_drawn_equal_the_count_while_scrubbing(page, big_server, big_table):
    first = str(big_table["event_date"][0])
    end = str(np.datetime64(first) + np.timedelta64(29, "D"))
    page.goto(f"{big_server.url}/?start={first}&end={end}")
    frame = map_frame(page)
    for step in range(4):
        now = settle(page, frame)
        number, start, end = shown_count(page)
        assert now["visible"] == number == independent_count(big_table, start, end) > 0
        assert now["total"] == 100_000 and now["renderer"] == "webgl"
        if step < 3:
            step_end_handle(page, "ArrowRight" if step % 2 else "PageUp")
    assert not page.errors, page.errors


def test_100k_events_filters_that_are_not_ranges_go_as_one_selection(page, big_server, big_table):
    start, end = str(big_table["event_date"][0]), str(big_table["event_date"][-1])
    page.goto(f"{big_server.url}/?start={start}&end={end}&minfat=10&type=Battles")
    frame = map_frame(page)
    now = settle(page, frame)
    expected = independent_count(big_table, start, end, types=["Battles"], min_fatalities=10)
    assert now["visible"] == shown_count(page)[0] == expected > 0


def test_without_webgl_the_grid_takes_over_and_counts_stay_right(
    browser_without_webgl, big_server, big_table
):
    page = new_page(browser_without_webgl)
    try:
        first = str(big_table["event_date"][0])
        wide_end = str(big_table["event_date"][-1])
        page.goto(f"{big_server.url}/?start={first}&end={wide_end}")
        frame = map_frame(page)
        now = settle(page, frame)
        assert now["renderer"] == "grid" and now["visible"] > 5000
        assert now["visible"] == independent_count(big_table, first, wide_end)
        assert "No WebGL" in frame.locator(".eventmap-renderer").inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "6-no-webgl-grid.png", full_page=True)
        page.goto(f"{big_server.url}/?start={first}&end={first}")
        frame = map_frame(page)
        now = settle(page, frame)
        assert now["renderer"] == "canvas" and 0 < now["visible"] <= 5000
        assert now["visible"] == independent_count(big_table, first, first)
        assert not page.errors, page.errors
    finally:
        page.context.close()
