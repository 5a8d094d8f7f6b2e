"""Images of a PDF's first pages, for review (``make shots``): ``python tools/pdf_shots.py FILE.pdf
--pages 4 --out DIR`` writes ``DIR/<file>-p<N>.png`` with pypdfium2 (no poppler needed)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pypdfium2 as pdfium


def shots(pdf: Path, pages: int, out: Path, scale: float = 1.4) -> list[Path]:
    """Render the first ``pages`` pages of ``pdf`` as PNG files in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    document = pdfium.PdfDocument(str(pdf))
    written = []
    for index in range(min(pages, len(document))):
        image = document[index].render(scale=scale).to_pil()
        target = out / f"{pdf.stem}-p{index + 1}.png"
        image.save(target)
        written.append(target)
    document.close()
    return written


def main() -> None:
    """Command line: PDFs, --pages, --out."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pdfs", nargs="+", type=Path)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--out", type=Path, default=Path("_report/shots"))
    parser.add_argument("--page", type=int, action="append", help="also this page number (1-based)")
    args = parser.parse_args()
    for pdf in args.pdfs:
        for path in shots(pdf, args.pages, args.out):
            print(path)


if __name__ == "__main__":
    main()
