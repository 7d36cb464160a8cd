"""Pytest plugin: the built site served on 127.0.0.1 and one headless Chromium.

Used by the accessibility and privacy tests. The browser is Debian's ``chromium``
(``tools/ensure_system_deps.py browser``); Playwright never downloads one. Every
request whose host is not the local server is aborted and recorded, so a page
that tries to reach a CDN, a font service or an analytics host is caught.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

#: Chromium as root in a container; no background traffic of the browser itself.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def chromium_path() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _all_html(site: Path) -> list[Path]:
    skip = {"_static", "_sources", "_images", "_plantuml", ".doctrees"}
    return sorted(p for p in site.rglob("*.html") if not skip & set(p.relative_to(site).parts))


def is_redirect(page: Path) -> bool:
    """A stub that only forwards the reader (``<meta http-equiv="refresh">``)."""
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")[:2000]


def site_pages(site: Path) -> list[str]:
    """Every HTML page with content, relative to the site root, in a stable order."""
    return [p.relative_to(site).as_posix() for p in _all_html(site) if not is_redirect(p)]


def redirect_pages(site: Path) -> list[str]:
    """The forwarding stubs (e.g. stable ``id/<ID>.html`` links to needs)."""
    return [p.relative_to(site).as_posix() for p in _all_html(site) if is_redirect(p)]


def source_pages(root: Path) -> list[str]:
    """The HTML page of every source document, plus the pages Sphinx generates."""
    docs = sorted(
        p.relative_to(root / "source").with_suffix(".html").as_posix()
        for p in (root / "source").rglob("*.md")
        if p.name != "README.md"
    )
    # permalink.html: sphinx-needs' redirect page (permalink.html?id=EIS-...)
    return [*docs, "genindex.html", "search.html", "permalink.html"]


#: Known before the build, so the browser tests can be parametrised per page.
PAGES = source_pages(Path(__file__).resolve().parents[2])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@dataclass
class Site:
    """A served build and a browser page whose outside requests are blocked."""

    root: Path
    base: str
    page: Any
    #: URLs of blocked requests, per page path that was loaded when they happened
    blocked: dict[str, list[str]] = field(default_factory=dict)
    current: str = ""

    def open(self, rel: str) -> Any:
        """Load a page, wait until the network is idle and return the Playwright page."""
        self.current = rel
        self.blocked.setdefault(rel, [])
        self.page.goto(self.base + rel, wait_until="networkidle")
        return self.page


@pytest.fixture(scope="module")
def served_site(html_build: Path) -> Iterator[Site]:
    """The session's HTML build behind a loopback HTTP server, with one Chromium page.

    Module scope on purpose: the server thread and the browser connection must be gone
    before later tests fork (Sphinx' parallel reading), or the forked children can
    deadlock on a lock one of those threads held.
    """
    from conftest import require_tools

    require_tools(*[n for n in CHROMIUM_NAMES[:1]])
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(html_build))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS,
                                         headless=True)
            context = browser.new_context(service_workers="block", locale="nl-NL")
            context.set_default_timeout(30_000)
            site = Site(root=html_build, base=base, page=None)

            def guard(route: Any) -> None:
                url = route.request.url
                parts = urlsplit(url)
                if parts.scheme in ("data", "blob") or (
                    parts.hostname == "127.0.0.1" and parts.port == server.server_port
                ):
                    route.continue_()
                    return
                site.blocked.setdefault(site.current, []).append(url)
                route.abort()

            context.route("**/*", guard)
            site.page = context.new_page()
            yield site
            context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
