"""The `eventmap` command: a thin click group that parses options and calls the library.

Domain errors (EventmapError) become ClickException here, and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click
import pyarrow as pa

from . import settings
from .errors import EventmapError
from .model import EVENT_TYPES, GEO_PRECISION
from .validate import FlagTally


def domain_errors(fn):
    """Turn eventmap's own errors into a one-line message and exit code 1, not a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except EventmapError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def _date(ctx, param, value):
    if value is None:
        return None
    from .model import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _published(ctx, param, value):
    """YYYY-MM-DD or YYYY-MM, a real date, nothing else: no "yesterday" relative to today."""
    if value is None:
        return None
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}", text):
            dt.date.fromisoformat(f"{text}-01")
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            dt.date.fromisoformat(text)
        else:
            raise ValueError
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (expected YYYY-MM-DD or YYYY-MM)"
        ) from None
    return text


def _tallied(batches: Iterable[pa.RecordBatch], tally: FlagTally) -> Iterator[pa.RecordBatch]:
    """The batches, their flags counted on the way (see `_say_flags`)."""
    for batch in batches:
        tally.add(batch.column("flags"))
        yield batch


def _say_flags(tally: FlagTally) -> None:
    """Say on stderr which events were kept with flags (the `flags` column says which)."""
    if text := tally.text():
        click.echo(f"{text}; see the 'flags' column", err=True)


def _events(count: int) -> str:
    return f"{count:,} event{'s' if count != 1 else ''}"


def _port_free(host: str, port: int) -> None:
    """Say so now, with what to do, when another program holds the port (Streamlit would
    print the address first and fail after it)."""
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise click.ClickException(
                f"port {port} on {host} is in use (another eventmap or program?); "
                f"choose another with --port, e.g. --port {port + 1}"
            ) from None


data_option = click.option(
    "--data",
    "data",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Events file to read (.parquet store, .geojson, .csv, .gpkg, .yaml catalog). "
    "Default: the store, or the catalog when no store is built yet.",
)


def store_option(what: str):
    """--to STORE, for the commands that change a store."""
    return click.option(
        "--to",
        "store",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=f"The store to {what}. Default: data/events.parquet (EVENTMAP_STORE).",
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="eventmap")
def main() -> None:
    """eventmap: news events, dated and geocoded to named places, on a map."""


@main.command()
@click.option(
    "--catalog",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The catalog to build from. Default: seeds/events.yaml.",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The store to write. Default: data/events.parquet (EVENTMAP_STORE).",
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Skip malformed catalog entries (listed on stderr) instead of stopping.",
)
@domain_errors
def build(catalog: Path | None, out: Path | None, lenient: bool) -> None:
    """Rebuild the GeoParquet store from the catalog and the gazetteer (idempotent)."""
    import warnings

    from .frame import UngeocodedWarning
    from .importers.run import rebuild_store
    from .pipeline import build_events

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UngeocodedWarning)  # reported below, one per line
        report = build_events(catalog, lenient=lenient)
    report.path = Path(out or settings.path("EVENTMAP_STORE"))
    report.kept_imported = rebuild_store(report.frame, report.path)
    for error in report.skipped:
        click.echo(f"skipped: {error}", err=True)
    for miss in report.unresolved:
        click.echo(
            f"warning: {miss.event_id}: kept without coordinates "
            f"({miss.location or 'no place'}: {miss.reason})",
            err=True,
        )
    located = len(report.frame) - len(report.unresolved)
    click.echo(
        f"{report.path}: {len(report.frame)} events ({located} geocoded, "
        f"{len(report.unresolved)} without coordinates, {len(report.skipped)} skipped)"
        + (
            f", and {_events(report.kept_imported)} imported before, kept"
            if report.kept_imported
            else ""
        )
    )


@main.command(name="list")
@data_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="json: an array of events with the catalog's column names.",
)
@domain_errors
def list_events(data: Path | None, fmt: str) -> None:
    """List the events, oldest first."""
    import pyarrow.compute as pc

    from .export import properties_json
    from .sources import event_batches

    count = 0
    tally = FlagTally()
    if fmt == "json":
        click.echo("[", nl=False)
    for batch in _tallied(event_batches(data), tally):
        if fmt == "json":  # one event a line, rendered by the GeoJSON writer's kernels
            rows = properties_json(batch).to_pylist()
            click.echo(("\n" if not count else ",\n") + ",\n".join(rows), nl=False)
        else:
            dates = pc.cast(batch.column("event_date"), "string")
            ranged = pc.not_equal(batch.column("event_date"), batch.column("date_end"))
            span = pc.binary_join_element_wise(
                dates, "..", pc.cast(batch.column("date_end"), "string"), ""
            )
            dates = pc.if_else(pc.fill_null(ranged, False), span, dates)
            columns = zip(
                pc.fill_null(dates, "(no date)").to_pylist(),
                batch.column("event_type").to_pylist(),
                pc.fill_null(batch.column("location"), "(no place)").to_pylist(),
                batch.column("event_id").to_pylist(),
                strict=True,
            )
            lines = [f"{d:22} {t or '':27} {p:22} {i}\n" for d, t, p, i in columns]
            click.echo("".join(lines), nl=False)
        count += batch.num_rows
    if fmt == "json":
        click.echo("\n]")
    click.echo(_events(count), err=True)
    _say_flags(tally)


@main.command()
@click.argument("name")
@click.option(
    "--country",
    "countries",
    multiple=True,
    help="Prefer places in this ISO country code (repeatable).",
)
@domain_errors
def geocode(name: str, countries: tuple[str, ...]) -> None:
    """Geocode NAME with the offline gazetteer (and the online geocoder if configured)."""
    from .geocode import default_resolver

    resolver = default_resolver()
    found = resolver.offline.geocode(name, country_codes=countries or None) or (
        resolver.online.geocode(name) if resolver.online else None
    )
    if found is None:
        click.echo(f"eventmap: no place called {name!r} in the gazetteer", err=True)
        sys.exit(1)
    raw = found.raw
    click.echo(
        json.dumps(
            {
                "query": name,
                "location": raw.get("name", found.address),
                "latitude": found.latitude,
                "longitude": found.longitude,
                "geo_precision": raw.get("geo_precision"),
                "precision_meaning": GEO_PRECISION.get(raw.get("geo_precision")),
                "kind": raw.get("kind"),
                "country_code": raw.get("country_code"),
                "source": raw.get("source"),
                "outside_region": bool(raw.get("outside_region")),
            },
            ensure_ascii=False,
        )
    )


@main.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write; .geojson (RFC 7946), .csv (ACLED column order), .gpkg, .parquet.",
)
@click.option("--start", callback=_date, help="First day (YYYY-MM-DD) of the window.")
@click.option("--end", callback=_date, help="Last day (YYYY-MM-DD) of the window.")
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(list(EVENT_TYPES)),
    help="Keep only this ACLED event type (repeatable).",
)
@data_option
@domain_errors
def export(out: Path, start, end, types: tuple[str, ...], data: Path | None) -> None:
    """Export events, optionally a date window and event types, in the format of OUT's extension.

    Streams: a Parquet input is read and written a batch at a time (bounded memory)."""
    from .export import format_for, write_batches
    from .sources import event_batches

    format_for(out)  # fail on a bad extension before any work
    if start is not None and end is not None and end < start:
        raise click.BadParameter(f"{end} is before --start {start}", param_hint="--end")
    tally = FlagTally()
    batches = event_batches(data, start=start, end=end, types=types)
    count = write_batches(_tallied(batches, tally), out)
    click.echo(f"{out}: {_events(count)}")
    _say_flags(tally)


@main.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "acled", "ucdp", "gdelt", "table"]),
    default="auto",
    show_default=True,
    help="auto recognises ACLED, UCDP GED, GDELT 1.0/2.0 or a plain table, and says why.",
)
@store_option("import into")
@click.option(
    "--append/--replace",
    default=True,
    show_default=True,
    help="Add to the store's events (an event already there, by id, is replaced: "
    "importing a file twice changes nothing), or start afresh with only these.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write what became of every record as JSON here.",
)
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read eventmap's FIELD from the table's COLUMN (repeatable), e.g. --map event_date=Datum.",
)
@click.option(
    "--keep-unmapped",
    is_flag=True,
    help="Keep GDELT rows whose CAMEO code has no ACLED type (untyped, flagged) instead of "
    "skipping them.",
)
@domain_errors
def import_events(
    files: tuple[Path, ...],
    fmt: str,
    store: Path | None,
    append: bool,
    report_path: Path | None,
    mappings: tuple[str, ...],
    keep_unmapped: bool,
) -> None:
    """Import event files (ACLED, UCDP GED, GDELT, CSV/TSV/Excel/JSON/GeoJSON/GeoPackage/
    Parquet tables) into the store, every record accounted for: imported, flagged or skipped
    with a reason."""
    from .importers.run import import_into_store
    from .store import atomic_path

    mapping = {}
    for item in mappings:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=COLUMN", param_hint="--map")
        mapping[field.strip()] = column.strip()
    target = store or settings.path("EVENTMAP_STORE")
    if report_path is not None and not os.access(report_path.parent.resolve(), os.W_OK):
        raise click.BadParameter(  # said before the store is touched
            f"{report_path.parent} is not a folder that can be written", param_hint="--report"
        )
    outcome = import_into_store(
        list(files),
        target,
        fmt=fmt,
        replace=not append,
        mapping=mapping,
        keep_unmapped=keep_unmapped,
    )
    for report in outcome.reports:
        for line in report.lines():
            click.echo(line)
    if report_path is not None:
        try:
            with atomic_path(report_path) as tmp:
                tmp.write_text(json.dumps(outcome.as_json(), ensure_ascii=False, indent=1))
        except OSError as exc:
            raise click.ClickException(f"{report_path}: cannot write the report ({exc})") from None
        click.echo(f"report: {report_path}")
    replaced = f", {_events(outcome.replaced)} replaced by the same ids" if outcome.replaced else ""
    click.echo(f"{outcome.store}: {_events(outcome.after)} (was {outcome.before:,}{replaced})")
    if outcome.unlinked:
        click.echo(
            "links of `eventmap dedupe` taken out (an event they joined was replaced): "
            "run `eventmap dedupe` again",
            err=True,
        )


@main.command()
@click.option(
    "--days",
    type=click.IntRange(min=0, max=366),
    default=1,
    show_default=True,
    help="At most this many days apart.",
)
@click.option(
    "--km",
    type=click.FloatRange(min=0, max=500),
    default=5.0,
    show_default=True,
    help="At most this many kilometres apart.",
)
@store_option("link in")
@click.option("--undo", is_flag=True, help="Take every link out again.")
@domain_errors
def dedupe(days: int, km: float, store: Path | None, undo: bool) -> None:
    """Link the events several datasets report: same type, within DAYS and KM, compatible
    actors. Every row is kept; the map shows each event once, its popup every source."""
    from . import dedupe as linking
    from .export import write_batches
    from .table import read_table

    target = store or settings.path("EVENTMAP_STORE")
    table = read_table(target)
    if undo:
        before = table["duplicate_of"].null_count
        table = linking.undo(table)
        write_batches(table, target)
        unlinked = table.num_rows - before
        click.echo(f"{target}: links taken out ({_events(unlinked)} shown on their own again)")
        return
    links = linking.find_links(table, days=days, km=km)
    table = linking.link(table, links)
    write_batches(table, target)
    ids = table["event_id"].to_pylist()
    for group in links.groups[:20]:
        click.echo(f"  {ids[group[0]]} ← {', '.join(ids[i] for i in group[1:])}")
    if len(links.groups) > 20:
        click.echo(f"  … and {len(links.groups) - 20:,} more groups")
    click.echo(
        f"{target}: {_events(len(links.groups))} reported by more than one dataset; "
        f"{_events(links.folded)} folded into them (kept; `eventmap dedupe --undo` unlinks)"
    )


@main.command()
@click.option(
    "--candidates",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The extractor's output (.jsonl). Default: EVENTMAP_CANDIDATES.",
)
@click.option("--list", "show", is_flag=True, help="List the candidates not reviewed yet.")
@click.option("--accept", "accept_id", metavar="ID", help="Accept this candidate.")
@click.option("--reject", "reject_id", metavar="ID", help="Reject this candidate.")
@click.option(
    "--set",
    "edits",
    multiple=True,
    metavar="FIELD=VALUE",
    help="With --accept: change a field first (repeatable), e.g. --set fatalities=3.",
)
@click.option("--reason", default=None, help="With --reject: why (kept with it).")
@click.option(
    "--reviewer",
    default=None,
    help="Your name, recorded with each decision. Default: EVENTMAP_REVIEWER.",
)
@click.option(
    "--documents",
    "documents",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder holding the articles (repeatable). Default: the candidates file's folder.",
)
@domain_errors
def review(
    candidates: Path | None,
    show: bool,
    accept_id: str | None,
    reject_id: str | None,
    edits: tuple[str, ...],
    reason: str | None,
    reviewer: str | None,
    documents: tuple[Path, ...],
) -> None:
    """Turn the extractor's candidates into curated events: --list, --accept ID [--set
    field=value ...], --reject ID. Accepted events go to seeds/reviewed.yaml and the store."""
    from . import review as reviewing

    if sum(bool(x) for x in (show, accept_id, reject_id)) != 1:
        raise click.UsageError("give one of --list, --accept ID or --reject ID")
    if edits and not accept_id:
        raise click.UsageError("--set goes with --accept")
    path = candidates or (
        Path(settings.get("EVENTMAP_CANDIDATES")) if settings.get("EVENTMAP_CANDIDATES") else None
    )
    if path is None:
        raise click.UsageError("no candidates: give --candidates FILE or set EVENTMAP_CANDIDATES")
    waiting = reviewing.pending(reviewing.read_candidates(path))
    if show:
        for c in waiting:
            quote = ((c.get("sources") or [{}])[0].get("quote") or "")[:90]
            click.echo(
                f"{c['event_id']}  {c.get('event_date') or '(no date)'}  "
                f"{c.get('event_type') or '?'}  {c.get('location') or '(no place)'}  "
                f"confidence {c.get('confidence')}\n    “{quote}”"
            )
        click.echo(f"{len(waiting)} candidate(s) to review", err=True)
        return
    who = reviewer or settings.get("EVENTMAP_REVIEWER")
    if reject_id:
        reviewing.reject(reviewing.find(waiting, reject_id), reviewer=who, reason=reason)
        click.echo(f"{reject_id}: rejected (not proposed again)")
        return
    changes = {}
    for item in edits:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="--set")
        changes[field.strip()] = value
    folders = list(documents) or [path.parent]
    entry = reviewing.accept(
        reviewing.find(waiting, accept_id), reviewer=who, changes=changes, documents=folders
    )
    store = reviewing.rebuild_store()
    click.echo(f"{accept_id}: accepted as {entry['event_id']} ({store} rebuilt)")


@main.command()
@click.argument("n", type=click.IntRange(min=1))
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write: .parquet (GeoParquet, what `serve --data` loads fastest), "
    ".geojson, .csv or .gpkg.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same events.")
@domain_errors
def synth(n: int, out: Path, seed: int) -> None:
    """Write N realistic synthetic events (ACLED-like, several countries, bursts) to OUT."""
    from .errors import ExportError
    from .export import format_for
    from .synth import write_synth

    try:
        format_for(out)
    except ExportError as exc:
        raise click.BadParameter(str(exc), param_hint="'-o' / '--out'") from None
    count = write_synth(n, out, seed=seed)
    click.echo(f"{out}: {count} events")


@main.command()
@click.option(
    "--data",
    "data",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Events to show (.yaml catalog, .geojson, .parquet, .csv, "
    ".gpkg, or the extractor's output). Default: the store.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option(
    "--host",
    default="localhost",
    show_default=True,
    help="Address to listen on; 0.0.0.0 to share on the network.",
)
@domain_errors
def serve(data: Path | None, port: int, host: str) -> None:
    """Start the map app (Streamlit) and print its URL."""
    import os
    import subprocess

    from .assets import fetch_assets, missing_assets

    _port_free(host, port)
    if missing_assets():
        fetch_assets()
    env = dict(os.environ)
    if data is not None:
        from .sources import check_events_file

        check_events_file(data)  # fail here, with a clear message, rather than in the page
        env["EVENTMAP_DATA"] = str(data.resolve())
    click.echo(f"eventmap: serving {data or 'the store'} at http://{host}:{port}", err=True)
    app = settings.PROJECT_ROOT / "app.py"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.address",
        host,
    ]
    raise SystemExit(subprocess.call(command, env=env, cwd=settings.PROJECT_ROOT))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--published",
    default=None,
    callback=_published,
    help="Publication date YYYY-MM-DD (or YYYY-MM); wins over any date the articles state.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "geojson", "yaml"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here (atomically) instead of standard output.",
)
@click.option(
    "--text-only",
    is_flag=True,
    help="Ignore NAME.meta.yaml sidecars: date the articles from their text alone.",
)
@domain_errors
def extract(
    files: tuple[Path, ...], published: str | None, fmt: str, out: Path | None, text_only: bool
) -> None:
    """Propose the events FILES report (text, Markdown with front matter, or HTML).

    The publication date: --published, else what the text states (front matter, "issued"
    lines, datelines), else the `published` of a NAME.meta.yaml beside the file (the date a
    news feed supplies with an article).
    """
    from .extract import extract_files, feed_dates, render, write_output
    from .extract.dates import parse_published

    try:
        parse_published(published)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--published") from None
    by_file = None if published or text_only else feed_dates(files)
    records = extract_files(list(files), published, published_by_file=by_file)
    from .review import pending

    fresh = pending(records)
    if len(fresh) < len(records):
        click.echo(
            f"eventmap: {len(records) - len(fresh)} candidate(s) accepted or rejected before "
            "(seeds/reviewed.yaml, rejected.yaml): not proposed again",
            err=True,
        )
    records = fresh
    if out is not None:
        write_output(records, out, fmt)
        click.echo(f"eventmap: {len(records)} candidate event(s) -> {out}", err=True)
    else:
        click.echo(render(records, fmt), nl=False)
        if not records:
            click.echo(f"eventmap: no events found in {len(files)} file(s)", err=True)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--set",
    "held_out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="A held-out set (dev/ and test/ of NAME.txt, NAME.meta.yaml, NAME.gold.yaml), e.g. "
    "tests/extraction_set: scores for each part and a calibration table.",
)
@click.option(
    "--gold",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Curated catalog or NAME.expected.yaml. Default: seeds/events.yaml.",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=0.5,
    show_default=True,
    help="Candidates below this are unsure and not scored.",
)
@domain_errors
def evaluate(
    files: tuple[Path, ...], held_out: Path | None, gold: Path | None, min_confidence: float
) -> None:
    """Extract from FILES and print precision, recall and F1 against the gold events.

    Publication dates come as `extract` takes them (a NAME.meta.yaml sidecar's where the text
    states none); a last line gives the scores from the article text alone, for comparison.
    """
    from .extract import evaluate as run
    from .extract import feed_dates

    if held_out is not None:
        _evaluate_set(held_out, min_confidence)
        return
    if not files:
        raise click.UsageError("give FILES to extract from, or --set FOLDER")

    gold = gold or settings.path("EVENTMAP_SEEDS") / "events.yaml"
    dates = feed_dates(files)
    result, _ = run(list(files), gold, published=dates or None, min_confidence=min_confidence)
    click.echo(
        f"evaluation of {len(files)} file(s) against {gold}; {len(dates)} NAME.meta.yaml "
        "sidecar(s) give a feed date where a text states none"
    )
    click.echo(result.report())
    if dates:
        bare, _ = run(list(files), gold, published=None, min_confidence=min_confidence)
        click.echo(
            f"text only (no sidecar dates): precision {bare.precision:.3f} "
            f"recall {bare.recall:.3f} F1 {bare.f1:.3f}"
        )


def _evaluate_set(folder: Path, min_confidence: float) -> None:
    """Scores of the held-out set's parts, then how often a candidate of each confidence is
    right (dev part: the confidence should mean what it says)."""
    from .extract import evaluate_set
    from .extract.evaluate import MATCH_RULE, calibration, calibration_table

    results = evaluate_set(folder, min_confidence=min_confidence)
    click.echo(f"held-out set {folder}; {MATCH_RULE.format(min_confidence=min_confidence)}")
    for part, (total, _) in results.items():
        click.echo(
            f"{part:4s}: gold {total.gold:3d}  extracted {total.extracted:3d}  "
            f"matched {len(total.matched):3d}  precision {total.precision:.3f}  "
            f"recall {total.recall:.3f}  F1 {total.f1:.3f}"
        )
    click.echo("calibration (dev, every candidate):")
    click.echo(calibration_table(calibration(results["dev"][1])))


if __name__ == "__main__":
    main()
