"""Output safety, written once and used by every writer (pages, CSV and XLSX downloads, JSON files,
the API, ``usmca query``): strict JSON (no NaN or Infinity: missing values are null), CSV cells that a
spreadsheet cannot run as formulas, text without bidirectional control characters, links that are
``http(s)`` only, and origins without local paths.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

# U+202A–U+202E (embeddings, overrides) and U+2066–U+2069 (isolates) can reorder what a reader sees;
# U+202F (narrow no-break space, French typography) is kept. Other C0/C1 controls except tab and newline go too.
_UNSAFE = re.compile("[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(text: str) -> str:
    """``text`` without bidirectional overrides/isolates and control characters (tab and newline kept)."""
    return _UNSAFE.sub("", text)


def finite(value: float | None) -> float | None:
    """``value`` when it is a finite number, else None."""
    return value if value is not None and math.isfinite(value) else None


def json_ready(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None (recursively through dicts and lists)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def dumps(value: Any, **kwargs: Any) -> str:
    """Strict JSON: NaN and ±Infinity become null, and ``allow_nan=False`` guards the rest."""
    kwargs.setdefault("ensure_ascii", False)
    return json.dumps(json_ready(value), allow_nan=False, **kwargs)


def csv_cell(value: Any) -> Any:
    """A CSV/XLSX cell: text that a spreadsheet would read as a formula (starting with = + - @, tab or
    carriage return) is prefixed with an apostrophe; numbers and other values pass unchanged (a
    non-finite number becomes empty)."""
    if isinstance(value, str):
        value = clean_text(value)
        return "'" + value if value.startswith(_FORMULA_START) else value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute ``http`` or ``https`` link, else None (``javascript:``, ``data:``,
    ``file:`` and relative links are not published)."""
    if not url:
        return None
    text = clean_text(url).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def public_origin(origin: Mapping[str, Any]) -> dict[str, Any]:
    """An origin as published: a URL that is not ``http(s)`` (an imported file's ``file://`` path) is
    replaced by a note, and a path keeps only the file name."""
    out = dict(origin)
    if "url" in out:
        out["url"] = safe_url(out.get("url")) or ""
    if out.get("path"):
        out["path"] = str(out["path"]).replace("\\", "/").rsplit("/", 1)[-1]
    return out
