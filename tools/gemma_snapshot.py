#!/usr/bin/env python3
"""Make the pinned GEMMA snapshot in ``data/gemma/`` from a GEMMA model repository.

The GEMMA model (VNG Realisatie, EUPL-1.2) is kept in the coArchi layout: under
``model/`` one XML file per element or relationship, one ``folder.xml`` per folder.
This tool reads that layout from a checkout or straight from a git directory (a bare
clone: then the files of ``HEAD`` are read with ``git archive``, nothing is checked
out) and writes only what RAWA needs:

* ``elementen.csv``: per element its Object ID, Archi identifier, ArchiMate type,
  GEMMA type, name and folder, for the folders and types in :data:`SELECTION`;
* ``relaties.csv``: the relationships between two of those elements that RAWA uses
  (:data:`KEPT_RELATIONS`);
* ``bron.json``: the source commit, its date and the GEMMA release of the model.

Both CSV files are sorted, UTF-8, with ``\\n`` line ends, so a refresh shows as a
readable diff. Usage::

    python tools/gemma_snapshot.py PATH [--out data/gemma]

where PATH is a checkout of VNG-Realisatie/GEMMA-Archi-repository or its ``.git``
directory. The XML is parsed with the standard library's ElementTree: coArchi files
have no DTD, and a file with a DOCTYPE or an entity declaration is refused.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# one element type for the snapshot the tool writes and the build reads
from rawa.gemma.model import GemmaElement as Element

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "gemma"

#: (folder path prefix, ArchiMate types taken from it). A folder path is the chain of
#: folder names from the model root, joined with "/" (as Archi shows it).
SELECTION: tuple[tuple[str, frozenset[str]], ...] = (
    ("Motivation/Stategie en motivatie/Architectuurprincipes", frozenset({"Principle"})),
    ("Motivation/Stategie en motivatie/Implicaties", frozenset({"Requirement"})),
    ("Motivation/GEMMA standaardenlijst", frozenset({"Constraint"})),
    ("Motivation/_Sync GEMMA en project/Logging en verwerkingen", frozenset({"Constraint"})),
    ("Business/Bedrijfsfuncties", frozenset({"BusinessFunction"})),
    ("Business/_Sync GEMMA en project/GGM/Bedrijfsobjecten", frozenset({"BusinessObject"})),
    ("Application/Applicatiecomponenten", frozenset({"ApplicationComponent"})),
    ("Application/Applicatieservices/Applicatieservices generiek",
     frozenset({"ApplicationService"})),
    ("Application/Applicatieservices/Applicatieservices informatiebeveiliging",
     frozenset({"ApplicationService"})),
    ("Application/Applicatieservices/Buitengemeentelijke applicatieservices",
     frozenset({"ApplicationService"})),
    ("Application/Overig/Applicatiecomponenten overig",
     frozenset({"ApplicationComponent", "ApplicationService", "DataObject"})),
    ("Application/Overig/Basiscomponenten", frozenset({"ApplicationComponent"})),
    ("Application/Applicatie-interfaces", frozenset({"ApplicationInterface"})),
    ("Application/_Sync GEMMA en project/Logging en verwerkingen",
     frozenset({"ApplicationComponent", "ApplicationService", "ApplicationInterface"})),
    ("Technology & Physical/Technologiecomponenten", frozenset({"SystemSoftware"})),
    ("Technology & Physical/Technologieservices", frozenset({"TechnologyService"})),
    ("Technology & Physical/Technologiegroepen", frozenset({"TechnologyService"})),
    ("Other/Common Ground", frozenset({"Grouping"})),
    # the Common Ground capabilities that the groups above aggregate
    ("Strategy", frozenset({"Capability"})),
)
#: Views whose identity and membership the snapshot keeps (folder path, direct children
#: only): GEMMA's thema-architectuur "Werken met API's". The elements these views show are
#: in ``elementen.csv`` even when :data:`SELECTION` does not take them.
VIEW_FOLDERS: tuple[str, ...] = ("Views/6. Thema-architecturen/Werken met APIs",)
VIEW_TYPES = frozenset({"ArchimateDiagramModel"})
#: ``eigenschappen.csv`` holds every property of every selected element and kept
#: relationship, GGM business objects included: an import with 'Update existing objects'
#: replaces the properties of each existing concept in the file by those the file carries,
#: so the exchange file must carry all of GEMMA's own (review round 3, finding 2).
#: Standards are Constraints with one of these GEMMA types (not their versions).
STANDARD_TYPES = frozenset({"Standaard"})

MOTIVATION = frozenset({"Principle", "Requirement"})
#: Relationships kept: between motivation elements (where GEMMA links its implications
#: to GEMMA and NORA principles), the hierarchies of functions, components and services,
#: what a component realises, which technology a component uses and what serves what.
KEPT_RELATIONS: frozenset[tuple[str, str, str]] = frozenset({
    *((s, r, t) for s in MOTIVATION for t in MOTIVATION
      for r in ("Association", "Realization", "Influence", "Aggregation")),
    *((t, r, t) for t in ("BusinessFunction", "ApplicationComponent", "ApplicationService",
                          "SystemSoftware", "TechnologyService", "BusinessObject")
      for r in ("Aggregation", "Composition", "Specialization")),
    ("ApplicationComponent", "Realization", "ApplicationService"),
    ("SystemSoftware", "Realization", "TechnologyService"),
    ("ApplicationComponent", "Association", "SystemSoftware"),
    ("TechnologyService", "Serving", "ApplicationComponent"),
    ("ApplicationService", "Serving", "BusinessFunction"),
    ("Grouping", "Aggregation", "ApplicationComponent"),
    ("Grouping", "Aggregation", "Capability"),
    # what realises a capability (GEMMA has none yet; a refresh picks them up)
    *((s, "Realization", "Capability") for s in ("ApplicationComponent", "ApplicationService",
                                                  "SystemSoftware", "TechnologyService",
                                                  "BusinessFunction")),
    ("BusinessFunction", "Serving", "BusinessFunction"),
    # how GEMMA chains its services (Policy Information service -> Policy Decision
    # service): the near-duplicate check looks two steps around an element
    ("ApplicationService", "Flow", "ApplicationService"),
    # so that a change does not relate two components a second time
    *(("ApplicationComponent", r, "ApplicationComponent") for r in ("Flow", "Serving",
                                                                   "Association")),
})

ELEMENT_COLUMNS = ("object_id", "archi_id", "archimate_type", "gemma_type", "naam", "map",
                   "documentatie")
RELATION_COLUMNS = ("object_id", "archi_id", "archimate_type", "bron", "doel")
VIEW_COLUMNS = ("view_object_id", "view_archi_id", "view_naam", "map", "element")
PROPERTY_COLUMNS = ("object_id", "volgorde", "sleutel", "waarde")
NAMESPACE_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


class SnapshotError(Exception):
    """A problem with the input; the message is for the maintainer (Dutch)."""


@dataclass(frozen=True)
class Relation:
    object_id: str
    archi_id: str
    archimate_type: str
    source: str  # Archi id of the source
    target: str  # Archi id of the target


# -- reading the coArchi tree ------------------------------------------------------------------


def parse_xml(data: bytes, name: str) -> ET.Element:
    """Parse one coArchi file; refuse DTDs and entities (never in coArchi files)."""
    head = data[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise SnapshotError(f"{name}: bevat een DOCTYPE of ENTITY; een coArchi-bestand "
                            "heeft die nooit. Het bestand is niet gelezen.")
    try:
        return ET.fromstring(data)
    except ET.ParseError as err:
        raise SnapshotError(f"{name}: geen geldige XML ({err})") from err


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def files_from_checkout(path: Path) -> Iterator[tuple[str, bytes]]:
    """(path relative to the repository, bytes) of every XML file under ``model/``."""
    model = path / "model"
    if not model.is_dir():
        raise SnapshotError(f"{path}: geen map model/ gevonden; geef een checkout van de "
                            "GEMMA-Archi-repository of de .git-map ervan.")
    for file in sorted(model.rglob("*.xml")):
        yield file.relative_to(path).as_posix(), file.read_bytes()


def git(gitdir: Path, *args: str) -> bytes:
    result = subprocess.run(["git", f"--git-dir={gitdir}", *args], capture_output=True,
                            check=False)
    if result.returncode != 0:
        raise SnapshotError(f"git {' '.join(args)} in {gitdir} mislukte: "
                            f"{result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def files_from_git(gitdir: Path) -> Iterator[tuple[str, bytes]]:
    """The XML files under ``model/`` at ``HEAD`` of a git directory, via ``git archive``."""
    archive = git(gitdir, "archive", "--format=tar", "HEAD", "model")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if member.isfile() and member.name.endswith(".xml"):
                handle = tar.extractfile(member)
                if handle is not None:
                    yield member.name, handle.read()


def is_git_dir(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def source_info(path: Path) -> dict[str, str]:
    """Commit and commit date of the source, when it is a git directory or checkout."""
    gitdir = path if is_git_dir(path) else path / ".git"
    if not gitdir.exists():
        return {"commit": "onbekend", "datum": "onbekend", "tak": "onbekend"}
    commit = git(gitdir, "rev-parse", "HEAD").decode().strip()
    date = git(gitdir, "log", "-1", "--format=%cs", "HEAD").decode().strip()
    branch = git(gitdir, "rev-parse", "--abbrev-ref", "HEAD").decode().strip()
    return {"commit": commit, "datum": date, "tak": branch}


@dataclass(frozen=True)
class View:
    object_id: str
    archi_id: str
    name: str
    folder: str
    shown: tuple[str, ...]  # Archi ids of the elements the view shows, in file order


@dataclass
class Model:
    elements: list[Element]
    relations: list[Relation]
    model_props: dict[str, str]
    properties: dict[str, list[tuple[str, str]]]  # Archi id -> (key, value), in file order
    views: list[View]


def read_model(files: Iterator[tuple[str, bytes]]) -> Model:
    """Every element, relationship and view of the tree, with its folder path; the
    properties of every element (in GEMMA's order) and of the model."""
    raw: list[tuple[str, ET.Element]] = []
    folder_names: dict[str, str] = {}
    model_props: dict[str, str] = {}
    for name, data in files:
        root = parse_xml(data, name)
        directory = name.rsplit("/", 1)[0]
        if name.endswith("/folder.xml"):
            kind = local_name(root.tag)
            if kind == "Folder":
                folder_names[directory] = root.get("name") or directory.rsplit("/", 1)[-1]
            elif kind == "ArchimateModel":
                model_props = {p.get("key", ""): p.get("value", "")
                               for p in root.findall("properties")}
            continue
        raw.append((name, root))

    def folder_path(directory: str) -> str:
        parts = directory.split("/")[1:]  # drop "model"
        return "/".join(folder_names.get("/".join(["model", *parts[:i + 1]]), parts[i])
                        for i in range(len(parts)))

    elements: list[Element] = []
    relations: list[Relation] = []
    properties: dict[str, list[tuple[str, str]]] = {}
    views: list[View] = []
    for name, root in raw:
        kind = local_name(root.tag)
        props: dict[str, str] = {}
        ordered: list[tuple[str, str]] = []
        for prop in root.findall("properties"):
            props.setdefault(prop.get("key", ""), prop.get("value", ""))
            if prop.get("key"):  # Archi may keep a property without a key: not exchangeable
                ordered.append((prop.get("key", ""), prop.get("value", "")))
        archi_id = root.get("id") or ""
        object_id = props.get("Object ID") or archi_id
        if kind in VIEW_TYPES:
            shown = [(child.get("href") or "").rsplit("#", 1)[-1]
                     for child in root.iter("archimateElement")]
            views.append(View(object_id, archi_id, " ".join((root.get("name") or "").split()),
                              folder_path(name.rsplit("/", 1)[0]),
                              tuple(dict.fromkeys(i for i in shown if i))))
            continue
        if kind.endswith("Relationship"):
            source = _endpoint(root, "source")
            target = _endpoint(root, "target")
            if source and target:
                relations.append(Relation(object_id, archi_id, kind.removesuffix("Relationship"),
                                          source, target))
                properties[archi_id] = ordered
            continue
        if kind in ("ArchimateDiagramModel", "SketchModel", "CanvasModel"):
            continue
        # name and documentation exactly as GEMMA has them: the exchange file gives them
        # back unchanged (review round 3, finding 5)
        elements.append(Element(object_id, archi_id, kind, props.get("GEMMA type", ""),
                                root.get("name") or "",
                                folder_path(name.rsplit("/", 1)[0]),
                                _documentation(root)))
        properties[archi_id] = ordered
    return Model(elements, relations, model_props, properties, views)


def _documentation(root: ET.Element) -> str:
    """The element's documentation (attribute or child), exactly as GEMMA has it."""
    value = root.get("documentation")
    if value is None:
        child = root.find("documentation")
        value = child.text if child is not None else None
    return value or ""


def _endpoint(root: ET.Element, end: str) -> str:
    """The Archi id at one end of a relationship: an attribute or a child with an href."""
    value = root.get(end)
    if value is None:
        child = root.find(end)
        value = child.get("href") if child is not None else None
    return (value or "").rsplit("#", 1)[-1]


# -- selecting and writing ---------------------------------------------------------------------


def selected(element: Element) -> bool:
    for prefix, types in SELECTION:
        if (element.folder == prefix or element.folder.startswith(prefix + "/")) and (
                element.archimate_type in types):
            if element.archimate_type == "Constraint":
                return element.gemma_type in STANDARD_TYPES
            return True
    return False


def selected_views(views: list[View]) -> list[View]:
    return sorted((v for v in views if v.folder in VIEW_FOLDERS), key=lambda v: v.object_id)


def select(elements: list[Element], relations: list[Relation], views: list[View] = ()
           ) -> tuple[list[Element], list[tuple[str, ...]]]:
    """The selected elements (with those the selected views show), and the relationships
    between two of them (by Object ID)."""
    in_views = {archi_id for view in selected_views(list(views)) for archi_id in view.shown}
    chosen = sorted((e for e in elements if selected(e) or e.archi_id in in_views),
                    key=lambda e: e.object_id)
    counts: dict[str, int] = {}
    for element in chosen:
        counts[element.object_id] = counts.get(element.object_id, 0) + 1
    twice = sorted(oid for oid, n in counts.items() if n > 1)
    if twice:
        raise SnapshotError(f"Object ID komt meer dan eens voor: {', '.join(twice)}")
    by_archi = {e.archi_id: e for e in chosen}
    rows = sorted(
        (r.object_id, r.archi_id, r.archimate_type, by_archi[r.source].object_id,
         by_archi[r.target].object_id)
        for r in relations if r.source in by_archi and r.target in by_archi
        and (by_archi[r.source].archimate_type, r.archimate_type,
             by_archi[r.target].archimate_type) in KEPT_RELATIONS)
    return chosen, rows


def csv_text(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def write_snapshot(source: Path, out: Path) -> tuple[int, int]:
    """Read ``source`` (checkout or git directory), write the snapshot into ``out``."""
    files = files_from_git(source) if is_git_dir(source) else files_from_checkout(source)
    model = read_model(files)
    elements, relations, model_props = model.elements, model.relations, model.model_props
    chosen, rows = select(elements, relations, model.views)
    by_archi = {e.archi_id: e.object_id for e in chosen}
    view_rows = sorted((v.object_id, v.archi_id, v.name, v.folder, by_archi[a])
                       for v in selected_views(model.views) for a in v.shown if a in by_archi)
    concepts = [(e.object_id, e.archi_id) for e in chosen] + [(r[0], r[1]) for r in rows]
    property_rows = sorted((object_id, f"{i + 1:02d}", key, value)
                           for object_id, archi_id in concepts
                           for i, (key, value) in enumerate(model.properties.get(archi_id, [])))
    info = source_info(source)
    meta = {
        "bron": "https://github.com/VNG-Realisatie/GEMMA-Archi-repository",
        "commit": info["commit"],
        "commitdatum": info["datum"],
        "tak": info["tak"],
        "gemma_release": model_props.get("Release", "onbekend"),
        "licentie": "EUPL-1.2",
        "rechthebbende": "VNG Realisatie",
        "elementen": len(chosen),
        "relaties": len(rows),
        "views": len({row[0] for row in view_rows}),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "elementen.csv").write_text(csv_text(ELEMENT_COLUMNS, [e.row() for e in chosen]),
                                       encoding="utf-8", newline="")
    (out / "relaties.csv").write_text(csv_text(RELATION_COLUMNS, rows), encoding="utf-8",
                                      newline="")
    (out / "views.csv").write_text(csv_text(VIEW_COLUMNS, view_rows), encoding="utf-8",
                                   newline="")
    (out / "eigenschappen.csv").write_text(csv_text(PROPERTY_COLUMNS, property_rows),
                                           encoding="utf-8", newline="")
    (out / "bron.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False,
                                              sort_keys=True) + "\n", encoding="utf-8")
    return len(chosen), len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path,
                        help="checkout of de GEMMA-Archi-repository, of de .git-map ervan")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="doelmap (standaard data/gemma)")
    args = parser.parse_args(argv)
    try:
        count, rels = write_snapshot(args.source, args.out)
    except SnapshotError as err:
        print(f"gemma-snapshot: {err}", file=sys.stderr)
        return 1
    print(f"gemma-snapshot: {count} elementen en {rels} relaties geschreven naar {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
