"""The PDF/UA-1 edition (issue 19): a small book through ``rawa.pdf`` and WeasyPrint."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, STRICT, SUPPORT

BOOK = Path(__file__).parent / "roots" / "test-print-pdf"
ALT = "Een client vraagt een API om gegevens."


def build(srcdir: Path, outdir: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "sphinx", *STRICT, "-E", "-b", "rawapdf", str(srcdir), str(outdir)]
    # the test settings, and whatever import path the caller has (a worktree's own package)
    path = os.pathsep.join(p for p in (str(SUPPORT), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
    )


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in document order."""
    out: list[pikepdf.Dictionary] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            out.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return out


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> pikepdf.Pdf:
    out = tmp_path_factory.mktemp("print-pdf")
    result = build(BOOK, out)
    assert result.returncode == 0, result.stderr[-3000:]
    return pikepdf.open(out / "rawa.pdf")


def test_the_pdf_is_tagged_in_dutch_with_its_title_shown(book: pikepdf.Pdf) -> None:
    assert book.Root.MarkInfo.Marked is True
    assert str(book.Root.Lang) == "nl"
    assert book.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(book.docinfo["/Title"]).startswith("RAWA")


def test_headings_do_not_skip_a_level_and_tables_have_header_cells(book: pikepdf.Pdf) -> None:
    tags = [str(e.S) for e in structure(book)]
    levels = [int(t[2:]) for t in tags if t[:2] == "/H" and t[2:].isdigit()]
    assert levels and levels[0] == 1
    assert [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1] == []
    assert "/Table" in tags and "/TH" in tags


def test_every_figure_has_the_alt_text_of_its_source(book: pikepdf.Pdf) -> None:
    figures = [e for e in structure(book) if str(e.S) == "/Figure"]
    assert [str(f.get("/Alt")) for f in figures] == [ALT]


def test_a_figure_without_alt_text_fails_the_build_naming_file_and_line(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(BOOK, src)
    page = src / "deel.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(f":alt: {ALT}\n", ""), encoding="utf-8"
    )
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert f"{page}:10: WARNING: figuur zonder alt-tekst" in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
