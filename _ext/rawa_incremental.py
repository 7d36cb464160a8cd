"""Correct incremental builds: rewrite every page that shows needs data when it changed.

sphinx-needs resolves tables, flows, lists, need references and the incoming links
of a need when a page is *written*, from the needs of the whole project. Sphinx only
rewrites the pages whose source changed, so after editing one requirement the
traceability tables and back-links on other pages stay stale (sphinx-needs #354).

This extension records which documents render needs data (any sphinx-needs node in
the doctree) and a fingerprint of all needs. When, after reading, the fingerprint
differs from the previous build's, it asks Sphinx (``env-get-updated``) to rewrite
all of those documents. Unchanged needs cost nothing.

It also keeps the search index whole. Sphinx 9 collects index entries (glossary
terms, ``index`` directives) while writing, after it has saved the environment, so
an incremental build drops the entries of every page it does not rewrite from
``searchindex.js``. We save them after each build and put them back before writing.
And words that no page contains any more stay in the index with no pages, which a
clean build would not write; we drop them before the index is saved.

Finally, sphinx-sitemap lists only the pages written in the current build; we add
the pages that were not rewritten, in the order a clean build lists them.
"""

from __future__ import annotations

import hashlib
import json
import queue
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.needs import NODE_TYPES, NODE_TYPES_PRIO
from sphinx_needs.nodes import Need

logger = logging.getLogger(__name__)

#: Nodes whose rendering depends on needs defined elsewhere (tables, flows, refs...).
NEED_DEPENDENT_NODES: tuple[type[nodes.Element], ...] = (Need, *NODE_TYPES_PRIO, *NODE_TYPES)

_DOCS = "rawa_need_dependent_docs"
_FINGERPRINT = "rawa_needs_fingerprint"


def _dependent_docs(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, _DOCS):
        setattr(env, _DOCS, set())
    docs: set[str] = getattr(env, _DOCS)
    return docs


def needs_fingerprint(env: BuildEnvironment) -> str:
    """A digest of every need's data as read from the sources."""
    needs = SphinxNeedsData(env).get_needs_mutable()
    digest = hashlib.sha256()
    for need_id in sorted(needs):
        need = needs[need_id]
        data = {key: need[key] for key in need}
        digest.update(json.dumps(data, sort_keys=True, default=repr).encode("utf-8"))
    return digest.hexdigest()


def _record_dependent_doc(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.current_document.docname
    if any(True for _ in doctree.findall(lambda n: isinstance(n, NEED_DEPENDENT_NODES))):
        _dependent_docs(app.env).add(docname)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _dependent_docs(env).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str],
           other: BuildEnvironment) -> None:
    _dependent_docs(env).update(_dependent_docs(other) & docnames)


def _outdated_by_needs(app: Sphinx, env: BuildEnvironment) -> list[str]:
    fingerprint = needs_fingerprint(env)
    previous = getattr(env, _FINGERPRINT, None)
    setattr(env, _FINGERPRINT, fingerprint)
    if previous is None or previous == fingerprint:
        return []
    docs = sorted(_dependent_docs(env) & env.found_docs)
    logger.info("rawa: needs changed; rewriting %d page(s) that show needs data", len(docs))
    return docs


SEARCH_ENTRIES_FILE = "rawa_search_index_entries.json"


def _entries_file(app: Sphinx) -> Path:
    return Path(app.doctreedir) / SEARCH_ENTRIES_FILE


def _restore_search_index_entries(app: Sphinx, builder: Any) -> None:
    """Give pages that are not rewritten their index entries from the last build."""
    saved = _entries_file(app)
    if not saved.is_file():
        return
    entries = app.env._search_index_index_entries
    for docname, items in json.loads(saved.read_text(encoding="utf-8")).items():
        if docname in app.env.all_docs and docname not in entries:
            entries[docname] = [tuple(item) for item in items]


def _save_search_index_entries(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    entries = getattr(app.env, "_search_index_index_entries", {})
    _entries_file(app).write_text(json.dumps(entries, sort_keys=True), encoding="utf-8")


def _drop_words_without_pages(app: Sphinx) -> list[Any]:
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None:
        for mapping in (indexer._mapping, indexer._title_mapping):
            for word in [w for w, docs in mapping.items() if not docs]:
                del mapping[word]
    return []  # html-collect-pages: no pages of our own


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
    app.connect("doctree-read", _record_dependent_doc)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-updated", _outdated_by_needs)
    app.connect("write-started", _restore_search_index_entries)
    app.connect("build-finished", _save_search_index_entries)
    app.connect("html-collect-pages", _drop_words_without_pages)
    # before sphinx-sitemap's create_sitemap (default priority 500)
    app.connect("build-finished", _complete_sitemap, priority=400)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
