"""U.S. Census Bureau international trade in goods by partner and product: the live API and three file layouts.

Live: the queries declared under ``live.queries`` in ``catalog/sources/census_trade.yaml`` — partner
totals (``exports/hs`` ``ALL_VAL_MO``: total exports, f.a.s.; ``imports/hs`` ``GEN_VAL_MO``: general
imports, customs value), HS chapters/headings/subheadings, NAICS industries and Advanced Technology
Products by country — one call per query, flow and year (``sources/census_api.py`` says how).

Files: the monthly partner CSV (``year, month, cty_code, cty_name, exports_total_usd,
imports_general_usd``), and Census's ``country.xlsx`` workbook (``year, CTY_CODE, CTYNAME,
IJAN..IDEC, EJAN..EDEC``; values in millions of dollars), and imports by HS chapter and country
(``year, month, hs2, cty_code, cty_name, imports_general_usd``, Parquet or CSV: API responses for
``imports/hs?get=I_COMMODITY,CTY_CODE,GEN_VAL_MO&COMM_LVL=HS2``) as series ``census.trade.hs2``
with product ``HS:<chapter>``.

Quirks: U.S. exports to Canada are Canadian import data (exchange of data since 1990); a month
with no record means no trade or a suppressed value; Gaza Strip (5082) and West Bank (5083) are
both ISO PSE and are summed; code 8220 has no name and is dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pyarrow as pa

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.model.specs import RawFileSpec
from usmca_monitor.sources.base import Adapter, Payload, Reader, csv_records, to_observations
from usmca_monitor.sources.census_api import (
    Accumulator,
    Call,
    call_for,
    number,
    parse_answer,
    parse_api_rows,
    plan,
    require,
)
from usmca_monitor.sources.census_bulk import archives, is_archive, read_archive
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.textio import first_line

log = logging.getLogger(__name__)

SERIES = "census.trade.partner"
HS2_SERIES = "census.trade.hs2"
HS2_COLUMNS = ("year", "month", "hs2", "cty_code", "cty_name", "imports_general_usd")
CSV_COLUMNS = ("year", "month", "cty_code", "cty_name", "exports_total_usd", "imports_general_usd")
CHUNK = 4_096  # rows handed on at a time by the streaming readers
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

def read_partner_csv(path: Path, codelists: Codelists) -> Iterator[dict[str, object]]:
    """The monthly partner CSV (one row per country and month, both flows), read as it comes."""
    where = str(path)
    acc = Accumulator(codelists, where, SERIES)
    for lineno, row in csv_records(path, CSV_COLUMNS, strict=True,
                                   fix=f"the file needs the columns {', '.join(CSV_COLUMNS)}"):
        line = f"line {lineno}"
        period = _month(row["year"], row["month"], where, line)
        code = row["cty_code"].strip()
        acc.add(code, "export", period, number(row["exports_total_usd"], where, "exports_total_usd", line), line)
        acc.add(code, "import", period, number(row["imports_general_usd"], where, "imports_general_usd", line), line)
        if len(acc.pending) >= CHUNK:
            yield from acc.drain()
    yield from acc.rows()


def _month(year: object, month: object, where: str, line: str) -> str:
    try:
        y, m = int(str(year)), int(str(month))
        if not 1 <= m <= 12 or not 1000 <= y <= 9999:
            raise ValueError(month)
    except (TypeError, ValueError):
        raise DataError(f"year/month {year!r}/{month!r} is not a date ({line})", where,
                        "year is YYYY and month 1-12") from None
    return f"{y:04d}-{m:02d}"


def _hs2_rows(path: Path) -> Iterable[tuple[int, dict[str, object]]]:
    """The rows of an HS2-by-country file (Parquet or CSV), numbered from the first data row, read a
    batch at a time."""
    where = str(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            source = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
            raise DataError(f"not a readable Parquet file ({exc.__class__.__name__})", where,
                            "download the HS2 file again") from exc
        require(source.schema_arrow.names, HS2_COLUMNS, where)
        number_ = 0
        for batch in source.iter_batches(batch_size=CHUNK, columns=list(HS2_COLUMNS)):
            for row in batch.to_pylist():
                number_ += 1
                yield number_, row
        return
    for lineno, row in csv_records(path, HS2_COLUMNS, fix=f"the file needs the columns {', '.join(HS2_COLUMNS)}"):
        yield lineno, dict(row)


def read_hs2_imports(path: Path, codelists: Codelists) -> Iterator[dict[str, object]]:
    """U.S. general imports by HS chapter and country, monthly (series ``census.trade.hs2``)."""
    where = str(path)
    acc = Accumulator(codelists, where, HS2_SERIES)
    for lineno, row in _hs2_rows(path):
        line = f"row {lineno}"
        period = _month(row["year"], row["month"], where, line)
        chapter = str(row["hs2"]).strip()
        if not (len(chapter) == 2 and chapter.isdigit()):
            raise DataError(f"hs2 {chapter!r} is not a two-digit HS chapter ({line})", where,
                            "the hs2 column holds chapters 01-99 as text")
        value = number(None if row["imports_general_usd"] is None else str(row["imports_general_usd"]),
                       where, "imports_general_usd", line)
        acc.add(str(row["cty_code"]).strip(), "import", period, value, line, product=f"HS:{chapter}")
        if len(acc.pending) >= CHUNK:
            yield from acc.drain()
    yield from acc.rows()


def read_country_xlsx(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """Census ``country.xlsx``: monthly exports/imports by country since 1985, in millions of dollars.

    Individual countries are mapped through the Census code list; the workbook numbers its own
    groupings differently from the API (e.g. 0015 for the world, not seasonally adjusted), so
    group rows other than the world total are skipped rather than guessed.
    """
    import openpyxl

    where = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise DataError(f"not a readable .xlsx workbook ({exc.__class__.__name__})", where,
                        "download country.xlsx again from census.gov/foreign-trade/balance/") from exc
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    needed = ["year", "CTY_CODE", "CTYNAME", *(f"I{m}" for m in MONTHS), *(f"E{m}" for m in MONTHS)]
    require(header, needed, where)
    col = {name: header.index(name) for name in needed}
    acc = Accumulator(codelists, where, SERIES)
    for lineno, values in enumerate(rows, start=2):
        row = {name: values[i] if i < len(values) else None for name, i in col.items()}
        if row["year"] is None:
            continue
        code = _xlsx_code(str(row["CTY_CODE"]).strip(), str(row["CTYNAME"]))
        if code is None:
            continue
        line = f"row {lineno}"
        for index, month in enumerate(MONTHS, start=1):
            period = _month(_cell(row["year"]), index, where, line)
            for flow, prefix in (("export", "E"), ("import", "I")):
                value = number(_cell(row[prefix + month]), where, prefix + month, line)
                if value is not None and math.isfinite(value):  # a non-finite value is refused at the door
                    value = float(round(value * 1e6))  # millions to whole dollars
                acc.add(code, flow, period, value, line)
    book.close()
    return acc.rows()


def _cell(value: object) -> str | None:
    """A workbook cell as text (a whole number stored as a float, 2024.0, as 2024)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None if value is None else str(value)


def _xlsx_code(code: str, name: str) -> str | None:
    """The API code for a workbook row, or None for a workbook-only grouping."""
    if code == "0015" or name.strip().lower().startswith("world, not seasonally adjusted"):
        return "-"
    if code.isdigit() and int(code) < 1000:
        return None
    return code


def _sniff_csv(path: Path) -> bool:
    return path.suffix.lower() == ".csv" and first_line(path).strip().startswith("year,month,cty_code")


def _sniff_hs2(path: Path) -> bool:
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            return set(HS2_COLUMNS) <= set(pq.read_schema(path).names)
        except Exception:  # not Parquet: another layout may still fit
            return False
    return path.suffix.lower() == ".csv" and first_line(path).strip().startswith("year,month,hs2,cty_code")


def _sniff_xlsx(path: Path) -> bool:
    return path.suffix.lower() in {".xlsx", ".xlsm"}


@dataclass(frozen=True)
class BulkFiles:
    """Census's monthly merchandise trade archives, read as a stream of observation batches."""

    paths: tuple[Path, ...]
    reader: str = "merchandise_trade_detail"

    def batches(self, codelists: Codelists, source_id: str, vintage: str) -> Iterator[pa.Table]:
        """The observations of every archive, month by month."""
        for path in self.paths:
            yield from read_archive(path, codelists, source_id, vintage)


class CensusTradeAdapter(Adapter):
    """The Census International Trade API and files, by partner country."""

    readers: ClassVar[dict[str, Reader]] = {"partner_csv": read_partner_csv, "country_xlsx": read_country_xlsx,
                                            "hs2_imports": read_hs2_imports}

    def bulk_reader(self, path: Path) -> BulkFiles | None:
        """Census's monthly HS10 detail archives (IMDB<yymm>.ZIP, EXDB<yymm>.ZIP, or a folder of them),
        streamed in bounded memory (``sources/census_bulk.py``); None for any other file."""
        if path.is_dir() or is_archive(path):
            return BulkFiles(tuple(archives(path)))
        return None

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        return {"partner_csv": _sniff_csv, "hs2_imports": _sniff_hs2, "country_xlsx": _sniff_xlsx}

    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        assert self.spec.live is not None
        return list(self._payloads(client, plan(self.spec.live), progress))

    def _payloads(self, client: HttpClient, calls: list[Call], progress: Callable[[str], None]) -> Iterator[Payload]:
        """The answers of ``calls``, one at a time (a month or year with no released data is skipped)."""
        assert self.spec.live is not None
        live = self.spec.live
        key = os.environ.get(live.key_env or "", "")
        for call in calls:
            when = f"{call.year}-{call.month:02d}" if call.month else str(call.year)
            progress(f"{call.query.name} {call.flow}s {when}" + (" (world)" if call.world else ""))
            response = client.get(f"{live.base_url}/{call.path}", call.params(key))
            if response.status == 204 or not response.content.strip():
                continue  # a period with no released month yet
            origin = self.spec.origin_for(_raw_spec(self.spec.title.en, response.url), "", 0)
            yield Payload(data=response.content, origin=origin, name=call.name)

    def streams(self) -> bool:
        """Whether the declared queries include a monthly (bulk) one: then an update streams."""
        return self.spec.live is not None and any(q.monthly for q in self.spec.live.queries)

    def stream_live(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None],
                    store_raw: Callable[[Payload], object], vintage: str) -> Iterator[pa.Table]:
        """Every call of the declared queries (monthly ones month by month), each answer stored raw
        (``store_raw``) and turned into one batch of observations as it arrives: memory holds one answer."""
        assert self.spec.live is not None
        live = self.spec.live
        for payload in self._payloads(client, plan(live, monthly=True), progress):
            store_raw(payload)
            acc = Accumulator(codelists, "Census API", SERIES)
            parse_answer(call_for(payload.name, live), payload.data, payload.origin.url, acc)
            yield to_observations(acc.rows(), self.spec.id, vintage, "official")

    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        assert self.spec.live is not None
        acc = Accumulator(codelists, "Census API", SERIES)
        for payload in payloads:
            parse_answer(call_for(payload.name, self.spec.live), payload.data, payload.origin.url, acc)
        return acc.rows()


def _raw_spec(title: str, url: str) -> RawFileSpec:
    return RawFileSpec(path="", reader="api", title=title, url=url,
                       accessed=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


__all__ = ["ADAPTER", "parse_api_rows", "read_country_xlsx", "read_hs2_imports", "read_partner_csv"]


ADAPTER = CensusTradeAdapter
