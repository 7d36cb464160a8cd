"""End-to-end: the term linker on the real publication and its real glossary.

Expectations are derived from the glossary the build finds (its SKOS export), apart
from a few core terms every version of the glossary has.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

GLOSSARY_PAGE = "bijlagen/terminologie.html"
CORE_TERMS = ["Policy Decision Point", "PDP", "Policy Enforcement Point", "PEP", "API-gateway",
              "identity provider", "IdP", "federatie", "betrouwbaarheidsniveau",
              "joiner-mover-leaver", "OAuth 2.0"]
AUTO_LINK = re.compile(r'<a class="reference internal" href="([^"]*)"><span class="xref std '
                       r'std-term rawaterm">(.*?)</span></a>')


@pytest.fixture(scope="module")
def skos(html_build: Path) -> dict[str, Any]:
    return json.loads((html_build / "begrippen.jsonld").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def concepts(skos: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in skos["@graph"] if n["@type"] == "skos:Concept"]


@pytest.fixture(scope="module")
def pages(html_build: Path) -> dict[str, str]:
    return {str(p.relative_to(html_build)): p.read_text(encoding="utf-8")
            for p in html_build.rglob("*.html") if "_static" not in p.parts}


def _labels(concept: dict[str, Any]) -> set[str]:
    return {lit["@value"] for key in ("skos:prefLabel", "skos:altLabel")
            for lit in concept.get(key, []) if lit["@language"] == "nl"}


def test_core_terms_are_in_the_glossary_export(concepts: list[dict[str, Any]]) -> None:
    labels = set().union(*(_labels(c) for c in concepts))
    assert set(CORE_TERMS) <= labels, set(CORE_TERMS) - labels


def test_export_has_one_concept_per_glossary_entry(pages: dict[str, str],
                                                   concepts: list[dict[str, Any]]) -> None:
    html = pages[GLOSSARY_PAGE]
    entries = [part for part in re.split(r'(?=<dt id="term-)', html)[1:] if "<dd" in part]
    assert len(concepts) == len(entries) > 0
    for concept in concepts:
        assert concept["@id"].startswith(GLOSSARY_PAGE + "#term-")
        assert concept["skos:definition"]["@value"].strip()
        assert f'id="{concept["@id"].split("#")[1]}"' in html


def test_glossary_page_links_the_export_and_lists_usage(pages: dict[str, str]) -> None:
    html = pages[GLOSSARY_PAGE]
    assert 'href="../begrippen.jsonld"' in html
    assert "Gebruikt in:" in html


def test_a_requirement_links_its_terms(pages: dict[str, str]) -> None:
    requirement_bodies = [str(need) for html in pages.values()
                          for need in BeautifulSoup(html, "html.parser")
                          .select("div.rawa-need-eis .rawa-need-text")]
    assert requirement_bodies, "no requirement (eis) in the built site"
    assert any(AUTO_LINK.search(body) for body in requirement_bodies)


def test_every_automatic_link_has_a_target_and_a_tooltip(html_build: Path,
                                                        pages: dict[str, str]) -> None:
    defs = (html_build / "_static" / "rawa-terms-defs.js").read_text(encoding="utf-8")
    tooltips = json.loads(defs.split("window.RAWA_TERMS = ", 1)[1].rstrip().rstrip(";"))
    glossary = pages[GLOSSARY_PAGE]
    found = 0
    for name, html in pages.items():
        for href, _ in AUTO_LINK.findall(html):
            found += 1
            page, anchor = href.rsplit("#", 1)
            assert page.endswith("terminologie.html") or (name == GLOSSARY_PAGE and not page), \
                (name, href)
            assert f'id="{anchor}"' in glossary and anchor in tooltips, (name, href)
        if AUTO_LINK.search(html):
            assert "rawa-terms.js" in html and "rawa-terms-defs.js" in html
    assert found > 0


def test_no_automatic_link_in_headings_code_or_links(pages: dict[str, str]) -> None:
    for name, html in pages.items():
        for zone in re.findall(r"<h[1-6].*?</h[1-6]>|<pre.*?</pre>|<code.*?</code>|"
                               r"<figcaption.*?</figcaption>", html, re.S):
            assert "rawaterm" not in zone, (name, zone[:200])
