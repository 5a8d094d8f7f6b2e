"""Formulas: pure functions over Ibis tables, named in specs as ``<module>.<function>``.

Every formula receives its declared inputs (already aggregated to one frequency) as keyword
arguments, plus the spec's ``params``; a formula that declares an ``areas`` parameter also
receives the area codelist as a table (``code``, ``kind``). It returns a table with the keys
``geo, partner, product, period, freq`` and ``value``.
"""
