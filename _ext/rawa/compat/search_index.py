"""Sphinx: an incremental build keeps the search entries of the pages it does not rewrite.

Sphinx 9 collects index entries (glossary terms, ``index`` directives) while writing,
after it has saved the environment, so an incremental build drops the entries of
every page it does not rewrite from ``searchindex.js``. We save them after each build
and put them back before writing. And words that no page contains any more stay in
the index with no pages, which a clean build would not write; we drop them before the
index is saved. Both touch private state of Sphinx 9.0.4
(``env._search_index_index_entries``, ``IndexBuilder._mapping``/``_title_mapping``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from rawa.compat import Upstream, check_version

WRITTEN_FOR = Upstream("sphinx", "9.0.4")

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



def setup(app: Sphinx) -> dict[str, Any]:
    check_version(sys.modules[__name__])
    app.connect("write-started", _restore_search_index_entries)
    app.connect("build-finished", _save_search_index_entries)
    app.connect("html-collect-pages", _drop_words_without_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
