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

import rawa.gemma.archimate as am

#: Where GEMMA keeps the NORA principles (folder path in the model).
NORA_PRINCIPLES_FOLDER = "Motivation/Stategie en motivatie/Architectuurprincipes/NORA"
GEM_ID = re.compile(r"^GEM-[A-Z]{3}-[0-9]{2}$")
OBJECT_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{7,63}$")
RELATION = re.compile(r"^\s*(?P<type>[A-Za-z]+)\s*(?:\(\s*(?P<access>[A-Za-z-]+)\s*\))?"
                      r"\s*(?P<dir>->|<-)\s*(?P<other>\S+)\s*$")
#: The kinds of access of an Access relationship (``Access(read) -> ...``), as the exchange
#: format writes them in ``accessType``. Archi reads a missing ``accessType`` as write.
ACCESS_TYPES = {"read": "Read", "write": "Write", "readwrite": "ReadWrite", "access": "Access",
                "lezen": "Read", "schrijven": "Write", "lezen-schrijven": "ReadWrite"}
#: A new element this close to an existing one (same type, at least this many shared
#: neighbours in the snapshot) is probably that element under another name.
NEAR_DUPLICATE_SHARED = 2
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

    def row(self) -> tuple[str, ...]:
        """The element as a row of ``elementen.csv`` (see ``tools/gemma_snapshot.py``)."""
        return (self.object_id, self.archi_id, self.archimate_type, self.gemma_type,
                self.name, self.folder, self.documentation)


@dataclass(frozen=True)
class GemmaView:
    """A GEMMA view the snapshot keeps (``views.csv``): identity and the elements it shows."""

    object_id: str
    archi_id: str
    name: str
    folder: str
    members: tuple[str, ...]  # Object IDs, sorted


@dataclass(frozen=True)
class Snapshot:
    elements: Mapping[str, GemmaElement]
    relations: tuple[tuple[str, str, str, str], ...]  # (object id, type, source, target)
    meta: Mapping[str, Any]
    relation_archi_ids: Mapping[str, str] = field(default_factory=dict)  # object id -> Archi id
    views: Mapping[str, GemmaView] = field(default_factory=dict)  # by Object ID
    #: GEMMA's own properties per element (``eigenschappen.csv``), in GEMMA's order
    properties: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def views_showing(self, object_id: str) -> list[GemmaView]:
        return [v for v in self.views.values() if object_id in v.members]

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
    return _load(folder.resolve(), *(_mtime(folder / n) for n in SNAPSHOT_FILES))


#: The files of a snapshot; ``views.csv`` and ``eigenschappen.csv`` may be absent (then the
#: snapshot has no views and no properties besides Object ID and GEMMA type).
SNAPSHOT_FILES = ("elementen.csv", "relaties.csv", "bron.json", "views.csv",
                  "eigenschappen.csv")


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
    views: dict[str, GemmaView] = {}
    if (folder / "views.csv").is_file():
        with (folder / "views.csv").open(encoding="utf-8", newline="") as handle:
            members: dict[str, list[str]] = {}
            heads: dict[str, dict[str, str]] = {}
            for row in csv.DictReader(handle):
                heads.setdefault(row["view_object_id"], row)
                members.setdefault(row["view_object_id"], []).append(row["element"])
        views = {oid: GemmaView(oid, row["view_archi_id"], row["view_naam"], row["map"],
                                tuple(sorted(set(members[oid]))))
                 for oid, row in sorted(heads.items())}
    properties: dict[str, list[tuple[str, str]]] = {}
    if (folder / "eigenschappen.csv").is_file():
        with (folder / "eigenschappen.csv").open(encoding="utf-8", newline="") as handle:
            for row in sorted(csv.DictReader(handle),
                              key=lambda r: (r["object_id"], int(r["volgorde"]))):
                properties.setdefault(row["object_id"], []).append((row["sleutel"],
                                                                    row["waarde"]))
    return Snapshot(elements, relations, meta, archi_ids, views,
                    {oid: tuple(values) for oid, values in properties.items()})


# -- the changes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """One relationship of a change: from the change's element, or to it (``incoming``)."""

    type: str
    other: str
    incoming: bool = False
    access: str = ""  # Read, Write, ReadWrite or Access; only for Access


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

    @property
    def is_relationship(self) -> bool:
        """Does the change withdraw GEMMA relationships (not elements)?"""
        return self.archimate_type in am.RELATIONSHIP_TYPES


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


UNREADABLE = ("relatie '{entry}' is niet te lezen. Schrijf 'Type -> doel' of 'Type <- bron', "
              "met een ArchiMate-relatie zoals Specialization, Realization, Serving, "
              "Aggregation, Association of Access(read).")
ACCESS_NEEDED = ("relatie '{entry}': geef bij Access de soort toegang, zoals "
                 "'Access(read) -> ...'. Mogelijk zijn read, write, readwrite en access "
                 "(of lezen, schrijven, lezen-schrijven). Zonder soort leest Archi 'write'.")
ACCESS_ONLY = "relatie '{entry}': alleen een Access-relatie heeft een soort toegang tussen haakjes."


def change_from_need(need: Mapping[str, Any]) -> tuple[Change, list[str]]:
    """A change and a Dutch message per relationship entry that could not be read."""
    relations: list[Relation] = []
    unreadable: list[str] = []
    raw = split_list(need.get("gemma_relaties"), ";")
    for entry in raw:
        match = RELATION.match(entry)
        kind = _BY_NAME.get(match.group("type").casefold()) if match else None
        if not match or kind is None:
            unreadable.append(UNREADABLE.format(entry=entry))
            continue
        access = match.group("access")
        if kind == "Access" and access is None:
            unreadable.append(ACCESS_NEEDED.format(entry=entry))
            continue
        if access is not None and (kind != "Access" or access.casefold() not in ACCESS_TYPES):
            unreadable.append((ACCESS_NEEDED if kind == "Access" else ACCESS_ONLY)
                              .format(entry=entry))
            continue
        relations.append(Relation(kind, match.group("other"), match.group("dir") == "<-",
                                  ACCESS_TYPES[access.casefold()] if access else ""))
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

        for message in unreadable:
            report(message)
        if change.is_relationship:
            _check_withdrawn_relationship(change, snapshot, report)
            continue
        if change.new:
            _check_new(change, existing, new_seen, report)
            _check_near_duplicate(change, snapshot, changes, report)
            if change.archimate_type == "Grouping":
                _check_principles(change, needs, existing, report)
        else:
            _check_existing(change, snapshot, report)
        _check_gemma_type(change, snapshot, report)
        _check_relations(change, snapshot, changes, report)
        _check_known_pairs(change, snapshot, changes, report)
    return problems


def gemma_types(snapshot: Snapshot) -> dict[str, tuple[str, ...]]:
    """Per ArchiMate type the values of 'GEMMA type' the snapshot uses ('' for none)."""
    found: dict[str, set[str]] = {}
    for element in snapshot.elements.values():
        found.setdefault(element.archimate_type, set()).add(element.gemma_type)
    return {kind: tuple(sorted(values)) for kind, values in sorted(found.items())}


def _check_gemma_type(change: Change, snapshot: Snapshot, report: Any) -> None:
    """A GEMMA type only as GEMMA itself uses it for this ArchiMate type; empty where GEMMA
    leaves it empty."""
    allowed = gemma_types(snapshot).get(change.archimate_type, ("",))
    if change.gemma_type in allowed or (not change.new and not change.gemma_type):
        return
    named = ", ".join(f"'{v}'" for v in allowed if v)
    empty = "" in allowed
    hint = (f"Gebruik {named}" + (" of laat 'gemma_type' leeg" if empty else "")
            if named else "Laat 'gemma_type' leeg")
    shown = f"'{change.gemma_type}'" if change.gemma_type else "geen GEMMA-type"
    report(f"{shown} bij een {change.archimate_type} komt in de GEMMA niet voor. {hint}, "
           "zoals de GEMMA dat bij dit type doet (data/gemma/elementen.csv).")


def _check_withdrawn_relationship(change: Change, snapshot: Snapshot, report: Any) -> None:
    if change.kind != "vervallen":
        report(f"een relatie ({change.archimate_type}) kan alleen 'vervallen'; een nieuwe "
               "relatie staat in 'gemma_relaties' van een element.")
    if not change.ids:
        report("geef in 'gemma_id' het Object ID van de GEMMA-relatie die vervalt "
               "(data/gemma/relaties.csv).")
    if change.raw_relations or change.name or change.gemma_type:
        report("een vervallen relatie heeft geen 'gemma_relaties', 'gemma_naam' of "
               "'gemma_type'.")
    for object_id in change.ids:
        found = snapshot.relation(object_id)
        if found is None:
            report(f"Object ID '{object_id}' is geen relatie in de GEMMA-momentopname "
                   "(data/gemma/relaties.csv).")
        elif found[1] != change.archimate_type:
            report(f"relatie {object_id} is in de GEMMA een {found[1]}, maar "
                   f"'archimate_type' zegt {change.archimate_type}.")


def withdrawn_relationships(changes: Mapping[str, Change]) -> set[str]:
    return {i for c in changes.values() if c.is_relationship and c.kind == "vervallen"
            for i in c.ids}


def _ends(change: Change, relation: Relation, changes: Mapping[str, Change]) -> list[str]:
    if relation.other in changes:
        return node_of(changes[relation.other])
    return [relation.other]


def _check_known_pairs(change: Change, snapshot: Snapshot, changes: Mapping[str, Change],
                       report: Any) -> None:
    """A relationship between two elements GEMMA already relates adds a second one."""
    gone = withdrawn_relationships(changes)
    for start in node_of(change):
        if start not in snapshot.elements:
            continue
        for relation in change.relations:
            for end in _ends(change, relation, changes):
                known = [r for r in snapshot.relations if {r[2], r[3]} == {start, end}
                         and r[0] not in gone]
                if known:
                    listed = ", ".join(f"{kind} {oid}" for oid, kind, _, _ in known)
                    report(f"de GEMMA verbindt {describe(start, snapshot, changes)} en "
                           f"{describe(end, snapshot, changes)} al ({listed}). Laat de "
                           f"relatie '{relation.type}' weg, of laat de bestaande relatie "
                           "vervallen met een wijziging 'vervallen' op haar Object ID.")


def _neighbours(snapshot: Snapshot) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for _oid, _kind, source, target in snapshot.relations:
        found.setdefault(source, set()).add(target)
        found.setdefault(target, set()).add(source)
    return found


#: Word stems and phrases in GEMMA and RAWA names, Dutch and English, and the concept each
#: stands for. A stem matches anywhere in the lower-case name, so Dutch compounds count
#: ("toegangsbesluiten" holds besluit). Curated and specific on purpose (no "beheer" or
#: "toegang": GEMMA has dozens of those); extend it when a near duplicate slips through.
NAME_CONCEPTS: tuple[tuple[str, str], ...] = (
    ("attribu", "attribuutbron"), ("policy information", "attribuutbron"),
    ("information point", "attribuutbron"),
    ("besluit", "besluit"), ("decision", "besluit"), ("beslis", "besluit"),
    ("enforce", "handhaving"), ("afdwing", "handhaving"), ("handhav", "handhaving"),
    ("policy administration", "beleidsbeheer"), ("policy access", "beleidsbeheer"),
    ("beheren toegangsbeleid", "beleidsbeheer"), ("toegangsbeleidbeheer", "beleidsbeheer"),
    ("policy editor", "beleidsbeheer"),
    ("logging", "log"), ("logboek", "log"), ("auditlog", "log"), ("besluitlog", "log"),
    ("identity", "identiteit"), ("identiteit", "identiteit"),
    ("authenticat", "authenticatie"), ("authenticeren", "authenticatie"),
    ("authoriz", "autorisatie"), ("authoris", "autorisatie"), ("autoris", "autorisatie"),
    ("gateway", "gateway"), ("sleutel", "sleutel"), ("key management", "sleutel"),
    ("synchron", "tijd"), ("siem", "bewaking"), ("monitor", "bewaking"),
)


def name_concepts(name: str) -> set[str]:
    """The concepts of :data:`NAME_CONCEPTS` a name mentions, in Dutch or English."""
    text = " ".join(re.findall(r"[a-z]+", name.casefold()))
    return {concept for stem, concept in NAME_CONCEPTS if stem in text}


def _near(start: set[str], neighbours: Mapping[str, set[str]], snapshot: Snapshot
          ) -> set[str]:
    """``start`` and what lies one step from it, not through a grouping or a motivation
    element (those connect nearly everything)."""
    wide = {"Grouping", "Principle", "Requirement", "Constraint"}
    found = set(start)
    for ref in start:
        element = snapshot.elements.get(ref)
        if element is not None and element.archimate_type not in wide:
            found |= neighbours.get(ref, set())
    return found


def _check_near_duplicate(change: Change, snapshot: Snapshot, changes: Mapping[str, Change],
                          report: Any) -> None:
    """A new element that is probably an existing one under another name: same type, and
    either two or more shared neighbours, or one shared element within two steps and a
    shared concept in the names (Dutch or English, :data:`NAME_CONCEPTS`)."""
    mine = {end for relation in change.relations for end in _ends(change, relation, changes)
            if end in snapshot.elements}
    if not mine:
        return
    neighbours = _neighbours(snapshot)
    concepts = name_concepts(change.name)
    around_mine = _near(mine, neighbours, snapshot)
    for object_id, others in sorted(neighbours.items()):
        element = snapshot.elements.get(object_id)
        if element is None or element.archimate_type != change.archimate_type:
            continue
        if object_id in change.content or object_id in change.motivation:
            continue  # the text names the element: the author weighed the difference
        if object_id in mine:
            continue  # the change relates to it on purpose
        shared = mine & others
        close = around_mine & others  # at most two steps from an element the change names
        common = concepts & name_concepts(element.name)
        if len(shared) >= NEAR_DUPLICATE_SHARED:
            why = "ook verbonden met " + ", ".join(
                sorted(f"'{snapshot.elements[s].name}'" for s in shared))
        elif close and common:
            why = ("dicht bij " + ", ".join(sorted(f"'{snapshot.elements[s].name}'"
                                                   for s in close))
                   + " en met dezelfde betekenis in de naam (" + ", ".join(sorted(common))
                   + ")")
        else:
            continue
        report(f"lijkt op {describe(object_id, snapshot, changes)}: hetzelfde type en "
               f"{why}. Wijzig dat element ('wijzigen' met zijn Object ID) in plaats van "
               "een tweede toe te voegen. Is het echt iets anders, noem dan het Object ID "
               "in de tekst en leg het verschil uit.")


def _check_principles(change: Change, needs: Mapping[str, Mapping[str, Any]],
                      existing: Mapping[tuple[str, str], GemmaElement], report: Any) -> None:
    """The RAWA principles a new group brings in are new GEMMA principles too: none may
    carry the name of a principle GEMMA already has (NORA's included)."""
    for cause in change.causes:
        need = needs.get(cause) or {}
        if need.get("type") != "principe":
            continue
        twin = existing.get((normal_name(str(need.get("title") or "")), "Principle"))
        if twin is not None:
            report(f"principe {cause} heet net als het GEMMA-principe '{twin.name}' (Object "
                   f"ID {twin.object_id}, map {twin.folder}). Verwijs naar dat principe in "
                   "plaats van een tweede toe te voegen, of kies een andere naam.")


def _check_new(change: Change, existing: Mapping[tuple[str, str], GemmaElement],
               new_seen: dict[tuple[str, str], str], report: Any) -> None:
    if change.ids:
        report("een toevoeging heeft geen 'gemma_id'; gebruik 'wijzigen' als het element "
               "al in de GEMMA staat.")
    if not change.name:
        report("een toevoeging heeft een 'gemma_naam' nodig: de naam van het nieuwe element.")
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
    if change.is_relationship:
        return []
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


# -- GEMMA views the changes touch (views.csv) ---------------------------------------------------


def related_ends(change: Change, changes: Mapping[str, Change], *, all_in_file: bool = False
                 ) -> list[str]:
    """The GEMMA Object IDs at the other end of the change's relationships; with
    ``all_in_file`` also of those other changes declare towards it (the PAP realises the
    Policy Access service through the change of that service)."""
    ends: list[str] = []
    for relation in change.relations:
        others = node_of(changes[relation.other]) if relation.other in changes else [
            relation.other]
        ends.extend(o for o in others if o not in changes)
    for other in changes.values() if all_in_file else ():
        if other is not change and any(r.other == change.id for r in other.relations):
            ends.extend(o for o in node_of(other) if o not in changes)
    return list(dict.fromkeys(ends))


def views_for_new(change: Change, changes: Mapping[str, Change], snapshot: Snapshot
                  ) -> list[GemmaView]:
    """The kept GEMMA views a new element belongs in: those that show an element it relates
    to (so the view would otherwise miss a neighbour of what it shows) and already show
    elements of its ArchiMate type (a view of components and services gets no standard or
    capability it never showed)."""
    if not change.new:
        return []
    ends = set(related_ends(change, changes, all_in_file=True))
    return [view for view in snapshot.views.values() if ends & set(view.members)
            and change.archimate_type in {snapshot.elements[m].archimate_type
                                          for m in view.members if m in snapshot.elements}]


@dataclass(frozen=True)
class ViewTouch:
    """One change that touches one kept GEMMA view."""

    view: GemmaView
    change: Change
    how: str  # Dutch: what the change does to the view
    shown: tuple[str, ...]  # Object IDs in the view that the change concerns


def view_touches(changes: Mapping[str, Change], snapshot: Snapshot) -> list[ViewTouch]:
    """Per kept view, in view and change order, every change that alters an element the
    view shows, withdraws a relationship between two of them, relates a new element to
    one of them, or adds a relationship to one of them."""
    found: list[ViewTouch] = []
    for view in snapshot.views.values():
        members = set(view.members)
        for change in changes.values():
            if change.is_relationship:
                ends = [e for oid in change.ids if (r := snapshot.relation(oid))
                        for e in r[2:]]
                if ends and set(ends) <= members:
                    found.append(ViewTouch(view, change, "relatie vervalt", tuple(ends)))
                continue
            own = [oid for oid in change.ids if oid in members]
            related = [e for e in related_ends(change, changes, all_in_file=True)
                       if e in members]
            if own:
                found.append(ViewTouch(view, change, f"element {change.kind}", tuple(own)))
            elif change.new and related:
                found.append(ViewTouch(view, change, "nieuw element: toevoegen aan de view",
                                       tuple(related)))
            elif related:
                found.append(ViewTouch(view, change, "nieuwe relatie met een element in de "
                                       "view", tuple(related)))
    return found
