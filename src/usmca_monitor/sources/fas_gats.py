"""USDA Foreign Agricultural Service, Global Agricultural Trade System (GATS), through the FAS OpenData
API: U.S. exports by partner and HS code, monthly (Census data as FAS redistributes it).

Live: ``GET {base}/gats/countries`` maps FAS partner codes (``countryCode``, e.g. ``MX``, ``CH``) to
ISO3 (``gencCode``); then ``GET {base}/gats/censusExports/partnerCode/{code}/year/{yyyy}/month/{mm}``
per partner and month answers a JSON array of records (``date``, ``countryCode``, ``hS10Code``,
``quantity1``, ``value``…). A free api.data.gov key is read from the environment variable the source
YAML names (``FAS_API_KEY``) and sent as ``api_key`` (never shown in URLs, caches or origins).

BUILT FROM THE DOCUMENTATION: the record fields are those of FAS's OpenData documentation and of
public client code; whether ``value`` is in dollars or thousands could not be confirmed offline, so
it is read as dollars and the source's quirks say so. Records are summed to HS chapters (product
``HS:<2 digits>``, series ``fas.gats.exports``) and to the HS6 subheadings the Goal 3 pages use
(avocados 080440, beer 220300: product ``HS6:<code>``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Callable
from typing import ClassVar

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError, NetworkError, UnknownCodeError
from usmca_monitor.model.specs import RawFileSpec
from usmca_monitor.sources.base import Adapter, Payload, Reader, json_answer
from usmca_monitor.sources.http import HttpClient

SERIES = "fas.gats.exports"
# The destinations the agri-food page shows (ISO3); FAS codes are looked up in /gats/countries.
PARTNERS = ("MEX", "CAN", "CHN", "JPN", "KOR")
HS6_KEPT = ("080440", "220300")


def _json(payload: Payload) -> object:
    return json_answer(payload.data, payload.origin.url,
                       "check the API key and the call against FAS's OpenData documentation")


def country_codes(payload: Payload) -> dict[str, str]:
    """FAS ``countryCode`` → ISO3 (``gencCode``) from a ``/gats/countries`` answer."""
    data = _json(payload)
    if not isinstance(data, list):
        raise DataError("the countries answer is not a JSON array", payload.origin.url,
                        "the API answers [{countryCode, gencCode, …}, …]; check the call")
    return {str(item["countryCode"]).strip(): str(item["gencCode"]).strip() for item in data
            if isinstance(item, dict) and item.get("countryCode") and item.get("gencCode")}


def parse_exports(payload: Payload) -> dict[tuple[str, str], float]:
    """(product, month) → value summed over the HS10 records of one partner-month answer."""
    data = _json(payload)
    url = payload.origin.url
    if not isinstance(data, list):
        raise DataError("the exports answer is not a JSON array", url, "check the call")
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not {"date", "hS10Code", "value"} <= set(item):
            raise DataError(f"record {index} lacks date, hS10Code or value", url,
                            "the censusExports records carry date, countryCode, hS10Code, value")
        month = str(item["date"])[:7]
        code = str(item["hS10Code"]).zfill(10)
        try:
            value = float(item["value"] or 0)
        except (TypeError, ValueError):
            raise DataError(f"record {index}: value {item['value']!r} is not a number", url,
                            "check the answer") from None
        sums[(f"HS:{code[:2]}", month)] += value
        if code[:6] in HS6_KEPT:
            sums[(f"HS6:{code[:6]}", month)] += value
    return sums


class FasGatsAdapter(Adapter):
    """FAS GATS exports by partner, live only (a key from the environment)."""

    readers: ClassVar[dict[str, Reader]] = {}

    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        live = self.spec.live
        assert live is not None
        key = os.environ.get(live.key_env or "", "")
        if not key:
            raise NetworkError("no FAS OpenData API key", f"environment variable {live.key_env}",
                               f"get a free key at https://api.data.gov/signup and set {live.key_env}")
        params = {"api_key": key}
        countries = self._payload(client, f"{live.base_url}/gats/countries", params, "countries")
        fas = {iso: code for code, iso in country_codes(countries).items()}
        missing = [p for p in PARTNERS if p not in fas]
        if missing:
            raise UnknownCodeError(f"no FAS code for {', '.join(missing)}", countries.origin.url,
                                   "check /gats/countries (gencCode) or PARTNERS in sources/fas_gats.py")
        payloads = [countries]
        today = dt.date.today()
        for year in range(int(live.start[:4]), today.year + 1):
            for month in range(1, 13):
                if (year, month) >= (today.year, today.month):
                    break
                for iso in PARTNERS:
                    progress(f"{iso} {year}-{month:02d}")
                    url = f"{live.base_url}/gats/censusExports/partnerCode/{fas[iso]}/year/{year}/month/{month:02d}"
                    payloads.append(self._payload(client, url, params, f"exports:{iso}:{year}-{month:02d}"))
        return payloads

    def _payload(self, client: HttpClient, url: str, params: dict[str, str], name: str) -> Payload:
        response = client.get(url, params)
        if response.status >= 400:
            raise NetworkError(f"HTTP {response.status}", response.url, "check the API key and the call")
        raw = RawFileSpec(path="", reader="api", title=f"{self.spec.title.en}: {name}", url=response.url,
                          accessed=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        return Payload(data=response.content, origin=self.spec.origin_for(raw, "", 0), name=name)

    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for payload in payloads:
            if not payload.name.startswith("exports:"):
                continue
            iso3 = payload.name.split(":")[1]
            for (product, month), value in sorted(parse_exports(payload).items()):
                rows.append({"series": SERIES, "geo": "USA", "partner": iso3, "product": product, "flow": "export",
                             "measure": "value", "period": month, "freq": "M", "value": value, "unit": "USD"})
        return rows


ADAPTER = FasGatsAdapter
