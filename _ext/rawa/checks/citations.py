"""Need IDs cited in prose: the ID must exist, and a principle's gloss must fit it.

Prose cites an object in two ways: with the ``{need}`` role, which sphinx-needs
resolves (an unknown ID already fails the strict build), or as a plain ID in the text
(``PRI-A1``), which nothing resolves. Authors often add the name of a principle in
brackets after the ID: ``{need}`[[id]] <PRI-P3>` (geen beleid, geen toegang)``. When
the ID is wrong, or the principle was renamed, the reader is misled and no link breaks.

What a machine can see reliably, and what this extension checks:

* a plain ID in prose (any prefix of the metamodel) that no need has;
* a name in brackets directly after a principle's ID (role or plain) that is not the
  principle's title or a literal part of it (case, punctuation and spacing ignored).

Whether a cited principle *supports the argument* of the sentence is not visible to a
machine; that stays with the reviewer. Findings are warnings of type
``rawa.citation`` at file and line, so the strict build fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util import logging
from sphinx_needs.data import SphinxNeedsData

import rawa.model.metamodel as mm

logger = logging.getLogger(__name__)

STORE = "rawa_citations"
#: need types whose bracketed name after an ID is checked against the title
GLOSSED_TYPES: tuple[str, ...] = ("principe",)
NON_PROSE = (nodes.literal, nodes.FixedTextElement, nodes.raw, nodes.comment,
             nodes.substitution_definition, nodes.system_message)
#: an ID anywhere in a text (the metamodel's patterns without anchors)
ID_IN_TEXT = re.compile(
    r"(?<![\w-])(" + "|".join(f"{t.prefix}{t.id_tail}" for t in mm.NEED_TYPES) + r")(?![\w-])")
#: a name in brackets directly after an ID
GLOSS = re.compile(r"^\s*\(([^()]*)\)")

#: (line, cited ID, gloss or "", plain text?)
Citation = tuple[int, str, str, bool]


def _store(env: BuildEnvironment) -> dict[str, tuple[Citation, ...]]:
    return env.__dict__.setdefault(STORE, {})


def _line_of(node: nodes.Node) -> int:
    while node is not None:
        if getattr(node, "line", None):
            return int(node.line)
        node = node.parent
    return 0


def _in_prose(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, NON_PROSE):
            return False
        parent = parent.parent
    return True


def _is_need_ref(node: nodes.Node) -> bool:
    return type(node).__name__ == "NeedRef" and "reftarget" in node


def citations(doctree: nodes.Node) -> Iterator[Citation]:
    """Every cited ID of a page: roles with the text after them, and plain IDs."""
    for node in doctree.findall(nodes.Element):
        if _is_need_ref(node) and _in_prose(node):
            target = node["reftarget"].split(".")[0]
            after = node.next_node(descend=False, siblings=True)
            text = str(after) if isinstance(after, nodes.Text) else ""
            gloss = GLOSS.match(text)
            yield _line_of(node), target, gloss.group(1) if gloss else "", False
    for text in doctree.findall(nodes.Text):
        if not _in_prose(text) or _is_need_ref(text.parent):
            continue
        value = str(text)
        for found in ID_IN_TEXT.finditer(value):
            gloss = GLOSS.match(value[found.end():])
            yield (_line_of(text.parent), found.group(1), gloss.group(1) if gloss else "",
                   True)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def gloss_fits(gloss: str, title: str) -> bool:
    """The gloss is the title or a run of whole words from it."""
    words = _words(gloss)
    return bool(words) and f" {words} " in f" {_words(title)} "


class CitationCollector(EnvironmentCollector):
    """Record the citations of each page while it is read (safe for ``-j``)."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        _store(env).pop(docname, None)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: set[str],
                    other: BuildEnvironment) -> None:
        theirs = _store(other)
        for docname in docnames:
            if docname in theirs:
                _store(env)[docname] = theirs[docname]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        _store(app.env)[app.env.docname] = tuple(citations(doctree))


def check_citations(app: Sphinx, env: BuildEnvironment) -> None:
    """After reading: warn about unknown plain IDs and glosses that do not fit."""
    needs = SphinxNeedsData(env).get_needs_mutable()
    for docname in sorted(_store(env)):
        if docname not in env.found_docs:
            continue
        for line, need_id, gloss, plain in _store(env)[docname]:
            location = (docname, line or None)
            need: Any = needs.get(need_id)
            if need is None:
                if plain:  # a role to an unknown ID is reported by sphinx-needs
                    logger.warning(
                        "de tekst noemt %s, maar dat object bestaat niet. Controleer het ID; "
                        "schrijf een verwijzing als {need}`%s`, dan controleert de build haar",
                        need_id, need_id, location=location, type="rawa", subtype="citation")
                continue
            if gloss and need["type"] in GLOSSED_TYPES and not gloss_fits(gloss, need["title"]):
                logger.warning(
                    "de tekst noemt %s '(%s)', maar %s heet '%s'. Staat er het verkeerde ID, "
                    "of is de naam verouderd? Neem de titel of een letterlijk deel ervan over",
                    need_id, gloss, need_id, need["title"], location=location,
                    type="rawa", subtype="citation")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_env_collector(CitationCollector)
    app.connect("env-check-consistency", check_citations)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
