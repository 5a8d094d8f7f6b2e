"""Text files opened the one way every reader does: decoded strictly (a file that is not in the expected
encoding is one clear error saying what it looks like and how to fix it, never mangled names), with the
encoding the user passed (``usmca import --encoding``) taking precedence, binary files (Excel, zip,
Parquet, UTF-16 text) recognised before a reader tries them, and a size limit with a stated override.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from usmca_monitor.model.errors import DataError

ENCODING_OVERRIDE: contextvars.ContextVar[str | None] = contextvars.ContextVar("usmca_encoding", default=None)
SIZE_ENV = "USMCA_MAX_FILE_MB"
DEFAULT_MAX_MB = 1024
SNIFF_BYTES = 1 << 16
_SIGNATURES = ((b"PK\x03\x04", "a zip archive or an Excel workbook (.xlsx)"), (b"PAR1", "a Parquet file"),
               (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"), (b"%PDF", "a PDF document"),
               (b"\x1f\x8b", "a gzip archive"))


@contextlib.contextmanager
def encoding(name: str | None) -> Iterator[None]:
    """Within the block, text files are read as ``name`` (None: each reader's own encoding)."""
    if name is not None:
        try:
            codecs.lookup(name)
        except LookupError:
            raise DataError(f"unknown encoding {name!r}", "--encoding",
                            "use a Python codec name such as utf-8, cp1252, latin-1 or utf-16") from None
    token = ENCODING_OVERRIDE.set(name)
    try:
        yield
    finally:
        ENCODING_OVERRIDE.reset(token)


def chosen(default: str) -> str:
    """The encoding to read with: the user's (``--encoding``) or ``default``."""
    return ENCODING_OVERRIDE.get() or default


def max_bytes(limit_mb: float | None = None) -> int:
    """The largest file accepted: ``limit_mb``, else ``USMCA_MAX_FILE_MB``, else 1024 MB."""
    if limit_mb is None:
        text = os.environ.get(SIZE_ENV, "").strip()
        try:
            limit_mb = float(text) if text else DEFAULT_MAX_MB
        except ValueError:
            raise DataError(f"{SIZE_ENV}={text!r} is not a number of megabytes", SIZE_ENV,
                            "set it to a number, e.g. 2048") from None
    return int(limit_mb * 1024 * 1024)


def check_size(path: Path, limit_mb: float | None = None) -> int:
    """The file's size, or a DataError when it is over the limit (naming the override)."""
    size = path.stat().st_size
    limit = max_bytes(limit_mb)
    if size > limit:
        raise DataError(f"the file is {size / 1e6:,.0f} MB, over the {limit / 1024 / 1024:,.0f} MB limit", str(path),
                        f"check it is the right file; to load it anyway pass --max-size {size // (1024 * 1024) + 1} "
                        f"(megabytes) or set {SIZE_ENV}")
    return size


def binary_kind(head: bytes) -> str | None:
    """What a file that is not plain text looks like, from its first bytes (None: text)."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(head):
        return "UTF-16 text"
    if b"\x00" in head[:4096]:
        return "a binary file"
    return None


def _looks_utf16(head: bytes) -> bool:
    sample = head[:512]
    return len(sample) >= 8 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def guess(data: bytes) -> str:
    """A likely encoding of bytes that are not UTF-8: ``UTF-16``, ``cp1252`` or ``latin-1``."""
    if binary_kind(data) == "UTF-16 text":
        return "UTF-16"
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def not_decodable(path: Path | str, wanted: str, data: bytes, line: int | None = None) -> DataError:
    """The one error for text that does not decode as ``wanted``."""
    where = f"{path}, line {line}" if line else str(path)
    override = ENCODING_OVERRIDE.get()
    if override:
        return DataError(f"not {override} text (looks like {guess(data)})", where,
                         f"re-save it as UTF-8, or pass the right --encoding (tried {override})")
    kind = "UTF-8" if codecs.lookup(wanted).name.startswith("utf-8") else wanted
    return DataError(f"not {kind} (looks like {guess(data)})", where,
                     f"re-save as UTF-8 or pass --encoding {guess(data).lower()}")


def check_text(path: Path, default: str = "utf-8") -> None:
    """A DataError when ``path`` is binary or its first block does not decode as the chosen encoding."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    wanted = chosen(default)
    kind = binary_kind(head)
    if kind is not None and not (kind == "UTF-16 text" and codecs.lookup(wanted).name.startswith("utf-16")):
        raise DataError(f"this is {kind}, not a text (CSV) file", str(path),
                        "give the file as the publisher's layout expects (CSV saved as UTF-8, or the .xlsx "
                        "with its .xlsx name)" if kind != "UTF-16 text" else "re-save it as UTF-8 or pass "
                        "--encoding utf-16")
    try:
        codecs.getincrementaldecoder(wanted)("strict").decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError as exc:
        raise not_decodable(path, wanted, head, head[:exc.start].count(b"\n") + 1) from None


class _Lines:
    """A text stream over a binary file that turns a decoding error into ``not_decodable`` with the line."""

    def __init__(self, raw: IO[bytes], path: Path, wanted: str) -> None:
        self.raw, self.path, self.wanted = raw, path, wanted
        self.decoder = codecs.getincrementaldecoder(wanted)("strict")
        self.line = 0
        self.unterminated = False  # the last line read had no line end: the file stops mid-line

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        raw = self.raw.readline()
        if not raw:
            raise StopIteration
        self.line += 1
        self.unterminated = not raw.endswith(b"\n")
        try:
            text = self.decoder.decode(raw)
        except UnicodeDecodeError:
            raise not_decodable(self.path, self.wanted, raw, self.line) from None
        return text

    def readline(self) -> str:
        """One line ('' at the end)."""
        try:
            return next(self)
        except StopIteration:
            return ""


@contextlib.contextmanager
def open_text(path: Path, default: str = "utf-8") -> Iterator[Iterator[str]]:
    """The lines of a text file decoded strictly (``--encoding`` when given, else ``default``); a line that
    does not decode is a DataError naming the file, the line and what the text looks like."""
    wanted = chosen(default)
    if codecs.lookup(wanted).name.startswith("utf-16"):
        # UTF-16 cannot be split on b"\n": decode it whole (such files are small), as lines
        data = path.read_bytes()
        try:
            text = data.decode(wanted)
        except UnicodeDecodeError:
            raise not_decodable(path, wanted, data) from None
        yield iter(text.lstrip("\ufeff").splitlines(keepends=True))
        return
    with path.open("rb") as raw:
        yield _Lines(raw, path, wanted)


def first_line(path: Path, default: str = "utf-8-sig") -> str:
    """The first line of a file, for sniffing a layout (decoding errors replaced; a BOM and the line end
    removed), read with ``--encoding`` when given."""
    wanted = chosen(default)
    try:
        with path.open(encoding=wanted, errors="replace", newline="") as fh:
            return fh.readline(SNIFF_BYTES).lstrip("\ufeff").rstrip("\r\n")
    except (OSError, UnicodeError, LookupError):
        return ""


def decode(data: bytes, where: str, default: str = "utf-8") -> str:
    """Bytes (a download) decoded strictly as ``default``, or the one encoding error naming ``where``."""
    try:
        return data.decode(default)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DataError(f"the answer is not {default} text (looks like {guess(data)}; line {line})", where,
                        "check the URL: the publisher may have moved or changed the file") from None
