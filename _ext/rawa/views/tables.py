"""Docutils tables for generated views: readable in HTML, page-breaking in the PDF.

Every generated table (matrices, coverage figures, the version diff) is built here,
so they share one look: a header row that repeats on each PDF page (``longtable``),
fixed relative column widths that fit A4 portrait, and an HTML id for tests and links.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

STATIC = Path(__file__).parent / "static"
CSS_FILE = "rawa-tables.css"

Cell = nodes.Node | str | Sequence[nodes.Node]


def _entry(cell: Cell) -> nodes.entry:
    entry = nodes.entry()
    if isinstance(cell, str):
        entry += nodes.paragraph(text=cell)
    elif isinstance(cell, nodes.Node):
        entry += cell if not isinstance(cell, nodes.Text) else nodes.paragraph("", "", cell)
    else:
        for child in cell:
            entry += child
    return entry


#: Attribute that marks a raw node as made by our code, not written in a page; the
#: content filter of rawa_safety, which refuses raw content from pages, lets these pass.
GENERATED = "rawa_generated"


def small_in_latex(table: nodes.Node) -> list[nodes.Node]:
    """The table with a smaller font in LaTeX, so that more fits on an A4 page."""
    return [nodes.raw("", r"\begingroup\small", format="latex", **{GENERATED: True}), table,
            nodes.raw("", r"\endgroup", format="latex", **{GENERATED: True})]


def build_table(headers: Sequence[str], widths: Sequence[int], rows: Sequence[Sequence[Cell]],
                *, table_id: str = "", caption: str = "") -> nodes.table:
    """A table with a header row; ``widths`` are relative column widths."""
    if len(headers) != len(widths):
        raise ValueError("one width per column")
    table = nodes.table(classes=["longtable", "colwidths-given", "rawa-table"])
    if table_id:
        table["ids"].append(table_id)
    if caption:
        table += nodes.title(text=caption)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    header_row = nodes.row()
    for label in headers:
        header_row += _entry(label)
    head += header_row
    body = nodes.tbody()
    group += body
    for cells in rows:
        if len(cells) != len(headers):
            raise ValueError("one cell per column")
        row = nodes.row()
        for cell in cells:
            row += _entry(cell)
        body += row
    return table


def _add_static_path(app: Sphinx) -> None:
    if str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    """Loaded by the extensions that make tables: adds the stylesheet for HTML."""
    app.connect("builder-inited", _add_static_path)
    app.add_css_file(CSS_FILE)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
