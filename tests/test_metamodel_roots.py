"""The metamodel on a small valid project (its violations are in ``test_bad_input.py``)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.sphinx("html", testroot="minimal", freshenv=True)
def test_minimal_root_builds_without_warnings(app: Any) -> None:
    app.build()
    assert app.warning.getvalue().strip() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'id="EIS-TST-01"' in html and 'id="PRI-B1"' in html
