"""Where the store lives: ``USMCA_HOME`` or ``./.usmca``."""

from __future__ import annotations

import os
from pathlib import Path


def usmca_home() -> Path:
    """The store's folder, created on first use."""
    home = Path(os.environ.get("USMCA_HOME") or ".usmca").resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home
