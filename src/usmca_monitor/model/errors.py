"""Errors for people: each names what was wrong, where, and how to fix it."""

from __future__ import annotations


class UsmcaError(Exception):
    """Base error; its message is one line shown to the user as is (the CLI exits non-zero)."""

    def __init__(self, what: str, where: str = "", fix: str = "") -> None:
        self.what, self.where, self.fix = what, where, fix
        parts = [f"{where}: {what}" if where else what]
        if fix:
            parts.append(f"fix: {fix}")
        super().__init__(" — ".join(parts))


class DataError(UsmcaError):
    """A malformed file or payload: missing column, bad value, wrong shape."""


class NetworkError(UsmcaError):
    """A download failed or the network is unreachable."""


class UnknownCodeError(UsmcaError):
    """An unknown indicator, source, partner, geo or vintage."""
