"""Bad input: each way a maintainer can break a source fails with file and line.

Every ``tests/roots/test-bad-*`` project holds one kind of mistake. This module covers
the metamodel (IDs, links, fields, values), diagrams, glossary terms, links, images,
MyST syntax, unknown directives and undeclared fields; the normative keywords have
their own module (``test_normative_roots.py``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import STRICT, SUPPORT, Build, warnings_at

from rawa import SETUP_ORDER

ROOTS = Path(__file__).parent / "roots"
# Sphinx' glossary under MyST reports a duplicate term a few lines early (at line 6);
# rawa.terms replaces the glossary directive and reports the real line.
DUPLICATE_TERM_LINE = 10 if "rawa.terms" in SETUP_ORDER else 6

# root name, line of the mistake, text the warning must contain
BAD_INPUT = [
    # the metamodel: IDs, links, fields, values, and diagrams
    ("bad-duplicate-id", 13, "A need with ID 'PRI-B1' already exists"),
    ("bad-unknown-link", 3, "unknown outgoing link 'PRI-B9'"),
    ("bad-link-type", 11, "target need type 'standaard' is not one of 'principe'"),
    ("bad-missing-field", 3, '"rationale" is a required property'),
    ("bad-enum-value", 3, "veld 'groep': \"Overig\" is not one of"),
    ("bad-id-pattern", 3, "does not match \"^EIS-"),
    ("bad-plantuml-syntax", 3, "error while running plantuml"),
    # everything else a maintainer can break
    ("bad-missing-diagram", 3, 'PlantUML file "bestaat-niet.puml" cannot be read'),
    ("bad-unknown-term", 5, "term not in glossary: 'sleutelbos'"),
    ("bad-duplicate-term", DUPLICATE_TERM_LINE, "duplicate term description of toegangsbesluit"),
    ("bad-broken-doc-link", 3, "cross-reference target not found: 'logging.md'"),
    ("bad-missing-image", 5, "image file not readable: plaatjes/gateway.png"),
    ("bad-myst-directive", 4, "Unknown option key: 'kleur'"),
    ("bad-unknown-need-type", 3, "Unknown directive type: 'anforderung'"),
    ("bad-broken-ref", 6, "undefined label: 'sec-bestaat-niet'"),
    ("bad-broken-ref", 6, "undefined label: 'fig-bestaat-niet'"),
    ("bad-undeclared-field", 3, "Field 'niveau' is not declared on need type 'principe'"),
    ("bad-toctree-missing-doc", 3,
     "toctree contains reference to nonexisting document 'hoofdstuk-bestaat-niet'"),
]
#: The kinds of broken input the issue asks for, at the least.
MINIMUM_KINDS = 15


@pytest.mark.parametrize(("root", "line", "expected"), BAD_INPUT,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_INPUT)])
def test_bad_input_names_file_and_line(build_root: Build, root: str, line: int,
                                       expected: str) -> None:
    _, warnings = build_root(root)
    assert warnings_at(warnings, root, line, expected), (
        f"no warning at index.md:{line} containing {expected!r}:\n{warnings}")
    assert "Traceback" not in warnings


def test_corpus_has_enough_kinds_and_each_is_tested() -> None:
    roots = sorted(p.name.removeprefix("test-") for p in ROOTS.glob("test-bad-*"))
    assert len(roots) >= MINIMUM_KINDS, roots
    tests = "\n".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("*.py"))
    untested = [r for r in roots if not re.search(rf"[\"'/-]{re.escape(r)}[\"']", tests)]
    assert not untested, f"bad-input roots without a test: {untested}"


def test_sphinx_build_cli_fails_cleanly_on_bad_input(tmp_path: Path) -> None:
    """The real command line a maintainer runs: non-zero exit, location, no traceback."""
    src = tmp_path / "bad-unknown-term"
    shutil.copytree(ROOTS / "test-bad-unknown-term", src)
    env = {**os.environ, "PYTHONPATH": str(SUPPORT)}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *STRICT, "-b", "html", str(src), str(tmp_path / "out")],
        capture_output=True, text=True, check=False, env=env, cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"{src}/index.md:5: WARNING: term not in glossary: 'sleutelbos'" in output, output
    assert "Traceback" not in output and "Exception occurred" not in output, output
