"""Shared fixtures: one build of the real publication per test run, test roots."""
# ruff: noqa: I001

from __future__ import annotations

# regopy first, before anything loads NumPy (the `formulas` engine of the workbook tests
# does, at collection time): rego-cpp's shared library and NumPy's bundled native
# libraries corrupt each other's heap when NumPy is loaded first ("double free or
# corruption", then the whole test run aborts). Loaded in this order, both work.
import regopy  # noqa: F401  (isort: this must stay first)

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUPPORT = Path(__file__).parent / "support"

pytest_plugins = ("sphinx.testing.fixtures", "rawa_browser")

IN_CI = os.environ.get("CI", "").lower() == "true"
# Sphinx colours its output when CI=true; tests read build logs as plain text
os.environ["NO_COLOR"] = "1"

# Builds in the tests are dated like `make html` dates them: by the last commit.
if "SOURCE_DATE_EPOCH" not in os.environ:
    _last_commit = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True,
                                  text=True, check=False, cwd=ROOT).stdout.strip()
    if _last_commit:
        os.environ["SOURCE_DATE_EPOCH"] = _last_commit

STRICT = ["-W", "--keep-going", "-n", "-T"]


def require_tools(*commands: str) -> None:
    """Skip when a system tool is missing on a developer machine; fail under CI."""
    absent = [c for c in commands if shutil.which(c) is None]
    if not absent:
        return
    reason = f"system tool(s) missing: {', '.join(absent)} (see README, 'make latexpdf')"
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def sphinx_build(
    builder: str,
    outdir: Path,
    srcdir: Path = ROOT / "source",
    confdir: Path = ROOT,
    extra: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Run sphinx-build strictly, the way the Makefile does."""
    cmd = [sys.executable, "-m", "sphinx", *STRICT, "-c", str(confdir), "-b", builder,
           *extra, str(srcdir), str(outdir)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where sphinx.testing finds the test projects (``@pytest.mark.sphinx(testroot=...)``)."""
    os.environ.setdefault("RAWA_ROOT", str(ROOT))
    return ROOT / "tests" / "roots"


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


def warnings_at(warnings: str, root: str, line: int, expected: str) -> list[str]:
    """The warnings located at ``<root>/index.md:<line>`` that contain ``expected``."""
    located = re.compile(rf"{re.escape(root)}/index\.md:{line}: (WARNING|ERROR): ")
    return [w for w in warnings.splitlines() if located.search(w) and expected in w]


@pytest.fixture(scope="session")
def html_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real publication, built once as HTML with the strict options."""
    out = tmp_path_factory.mktemp("html")
    result = sphinx_build("html", out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    build_log(out).write_text(result.stdout + result.stderr, encoding="utf-8")
    return out


def build_log(out: Path) -> Path:
    """Where the ``html_build`` fixture keeps what the build printed."""
    return out.with_name(out.name + ".log")


@pytest.fixture(scope="session")
def needs_json(html_build: Path) -> dict[str, Any]:
    """The needs of the current version in the built needs.json."""
    data = json.loads((html_build / "needs.json").read_text(encoding="utf-8"))
    return data["versions"][data["current_version"]]["needs"]


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real publication built as PDF (LaTeX + latexmk), once per run."""
    require_tools("latexmk", "xelatex", "xindy", "epstopdf", "gs", "pdftotext", "pdffonts")
    out = tmp_path_factory.mktemp("latex")
    result = sphinx_build("latex", out)
    assert result.returncode == 0, result.stderr[-5000:]
    make = subprocess.run(
        ["make", "-C", str(out), "LATEXMKOPTS=-halt-on-error -interaction=nonstopmode",
         "all-pdf"], capture_output=True, text=True, check=False,
    )
    assert make.returncode == 0, make.stdout[-5000:]
    yield out / "rawa.pdf"
