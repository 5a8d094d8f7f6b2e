"""Every string a reader sees is translated: the es and fr .po catalogs have no untranslated or fuzzy
entries (msgstr differs from msgid outside the allowlist of usmca_monitor/allowlist.py), the catalog
YAML texts exist in es and fr and differ from English outside the allowlist, the facts' units, periods,
cited sources and awaited sources have words in each language, and the texts of the goals, facts and
sources catalogs carry no English sentence and follow French typography."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

from usmca_monitor import allowlist
from usmca_monitor.catalog import source_specs
from usmca_monitor.codelists import catalog_path, product_heading, product_names
from usmca_monitor.facts.check import fact_specs
from usmca_monitor.facts.terms import awaits_words, cited_words, fact_terms, period_words, unit_words, value_words
from usmca_monitor.indicators.periods import parse_period
from usmca_monitor.model.errors import UsmcaError
from usmca_monitor.publish.i18n import catalog_files
from usmca_monitor.typography import french, french_problems

LANGS = ("es", "fr")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")
CATALOG = catalog_path()
# The texts this project's goals, facts and sources catalogs own (checked for English and typography).
OWN_YAML = [*sorted((CATALOG / "goals").rglob("*.yaml")), *sorted((CATALOG / "facts").rglob("*.yaml")),
            CATALOG / "codelists" / "fact_terms.yaml", *sorted((CATALOG / "indicators" / "goal2").glob("*.yaml")),
            CATALOG / "sources" / "worldbank.yaml", *sorted((CATALOG / "stakeholders").rglob("*.yaml"))]


def _messages(lang: str) -> Iterator[tuple[str, Any]]:
    for path in catalog_files(lang):
        with path.open("rb") as fh:
            for message in read_po(fh):
                if message.id:
                    yield path.name, message


@pytest.mark.parametrize("lang", LANGS)
def test_po_catalogs_have_no_untranslated_or_fuzzy_entries(lang: str) -> None:
    problems = []
    for name, message in _messages(lang):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        where = f"{lang}/{name}: {ids[0][:70]!r}"
        if message.fuzzy:
            problems.append(f"{where} is fuzzy")
        elif not all(strings):
            problems.append(f"{where} is not translated")
        elif strings[0] == ids[0] and not allowlist.is_allowed(ids[0], lang):
            problems.append(f"{where} is the English text (add it to usmca_monitor/allowlist.py only if it is a "
                            "proper name, a cited title or a word spelt alike)")
        elif any(set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(ids[-1])) for s in strings[1:]) or \
                set(PLACEHOLDER.findall(strings[0])) - set(PLACEHOLDER.findall(ids[-1])):
            problems.append(f"{where} does not keep the placeholders")
    assert not problems, "\n".join(problems)


def _texts(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every {en, es, fr} mapping in a YAML document, with where it is."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and {"es", "fr"} & set(node) | {"en"} >= {"en"} and \
                set(node) <= {"en", "es", "fr", "code", "iso", "country", "abbr"}:
            yield path, node
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}[{index}]")


def test_catalog_yaml_texts_are_translated() -> None:
    problems = []
    for path in sorted(CATALOG.rglob("*.yaml")):
        for where, text in _texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for lang in LANGS:
                value = text.get(lang)
                if text["en"] and not value:
                    problems.append(f"{path.relative_to(CATALOG)}{where}: no {lang}")
                elif value == text["en"] and not allowlist.is_allowed(value, lang):
                    problems.append(f"{path.relative_to(CATALOG)}{where}: {lang} is the English {value[:50]!r}")
    assert not problems, "\n".join(problems[:40])


def _is_code(period: str) -> bool:
    try:
        parse_period(period)
    except UsmcaError:
        return False
    return True


def test_every_fact_reads_in_three_languages() -> None:
    """Statements and notes in es and fr; units in words; stated periods, the report's worded figures,
    cited and awaited sources translated or allowlisted (an unlisted term is shown as it is)."""
    terms = fact_terms()
    problems = []
    for spec in fact_specs().values():
        for lang in LANGS:
            texts = [spec.statement] + ([spec.note] if spec.note else [])
            problems += [f"{spec.id}: no {lang} text" for t in texts if not getattr(t, lang)]
            if spec.unit not in terms["units"]:
                problems.append(f"{spec.id}: unit {spec.unit!r} has no words")
            if spec.period and not _is_code(spec.period) and period_words(spec.period, lang) is None:
                problems.append(f"{spec.id}: period {spec.period!r} has no words")
            for shown in (cited_words(spec.cited_source, lang), *(awaits_words(a, lang) for a in spec.awaits),
                          value_words(spec.value_text, lang)):
                if shown and allowlist.english_words(shown, lang):
                    problems.append(f"{spec.id}: {lang} shows English {shown[:60]!r}")
    assert not problems, "\n".join(problems[:40])
    assert unit_words("USD billion", "es") == "miles de millones de dólares"
    assert cited_words("none named", "fr") == "aucune n'est nommée" and cited_words("not stated", "fr")
    assert value_words("over 16", "fr") == "plus de 16" and period_words("not stated", "es") == "no indicado"


def _text_problems(text: str, lang: str) -> list[str]:
    english = allowlist.english_words(text, lang)
    typography = french_problems(text) if lang == "fr" else []
    return [f"English {english}"] * bool(english) + [f"typography {typography}"] * bool(typography)


def test_own_catalog_texts_have_no_english_and_french_typography() -> None:
    """The goals, facts, fact terms, Goal 2 indicators and World Bank source texts, and progress.po: no
    English function word outside the allowlist in es/fr, and a narrow no-break space before : ; ? !
    and inside « » in fr."""
    problems = []
    for path in OWN_YAML:
        for where, text in _texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            problems += [f"{path.name}{where} {lang}: {p}" for lang in LANGS
                         for p in _text_problems(text.get(lang) or "", lang)]
    for lang in LANGS:
        for name, message in _messages(lang):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if name == "progress.po":
                problems += [f"{lang}/progress.po {s[:50]!r}: {p}" for s in strings for p in _text_problems(s, lang)]
    assert not problems, "\n".join(problems[:40])


def test_sources_give_their_licence_and_citation_in_each_language() -> None:
    """Each source gives its licence and citation in es and fr (titles of works stay as published): no
    English outside the allowlist, French typography."""
    for spec in source_specs().values():
        for lang in LANGS:
            assert spec.translations.get(lang), (spec.id, lang)  # type: ignore[call-overload]
            for text in (spec.licence_in(lang), spec.citation_in(lang)):
                assert not allowlist.english_words(text, lang), (spec.id, lang, allowlist.english_words(text, lang))
                assert lang != "fr" or not french_problems(text), spec.id
    assert source_specs()["worldbank"].licence_in("en") == source_specs()["worldbank"].licence


def test_allowlist_and_headings_marked_english() -> None:
    """HS and NAICS headings: no official es/fr heading is shipped, so the English one is given with
    lang "en" (the page marks it); it is allowed English, like proper names and cited titles."""
    heading = product_heading("hs2022", "87", "fr")
    assert heading is not None and heading.lang == "en" and heading.text == product_names("hs2022")["87"]
    assert allowlist.is_allowed(heading.text, "fr") and allowlist.is_allowed("Texas", "es")
    assert not allowlist.is_allowed("Trade deficit ratio", "es")
    assert allowlist.english_words("le « Corn Belt » du Midwest", "fr") == []
    assert allowlist.english_words("the share of imports", "es") == ["the", "share", "of", "imports"]
    assert french("DÉFI : le Mexique « x »") == "DÉFI\u202f: le Mexique «\u202fx\u202f»"
    assert french("México, ¿cómo vamos? présente") == "México, ¿cómo vamos? présente"


def test_tools_fact_translations_cover_the_inventory_facts() -> None:
    """tools/gen_facts.py takes the es/fr statements of the inventory's facts from one file: every
    fact stated in English only by the inventory has both there."""
    source = Path(__file__).resolve().parents[1] / "tools" / "fact_translations.yaml"
    translations = yaml.safe_load(source.read_text(encoding="utf-8"))
    for fact_id, text in translations.items():
        assert fact_id in fact_specs() and text["es"] and text["fr"], fact_id


def test_every_spanish_and_french_page_is_free_of_english_sentences(default_site: Path) -> None:
    """The visible text of every es and fr page of the default site (scripts, styles, ``<code>`` and
    ``lang="en"`` passages left out; proper names, cited titles and HS/NAICS headings removed through
    usmca_monitor/allowlist.py) carries none of the common English function words of
    tests/publish/page_text.py ("the", "of the", "and", "is", "with", "from", "which"…)."""
    from tests.publish.page_text import english_passages

    problems: dict[str, list[str]] = {}
    pages = 0
    for lang in LANGS:
        for page in sorted((default_site / lang).rglob("*.html")):
            pages += 1
            found = english_passages(page.read_text(encoding="utf-8"), lang)
            for passage in found:
                problems.setdefault(passage[:140], []).append(str(page.relative_to(default_site)))
    assert pages > 100, "the default site has every page"
    report = [f"{where[0]} (+{len(where) - 1} pages): {text!r}" for text, where in sorted(problems.items())]
    assert not problems, f"{len(problems)} English passages on es/fr pages:\n" + "\n".join(report[:80])
