"""The PDF/UA-1 edition (issue 19): a small book through ``rawa.pdf`` and WeasyPrint."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
import rawa_pdf
from bs4 import BeautifulSoup
from conftest import ROOT, STRICT, SUPPORT

BOOK = Path(__file__).parent / "roots" / "test-print-pdf"
ALT = "Een client vraagt een API om gegevens."


def build(srcdir: Path, outdir: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "sphinx", *STRICT, "-E", "-b", "rawapdf", str(srcdir), str(outdir)]
    # the test settings, and whatever import path the caller has (a worktree's own package)
    path = os.pathsep.join(p for p in (str(SUPPORT), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
    )


def page_texts(pdf: Path) -> list[str]:
    """The text of every page, as a reader of the page images would read it."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print-pdf")
    result = build(BOOK, out)
    assert result.returncode == 0, result.stderr[-3000:]
    return out / "rawa.pdf"


@pytest.fixture(scope="module")
def book(built: Path) -> pikepdf.Pdf:
    return pikepdf.open(built)


@pytest.fixture(scope="module")
def pages(built: Path) -> list[str]:
    return page_texts(built)


def test_the_pdf_is_tagged_in_dutch_with_its_title_shown(book: pikepdf.Pdf) -> None:
    assert book.Root.MarkInfo.Marked is True
    assert str(book.Root.Lang) == "nl"
    assert book.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(book.docinfo["/Title"]).startswith("RAWA")


def test_headings_do_not_skip_a_level_and_tables_have_header_cells(book: pikepdf.Pdf) -> None:
    tags = [str(e.S) for e in rawa_pdf.structure(book)]
    levels = [int(t[2:]) for t in tags if t[:2] == "/H" and t[2:].isdigit()]
    assert levels and levels[0] == 1
    assert [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1] == []
    assert "/Table" in tags and "/TH" in tags


def test_every_figure_has_the_alt_text_of_its_source(book: pikepdf.Pdf) -> None:
    figures = [e for e in rawa_pdf.structure(book) if str(e.S) == "/Figure"]
    assert [str(f.get("/Alt")) for f in figures] == [ALT]


def test_a_figure_without_alt_text_fails_the_build_naming_file_and_line(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(BOOK, src)
    page = src / "deel.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(f":alt: {ALT}\n", ""), encoding="utf-8"
    )
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    line = page.read_text(encoding="utf-8").splitlines().index("```{uml}") + 1
    expected = f"{page}:{line}: WARNING: figuur zonder alt-tekst"
    assert expected in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr


# -- layout: what the LaTeX edition had (issue 19, step a and b) ---------------------------


def test_title_page_and_colophon_come_first_without_page_numbers(pages: list[str]) -> None:
    title, colophon = pages[0], pages[1]
    assert title.startswith("RAWA 0.1.0 Referentiearchitectuur veilig werken met API's")
    assert "Werkversie 0.1.0" in title and "RAWA-projectgroep" in title
    assert colophon.startswith("Colofon") and "Tekst: CC BY 4.0; code: EUPL-1.2" in colophon
    assert not re.search(r"\d+/\d+$", title) and not re.search(r"\d+/\d+$", colophon)


def test_contents_give_the_page_where_each_part_and_chapter_starts(pages: list[str]) -> None:
    contents = next(p for p in pages if p.startswith("Inhoud Deel I: Eerste deel"))
    listed = dict(re.findall(r"((?:Deel [IVX]+: |Bijlage [A-Z]: )?[A-Z][a-z ]+?) ?\.+ ?(\d+)",
                             contents))
    assert set(listed) == {
        "Deel I: Eerste deel",
        "Doel van de test",
        "Bijlagen",
        "Bijlage A: Begrippen",
        "Bijlage B: Brede tabel",
    }
    for title, number in listed.items():
        # the heading carries the same number as the contents ("Bijlage A: Begrippen")
        assert f"{title}" in pages[int(number) - 1], (title, number)
    # a part starts on a new page, its title first on the page below the running head
    assert pages[int(listed["Bijlagen"]) - 1].split(" Bijlagen ")[1].startswith("Bijlage A")


def test_running_head_names_the_part_and_the_foot_numbers_the_page(pages: list[str]) -> None:
    first = pages.index(next(p for p in pages if "Doel van de test Het toegangsbeleid staat" in p))
    assert pages[first].startswith("Eerste deel Doel van de test")
    # a Werkversie carries its status at the foot of every page after the colophon
    assert pages[first].endswith(f"Werkversie 0.1.0, 29 november 2026 {first + 1}/{len(pages)}")


def test_need_boxes_keep_heading_text_and_metadata(pages: list[str]) -> None:
    text = " ".join(pages)
    assert "Architectuurprincipe PRI-B1 Een geldig principe Stelling Tekst van het principe" in text
    assert "Normatieve eis EIS-TST-01 Een geldige eis" in text


def test_a_wide_matrix_gets_a_landscape_page(built: Path, pages: list[str]) -> None:
    pdf = pikepdf.open(built)
    sizes = [tuple(round(float(v)) for v in page.mediabox[2:]) for page in pdf.pages]
    wide = [i for i, p in enumerate(pages) if "Gerealiseerd door" in p]
    assert wide and all(sizes[i] == (842, 595) for i in wide)
    assert {sizes[i] for i in range(len(sizes)) if i not in wide} == {(595, 842)}


def test_the_index_lists_terms_with_the_page_they_are_on(pages: list[str]) -> None:
    index = pages[-1]
    match = re.search(r"Index T Toegangsbeleid (\d+)", index)
    assert match, index
    assert "Toegangsbeleid Regels die bepalen" in pages[int(match.group(1)) - 1]


def test_the_glossary_says_where_a_term_is_used_with_the_page(pages: list[str]) -> None:
    glossary = next(p for p in pages if "Toegangsbeleid Regels die bepalen" in p)
    match = re.search(r"Gebruikt in: Doel van de test \(p\. (\d+)\)\.", glossary)
    assert match, glossary
    assert "Het toegangsbeleid staat in de bijlage" in pages[int(match.group(1)) - 1]


def test_every_part_and_chapter_has_a_bookmark(book: pikepdf.Pdf) -> None:
    with book.open_outline() as outline:
        titles = []

        def walk(items: list[pikepdf.OutlineItem]) -> None:
            for item in items:
                titles.append(item.title)
                walk(item.children)

        walk(outline.root)
    for title in ("Eerste deel", "Doel van de test", "Bijlagen", "Begrippen", "Brede tabel"):
        assert title in titles
    assert "Index" in titles


def test_every_font_is_embedded(built: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(built)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing and all(line.split()[-5] == "yes" for line in listing), listing


# -- reproducible (step c) -----------------------------------------------------------------


def test_two_builds_give_the_same_bytes_dated_by_source_date_epoch(
    built: Path, tmp_path: Path
) -> None:
    again = build(BOOK, tmp_path / "again")
    assert again.returncode == 0, again.stderr[-3000:]
    assert (tmp_path / "again" / "rawa.pdf").read_bytes() == built.read_bytes()
    epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    stamp = dt.datetime.fromtimestamp(epoch, tz=dt.UTC).strftime("%Y%m%d%H%M%S")
    pdf = pikepdf.open(built)
    info = pdf.docinfo
    assert str(info["/CreationDate"]).startswith(f"D:{stamp}")
    assert str(info["/ModDate"]).startswith(f"D:{stamp}")


def test_the_text_reads_in_the_order_of_the_html(built: Path, pages: list[str]) -> None:
    """Every heading and paragraph of the page, found in the PDF's text in the same order."""
    soup = BeautifulSoup((built.parent / "print.html").read_text(encoding="utf-8"), "html.parser")
    blocks = [
        " ".join(e.get_text(" ").split())
        for e in soup.main.find_all(["h1", "h2", "h3", "h4", "p", "dt", "dd"])
    ]
    text = " ".join(pages)
    text = re.sub(r"\d+/\d+ ", " ", text)  # the page feet
    text = re.sub(r" \(p\. \d+\)", " ", text)  # page numbers the print CSS generates
    position, missing = 0, []
    for block in (b for b in blocks if len(b) > 3):
        found = text.find(block[:40], position)
        if found < 0:
            missing.append(block)
        else:
            position = found
    assert not missing, missing


def test_a_need_heading_is_one_level_below_its_section(built: Path) -> None:
    """On one page the chapters sit deeper than on their own pages; the needs follow."""
    soup = BeautifulSoup((built.parent / "print.html").read_text(encoding="utf-8"), "html.parser")
    title = soup.find(class_="rawa-need-title")
    section = title.find_parent("section").find(["h1", "h2", "h3", "h4", "h5"])
    assert int(title.name[1]) == int(section.name[1]) + 1
    parts = title.find_parent("div").find_all(class_="rawa-need-part")
    assert parts and {p.name for p in parts} == {f"h{int(title.name[1]) + 1}"}


def test_parts_are_top_level_headings_and_chapters_the_next_level(built: Path) -> None:
    """The parts stand next to the front matter, not under the root page's "Inhoud"."""
    soup = BeautifulSoup((built.parent / "print.html").read_text(encoding="utf-8"), "html.parser")
    levels = {h.get_text(" ", strip=True): h.name for h in soup.main.find_all(["h1", "h2", "h3"])}
    assert levels["Eerste deel"] == levels["Bijlagen"] == "h1"
    assert levels["Doel van de test"] == levels["Begrippen"] == "h2"
    assert "Inhoud" not in levels  # the print template has its own contents


def test_the_first_term_link_of_a_document_names_the_page_of_its_explanation(
        pages: list[str]) -> None:
    text = " ".join(pages)
    found = re.findall(r"begrip Toegangsbeleid \(p\. (\d+)\)", text)
    assert len(found) == 1, text[:3000]
    assert "Toegangsbeleid Regels die bepalen" in pages[int(found[0]) - 1]
    # once per document: the later mention in the same document has no number
    assert not re.search(r"oegangsbeleid staat in de bijlage \(p\.", text)


def test_a_figure_caption_carries_the_number_its_references_use(pages: list[str]) -> None:
    text = " ".join(pages)
    assert "Zie Figuur 1" in text
    assert "Figuur 1 Een testdiagram." in text


def test_cached_page_references_equal_upstream_and_follow_new_pages() -> None:
    """rawa.compat.pydyf keeps pydyf's page references; a new page renews them."""
    import pydyf

    from rawa.compat import pydyf as patch

    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))

    def upstream() -> tuple[bytes, ...]:  # what pydyf 0.13.0's property returns
        return tuple(f"{n} 0 R".encode("ascii") for n in pdf.pages["Kids"][::3])

    assert patch.cached_page_references(pdf) == upstream() and len(upstream()) == 3
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert patch.cached_page_references(pdf) == upstream() and len(upstream()) == 4


# -- what a PDF/UA checker and a screen reader look at (the review of issue 19) ----------


def test_every_link_annotation_sits_in_a_link_element(book: pikepdf.Pdf) -> None:
    kinds = rawa_pdf.link_annotation_tags(book)
    assert kinds and set(kinds) == {"/Link"}


def test_list_items_hold_only_a_label_and_a_body(book: pikepdf.Pdf) -> None:
    assert rawa_pdf.list_item_kid_types(book) <= {"/Lbl", "/LBody"}
    assert "/Lbl" in rawa_pdf.list_item_kid_types(book)  # the bullets of the list


def test_running_heads_and_page_numbers_are_artifacts(book: pikepdf.Pdf, pages: list[str]) -> None:
    """Printed on every page, outside the structure tree, and nothing points to them."""
    assert pages[4].endswith(f"5/{len(pages)}")  # the number is still on the page
    assert rawa_pdf.orphaned_elements(book) == []


def test_need_metadata_reads_as_label_and_value_pairs(built: Path) -> None:
    soup = BeautifulSoup((built.parent / "print.html").read_text(encoding="utf-8"), "html.parser")
    assert not soup.find_all(["dl", "dt", "dd"])  # WeasyPrint would make list items of them
    label = soup.find(attrs={"data-rawa": "dt"}, string="ID")
    assert label is not None and label.find_next_sibling().get_text(strip=True) == "PRI-B1"
