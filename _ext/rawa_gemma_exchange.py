"""``rawa-gemma-wijzigingen.xml``: the GEMMA changes as an ArchiMate Model Exchange File.

The file follows the Open Group ArchiMate Model Exchange File Format 3.1 (namespace
``http://www.opengroup.org/xsd/archimate/3.0/``, schema ``archimate3_Diagram.xsd``),
which Archi imports with *File > Import > Open Exchange XML Model*. It holds:

* every new element (``toevoegen``) with the stable identifier ``id-rawa-<need ID>``;
* every changed or withdrawn element under its own Archi identifier from the GEMMA
  model, with its GEMMA ``Object ID`` as a property, so a maintainer finds it;
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
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import rawa_gemma_model as gm
from rawa_export_text import control_characters
from rawa_exports import write_atomically
from rawa_need_refs import snapshot
from sphinx.application import Sphinx
from sphinx.util import logging

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
)
_PROP = {name: identifier for identifier, name in PROPERTIES}
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
LAYER_LABELS = {
    "architectuurprincipes": "Architectuurprincipes",
    "bedrijfsarchitectuur": "Bedrijfsarchitectuur",
    "informatiearchitectuur": "Informatiearchitectuur",
    "gegevenslandschap": "Gegevenslandschap",
    "technische infrastructuur": "Technische infrastructuur",
}

ET.register_namespace("", NS)
ET.register_namespace("xsi", XSI)


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def xml_id(archi_id: str) -> str:
    """An Archi identifier as an ``xs:ID``: one that starts with a digit gets ``id-``."""
    return archi_id if NCNAME.match(archi_id) else f"id-{archi_id}"


def new_id(need_id: str) -> str:
    return f"id-rawa-{need_id}"


class Element:
    """One element of the file, before it is written."""

    def __init__(self, identifier: str, archimate_type: str, name: str) -> None:
        self.identifier = identifier
        self.type = archimate_type
        self.name = name
        self.documentation = ""
        self.properties: dict[str, str] = {}


def _text(parent: ET.Element, tag: str, text: str) -> None:
    child = ET.SubElement(parent, q(tag), {XML_LANG: "nl"})
    child.text = text


def _properties(parent: ET.Element, values: Mapping[str, str]) -> None:
    present = [(name, values[name]) for _, name in PROPERTIES if values.get(name)]
    if not present:
        return
    holder = ET.SubElement(parent, q("properties"))
    for name, value in present:
        prop = ET.SubElement(holder, q("property"), {"propertyDefinitionRef": _PROP[name]})
        _text(prop, "value", value)


def collect(needs: Mapping[str, Mapping[str, Any]], model: gm.Snapshot
            ) -> tuple[dict[str, Element], list[tuple[str, str, str, str, str]],
                       dict[str, gm.Change], dict[str, list[str]]]:
    """Elements by reference, relationships ``(id, type, source, target, RAWA ID)``,
    the changes, and per layer the references it shows."""
    changes = gm.changes_from_needs(needs)
    elements: dict[str, Element] = {}
    refs_by_layer: dict[str, list[str]] = {layer: [] for layer in LAYER_LABELS}

    def existing(object_id: str) -> Element:
        if object_id not in elements:
            gemma = model.elements[object_id]
            element = Element(xml_id(gemma.archi_id), gemma.archimate_type, gemma.name)
            element.properties["Object ID"] = object_id
            if gemma.gemma_type:
                element.properties["GEMMA type"] = gemma.gemma_type
            elements[object_id] = element
        return elements[object_id]

    for change in changes.values():
        if change.new:
            element = Element(new_id(change.id), change.archimate_type, change.name)
            element.documentation = change.content
            element.properties.update({"RAWA ID": change.id, "Wijzigingssoort": change.kind,
                                       "GEMMA type": change.gemma_type,
                                       "Motivatie": change.motivation})
            elements[change.id] = element
            continue
        for object_id in change.ids:
            if object_id not in model.elements:
                continue
            element = existing(object_id)
            ids = [v for v in element.properties.get("RAWA ID", "").split(", ") if v]
            element.properties["RAWA ID"] = ", ".join(sorted({*ids, change.id}))
            kinds = [v for v in element.properties.get("Wijzigingssoort", "").split(", ") if v]
            element.properties["Wijzigingssoort"] = ", ".join(sorted({*kinds, change.kind}))
            notes = [element.documentation] if element.documentation else []
            element.documentation = "\n\n".join([*notes, f"{change.id}: {change.content}"])
            if change.name:
                element.name = change.name
            if change.gemma_type:
                element.properties["GEMMA type"] = change.gemma_type
    relationships: list[tuple[str, str, str, str, str]] = []
    counter: dict[str, int] = {}
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
            counter[change.id] = counter.get(change.id, 0) + 1
            relationships.append((f"id-rawa-rel-{change.id}-{counter[change.id]}",
                                  relation.type, source, target, change.id))
    # the RAWA principles a new group of principles holds
    for change in changes.values():
        if not (change.new and change.archimate_type == "Grouping"):
            continue
        for cause in change.causes:
            need = needs.get(cause)
            if not need or need.get("type") != "principe" or cause in elements:
                continue
            principle = Element(new_id(cause), "Principle", str(need.get("title") or cause))
            principle.documentation = str(need.get("content") or "").strip()
            principle.properties.update({"RAWA-principe": cause, "GEMMA type": "Principe"})
            elements[cause] = principle
            counter[change.id] = counter.get(change.id, 0) + 1
            relationships.append((f"id-rawa-rel-{change.id}-{counter[change.id]}",
                                  "Aggregation", change.id, cause, change.id))
    for layer in LAYER_LABELS:
        shown: list[str] = []
        view = gm.layer_view(layer, changes, model)
        for change in view.changes:
            shown.extend(r for r in gm.node_of(change) if r in elements)
            if change.new and change.archimate_type == "Grouping":
                shown.extend(c for c in change.causes if c in elements)
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
          "begint met id-rawa-; bestaande elementen hebben hun Archi-ID uit de GEMMA en hun "
          "Object ID als eigenschap. GEMMA-model: VNG Realisatie, EUPL-1.2.")
    block = ET.SubElement(root, q("elements"))
    for ref in sorted(elements, key=lambda r: elements[r].identifier):
        element = elements[ref]
        node = ET.SubElement(block, q("element"), {"identifier": element.identifier,
                                                   f"{{{XSI}}}type": element.type})
        _text(node, "name", element.name)
        if element.documentation:
            _text(node, "documentation", element.documentation)
        _properties(node, element.properties)
    if relationships:
        block = ET.SubElement(root, q("relationships"))
        for identifier, kind, source, target, by in relationships:
            node = ET.SubElement(block, q("relationship"), {
                "identifier": identifier, "source": elements[source].identifier,
                "target": elements[target].identifier, f"{{{XSI}}}type": kind})
            _properties(node, {"RAWA ID": by})
    organizations = ET.SubElement(root, q("organizations"))
    for layer, refs in refs_by_layer.items():
        if not refs:
            continue
        item = ET.SubElement(organizations, q("item"))
        _text(item, "label", f"RAWA {LAYER_LABELS[layer]}")
        for ref in refs:
            ET.SubElement(item, q("item"), {"identifierRef": elements[ref].identifier})
    relation_item = ET.SubElement(organizations, q("item"))
    _text(relation_item, "label", "RAWA relaties")
    for identifier, *_ in relationships:
        ET.SubElement(relation_item, q("item"), {"identifierRef": identifier})
    definitions = ET.SubElement(root, q("propertyDefinitions"))
    for identifier, name in PROPERTIES:
        definition = ET.SubElement(definitions, q("propertyDefinition"),
                                   {"identifier": identifier, "type": "string"})
        _text(definition, "name", name)
    _views(root, elements, relationships, refs_by_layer)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _views(root: ET.Element, elements: Mapping[str, Element],
           relationships: list[tuple[str, str, str, str, str]],
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
        node_ids: dict[str, str] = {}
        for index, ref in enumerate(refs):
            node_ids[ref] = f"id-rawa-node-{slug}-{index + 1}"
            x, y = 24 + (index % 4) * 216, 24 + (index // 4) * 108
            ET.SubElement(view, q("node"), {
                "identifier": node_ids[ref], "elementRef": elements[ref].identifier,
                f"{{{XSI}}}type": "Element", "x": str(x), "y": str(y), "w": "180", "h": "72"})
        count = 0
        for identifier, _kind, source, target, _by in relationships:
            if source in node_ids and target in node_ids:
                count += 1
                ET.SubElement(view, q("connection"), {
                    "identifier": f"id-rawa-conn-{slug}-{count}",
                    "relationshipRef": identifier, f"{{{XSI}}}type": "Relationship",
                    "source": node_ids[source], "target": node_ids[target]})


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
    try:
        write_atomically(target, exchange_bytes(needs, model))
    except (OSError, KeyError, ValueError) as err:
        target.unlink(missing_ok=True)
        logger.warning("Het uitwisselbestand %s is niet gemaakt: %s", FILE_NAME, err,
                       type="rawa", subtype="export")

