"""Languages: Babel message catalogs (compiled in memory), locales and number formats."""

from __future__ import annotations

import gettext
import io
from functools import cache
from importlib import resources
from pathlib import Path

from babel import Locale
from babel.dates import get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

LANGS = ("en", "es", "fr")
# The locale of each language: Mexico for Spanish and Canada for French, the report's audiences.
LOCALES = {"en": "en_US", "es": "es_MX", "fr": "fr_CA"}
# The agreement's name in each language (USMCA in the U.S., T-MEC in Mexico, ACEUM in French Canada).
AGREEMENT = {"en": "USMCA", "es": "T-MEC", "fr": "ACEUM"}


def catalog_files(lang: str) -> list[Path]:
    """The .po catalogs of ``lang``: ``messages.po`` (the site's frame) and one per section or room
    (e.g. ``goals.po``), so that parts of the site can be translated without touching each other."""
    folder = Path(str(resources.files("usmca_monitor.publish.i18n").joinpath(lang, "LC_MESSAGES")))
    return sorted(folder.glob("*.po"), key=lambda p: (p.name != "messages.po", p.name))


def catalog_file(lang: str) -> Path:
    """The main .po catalog of ``lang``."""
    return catalog_files(lang)[0]


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """All catalogs of ``lang`` compiled in memory and chained (English is the source language)."""
    if lang == "en":
        return gettext.NullTranslations()
    chain: gettext.NullTranslations | None = None
    for path in catalog_files(lang):
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=LOCALES[lang])
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        compiled = gettext.GNUTranslations(buffer)
        if chain is None:
            chain = compiled
        else:
            chain.add_fallback(compiled)
    return chain or gettext.NullTranslations()


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """A number in the locale's format, with ``digits`` decimals; an em dash when missing."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def period_label(period: str, lang: str) -> str:
    """A period code in words: ``2025-H1`` and ``2025-YTD06`` → "January–June 2025", ``2024-Q2`` →
    "April–June 2024", ``2024-06`` → "June 2024" (month names in ``lang``); a year, or anything else,
    stays as it is."""
    months = get_month_names("wide", locale=LOCALES[lang])
    year, _, part = period.partition("-")
    if not (len(year) == 4 and year.isdigit() and part):
        return period
    if part in ("H1", "H2"):
        first, last = (1, 6) if part == "H1" else (7, 12)
    elif part[:1] == "Q" and part[1:] in ("1", "2", "3", "4"):
        first, last = 3 * int(part[1:]) - 2, 3 * int(part[1:])
    elif part.startswith("YTD") and part[3:].isdigit() and 1 <= int(part[3:]) <= 12:
        first, last = 1, int(part[3:])
    elif part.isdigit() and 1 <= int(part) <= 12:
        return f"{months[int(part)]} {year}"
    else:
        return period
    return f"{months[first]}–{months[last]} {year}" if first != last else f"{months[first]} {year}"


def d3_locale(lang: str) -> dict[str, object]:
    """The d3-format locale for Vega charts, from Babel's data for the language's locale."""
    loc = Locale.parse(LOCALES[lang])
    group = get_group_symbol(loc)
    return {"decimal": get_decimal_symbol(loc), "thousands": "\u00a0" if group.isspace() else group,
            "grouping": [3], "currency": ["$", ""] if lang != "fr" else ["", "\u00a0$"]}
