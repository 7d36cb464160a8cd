"""The metamodel on small projects: every kind of violation fails with file and line."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOTS = Path(__file__).parent / "roots"

Build = Callable[[str], tuple[Any, str]]


@pytest.fixture
def build_root(make_app: Callable[..., Any], tmp_path: Path, rootdir: Path) -> Build:
    """Build ``tests/roots/test-<name>`` as HTML; return the app and its warnings."""

    def build(name: str) -> tuple[Any, str]:
        srcdir = tmp_path / name
        shutil.copytree(rootdir / f"test-{name}", srcdir)
        app = make_app("html", srcdir=srcdir, freshenv=True)
        app.build()
        return app, app.warning.getvalue()

    return build


def test_minimal_root_builds_without_warnings(build_root: Build) -> None:
    app, warnings = build_root("minimal")
    assert warnings.strip() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'id="EIS-TST-01"' in html and 'id="PRI-B1"' in html


# root name, line of the offending need or directive, text the warning must contain
BAD_INPUT = [
    ("bad-duplicate-id", 13, "A need with ID 'PRI-B1' already exists"),
    ("bad-unknown-link", 3, "unknown outgoing link 'PRI-B9'"),
    ("bad-link-type", 11, "target need type 'standaard' is not one of 'principe'"),
    ("bad-missing-field", 3, '"rationale" is a required property'),
    ("bad-enum-value", 3, "veld 'groep': \"Overig\" is not one of"),
    ("bad-id-pattern", 3, "does not match \"^EIS-"),
    ("bad-plantuml-syntax", 3, "error while running plantuml"),
]


@pytest.mark.parametrize(("root", "line", "expected"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_names_file_and_line(build_root: Build, root: str, line: int,
                                       expected: str) -> None:
    _, warnings = build_root(root)
    located = re.compile(rf"{re.escape(root)}/index\.md:{line}: (WARNING|ERROR): ")
    matching = [w for w in warnings.splitlines() if located.search(w) and expected in w]
    assert matching, f"no warning at index.md:{line} containing {expected!r}:\n{warnings}"
    assert "Traceback" not in warnings
