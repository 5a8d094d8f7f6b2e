"""Immutable raw snapshots: each file stored once under its sha256, beside its origin."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from usmca_monitor.model.specs import Origin


def sha256_bytes(data: bytes) -> str:
    """The hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RawStore:
    """Content-addressed files: ``raw/ab/abcdef….bin`` and ``….origin.json``."""

    def __init__(self, root: Path) -> None:
        self.root = root / "raw"

    def _path(self, sha: str) -> Path:
        return self.root / sha[:2] / f"{sha}.bin"

    def put(self, data: bytes, origin: Origin) -> Origin:
        """Store ``data`` (once) with its origin; return the origin with sha256 and size filled."""
        sha = sha256_bytes(data)
        origin = origin.model_copy(update={"sha256": sha, "size": len(data)})
        target = self._path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(target, data)
        meta = target.with_suffix(".origin.json")
        if not meta.exists():
            _atomic_write(meta, json.dumps(origin.model_dump(), indent=2, sort_keys=True).encode())
        return origin

    def put_file(self, path: Path, origin: Origin) -> Origin:
        """Store the file at ``path`` (once; copied in blocks, never read whole) with its origin."""
        sha = sha256_file(path)
        origin = origin.model_copy(update={"sha256": sha, "size": path.stat().st_size})
        target = self._path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out, path.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
            os.replace(tmp, target)
        meta = target.with_suffix(".origin.json")
        if not meta.exists():
            _atomic_write(meta, json.dumps(origin.model_dump(), indent=2, sort_keys=True).encode())
        return origin

    def get(self, sha: str) -> bytes:
        """The bytes stored under ``sha``."""
        return self._path(sha).read_bytes()

    def origin(self, sha: str) -> Origin:
        """The origin stored with ``sha``."""
        return Origin.model_validate_json(self._path(sha).with_suffix(".origin.json").read_text())

    def __contains__(self, sha: object) -> bool:
        return isinstance(sha, str) and self._path(sha).exists()


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)
