"""Census HS10 detail in bounded memory: Census's monthly merchandise trade files read as a stream of
Arrow batches for ``Writer.stream_vintage`` (series ``census.trade.hs10``), so that a year of HS10 ×
country × district × month detail never has to fit in memory.

The files (Census, "Merchandise Trade" monthly products, record layouts at
census.gov/foreign-trade/reference/products/layouts/imdb.html and exdb.html) are zip archives
``IMDB<yymm>.ZIP`` (imports) and ``EXDB<yymm>.ZIP`` (exports) holding fixed-width ASCII detail
files. Positions used (1-based, inclusive):

* ``IMP_DETL.TXT`` — commodity 1-10 (HTS), cty_code 11-14 (Schedule C), cty_subco 15-16,
  dist_entry 17-18, dist_unlad 19-20, rate_prov 21-22, year 23-26, month 27-28, then 15-digit
  monthly measures from 29; ``gen_val_mo`` (general imports, customs value) is 179-193. The first
  22 positions are those of the IM145 annual-history layout too.
* ``EXP_DETL.TXT`` — df 1 (domestic/foreign), commodity 2-11 (Schedule B), cty_code 12-15,
  district 16-17, year 18-21, month 22-23, then 15-digit monthly measures from 24;
  ``all_val_mo`` (total exports, f.a.s.) is 69-83. (From the exdb layout page; the tests replay
  synthetic files in this layout, not a real archive.)

Each detail line is one commodity × country × district (× rate provision or domestic/foreign) in one
month. Lines are summed per partner, HS10 code and month (districts, subcodes, rate provisions and
domestic/foreign merchandise together), as the API reports them; a line whose monthly value is zero
(present for its year-to-date fields only) adds nothing and is left out. The world total (partner
``WLD``) is the sum of every line of the month, as Census's own total for all countries. Census
country codes map to ISO 3166 through the codelist (two codes may map to one partner and are summed);
a code the codelist ignores (e.g. 8220, no name) counts in the world total only; an unknown code is
an error naming the file and line.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.model.observation import OBSERVATION_SCHEMA

SERIES = "census.trade.hs10"
WORLD = "WLD"
BLOCK_BYTES = 16 << 20  # text read per batch
OUTPUT_ROWS = 500_000  # observation rows per batch handed to the writer
ARCHIVE = re.compile(r"^(IM|EX)DB(\d{2})(\d{2})\.ZIP$", re.IGNORECASE)


@dataclass(frozen=True)
class Layout:
    """Where the fields of one detail file sit (1-based, inclusive positions)."""

    member: str
    flow: str
    commodity: tuple[int, int]
    country: tuple[int, int]
    year: tuple[int, int]
    month: tuple[int, int]
    value: tuple[int, int]
    value_field: str

    @property
    def width(self) -> int:
        """The shortest line that holds every field read."""
        return max(self.commodity[1], self.country[1], self.year[1], self.month[1], self.value[1])


IMPORTS = Layout("IMP_DETL.TXT", "import", (1, 10), (11, 14), (23, 26), (27, 28), (179, 193), "gen_val_mo")
EXPORTS = Layout("EXP_DETL.TXT", "export", (2, 11), (12, 15), (18, 21), (22, 23), (69, 83), "all_val_mo")
LAYOUTS = {"IM": IMPORTS, "EX": EXPORTS}
FIELD_PATTERNS = {"commodity": r"^\d{10}$", "country": r"^\d{4}$", "year": r"^\d{4}$", "month": r"^(0[1-9]|1[0-2])$",
                  "value": r"^ *-?\d+$"}


def is_archive(path: Path) -> bool:
    """Whether ``path`` is named like a monthly merchandise trade archive (IMDByymm.ZIP, EXDByymm.ZIP)."""
    return bool(ARCHIVE.match(path.name))


def archives(path: Path) -> list[Path]:
    """The monthly archives a path stands for: itself, or every archive in a folder (in name order)."""
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.is_file() and is_archive(p))
        if not found:
            raise DataError("no IMDB<yymm>.ZIP or EXDB<yymm>.ZIP archive in the folder", str(path),
                            "put Census's monthly merchandise trade archives in it")
        return found
    if not is_archive(path):
        raise DataError("not a monthly merchandise trade archive", str(path),
                        "name it as Census does: IMDB2401.ZIP (imports) or EXDB2401.ZIP (exports)")
    return [path]


def read_archive(path: Path, codelists: Codelists, source_id: str, vintage: str) -> Iterator[pa.Table]:
    """The observations of one monthly archive, in batches (the month is summed in memory: one month
    of detail, never the year)."""
    match = ARCHIVE.match(path.name)
    assert match is not None
    layout = LAYOUTS[match.group(1).upper()]
    try:
        with zipfile.ZipFile(path) as archive:
            names = {info.filename.rsplit("/", 1)[-1].upper(): info.filename for info in archive.infolist()}
            if layout.member not in names:
                raise DataError(f"the archive holds no {layout.member}", str(path),
                                "download the archive again from Census (Merchandise Trade, monthly)")
            with archive.open(names[layout.member]) as member:
                detail = sum_detail(line_batches(member), layout, f"{path}:{layout.member}")
    except zipfile.BadZipFile as exc:
        raise DataError(f"not a readable zip archive ({exc})", str(path), "download the archive again") from None
    yield from observations(detail, codelists, layout.flow, source_id, vintage, f"{path}:{layout.member}")


def line_batches(stream: IO[bytes], block_bytes: int = BLOCK_BYTES) -> Iterator[pa.StringArray]:
    """The lines of a text stream, a block at a time (Arrow's CSV reader with no delimiter or quoting)."""
    reader = pacsv.open_csv(
        stream,
        read_options=pacsv.ReadOptions(column_names=["line"], block_size=block_bytes),
        parse_options=pacsv.ParseOptions(delimiter="\x1f", quote_char=False, escape_char=False),
        convert_options=pacsv.ConvertOptions(column_types={"line": pa.string()}, strings_can_be_null=False),
    )
    for batch in reader:
        yield batch.column(0)


def _field(lines: pa.StringArray, span: tuple[int, int]) -> pa.StringArray:
    return pc.utf8_slice_codeunits(lines, span[0] - 1, span[1])


def _check(values: pa.Array, name: str, layout: Layout, where: str, first_line: int) -> None:
    bad = pc.invert(pc.match_substring_regex(values, FIELD_PATTERNS[name]))
    if pc.any(bad).as_py():
        index = pc.index(bad, True).as_py()
        field = layout.value_field if name == "value" else name
        raise DataError(f"line {first_line + index}: {field} {values[index].as_py()!r} is not what the layout "
                        f"holds there", where, f"check that the file is Census's {layout.member} "
                        "(fixed-width, one record per line) and not truncated")


def parse_lines(lines: pa.StringArray, layout: Layout, where: str, first_line: int = 1) -> pa.Table:
    """One batch of detail lines as ``(country, commodity, period, value)``, checked field by field."""
    short = pc.less(pc.utf8_length(lines), layout.width)
    if pc.any(short).as_py():
        index = pc.index(short, True).as_py()
        raise DataError(f"line {first_line + index} has {len(lines[index].as_py())} characters, fewer than the "
                        f"{layout.width} the layout needs", where, "the file is truncated or not Census's detail file")
    fields = {name: _field(lines, getattr(layout, name)) for name in ("commodity", "country", "year", "month", "value")}
    for name, values in fields.items():
        _check(values, name, layout, where, first_line)
    value = pc.cast(pc.utf8_trim_whitespace(fields["value"]), pa.int64())
    period = pc.binary_join_element_wise(fields["year"], fields["month"], "-")
    table = pa.table({"country": fields["country"], "commodity": fields["commodity"], "period": period,
                      "value": value})
    return table.filter(pc.not_equal(table["value"], 0))


def sum_detail(batches: Iterable[pa.StringArray], layout: Layout, where: str) -> pa.Table:
    """Detail lines summed per country, commodity and month (batch sums, then one sum of the sums)."""
    def parsed() -> Iterator[pa.Table]:
        line = 1
        for lines in batches:
            yield parse_lines(lines, layout, where, line)
            line += len(lines)

    return sum_parsed(parsed())


def sum_parsed(tables: Iterable[pa.Table]) -> pa.Table:
    """Parsed detail (``country, commodity, period, value``) summed per country, commodity and month:
    each batch summed as it comes, then the batch sums summed (memory: the month's sums, not its lines)."""
    partial: list[pa.Table] = []
    for table in tables:
        if table.num_rows:
            partial.append(table.group_by(["country", "commodity", "period"]).aggregate([("value", "sum")])
                           .rename_columns(["country", "commodity", "period", "value"]))
    if not partial:
        return pa.table({"country": pa.array([], pa.string()), "commodity": pa.array([], pa.string()),
                         "period": pa.array([], pa.string()), "value": pa.array([], pa.int64())})
    merged = pa.concat_tables(partial)
    partial.clear()
    return merged.group_by(["country", "commodity", "period"]).aggregate([("value", "sum")]).rename_columns(
        ["country", "commodity", "period", "value"])


def observations(detail: pa.Table, codelists: Codelists, flow: str, source_id: str, vintage: str,
                 where: str) -> Iterator[pa.Table]:
    """Summed detail (``country, commodity, period, value``) as observation batches: partners mapped
    from Census codes and summed again, plus the world total per commodity and month."""
    world = detail.group_by(["commodity", "period"]).aggregate([("value", "sum")]).rename_columns(
        ["commodity", "period", "value"])
    world = world.append_column("partner", pa.array([WORLD] * world.num_rows, pa.string()))
    partners = map_partners(detail, codelists, where)
    countries = partners.group_by(["partner", "commodity", "period"]).aggregate([("value", "sum")]).rename_columns(
        ["partner", "commodity", "period", "value"])
    del detail, partners
    for table in (countries, world.select(["partner", "commodity", "period", "value"])):
        for start in range(0, table.num_rows, OUTPUT_ROWS):
            yield _observation_batch(table.slice(start, OUTPUT_ROWS), flow, source_id, vintage)


def map_partners(detail: pa.Table, codelists: Codelists, where: str) -> pa.Table:
    """``country`` codes replaced by ``partner`` ISO codes; ignored codes dropped; an unknown one an error."""
    codes = pa.array(sorted(codelists.census), pa.string())
    isos = pa.array([codelists.census[c] for c in codes.to_pylist()], pa.string())
    index = pc.index_in(detail["country"], value_set=codes)
    unknown = pc.is_null(index)
    if pc.any(unknown).as_py():
        found = pc.unique(pc.filter(detail["country"], unknown)).to_pylist()
        bad = [c for c in found if c not in codelists.census_ignored]
        if bad:
            raise DataError(f"unknown Census country code {sorted(bad)[0]!r}", where,
                            "add it to catalog/codelists/census_groups.yaml or rebuild the country codelist")
    kept = detail.filter(pc.invert(unknown))
    partner = pc.take(isos, pc.filter(index, pc.invert(unknown)))
    return pa.table({"partner": partner, "commodity": kept["commodity"], "period": kept["period"],
                     "value": kept["value"]})


def _observation_batch(rows: pa.Table, flow: str, source_id: str, vintage: str) -> pa.Table:
    n = rows.num_rows

    def const(text: str) -> pa.Array:
        return pa.DictionaryArray.from_arrays(pa.array([0] * n, pa.int32()), pa.array([text])).cast(pa.string())

    return pa.table({
        "series": const(SERIES), "geo": const("USA"), "partner": rows["partner"],
        "product": pc.binary_join_element_wise(const("HS"), rows["commodity"], ":"), "flow": const(flow),
        "measure": const("value"), "period": rows["period"], "freq": const("M"),
        "value": pc.cast(rows["value"], pa.float64()), "unit": const("USD"), "source_id": const(source_id),
        "vintage": const(vintage), "status": const("official"),
    }, schema=OBSERVATION_SCHEMA)
