"""The LaTeX log checker on log excerpts: what fails the PDF build and what does not."""

from __future__ import annotations

from pathlib import Path

import check_latex_log


def kinds(log: str, tolerance: float = 5.0) -> list[str]:
    return [d.kind for d in check_latex_log.parse_log(log, tolerance)]


def test_clean_log_passes() -> None:
    assert kinds("This is XeTeX\nOutput written on rawa.pdf (3 pages).\n") == []


def test_small_overfull_box_is_tolerated_and_large_one_is_not() -> None:
    small = "Overfull \\hbox (2.1pt too wide) in paragraph at lines 10--12\n"
    large = "Overfull \\hbox (12.5pt too wide) in paragraph at lines 40--41\n"
    assert kinds(small) == []
    defects = check_latex_log.parse_log(large)
    assert [(d.kind, d.tex_line) for d in defects] == [("te vol", 40)]
    assert kinds(large, tolerance=20) == []


def test_errors_undefined_references_and_missing_glyphs_fail() -> None:
    log = (
        "! Undefined control sequence.\n<argument> \\foo\nl.233 \\foo\n"
        "LaTeX Warning: Reference `index:nope' on page 4 undefined on input line 88.\n"
        "Missing character: There is no \u20ac (U+20AC) in font cmr10!\n"
        "Package babel Warning: No hyphenation patterns were preloaded for\n"
        "(babel)                the language `Dutch' into the format.\n"
    )
    defects = check_latex_log.parse_log(log)
    assert [(d.kind, d.tex_line) for d in defects] == [
        ("LaTeX-fout", 233), ("onbekende verwijzing", 88), ("ontbrekend teken", None),
        ("geen afbreekpatronen", None)]
    assert "the language `Dutch'" in defects[-1].message


def test_defect_names_the_source_page(tmp_path: Path) -> None:
    tex = tmp_path / "rawa.tex"
    tex.write_text("\\chapter{Eisen}\n\\label{\\detokenize{normatief/eisen:eisen}}\ntext\n",
                   encoding="utf-8")
    defect = check_latex_log.Defect("te vol", "12pt te breed", 3)
    described = defect.describe(tex, Path("source"))
    assert described.startswith("rawa.tex:3: te vol")
    assert "bron: source/normatief/eisen.md, bij 'eisen'" in described


def test_main_returns_one_on_defects(tmp_path: Path) -> None:
    log = tmp_path / "rawa.log"
    log.write_text("Overfull \\vbox (30.0pt too high) detected at line 7\n", encoding="utf-8")
    assert check_latex_log.main([str(log)]) == 1
    log.write_text("Output written on rawa.pdf (3 pages).\n", encoding="utf-8")
    assert check_latex_log.main([str(log)]) == 0
