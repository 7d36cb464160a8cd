"""Plain need data and links to needs, shared by the traceability extensions.

The matrices, the coverage report, the exports and the version diff all work on the
same snapshot of the needs: plain dictionaries with the metamodel's fields and links,
sorted by ID. They link to a need with :func:`need_reference`, which works for the
HTML and the LaTeX builder alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import NoUri
from sphinx.util.texescape import escape
from sphinx_needs.api import get_needs_view

import rawa.model.metamodel as mm
from rawa.latex.pagerefs import NO_PAGEREF

Need = dict[str, Any]
Needs = dict[str, Need]

#: Keys every snapshot need has, apart from the metamodel's fields and links.
CORE_KEYS: tuple[str, ...] = ("id", "type", "title", "status", "content", "docname", "lineno")


def link_keys() -> tuple[str, ...]:
    """Every link and backlink key of the metamodel, e.g. ``vervult`` and ``vervult_back``."""
    return tuple(key for link in mm.LINKS for key in (link.name, f"{link.name}_back"))


def plain(need: Mapping[str, Any]) -> Need:
    """One need as a plain dictionary with the core keys, fields and links."""
    data: Need = {key: need.get(key) for key in CORE_KEYS}
    for spec in mm.FIELDS:
        data[spec.name] = need.get(spec.name)
    for key in link_keys():
        data[key] = sorted(need.get(key) or [])
    return data


def snapshot(app: Sphinx) -> Needs:
    """All needs of the build, as plain dictionaries sorted by ID."""
    view = get_needs_view(app)
    return {need_id: plain(view[need_id]) for need_id in sorted(view)}


def latex_id(label: str) -> str:
    """An ID that LaTeX never hyphenates; a long one may break after its type prefix."""
    prefix, _, rest = label.partition("-")
    if len(label) < 10 or not rest:  # "SCN-INR-01" may break after its prefix too
        return rf"\mbox{{{escape(label)}}}"
    return rf"\mbox{{{escape(prefix)}-}}\allowbreak{{}}\mbox{{{escape(rest)}}}"


def need_reference(app: Sphinx, fromdocname: str, need: Mapping[str, Any],
                   text: str | None = None) -> nodes.Node:
    """A link to ``need`` from ``fromdocname``; plain text if the builder has no target."""
    label = text or str(need["id"])
    try:
        uri = app.builder.get_relative_uri(fromdocname, str(need["docname"]))
    except NoUri:
        return nodes.Text(label)
    if app.builder.format == "latex":
        # no "(pagina N)" after every ID (rawa.latex.pagerefs), and an ID never breaks
        ref = nodes.reference("", "", internal=True, refuri=f"{uri}#{need['id']}",
                              classes=[NO_PAGEREF])
        ref += nodes.raw("", latex_id(label), format="latex")
        return ref
    ref = nodes.reference("", "", internal=True, refuri=f"{uri}#{need['id']}",
                          reftitle=str(need.get("title") or ""))
    ref += nodes.Text(label)
    return ref


def reference_list(app: Sphinx, fromdocname: str, needs: Needs,
                   ids: list[str]) -> nodes.paragraph:
    """A paragraph of comma-separated links to ``ids``, or a dash when there are none."""
    para = nodes.paragraph()
    if not ids:
        para += nodes.Text("–")
        return para
    for index, need_id in enumerate(ids):
        if index:
            para += nodes.Text(", ")
        para += need_reference(app, fromdocname, needs[need_id])
    return para
