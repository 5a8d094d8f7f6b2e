"""Errors for people: each names what was wrong, where, and how to fix it."""

from __future__ import annotations

from usmca_monitor.model.redaction import redact


class UsmcaError(Exception):
    """Base error; its message is one line shown to the user as is (the CLI exits non-zero). Every part
    passes through ``redact`` (model/redaction.py), so no secret a URL or a response body held is shown."""

    def __init__(self, what: str, where: str = "", fix: str = "") -> None:
        self.what, self.where, self.fix = redact(what), redact(where), redact(fix)
        what, where, fix = self.what, self.where, self.fix
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
