"""Editing slips in a glossary entry that Sphinx would silently accept.

* A definition that is not indented becomes a second term line: the entry has no
  definition and a "term" that is a sentence (``rawa.term_definition``).
* A metadata field under a definition with a misspelt name (``:Varianen:``) is shown
  as text and its variants are never linked (``rawa.term_field``).
* A metadata field written twice: only one of the values would count
  (``rawa.term_field``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence

from docutils import nodes
from sphinx import addnodes

from .entries import METADATA_FIELDS


def _field_name(field: nodes.field) -> str:
    return " ".join(field[0].astext().split())


def definition_slips(lines: Iterable[tuple[str, int]]) -> Iterator[tuple[int, str, str]]:
    """Term lines that no indented definition follows, read from the raw content.

    Sphinx reads every unindented line as a term: an unindented definition becomes a
    second term of the entry, and the entry has no definition. This is found on the
    raw lines, as Sphinx reads them (a group of term lines must be followed directly
    by an indented line), because a blank line and the next term can make Sphinx glue
    the following entry's definition onto the broken one.
    """
    group: list[tuple[str, int]] = []
    in_comment = False
    for text, line in (*lines, ("", 0)):
        if not text.strip():
            if group:
                yield _no_definition(group)
            group = []
            continue
        if not text[0].isspace():
            in_comment = text.startswith(".. ")
            if not in_comment:
                group.append((text.strip(), line))
            continue
        if in_comment:
            continue
        group = []  # an indented line: the group has its definition


def _no_definition(group: list[tuple[str, int]]) -> tuple[int, str, str]:
    term = group[0][0]
    if len(group) > 1:
        text, line = group[1]
        return (line, f"begrip '{term}' heeft geen definitie: de regel '{text}' staat niet "
                "ingesprongen en telt daardoor als begrip. Spring de definitie in met twee "
                "spaties", "term_definition")
    return (group[0][1], f"begrip '{term}' heeft geen definitie: er staat geen "
            "ingesprongen regel direct onder. Staat deze regel in een definitie, spring hem "
            "dan in; zet anders de definitie eronder, ingesprongen met twee spaties",
            "term_definition")


def _line_of(field: str, after: int, lines: Sequence[tuple[str, int]]) -> int:
    """The source line of ``:field:`` at or after line ``after`` (MyST gives fields in a
    glossary definition no reliable line of their own)."""
    marker = f":{field}:"
    return next((line for text, line in lines if line > after
                 and text.strip().startswith(marker)), after)


def _field_slips(item: nodes.definition_list_item,
                 lines: Sequence[tuple[str, int]]) -> Iterator[tuple[int, str, str]]:
    known = sorted(METADATA_FIELDS)
    seen: set[str] = set()
    line = next((t.line for t in item.children if isinstance(t, nodes.term)), 0) or 0
    for field in item.findall(nodes.field):
        name = _field_name(field)
        key = name.lower()
        line = _line_of(name, line, lines)
        if key not in METADATA_FIELDS:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"Bedoelt u ':{close[0].capitalize()}:'?" if close else (
                "Gebruik " + ", ".join(f"':{k.capitalize()}:'" for k in known) + ".")
            yield (line, f"onbekend veld ':{name}:' bij een begrip. {hint}", "term_field")
        elif key in seen:
            yield (line, f"veld ':{name}:' staat twee keer bij hetzelfde begrip; voeg de "
                   "waarden samen op één regel", "term_field")
        seen.add(key)


def field_slips(glossary: addnodes.glossary,
                lines: Sequence[tuple[str, int]]) -> Iterator[tuple[int, str, str]]:
    """(line, Dutch message, warning subtype) for every misspelt or repeated field."""
    for item in glossary.findall(nodes.definition_list_item):
        yield from _field_slips(item, lines)
