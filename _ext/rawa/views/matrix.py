"""Traceability matrices generated from the metamodel: ``{rawa-matrix}``.

A matrix has one row per need of a source type. Each further column lists the needs of
one target type that are reachable along one or more link paths, e.g. the components
of a principle are the components that realise the requirements that fulfil it. Every
ID in a cell links to its need; an empty cell shows a dash, so a gap is visible.

Usage in MyST::

    ```{rawa-matrix} principe
    ```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

import rawa.model.metamodel as mm
from rawa.model.need_refs import Needs, link_keys, need_reference, reference_list
from rawa.views.base import ViewKind, register_view, view_directive
from rawa.views.tables import build_table, small_in_latex

#: A path is a sequence of link keys, followed from the row's need.
Path = tuple[str, ...]


@dataclass(frozen=True)
class Column:
    target: str
    paths: tuple[Path, ...]
    width: int
    #: Header text; defaults to the plural title of the target type.
    label: str = ""
    #: For a scenario column: the scenarios in which the row's requirement has this
    #: applicability (``verplicht``), read from its ``toepassing_inr_nn`` fields.
    applicability: str = ""

    @property
    def header(self) -> str:
        return self.label or mm.need_type(self.target).plural


@dataclass(frozen=True)
class MatrixView:
    key: str
    source: str
    first_width: int
    caption: str
    columns: tuple[Column, ...]
    #: Extra field shown under the title in the first column (e.g. ``niveau``).
    detail: str = ""


_VIA_EIS = "vervult_back"
#: A scenario that realises the need (fully or in part), directly or through a requirement.
_REALISED = (("voldoet_aan_back",), ("voldoet_deels_aan_back",))

VIEWS: tuple[MatrixView, ...] = (
    MatrixView("principe", "principe", 24, "Van principe naar eis en realisatie", (
        Column("eis", (("vervult_back",),), 15),
        Column("component", ((_VIA_EIS, "realiseert_back"),), 20, "Componenten"),
        Column("usecase", (("past_toe_back",), (_VIA_EIS, "past_toe_back")), 12),
        Column("scenario", (*_REALISED, *((_VIA_EIS, *p) for p in _REALISED)), 15,
               "Gerealiseerd in scenario"),
        Column("gemma", (("wijzigt_back",), (_VIA_EIS, "wijzigt_back")), 14, "GEMMA"),
    )),
    MatrixView("eis", "eis", 29, "Van eis naar principe, component en toepassing", (
        Column("principe", (("vervult",),), 11, "Principes"),
        Column("component", (("realiseert_back",),), 20, "Componenten"),
        Column("usecase", (("past_toe_back",),), 11),
        Column("scenario", (), 8, "Verplicht in", applicability=mm.MANDATORY),
        Column("scenario", _REALISED, 8, "Gerealiseerd in"),
        Column("gemma", (("wijzigt_back",),), 13, "GEMMA"),
    ), detail="niveau"),
    MatrixView("eis-normen", "eis", 34, "Eisen met standaarden en beheersmaatregelen", (
        Column("standaard", (("volgt",),), 33),
        Column("maatregel", (("dekt",),), 33),
    ), detail="niveau"),
    MatrixView("component", "component", 24, "Componenten met eisen, standaarden en toepassing", (
        Column("eis", (("realiseert",),), 16),
        Column("standaard", (("volgt",),), 20),
        Column("usecase", (("gebruikt_back",),), 12),
        Column("scenario", (("gebruikt_back",),), 14),
        Column("gemma", (("wijzigt_back",),), 14, "GEMMA"),
    )),
)


def _check_views() -> None:
    keys = set(link_keys())
    for view in VIEWS:
        for column in view.columns:
            mm.need_type(column.target)
            for path in column.paths:
                unknown = set(path) - keys
                if unknown:
                    raise ValueError(f"matrix {view.key}: unknown link {sorted(unknown)}")


_check_views()
assert all(v.first_width + sum(c.width for c in v.columns) == 100 for v in VIEWS)


def view(key: str) -> MatrixView:
    for candidate in VIEWS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def follow(needs: Needs, start: str, column: Column) -> list[str]:
    """IDs of ``column.target`` needs reachable from ``start`` along any of its paths."""
    if column.applicability:
        return [scenario for scenario, name in zip(mm.INRICHTINGSSCENARIOS,
                                                   mm.APPLICABILITY_FIELDS, strict=True)
                if scenario in needs and needs[start].get(name) == column.applicability]
    found: set[str] = set()
    for path in column.paths:
        current = {start}
        for key in path:
            current = {target for nid in current for target in needs[nid].get(key) or []
                       if target in needs}
        found |= {nid for nid in current if needs[nid]["type"] == column.target}
    return sorted(found)


def rows(needs: Needs, matrix: MatrixView) -> list[tuple[str, list[list[str]]]]:
    """The matrix as data: per source need its ID and the IDs in each column."""
    return [
        (need_id, [follow(needs, need_id, column) for column in matrix.columns])
        for need_id, need in sorted(needs.items()) if need["type"] == matrix.source
    ]


def _unknown_view(key: str) -> str | None:
    """Why ``key`` names no view of :data:`VIEWS` (``None``: it does)."""
    if any(candidate.key == key for candidate in VIEWS):
        return None
    return f"onbekende matrix {key!r}; kies uit {', '.join(v.key for v in VIEWS)}"


def _table(app: Sphinx, docname: str, needs: Needs, matrix: MatrixView) -> nodes.Node:
    source = mm.need_type(matrix.source)
    body = []
    for need_id, columns in rows(needs, matrix):
        need = needs[need_id]
        head = nodes.paragraph()
        head += nodes.strong("", "", need_reference(app, docname, need))
        first: list[nodes.Node] = [head, nodes.paragraph(text=str(need["title"]))]
        if matrix.detail and need.get(matrix.detail):
            first.append(nodes.paragraph(text=str(need[matrix.detail])))
        body.append([first, *(reference_list(app, docname, needs, ids) for ids in columns)])
    if not body:
        return nodes.paragraph(text=f"Er zijn nog geen {source.plural.lower()}.")
    headers = [source.title, *(column.header for column in matrix.columns)]
    widths = [matrix.first_width, *(column.width for column in matrix.columns)]
    return build_table(headers, widths, body, table_id=f"rawa-matrix-{matrix.key}",
                       caption=matrix.caption)


def render(app: Sphinx, docname: str, node: nodes.Element, needs: Needs) -> list[nodes.Node]:
    """``{rawa-matrix} <view>``: one of the views in :data:`VIEWS`."""
    return small_in_latex(_table(app, docname, needs, view(node["view"])))


def setup(app: Sphinx) -> dict[str, Any]:
    register_view(app, "rawa-matrix", ViewKind("matrix", render), view_directive(
        "matrix", argument="view", check=_unknown_view,
        options={"class": directives.class_option}))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
