"""México, ¿cómo vamos? state SPI: the adapter reads MCV's published workbook of each edition into its
own vintage, values equal the workbook's, the long file agrees, and bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.sources.mcv_spi import read_mcv_workbook
from usmca_monitor.sources.registry import get_adapter

# Published 2023 Social Progress Index of four states, as MCV's 03_ips_clean/00_IPS_COMPLETE_WIDE.xlsx
# states them (sheet 01_IPS_DIM, column 00), edition 2024 (commit 36b9220) and edition 2025 (19c489e).
PUBLISHED_2023 = {
    "ed2024": {"MX-NLE": 71.2792933452506, "MX-CMX": 74.93858, "MX-CHP": 55.624938, "MX-YUC": 70.695383},
    "ed2025": {"MX-NLE": 69.7636639943775, "MX-CMX": 73.325057, "MX-CHP": 53.001007, "MX-YUC": 67.465619},
}
CVE = {"MX-NLE": "19", "MX-CMX": "09", "MX-CHP": "07", "MX-YUC": "31"}
WORKBOOK = "spi/mx_ips_mcv_{edition}_00_IPS_COMPLETE_WIDE.xlsx"


def _workbook_index(path: Path, cve_ent: str, year: int) -> float:
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book["01_IPS_DIM"]
    sheet.reset_dimensions()
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("00")
    [value] = [r[column] for r in rows[1:] if r[0] == cve_ent and r[1] == year]
    book.close()
    return float(value)


@pytest.mark.parametrize("edition", ["ed2024", "ed2025"])
def test_scores_equal_the_published_workbook(shared: Path, edition: str) -> None:
    """2023 SPI of Nuevo León, Mexico City, Chiapas and Yucatán: MCV IPS workbook, editions 2024 and
    2025 (values above), read from the workbook itself and by the adapter."""
    path = shared / WORKBOOK.format(edition=edition)
    rows = read_mcv_workbook(path, load_codelists())
    index = {r["geo"]: r["value"] for r in rows if r["measure"] == "spi" and r["period"] == "2023"}
    for geo, published in PUBLISHED_2023[edition].items():
        assert _workbook_index(path, CVE[geo], 2023) == pytest.approx(published, abs=5e-7)
        assert index[geo] == pytest.approx(published, abs=5e-7)
    assert len(index) == 33  # 32 states + the nation (MEX); utopia/dystopia bound rows are not areas
    assert "MEX" in index


def test_editions_differ_and_the_framework_holds(shared: Path) -> None:
    """MCV re-estimates history: Nuevo León 2023 is 71.28 in ed. 2024 and 69.76 in ed. 2025. In both,
    the index is the mean of the 3 dimensions and each dimension the mean of its 4 components."""
    for edition in ("ed2024", "ed2025"):
        rows = read_mcv_workbook(shared / WORKBOOK.format(edition=edition), load_codelists())
        by = {(r["geo"], r["measure"], r["period"]): float(r["value"]) for r in rows}  # type: ignore[arg-type]
        dims = ("basic_human_needs", "foundations_of_wellbeing", "opportunity")
        for geo in ("MX-NLE", "MX-CHP", "MEX"):
            mean = sum(by[(geo, d, "2023")] for d in dims) / 3
            assert by[(geo, "spi", "2023")] == pytest.approx(mean, abs=1e-6)
        bhn = ("nutrition_and_basic_medical_care", "water_and_sanitation", "shelter", "personal_safety")
        assert by[("MX-NLE", "basic_human_needs", "2023")] == pytest.approx(
            sum(by[("MX-NLE", c, "2023")] for c in bhn) / 4, abs=1e-6)
    assert PUBLISHED_2023["ed2024"]["MX-NLE"] - PUBLISHED_2023["ed2025"]["MX-NLE"] > 1


@pytest.mark.parametrize("edition", ["2024", "2025"])
def test_long_file_agrees_with_the_workbook(shared: Path, edition: str) -> None:
    adapter = get_adapter("mcv_spi")
    long_rows = list(adapter.readers["long"](shared / f"spi/mx_ips_states_mcv_ed{edition}_long.csv", load_codelists()))
    wide_rows = read_mcv_workbook(shared / WORKBOOK.format(edition=f"ed{edition}"), load_codelists())
    key = lambda r: (r["geo"], r["measure"], r["period"])  # noqa: E731
    wide = {key(r): r["value"] for r in wide_rows}
    assert len(long_rows) == len(wide_rows)
    assert all(wide[key(r)] == pytest.approx(r["value"], abs=1e-5) for r in long_rows)
    assert adapter.detect_reader(shared / f"spi/mx_ips_states_mcv_ed{edition}_long.csv") == "long"
    assert adapter.detect_reader(shared / WORKBOOK.format(edition=f"ed{edition}")) == "mcv_workbook"


def test_a_workbook_without_the_sheets_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Hoja1"
    path = tmp_path / "other.xlsx"
    book.save(path)
    with pytest.raises(DataError, match="sheet 01_IPS_DIM is missing"):
        read_mcv_workbook(path, load_codelists())
    (tmp_path / "not.xlsx").write_text("hello", encoding="utf-8")
    with pytest.raises(DataError, match="not a readable Excel workbook"):
        read_mcv_workbook(tmp_path / "not.xlsx", load_codelists())


def test_an_unknown_state_code_is_named(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "01_IPS_DIM"
    sheet.append(["cve_ent", "anio", "entidad_abr_m", "01", "02", "03", "00"])
    sheet.append(["45", 2023, "XX", 50, 50, 50, 50])
    book.create_sheet("02_IPS_COMP").append(["cve_ent", "anio", "entidad_abr_m"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(DataError, match=r"line 2: unknown cve_ent '45'"):
        read_mcv_workbook(path, load_codelists())
