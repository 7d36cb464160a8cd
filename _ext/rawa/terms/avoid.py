"""One name per concept: fail the build where the text uses a form the glossary rejects.

A glossary entry may list, under ``:Niet gebruiken:``, names of its concept that the
publication does not use (``meerfactorauthenticatie`` for *multifactorauthenticatie*).
While a page is read, its prose is recorded with line numbers: every text block,
titles and captions included, but not code or literals, and the configured text
fields of the page's needs. After all pages are read, the rejected forms are matched
against that record with the term matcher's rules (whole words, abbreviations
case-sensitive) and every hit is a warning of type ``rawa.term_avoid`` at its file and
line, naming the preferred term. Quoting a rejected form on purpose is done as a
literal (``meerfactorauthenticatie``), which is never prose.

Phrases that are no single name (``BIO, versie 2.0``, or ``fase 2`` for a planning
remark that must not be published) are configured as ``rawa_terms_avoid_phrases``:
(phrase, advice) pairs, matched case-insensitively against the same record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .entries import TermEntry
from .matcher import Matcher, matcher_for, normalise

logger = logging.getLogger(__name__)

#: per document: ((line, text), ...) of its prose, recorded while it is read
PROSE = "rawa_terms_prose"
#: text inside these nodes is code or markup, never prose
NON_PROSE: tuple[type[nodes.Node], ...] = (
    nodes.literal, nodes.FixedTextElement, nodes.raw, nodes.comment,
    nodes.substitution_definition, nodes.system_message,
)

ProseRecord = tuple[int, str]


def stored_prose(env: BuildEnvironment) -> dict[str, tuple[ProseRecord, ...]]:
    return env.__dict__.setdefault(PROSE, {})


def _ancestors(node: nodes.Node) -> Iterator[nodes.Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _line_of(node: nodes.Node) -> int:
    for candidate in (node, *_ancestors(node)):
        line = getattr(candidate, "line", None)
        if line:
            return int(line)
    return 0


def _prose(block: nodes.Element) -> str:
    parts: list[str] = []
    for text in block.findall(nodes.Text):
        node: nodes.Node | None = text.parent
        skipped = False
        while node is not None and node is not block.parent:
            if isinstance(node, NON_PROSE):
                skipped = True
                break
            node = node.parent
        if not skipped:
            parts.append(str(text))
    return "".join(parts)


def prose_records(doctree: nodes.Node) -> Iterator[ProseRecord]:
    """(line, text) of every outermost text block that is not code."""
    for block in doctree.findall(nodes.TextElement):
        if isinstance(block, NON_PROSE) or any(
                isinstance(a, (nodes.TextElement, *NON_PROSE)) for a in _ancestors(block)):
            continue
        text = _prose(block)
        if text.strip():
            yield _line_of(block), text


def need_records(needs: Iterable[dict], fields: tuple[str, ...]) -> Iterator[ProseRecord]:
    """(line, text) of the checked fields of the given needs, at the need's line."""
    for need in needs:
        for name in fields:
            value = need.get(name)
            if isinstance(value, str) and value.strip():
                yield int(need.get("lineno") or 0), value


def avoid_matcher(entries: tuple[TermEntry, ...]) -> Matcher | None:
    """One matcher for every rejected form, pointing at the preferred term."""
    forms = {normalise(form): entry.canonical for entry in entries for form in entry.avoid}
    if not forms:
        return None
    return matcher_for("avoid\0" + repr(sorted(forms.items())), tuple(sorted(forms.items())))


def warn_avoid_conflicts(entries: tuple[TermEntry, ...]) -> None:
    """A rejected form that is also a term or variant contradicts the glossary."""
    allowed: dict[str, TermEntry] = {}
    for entry in entries:
        for form in (*entry.labels, *entry.variants):
            allowed.setdefault(normalise(form).lower(), entry)
    for entry in entries:
        for form in entry.avoid:
            other = allowed.get(normalise(form).lower())
            if other is not None:
                logger.warning(
                    "begrip %r noemt %r onder 'Niet gebruiken', maar %r is ook een term of "
                    "variant van begrip %r (%s, regel %d). Haal de vorm bij een van de twee weg",
                    entry.canonical, form, form, other.canonical, other.docname, other.lineno,
                    location=(entry.docname, entry.lineno), type="rawa", subtype="term_avoid")


def check_avoided(app: Sphinx, env: BuildEnvironment, entries: tuple[TermEntry, ...],
                  glossary_docs: frozenset[str]) -> None:
    """Warn at every use of a rejected form in the recorded prose of every page."""
    warn_avoid_conflicts(entries)
    matcher = avoid_matcher(entries)
    if matcher is None:
        return
    by_canonical = {entry.canonical: entry for entry in entries}
    prose = stored_prose(env)
    for docname in sorted(prose):
        if docname in glossary_docs or docname not in env.found_docs:
            continue
        for line, text in prose[docname]:
            for match in matcher.finditer(text):
                entry = by_canonical[match.target]
                logger.warning(
                    "'%s' is een naam die deze publicatie niet gebruikt; schrijf '%s' "
                    "(zie de begrippenlijst, %s, regel %d). Wilt u de vorm toch noemen, zet "
                    "hem dan tussen backticks", match.text, entry.canonical, entry.docname,
                    entry.lineno, location=(docname, line or None), type="rawa",
                    subtype="term_avoid")


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """The phrase as a whole-word, case-insensitive pattern; spaces match any whitespace."""
    words = [re.escape(word) for word in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def check_phrases(env: BuildEnvironment, phrases: tuple[tuple[str, str], ...]) -> None:
    """Warn at every use of a configured phrase in the recorded prose of every page."""
    patterns = [(_phrase_pattern(phrase), advice) for phrase, advice in phrases]
    if not patterns:
        return
    prose = stored_prose(env)
    for docname in sorted(prose):
        if docname not in env.found_docs:
            continue
        for line, text in prose[docname]:
            for pattern, advice in patterns:
                for match in pattern.finditer(text):
                    logger.warning(
                        "'%s' hoort niet in de gepubliceerde tekst: %s. Wilt u de vorm toch "
                        "noemen, zet hem dan tussen backticks",
                        " ".join(match.group(0).split()), advice,
                        location=(docname, line or None), type="rawa", subtype="term_avoid")
