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

import pytest
from conftest import STRICT, SUPPORT, Build, warnings_at

from rawa.terms.lookalike import skeleton

ROOTS = Path(__file__).parent / "roots"

# root name, line of the slip, Dutch text the warning must contain
BAD_NEEDS = [
    ("bad-need-field-twice", 8, "veld ':toetsing:' staat twee keer in deze need (ook op regel 6)"),
    ("bad-need-field-wrapped", 9, "de waarde van ':rationale:' stopt op de regel erboven"),
    ("bad-need-nested", 12, "need EIS-TST-01 staat binnen need PRI-B1"),
    ("bad-need-field-hash", 7, "'#' in de veldregel ':rationale: Zie maatregel #4 in de BIO.'"),
    ("bad-id-layer", 14,
     "een ID dat begint met GEM-INF hoort bij gemma_laag 'informatiearchitectuur'"),
    ("bad-impossible-date", 3, "veld 'peildatum': \"2025-02-29\" is not a \"date\" "
     "(geen bestaande datum"),
    ("bad-withdrawn-principle", 14,
     "via EIS-TST-01 > vervult > PRI-B1: veld 'status': \"vervallen\""),
    ("bad-withdrawn-principle", 14, "'vervult' wijst naar een object met status 'vervallen'"),
    ("bad-term-not-indented", 8, "begrip 'toegangsbesluit' heeft geen definitie: de regel "
     "'De uitkomst van een beslissing over toegang.' staat niet ingesprongen"),
    ("bad-term-field-misspelt", 8,
     "onbekend veld ':Varianen:' bij een begrip. Bedoelt u ':Varianten:'?"),
    ("bad-term-lookalike", 13, "U+00A0 NO-BREAK SPACE"),
    ("bad-term-lookalike", 16, "U+0430 CYRILLIC SMALL LETTER A"),
    ("bad-need-yaml-twice", 11, "veld 'rationale' staat twee keer in het blok tussen '---' "
     "(ook op regel 8)"),
    ("bad-need-unclosed", 3, "need PRI-B1 heeft geen sluitregel"),
    ("bad-withdrawn-no-status", 13, "'vervult' wijst naar een object met status 'vervallen'"),
]

NEW_CHECKS = ("[rawa.need_", "[rawa.term_")


@pytest.mark.parametrize(("root", "line", "expected"), BAD_NEEDS,
                         ids=[f"{b[0]}-{b[1]}-{i}" for i, b in enumerate(BAD_NEEDS)])
def test_slip_names_file_and_line(build_root: Build, root: str, line: int,
                                  expected: str) -> None:
    _, warnings = build_root(root)
    assert warnings_at(warnings, root, line, expected), (
        f"no warning at index.md:{line} containing {expected!r}:\n{warnings}")
    assert "Traceback" not in warnings


@pytest.mark.parametrize("root", sorted({b[0] for b in BAD_NEEDS}))
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
    lines = {line for name, line, _ in BAD_NEEDS if name == root}
    assert all(f"{src}/index.md:{line}: WARNING: " in output for line in lines), output
    assert "Traceback" not in output and "Exception occurred" not in output, output


@pytest.mark.parametrize("root", ["minimal", "terms", "normative-ok"])
def test_clean_sources_trip_no_slip_check(build_root: Build, root: str) -> None:
    _, warnings = build_root(root)
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


def test_need_on_a_page_outside_the_toctree(build_root: Build) -> None:
    """An orphan page's need: reported at its line; the PDF build stops without a crash."""
    _, warnings = build_root("bad-need-orphan-page")
    expected = "need PRI-B1 staat op een pagina die in geen inhoudsopgave (toctree) staat"
    assert expected in warnings and "wees.md:6: WARNING" in warnings, warnings


def test_need_outside_the_toctree_stops_the_pdf_cleanly(tmp_path: Path) -> None:
    src = tmp_path / "orphan"
    shutil.copytree(ROOTS / "test-bad-need-orphan-page", src)
    env = {**os.environ, "PYTHONPATH": str(SUPPORT)}
    result = subprocess.run([sys.executable, "-m", "sphinx", *STRICT, "-b", "latex", str(src),
                             str(tmp_path / "latex")], capture_output=True, text=True,
                            check=False, env=env, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "de PDF-editie is niet gemaakt" in output and "wees.md:6: WARNING" in output
    assert "Traceback" not in output and "NoUri" not in output, output
