"""The term tooltip in a real (headless) browser, opened from file://.

Checks WCAG 1.4.13 and 4.1.2 behaviour: the tooltip opens on keyboard focus and on
hover, is a ``role="tooltip"`` element the link points at with ``aria-describedby``,
closes on Escape without moving focus, and stays open while the pointer is on it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import require_tools

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LINK = "a.reference:has(> .rawaterm)"


def _sync_playwright() -> Any:
    require_tools("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # a pinned test dependency: missing means a broken venv
        pytest.fail("the Python package playwright is not installed (see requirements.lock)")
    return sync_playwright


@pytest.fixture
def site(make_app: Callable[..., Any], tmp_path: Path, rootdir: Path) -> Path:
    srcdir = tmp_path / "terms"
    shutil.copytree(rootdir / "test-terms", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    return Path(app.outdir)


def test_tooltip_works_with_keyboard_and_pointer_from_file_url(site: Path) -> None:
    sync_playwright = _sync_playwright()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page()
        page.goto((site / "langste.html").as_uri())
        link = page.locator(LINK).first
        tooltip = page.locator("[role=tooltip]")

        link.focus()
        assert tooltip.is_visible()
        assert link.get_attribute("aria-describedby") == tooltip.get_attribute("id")
        assert "Voorziening die verzoeken" in tooltip.inner_text()  # API-gateway

        page.keyboard.press("Escape")
        assert not tooltip.is_visible()
        assert link.get_attribute("aria-describedby") is None
        assert page.evaluate("document.activeElement.querySelector('.rawaterm') !== null")

        page.mouse.move(0, 0)
        link.hover()
        assert tooltip.is_visible()
        box = tooltip.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + 5, box["y"] + 5, steps=5)  # onto the tooltip itself
        page.wait_for_timeout(600)
        assert tooltip.is_visible()
        page.mouse.move(0, 0)
        page.wait_for_timeout(600)
        assert not tooltip.is_visible()
        browser.close()
