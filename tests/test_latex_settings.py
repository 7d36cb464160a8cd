"""LaTeX settings built from publicatie.toml: paper, language, title page values, status."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from rawa.latex import elements as rawa_latex
from rawa.model import publication as rawa_publication

ROOT = Path(__file__).resolve().parents[1]


def publication(**changes: object) -> rawa_publication.Publication:
    return dataclasses.replace(rawa_publication.load(ROOT / "publicatie.toml"), **changes)


def test_a4_dutch_and_house_style() -> None:
    elements = rawa_latex.latex_elements(publication())
    assert elements["papersize"] == "a4paper"
    assert elements["babel"] == "\\usepackage{babel}" and elements["polyglossia"] == ""
    assert elements["maketitle"] == "\\rawaTitlePage"
    assert "\\usepackage{rawa}" in elements["preamble"]
    assert [Path(f).name for f in rawa_latex.latex_additional_files()] == ["rawa.sty"]
    assert all(Path(f).is_file() for f in rawa_latex.latex_additional_files())


def test_title_page_values_are_escaped_and_typographic() -> None:
    preamble = rawa_latex.latex_elements(publication(titel="API's & 100% #veilig"))["preamble"]
    assert "\\newcommand\\rawaTitel{API\u2019s \\& 100\\% \\#veilig}" in preamble


def test_status_marker_only_for_versions_that_are_not_final() -> None:
    draft = rawa_latex.latex_elements(publication(status="Consultatieversie"))["preamble"]
    final = rawa_latex.latex_elements(publication(status="Vastgestelde versie"))["preamble"]
    assert "\\rawaFinalfalse" in draft and "\\rawaStatus{Consultatieversie}" in draft
    assert "\\rawaFinaltrue" in final
