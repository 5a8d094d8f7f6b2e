"""The types shared by every room: observations, origins, source and indicator specs, errors."""

from __future__ import annotations

from usmca_monitor.model.errors import UsmcaError
from usmca_monitor.model.observation import OBSERVATION_COLUMNS, OBSERVATION_SCHEMA, validate_observations
from usmca_monitor.model.specs import IndicatorSpec, InputSpec, Origin, SourceSpec

__all__ = [
    "OBSERVATION_COLUMNS",
    "OBSERVATION_SCHEMA",
    "IndicatorSpec",
    "InputSpec",
    "Origin",
    "SourceSpec",
    "UsmcaError",
    "validate_observations",
]
