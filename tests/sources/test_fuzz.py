"""Fuzzing (issue #13, item 9): Hypothesis feeds every file reader of every source (through the door, as
``usmca import`` does) and the stakeholder loader with random bytes, damaged copies of valid files and
well-formed files holding hostile values. No input may end in anything but rows or one ``UsmcaError`` —
no traceback — and no example may run longer than ``LIMIT`` seconds (a hang fails the test)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.errors import UsmcaError
from usmca_monitor.sources.files import read_rows
from usmca_monitor.sources.registry import get_adapter
from usmca_monitor.sources.validate import check_rows

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LIMIT = 20  # seconds per example
# CI runs the same 100 examples per test every time; USMCA_FUZZ_EXAMPLES=2000 explores new ones (local runs).
EXAMPLES = int(os.environ.get("USMCA_FUZZ_EXAMPLES", "100"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize="USMCA_FUZZ_EXAMPLES" not in os.environ,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


class Hang(Exception):
    """An example ran past LIMIT seconds."""


@contextlib.contextmanager
def bounded(seconds: float = LIMIT) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _xlsx(rows: list[list[object]], sheets: tuple[str, ...] = ("Sheet1",),
          more: list[list[object]] | None = None) -> bytes:
    """A workbook whose first sheet holds ``rows`` (and its second ``more``)."""
    book = openpyxl.Workbook()
    for index, name in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet(name)
        assert sheet is not None
        sheet.title = name
        for row in (rows if index == 0 else more or []):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fixture(*parts: str, size: int = 1 << 20) -> bytes:
    """A fixture file, its first ``size`` bytes cut at a line end."""
    data = FIXTURES.joinpath(*parts).read_bytes()
    return data if len(data) <= size else data[:data.rindex(b"\n", 0, size) + 1]


MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
# (source, a valid sample of one of its layouts, the file's suffix): what the mutations start from.
SAMPLES: list[tuple[str, bytes, str]] = [
    ("census_trade", b"year,month,cty_code,cty_name,exports_total_usd,imports_general_usd\n"
                     b"2024,1,2010,MEXICO,26439153527,40000000000\n2024,1,1220,CANADA,1,2\n", ".csv"),
    ("census_trade", b"year,month,hs2,cty_code,cty_name,imports_general_usd\n2024,1,87,2010,MEXICO,1000\n"
                     b"2024,2,08,1220,CANADA,5\n", ".csv"),
    ("census_trade", _xlsx([["year", "CTY_CODE", "CTYNAME", *(f"I{m}" for m in MONTHS), *(f"E{m}" for m in MONTHS)],
                            [2024, "2010", "Mexico", *([1.5] * 24)]]), ".xlsx"),
    ("census_trade", b"series,geo,partner,product,flow,measure,period,freq,value,unit\n"
                     b"census.trade.partner,USA,MEX,,export,value,2024-01,M,5,USD\n", ".csv"),
    ("worldbank", b"indicator_code,country_name,iso3,year,value\nSP.POP.TOTL,Mexico,MEX,2023,128455567\n", ".csv"),
    ("oica", b"country,iso3,year,series,units,precision,source_page,note\nMexico,MEX,2024,total,3989403,exact,x,\n",
     ".csv"),
    ("oica", _xlsx([["2024 PRODUCTION STATISTICS"], ["Country/Region", "Cars", "Commercial vehicles", "Total"],
                    ["Mexico", 1000, 2000, 3000], ["Total", 1000, 2000, 3000]]), ".xlsx"),
    ("owid_energy", _fixture("..", "facts", "fixtures", "owid_share_elec_excerpt.csv"), ".csv"),
    ("owid_energy", _fixture("..", "facts", "fixtures", "owid_energy_data_recorded.csv", size=4000), ".csv"),
    ("usda_ers", _fixture("usda", "food_imports_sample.csv"), ".csv"),
    ("usda_ers", _fixture("usda", "vegetables_pulses_tables.csv"), ".csv"),
    ("usda_ers", _fixture("usda", "fruit_yearbook_sample.csv"), ".csv"),
    ("usda_ers", _fixture("usda", "fatus_sample.csv"), ".csv"),
    ("usda_ers_cpi", b"Date,Index,Inflation\n2024-01-01,308.4,\n2024-02-01,310.3,0.6\n", ".csv"),
    ("spi_us", _fixture("spi", "SYNTHETIC_us_states_long.csv", size=3000), ".csv"),
    ("spi_us", _fixture("spi", "SYNTHETIC_us_states_wide.csv", size=3000), ".csv"),
    ("mcv_spi", b"year,iso_3166_2,level,code,score\n2023,MX-NLE,index,00,71.279293\n2023,MX-NLE,dimension,01,79.3\n",
     ".csv"),
    ("mcv_spi", _xlsx([["cve_ent", "anio", "entidad_abr_m", "01", "02", "03", "00"],
                       ["19", 2023, "NL", 70, 60, 50, 60]],
                      ("01_IPS_DIM", "02_IPS_COMP"), [["cve_ent", "anio", "entidad_abr_m", "01_01comp"],
                                                      ["19", 2023, "NL", 80]]), ".xlsx"),
    ("spi_global", b"spi_rank,country,spi_score,basic_human_needs,wellbeing,opportunity,basic_nutri_med_care,"
                   b"water_sanitation,shelter,personal_safety,access_basic_knowledge,access_info_comm,health_wellness,"
                   b"env_quality,personal_rights,personal_freedom_choice,inclusiveness,access_adv_edu\n"
                   b"1,Norway,92.63,95.29,93.3,89.3,98.81,98.33,93.75,90.29,98.66,95.8,89.32,89.44,96.34,91.16,83.77,"
                   b"85.92\n", ".csv"),
    ("undp_hdi", b"iso3,country,hdicode,hdi_rank_2023,hdi_2023,hdi_2022\nMEX,Mexico,High,81,0.789,0.781\n", ".csv"),
    ("report_stated", b"id,section,indicator,geography,period,value,unit,source_cited_in_report,note\n"
                      b"1,Data,Imports of Mexico from the United States,MEX<-USA,2024,261,USD billion,(x),\n", ".csv"),
    ("report_stated", b"indicator,reporter,partner,commodity,year,value,unit,approx,source_cited_in_report,"
                      b"report_quote\nimport_share_of_fresh_availability_volume,USA,WORLD,fresh fruit,2023,60,percent,"
                      b"1,ERS-USDA,\"q\"\n", ".csv"),
    ("fas_gats", b"series,geo,partner,product,flow,measure,period,freq,value,unit\n"
                 b"fas.gats.exports,USA,MEX,HS:08,export,value,2024-01,M,5,USD\n", ".csv"),
]
HOSTILE = ["nan", "inf", "-inf", "1e309", "-999", "-1", "", " ", "=HYPERLINK(\"x\")", "<script>", "\u202e", "\x00",
           "\"", "\"\"\"", "9" * 400, "0x10", "1,5", "1_000", "２０２４", "2024-13", "MX-XXX", "OWID_WRL", "\ufeff",
           "\r", "\n", ",", "∞", "NULL", "None", "-0"]


def _load(source: str, path: Path) -> None:
    """What ``usmca import`` does before writing: the layout, the rows, the door."""
    adapter = get_adapter(source)
    _, rows = read_rows(adapter, path, load_codelists())
    check_rows(rows, adapter.spec, load_codelists(), str(path), vintage="fuzz")


def _try(source: str, path: Path) -> None:
    try:
        with bounded():
            _load(source, path)
    except UsmcaError as exc:
        assert "\n" not in str(exc)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def test_every_sample_loads(folder: Path) -> None:
    """The starting points are valid files (so mutations explore near real layouts)."""
    for index, (source, data, suffix) in enumerate(SAMPLES):
        path = folder / f"sample{index}{suffix}"
        path.write_bytes(data)
        with bounded():
            _load(source, path)


@SETTINGS
@given(data=st.binary(max_size=3000), source=st.sampled_from(sorted({s for s, _, _ in SAMPLES})),
       suffix=st.sampled_from([".csv", ".xlsx", ".parquet", ".txt"]))
def test_random_bytes(folder: Path, data: bytes, source: str, suffix: str) -> None:
    path = folder / f"random{suffix}"
    path.write_bytes(data)
    _try(source, path)


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """A valid sample, then a few cuts, insertions, byte flips or duplicated lines."""
    source, data, suffix = draw(st.sampled_from(SAMPLES))
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "insert", "flip", "duplicate", "hostile"]))
        at = draw(st.integers(0, max(len(buffer) - 1, 0)))
        if kind == "cut":
            del buffer[at:]
        elif kind == "insert":
            buffer[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif kind == "flip" and buffer:
            buffer[at] = draw(st.integers(0, 255))
        elif kind == "duplicate":
            lines = bytes(buffer).split(b"\n")
            pick = draw(st.integers(0, len(lines) - 1))
            buffer = bytearray(b"\n".join([*lines, lines[pick]]))
        else:
            buffer[at:at] = draw(st.sampled_from(HOSTILE)).encode("utf-8")
    return source, bytes(buffer), suffix


@SETTINGS
@given(case=damaged())
def test_damaged_files(folder: Path, case: tuple[str, bytes, str]) -> None:
    source, data, suffix = case
    path = folder / f"damaged{suffix}"
    path.write_bytes(data)
    _try(source, path)


CSV_SAMPLES = [(s, d, x) for s, d, x in SAMPLES if x == ".csv"]


@st.composite
def hostile_csv(draw: st.DrawFn) -> tuple[str, bytes]:
    """A sample's header, then rows whose fields are hostile values or random text."""
    source, data, _ = draw(st.sampled_from(CSV_SAMPLES))
    header = data.split(b"\n", 1)[0].decode("utf-8")
    width = header.count(",") + 1
    fields = st.sampled_from(HOSTILE) | st.text(max_size=12)
    rows = draw(st.lists(st.lists(fields, min_size=width - 1, max_size=width + 1), min_size=1, max_size=6))
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "cp1252", "utf-16", "latin-1"]))
    text = header + "\n" + buffer.getvalue()
    return source, text.encode(encoding, errors="replace")


@SETTINGS
@given(case=hostile_csv())
def test_hostile_values_in_well_formed_files(folder: Path, case: tuple[str, bytes]) -> None:
    source, data = case
    path = folder / "hostile.csv"
    path.write_bytes(data)
    _try(source, path)


# ---- the stakeholder loader ----

STAKEHOLDER = (FIXTURES.parent / "goals" / "fixtures" / "valid" / "chamber.yaml").read_bytes()
STAKEHOLDER_CSV = (FIXTURES.parent / "goals" / "fixtures" / "valid" / "chamber.csv").read_bytes()
YAML_PIECES = ["&a ", "*a", "[", "]", "{", "}", ": ", "- ", "!!python/object:os.system ", "!!binary ", "? ", "|\n",
               ">\n", "'", '"', "\t", "\ufeff", "\u202e", "%YAML 1.1\n", "---\n", "...\n", "<<: *a\n", "~", "\x00"]


@st.composite
def stakeholder_files(draw: st.DrawFn) -> tuple[bytes, bytes]:
    text = bytearray(STAKEHOLDER)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text[at:at] = draw(st.sampled_from(YAML_PIECES)).encode("utf-8")
        else:
            del text[at:at + draw(st.integers(1, 40))]
    table = bytearray(STAKEHOLDER_CSV)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(table)))
        table[at:at] = draw(st.sampled_from(HOSTILE)).encode("utf-8", errors="replace")
    return bytes(text), bytes(table)


@SETTINGS
@given(case=stakeholder_files())
def test_the_stakeholder_loader(folder: Path, case: tuple[bytes, bytes]) -> None:
    from usmca_monitor import api
    from usmca_monitor.progress.stakeholders import validate_file

    target = folder / "orgs"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    (target / "chamber.yaml").write_bytes(case[0])
    (target / "chamber.csv").write_bytes(case[1])
    with bounded():
        stakeholder, problems = validate_file(target / "chamber.yaml", api.known_codes(), target)
    assert (stakeholder is None) == bool(problems)
    assert all("\n" not in str(p) for p in problems)


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_the_stakeholder_loader_on_random_bytes(folder: Path, data: bytes) -> None:
    from usmca_monitor import api
    from usmca_monitor.progress.stakeholders import validate_file

    path = folder / "random.yaml"
    path.write_bytes(data)
    with bounded():
        validate_file(path, api.known_codes(), folder)
