"""Give the PDF the structure of a book: front matter, parts, annexes, breakable tables.

The LaTeX builder pastes every document into the root page at the place of its
toctree. On the root page of the site, the toctree sits in a section ("Inhoud")
after the reading guide, so without help every part would become a chapter of
that section. This transform, run on the assembled LaTeX document only:

* drops root-page content marked HTML-only by class (the metadata table, which the
  title page repeats);
* turns the root page's own sections (the reading guide, ...) into one unnumbered
  chapter before Part I ("Over deze publicatie", ``rawa_latex_front_title``), and
  dissolves the section holding the toctree so that the included documents become
  the parts of the book;
* puts ``\\appendix`` before the annex part, so its chapters are "Bijlage A, B, ...";
* makes wide (``rawa_latex_longtable_columns``) or long tables outside needs break
  across pages (``longtable`` with the source's column widths, or widths from the
  length of the contents), and very wide ones (``rawa_latex_landscape_columns``)
  landscape.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.texescape import escape

from rawa import priorities

logger = logging.getLogger(__name__)

#: classes of root-page content that only makes sense on the website
HTML_ONLY_CLASSES = frozenset({"rawa-metadata"})
#: class of the container that ``rawa_needs_latex`` puts around a need's content
NEED_BOX_CLASS = "need-unwrapped"


def _raw(latex: str) -> nodes.raw:
    return nodes.raw("", latex + "\n", format="latex")


def _anchor(section: nodes.Element) -> nodes.target:
    return nodes.target("", "", ids=list(section["ids"]))


def _has_included_documents(node: nodes.Element) -> bool:
    return any(True for _ in node.findall(addnodes.start_of_file))


def _flatten_subsections(nodes_in: list[nodes.Node]) -> list[nodes.Node]:
    """Subsections of a front chapter become unnumbered headings (rubrics)."""
    out: list[nodes.Node] = []
    for node in nodes_in:
        if isinstance(node, nodes.section):
            title = node[0]
            out.append(_anchor(node))
            out.append(nodes.rubric("", "", *[c.deepcopy() for c in title.children]))
            out.extend(_flatten_subsections(list(node.children[1:])))
        else:
            out.append(node)
    return out


def build_front_matter(root: nodes.section, front_title: str) -> None:
    """Restructure the root page's section (see the module docstring).

    A single section of the root page becomes an unnumbered chapter with its own
    title; several become unnumbered sections of one chapter called ``front_title``.
    The text before the first section opens that chapter.
    """
    for child in list(root.children[1:]):
        if HTML_ONLY_CLASSES & set(child.get("classes", [])):
            root.remove(child)
    intro = [c for c in root.children[1:] if not isinstance(c, nodes.section)]
    sections = [c for c in root.children[1:] if isinstance(c, nodes.section)]
    front = [s for s in sections if not _has_included_documents(s)]
    for section in sections:
        if section not in front:  # the parts become children of the root
            section.replace_self([_anchor(section), *section.children[1:]])
    if not front:
        return
    several = len(front) > 1
    chapter_title = front_title if several else front[0][0].astext()
    chapter: list[nodes.Node] = [
        _raw(f"\\rawaFrontChapter{{{escape(chapter_title, 'xelatex')}}}"), *intro]
    for section in front:
        if several:
            chapter.append(_raw(f"\\rawaFrontSection{{{escape(section[0].astext(), 'xelatex')}}}"))
        chapter.append(_anchor(section))
        chapter.extend(_flatten_subsections(list(section.children[1:])))
    for node in intro:
        root.remove(node)
    front[0].replace_self(chapter)
    for section in front[1:]:
        root.remove(section)


def mark_appendix(doctree: nodes.Element, appendix_doc: str) -> bool:
    """Insert ``\\appendix`` before the annex part; False if the document is absent."""
    for node in doctree.findall(addnodes.start_of_file):
        if node.get("docname") == appendix_doc:
            parent = node.parent
            parent.insert(parent.index(node), _raw("\\appendix"))
            return True
    return False


def _in_need_box(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Element) and NEED_BOX_CLASS in parent.get("classes", []):
            return True
        parent = parent.parent
    return False


def make_tables_breakable(doctree: nodes.Element, min_columns: int, landscape_columns: int,
                          max_rows: int = 30) -> None:
    """Wide or long tables become ``longtable`` with the source's column widths."""
    for table in list(doctree.findall(nodes.table)):
        if _in_need_box(table) or any(isinstance(a, nodes.table) for a in _ancestors(table)):
            continue
        colspecs = list(table.findall(nodes.colspec))
        rows = sum(1 for _ in table.findall(nodes.row))
        classes = table["classes"]
        if len(colspecs) < min_columns and rows <= max_rows and "longtable" not in classes:
            continue
        if "longtable" not in classes:
            classes.append("longtable")
        if "colwidths-given" not in classes:
            # the source gave no widths: share the width by the length of the contents
            for colspec, width in zip(colspecs, _content_widths(table, len(colspecs)), strict=True):
                colspec["colwidth"] = width
            classes.append("colwidths-given")
        if len(colspecs) >= landscape_columns:
            parent = table.parent
            parent.insert(parent.index(table), _raw("\\begin{landscape}"))
            parent.insert(parent.index(table) + 1, _raw("\\end{landscape}"))


def _content_widths(table: nodes.table, columns: int, low: int = 6, high: int = 50,
                    line: int = 85) -> list[int]:
    """Relative column widths from the contents.

    Each column first gets room for its longest word, so that no word sticks out of
    its cell; what is left of a line of about ``line`` characters is shared by how
    much longer the column's longest cell (within [low, high]) is than that.
    """
    longest = [0] * columns
    word = [0] * columns
    for row in table.findall(nodes.row):
        entries = [e for e in row.children if isinstance(e, nodes.entry)]
        for index, entry in enumerate(entries[:columns]):
            # what the reader sees: not the LaTeX code of raw nodes (e.g. page references)
            text = " ".join(t.astext() for t in entry.findall(nodes.Text)
                            if not isinstance(t.parent, nodes.raw))
            longest[index] = max(longest[index], len(text))
            word[index] = max([word[index], *(len(w) for w in text.split())])
    # room for the longest word (bold headings are wider than body text) and padding
    need = [round(w * 1.2) + 3 for w in word]
    wish = [min(high, max(low, n)) for n in longest]
    rest = line - sum(need)
    if rest <= 0:
        return need
    extra = [max(0, w - n) for w, n in zip(wish, need, strict=True)]
    total = sum(extra) or 1
    return [n + round(rest * e / total) for n, e in zip(need, extra, strict=True)]


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    out = []
    parent = node.parent
    while parent is not None:
        out.append(parent)
        parent = parent.parent
    return out


def conf_location(app: Sphinx, name: str) -> str | None:
    """``<confdir>/conf.py:<line>`` of the line that sets ``name``; ``None`` if none does.

    A plain (docname, line) location would name the file as a source page
    (``conf.py.md``); a path with a line is printed as it is.
    """
    conf = Path(app.confdir) / "conf.py"
    try:
        lines = conf.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    setting = re.compile(rf"{re.escape(name)}\s*(:[^=]*)?=")
    line = next((n for n, text in enumerate(lines, 1) if setting.match(text)), None)
    return f"{conf}:{line}" if line else None


def restructure(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex" or docname != app.config.root_doc:
        return
    root = next(iter(doctree.findall(nodes.section)), None)
    if root is not None:
        build_front_matter(root, app.config.rawa_latex_front_title)
    appendix_doc = app.config.rawa_latex_appendix
    if appendix_doc and not mark_appendix(doctree, appendix_doc):
        logger.warning("rawa_latex_appendix %r in conf.py is geen document in de toctree van "
                       "de PDF", appendix_doc, location=conf_location(app, "rawa_latex_appendix"),
                       type="rawa", subtype="latex")
    make_tables_breakable(doctree, app.config.rawa_latex_longtable_columns,
                          app.config.rawa_latex_landscape_columns)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("rawa_latex_appendix", "", "env", str)
    app.add_config_value("rawa_latex_front_title", "Over deze publicatie", "env", str)
    app.add_config_value("rawa_latex_longtable_columns", 4, "env", int)
    app.add_config_value("rawa_latex_landscape_columns", 8, "env", int)
    # after the need tables are unwrapped (rawa_needs_latex, priority 900)
    app.connect("doctree-resolved", restructure, priority=priorities.LATEX_STRUCTURE)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
