"""Correct incremental builds: rewrite the pages whose needs data changed.

sphinx-needs resolves tables, flows, lists, need references and the incoming links
of a need when a page is *written*, from the needs of the whole project. Sphinx only
rewrites the pages whose source changed, so after editing one requirement the
traceability tables and back-links on other pages stay stale (sphinx-needs #354).

This extension records, per document, which needs it shows one by one (a need's box,
a ``{need}`` reference) and whether it shows something computed over all needs (a
sphinx-needs table, flow or list, or one of our views (:mod:`rawa.views.base`)); it
also records which pages hold a view, so the views' handler walks only those pages.
After reading it compares a digest of every need with the previous build. When needs
changed, it asks Sphinx (``env-get-updated``) to rewrite the pages over all needs, and
the pages that show a changed need or a need linked to or from one (its box lists those
links). Unchanged needs cost nothing.

An incremental build is a preview: the published editions are clean builds. The
search index and the sitemap of a preview may differ from a clean build's (README,
"Incrementeel bouwen"); the pages, needs.json and the exports may not.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.needs import NODE_TYPES, NODE_TYPES_PRIO
from sphinx_needs.nodes import Need
from sphinx_needs.roles.need_part import NeedPart
from sphinx_needs.roles.need_ref import NeedRef

import rawa.model.metamodel as mm
from rawa.views.base import KINDS, rawa_view

logger = logging.getLogger(__name__)


#: Nodes that show one need (its box, or a reference to it): their page depends on
#: that need and on the needs it links to or that link to it (the box lists both).
ONE_NEED_NODES: tuple[type, ...] = (Need, NeedRef, NeedPart)
#: Nodes that filter or count over all needs: their page depends on every need.
ALL_NEEDS_NODES: tuple[type, ...] = tuple(
    cls for cls in (*NODE_TYPES_PRIO, *NODE_TYPES) if cls not in ONE_NEED_NODES
)

_SHOWN = "rawa_docs_showing_needs"
_ALL = "rawa_docs_showing_all_needs"
_INPUTS = "rawa_input_signatures"
_DIGESTS = "rawa_need_digests"
_LINKS = "rawa_need_links"
_FINGERPRINT = "rawa_needs_fingerprint"
_VIEWS = "rawa_docs_with_views"


def _shown(env: BuildEnvironment) -> dict[str, frozenset[str]]:
    """Per document: the IDs of the needs it shows one by one."""
    if not hasattr(env, _SHOWN):
        setattr(env, _SHOWN, {})
    shown: dict[str, frozenset[str]] = getattr(env, _SHOWN)
    return shown


def _showing_all(env: BuildEnvironment) -> dict[str, frozenset[str]]:
    """Documents with a table, flow, matrix ... over all needs: the names of those nodes."""
    if not hasattr(env, _ALL):
        setattr(env, _ALL, {})
    docs: dict[str, frozenset[str]] = getattr(env, _ALL)
    return docs


def pages_with_views(env: BuildEnvironment) -> dict[str, frozenset[str]]:
    """Per document that holds a generated view (:class:`rawa_view`): the kinds it holds."""
    if not hasattr(env, _VIEWS):
        setattr(env, _VIEWS, {})
    views: dict[str, frozenset[str]] = getattr(env, _VIEWS)
    return views


def _shown_id(node: nodes.Element) -> str | None:
    if isinstance(node, Need):
        return str(node.get("refid") or "") or None
    if isinstance(node, NeedRef):  # "ID" or "ID.part"
        return str(node.get("reftarget") or "").split(".")[0] or None
    return None  # a need part belongs to the need around it


def need_digests(env: BuildEnvironment) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Per need as read from the sources: a digest of its data, and its link targets."""
    needs = SphinxNeedsData(env).get_needs_mutable()
    digests: dict[str, str] = {}
    links: dict[str, frozenset[str]] = {}
    for need_id in sorted(needs):
        need = needs[need_id]
        data = {key: need[key] for key in need}
        digests[need_id] = hashlib.sha256(
            json.dumps(data, sort_keys=True, default=repr).encode("utf-8")).hexdigest()
        links[need_id] = frozenset(
            str(target).split(".")[0] for name in (*mm.LINK_NAMES, "links")
            for target in (need.get(name) or ()))
    return digests, links


def build_fingerprint(env: BuildEnvironment) -> str | None:
    """A digest of all needs of the current build (None before ``env-get-updated``)."""
    value = getattr(env, _FINGERPRINT, None)
    return value if isinstance(value, str) else None


def affected_needs(changed: set[str], *link_maps: dict[str, frozenset[str]]) -> set[str]:
    """The changed needs and every need linked to or from one of them (old or new links)."""
    affected = set(changed)
    for links in link_maps:
        for source, targets in links.items():
            if source in changed:
                affected |= targets
            elif targets & changed:
                affected.add(source)
    return affected


def _record_dependent_doc(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.current_document.docname
    ids: set[str] = set()
    over_all: set[str] = set()
    kinds: set[str] = set()
    for node in doctree.findall(
            lambda n: isinstance(n, (*ONE_NEED_NODES, *ALL_NEEDS_NODES, rawa_view))):
        if isinstance(node, rawa_view):
            kinds.add(node["kind"])
            if KINDS[node["kind"]].all_needs:
                over_all.add(KINDS[node["kind"]].dependency)
        elif isinstance(node, ALL_NEEDS_NODES):
            over_all.add(type(node).__name__)
        elif (need_id := _shown_id(node)) is not None:
            ids.add(need_id)
    if ids:
        _shown(app.env)[docname] = frozenset(ids)
    if over_all:
        _showing_all(app.env)[docname] = frozenset(over_all)
    if kinds:
        pages_with_views(app.env)[docname] = frozenset(kinds)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _shown(env).pop(docname, None)
    _showing_all(env).pop(docname, None)
    pages_with_views(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str],
           other: BuildEnvironment) -> None:
    for mine, theirs in ((_shown(env), _shown(other)), (_showing_all(env), _showing_all(other)),
                         (pages_with_views(env), pages_with_views(other))):
        mine.update({d: value for d, value in theirs.items() if d in docnames})


def _outdated_by_needs(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages to rewrite: those that show a changed need, or a table over all needs."""
    digests, links = need_digests(env)
    previous: dict[str, str] | None = getattr(env, _DIGESTS, None)
    old_links: dict[str, frozenset[str]] = getattr(env, _LINKS, {})
    setattr(env, _DIGESTS, digests)
    setattr(env, _LINKS, links)
    setattr(env, _FINGERPRINT, hashlib.sha256(
        json.dumps(digests, sort_keys=True).encode("utf-8")).hexdigest())
    if previous is None:
        return []
    changed = {i for i in previous.keys() | digests.keys() if previous.get(i) != digests.get(i)}
    if not changed:
        return []
    affected = affected_needs(changed, old_links, links)
    docs = (set(_showing_all(env)) | {d for d, ids in _shown(env).items() if ids & affected})
    docs &= env.found_docs
    logger.info("rawa: %d need(s) changed; rewriting %d page(s) that show them",
                len(changed), len(docs))
    return sorted(docs)


def _outdated_by_inputs(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose view reads a file (a baseline, the GEMMA snapshot) that changed since
    the last build."""
    previous: dict[str, object] = getattr(env, _INPUTS, {})
    current = {kind.dependency: kind.input_signature(app) for kind in KINDS.values()
               if kind.input_signature is not None}
    setattr(env, _INPUTS, current)
    changed = {name for name, signature in current.items()
               if name in previous and previous[name] != signature}
    return sorted(d for d, names in _showing_all(env).items()
                  if names & changed and d in env.found_docs)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", _record_dependent_doc)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-updated", _outdated_by_needs)
    app.connect("env-get-updated", _outdated_by_inputs)
    # env_version 2: per-page need IDs and per-need digests replace one fingerprint
    # env_version 3: per page the names of the nodes over all needs, and input signatures
    # env_version 4: per page the kinds of generated views it holds
    # env_version 5: the GEMMA views are generated views too (no placeholder classes)
    return {"version": "1.0", "env_version": 5, "parallel_read_safe": True,
            "parallel_write_safe": True}
