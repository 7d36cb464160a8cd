"""Glossary terms that differ only by an invisible or look-alike character.

``toegangsbesluit`` typed once with a non-breaking space, a zero-width space or a
Cyrillic ``о`` looks the same on the page, but Sphinx registers it as a second term
and the term linker links to either at random. A term's *skeleton* (after Unicode
TR39) is what a reader sees: compatibility characters folded (NFKC), invisible format
characters dropped, every look-alike letter replaced by its Latin prototype (from the
Unicode confusables data that ``confusable-homoglyphs`` ships) and case folded. Two
entries whose forms share a skeleton but are not the same text are reported.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from confusable_homoglyphs import confusables

from .entries import TermEntry
from .matcher import normalise


@lru_cache(maxsize=4096)
def _prototype(char: str) -> str:
    """The Latin letter ``char`` is confused with, or ``char`` itself."""
    if char.isascii():
        return char
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"])
    if not found:
        return char
    glyphs = found[0]["homoglyphs"]
    return glyphs[0]["c"] if glyphs else char


def skeleton(text: str) -> str:
    """What a reader sees of ``text``: the key under which look-alikes collide."""
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return " ".join("".join(_prototype(ch) for ch in visible).casefold().split())


def odd_characters(form: str, other: str) -> tuple[str, ...]:
    """The non-ASCII characters of either text that the other lacks, named."""
    odd = sorted({ch for ch in set(form) ^ set(other) if not ch.isascii()})
    return tuple(f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in odd)


@dataclass(frozen=True)
class LookAlike:
    """``form`` of ``entry`` looks like ``other_form`` of ``other``, an earlier entry."""

    form: str
    entry: TermEntry
    other_form: str
    other: TermEntry


def _reported_elsewhere(form: str, entry: TermEntry, other_form: str,
                        other: TermEntry) -> bool:
    if form.lower() == other_form.lower():
        return True  # Sphinx (two term lines) or the term table (a variant) reports it
    both_terms = form in entry.labels and other_form in other.labels
    # the term table reports a variant that differs only in spacing or apostrophes
    return not both_terms and normalise(form).lower() == normalise(other_form).lower()


def lookalikes(entries: Iterable[TermEntry]) -> Iterator[LookAlike]:
    """Every form that looks like a form of an earlier entry, in document order."""
    owner: dict[str, tuple[str, TermEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.docname, e.lineno)):
        for form in (*entry.labels, *entry.variants):
            key = skeleton(form)
            seen = owner.setdefault(key, (form, entry))
            other_form, other = seen
            if other is entry or _reported_elsewhere(form, entry, other_form, other):
                continue
            yield LookAlike(form, entry, other_form, other)
