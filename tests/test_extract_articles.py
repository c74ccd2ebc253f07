"""Extraction quality: own wire articles, the seeds against the catalog, no seed-specific rules,
and the command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from eventmap.cli import main
from eventmap.extract import evaluate, extract_file

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "articles"
SEEDS = ROOT / "seeds"
EXTRACT_SRC = ROOT / "src" / "eventmap" / "extract"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
CLI = [sys.executable, "-m", "eventmap.cli"]

# The real figures reached (see the report); raise them when extraction improves. A photo
# caption is no event (issue 11 counts captions among the spurious triggers), so the catalog's
# live-fire exercise, told only in a caption, is missed: 8 of 18 from the text alone.
SEED_F1_TEXT_ONLY = 0.61
SEED_F1_WITH_FEED_DATES = 0.94


def _articles():
    return sorted(p for p in ARTICLES.iterdir() if not p.name.endswith(".expected.yaml"))


@pytest.mark.parametrize("article", _articles(), ids=lambda p: p.name)
def test_own_articles(article):
    expected = article.with_name(article.name.rsplit(".", 1)[0] + ".expected.yaml")
    result, records = evaluate([article], expected)
    assert result.recall == 1.0, result.report()
    assert result.precision == 1.0, result.report()
    text = article.read_text(encoding="utf-8")
    for record in records:
        for source in record["sources"]:
            assert text[source["start"] : source["end"]] == source["quote"]


def _meta_dates():
    dates = {}
    for meta in SEEDS.glob("*.meta.yaml"):
        data = yaml.safe_load(meta.read_text(encoding="utf-8"))
        name = meta.name.replace(".meta.yaml", ".txt")
        day = data["published"]
        dates[name] = day.strftime("%Y-%m") if data.get("date_precision") == 3 else day
    return dates


def test_seeds_text_only():
    result, records = evaluate(SEED_FILES, SEEDS / "events.yaml")
    assert result.f1 >= SEED_F1_TEXT_ONLY, result.report()
    assert result.precision >= 0.9, result.report()
    for record in records:
        assert 0.0 <= record["confidence"] <= 1.0
        if record["event_date"] is None or record["location"] is None:
            assert record["confidence"] <= 0.3


def test_seeds_with_feed_publication_dates():
    result, _ = evaluate(SEED_FILES, SEEDS / "events.yaml", published=_meta_dates())
    assert result.f1 >= SEED_F1_WITH_FEED_DATES, result.report()


def test_no_rule_names_a_seed_or_carries_a_seed_sentence():
    sources = {p: p.read_text(encoding="utf-8") for p in EXTRACT_SRC.glob("*.py")}
    sources[ROOT / "bench" / "extract_big.py"] = (ROOT / "bench" / "extract_big.py").read_text()
    for seed in SEED_FILES:
        stem = seed.name.split(".")[0]
        text = " ".join(seed.read_text(encoding="utf-8").split())
        shingles = {text[i : i + 40] for i in range(0, max(1, len(text) - 40))}
        for path, source in sources.items():
            assert stem not in source and stem.split("_")[1] not in source, path
            flat = " ".join(source.split())
            hits = [s for s in shingles if s in flat]
            assert not hits, f"{path.name} carries text of {seed.name}: {hits[0]!r}"


def test_extract_never_reads_the_catalog(monkeypatch):
    import eventmap.catalog

    def refuse(*args, **kwargs):
        raise AssertionError("extract read the catalog")

    monkeypatch.setattr(eventmap.catalog, "load_catalog", refuse)
    assert extract_file(SEED_FILES[0], "2019-12-31")


def _run(*args, cwd=ROOT):
    """The real command in its own process: what a user's shell sees, tracebacks included."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def _invoke(*args):
    """The command in this process (click's CliRunner), sharing the loaded gazetteer."""
    done = CliRunner().invoke(main, list(args))
    done.returncode = done.exit_code
    return done


def test_cli_extract_jsonl_geojson_yaml(tmp_path):
    article = ARTICLES / "syria_idlib.txt"
    done = _invoke("extract", str(article))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 3 and all("confidence" in r for r in lines)
    out = tmp_path / "c.geojson"
    done = _invoke("extract", str(article), "--format", "geojson", "-o", str(out))
    assert done.returncode == 0, done.stderr
    collection = json.loads(out.read_text())
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    assert all(f["properties"]["confidence"] is not None for f in collection["features"])
    done = _invoke("extract", str(article), "--format", "yaml", "--published", "2020-02-12")
    assert yaml.safe_load(done.stdout)["events"]


def test_cli_bad_input_is_a_message_not_a_traceback(tmp_path):
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02" * 10)
    for args in (
        ("extract", str(binary)),
        ("extract", str(tmp_path / "missing.txt")),
        ("extract", str(ARTICLES / "syria_idlib.txt"), "--published", "someday"),
    ):
        done = _run(*args) if args[1] == str(binary) else _invoke(*args)
        assert done.returncode != 0
        assert "Traceback" not in done.stderr and done.stderr.strip()
        assert isinstance(getattr(done, "exception", None), SystemExit | None)  # no crash
    quiet = tmp_path / "quiet.txt"
    quiet.write_text("Markets were calm. The weather was mild.")
    done = _invoke("extract", str(quiet))
    assert done.returncode == 0 and done.stdout == "" and "no events" in done.stderr


def test_cli_evaluate():
    done = _invoke("evaluate", *map(str, SEED_FILES))
    assert done.returncode == 0, done.stderr
    assert "precision" in done.stdout and "F1" in done.stdout and "within 1 day" in done.stdout
    assert "5 NAME.meta.yaml sidecar(s) give a feed date" in done.stdout
    f1 = float(re.search(r"  F1 (\d\.\d+)", done.stdout).group(1))
    assert f1 >= SEED_F1_WITH_FEED_DATES
    assert "text only (no sidecar dates)" in done.stdout
