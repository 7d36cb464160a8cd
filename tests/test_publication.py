"""End-to-end checks on the real publication, built once per test run."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from conftest import ROOT, build_log, require_tools

import rawa.model.metamodel as mm
from rawa.model import publication as rawa_publication


def test_every_page_of_the_toctree_is_built(html_build: Path) -> None:
    for page in ("index", "inleiding/index", "architectuur/index", "normatief/index",
                 "gemma/index", "bijlagen/index", "bijlagen/terminologie",
                 "bijlagen/traceerbaarheid"):
        assert (html_build / f"{page}.html").is_file(), page


def test_html_is_dutch_and_shows_version_and_status(html_build: Path) -> None:
    html = (html_build / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl"' in html
    pub = rawa_publication.load(ROOT / "publicatie.toml")
    assert pub.versie in html and pub.status in html and pub.datum_nl in html


def test_needs_json_holds_valid_typed_needs(needs_json: dict[str, Any]) -> None:
    assert needs_json, "needs.json has no needs"
    for need_id, need in needs_json.items():
        spec = mm.need_type(need["type"])
        assert re.fullmatch(mm.id_pattern(spec), need_id), need_id
        for link in mm.LINKS:
            targets = need.get(link.name) or []
            if targets:
                assert need["type"] in link.sources, (need_id, link.name)
            for target in targets:
                assert needs_json[target]["type"] in link.targets, (need_id, link.name, target)


def test_each_need_type_of_the_metamodel_is_used(needs_json: dict[str, Any]) -> None:
    used = {need["type"] for need in needs_json.values()}
    assert set(mm.TYPE_NAMES) <= used, set(mm.TYPE_NAMES) - used


def test_backlinks_mirror_links(needs_json: dict[str, Any]) -> None:
    for need_id, need in needs_json.items():
        for link in mm.LINKS:
            for target in need.get(link.name) or []:
                assert need_id in needs_json[target][f"{link.name}_back"]


def test_diagrams_are_svg_files(html_build: Path) -> None:
    html = (html_build / "architectuur" / "referentiearchitectuur.html").read_text("utf-8")
    sources = re.findall(r'<img[^>]+src="([^"]+\.svg)"', html)
    assert sources, "no SVG image on the architecture page"
    for src in sources:
        svg = (html_build / "architectuur" / src).resolve()
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml"), src


def test_every_diagram_source_is_used() -> None:
    from conftest import ROOT
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "source").rglob("*.md"))
    for puml in (ROOT / "diagrams").glob("*.puml"):
        assert f"/../diagrams/{puml.name}" in text, f"{puml.name} is not used in any page"


def test_pdf_has_the_slice(pdf_build: Path, needs_json: dict[str, Any]) -> None:
    require_tools("pdftotext", "pdffonts")
    text = subprocess.run(["pdftotext", str(pdf_build), "-"], capture_output=True,
                          text=True, check=True).stdout
    for title in ("Inleiding", "Architectuur", "Normatief kader", "Bijlagen", "Terminologie"):
        assert title in text, title
    for need_id in needs_json:
        assert need_id in text, need_id
    fonts = subprocess.run(["pdffonts", str(pdf_build)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts


def test_pages_carry_open_graph_tags_and_the_build_prints_no_package_notices(
        html_build: Path) -> None:
    head = BeautifulSoup((html_build / "index.html").read_text(encoding="utf-8"),
                         "html.parser").head
    tags = {m["property"]: m["content"] for m in head.find_all("meta", property=True)}
    assert tags["og:title"] and tags["og:locale"] == "nl_NL"
    assert tags["og:url"].startswith(rawa_publication.load(ROOT / "publicatie.toml").basis_url)
    # sphinxext-opengraph would announce missing matplotlib on every build
    assert "matplotlib" not in build_log(html_build).read_text(encoding="utf-8")
