"""Facts of the report ("North America in data"): specs from catalog/facts/ checked against the data."""

from __future__ import annotations

from usmca_monitor.facts.check import FactResult, check_facts, fact_specs, summarize

__all__ = ["FactResult", "check_facts", "fact_specs", "summarize"]
