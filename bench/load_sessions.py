"""Load (issue 9, item 6): 20 browser sessions scrub the same 100k-event server at once for a
minute. `python -m bench load` (or `make bench-load`); opt-in, not part of `make bench`.

One `streamlit run app.py` server (bench.browser.Server) on `eventmap synth` events (100k,
bench.common.synth_path, cached in data/bench/), warmed by one page opened and closed. Then ONE
headless Debian chromium (launched as bench.browser launches it: the browser tests' arguments,
every non-local request sent to a dead proxy) with 20 browser contexts, each its own Streamlit
session, driven concurrently by asyncio Playwright (the machine may have 2 cores: one browser,
not 20).

Session k opens the page with its own filters in the URL (the app reads them once from
st.query_params and mirrors them back): its own 30-day window (starting 5k days after
bench.browser.START), its own pair or triple of event types, and a minimum of fatalities
(0, 1, 2 or 5). All sessions then, for 60 s, press ArrowRight on the end handle of "Dates" and
wait for the step to finish: the map's "eventmap-drawn" mark (bench.browser.RECORDER) whose
eventmapStats show the new window, and the page's count line showing it. Step latency: the
keydown's time in the page to the later of the two (the count line is polled every 50 ms).

After every step each session checks:
- errors: the step finished within 30 s; no Streamlit exception or st.error element in the
  page; no uncaught page error; no request left localhost;
- filter mismatches: the URL's query is exactly its own filters with the new end
  (FilterState.to_query), the count line shows its own window with the count view.compute
  gives for its filters (computed in this process on the same prepared dataset), and the map
  drew that many events.

Server memory: VmRSS of the server process tree (bench.browser.Server.rss_mb) warm with no
page open (before), with every session open and drawn (connected), and after the minute
(end, sessions still open); per session: (end - before) / sessions.

Verdict: FAIL (exit status 1) when any error or filter mismatch occurred or the median step
is over 1 s. --sessions, --seconds and --events change the run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import itertools
import os
import socket
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from .browser import COUNT, LOCAL, RECORDER, START, Server, _tree, launch, print_table
from .common import cache_dir, load_average, median, summary_row, synth_path, verdict

SESSIONS, SECONDS, EVENTS = 20, 60.0, 100_000
STEP_BAR_S = 1.0
WINDOW_DAYS, START_SPACING_DAYS = 30, 5
MIN_FATALITIES = (0, 1, 2, 5)
OPEN_TIMEOUT_S, STEP_TIMEOUT_S = 300.0, 30.0
OPENING_AT_ONCE = 5  # pages opened concurrently (all 20 at once only slow each other down)
POLL_MS = 50
ERROR_ELEMENTS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
HEADER = ["what (load)", "10k", "100k", "1M", "bar", "met?", "baseline", "note"]

# In the map's frame: the first draw mark at or after `t` (epoch ms) showing [start, end] with
# `visible` events (the last such mark, any count, when null), and how many draws of the window
# came before it.
DRAWN_JS = """
([t, start, end, visible]) => {
  const marks = ((window.__bench && window.__bench.marks) || []).filter((m) =>
    m.name === "eventmap-drawn" && m.t >= t && m.stats && m.stats.start === start
    && m.stats.end === end);
  if (visible === null) {
    return marks.length ? {mark: marks[marks.length - 1], early: 0} : false;
  }
  const i = marks.findIndex((m) => m.stats.visible === visible);
  return i < 0 ? false : {mark: marks[i], early: i};
}
"""
# In the page: the count line ("N events · start → end"), once it shows `end` (any end when
# null), with the time it was seen (epoch ms).
COUNT_JS = """
([pattern, end]) => {
  const re = new RegExp(pattern);
  for (const el of document.querySelectorAll('[data-testid="stMarkdownContainer"]')) {
    const m = re.exec(el.innerText);
    if (m && (end === null || m[3] === end)) {
      return {count: Number(m[1].replace(/,/g, "")), start: m[2], end: m[3],
              t: performance.timeOrigin + performance.now()};
    }
  }
  return false;
}
"""
IS_MAP_JS = "() => Boolean(window.eventmap && window.__bench)"
LAST_KEY_JS = "() => window.__bench.keys.length ? window.__bench.keys.at(-1).t : null"


class FilterMismatch(Exception):
    """The page shows something other than this session's filters give."""


def session_filters(k: int, types: list[str]):
    """Session k's own FilterState: a 30-day window, two or three event types, a minimum of
    fatalities; no two sessions alike."""
    from eventmap.filters import FilterState

    subsets = [*itertools.combinations(types, 2), *itertools.combinations(types, 3)]
    start = START + dt.timedelta(days=START_SPACING_DAYS * k)
    return FilterState(
        start=start,
        end=start + dt.timedelta(days=WINDOW_DAYS - 1),
        types=subsets[k % len(subsets)],
        min_fatalities=MIN_FATALITIES[k % len(MIN_FATALITIES)],
    )


def query_lists(query: dict[str, str | list[str]]) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in query.items()}


@dataclass
class LoadSession:
    """One browser context, one page, one Streamlit session, and its own filters."""

    k: int
    state: object  # eventmap.filters.FilterState
    prepared: object  # eventmap.dataset.Prepared, for the expected counts
    steps: list[float] = field(default_factory=list)  # seconds per finished step
    errors: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    open_s: float | None = None
    shown: int | None = None  # the last count line's events
    early: dict[str, int] = field(default_factory=lambda: {"open": 0, "steps": 0})  # draws of
    # a new window with another count before the right one, on opening and in the steps

    def __post_init__(self) -> None:
        from eventmap import view

        self.context = self.page = self.frame = None
        self.mask = view.selection(self.prepared, self.state)
        self._counts: dict[dt.date, int] = {}

    def expected_count(self) -> int:
        from eventmap import view

        if self.state.end not in self._counts:
            shown = view.compute(self.prepared, self.state, mask=self.mask)
            self._counts[self.state.end] = shown.count
        return self._counts[self.state.end]

    async def open(self, browser, base: str) -> None:
        self.context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        await self.context.add_init_script(RECORDER)
        self.context.on(
            "request",
            lambda r: None if r.url.startswith(LOCAL) else self.blocked.append(r.url),
        )
        self.page = await self.context.new_page()
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        query = urlencode(self.state.to_query(), doseq=True)
        started = time.perf_counter()
        await self.page.goto(f"{base}/?{query}", wait_until="commit")
        try:
            mark, line = await self.finished(0.0, OPEN_TIMEOUT_S, "open")
        except FilterMismatch as exc:
            self.mismatches.append(f"on open: {exc}")
        else:
            self.check_count(mark, line)
        self.open_s = time.perf_counter() - started
        await self.check()

    async def close(self) -> None:
        if self.context is not None:
            with contextlib.suppress(Exception):
                await self.context.close()

    async def map_frame(self, deadline: float):
        while time.monotonic() < deadline:
            for frame in self.page.frames:
                if frame == self.page.main_frame:
                    continue
                with contextlib.suppress(Exception):
                    if await frame.evaluate(IS_MAP_JS):
                        return frame
            await asyncio.sleep(POLL_MS / 1e3)
        raise TimeoutError("no map frame")

    async def finished(self, keydown: float, timeout: float, phase: str) -> tuple[dict, dict]:
        """Wait until the map drew this session's window with as many events as its filters
        give (a mark at or after `keydown`) and the count line shows the window; the mark and
        the count line. Draws of the window with another count before that one are counted in
        `early[phase]` (the map draws a new window at once, and again when a changed
        minimum-fatalities selection has been fetched). A map that drew the window but never
        that count in time raises FilterMismatch, one that did not draw it at all TimeoutError."""
        deadline = time.monotonic() + timeout
        start, end = self.state.start.isoformat(), self.state.end.isoformat()
        want = self.expected_count()
        found = None
        while found is None:
            left = deadline - time.monotonic()
            if left <= 0:
                await self._not_drawn(keydown, start, end, want, timeout)
            if self.frame is None:
                self.frame = await self.map_frame(deadline)
            try:
                handle = await self.frame.wait_for_function(
                    DRAWN_JS,
                    arg=[keydown, start, end, want],
                    polling=POLL_MS,
                    timeout=max(1.0, left * 1e3),
                )
                found = await handle.json_value()
            except Exception as exc:  # noqa: BLE001 (the frame was replaced, or time ran out)
                if "Timeout" in type(exc).__name__ or "Timeout" in str(exc):
                    await self._not_drawn(keydown, start, end, want, timeout)
                self.frame = None
        self.early[phase] += found["early"]
        left = max(1.0, deadline - time.monotonic())
        handle = await self.page.wait_for_function(
            COUNT_JS, arg=[COUNT.pattern, end], polling=POLL_MS, timeout=left * 1e3
        )
        return found["mark"], await handle.json_value()

    async def _not_drawn(self, keydown: float, start: str, end: str, want: int, timeout: float):
        drawn = None
        with contextlib.suppress(Exception):
            drawn = await self.frame.evaluate(DRAWN_JS, [keydown, start, end, None])
        if drawn:
            visible = drawn["mark"]["stats"]["visible"]
            raise FilterMismatch(f"map drew {visible} for {start} → {end}, not {want}")
        raise TimeoutError(f"the map did not draw {start} → {end} in {timeout:.0f} s")

    def check_count(self, mark: dict, line: dict) -> None:
        want = self.expected_count()
        got = (line["count"], line["start"], line["end"])
        if got != (want, self.state.start.isoformat(), self.state.end.isoformat()):
            self.mismatches.append(f"count line {got}, expected {want} for its filters")
        self.shown = line["count"]
        visible = (mark.get("stats") or {}).get("visible")
        if visible != line["count"]:
            self.mismatches.append(f"map drew {visible}, count line {line['count']}")

    async def check(self) -> None:
        """The page's URL holds this session's filters, exactly."""
        got = parse_qs(urlsplit(await self.page.evaluate("() => location.href")).query)
        if got != query_lists(self.state.to_query()):
            self.mismatches.append(f"URL query {got}")

    async def check_page(self) -> None:
        shown = await self.page.locator(ERROR_ELEMENTS).all_inner_texts()
        if shown:
            self.errors.append(f"error element: {shown[0][:200]}")
        if self.page_errors:
            self.errors.extend(f"page error: {e[:200]}" for e in self.page_errors)
            self.page_errors.clear()
        if self.blocked:
            self.errors.extend(f"request left localhost: {u}" for u in self.blocked)
            self.blocked.clear()

    async def step(self) -> None:
        """ArrowRight on the end handle; wait for the new window; check."""
        slider = self.page.get_by_role("slider").nth(1)
        await slider.focus()
        await self.page.keyboard.press("ArrowRight")
        self.state = _replace(self.state, end=self.state.end + dt.timedelta(days=1))
        keydown = await self.page.evaluate(LAST_KEY_JS)
        try:
            if keydown is None:
                raise RuntimeError("the page saw no keydown")
            mark, line = await self.finished(keydown, STEP_TIMEOUT_S, "steps")
        except FilterMismatch as exc:
            self.mismatches.append(f"step to {self.state.end}: {exc}")
            await self.resync()
        except Exception as exc:  # noqa: BLE001 (counted, then the session carries on)
            self.errors.append(f"step to {self.state.end}: {str(exc).splitlines()[0][:200]}")
            await self.resync()
        else:
            self.steps.append((max(mark["t"], line["t"]) - keydown) / 1e3)
            self.check_count(mark, line)
            await self.check()
        await self.check_page()

    async def resync(self) -> None:
        """After a failed step: take the end the page shows as this session's end."""
        with contextlib.suppress(Exception):
            line = await self.page.evaluate(COUNT_JS, [COUNT.pattern, None])
            if line:
                self.state = _replace(self.state, end=dt.date.fromisoformat(line["end"]))

    async def scrub(self, until: float) -> None:
        while time.monotonic() < until:
            await self.step()


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far (user + system) by the server's process tree, by the rest of
    this process's tree (the Playwright driver and chromium), by this process, and by the
    whole machine (every core, from /proc/stat): a minute's share of each, to tell the
    server's work from the browsers' and from other work on a shared machine."""
    tick = os.sysconf("SC_CLK_TCK")

    def own(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    server = set(_tree(server_pid))
    rest = set(_tree(os.getpid())) - server - {os.getpid()}
    busy = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    idle = int(busy[3]) + int(busy[4])  # idle, iowait
    return {
        "server": sum(own(p) for p in server),
        "browser": sum(own(p) for p in rest),
        "bench": own(os.getpid()),
        "machine": (sum(int(v) for v in busy[:8]) - idle) / tick,
    }


def _replace(state, **changes):
    from eventmap.filters import replace

    return replace(state, **changes)


@dataclass
class LoadResult:
    n: int
    sessions: list[LoadSession]
    seconds: float
    warmup_s: float
    rss: dict[str, float]  # MB: before, connected, end
    open_errors: list[str] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds during the scrubbing
    scrub_s: float | None = None  # wall seconds of the scrubbing (the last step ends late)
    load: str = ""  # load average when the scrubbing ended

    @property
    def steps(self) -> list[float]:
        return [s for one in self.sessions for s in one.steps]

    @property
    def errors(self) -> int:
        return len(self.open_errors) + sum(len(s.errors) for s in self.sessions)

    @property
    def mismatches(self) -> int:
        return sum(len(s.mismatches) for s in self.sessions)

    @property
    def p90(self) -> float | None:
        steps = self.steps
        return statistics.quantiles(steps, n=10)[-1] if len(steps) > 1 else median(steps)

    @property
    def per_session_mb(self) -> float | None:
        if "end" not in self.rss or not self.sessions:
            return None
        return (self.rss["end"] - self.rss["before"]) / len(self.sessions)

    @property
    def ok(self) -> bool:
        step = median(self.steps)
        return not self.errors and not self.mismatches and step is not None and step <= STEP_BAR_S


async def _open_all(browser, base: str, sessions: list[LoadSession]) -> list[str]:
    gate = asyncio.Semaphore(OPENING_AT_ONCE)
    errors: list[str] = []

    async def one(session: LoadSession) -> None:
        async with gate:
            try:
                await session.open(browser, base)
            except Exception as exc:  # noqa: BLE001 (counted; the run goes on without it)
                errors.append(f"session {session.k} did not open: {str(exc).splitlines()[0]}")

    await asyncio.gather(*(one(s) for s in sessions))
    return errors


async def _run(n: int, count: int, seconds: float, data: Path, logs: Path) -> LoadResult:
    from playwright.async_api import async_playwright

    from eventmap import dataset, view

    server = Server(data, logs / f"streamlit-load-{n}.log")
    sessions: list[LoadSession] = []
    try:
        with socket.socket() as dead:
            dead.bind(("127.0.0.1", 0))
            proxy = f"--proxy-server=http://127.0.0.1:{dead.getsockname()[1]}"
            async with async_playwright() as playwright:
                browser = await launch(playwright, proxy)
                try:
                    # The dataset in this process too (the expected counts); then a warm-up page,
                    # for which the server prepares (or reads back) the dataset.
                    prepared, _ = await asyncio.to_thread(dataset.load, data)
                    types = view.types_present(prepared)
                    started = time.perf_counter()
                    warm = LoadSession(-1, session_filters(0, types), prepared)
                    try:
                        await warm.open(browser, server.url)
                    finally:
                        await warm.close()
                    warmup_s = time.perf_counter() - started
                    print(
                        f"  warm-up: the first page, the server loading the data, {warmup_s:.1f} s"
                    )
                    await asyncio.sleep(1.0)
                    rss = {"before": (await asyncio.to_thread(server.rss_mb))[0]}
                    sessions = [
                        LoadSession(k, session_filters(k, types), prepared) for k in range(count)
                    ]
                    result = LoadResult(n, sessions, seconds, warmup_s, rss)
                    result.open_errors = await _open_all(browser, server.url, sessions)
                    opened = [s for s in sessions if s.open_s is not None]
                    await asyncio.sleep(1.0)
                    rss["connected"] = (await asyncio.to_thread(server.rss_mb))[0]
                    print(
                        f"  {len(opened)} of {count} sessions open and drawn (median open "
                        f"{_s(median(s.open_s for s in opened), 1)} s); scrubbing {seconds:g} s"
                    )
                    cpu = cpu_seconds(server.process.pid)
                    began = time.monotonic()
                    until = began + seconds
                    await asyncio.gather(*(s.scrub(until) for s in opened))
                    result.scrub_s = time.monotonic() - began
                    after = cpu_seconds(server.process.pid)
                    result.cpu = {k: after[k] - cpu[k] for k in cpu}
                    result.load = load_average()
                    rss["end"] = (await asyncio.to_thread(server.rss_mb))[0]
                    for session in sessions:
                        await session.close()
                finally:
                    await browser.close()
    finally:
        server.stop()
    return result


def _s(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def report(result: LoadResult) -> None:
    """Each session's line, then the totals."""
    for s in result.sessions:
        types = "+".join(t.split("/")[0].split()[0] for t in s.state.types)
        problems = [*s.errors[:1], *s.mismatches[:1]]
        print(
            f"    session {s.k:2}: {types}, min {s.state.min_fatalities} killed, now "
            f"{s.state.start} → {s.state.end} ({s.shown} events): {len(s.steps)} steps, median "
            f"{_s(median(s.steps), 3)} s, {len(s.errors)} errors, {len(s.mismatches)} "
            f"mismatches, early draws {s.early['open']} on opening, {s.early['steps']} in steps"
            + (f" (first: {'; '.join(problems)})" if problems else "")
        )
    for error in result.open_errors:
        print(f"    {error}")
    steps = result.steps
    rss = result.rss

    def early(phase: str) -> int:
        return sum(s.early[phase] for s in result.sessions)

    print(
        f"  {len(result.sessions)} sessions, {len(steps)} steps in {result.seconds:g} s: median "
        f"{_s(median(steps), 3)} s, p90 {_s(result.p90, 3)} s, max "
        f"{_s(max(steps) if steps else None, 3)} s; {result.errors} errors, "
        f"{result.mismatches} filter mismatches; early draws {early('open')} on opening, "
        f"{early('steps')} in steps (the map drew the window with another count first, e.g. "
        "before the minimum-fatalities selection was fetched; a step ends at the right count)"
    )
    print(
        f"  server VmRSS (process tree): before {_s(rss.get('before'), 0)} MB (warm, no page "
        f"open), all connected {_s(rss.get('connected'), 0)} MB, end {_s(rss.get('end'), 0)} MB; "
        f"(end - before) / {len(result.sessions)} = {_s(result.per_session_mb, 1)} MB a session"
    )
    if result.cpu and result.scrub_s:
        cpu, wall = result.cpu, result.scrub_s
        cores = os.cpu_count() or 1
        others = cpu["machine"] - cpu["server"] - cpu["browser"] - cpu["bench"]
        print(
            f"  CPU while scrubbing ({wall:.0f} s on {cores} cores = {wall * cores:.0f} core-s): "
            f"server {cpu['server']:.0f} s ({cpu['server'] / max(1, len(steps)) * 1e3:.0f} ms a "
            f"step), chromium and its driver {cpu['browser']:.0f} s, this process "
            f"{cpu['bench']:.0f} s, other work on the machine {max(0.0, others):.0f} s; "
            f"then {result.load}"
        )
        per_step = cpu["server"] / max(1, len(steps))
        print(
            f"    one step from each of the {len(result.sessions)} sessions takes "
            f"{per_step * len(result.sessions):.1f} s of server CPU (one Python process)"
        )


def summary(result: LoadResult) -> None:
    n, sessions = result.n, len(result.sessions)

    def row(what, value, digits=2, bar=None, bar_text="-", met=None, note="-"):
        cells = summary_row(what, {n: value}, {}, digits=digits, no_base="-", bar_text=bar_text)
        cells[5] = met or (verdict(value, bar) if bar is not None else "-")
        cells[7] = note
        return cells

    def zero(value: int) -> str:
        return "met" if value == 0 else "MISSED"

    step = median(result.steps)
    rss = result.rss
    rows = [
        row("sessions at once", sessions, 0, note=f"{result.seconds:g} s of scrubbing each"),
        row("steps (all sessions)", len(result.steps), 0),
        row("step, median, s", step, 3, STEP_BAR_S, f"<= {STEP_BAR_S:g} s"),
        row("step, p90, s", result.p90, 3),
        row("errors", result.errors, 0, bar_text="0", met=zero(result.errors)),
        row("filter mismatches", result.mismatches, 0, bar_text="0", met=zero(result.mismatches)),
        row("server RSS before sessions, MB", rss.get("before"), 0, note="warm, no page open"),
        row("server RSS all connected, MB", rss.get("connected"), 0),
        row("server RSS at the end, MB", rss.get("end"), 0),
        row("server MB per session", result.per_session_mb, 1, note="(end - before) / sessions"),
    ]
    print()
    print(f"load summary: {sessions} sessions scrubbing one {n:,}-event server at once")
    print_table(rows, HEADER)
    print(f"  load: {'PASS' if result.ok else 'FAIL'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__)
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--events", type=int, default=EVENTS)
    args = parser.parse_args(argv)
    logs = cache_dir() / "logs"
    logs.mkdir(exist_ok=True)
    data = synth_path(args.events)
    print(
        f"load: {args.sessions} sessions (browser contexts of one headless chromium) scrub one "
        f"server of {args.events:,} events for {args.seconds:g} s; {load_average()}; server log "
        f"in {logs}"
    )
    result = asyncio.run(_run(args.events, args.sessions, args.seconds, data, logs))
    report(result)
    summary(result)
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
