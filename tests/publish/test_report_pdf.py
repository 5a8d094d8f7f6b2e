"""The PDF report "North America in data", rendered from the embedded data in each language and read
back with pypdf: its page count, every goal chapter (in the outline and the text), the language of its
text, and the TDR of Mexico in 2024 equal to the ratio of sums taken directly from the shared Census file,
printed in the language's number format."""

from __future__ import annotations

import csv
import re

import pytest
from babel.numbers import format_decimal
from pypdf import PdfReader

from usmca_monitor.catalog import source_specs
from usmca_monitor.indicators.session import Session
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.publish.i18n import LANGS, LOCALES, translations
from usmca_monitor.publish.report import report_data, write_report

# Words that appear only in one language's text of the report (its fixed wording, not the data).
OWN_WORDS = {"en": ("Contents", "How to read this report", "Sources and vintages"),
             "es": ("Contenido", "Cómo leer este informe", "Fuentes y versiones de los datos"),
             "fr": ("Sommaire", "Comment lire ce rapport", "Sources et millésimes")}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The report in en, es and fr from one session (the data computed once), and one indicator page."""
    folder = tmp_path_factory.mktemp("report")
    home = tmp_path_factory.mktemp("report-home")
    written = {}
    with Session(home) as session:
        data = report_data(session)
        for lang in LANGS:
            written[lang] = write_report(folder / f"report.{lang}.pdf", lang, session=session, data=data)
        written["goal4"] = write_report(folder / "goal4.fr.pdf", "fr", goal=4, session=session, data=data)
        written["tdr"] = write_report(folder / "tdr.es.pdf", "es", indicator="tdr", session=session)
    return written


def text_of(path) -> str:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def outline_titles(path) -> list[str]:
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title
    return list(walk(PdfReader(str(path)).outline))


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_has_every_goal_chapter_in_its_language(reports, lang):
    written = reports[lang]
    reader = PdfReader(str(written.path))
    assert len(reader.pages) == written.pages
    assert 10 <= written.pages <= 40  # cover, contents, four chapters, sources, technical details
    assert reader.trailer["/Root"]["/Lang"] == lang
    _ = translations(lang).gettext
    titles = outline_titles(written.path)
    text = re.sub(r"\s+", " ", text_of(written.path))
    for goal in load_catalog().goals:
        chapter = f"{_('Goal')} {goal.id}. {goal.name.get(lang)}"
        assert chapter in titles, (chapter, titles)
        assert goal.name.get(lang) in text
    assert _("North America in data") in text
    for other, words in OWN_WORDS.items():
        for word in words:
            assert (word in text) == (other == lang), (lang, word)


def mexico_2024_tdr(shared) -> float:
    """(imports − exports) / exports of the United States with Mexico (Census code 2010) in 2024,
    summed from the shared monthly file the census_trade adapter reads."""
    (raw,) = [f for f in source_specs()["census_trade"].files if f.reader == "partner_csv"]
    exports = imports = 0.0
    months = 0
    with (shared / raw.path).open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["cty_code"] == "2010" and row["year"] == "2024":
                exports += float(row["exports_total_usd"])
                imports += float(row["imports_general_usd"])
                months += 1
    assert months == 12
    return (imports - exports) / exports


@pytest.mark.shared
@pytest.mark.parametrize("lang", LANGS)
def test_the_tdr_of_mexico_in_2024_is_the_census_sum_in_the_page_number_format(reports, shared, lang):
    expected = format_decimal(mexico_2024_tdr(shared), format="#,##0.00", locale=LOCALES[lang])
    assert expected in ("0.51", "0,51")  # the report's figure: about $1.51 imported per $1 exported
    mexico = {"en": "Mexico", "es": "México", "fr": "Mexique"}[lang]
    lines = text_of(reports[lang].path).splitlines()
    header = next(i for i, line in enumerate(lines) if re.fullmatch(r"\S+( 20\d\d){6}", line.strip()))
    assert lines[header].split()[-1] == "2024"  # the TDR table's last column
    row = next(line for line in lines[header:] if re.fullmatch(rf"{mexico}( -?[\d.,]+){{6}}", line.strip()))
    assert row.split()[-1] == expected, row


def test_one_goal_and_one_indicator_on_request(reports):
    goal4 = re.sub(r"\s+", " ", text_of(reports["goal4"].path))
    assert "Objectif 4." in goal4 and "Objectif 1." not in goal4.split("Sommaire", 1)[1].split("Objectif 4.")[1]
    assert reports["goal4"].pages < reports["fr"].pages
    page = text_of(reports["tdr"].path)
    assert "Razón de déficit comercial (TDR)" in page and reports["tdr"].pages <= 3
