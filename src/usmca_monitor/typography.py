"""French typography for texts a reader sees: a narrow no-break space (U+202F) before ``: ; ? !`` and
inside guillemets ``« »``. Spanish questions and exclamations (``¿…?``, ``¡…!``: the proper name
"México, ¿cómo vamos?") are left as they are, and so are URLs, times and ratios (``https://``,
``10:30``). Used by tools/gen_facts.py, the catalog tests and any check of French pages."""

from __future__ import annotations

import re

NNBSP = "\u202f"
SPACES = " \u00a0\u202f"
_BEFORE = re.compile(r"[ \u00a0\u202f]*([:;?!])(?=\s|$|[»)\]\"”,.])")
_OPEN = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE = re.compile(r"[ \u00a0\u202f]*»")


def _spanish(text: str, index: int, mark: str) -> bool:
    """Whether the ``?``/``!`` at ``index`` closes a Spanish ``¿``/``¡`` opened earlier in ``text``."""
    opener = "¿" if mark == "?" else "¡"
    return text.rfind(opener, 0, index) > text.rfind(mark, 0, index)


def french(text: str) -> str:
    """``text`` with French spacing: U+202F before ``: ; ? !`` (when they end a word) and inside ``« »``."""
    def space(match: re.Match[str]) -> str:
        mark = match.group(1)
        start = match.start(1)
        if mark in "?!" and _spanish(text, start, mark):
            return match.group(0)
        if match.start() == 0:
            return mark
        return NNBSP + mark

    fixed = _BEFORE.sub(space, text)
    fixed = _OPEN.sub("«" + NNBSP, fixed)
    return _CLOSE.sub(NNBSP + "»", fixed)


def french_problems(text: str) -> list[str]:
    """What ``french`` would change in ``text``, as short excerpts (empty when the text is right)."""
    fixed = french(text)
    if fixed == text:
        return []
    problems = []
    for match in re.finditer(r"[:;?!«»]", text):
        around = text[max(0, match.start() - 12):match.end() + 12]
        if french(around) != around:
            problems.append(around.replace(NNBSP, "⍽"))
    return problems or [text[:40]]
