"""Our World in Data energy data: shares of electricity generation by source, by country and year.

Files: the grapher download of chart ``share-elec-by-source`` (``Entity, Code, Year, Coal - %
electricity, Gas - % electricity, …``) of ``shared/data/energy``.

Live: ``GET https://nyc3.digitaloceanspaces.com/owid-public/data/energy/owid-energy-data.csv``, the
full OWID energy dataset (``country, year, iso_code, …, coal_share_elec, gas_share_elec,
hydro_share_elec, …``; codebook ``owid-energy-codebook.csv`` of github.com/owid/energy-data). One
request; the columns read are the ``<source>_share_elec`` ones listed in ``SOURCES``.

Observations: series ``owid.share_elec``, geo = ISO alpha-3 of a country (OWID regions and
``OWID_`` aggregates are skipped), measure = the generation source (``coal``, ``gas``, ``hydro``,
``solar``, ``wind``, ``oil``, ``nuclear``, ``other_renewables_exc_bio``, ``bioenergy``), freq ``A``,
unit ``percent`` (of total electricity generation).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import ClassVar

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.model.specs import RawFileSpec
from usmca_monitor.sources.base import Adapter, Payload, Reader, complete_text, csv_records
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.textio import decode, first_line

SERIES = "owid.share_elec"
# measure → (grapher column, full-dataset column)
SOURCES: dict[str, tuple[str, str]] = {
    "coal": ("Coal - % electricity", "coal_share_elec"),
    "gas": ("Gas - % electricity", "gas_share_elec"),
    "hydro": ("Hydro - % electricity", "hydro_share_elec"),
    "solar": ("Solar - % electricity", "solar_share_elec"),
    "wind": ("Wind - % electricity", "wind_share_elec"),
    "oil": ("Oil - % electricity", "oil_share_elec"),
    "nuclear": ("Nuclear - % electricity", "nuclear_share_elec"),
    "other_renewables_exc_bio": ("Other renewables excluding bioenergy - % electricity",
                                 "other_renewables_share_elec_exc_biofuel"),
    "bioenergy": ("Bioenergy - % electricity", "biofuel_share_elec"),
}


def _rows(records: Iterable[tuple[int, dict[str, str]]], where: str, code_col: str, year_col: str, column: int,
          codelists: Codelists) -> Iterator[dict[str, object]]:
    for line, record in records:
        code = (record.get(code_col) or "").strip()
        if code not in codelists.areas or not codelists.areas[code].is_country:
            continue  # OWID regions (empty code) and OWID_ aggregates
        year = (record.get(year_col) or "").strip()
        if len(year) != 4 or not year.isdigit():
            raise DataError(f"line {line}: year {year!r} is not a year", where, "give the OWID file as downloaded")
        for measure, names in SOURCES.items():
            text = (record.get(names[column]) or "").strip()
            if not text:
                continue
            try:
                value = float(text)
            except ValueError:
                raise DataError(f"line {line}, column {names[column]}: {text!r} is not a number", where,
                                "give the OWID file as downloaded") from None
            if not -0.5 <= value <= 100.5:
                raise DataError(f"line {line}, column {names[column]}: share {value} is outside 0–100", where,
                                "shares of generation are percentages")
            yield {"series": SERIES, "geo": code, "partner": None, "product": None, "flow": None,
                   "measure": measure, "period": year, "freq": "A", "value": value, "unit": "percent"}


def _check_columns(header: list[str], wanted: list[str], where: str) -> None:
    missing = [c for c in wanted if c not in header]
    if missing:
        raise DataError(f"missing columns: {', '.join(missing)}", where,
                        "give the OWID share-elec-by-source download or owid-energy-data.csv")


GRAPHER_COLUMNS = ("Code", "Year", *(n[0] for n in SOURCES.values()))
FULL_COLUMNS = ("iso_code", "year", *(n[1] for n in SOURCES.values()))
FIX = "give the OWID share-elec-by-source download or owid-energy-data.csv"


def read_grapher(path: Path, codelists: Codelists) -> Iterator[dict[str, object]]:
    """Shares of generation from the OWID grapher download (``Entity, Code, Year, <Source> - % electricity``)."""
    yield from _rows(csv_records(path, GRAPHER_COLUMNS, encoding="utf-8-sig", fix=FIX), str(path), "Code", "Year", 0,
                     codelists)


def parse_full(content: bytes, where: str, codelists: Codelists) -> list[dict[str, object]]:
    """Shares of generation from the full ``owid-energy-data.csv`` (``iso_code, year, <source>_share_elec``)."""
    text = decode(content, where, "utf-8-sig")
    if text.lstrip().startswith("<"):
        raise DataError(f"the answer is a web page, not the CSV (starts {text.lstrip()[:40]!r})", where,
                        "check the URL in catalog/sources/owid_energy.yaml (live.base_url)")
    complete_text(text, where)
    try:
        reader = csv.DictReader(io.StringIO(text))
        _check_columns(list(reader.fieldnames or []), list(FULL_COLUMNS), where)
        return list(_rows(enumerate(reader, start=2), where, "iso_code", "year", 1, codelists))
    except csv.Error as exc:
        raise DataError(f"not a CSV file ({exc})", where, FIX) from None


def read_full(path: Path, codelists: Codelists) -> Iterator[dict[str, object]]:
    """The full ``owid-energy-data.csv`` as a local file, read as it comes."""
    yield from _rows(csv_records(path, FULL_COLUMNS, encoding="utf-8-sig", fix=FIX), str(path), "iso_code", "year", 1,
                     codelists)


def _header(path: Path) -> str:
    return first_line(path)


class OwidEnergyAdapter(Adapter):
    """OWID electricity mix: the grapher download (files) and the full energy dataset (live)."""

    readers: ClassVar[dict[str, Reader]] = {"owid_grapher_share_elec": read_grapher, "owid_energy_data": read_full}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        return {"owid_grapher_share_elec": lambda p: "% electricity" in _header(p),
                "owid_energy_data": lambda p: "iso_code" in _header(p)}

    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        assert self.spec.live is not None
        progress("owid-energy-data.csv")
        response = client.get(self.spec.live.base_url)
        origin = self.spec.origin_for(RawFileSpec(
            path="", reader="owid_energy_data", title=f"{self.spec.title.en}: owid-energy-data.csv", url=response.url,
            accessed=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")), "", 0)
        return [Payload(data=response.content, origin=origin, name="owid-energy-data.csv")]

    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for payload in payloads:
            rows.extend(parse_full(payload.data, payload.origin.url, codelists))
        return rows


ADAPTER = OwidEnergyAdapter
