"""pydyf (the PDF writer under WeasyPrint): page references computed once, not per call.

``pydyf.PDF.page_references`` is a property that builds a tuple of every page's
reference each time it is read. WeasyPrint reads it for every element of the structure
tree and every link it tags (``weasyprint/pdf/tags.py``, ``anchors.py``): for the
publication about 160,000 reads of a 475-page tuple, some 77 million steps and a sixth
of the PDF build. The patch keeps the tuple until a page is added; the value is the
same as upstream's. Measured with ``tools/bench_pdf.py``.
"""

from __future__ import annotations

import sys
from typing import Any

import pydyf
from sphinx.application import Sphinx

from rawa.compat import Upstream, check_version

WRITTEN_FOR = Upstream("pydyf", "0.13.0")

_CACHE = "_rawa_page_references"


def cached_page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """Upstream's ``page_references``, rebuilt only when the list of pages changed."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get(_CACHE)
    if cached is None or cached[0] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = pdf.__dict__[_CACHE] = (len(kids), references)
    return cached[1]


def patch() -> None:
    pydyf.PDF.page_references = property(cached_page_references)


def setup(app: Sphinx) -> dict[str, Any]:
    check_version(sys.modules[__name__])
    patch()
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
