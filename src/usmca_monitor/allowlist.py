"""The one list of English that may stay on Spanish and French pages, and the words spelt alike.

Everything a reader sees is translated, except (each passage marked ``lang="en"`` by the templates):

* ``PROPER_NAMES`` — organisations, programmes, laws, places and acronyms known by their English name
  (Social Progress Imperative, CHIPS and Science Act, Corn Belt, USDA…);
* ``CITED_TITLES`` — titles of cited works, kept in the language they were published in (The North
  American Project, Mapping Shared Prosperity, World Investment Report…);
* HS and NAICS headings: no official Spanish or French heading is shipped with the package, so they
  stay in English (``product_headings()``, read from the derived codelists; see
  ``codelists.product_heading``).

The Technical details of a page (``<details class="tech">``) list the raw files with the titles and notes
their publishers or the maintainers wrote for them; that list is marked ``lang="en"`` and said to be in
English. The authors of the report ("México, ¿cómo vamos? and the U.S.-Mexico Foundation") are its byline.

``SAME_SPELLING`` lists the words a Spanish or French catalog rightly leaves as they are in English
(``Base``, ``Note``, ``Sources``…): they are not English on the page. Use ``is_allowed`` for a whole
message (a .po msgid, a YAML text), ``strip_allowed`` to remove allowed passages before looking for
English words, and ``english_words`` to find English function words left in a text.
"""

from __future__ import annotations

import re
from functools import cache

PROPER_NAMES: frozenset[str] = frozenset({
    # organisations and their acronyms
    "Social Progress Imperative", "INCAE", "México, ¿cómo vamos?", "México, ¿cómo vamos", "U.S.-Mexico Foundation",
    "Council on Foreign Relations", "Foreign Agricultural Center, USDA", "Peterson Institute", "Brookings",
    "McKinsey & Company", "Wilson Quarterly", "Bloomberg", "Semiconductor Industry Association", "SIA", "SIA-BCG",
    "Boston Consulting Group", "BCG", "Bureau of Labor Statistics", "BLS", "Energy Information Administration",
    "EIA", "IMCO", "INEGI", "Industria Nacional de Autopartes", "INA", "AMIA", "ANPACT", "OICA", "WISERTrade",
    "Our World in Data", "OWID", "Ember", "Energy Institute", "OEC", "USITC", "USTR", "USDA", "ERS", "ERS-USDA",
    "FAS", "StatCan", "Statistics Canada", "FRED", "UN Comtrade", "Trade Map", "CEPII", "BACI", "FAOSTAT", "FAO",
    "UNCTAD", "UNIDO", "WSTS", "Ford", "Secretaría de Economía", "Kansas City Fed", "Baker Institute",
    "México, ¿cómo vamos? and the U.S.-Mexico Foundation", "México, ¿cómo vamos? and U.S.-Mexico Foundation",
    "Gantz, D. A.", "Gantz, David A.", "CRS", "GitHub", "datahub.io", "pycountry", "Debian iso-codes",
    # programmes, laws, data sets and technical names
    "CHIPS and Science Act", "Advanced Manufacturing Investment Credit", "AMIC", "Gross Vehicle Weight Rating",
    "GVWR", "FATUS", "GATS", "PSD", "TiVA", "SME", "ATP", "TDR", "CPI-U", "LP.LPI.OVRL.XQ", "USMCA", "CUSMA",
    "NAFTA", "Corn Belt", "World Development Indicators", "WDI", "Windows", "CC BY", "CC BY 3.0 IGO", "CC BY 4.0",
    "ODC-PDDL-1.0", "README",
    # places known by their English name in the report's maps
    "Great Lakes", "El Paso", "Laredo", "Yakima",
})

CITED_TITLES: frozenset[str] = frozenset({
    "The North American Project", "The North American Project (2025)", "Mapping Shared Prosperity",
    "U.S. Food Imports", "World Investment Report", "Human Development Report", "Semáforos económicos",
    "México, ¿cómo vamos?, Semáforos económicos", "Baker Institute Report no.02.21.19",
    "Congressional Research Service (CRS). 2021. USMCA: Motor Vehicle Provisions and Issues",
    "USMCA: Motor Vehicle Provisions and Issues", "Statistical Review of World Energy", "International Trade API",
    "Global Agricultural Trade System", "FAS OpenData API", "Indicators API v2", "Production statistics",
})

SAME_SPELLING: dict[str, frozenset[str]] = {
    "es": frozenset({"%", "Base", "US$", "Subsector", "Total"}),
    "fr": frozenset({"%", "Base", "Contact", "Note", "orange", "ratio", "stagnation", "Sections", "Sources",
                     "licence", "source", "Source", "score", "Score", "Code", "Total", "date", "Canada", "Date",
                     "Verdict", "verdict"}),
}

# Common English words that are not Spanish or French words: one of them on an es/fr page, outside the
# allowed passages, is an English sentence left untranslated.
ENGLISH_WORDS: frozenset[str] = frozenset({
    "the", "and", "of", "with", "which", "from", "this", "that", "these", "those", "were", "was", "have", "has",
    "been", "would", "should", "could", "their", "there", "than", "into", "only", "also", "between", "through",
    "about", "after", "before", "because", "however", "while", "where", "when", "what", "who", "will", "must",
    "more", "most", "each", "every", "other", "such", "its", "they", "are", "is", "for", "by", "to", "not",
    "or", "in", "on", "at", "it", "be", "our", "your", "data", "shows", "year", "years", "target", "targets",
    "growth", "trade", "progress", "share", "imports", "exports", "billion", "million", "jobs", "none", "named",
    "stated", "implied", "available", "latest", "source", "sources",
})
# Words of that list that are also words in the language (French "on", "est"…; Spanish "data"…).
NOT_ENGLISH_IN: dict[str, frozenset[str]] = {
    "es": frozenset({"data"}), "fr": frozenset({"on", "or", "source", "sources", "million", "billion"})}

_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd%]|\{[a-z_]+\}")
_CODE = re.compile(r"\S*[/_@]\S*|\S+\.(?:org|com|gov|net|io|mx|ca|csv|xlsx)\b")  # paths, URLs, files, ids
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’][A-Za-z]+)?")


@cache
def product_headings() -> frozenset[str]:
    """The English HS 2022 and NAICS 2017 headings of the derived codelists (no official Spanish or
    French heading ships with the package)."""
    from usmca_monitor.codelists import product_names

    return frozenset({*product_names("hs2022").values(), *product_names("naics2017").values()})


@cache
def spelt_alike(lang: str) -> frozenset[str]:
    """Words and names written the same in ``lang`` as in English: ``SAME_SPELLING`` and the place names
    of the codelists whose official name in ``lang`` is the English one (Texas, Ontario, Yukon…)."""
    from usmca_monitor.codelists import load_codelists

    places = {area.names.get("en", "") for area in load_codelists().areas.values()
              if area.names.get(lang) == area.names.get("en")}
    return frozenset(places - {""}) | SAME_SPELLING.get(lang, frozenset())


def english_allowed() -> frozenset[str]:
    """Every passage that may stay in English on an es/fr page (longest first when stripping)."""
    return PROPER_NAMES | CITED_TITLES | product_headings()


def is_allowed(text: str, lang: str) -> bool:
    """Whether ``text`` may be identical in ``lang`` and in English: an allowed passage, a word spelt
    alike, or nothing but placeholders, numbers, symbols and allowed passages."""
    if lang == "en" or text in spelt_alike(lang) or text in english_allowed():
        return True
    rest = strip_allowed(_PLACEHOLDER.sub(" ", text), lang)
    return not re.search(r"[A-Za-zÀ-ÖØ-öø-ÿ]", rest)


@cache
def _pattern(lang: str) -> re.Pattern[str]:
    passages = sorted(english_allowed() | SAME_SPELLING.get(lang, frozenset()), key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in passages if p))


def strip_allowed(text: str, lang: str) -> str:
    """``text`` without the allowed passages (so what is left can be searched for English)."""
    return _pattern(lang).sub(" ", text)


def english_words(text: str, lang: str) -> list[str]:
    """The English function words left in ``text`` once the allowed passages are removed."""
    skip = NOT_ENGLISH_IN.get(lang, frozenset())
    words = _WORD.findall(strip_allowed(_CODE.sub(" ", _PLACEHOLDER.sub(" ", text)), lang))
    return [w for w in words if w.lower() in ENGLISH_WORDS and w.lower() not in skip]
