"""Time WeasyPrint on a built print page with and without rawa.compat.pydyf (one run each).

Usage: python tools/bench_pdf.py _build/pdf/print.html
Prints the seconds of each run and their ratio; a measurement, not a test.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pydyf
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from rawa.compat import pydyf as pydyf_patch


def render(page: Path, out: Path) -> float:
    start = time.perf_counter()
    HTML(str(page), url_fetcher=URLFetcher(allowed_protocols={"file", "data"})).write_pdf(
        out, pdf_variant="pdf/ua-1")
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    page = Path(argv[1] if len(argv) > 1 else "_build/pdf/print.html")
    upstream = pydyf.PDF.page_references
    with tempfile.TemporaryDirectory() as tmp:
        plain = render(page, Path(tmp) / "plain.pdf")
        pydyf_patch.patch()
        try:
            patched = render(page, Path(tmp) / "patched.pdf")
        finally:
            pydyf.PDF.page_references = upstream
        same = (Path(tmp) / "plain.pdf").read_bytes() == (Path(tmp) / "patched.pdf").read_bytes()
    print(f"WeasyPrint zonder aanpassing: {plain:.1f} s")
    print(f"WeasyPrint met rawa.compat.pydyf: {patched:.1f} s (verhouding {patched / plain:.2f})")
    print(f"zelfde bytes: {'ja' if same else 'nee'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
