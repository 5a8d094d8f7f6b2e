"""A local file read through a source's readers, the one way ``usmca import`` (and the fuzz tests) do it:
the size limit, binary files told apart from text before a CSV reader sees them, the layout found by
the readers' sniffers (or the tidy CSV any source accepts), the user's ``--encoding`` applied while the
rows are read, and anything a reader did not expect turned into one line naming the file and layout.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError, UsmcaError
from usmca_monitor.sources import textio
from usmca_monitor.sources.base import Adapter
from usmca_monitor.sources.tidy import read_tidy_csv, sniff_tidy_csv

log = logging.getLogger(__name__)
BINARY_SUFFIXES = frozenset({".xlsx", ".xlsm", ".parquet", ".zip"})
TIDY = "tidy_csv"


def detect(adapter: Adapter, path: Path) -> str:
    """The layout (reader name) of ``path`` for ``adapter``: the tidy CSV, or one of the adapter's readers."""
    if path.suffix.lower() not in BINARY_SUFFIXES:
        _refuse_binary(path)
    try:
        if sniff_tidy_csv(path):
            return TIDY
        if not adapter.readers:
            raise DataError(f"source {adapter.spec.id} reads no file layout of its own", str(path),
                            f"it is fetched live (`usmca update {adapter.spec.id}`); a file must be a tidy CSV "
                            "(header series,geo,partner,product,flow,measure,period,freq,value,unit[,status])")
        return adapter.detect_reader(path)
    except DataError:
        if path.suffix.lower() not in BINARY_SUFFIXES:
            textio.check_text(path)  # a file in another encoding: say so rather than "unknown layout"
        raise
    except UsmcaError:
        raise
    except Exception as exc:  # a sniffer that chokes on a file of another layout
        log.debug("sniffing %s failed", path, exc_info=True)
        raise DataError(f"the file's layout could not be recognised ({type(exc).__name__})", str(path),
                        f"give a file in one of the layouts: {', '.join(adapter.readers) or TIDY}") from None


def _refuse_binary(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(textio.SNIFF_BYTES)
    kind = textio.binary_kind(head)
    override = textio.ENCODING_OVERRIDE.get() or ""
    if kind == "UTF-16 text" and override.lower().replace("_", "-").startswith("utf-16"):
        return
    if kind is not None:
        fix = ("re-save it as UTF-8 or pass --encoding utf-16" if kind == "UTF-16 text" else
               "give the file in the layout the source reads (a CSV saved as UTF-8, or an Excel workbook "
               "named .xlsx)")
        raise DataError(f"this is {kind}, not a text (CSV) file", str(path), fix)


def read_rows(adapter: Adapter, path: Path, codelists: Codelists, *, encoding: str | None = None,
              max_size_mb: float | None = None) -> tuple[str, Iterator[dict[str, object]]]:
    """The layout of ``path`` and its observation rows, read lazily (checked at the door by the caller)."""
    if not path.is_file():
        raise DataError("no such file", str(path), "give the path of a downloaded file")
    textio.check_size(path, max_size_mb)
    with textio.encoding(encoding):
        reader = detect(adapter, path)
    return reader, _rows(adapter, reader, path, codelists, encoding)


def _rows(adapter: Adapter, reader: str, path: Path, codelists: Codelists,
          encoding: str | None) -> Iterator[dict[str, object]]:
    with textio.encoding(encoding):
        try:
            found: Iterable[dict[str, object]] = (
                read_tidy_csv(path, codelists, frozenset(adapter.spec.series)) if reader == TIDY
                else adapter.readers[reader](path, codelists))
            yield from found
        except UsmcaError:
            raise
        except RecursionError:
            raise DataError("the file nests too deeply to be read", str(path), "give the file as published") from None
        except Exception as exc:  # the net under every reader: one line, never a traceback
            log.debug("reading %s as %s failed", path, reader, exc_info=True)
            raise DataError(f"could not be read as {reader} ({type(exc).__name__}: {str(exc)[:120]})", str(path),
                            "give the file as the publisher distributes it; if it is, report this with the "
                            "file") from None
