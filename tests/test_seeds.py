"""The shipped seeds are the shared articles byte for byte, each with honest metadata."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from paths import ROOT, SEEDS

ARTICLES = sorted(SEEDS.glob("*.txt"))
SHARED = ROOT.parent / "shared" / "seeds"


def test_five_articles_are_shipped():
    assert [p.name[:3] for p in ARTICLES] == ["000", "001", "002", "003", "004"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/seeds is not beside this checkout")
@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_article_is_the_shared_one_byte_for_byte(article):
    assert article.read_bytes() == (SHARED / article.name).read_bytes()


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_every_article_has_metadata_with_a_reasoned_date(article):
    meta = yaml.safe_load(article.with_suffix(".meta.yaml").read_text(encoding="utf-8"))
    for key in (
        "publisher",
        "title",
        "published",
        "published_end",
        "date_precision",
        "date_basis",
        "date_reasoning",
    ):
        assert key in meta, f"{article.name}: meta lacks {key}"
    assert meta["date_basis"] in ("stated", "inferred")
    assert meta["published"] <= meta["published_end"]
    assert len(meta["date_reasoning"]) > 40


def test_placeholder_date_is_not_taken_and_undated_article_stays_coarse():
    meta_004 = yaml.safe_load((SEEDS / "004_fb62ce4d62dc1888.meta.yaml").read_text())
    assert meta_004["published"] == dt.date(2020, 1, 5)
    meta_002 = yaml.safe_load((SEEDS / "002_35e4e8efc59ea18d.meta.yaml").read_text())
    assert meta_002["date_precision"] == 3
    assert (meta_002["published_end"] - meta_002["published"]).days >= 27
