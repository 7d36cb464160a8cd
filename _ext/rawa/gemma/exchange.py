"""``rawa-gemma-wijzigingen.xml``: the GEMMA changes as an ArchiMate Model Exchange File.

The file follows the Open Group ArchiMate Model Exchange File Format 3.1 (namespace
``http://www.opengroup.org/xsd/archimate/3.0/``, schema ``archimate3_Diagram.xsd``),
which Archi imports with *File > Import > Open Exchange XML Model*. It holds:

* every new element (``toevoegen``) with the stable identifier ``id-rawa-<need ID>``;
* every changed or withdrawn element under its own Archi identifier from the GEMMA
  model, with its GEMMA ``Object ID`` as a property, so a maintainer finds it. It keeps
  GEMMA's name and documentation; the proposal is in the properties ``Nieuwe naam``,
  ``Nieuw GEMMA-type`` and ``RAWA-voorstel``, so that an import into GEMMA that updates
  existing objects by mistake changes nothing GEMMA wrote. An Archi identifier that
  starts with a digit is no ``xs:ID``: it gets ``id-`` and the property ``Archi-ID``
  (such an element merges by Object ID, not by identifier);
* every GEMMA relationship a change withdraws, under its own Archi identifier, with
  ``Wijzigingssoort`` ``vervallen``;
* ``accessType`` on every Access relationship (Archi reads a missing one as write);
* the GEMMA elements the changes relate to (unchanged, for context);
* for a new group of principles, the RAWA principles it holds;
* all relationships of the changes, and one view per GEMMA layer;
* properties ``RAWA ID`` and ``Wijzigingssoort`` on every element that a change adds,
  changes or withdraws, and ``RAWA ID`` on every relationship.

The bytes depend on the needs and the snapshot only: same input, same file. Every text
goes through the export text policy of :mod:`rawa_export_text`: a control character
stops the file with a warning at the need, and an old file is removed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

import rawa.gemma.model as gm
from rawa.model.need_refs import snapshot
from rawa.views.export_text import control_characters
from rawa.views.exports import write_atomically

logger = logging.getLogger(__name__)

FILE_NAME = "rawa-gemma-wijzigingen.xml"
NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = (f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd")
MODEL_ID = "id-rawa-gemma-wijzigingen"
#: Property definitions, in file order: (identifier, name).
PROPERTIES = (
    ("propid-rawa-id", "RAWA ID"),
    ("propid-wijzigingssoort", "Wijzigingssoort"),
    ("propid-gemma-type", "GEMMA type"),
    ("propid-object-id", "Object ID"),
    ("propid-motivatie", "Motivatie"),
    ("propid-rawa-principe", "RAWA-principe"),
    ("propid-nieuwe-naam", "Nieuwe naam"),
    ("propid-nieuw-gemma-type", "Nieuw GEMMA-type"),
    ("propid-rawa-voorstel", "RAWA-voorstel"),
    ("propid-archi-id", "Archi-ID"),
    ("propid-beheerd-in", "Beheerd in"),
    ("propid-toevoegen-aan-view", "Toevoegen aan view"),
    ("propid-gemma-status", "GEMMA status"),
    ("propid-map-in-gemma", "Map in GEMMA"),
)
#: The GEMMA type GEMMA gives its (GEMMA and NORA) principles (data/gemma/elementen.csv).
PRINCIPLE_TYPE = "Principe"
#: The GEMMA status of a new element, where GEMMA gives elements of its type a status.
NEW_STATUS = "In ontwikkeling"
#: ArchiMate types whose new elements GEMMA takes over from another model at each
#: synchronisation (business objects come from the GGM): a proposal to that model's
#: maintainers, kept out of the folders a GEMMA maintainer merges.
MAINTAINED_ELSEWHERE = {"BusinessObject": "GGM"}
#: The folder for a new element that relates to no GEMMA element of its own type: RAWA's
#: new reference components are about access and security, so they go where GEMMA keeps
#: its security reference components (SIEM-beheercomponent 90b5871c, for one).
FOLDER_FALLBACK = {
    ("ApplicationComponent", "Referentiecomponent"):
        "Application/Applicatiecomponenten/Referentiecomponenten informatiebeveiliging",
}
ELSEWHERE_FOLDER = "RAWA voorstellen aan {owner}-beheer (niet samenvoegen)"
_PROP = {name: identifier for identifier, name in PROPERTIES}
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
LAYER_LABELS = {
    "architectuurprincipes": "Architectuurprincipes",
    "bedrijfsarchitectuur": "Bedrijfsarchitectuur",
    "informatiearchitectuur": "Informatiearchitectuur",
    "gegevenslandschap": "Gegevenslandschap",
    "technische infrastructuur": "Technische infrastructuur",
}

DC = "http://purl.org/dc/elements/1.1/"


def _register_prefixes() -> None:
    """Name our namespaces for the serializer, right before it runs.

    ElementTree keeps one registry for the whole process; another library (WeasyPrint,
    for its PDF metadata) registers its own prefixes on import and may take ours, and
    the file would then say ``ns0:model`` in one build and ``model`` in the next.
    """
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    ET.register_namespace("dc", DC)


def gemma_status_types(model: gm.Snapshot) -> set[str]:
    """The ArchiMate types whose elements GEMMA gives the status 'In ontwikkeling'."""
    return {model.elements[oid].archimate_type for oid, props in model.properties.items()
            if oid in model.elements and ("GEMMA status", NEW_STATUS) in props}


def gemma_folder(change: gm.Change, changes: Mapping[str, gm.Change],
                 model: gm.Snapshot) -> str:
    """The GEMMA folder for a new element: where GEMMA keeps the existing elements of the
    same ArchiMate and GEMMA type that the change relates to (the most, then by name);
    else the folder in :data:`FOLDER_FALLBACK`; empty for a grouping or a GGM object. A
    ``_Sync`` folder is never proposed: another model overwrites it at each synchronisation."""
    if change.archimate_type in ("Grouping", *MAINTAINED_ELSEWHERE):
        return ""
    counts: dict[str, int] = {}
    for end in gm.related_ends(change, changes):
        element = model.elements.get(end)
        if element is not None and "/_Sync " not in element.folder and (
                element.archimate_type, element.gemma_type) == (change.archimate_type,
                                                                 change.gemma_type):
            counts[element.folder] = counts.get(element.folder, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if ranked:
        return ranked[0][0]
    fallback = FOLDER_FALLBACK.get((change.archimate_type, change.gemma_type), "")
    return fallback if any(e.folder == fallback for e in model.elements.values()) else ""


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def xml_id(archi_id: str) -> str:
    """An Archi identifier as an ``xs:ID``: one that starts with a digit gets ``id-``."""
    return archi_id if NCNAME.match(archi_id) else f"id-{archi_id}"


def new_id(need_id: str) -> str:
    return f"id-rawa-{need_id}"


class Element:
    """One element of the file, before it is written. ``gemma_properties`` are GEMMA's own
    properties of an existing element, in GEMMA's order; they come first and unchanged, so
    that an import that updates existing objects keeps them."""

    def __init__(self, identifier: str, archimate_type: str, name: str) -> None:
        self.identifier = identifier
        self.type = archimate_type
        self.name = name
        self.documentation = ""
        self.properties: dict[str, str] = {}
        self.gemma_properties: tuple[tuple[str, str], ...] = ()

    def all_properties(self) -> list[tuple[str, str]]:
        """GEMMA's properties (as GEMMA has them), then RAWA's that GEMMA does not have."""
        own = {key for key, _ in self.gemma_properties}
        return [*self.gemma_properties,
                *((name, self.properties[name]) for _, name in PROPERTIES
                  if self.properties.get(name) and name not in own)]


def property_definitions(elements: Mapping[str, Element],
                         relationships: Sequence[Relationship] = ()) -> dict[str, str]:
    """Name -> identifier: RAWA's properties, then every GEMMA property key (sorted) of
    the elements and of the GEMMA relationships in the file."""
    found = {name: identifier for identifier, name in PROPERTIES}
    taken = set(found.values())
    keys = {k for e in elements.values() for k, _ in e.gemma_properties}
    keys |= {k for *_, props in relationships if isinstance(props, list) for k, _ in props}
    for key in sorted(keys):
        if key in found:
            continue
        base = "propid-gemma-" + (re.sub(r"[^a-z0-9]+", "-", key.casefold()).strip("-")
                                  or "eigenschap")
        identifier, count = base, 1
        while identifier in taken:
            count += 1
            identifier = f"{base}-{count}"
        taken.add(identifier)
        found[key] = identifier
    return found


def _text(parent: ET.Element, tag: str, text: str) -> None:
    child = ET.SubElement(parent, q(tag), {XML_LANG: "nl"})
    child.text = text


def _properties(parent: ET.Element, values: Mapping[str, str] | list[tuple[str, str]],
                definitions: Mapping[str, str] = _PROP) -> None:
    present = (values if isinstance(values, list) else
               [(name, values[name]) for _, name in PROPERTIES if values.get(name)])
    if not present:
        return
    holder = ET.SubElement(parent, q("properties"))
    for name, value in present:
        prop = ET.SubElement(holder, q("property"),
                             {"propertyDefinitionRef": definitions[name]})
        _text(prop, "value", value)


#: (identifier, type, source, target, XML attributes, properties: RAWA's by name, or the
#: ordered pairs of an existing GEMMA relationship)
Relationship = tuple[str, str, str, str, dict[str, str],
                     dict[str, str] | list[tuple[str, str]]]


def relationship_id(change: gm.Change, start: str, relation: gm.Relation, end: str,
                    several: bool) -> str:
    """Stable: derived from the change, the type, the direction and the other end (and the
    start, when a change stands for more than one element); not from an order."""
    direction = "in" if relation.incoming else "uit"
    parts = [change.id, *([start] if several else []), relation.type.lower(), direction, end]
    return "id-rawa-rel-" + "-".join(parts)


def collect(needs: Mapping[str, Mapping[str, Any]], model: gm.Snapshot
            ) -> tuple[dict[str, Element], list[Relationship], dict[str, gm.Change],
                       dict[str, list[str]]]:
    """Elements by reference, relationships (:data:`Relationship`), the changes, and per
    layer the references it shows.

    An existing GEMMA element keeps its GEMMA name and documentation; what RAWA proposes
    for it is in the properties ``Nieuwe naam``, ``Nieuw GEMMA-type`` and
    ``RAWA-voorstel``. So an import that updates existing objects by mistake changes
    nothing that GEMMA wrote."""
    changes = gm.changes_from_needs(needs)
    elements: dict[str, Element] = {}
    refs_by_layer: dict[str, list[str]] = {layer: [] for layer in LAYER_LABELS}

    def existing(object_id: str) -> Element:
        if object_id not in elements:
            gemma = model.elements[object_id]
            element = Element(xml_id(gemma.archi_id), gemma.archimate_type, gemma.name)
            element.documentation = gemma.documentation
            element.gemma_properties = model.properties.get(object_id, ())
            element.properties["Object ID"] = object_id
            if element.identifier != gemma.archi_id:
                element.properties["Archi-ID"] = gemma.archi_id
            if gemma.gemma_type:
                element.properties["GEMMA type"] = gemma.gemma_type
            elements[object_id] = element
        return elements[object_id]

    def add_value(element: Element, name: str, value: str, separator: str = ", ") -> None:
        values = [v for v in element.properties.get(name, "").split(separator) if v]
        element.properties[name] = separator.join(sorted({*values, value}))

    with_status = gemma_status_types(model)
    for change in changes.values():
        if change.is_relationship:
            continue
        if change.new:
            element = Element(new_id(change.id), change.archimate_type, change.name)
            element.documentation = change.content
            element.properties.update({"RAWA ID": change.id, "Wijzigingssoort": change.kind,
                                       "GEMMA type": change.gemma_type,
                                       "Motivatie": change.motivation,
                                       "Beheerd in": MAINTAINED_ELSEWHERE.get(
                                           change.archimate_type, ""),
                                       "Toevoegen aan view": "; ".join(
                                           f"{view.name} ({view.object_id})" for view in
                                           gm.views_for_new(change, changes, model)),
                                       "GEMMA status": NEW_STATUS if change.archimate_type
                                       in with_status else "",
                                       "Map in GEMMA": gemma_folder(change, changes,
                                                                    model)})
            elements[change.id] = element
            continue
        for object_id in change.ids:
            if object_id not in model.elements:
                continue
            element = existing(object_id)
            add_value(element, "RAWA ID", change.id)
            add_value(element, "Wijzigingssoort", change.kind)
            add_value(element, "RAWA-voorstel", f"{change.id}: {change.content}", "\n\n")
            if change.name:
                element.properties["Nieuwe naam"] = change.name
            if change.gemma_type:
                element.properties["Nieuw GEMMA-type"] = change.gemma_type
    relationships: list[Relationship] = []
    taken: set[str] = set()

    def add_relationship(identifier: str, kind: str, source: str, target: str,
                         attributes: dict[str, str],
                         properties: dict[str, str] | list[tuple[str, str]]) -> None:
        base, count = identifier, 1
        while identifier in taken:
            count += 1
            identifier = f"{base}-{count}"
        taken.add(identifier)
        relationships.append((identifier, kind, source, target, attributes, properties))

    for change, start, relation in gm.all_relations(changes):
        if start not in elements:
            continue
        ends = (gm.node_of(changes[relation.other]) if relation.other in changes
                else [relation.other])
        for end in ends:
            if end not in elements and end in model.elements:
                existing(end)
            if end not in elements:
                continue
            source, target = (end, start) if relation.incoming else (start, end)
            attributes = {"accessType": relation.access} if relation.type == "Access" else {}
            add_relationship(relationship_id(change, start, relation, end,
                                             len(gm.node_of(change)) > 1),
                             relation.type, source, target, attributes, {"RAWA ID": change.id})
    # GEMMA relationships that a change withdraws: under their own Archi id, so that an
    # import matches them and a maintainer deletes them by hand (Wijzigingssoort vervallen)
    for change in changes.values():
        if not change.is_relationship:
            continue
        for object_id in change.ids:
            found = model.relation(object_id)
            if found is None or found[2] not in model.elements or found[3] not in model.elements:
                continue
            existing(found[2])
            existing(found[3])
            identifier = xml_id(model.relation_archi_ids.get(object_id) or object_id)
            # GEMMA's own properties first and unchanged, as for an existing element
            own = tuple(model.properties.get(object_id, ()))
            rawa = [(key, value) for key, value in (("RAWA ID", change.id),
                                                    ("Wijzigingssoort", change.kind),
                                                    ("Object ID", object_id))
                    if key not in {k for k, _ in own}]
            add_relationship(identifier, found[1], found[2], found[3], {}, [*own, *rawa])
    # the RAWA principles a new group of principles holds: new elements like any other
    # (Wijzigingssoort toevoegen, RAWA ID of the group's change), with the GEMMA type GEMMA
    # gives its principles; the property RAWA-principe names them
    for change in changes.values():
        if not (change.new and change.archimate_type == "Grouping"):
            continue
        for cause in change.causes:
            need = needs.get(cause)
            if not need or need.get("type") != "principe" or cause in elements:
                continue
            principle = Element(new_id(cause), "Principle", str(need.get("title") or cause))
            principle.documentation = str(need.get("content") or "").strip()
            principle.properties.update({"RAWA ID": change.id, "Wijzigingssoort": "toevoegen",
                                         "GEMMA type": PRINCIPLE_TYPE,
                                         "RAWA-principe": cause})
            elements[cause] = principle
            add_relationship(f"id-rawa-rel-{change.id}-aggregation-uit-{cause}",
                             "Aggregation", change.id, cause, {}, {"RAWA ID": change.id})
    for layer in LAYER_LABELS:
        shown: list[str] = []
        view = gm.layer_view(layer, changes, model)
        for change in view.changes:
            shown.extend(r for r in gm.node_of(change) if r in elements)
            if change.new and change.archimate_type == "Grouping":
                shown.extend(c for c in change.causes if c in elements)
            for object_id in change.ids if change.is_relationship else ():
                found = model.relation(object_id)
                if found is not None:
                    shown.extend(r for r in found[2:] if r in elements)
        shown.extend(r for r in view.context if r in elements)
        refs_by_layer[layer] = list(dict.fromkeys(shown))
    return elements, relationships, changes, refs_by_layer


def problems(elements: Mapping[str, Element], changes: Mapping[str, gm.Change]
             ) -> list[tuple[str, str, int | None, str]]:
    """Texts with a control character: (need ID, docname, line, Dutch message)."""
    found = []
    for ref, element in sorted(elements.items()):
        values = {"naam": element.name, "documentatie": element.documentation,
                  **element.properties}
        for column, text in values.items():
            chars = control_characters(text)
            if not chars:
                continue
            owner = changes.get(element.properties.get("RAWA ID", "").split(", ")[0]) \
                or changes.get(ref)
            found.append((owner.id if owner else ref, owner.docname if owner else "",
                          owner.lineno if owner else None,
                          f"GEMMA-wijziging {owner.id if owner else ref}: '{column}' bevat een "
                          f"stuurteken ({', '.join(chars)}) dat niet in het uitwisselbestand "
                          f"mag; {FILE_NAME} is niet gemaakt."))
    return found


def exchange_bytes(needs: Mapping[str, Mapping[str, Any]], model: gm.Snapshot) -> bytes:
    elements, relationships, _changes, refs_by_layer = collect(needs, model)
    root = ET.Element(q("model"), {"identifier": MODEL_ID,
                                   f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
    _text(root, "name", "RAWA: voorgestelde wijzigingen in de GEMMA")
    _text(root, "documentation",
          "Wijzigingsvoorstel van de Referentiearchitectuur Werken met API's (RAWA) voor het "
          f"GEMMA-model, gemaakt tegen GEMMA-release {model.meta.get('gemma_release', '?')} "
          f"(commit {model.meta.get('commit', '?')}). Nieuwe elementen hebben een ID dat "
          "begint met id-rawa-; bestaande elementen en relaties hebben hun Archi-ID uit de "
          "GEMMA, hun Object ID als eigenschap en hun eigen naam en documentatie uit de "
          "GEMMA. Wat RAWA voor een bestaand element voorstelt, staat in de eigenschappen "
          "Nieuwe naam, Nieuw GEMMA-type en RAWA-voorstel. Een element met de eigenschap "
          "Archi-ID heeft in de GEMMA een Archi-ID dat met een cijfer begint; dat kan dit "
          "formaat niet dragen, dus voeg het samen op Object ID, niet op ID. Samenvoegen: "
          "zie CONTRIBUTING.md, paragraaf 2.3. GEMMA-model: VNG Realisatie, EUPL-1.2.")
    _metadata(root, model)
    defs = property_definitions(elements, relationships)
    block = ET.SubElement(root, q("elements"))
    for ref in sorted(elements, key=lambda r: elements[r].identifier):
        element = elements[ref]
        node = ET.SubElement(block, q("element"), {"identifier": element.identifier,
                                                   f"{{{XSI}}}type": element.type})
        _text(node, "name", element.name)
        if element.documentation:
            _text(node, "documentation", element.documentation)
        _properties(node, element.all_properties(), defs)
    if relationships:
        block = ET.SubElement(root, q("relationships"))
        for identifier, kind, source, target, attributes, properties in relationships:
            node = ET.SubElement(block, q("relationship"), {
                "identifier": identifier, "source": elements[source].identifier,
                "target": elements[target].identifier, f"{{{XSI}}}type": kind,
                **attributes})
            _properties(node, properties, defs)
    organizations = ET.SubElement(root, q("organizations"))
    elsewhere: dict[str, list[str]] = {}
    for layer, refs in refs_by_layer.items():
        if not refs:
            continue
        item = ET.SubElement(organizations, q("item"))
        _text(item, "label", f"RAWA {LAYER_LABELS[layer]}")
        for ref in refs:
            owner = elements[ref].properties.get("Beheerd in")
            if owner:
                elsewhere.setdefault(owner, []).append(ref)
                continue
            ET.SubElement(item, q("item"), {"identifierRef": elements[ref].identifier})
    for owner, refs in sorted(elsewhere.items()):
        item = ET.SubElement(organizations, q("item"))
        _text(item, "label", ELSEWHERE_FOLDER.format(owner=owner))
        for ref in dict.fromkeys(refs):
            ET.SubElement(item, q("item"), {"identifierRef": elements[ref].identifier})
    relation_item = ET.SubElement(organizations, q("item"))
    _text(relation_item, "label", "RAWA relaties")
    for identifier, *_ in relationships:
        ET.SubElement(relation_item, q("item"), {"identifierRef": identifier})
    definitions = ET.SubElement(root, q("propertyDefinitions"))
    for name, identifier in defs.items():
        definition = ET.SubElement(definitions, q("propertyDefinition"),
                                   {"identifier": identifier, "type": "string"})
        _text(definition, "name", name)
    _views(root, elements, relationships, refs_by_layer)
    ET.indent(root, space="  ")
    _register_prefixes()
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _metadata(root: ET.Element, model: gm.Snapshot) -> None:
    """Dublin Core metadata (the exchange format's MetadataType): what the file derives
    from and under which terms. The date is that of the GEMMA snapshot, not of the build,
    so the file stays byte-reproducible."""
    meta = ET.SubElement(root, q("metadata"))
    ET.SubElement(meta, q("schema")).text = "Dublin Core"
    ET.SubElement(meta, q("schemaversion")).text = "1.1"
    values = (
        ("title", "RAWA: voorgestelde wijzigingen in de GEMMA"),
        ("creator", "Referentiearchitectuur Werken met API's (RAWA)"),
        ("source", f"{model.meta.get('bron', '?')}, commit {model.meta.get('commit', '?')}, "
                   f"tak {model.meta.get('tak', '?')}"),
        ("date", str(model.meta.get("commitdatum", "?"))),
        ("rights", "Namen, documentatie en ID's uit het GEMMA-model: EUPL-1.2, (c) VNG "
                   "Realisatie. Voorstellen van RAWA: CC-BY-4.0. Zie LICENSES.md."),
    )
    for name, value in values:
        ET.SubElement(meta, f"{{{DC}}}{name}").text = value


#: Fill colours of a view's nodes by change kind (RGB); elements without a change are
#: GEMMA context. The legend of every view repeats them.
KIND_COLOURS: dict[str, tuple[int, int, int]] = {
    "toevoegen": (198, 239, 206),
    "wijzigen": (255, 235, 156),
    "vervallen": (255, 199, 206),
    "": (242, 242, 242),
}
LEGEND_LABELS = {"toevoegen": "Nieuw element (toevoegen)",
                 "wijzigen": "Bestaand element, gewijzigd (wijzigen)",
                 "vervallen": "Vervalt of verliest een relatie (vervallen)",
                 "": "GEMMA-element zonder wijziging (context)"}
#: Line colours of the connections: a relationship RAWA adds, one GEMMA loses
#: (``<style><lineColor/>``, allowed on a connection by ``archimate3_Diagram.xsd``).
LINE_COLOURS: dict[str, tuple[int, int, int]] = {
    "toevoegen": (0, 112, 192),
    "vervallen": (204, 0, 0),
}
LINE_LABELS = {"toevoegen": "Nieuwe relatie (blauwe lijn)",
               "vervallen": "Relatie vervalt (rode lijn)"}
NODE_W, NODE_H, MARGIN = 180, 72, 24
LEGEND_W = 260
#: Layers laid out left to right: many principles under a few groups make a wide fan-out.
LEFT_TO_RIGHT = frozenset({"architectuurprincipes"})


def kind_of(element: Element) -> str:
    """The change kind that colours an element: vervallen before wijzigen before toevoegen."""
    kinds = set(element.properties.get("Wijzigingssoort", "").split(", "))
    if element.properties.get("RAWA-principe"):
        kinds.add("toevoegen")
    return next((k for k in ("vervallen", "wijzigen", "toevoegen") if k in kinds), "")


def graphviz_layout(count: int, edges: list[tuple[int, int]], rankdir: str = "TB",
                    left: int = MARGIN) -> list[tuple[int, int]] | None:
    """Top-left corners (pixels) of ``count`` nodes of NODE_W x NODE_H, laid out by
    Graphviz ``dot`` (layout only, ``-Tplain``); ``None`` when ``dot`` is missing or fails.
    The same input gives the same output, so the file stays byte-reproducible."""
    dot = shutil.which("dot")
    if dot is None or count == 0:
        return None
    lines = ["digraph view {",
             f'graph [rankdir={rankdir}, nodesep=0.5, ranksep=0.9, pack=24, packmode="array_c4"];',
             f"node [shape=box, fixedsize=true, width={NODE_W / 72}, height={NODE_H / 72}];",
             *(f"n{i};" for i in range(count)),
             *(f"n{a} -> n{b};" for a, b in edges), "}"]
    source = "\n".join(lines)
    try:
        unflatten = shutil.which("unflatten")
        if unflatten is not None:  # stagger the leaves of a wide fan-out over rows
            source = subprocess.run([unflatten, "-l", "3", "-f", "-c", "4"], input=source,
                                    text=True, capture_output=True, check=True,
                                    timeout=60).stdout
        result = subprocess.run([dot, "-Tplain"], input=source, text=True,
                                capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    height = 0.0
    centres: dict[int, tuple[float, float]] = {}
    for line in result.stdout.splitlines():
        parts = line.split()
        if parts[:1] == ["graph"]:
            height = float(parts[3])
        elif parts[:1] == ["node"]:
            centres[int(parts[1][1:])] = (float(parts[2]), float(parts[3]))
    if len(centres) != count:
        return None
    return [(left + max(0, round(x * 72 - NODE_W / 2)),
             MARGIN + max(0, round((height - y) * 72 - NODE_H / 2)))
            for x, y in (centres[i] for i in range(count))]


def grid_layout(count: int, left: int = MARGIN) -> list[tuple[int, int]]:
    return [(left + (i % 4) * 216, MARGIN + (i // 4) * 108) for i in range(count)]


def _style(node: ET.Element, rgb: tuple[int, int, int] | None,
           line: tuple[int, int, int] | None = None) -> None:
    """``<style>`` with lineColor, then fillColor (the order of StyleType)."""
    style = ET.SubElement(node, q("style"))
    for tag, colour in (("lineColor", line), ("fillColor", rgb)):
        if colour is not None:
            r, g, b = colour
            ET.SubElement(style, q(tag), {"r": str(r), "g": str(g), "b": str(b)})


def _legend(view: ET.Element, slug: str, x: int) -> None:
    """A Container 'Legenda', top left: one coloured Label per change kind of an element,
    then one per line colour of a relationship."""
    entries = [(f"{kind or 'context'}", LEGEND_LABELS[kind], rgb, None)
               for kind, rgb in KIND_COLOURS.items()]
    entries += [(f"relatie-{kind}", LINE_LABELS[kind], (255, 255, 255), rgb)
                for kind, rgb in LINE_COLOURS.items()]
    height = 40 + len(entries) * 44
    legend = ET.SubElement(view, q("node"), {
        "identifier": f"id-rawa-legend-{slug}", f"{{{XSI}}}type": "Container",
        "x": str(x), "y": str(MARGIN), "w": str(LEGEND_W), "h": str(height)})
    _text(legend, "label", "Legenda")
    for index, (key, label, rgb, line) in enumerate(entries):
        item = ET.SubElement(legend, q("node"), {
            "identifier": f"id-rawa-legend-{slug}-{key}",
            f"{{{XSI}}}type": "Label", "x": str(x + 12), "y": str(MARGIN + 32 + index * 44),
            "w": str(LEGEND_W - 24), "h": "36"})
        _text(item, "label", label)
        _style(item, rgb, line)


def _views(root: ET.Element, elements: Mapping[str, Element],
           relationships: list[Relationship],
           refs_by_layer: Mapping[str, list[str]]) -> None:
    views = ET.SubElement(root, q("views"))
    diagrams = ET.SubElement(views, q("diagrams"))
    for layer, refs in refs_by_layer.items():
        if not refs:
            continue
        slug = layer.replace(" ", "-")
        view = ET.SubElement(diagrams, q("view"), {"identifier": f"id-rawa-view-{slug}",
                                                    f"{{{XSI}}}type": "Diagram"})
        _text(view, "name", f"RAWA-wijzigingen: {LAYER_LABELS[layer]}")
        index = {ref: i for i, ref in enumerate(refs)}
        shown = [(identifier, source, target) for identifier, _kind, source, target, *_ in
                 relationships if source in index and target in index]
        left = MARGIN + LEGEND_W + 48  # the legend stands top left
        places = (graphviz_layout(len(refs), [(index[s], index[t]) for _, s, t in shown],
                                  "LR" if layer in LEFT_TO_RIGHT else "TB", left)
                  or grid_layout(len(refs), left))
        node_ids: dict[str, str] = {}
        for ref, (x, y) in zip(refs, places, strict=True):
            node_ids[ref] = f"id-rawa-node-{slug}-{index[ref] + 1}"
            node = ET.SubElement(view, q("node"), {
                "identifier": node_ids[ref], "elementRef": elements[ref].identifier,
                f"{{{XSI}}}type": "Element", "x": str(x), "y": str(y), "w": str(NODE_W),
                "h": str(NODE_H)})
            _style(node, KIND_COLOURS[kind_of(elements[ref])])
        _legend(view, slug, MARGIN)
        for count, (identifier, source, target) in enumerate(shown, start=1):
            connection = ET.SubElement(view, q("connection"), {
                "identifier": f"id-rawa-conn-{slug}-{count}",
                "relationshipRef": identifier, f"{{{XSI}}}type": "Relationship",
                "source": node_ids[source], "target": node_ids[target]})
            # RAWA's own relationships are new; a GEMMA relationship here is withdrawn
            _style(connection, None, LINE_COLOURS["toevoegen" if identifier.startswith(
                "id-rawa-") else "vervallen"])


def write(app: Sphinx, model: gm.Snapshot | None) -> None:
    target = Path(app.outdir) / FILE_NAME
    needs = snapshot(app)
    if model is None or not any(n.get("type") == "gemma" for n in needs.values()):
        target.unlink(missing_ok=True)
        return
    elements, _rels, changes, _layers = collect(needs, model)
    found = problems(elements, changes)
    if found:
        target.unlink(missing_ok=True)
        for _nid, docname, lineno, message in found:
            logger.warning(message, type="rawa", subtype="export",
                           location=(docname, lineno) if docname else None)
        return
    if shutil.which("dot") is None:
        logger.warning("Graphviz (dot) ontbreekt: de views in %s krijgen een raster in plaats "
                       "van een indeling. Installeer Graphviz (make deps).", FILE_NAME,
                       type="rawa", subtype="export")
    try:
        write_atomically(target, exchange_bytes(needs, model))
    except (OSError, KeyError, ValueError) as err:
        target.unlink(missing_ok=True)
        logger.warning("Het uitwisselbestand %s is niet gemaakt: %s", FILE_NAME, err,
                       type="rawa", subtype="export")

