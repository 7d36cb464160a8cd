"""Coverage of the traceability rules in the metamodel, and a build that fails on gaps.

Every rule in ``rawa_metamodel.COVERAGE_RULES`` says which link, backlink or field a
need of a type must have. A need that breaks a rule is a *gap*. A gap is closed by
adding the link, or justified by the need's ``gat_toelichting`` field when the rule
allows it. An unjustified gap is a warning of type ``rawa.coverage`` at the file and
line of the need, so the strict build fails and names it. A justification on a need
without any gap is reported too, so stale explanations do not linger.

The ``{rawa-dekking}`` directive renders the figures per rule and the list of gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util import logging

import rawa.model.metamodel as mm
from rawa import priorities
from rawa.model.need_refs import Needs, need_reference, snapshot
from rawa.views.base import ViewKind, register_view
from rawa.views.tables import build_table, small_in_latex

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gap:
    rule: mm.CoverageRule
    need_id: str
    justification: str

    @property
    def justified(self) -> bool:
        return bool(self.justification) and self.rule.justifiable


@dataclass(frozen=True)
class RuleResult:
    rule: mm.CoverageRule
    total: int
    gaps: tuple[Gap, ...]

    @property
    def covered(self) -> int:
        return self.total - len(self.gaps)

    @property
    def justified(self) -> int:
        return sum(1 for gap in self.gaps if gap.justified)

    @property
    def open(self) -> int:
        return len(self.gaps) - self.justified

    @property
    def percentage(self) -> float:
        """Share of needs that satisfy the rule (100 when the type has no needs)."""
        return 100.0 if self.total == 0 else 100.0 * self.covered / self.total


def requirement_hint(key: str, need_id: str) -> str:
    """How to close a gap for one required key, in the words of a MyST need option."""
    for link in mm.LINKS:
        if key == link.name:
            return f"':{key}:' met een {' of '.join(link.targets)}"
        if key == f"{link.name}_back":
            return f"een {' of '.join(link.sources)} met ':{link.name}: {need_id}'"
    return f"het veld ':{key}:'"


def _satisfied(need: dict[str, Any], rule: mm.CoverageRule) -> bool:
    return any(need.get(key) for key in rule.requires)


def evaluate(needs: Needs) -> tuple[RuleResult, ...]:
    """Check every coverage rule against ``needs`` (plain dictionaries keyed by ID)."""
    results = []
    for rule in mm.COVERAGE_RULES:
        scope = [need for _, need in sorted(needs.items())
                 if need["type"] == rule.source and rule.in_scope(need)]
        gaps = tuple(
            Gap(rule, need["id"], (need.get(mm.GAP_FIELD) or "").strip())
            for need in scope if not _satisfied(need, rule)
        )
        results.append(RuleResult(rule, len(scope), gaps))
    return tuple(results)


def stale_justifications(needs: Needs, results: tuple[RuleResult, ...]) -> list[str]:
    """IDs of needs that carry a justification but have no justifiable gap."""
    justified = {gap.need_id for result in results for gap in result.gaps if gap.justified}
    return [need_id for need_id, need in sorted(needs.items())
            if (need.get(mm.GAP_FIELD) or "").strip() and need_id not in justified]


def report_gaps(app: Sphinx, builder: Builder) -> None:
    """Warn, at the need's file and line, about every unjustified gap."""
    needs = snapshot(app)
    results = evaluate(needs)
    for result in results:
        for gap in result.gaps:
            if gap.justified:
                continue
            need = needs[gap.need_id]
            hints = " of ".join(requirement_hint(key, gap.need_id) for key in gap.rule.requires)
            how = (f"; of leg in ':{mm.GAP_FIELD}:' uit waarom dit ontbreekt"
                   if gap.rule.justifiable else "")
            logger.warning(
                "Traceerbaarheid: %s: %s. Voeg toe: %s%s [regel %s]",
                gap.rule.label, gap.need_id, hints, how, gap.rule.key,
                location=(need["docname"], need["lineno"]), type="rawa", subtype="coverage",
            )
    for need_id in stale_justifications(needs, results):
        need = needs[need_id]
        logger.warning(
            "Traceerbaarheid: %s heeft een '%s' maar geen gat dat die toelichting rechtvaardigt; "
            "verwijder het veld", need_id, mm.GAP_FIELD,
            location=(need["docname"], need["lineno"]), type="rawa", subtype="coverage",
        )


def enforced_by_schema(rule: mm.CoverageRule) -> bool:
    """True when every field the rule asks for is mandatory in the schema for its source:
    the build already fails without it, so its coverage says nothing about the content."""
    required = {spec.name for spec in mm.FIELDS if rule.source in spec.required_for}
    return bool(rule.requires) and set(rule.requires) <= required


def _figures_table(results: tuple[RuleResult, ...]) -> nodes.table:
    rows = []
    for result in results:
        enforced = " (afgedwongen door het schema)" if enforced_by_schema(result.rule) else ""
        rows.append([
            result.rule.label,
            str(result.total),
            str(result.covered),
            str(result.justified),
            str(result.open),
            f"{result.percentage:.0f}%{enforced}",
        ])
    return build_table(
        ["Regel", "Aantal", "Gedekt", "Gat met toelichting", "Open gat", "Dekking"],
        [40, 11, 11, 16, 11, 11], rows, table_id="rawa-dekking-cijfers",
        caption="Dekking per traceerregel",
    )


def _gaps_table(app: Sphinx, docname: str, needs: Needs,
                results: tuple[RuleResult, ...]) -> nodes.Node:
    rows = []
    for result in results:
        for gap in result.gaps:
            need = needs[gap.need_id]
            id_cell = nodes.paragraph()
            id_cell += need_reference(app, docname, need)
            rows.append([
                [id_cell, nodes.paragraph(text=str(need["title"]))],
                result.rule.label,
                gap.justification if gap.justified else "Geen toelichting: dit gat is open.",
            ])
    if not rows:
        return nodes.paragraph(text="Er zijn geen gaten: elk object voldoet aan elke regel.")
    return build_table(["Object", "Regel", "Toelichting"], [28, 24, 48], rows,
                       table_id="rawa-dekking-gaten", caption="Gaten en hun toelichting")


def render(app: Sphinx, docname: str, node: nodes.Element, needs: Needs) -> list[nodes.Node]:
    """``{rawa-dekking}``: coverage figures per rule, then the gaps with their justification."""
    results = evaluate(needs)
    return [
        *small_in_latex(_figures_table(results)),
        *small_in_latex(_gaps_table(app, docname, needs, results)),
    ]


def setup(app: Sphinx) -> dict[str, Any]:
    register_view(app, "rawa-dekking", ViewKind("coverage", render))
    # after sphinx-needs has resolved the needs and the schema report (600) has run
    app.connect("write-started", report_gaps, priority=priorities.CONSISTENCY_REPORTS)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
