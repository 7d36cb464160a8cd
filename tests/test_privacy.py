"""Privacy: the published site loads nothing from anywhere but itself.

Two independent gates on the session's HTML build:

* at run time, every page is opened in headless Chromium with all requests whose
  host is not the local test server aborted and recorded (``rawa_browser``);
* statically, every built HTML, CSS and JavaScript file is scanned for references
  to external scripts, styles, fonts, images and frames.

Plain ``<a href="https://...">`` links are navigation, not requests, and allowed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rawa_browser import PAGES, Site

#: An absolute or protocol-relative URL: the browser would fetch it from another host.
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
#: Elements whose URL attributes make the browser fetch something by itself.
FETCHING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
#: ``<link rel=...>`` kinds that fetch their ``href`` (``canonical``, ``next`` etc. do not).
FETCHING_LINK_RELS = {"stylesheet", "preload", "prefetch", "preconnect", "dns-prefetch",
                      "icon", "shortcut", "apple-touch-icon", "manifest", "modulepreload",
                      "mask-icon"}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.IGNORECASE)
JS_URL = re.compile(r"""["'`]((?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^"'`\s]*)""", re.IGNORECASE)
#: URLs inside bundled JavaScript that are never requested: licence headers,
#: documentation links, XML namespace identifiers and the "Created using Sphinx"
#: link text in Sphinx' translations.
JS_NOT_REQUESTS = re.compile(
    r"^(?:https?:)?//(?:www\.w3\.org/|github\.com/|jquery\.(?:org|com)/|"
    r"(?:www\.)?(?:opensource\.org|mozilla\.org|bugzilla\.mozilla\.org|"
    r"developer\.mozilla\.org|bugs\.jquery\.com|sizzlejs\.com|fb\.me|reactjs\.org|"
    r"popper\.js\.org|getbootstrap\.com|fontawesome\.com|bugs\.chromium\.org|"
    r"crbug\.com|html\.spec\.whatwg\.org|tc39\.es|stackoverflow\.com|"
    r"www\.sphinx-doc\.org)\b)",
    re.IGNORECASE,
)


class _ExternalRefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        names = list(FETCHING.get(tag, ()))
        if tag == "link" and set(values.get("rel", "").lower().split()) & FETCHING_LINK_RELS:
            names.append("href")
        for name in names:
            for url in re.split(r",\s*", values.get(name, "")):
                if EXTERNAL.match(url):
                    self.found.append(f"<{tag} {name}={url.strip()!r}>")
        style = values.get("style", "")
        self.found.extend(f"style url {u}" for u in CSS_URL.findall(style) if EXTERNAL.match(u))
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.found.extend(f"<style> {u}" for u in CSS_URL.findall(data) if EXTERNAL.match(u))


def external_references_in_html(html: str) -> list[str]:
    parser = _ExternalRefs()
    parser.feed(html)
    return parser.found


def external_references_in_css(css: str) -> list[str]:
    return [u for u in CSS_URL.findall(css) if EXTERNAL.match(u)]


def external_references_in_js(js: str) -> list[str]:
    return sorted({u for u in JS_URL.findall(js) if not JS_NOT_REQUESTS.match(u)})


def test_scanner_finds_every_kind_of_external_reference() -> None:
    """The static scan below can fail: it recognises each pattern it is meant to catch."""
    html = (
        '<html><head><link rel="stylesheet" href="https://cdn.example.org/a.css">'
        '<link rel="preload" href="//fonts.example.org/f.woff2">'
        '<link rel="canonical" href="https://example.org/page.html">'
        '<script src="https://cdn.example.org/a.js"></script>'
        '<style>@import "https://fonts.example.org/css";</style></head>'
        '<body><img src="http://example.org/i.png"><iframe src="https://v.example.org/">'
        '</iframe><a href="https://example.org/">navigation is fine</a>'
        '<img src="../_images/local.svg"></body></html>'
    )
    found = external_references_in_html(html)
    assert len(found) == 6, found
    assert external_references_in_css("a{background:url('https://x.example.org/b.png')}")
    assert external_references_in_css("@font-face{src:url(//x.example.org/f.woff)}")
    assert not external_references_in_css("a{background:url(../img/b.png)}")
    assert external_references_in_js('load("https://cdn.jsdelivr.net/npm/mathjax@4/x.js")')
    assert not external_references_in_js('// see "https://github.com/x/y"')


def _built_files(site: Path, suffix: str) -> list[Path]:
    return sorted(p for p in site.rglob(f"*{suffix}") if ".doctrees" not in p.parts)


def test_html_references_nothing_external(html_build: Path) -> None:
    problems = {
        p.relative_to(html_build).as_posix(): refs
        for p in _built_files(html_build, ".html")
        if (refs := external_references_in_html(p.read_text(encoding="utf-8")))
    }
    assert not problems, problems


def test_css_references_nothing_external(html_build: Path) -> None:
    problems = {
        p.relative_to(html_build).as_posix(): refs
        for p in _built_files(html_build, ".css")
        if (refs := external_references_in_css(p.read_text(encoding="utf-8")))
    }
    assert not problems, problems


def test_javascript_references_nothing_external(html_build: Path) -> None:
    """Heuristic: absolute URLs in bundled scripts (e.g. a CDN default for MathJax)."""
    problems = {
        p.relative_to(html_build).as_posix(): refs
        for p in _built_files(html_build, ".js")
        if (refs := external_references_in_js(p.read_text(encoding="utf-8", errors="replace")))
    }
    assert not problems, problems


SVG_FETCH = re.compile(r'<(?:image|use|feImage)\b[^>]*?\bhref="([^"]+)"', re.IGNORECASE)


def test_svg_diagrams_reference_nothing_external(html_build: Path) -> None:
    """PlantUML SVGs may not pull images, fonts or styles from elsewhere."""
    problems = {}
    for p in _built_files(html_build, ".svg"):
        text = p.read_text(encoding="utf-8", errors="replace")
        refs = [u for u in SVG_FETCH.findall(text) if EXTERNAL.match(u)]
        refs += external_references_in_css(text)
        if refs:
            problems[p.relative_to(html_build).as_posix()] = refs
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.parametrize("rel", PAGES)
def test_page_makes_no_request_outside_the_site(served_site: Site, rel: str) -> None:
    page = served_site.open(rel)
    # scroll to the end so that lazily loaded images and fonts are requested too
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert served_site.blocked.get(rel) == [], served_site.blocked.get(rel)


@pytest.mark.browser
def test_request_guard_blocks_and_records_outside_requests(served_site: Site) -> None:
    """The run-time gate can fail: a request to another host is aborted and recorded.

    The HTML pages' Content-Security-Policy already stops such a request in the browser
    (tests/test_safety.py), so the gate is tried on a served text file, which has no policy.
    """
    page = served_site.open("termen-rapport.txt")
    page.evaluate("""() => new Promise(done => { const i = new Image();
        i.onerror = i.onload = () => done(); i.src = 'https://tracker.example.org/p.gif'; })""")
    assert served_site.blocked["termen-rapport.txt"] == ["https://tracker.example.org/p.gif"]
    served_site.blocked["termen-rapport.txt"] = []
