"""The GEMMA snapshot and the GEMMA changes of RAWA as plain data, and their checks.

No Sphinx here: :mod:`rawa_gemma` (build messages, tables, diagrams) and
:mod:`rawa_gemma_exchange` (the ArchiMate exchange file) work on what this module
returns, and the tests call it directly.

A ``gemma`` need names real GEMMA elements:

* ``wijzigen`` / ``vervallen``: ``gemma_id`` holds the Object ID(s) of the existing
  element(s); ``archimate_type`` must be their type in the snapshot.
* ``toevoegen``: ``gemma_naam``, ``archimate_type`` and ``gemma_type`` describe the new
  element; it may not have the name and type of an element GEMMA already has, and it
  relates to at least one element through ``gemma_relaties``.
* ``gemma_relaties``: ``Type -> doel`` (from this element) or ``Type <- bron`` (to it),
  separated by ``;``. ``Type`` is an ArchiMate relationship (``Specialization`` or the
  Dutch ``specialisatie``); the other end is a GEMMA Object ID or the ID of another
  change (``GEM-INF-03``). ArchiMate 3.2 must permit the relationship
  (:mod:`rawa_archimate`).
* A relationship with a NORA principle is only accepted where GEMMA itself links that
  principle to an implication (or GEMMA principle) that the same change relates to.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import rawa_archimate as am

#: Where GEMMA keeps the NORA principles (folder path in the model).
NORA_PRINCIPLES_FOLDER = "Motivation/Stategie en motivatie/Architectuurprincipes/NORA"
GEM_ID = re.compile(r"^GEM-[A-Z]{3}-[0-9]{2}$")
OBJECT_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{7,63}$")
RELATION = re.compile(r"^\s*(?P<type>[A-Za-z]+)\s*(?P<dir>->|<-)\s*(?P<other>\S+)\s*$")
_BY_NAME = {**{name.casefold(): name for name in am.RELATIONSHIP_TYPES},
            **{dutch.casefold(): name for name, dutch in am.DUTCH.items()}}


# -- the snapshot ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GemmaElement:
    object_id: str
    archi_id: str
    archimate_type: str
    gemma_type: str
    name: str
    folder: str
    documentation: str = ""


@dataclass(frozen=True)
class Snapshot:
    elements: Mapping[str, GemmaElement]
    relations: tuple[tuple[str, str, str, str], ...]  # (object id, type, source, target)
    meta: Mapping[str, Any]
    relation_archi_ids: Mapping[str, str] = field(default_factory=dict)  # object id -> Archi id

    def relation(self, object_id: str) -> tuple[str, str, str, str] | None:
        """The GEMMA relationship with this Object ID, or ``None``."""
        return next((r for r in self.relations if r[0] == object_id), None)

    def by_name_and_type(self) -> dict[tuple[str, str], GemmaElement]:
        return {(normal_name(e.name), e.archimate_type): e for e in self.elements.values()}

    def linked(self, a: str, b: str) -> bool:
        """Does GEMMA record a relationship between ``a`` and ``b`` (either way)?"""
        return any({src, tgt} == {a, b} for _, _, src, tgt in self.relations)


def normal_name(name: str) -> str:
    """A name compared case- and whitespace-insensitively."""
    return " ".join(name.split()).casefold()


def load_snapshot(folder: Path) -> Snapshot:
    """Read ``elementen.csv``, ``relaties.csv`` and ``bron.json`` from ``folder``."""
    return _load(folder.resolve(), *(_mtime(folder / n) for n in
                                     ("elementen.csv", "relaties.csv", "bron.json")))


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


@lru_cache(maxsize=4)
def _load(folder: Path, *_mtimes: float) -> Snapshot:
    with (folder / "elementen.csv").open(encoding="utf-8", newline="") as handle:
        elements = {row["object_id"]: GemmaElement(
            row["object_id"], row["archi_id"], row["archimate_type"], row["gemma_type"],
            row["naam"], row["map"], row.get("documentatie") or "")
            for row in csv.DictReader(handle)}
    with (folder / "relaties.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    relations = tuple((row["object_id"], row["archimate_type"], row["bron"], row["doel"])
                      for row in rows)
    archi_ids = {row["object_id"]: row.get("archi_id") or "" for row in rows}
    meta = json.loads((folder / "bron.json").read_text(encoding="utf-8"))
    return Snapshot(elements, relations, meta, archi_ids)


# -- the changes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """One relationship of a change: from the change's element, or to it (``incoming``)."""

    type: str
    other: str
    incoming: bool = False


@dataclass(frozen=True)
class Change:
    id: str
    title: str
    kind: str
    layer: str
    archimate_type: str
    gemma_type: str
    name: str
    ids: tuple[str, ...]
    relations: tuple[Relation, ...]
    raw_relations: tuple[str, ...]
    motivation: str
    causes: tuple[str, ...]
    content: str
    docname: str
    lineno: int | None

    @property
    def new(self) -> bool:
        return self.kind == "toevoegen"


@dataclass(frozen=True)
class Problem:
    """A change that does not fit the GEMMA model; the message is Dutch."""

    need_id: str
    docname: str
    lineno: int | None
    message: str


def split_list(value: Any, separator: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        value = separator.join(str(v) for v in value)
    return tuple(part.strip() for part in str(value).split(separator) if part.strip())


def change_from_need(need: Mapping[str, Any]) -> tuple[Change, list[str]]:
    """A change and the relationship entries that could not be read."""
    relations: list[Relation] = []
    unreadable: list[str] = []
    raw = split_list(need.get("gemma_relaties"), ";")
    for entry in raw:
        match = RELATION.match(entry)
        kind = _BY_NAME.get(match.group("type").casefold()) if match else None
        if not match or kind is None:
            unreadable.append(entry)
            continue
        relations.append(Relation(kind, match.group("other"), match.group("dir") == "<-"))
    lineno = need.get("lineno")
    change = Change(
        id=str(need["id"]), title=str(need.get("title") or ""),
        kind=str(need.get("wijzigingssoort") or ""), layer=str(need.get("gemma_laag") or ""),
        archimate_type=str(need.get("archimate_type") or ""),
        gemma_type=str(need.get("gemma_type") or "").strip(),
        name=" ".join(str(need.get("gemma_naam") or "").split()),
        ids=split_list(need.get("gemma_id"), ","), relations=tuple(relations),
        raw_relations=raw, motivation=str(need.get("motivatie") or ""),
        causes=tuple(sorted(need.get("wijzigt") or ())),
        content=str(need.get("content") or "").strip(),
        docname=str(need.get("docname") or ""),
        lineno=lineno if isinstance(lineno, int) else None)
    return change, unreadable


def changes_from_needs(needs: Mapping[str, Mapping[str, Any]]) -> dict[str, Change]:
    return {nid: change_from_need(need)[0] for nid, need in sorted(needs.items())
            if need.get("type") == "gemma"}


# -- the checks --------------------------------------------------------------------------------


def element_type(ref: str, snapshot: Snapshot, changes: Mapping[str, Change]) -> str | None:
    """The ArchiMate type at one end of a relationship, or ``None`` if it is unknown."""
    if ref in changes:
        return changes[ref].archimate_type or None
    element = snapshot.elements.get(ref)
    return element.archimate_type if element else None


def describe(ref: str, snapshot: Snapshot, changes: Mapping[str, Change]) -> str:
    """A reference as a maintainer reads it: name, type and ID."""
    if ref in changes:
        change = changes[ref]
        label = change.name or change.title
        return f"'{label}' ({am.ELEMENT_LABELS.get(change.archimate_type, '?')}, {ref})"
    element = snapshot.elements.get(ref)
    if element is None:
        return ref
    return (f"'{element.name}' ({am.ELEMENT_LABELS.get(element.archimate_type, '?')}, "
            f"{element.object_id})")


def check(needs: Mapping[str, Mapping[str, Any]], snapshot: Snapshot) -> list[Problem]:
    """Every way in which the changes do not fit the snapshot, in need order."""
    changes = changes_from_needs(needs)
    existing = snapshot.by_name_and_type()
    problems: list[Problem] = []
    new_seen: dict[tuple[str, str], str] = {}
    for _nid, need in sorted(needs.items()):
        if need.get("type") != "gemma":
            continue
        change, unreadable = change_from_need(need)

        def report(message: str, change: Change = change) -> None:
            problems.append(Problem(change.id, change.docname, change.lineno,
                                    f"GEMMA-wijziging {change.id}: {message}"))

        for entry in unreadable:
            report(f"relatie '{entry}' is niet te lezen. Schrijf 'Type -> doel' of "
                   "'Type <- bron', met een ArchiMate-relatie zoals Specialization, "
                   "Realization, Serving, Aggregation of Association.")
        if change.new:
            _check_new(change, existing, new_seen, report)
        else:
            _check_existing(change, snapshot, report)
        _check_relations(change, snapshot, changes, report)
    return problems


def _check_new(change: Change, existing: Mapping[tuple[str, str], GemmaElement],
               new_seen: dict[tuple[str, str], str], report: Any) -> None:
    if change.ids:
        report("een toevoeging heeft geen 'gemma_id'; gebruik 'wijzigen' als het element "
               "al in de GEMMA staat.")
    if not change.name:
        report("een toevoeging heeft een 'gemma_naam' nodig: de naam van het nieuwe element.")
    if not change.gemma_type:
        report("een toevoeging heeft een 'gemma_type' nodig, bijvoorbeeld Referentiecomponent.")
    if not change.relations:
        report("een toevoeging hoort bij bestaande GEMMA-elementen: geef minstens één "
               "relatie in 'gemma_relaties'.")
    if not change.name:
        return
    key = (normal_name(change.name), change.archimate_type)
    twin = existing.get(key)
    if twin is not None:
        report(f"de GEMMA heeft al een {am.ELEMENT_LABELS.get(twin.archimate_type, '?')} "
               f"'{twin.name}' (Object ID {twin.object_id}, map {twin.folder}). Voeg het "
               "niet nog eens toe: maak er 'wijzigen' van met dat Object ID, of kies een "
               "andere naam.")
    elif key in new_seen:
        report(f"{new_seen[key]} voegt al een element met deze naam en dit type toe.")
    else:
        new_seen[key] = change.id


def _check_existing(change: Change, snapshot: Snapshot, report: Any) -> None:
    if not change.ids:
        report(f"bij '{change.kind}' hoort 'gemma_id': het Object ID van het bestaande "
               "GEMMA-element.")
    for object_id in change.ids:
        element = snapshot.elements.get(object_id)
        if element is None:
            report(f"Object ID '{object_id}' staat niet in de GEMMA-momentopname "
                   f"(data/gemma, GEMMA-release {snapshot.meta.get('gemma_release', '?')}). "
                   "Controleer het ID in de GEMMA of ververs de momentopname met "
                   "'make gemma-snapshot'.")
        elif element.archimate_type != change.archimate_type:
            report(f"'{element.name}' ({object_id}) is in de GEMMA een "
                   f"{element.archimate_type}, maar 'archimate_type' zegt "
                   f"{change.archimate_type}. Pas het type of het ID aan.")


def _check_relations(change: Change, snapshot: Snapshot, changes: Mapping[str, Change],
                     report: Any) -> None:
    own = change.archimate_type
    for relation in change.relations:
        if relation.other == change.id:
            report(f"relatie '{relation.type}' wijst naar de wijziging zelf.")
            continue
        if GEM_ID.match(relation.other):
            if relation.other not in changes:
                report(f"relatie '{relation.type}' wijst naar {relation.other}, maar die "
                       "GEMMA-wijziging bestaat niet.")
                continue
        elif relation.other not in snapshot.elements:
            report(f"relatie '{relation.type}' wijst naar Object ID '{relation.other}', dat "
                   "niet in de GEMMA-momentopname staat.")
            continue
        other = element_type(relation.other, snapshot, changes)
        if not own or not other:
            continue
        source, target = (other, own) if relation.incoming else (own, other)
        if not am.is_allowed(relation.type, source, target):
            permitted = ", ".join(am.allowed(source, target)) or "geen"
            report(f"ArchiMate 3.2 staat geen {relation.type} toe van {source} naar "
                   f"{target} (naar {describe(relation.other, snapshot, changes)}). "
                   f"Toegestaan zijn: {permitted}.")
        _check_nora(change, relation, snapshot, report)


def _check_nora(change: Change, relation: Relation, snapshot: Snapshot, report: Any) -> None:
    """A link to a NORA principle only where GEMMA records one via a related element."""
    target = snapshot.elements.get(relation.other)
    if target is None or target.folder != NORA_PRINCIPLES_FOLDER:
        return
    related = [r.other for r in change.relations if r.other in snapshot.elements
               and r.other != relation.other
               and snapshot.elements[r.other].folder != NORA_PRINCIPLES_FOLDER]
    if not any(snapshot.linked(other, target.object_id) for other in related):
        report(f"de GEMMA legt geen verband tussen NORA-principe '{target.name}' en de "
               "andere elementen van deze wijziging. Leg de relatie met het NORA-principe "
               "alleen via een implicatie of GEMMA-principe dat er in de GEMMA aan "
               "gekoppeld is, en noem die implicatie ook in 'gemma_relaties'.")


# -- helpers for views and exports -------------------------------------------------------------


@dataclass
class LayerView:
    """The elements and relationships of one layer's changes, for a picture or a view."""

    layer: str
    changes: list[Change] = field(default_factory=list)
    context: list[str] = field(default_factory=list)  # referenced GEMMA Object IDs
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)  # (src, rel, tgt, by)


def node_of(change: Change) -> list[str]:
    """The element(s) that stand for a change: the new element, or the existing ones."""
    return [change.id] if change.new else list(change.ids)


def layer_view(layer: str, changes: Mapping[str, Change], snapshot: Snapshot) -> LayerView:
    view = LayerView(layer)
    own: set[str] = set()
    for change in changes.values():
        if change.layer == layer:
            view.changes.append(change)
            own.update(node_of(change))
    seen_context: set[str] = set()
    for change in view.changes:
        for start in node_of(change):
            for relation in change.relations:
                other = relation.other
                if other in changes:
                    ends = node_of(changes[other])
                elif other in snapshot.elements:
                    ends = [other]
                else:
                    continue
                for end in ends:
                    if end not in own and end not in seen_context:
                        seen_context.add(end)
                        view.context.append(end)
                    edge = ((end, relation.type, start) if relation.incoming
                            else (start, relation.type, end))
                    view.edges.append((*edge, change.id))
    return view


def all_relations(changes: Mapping[str, Change]) -> Iterable[tuple[Change, str, Relation]]:
    """Every relationship of every change, from each element that stands for the change."""
    for change in changes.values():
        for start in node_of(change):
            for relation in change.relations:
                yield change, start, relation
