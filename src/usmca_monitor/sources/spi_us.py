"""Social Progress Imperative: U.S. States Social Progress Index, imported from a file.

The U.S. States index sits behind a free registration at socialprogress.org, so the project cannot
ship it or fetch it: ``usmca import spi-us FILE`` takes the downloaded data in one of the two layouts
documented in ``sources/spi_layouts.py`` — ``long`` (``year, iso_3166_2, level, code, score``, as
MCV's files) or ``wide`` (one row per state and year: ``year, iso_3166_2`` or ``state``, the index,
3 dimensions and 12 components) — as CSV or Excel, and says exactly what is wrong with anything
else. Scores are 0–100 on the U.S. States index's own indicators and bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.sources.base import Reader
from usmca_monitor.sources.spi_layouts import (
    LONG_COLUMNS,
    FileOnlyAdapter,
    read_header,
    read_long,
    read_wide,
    sniff_long,
    sniff_wide,
)

SERIES = "spi.us.state"
COUNTRIES = ("USA",)


def read_long_file(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """U.S. state scores from a file in the long layout."""
    return read_long(path, SERIES, COUNTRIES)


def read_wide_file(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """U.S. state scores from a file in the wide layout."""
    return read_wide(path, SERIES, COUNTRIES)


class SpiUsAdapter(FileOnlyAdapter):
    """The U.S. States SPI download, in the long or the wide layout."""

    readers: ClassVar[dict[str, Reader]] = {"long": read_long_file, "wide": read_wide_file}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        return {"long": sniff_long, "wide": sniff_wide}

    def detect_reader(self, path: Path) -> str:
        """``long`` or ``wide`` by the header, else a DataError that shows both layouts."""
        for name, sniff in self.sniffers().items():
            if sniff(path):
                return name
        header = read_header(path)  # raises its own DataError for an unreadable file
        shown = ", ".join(header[:8]) + ("…" if len(header) > 8 else "") if header else "nothing"
        raise DataError(
            f"the header ({shown}) is neither the long nor the wide SPI layout", str(path),
            f"long: {', '.join(LONG_COLUMNS)}; wide: year, iso_3166_2 (or state), spi, basic_human_needs, "
            "foundations_of_wellbeing, opportunity and the 12 components (slugs or English names); "
            "see `usmca import --help`")


ADAPTER = SpiUsAdapter
