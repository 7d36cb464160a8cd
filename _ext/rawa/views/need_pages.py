"""Need pages that read as text: the need's own words first, its metadata last.

sphinx-needs 9.1 lays out every need as a one-cell table: a header, then all fields as
centred ``key: value`` lines, then the need's text. A reader meets the point of a
requirement last. This extension rebuilds every rendered need, right after sphinx-needs
has made it, as

* a heading: the type, the ID (a link to the need itself) and the title;
* the need's own text, under the type's ``text_heading`` if it has one ("Stelling");
* the type's ``text_fields`` as paragraphs under their labels ("Hoe toetst u dit";
  "Rationale" and "Implicaties" of a principle);
* a definition list with the ID, the status, the other fields and the links to other
  needs, labelled as the metamodel labels them.

What goes where is declared once, on the need types in ``rawa.model.metamodel``. The HTML is
headings, paragraphs and a ``dl``, no layout table, so a browser, a print renderer and
a screen reader all read it in this order. The PDF edition turns the same nodes into its
need boxes (``rawa_needs_latex``).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.nodes import make_refnode
from sphinx_needs.data import SphinxNeedsData

import rawa.model.metamodel as mm
from rawa import priorities

#: the class of a rendered need; ``rawa-need-<type>`` names its type
NEED_CLASS = "rawa-need"
TITLE_CLASS = "rawa-need-title"
PART_CLASS = "rawa-need-part"
METADATA_CLASS = "rawa-need-meta"
CSS_FILE = "rawa-needs.css"


def _label(text: str) -> str:
    return text[:1].upper() + text[1:]


def _heading(text: str | list[nodes.Node], level: int, cls: str) -> nodes.rubric:
    children = [nodes.Text(text)] if isinstance(text, str) else text
    heading = nodes.rubric("", "", *children, classes=[cls])
    heading["heading-level"] = min(level, 6)
    return heading


def _section_depth(node: nodes.Node) -> int:
    depth, parent = 0, node.parent
    while parent is not None:
        depth += isinstance(parent, nodes.section)
        parent = parent.parent
    return max(depth, 1)


def _value(value: Any) -> list[nodes.Node]:
    """A field value as inline nodes: a list joined by commas, a web address as a link."""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    if text.startswith("https://") and " " not in text:
        return [nodes.reference(text, text, refuri=text)]
    return [nodes.Text(text)]


def _links(app: Sphinx, docname: str, needs: Any, ids: list[str]) -> list[nodes.Node]:
    """Links to the needs ``ids``, the way sphinx-needs links them (title as tooltip)."""
    out: list[nodes.Node] = []
    for need_id in ids:
        if out:
            out.append(nodes.Text(", "))
        target = needs.get(need_id)
        if target is not None and target["is_external"] and target["external_url"]:
            out.append(nodes.reference(need_id, need_id, refuri=target["external_url"]))
        elif target is not None and target["docname"]:
            out.append(make_refnode(app.builder, docname, target["docname"], need_id,
                                    nodes.Text(need_id), target["title"]))
        else:
            out.append(nodes.Text(need_id))
    return out


def _item(label: str, value: list[nodes.Node]) -> nodes.definition_list_item:
    return nodes.definition_list_item(
        "", nodes.term(label, label),
        nodes.definition("", nodes.paragraph("", "", *value)))


def metadata(app: Sphinx, docname: str, needs: Any, need: Any) -> nodes.definition_list:
    """The metadata block of a need: ID, status, other fields, links; empty ones left out."""
    directive = need["type"]
    block = nodes.definition_list(classes=[METADATA_CLASS])
    block += _item("ID", [nodes.Text(need["id"])])
    if need.get("status"):
        block += _item("Status", [nodes.Text(need["status"])])
    for spec in mm.metadata_fields(directive):
        if need.get(spec.name):
            block += _item(spec.label or _label(spec.name), _value(need[spec.name]))
    for key, label in (
        *((lk.name, lk.outgoing) for lk in mm.links_from(directive)),
        *((f"{lk.name}_back", lk.incoming) for lk in mm.links_to(directive)),
    ):
        if need.get(key):
            block += _item(_label(label), _links(app, docname, needs, list(need[key])))
    return block


def _own_text(table: nodes.table) -> list[nodes.Node]:
    """The need's body as sphinx-needs put it in its layout: moved, not copied, so the
    term links planned on its text nodes still find them."""
    for entry in table.findall(nodes.entry):
        if "content" in entry["classes"]:
            return list(entry.children)
    return []


def need_page(app: Sphinx, docname: str, needs: Any, need: Any, table: nodes.table,
              level: int) -> nodes.container:
    """The readable form of one need (see the module docstring)."""
    spec = mm.need_type(need["type"])
    labels = {f.name: f.label or _label(f.name) for f in mm.FIELDS}
    box = nodes.container(classes=[NEED_CLASS, f"{NEED_CLASS}-{spec.directive}"],
                          ids=[need["id"]])
    self_link = nodes.reference(need["id"], need["id"], refid=need["id"])
    box += _heading([
        nodes.inline("", "", nodes.inline(spec.title, spec.title, classes=["needs_type_name"]),
                     nodes.Text(" "), nodes.inline("", "", self_link, classes=["needs-id"]),
                     classes=["rawa-need-kicker"]),
        nodes.Text(" "),
        nodes.inline(need["title"], need["title"], classes=["needs_title"]),
    ], level, TITLE_CLASS)
    body = nodes.container(classes=["rawa-need-text"])
    if spec.text_heading:
        body += _heading(spec.text_heading, level + 1, PART_CLASS)
    for child in _own_text(table):
        body += child
    for name in spec.text_fields:
        if need.get(name):
            body += _heading(labels[name], level + 1, PART_CLASS)
            body += nodes.paragraph("", "", *_value(need[name]))
    box += body
    box += metadata(app, docname, needs, need)
    return box


def rebuild_needs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace every need sphinx-needs rendered on this page by its readable form."""
    tables = [t for t in doctree.findall(nodes.table) if "need" in t["classes"] and t["ids"]]
    if not tables:
        return
    needs = SphinxNeedsData(app.env).get_needs_view()
    types = set(mm.TYPE_NAMES)
    for table in tables:
        need = needs.get(table["ids"][0])
        if need is None or need["type"] not in types:
            continue
        # sphinx-needs wraps the table in a container with a random id: replace both
        wrapper = table.parent
        if isinstance(wrapper, nodes.container) and "need_container" in wrapper["classes"] \
                and len(wrapper.children) == 1:
            table = wrapper
        level = _section_depth(table) + 1
        # not replace_self: that would hand the wrapper's classes and random id on
        table.parent.replace(table, need_page(app, docname, needs, need, table, level))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_css_file(CSS_FILE)
    app.connect("doctree-resolved", rebuild_needs, priority=priorities.NEED_PAGES)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
