"""GEMMA changes checked against the real GEMMA model, shown as tables and diagrams.

* Every build checks the ``gemma`` needs against the pinned snapshot in ``data/gemma``
  (:mod:`rawa_gemma_model`): an unknown Object ID, a wrong type, a relationship that
  ArchiMate 3.2 does not permit, a toevoeging that GEMMA already has, or a NORA link
  that GEMMA does not record is a warning ``[rawa.gemma]`` at the need's file and line;
  in the strict build that fails it.
* ``{gemma-wijzigingen}`` with ``:laag:`` shows the changes of one layer with the GEMMA
  element by name, type and Object ID and its relationships.
* ``{gemma-plaat}`` with ``:laag:`` draws the same data with PlantUML (through
  sphinxcontrib-plantuml's own node), so the picture cannot drift from the changes.
* At the end of an HTML build :mod:`rawa_gemma_exchange` writes the ArchiMate exchange
  file ``rawa-gemma-wijzigingen.xml``.

The build reads the snapshot from disk only; it never goes to the network.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.texescape import escape
from sphinxcontrib.plantuml import plantuml

import rawa.gemma.archimate as am
import rawa.gemma.model as gm
from rawa import priorities
from rawa.model.need_refs import need_reference, snapshot
from rawa.views.base import Render, ViewKind, rawa_view, register_view, view_directive
from rawa.views.tables import GENERATED, build_table, small_in_latex

logger = logging.getLogger(__name__)

SNAPSHOT_FILES = gm.SNAPSHOT_FILES
REQUIRED_FILES = SNAPSHOT_FILES[:3]
LAYER_COLOURS = {
    "Principle": "#CCCCFF", "Requirement": "#CCCCFF", "Constraint": "#CCCCFF",
    "Goal": "#CCCCFF", "Grouping": "#FFFFFF",
    "BusinessActor": "#FFFFB5", "BusinessRole": "#FFFFB5", "BusinessFunction": "#FFFFB5",
    "BusinessObject": "#FFFFB5",
    "ApplicationComponent": "#B5FFFF", "ApplicationFunction": "#B5FFFF",
    "ApplicationInterface": "#B5FFFF", "ApplicationService": "#B5FFFF",
    "DataObject": "#B5FFFF",
}
TECHNOLOGY_COLOUR = "#C9E7B7"
ARROWS = {
    "Specialization": "--|>", "Realization": "..|>", "Serving": "-->",
    "Aggregation": "o--", "Composition": "*--", "Association": "--",
    "Assignment": "--", "Influence": "..>", "Access": "..>", "Flow": "..>",
    "Triggering": "-->",
}


def snapshot_dir(app: Sphinx) -> Path:
    return Path(app.config.rawa_gemma_snapshot)


def load(app: Sphinx) -> gm.Snapshot | None:
    folder = snapshot_dir(app)
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        return None
    return gm.load_snapshot(folder)


# -- checks ------------------------------------------------------------------------------------


def report_problems(app: Sphinx, _builder: Any) -> None:
    """Check every GEMMA change against the snapshot; one warning per problem."""
    needs = snapshot(app)
    if not any(n.get("type") == "gemma" for n in needs.values()):
        return
    model = load(app)
    if model is None:
        logger.warning("De GEMMA-momentopname ontbreekt in %s (%s). Maak haar met "
                       "'make gemma-snapshot GEMMA=<pad naar de GEMMA-Archi-repository>'.",
                       snapshot_dir(app), ", ".join(REQUIRED_FILES), type="rawa",
                       subtype="gemma")
        return
    for problem in gm.check(needs, model):
        logger.warning(problem.message, type="rawa", subtype="gemma",
                       location=(problem.docname, problem.lineno))


# -- the views (rawa.views.base): the changes as tables and as diagrams --------------------


def snapshot_signature(app: Sphinx) -> object:
    """The GEMMA snapshot's files: a page with a GEMMA view is rewritten when they change
    (the views show names from the snapshot besides the needs)."""
    digest = hashlib.sha256()
    for name in SNAPSHOT_FILES:
        path = snapshot_dir(app) / name
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def _layer(argument: str) -> str:
    from rawa.model.metamodel import GEMMA_LAYERS

    return directives.choice(argument, GEMMA_LAYERS)


class GemmaDiagramDirective(SphinxDirective):
    """``{gemma-plaat}`` *caption*: a figure whose diagram draws one layer's changes."""

    has_content = False
    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {"laag": _layer, "name": directives.unchanged,
                                             "width": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        view = rawa_view(
            "", kind=DIAGRAM, laag=self.options.get("laag", ""),
            width=self.options.get("width", "100%"),
            source_file=self.env.doc2path(self.env.docname, base=None))
        figure = nodes.figure("", view)
        inline, messages = self.state.inline_text(self.arguments[0], self.lineno)
        caption = nodes.caption(self.arguments[0], "", *inline)
        self.set_source_info(caption)
        figure += caption
        self.set_source_info(figure)
        self.add_name(figure)
        return [figure, *messages]


def id_node(app: Sphinx, object_id: str) -> nodes.Node:
    """An Object ID in code style; in LaTeX it may break after each hyphen (no overfull box)."""
    if app.builder.format != "latex":
        return nodes.literal(text=object_id)
    parts = [escape(part) for part in object_id.split("-")]
    return nodes.raw("", r"\sphinxcode{\sphinxupquote{" + r"-\allowbreak{}".join(parts) + "}}",
                     format="latex", **{GENERATED: True})


def _element_cell(app: Sphinx, change: gm.Change, model: gm.Snapshot) -> list[nodes.Node]:
    label = am.ELEMENT_LABELS.get(change.archimate_type, change.archimate_type)
    paras: list[nodes.Node] = []
    if change.is_relationship:
        for object_id in change.ids:
            found = model.relation(object_id)
            para = nodes.paragraph()
            if found is None:
                para += nodes.Text("onbekende relatie; Object ID ")
            else:
                _oid, kind, source, target = found
                para += nodes.strong(text=f"relatie {am.DUTCH.get(kind, kind)}")
                para += nodes.Text(f" van {_name(source, model, {})} naar "
                                   f"{_name(target, model, {})}; Object ID ")
            para += id_node(app, object_id)
            paras.append(para)
        return paras
    if change.new:
        para = nodes.paragraph()
        para += nodes.strong(text=change.name or change.title)
        para += nodes.Text(f" ({label}, GEMMA-type {change.gemma_type or '–'}); nieuw element")
        paras.append(para)
        return paras
    for object_id in change.ids:
        element = model.elements.get(object_id)
        para = nodes.paragraph()
        para += nodes.strong(text=element.name if element else "onbekend element")
        gemma_type = f", GEMMA-type {element.gemma_type}" if element and element.gemma_type else ""
        para += nodes.Text(f" ({label}{gemma_type}); Object ID ")
        para += id_node(app, object_id)
        paras.append(para)
    if change.name:
        paras.append(nodes.paragraph(text=f"Nieuwe naam: {change.name}"))
    if change.gemma_type:
        paras.append(nodes.paragraph(text=f"Nieuw GEMMA-type: {change.gemma_type}"))
    return paras


def _relations_cell(app: Sphinx, docname: str, change: gm.Change, model: gm.Snapshot,
                    changes: dict[str, gm.Change], needs: dict[str, Any]) -> list[nodes.Node]:
    paras: list[nodes.Node] = []
    for relation in change.relations:
        para = nodes.paragraph()
        arrow = "←" if relation.incoming else "→"
        para += nodes.Text(f"{am.DUTCH.get(relation.type, relation.type)} {arrow} ")
        if relation.other in changes and relation.other in needs:
            other = changes[relation.other]
            para += nodes.Text(f"{other.name or other.title} ("
                               f"{am.ELEMENT_LABELS.get(other.archimate_type, '?')}, ")
            para += need_reference(app, docname, needs[relation.other])
            para += nodes.Text(")")
        else:
            element = model.elements.get(relation.other)
            name = element.name if element else "onbekend element"
            kind = am.ELEMENT_LABELS.get(element.archimate_type, "?") if element else "?"
            para += nodes.Text(f"{name} ({kind}, ")
            para += id_node(app, relation.other)
            para += nodes.Text(")")
        paras.append(para)
    return paras or [nodes.paragraph(text="–")]


def _table(app: Sphinx, docname: str, node: rawa_view, model: gm.Snapshot,
           needs: dict[str, Any]) -> list[nodes.Node]:
    """``{gemma-wijzigingen}`` with ``:laag:``: the changes of one layer with their elements."""
    layer = node["laag"]
    changes = gm.changes_from_needs(needs)
    rows = []
    for change in changes.values():
        if change.layer != layer:
            continue
        first = nodes.paragraph()
        first += need_reference(app, docname, needs[change.id])
        rows.append([[first, nodes.paragraph(text=change.title)], change.kind,
                     _element_cell(app, change, model),
                     _relations_cell(app, docname, change, model, changes, needs)])
    table = build_table(["Wijziging", "Soort", "GEMMA-element", "Relaties in ArchiMate"],
                        [22, 11, 33, 34], rows, table_id=f"gemma-{layer.replace(' ', '-')}")
    return small_in_latex(table)


def _views_table(app: Sphinx, docname: str, node: rawa_view, model: gm.Snapshot,
                 needs: dict[str, Any]) -> list[nodes.Node]:
    """``{gemma-views}``: which changes touch the GEMMA views in ``views.csv``."""
    changes = gm.changes_from_needs(needs)
    rows = []
    for touch in gm.view_touches(changes, model):
        view = nodes.paragraph()
        view += nodes.Text(f"{touch.view.name}; Object ID ")
        view += id_node(app, touch.view.object_id)
        first = nodes.paragraph()
        first += need_reference(app, docname, needs[touch.change.id])
        shown = ", ".join(_name(ref, model, changes) for ref in touch.shown)
        rows.append([[view], [first, nodes.paragraph(text=touch.change.title)], touch.how,
                     shown])
    if not rows:
        return [nodes.paragraph(text="Geen wijziging raakt een GEMMA-view uit de "
                                     "momentopname.")]
    table = build_table(["GEMMA-view", "Wijziging", "Gevolg voor de view",
                         "Elementen in de view"], [26, 30, 20, 24], rows,
                        table_id="gemma-views")
    return small_in_latex(table)


def _quote(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")


def plantuml_source(layer: str, model: gm.Snapshot, changes: dict[str, gm.Change]
                    ) -> tuple[str, str]:
    """PlantUML text and an alternative text for one layer's changes."""
    view = gm.layer_view(layer, changes, model)
    alias: dict[str, str] = {}
    lines = ["@startuml", "skinparam shadowing false", 'skinparam defaultFontName "DejaVu Sans"',
             "skinparam rectangle {", "  BorderColor #555555", "}", "left to right direction"]
    described: list[str] = []

    def add(ref: str, text: str, archimate_type: str, style: str) -> None:
        alias[ref] = f"E{len(alias) + 1}"
        colour = LAYER_COLOURS.get(archimate_type, TECHNOLOGY_COLOUR)
        label = am.ELEMENT_LABELS.get(archimate_type, archimate_type)
        lines.append(f'rectangle "{_quote(text)}" <<{label}>> as {alias[ref]} {colour}{style}')

    for change in view.changes:
        if change.new:
            add(change.id, f"{change.name}\\n<size:9>nieuw, {change.id}</size>",
                change.archimate_type, ";line.bold")
            described.append(f"nieuw: {change.name} ({change.id})")
        for object_id in change.ids:
            element = model.elements.get(object_id)
            if element is None or object_id in alias:
                continue
            add(object_id, f"{element.name}\\n<size:9>{change.kind}, {change.id}</size>\\n"
                           f"<size:8>{object_id}</size>", element.archimate_type, ";line.dashed")
            described.append(f"{change.kind}: {element.name} ({change.id})")
    withdrawn: list[tuple[str, str, str]] = []
    for change in view.changes:
        for object_id in change.ids if change.is_relationship else ():
            found = model.relation(object_id)
            if found is None:
                continue
            for end in found[2:]:
                if end not in alias and end not in view.context:
                    view.context.append(end)
            withdrawn.append((found[2], found[1], found[3]))
    for ref in view.context:
        if ref in alias:
            continue
        if ref in changes:
            other = changes[ref]
            add(ref, f"{other.name}\\n<size:9>nieuw, {ref}</size>", other.archimate_type, "")
        else:
            element = model.elements[ref]
            add(ref, f"{element.name}\\n<size:8>{ref}</size>", element.archimate_type,
                ";line:888888")
            lines[-1] = lines[-1].replace(LAYER_COLOURS.get(element.archimate_type,
                                                            TECHNOLOGY_COLOUR), "#F4F4F4", 1)
    edges: list[str] = []
    for source, rel, target, _by in view.edges:
        if source in alias and target in alias:
            line = f"{alias[source]} {ARROWS[rel]} {alias[target]} : {am.DUTCH[rel]}"
            if line not in lines:
                lines.append(line)
                edges.append(f"{_name(source, model, changes)} {am.DUTCH[rel]} naar "
                             f"{_name(target, model, changes)}")
    for source, rel, target in withdrawn:
        lines.append(f"{alias[source]} ..> {alias[target]} #CC0000 : "
                     f"{am.DUTCH[rel]} vervalt")
        edges.append(f"{_name(source, model, changes)} {am.DUTCH[rel]} naar "
                     f"{_name(target, model, changes)} vervalt")
    lines.append("@enduml")
    alt = (f"Diagram van de GEMMA-wijzigingen in de laag {layer}. Elementen: "
           + "; ".join(described) + ". Relaties: " + "; ".join(edges) + ".")
    return "\n".join(lines) + "\n", alt


def _name(ref: str, model: gm.Snapshot, changes: dict[str, gm.Change]) -> str:
    if ref in changes:
        return changes[ref].name or ref
    element = model.elements.get(ref)
    return element.name if element else ref


def _diagram(app: Sphinx, docname: str, node: rawa_view, model: gm.Snapshot,
             needs: dict[str, Any]) -> nodes.Node:
    """``{gemma-plaat}``: a PlantUML node that draws one layer's changes."""
    changes = gm.changes_from_needs(needs)
    uml, alt = plantuml_source(node["laag"], model, changes)
    diagram = plantuml("", alt=alt, width=node["width"])
    diagram["uml"] = uml
    source = Path(node["source_file"])
    diagram["incdir"] = str(source.parent) if str(source.parent) != "." else ""
    diagram["filename"] = source.name
    return diagram


ShowWithModel = Callable[[Sphinx, str, rawa_view, gm.Snapshot, dict[str, Any]],
                         "nodes.Node | list[nodes.Node]"]


def _with_model(show: ShowWithModel) -> Render:
    """A view's render function that reads the snapshot; without one, says so."""

    def render(app: Sphinx, docname: str, node: rawa_view,
               needs: dict[str, Any]) -> nodes.Node | list[nodes.Node]:
        model = load(app)
        if model is None:
            return nodes.paragraph(text="De GEMMA-momentopname ontbreekt.")
        return show(app, docname, node, model, needs)

    return render


TABLE, VIEWS, DIAGRAM = "gemma-wijzigingen", "gemma-views", "gemma-plaat"

TABLE_KIND = ViewKind(TABLE, _with_model(_table), input_signature=snapshot_signature)
VIEWS_KIND = ViewKind(VIEWS, _with_model(_views_table), input_signature=snapshot_signature)
#: returns a PlantUML node, so it renders before sphinxcontrib-plantuml collects diagrams
DIAGRAM_KIND = ViewKind(DIAGRAM, _with_model(_diagram), input_signature=snapshot_signature,
                        before_diagrams=True)


def write_exchange(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from rawa.gemma import exchange as rawa_gemma_exchange

    rawa_gemma_exchange.write(app, load(app))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("rawa_gemma_snapshot",
                         str(Path(__file__).resolve().parents[3] / "data" / "gemma"), "env")
    register_view(app, TABLE, TABLE_KIND,
                  view_directive(TABLE, options={"laag": _layer}, defaults={"laag": ""}))
    register_view(app, VIEWS, VIEWS_KIND)
    register_view(app, DIAGRAM, DIAGRAM_KIND, GemmaDiagramDirective)
    app.connect("write-started", report_problems, priority=priorities.GEMMA_PROBLEMS)
    app.connect("build-finished", write_exchange)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
