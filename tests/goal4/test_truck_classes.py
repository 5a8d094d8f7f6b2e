"""FHWA truck classes by GVWR (the report's annex, "What counts as a medium and heavy-duty truck in the
USMCA region", based on FHWA vehicle classes by weight): both sides of every limit, in pounds and in
kilograms (1 lb = 0.45359237 kg exactly), errors, and the command."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from usmca_monitor.cli import app
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.trucks import classify, describe, truck_classes

KG = Decimal("0.45359237")
# The annex's upper limits in pounds (Class 8 has none): 6,000 / 8,500 / 10,000 / 14,000 / 16,000 /
# 19,500 / 26,000 / 33,000.
LIMITS = [("1", "2a", 6000), ("2a", "2b", 8500), ("2b", "3", 10000), ("3", "4", 14000), ("4", "5", 16000),
          ("5", "6", 19500), ("6", "7", 26000), ("7", "8", 33000)]
DUTY = {"1": "light", "2a": "light", "2b": "light", "3": "medium", "4": "medium", "5": "medium", "6": "medium",
        "7": "heavy", "8": "heavy"}


@pytest.mark.parametrize(("below", "above", "limit"), LIMITS)
def test_both_sides_of_every_limit_in_pounds(below: str, above: str, limit: int) -> None:
    """The annex: Class `below` ends at `limit` lb; the next class starts at limit + 1 lb, and any weight
    above the limit (even by a fraction of a pound) is in the next class."""
    assert classify(str(limit)).spec.id == below
    assert classify(str(limit - 1)).spec.id == below
    assert classify(f"{limit}.001").spec.id == above
    assert classify(str(limit + 1)).spec.id == above


@pytest.mark.parametrize(("below", "above", "limit"), LIMITS)
def test_both_sides_of_every_limit_in_kilograms(below: str, above: str, limit: int) -> None:
    """The limit converted exactly (limit × 0.45359237 kg) is still in the lower class; a milligram more
    is in the next one. The annex's rounded kilogram limits overlap, so they are not used."""
    exact = Decimal(limit) * KG
    assert classify(str(exact), "kg").spec.id == below
    assert classify(str(exact - Decimal("0.000001")), "kg").spec.id == below
    assert classify(str(exact + Decimal("0.000001")), "kg").spec.id == above


def test_the_issue_examples_and_the_open_class_8() -> None:
    """26,000 lb is Class 6 and 26,001 lb Class 7 (the annex); Class 8 is 33,001 lb and above, with no
    upper limit (80,000 lb is the federal Interstate weight limit, not a class bound)."""
    assert classify("26000").spec.id == "6" and classify("26001").spec.id == "7"
    assert classify("80001").spec.id == "8" and classify("1e6").spec.id == "8"
    assert classify("0.5").spec.id == "1"


def test_duties_and_languages() -> None:
    """Duty as in the annex: Classes 1-2b light, 3-6 medium, 7-8 heavy; labels in en/es/fr."""
    table = truck_classes()
    assert {c.id: c.duty for c in table.classes} == DUTY
    assert describe("26001") == "Class 7 · Heavy duty · GVWR 26,001–33,000 lb"
    assert describe("26001", lang="es") == "Clase 7 · Servicio pesado · GVWR 26,001–33,000 lb"
    assert describe("26001", lang="fr") == "Classe 7 · Service lourd · GVWR 26\u00a0001–33\u00a0000 lb"
    assert describe("40000", lang="fr").endswith("33\u00a0001 lb et plus")


@pytest.mark.parametrize("weight", ["0", "-1", "-0.001", "abc", "", "nan", "inf", "12 tons"])
def test_bad_weights_are_clear_errors(weight: str) -> None:
    with pytest.raises(DataError, match="WEIGHT"):
        classify(weight)


def test_unknown_unit_and_language() -> None:
    with pytest.raises(UnknownCodeError, match="--unit"):
        classify("5000", "t")
    with pytest.raises(UnknownCodeError, match="--lang"):
        classify("5000", "lb", "de")


@settings(deadline=None, max_examples=200)
@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("200000"), places=3))
def test_kilograms_and_pounds_agree(pounds: Decimal) -> None:
    """A weight gives the same class in pounds and in its exact kilogram equivalent."""
    assert classify(str(pounds)).spec.id == classify(str(pounds * KG), "kg").spec.id
    found = classify(str(pounds * KG), "kg")
    assert found.pounds == Fraction(pounds)


def test_command_line() -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["truck-class", "26001"])
    assert ok.exit_code == 0 and "Class 7" in ok.output and "Heavy duty" in ok.output
    kg = runner.invoke(app, ["truck-class", "11793.4", "--unit", "kg", "--lang", "es"])
    assert kg.exit_code == 0 and "Clase 6" in kg.output and "Servicio mediano" in kg.output
    for args, needle in ((["truck-class", "-5"], "above zero"), (["truck-class", "heavy"], "not a number"),
                         (["truck-class", "0"], "above zero"), (["truck-class", "5", "--unit", "st"], "unknown unit")):
        bad = runner.invoke(app, args)
        assert bad.exit_code == 1, args
        assert needle in bad.output, (args, bad.output)
