"""A stand-in for api.census.gov/data/timeseries/intltrade, answering from ``tests/fixtures/census/``.

It checks each call against what the Census documentation says the endpoint takes (the variables of
``get`` per endpoint and flow, ``COMM_LVL``, the ``time`` predicate) and answers 400 otherwise, the way
the API does. A call's answer is the fixture file named after it —
``{exports|imports}_{hs|naics|hitech}[_{COMM_LVL}][_world]_{year}.json`` (``_world`` for the world
total: ``CTY_CODE=-`` as a predicate, not in ``get``) — or, when no such file exists, "no data",
answered as ``empty`` says: ``"204"`` (HTTP 204 No Content) or ``"header-only"`` (a JSON array holding
only the header).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "census"
PREFIX = "/data/timeseries/intltrade/"
TIME = re.compile(r"^from (\d{4})-01 to (\d{4})-12$")
MONTH = re.compile(r"^(\d{4}-(0[1-9]|1[0-2]))$")  # time=YYYY-MM: one month (the monthly HS10 calls)
# The documented variables: value per flow, commodity per endpoint and flow (none for partner totals).
VALUES = {"exports": "ALL_VAL_MO", "imports": "GEN_VAL_MO"}
COMMODITY = {("hs", "exports"): "E_COMMODITY", ("hs", "imports"): "I_COMMODITY", ("naics", "exports"): "NAICS",
             ("naics", "imports"): "NAICS", ("hitech", "exports"): "HITECH", ("hitech", "imports"): "HITECH"}
LEVELS = {"hs": {"HS2", "HS4", "HS6", "HS10"}, "naics": {"NA2", "NA3", "NA4", "NA6"}, "hitech": set()}


class CensusApi:
    """The MockTransport handler. ``override`` maps a fixture file name to the bytes to answer instead."""

    def __init__(self, empty: str = "204", override: dict[str, bytes] | None = None) -> None:
        self.empty = empty
        self.override = override or {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        name = self.fixture_name(request)
        if name.startswith("error:"):
            return httpx.Response(400 if "unknown dataset" not in name else 404, text=name)
        if name in self.override:
            return httpx.Response(200, content=self.override[name])
        if (FIXTURES / name).exists():
            return json_response((FIXTURES / name).read_bytes())
        if self.empty == "204":
            return httpx.Response(204)
        # The header of an answer: the get variables, then every predicate echoed (once per name), then time.
        get = request.url.params.get("get", "").split(",")
        echoed = [k for k in dict.fromkeys(request.url.params.keys()) if k not in ("get", "key", "time")]
        return json_response(json.dumps([[*get, *echoed, "time"]]).encode())

    @staticmethod
    def fixture_name(request: httpx.Request) -> str:
        """The fixture file answering ``request``, or ``error: …`` for a call the API would refuse."""
        path = request.url.path
        parts = path[len(PREFIX):].split("/") if path.startswith(PREFIX) else []
        if len(parts) != 2 or parts[0] not in VALUES or parts[1] not in LEVELS:
            return f"error: unknown dataset {path}"
        flow, endpoint = parts
        params = request.url.params
        level = params.get("COMM_LVL")
        get = params.get("get", "").split(",")
        product = endpoint != "hs" or level is not None
        if level is not None and level not in LEVELS[endpoint]:
            return f"error: unknown COMM_LVL {level}"
        world = "CTY_CODE" not in get
        if world and params.get("CTY_CODE") != "-":
            return "error: without CTY_CODE in get, this stand-in wants the world predicate CTY_CODE=-"
        expected = [*([COMMODITY[(endpoint, flow)]] if product else []), *([] if world else ["CTY_CODE", "CTY_NAME"]),
                    VALUES[flow]]
        if get != expected:
            return f"error: unknown variable in get={','.join(get)}"
        match = TIME.match(params.get("time", "")) or MONTH.match(params.get("time", ""))
        if not match or (match.re is TIME and match[1] != match[2]):
            return "error: bad time predicate"
        return f"{flow}_{endpoint}{'_' + level if level else ''}{'_world' if world else ''}_{match[1]}.json"

    def calls(self) -> list[str]:
        """The fixture names of the calls received, sorted."""
        return sorted(self.fixture_name(r) for r in self.requests)


def json_response(content: bytes) -> httpx.Response:
    return httpx.Response(200, content=content, headers={"Content-Type": "application/json;charset=utf-8"})
