"""The catalog: every spec is complete in three languages, names a formula that exists, and a broken
YAML file is reported with its path, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from usmca_monitor.codelists import read_yaml
from usmca_monitor.indicators.registry import get_formula, indicator_specs
from usmca_monitor.model.errors import DataError
from usmca_monitor.model.specs import IndicatorSpec
from usmca_monitor.sources.registry import get_adapter, source_specs


@pytest.mark.parametrize("spec", list(indicator_specs().values()), ids=lambda s: s.id)
def test_indicator_specs_are_complete(spec: IndicatorSpec) -> None:
    assert spec.title.es and spec.title.fr and spec.method.es and spec.method.fr
    assert callable(get_formula(spec.formula))
    for item in spec.inputs.values():
        if item.indicator:
            assert item.indicator in indicator_specs()
        else:
            assert any(item.series in s.series for s in source_specs().values())


def test_every_source_has_an_adapter() -> None:
    for source_id in source_specs():
        assert get_adapter(source_id).spec.id == source_id


def test_broken_yaml_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: {en: a: b}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.yaml:2:\d+"):
        read_yaml(bad)
