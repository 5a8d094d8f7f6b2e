"""The words around a fact in the reader's language (``catalog/codelists/fact_terms.yaml``): the unit
of the report's figure in words, a period that is not a period code ("not stated", "2025 Q2"), the
report's figure when printed with words ("over 16" → "más de 16"), the source the report cites and the
data a fact awaits. A term that the table does not list is returned as it is: it is then a proper name
or a title (``usmca_monitor/allowlist.py``; a test checks both)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from usmca_monitor.codelists import catalog_path, read_yaml
from usmca_monitor.model.specs import Text

SECTIONS = ("units", "periods", "value_texts", "qualifiers", "cited_sources", "awaits")
_QUALIFIED = re.compile(r"(~|>=|>|over|almost|nearly|about|close to)\s*(-?[0-9]+(?:\.[0-9]+)?)")


@cache
def fact_terms() -> dict[str, dict[str, Text]]:
    """The table, by section and English term."""
    document: dict[str, Any] = read_yaml(catalog_path("codelists", "fact_terms.yaml")) or {}
    return {section: {str(k): Text.model_validate(v) for k, v in (document.get(section) or {}).items()}
            for section in SECTIONS}


def _word(section: str, term: str, lang: str) -> str:
    found = fact_terms()[section].get(term)
    return found.get(lang) if found is not None else term


def unit_words(unit: str, lang: str) -> str:
    """``USD billion`` → "billion U.S. dollars", "miles de millones de dólares", "milliards de dollars"."""
    return _word("units", unit, lang)


def period_words(period: str, lang: str) -> str | None:
    """A period that is not a code ("not stated", "2025 Q2") in ``lang``; None for a period code."""
    found = fact_terms()["periods"].get(period)
    return found.get(lang) if found is not None else None


def value_words(value_text: str, lang: str, fmt: Callable[[float, int], str] | None = None) -> str:
    """The report's figure as printed, in ``lang``: "over 16" → "más de 16", "~45" → "environ 45";
    ``fmt(number, decimals)`` formats the number in the reader's locale (as printed when None)."""
    listed = fact_terms()["value_texts"].get(value_text)
    if listed is not None:
        return listed.get(lang)
    match = _QUALIFIED.fullmatch(value_text.strip())
    if match is None:
        return value_text
    qualifier, digits = match.groups()
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    shown = fmt(float(digits), decimals) if fmt else digits
    return f"{_word('qualifiers', qualifier, lang)} {shown}"


def cited_words(cited: str, lang: str) -> str:
    """The source the report cites, in ``lang`` ("none named" → "no se nombra ninguna")."""
    return _word("cited_sources", cited, lang)


def awaits_words(awaits: str, lang: str) -> str:
    """A source a fact awaits, named for readers ("census_intltrade" → "U.S. Census Bureau, …")."""
    return _word("awaits", awaits, lang)
