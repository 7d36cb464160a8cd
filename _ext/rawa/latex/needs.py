"""Render needs in LaTeX as flowing text instead of one-cell tables.

sphinx-needs renders every need as a table with one cell. LaTeX cannot break such a
cell across pages, so a long need is cut off silently in the PDF (sphinx-needs #141).
This transform replaces the table by its contents, keeping the need's anchor so that
links to the need still land on it. It also tidies the box for print: no empty
lines from the layout, and the need's own ID as plain text instead of a link to the
page it is on (with ``latex_show_pagerefs`` that read "PRI-T6 (pagina 12)").
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from rawa import priorities


def unwrap_need_tables(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex":
        return
    for table in list(doctree.findall(nodes.table)):
        if "need" not in table.get("classes", []):
            continue
        anchor = nodes.target("", "", ids=list(table["ids"]))
        box = nodes.container(classes=["need-unwrapped"])
        for entry in table.findall(nodes.entry):
            box.extend(child.deepcopy() for child in entry.children)
        tidy_need_box(box)
        # the anchor goes inside the box: a box may move to the next page as a whole,
        # and a link must land where the box starts, not at the foot of the page before
        box.insert(0, anchor)
        table.replace_self(box)


def _enclosing_line(node: nodes.Node) -> nodes.Node | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.line):
        parent = parent.parent
    return parent


def tidy_need_box(box: nodes.Element) -> None:
    # the layout puts the field lines inside one line: "\\item[] \\item[] status: ..."
    for line in list(box.findall(nodes.line)):
        inner = [n for n in line.findall(nodes.line, include_self=False)
                 if _enclosing_line(n) is line]
        if inner and line.parent is not None:
            line.replace_self([n.deepcopy() for n in inner])
    for line in list(box.findall(nodes.line)):
        if not line.astext().strip():
            line.parent.remove(line)
    for block in list(box.findall(nodes.line_block)):
        if not block.children:
            block.parent.remove(block)
    for id_box in box.findall(nodes.inline):
        if "needs-id" not in id_box.get("classes", []):
            continue
        for ref in list(id_box.findall(nodes.reference)):
            ref.replace_self(nodes.Text(ref.astext()))


def setup(app: Sphinx) -> dict[str, Any]:
    # after sphinx-needs has built its need layout (priority 500)
    app.connect("doctree-resolved", unwrap_need_tables, priority=priorities.LATEX_UNWRAP_NEEDS)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
