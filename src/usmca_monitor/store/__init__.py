"""The store: raw snapshots by content hash, and tidy observations by vintage in DuckDB."""

from __future__ import annotations

from usmca_monitor.store.paths import usmca_home
from usmca_monitor.store.raw import RawStore
from usmca_monitor.store.warehouse import Vintage, Warehouse

__all__ = ["RawStore", "Vintage", "Warehouse", "usmca_home"]
