"""The review workflow: candidates accepted (maybe edited) into reviewed.yaml, checked as the
catalog is, or rejected and never proposed again; two reviewers at once lose nothing."""

from __future__ import annotations

import json
import multiprocessing
import shutil

import pytest
import yaml
from click.testing import CliRunner
from paths import ROOT, SEEDS

from eventmap import review
from eventmap.catalog import load_catalog
from eventmap.cli import main
from eventmap.table import read_table

ARTICLE = ROOT / "tests" / "articles" / "syria_idlib.txt"


@pytest.fixture
def desk(tmp_path, monkeypatch):
    """A copy of the seeds, a store and the candidates of one article, as settings say."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(ARTICLE, articles / ARTICLE.name)
    monkeypatch.setenv("EVENTMAP_SEEDS", str(seeds))
    monkeypatch.setenv("EVENTMAP_STORE", str(tmp_path / "events.parquet"))
    candidates = articles / "candidates.jsonl"
    done = CliRunner().invoke(
        main, ["extract", str(articles / ARTICLE.name), "-o", str(candidates)]
    )
    assert done.exit_code == 0, done.output
    monkeypatch.setenv("EVENTMAP_CANDIDATES", str(candidates))
    return seeds, candidates


def run(*args, code: int = 0):
    done = CliRunner().invoke(main, ["review", *map(str, args)])
    assert done.exit_code == code, done.output
    assert "Traceback" not in done.output
    return done


def test_accept_edit_reject_then_the_store_holds_the_curated_events(desk, tmp_path):
    seeds, candidates = desk
    records = review.read_candidates(candidates)
    assert len(records) == 3
    first, second, third = (r["event_id"] for r in records)
    listed = run("--list").stdout
    assert all(i in listed for i in (first, second, third))
    run("--accept", first, "--reviewer", "Ana Analyst")
    run(
        "--accept",
        second,
        "--set",
        "fatalities=5",
        "--set",
        "notes=Edited note.",
        "--reviewer",
        "Bo",
    )
    run("--reject", third, "--reviewer", "Bo", "--reason", "not an event")
    assert run("--list").stdout == ""

    reviewed = load_catalog(seeds / "reviewed.yaml")  # what the build reads, checked likewise
    by_id = {e["event_id"]: e for e in reviewed.events}
    edited = by_id["rev-" + second.removeprefix("cand-")]
    assert edited["fatalities"] == 5 and edited["notes"] == "Edited note."
    assert edited["review"]["by"] == "Bo" and edited["review"]["edited"] == ["fatalities", "notes"]
    source = edited["sources"][0]
    text = (seeds / ARTICLE.name).read_text(encoding="utf-8")  # copied beside the catalog
    assert text[source["start"] : source["end"]] == source["quote"]
    rejected = yaml.safe_load((seeds / "rejected.yaml").read_text())["events"]
    assert rejected[0]["event_id"] == third and rejected[0]["reason"] == "not an event"

    ids = read_table(tmp_path / "events.parquet")["event_id"].to_pylist()
    assert {"rev-" + first.removeprefix("cand-"), edited["event_id"]} <= set(ids)
    # extracting the article again proposes nothing reviewed already
    again = CliRunner().invoke(main, ["extract", str(candidates.parent / ARTICLE.name)])
    assert again.exit_code == 0
    assert "3 candidate(s) accepted or rejected before" in again.stderr
    assert again.stdout == ""


def test_refusals_name_what_is_wrong_and_change_nothing(desk):
    seeds, candidates = desk
    first = review.read_candidates(candidates)[0]["event_id"]
    assert "no reviewer name" in run("--accept", first, code=1).output
    out = run("--accept", first, "--reviewer", "A", "--set", "fatalities=many", code=1).output
    assert "fatalities" in out and "whole number" in out
    out = run("--accept", first, "--reviewer", "A", "--set", "event_type=Picnic", code=1).output
    assert "event_type" in out
    out = run("--accept", first, "--reviewer", "A", "--set", "flags=x", code=1).output
    assert "'flags' cannot be edited" in out
    assert "no candidate 'nope'" in run("--reject", "nope", "--reviewer", "A", code=1).output
    assert run("--list", "--accept", first, code=2).exit_code == 2
    assert not (seeds / "reviewed.yaml").exists() and not (seeds / "rejected.yaml").exists()
    run("--accept", first, "--reviewer", "A")
    assert "no candidate" in run("--accept", first, "--reviewer", "B", code=1).output


def _accept(args) -> str:
    seeds, candidate, name = args
    import os

    os.environ["EVENTMAP_SEEDS"] = seeds
    try:
        review.accept(candidate, reviewer=name, folder=review.seeds_dir())
        return "ok"
    except review.ReviewError as exc:
        return str(exc)


def test_two_reviewers_at_once_lose_nothing(desk):
    seeds, candidates = desk
    records = review.read_candidates(candidates)
    shutil.copy(ARTICLE, seeds / ARTICLE.name)
    jobs = [(str(seeds), r, f"reviewer {i}") for i, r in enumerate(records)]
    jobs += [(str(seeds), records[0], "late reviewer")]  # the same candidate twice
    with multiprocessing.get_context("fork").Pool(4) as pool:
        results = pool.map(_accept, jobs)
    assert results.count("ok") == 3
    assert any("reviewed already" in r for r in results)
    reviewed = load_catalog(seeds / "reviewed.yaml").events
    assert len(reviewed) == 3 and len({e["review"]["candidate"] for e in reviewed}) == 3


def test_the_page_hides_reviewed_candidates(desk):
    from eventmap.dataset import load_candidates

    seeds, candidates = desk
    found, _ = load_candidates(candidates)
    assert found.n == 3
    record = review.read_candidates(candidates)[0]
    review.reject(record, reviewer="A")
    found, _ = load_candidates(candidates)
    assert found.n == 2 and record["event_id"] not in found.table["event_id"].to_pylist()


def test_a_new_place_is_geocoded_anew_not_left_at_the_old_point():
    candidate = json.loads(
        '{"event_id": "cand-1", "location": "eastern Syria", "latitude": 35.3, '
        '"longitude": 40.1, "event_type": "Battles", "sources": []}'
    )
    entry = review.edited(candidate, {"location": "Kirkuk"})
    assert entry["location"] == "Kirkuk" and "latitude" not in entry
    entry = review.edited(candidate, {"location": "X", "latitude": "1.5", "longitude": "2"})
    assert (entry["latitude"], entry["longitude"]) == (1.5, 2.0)
