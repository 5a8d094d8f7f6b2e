"""The U.S. Census Bureau International Trade API (``timeseries/intltrade``): the calls a source's declared
queries make, and the observation rows their answers hold.

A query (``live.queries`` in ``catalog/sources/census_trade.yaml``, model ``LiveQuery``) names an
endpoint and what to ask it; the adapter calls it once per flow and year with
``time=from YYYY-01 to YYYY-12``:

* ``endpoint: hs`` without ``level`` — partner totals: ``get=CTY_CODE,CTY_NAME,ALL_VAL_MO`` (exports,
  f.a.s.) or ``GEN_VAL_MO`` (general imports, customs value).
* ``endpoint: hs`` with ``level: HS2|HS4|HS6|HS10`` — by commodity: ``E_COMMODITY`` / ``I_COMMODITY``
  and ``COMM_LVL``; product ``HS:<code>``.
* ``endpoint: naics`` with ``level: NA3|NA4|NA6`` — by NAICS industry: ``NAICS`` and ``COMM_LVL``;
  product ``NAICS:<code>``.
* ``endpoint: hitech`` — Advanced Technology Products by category: ``HITECH``; product ``ATP:01`` …
  ``ATP:10``. A total row (code ``-``, ``0`` or ``00``: the documentation does not say which the API
  sends) is not kept: the total is the sum of the ten categories.

``codes`` become repeated commodity predicates (``&E_COMMODITY=8701&E_COMMODITY=8704``) and ``partners``
repeated ``CTY_CODE`` predicates (Census country codes). A query limited to partners also asks for the
world total (predicate ``CTY_CODE=-``, "total for all countries", as public client code does, with
``CTY_CODE`` left out of ``get``: a predicate is echoed as a column, and asking for it too gives a
duplicate column), so that shares of U.S. trade can be computed. Duplicate columns are read from the
first.

The answer is a JSON array of arrays whose first row is the header; predicates come back as extra
columns (``time``, ``COMM_LVL``, or ``YEAR`` and ``MONTH``). Forms seen in public code: partner totals,
``imports/hs?get=I_COMMODITY,GEN_VAL_MO&time=…&COMM_LVL=HS2``, ``exports/hs?…&COMM_LVL=HS4&E_COMMODITY=8708``,
``…/hitech?get=CTY_CODE,CTY_NAME,HITECH,HITECH_DESC,GEN_VAL_MO,…``, ``exports/naics?…&COMM_LVL=NA4``;
the other combinations are by analogy (checked against each endpoint's ``variables.json`` list, not
against the live API).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.model.observation import PERIOD_PATTERNS
from usmca_monitor.model.specs import LiveQuery, LiveSpec
from usmca_monitor.sources.base import json_answer

log = logging.getLogger(__name__)

VALUE_FIELDS = {"export": "ALL_VAL_MO", "import": "GEN_VAL_MO"}
COMMODITY_FIELDS = {"hs": {"export": "E_COMMODITY", "import": "I_COMMODITY"},
                    "naics": {"export": "NAICS", "import": "NAICS"},
                    "hitech": {"export": "HITECH", "import": "HITECH"}}
PREFIXES = {"hs": "HS", "naics": "NAICS", "hitech": "ATP"}
LEVELS = {"hs": {"HS2": 2, "HS4": 4, "HS6": 6, "HS10": 10}, "naics": {"NA2": 2, "NA3": 3, "NA4": 4, "NA6": 6},
          "hitech": {}}
TOTAL_CODES = frozenset({"-", "0", "00"})
ATP_CODES = frozenset(f"{n:02d}" for n in range(1, 11))

Key = tuple[str, str, str | None, str, str]  # series, partner, product, flow, period


def is_product_query(query: LiveQuery) -> bool:
    """Whether ``query`` asks by commodity (any endpoint but ``hs`` without a level)."""
    return query.endpoint != "hs" or query.level is not None


def check_query(query: LiveQuery, where: str) -> None:
    """A DataError unless ``query`` is one the API can answer."""
    if query.endpoint not in COMMODITY_FIELDS:
        raise DataError(f"query {query.name!r}: endpoint {query.endpoint!r} is not one of "
                        f"{', '.join(COMMODITY_FIELDS)}", where, "use hs, naics or hitech")
    levels = LEVELS[query.endpoint]
    if query.level is not None and query.level not in levels:
        raise DataError(f"query {query.name!r}: level {query.level!r} does not exist for {query.endpoint}", where,
                        f"use one of {', '.join(levels) or '(none: leave level out)'}")
    if query.endpoint == "naics" and query.level is None:
        raise DataError(f"query {query.name!r}: the naics endpoint needs a level", where,
                        "add level: NA3 (or NA4, NA6)")
    bad = [flow for flow in query.flows if flow not in VALUE_FIELDS]
    if bad:
        raise DataError(f"query {query.name!r}: flow(s) {', '.join(bad)} unknown", where, "flows are export and import")


@dataclass(frozen=True)
class Call:
    """One call of a query: a flow, a year (or one month of it, for a monthly query), and whether it
    asks for the world total."""

    query: LiveQuery
    flow: str
    year: int
    world: bool = False
    month: int | None = None

    @property
    def name(self) -> str:
        """The payload name (``query:flow:year`` or ``query:flow:year-month``, ``:world`` for the
        world-total call: ``CTY_CODE=-``)."""
        when = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return f"{self.query.name}:{self.flow}:{when}" + (":world" if self.world else "")

    @property
    def path(self) -> str:
        """The endpoint path below the API's base URL, e.g. ``imports/naics``."""
        return f"{self.flow}s/{self.query.endpoint}"

    @property
    def commodity(self) -> str | None:
        """The commodity variable asked for, or None for partner totals."""
        return COMMODITY_FIELDS[self.query.endpoint][self.flow] if is_product_query(self.query) else None

    def params(self, key: str = "") -> dict[str, str | list[str]]:
        """The query string of the call."""
        fields = [*([self.commodity] if self.commodity else []), *([] if self.world else ["CTY_CODE", "CTY_NAME"]),
                  VALUE_FIELDS[self.flow]]
        params: dict[str, str | list[str]] = {"get": ",".join(fields)}
        if self.query.level:
            params["COMM_LVL"] = self.query.level
        if self.query.codes and self.commodity:
            params[self.commodity] = list(self.query.codes)
        if self.world:
            params["CTY_CODE"] = "-"
        elif self.query.partners:
            params["CTY_CODE"] = list(self.query.partners)
        params["time"] = f"{self.year}-{self.month:02d}" if self.month else f"from {self.year}-01 to {self.year}-12"
        if key:
            params["key"] = key
        return params


def plan(live: LiveSpec, today: dt.date | None = None, monthly: bool = False) -> list[Call]:
    """Every call of every query of ``live``, from each query's start to this year; the monthly (bulk)
    queries only with ``monthly``, one call per month up to this month."""
    today = today or dt.date.today()
    queries = live.queries or [LiveQuery(name="partner", endpoint="hs", series="census.trade.partner")]
    calls: list[Call] = []
    for query in queries:
        check_query(query, "live.queries")
        if query.monthly and not monthly:
            continue
        start = query.start or live.start
        for year in range(int(start[:4]), today.year + 1):
            months: list[int | None] = [None]
            if query.monthly:
                first = int(start[5:7]) if year == int(start[:4]) else 1
                months = list(range(first, (today.month if year == today.year else 12) + 1))
            for month in months:
                for flow in query.flows:
                    calls.append(Call(query, flow, year, month=month))
                    if query.partners:
                        calls.append(Call(query, flow, year, world=True, month=month))
    return calls


def call_for(name: str, live: LiveSpec) -> Call:
    """The call a payload name stands for (names made by ``Call.name``)."""
    parts = name.split(":")
    queries = {q.name: q for q in live.queries} or {"partner": LiveQuery(name="partner", endpoint="hs",
                                                                          series="census.trade.partner")}
    if len(parts) == 2:  # payloads stored before queries were declared: ``flow:year`` of partner totals
        parts = ["partner", *parts]
    if parts[0] not in queries or len(parts) not in (3, 4) or parts[1] not in VALUE_FIELDS:
        raise DataError(f"payload {name!r} names no declared query", "census_trade",
                        "fetch again: the source's live.queries changed since the payload was stored")
    year, _, month = parts[2].partition("-")
    return Call(queries[parts[0]], parts[1], int(year), world=len(parts) == 4, month=int(month) if month else None)


class Accumulator:
    """Observation rows of Census country codes mapped to areas. Two Census codes that are one area (Gaza
    Strip 5082 and West Bank 5083 are both PSE) are summed; anything else is passed on as it is, so a
    code listed twice for the same month is refused as a duplicate at the door, never summed silently."""

    def __init__(self, codelists: Codelists, where: str, series: str) -> None:
        self.codelists = codelists
        self.where = where
        self.series = series
        self.pending: list[dict[str, object]] = []
        self.sums: dict[Key, float] = {}
        self.seen: dict[tuple[str, str, str | None, str, str], str] = {}  # raw keys of merged codes → line
        self.dropped: set[str] = set()
        areas: dict[str, list[str]] = defaultdict(list)
        for code, area in codelists.census.items():
            areas[area].append(code)
        self.merged = frozenset(c for codes in areas.values() if len(codes) > 1 for c in codes)

    def add(self, code: str, flow: str, period: str, value: float | None, line: str, *,
            series: str | None = None, product: str | None = None) -> None:
        """Add one value (None: no record) of Census country ``code``."""
        if value is None:
            return
        partner = self.codelists.census.get(code)
        if partner is None:
            if code in self.codelists.census_ignored:
                self.dropped.add(code)
                return
            raise DataError(f"unknown Census country code {code!r} ({line})", self.where,
                            "add it to catalog/codelists/census_groups.yaml or rebuild the country codelist")
        key = (series or self.series, partner, product, flow, period)
        if code in self.merged:
            raw = (key[0], code, product, flow, period)
            if raw in self.seen:
                raise DataError(f"Census code {code} {flow} {period}{' ' + product if product else ''} is listed "
                                f"twice ({self.seen[raw]} and {line})", self.where,
                                "give each code, flow and month once (the file may hold two downloads)")
            self.seen[raw] = line
            self.sums[key] = self.sums.get(key, 0.0) + value
            return
        self.pending.append(_row(key, value))

    def drain(self) -> list[dict[str, object]]:
        """The rows ready so far (codes that are an area alone), handed over once."""
        out, self.pending = self.pending, []
        return out

    def rows(self) -> list[dict[str, object]]:
        """Every row: those not drained yet and the sums of merged codes, in key order."""
        for code in sorted(self.dropped):
            log.info("%s: dropped Census code %s (%s)", self.where, code, self.codelists.census_ignored[code])
        rows = [*self.drain(), *(_row(key, value) for key, value in self.sums.items())]
        self.sums = {}
        return sorted(rows, key=_row_key)


def _row(key: Key, value: float) -> dict[str, object]:
    series, partner, product, flow, period = key
    return {"series": series, "geo": "USA", "partner": partner, "product": product, "flow": flow,
            "measure": "value", "period": period, "freq": "M", "value": value, "unit": "USD"}


def _row_key(row: dict[str, object]) -> tuple[str, ...]:
    return tuple(str(row[k] or "") for k in ("series", "partner", "product", "flow", "period"))


def number(text: str | None, where: str, field: str, line: str) -> float | None:
    """``text`` as a number; None when empty; a DataError naming the field otherwise."""
    if text is None or str(text).strip() == "":
        return None
    try:
        return float(text)
    except (TypeError, ValueError):
        raise DataError(f"field {field} is {text!r}, not a number ({line})", where,
                        "the value columns must hold numbers") from None


def require(header: Iterable[str], needed: Iterable[str], where: str) -> None:
    """A DataError naming the columns of ``needed`` missing from ``header``."""
    have = set(header)
    missing = [name for name in needed if name not in have]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}", where,
                        f"the file needs the columns {', '.join(needed)}")


def parse_api_rows(content: bytes, url: str) -> tuple[list[str], list[list[str | None]]]:
    """The header and rows of a Census API answer, or a DataError naming the URL."""
    data = json_answer(content, url, "check the call against the API's variables.json; an error page came back")
    if (not isinstance(data, list) or not data or not all(isinstance(r, list) for r in data)
            or not all(isinstance(c, str) for c in data[0])):
        raise DataError("the answer is not a JSON array of arrays with a header row", url,
                        "the Census API answers [[header…], [row…], …]; check the call")
    header = data[0]
    width = len(header)
    for index, row in enumerate(data[1:], start=1):
        if len(row) != width:
            raise DataError(f"row {index} has {len(row)} fields, the header {width}", url,
                            "the payload is truncated or malformed; fetch again")
    return header, data[1:]


def product_code(call: Call, raw: str, url: str, line: str) -> str | None:
    """The observation's product for a commodity code of the answer; None for a total row."""
    code = raw.strip()
    if code in TOTAL_CODES:
        return None
    endpoint = call.query.endpoint
    if endpoint == "hitech":
        code = code.zfill(2)
        if code not in ATP_CODES:
            raise DataError(f"HITECH {raw!r} is not an ATP category 01-10 ({line})", url,
                            "check the call: the hitech endpoint's categories are 01-10")
    else:
        digits = LEVELS[endpoint].get(call.query.level or "")
        sector_range = endpoint == "naics" and re.fullmatch(r"\d{2}-\d{2}", code)  # NAICS 31-33, 44-45, 48-49
        if not sector_range and (not code.isdigit() or (digits is not None and len(code) != digits)):
            raise DataError(f"{call.commodity} {raw!r} is not a {call.query.level} code ({line})", url,
                            f"check the call's COMM_LVL={call.query.level}")
    return f"{PREFIXES[endpoint]}:{code}"


def parse_answer(call: Call, content: bytes, url: str, acc: Accumulator) -> None:
    """Add the rows of one answer of ``call`` to ``acc``."""
    header, rows = parse_api_rows(content, url)
    value_field = VALUE_FIELDS[call.flow]
    has_time = "time" in header
    needed = [*([call.commodity] if call.commodity else []), "CTY_CODE", value_field,
              *(["time"] if has_time else ["YEAR", "MONTH"])]
    require(header, needed, url)
    idx = {name: header.index(name) for name in header}
    acc.where = url
    totals = 0
    for number_, row in enumerate(rows, start=1):
        line = f"row {number_}"
        raw = row[idx["time"]] if has_time else f"{row[idx['YEAR']]}-{str(row[idx['MONTH']]).zfill(2)}"
        period = str(raw)[:7]
        if not PERIOD_PATTERNS["M"].match(period):
            raise DataError(f"time {raw!r} is not a month YYYY-MM ({line})", url,
                            "the API answers time as YYYY-MM; check the call's time predicate")
        product = None
        if call.commodity:
            product = product_code(call, str(row[idx[call.commodity]]), url, line)
            if product is None:
                totals += 1
                continue
        code = str(row[idx["CTY_CODE"]]).strip()
        acc.add(code, call.flow, period, number(row[idx[value_field]], url, value_field, line), line,
                series=call.query.series, product=product)
    if totals:
        log.info("%s: %d all-products total row(s) not kept (the total is the sum of the products)", url, totals)
