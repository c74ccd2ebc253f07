"""The review workflow in a real browser: a reviewer accepts one candidate, edits then accepts
another, rejects a third; after a reload the curated events are on the map with their quotes,
and the review files say who did what."""

from __future__ import annotations

import shutil

import pytest
import yaml
from click.testing import CliRunner
from e2e_support import SCREENSHOTS, Server, map_frame
from paths import ROOT, SEEDS
from test_browser import click_point, settle, shown_count

from eventmap.cli import main

ARTICLE = ROOT / "tests" / "articles" / "syria_idlib.txt"
ROW = 35  # px: the height of a row (and of the header) in Streamlit's data grid


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    seeds = folder / "seeds"
    shutil.copytree(SEEDS, seeds)
    articles = folder / "articles"
    articles.mkdir()
    shutil.copy(ARTICLE, articles / ARTICLE.name)
    candidates = articles / "candidates.jsonl"
    store = folder / "events.parquet"
    env = {"EVENTMAP_SEEDS": str(seeds), "EVENTMAP_STORE": str(store)}
    runner = CliRunner(env=env)
    assert runner.invoke(main, ["build"]).exit_code == 0
    made = runner.invoke(main, ["extract", str(articles / ARTICLE.name), "-o", str(candidates)])
    assert made.exit_code == 0, made.output
    server = Server(
        store,
        folder / "streamlit.log",
        extra_env={**env, "EVENTMAP_DATA": "", "EVENTMAP_CANDIDATES": str(candidates)},
    )
    try:
        yield server, seeds
    finally:
        server.stop()


def candidates_box(page):
    box = page.get_by_test_id("stExpander").filter(has_text="unreviewed candidate")
    box.wait_for()
    if box.locator("details").get_attribute("open") is None:
        box.locator("summary").click()
    grid = box.get_by_test_id("stDataFrame")
    grid.wait_for()
    return box, grid


def idle(page):
    """Wait for the app's rerun to finish: a click during one can be lost."""
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=60_000)


def pick_first_candidate(page):
    """Select the table's first candidate (its row's checkbox), as a reviewer clicks it."""
    page.wait_for_timeout(1500)  # the rerun after a decision settles
    idle(page)
    box, grid = candidates_box(page)
    grid.scroll_into_view_if_needed()
    where = grid.bounding_box()
    page.mouse.click(where["x"] + 18, where["y"] + ROW + ROW / 2)
    box.get_by_text("Candidate cand-").wait_for(timeout=15_000)
    idle(page)
    return box


def test_accept_edit_reject_then_the_curated_events_are_on_the_map(page, desk):
    server, seeds = desk
    page.goto(server.url)
    settle(page, map_frame(page))
    before = shown_count(page)[0]
    reviewer = page.get_by_role("textbox", name="Reviewer")
    reviewer.fill("Ana Analyst")
    reviewer.press("Enter")

    box = pick_first_candidate(page)
    box.get_by_role("button", name="Accept").click()
    page.get_by_text("accepted as rev-").wait_for(timeout=60_000)

    box = pick_first_candidate(page)
    killed = box.get_by_role("spinbutton", name="Killed")
    killed.fill("5")
    box.get_by_role("textbox", name="Notes").fill("Edited by the reviewer.")
    box.get_by_role("button", name="Accept").click()
    page.get_by_text("accepted as rev-").wait_for(timeout=60_000)

    box = pick_first_candidate(page)
    box.get_by_role("textbox", name="Reason (when rejecting)").fill("a caption, not an event")
    box.get_by_role("button", name="Reject").click()
    page.get_by_text("will not be proposed again").wait_for(timeout=60_000)
    assert page.get_by_test_id("stExpander").filter(has_text="unreviewed candidate").count() == 0

    page.reload()
    frame = map_frame(page)
    settle(page, frame)
    assert shown_count(page)[0] == before + 2
    click_point(frame, 36.20124, 37.16117, zoom=9)  # Aleppo: the first accepted event
    popup = frame.locator(".leaflet-popup-content")
    popup.get_by_text("clashed near Aleppo on Monday").first.wait_for(timeout=10_000)
    assert "syria_idlib.txt" in popup.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "review-accepted.png", full_page=True)

    reviewed = yaml.safe_load((seeds / "reviewed.yaml").read_text(encoding="utf-8"))["events"]
    assert [e["review"]["by"] for e in reviewed] == ["Ana Analyst", "Ana Analyst"]
    edited = [e for e in reviewed if e["review"]["edited"]]
    assert len(edited) == 1 and edited[0]["fatalities"] == 5
    assert set(edited[0]["review"]["edited"]) == {"fatalities", "notes"}
    assert all("start" in e["sources"][0] for e in reviewed)  # the offsets kept
    rejected = yaml.safe_load((seeds / "rejected.yaml").read_text(encoding="utf-8"))["events"]
    assert rejected[0]["reason"] == "a caption, not an event"
    assert page.errors == []
