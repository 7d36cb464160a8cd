"""Bad input: each way a maintainer can break a source fails with file and line.

Every ``tests/roots/test-bad-*`` project holds one kind of mistake. This module covers
the metamodel (IDs, links, fields, values), diagrams, glossary terms, links, images,
MyST syntax, unknown directives and undeclared fields; the normative keywords have
their own module (``test_normative_roots.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import STRICT, SUPPORT, expected_warnings

ROOTS = Path(__file__).parent / "roots"
#: The kinds of broken input the issue asks for, at the least.
MINIMUM_KINDS = 15


def test_corpus_has_enough_kinds_and_each_is_tested() -> None:
    """Each root is tested by ``test_expected_warnings.py`` through its ``% expect`` lines."""
    roots = sorted(p.name.removeprefix("test-") for p in ROOTS.glob("test-bad-*"))
    assert len(roots) >= MINIMUM_KINDS, roots
    untested = [r for r in roots if not expected_warnings(ROOTS / f"test-{r}")]
    assert not untested, f"bad-input roots without '% expect' lines: {untested}"


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
    (line,) = [e.line for e in expected_warnings(src)]
    assert f"{src}/index.md:{line}: WARNING: term not in glossary: 'sleutelbos'" in output, output
    assert "Traceback" not in output and "Exception occurred" not in output, output
