"""LaTeX writer tweak: no "(pagina N)" after links inside tables.

``latex_show_pagerefs`` adds a page number after every internal link. In running
text that helps a reader of the printed edition; in the narrow ID columns of the
traceability tables it only wraps "EIS-LOG-01 (pagina 12)" over three lines. The
links themselves stay clickable.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.latex import LaTeXTranslator


class RawaLaTeXTranslator(LaTeXTranslator):
    def visit_reference(self, node: nodes.Element) -> None:
        if self.table is None:
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
