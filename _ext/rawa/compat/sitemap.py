"""sphinx-sitemap: an incremental build keeps the pages it does not rewrite in the sitemap.

sphinx-sitemap 2.9.0 lists only the pages written in the current build (it collects
them in ``app.sitemap_links``, a queue, while pages are written); we add the pages that
were not rewritten, in the order a clean build lists them.
"""

from __future__ import annotations

import queue
import sys
from typing import Any

from sphinx.application import Sphinx

from rawa import priorities
from rawa.compat import Upstream, check_version

WRITTEN_FOR = Upstream("sphinx-sitemap", "2.9.0")


def _complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """Before sphinx-sitemap writes sitemap.xml: every page, in clean-build order."""
    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None or app.builder.format != "html":
        return
    try:
        from sphinx_sitemap import add_html_link
    except ImportError:
        return

    def drain() -> list[tuple[str, str | None]]:
        items = []
        while True:
            try:
                items.append(links.get_nowait())
            except queue.Empty:
                return items

    written = drain()
    for docname in sorted(app.env.found_docs):
        add_html_link(app, docname, None, None, None)
    documents = drain()
    known = {link for link, _ in documents}
    for item in [*documents, *(i for i in written if i[0] not in known)]:
        links.put(item)


def setup(app: Sphinx) -> dict[str, Any]:
    check_version(sys.modules[__name__])
    # before sphinx-sitemap's create_sitemap (default priority 500)
    app.connect("build-finished", _complete_sitemap, priority=priorities.SITEMAP_COMPLETE)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
