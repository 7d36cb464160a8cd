"""Need pages read as text: the need's own words first, its metadata last (issue 20, item 4).

What goes where comes from the metamodel (``text_heading`` and ``text_fields`` of each
need type), so the tests read the expected headings from there too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import rawa_pdf
from bs4 import BeautifulSoup, Tag
from conftest import Build, require_tools

import rawa.model.metamodel as mm

ROOT = Path(__file__).resolve().parents[1]
CSS = Path(mm.__file__).parents[1] / "views" / "static" / "rawa-needs.css"
TOETS = mm.need_type("eis").text_fields[0]
TOETS_LABEL = next(f.label for f in mm.FIELDS if f.name == TOETS)
PRINCIPLE_HEADINGS = [mm.need_type("principe").text_heading,
                      *(next(f.label for f in mm.FIELDS if f.name == name)
                        for name in mm.need_type("principe").text_fields)]
ROOT_SENTENCE = "Het handhavingspunt MOET voor elk verzoek een besluit opvragen bij het beslispunt."
ROOT_TOETS = ("Stuur tien verzoeken zonder geldig besluit en controleer dat het "
              "handhavingspunt ze alle tien weigert.")



# -- reading a rendered need ---------------------------------------------------------------

def _order(box: Tag) -> dict[int, int]:
    """Document position of every element in the box (by identity: bs4 tags compare by
    content, so two equal paragraphs would be one)."""
    return {id(tag): i for i, tag in enumerate(box.find_all(True))}


def _parts(box: Tag) -> list[str]:
    return [h.get_text(strip=True) for h in box.select(".rawa-need-part")]


def _flat(text: str) -> str:
    """Text as a reader sees it, whatever the source: one space, typographic quotes."""
    return " ".join(text.replace("\u2019", "'").split())


def _paragraph_after(heading: Tag) -> str:
    return _flat(heading.find_next_sibling("p").get_text())


def _metadata(box: Tag) -> dict[str, Tag]:
    block = box.find("dl", class_="rawa-need-meta")
    return {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in block.find_all("dt")}


def check_requirement(box: Tag, need: dict[str, Any]) -> None:
    """The normative sentence, then "Hoe toetst u dit" and its text, then the metadata."""
    order = _order(box)
    title = box.find(class_="rawa-need-title")
    text = box.find(class_="rawa-need-text")
    sentence = next(p for p in text.find_all("p") if need["niveau"] in p.get_text())
    toets = next(h for h in text.select(".rawa-need-part") if h.get_text(strip=True) == TOETS_LABEL)
    meta = box.find("dl", class_="rawa-need-meta")
    assert order[id(title)] < order[id(sentence)] < order[id(toets)] < order[id(meta)], need["id"]
    # nothing but the need's own text comes before the sentence
    assert text.find("p") is sentence and not sentence.find_previous_sibling(), need["id"]
    assert _paragraph_after(toets) == _flat(need[TOETS]), need["id"]
    shown = _metadata(box)
    assert shown["ID"].get_text(strip=True) == need["id"]
    assert shown["Niveau"].get_text(strip=True) == need["niveau"]
    assert TOETS_LABEL not in shown  # in the text, not again in the metadata


def check_principle(box: Tag, need: dict[str, Any]) -> None:
    """Stelling, Rationale, Implicaties as headings with their paragraphs, in that order."""
    assert _parts(box) == PRINCIPLE_HEADINGS, need["id"]
    headings = box.select(".rawa-need-part")
    assert all(re.fullmatch(r"h[2-6]", h.name) for h in headings), need["id"]
    assert _paragraph_after(headings[0]) == _flat(need["content"]), need["id"]
    for heading, name in zip(headings[1:], mm.need_type("principe").text_fields, strict=True):
        assert _paragraph_after(heading) == _flat(need[name]), (need["id"], name)


def _headings_do_not_skip(soup: BeautifulSoup) -> list[str]:
    """Headings of the article whose level is more than one below the heading before."""
    article = soup.find("article") or soup
    levels = [(int(h.name[1]), h.get_text(" ", strip=True))
              for h in article.find_all(re.compile(r"^h[1-6]$"))]
    return [f"{prev[1]!r} (h{prev[0]}) -> {cur[1]!r} (h{cur[0]})"
            for prev, cur in zip(levels, levels[1:], strict=False) if cur[0] > prev[0] + 1]


# -- a small project ---------------------------------------------------------------------

def test_root_requirement_and_principle_read_in_order(build_root: Build) -> None:
    app, warnings = build_root("need-pages")
    assert warnings.strip() == ""
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("table", class_="need") is None  # no layout table left
    requirement = soup.find("div", id="EIS-PEP-01")
    check_requirement(requirement, {"id": "EIS-PEP-01", "niveau": "MOET",
                                    TOETS: ROOT_TOETS})
    assert requirement.find("p").get_text(" ", strip=True) == ROOT_SENTENCE
    check_principle(soup.find("div", id="PRI-P1"), {
        "id": "PRI-P1",
        "content": "Elk verzoek om toegang wordt getoetst aan het vastgestelde beleid.",
        "rationale": "Beleid dat op één plek staat, kan een auditor nalezen.",
        "implicaties": "De gemeente legt haar toegangsregels vast in een beheerde voorziening.",
    })
    # the metadata: labels of the metamodel, status, links in both directions kept
    shown = _metadata(requirement)
    assert list(shown)[:3] == ["ID", "Status", "Niveau"]
    assert shown["Toetssoort"].get_text(strip=True) == "opzet"
    assert shown["Vervult"].find("a")["href"] == "#PRI-P1"
    principle = _metadata(soup.find("div", id="PRI-P1"))
    assert principle["Groep"].get_text(strip=True) == "Policy Based Access Control"
    assert principle["Wordt vervuld door"].find("a")["href"] == "#EIS-PEP-01"
    # the need's heading is one level below its section; its parts one further
    assert soup.find("div", id="EIS-PEP-01").find(class_="rawa-need-title").name == "h3"
    assert {h.name for h in soup.select(".rawa-need-part")} == {"h4"}
    assert _headings_do_not_skip(soup) == []
    assert 'href="_static/rawa-needs.css' in str(soup)


def test_root_need_box_in_latex_keeps_the_order(build_root: Build) -> None:
    app, warnings = build_root("need-pages", "latex")
    assert warnings.strip() == ""
    tex = (app.outdir / "rawa.tex").read_text(encoding="utf-8")
    box = tex[tex.index(r"\label{\detokenize{index:EIS-PEP-01}}"):]
    box = box[:box.index(r"\end{sphinxuseclass}")]
    marks = ["Het handhavingspunt MOET", rf"\DUrole{{rawa-need-label}}{{{TOETS_LABEL}}}",
             "Stuur tien verzoeken", r"\DUrole{needs_label}{ID:}",
             r"\DUrole{needs_label}{Niveau:} MOET", r"\DUrole{needs_label}{Vervult:}"]
    positions = [box.find(m) for m in marks]
    where = list(zip(marks, positions, strict=True))
    assert -1 not in positions and positions == sorted(positions), where
    principle = tex[tex.index(r"\label{\detokenize{index:PRI-P1}}"):]
    principle = principle[:principle.index(r"\end{sphinxuseclass}")]
    labels = re.findall(r"\\DUrole\{rawa-need-label\}\{([^}]*)\}", principle)
    assert labels == PRINCIPLE_HEADINGS
    assert r"\begin{tabular" not in box and r"\begin{description}" not in box


def _assert_sentence_test_then_metadata(text: str) -> None:
    start = text.index("Normatieve eis EIS-PEP-01")
    marks = ["Het handhavingspunt vraagt elk besluit op", ROOT_SENTENCE, TOETS_LABEL, ROOT_TOETS,
             "ID: EIS-PEP-01", "Niveau: MOET", "Vervult: PRI-P1"]
    positions = [text.find(m, start) for m in marks]
    where = list(zip(marks, positions, strict=True))
    assert -1 not in positions and positions == sorted(positions), where
    principle = text[text.index("Architectuurprincipe PRI-P1"):start]
    positions = [principle.find(h) for h in PRINCIPLE_HEADINGS]
    assert -1 not in positions and positions == sorted(positions), positions


@pytest.mark.latex
def test_root_pdf_reads_sentence_test_then_metadata(tmp_path: Path, rootdir: Path) -> None:
    require_tools("latexmk", "xelatex", "pdftotext")
    result = rawa_pdf.build_pdf(rootdir / "test-need-pages", tmp_path / "latex")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    _assert_sentence_test_then_metadata(
        " ".join(rawa_pdf.pdftotext(tmp_path / "latex" / "rawa.pdf").split()))


def test_root_tagged_pdf_reads_sentence_test_then_metadata(build_root: Build) -> None:
    """The accessible PDF (rawa.pdf, issue 19) reads a need in the same order."""
    require_tools("pdftotext")
    app, _warnings = build_root("need-pages", "rawapdf")
    _assert_sentence_test_then_metadata(
        " ".join(rawa_pdf.pdftotext(Path(app.outdir) / "rawa.pdf").split()))


def test_metadata_block_is_left_aligned_not_centred() -> None:
    """sphinx-needs centred its metadata lines; our block states its own alignment."""
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", css))
    meta = [body for selector, body in rules.items()
            if selector.strip().endswith("dl.rawa-need-meta")]
    assert any(re.search(r"text-align:\s*left", body) for body in meta), meta
    assert not re.search(r"text-align:\s*center", css)


# -- the publication ---------------------------------------------------------------------

def _need_boxes(html_build: Path, needs_json: dict[str, Any], kind: str
                ) -> list[tuple[Tag, dict[str, Any]]]:
    pages: dict[str, BeautifulSoup] = {}
    boxes = []
    for need in sorted((n for n in needs_json.values() if n["type"] == kind),
                       key=lambda n: n["id"]):
        page = need["docname"]
        if page not in pages:
            pages[page] = BeautifulSoup((html_build / f"{page}.html").read_text(encoding="utf-8"),
                                        "html.parser")
        box = pages[page].find("div", id=need["id"])
        assert box is not None and "rawa-need" in box["class"], need["id"]
        boxes.append((box, need))
    return boxes


def test_every_requirement_reads_sentence_then_test_then_metadata(
    html_build: Path, needs_json: dict[str, Any]
) -> None:
    boxes = _need_boxes(html_build, needs_json, "eis")
    assert len(boxes) > 50
    for box, need in boxes:
        check_requirement(box, need)
        # every link of the requirement is in its metadata, pointing at the linked need
        shown = _metadata(box)
        for link in mm.links_from("eis"):
            targets = need.get(link.name) or []
            if targets:
                dd = shown[link.outgoing[:1].upper() + link.outgoing[1:]]
                hrefs = [a["href"].rsplit("#", 1)[1] for a in dd.find_all("a")]
                assert hrefs == list(targets), (need["id"], link.name)


def test_every_principle_has_statement_rationale_and_implications(
    html_build: Path, needs_json: dict[str, Any]
) -> None:
    boxes = _need_boxes(html_build, needs_json, "principe")
    assert len(boxes) > 20
    for box, need in boxes:
        check_principle(box, need)


def test_every_need_is_a_block_of_text_and_headings_do_not_skip_levels(
    html_build: Path, needs_json: dict[str, Any]
) -> None:
    pages = sorted({need["docname"] for need in needs_json.values()})
    for page in pages:
        soup = BeautifulSoup((html_build / f"{page}.html").read_text(encoding="utf-8"),
                             "html.parser")
        assert soup.select("table.need") == [], page
        assert _headings_do_not_skip(soup) == [], page
    for spec in mm.NEED_TYPES:
        for box, need in _need_boxes(html_build, needs_json, spec.directive)[:3]:
            expected = [spec.text_heading] if spec.text_heading else []
            expected += [next(f.label for f in mm.FIELDS if f.name == name)
                         for name in spec.text_fields if need.get(name)]
            assert _parts(box) == expected, need["id"]


# -- in a browser --------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 390])
def test_need_pages_fit_the_screen_with_left_aligned_metadata(served_site: Any,
                                                             width: int) -> None:
    page = served_site.page
    page.set_viewport_size({"width": width, "height": 900})
    try:
        for rel, need_id in (("normatief/eisen.html", "EIS-IDN-01"),
                             ("normatief/principes.html", "PRI-B1")):
            served_site.open(rel)
            found = page.evaluate(
                """(id) => { const box = document.getElementById(id);
                const dl = box.querySelector('dl.rawa-need-meta');
                const dt = dl.querySelector('dt'), dd = dl.querySelector('dd');
                const r = (e) => e.getBoundingClientRect();
                return {scroll: document.documentElement.scrollWidth, inner: innerWidth,
                        align: getComputedStyle(dl).textAlign,
                        dtLeft: r(dt).left, dlLeft: r(dl).left, ddLeft: r(dd).left,
                        ddTop: r(dd).top, dtTop: r(dt).top, boxRight: r(box).right}; }""",
                need_id)
            assert found["scroll"] <= found["inner"], (rel, found)  # no sideways scrolling
            assert found["boxRight"] <= found["inner"], (rel, found)
            assert found["align"] == "left", (rel, found)
            assert abs(found["dtLeft"] - found["dlLeft"]) < 1, (rel, found)
            if width < 600:  # narrow: the value goes under its label
                assert abs(found["ddLeft"] - found["dlLeft"]) < 1, (rel, found)
                assert found["ddTop"] > found["dtTop"], (rel, found)
            else:  # wide: label and value side by side
                assert found["ddLeft"] > found["dtLeft"] and found["ddTop"] == found["dtTop"]
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
