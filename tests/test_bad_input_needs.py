"""Editing slips in a need or a glossary entry fail the build with file and line.

Each ``tests/roots/test-bad-*`` project below holds one slip that MyST, sphinx-needs or
Sphinx would otherwise absorb: the build would pass with a wrong or missing value.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import STRICT, SUPPORT, expected_warnings

from rawa.terms.lookalike import skeleton

ROOTS = Path(__file__).parent / "roots"

# the roots with one slip each; their ``% expect`` lines say where and what
# (``test_expected_warnings.py`` checks those)
SLIP_ROOTS = ["bad-need-field-twice", "bad-need-field-wrapped", "bad-need-nested",
              "bad-need-field-hash", "bad-id-layer", "bad-impossible-date",
              "bad-withdrawn-principle", "bad-term-not-indented", "bad-term-field-misspelt",
              "bad-term-lookalike", "bad-need-yaml-twice", "bad-need-unclosed",
              "bad-withdrawn-no-status"]

NEW_CHECKS = ("[rawa.need_", "[rawa.term_")


@pytest.mark.parametrize("root", SLIP_ROOTS)
def test_slip_fails_the_strict_command_line(tmp_path: Path, root: str) -> None:
    """What a maintainer runs: non-zero exit, the located warning, no traceback."""
    src = tmp_path / root
    shutil.copytree(ROOTS / f"test-{root}", src)
    env = {**os.environ, "PYTHONPATH": str(SUPPORT)}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *STRICT, "-b", "html", str(src), str(tmp_path / "out")],
        capture_output=True, text=True, check=False, env=env, cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    lines = {e.line for e in expected_warnings(src) if e.line}
    assert all(f"{src}/index.md:{line}: WARNING: " in output for line in lines), output
    assert "Traceback" not in output and "Exception occurred" not in output, output


@pytest.mark.parametrize("root", [
    pytest.param(r, marks=pytest.mark.sphinx("html", testroot=r, freshenv=True))
    for r in ["minimal", "terms", "normative-ok"]])
def test_clean_sources_trip_no_slip_check(app: Any, root: str) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert not [w for w in warnings.splitlines() if any(c in w for c in NEW_CHECKS)], warnings


@pytest.mark.parametrize(("variant", "plain"), [
    ("toegangs\u00a0besluit", "toegangs besluit"),  # non-breaking space
    ("toegangs\u202fbesluit", "toegangs besluit"),  # narrow non-breaking space
    ("toeg\u0430ngsbesluit", "toegangsbesluit"),  # Cyrillic a
    ("t\u043eegangsbesluit", "toegangsbesluit"),  # Cyrillic o
    ("toegangsb\u0435sluit", "toegangsbesluit"),  # Cyrillic e
    ("\u0440olicy", "policy"),  # Cyrillic er, looks like p
    ("toegangs\u200bbesluit", "toegangsbesluit"),  # zero-width space
    ("toegangsbes\u00adluit", "toegangsbesluit"),  # soft hyphen
    ("\uff54oegangsbesluit", "toegangsbesluit"),  # fullwidth t
    ("Toegangsbesluit", "toegangsbesluit"),
])
def test_lookalikes_share_a_skeleton(variant: str, plain: str) -> None:
    assert skeleton(variant) == skeleton(plain)


def test_different_terms_keep_different_skeletons() -> None:
    assert skeleton("toegangsbesluit") != skeleton("toegangsbesluiten")
    assert skeleton("café") != skeleton("cafe")
    assert skeleton("PDP") != skeleton("PEP")


def test_need_outside_the_toctree_stops_the_pdf_cleanly(tmp_path: Path) -> None:
    src = tmp_path / "orphan"
    shutil.copytree(ROOTS / "test-bad-need-orphan-page", src)
    env = {**os.environ, "PYTHONPATH": str(SUPPORT)}
    result = subprocess.run([sys.executable, "-m", "sphinx", *STRICT, "-b", "latex", str(src),
                             str(tmp_path / "latex")], capture_output=True, text=True,
                            check=False, env=env, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    (line,) = [e.line for e in expected_warnings(src)]
    assert "de PDF-editie is niet gemaakt" in output and f"wees.md:{line}: WARNING" in output
    assert "Traceback" not in output and "NoUri" not in output, output
