"""The merged glossary of a build: every entry, every surface form, one matcher."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .entries import TermEntry, fingerprint
from .matcher import Match, Matcher, matcher_for, normalise
from .sites import Site


@dataclass(frozen=True)
class FormConflict:
    """A variant that names two different entries."""

    form: str
    entry: TermEntry
    other: TermEntry


@dataclass
class TermTable:
    entries: tuple[TermEntry, ...]
    key: str = ""
    by_canonical: dict[str, TermEntry] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)
    conflicts: list[FormConflict] = field(default_factory=list)
    form_items: tuple[tuple[str, str], ...] = ()
    #: the documents that hold the glossary (a use there is not counted or paged)
    glossary_docs: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.entries = tuple(sorted(self.entries))
        self.key = self.key or fingerprint(self.entries)
        owner: dict[str, TermEntry] = {}
        for entry in self.entries:
            self.by_canonical.setdefault(entry.canonical, entry)
            for form in (*entry.labels, *entry.variants):
                norm = normalise(form)
                seen = owner.get(norm.lower())
                if seen is not None and seen.canonical != entry.canonical:
                    # duplicate term lines are reported by Sphinx itself, or by
                    # .lookalike when they differ only in an invisible character
                    seen_labels = {normalise(label) for label in seen.labels}
                    if form not in entry.labels or norm not in seen_labels:
                        self.conflicts.append(FormConflict(form, entry, seen))
                    continue
                owner[norm.lower()] = entry
                self.forms[norm] = entry.canonical
        self.form_items = tuple(sorted(self.forms.items()))
        self.glossary_docs = frozenset(entry.docname for entry in self.entries)

    @property
    def matcher(self) -> Matcher:
        return matcher_for(self.key, self.form_items)

    def canonical_of(self, label: str) -> str | None:
        """The entry a manual ``{term}`` target names (Sphinx falls back to lower case)."""
        norm = normalise(label)
        target = self.forms.get(norm)
        if target is None:
            lowered = norm.lower()
            target = next((t for f, t in self.forms.items() if f.lower() == lowered), None)
        return target


def plan_links(sites: Iterable[Site], table: TermTable,
               scope: str) -> Iterator[tuple[Site, list[Match]]]:
    """Decide which matches become links: the first per term and scope, never its own.

    ``scope`` is ``section``, ``document`` or ``all``; with ``section`` every need and
    every glossary item is a scope of its own, so each requirement and each definition
    links its terms. A manual ``{term}``
    reference counts as the first occurrence of its term.
    """
    matcher = table.matcher
    linked: set[tuple[str, str]] = set()
    for site in sites:
        scope_key = site.doc
        if scope == "section":
            scope_key += f"\0{site.section_id}\0{site.unit}"
        if site.ref_target:
            canonical = table.canonical_of(site.ref_target)
            if canonical is not None and scope != "all":
                linked.add((scope_key, canonical))
            continue
        chosen: list[Match] = []
        for match in matcher.finditer(str(site.node)):
            entry = table.by_canonical.get(match.target)
            if entry is None or site.own.intersection(entry.anchors):
                continue
            if scope != "all":
                if (scope_key, match.target) in linked:
                    continue
                linked.add((scope_key, match.target))
            chosen.append(match)
        if chosen:
            yield site, chosen
