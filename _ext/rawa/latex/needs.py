"""Render needs in LaTeX as framed boxes of flowing text.

sphinx-needs renders every need as a table with one cell. LaTeX cannot break such a
cell across pages, so a long need was cut off silently in the PDF (sphinx-needs #141).
``rawa.views.need_pages`` has already replaced that table by headings, paragraphs and a
definition list; this module makes that into the PDF's need box, in the same order and
with the same labels as the web page:

* the heading becomes two lines: type and ID, then the title; the need's own ID is plain
  text, not a link to the page it is on (that read "PRI-T6 (pagina 12)");
* the part headings ("Stelling", "Hoe toetst u dit") become labels in the house style;
* the metadata list becomes compact "label: value" lines.

The need's anchor goes inside the box, so links to the need still land on it.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from rawa import priorities
from rawa.views.need_pages import METADATA_CLASS, NEED_CLASS, PART_CLASS, TITLE_CLASS

#: the class of a need box in LaTeX (environment ``sphinxclassneed-unwrapped``, rawa.sty)
BOX_CLASS = "need-unwrapped"


def _title_lines(heading: nodes.Element) -> list[nodes.Node]:
    for id_box in heading.findall(nodes.inline):
        if "needs-id" in id_box["classes"]:
            for ref in list(id_box.findall(nodes.reference)):
                ref.replace_self(nodes.Text(ref.astext()))
    lines: list[nodes.Node] = []
    for child in heading.children:
        if isinstance(child, nodes.inline):
            lines.append(nodes.paragraph("", "", child.deepcopy()))
    return lines


def _metadata_lines(block: nodes.definition_list) -> list[nodes.Node]:
    # environment sphinxclassrawa-need-meta (rawa.sty): a little space, a smaller font
    lines = nodes.container(classes=[METADATA_CLASS])
    for item in block.findall(nodes.definition_list_item):
        label = item.next_node(nodes.term).astext()
        value = item.next_node(nodes.paragraph)
        lines += nodes.paragraph("", "", nodes.inline("", f"{label}:", classes=["needs_label"]),
                                 nodes.Text(" "), *value.children)
    return [lines]


def _for_print(node: nodes.Node) -> list[nodes.Node]:
    classes = node.get("classes", []) if isinstance(node, nodes.Element) else []
    if isinstance(node, nodes.rubric) and TITLE_CLASS in classes:
        return _title_lines(node)
    if isinstance(node, nodes.rubric) and PART_CLASS in classes:
        return [nodes.paragraph("", "", nodes.inline("", node.astext(),
                                                      classes=["rawa-need-label"]))]
    if isinstance(node, nodes.definition_list) and METADATA_CLASS in classes:
        return _metadata_lines(node)
    if isinstance(node, nodes.container) and "rawa-need-text" in classes:
        return [out for child in node.children for out in _for_print(child)]
    return [node]


def need_boxes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex":
        return
    for need in list(doctree.findall(nodes.container)):
        if NEED_CLASS not in need["classes"]:
            continue
        box = nodes.container(classes=[BOX_CLASS])
        # the anchor goes inside the box: a box may move to the next page as a whole,
        # and a link must land where the box starts, not at the foot of the page before
        box += nodes.target("", "", ids=list(need["ids"]))
        for child in list(need.children):
            box.extend(_for_print(child))
        need.parent.replace(need, box)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-resolved", need_boxes, priority=priorities.LATEX_UNWRAP_NEEDS)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
