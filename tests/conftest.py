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
# The one opt-out for the PDF and browser tests on a machine without TeX Live or Chromium
# (`RAWA_SKIP_SYSTEM_TESTS=1 make test`). CI never sets it; under CI=true it is ignored.
SKIP_SYSTEM_TESTS = os.environ.get("RAWA_SKIP_SYSTEM_TESTS") == "1" and not IN_CI
# Sphinx colours its output when CI=true; tests read build logs as plain text
os.environ["NO_COLOR"] = "1"

# Builds in the tests are dated like `make html` dates them: by the last commit.
if "SOURCE_DATE_EPOCH" not in os.environ:
    _last_commit = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True,
                                  text=True, check=False, cwd=ROOT).stdout.strip()
    if _last_commit:
        os.environ["SOURCE_DATE_EPOCH"] = _last_commit

# Builds in the tests reuse rendered diagrams like `make html` does (rawa.plantuml_store);
# tests of PlantUML itself build with their own environment, without it.
os.environ.setdefault("RAWA_PLANTUML_STORE", str(ROOT / "_build" / "plantuml-store"))

STRICT = ["-W", "--keep-going", "-n", "-T"]


def require_tools(*commands: str) -> None:
    """Fail when a system tool is missing; skip only under ``RAWA_SKIP_SYSTEM_TESTS=1``.

    ``make test`` installs the tools first (``tools/ensure_system_deps.py``), like
    ``make html`` does, or stops with the install command.
    """
    absent = [c for c in commands if shutil.which(c) is None]
    if not absent:
        return
    reason = (f"system tool(s) missing: {', '.join(absent)}; run 'make test' (it installs "
              "them on Debian or prints the command), or set RAWA_SKIP_SYSTEM_TESTS=1 to "
              "skip the PDF and browser tests")
    if SKIP_SYSTEM_TESTS:
        pytest.skip(reason)
    pytest.fail(reason)


def sphinx_build(
    builder: str,
    outdir: Path,
    srcdir: Path = ROOT / "source",
    confdir: Path = ROOT,
    extra: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Run sphinx-build strictly, the way the Makefile does.

    Deprecation warnings are shown (pytest's filters do not reach a child process), so
    the fixtures below can fail on one raised from our own code.
    """
    cmd = [sys.executable, "-m", "sphinx", *STRICT, "-c", str(confdir), "-b", builder,
           *extra, str(srcdir), str(outdir)]
    env = {**os.environ,
           "PYTHONWARNINGS": "default::DeprecationWarning,default::PendingDeprecationWarning"}
    return subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT, env=env)


_OUR_DEPRECATION = re.compile(
    rf"^{re.escape(str(ROOT / '_ext'))}/\S+:\d+: \w*(Deprecation|RemovedInSphinx\d+)Warning:.*$",
    re.M)


def our_deprecations(output: str) -> list[str]:
    """Deprecation warnings that Python attributes to a file in ``_ext/``."""
    return [m.group(0) for m in _OUR_DEPRECATION.finditer(output)]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where sphinx.testing finds the test projects (``@pytest.mark.sphinx(testroot=...)``)."""
    os.environ.setdefault("RAWA_ROOT", str(ROOT))
    return ROOT / "tests" / "roots"


Build = Callable[..., tuple[Any, str]]


@pytest.fixture
def build_root(make_app: Callable[..., Any], tmp_path: Path, rootdir: Path) -> Build:
    """Build a copy of ``tests/roots/test-<name>`` with ``builder``; return the app and
    its warnings (for tests that read the output, not only the warnings)."""

    def build(name: str, builder: str = "html") -> tuple[Any, str]:
        srcdir = tmp_path / name
        shutil.copytree(rootdir / f"test-{name}", srcdir)
        app = make_app(builder, srcdir=srcdir, freshenv=True)
        app.build()
        return app, app.warning.getvalue()

    return build


def warnings_at(warnings: str, root: str, line: int, expected: str) -> list[str]:
    """The warnings located at ``<root>/index.md:<line>`` that contain ``expected``.

    For tests that build an edited copy of a root; a root as it is states its warnings
    itself (``% expect`` lines, below).
    """
    located = re.compile(rf"{re.escape(root)}/index\.md:{line}: (WARNING|ERROR): ")
    return [w for w in warnings.splitlines() if located.search(w) and expected in w]


def shared_build(tmp_path_factory: pytest.TempPathFactory, name: str,
                 make: Callable[[Path], None]) -> Path:
    """``make(out)`` once per test run, also when pytest-xdist runs several workers.

    Without xdist: a fresh folder. With xdist the workers share one folder next to their
    own temp folders; the first worker builds under a file lock, the others wait and reuse.
    A failed build leaves no marker, so the next worker tries again (and fails the same).
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        out = tmp_path_factory.mktemp(name)
        make(out)
        return out
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent
    out, done = shared / name, shared / f"{name}.done"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            make(out)
            done.touch()
    return out


def _build_html(out: Path) -> None:
    result = sphinx_build("html", out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert not our_deprecations(result.stderr), our_deprecations(result.stderr)
    build_log(out).write_text(result.stdout + result.stderr, encoding="utf-8")


@pytest.fixture(scope="session")
def html_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real publication, built once as HTML with the strict options."""
    return shared_build(tmp_path_factory, "html", _build_html)


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
    """The real publication as the published, tagged PDF (``rawa.pdf``), once per run.

    Next to it: ``print.html``, the one HTML page WeasyPrint rendered.
    """
    require_tools("pdftotext", "pdffonts", "pdfinfo", "pdfimages")

    def build(out: Path) -> None:
        result = sphinx_build("rawapdf", out, extra=("-E", "-d", str(out / ".doctrees")))
        assert result.returncode == 0, result.stderr[-5000:]
        assert not our_deprecations(result.stderr), our_deprecations(result.stderr)

    yield shared_build(tmp_path_factory, "pdf", build) / "rawa.pdf"


# --- Expected warnings, written inside the test roots -----------------------------------
# A test root states each warning its build must give in a MyST comment next to the
# mistake (modelled on the ``#EXPECT:`` comments of eclipse-score/docs-as-code):
#
#   % expect: <regex>        the warning is at the next line that is not such a comment
#   % expect +N: <regex>     ... N lines below that line (a mistake inside a directive's
#                            options or a glossary, where a comment cannot stand)
#   % expect file: <regex>   the warning names this file but no line
#   % expect anywhere: <regex>  the warning names no location at all
#
# The regex is searched in the warning's message, including its ``[type.subtype]`` tag.
# ``test_expected_warnings.py`` builds every root that has such comments and asserts
# exactly these warnings: none missing, none more.

EXPECT_COMMENT = re.compile(
    r"^% expect(?:\s+(?P<where>\+\d+|file|anywhere))?:\s*(?P<regex>.+?)\s*$")
_WARNING_START = re.compile(
    r"^(?:(?P<loc>\S.*?): )?(?P<level>WARNING|ERROR|CRITICAL): (?P<msg>.*)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class Expected:
    """One expected warning: where (file, line; ``None`` for none) and what (a regex)."""

    def __init__(self, file: str | None, line: int | None, regex: str, declared: str) -> None:
        self.file, self.line, self.regex, self.declared = file, line, re.compile(regex), declared

    def where(self) -> str:
        return ":".join(str(p) for p in (self.file, self.line) if p is not None) or "(nergens)"

    def __repr__(self) -> str:
        return f"{self.where()}: /{self.regex.pattern}/  (declared at {self.declared})"


def expected_warnings(srcdir: Path) -> list[Expected]:
    """The ``% expect`` comments of every page under ``srcdir``."""
    found: list[Expected] = []
    for page in sorted(srcdir.rglob("*.md")):
        rel = page.relative_to(srcdir).as_posix()
        lines = page.read_text(encoding="utf-8").splitlines()
        pending: list[tuple[int, re.Match[str]]] = []
        for number, text in enumerate(lines, start=1):
            match = EXPECT_COMMENT.match(text)
            if match:
                pending.append((number, match))
                continue
            for declared, m in pending:
                where, regex = m["where"], m["regex"]
                if where == "file":
                    found.append(Expected(rel, None, regex, f"{rel}:{declared}"))
                elif where == "anywhere":
                    found.append(Expected(None, None, regex, f"{rel}:{declared}"))
                else:
                    offset = int(where[1:]) if where else 0
                    found.append(Expected(rel, number + offset, regex, f"{rel}:{declared}"))
            pending = []
        assert not pending, f"{rel}: '% expect' comment at the end of the page, before no line"
    return found


def parse_warnings(output: str, srcdir: Path) -> list[tuple[str | None, int | None, str]]:
    """Sphinx's warning stream as (file relative to ``srcdir``, line, message) records.

    A message may span several lines: a line that does not start a warning continues the
    previous one. Paths inside ``srcdir`` become relative, also inside messages.
    """
    records: list[list[Any]] = []
    prefix = f"{srcdir}/"
    for raw in _ANSI.sub("", output).replace(prefix, "").splitlines():
        match = _WARNING_START.match(raw)
        if not match:
            if records:
                records[-1][2] += "\n" + raw
            continue
        file: str | None = None
        line: int | None = None
        loc = match["loc"]
        if loc:
            file, _, number = loc.rpartition(":")
            if number.isdigit():
                line = int(number)
            else:
                file = loc
        records.append([file, line, match["msg"]])
    return [(f, n, m.rstrip()) for f, n, m in records]


def unmatched(expected: list[Expected], warnings: list[tuple[str | None, int | None, str]]
              ) -> tuple[list[Expected], list[tuple[str | None, int | None, str]]]:
    """Expectations without their warning, and warnings nobody expected."""
    left = list(warnings)
    missing: list[Expected] = []
    for want in expected:
        for i, (file, line, msg) in enumerate(left):
            if (file, line) == (want.file, want.line) and want.regex.search(msg):
                del left[i]
                break
        else:
            missing.append(want)
    return missing, left


# --- Order: the longest test files first -----------------------------------------------
# ``make test`` spreads the files over two workers (``--dist loadfile``), each taking the
# next file when it is done, in this order (``--no-loadscope-reorder``; by default xdist
# would sort the files by their number of tests). A long file taken last leaves the other
# worker idle until it ends, so the files that build the publication themselves go
# first. Measured with ``PYTEST_ADDOPTS=--durations=60``: the tagged PDF about 2 minutes,
# the browser checks about 3, the release and incremental builds about 1 minute each. The
# order within a file stays.
# test_release.py second: it builds scratch copies, so the other worker does not wait
# for the shared HTML build that test_pdf.py's worker is making.
LONGEST_FIRST = ("test_pdf.py", "test_release.py", "test_a11y.py", "test_incremental.py",
                 "test_incremental_recover.py", "test_reproducible.py", "test_examples.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within a file and among the rest is kept
