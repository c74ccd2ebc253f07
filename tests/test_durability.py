"""Durability (issue 9, item 5): a SIGKILL in the middle of `eventmap export` or `eventmap build`
leaves the previous output file byte for byte as it was, and readable.

Both commands write through `eventmap.store.atomic_path`: the new file is written under a
hidden temporary name beside the output, `.<name>.<random><suffix>`, and moved into place with
os.replace only once complete. The tests run the real command in a subprocess, catch it while
that temporary file is being written, stop it there (SIGSTOP, so the state can be checked
before anything moves on), then SIGKILL it.

- export: the run is caught by polling the temporary file until it has grown (the input is
  large enough for the write to take seconds).
- build: its write is a single short pyarrow call, too quick to catch by polling on a loaded
  machine, so the command is run with an audit hook that stops the process itself at each
  step of atomic_path (name reserved, data written but no footer yet, complete but not yet
  renamed). A second build test kills the plain command at several moments and checks the
  store is always either the old bytes or the complete new ones.

What a SIGKILL leaves behind: the hidden temporary file (for a GeoPackage, also its SQLite
`-journal` and GDAL's `.tmp_rtree_events.db`, named after it). Nothing removes it later; the
next run writes under a new random name. It does not disturb reading the output or its folder,
but it takes disk space (up to the size of a full export) until someone deletes it, and a CSV
cut at the end of a chunk of rows reads as a valid, shorter file if opened by its own name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.dataset as ds
import pytest
import yaml

from eventmap.errors import EventmapError
from eventmap.export import write_batches
from eventmap.pipeline import build_store
from eventmap.synth import write_synth
from eventmap.table import read_table

EVENTMAP = str(Path(sys.executable).with_name("eventmap"))
BIG = 400_000  # events in the export input: its export writes for seconds
OLD_EVENTS = 1_000  # the previous export
NEXT_EVENTS = 1_500  # the export after the killed one
TIMEOUT = 120.0  # seconds; generous, for a loaded 2-core machine


# --- helpers -------------------------------------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "EVENTMAP_ONLINE_GEOCODER"}
    env.update(extra)
    return env


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [EVENTMAP, *args], capture_output=True, text=True, env=env or _env(), timeout=TIMEOUT
    )
    assert done.returncode == 0, done.stderr
    return done


def _events_said(text: str) -> int:
    """The N of the command's "N events" line (digits may be grouped: 1,500)."""
    found = re.search(r"(\d[\d,]*) events", text)
    assert found, text
    return int(found.group(1).replace(",", ""))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _leftovers(out: Path) -> list[Path]:
    """atomic_path's temporary files for `out` (and anything a writer put beside them)."""
    return sorted(p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None


def _stop(proc: subprocess.Popen) -> bool:
    """SIGSTOP the child and wait until it is stopped; False if it exited first (then it is
    reaped here and proc.returncode set)."""
    os.kill(proc.pid, signal.SIGSTOP)
    _, status = os.waitpid(proc.pid, os.WUNTRACED)
    if os.WIFSTOPPED(status):
        return True
    proc.returncode = os.waitstatus_to_exitcode(status)
    return False


def _kill(proc: subprocess.Popen) -> int:
    os.kill(proc.pid, signal.SIGKILL)
    return proc.wait(timeout=TIMEOUT)


def _reap(proc: subprocess.Popen) -> None:
    """Never leave a child behind, whatever failed."""
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=TIMEOUT)


def _wait_for(condition: Callable[[], object], proc: subprocess.Popen, what: str) -> object:
    """Poll `condition` (every 5 ms) until it returns something true; None if the process
    ended first. Fails after TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        if proc.poll() is not None:
            return None
        time.sleep(0.005)
    pytest.fail(f"timed out waiting for {what}")


# --- export --------------------------------------------------------------------------------

FORMATS = ["geojson", "csv", "gpkg", "parquet"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export-inputs")
    paths = {
        "big": folder / "big.parquet",
        "old": folder / "old.parquet",
        "next": folder / "next.parquet",
    }
    write_synth(BIG, paths["big"], seed=0)
    write_synth(OLD_EVENTS, paths["old"], seed=1)
    write_synth(NEXT_EVENTS, paths["next"], seed=2)
    return paths


def _growing_temp(out: Path) -> Callable[[], Path | None]:
    """A condition: the main temporary file of `out` exists and has grown since last seen."""
    sizes: dict[Path, int] = {}

    def grown() -> Path | None:
        for tmp in _leftovers(out):
            if tmp.suffix != out.suffix:
                continue  # a GeoPackage's journal or R-tree helper, not the file itself
            size = _size(tmp)
            if size and tmp in sizes and size > sizes[tmp] > 0:
                return tmp
            if size is not None:
                sizes[tmp] = size
        return None

    return grown


def _kill_export_mid_write(big: Path, out: Path, log: Path) -> Path:
    """Start `eventmap export --data big -o out`, wait until its temporary file grows, stop it,
    check it is mid-write, SIGKILL it. Returns the temporary file it was writing."""
    old_hash = _sha256(out)
    with open(log, "wb") as stderr:
        proc = subprocess.Popen(
            [EVENTMAP, "export", "--data", str(big), "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=_env(),
            start_new_session=True,
        )
    try:
        tmp = _wait_for(_growing_temp(out), proc, "the export's temporary file to grow")
        stopped = tmp is not None and _stop(proc)
        if not stopped:  # it finished before it could be stopped: a loaded machine, or bug
            proc.wait(timeout=TIMEOUT)
            pytest.fail(
                f"export finished (exit {proc.returncode}) before it was caught mid-write; "
                f"make BIG larger. stderr: {log.read_text()[-2000:]}"
            )
        # Stopped: it is provably mid-write, the temporary file still there, OUT untouched.
        assert tmp.exists()
        assert _sha256(out) == old_hash
        assert _kill(proc) == -signal.SIGKILL
    finally:
        _reap(proc)
    return tmp


def _incomplete(tmp: Path, fmt: str) -> bool:
    """Whether a leftover temporary file is visibly a partial write."""
    data = tmp.read_bytes()
    if fmt == "geojson":
        return not data.endswith(b"\n]}\n")
    if fmt == "parquet":
        return not data.endswith(b"PAR1")
    if fmt == "csv":
        return data.count(b"\n") < BIG + 1  # header + one line an event
    return len(data) > 0  # a GeoPackage: an SQLite file with whatever pages were flushed


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_killed_mid_write_keeps_previous_file(inputs, tmp_path, fmt):
    folder = tmp_path / "out"  # only the output and what the writers leave beside it
    out = folder / f"events.{fmt}"
    # The previous good export (the same writer `eventmap export` calls).
    assert write_batches(read_table(inputs["old"]), out) == OLD_EVENTS
    old_hash, old_ids = _sha256(out), read_table(out).column("event_id").to_pylist()

    tmp = _kill_export_mid_write(inputs["big"], out, tmp_path / "export.log")

    # OUT is exactly its previous bytes, and eventmap reads the same events from it.
    assert _sha256(out) == old_hash
    assert read_table(out).column("event_id").to_pylist() == old_ids

    # SIGKILL leaves the partial temporary file behind (hidden, OUT's suffix); nothing
    # removes it. For a GeoPackage, SQLite's journal and GDAL's R-tree helper may be there too.
    leftovers = _leftovers(out)
    assert tmp in leftovers
    assert _incomplete(tmp, fmt)
    assert sorted(folder.iterdir()) == sorted([out, *leftovers])
    if fmt != "gpkg":
        assert leftovers == [tmp]
    # Read on its own, the leftover is refused with eventmap's error, or (a CSV cut at the end
    # of a chunk of rows; a GeoPackage between two transactions) read as a shorter file:
    # nothing but its hidden name says it is incomplete.
    try:
        rows = len(read_table(tmp))
    except EventmapError:
        rows = None
    assert rows is None or (fmt in ("csv", "gpkg") and rows < BIG)
    leftover_state = {p: _sha256(p) for p in _leftovers(out)}

    if fmt == "parquet":
        # The leftover keeps the .parquet suffix but is hidden: reading the folder as a
        # dataset (pyarrow skips names starting with ".") sees only OUT, and the command
        # reads OUT as before.
        assert ds.dataset(folder, format="parquet").files == [str(out)]
        assert ds.dataset(folder, format="parquet").count_rows() == OLD_EVENTS
        assert _events_said(_run("list", "--data", str(out)).stderr) == OLD_EVENTS

    # The next export to OUT still works beside the leftover, and replaces OUT whole ...
    done = _run("export", "--data", str(inputs["next"]), "-o", str(out))
    assert _events_said(done.stdout) == NEXT_EVENTS
    assert len(read_table(out)) == NEXT_EVENTS
    # ... and leaves the old leftover as it was: it is never cleaned up.
    assert {p: _sha256(p) for p in _leftovers(out)} == leftover_state


# --- build ---------------------------------------------------------------------------------

DOCUMENT = "doc.txt"
DOCUMENT_TEXT = (
    "Reports from Kirkuk said an armed clash broke out near the citadel on Monday.\n"
    "Residents of Kirkuk described heavy gunfire through the night.\n"
)
QUOTES = ["an armed clash broke out near the citadel", "heavy gunfire through the night"]
OLD_CATALOG_EVENTS = 20
NEW_CATALOG_EVENTS = 400


def _catalog(path: Path, prefix: str, n: int) -> Path:
    events = [
        {
            "event_id": f"{prefix}-{i:05d}",
            "event_date": f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "time_precision": 1,
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "actor1": f"Armed group {i % 17}",
            "location": "Kirkuk",
            "geo_precision": 1,
            "fatalities": i % 5,
            "notes": f"Clash number {i} near the citadel in Kirkuk, reported by residents.",
            "sources": [{"document": DOCUMENT, "quote": QUOTES[i % 2]}],
        }
        for i in range(n)
    ]
    path.write_text(yaml.safe_dump({"events": events}, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory, resolver):
    """A seeds folder with one document and two catalogs quoting it; the store each gives."""
    seeds = tmp_path_factory.mktemp("seeds")
    (seeds / DOCUMENT).write_text(DOCUMENT_TEXT, encoding="utf-8")
    old = _catalog(seeds / "old.yaml", "OLD", OLD_CATALOG_EVENTS)
    new = _catalog(seeds / "events.yaml", "NEW", NEW_CATALOG_EVENTS)
    stores = tmp_path_factory.mktemp("stores")
    old_store = build_store(stores / "old.parquet", catalog_path=old, resolver=resolver).path
    # The complete new store, by the real command run to the end (build is reproducible:
    # the same catalog gives the same bytes), and how long that run took.
    new_store = stores / "new.parquet"
    started = time.monotonic()
    done = _run("build", "--catalog", str(new), "-o", str(new_store), env=_build_env(seeds))
    seconds = time.monotonic() - started
    assert _events_said(done.stdout) == NEW_CATALOG_EVENTS
    return {
        "seeds": seeds,
        "new": new,
        "old_bytes": old_store.read_bytes(),
        "new_bytes": new_store.read_bytes(),
        "seconds": seconds,
    }


def _build_env(seeds: Path, store: Path | None = None) -> dict[str, str]:
    env = _env(EVENTMAP_SEEDS=str(seeds), EVENTMAP_GEOCODE_CACHE=str(seeds / "cache.json"))
    if store is not None:
        env["EVENTMAP_STORE"] = str(store)
    return env


def _old_store(catalogs, folder: Path) -> Path:
    folder.mkdir()
    store = folder / "events.parquet"
    store.write_bytes(catalogs["old_bytes"])
    return store


# `eventmap build`, stopping itself (SIGSTOP) at one step of atomic_path; argv: the step, a
# file to write that step and the temporary path to, then the command's own arguments.
PAUSING_BUILD = r"""
import os, signal, sys

step, report = sys.argv[1], sys.argv[2]
sys.argv[1:3] = []
sys.argv[0] = "eventmap"
temp = []

def pause(tmp):
    with open(report, "w") as f:
        f.write(f"{step}\n{tmp}\n")
    os.kill(os.getpid(), signal.SIGSTOP)  # the test SIGKILLs it here

def profile(frame, event, arg):
    # Rows written, file not closed: pyarrow writes the Parquet footer only on close.
    if event == "return" and frame.f_code.co_qualname == "ParquetWriter.write_table":
        pause(temp[0])

def audit(event, args):
    if event == "tempfile.mkstemp" and not temp:  # raised before mkstemp creates the file
        temp.append(args[0])
        if step == "writing":
            sys.setprofile(profile)
    elif event == "os.remove" and step == "reserved" and temp and str(args[0]) == temp[0]:
        pause(temp[0])  # mkstemp's empty file, about to be unlinked for the writer
    elif event == "os.rename" and step == "renaming" and temp and str(args[0]) == temp[0]:
        pause(temp[0])  # complete, about to be moved into place

sys.addaudithook(audit)
from eventmap.cli import main
main()
"""


@pytest.mark.parametrize("step", ["reserved", "writing", "renaming"])
def test_build_killed_mid_write_keeps_previous_store(catalogs, tmp_path, step):
    store = _old_store(catalogs, tmp_path / "store")
    report = tmp_path / "paused.txt"
    log = tmp_path / "build.log"
    with open(log, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-c", PAUSING_BUILD, step, str(report), "build"]
            + ["--catalog", str(catalogs["new"])],  # the store: EVENTMAP_STORE
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=_build_env(catalogs["seeds"], store),
            start_new_session=True,
        )
    try:
        _, status = os.waitpid(proc.pid, os.WUNTRACED)  # returns when it stops (or exits)
        if not os.WIFSTOPPED(status):
            proc.returncode = os.waitstatus_to_exitcode(status)
            pytest.fail(
                f"build exited ({proc.returncode}) without reaching step {step!r}: "
                f"{log.read_text()[-2000:]}"
            )
        reached, tmp = report.read_text().split("\n")[:2]
        tmp = Path(tmp)
        assert reached == step
        assert tmp.parent == store.parent and tmp.name.startswith(".events.parquet.")
        assert tmp.suffix == ".parquet"
        assert store.read_bytes() == catalogs["old_bytes"]  # while stopped, untouched
        assert _kill(proc) == -signal.SIGKILL
    finally:
        _reap(proc)

    # The store is its previous bytes and reads as before.
    assert store.read_bytes() == catalogs["old_bytes"]
    ids = read_table(store).column("event_id").to_pylist()
    assert len(ids) == OLD_CATALOG_EVENTS
    assert all(i.startswith("OLD-") for i in ids)

    # The leftover: an empty file, a Parquet file without its footer, or the complete new
    # store under the hidden name. Only the first two are a partial file; none is read.
    assert _leftovers(store) == [tmp]
    data = tmp.read_bytes()
    if step == "reserved":
        assert data == b""
    elif step == "writing":
        assert len(data) > 4 and not data.endswith(b"PAR1")
        with pytest.raises(EventmapError):
            read_table(tmp)
    else:
        assert data == catalogs["new_bytes"]
    assert ds.dataset(store.parent, format="parquet").files == [str(store)]


def test_build_killed_at_any_moment_leaves_old_or_new_store(catalogs, tmp_path):
    """The plain command, SIGKILLed at several moments of its run: the store is always either
    the old bytes or the complete new ones, never anything else; then a full build works
    beside the leftovers and gives the new store."""
    store = _old_store(catalogs, tmp_path / "store")
    env = _build_env(catalogs["seeds"], store)
    command = [EVENTMAP, "build", "--catalog", str(catalogs["new"])]
    outcomes = []
    # Fractions of a full run's time, then as soon as the temporary file is seen.
    for when in (0.1, 0.5, 0.85, "temp"):
        store.write_bytes(catalogs["old_bytes"])
        proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        try:
            if when == "temp":
                _wait_for(
                    lambda: any(p.suffix == ".parquet" for p in _leftovers(store)),
                    proc,
                    "the build's temporary file",
                )
            else:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=when * catalogs["seconds"])
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            returncode = proc.wait(timeout=TIMEOUT)
        finally:
            _reap(proc)
        data = store.read_bytes()
        assert data in (catalogs["old_bytes"], catalogs["new_bytes"]), (when, returncode)
        assert returncode in (0, -signal.SIGKILL)
        if returncode == 0:
            assert data == catalogs["new_bytes"]
        outcomes.append((when, returncode, "old" if data == catalogs["old_bytes"] else "new"))
    # At least one run was really interrupted before it finished, and left the old store.
    assert any(rc == -signal.SIGKILL and state == "old" for _, rc, state in outcomes), outcomes

    # Whatever was left behind, the next full build works and writes the new store.
    store.write_bytes(catalogs["old_bytes"])
    leftovers = _leftovers(store)
    _run("build", "--catalog", str(catalogs["new"]), env=env)
    assert store.read_bytes() == catalogs["new_bytes"]
    assert _leftovers(store) == leftovers  # not cleaned up
    assert len(read_table(store)) == NEW_CATALOG_EVENTS
