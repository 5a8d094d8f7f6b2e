"""The ``usmca`` command line: each command a thin call into ``api``."""

from __future__ import annotations

import csv
import io
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from usmca_monitor import api, safety
from usmca_monitor.model.errors import UsmcaError
from usmca_monitor.model.redaction import RedactingFilter

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="usmca-monitor: North American trade and goals, from official data.")
out = Console()
err = Console(stderr=True)
T = TypeVar("T")

FORMATS = ("table", "csv", "json")
ENGINE_HELP = "duckdb (embedded, default) or spark (the spark extra and Java; USMCA_SPARK_MASTER for a cluster)."


@contextmanager
def _progress(label: str) -> Iterator[Callable[[str], None]]:
    """A spinner with elapsed time for anything that may take over a second."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(label)
        yield lambda text: bar.update(task, description=f"{label}: {text}")


def _run(call: Callable[[], T]) -> T:
    """Run ``call``; a UsmcaError becomes one line on stderr and exit code 1."""
    try:
        return call()
    except UsmcaError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


@app.command()
def build(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the site.")] = Path("_site"),
    lang: Annotated[str, typer.Option(help="Languages, comma-separated.")] = "en,es,fr",
    vintage: Annotated[str | None, typer.Option(help="Pin a vintage of its source.")] = None,
    goals: Annotated[Path | None, typer.Option("--goals", help="Folder of stakeholder goal files to publish.")]
    = None,
    engine: Annotated[str, typer.Option(help=ENGINE_HELP)] = "duckdb",
    base_url: Annotated[str | None, typer.Option("--base-url", help="Where the site is published (makes embed code, "
                                                                    "og:image and ids absolute).")] = None,
    full: Annotated[bool, typer.Option("--full", help="Redo every page, even those whose inputs did not change.")]
    = False,
) -> None:
    """Compute everything from the store (the embedded snapshot if nothing newer) and publish the site.

    Only the pages whose inputs (vintages, specs, templates, translations, program) changed since the
    previous build are redone; when nothing changed, nothing is written.

    Example: usmca build --out _site --lang en,es,fr
    """
    from usmca_monitor.publish.build import build_site

    with _progress("building") as tick:
        report = _run(lambda: build_site(out_dir, [x.strip() for x in lang.split(",") if x.strip()],
                                         vintage=vintage, progress=tick, goals_dir=goals, engine=engine,
                                         base_url=base_url, full=full))
    if not report.published:
        out.print(f"{report.summary}; {out_dir} left as it was", markup=False)
        return
    out.print(f"built {report.pages} pages, {report.files} files into {out_dir}", markup=False)
    out.print(report.summary, markup=False, highlight=False, soft_wrap=True)
    for code, count in report.indicator_pages.items():
        out.print(f"indicator pages ({code}): {count}", markup=False)
    for indicator, why in sorted(report.without_data.items()):
        out.print(f"no data: {indicator} — {why}", markup=False, highlight=False, soft_wrap=True)


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8000,
    site: Annotated[Path, typer.Option(help="The built site folder.")] = Path("_site"),
) -> None:
    """Serve the built site and the data API (/api/v1/…) on localhost.

    Example: usmca serve --port 8000
    """
    from usmca_monitor.server import serve as run_server

    _run(lambda: run_server(site, port, announce=lambda url: out.print(f"serving {url}", markup=False)))


@app.command()
def update(
    sources: Annotated[list[str] | None, typer.Argument(help="Source ids; all live sources when omitted.")] = None,
    query: Annotated[list[str] | None, typer.Option(
        "--query", help="Only these declared live queries (e.g. hitech); the other series keep their vintage.")] = None,
) -> None:
    """Fetch live data into new vintages; offline, one clear line and nothing changes.

    A source with declared live queries (census_trade: partner, hs2, hs4, hs6, naics3, naics4, naics6,
    hitech) can be refreshed one query at a time with --query; series the new vintage lacks are read
    from the newest vintage that holds them.

    Example: usmca update census_trade --query hitech --query naics3
    """
    ids = sources or [s["id"] for s in api.list_sources() if s["live"]]
    for source_id in ids:
        with _progress(f"updating {source_id}") as tick:
            vintage = _run(lambda sid=source_id, t=tick: api.update(sid, progress=t, queries=query))  # type: ignore[misc]
        out.print(f"{source_id}: new vintage {vintage.vintage} ({vintage.rows} observations)", markup=False)


@app.command("import")
def import_(
    source: Annotated[str, typer.Argument(help="Source id, e.g. census_trade.")],
    file: Annotated[Path, typer.Argument(help="A file in one of the source's layouts.")],
    encoding: Annotated[str | None, typer.Option(
        help="Text encoding of a CSV that is not UTF-8 (e.g. cp1252, latin-1, utf-16).")] = None,
    max_size: Annotated[float | None, typer.Option(
        help="Largest file accepted, in MB (default 1024, or USMCA_MAX_FILE_MB).")] = None,
) -> None:
    """Load a downloaded file (e.g. Census country.xlsx) into a new vintage of a source.

    Source ids may be written with hyphens (spi-us = spi_us). The U.S. States Social Progress Index
    (spi-us) takes CSV or Excel in the long layout (year, iso_3166_2, level, code, score) or the wide
    one (year, iso_3166_2 or state, then spi, the 3 dimensions and 12 components by slug or name).
    Every source also takes a tidy CSV in the observation schema (header series,geo,partner,product,
    flow,measure,period,freq,value,unit[,status]) holding only the series the source declares.

    Every value is checked before anything is stored (finite numbers, the series' sign and range, known
    codes, no duplicate observations); text must be UTF-8 unless --encoding says otherwise.

    Example: usmca import spi-us us_states_spi.csv
    """
    source_id = source.replace("-", "_")
    vintage = _run(lambda: api.import_file(source_id, file, encoding=encoding, max_size_mb=max_size))
    out.print(f"{source_id}: new vintage {vintage.vintage} ({vintage.rows} observations)", markup=False)


@app.command()
def query(
    indicator: Annotated[str, typer.Argument(help="Indicator id (`usmca indicators`).")],
    geo: Annotated[str, typer.Option(help="Reporter (ISO3) or subdivision (ISO 3166-2: MX-NLE, US-TX).")] = "USA",
    partner: Annotated[str | None, typer.Option(help="Partner (ISO3 or group: MEX, CAN, WLD, EU…).")] = None,
    product: Annotated[str | None, typer.Option(help="Product code, e.g. HS:87.")] = None,
    period: Annotated[str | None, typer.Option(help="2024, 2024-H1, 2024-Q2, 2024-YTD06, 2024-06.")] = None,
    vintage: Annotated[str | None, typer.Option(help="Pin a stored vintage.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    engine: Annotated[str, typer.Option(help=ENGINE_HELP)] = "duckdb",
    all_rows: Annotated[bool, typer.Option("--all", help="Every row: all geos, partners, products and "
                                                         "frequencies (the site's data/<id>.csv).")] = False,
) -> None:
    """Print an indicator's values with unit, period, source, vintage and badge.

    Example: usmca query tdr --partner MEX --period 2024 --format json
    """
    if fmt not in FORMATS:
        err.print(f"error: --format: unknown format {fmt!r} — fix: use one of {', '.join(FORMATS)}", markup=False)
        raise typer.Exit(1)
    if all_rows:
        _query_all(indicator, vintage, fmt, bool(partner or product or period or geo != "USA"))
        return
    rows = _run(lambda: api.query(indicator, geo=geo, partner=partner, product=product, period=period,
                                  vintage=vintage, engine=engine))
    records = [r.as_dict() for r in rows]
    if fmt == "json":
        sys.stdout.write(safety.dumps(records, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        sys.stdout.write(_csv(records))
    else:
        _table(records, ["indicator", "partner", "period", "value", "unit", "badge", "vintage"])
    if not records:
        empty = api.empty_inputs(indicator, vintage=vintage)
        if empty:
            series, source = next(iter(empty.items()))
            err.print(f"no values: the store holds no {series} observations — fix: `usmca update {source}` "
                      f"(or `usmca import {source} FILE`)", markup=False, highlight=False, soft_wrap=True)
        else:
            err.print("no values match (check --partner and --period)", markup=False)


def _query_all(indicator: str, vintage: str | None, fmt: str, filtered: bool) -> None:
    """``usmca query ID --all``: every row of the indicator."""
    from usmca_monitor.writers import write_csv

    if filtered:
        err.print("error: --all: prints every row — fix: drop --geo, --partner, --product and --period, or drop --all",
                  markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    table = _run(lambda: api.query_all(indicator, vintage=vintage))
    if fmt == "csv":
        write_csv(table, sys.stdout)
    elif fmt == "json":
        from usmca_monitor.safety import dumps

        sys.stdout.write(dumps(table.to_pylist(), indent=2) + "\n")
    else:
        _table(table.to_pylist(), ["indicator", "geo", "partner", "product", "period", "value", "unit", "badge"])
    if not table.num_rows:
        err.print("no values: the store holds none of this indicator's inputs (see `usmca sources`)", markup=False)


@app.command()
def sources() -> None:
    """List the sources with their current vintage and coverage.

    Example: usmca sources
    """
    _table(_run(api.list_sources), ["id", "producer", "vintage", "first", "last", "rows", "vintages", "live"])


@app.command()
def indicators() -> None:
    """List the indicators with unit, frequencies and inputs.

    Example: usmca indicators
    """
    rows = [{**r, "freqs": ",".join(r["freqs"]), "inputs": ", ".join(r["inputs"].values())}
            for r in _run(api.list_indicators)]
    _table(rows, ["id", "title", "unit", "freqs", "inputs"])


@app.command("truck-class", context_settings={"ignore_unknown_options": True})
def truck_class(
    weight: Annotated[str, typer.Argument(help="Gross vehicle weight rating (GVWR), e.g. 26001.")],
    unit: Annotated[str, typer.Option(help="lb (default) or kg; 1 lb = 0.45359237 kg exactly.")] = "lb",
    lang: Annotated[str, typer.Option(help="en, es or fr.")] = "en",
) -> None:
    """Print the FHWA truck class (1, 2a, 2b, 3-8) and duty of a gross vehicle weight rating.

    Example: usmca truck-class 26001 --unit lb --lang en
    """
    out.print(_run(lambda: api.truck_class(weight, unit, lang)), markup=False, highlight=False)


@app.command()
def snapshot(
    from_dir: Annotated[Path, typer.Option("--from", help="Folder of raw files (../shared/data).")],
    out_dir: Annotated[Path | None, typer.Option("--out", help="Where to write (default: the package's data/).")]
    = None,
) -> None:
    """Maintainers: derive the embedded snapshot (tidy observations + origins) from raw files.

    Example: usmca snapshot --from ../shared/data
    """
    from usmca_monitor.codelists import data_path
    from usmca_monitor.snapshot import build_snapshot

    result = _run(lambda: build_snapshot(from_dir, out_dir or data_path()))
    for source_id, rows in result.sources.items():
        out.print(f"{source_id}: {rows} observations", markup=False)
    out.print(f"codelists: {', '.join(result.codelists)} → {result.out}", markup=False)


@app.command()
def diff(
    source: Annotated[str, typer.Argument(help="Source id, e.g. census_trade (`usmca sources`).")],
    old: Annotated[str | None, typer.Option("--from", help="The older vintage (default: the one before --to).")]
    = None,
    new: Annotated[str | None, typer.Option("--to", help="The newer vintage (default: the newest).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv (the observations) or json (everything).")]
    = "table",
) -> None:
    """Show what changed between two vintages of a source: observations added, removed and revised (with
    the size of each revision), and the indicators, facts, targets (status changes named) and pages moved.

    Example: usmca diff census_trade --format table
    """
    from usmca_monitor.cli_changes import print_diff

    if fmt not in FORMATS:
        err.print(f"error: --format: unknown format {fmt!r} — fix: use one of {', '.join(FORMATS)}", markup=False)
        raise typer.Exit(1)
    with _progress(f"comparing vintages of {source}"):
        record = _run(lambda: api.diff(source.replace("-", "_"), old=old, new=new))
    print_diff(record, fmt, out)


@app.command()
def refresh(
    sources: Annotated[list[str] | None, typer.Argument(help="Source ids; every live source when omitted.")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="The published site folder.")] = Path("_site"),
    lang: Annotated[str, typer.Option(help="Languages, comma-separated.")] = "en,es,fr",
) -> None:
    """Update every live source, and when anything changed rebuild and publish the site; print what changed.

    Exit codes for a scheduler: 0 nothing changed (site left as it was), 10 changes published,
    3 some sources failed (named on stderr; the others' changes were published), 1 nothing could be
    updated or the build failed (data and site as they were).

    Example: usmca refresh --out /var/www/usmca
    """
    from usmca_monitor.cli_changes import print_refresh

    langs = [x.strip() for x in lang.split(",") if x.strip()]
    with _progress("refreshing") as tick:
        result = _run(lambda: api.refresh(sources, out=out_dir, langs=langs, progress=tick))
    print_refresh(result, out, err)
    raise typer.Exit(result.exit_code)


@app.command()
def report(
    lang: Annotated[str, typer.Option(help="en, es or fr.")] = "en",
    goal: Annotated[int | None, typer.Option(help="Only this goal's chapter (1-4).")] = None,
    indicator: Annotated[str | None, typer.Option(help="One indicator's page instead of the report.")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="The PDF to write.")] = None,
    vintage: Annotated[str | None, typer.Option(help="Pin a vintage of its source.")] = None,
) -> None:
    """Write "North America in data" as a PDF from current data: cover, the four goals with status, a
    chapter per goal (charts, tables, facts with verdicts), sources and vintages. Not built by `usmca build`.

    Example: usmca report --lang es --out informe.pdf
    """
    from usmca_monitor.publish.report import write_report

    target = out_file or Path(f"north-america-in-data{'-' + indicator if indicator else ''}.{lang}.pdf")
    with _progress("typesetting the report"):
        written = _run(lambda: write_report(target, lang, goal=goal, indicator=indicator, vintage=vintage))
    out.print(f"wrote {written.pages} pages to {written.path}", markup=False)


goals_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                        help="The shared goals and their progress; judge any series; validate a stakeholder "
                             "goal file. Example: usmca goals progress --format table")
app.add_typer(goals_app, name="goals")
GOAL_FORMATS = ("table", "json")


def _goal_format(fmt: str) -> None:
    if fmt not in GOAL_FORMATS:
        err.print(f"error: --format: unknown format {fmt!r} — fix: use table or json", markup=False)
        raise typer.Exit(1)


@goals_app.command("list")
def goals_list(fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table") -> None:
    """List every target of the four shared goals: indicator, selection, method, direction, target.

    Example: usmca goals list --format table
    """
    _goal_format(fmt)
    rows = _run(api.list_goals)
    if fmt == "json":
        sys.stdout.write(safety.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    _table(rows, ["goal", "target", "indicator", "selection", "method", "direction", "value", "year"])


@goals_app.command("assess")
def goals_assess(
    method: Annotated[str, typer.Option(help="cagr_ratio, linear, un_progress_chart or semaforo.")],
    values: Annotated[str, typer.Option(help="The series: YEAR=VALUE pairs, e.g. 2015=10,2020=12.5.")],
    direction: Annotated[str, typer.Option(help="increase or decrease.")],
    base_year: Annotated[int | None, typer.Option(help="Base year (default: the first year given).")] = None,
    target: Annotated[float | None, typer.Option(help="Target value (only where a source gives one).")] = None,
    target_year: Annotated[int | None, typer.Option(help="Year of the target (default 2050).")] = None,
    limit: Annotated[float | None, typer.Option(help="cagr_ratio without a target: a natural limit L.")] = None,
    bands: Annotated[str | None, typer.Option(help="semaforo thresholds, e.g. green=4.5,yellow=3.4,orange=0.")]
    = None,
    benchmark: Annotated[str | None, typer.Option(help="semaforo benchmark series, e.g. 2015=5.5,2020=5.0.")]
    = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Judge one annual series with a progress method: status, score, projection and every component.

    Example: usmca goals assess --method cagr_ratio --values 2015=10,2020=12.5 --direction increase --format json
    """
    _goal_format(fmt)
    result = _run(lambda: api.assess_series(method, api.parse_year_values(values), direction=direction,
                                            base_year=base_year, target=target, target_year=target_year,
                                            limit=limit, bands=bands,
                                            benchmark=api.parse_year_values(benchmark) if benchmark else None))
    record = result.as_dict()
    if fmt == "json":
        sys.stdout.write(safety.dumps(record, indent=2, ensure_ascii=False) + "\n")
        return
    _table([{"component": k, "value": v} for k, v in (
        ("status", record["status"]), ("score", record["score"]), ("projected", record["projected"]),
        *record["components"].items(), ("reason", record["reason"] or None))], ["component", "value"])


@goals_app.command("progress")
def goals_progress(
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    rollup: Annotated[str | None, typer.Option(help="mean or two_worst (default: each goal's own rule).")] = None,
    vintage: Annotated[str | None, typer.Option(help="Pin a stored vintage.")] = None,
    engine: Annotated[str, typer.Option(help=ENGINE_HELP)] = "duckdb",
) -> None:
    """Print every target's status, its method score (−5…5) and its direction since the baseline
    (better, worse, mixed), and each goal's roll-up; --format json adds each series' plain reading:
    baseline, latest, pace achieved and needed, verdict and the path to the 2026/2030/2036 milestones.

    Example: usmca goals progress --format table
    """
    _goal_format(fmt)
    goals = _run(lambda: api.goals_progress(rollup=rollup, vintage=vintage, engine=engine))
    if fmt == "json":
        sys.stdout.write(safety.dumps([g.as_dict() for g in goals], indent=2, ensure_ascii=False) + "\n")
        return
    rows = []
    for goal in goals:
        rows.append({"goal": goal.spec.id, "target": f"GOAL {goal.spec.id}", "status": goal.rolled.status,
                     "score": _score(goal.rolled.score), "travel": goal.travel,
                     "covered": f"{goal.rolled.covered}/{goal.rolled.total}"})
        rows += [{"goal": goal.spec.id, "target": t.spec.id, "status": t.rolled.status, "score": _score(t.rolled.score),
                  "travel": t.travel, "covered": f"{t.rolled.covered}/{t.rolled.total}"} for t in goal.targets]
    _table(rows, ["goal", "target", "status", "score", "travel", "covered"])


def _score(value: float | None) -> str | None:
    return None if value is None else f"{value:.2f}"


@goals_app.command("init")
def goals_init(
    file: Annotated[Path, typer.Argument(help="Where to write the stakeholder goal file (YAML).")],
    force: Annotated[bool, typer.Option(help="Replace the file if it exists.")] = False,
) -> None:
    """Write a commented template of a stakeholder goal file; edit it, then check it with validate.

    Example: usmca goals init stakeholders/my_org.yaml
    """
    written = _run(lambda: api.init_goal_file(file, force=force))
    out.print(f"{written}: written — edit it, then run: usmca goals validate {written}", markup=False,
              soft_wrap=True)


@goals_app.command("validate")
def goals_validate(
    file: Annotated[Path, typer.Argument(help="A stakeholder goal YAML file.")],
    root: Annotated[Path | None, typer.Option(help="The folder files must stay in (default: the file's).")] = None,
) -> None:
    """Check a stakeholder goal file; print every problem as file:line: what — fix: how, or that it is valid.

    Example: usmca goals validate stakeholders/my_org.yaml
    """
    problems = _run(lambda: api.validate_goal_file(file, root))
    for problem in problems:
        out.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    if problems:
        err.print(f"{len(problems)} problem(s) in {file}", markup=False)
        raise typer.Exit(1)
    out.print(f"{file}: valid", markup=False)


facts_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                        help="The report's facts, checked against the data. Example: usmca facts check --format json")
app.add_typer(facts_app, name="facts")


@facts_app.command("check")
def facts_check(
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    vintage: Annotated[str | None, typer.Option(help="Pin a stored vintage.")] = None,
) -> None:
    """Check every fact: report value, value computed for its period, latest value, difference, status.

    Status is agrees (the computed value rounds to the report's figure at its precision), diverges,
    awaiting_data or narrative; the last line counts them.

    Example: usmca facts check --format table
    """
    _goal_format(fmt)
    checked = _run(lambda: api.facts_check(vintage=vintage))
    if fmt == "json":
        record = {"facts": checked["facts"], "summary": checked["summary"]}
        sys.stdout.write(safety.dumps(record, indent=2, ensure_ascii=False) + "\n")
        return
    rows = [{**f, "report_value": _report(f), "computed_value": _num(f["computed_value"]),
             "latest_value": _num(f["latest_value"]), "difference": _num(f["difference"])} for f in checked["facts"]]
    _table(rows, ["id", "status", "report_value", "period", "computed_value", "latest_value", "latest_period",
                  "difference"])
    out.print(checked["line"], markup=False, highlight=False)


def _num(value: float | None) -> str | None:
    return None if value is None else f"{value:.4g}"


def _report(fact: dict[str, Any]) -> str | None:
    """The report's figure as stated: ``≤2``, ``>16``, ``~71``, ``762``."""
    if fact["report_value"] is None:
        return fact["report_value_text"]
    prefix = {"=": "", "~": "~", "<=": "≤", ">=": "≥"}.get(fact["qualifier"], fact["qualifier"])
    return f"{prefix}{fact['report_value']:g}"


def _csv(records: list[dict[str, Any]]) -> str:
    if not records:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: safety.csv_cell(v) for k, v in r.items()} for r in records)
    return buffer.getvalue()


def _table(records: list[dict[str, Any]], columns: list[str]) -> None:
    table = Table(*columns)
    for record in records:
        table.add_row(*("" if record.get(c) is None else str(record.get(c)) for c in columns))
    out.print(table)


def main() -> None:
    """Entry point of the ``usmca`` command."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())  # no secret in any log line (model/redaction.py)
    app()
