"""The prepared dataset and the view of one filter state, checked against the plain filters
on the GeoDataFrame (an independent count)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random

import numpy as np
import pytest

from eventmap import dataset, filters, view
from eventmap.frame import TimeIndex
from eventmap.style import TYPE_NAMES
from eventmap.synth import synth_table
from eventmap.table import from_frame, to_frame


@pytest.fixture(autouse=True)
def _cache(monkeypatch, tmp_path):
    monkeypatch.setattr(dataset, "CACHE_DIR", tmp_path / "static")
    monkeypatch.setattr(dataset, "STORE_DIR", tmp_path / "store")
    monkeypatch.setattr(view, "publish_bytes", _publish_into(tmp_path / "static"))


def _publish_into(folder):
    from eventmap import published

    return lambda data, name: published.publish_bytes(data, name, folder=folder)


@pytest.fixture(scope="module")
def synthetic():
    table = synth_table(10_000, seed=3)
    return table, to_frame(table)


def test_seed_events_prepared_sorted_with_flags_sizes_and_files(seed_frame, tmp_path):
    prepared = dataset.prepare(from_frame(seed_frame))
    assert prepared.n == 18
    assert prepared.span == (dt.date(2018, 9, 26), dt.date(2020, 3, 31))
    assert (np.diff(prepared.start) >= 0).all()
    ids = prepared.table["event_id"].to_pylist()
    qaim = ids.index("IRQ-202003-AL-QAIM-HANDOVER")
    assert prepared.flags[qaim] & dataset.HOLLOW and prepared.end[qaim] - prepared.start[qaim] == 30
    kirkuk = ids.index("IRQ-20191227-KIRKUK-ROCKETS")
    assert not prepared.flags[kirkuk] & dataset.HOLLOW
    assert TYPE_NAMES[prepared.type_code[kirkuk]] == "Explosions/Remote violence"
    binary = gzip.decompress(
        (tmp_path / "static" / prepared.data_url.rsplit("/", 1)[1]).read_bytes()
    )
    assert len(binary) == 15 * prepared.n
    radius = np.frombuffer(binary, dtype="u1", count=18, offset=13 * 18)
    assert radius[kirkuk] == 90  # 6 + 3 * sqrt(1) px, in tenths
    shard_file = tmp_path / "static" / prepared.shard_url.split("/")[-2] / "0.json.gz"
    shard = json.loads(gzip.decompress(shard_file.read_bytes()))
    assert shard["event_id"] == ids and shard["event_date"][kirkuk] == "2019-12-27"
    assert json.loads(shard["sources"][kirkuk])[0]["document"].endswith(".txt")


def test_same_data_same_files_new_data_new_files(seed_frame):
    first = dataset.prepare(from_frame(seed_frame))
    again = dataset.prepare(from_frame(seed_frame))
    assert (first.key, first.data_url) == (again.key, again.data_url)
    changed = seed_frame.copy()
    changed.loc[0, "notes"] = "changed"
    assert dataset.prepare(from_frame(changed)).key != first.key


def _ids(prepared, rows):
    return set(prepared.table["event_id"].take(rows).to_pylist()) if len(rows) else set()


def test_view_equals_the_plain_filters_on_random_states(synthetic):
    table, frame = synthetic
    prepared = dataset.prepare(table)
    index = TimeIndex(frame)
    span = prepared.span
    actors = view.actors(prepared)[:40]
    rng = random.Random(5)
    seen = []
    for _ in range(40):
        start = span[0] + dt.timedelta(days=rng.randrange((span[1] - span[0]).days))
        state = filters.FilterState(
            start=start,
            end=min(span[1], start + dt.timedelta(days=rng.choice([0, 6, 30, 400]))),
            types=tuple(rng.sample(TYPE_NAMES[:-1], rng.choice([0, 1, 3]))),
            actors=tuple(rng.sample(actors, rng.choice([0, 0, 2]))),
            min_fatalities=rng.choice([0, 0, 1, 10]),
        )
        mask = view.selection(prepared, state)
        shown = view.compute(prepared, state, mask=mask)
        expected, _ = filters.apply(state, index)
        located = expected["latitude"].notna()
        assert shown.count == int(located.sum())
        assert _ids(prepared, shown.rows) == set(expected.loc[located, "event_id"])
        assert _ids(prepared, shown.unlocated) == set(expected.loc[~located, "event_id"])
        seen.append(shown.count)
    assert sum(c > 0 for c in seen) > 20 and max(seen) > 1000  # the states select something


def test_text_search_covers_notes_places_actors_and_quotes(seed_frame):
    prepared = dataset.prepare(from_frame(seed_frame))
    span = prepared.span
    for text in ("EMBASSY", "Kata'ib", "K-1", "no such words anywhere"):
        state = filters.FilterState(start=span[0], end=span[1], text=text)
        shown = view.compute(prepared, state, mask=view.selection(prepared, state))
        expected, _ = filters.apply(state, TimeIndex(seed_frame))
        assert _ids(prepared, shown.rows) == set(expected["event_id"]), text


def test_no_filter_means_no_selection_file_and_a_filter_means_one(seed_frame):
    prepared = dataset.prepare(from_frame(seed_frame))
    span = prepared.span
    assert view.selection(prepared, filters.FilterState(start=span[0], end=span[1])) is None
    state = filters.FilterState(start=span[0], end=span[1], min_fatalities=2)
    mask = view.selection(prepared, state)
    url = view.publish_selection(mask)
    assert url.startswith("/app/static/cache/") and int(mask.sum()) == 2
    assert view.compute(prepared, state, mask=mask, mask_url=url).step["selection"] == url


def test_events_without_a_point_or_a_date_are_counted_apart(seed_frame):
    frame = seed_frame.copy()
    frame.loc[0, ["latitude", "longitude"]] = np.nan
    frame.loc[0, "geometry"] = None
    table = from_frame(frame)
    prepared = dataset.prepare(table)
    span = prepared.span
    shown = view.compute(prepared, filters.FilterState(start=span[0], end=span[1]))
    assert (shown.count, len(shown.unlocated)) == (17, 1)


def test_table_page_is_bounded_and_in_date_order(synthetic):
    prepared = dataset.prepare(synthetic[0])
    span = prepared.span
    shown = view.compute(prepared, filters.FilterState(start=span[0], end=span[1]))
    page = view.table_page(prepared, shown.rows, limit=100)
    assert len(page) == 100 and page["event_date"].is_monotonic_increasing
    assert list(page.columns) == list(view.TABLE_COLUMNS)


def test_a_click_names_a_valid_row_or_nothing(seed_frame):
    prepared = dataset.prepare(from_frame(seed_frame))
    assert view.picked_row(prepared, {"last_object_clicked_tooltip": "events:3"}) == 3
    for bad in ("events:18", "events:-1", "events:x", "candidates:1", "", None):
        assert view.picked_row(prepared, {"last_object_clicked_tooltip": bad}) is None
    assert view.picked_row(prepared, None) is None
    assert (
        view.picked_row(prepared, {"last_object_clicked_tooltip": "candidates:2"}, "candidates")
        == 2
    )
    assert view.details(prepared, 3)["sources"][0]["quote"]


def test_type_mask_bits():
    assert view.type_mask(()) == 2 ** len(TYPE_NAMES) - 1
    assert view.type_mask(("Battles", "Riots")) == 1 | 1 << TYPE_NAMES.index("Riots")


def test_table_notes_are_cut_and_marked_but_details_keep_them(seed_frame):
    prepared = dataset.prepare(from_frame(seed_frame))
    rows = np.arange(prepared.n)
    page = view.table_page(prepared, rows, limit=18)
    full = prepared.table["notes"].to_pylist()
    for cut, whole, row in zip(page["notes"], full, rows, strict=True):
        if len(whole) > view.NOTES_IN_TABLE:
            assert len(cut) == view.NOTES_IN_TABLE and cut.endswith("…")
            assert whole.startswith(cut[:-1]) and view.details(prepared, row)["notes"] == whole
        else:
            assert cut == whole
    assert any(len(n) > view.NOTES_IN_TABLE for n in full)
    assert page["actor2"].isna().sum() == 0 and (page["actor2"] == "").any()  # empty, not None
    assert page["fatalities"].isna().any()  # numbers not reported stay empty (not 0)


def test_the_caches_keep_the_newest_datasets_under_their_limit(seed_frame, tmp_path):
    import os

    keys = []
    for k in range(3):
        frame = seed_frame.copy()
        frame.loc[0, "notes"] = f"version {k}"
        keys.append(dataset.prepare(from_frame(frame)).key)
    static, store = tmp_path / "static", tmp_path / "store"
    for age, key in zip((3, 2, 1), keys, strict=True):  # hours ago: the first is the oldest
        for path in [*static.glob(f"{key}*"), *store.glob(f"{key}*")]:
            os.utime(path, (0, dataset.time.time() - age * 3600))
    one = sum(dataset._size(p) for p in [*static.glob(f"{keys[0]}*"), *store.glob(f"{keys[0]}*")])
    deleted = dataset.prune_cache(keys[2], limit=2 * one + one // 2)
    assert {p.name[:16] for p in deleted} == {keys[0]}
    assert not list(static.glob(f"{keys[0]}*")) and list(static.glob(f"{keys[1]}*"))
    assert list(static.glob("*countries*")) == []  # only dataset files are ever touched
    assert dataset.prune_cache(keys[2], limit=0, grace=3600) != []  # keys[1] is 2 h old
    assert list(static.glob(f"{keys[2]}*")), "the dataset in use is never deleted"


def test_a_file_prepared_once_is_read_back_from_its_store_until_it_changes(
    seed_frame, tmp_path, monkeypatch
):
    import os

    from eventmap import table as table_module
    from eventmap.export import write_events

    path = write_events(seed_frame, tmp_path / "events.parquet")
    first, label = dataset.load(path)
    assert label == "events.parquet"
    reads = []
    monkeypatch.setattr(
        dataset, "read_events", lambda p: reads.append(p) or (table_module.read_table(p), None)
    )
    again, _ = dataset.load(path)
    assert (again.key, reads) == (first.key, [])  # from the Arrow store, not the file
    assert again.table["event_id"].to_pylist() == first.table["event_id"].to_pylist()
    changed = seed_frame.iloc[:5]
    write_events(changed, path)
    os.utime(path, ns=(1, 1))
    third, _ = dataset.load(path)
    assert third.key != first.key and third.n == 5 and reads == [path]
