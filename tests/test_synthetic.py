"""The synthetic publication of ``make bench`` (tools/make_synthetic.py) builds strictly and
has the sizes it promises. Small scale only: this checks the output, never a timing."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import make_synthetic
import pytest
from conftest import require_tools, sphinx_build

import rawa.model.metamodel as mm

#: 2 % of the ten-fold publication
SCALE = 0.2


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, make_synthetic.Targets]:
    require_tools("java")
    out = tmp_path_factory.mktemp("synthetic")
    goal = make_synthetic.generate(out, SCALE)
    result = sphinx_build("html", out / "html", srcdir=out / "source",
                          extra=("-d", str(out / "doctrees"),
                                 *make_synthetic.sphinx_overrides(out)))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr, result.stderr[-3000:]
    return out, goal


def test_targets_scale_with_the_real_publication() -> None:
    templates = make_synthetic.read_needs()
    real = Counter(t.kind for t in templates)
    _, entries = make_synthetic.read_glossary()
    goal = make_synthetic.targets(10, templates)
    assert goal.terms == 10 * len(entries)
    assert goal.pages >= 300
    # every type is copied ten times, except where its ID pattern has no room left
    for kind, count in real.items():
        assert goal.needs[kind] >= min(10 * count, 64), kind
    assert 2400 <= goal.total_needs <= 10 * len(templates)


def test_output_has_the_promised_needs(synthetic: tuple[Path, make_synthetic.Targets]) -> None:
    out, goal = synthetic
    data = json.loads((out / "html" / "needs.json").read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    assert Counter(n["type"] for n in needs.values()) == Counter(goal.needs)
    assert set(goal.needs) == set(mm.TYPE_NAMES)
    for need_id, need in needs.items():
        spec = mm.need_type(need["type"])
        assert re.fullmatch(mm.id_pattern(spec), need_id)
    # links were remapped, not dropped: every requirement fulfils a principle
    assert all(n["vervult"] for n in needs.values() if n["type"] == "eis")


def test_output_has_the_promised_terms_and_pages(
        synthetic: tuple[Path, make_synthetic.Targets]) -> None:
    out, goal = synthetic
    concepts = json.loads((out / "html" / "begrippen.jsonld").read_text(encoding="utf-8"))
    assert sum(1 for node in concepts["@graph"]
               if node.get("@type") == "skos:Concept") == goal.terms
    # every term is used in the text (the report counts uses outside the glossary)
    report = (out / "html" / "termen-rapport.txt").read_text(encoding="utf-8")
    assert f"{goal.terms} begrippen, {goal.terms} gebruikt, 0 nergens" in report
    sources = sorted((out / "source").rglob("*.md"))
    assert len(sources) == goal.pages
    for page in sources:
        html = out / "html" / page.relative_to(out / "source").with_suffix(".html")
        assert html.is_file(), html
    assert len(list((out / "html" / "_images").glob("*.svg"))) >= goal.diagrams
