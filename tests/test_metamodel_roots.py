"""The metamodel on small projects: every kind of violation fails with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Build, warnings_at

ROOTS = Path(__file__).parent / "roots"



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
    assert warnings_at(warnings, root, line, expected), (
        f"no warning at index.md:{line} containing {expected!r}:\n{warnings}")
    assert "Traceback" not in warnings
