"""The map's rough edges of issue 9, as a new user meets them: popups under the controls, a
focus ring after a mouse click (and none for the keyboard), a grey map when tiles cannot load,
and the player over the legend. Screenshots go to test-results/screenshots/edges-*.png."""

from __future__ import annotations

import io
import time

import pytest
from e2e_support import SCREENSHOTS, map_frame, start_server

KIRKUK = (35.46806, 44.39222)  # a seed event: 2019-12-27, rockets on a base near Kirkuk
ROCKETS = (33.34058, 44.40088)  # a seed event near Baghdad


@pytest.fixture(scope="module")
def server(tmp_path_factory, seed_frame):
    yield from start_server(tmp_path_factory, "edges", seed_frame)


def open_map(page, url: str):
    page.goto(url)
    frame = map_frame(page)
    frame.wait_for_function("() => eventmap.map && !eventmap.map._animatingZoom")
    time.sleep(1.0)  # the first view's fit has settled
    return frame


def shot(page, name: str) -> bytes:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box = page.locator("iframe").first.bounding_box()
    return page.screenshot(
        path=SCREENSHOTS / f"edges-{name}.png",
        clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]},
    )


BOXES = """() => {
    const origin = document.querySelector(".leaflet-container").getBoundingClientRect();
    const box = (el) => {
        const r = el.getBoundingClientRect();
        return {name: el.className.split(" ")[0], left: r.left - origin.left,
                top: r.top - origin.top, right: r.right - origin.left,
                bottom: r.bottom - origin.top};
    };
    const popup = document.querySelector(".leaflet-popup");
    return {
        width: origin.width, height: origin.height,
        popup: popup ? box(popup) : null,
        controls: [...document.querySelectorAll(".leaflet-control-container .leaflet-control")]
            .map(box).filter((b) => b.right > b.left && b.bottom > b.top),
    };
}"""


def overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and (a["top"] < b["bottom"] and b["top"] < a["bottom"])
    )


def click_event_at(frame, event: tuple[float, float], x: float, y: float) -> None:
    """Pans the map so that the event sits at (x, y) of the map, and clicks it."""
    frame.evaluate(
        """([lat, lon, x, y]) => {
            const map = eventmap.map, size = map.getSize();
            map.setView([lat, lon], 8, {animate: false});
            map.panBy([size.x / 2 - x, size.y / 2 - y], {animate: false});
        }""",
        [*event, x, y],
    )
    time.sleep(0.5)
    frame.locator(".leaflet-container").click(position={"x": x, "y": y})


def settled_popup(frame, event_id: str) -> dict:
    """The boxes once the popup shows the event and the map has stopped panning."""
    frame.locator(".leaflet-popup-content").get_by_text(event_id).wait_for(timeout=10_000)
    last, deadline = None, time.monotonic() + 5
    while time.monotonic() < deadline:
        time.sleep(0.4)
        now = frame.evaluate(BOXES)
        if now == last:
            return now
        last = now
    return last


@pytest.mark.parametrize(
    ("where", "x", "y"),
    [("top-left", 75, 30), ("over-the-legend", 330, 450)],
)
def test_a_popup_is_never_under_the_zoom_buttons_or_the_legend(page, server, where, x, y):
    frame = open_map(page, server.url)
    click_event_at(frame, KIRKUK, x, y)
    boxes = settled_popup(frame, "IRQ-20191227-KIRKUK-ROCKETS")
    shot(page, f"1-popup-{where}")
    popup = boxes["popup"]
    assert popup is not None
    hidden = [c["name"] for c in boxes["controls"] if overlap(popup, c)]
    assert not hidden, f"the popup {popup} is under {hidden}"
    assert popup["left"] >= 0 and popup["top"] >= 0
    assert popup["right"] <= boxes["width"] and popup["bottom"] <= boxes["height"]
    assert not page.errors, page.errors


FOCUS = """() => {
    const map = document.querySelector(".leaflet-container");
    // the map is the frame's active element even while the page's slider has the focus:
    // focused only when the frame has it too
    return {focused: document.activeElement === map && document.hasFocus(),
            outline: getComputedStyle(map).outlineStyle,
            ring: getComputedStyle(map, "::after").boxShadow};
}"""


def ring_pixels(png: bytes) -> int:
    """How many pixels along the map's left edge have the focus ring's blue (#0b57d0)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    column = [image.getpixel((x, y)) for x in range(3) for y in range(image.height)]
    return sum(1 for r, g, b in column if r < 60 and 60 < g < 120 and b > 170)


def test_a_mouse_click_leaves_no_focus_ring_and_the_keyboard_shows_one(page, server):
    frame = open_map(page, server.url)
    point = frame.evaluate("(p) => eventmap.map.latLngToContainerPoint(p)", list(ROCKETS))
    frame.locator(".leaflet-container").click(position={"x": point["x"], "y": point["y"]})
    frame.locator(".leaflet-popup-content").wait_for(timeout=10_000)
    page.keyboard.press("Shift")  # a modifier (Shift + drag zooms to a box): still the mouse
    time.sleep(0.3)
    state = frame.evaluate(FOCUS)
    assert state["focused"]
    assert state["outline"] == "none" and state["ring"] == "none", state
    assert ring_pixels(shot(page, "2-focus-after-click")) == 0
    frame.evaluate("() => { eventmap.map.closePopup(); }")  # not the map itself: slow to copy
    # The keyboard: from the page's last slider, Tab reaches the map.
    page.get_by_role("slider").nth(1).focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if frame.evaluate(FOCUS)["focused"]:
            break
    time.sleep(0.3)
    state = frame.evaluate(FOCUS)
    assert state["focused"] and state["ring"] != "none", state
    # Drawn inside the map, where the iframe cannot cut it off.
    assert ring_pixels(shot(page, "2-focus-keyboard")) > 400
    assert not page.errors, page.errors


def test_tiles_that_cannot_load_say_so_and_offer_the_offline_basemap(page, server):
    """Requests to other hosts fail here (the tests' dead proxy), as without internet."""
    frame = open_map(page, server.url)
    assert frame.locator(".eventmap-notice").count() == 0  # the offline basemap needs none
    frame.locator(".leaflet-control-layers").hover()
    frame.get_by_text("OpenStreetMap", exact=True).click()
    page.mouse.move(5, 5)
    notice = frame.locator(".eventmap-notice")
    notice.wait_for(timeout=20_000)
    assert "Map tiles could not be loaded (no internet?)" in notice.inner_text()
    assert any("openstreetmap.org" in url for url in page.blocked)
    assert notice.locator("*").count() == 2  # our text and our button, nothing else
    shot(page, "3-tiles-failed")
    notice.get_by_role("button", name="Use the offline basemap").click()
    notice.wait_for(state="detached", timeout=5_000)
    assert frame.evaluate("() => eventmap.map.hasLayer(eventmap.offlineBasemap)")
    frame.locator(".leaflet-control-layers").hover()
    offline = frame.locator(".leaflet-control-layers-base label", has_text="Offline")
    assert offline.locator("input").is_checked()  # the layer control follows
    shot(page, "3-back-offline")
    assert not page.errors, page.errors


def test_a_first_basemap_that_cannot_load_says_so(page, server):
    frame = open_map(page, server.url + "/?basemap=osm")
    frame.locator(".eventmap-notice").wait_for(timeout=20_000)
    assert not page.errors, page.errors


def test_the_player_is_not_over_the_legend(page, server):
    frame = open_map(page, server.url)
    page.get_by_text("Playback", exact=True).first.click()
    frame = map_frame(page)
    frame.locator(".eventmap-player").wait_for(timeout=15_000)
    time.sleep(0.5)
    shot(page, "4-playback")
    # At the app's height, and on a short map (base_map's height is a parameter).
    for height in (None, 280):
        if height:
            frame.evaluate(
                "(h) => { eventmap.map.getContainer().style.height = h + 'px';"
                " eventmap.map.invalidateSize(); }",
                height,
            )
            time.sleep(0.3)
            shot(page, f"4-playback-{height}px")
        controls = frame.evaluate(BOXES)["controls"]
        player = next(c for c in controls if c["name"] == "eventmap-player")
        legend = next(c for c in controls if c["name"] == "eventmap-legend")
        assert not overlap(player, legend), (height, player, legend)
        clashes = [
            (a["name"], b["name"])
            for k, a in enumerate(controls)
            for b in controls[k + 1 :]
            if overlap(a, b) and "leaflet-control-attribution" not in (a["name"], b["name"])
        ]
        assert not clashes, (height, clashes)
    assert not page.errors, page.errors
