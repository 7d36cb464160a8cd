"""Every test root gives exactly the warnings written next to its mistakes.

A root declares each warning its build must give in a ``% expect`` comment next to the
mistake (see ``conftest.py`` and CONTRIBUTING, section 4). This one test builds each such
root with Sphinx's own fixture and compares: every expected warning at its file and line,
and no other warning. A check that stops reporting, reports at the wrong line, or starts
reporting something new fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import expected_warnings, parse_warnings, unmatched

ROOTS = Path(__file__).parent / "roots"


def _roots_with_expectations() -> list[str]:
    return sorted(p.name for p in ROOTS.iterdir()
                  if p.is_dir() and any("% expect" in md.read_text(encoding="utf-8")
                                        for md in p.rglob("*.md")))


ROOT_NAMES = _roots_with_expectations()


@pytest.mark.parametrize("root", [
    pytest.param(name, id=name.removeprefix("test-"),
                 marks=pytest.mark.sphinx("html", testroot=name.removeprefix("test-"),
                                          freshenv=True))
    for name in ROOT_NAMES])
def test_root_gives_exactly_its_expected_warnings(app: Any, root: str) -> None:
    app.build()
    output = app.warning.getvalue()
    srcdir = Path(app.srcdir)
    missing, unexpected = unmatched(expected_warnings(srcdir), parse_warnings(output, srcdir))
    report = "\n".join(
        [*(f"ontbreekt: {e!r}" for e in missing),
         *(f"onverwacht: {f or ''}:{n or ''}: {m}" for f, n, m in unexpected)])
    assert not missing and not unexpected, f"{report}\n--- build output ---\n{output}"
    assert "Traceback" not in output and "Exception occurred" not in output, output


def test_every_bad_input_root_declares_its_warnings() -> None:
    """A ``test-bad-*`` root exists to fail: it must say how (and so is tested above)."""
    silent = [p.name for p in ROOTS.glob("test-bad-*") if p.name not in ROOT_NAMES]
    assert not silent, f"bad-input roots without '% expect' comments: {silent}"


@pytest.mark.parametrize(("text", "where"), [
    ("% expect: a\nx\n", [("p.md", 2)]),
    ("% expect: a\n% expect +3: b\nx\n", [("p.md", 3), ("p.md", 6)]),
    ("% expect file: a\n% expect anywhere: b\nx\n", [("p.md", None), (None, None)]),
])
def test_expect_comments_point_at_the_next_line(tmp_path: Path, text: str,
                                                where: list[tuple[str | None, int | None]]
                                                ) -> None:
    (tmp_path / "p.md").write_text(text, encoding="utf-8")
    assert [(e.file, e.line) for e in expected_warnings(tmp_path)] == where


def test_multi_line_and_unlocated_warnings_are_parsed(tmp_path: Path) -> None:
    output = (f"{tmp_path}/index.md:3: WARNING: one [a.b]\n"
              f"{tmp_path}/index.md: WARNING: two\n"
              "WARNING: three:\n  continued\n")
    assert parse_warnings(output, tmp_path) == [
        ("index.md", 3, "one [a.b]"), ("index.md", None, "two"),
        (None, None, "three:\n  continued")]
