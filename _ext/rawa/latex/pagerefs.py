"""The one rule for "(pagina N)" after a link in the PDF.

``latex_show_pagerefs`` makes Sphinx print a page reference after every internal link,
and :mod:`rawa.terms` adds one after the first link to a glossary term on a page. In
running text that helps a reader of the printed edition. A link gets no page reference
when :func:`page_reference_allowed` says so:

* inside a table: in the narrow columns of the traceability tables "EIS-LOG-01 (pagina
  12)" only wraps over three lines;
* on a node marked with the class :data:`NO_PAGEREF`, or inside one: a link to a need
  made by :func:`rawa.model.need_refs.need_reference`, wherever it stands.

The links themselves stay clickable. The LaTeX translator
(:mod:`rawa.latex.translator`) applies the rule to every reference it writes; the term
linker asks it before it adds a page reference of its own (:func:`page_reference`).
"""

from __future__ import annotations

from docutils import nodes

#: The class of a link (or of an element around links) that gets no page reference.
NO_PAGEREF = "rawa-nopageref"


def page_reference_allowed(node: nodes.Node | None) -> bool:
    """Whether a link at ``node`` may be followed by "(pagina N)" in the PDF."""
    while node is not None:
        if isinstance(node, nodes.table):
            return False
        if isinstance(node, nodes.Element) and NO_PAGEREF in node.get("classes", ()):
            return False
        node = node.parent
    return True


def page_reference(label: str) -> nodes.raw:
    """`` (pagina N)`` for the LaTeX label ``label``, in the form Sphinx writes it.

    ``\\autopageref*`` prints the babel word for "page" and a clickable number.
    """
    return nodes.raw("", rf" (\autopageref*{{\detokenize{{{label}}}}})", format="latex")
