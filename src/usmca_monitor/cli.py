"""The ``usmca`` command line: each command a thin call into ``api``."""

from __future__ import annotations

import csv
import io
import json
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

from usmca_monitor import api
from usmca_monitor.model.errors import UsmcaError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="usmca-monitor: North American trade and goals, from official data.")
out = Console()
err = Console(stderr=True)
T = TypeVar("T")

FORMATS = ("table", "csv", "json")


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
) -> None:
    """Compute everything from the store (the embedded snapshot if nothing newer) and publish the site.

    Example: usmca build --out _site --lang en,es,fr
    """
    from usmca_monitor.publish.build import build_site

    with _progress("building") as tick:
        report = _run(lambda: build_site(out_dir, [x.strip() for x in lang.split(",") if x.strip()],
                                         vintage=vintage, progress=tick))
    out.print(f"built {report.pages} pages, {report.files} files into {out_dir}", markup=False)


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8000,
    site: Annotated[Path, typer.Option(help="The built site folder.")] = Path("_site"),
) -> None:
    """Serve the built site and the data API (/api/v1/…) on localhost.

    Example: usmca serve --port 8000
    """
    from usmca_monitor.publish.server import serve as run_server

    _run(lambda: run_server(site, port, announce=lambda url: out.print(f"serving {url}", markup=False)))


@app.command()
def update(
    sources: Annotated[list[str] | None, typer.Argument(help="Source ids; all live sources when omitted.")] = None,
) -> None:
    """Fetch live data into new vintages; offline, one clear line and nothing changes.

    Example: usmca update census_trade
    """
    ids = sources or [s["id"] for s in api.list_sources() if s["live"]]
    for source_id in ids:
        with _progress(f"updating {source_id}") as tick:
            vintage = _run(lambda sid=source_id, t=tick: api.update(sid, progress=t))  # type: ignore[misc]
        out.print(f"{source_id}: new vintage {vintage.vintage} ({vintage.rows} observations)", markup=False)


@app.command("import")
def import_(
    source: Annotated[str, typer.Argument(help="Source id, e.g. census_trade.")],
    file: Annotated[Path, typer.Argument(help="A file in one of the source's layouts.")],
) -> None:
    """Load a downloaded file (e.g. Census country.xlsx) into a new vintage of a source.

    Example: usmca import census_trade country.xlsx
    """
    vintage = _run(lambda: api.import_file(source, file))
    out.print(f"{source}: new vintage {vintage.vintage} ({vintage.rows} observations)", markup=False)


@app.command()
def query(
    indicator: Annotated[str, typer.Argument(help="Indicator id (`usmca indicators`).")],
    geo: Annotated[str, typer.Option(help="Reporter (ISO3).")] = "USA",
    partner: Annotated[str | None, typer.Option(help="Partner (ISO3 or group: MEX, CAN, WLD, EU…).")] = None,
    product: Annotated[str | None, typer.Option(help="Product code, e.g. HS:87.")] = None,
    period: Annotated[str | None, typer.Option(help="2024, 2024-H1, 2024-Q2, 2024-YTD06, 2024-06.")] = None,
    vintage: Annotated[str | None, typer.Option(help="Pin a stored vintage.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Print an indicator's values with unit, period, source, vintage and badge.

    Example: usmca query tdr --partner MEX --period 2024 --format json
    """
    if fmt not in FORMATS:
        err.print(f"error: --format: unknown format {fmt!r} — fix: use one of {', '.join(FORMATS)}", markup=False)
        raise typer.Exit(1)
    rows = _run(lambda: api.query(indicator, geo=geo, partner=partner, product=product, period=period,
                                  vintage=vintage))
    records = [r.as_dict() for r in rows]
    if fmt == "json":
        sys.stdout.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        sys.stdout.write(_csv(records))
    else:
        _table(records, ["indicator", "partner", "period", "value", "unit", "badge", "vintage"])
    if not records:
        err.print("no values match (check --partner and --period)", markup=False)


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


def _csv(records: list[dict[str, Any]]) -> str:
    if not records:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def _table(records: list[dict[str, Any]], columns: list[str]) -> None:
    table = Table(*columns)
    for record in records:
        table.add_row(*("" if record.get(c) is None else str(record.get(c)) for c in columns))
    out.print(table)


def main() -> None:
    """Entry point of the ``usmca`` command."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
