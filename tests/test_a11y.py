"""Accessibility of every built page: axe-core (WCAG 2.2 A/AA) and keyboard use.

axe-core comes pinned inside the ``axe-playwright-python`` wheel (see pyproject.toml)
and runs in Debian's headless Chromium against the session's HTML build, served on
127.0.0.1. No axe rule is disabled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rawa_browser import PAGES, Site, redirect_pages, site_pages

pytestmark = pytest.mark.browser

#: WCAG 2.0, 2.1 and 2.2, levels A and AA (the level of EN 301 549 plus 2.2's additions).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TERM_LINK = "a.reference .std-term"


def test_every_built_page_is_checked(html_build: Path) -> None:
    """No HTML page escapes the checks below (they are parametrised from the sources)."""
    assert set(site_pages(html_build)) <= set(PAGES), set(site_pages(html_build)) - set(PAGES)


def test_every_page_with_content_is_marked_as_dutch(html_build: Path) -> None:
    """WCAG 3.1.1: screen readers pick the language from ``<html lang>``.

    permalink.html is sphinx-needs' content-free redirect (``permalink.html?id=...``).
    """
    wrong = [rel for rel in site_pages(html_build) if rel != "permalink.html"
             and '<html lang="nl"' not in (html_build / rel).read_text(encoding="utf-8")]
    assert not wrong, wrong


def test_redirect_pages_work_without_javascript(html_build: Path) -> None:
    """Forwarding stubs are not checked by axe (the browser leaves them at once), so check
    here what a reader without automatic forwarding needs: language, title and a link."""
    problems = []
    for rel in redirect_pages(html_build):
        page = html_build / rel
        html = page.read_text(encoding="utf-8")
        title = re.search(r"<title>\s*(\S[^<]*)</title>", html)
        link = re.search(r'<body>.*?<a href="([^"#]+)(?:#[^"]*)?">\s*\S', html, re.S)
        if '<html lang="nl"' not in html or not title or not link:
            problems.append(f"{rel}: needs lang=nl, a title and a visible link")
        elif not (page.parent / link.group(1)).is_file():
            problems.append(f"{rel}: link to missing {link.group(1)}")
    assert not problems, problems


def _axe(site: Site, options: dict[str, object]) -> str:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(site.page, options={**options, "resultTypes": ["violations"]})
    return "" if results.violations_count == 0 else results.generate_report()


# Only colours change in the dark mode, so only axe's colour rules run there again: links
# told apart from their text on every page, contrast on pages that show every colour pair.

#: The colours a reader sees in the dark mode, per page: for every visible element with
#: text, its colour, the backgrounds of its ancestors up to the first opaque one, whether
#: it is large text, its opacity, its text shadow and, for a link, the colour of the text
#: around it. These are what axe's contrast rule compares. Not seen: a background painted by
#: an element that is not an ancestor (something positioned over the text), which axe finds
#: by what is drawn at that spot; on these pages text sits on its ancestors' backgrounds.
DARK_COLOURS_JS = """() => {
  const backgrounds = new Map();
  const behind = (el) => {
    if (!el) return 'canvas';
    if (backgrounds.has(el)) return backgrounds.get(el);
    const s = getComputedStyle(el);
    const own = s.backgroundColor + (s.backgroundImage !== 'none' ? ' ' + s.backgroundImage : '');
    const opaque = /^rgb\\(/.test(s.backgroundColor) || s.backgroundImage !== 'none';
    const result = s.backgroundColor === 'rgba(0, 0, 0, 0)' && s.backgroundImage === 'none'
      ? behind(el.parentElement) : (opaque ? own : own + ' over ' + behind(el.parentElement));
    backgrounds.set(el, result);
    return result;
  };
  const opacities = new Map();
  const opacity = (el) => {
    if (!el) return 1;
    if (!opacities.has(el))
      opacities.set(el, parseFloat(getComputedStyle(el).opacity) * opacity(el.parentElement));
    return opacities.get(el);
  };
  const pairs = new Set();
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || seen.has(el) || !walker.currentNode.nodeValue.trim()) continue;
    if (!el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    if (s.visibility !== 'visible') continue;
    seen.add(el);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight, 10) >= 700;
    const large = size >= 24 || (size >= 18.66 && bold);
    const link = el.closest('a');
    const around = link && link.parentElement ? getComputedStyle(link.parentElement).color
      + ' ' + getComputedStyle(link).textDecorationLine : '';
    pairs.add([s.color, behind(el), large, opacity(el).toFixed(2), s.textShadow, around]
      .join(' | '));
  }
  return {pairs: [...pairs], elements: seen.size};
}"""


@dataclass(frozen=True)
class DarkColours:
    """A page's colour pairs in the dark mode, and its number of elements with text (what
    axe's colour rules take time for)."""

    pairs: frozenset[str]
    elements: int


#: per page, gathered while each page is open anyway
DARK_COLOURS: dict[str, DarkColours] = {}


#: switch to the dark mode and wait until the theme's colour transitions have ended: the
#: colours are read (and axe runs) on the final colours, however busy the machine is
SWITCH_TO_DARK_JS = """async () => {
  document.documentElement.dataset.theme = 'dark';
  document.documentElement.dataset.mode = 'dark';
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  await Promise.all(document.getAnimations()
    .filter(a => a instanceof CSSTransition).map(a => a.finished));
}"""


def _dark_mode(site: Site) -> DarkColours:
    """Switch the open page to the dark mode; return its colours there."""
    site.page.evaluate(SWITCH_TO_DARK_JS)
    found = site.page.evaluate(DARK_COLOURS_JS)
    return DarkColours(frozenset(found["pairs"]), found["elements"])


@pytest.mark.parametrize("rel", PAGES)
def test_page_has_no_wcag_violations(served_site: Site, rel: str) -> None:
    """All WCAG 2.x A/AA rules in the light mode; in the dark mode, links told apart from
    their text, and the page's colours noted for the contrast check below."""
    served_site.open(rel)
    light = _axe(served_site, {"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert light == "", f"{rel} (light mode):\n{light}"
    DARK_COLOURS[rel] = _dark_mode(served_site)
    assert DARK_COLOURS[rel].pairs, f"{rel}: no text found in the dark mode"
    links = _axe(served_site, {"runOnly": {"type": "rule", "values": ["link-in-text-block"]}})
    assert links == "", f"{rel} (dark mode):\n{links}"


def covering_pages(colours: dict[str, DarkColours]) -> list[str]:
    """Pages that together show every colour pair: each next page adds the most new pairs
    per element with text (greedy set cover), so small pages are preferred."""
    left = set().union(*(c.pairs for c in colours.values()))
    chosen: list[str] = []
    while left:
        best = max(sorted(colours), key=lambda rel: (
            len(colours[rel].pairs & left) / max(colours[rel].elements, 1),
            len(colours[rel].pairs & left)))
        chosen.append(best)
        left -= colours[best].pairs
    return chosen


def test_covering_pages_show_every_pair_and_prefer_small_pages() -> None:
    def page(pairs: str, elements: int) -> DarkColours:
        return DarkColours(frozenset(pairs), elements)

    big = {"groot.html": page("abcd", 400), "klein.html": page("ab", 10),
           "ander.html": page("cd", 20), "nog.html": page("e", 5)}
    assert covering_pages(big) == ["klein.html", "nog.html", "ander.html"]
    assert covering_pages({"a.html": page("x", 10), "b.html": page("xy", 10)}) == ["b.html"]
    assert covering_pages({"alleen.html": page("xyz", 900)}) == ["alleen.html"]
    assert covering_pages({}) == []


def test_dark_mode_colours_pass_on_pages_that_show_every_colour_pair(served_site: Site) -> None:
    """The dark mode changes only colours. axe's contrast rule runs in the dark mode on
    pages that together show every colour pair of every page (gathered above), not on all
    of them: the large pages (all requirements, the glossary) show no pair of their own
    and took a minute in the dark mode alone. A new pair on any page adds that page."""
    for rel in PAGES:
        if rel not in DARK_COLOURS:  # the test above did not run for it (pytest -k ...)
            served_site.open(rel)
            DARK_COLOURS[rel] = _dark_mode(served_site)
    chosen = covering_pages(DARK_COLOURS)
    every_pair = set().union(*(c.pairs for c in DARK_COLOURS.values()))
    assert set().union(*(DARK_COLOURS[rel].pairs for rel in chosen)) == every_pair
    failures = []
    for rel in chosen:
        served_site.open(rel)
        assert _dark_mode(served_site) == DARK_COLOURS[rel], f"{rel} changed between visits"
        dark = _axe(served_site, {"runOnly": {"type": "rule", "values": ["color-contrast"]}})
        if dark:
            failures.append(f"{rel} (dark mode):\n{dark}")
    assert not failures, "\n".join(failures)


def _focused(site: Site) -> dict[str, object]:
    return site.page.evaluate(
        """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
        return {tag: e.tagName, cls: e.className, href: e.getAttribute('href') || '',
                text: (e.innerText || e.getAttribute('aria-label') || '').trim(),
                inNav: !!e.closest('nav'), x: r.x, y: r.y, w: r.width, h: r.height,
                vw: window.innerWidth}; }"""
    )


def test_first_tab_is_a_working_skip_link(served_site: Site) -> None:
    page = served_site.open("normatief/index.html")
    page.keyboard.press("Tab")
    first = _focused(served_site)
    assert first["tag"] == "A" and str(first["href"]).startswith("#"), first
    assert first["w"] and first["h"], f"skip link is focused but not visible: {first}"
    target = str(first["href"])[1:]
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == f"#{target}"
    assert page.evaluate(
        "(id) => document.getElementById(id).contains(document.activeElement) || "
        "document.activeElement === document.getElementById(id) || "
        "document.activeElement === document.body", target)


def test_navigation_is_reachable_by_tab_and_focus_stays_visible(served_site: Site) -> None:
    """Tabbing from the top reaches the site navigation; no focus stop is off-screen."""
    page = served_site.open("index.html")
    seen: list[dict[str, object]] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        here = _focused(served_site)
        if here["tag"] == "BODY":
            break
        seen.append(here)
    nav_links = [f for f in seen if f["inNav"] and f["tag"] == "A"]
    assert nav_links, f"no navigation link reachable by Tab: {seen[:15]}"
    hrefs = {str(f["href"]) for f in nav_links}
    assert any("normatief/index.html" in h for h in hrefs), hrefs
    hidden = [f for f in seen if not f["w"] or not f["h"]
              or float(f["x"]) + float(f["w"]) <= 0 or float(f["x"]) >= float(f["vw"])]
    assert not hidden, f"focus went to elements that are not visible: {hidden}"


def _pages_with_term_links(site_root: Path) -> list[str]:
    found = []
    for rel in site_pages(site_root):
        html = (site_root / rel).read_text(encoding="utf-8")
        if re.search(r'<a class="reference[^"]*"[^>]*>\s*<span class="[^"]*std-term', html):
            found.append(rel)
    return found


def test_term_tooltip_opens_on_focus_and_closes_with_escape(served_site: Site) -> None:
    pages = [p for p in _pages_with_term_links(served_site.root)
             if p != "bijlagen/terminologie.html"]
    if not pages:
        pytest.skip("the publication has no term links yet (term linker not merged)")
    for rel in pages[:3]:
        page = served_site.open(rel)
        link = page.locator(TERM_LINK).first.locator("xpath=ancestor::a[1]")
        link.focus()
        tooltip = page.locator("[role=tooltip]:visible")
        tooltip.first.wait_for(state="visible", timeout=3000)
        assert tooltip.first.inner_text().strip(), f"{rel}: empty tooltip"
        page.keyboard.press("Escape")
        page.locator("[role=tooltip]").first.wait_for(state="hidden", timeout=3000)
        assert link.evaluate("e => e === document.activeElement"), f"{rel}: focus lost"


def test_accessibility_statement_names_what_was_tested(html_build: Path) -> None:
    """The statement is published and names the axe-core version these tests really use."""
    import axe_playwright_python

    bundled = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(
        encoding="utf-8")[:200]
    version = re.search(r"axe v(\d+\.\d+\.\d+)", bundled)
    assert version, bundled
    html = (html_build / "bijlagen" / "toegankelijkheid.html").read_text(encoding="utf-8")
    for needed in ("Nalevingsstatus", f"axe-core {version.group(1)}", "WCAG 2.2",
                   "HTML-editie is de toegankelijke editie", "Een probleem melden"):
        assert needed in html, needed
