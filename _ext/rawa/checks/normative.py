"""Check the use of normative keywords (MOET, MOET NIET, ZOU MOETEN, ...).

Rules, checked on every page while it is read:

* every ``eis`` need states exactly one normative keyword in its content;
* that keyword equals the need's ``niveau`` field;
* informative text, that is any text block outside an ``eis`` need and every
  field value or title of a need (except ``niveau``), never uses a keyword in
  capitals.

Keywords are matched in capitals only, as whole words, longest first, so that
``MOET NIET`` is one keyword and not ``MOET`` plus something. A violation is a
warning of type ``rawa.normative`` at the file and line of the need or text
block, so the strict build fails with a message a maintainer can act on. The
check only reads the doctree and the page's own needs, which makes it safe for
parallel reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.nodes import Need

from rawa.model.metamodel import FIELDS, NORMATIVE_KEYWORDS

logger = logging.getLogger(__name__)

REQUIREMENT_TYPE = "eis"
LEVEL_FIELD = "niveau"
#: Text inside these nodes is code or markup, never prose.
NON_PROSE = (nodes.literal, nodes.FixedTextElement, nodes.raw, nodes.comment,
             nodes.substitution_definition)
_LETTER = r"0-9A-Za-zÀ-ÖØ-öø-ÿ"


def keyword_pattern(keywords: tuple[str, ...] = NORMATIVE_KEYWORDS) -> re.Pattern[str]:
    """One case-sensitive pattern for all keywords: whole words, longest first."""
    ordered = sorted(keywords, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, k.split())) for k in ordered)
    return re.compile(rf"(?<![{_LETTER}])(?:{alternatives})(?![{_LETTER}])")


KEYWORD = keyword_pattern()


def find_keywords(text: str) -> list[str]:
    """The keywords in ``text`` in order of appearance, whitespace normalised."""
    return [" ".join(match.group(0).split()) for match in KEYWORD.finditer(text)]


def _prose(block: nodes.Element) -> str:
    """The text of a block without code, literals and nested blocks' markup."""
    parts: list[str] = []
    for text in block.findall(nodes.Text):
        if any(isinstance(a, NON_PROSE) for a in _ancestors(text, stop=block)):
            continue
        parts.append(str(text))
    return "".join(parts)


def _ancestors(node: nodes.Node, stop: nodes.Node | None = None) -> Iterator[nodes.Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        if parent is stop:
            return
        parent = parent.parent


def _text_blocks(doctree: nodes.Node) -> Iterator[nodes.TextElement]:
    """Block-level text elements (paragraphs, titles, terms, captions ...)."""
    for element in doctree.findall(nodes.TextElement):
        if isinstance(element, NON_PROSE):
            continue
        if any(isinstance(a, nodes.TextElement) for a in _ancestors(element)):
            continue  # inline markup; its text belongs to the enclosing block
        yield element


def _enclosing_need(node: nodes.Node) -> Need | None:
    for ancestor in _ancestors(node):
        if isinstance(ancestor, Need):
            return ancestor
    return None


def _line_of(node: nodes.Node) -> int | None:
    """The source line of a node, or of its nearest ancestor that has one."""
    for candidate in (node, *_ancestors(node)):
        line = getattr(candidate, "line", None)
        if line:
            return int(line)
    return None


def _warn(message: str, location: Any) -> None:
    logger.warning(message, location=location, type="rawa", subtype="normative")


def _check_requirement(need_id: str, need: Any, blocks: list[nodes.TextElement]) -> None:
    found = [k for block in blocks for k in find_keywords(_prose(block))]
    location = (need["docname"], need.get("lineno"))
    if not found:
        _warn(f"Eis {need_id} bevat geen normatief sleutelwoord; gebruik er precies één van "
              f"{', '.join(NORMATIVE_KEYWORDS)}.", location)
        return
    if len(found) > 1:
        _warn(f"Eis {need_id} bevat {len(found)} normatieve sleutelwoorden "
              f"({', '.join(found)}); een eis vraagt precies één ding.", location)
        return
    level = need.get(LEVEL_FIELD)
    if level and found[0] != level:
        _warn(f"Eis {need_id}: het sleutelwoord in de tekst ({found[0]}) verschilt van het "
              f"veld {LEVEL_FIELD} ({level}).", location)


_CHECKED_FIELDS = ("title", *(f.name for f in FIELDS if f.name != LEVEL_FIELD))


def _check_need_fields(need_id: str, need: Any) -> None:
    for name in _CHECKED_FIELDS:
        value = need.get(name)
        if isinstance(value, str) and (found := find_keywords(value)):
            _warn(f"Need {need_id}, veld {name}: informatieve tekst gebruikt het normatieve "
                  f"sleutelwoord {found[0]} in hoofdletters; schrijf het in kleine letters.",
                  (need["docname"], need.get("lineno")))


def check_doctree(app: Sphinx, doctree: nodes.document) -> None:
    """Check one page: requirements, informative text and need fields."""
    docname = app.env.docname
    needs = SphinxNeedsData(app.env).get_needs_mutable()
    requirement_blocks: dict[str, list[nodes.TextElement]] = {}
    for need_node in doctree.findall(Need):
        need = needs.get(need_node["refid"])
        if need is not None and need["type"] == REQUIREMENT_TYPE:
            requirement_blocks.setdefault(need_node["refid"], [])

    for block in _text_blocks(doctree):
        need_node = _enclosing_need(block)
        if need_node is not None and need_node["refid"] in requirement_blocks:
            requirement_blocks[need_node["refid"]].append(block)
            continue
        found = find_keywords(_prose(block))
        if found:
            _warn(f"Informatieve tekst gebruikt het normatieve sleutelwoord {found[0]} in "
                  "hoofdletters; alleen een eis mag dat. Schrijf het in kleine letters.",
                  (docname, _line_of(block)))

    for need_id, blocks in requirement_blocks.items():
        _check_requirement(need_id, needs[need_id], blocks)
    for need_id, need in needs.items():
        if need.get("docname") == docname:
            _check_need_fields(need_id, need)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", check_doctree)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
