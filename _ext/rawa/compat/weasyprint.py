"""WeasyPrint: running heads and page numbers become artifacts, not orphaned content.

WeasyPrint 70 marks the text of the page margin boxes (our running heads, the status
and the page number) as real content with a structure element that is not linked into
the structure tree (``weasyprint/pdf/tags.py``, the ``MarginBox`` case): a screen reader
cannot reach it through the tree, and a checker counts tagged text outside the tree
(Matterhorn 01-001). Repeated page furniture is an *artifact* in PDF/UA. The patch:

- before a page is drawn, collects every box inside its margin boxes;
- draws the text of those boxes inside ``/Artifact`` marked content, without an MCID;
- leaves the margin boxes out when the structure tree is built.

The patch is applied when a PDF builder starts (``PDF_BUILDERS``), so an HTML build
does not import WeasyPrint. Everything else is WeasyPrint's own code. Tested in
``tests/test_print_pdf.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sphinx.application import Sphinx

from rawa.compat import Upstream, check_version

WRITTEN_FOR = Upstream("weasyprint", "70.0")

_ARTIFACTS = "_rawa_artifacts"


def _descendants(box: Any) -> Iterator[Any]:
    for child in getattr(box, "children", ()):
        yield child
        yield from _descendants(child)


def patch() -> None:
    """Apply the three changes (idempotent)."""
    from weasyprint import document
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import stream as pdf_stream
    from weasyprint.pdf import tags

    if getattr(document.draw_page, "_rawa", False):
        return
    draw_page = document.draw_page
    marked = pdf_stream.Stream.marked
    build_box_tree = tags._build_box_tree

    def draw_page_with_artifacts(page: Any, stream: Any) -> None:
        margin = [c for c in page.children if isinstance(c, boxes.MarginBox)]
        setattr(stream, _ARTIFACTS, {id(b) for m in margin for b in (m, *_descendants(m))})
        draw_page(page, stream)

    @contextmanager
    def marked_or_artifact(self: Any, box: Any, tag: str) -> Iterator[None]:
        if id(box) in getattr(self, _ARTIFACTS, ()):
            with self.artifact():
                yield
        else:
            with marked(self, box, tag):
                yield

    def build_without_margins(box: Any, *args: Any) -> Iterator[Any]:
        if isinstance(box, boxes.MarginBox):
            return
        yield from build_box_tree(box, *args)

    draw_page_with_artifacts._rawa = True  # type: ignore[attr-defined]
    document.draw_page = draw_page_with_artifacts
    pdf_stream.Stream.marked = marked_or_artifact
    tags._build_box_tree = build_without_margins


#: the builders that render a PDF with WeasyPrint (:mod:`rawa.pdf`)
PDF_BUILDERS = frozenset({"rawapdf"})


def _patch_for_pdf(app: Sphinx) -> None:
    """Patch WeasyPrint only when this build makes a PDF: other builds never import it
    (about half a second for every ``make html`` and every build in the tests)."""
    if app.builder.name in PDF_BUILDERS:
        patch()


def setup(app: Sphinx) -> dict[str, Any]:
    check_version(sys.modules[__name__])
    app.connect("builder-inited", _patch_for_pdf)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
