"""What every adapter provides, and the helpers they share."""

from __future__ import annotations

import csv
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pyarrow as pa

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.observation import OBSERVATION_SCHEMA
from usmca_monitor.model.specs import Origin, SourceSpec
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.textio import open_text

# A reader turns one local file into observation rows (dicts without source_id/vintage; a row may carry
# its own ``status``, e.g. ``report`` for a figure quoted from the report, else the caller's applies). A
# reader of files that may be large yields its rows as it reads them (checked at the door as they come).
Reader = Callable[[Path, Codelists], Iterable[dict[str, object]]]


@dataclass(frozen=True)
class Payload:
    """One raw payload (a download, or a local file at ``path``, stored by copying it in blocks) and its origin."""

    data: bytes
    origin: Origin
    name: str
    path: Path | None = None


class Adapter(ABC):
    """One publisher. Subclasses declare ``readers`` for local files and implement ``fetch`` and
    ``parse_payloads`` for the live API. A reader or a parser never touches the network."""

    readers: ClassVar[dict[str, Reader]] = {}

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec

    @abstractmethod
    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        """Download the live data (raw payloads with origins)."""

    @abstractmethod
    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        """Observation rows from downloaded payloads."""

    def detect_reader(self, path: Path) -> str:
        """The name of the reader that fits ``path`` (by its header), or a DataError."""
        for name, sniff in self.sniffers().items():
            if sniff(path):
                return name
        raise DataError("the file's layout is not one this source reads", str(path),
                        f"give a file in one of the layouts: {', '.join(self.readers)}")

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        """Per reader, a cheap test that a file has its layout."""
        return {}


def area_by_name(name: str, codelists: Codelists, where: str, names: Mapping[str, str], fix: str) -> str:
    """The area code of a country named in English by a publisher: from ``names`` (the publisher's own
    spellings and groupings, upper case), else the country whose English name or ISO3 code it is; else an
    UnknownCodeError naming ``where`` with ``fix``."""
    upper = " ".join(name.split()).upper()
    if upper in names:
        return names[upper]
    for area in codelists.areas.values():
        if area.is_country and upper in {area.name("en").upper(), area.code}:
            return area.code
    raise UnknownCodeError(f"country {name!r} is not known", where, fix)


def csv_records(path: Path, needed: Sequence[str], *, encoding: str = "utf-8", fix: str | None = None,
                strict: bool = False) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV file with a header, numbered by file line (the first data row is line 2), read as
    they come (a file of any size in little memory); a DataError naming the file, the missing columns and
    ``fix`` when the header lacks one of ``needed``, or naming the file and line when a line does not
    decode as ``encoding`` (``usmca import --encoding`` overrides it) or is not CSV. Header names are
    stripped of surrounding white space; a field missing at the end of a row is ``""``, or with ``strict``
    a DataError (the line is truncated)."""
    with open_text(path, encoding) as lines:
        reader = csv.DictReader(lines, restval=_MISSING)  # type: ignore[call-overload]
        try:
            reader.fieldnames = [name.strip().lstrip("\ufeff") for name in reader.fieldnames or []]
            missing = [c for c in needed if c not in reader.fieldnames]
            if missing:
                raise DataError(f"missing column(s) {', '.join(missing)}", str(path),
                                fix or f"the file needs the columns {', '.join(needed)}")
            for lineno, row in enumerate(reader, start=2):
                short = _MISSING in row.values()
                if short and getattr(lines, "unterminated", False):
                    raise DataError(f"the file ends in the middle of line {lineno} (a cut download?)", str(path),
                                    "download it again")
                if strict and (None in row or short):
                    raise DataError(f"line {lineno} does not have the header's {len(reader.fieldnames)} fields",
                                    str(path), "the file is truncated or malformed; download it again")
                yield lineno, {k: v if isinstance(v, str) else "" for k, v in row.items() if k is not None}
        except csv.Error as exc:
            raise DataError(f"not a CSV file ({exc})", f"{path}, line {reader.line_num}",
                            fix or "give the file as downloaded") from None


_MISSING = object()


def complete_text(text: str, where: str) -> None:
    """A DataError when CSV ``text`` (a download) stops in the middle of a row: its last line has no line
    end and fewer fields than the header (the download was cut)."""
    if not text or text.endswith(("\n", "\r")):
        return
    lines = text.splitlines()
    if len(lines) < 2:
        return
    try:
        header, last = next(csv.reader([lines[0]])), next(csv.reader([lines[-1]]), [])
    except csv.Error:
        return
    if len(last) < len(header):
        raise DataError(f"the download ends in the middle of line {len(lines)} (a cut download?)", where,
                        "fetch it again")


def json_answer(content: bytes, url: str, fix: str) -> object:
    """A JSON answer decoded, or a DataError naming ``url``, how the answer starts, and ``fix``."""
    try:
        return json.loads(content)
    except ValueError:
        head = content[:80].decode("utf-8", "replace")
        raise DataError(f"the answer is not JSON (starts {head!r})", url, fix) from None


def to_observations(rows: Iterable[dict[str, object]], source_id: str, vintage: str, status: str) -> pa.Table:
    """Observation rows to an Arrow table in the observation schema."""
    columns: dict[str, list[object]] = {name: [] for name in OBSERVATION_SCHEMA.names}
    for row in rows:
        for name in ("series", "geo", "partner", "product", "flow", "measure", "period", "freq", "value", "unit"):
            columns[name].append(row.get(name))
        columns["source_id"].append(source_id)
        columns["vintage"].append(vintage)
        columns["status"].append(row.get("status") or status)
    return pa.table(columns, schema=OBSERVATION_SCHEMA)
