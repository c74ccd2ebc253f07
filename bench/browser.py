"""The issue's bars in a real browser: page open, slider step, websocket bytes, server memory.

`python -m bench.browser` (part of `make bench`): headless Debian chromium driven by
Playwright, launched as the browser tests launch it (tests/e2e/conftest.py: CHROMIUM_ARGS and
every non-local request sent to a dead proxy), against `streamlit run app.py` servers this
module starts and always stops. Data: `eventmap synth` output at 10k, 100k and 1M events
(bench.common.synth_path, cached in data/bench/).

Per size, on a warm server (one page opened and drawn first, so the dataset is prepared):

- page open: a NEW browser context each time, navigation start (the page's
  performance.timeOrigin) to the first "eventmap-drawn" mark of the map's iframe whose
  eventmapStats show the URL's 30-day window (?start=...&end=...); bar <= 3 s at 1M.
- slider step: the end handle of "Dates" moved with ArrowRight / ArrowLeft alternately;
  from the keydown's timestamp in the page (a capture listener on document) to the first
  "eventmap-drawn" mark after it whose window is the page's new count line; the drawn count
  (eventmapStats.visible) must equal the page's "N events"; bar <= 0.3 s median at 1M.
- websocket bytes per step: every frame the page receives from the keydown until the rerun's
  script_finished (and 0.5 s of quiet after it), split by what the ForwardMsg carries (the
  table, the timeline chart, the map component, the rest); bar <= 20 KB median at 1M.
- server RSS (VmRSS from /proc, children included) with 1, 2 and 3 sessions open and drawn;
  bars <= 1.5 GB with two, the third <= +50 MB, at 1M.

Baseline: the code before the rebuild (commit ebc9ca9), checked out in a git worktree
(/tmp/eventmap-baseline, with a copy of static/vendor, removed at the end) and measured in the
same run at 10k and 100k; its map marks "eventmap-markers" when its markers are drawn. At 1M
it is not run (see BASELINE_SKIPPED). EVENTMAP_BENCH_BASELINE=0 skips it; --sizes, --opens and
--steps narrow a run.

A profile of the page open at each size follows: milestones from navigation start (the first
websocket message, the first script run finished, the map iframe created, the events file
fetched, the first draw) and, re-run inside the drawn map, the cost of each stage of the
map's start (fetch from cache, inflate, decode, projection where the browser does one, GPU
upload, one draw).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .common import (
    ROOT,
    SIZES,
    StreamlitServer,
    cache_dir,
    load_average,
    median,
    summary_row,
    synth_path,
)

CHROMIUM = Path(os.environ.get("EVENTMAP_CHROMIUM", "/usr/bin/chromium"))
BASELINE_COMMIT = "ebc9ca9"
BASELINE_DIR = Path("/tmp/eventmap-baseline")
BASELINE_SIZES = (10_000, 100_000)
BASELINE_SKIPPED = (
    "not run (infeasible; extrapolate from 10k and 100k): its first load builds a "
    "GeoDataFrame and every event's popup HTML in Python and publishes them as one JSON file "
    "that every browser downloads whole, both linear in the events"
)
# A 30-day window inside the synthetic data (2018-01-01 .. 2023-12-31), and its end stepped.
START, END = dt.date(2021, 6, 1), dt.date(2021, 6, 30)
OPEN_BAR_S, STEP_BAR_S, WS_BAR_KB = 3.0, 0.3, 20.0
RSS_TWO_BAR_MB, RSS_THIRD_BAR_MB = 1500.0, 50.0
COUNT = re.compile(r"([\d,]+) events? · (\d{4}-\d\d-\d\d) → (\d{4}-\d\d-\d\d)")
LOCAL = ("http://localhost", "http://127.0.0.1", "data:", "blob:", "about:")
KB = 1000.0
MB = 1e6
DRAWN = ("eventmap-drawn", "eventmap-markers")  # the new map's mark, the old one's
RSS_KEYS = ("VmRSS", "RssAnon")

# Installed in every frame before its own scripts: records each of the map's marks
# ("eventmap-drawn" after every draw, "eventmap-markers" in the old code, and the steps of its
# start: fetched, projected, uploaded) with the stats of that moment (synchronously, before
# another draw can change them), the page's keydowns (capture, on document) and each
# websocket message's time and size.
RECORDER = r"""
(() => {
  if (window.__bench) { return; }
  const bench = window.__bench = {marks: [], keys: [], ws: []};
  const now = () => performance.timeOrigin + performance.now();
  const mark = performance.mark.bind(performance);
  performance.mark = function (name, options) {
    const entry = mark(name, options);
    if (String(name).startsWith("eventmap-")) {
      let stats = null;
      try { stats = JSON.parse(JSON.stringify(window.eventmapStats || null)); } catch (e) {}
      bench.marks.push({name: name, t: performance.timeOrigin + entry.startTime, stats: stats});
    }
    return entry;
  };
  document.addEventListener("keydown", (e) => {
    bench.keys.push({key: e.key, t: performance.timeOrigin + e.timeStamp});
  }, true);
  const size = (d) => d.byteLength !== undefined ? d.byteLength
    : (d.size !== undefined ? d.size : String(d).length);
  const Native = window.WebSocket;
  if (!Native) { return; }
  function Recorded(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    ws.addEventListener("message", (e) => bench.ws.push({dir: "in", t: now(), size: size(e.data)}));
    const send = ws.send;
    ws.send = function (data) {
      bench.ws.push({dir: "out", t: now(), size: size(data)});
      return send.call(ws, data);
    };
    return ws;
  }
  Recorded.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach((k) => { Recorded[k] = Native[k]; });
  window.WebSocket = Recorded;
})();
"""

# Run inside a drawn map (new code): each stage of the layer's start again, timed.
PROFILE = r"""
async () => {
  const layer = eventmap.layer, set = layer.sets.events, cfg = layer.config.events;
  const core = eventmap.core, out = {n: cfg.n};
  const ms = (t) => Math.round((performance.now() - t) * 10) / 10;
  let t = performance.now();
  const gz = await (await fetch(cfg.data)).arrayBuffer();
  out.fetch_ms = ms(t); out.gz_bytes = gz.byteLength;
  t = performance.now();
  const raw = await new Response(
    new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  out.inflate_ms = ms(t); out.raw_bytes = raw.byteLength;
  t = performance.now();
  const data = core.decode(raw, cfg.n);
  out.decode_ms = ms(t);
  if (data.lon && core.mercator) {  // a layout that projects in the browser
    t = performance.now();
    const wx = new Float32Array(cfg.n), wy = new Float32Array(cfg.n);
    for (let i = 0; i < cfg.n; i++) {
      const p = core.mercator(data.lon[i], data.lat[i]); wx[i] = p[0]; wy[i] = p[1];
    }
    out.project_ms = ms(t);
  } else {
    out.project_ms = 0;
  }
  const gl = layer.gl;
  if (gl && layer._upload) {
    const before = set.buffers;
    t = performance.now();
    layer._upload(set);
    gl.finish();
    out.upload_ms = ms(t);
    const made = set.buffers;
    set.buffers = before;
    Object.values(made || {}).forEach((b) => { if (b && b[0]) { gl.deleteBuffer(b[0]); } });
  }
  t = performance.now();
  layer.draw();
  if (gl) { gl.finish(); }
  out.draw_ms = ms(t);
  t = performance.now();
  core.visible(set.data, cfg.longest, set.window.d0, set.window.d1, set.window.mask,
               set.selection);
  out.window_ms = ms(t);
  return out;
}
"""

# The page's and the map iframe's milestones of one open, in epoch ms.
MILESTONES = r"""
() => {
  const bin = performance.getEntriesByType("resource")
    .filter((e) => /events[^/]*\.bin\.gz|details\.json/.test(e.name))[0];
  const at = (v) => bin && v ? performance.timeOrigin + v : null;
  return {
    origin: performance.timeOrigin,
    bin_start: at(bin && bin.startTime), bin_end: at(bin && bin.responseEnd),
    bin_bytes: bin ? bin.encodedBodySize || bin.transferSize : null,
    scripts: performance.getEntriesByType("resource")
      .filter((e) => /leaflet|eventmap/.test(e.name) && e.initiatorType === "script")
      .reduce((last, e) => Math.max(last, performance.timeOrigin + e.responseEnd), 0) || null,
  };
}
"""


# --- servers -------------------------------------------------------------------------------------


class Server(StreamlitServer):
    """The app under measurement (StreamlitServer), and its memory."""

    def rss_mb(self) -> tuple[float, float]:
        """VmRSS and RssAnon (heap: not file pages) of the server and all its descendants,
        in MB (decimal): the median of 3 samples half a second apart."""
        samples = []
        for k in range(3):
            if k:
                time.sleep(0.5)
            pids = _tree(self.process.pid)
            samples.append(
                tuple(sum(_status_kb(pid, key) for pid in pids) * 1024 / MB for key in RSS_KEYS)
            )
        return median(s[0] for s in samples), median(s[1] for s in samples)


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo.extend(int(child) for child in task.read_text().split())
    return pids


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- the baseline checkout -------------------------------------------------------------------


_HELD = [0]  # nesting depth of baseline_worktree


@contextlib.contextmanager
def baseline_worktree(enabled: bool = True) -> Iterator[Path | None]:
    """ebc9ca9 in a detached worktree at BASELINE_DIR, with a copy of our static/vendor (the
    Leaflet files); removed when the outermost `with` ends, failure or not."""
    if not enabled:
        yield None
        return
    if _HELD[0] == 0:
        if BASELINE_DIR.exists():
            remove_baseline()
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(BASELINE_DIR), BASELINE_COMMIT],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        # A copy, not a link: Streamlit's static handler refuses files outside its folder.
        shutil.copytree(ROOT / "static" / "vendor", BASELINE_DIR / "static" / "vendor")
    _HELD[0] += 1
    try:
        yield BASELINE_DIR
    finally:
        _HELD[0] -= 1
        if _HELD[0] == 0:
            remove_baseline()


def remove_baseline() -> None:
    subprocess.run(
        ["git", "worktree", "remove", "--force", str(BASELINE_DIR)],
        cwd=ROOT,
        capture_output=True,
    )
    shutil.rmtree(BASELINE_DIR, ignore_errors=True)
    subprocess.run(["git", "worktree", "prune"], cwd=ROOT, capture_output=True)


def baseline_reads(data: Path) -> str:
    """Check that the old code (its own read_events, via the old read_store) reads `data`."""
    code = (
        "import sys, eventmap; from eventmap.export import read_events; "
        "f = read_events(sys.argv[1]); print(eventmap.__file__, len(f))"
    )
    answer = subprocess.run(
        [sys.executable, "-c", code, str(data)],
        cwd=BASELINE_DIR,
        env={**os.environ, "PYTHONPATH": baseline_path()},
        capture_output=True,
        text=True,
        check=True,
    )
    return answer.stdout.strip()


def baseline_path() -> str:
    return f"{BASELINE_DIR / 'src'}:{BASELINE_DIR}"


# --- the browser -----------------------------------------------------------------------------


def launch(playwright, dead_proxy: str):
    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    try:
        from conftest import CHROMIUM_ARGS  # the browser tests' own launch arguments
    finally:
        sys.path.pop(0)
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, dead_proxy]
    )


@dataclass
class Wire:
    """The websocket frames of one page, as Playwright sees them (payloads, in order)."""

    received: list[bytes] = field(default_factory=list)
    sent: list[bytes] = field(default_factory=list)

    def attach(self, page) -> None:
        def on_socket(ws) -> None:
            ws.on("framereceived", lambda payload: self.received.append(_bytes(payload)))
            ws.on("framesent", lambda payload: self.sent.append(_bytes(payload)))

        page.on("websocket", on_socket)


def _bytes(payload: str | bytes) -> bytes:
    return payload if isinstance(payload, bytes) else payload.encode("utf-8")


def classify(payload: bytes) -> str:
    """What a ForwardMsg carries: table, timeline, map, script_finished, ...; 'ref' for a
    message Streamlit replaced by the hash of one the browser already has."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    try:
        msg = ForwardMsg.FromString(payload)
    except Exception:  # noqa: BLE001 (not a ForwardMsg: count it apart)
        return "unparsed"
    kind = msg.WhichOneof("type") or "empty"
    if kind == "ref_hash":
        return "ref"
    if kind != "delta":
        return kind
    delta = msg.delta
    if delta.WhichOneof("type") != "new_element":
        return f"delta.{delta.WhichOneof('type')}"
    element = delta.new_element.WhichOneof("type")
    if element == "html" and "eventmap-window" in delta.new_element.html.body:
        return "timeline"  # the window strip under the chart
    return {
        "dataframe": "table",
        "arrow_data_frame": "table",
        "vega_lite_chart": "timeline",
        "arrow_vega_lite_chart": "timeline",
        "component_instance": "map",
    }.get(element, "other")


def _parts(payloads: list[bytes]) -> dict[str, int]:
    parts: dict[str, int] = {}
    for payload in payloads:
        kind = classify(payload)
        parts[kind] = parts.get(kind, 0) + len(payload)
    return parts


class Session:
    """One browser context with one page: its recorder, its websocket frames, its map."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.add_init_script(RECORDER)
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context.on(
            "request",
            lambda r: None if r.url.startswith(LOCAL) else self.blocked.append(r.url),
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.wire = Wire()
        self.wire.attach(self.page)
        self.frame = None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.context.close()

    def wait(self, seconds: float) -> None:
        """Sleep while letting Playwright deliver its events (frames, errors)."""
        self.page.wait_for_timeout(seconds * 1000)

    def count_line(self) -> tuple[int, str, str] | None:
        try:
            texts = self.page.get_by_text(COUNT).all_inner_texts()
        except Exception:  # noqa: BLE001 (the page is rerunning)
            return None
        for text in texts:
            found = COUNT.search(text)
            if found:
                number, start, end = found.groups()
                return int(number.replace(",", "")), start, end
        return None

    def marks(self, every: bool = False) -> list[dict]:
        """The map's draw marks (every mark of ours when `every`), oldest first."""
        if self.frame is None and not self.find_map():
            return []
        try:
            marks = self.frame.evaluate("() => window.__bench.marks")
        except Exception:  # noqa: BLE001 (the frame is being replaced)
            self.frame = None
            return []
        return marks if every else [m for m in marks if m["name"] in DRAWN]

    def find_map(self) -> bool:
        for frame in self.page.frames:
            if frame == self.page.main_frame:
                continue
            with contextlib.suppress(Exception):
                found = "() => Boolean(window.eventmap || window.eventmapShowWindow)"
                if frame.evaluate(found):
                    self.frame = frame
                    return True
        return False


def first_draw(session: Session, start: str, end: str, *, old: bool, timeout: float) -> dict:
    """Wait for the map's first draw of [start, end]; that mark (epoch ms, stats)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if session.frame is not None or session.find_map():
            for mark in session.marks():
                stats = mark["stats"] or {}
                if old or (stats.get("ready") and (stats["start"], stats["end"]) == (start, end)):
                    return mark
        session.wait(0.05)
    shot = cache_dir() / "bench-fail.png"
    with contextlib.suppress(Exception):
        session.page.screenshot(path=str(shot), full_page=True)
    raise RuntimeError(
        f"the map did not draw {start}..{end} within {timeout:.0f} s "
        f"(errors {session.errors[:3]}, screenshot {shot})"
    )


def settle(session: Session, *, old: bool, timeout: float = 60.0) -> tuple[int, str, str]:
    """Wait until the page's count line is there and (new code) the map drew that window with
    that count; the count line."""
    deadline = time.monotonic() + timeout
    line = None
    while time.monotonic() < deadline:
        line = session.count_line()
        if line and old:
            return line
        if line:
            marks = session.marks()
            stats = marks[-1]["stats"] if marks else None
            if stats and (stats["visible"], stats["start"], stats["end"]) == line:
                return line
        session.wait(0.05)
    marks = session.marks()
    raise RuntimeError(f"map {marks[-1]['stats'] if marks else None} != page {line}")


def script_finished(payloads: list[bytes]) -> int | None:
    """Index of the first script_finished ForwardMsg in payloads."""
    for i, payload in enumerate(payloads):
        if classify(payload) == "script_finished":
            return i
    return None


def wait_idle(session: Session, since: int, timeout: float = 60.0, quiet: float = 0.5) -> int:
    """Wait for a script_finished among the frames received from index `since` on, then for
    `quiet` seconds without a frame; the index of that script_finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = script_finished(session.wire.received[since:])
        if done is not None:
            count = len(session.wire.received)
            session.wait(quiet)
            if len(session.wire.received) == count:
                return since + done
        else:
            session.wait(0.05)
    raise RuntimeError("the page's rerun did not finish")


# --- one page open ---------------------------------------------------------------------------


@dataclass
class Open:
    seconds: float
    count: int
    milestones: dict[str, float | None]
    ws_in_bytes: int
    bin_bytes: int | None
    parts: dict[str, int]
    runs: int  # script runs finished while opening


def open_page(browser, url: str, *, old: bool, timeout: float = 90.0, keep: bool = False):
    """Open url in a new context; the Open, and the Session when `keep` (else closed)."""
    session = Session(browser)
    try:
        session.page.goto(url, wait_until="commit")
        start, end = START.isoformat(), END.isoformat()
        mark = first_draw(session, start, end, old=old, timeout=timeout)
        line = settle(session, old=old)
        page_origin = session.page.evaluate("() => performance.timeOrigin")
        idle = wait_idle(session, 0)
        ws = session.page.evaluate("() => window.__bench.ws")
        received = [m for m in ws if m["dir"] == "in"]
        first_done = received[idle]["t"] if idle < len(received) else None
        frame = session.frame.evaluate(MILESTONES)
        first = {}
        for one in session.marks(every=True):
            first.setdefault(one["name"], one["t"])
        since = {
            "first websocket message": received[0]["t"] if received else None,
            "first script run finished": first_done,
            "map iframe created": frame["origin"],
            "map scripts loaded": frame["scripts"],
            "data file requested": frame["bin_start"],
            "data file received": frame["bin_end"],
            "fetched (inflated)": first.get("eventmap-fetched"),
            "projected": first.get("eventmap-projected"),
            "uploaded": first.get("eventmap-uploaded"),
            "first draw": mark["t"],
        }
        milestones = {k: (v - page_origin) / 1e3 if v else None for k, v in since.items()}
        if not old:
            stats = mark["stats"]
            if stats["visible"] != line[0] and line[1:] == (start, end):
                raise RuntimeError(f"first draw {stats} but the page counts {line}")
        result = Open(
            seconds=(mark["t"] - page_origin) / 1e3,
            count=line[0],
            milestones=milestones,
            ws_in_bytes=sum(len(p) for p in session.wire.received),
            bin_bytes=frame["bin_bytes"],
            parts=_parts(session.wire.received),
            runs=sum(classify(p) == "script_finished" for p in session.wire.received),
        )
        if session.blocked:
            raise RuntimeError(f"requests left localhost: {session.blocked[:3]}")
        return (result, session) if keep else (result, None)
    finally:
        if not keep:
            session.close()


# --- one slider step -------------------------------------------------------------------------


@dataclass
class Step:
    seconds: float | None  # keydown -> the map drawn with the new window
    to_send: float | None  # keydown -> the rerun request leaves the page
    to_finish: float | None  # keydown -> script_finished received
    received: int  # websocket bytes received
    received_frames: int
    sent: int
    sent_frames: int
    parts: dict[str, int]  # received bytes by what they carry
    visible_ok: bool | None


def step(session: Session, key: str, *, old: bool, thumb: int = 1) -> Step:
    """Press `key` on the "Dates" slider's handle `thumb` (1: the end) and time it."""
    page = session.page
    before = session.count_line()
    session.wait(0.3)  # let every earlier frame be delivered before counting
    base_in, base_out = len(session.wire.received), len(session.wire.sent)
    keys_before = len(page.evaluate("() => window.__bench.keys"))
    ws_before = len(page.evaluate("() => window.__bench.ws"))
    page.get_by_role("slider").nth(thumb).focus()
    page.keyboard.press(key)
    deadline = time.monotonic() + 60
    line = before
    while line == before or line is None:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the count line did not follow {key} (still {before})")
        session.wait(0.03)
        line = session.count_line()
    keydown = page.evaluate("() => window.__bench.keys")[keys_before]["t"]
    drawn, visible_ok, finished_at = None, None, None
    while time.monotonic() < deadline and drawn is None:
        # The old map redraws only when its markers change: a day without a new located event
        # draws nothing, so give up 2 s after the rerun finished.
        if finished_at is None and script_finished(session.wire.received[base_in:]) is not None:
            finished_at = time.monotonic()
        if finished_at is not None and time.monotonic() > finished_at + 2.0:
            break
        for mark in session.marks():
            if mark["t"] < keydown:
                continue
            stats = mark["stats"] or {}
            if old:
                drawn = mark
                break
            if (stats.get("start"), stats.get("end")) == line[1:]:
                drawn, visible_ok = mark, stats["visible"] == line[0]
                break
        if drawn is None:
            session.wait(0.02)
            line = session.count_line() or line
    idle = wait_idle(session, base_in)
    ws = page.evaluate("() => window.__bench.ws")[ws_before:]
    sent_at = next((m["t"] for m in ws if m["dir"] == "out"), None)
    received_at = [m["t"] for m in ws if m["dir"] == "in"]
    done = idle - base_in
    received = session.wire.received[base_in:]
    sent = session.wire.sent[base_out:]
    parts = _parts(received)
    return Step(
        seconds=(drawn["t"] - keydown) / 1e3 if drawn else None,
        to_send=(sent_at - keydown) / 1e3 if sent_at else None,
        to_finish=(received_at[done] - keydown) / 1e3 if done < len(received_at) else None,
        received=sum(len(p) for p in received),
        received_frames=len(received),
        sent=sum(len(p) for p in sent),
        sent_frames=len(sent),
        parts=parts,
        visible_ok=visible_ok,
    )


# --- a size, end to end ----------------------------------------------------------------------


@dataclass
class SizeResult:
    n: int
    code: str  # "new" or "old"
    opens: list[Open] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)  # alternating: each window seen before
    fresh: list[Step] = field(default_factory=list)  # one way: each window new to the page
    starts: list[Step] = field(default_factory=list)  # the start handle: the table changes
    rss: list[float] = field(default_factory=list)  # MB: warm, then 1, 2, 3 sessions open
    anon: list[float] = field(default_factory=list)  # the same, RssAnon only (no file pages)
    profile: dict[str, Any] | None = None
    warmup_s: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def open_s(self) -> float | None:
        return median(o.seconds for o in self.opens)

    @property
    def step_s(self) -> float | None:
        return median(s.seconds for s in self.steps)

    def kb(
        self, fresh: bool = True, part: str | None = None, which: str | None = None
    ) -> float | None:
        """Median websocket bytes received per step (of `part` only), in KB."""
        steps = getattr(self, which) if which else (self.fresh if fresh else self.steps)
        if not steps:
            return None
        return median(s.parts.get(part, 0) if part else s.received for s in steps) / KB

    @property
    def rss_two(self) -> float | None:
        return self.rss[2] if len(self.rss) > 2 else None

    @property
    def rss_third(self) -> float | None:
        return self.rss[3] - self.rss[2] if len(self.rss) > 3 else None


def measure(
    browser,
    server: Server,
    n: int,
    *,
    old: bool,
    opens: int,
    steps: int,
    fresh: int,
    starts: int = 0,
    sessions: int = 3,
) -> SizeResult:
    result = SizeResult(n=n, code="old" if old else "new")
    url = f"{server.url}/?start={START.isoformat()}&end={END.isoformat()}"
    start = time.perf_counter()
    open_page(browser, url, old=old, timeout=600)  # warm-up: the server prepares the data
    result.warmup_s = time.perf_counter() - start
    # Memory first (before the opens leave closed sessions behind): sessions opened one after
    # another and kept open.
    time.sleep(1.0)
    _sample(result, server)
    kept: list[Session] = []
    try:
        for _ in range(sessions):
            kept.append(open_page(browser, url, old=old, keep=True)[1])
            time.sleep(1.0)
            _sample(result, server)
    finally:
        for one in kept:
            one.close()
    for _ in range(opens):
        result.opens.append(open_page(browser, url, old=old)[0])
    opened, session = open_page(browser, url, old=old, keep=True)
    try:
        for k in range(steps):
            result.steps.append(step(session, "ArrowRight" if k % 2 == 0 else "ArrowLeft", old=old))
        for _ in range(fresh):  # the end moves on: a window this page has never shown
            result.fresh.append(step(session, "ArrowRight", old=old))
        for _ in range(starts):  # the start moves on: the table's first rows change too
            result.starts.append(step(session, "ArrowRight", old=old, thumb=0))
        if not old:
            settle(session, old=old)
            result.profile = session.frame.evaluate(PROFILE)
        if session.errors:
            result.notes.append(f"page errors: {session.errors[:2]}")
    finally:
        session.close()
    return result


def _sample(result: SizeResult, server: Server) -> None:
    rss, anon = server.rss_mb()
    result.rss.append(rss)
    result.anon.append(anon)


def run_size(
    browser,
    n: int,
    data: Path,
    *,
    old: bool,
    opens: int,
    steps: int,
    fresh: int,
    starts: int = 0,
    logs: Path,
) -> SizeResult:
    app = (BASELINE_DIR if old else ROOT) / "app.py"
    server = Server(
        data,
        logs / f"streamlit-{'old' if old else 'new'}-{n}.log",
        app=app,
        pythonpath=baseline_path() if old else None,
    )
    try:
        return measure(
            browser, server, n, old=old, opens=opens, steps=steps, fresh=fresh, starts=starts
        )
    finally:
        server.stop()


# --- printing --------------------------------------------------------------------------------


def _s(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _series(label: str, steps: list[Step]) -> None:
    if not steps:
        return
    each = ", ".join(_s(s.seconds) for s in steps)
    ok = [s.visible_ok for s in steps if s.visible_ok is not None]
    check = f"; drawn == page count in {sum(ok)}/{len(ok)}" if ok else ""
    print(
        f"    {label}: keydown → drawn median {_s(median(s.seconds for s in steps), 3)} s "
        f"of {len(steps)} [{each}]{check}"
    )
    print(
        f"      keydown → rerun request sent {_s(median(s.to_send for s in steps), 3)} s, "
        f"→ script_finished received {_s(median(s.to_finish for s in steps), 3)} s"
    )
    parts = sorted(
        {k for s in steps for k in s.parts}, key=lambda k: -max(s.parts.get(k, 0) for s in steps)
    )
    split = ", ".join(f"{k} {median(s.parts.get(k, 0) for s in steps) / KB:.1f}" for k in parts)
    print(
        f"      websocket received {median(s.received for s in steps) / KB:.1f} KB in "
        f"{median(s.received_frames for s in steps):.0f} frames ({split}); sent "
        f"{median(s.sent for s in steps) / KB:.2f} KB in "
        f"{median(s.sent_frames for s in steps):.0f} frame(s)"
    )


def report(result: SizeResult) -> None:
    """Every figure of one size, medians first, each run's value in brackets."""
    print(
        f"  {result.code} code, {result.n:,} events: warm-up (prepare + first open) "
        f"{_s(result.warmup_s, 1)} s; {START} → {END}: {result.opens[0].count:,} events drawn"
    )
    opens = ", ".join(f"{o.seconds:.2f}" for o in result.opens)
    print(f"    page open: median {_s(result.open_s)} s of {len(result.opens)} [{opens}]")
    names = list(result.opens[0].milestones)
    where = "; ".join(
        f"{name} {_s(median(o.milestones[name] for o in result.opens))}" for name in names
    )
    print(f"      s after navigation start: {where}")
    bin_bytes = median(o.bin_bytes for o in result.opens)
    kinds = sorted(
        {k for o in result.opens for k in o.parts}, key=lambda k: -result.opens[0].parts.get(k, 0)
    )
    split = ", ".join(
        f"{k} {median(o.parts.get(k, 0) for o in result.opens) / KB:.1f}" for k in kinds[:4]
    )
    print(
        f"      websocket received while opening "
        f"{median(o.ws_in_bytes for o in result.opens) / KB:.0f} KB ({split}, ...) in "
        f"{median(o.runs for o in result.opens):.0f} script run(s)"
        + (f"; data file {bin_bytes / MB:.2f} MB as sent" if bin_bytes else "")
    )
    if result.profile:
        p = result.profile
        stages = ", ".join(f"{k[:-3]} {p[k]:.0f}" for k in p if k.endswith("_ms"))
        print(
            f"      stages re-run in the drawn map, ms: {stages} "
            f"(file {p['gz_bytes'] / MB:.2f} MB gzipped, {p['raw_bytes'] / MB:.2f} MB inflated)"
        )
    _series("slider step, alternating (windows seen before)", result.steps)
    _series("slider step, end moving on (new windows)", result.fresh)
    _series("slider step, start moving on (new windows, new table rows)", result.starts)
    if result.rss:
        sessions = ", ".join(
            f"{k} open {v:.0f} MB ({a:.0f})"
            for k, (v, a) in enumerate(zip(result.rss, result.anon, strict=True))
            if k
        )
        print(
            f"    server VmRSS (RssAnon, i.e. less file pages such as the memory-mapped store): "
            f"warm, no page open {result.rss[0]:.0f} MB ({result.anon[0]:.0f}); {sessions}"
        )
    for note in result.notes:
        print(f"    note: {note}")


def summary_rows(new: dict[int, SizeResult], old: dict[int, SizeResult]) -> list[list[str]]:
    """Rows: what, 10k, 100k, 1M, bar, met?, baseline (old code), ratio."""

    def row(what, get, bar=None, bar_text="-", digits=2):
        values = {n: (get(new[n]) if n in new else None) for n in SIZES}
        base = {n: get(old[n]) for n in old}
        return summary_row(what, values, base, bar=bar, bar_text=bar_text, digits=digits)

    def steps_median(attr: str, fresh: bool = True):
        return lambda r: median(getattr(s, attr) for s in (r.fresh if fresh else r.steps))

    return [
        row("1. page open, s", lambda r: r.open_s, OPEN_BAR_S, f"<= {OPEN_BAR_S:g} s"),
        row(
            "2. slider step (alternating), s",
            steps_median("seconds", False),
            STEP_BAR_S,
            f"<= {STEP_BAR_S:g} s",
            3,
        ),
        row(
            "2b. slider step (new windows), s",
            steps_median("seconds"),
            STEP_BAR_S,
            f"<= {STEP_BAR_S:g} s",
            3,
        ),
        row(
            "3. ws received/step (new windows), KB",
            lambda r: r.kb(),
            WS_BAR_KB,
            f"<= {WS_BAR_KB:g} KB",
            1,
        ),
        row("   of which the table, KB", lambda r: r.kb(part="table"), digits=1),
        row("   of which the timeline, KB", lambda r: r.kb(part="timeline"), digits=1),
        row("   of which the map, KB", lambda r: r.kb(part="map"), digits=1),
        row(
            "3d. ws received/step, start handle, KB",
            lambda r: r.kb(part=None, which="starts"),
            digits=1,
        ),
        row("   of which the table, KB", lambda r: r.kb(part="table", which="starts"), digits=1),
        row(
            "3a. ws received/step (alternating), KB",
            lambda r: r.kb(fresh=False),
            WS_BAR_KB,
            f"<= {WS_BAR_KB:g} KB",
            1,
        ),
        row("3b. ws sent/step, KB", lambda r: (steps_median("sent")(r) or 0) / KB, digits=2),
        row(
            "3c. ws frames received per step",
            lambda r: steps_median("received_frames")(r),
            digits=0,
        ),
        row(
            "4. server RSS, 2 sessions, MB",
            lambda r: r.rss_two,
            RSS_TWO_BAR_MB,
            f"<= {RSS_TWO_BAR_MB:g} MB",
            0,
        ),
        row(
            "4b. 3rd session adds, MB",
            lambda r: r.rss_third,
            RSS_THIRD_BAR_MB,
            f"<= {RSS_THIRD_BAR_MB:g} MB",
            1,
        ),
        row("7. keydown → script_finished, s", steps_median("to_finish"), digits=3),
    ]


NOTES = (
    "steps: 'alternating' is the brief's ArrowRight/ArrowLeft on the end handle, so every "
    "window after the first two was shown before and Streamlit sends its unchanged chart and "
    "table as 75-byte references to messages the browser keeps; 'new windows' keeps moving "
    "the end on (what scrubbing does); 'start handle' moves the start, which also changes the "
    "table's first rows.",
    "old code: from 5,000 events its timeline raises MaxRowsError, which stops its script "
    "there, so its page has no chart and no table below the map: its open time and its bytes "
    "per step are those of a page with less on it.",
)


def print_table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *rows]:
        print("  " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


HEADER = ["what (median)", "10k", "100k", "1M", "bar (1M)", "met?", "baseline (old code)", "ratio"]


def run(
    sizes: tuple[int, ...] = SIZES,
    *,
    opens: int = 5,
    steps: int = 9,
    fresh: int = 5,
    baseline: bool = True,
    baseline_opens: int = 3,
    baseline_steps: int = 3,
) -> tuple[dict[int, SizeResult], dict[int, SizeResult]]:
    """Every size of the new code, then the baseline; results by size (new, old)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        print(f"browser: {CHROMIUM} is missing; nothing measured")
        return {}, {}
    logs = cache_dir() / "logs"
    logs.mkdir(exist_ok=True)
    files = {n: synth_path(n) for n in sizes}
    print(
        f"browser: headless chromium (SwiftShader WebGL), {load_average()}; "
        f"{opens} opens and {steps} steps per size (baseline {baseline_opens} and "
        f"{baseline_steps}); server logs in {logs}"
    )
    new: dict[int, SizeResult] = {}
    old: dict[int, SizeResult] = {}
    with socket.socket() as dead, sync_playwright() as playwright:
        dead.bind(("127.0.0.1", 0))
        browser = launch(playwright, f"--proxy-server=http://127.0.0.1:{dead.getsockname()[1]}")
        try:
            for n in sizes:
                new[n] = run_size(
                    browser,
                    n,
                    files[n],
                    old=False,
                    opens=opens,
                    steps=steps,
                    fresh=fresh,
                    starts=3,
                    logs=logs,
                )
                report(new[n])
            if baseline:
                with baseline_worktree():
                    base_sizes = [n for n in sizes if n in BASELINE_SIZES]
                    if base_sizes:
                        print(
                            f"  baseline {BASELINE_COMMIT}: {baseline_reads(files[base_sizes[0]])}"
                        )
                    for n in base_sizes:
                        old[n] = run_size(
                            browser,
                            n,
                            files[n],
                            old=True,
                            opens=baseline_opens,
                            steps=baseline_steps,
                            fresh=baseline_steps,
                            logs=logs,
                        )
                        report(old[n])
                    if 1_000_000 in sizes:
                        print(f"  baseline at 1,000,000: {BASELINE_SKIPPED}")
        finally:
            browser.close()
    return new, old


def main(argv: list[str] | None = None) -> tuple[dict, dict]:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--steps", type=int, default=9)
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        default=os.environ.get("EVENTMAP_BENCH_BASELINE") == "0",
    )
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    new, old = run(sizes, opens=args.opens, steps=args.steps, baseline=not args.no_baseline)
    if new:
        print()
        print("browser summary (medians; bars apply at 1M)")
        print_table(summary_rows(new, old), HEADER)
        for note in NOTES:
            print(f"  note: {note}")
    return new, old


if __name__ == "__main__":
    main()
