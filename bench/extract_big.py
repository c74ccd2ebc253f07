"""Benchmark: extract_events on a ~10 MB wire article, no sentence repeated.

Prints seconds and MB/s (median of 3 runs when one run is fast, else a single run).
"""

from __future__ import annotations

import statistics
import time

from eventmap.extract import extract_events

PARAGRAPHS = (
    "MOSUL, Iraq, March 3, 2021 (Wire) — Iraqi security forces clashed with ISIS fighters near "
    "Mosul on Monday, leaving {n} soldiers dead and {m} wounded, a military spokesman said.",
    "Separately, a roadside bomb struck convoy number {i} in Anbar province yesterday, killing "
    "{m} policemen. No group claimed responsibility for the attack.",
    "Officials said the coalition would keep advising Iraqi units from Erbil. Analysts warned "
    "that militants could regroup in the desert in the coming {n} months.",
    "About {i} people protested in Baghdad on Tuesday against power cuts, witnesses said.",
    "In Other News\nLoad More",
)


def build(target_bytes: int = 10 * 1024 * 1024) -> str:
    """Paragraphs repeated with changing numbers, so that no two sentences are the same."""
    blocks, size, i = [], 0, 0
    while size < target_bytes:
        block = "\n\n".join(p.format(i=i, n=i % 97 + 2, m=i % 13 + 1) for p in PARAGRAPHS)
        blocks.append(block + "\n\n")
        size += len(blocks[-1].encode("utf-8"))
        i += 1
    return "".join(blocks)


def main(target_bytes: int = 10 * 1024 * 1024) -> None:
    text = build(target_bytes)
    size_mb = len(text.encode("utf-8")) / 1e6
    start = time.perf_counter()
    # A town outside the curated list loads the whole gazetteer (towns, regions, airfields):
    # a once-per-process cost, reported apart from the extraction itself.
    extract_events("warm up: rockets hit Tikrit, Iraq on Monday.", published="2021-03-03")
    print(f"extract_big: gazetteer loaded in {time.perf_counter() - start:.1f} s")
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        events = extract_events(text, document="big.txt")
        timings.append(time.perf_counter() - start)
        if timings[-1] > 20:
            break
    seconds = statistics.median(timings)
    print(
        f"extract_big: {size_mb:.1f} MB, {len(events)} merged events, "
        f"{seconds:.2f} s ({len(timings)} run(s), median), {size_mb / seconds:.2f} MB/s"
    )


if __name__ == "__main__":
    main()
