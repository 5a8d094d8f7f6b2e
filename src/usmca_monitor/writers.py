"""Writers of tables of values (an indicator's rows): CSV, JSON rows and XLSX, streamed in batches
in constant memory and built column by column over Arrow (each distinct text rendered once), so
that a million rows take seconds. Every cell goes through ``safety.py``: text without bidirectional
or control characters, no cell a spreadsheet would run as a formula, no NaN or Infinity (empty).

The XLSX writer writes the OOXML parts itself (one shared-strings table, sheets streamed into the
zip): a workbook that Excel, LibreOffice and openpyxl open, without holding the rows in memory.
"""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

import pyarrow as pa
import pyarrow.compute as pc

from usmca_monitor.safety import clean_text, csv_cell

BATCH = 100_000
XLSX_MAX_ROWS = 1_048_575  # a sheet's rows after its header


def _column(table: pa.Table, name: str) -> pa.Array:
    return table[name].combine_chunks() if table.num_rows else pa.array([], table.schema.field(name).type)


def _is_text(array: pa.Array) -> bool:
    kind = array.type.value_type if pa.types.is_dictionary(array.type) else array.type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _text_cells(array: pa.Array, render: Callable[[str], str], null: str) -> pa.Array:
    """Each cell of a text column rendered (each distinct value once); ``null`` for an empty cell."""
    encoded = array if pa.types.is_dictionary(array.type) else pc.dictionary_encode(array)
    values = pa.array([render(v) for v in encoded.dictionary.to_pylist()], pa.string())
    return pc.fill_null(pc.take(values, encoded.indices), null)


def _number_cells(array: pa.Array, render: Callable[[float], str], null: str) -> pa.Array:
    return pa.array([null if v is None or (isinstance(v, float) and not math.isfinite(v)) else render(v)
                     for v in array.to_pylist()], pa.string())


def _number(value: float) -> str:
    return repr(float(value)) if isinstance(value, float) else str(value)


def _lines(table: pa.Table, cells: Callable[[pa.Array, str], pa.Array], separator: str, prefix: str = "",
           suffix: str = "") -> Iterator[str]:
    """Each batch of rows as text: the cells of a row joined by ``separator``, between prefix and suffix."""
    for start in range(0, table.num_rows, BATCH):
        part = table.slice(start, BATCH)
        columns = [cells(_column(part, name), name) for name in part.column_names]
        joined = pc.binary_join_element_wise(*columns, separator) if len(columns) > 1 else columns[0]
        yield "".join(f"{prefix}{line}{suffix}" for line in joined.to_pylist())


# ---- CSV ----

def _csv_text(value: str) -> str:
    text = str(csv_cell(value))
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text


def _csv_cells(array: pa.Array, _name: str) -> pa.Array:
    if _is_text(array):
        return _text_cells(array, _csv_text, "")
    return _number_cells(array, _number, "")


def write_csv(table: pa.Table, sink: IO[str]) -> int:
    """``table`` as CSV with a header line; returns the number of rows written."""
    sink.write(",".join(_csv_text(name) for name in table.column_names) + "\n")
    for chunk in _lines(table, _csv_cells, ",", suffix="\n"):
        sink.write(chunk)
    return table.num_rows


# ---- JSON rows ----

def _json_text(value: str) -> str:
    return json.dumps(clean_text(value), ensure_ascii=False)


def _json_cells(array: pa.Array, _name: str) -> pa.Array:
    if _is_text(array):
        return _text_cells(array, _json_text, "null")
    return _number_cells(array, _number, "null")


def write_json_rows(table: pa.Table, sink: IO[str], head: dict[str, object]) -> int:
    """A JSON object: the ``head`` members, ``fields`` (the column names) and ``rows`` (one array per
    row). Strict JSON: a missing or non-finite number is null."""
    members = json.dumps({**head, "fields": table.column_names}, ensure_ascii=False, allow_nan=False)
    sink.write(members[:-1] + ', "rows": [\n')
    first = True
    for chunk in _lines(table, _json_cells, ",", prefix="[", suffix="],\n"):
        if chunk:
            sink.write(("" if first else ",\n") + chunk[:-2])
            first = False
    sink.write("\n]}\n")
    return table.num_rows


# ---- XLSX ----

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


class _Strings:
    """The workbook's shared strings: each distinct text once, by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        text = str(csv_cell(text))
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in self.index)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_NS}" '
                f'count="{len(self.index)}" uniqueCount="{len(self.index)}">{items}</sst>')


def _xlsx_cells(strings: _Strings) -> Callable[[pa.Array, str], pa.Array]:
    def cells(array: pa.Array, _name: str) -> pa.Array:
        if _is_text(array):
            return _text_cells(array, lambda v: f'<c t="s"><v>{strings.add(v)}</v></c>', "<c/>")
        return _number_cells(array, lambda v: f"<c><v>{_number(v)}</v></c>", "<c/>")
    return cells


def _sheet_head(strings: _Strings, header: Sequence[str]) -> str:
    cells = "".join(f'<c t="s"><v>{strings.add(h)}</v></c>' for h in header)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}"><sheetViews>'
            f'<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            f'state="frozen"/></sheetView></sheetViews><sheetData><row>{cells}</row>')


def _write_sheet(book: zipfile.ZipFile, name: str, table: pa.Table, strings: _Strings) -> None:
    with book.open(name, "w", force_zip64=True) as raw:
        raw.write(_sheet_head(strings, table.column_names).encode())
        for chunk in _lines(table, _xlsx_cells(strings), "", prefix="<row>", suffix="</row>"):
            raw.write(chunk.encode())
        raw.write(b"</sheetData></worksheet>")


def _about_table(about: Sequence[tuple[str, str]]) -> pa.Table:
    return pa.table({"field": [clean_text(k) for k, _ in about], "value": [clean_text(v) for _, v in about]})


def write_xlsx(table: pa.Table, path: Path, about: Sequence[tuple[str, str]] = ()) -> int:
    """``table`` as an XLSX workbook at ``path``: sheet ``data`` (``data_2``… past Excel's row limit)
    with a frozen header, and a sheet ``about`` with ``about``'s (field, value) pairs."""
    strings = _Strings()
    sheets: list[tuple[str, pa.Table]] = []
    for number, start in enumerate(range(0, max(table.num_rows, 1), XLSX_MAX_ROWS), start=1):
        sheets.append(("data" if number == 1 else f"data_{number}", table.slice(start, XLSX_MAX_ROWS)))
    if about:
        sheets.append(("about", _about_table(about)))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for i, (_, part) in enumerate(sheets, start=1):
            _write_sheet(book, f"xl/worksheets/sheet{i}.xml", part, strings)
        _put(book, "xl/sharedStrings.xml", strings.xml())
        _write_package(book, [name for name, _ in sheets])
    return table.num_rows


def _put(book: zipfile.ZipFile, name: str, text: str) -> None:
    """One part of the workbook, dated like the sheets (1980-01-01): the same data, the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    book.writestr(info, text, compresslevel=1)


def _write_package(book: zipfile.ZipFile, names: list[str]) -> None:
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
                        for i in range(1, len(names) + 1))
    _put(book, "[Content_Types].xml", (
        f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>{overrides}'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/></Types>'))
    _put(book, "_rels/.rels", (
        f'{head}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
    sheets = "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
    _put(book, "xl/workbook.xml",
                  f'{head}<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>')
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(names) + 1))
    n = len(names)
    _put(book, "xl/_rels/workbook.xml.rels", (
        f'{head}<Relationships xmlns="{_PKG_REL}">{rels}'
        f'<Relationship Id="rId{n + 1}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId{n + 2}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'))
    _put(book, "xl/styles.xml", (
        f'{head}<styleSheet xmlns="{_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
        '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'))
