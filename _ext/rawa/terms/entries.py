"""Glossary entries as the term linker sees them, read from the doctree.

One :class:`TermEntry` per glossary item: the term lines Sphinx registers (canonical
term first, then abbreviations and synonyms), plus the metadata fields written under
the definition (``:Varianten:``, ``:Engels:``, ``:Bron:``, ``:Niet gebruiken:``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass

from docutils import nodes
from sphinx import addnodes

FIELD_VARIANTS = "varianten"
FIELD_ENGLISH = "engels"
FIELD_SOURCE = "bron"
#: names of the concept that the publication does not use (the build fails on them)
FIELD_AVOID = "niet gebruiken"
METADATA_FIELDS = frozenset({FIELD_VARIANTS, FIELD_ENGLISH, FIELD_SOURCE, FIELD_AVOID})
SHORT_DEFINITION = 240


@dataclass(frozen=True, order=True)
class TermEntry:
    """One glossary item: a concept with all the words that name it."""

    docname: str
    lineno: int
    anchors: tuple[str, ...]
    labels: tuple[str, ...]
    variants: tuple[str, ...]
    definition: str
    english: str = ""
    source: str = ""
    #: forms that name this concept but must not be used: the preferred term is
    #: :attr:`canonical` (``:Niet gebruiken:``)
    avoid: tuple[str, ...] = ()

    @property
    def canonical(self) -> str:
        """The first term line: the name links point at."""
        return self.labels[0]

    @property
    def anchor(self) -> str:
        return self.anchors[0]

    @property
    def short_definition(self) -> str:
        """The first sentence(s) of the definition, at most about 240 characters."""
        if len(self.definition) <= SHORT_DEFINITION:
            return self.definition
        cut = self.definition[:SHORT_DEFINITION]
        end = cut.rfind(". ")
        return cut[: end + 1] if end > 40 else cut.rsplit(" ", 1)[0] + " …"


def is_glossary_list(node: nodes.Node) -> bool:
    """A definition list made by ``{glossary}`` or by MyST's ``{.glossary}`` attribute."""
    return isinstance(node, nodes.definition_list) and (
        isinstance(node.parent, addnodes.glossary) or "glossary" in node.get("classes", [])
    )


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _clean_term(text: str) -> str:
    """A term line as typed: line breaks and runs of spaces folded, but a non-breaking
    or other special space kept, so a term that differs only by one stays different
    (Sphinx registers it as a term of its own; :mod:`.lookalike` reports it)."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip(" \t\r\n")


def _fields(definition: nodes.definition) -> dict[str, str]:
    found: dict[str, str] = {}
    for field_list in definition.findall(nodes.field_list):
        for field in field_list.findall(nodes.field):
            name = _clean(field[0].astext()).lower()
            found[name] = _clean(field[1].astext())
    return found


def _definition_text(definition: nodes.definition) -> str:
    parts = [child.astext() for child in definition.children
             if not isinstance(child, nodes.field_list)]
    return _clean(" ".join(parts))


def _split(value: str) -> tuple[str, ...]:
    """The comma-separated forms of a metadata field."""
    return tuple(v.strip() for v in value.split(",") if v.strip())


def entry_from_item(docname: str, item: nodes.definition_list_item) -> TermEntry | None:
    """Read one glossary item; ``None`` when it has no term with an id."""
    terms = [t for t in item.children if isinstance(t, nodes.term) and t.get("ids")]
    definitions = [d for d in item.children if isinstance(d, nodes.definition)]
    if not terms:
        return None
    definition = definitions[0] if definitions else nodes.definition()
    meta = _fields(definition)
    variants = _split(meta.get(FIELD_VARIANTS, ""))
    return TermEntry(
        docname=docname,
        lineno=terms[0].line or item.line or 0,
        anchors=tuple(t["ids"][0] for t in terms),
        labels=tuple(_clean_term(t.astext()) for t in terms),
        variants=variants,
        definition=_definition_text(definition),
        english=meta.get(FIELD_ENGLISH, ""),
        source=meta.get(FIELD_SOURCE, ""),
        avoid=_split(meta.get(FIELD_AVOID, "")),
    )


def entries_in(docname: str, doctree: nodes.Node) -> Iterator[TermEntry]:
    """Every glossary entry of a document, in document order."""
    for dl in doctree.findall(nodes.definition_list):  # class filter: fast path
        if not is_glossary_list(dl):
            continue
        for item in dl.children:
            if isinstance(item, nodes.definition_list_item):
                entry = entry_from_item(docname, item)
                if entry is not None:
                    yield entry


def fingerprint(entries: Iterable[TermEntry], *extra: str) -> str:
    """A stable digest of the glossary (``hash()`` is salted per process)."""
    digest = hashlib.sha256()
    for entry in sorted(entries):
        digest.update(repr(astuple(entry)).encode("utf-8"))
    for value in extra:
        digest.update(value.encode("utf-8"))
    return digest.hexdigest()
