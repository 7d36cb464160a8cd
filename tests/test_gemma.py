"""GEMMA changes grounded in the real GEMMA model (issue 17).

* A change that does not fit the pinned GEMMA snapshot fails the build at its file and
  line: unknown Object ID, wrong type, a relationship ArchiMate 3.2 forbids, a
  toevoeging that GEMMA already has, a NORA link that GEMMA does not record.
* The ArchiMate relationship table follows the rules of the specification's text.
* ``tools/gemma_snapshot.py`` reads a coArchi tree (checkout or git directory).
* ``rawa-gemma-wijzigingen.xml`` is read back by pyArchimate, a library this project did
  not write, has the shape the Open Group exchange format prescribes, holds every
  change and nothing else, and is byte-reproducible.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import gemma_snapshot
import pytest
from conftest import ROOT, STRICT, SUPPORT, expected_warnings, sphinx_build

import rawa.gemma.archimate as am
import rawa.gemma.model as gm
from rawa.gemma.exchange import FILE_NAME, exchange_bytes

ROOTS = Path(__file__).parent / "roots"
SNAPSHOT = gm.load_snapshot(ROOT / "data" / "gemma")
NS = {"a": "http://www.opengroup.org/xsd/archimate/3.0/"}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

def test_bad_change_fails_the_strict_command_line(tmp_path: Path) -> None:
    """What a maintainer runs: non-zero exit and the located message."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-bad-gemma-duplicate", src)
    env = {**os.environ, "PYTHONPATH": str(SUPPORT)}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *STRICT, "-b", "html", str(src), str(tmp_path / "out")],
        capture_output=True, text=True, check=False, env=env, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    (line,) = [e.line for e in expected_warnings(src)]
    assert re.search(rf"index\.md:{line}: (WARNING|ERROR): GEMMA-wijziging GEM-INF-01: de GEMMA "
                     r"heeft al een Applicatiecomponent", output), output
    assert "Traceback" not in output


# -- the change checks as functions ------------------------------------------------------------


def gemma_need(**fields: Any) -> dict[str, Any]:
    base = {"id": "GEM-INF-01", "type": "gemma", "title": "T", "docname": "index",
            "lineno": 3, "gemma_laag": "informatiearchitectuur", "wijzigt": ["PRI-B1"]}
    return {**base, **fields}


def messages(*needs: dict[str, Any]) -> list[str]:
    return [p.message for p in gm.check({n["id"]: n for n in needs}, SNAPSHOT)]


def test_a_valid_change_passes() -> None:
    assert messages(gemma_need(
        wijzigingssoort="wijzigen", archimate_type="SystemSoftware",
        gemma_id="903d7017-f29e-4cb3-8e53-4169619bc510",
        gemma_relaties="Serving -> d6432394-36df-43c8-a849-e5450152cdd2")) == []


def test_duplicate_check_ignores_case_and_whitespace_but_not_type() -> None:
    base = {"wijzigingssoort": "toevoegen", "gemma_type": "Referentiecomponent",
            "gemma_relaties": "Association -> 5be4fbf7-ac4b-4201-9e95-eae41fd2a700"}
    twin = messages(gemma_need(archimate_type="ApplicationComponent",
                               gemma_naam="  API   gateway ", **base))
    assert any("heeft al een Applicatiecomponent 'API Gateway'" in m for m in twin)
    # GEMMA's "API-gateway" is system software; an application service of that name is new
    assert messages(gemma_need(archimate_type="ApplicationService", gemma_naam="API Gateway",
                               **{**base, "gemma_type": ""})) == []


def test_toevoeging_needs_a_relation_and_relations_must_be_readable() -> None:
    found = messages(gemma_need(wijzigingssoort="toevoegen", archimate_type="Principle",
                                gemma_type="Principe", gemma_naam="Nieuw principe X",
                                gemma_relaties="hoort bij 85d520b2"))
    assert any("relatie 'hoort bij 85d520b2' is niet te lezen" in m for m in found)
    assert any("geef minstens één relatie" in m for m in found)


def test_relation_to_a_change_uses_that_changes_type() -> None:
    pdp = gemma_need(id="GEM-INF-02", wijzigingssoort="toevoegen",
                     archimate_type="ApplicationComponent", gemma_type="Referentiecomponent",
                     gemma_naam="Testbeslispunt",
                     gemma_relaties="Association -> 903d7017-f29e-4cb3-8e53-4169619bc510")
    ok = gemma_need(wijzigingssoort="toevoegen", archimate_type="ApplicationComponent",
                    gemma_type="Referentiecomponent", gemma_naam="Testbron",
                    gemma_relaties="Serving -> GEM-INF-02")
    bad = {**ok, "gemma_relaties": "Specialization <- GEM-INF-09"}
    assert messages(pdp, ok) == []
    assert any("GEM-INF-09, maar die GEMMA-wijziging bestaat niet" in m
               for m in messages(pdp, bad))


def test_access_relationship_states_its_kind() -> None:
    """Archi reads an Access relationship without accessType as write (finding 13)."""
    base = {"wijzigingssoort": "toevoegen", "archimate_type": "ApplicationComponent",
            "gemma_type": "Referentiecomponent", "gemma_naam": "Testlezer"}
    target = "91f1a1ce-c579-4b06-bf71-34c6739e97c7"
    assert any("geef bij Access de soort toegang" in m
               for m in messages(gemma_need(gemma_relaties=f"Access -> {target}", **base)))
    assert any("geef bij Access de soort toegang" in m
               for m in messages(gemma_need(gemma_relaties=f"Access(often) -> {target}",
                                            **base)))
    assert any("alleen een Access-relatie heeft een soort toegang" in m
               for m in messages(gemma_need(gemma_relaties=f"Serving(read) -> {target}",
                                            **base)))
    assert messages(gemma_need(gemma_relaties=f"Access(read) -> {target}", **base)) == []
    change, _ = gm.change_from_need(gemma_need(gemma_relaties=f"Access(lezen-schrijven) -> "
                                                              f"{target}", **base))
    assert change.relations[0].access == "ReadWrite"


def test_gemma_type_is_one_the_snapshot_uses_for_that_archimate_type() -> None:
    """Finding 8: no invented GEMMA types; empty only where GEMMA leaves it empty."""
    def service(gemma_type: str, archimate_type: str = "ApplicationService") -> list[str]:
        return messages(gemma_need(
            wijzigingssoort="toevoegen", archimate_type=archimate_type, gemma_type=gemma_type,
            gemma_naam="Testservice X",
            gemma_relaties="Realization <- c6424e18-42b7-4050-8edc-2430a13f051b"
            if archimate_type != "Constraint" else
            "Realization <- c6424e18-42b7-4050-8edc-2430a13f051b"))
    assert any("'Applicatieservice' bij een ApplicationService" in m
               for m in service("Applicatieservice"))
    assert service("") == [] and service("Buitengemeentelijke service") == []
    assert any("geen GEMMA-type bij een Constraint" in m and "'Standaard'" in m
               for m in service("", "Constraint"))
    assert service("Standaard", "Constraint") == []
    types = gm.gemma_types(SNAPSHOT)
    assert types["DataObject"] == ("",) and "Implicatie" in types["Requirement"]


def test_a_gemma_relationship_can_be_withdrawn() -> None:
    """Finding 7: vervallen of a relationship's Object ID (from relaties.csv)."""
    base = {"id": "GEM-INF-23", "gemma_id": "56ddd47f-c7d3-4cd7-a658-1f2e67f69000"}
    assert messages(gemma_need(wijzigingssoort="vervallen", archimate_type="Realization",
                               **base)) == []
    assert any("is in de GEMMA een Realization, maar 'archimate_type' zegt Serving" in m
               for m in messages(gemma_need(wijzigingssoort="vervallen",
                                            archimate_type="Serving", **base)))
    assert any("kan alleen 'vervallen'" in m
               for m in messages(gemma_need(wijzigingssoort="wijzigen",
                                            archimate_type="Realization", **base)))
    assert any("is geen relatie in de GEMMA-momentopname" in m for m in messages(gemma_need(
        wijzigingssoort="vervallen", archimate_type="Realization",
        id="GEM-INF-23", gemma_id="16b961bb-f5cd-49aa-9ded-7d6707b5d3fb")))


def test_a_second_relationship_between_related_gemma_elements_is_reported() -> None:
    """Finding 7: GEMMA already has two Flows between API Gateway and Policy Engine."""
    pdp = {"wijzigingssoort": "wijzigen", "archimate_type": "ApplicationComponent",
           "gemma_id": "16b961bb-f5cd-49aa-9ded-7d6707b5d3fb"}
    found = messages(gemma_need(gemma_relaties="Serving -> c6424e18-42b7-4050-8edc-"
                                               "2430a13f051b", **pdp))
    assert any("de GEMMA verbindt 'Policy Engine'" in m and "Flow aca49b3f" in m
               and "Flow f0ea4f12" in m for m in found), found
    # withdrawing both flows makes room for the new relationship
    gone = [gemma_need(id=f"GEM-INF-9{i}", wijzigingssoort="vervallen", archimate_type="Flow",
                       gemma_id=oid) for i, oid in enumerate(
        ("aca49b3f-e855-4bf0-ab39-e10b06bea532", "f0ea4f12-6304-4075-98f3-146e3ec92237"))]
    assert messages(gemma_need(gemma_relaties="Serving -> c6424e18-42b7-4050-8edc-"
                                              "2430a13f051b", **pdp), *gone) == []


def test_near_duplicate_of_an_existing_element_is_reported() -> None:
    """Finding 3: same type and two shared neighbours means probably the same element."""
    need = gemma_need(wijzigingssoort="toevoegen", archimate_type="ApplicationService",
                      gemma_naam="Auditlog bijhouden en delen",
                      gemma_relaties="Aggregation -> 31688232-c5c5-11e5-11ba-005056a85f9c; "
                                     "Aggregation -> 31688236-c5c5-11e5-11ba-005056a85f9c")
    found = messages(need)
    assert any("lijkt op 'Registreren en delen van auditlogging'" in m for m in found), found
    weighed = {**need, "content": "Anders dan 841239ea-70e4-4c7b-a312-fa68f6f671eb omdat ..."}
    assert not any("lijkt op 'Registreren en delen van auditlogging'" in m
                   for m in messages(weighed))


def test_a_new_rawa_principle_may_not_repeat_a_gemma_principle() -> None:
    """Review round 3, finding 7: the principles a new group brings in pass the duplicate
    check too."""
    group = gemma_need(id="GEM-PRI-02", gemma_laag="architectuurprincipes",
                       wijzigingssoort="toevoegen", archimate_type="Grouping",
                       gemma_naam="RAWA-principes X", wijzigt=["PRI-X1"],
                       gemma_relaties="Association -> 85d520b2-60a0-4134-a80e-777722c3f433")
    twin = {"id": "PRI-X1", "type": "principe", "title": "Beveilig  informatie en systemen"}
    found = [p.message for p in gm.check({"GEM-PRI-02": group, "PRI-X1": twin}, SNAPSHOT)]
    assert any("principe PRI-X1 heet net als het GEMMA-principe" in m for m in found), found
    other = {**twin, "title": "Iets heel anders"}
    found = [p.message for p in gm.check({"GEM-PRI-02": group, "PRI-X1": other}, SNAPSHOT)]
    assert not any("PRI-X1" in m for m in found), found


# -- the ArchiMate 3.2 relationship table ------------------------------------------------------


def test_specialization_only_between_elements_of_one_type() -> None:
    """Specification section 5.3.1: specialization relates two elements of the same type
    (a constraint is a kind of requirement; a grouping may aggregate anything)."""
    for source in am.ELEMENT_TYPES:
        for target in am.ELEMENT_TYPES:
            if "Grouping" in (source, target) or {source, target} == {"Requirement",
                                                                      "Constraint"}:
                continue
            assert am.is_allowed("Specialization", source, target) == (source == target), (
                source, target)


def test_core_elements_realize_requirements_but_not_the_other_way() -> None:
    """Specification section 6.4: a core element realizes a requirement or constraint."""
    for core in ("ApplicationComponent", "ApplicationService", "SystemSoftware",
                 "TechnologyService", "BusinessFunction", "DataObject"):
        for motivation in ("Requirement", "Constraint"):
            assert am.is_allowed("Realization", core, motivation)
            assert not am.is_allowed("Realization", motivation, core)
    assert not am.is_allowed("Serving", "Principle", "ApplicationComponent")
    assert am.is_allowed("Association", "Principle", "ApplicationComponent")
    assert not am.is_allowed("Realization", "ApplicationService", "ApplicationService")
    assert not am.is_allowed("Flow", "Unknown", "ApplicationComponent")


# -- the snapshot tool -------------------------------------------------------------------------


def write_xml(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def fake_coarchi(root: Path) -> None:
    """A tiny GEMMA repository in the coArchi layout."""
    arch = 'xmlns:archimate="http://www.archimatetool.com/archimate"'
    model = root / "model"
    write_xml(model / "folder.xml", f'<archimate:ArchimateModel {arch} name="GEMMA" '
              'id="id-m"><properties key="Release" value="2099-01-01"/>'
              '</archimate:ArchimateModel>')
    write_xml(model / "technology" / "folder.xml",
              f'<archimate:Folder {arch} name="Technology &amp; Physical" id="f1" '
              'type="technology"/>')
    write_xml(model / "technology" / "f2" / "folder.xml",
              f'<archimate:Folder {arch} name="Technologiecomponenten" id="f2"/>')
    write_xml(model / "technology" / "f2" / "SystemSoftware_id-a.xml",
              f'<archimate:SystemSoftware {arch} name="API-gateway" id="id-a">'
              '<properties key="Object ID" value="aaaa-1"/>'
              '<documentation>Regelt  het verkeer.\r\n</documentation>'
              '<properties key="GEMMA type" value="Technologiecomponent"/>'
              '</archimate:SystemSoftware>')
    write_xml(model / "technology" / "f2" / "SystemSoftware_id-b.xml",
              f'<archimate:SystemSoftware {arch} name="Policy   decision point" id="id-b">'
              '<properties key="Object ID" value="bbbb-2"/></archimate:SystemSoftware>')
    write_xml(model / "technology" / "Artifact_id-c.xml",  # not in a selected folder
              f'<archimate:Artifact {arch} name="Bestand" id="id-c">'
              '<properties key="Object ID" value="cccc-3"/></archimate:Artifact>')
    write_xml(model / "relations" / "folder.xml",
              f'<archimate:Folder {arch} name="Relations" id="f3" type="relations"/>')
    write_xml(model / "relations" / "SpecializationRelationship_id-r.xml",
              f'<archimate:SpecializationRelationship {arch} id="id-r">'
              '<properties key="Object ID" value="rrrr-9"/>'
              '<source href="SystemSoftware_id-b.xml#id-b"/>'
              '<target href="SystemSoftware_id-a.xml#id-a"/>'
              '</archimate:SpecializationRelationship>')
    write_xml(model / "relations" / "AssociationRelationship_id-s.xml",
              f'<archimate:AssociationRelationship {arch} id="id-s" source="id-a" '
              'target="id-c"/>')


def test_snapshot_tool_reads_a_coarchi_checkout(tmp_path: Path) -> None:
    fake_coarchi(tmp_path / "gemma")
    out = tmp_path / "out"
    assert gemma_snapshot.main([str(tmp_path / "gemma"), "--out", str(out)]) == 0
    snap = gm.load_snapshot(out)
    assert sorted(snap.elements) == ["aaaa-1", "bbbb-2"]
    gateway = snap.elements["aaaa-1"]
    assert (gateway.archi_id, gateway.archimate_type, gateway.gemma_type, gateway.folder) == (
        "id-a", "SystemSoftware", "Technologiecomponent",
        "Technology & Physical/Technologiecomponenten")
    # kept byte for byte (review round 3, finding 5); name checks normalise when comparing
    assert snap.elements["bbbb-2"].name == "Policy   decision point"
    assert gm.normal_name(snap.elements["bbbb-2"].name) == gm.normal_name(
        "Policy decision point")
    assert gateway.documentation == "Regelt  het verkeer.\n"  # XML itself makes CRLF LF
    assert snap.relations == (("rrrr-9", "Specialization", "bbbb-2", "aaaa-1"),)
    assert snap.meta["gemma_release"] == "2099-01-01"
    assert (out / "elementen.csv").read_text(encoding="utf-8").startswith(
        "object_id,archi_id,archimate_type,gemma_type,naam,map,documentatie\n")
    assert snap.relation_archi_ids == {"rrrr-9": "id-r"}


def test_snapshot_tool_reads_a_git_directory(tmp_path: Path) -> None:
    repo = tmp_path / "gemma"
    fake_coarchi(repo)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "model"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True,
                            text=True).stdout.strip()
    shutil.rmtree(repo / "model")  # only the git objects remain
    out = tmp_path / "out"
    assert gemma_snapshot.main([str(repo / ".git"), "--out", str(out)]) == 0
    meta = json.loads((out / "bron.json").read_text(encoding="utf-8"))
    assert meta["commit"] == commit and meta["licentie"] == "EUPL-1.2"
    assert meta["tak"] in ("master", "main")
    assert meta["elementen"] == 2


def test_snapshot_tool_refuses_a_doctype(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    fake_coarchi(tmp_path / "gemma")
    write_xml(tmp_path / "gemma" / "model" / "technology" / "Bad.xml",
              '<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>')
    assert gemma_snapshot.main([str(tmp_path / "gemma"), "--out", str(tmp_path / "o")]) == 1
    assert "DOCTYPE of ENTITY" in capsys.readouterr().err


def test_pinned_snapshot_records_its_source() -> None:
    meta = SNAPSHOT.meta
    assert meta["licentie"] == "EUPL-1.2" and re.fullmatch(r"[0-9a-f]{40}", meta["commit"])
    readme = (ROOT / "data" / "gemma" / "README.md").read_text(encoding="utf-8")
    assert meta["commit"] in readme and "EUPL" in readme
    licenses = (ROOT / "LICENSES.md").read_text(encoding="utf-8")
    assert meta["commit"] in licenses and "rawa-gemma-wijzigingen.xml" in licenses
    assert meta["tak"] == "master" and "tak `master`" in readme


# -- the exchange file -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exchange(html_build: Path) -> Path:
    return html_build / FILE_NAME


def test_exchange_file_round_trip_with_pyarchimate(exchange: Path,
                                                   needs_json: dict[str, Any]) -> None:
    """Read back with pyArchimate: every change is in the file, and nothing else."""
    from pyArchimate import Model

    model = Model("rawa")
    model.read(str(exchange))
    withdrawn = {nid for nid, need in needs_json.items() if need["type"] == "gemma"
                 and need["archimate_type"] in am.RELATIONSHIP_TYPES}
    changes = {nid for nid, need in needs_json.items() if need["type"] == "gemma"} - withdrawn
    in_file = {value for element in model.elems_dict.values()
               for value in (element.props.get("RAWA ID") or "").split(", ") if value}
    assert in_file == changes
    assert withdrawn == {r.props.get("RAWA ID") for r in model.rels_dict.values()
                         if r.props.get("Wijzigingssoort") == "vervallen"}
    by_id = {e.uuid: e for e in model.elems_dict.values()}
    for nid in changes:
        need = needs_json[nid]
        # the RAWA principles a new group brings in carry the group's RAWA ID too
        # (review round 3, finding 7); they are checked in the test on principles
        carriers = [e for e in model.elems_dict.values()
                    if nid in (e.props.get("RAWA ID") or "").split(", ")
                    and not e.props.get("RAWA-principe")]
        assert all(e.type == need["archimate_type"] for e in carriers), nid
        assert all(need["wijzigingssoort"] in e.props.get("Wijzigingssoort", "")
                   for e in carriers), nid
        if need["wijzigingssoort"] == "toevoegen":
            assert [e.uuid for e in carriers] == [f"id-rawa-{nid}"]
            assert carriers[0].name == need["gemma_naam"]
        else:
            assert sorted(e.props["Object ID"] for e in carriers) == sorted(
                i.strip() for i in need["gemma_id"].split(","))
    # every relationship is one ArchiMate permits, by pyArchimate's own table
    assert model.check_invalid_relationships() == []
    # pyArchimate reads accessType as the exchange format writes it
    accesses = [r for r in model.rels_dict.values() if r.type == "Access"]
    assert accesses and all(r.access_type in ("Read", "ReadWrite") for r in accesses)
    assert len(model.rels_dict) >= sum(len(n["gemma_relaties"].split(";"))
                                       for n in needs_json.values()
                                       if n["type"] == "gemma" and n.get("gemma_relaties"))
    assert all(r.source.uuid in by_id and r.target.uuid in by_id
               for r in model.rels_dict.values())
    assert len(model.views_dict) == 5


def test_exchange_file_has_the_shape_of_the_open_group_format(exchange: Path) -> None:
    """Checks written from the Open Group exchange format (archimate3_Model.xsd and
    archimate3_Diagram.xsd, version 3.1): root, order of the parts, identifiers,
    references, types."""
    root = ET.parse(exchange).getroot()
    assert root.tag == "{http://www.opengroup.org/xsd/archimate/3.0/}model"
    order = [child.tag.split("}")[1] for child in root]
    assert order == ["name", "documentation", "metadata", "elements", "relationships",
                     "organizations", "propertyDefinitions", "views"]
    metadata = root.find("a:metadata", NS)
    assert [c.tag.split("}")[1] for c in metadata][:2] == ["schema", "schemaversion"]
    dublin = {c.tag.split("}")[1]: c.text for c in metadata
              if c.tag.startswith("{http://purl.org/dc/elements/1.1/}")}
    assert SNAPSHOT.meta["commit"] in dublin["source"] and "EUPL-1.2" in dublin["rights"]
    assert dublin["date"] == SNAPSHOT.meta["commitdatum"]
    identifiers = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert len(identifiers) == len(set(identifiers))
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", i) for i in identifiers)
    elements = {e.get("identifier"): e for e in root.findall("a:elements/a:element", NS)}
    assert all(e.get(XSI_TYPE) in am.ELEMENT_TYPES for e in elements.values())
    relations = {r.get("identifier"): r for r in root.findall("a:relationships/a:relationship",
                                                              NS)}
    for relation in relations.values():
        assert relation.get(XSI_TYPE) in am.RELATIONSHIP_TYPES
        assert relation.get("source") in elements and relation.get("target") in elements
        source, target = (elements[relation.get(e)].get(XSI_TYPE) for e in ("source", "target"))
        assert am.is_allowed(relation.get(XSI_TYPE), source, target)
        # AccessTypeEnum of archimate3_Model.xsd, and only on an Access relationship
        assert (relation.get("accessType") in ("Access", "Read", "Write", "ReadWrite")) == (
            relation.get(XSI_TYPE) == "Access")
    definitions = {d.get("identifier") for d in root.findall(
        "a:propertyDefinitions/a:propertyDefinition", NS)}
    assert {p.get("propertyDefinitionRef") for p in root.iter(
        "{http://www.opengroup.org/xsd/archimate/3.0/}property")} <= definitions
    for element in elements.values():  # name first, then documentation, then properties
        tags = [c.tag.split("}")[1] for c in element]
        assert tags[0] == "name" and tags == sorted(tags, key=["name", "documentation",
                                                               "properties"].index)
    views = root.findall("a:views/a:diagrams/a:view", NS)
    assert len(views) == 5
    for view in views:
        nodes = {n.get("identifier"): n.get("elementRef")
                 for n in view.findall("a:node[@elementRef]", NS)}
        assert nodes and set(nodes.values()) <= set(elements)
        # the only other nodes: the legend (a Container of Labels), without elementRef
        assert [n.get(XSI_TYPE) for n in view.findall("a:node", NS)
                if not n.get("elementRef")] == ["Container"]
        for conn in view.findall("a:connection", NS):
            relation = relations[conn.get("relationshipRef")]
            assert nodes[conn.get("source")] == relation.get("source")
            assert nodes[conn.get("target")] == relation.get("target")


def test_exchange_file_is_byte_reproducible(exchange: Path, needs_json: dict[str, Any]) -> None:
    assert exchange_bytes(needs_json, SNAPSHOT) == exchange.read_bytes()
    assert exchange_bytes(needs_json, SNAPSHOT) == exchange_bytes(needs_json, SNAPSHOT)


def test_exchange_file_does_not_depend_on_other_libraries_namespaces(
        exchange: Path, needs_json: dict[str, Any]) -> None:
    """WeasyPrint registers its XMP prefixes for the whole process (``''`` among them);
    the exchange file keeps its own, also after that."""
    import xml.etree.ElementTree as ET

    from weasyprint.pdf import metadata

    for prefix, uri in metadata.NS.items():
        ET.register_namespace(prefix, uri)
    data = exchange_bytes(needs_json, SNAPSHOT)
    assert b"ns0:" not in data
    assert data == exchange.read_bytes()


def test_change_pages_show_gemma_elements_and_generated_diagrams(html_build: Path) -> None:
    page = (html_build / "gemma" / "informatiearchitectuur.html").read_text(encoding="utf-8")
    assert "33b84037-72b4-4e5a-89fa-719e503d73bd" in page and "Identity Provider" in page
    assert 'alt="Diagram van de GEMMA-wijzigingen in de laag informatiearchitectuur' in page
    index = (html_build / "gemma" / "index.html").read_text(encoding="utf-8")
    assert 'href="../rawa-gemma-wijzigingen.xml"' in index
    tec = (html_build / "gemma" / "technische-infrastructuur.html").read_text(encoding="utf-8")
    assert "GEM-TEC-01" in tec and "Netwerksegmentatie" in tec


# -- the exchange file merges into GEMMA without duplicates or lost data (issue 17 review) ----


def exchange_root(exchange: Path) -> ET.Element:
    return ET.parse(exchange).getroot()


def props_of(node: ET.Element, names: dict[str, str]) -> dict[str, str]:
    return {names[p.get("propertyDefinitionRef")]: p.findtext("a:value", "", NS)
            for p in node.findall("a:properties/a:property", NS)}


def definitions(root: ET.Element) -> dict[str, str]:
    return {d.get("identifier"): d.findtext("a:name", "", NS)
            for d in root.findall("a:propertyDefinitions/a:propertyDefinition", NS)}


def test_existing_elements_keep_their_gemma_identifier(exchange: Path) -> None:
    """Finding 2: an import matches by identifier, so an existing element must carry its
    GEMMA Archi id. The documented exception: an Archi id that starts with a digit is no
    xs:ID; such an element carries ``id-`` + the id and the property Archi-ID."""
    root = exchange_root(exchange)
    names = definitions(root)
    by_object = {e.object_id: e for e in SNAPSHOT.elements.values()}
    exceptions = {e.object_id for e in by_object.values()
                  if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", e.archi_id)}
    assert len(exceptions) == 13
    checked = 0
    for node in root.findall("a:elements/a:element", NS):
        identifier = node.get("identifier")
        if identifier.startswith("id-rawa-"):
            continue
        props = props_of(node, names)
        gemma = by_object[props["Object ID"]]
        if gemma.object_id in exceptions:
            assert identifier == f"id-{gemma.archi_id}"
            assert props["Archi-ID"] == gemma.archi_id
        else:
            assert identifier == gemma.archi_id, (identifier, gemma.archi_id)
            assert "Archi-ID" not in props
        checked += 1
    assert checked > 50
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "`Archi-ID`" in contributing and "Another Model Into Selected Model" in contributing


def test_existing_elements_keep_gemma_name_and_documentation(exchange: Path) -> None:
    """Finding 1: even an import with 'Update existing objects' changes nothing GEMMA
    wrote; the proposal is in properties."""
    root = exchange_root(exchange)
    names = definitions(root)
    for node in root.findall("a:elements/a:element", NS):
        props = props_of(node, names)
        if "Object ID" not in props:
            continue
        gemma = SNAPSHOT.elements[props["Object ID"]]
        assert node.findtext("a:name", "", NS) == gemma.name
        assert node.findtext("a:documentation", "", NS) == gemma.documentation
        assert props.get("GEMMA type", "") == gemma.gemma_type
    pdp = root.find("a:elements/a:element[@identifier='id-545d47e8030740aaa1fd846ff4f96352']",
                    NS)
    props = props_of(pdp, names)
    assert pdp.findtext("a:name", "", NS) == "Policy Engine"
    assert props["Nieuwe naam"] == "Policy Decision Point"
    assert props["RAWA-voorstel"].startswith("GEM-INF-03: ")


def test_access_relationships_carry_their_access_type(exchange: Path) -> None:
    """Finding 13: Archi reads a missing accessType as write."""
    root = exchange_root(exchange)
    names = definitions(root)
    access = [r for r in root.findall("a:relationships/a:relationship", NS)
              if r.get(XSI_TYPE) == "Access"]
    assert access and all(r.get("accessType") in ("Access", "Read", "Write", "ReadWrite")
                          for r in access)
    by_change = {props_of(r, names)["RAWA ID"]: r.get("accessType") for r in access}
    assert by_change["GEM-BED-03"] == "Read" and by_change["GEM-BED-04"] == "Read"


def test_withdrawn_relationship_is_exported_under_its_own_id(exchange: Path) -> None:
    """Finding 7: GEMMA's Realization Policy Engine -> Policy Access service vervalt."""
    root = exchange_root(exchange)
    names = definitions(root)
    node = root.find("a:relationships/a:relationship[@identifier="
                     "'id-1f41db9b001f4216b7767062148adf25']", NS)
    assert node is not None and node.get(XSI_TYPE) == "Realization"
    assert props_of(node, names) == {"RAWA ID": "GEM-INF-23", "Wijzigingssoort": "vervallen",
                                     "Object ID": "56ddd47f-c7d3-4cd7-a658-1f2e67f69000"}


def test_relationship_ids_do_not_depend_on_order(needs_json: dict[str, Any]) -> None:
    """Finding 18: removing one relationship of a change leaves the ids of the others."""
    def ids(needs: dict[str, Any]) -> set[str]:
        root = ET.fromstring(exchange_bytes(needs, SNAPSHOT))
        return {r.get("identifier") for r in root.findall("a:relationships/a:relationship",
                                                          NS)}
    before = ids(needs_json)
    need = needs_json["GEM-BED-04"]
    first, *rest = need["gemma_relaties"].split(";")
    after = ids({**needs_json, "GEM-BED-04": {**need, "gemma_relaties": ";".join(rest)}})
    assert len(before - after) == 1 and after <= before


def test_ggm_objects_and_rawa_principles_stay_out_of_gemma(exchange: Path) -> None:
    """Findings 9 and 12: RAWA principles are no GEMMA principles; new business objects
    are a proposal to the GGM, outside the folders a GEMMA maintainer merges."""
    root = exchange_root(exchange)
    names = definitions(root)
    elements = {e.get("identifier"): e for e in root.findall("a:elements/a:element", NS)}
    principles = [e for e in elements.values() if "RAWA-principe" in props_of(e, names)]
    assert len(principles) > 30
    # round 3, finding 7: new principles are new elements like any other
    for principle in principles:
        props = props_of(principle, names)
        assert props["GEMMA type"] == "Principe" and props["Wijzigingssoort"] == "toevoegen"
        assert props["RAWA ID"].startswith("GEM-PRI-")
    assert props_of(elements["id-rawa-GEM-PRI-01"], names)["GEMMA type"] == "Implicatie"
    folders = {item.findtext("a:label", "", NS): {i.get("identifierRef")
                                                  for i in item.findall("a:item", NS)}
               for item in root.findall("a:organizations/a:item", NS)}
    ggm = folders["RAWA voorstellen aan GGM-beheer (niet samenvoegen)"]
    objects = {i for i, e in elements.items() if i.startswith("id-rawa-")
               and e.get(XSI_TYPE) == "BusinessObject"}
    assert objects and ggm == objects
    assert not objects & folders["RAWA Bedrijfsarchitectuur"]
    assert all(props_of(elements[i], names)["Beheerd in"] == "GGM" for i in objects)


def test_changes_follow_the_gemma_maintainers_review(needs_json: dict[str, Any]) -> None:
    """Findings 3, 5, 7, 9, 10, 11 of the issue-17 review, on the real content."""
    gemma = {nid: n for nid, n in needs_json.items() if n["type"] == "gemma"}
    # 3: GEMMA's Policy Information service is renamed, not duplicated
    assert gemma["GEM-GEG-06"]["wijzigingssoort"] == "wijzigen"
    assert gemma["GEM-GEG-06"]["gemma_id"] == "bdce03a2-c378-4a06-bc6b-1973205b320d"
    # 5: Toegangsbeveiliging (Autorisaties API hangs on it) is left alone; the API and its
    # standard get their own change
    changed = {i.strip() for n in gemma.values() for i in (n.get("gemma_id") or "").split(",")}
    assert "082e0ad2-00db-411e-b78c-eda42b4199ad" not in changed
    assert {"04631b15-e2ad-4353-8cb0-367891b99eb3",
            "344a0f6e-84e8-4f95-8d5d-91213d7c53a7"} <= changed
    # 7: the old realization of the Policy Access service by the Policy Engine vervalt
    assert "56ddd47f-c7d3-4cd7-a658-1f2e67f69000" in changed
    # 9: the logging principle is an implication, not a GEMMA principle
    assert (gemma["GEM-PRI-01"]["archimate_type"], gemma["GEM-PRI-01"]["gemma_type"]) == (
        "Requirement", "Implicatie")
    assert not any(n.get("gemma_type") == "Principe" for n in gemma.values())
    # 10: the principles get one exact bullet for their Implicaties property
    for nid in ("GEM-PRI-07", "GEM-PRI-08"):
        assert "`Implicaties`" in gemma[nid]["content"] and "`*" in gemma[nid]["content"]
    # 11: the access-decision log realises GEMMA's audit-logging service
    assert "Realization -> 841239ea-70e4-4c7b-a312-fa68f6f671eb" in gemma["GEM-INF-07"][
        "gemma_relaties"]


# -- the maintainer's remaining majors (issue 17, branch h17-majors) ---------------------------


def test_capabilities_are_in_the_snapshot_and_realised_by_components(
        needs_json: dict[str, Any]) -> None:
    """Finding 4: the Common Ground group Authenticatie en autorisatie (705aa399) aggregates
    two capabilities; RAWA's components realise those, not the group."""
    authn = "961d9b43-188b-4ae3-802c-2127859dadc0"
    authz = "19b3d8ef-185e-4f35-b800-6614165905dd"
    group = "705aa399-9aee-48d9-a0bf-702c0d64443b"
    assert SNAPSHOT.elements[authn].archimate_type == "Capability"
    assert SNAPSHOT.elements[authz].name == "Autoriseren van dienstenafnemers"
    assert {(kind, src, tgt) for _, kind, src, tgt in SNAPSHOT.relations if src == group} == {
        ("Aggregation", group, authn), ("Aggregation", group, authz)}
    assert am.is_allowed("Realization", "ApplicationComponent", "Capability")
    assert not am.is_allowed("Realization", "Capability", "ApplicationComponent")
    assert not am.is_allowed("Aggregation", "ApplicationComponent", "Capability")
    gemma = {nid: n for nid, n in needs_json.items() if n["type"] == "gemma"}
    assert group not in {i.strip() for n in gemma.values()
                         for i in (n.get("gemma_id") or "").split(",")}
    assert (gemma["GEM-INF-18"]["gemma_id"], gemma["GEM-INF-24"]["gemma_id"]) == (authz, authn)
    # round 3: which component realises which capability, as GEMMA's definitions read;
    # Autoriseren van dienstenafnemers is organisation-level (delegated), so FSC only
    gateway, engine, idp = ("c6424e18-42b7-4050-8edc-2430a13f051b",
                            "16b961bb-f5cd-49aa-9ded-7d6707b5d3fb",
                            "33b84037-72b4-4e5a-89fa-719e503d73bd")
    register = "5dc36bfc-8f5f-4112-8f71-f472f058436b"
    siem = "03bb1f80-60fe-4bdc-ab64-077bd308a4c5"
    pdp_pap_pip = {gateway, engine, "GEM-INF-04", "GEM-INF-05"}
    expected = {
        authz: {"GEM-INF-09"},
        authn: {"GEM-INF-09"},
        "db6444fc-716a-4ee1-8d4a-6403f5328fba": pdp_pap_pip,
        "ab8346a0-4712-41d0-b36b-3a179f07dde9": pdp_pap_pip,
        "f63b342a-56aa-4864-8278-45281d201778": {idp},
        "34acae10-a323-4a5a-b9cd-36049b36633a": {"GEM-INF-07"},
        "f75f2984-1dba-4e55-add8-3f209436e16b": {register, "GEM-INF-05"},
        "dcdf0ec8-ccf3-43df-9396-728d83fceaf5": {"GEM-INF-09"},
        "7db6ba46-036e-4572-82f1-5424f6940c7f": {"GEM-TEC-02"},
        "fc17dc14-338c-44ea-9b7e-09a0b168ce78": {siem},
    }
    realisers: dict[str, set[str]] = {}
    for nid, need in gemma.items():
        for rel in (need.get("gemma_relaties") or "").split(";"):
            kind, _, rest = rel.strip().partition(" ")
            arrow, _, other = rest.partition(" ")
            if kind != "Realization" or not other:
                continue
            this = need.get("gemma_id") or nid
            source, target = (other, this) if arrow == "<-" else (this, other)
            if SNAPSHOT.elements.get(target) and \
                    SNAPSHOT.elements[target].archimate_type == "Capability":
                realisers.setdefault(target, set()).add(source)
    assert realisers == expected
    for cap in expected:
        assert SNAPSHOT.elements[cap].archimate_type == "Capability"
    # a component aggregated straight into a capability is refused with file and line
    bad = messages(gemma_need(wijzigingssoort="wijzigen", archimate_type="Capability",
                              gemma_id=authz, gemma_relaties="Aggregation <- "
                              "c6424e18-42b7-4050-8edc-2430a13f051b"))
    assert any("ArchiMate 3.2 staat geen Aggregation toe van ApplicationComponent naar "
               "Capability" in m for m in bad), bad


def fake_views_and_capability(root: Path) -> None:
    """A capability, a view in the kept folder, one outside it, and ordered properties."""
    arch = 'xmlns:archimate="http://www.archimatetool.com/archimate"'
    xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    model = root / "model"
    write_xml(model / "strategy" / "folder.xml",
              f'<archimate:Folder {arch} name="Strategy" id="fs" type="strategy"/>')
    write_xml(model / "strategy" / "Capability_id-k.xml",
              f'<archimate:Capability {arch} name="Autoriseren  van " id="id-k" '
              'documentation="Eerste regel. &#xA;Tweede regel.  ">'
              '<properties key="Bron" value="Common Ground"/>'
              '<properties key="Object ID" value="kkkk-5"/></archimate:Capability>')
    views = model / "diagrams"
    write_xml(views / "folder.xml",
              f'<archimate:Folder {arch} name="Views" id="fv" type="diagrams"/>')
    write_xml(views / "t" / "folder.xml",
              f'<archimate:Folder {arch} name="6. Thema-architecturen" id="ft"/>')
    write_xml(views / "t" / "w" / "folder.xml",
              f'<archimate:Folder {arch} name="Werken met APIs" id="fw"/>')
    shows = ('<children xsi:type="archimate:DiagramModelArchimateObject" id="d1">'
             '<children xsi:type="archimate:DiagramModelArchimateObject" id="d2">'
             '<archimateElement xsi:type="archimate:Artifact" href="Artifact_id-c.xml#id-c"/>'
             '</children><archimateElement xsi:type="archimate:SystemSoftware" '
             'href="SystemSoftware_id-a.xml#id-a"/></children>')
    write_xml(views / "t" / "w" / "ArchimateDiagramModel_id-v.xml",
              f'<archimate:ArchimateDiagramModel {xsi} {arch} name="PBAC globaal" id="id-v">'
              f'{shows}<properties key="Object ID" value="vvvv-7"/>'
              '</archimate:ArchimateDiagramModel>')
    write_xml(views / "t" / "ArchimateDiagramModel_id-o.xml",
              f'<archimate:ArchimateDiagramModel {xsi} {arch} name="Ander thema" id="id-o">'
              f'{shows}</archimate:ArchimateDiagramModel>')


def test_snapshot_tool_keeps_capabilities_views_and_properties(tmp_path: Path) -> None:
    """Findings 4, 6 and 1: capabilities, the Werken met API's views with the elements
    they show (also one SELECTION leaves out), and GEMMA's properties in GEMMA's order."""
    fake_coarchi(tmp_path / "gemma")
    fake_views_and_capability(tmp_path / "gemma")
    out = tmp_path / "out"
    assert gemma_snapshot.main([str(tmp_path / "gemma"), "--out", str(out)]) == 0
    snap = gm.load_snapshot(out)
    assert snap.elements["kkkk-5"].archimate_type == "Capability"
    assert "cccc-3" in snap.elements  # the artifact is shown in the kept view
    assert list(snap.views) == ["vvvv-7"]
    view = snap.views["vvvv-7"]
    assert (view.archi_id, view.name, view.members) == ("id-v", "PBAC globaal",
                                                        ("aaaa-1", "cccc-3"))
    assert snap.properties["aaaa-1"] == (("Object ID", "aaaa-1"),
                                         ("GEMMA type", "Technologiecomponent"))
    assert snap.properties["kkkk-5"] == (("Bron", "Common Ground"), ("Object ID", "kkkk-5"))
    # round 3, finding 5: name and documentation byte for byte, whitespace included
    assert snap.elements["kkkk-5"].name == "Autoriseren  van "
    assert snap.elements["kkkk-5"].documentation == "Eerste regel. \nTweede regel.  "
    # round 3, findings 2 and 6: the properties of a kept relationship too
    assert snap.properties["rrrr-9"][0] == ("Object ID", "rrrr-9")
    assert json.loads((out / "bron.json").read_text(encoding="utf-8"))["views"] == 1


def test_pinned_snapshot_has_the_werken_met_apis_views() -> None:
    """Finding 6: the two PBAC views of the thema-architectuur Werken met API's."""
    assert set(SNAPSHOT.views) == {"0107a7f0-24ce-4ab5-a0bc-9815ebd41c6c",
                                   "e8cc257a-f500-4d08-8b0c-b0b2c3fc1137"}
    globaal = SNAPSHOT.views["0107a7f0-24ce-4ab5-a0bc-9815ebd41c6c"]
    assert globaal.name == "Policy Based Access Control globaal"
    assert {"c6424e18-42b7-4050-8edc-2430a13f051b",
            "16b961bb-f5cd-49aa-9ded-7d6707b5d3fb"} <= set(globaal.members)
    assert all(m in SNAPSHOT.elements for v in SNAPSHOT.views.values() for m in v.members)


def test_changes_that_touch_the_gemma_views_are_listed(html_build: Path, exchange: Path,
                                                       needs_json: dict[str, Any]) -> None:
    """Finding 6: generated from views.csv, on the page and in the exchange file."""
    changes = gm.changes_from_needs(needs_json)
    touches = gm.view_touches(changes, SNAPSHOT)
    by_view = {(t.view.object_id, t.change.id): t.how for t in touches}
    globaal = "0107a7f0-24ce-4ab5-a0bc-9815ebd41c6c"
    assert by_view[(globaal, "GEM-INF-02")] == "element wijzigen"
    assert by_view[(globaal, "GEM-INF-05")] == "nieuw element: toevoegen aan de view"
    assert (globaal, "GEM-TEC-01") not in by_view
    page = (html_build / "gemma" / "index.html").read_text(encoding="utf-8")
    table = page[page.index('id="gemma-views"'):]
    table = table[:table.index("</table>")]
    assert "Policy Based Access Control details" in table and "GEM-INF-05" in table
    assert table.count("<tr") == len(touches) + 1
    root = exchange_root(exchange)
    names = definitions(root)
    pip = props_of(root.find("a:elements/a:element[@identifier='id-rawa-GEM-INF-05']", NS),
                   names)
    assert f"Policy Based Access Control globaal ({globaal})" in pip["Toevoegen aan view"]
    netwerk = props_of(root.find("a:elements/a:element[@identifier='id-rawa-GEM-TEC-01']",
                                 NS), names)
    assert "Toevoegen aan view" not in netwerk
    # round 3, finding 3: every relationship in the file counts, also one another change
    # declares (GEM-INF-12: the PAP realises the Policy Access service, which the details
    # view shows via the withdrawn Realization); no standard goes into a component view
    details = "e8cc257a-f500-4d08-8b0c-b0b2c3fc1137"
    pap = props_of(root.find("a:elements/a:element[@identifier='id-rawa-GEM-INF-04']", NS),
                   names)
    assert f"Policy Based Access Control details ({details})" in pap["Toevoegen aan view"]
    for ref, props in ((e.get("identifier"), props_of(e, names))
                       for e in root.findall("a:elements/a:element", NS)):
        if ref.startswith("id-rawa-GEM-INF-") and "Toevoegen aan view" in props:
            kind = root.find(f"a:elements/a:element[@identifier='{ref}']", NS).get(XSI_TYPE)
            assert kind not in ("Constraint", "Capability"), ref


def test_existing_elements_carry_gemmas_own_properties_unchanged(exchange: Path) -> None:
    """Finding 1: an accidental 'Update existing objects' replaces an element's properties
    with those in the file; so the file carries GEMMA's own, first and in GEMMA's order."""
    root = exchange_root(exchange)
    names = definitions(root)
    checked = 0
    for node in root.findall("a:elements/a:element", NS):
        pairs = [(names[p.get("propertyDefinitionRef")], p.findtext("a:value", "", NS))
                 for p in node.findall("a:properties/a:property", NS)]
        keys = [k for k, _ in pairs]
        if "Object ID" not in keys or node.get("identifier").startswith("id-rawa-"):
            continue
        own = SNAPSHOT.properties.get(dict(pairs)["Object ID"], ())
        # round 3, finding 2: every existing concept, GGM business objects included
        assert own and tuple(pairs[:len(own)]) == own, node.get("identifier")
        assert len(keys) == len(set(keys))  # no key twice: Archi would keep both
        checked += len(own) > 2
    assert checked > 20
    ggm = {"f96af00f", "6cc6afe6", "faf0976b", "55c7fd37", "93bf923a"}  # the reviewer's five
    in_file = {dict((names[p.get("propertyDefinitionRef")], p.findtext("a:value", "", NS))
                    for p in node.findall("a:properties/a:property", NS)).get("Object ID", "")
               for node in root.findall("a:elements/a:element", NS)}
    ggm_in_file = {oid for oid in in_file if oid[:8] in ggm}
    assert len(ggm_in_file) == 5
    for oid in ggm_in_file:
        assert any(key == "GGM-guid" for key, _ in SNAPSHOT.properties[oid]), oid
    # and every existing relationship in the file: GEMMA's properties first
    for node in root.findall("a:relationships/a:relationship", NS):
        if node.get("identifier").startswith("id-rawa-"):
            continue
        pairs = [(names[p.get("propertyDefinitionRef")], p.findtext("a:value", "", NS))
                 for p in node.findall("a:properties/a:property", NS)]
        own = SNAPSHOT.properties.get(dict(pairs)["Object ID"], ())
        assert own and tuple(pairs[:len(own)]) == own, node.get("identifier")
    engine = root.find("a:elements/a:element[@identifier='id-545d47e8030740aaa1fd846ff4f96352']",
                       NS)
    props = dict((names[p.get("propertyDefinitionRef")], p.findtext("a:value", "", NS))
                 for p in engine.findall("a:properties/a:property", NS))
    for key, value in SNAPSHOT.properties["16b961bb-f5cd-49aa-9ded-7d6707b5d3fb"]:
        assert props[key] == value


def test_views_are_laid_out_by_graphviz_with_colours_and_a_legend(exchange: Path) -> None:
    """Finding 14: a real layout (Graphviz dot), fill colours per change kind, a legend."""
    from rawa.gemma.exchange import KIND_COLOURS, LEGEND_W, LINE_COLOURS, MARGIN, grid_layout

    assert shutil.which("dot"), "Graphviz hoort bij de bouwomgeving (make deps)"
    root = exchange_root(exchange)
    names = definitions(root)
    elements = {e.get("identifier"): e for e in root.findall("a:elements/a:element", NS)}
    for view in root.findall("a:views/a:diagrams/a:view", NS):
        nodes = view.findall("a:node[@elementRef]", NS)
        places = [(int(n.get("x")), int(n.get("y"))) for n in nodes]
        assert places != grid_layout(len(nodes), MARGIN + LEGEND_W + 48), view.get("identifier")
        boxes = [(x, y, x + int(n.get("w")), y + int(n.get("h")))
                 for (x, y), n in zip(places, nodes, strict=True)]
        for i, a in enumerate(boxes):  # no two elements on top of each other
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        for node in nodes:
            tags = [c.tag.split("}")[1] for c in node]
            assert tags == ["style"]  # ViewConceptType: label*, documentation*, style?
            fill = node.find("a:style/a:fillColor", NS)
            rgb = tuple(int(fill.get(c)) for c in "rgb")
            props = props_of(elements[node.get("elementRef")], names)
            kinds = props.get("Wijzigingssoort", "")
            expected = ("vervallen" if "vervallen" in kinds else "wijzigen" if "wijzigen"
                        in kinds else "toevoegen" if kinds or "RAWA-principe" in props else "")
            assert rgb == KIND_COLOURS[expected], (node.get("elementRef"), kinds)
        legend = view.find("a:node[@xsi:type='Container']", {**NS, "xsi": XSI_TYPE[1:-5]})
        assert legend is not None and legend.findtext("a:label", "", NS) == "Legenda"
        labels = legend.findall("a:node", NS)
        assert len(labels) == len(KIND_COLOURS) + len(LINE_COLOURS)
        assert all(label.get(XSI_TYPE) == "Label" for label in labels)
        # round 3, finding 4: the legend top left, clear of the elements
        assert (int(legend.get("x")), int(legend.get("y"))) == (MARGIN, MARGIN)
        assert all(x >= MARGIN + LEGEND_W for x, _ in places)
        # connections coloured: blue for a relationship RAWA adds, red for a withdrawn one
        by_node = {n.get("identifier"): (int(n.get("x")), int(n.get("y"))) for n in nodes}
        for connection in view.findall("a:connection", NS):
            line = connection.find("a:style/a:lineColor", NS)
            rgb = tuple(int(line.get(c)) for c in "rgb")
            new = connection.get("relationshipRef").startswith("id-rawa-")
            assert rgb == LINE_COLOURS["toevoegen" if new else "vervallen"]
            if view.get("identifier") == "id-rawa-view-architectuurprincipes":
                # laid out left to right: a group stands left of its principles
                assert by_node[connection.get("source")][0] < by_node[
                    connection.get("target")][0]
    withdrawn = root.find("a:views/a:diagrams/a:view/a:connection[@relationshipRef="
                          "'id-1f41db9b001f4216b7767062148adf25']", NS)
    assert withdrawn is not None


def test_new_elements_get_gemma_status_and_folder(exchange: Path) -> None:
    """Minor 17: 'GEMMA status' as GEMMA gives it to elements of that type, and the GEMMA
    folder of the same-typed elements the change relates to (never a _Sync folder)."""
    root = exchange_root(exchange)
    names = definitions(root)
    elements = {e.get("identifier"): props_of(e, names)
                for e in root.findall("a:elements/a:element", NS)}
    assert elements["id-rawa-GEM-INF-04"]["GEMMA status"] == "In ontwikkeling"
    assert elements["id-rawa-GEM-INF-14"]["GEMMA status"] == "In ontwikkeling"
    assert "GEMMA status" not in elements["id-rawa-GEM-BED-01"]  # GEMMA gives functions none
    assert elements["id-rawa-GEM-PRI-01"]["Map in GEMMA"] == (
        "Motivation/Stategie en motivatie/Implicaties")
    assert elements["id-rawa-GEM-TEC-05"]["Map in GEMMA"] == (
        "Technology & Physical/Technologiecomponenten")
    assert not any("_Sync" in p.get("Map in GEMMA", "") for p in elements.values())
    assert "Map in GEMMA" not in elements["id-rawa-GEM-PRI-02"]  # a grouping: no proposal
    # round 3, finding 8: a new reference component next to no other one goes where GEMMA
    # keeps its security reference components (SIEM-beheercomponent 90b5871c)
    security = SNAPSHOT.elements["90b5871c-727f-40dd-b36f-ed229386ae57"].folder
    for ref in ("GEM-INF-04", "GEM-INF-07", "GEM-INF-09"):
        assert elements[f"id-rawa-{ref}"]["Map in GEMMA"] == security, ref


def test_a_changed_snapshot_rewrites_the_page_with_a_gemma_view(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 ) -> None:
    """A GEMMA view shows names from the snapshot: an incremental build rewrites its page
    when the snapshot changes (``snapshot_signature``), and only then."""
    snapshot = tmp_path / "gemma"
    shutil.copytree(ROOT / "data" / "gemma", snapshot)
    src = tmp_path / "bron"
    shutil.copytree(ROOT / "tests" / "roots" / "test-gemma-view", src)
    monkeypatch.setenv("RAWA_TEST_GEMMA", str(snapshot))
    monkeypatch.setenv("PYTHONPATH", str(SUPPORT))
    out = tmp_path / "uit"

    def writes_index() -> bool:
        result = sphinx_build("html", out, srcdir=src, confdir=src,
                              extra=("-d", str(tmp_path / "doctrees")))
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        return re.search(r"writing output\.\.\. .*\bindex\b", result.stdout) is not None

    assert writes_index(), "the first build writes the page"
    assert not writes_index(), "nothing changed: the page is not written again"
    views = snapshot / "views.csv"
    views.write_text(views.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert writes_index(), "the snapshot changed: the page with the view is rewritten"
