"""The visible text of a built page, for the language tests: text nodes outside ``<script>``, ``<style>``,
``<code>`` (commands, paths and hashes, kept in the Technical details) and any element marked
``lang="en"`` (the allowlist's proper names, cited titles and HS/NAICS headings)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from usmca_monitor import allowlist

SKIPPED = {"script", "style", "code", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Common English function words: one of them in the visible text of an es/fr page is an English sentence.
ENGLISH = re.compile(r"\b(?:the|of the|and|is|with|from|which|this|these|are|were|has been|for the|by the)\b",
                     re.IGNORECASE)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: whether its text is skipped
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        skipped = bool(self.stack and self.stack[-1]) or tag in SKIPPED or ("lang", "en") in attrs
        self.stack.append(skipped)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]) and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    """The visible text chunks of ``html`` (see the module docstring)."""
    parser = _Text()
    parser.feed(html)
    return parser.chunks


def english_passages(html: str, lang: str) -> list[str]:
    """The text chunks of a ``lang`` page that still read as English once the allowlist is removed."""
    found = []
    for chunk in visible_text(html):
        rest = allowlist.strip_allowed(chunk, lang)
        if ENGLISH.search(rest):
            found.append(chunk)
    return found
