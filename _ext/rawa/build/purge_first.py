"""Forget everything of the pages to be re-read before reading the first of them.

Sphinx purges a changed page's data just before it reads that page again, one page
after the other. When a need or label moves from page B to a new page A that is
read first, A still sees the old copy on B and the build fails with a false
"duplicate ID" or "duplicate label". Purging every page to be re-read up front makes
an incremental build see what a clean build sees.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def purge_before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    for docname in docnames:
        if docname in env.all_docs:
            app.events.emit("env-purge-doc", env, docname)
            env.clear_doc(docname)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-before-read-docs", purge_before_reading)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
