"""LaTeX writer tweak: the page-reference rule of :mod:`rawa.latex.pagerefs`.

``latex_show_pagerefs`` adds "(pagina N)" after every internal link. For a link where
:func:`~rawa.latex.pagerefs.page_reference_allowed` says no (inside a table, or marked
``rawa-nopageref``) the translator writes the link without it; the link itself stays
clickable.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.latex import LaTeXTranslator

from rawa.latex.pagerefs import page_reference_allowed


class RawaLaTeXTranslator(LaTeXTranslator):
    def visit_reference(self, node: nodes.Element) -> None:
        if page_reference_allowed(node):
            super().visit_reference(node)
            return
        # Sphinx skips the page reference inside production lists; borrow that switch
        saved = self.in_production_list
        self.in_production_list = True
        try:
            super().visit_reference(node)
        finally:
            self.in_production_list = saved


def setup(app: Sphinx) -> dict[str, Any]:
    app.set_translator("latex", RawaLaTeXTranslator)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
