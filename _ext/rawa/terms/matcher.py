"""Find every glossary term in a text with one precompiled, trie-shaped regex.

Rules (README, "Termen automatisch linken"):

* the longest form wins (``API-gateway`` before ``API``);
* a form with an abbreviation in it (two capitals in a word, or a capital after the
  first letter: ``PDP``, ``IdP``, ``OAuth``) matches case-sensitively, other forms
  case-insensitively (a sentence may start with a capital);
* ``'`` and ``’`` are the same, so are runs of white space (smartquotes and line breaks);
* a term never matches part of a word or of a hyphenated compound;
* an all-caps abbreviation also matches with ``'s`` (``PDP's``).

Python's ``re`` does not factor out common prefixes of alternatives, so the pattern
is built as a trie (``P(?:DP|EP)``), which is about 20 times faster than a flat
alternation for a large glossary. One pattern is compiled per process and glossary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

APOSTROPHES = "'\u2019"
_WS = ("ws", "")
_APOS = ("apos", "")
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\bmailto:|\burn:)\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_NORMALISE_WS = re.compile(r"\s+")

Unit = tuple[str, str]


def is_abbreviation_form(form: str) -> bool:
    """True when a word of ``form`` is written like an abbreviation (PDP, IdP, OAuth)."""
    for word in _WORD.findall(form):
        capitals = sum(ch.isupper() for ch in word)
        if capitals >= 2 or any(ch.isupper() for ch in word[1:]):
            return True
    return False


def normalise(text: str) -> str:
    """The lookup key of a matched text: one space, straight apostrophes."""
    text = _NORMALISE_WS.sub(" ", text.strip())
    for apostrophe in APOSTROPHES[1:]:
        text = text.replace(apostrophe, "'")
    return text


def _units(form: str, case_sensitive: bool) -> tuple[Unit, ...]:
    units: list[Unit] = []
    for ch in normalise(form):
        if ch.isspace():
            units.append(_WS)
        elif ch in APOSTROPHES:
            units.append(_APOS)
        elif case_sensitive or ch.lower() == ch.upper():
            units.append(("lit", ch))
        else:
            units.append(("ci", ch.lower()))
    return tuple(units)


@lru_cache(maxsize=4096)
def _unit_regex(unit: Unit, in_caseless: bool) -> str:
    kind, ch = unit
    if kind == "ws":
        return r"\s+"
    if kind == "apos":
        return "['\u2019]"
    if kind == "lit" or in_caseless:
        return re.escape(ch)
    forms = {ch, ch.lower(), ch.upper(), ch.title(), ch.casefold()}
    if all(len(f) == 1 for f in forms):
        return "[" + "".join(re.escape(f) for f in sorted(forms)) + "]"
    return "(?i:" + re.escape(ch) + ")"


class _Node(dict[Unit, "_Node"]):
    end: bool = False
    #: no case-sensitive letter below this node (filled in by _mark)
    caseless: bool = True
    depth: int = 0


def _mark(node: _Node) -> None:
    """Fill in ``caseless`` and ``depth`` bottom-up, one visit per node."""
    for unit, child in node.items():
        _mark(child)
        node.caseless = node.caseless and child.caseless and not (
            unit[0] == "lit" and unit[1].lower() != unit[1].upper())
        node.depth = max(node.depth, child.depth + 1)


def _unit_caseless(unit: Unit) -> bool:
    return not (unit[0] == "lit" and unit[1].lower() != unit[1].upper())


def _trie_regex(node: _Node, in_caseless: bool = False) -> str:
    """The regex of a trie node; caseless subtrees become one ``(?i:...)`` group.

    Inside such a group case-insensitive letters are written once (``policy``) instead
    of as classes (``[Pp][Oo]...``), which keeps the pattern small and quick to compile.
    """
    alternatives: list[str] = []
    # deeper branches first, so that among competing branches the longer is tried first
    for unit, child in sorted(node.items(), key=lambda kv: (-kv[1].depth, kv[0])):
        if in_caseless:
            alternatives.append(_unit_regex(unit, True) + _trie_regex(child, True))
        elif child.caseless and _unit_caseless(unit) and unit[0] == "ci":
            alternatives.append("(?i:" + _unit_regex(unit, True) + _trie_regex(child, True)
                                + ")")
        else:
            alternatives.append(_unit_regex(unit, False) + _trie_regex(child, False))
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    if node.end:
        return ("(?:" + body + ")?") if len(alternatives) > 1 or len(body) > 1 else body + "?"
    return body


def _with_suffixes(form: str) -> list[str]:
    """Forms plus the automatic ``'s`` plural of an all-caps abbreviation."""
    letters = [ch for ch in form if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters) and " " not in form:
        return [form, form + "'s"]
    return [form]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    target: str


class Matcher:
    """All surface forms of all terms, compiled into one pattern."""

    def __init__(self, forms: Mapping[str, str]) -> None:
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        root = _Node()
        for form, target in sorted(forms.items()):
            for surface in _with_suffixes(normalise(form)):
                if not surface:
                    continue
                case_sensitive = is_abbreviation_form(surface)
                node = root
                for unit in _units(surface, case_sensitive):
                    node = node.setdefault(unit, _Node())
                node.end = True
                if case_sensitive:
                    self._exact.setdefault(surface, target)
                else:
                    self._folded.setdefault(surface.lower(), target)
        _mark(root)
        trie = _trie_regex(root)
        self.pattern = re.compile(r"(?<![\w-])(?:" + trie + r")(?![\w-])") if trie else None

    def target_of(self, text: str) -> str | None:
        key = normalise(text)
        return self._exact.get(key) or self._folded.get(key.lower())

    def finditer(self, text: str) -> Iterator[Match]:
        """Non-overlapping matches, left to right, never inside a URL."""
        if self.pattern is None or not text:
            return
        urls = [m.span() for m in _URL.finditer(text)] if ("/" in text or ":" in text) else []
        for found in self.pattern.finditer(text):
            start, end = found.span()
            if any(s < end and start < e for s, e in urls):
                continue
            target = self.target_of(found.group())
            if target is not None:
                yield Match(start, end, found.group(), target)


@lru_cache(maxsize=4)
def _cached(key: str, forms: tuple[tuple[str, str], ...]) -> Matcher:
    return Matcher(dict(forms))


def matcher_for(key: str, forms: Iterable[tuple[str, str]]) -> Matcher:
    """The compiled matcher of a glossary, built once per process and fingerprint ``key``."""
    items = forms if isinstance(forms, tuple) else tuple(sorted(forms))
    return _cached(key, items)
