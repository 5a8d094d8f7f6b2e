"""World Bank World Development Indicators: the Indicators API v2 and the long CSV extract.

Live: ``GET https://api.worldbank.org/v2/country/{codes}/indicator/{code}?format=json&per_page=20000
&date=1990:<year>`` for every declared series. The API answers a JSON array ``[metadata, rows]``:
``metadata`` has ``page``, ``pages``, ``per_page``, ``total`` and ``lastupdated``; each row has
``indicator {id, value}``, ``country {id, value}``, ``countryiso3code``, ``date`` (the year),
``value`` (null when missing), ``unit``, ``obs_status`` and ``decimal``. A request the API refuses
answers ``[{"message": [{"id", "key", "value"}]}]`` with HTTP 200; a code with no data answers
``[{... "total": 0}, null]``. Answers of more than one page are followed page by page.

Files: the long CSV (``indicator_code, country_name, iso3, year, value``) of ``shared/data/wdi``.

Observations: series ``wdi.<code>``, geo = ISO alpha-3 or World Bank aggregate code, freq ``A``,
measure ``value``, unit from the code (``percent``, ``USD``, ``intl_USD_PPP``…). A code that the
source YAML does not declare is an error (no undeclared input is read).

Periods are stored as the World Bank labels them. For the Logistics Performance Index
(``LP.LPI.*``) that label is the edition year for the 2007–2018 editions but the survey year (2022)
for the 2023 edition; the adapter keeps the publisher's label (so a stored value can be checked
against the API) and the indicator ``logistics_performance`` relabels editions by their year
(``catalog/indicators/goal2/logistics_performance.yaml``, ``formulas/development.py:by_edition``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.model.specs import RawFileSpec
from usmca_monitor.sources.base import Adapter, Payload, Reader, csv_records, json_answer
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.textio import first_line

PREFIX = "wdi."
CSV_COLUMNS = ("indicator_code", "iso3", "year", "value")
# The economies fetched live: the same as the offline extract (USMCA countries, peers, aggregates).
ECONOMIES = ("USA", "MEX", "CAN", "CHN", "JPN", "DEU", "KOR", "VNM", "IND", "THA", "MYS", "GBR", "BRA",
             "WLD", "NAC", "EUU", "LCN", "EAS", "HIC", "OED")
# Aggregates whose ``countryiso3code`` some API answers leave empty: the API's own two-character ids.
AGGREGATE_IDS = {"1W": "WLD", "XU": "NAC", "EU": "EUU", "ZJ": "LCN", "Z4": "EAS", "XD": "HIC", "OE": "OED"}
UNITS = {
    "NY.GDP.PCAP.PP.CD": "intl_USD_PPP", "NY.GDP.PCAP.PP.KD": "intl_USD_2021_PPP",
    "SL.GDP.PCAP.EM.KD": "intl_USD_2021_PPP", "LP.LPI.OVRL.XQ": "score_1_5", "PA.NUS.FCRF": "LCU_per_USD",
    "EN.ATM.CO2E.PC": "tonnes_per_capita", "SP.POP.TOTL": "persons", "SL.TLF.TOTL.IN": "persons",
    "IP.PAT.RESD": "applications", "SP.POP.GROW": "percent",
}
SUFFIX_UNITS = ((re.compile(r"\.(ZS|ZG|ZS\.UN)$"), "percent"), (re.compile(r"\.CD(\.WD|\.WT)?$"), "USD"),
                (re.compile(r"\.MD$"), "days"), (re.compile(r"\.K3$"), "bn_m3"))
YEAR = re.compile(r"^\d{4}$")


def unit_of(code: str) -> str:
    """The unit of a WDI code (explicit for a few, else by the code's suffix)."""
    if code in UNITS:
        return UNITS[code]
    for pattern, unit in SUFFIX_UNITS:
        if pattern.search(code):
            return unit
    raise DataError(f"no unit known for WDI code {code!r}", "sources/worldbank.py",
                    "add the code to UNITS in sources/worldbank.py")


def declared_codes() -> set[str]:
    """The WDI codes the source YAML declares as series."""
    from usmca_monitor.sources.registry import source_specs

    return {s[len(PREFIX):] for s in source_specs()["worldbank"].series}


def _row(code: str, geo: str, year: str, value: float) -> dict[str, object]:
    return {"series": PREFIX + code, "geo": geo, "partner": None, "product": None, "flow": None,
            "measure": "value", "period": year, "freq": "A", "value": value, "unit": unit_of(code)}


def _check_code(code: str, declared: set[str], where: str, line: str) -> None:
    if code not in declared:
        raise DataError(f"WDI code {code!r} is not declared ({line})", where,
                        f"add `wdi.{code}` to the series of catalog/sources/worldbank.yaml, or drop it from the file")


def read_wdi_csv(path: Path, codelists: Codelists) -> Iterator[dict[str, object]]:
    """The long WDI CSV, read as it comes: one row per indicator, economy and year; empty values are skipped."""
    where = str(path)
    declared = declared_codes()
    for lineno, row in csv_records(path, CSV_COLUMNS, strict=True):
        line = f"line {lineno}"
        code, geo, year, text = (row[c] for c in CSV_COLUMNS)
        _check_code(code, declared, where, line)
        if not YEAR.match(year.strip()):
            raise DataError(f"year {year!r} is not a year YYYY ({line})", where, "years are four digits")
        if text.strip() == "":
            continue
        try:
            value = float(text)
        except ValueError:
            raise DataError(f"value {text!r} is not a number ({line})", where, "values are numbers") from None
        yield _row(code, geo.strip(), year.strip(), value)


def parse_api_answer(content: bytes, url: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The metadata and rows of one API answer, or a DataError naming the URL and the fix."""
    data: Any = json_answer(content, url, "add format=json to the call; an HTML or XML page came back")
    if isinstance(data, list) and data and isinstance(data[0], dict) and "message" in data[0]:
        messages = data[0]["message"] or [{}]
        detail = "; ".join(f"{m.get('id', '?')} {m.get('key', '')}: {m.get('value', '')}".strip() for m in messages)
        raise DataError(f"the World Bank API refused the request ({detail})", url,
                        "check the indicator code and the country codes (ISO alpha-3 or aggregate codes)")
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], dict)
            and (data[1] is None or isinstance(data[1], list))):
        raise DataError("the answer is not the API's [metadata, rows] array", url,
                        "the Indicators API v2 answers [metadata, rows]; check the call")
    return data[0], data[1] or []


def parse_rows(rows: list[dict[str, Any]], url: str, declared: set[str]) -> list[dict[str, object]]:
    """Observation rows from the API's rows (missing values skipped)."""
    out: list[dict[str, object]] = []
    for number, item in enumerate(rows, start=1):
        line = f"row {number}"
        try:
            code = str(item["indicator"]["id"])
            geo = str(item.get("countryiso3code") or AGGREGATE_IDS.get(str(item["country"]["id"]), ""))
            year, value = str(item["date"]), item["value"]
        except (KeyError, TypeError):
            raise DataError(f"a row lacks indicator.id, country, date or value ({line})", url,
                            "the payload is not an Indicators API v2 answer; fetch again") from None
        _check_code(code, declared, url, line)
        if not geo:
            raise DataError(f"economy {item['country']!r} has no ISO3 or known aggregate code ({line})", url,
                            "add its id to AGGREGATE_IDS in sources/worldbank.py")
        if not YEAR.match(year):
            raise DataError(f"date {year!r} is not a year ({line})", url,
                            "ask for annual data (the WDI source); quarterly sources are not read here")
        if value is None:
            continue
        if not isinstance(value, int | float):
            raise DataError(f"value {value!r} is not a number ({line})", url, "fetch again")
        out.append(_row(code, geo, year, float(value)))
    return out


class WorldBankAdapter(Adapter):
    """The World Bank Indicators API v2 (live) and the WDI long CSV (files)."""

    readers: ClassVar[dict[str, Reader]] = {"wdi_csv": read_wdi_csv}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        return {"wdi_csv": _sniff_csv}

    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        assert self.spec.live is not None
        live = self.spec.live
        dates = f"{live.start}:{dt.date.today().year}"
        payloads: list[Payload] = []
        for series in sorted(self.spec.series):
            code = series[len(PREFIX):]
            progress(code)
            page, pages = 1, 1
            while page <= pages:
                params = {"format": "json", "per_page": "20000", "date": dates}
                if page > 1:
                    params["page"] = str(page)
                response = client.get(f"{live.base_url}/country/{';'.join(ECONOMIES)}/indicator/{code}", params)
                meta, _ = parse_api_answer(response.content, response.url)
                pages = int(meta.get("pages") or 0)
                origin = self.spec.origin_for(RawFileSpec(
                    path="", reader="api", title=f"{self.spec.title.en}: {code}", url=response.url,
                    accessed=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    note=f"lastupdated {meta.get('lastupdated', '?')}"), "", 0)
                payloads.append(Payload(data=response.content, origin=origin, name=f"{code}:{page}"))
                page += 1
        return payloads

    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        declared = declared_codes()
        rows: list[dict[str, object]] = []
        for payload in payloads:
            _, items = parse_api_answer(payload.data, payload.origin.url)
            rows.extend(parse_rows(items, payload.origin.url, declared))
        return rows


def _sniff_csv(path: Path) -> bool:
    return path.suffix.lower() == ".csv" and first_line(path).strip().startswith("indicator_code,")


ADAPTER = WorldBankAdapter
