"""The LaTeX route, kept for when TeX Live can tag a PDF: a small book for every link kind.

The published PDF is the tagged one of ``rawa.pdf`` (``tests/test_pdf.py``); this
route is not published (issue 19).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import rawa_pdf
from conftest import require_tools

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source"
ROOTS = Path(__file__).parent / "roots"
PDF_TOOLS = ("latexmk", "xelatex", "xindy", "epstopdf", "gs", "pdftotext", "pdffonts", "pdfinfo")

pytestmark = pytest.mark.latex


def clean(text: str) -> str:
    return text.strip(" .,;:()")


# -- a small book with every kind of internal link ------------------------------------------

@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    require_tools(*PDF_TOOLS)
    out = tmp_path_factory.mktemp("pdf-links")
    result = rawa_pdf.build_pdf(ROOTS / "test-pdf-links", out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    yield out / "rawa.pdf"


def test_small_book_has_every_link_kind_landing_on_its_target(small_book: Path) -> None:
    pages = rawa_pdf.page_texts(small_book)
    links = rawa_pdf.internal_links(small_book)
    body = [link for link in links if "Inhoudsopgave" not in pages[link.page - 1]]
    by_text = {clean(link.text): link for link in body}
    expected = {
        "need": ("PRI-B1", "Een geldig principe"),
        "figure": ("Figuur 1.1", "Een testdiagram"),
        "term": ("Toegangsbeleid", "Regels die bepalen wie wat mag doen"),
        "section": ("Doel van de test", "Zie Figuur 1.1"),
    }
    for kind, (link_text, on_target) in expected.items():
        assert link_text in by_text, f"no {kind} link {link_text!r}: {sorted(by_text)}"
        target = by_text[link_text].target_page
        assert target is not None, kind
        assert on_target in pages[target - 1], (kind, target)


def test_small_book_structure_and_glyphs(small_book: Path) -> None:
    pages = rawa_pdf.page_texts(small_book)
    text = " ".join(pages)
    contents = next(p for p in pages if "Inhoudsopgave" in p)
    # the reading guide comes before Part I; the annex chapters are lettered
    assert contents.index("Leeswijzer") < contents.index("I Eerste deel")
    assert "A Begrippen" in contents
    assert "Bijlage A".lower() in text.lower()
    for glyph in ("ë", "é", "'", "–", "€"):
        assert glyph in text, glyph
    # the table with eight columns is set on a landscape page, the rest is portrait
    turned = [i for i, r in enumerate(rawa_pdf.rotations(small_book), 1) if r % 360]
    assert len(turned) == 1 and "Toelichting" in pages[turned[0] - 1], turned
    # external links are printed as footnotes, also inside a need box
    assert "https://www.noraonline.nl/" in text and "https://www.gemmaonline.nl/" in text
    log = rawa_pdf.run_log_checker(small_book.with_suffix(".log"))
    assert log.returncode == 0, log.stderr


def test_log_checker_fails_on_an_overfull_box_and_names_the_source(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    require_tools(*PDF_TOOLS)
    out = tmp_path_factory.mktemp("pdf-overfull")
    srcdir = out / "src"
    shutil.copytree(ROOTS / "test-pdf-overfull", srcdir)
    result = rawa_pdf.build_pdf(srcdir, out / "latex")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    check = rawa_pdf.run_log_checker(out / "latex" / "rawa.log", "--sources", str(srcdir))
    assert check.returncode == 1
    assert re.search(r"rawa\.tex:\d+: te vol: [\d.]+pt te breed", check.stderr), check.stderr
    assert f"bron: {srcdir / 'index.md'}" in check.stderr
