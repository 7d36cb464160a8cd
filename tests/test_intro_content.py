"""End-to-end checks on the introductory chapters (home page and part I) of the real build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import ROOT

#: The pages the introduction consists of, as built HTML paths without suffix.
INTRO_PAGES = (
    "index",
    "inleiding/aanleiding-en-scope",
    "inleiding/achtergrond",
    "inleiding/introductie-toegang",
)

#: Figure name -> PlantUML source, for every diagram the introduction must show.
INTRO_DIAGRAMS = {
    "fig-toegang-acl": "toegang-acl.puml",
    "fig-toegang-rbac": "toegang-rbac.puml",
    "fig-toegang-abac-pbac": "toegang-abac-pbac.puml",
    "fig-autorisatie-actoren": "autorisatie-actoren.puml",
    "fig-federatie": "federatie.puml",
    "fig-digid-inloggen": "digid-inloggen.puml",
    "fig-access-governance": "access-governance.puml",
    "fig-iam-discipline": "iam-discipline.puml",
    "fig-zero-trust-pep-pdp": "zero-trust-pep-pdp.puml",
    "fig-transitie": "transitie.puml",
    "fig-nora-iam-model": "nora-iam-model.puml",
    "fig-iga-toegangsbeheer": "iga-toegangsbeheer.puml",
}

ACCESS_MODELS = ("ACL", "RBAC", "ABAC", "PBAC", "ReBAC")
MIN_SOURCES_PER_CHAPTER = 4
MIN_ALT_CHARS = 80
NORMATIVE_CAPITALS = re.compile(r"\b(MOET|ZOU|MAG)\b")


def _page(html_build: Path, page: str) -> BeautifulSoup:
    path = html_build / f"{page}.html"
    assert path.is_file(), f"{page}.html is not in the build"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _main(soup: BeautifulSoup) -> Tag:
    main = soup.find("article") or soup.find("main")
    assert isinstance(main, Tag), "page has no article/main element"
    return main


@pytest.mark.parametrize("page", INTRO_PAGES)
def test_intro_page_ends_with_a_bronnen_list(html_build: Path, page: str) -> None:
    main = _main(_page(html_build, page))
    section = main.find("section", id="bronnen")
    assert isinstance(section, Tag), f"{page} has no Bronnen section"
    assert section.find(["h2", "h3"]).get_text(strip=True).startswith("Bronnen")
    items = section.find_all("li")
    assert len(items) >= MIN_SOURCES_PER_CHAPTER, f"{page} cites only {len(items)} sources"
    page_section = main.find("section")
    assert isinstance(page_section, Tag)
    headings = [s.get("id") for s in page_section.find_all("section", recursive=False)]
    # Bronnen is the last chapter section, except on the home page where the toctree follows.
    expected_last = "inhoud" if page == "index" else "bronnen"
    assert headings and headings[-1] == expected_last, (page, headings)


def test_part_one_lists_its_three_chapters(html_build: Path) -> None:
    main = _main(_page(html_build, "inleiding/index"))
    links = {a["href"].split("#")[0] for a in main.select(".toctree-wrapper a[href]")}
    for chapter in ("aanleiding-en-scope", "achtergrond", "introductie-toegang"):
        assert f"{chapter}.html" in links, chapter


def test_model_comparison_table_has_the_five_models(html_build: Path) -> None:
    soup = _page(html_build, "inleiding/introductie-toegang")
    table = soup.find("table", id="tbl-toegangsmodellen")
    assert isinstance(table, Tag), "comparison table tbl-toegangsmodellen is missing"
    header = [th.get_text(strip=True) for th in table.select("thead th")]
    assert header[1:] == list(ACCESS_MODELS), header
    aspects = [row.find(["th", "td"]).get_text(strip=True) for row in table.select("tbody tr")]
    for aspect in ("Wat beslist", "Fijnmazigheid", "Beheer", "Sterk", "Zwak",
                   "Wanneer gebruiken"):
        assert aspect in aspects, (aspect, aspects)
    for row in table.select("tbody tr"):
        cells = row.find_all(["th", "td"])
        assert len(cells) == 1 + len(ACCESS_MODELS)
        assert all(c.get_text(strip=True) for c in cells), row.get_text(" ", strip=True)


def test_every_intro_diagram_is_an_svg_with_a_real_alt_text(html_build: Path) -> None:
    found: dict[str, str] = {}
    for page in INTRO_PAGES:
        soup = _page(html_build, page)
        page_dir = (html_build / page).parent
        for figure in _main(soup).find_all("figure"):
            img = figure.find("img")
            assert isinstance(img, Tag), (page, figure.get("id"))
            src = str(img["src"])
            assert src.endswith(".svg"), (page, src)
            svg = (page_dir / src).resolve()
            assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml"), svg
            alt = str(img.get("alt", "")).strip()
            caption = figure.find("figcaption").get_text(" ", strip=True)
            assert len(alt) >= MIN_ALT_CHARS, (page, figure.get("id"), alt)
            assert alt not in caption, (page, figure.get("id"))
            found[str(figure.get("id"))] = page
    missing = set(INTRO_DIAGRAMS) - set(found)
    assert not missing, f"diagrams not shown on the intro pages: {sorted(missing)}"


def test_every_intro_diagram_is_referred_to_from_the_text(html_build: Path) -> None:
    referred: set[str] = set()
    for page in INTRO_PAGES:
        for a in _main(_page(html_build, page)).select("a.reference"):
            fragment = str(a.get("href", "")).partition("#")[2]
            if fragment.startswith("fig-") and not a.find_parent("figcaption"):
                referred.add(fragment)
    assert set(INTRO_DIAGRAMS) <= referred, set(INTRO_DIAGRAMS) - referred


def test_intro_diagram_sources_exist() -> None:
    sources = "\n".join((ROOT / "source" / f"{p}.md").read_text(encoding="utf-8")
                        for p in INTRO_PAGES)
    for name, puml in INTRO_DIAGRAMS.items():
        assert (ROOT / "diagrams" / puml).is_file(), puml
        assert f"/../diagrams/{puml}" in sources and f":name: {name}" in sources, name


@pytest.mark.parametrize("page", INTRO_PAGES)
def test_normative_capitals_only_appear_as_code_in_the_intro(html_build: Path,
                                                            page: str) -> None:
    main = _main(_page(html_build, page))
    for code in main.find_all("code"):
        code.decompose()
    text = main.get_text(" ", strip=True)
    assert not NORMATIVE_CAPITALS.search(text), NORMATIVE_CAPITALS.search(text)
