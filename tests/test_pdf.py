"""The PDF edition: the real publication end to end, and a small book for every link kind."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rawa_pdf
from conftest import require_tools
from rawa_pdf import Link, normalize

from rawa.model import publication as rawa_publication

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source"
ROOTS = Path(__file__).parent / "roots"
PDF_TOOLS = ("latexmk", "xelatex", "xindy", "epstopdf", "gs", "pdftotext", "pdffonts", "pdfinfo")
_GLOSSARY = re.compile(r"^```\{glossary\}[^\n]*\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)

pytestmark = pytest.mark.latex


# -- what the sources say should be in the PDF -----------------------------------------

def parts_and_chapters() -> list[tuple[str, str]]:
    """(docname, title) of every part (root toctree) and chapter (the parts' toctrees)."""
    out = []
    for part in rawa_pdf.toctree_entries(SOURCE, "index"):
        out.append((part, rawa_pdf.document_title(SOURCE, part)))
        out.extend((ch, rawa_pdf.document_title(SOURCE, ch))
                   for ch in rawa_pdf.toctree_entries(SOURCE, part))
    return out


def glossary_terms(page: Path) -> list[str]:
    terms = []
    for block in _GLOSSARY.finditer(page.read_text(encoding="utf-8")):
        terms += [line.strip() for line in block["body"].splitlines()
                  if line.strip() and not line[0].isspace() and not line.startswith(":")]
    return terms


def clean(text: str) -> str:
    return text.strip(" .,;:()")


# -- the real publication ----------------------------------------------------------------

@pytest.fixture(scope="module")
def pages(pdf_build: Path) -> list[str]:
    return rawa_pdf.page_texts(pdf_build)


@pytest.fixture(scope="module")
def text(pages: list[str]) -> str:
    return " ".join(pages)


@pytest.fixture(scope="module")
def links(pdf_build: Path) -> list[Link]:
    return rawa_pdf.internal_links(pdf_build)


def test_pdf_is_a4(pdf_build: Path) -> None:
    info = rawa_pdf.pdfinfo(pdf_build)
    assert info["Page size"].startswith("595.28 x 841.89"), info["Page size"]


def test_latex_log_has_no_errors_undefined_references_or_overfull_boxes(pdf_build: Path) -> None:
    result = rawa_pdf.run_log_checker(pdf_build.with_suffix(".log"))
    assert result.returncode == 0, result.stderr


def test_every_part_and_chapter_title_is_in_the_pdf(text: str) -> None:
    titles = parts_and_chapters()
    assert len(titles) >= 5
    missing = [(doc, title) for doc, title in titles if normalize(title) not in text]
    assert not missing, missing


def test_every_principle_id_is_in_the_pdf(text: str, needs_json: dict[str, Any]) -> None:
    principles = [nid for nid, need in needs_json.items() if need["type"] == "principe"]
    assert principles
    assert [nid for nid in principles if nid not in text] == []


def test_glossary_heading_and_terms_are_in_the_pdf(text: str) -> None:
    page = SOURCE / "bijlagen" / "terminologie.md"
    assert normalize(rawa_pdf.document_title(SOURCE, "bijlagen/terminologie")) in text
    terms = glossary_terms(page)
    assert terms, f"{page} has no glossary terms"
    assert [t for t in terms if normalize(t) not in text] == []


def test_every_font_is_embedded(pdf_build: Path) -> None:
    fonts = rawa_pdf.fonts(pdf_build)
    assert fonts
    assert [f["name"] for f in fonts if f["emb"] != "yes"] == []


def test_diagrams_are_vector_graphics(pdf_build: Path) -> None:
    """PlantUML diagrams go in as PDF (vector); only images the sources name may be raster."""
    require_tools("pdfimages")
    listing = subprocess.run(["pdfimages", "-list", str(pdf_build)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    raster_sources = sum(len(re.findall(r"\.(?:png|jpe?g|gif)\b", p.read_text(encoding="utf-8")))
                         for p in SOURCE.rglob("*.md"))
    assert len(listing) <= raster_sources, listing
    assert list(SOURCE.rglob("*.md")) and "plantuml" in (pdf_build.parent / "rawa.tex").read_text(
        encoding="utf-8")


def test_page_count_fits_the_content(pdf_build: Path) -> None:
    titles = parts_and_chapters()
    pages = int(rawa_pdf.pdfinfo(pdf_build)["Pages"])
    # title page, colophon, contents, figures, tables, index, plus a page per part/chapter
    assert len(titles) + 6 <= pages <= 25 * len(titles) + 20, (pages, len(titles))


def test_title_page_has_the_publication_metadata(pages: list[str]) -> None:
    pub = rawa_publication.load(ROOT / "publicatie.toml")
    title_page = pages[0]
    for value in (pub.titel, pub.ondertitel, pub.versie, pub.status, pub.datum_nl,
                  pub.uitgever, pub.licentie):
        assert normalize(value) in title_page, value
    # the colophon on the back of the title page
    assert "Colofon" in pages[1] and pub.versie in pages[1]


def test_status_marker_on_every_page_of_a_version_that_is_not_final(pages: list[str]) -> None:
    pub = rawa_publication.load(ROOT / "publicatie.toml")
    marker = f"{pub.status} • {pub.datum_nl}"
    body = [p for p in pages[2:] if p.strip()]
    if pub.is_final:
        assert not any(marker in p for p in body)
    else:
        assert [i for i, p in enumerate(body, 3) if marker not in p] == []


def test_dutch_strings_and_annex_numbering(pdf_build: Path, text: str) -> None:
    lower = text.lower()
    for word in ("inhoudsopgave", "hoofdstuk", "figuur", "tabel", "lijst van figuren",
                 "deel i", "bijlage a"):
        assert word in lower, word
    # babel's ij ligature (U+0133) would hide "Bijlage" and "Lijst" from a search
    assert "\u0133" not in rawa_pdf.pdftotext(pdf_build)


def test_internal_links_resolve_and_land_on_their_target(
    links: list[Link], pages: list[str], needs_json: dict[str, Any]
) -> None:
    assert links
    assert [link for link in links if link.target_page is None] == []
    need_links = [link for link in links if clean(link.text) in needs_json]
    figure_refs = [link for link in links if re.fullmatch(r"Figuur [\dA-Z.]+", clean(link.text))]
    assert need_links, "no link to a need"
    assert figure_refs, "no reference to a figure"
    wrong = [link for link in need_links + figure_refs
             if clean(link.text) not in pages[link.target_page - 1]]
    assert wrong == []


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
