"""Unit tests of the pure parts: coverage evaluation, matrix paths and the version diff."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import rawa.model.metamodel as mm
from rawa.views import coverage as rawa_coverage
from rawa.views import diff as rawa_diff
from rawa.views import matrix as rawa_matrix

Needs = dict[str, dict[str, Any]]


def _need(need_id: str, kind: str, **values: Any) -> dict[str, Any]:
    need: dict[str, Any] = {"id": need_id, "type": kind, "title": need_id, "status": "concept",
                            "content": "Tekst.", "docname": "index", "lineno": 1}
    for link in mm.LINKS:
        need[link.name] = []
        need[f"{link.name}_back"] = []
    need.update(values)
    return need


def test_every_coverage_rule_names_known_types_links_and_fields() -> None:
    keys = {f.name for f in mm.FIELDS} | set(mm.LINK_NAMES) | {
        f"{n}_back" for n in mm.LINK_NAMES}
    assert len({rule.key for rule in mm.COVERAGE_RULES}) == len(mm.COVERAGE_RULES)
    for rule in mm.COVERAGE_RULES:
        assert rule.source in mm.TYPE_NAMES, rule
        assert rule.requires and set(rule.requires) <= keys, rule
        assert rule.label[0].isupper()


def test_coverage_counts_gaps_and_justifications() -> None:
    needs = {
        "PRI-B1": _need("PRI-B1", "principe", vervult_back=["EIS-TST-01"]),
        "PRI-B2": _need("PRI-B2", "principe"),
        "PRI-B3": _need("PRI-B3", "principe", gat_toelichting="Bewust zonder eis."),
        "GEM-PRI-01": _need("GEM-PRI-01", "gemma", motivatie="Reden.",
                            gat_toelichting="Mag niet."),
    }
    results = {r.rule.key: r for r in rawa_coverage.evaluate(needs)}
    principles = results["principe-eis"]
    assert (principles.total, principles.covered, principles.justified, principles.open) == (
        3, 1, 1, 1)
    assert round(principles.percentage) == 33
    gemma = results["gemma-herkomst"]
    assert (gemma.total, gemma.justified, gemma.open) == (1, 0, 1)  # not justifiable
    assert results["eis-component"].total == 0 and results["eis-component"].percentage == 100
    assert rawa_coverage.stale_justifications(needs, tuple(results.values())) == ["GEM-PRI-01"]


def test_matrix_follows_paths_through_requirements() -> None:
    needs = {
        "PRI-B1": _need("PRI-B1", "principe", vervult_back=["EIS-TST-01"],
                        past_toe_back=["UC-02"]),
        "EIS-TST-01": _need("EIS-TST-01", "eis", vervult=["PRI-B1"],
                            realiseert_back=["COMP-PDP"], past_toe_back=["UC-01"],
                                voldoet_deels_aan_back=["SCN-INR-01"]),
        "COMP-PDP": _need("COMP-PDP", "component", realiseert=["EIS-TST-01"]),
        "UC-01": _need("UC-01", "usecase"),
        "UC-02": _need("UC-02", "usecase"),
        "SCN-INR-01": _need("SCN-INR-01", "scenario"),
    }
    ((row_id, columns),) = rawa_matrix.rows(needs, rawa_matrix.view("principe"))
    assert row_id == "PRI-B1"
    assert columns == [["EIS-TST-01"], ["COMP-PDP"], ["UC-01", "UC-02"], ["SCN-INR-01"], []]


_IDS = [f"EIS-TST-{i:02d}" for i in range(1, 9)]


@given(
    old_ids=st.sets(st.sampled_from(_IDS)),
    new_ids=st.sets(st.sampled_from(_IDS)),
    edited=st.sets(st.sampled_from(_IDS)),
)
def test_diff_finds_exactly_the_added_removed_and_changed(old_ids: set[str], new_ids: set[str],
                                                           edited: set[str]) -> None:
    old = {i: _need(i, "eis", niveau="MOET", vervult=["PRI-B1"]) for i in old_ids}
    new = {i: _need(i, "eis", niveau="MOET", vervult=["PRI-B1"]) for i in new_ids}
    for need_id in edited & old_ids & new_ids:
        new[need_id]["status"] = "vastgesteld"
    diff = rawa_diff.compare(old, new)["eis"]
    assert diff.added == sorted(new_ids - old_ids)
    assert diff.removed == sorted(old_ids - new_ids)
    assert sorted(diff.changed) == sorted(edited & old_ids & new_ids)
    for found in diff.changed.values():
        assert found == [rawa_diff.Change("Status", old="concept", new="vastgesteld")]


def test_diff_reports_link_changes() -> None:
    old = {"EIS-TST-01": _need("EIS-TST-01", "eis", vervult=["PRI-B1", "PRI-B2"])}
    new = {"EIS-TST-01": _need("EIS-TST-01", "eis", vervult=["PRI-B2", "PRI-B3"])}
    (change,) = rawa_diff.compare(old, new)["eis"].changed["EIS-TST-01"]
    assert change.added == ("PRI-B3",) and change.removed == ("PRI-B1",)
