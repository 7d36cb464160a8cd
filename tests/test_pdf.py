"""The published PDF edition end to end: the real publication as tagged PDF/UA-1 (issue 19).

The PDF is opened with pikepdf and its structure tree is compared with the one HTML page
WeasyPrint rendered (``print.html``, next to the PDF) and with the sources; the text is
read with poppler, as the page images show it. The small book of
``tests/test_print_pdf.py`` checks the same builder piece by piece.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import rawa_pdf
from bs4 import BeautifulSoup
from rawa_pdf import Link, normalize

from rawa.model import publication as rawa_publication
from rawa.views import exports as rawa_exports

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source"
_GLOSSARY = re.compile(r"^```\{glossary\}[^\n]*\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
_HEADING = re.compile(r"^h[1-6]$")


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


def source_alt_texts() -> list[str]:
    """The ``:alt:`` of every figure and diagram written in the sources."""
    return [" ".join(m.split()) for page in sorted(SOURCE.rglob("*.md"))
            for m in re.findall(r"^\s*:alt:(.*)$", page.read_text(encoding="utf-8"), re.M)]


def clean(text: str) -> str:
    return text.strip(" .,;:()")


# -- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def book(pdf_build: Path) -> pikepdf.Pdf:
    return pikepdf.open(pdf_build)


@pytest.fixture(scope="module")
def tags(book: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return rawa_pdf.structure(book)


@pytest.fixture(scope="module")
def print_page(pdf_build: Path) -> BeautifulSoup:
    return BeautifulSoup((pdf_build.parent / "print.html").read_text(encoding="utf-8"),
                         "html.parser")


@pytest.fixture(scope="module")
def pages(pdf_build: Path) -> list[str]:
    return rawa_pdf.page_texts(pdf_build)


@pytest.fixture(scope="module")
def text(pages: list[str]) -> str:
    return " ".join(pages)


@pytest.fixture(scope="module")
def links(pdf_build: Path) -> list[Link]:
    return rawa_pdf.internal_links(pdf_build)


# -- the structure a screen reader uses (issue 19, point 3) -------------------------------

def test_pdf_is_tagged_pdf_ua_in_dutch_with_its_title_shown(book: pikepdf.Pdf) -> None:
    pub = rawa_publication.load(ROOT / "publicatie.toml")
    assert book.Root.MarkInfo.Marked is True
    assert str(book.Root.Lang) == "nl"
    assert book.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(book.docinfo["/Title"]) == f"RAWA {pub.versie}: {pub.titel}"
    assert book.open_metadata().get("pdfuaid:part") == "1"


def test_headings_are_in_the_order_and_at_the_level_of_the_page(
        tags: list[pikepdf.Dictionary], print_page: BeautifulSoup) -> None:
    in_pdf = [int(str(e.S)[2:]) for e in tags if re.fullmatch(r"/H[1-6]", str(e.S))]
    in_html = [int(h.name[1]) for h in print_page.find_all(_HEADING)]
    assert in_pdf == in_html
    assert in_pdf[0] == 1
    assert [(a, b) for a, b in zip(in_pdf, in_pdf[1:], strict=False) if b > a + 1] == []
    # the parts stand at the top (h1), not under the front page's "Inhoud"
    h1 = [" ".join(h.get_text(" ").split()) for h in print_page.find_all("h1")]
    parts = [title for doc, title in parts_and_chapters() if doc.endswith("/index")]
    assert [t for t in parts if t not in h1] == []


def test_tables_have_header_cells(tags: list[pikepdf.Dictionary],
                                  print_page: BeautifulSoup) -> None:
    kinds = Counter(str(e.S) for e in tags)
    headed = [t for t in print_page.find_all("table") if t.find("th")]
    assert headed and kinds["/Table"] >= len(print_page.find_all("table"))
    # WeasyPrint repeats a header row on every page a table spans; each is a TH again
    assert kinds["/TH"] >= len(print_page.find_all("th"))
    # a table split over pages is one /Table per page; each headed table gives at least one
    tables = [e for e in tags if str(e.S) == "/Table"]
    with_header = [t for t in tables if "/TH" in {str(e.S) for e in rawa_pdf.elements_below(t)}]
    assert len(with_header) >= len(headed)


def test_every_figure_has_the_alt_text_of_its_source(
        tags: list[pikepdf.Dictionary], print_page: BeautifulSoup) -> None:
    figures = [" ".join(str(e.get("/Alt", "")).split()) for e in tags if str(e.S) == "/Figure"]
    assert figures and "" not in figures
    # the same text alternatives, as many times, as the images of the page
    in_html = [" ".join(i["alt"].split()) for i in print_page.find_all(["img", "object"])
               if i.get("alt")]
    assert Counter(figures) == Counter(in_html)
    # every alt text a writer gave in the sources reaches the PDF unchanged
    written = source_alt_texts()
    assert written and [a for a in written if a not in figures] == []


def test_every_part_and_chapter_has_a_bookmark(book: pikepdf.Pdf) -> None:
    titles: list[str] = []

    def walk(items: list[pikepdf.OutlineItem]) -> None:
        for item in items:
            titles.append(normalize(item.title))
            walk(item.children)

    with book.open_outline() as outline:
        walk(outline.root)
    missing = [title for _doc, title in parts_and_chapters() if normalize(title) not in titles]
    assert missing == []


def test_text_reads_in_the_order_of_the_html_on_a_sample_of_chapters(
        pages: list[str], print_page: BeautifulSoup) -> None:
    """Headings and paragraphs (not in tables) of every fifth chapter, in order in the text."""
    text = " ".join(pages)
    text = re.sub(r" \(p\. \d+\)", "", text)  # page numbers the print CSS generates
    chapters = [s for s in print_page.find_all("section")
                if s.find("h2", recursive=False)]
    assert len(chapters) > 20
    missing = []
    for chapter in chapters[::5]:
        position = 0
        for element in chapter.find_all(["h2", "h3", "h4", "p"]):
            if element.find_parent("table") or element.find_parent("dl"):
                continue
            block = normalize(element.get_text(""))
            if len(block) < 12:
                continue
            found = text.find(block[:40], position)
            if found < 0:
                missing.append(block[:80])
            else:
                position = found
    assert missing == []


def test_links_list_items_and_page_furniture_are_tagged_as_pdf_ua_asks(
        book: pikepdf.Pdf) -> None:
    """Each link annotation in a Link element, list items of a label and a body, running
    heads and page numbers as artifacts (nothing outside the tree)."""
    kinds = Counter(rawa_pdf.link_annotation_tags(book))
    assert kinds and set(kinds) == {"/Link"}, kinds
    assert rawa_pdf.list_item_kid_types(book) <= {"/Lbl", "/LBody"}
    assert rawa_pdf.orphaned_elements(book) == []


def test_no_link_is_annotated_twice(book: pikepdf.Pdf) -> None:
    seen: Counter[tuple[int, tuple[float, ...], str]] = Counter()
    for number, page in enumerate(book.pages):
        for annot in page.get("/Annots") or []:
            target = str(annot.get("/Dest") or annot.get("/A", {}).get("/URI", ""))
            seen[number, tuple(round(float(v), 1) for v in annot.Rect), target] += 1
    assert [key for key, count in seen.items() if count > 1] == []


def test_links_to_the_exports_point_to_the_published_site(book: pikepdf.Pdf) -> None:
    """A relative link in a PDF would point next to wherever the reader saved the file."""
    pub = rawa_publication.load(ROOT / "publicatie.toml")
    uris = [str(annot.A.URI) for page in book.pages for annot in page.get("/Annots") or []
            if "/A" in annot and "/URI" in annot.A]
    assert [u for u in uris if u.startswith("file:")] == []
    assert f"{pub.basis_url.rstrip('/')}/{rawa_exports.XLSX_NAME}" in uris


# -- what the LaTeX edition had, kept (issue 19, point 2) ---------------------------------

def test_pdf_is_a4_portrait_or_landscape(book: pikepdf.Pdf) -> None:
    sizes = Counter(tuple(round(float(v)) for v in page.mediabox[2:]) for page in book.pages)
    assert set(sizes) <= {(595, 842), (842, 595)}
    assert sizes[(595, 842)] > 10 * sizes[(842, 595)]


def test_every_part_and_chapter_title_is_in_the_pdf(text: str) -> None:
    missing = [title for _doc, title in parts_and_chapters() if normalize(title) not in text]
    assert missing == []


def test_every_need_id_is_in_the_pdf(text: str, needs_json: dict[str, Any]) -> None:
    assert [need_id for need_id in needs_json if need_id not in text] == []


def test_glossary_heading_and_terms_are_in_the_pdf(text: str) -> None:
    glossary = SOURCE / "bijlagen" / "terminologie.md"
    assert "Terminologie" in text
    terms = glossary_terms(glossary)
    assert len(terms) > 100
    assert [t for t in terms if normalize(t) not in text] == []


def test_the_glossary_gives_the_page_of_each_place_a_term_is_used(pages: list[str]) -> None:
    places = [(index, title, int(number)) for index, page in enumerate(pages)
              for used in re.findall(r"Gebruikt in: (.*?\))\.(?= |$)", page)
              for title, number in re.findall(r"(.+?) \(p\. (\d+)\)(?:, |$)", used)]
    assert len(places) > 500
    # "Bronnen (Stromen)": a title that several documents use carries its document; two
    # documents with a section of the same name each keep their own anchor on one page
    # compared on letters and digits only: a title may break over two lines at a hyphen
    def letters(value: str) -> str:
        return re.sub(r"[^a-z0-9]", "", value.lower())

    wrong = [(title, number) for _index, title, number in places
             if letters(re.sub(r" \([^()]*\)$", "", title)) not in letters(pages[number - 1])]
    assert wrong == []


def test_every_font_is_embedded(pdf_build: Path) -> None:
    fonts = rawa_pdf.fonts(pdf_build)
    assert fonts
    assert [f["name"] for f in fonts if f["emb"] != "yes"] == []


def test_diagrams_are_vector_graphics(pdf_build: Path, print_page: BeautifulSoup) -> None:
    """PlantUML diagrams go in as SVG (vector); only images the sources name may be raster."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf_build)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    raster_sources = sum(len(re.findall(r"\.(?:png|jpe?g|gif)\b", p.read_text(encoding="utf-8")))
                         for p in SOURCE.rglob("*.md"))
    assert len(listing) <= raster_sources, listing
    diagrams = [i for i in print_page.find_all(["img", "object"])
                if str(i.get("src", i.get("data", ""))).endswith(".svg")]
    assert len(diagrams) >= len(source_alt_texts())


def test_page_count_fits_the_content(pdf_build: Path) -> None:
    titles = parts_and_chapters()
    pages = int(rawa_pdf.pdfinfo(pdf_build)["Pages"])
    assert len(titles) + 6 <= pages <= 25 * len(titles) + 20, (pages, len(titles))


def test_title_page_and_colophon_have_the_publication_metadata(pages: list[str]) -> None:
    pub = rawa_publication.load(ROOT / "publicatie.toml")
    for value in (pub.titel, pub.ondertitel, pub.versie, pub.status, pub.datum_nl,
                  pub.uitgever):
        assert normalize(value) in pages[0], value
    assert pages[1].startswith("Colofon") and pub.versie in pages[1]
    assert normalize(pub.licentie) in pages[1]


def test_status_on_every_page_of_a_version_that_is_not_final(pages: list[str]) -> None:
    pub = rawa_publication.load(ROOT / "publicatie.toml")
    marker = f"{pub.status} {pub.versie}, {pub.datum_nl}"
    body = [(number, p) for number, p in enumerate(pages[2:], 3) if p.strip()]
    if pub.is_final:
        assert not any(marker in p for _n, p in body)
    else:
        assert [n for n, p in body if marker not in p] == []


def test_parts_and_annexes_are_numbered_in_headings_and_contents(pages: list[str]) -> None:
    contents = next(p for p in pages if p.startswith("Inhoud Deel I:"))
    parts = [t for d, t in parts_and_chapters() if d.endswith("/index") and d != "bijlagen/index"]
    for number, title in zip(("I", "II", "III", "IV", "V", "VI"), parts, strict=False):
        assert f"Deel {number}: {normalize(title)}" in contents, title
    annexes = rawa_pdf.toctree_entries(SOURCE, "bijlagen/index")
    for letter, doc in zip("ABCDEFGH", annexes, strict=False):
        title = normalize(rawa_pdf.document_title(SOURCE, doc))
        listed = re.search(rf"Bijlage {letter}: {re.escape(title)} ?\.* ?(\d+)", contents)
        assert listed, title
        assert f"Bijlage {letter}: {title}" in pages[int(listed.group(1)) - 1]


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


def test_matrices_and_the_names_of_the_exports_are_in_the_pdf(
        text: str, needs_json: dict[str, Any]) -> None:
    for name in (rawa_exports.CSV_NAME, rawa_exports.XLSX_NAME, rawa_exports.JSON_NAME):
        assert name in text, name
    assert "Dekking per traceerregel" in text
    assert "Van principe naar eis en realisatie" in text
