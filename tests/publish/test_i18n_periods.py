"""Period codes in words, in the three languages (month names from the CLDR data Babel ships)."""

from __future__ import annotations

import pytest

from usmca_monitor.publish.i18n import period_label


@pytest.mark.parametrize(("period", "lang", "words"), [
    ("2025-H1", "en", "January–June 2025"),
    ("2025-H2", "es", "julio–diciembre 2025"),
    ("2025-YTD06", "fr", "janvier–juin 2025"),
    ("2025-YTD01", "en", "January 2025"),
    ("2024-Q2", "en", "April–June 2024"),
    ("2024-06", "es", "junio 2024"),
    ("2024", "fr", "2024"),
    ("Jan-Jun 2025", "en", "Jan-Jun 2025"),
    ("2024-Q5", "en", "2024-Q5"),
    ("2024-13", "en", "2024-13"),
])
def test_period_label(period: str, lang: str, words: str) -> None:
    assert period_label(period, lang) == words
