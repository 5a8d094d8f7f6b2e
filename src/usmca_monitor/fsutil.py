"""Files written whole or not at all, and advisory locks that say who holds them (shared by the store
and the publisher)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from usmca_monitor.model.errors import UsmcaError

DIR_MODE, FILE_MODE = 0o755, 0o644


class BusyError(UsmcaError):
    """Another process holds a lock this one needs (the message names it)."""


def atomic_write(target: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder and a rename: a reader
    sees the old file or the whole new one, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def make_readable(root: Path) -> None:
    """Folders 0755 and files 0644 under ``root`` (a published site is world-readable whatever the umask)."""
    os.chmod(root, DIR_MODE)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            os.chmod(os.path.join(folder, name), DIR_MODE)
        for name in files:
            os.chmod(os.path.join(folder, name), FILE_MODE)


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    return text or "another process"


@contextlib.contextmanager
def exclusive(path: Path, what: str, wait: float = 30.0, poll: float = 0.1) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (created when missing) for the block. A lock held
    elsewhere is waited for up to ``wait`` seconds, then a BusyError names the holder (its pid and
    command, written into the lock file by whoever holds it). The kernel drops the lock when its holder
    dies, so a killed process never leaves it behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(f"{what} is busy: held by {_holder(path)} (waited {wait:g} s)", str(path),
                                    "wait for that command to finish, then run this one again") from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} ({' '.join(_argv())})\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _argv() -> list[str]:
    try:
        raw = Path(f"/proc/{os.getpid()}/cmdline").read_bytes()
    except OSError:
        return ["usmca"]
    parts = [p.decode(errors="replace") for p in raw.split(b"\0") if p]
    return [Path(parts[0]).name, *parts[1:]][:6] if parts else ["usmca"]


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> None:
    """Swap two existing paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``): a reader sees one or
    the other, never neither. Where the call is missing, two renames (a brief moment without ``b``)."""
    import ctypes
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
    renameat2 = getattr(libc, "renameat2", None) if libc is not None else None
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        if result == 0:
            return
        errno = ctypes.get_errno()
        if errno not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot; fall back
            raise OSError(errno, os.strerror(errno), str(a), None, str(b))
    aside = b.with_name(f"{b.name}.swap-{os.getpid()}")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)
