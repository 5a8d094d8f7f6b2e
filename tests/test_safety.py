"""Output safety (``usmca_monitor/safety.py``): strict JSON, CSV cells a spreadsheet cannot run, text
without bidirectional controls (U+202F kept), http(s)-only links, origins without local paths."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from usmca_monitor.safety import clean_text, csv_cell, dumps, finite, json_ready, public_origin, safe_url


def _strict(text: str) -> object:
    """Parse as a strict JSON parser does (NaN and Infinity are not JSON)."""
    def refuse(name: str) -> object:
        raise ValueError(f"non-standard JSON constant {name}")
    return json.loads(text, parse_constant=refuse)


def test_dumps_writes_null_for_nan_and_infinity_at_any_depth() -> None:
    value = {"a": math.nan, "b": [1.5, math.inf, {"c": -math.inf}], "d": (math.nan,), "e": "NaN"}
    text = dumps(value)
    assert "NaN" not in text.replace('"NaN"', "") and "Infinity" not in text
    assert _strict(text) == {"a": None, "b": [1.5, None, {"c": None}], "d": [None], "e": "NaN"}
    assert json.dumps({"x": math.nan}) == '{"x": NaN}'  # what the standard library would have written


def test_dumps_keeps_text_readable_and_passes_options() -> None:
    assert dumps({"name": "México"}) == '{"name": "México"}'
    assert dumps({"b": 1, "a": 2}, sort_keys=True, indent=1) == '{\n "a": 2,\n "b": 1\n}'


def test_finite_and_json_ready() -> None:
    assert finite(2.5) == 2.5 and finite(None) is None and finite(math.nan) is None and finite(-math.inf) is None
    assert json_ready([{"v": math.nan}]) == [{"v": None}]


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+2", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1"])
def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed(cell: str) -> None:
    out = csv_cell(cell)
    assert out == "'" + clean_text(cell)
    assert not str(out).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_cells_keep_numbers_and_plain_text() -> None:
    assert csv_cell(-12.5) == -12.5  # a negative number stays a number
    assert csv_cell(3) == 3 and csv_cell(None) is None and csv_cell("MEX") == "MEX"
    assert csv_cell(math.nan) is None and csv_cell(math.inf) is None
    assert csv_cell("Mexico\u202e") == "Mexico"


def test_clean_text_strips_bidi_overrides_and_isolates_but_keeps_french_spacing() -> None:
    controls = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
    assert clean_text(f"a{controls}b") == "ab"
    assert clean_text("12\u202f%") == "12\u202f%"  # U+202F narrow no-break space (French typography) is kept
    assert clean_text("line\nnext\ttab") == "line\nnext\ttab"
    assert clean_text("bell\x07 esc\x1b del\x7f c1\x85") == "bell esc del c1"


@pytest.mark.parametrize("url", ["javascript:alert(document.domain)", "JavaScript:alert(1)", " javascript:x",
                                 "data:text/html,<script>1</script>", "file:///etc/passwd", "vbscript:x",
                                 "/relative/path", "//evil.example/x", "http:///nohost", "", None,
                                 "java\u202escript:alert(1)", "http://[::1"])
def test_safe_url_refuses_everything_but_absolute_http_links(url: str | None) -> None:
    assert safe_url(url) is None


def test_safe_url_keeps_http_and_https_links() -> None:
    assert safe_url("https://www.census.gov/foreign-trade/") == "https://www.census.gov/foreign-trade/"
    assert safe_url(" http://example.org/a?b=1 ") == "http://example.org/a?b=1"
    assert safe_url("https://example.org/\u202eevil") == "https://example.org/evil"


def test_public_origin_publishes_no_local_path() -> None:
    origin = {"url": "file:///home/ana/Downloads/country.xlsx", "path": "/home/ana/Downloads/country.xlsx",
              "title": "imported file country.xlsx"}
    shown = public_origin(origin)
    assert shown["url"] == "" and shown["path"] == "country.xlsx"
    assert "/home/ana" not in json.dumps(shown)
    windows = public_origin({"url": "https://x.org/a.csv", "path": "C:\\Users\\ana\\a.csv"})
    assert windows == {"url": "https://x.org/a.csv", "path": "a.csv"}
    assert origin["url"].startswith("file://")  # the input is not changed


JSONABLE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(JSONABLE)
def test_dumps_always_writes_strict_json(value: object) -> None:
    _strict(dumps(value))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30) | st.floats() | st.integers() | st.none(), min_size=1, max_size=6))
def test_no_csv_cell_starts_a_formula_and_every_cell_round_trips(cells: list[object]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_cell(c) for c in cells])
    [row] = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert len(row) == len(cells)
    for text in row:
        assert not text.startswith(("=", "+", "@", "\t", "\r")) or text == ""
        assert not (text.startswith("-") and not _number(text))


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_clean_text_leaves_no_bidi_control(text: str) -> None:
    out = clean_text(text)
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in out)
    assert out.count("\u202f") == text.count("\u202f")
