"""The audit programme on top of the metamodel (issue 15): checks and the maturity table.

The schema rules of :mod:`rawa_metamodel` already make every audit field of a
requirement mandatory and check its values. This extension checks what JSON schema
cannot see, each as a warning ``[rawa.audit]`` at the file and line of the need:

* every inrichtingsscenario in the sources has an applicability field on the
  requirements (``toepassing_inr_nn``), so no scenario is left out;
* a requirement that is *verplicht* in a scenario stays *verplicht* in the later
  scenarios of the growth path (the maturity levels build on each other);
* applicability and satisfaction agree: a scenario does not "voldoet (deels) aan" a
  requirement that is *n.v.t.* in it, nor "voldoet niet aan" one that is *verplicht*
  in it, and names a need in one satisfaction relation only;
* a scenario and its components agree (issue 16): a scenario that "voldoet (deels)
  aan" a technical requirement, or in which that requirement is *verplicht*, uses
  (``gebruikt``) at least one component that realises it; and no component realises
  an organisational or contractual requirement (the owner role carries it);
* a BIO2 government measure (``bio2: 8.15.05``) belongs to a BIO2 control the
  requirement covers (``dekt: MTR-BIO-8-15``);
* the level caps the criticality: a ZOU (NIET) MOETEN requirement is at most *midden*,
  a MAG requirement is *laag* (the rule in ``source/normatief/eisen.md``).

The ``{rawa-volwassenheid}`` directive renders the maturity scale: one row per domain,
one column per level, with the requirements that each level adds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util import logging

import rawa.model.metamodel as mm
from rawa import priorities
from rawa.model.need_refs import Need, Needs, reference_list, snapshot
from rawa.views.base import ViewKind, register_view, view_directive
from rawa.views.tables import build_table, small_in_latex

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Finding:
    need_id: str
    message: str


def _requirements(needs: Needs) -> Iterator[Need]:
    return (need for _, need in sorted(needs.items()) if need["type"] == "eis")


def first_mandatory_level(need: Need) -> int | None:
    """The first maturity level (1-4) at which the requirement is *verplicht*."""
    for level, name in enumerate(mm.APPLICABILITY_FIELDS, start=1):
        if need.get(name) == mm.MANDATORY:
            return level
    return None


def check_scenarios_declared(needs: Needs) -> list[Finding]:
    declared = set(mm.INRICHTINGSSCENARIOS)
    return [
        Finding(need["id"], f"inrichtingsscenario {need['id']} heeft geen toepassingsveld op de "
                "eisen; voeg het toe aan INRICHTINGSSCENARIOS in _ext/rawa_metamodel.py en "
                "vul het veld bij elke eis")
        for _, need in sorted(needs.items())
        if need["type"] == "scenario" and need.get("soort") == "inrichting"
        and need["id"] not in declared
    ]


def check_monotonic(needs: Needs) -> list[Finding]:
    found = []
    for need in _requirements(needs):
        start = first_mandatory_level(need)
        if start is None:
            continue
        for scenario, name in list(zip(mm.INRICHTINGSSCENARIOS, mm.APPLICABILITY_FIELDS,
                                       strict=True))[start:]:
            value = need.get(name)
            if value is not None and value != mm.MANDATORY:
                found.append(Finding(need["id"], (
                    f"de eis is verplicht in {mm.INRICHTINGSSCENARIOS[start - 1]} maar "
                    f"'{value}' in het latere {scenario} (veld {name}); een eis die in een "
                    "scenario verplicht is, blijft dat in de volgende scenario's")))
    return found


def check_satisfaction(needs: Needs) -> list[Finding]:
    fields = dict(zip(mm.INRICHTINGSSCENARIOS, mm.APPLICABILITY_FIELDS, strict=True))
    found = []
    for scenario_id, scenario in sorted(needs.items()):
        if scenario["type"] != "scenario":
            continue
        seen: dict[str, str] = {}
        for link, verdict in mm.SATISFACTION_LINKS:
            for target in scenario.get(link) or []:
                if target in seen:
                    found.append(Finding(scenario_id, (
                        f"{target} staat bij '{seen[target]}' en bij '{link}'; noem een eis of "
                        "principe in één van de drie relaties")))
                seen.setdefault(target, link)
                need = needs.get(target)
                if need is None or need["type"] != "eis" or scenario_id not in fields:
                    continue
                value = need.get(fields[scenario_id])
                if verdict != "voldoet niet" and value == mm.NOT_APPLICABLE:
                    found.append(Finding(scenario_id, (
                        f"'{link}: {target}', maar {target} heeft {fields[scenario_id]}: "
                        f"{value}; een scenario realiseert geen eis die er niet geldt")))
                if verdict == "voldoet niet" and value == mm.MANDATORY:
                    found.append(Finding(scenario_id, (
                        f"'{link}: {target}', maar {target} is verplicht in dit scenario "
                        f"({fields[scenario_id]}); maak de eis 'aanbevolen' of 'n.v.t.', "
                        "of beschrijf hoe het scenario haar realiseert")))
    return found


def _realisers(needs: Needs) -> dict[str, set[str]]:
    """Per requirement: the components that realise it."""
    realisers: dict[str, set[str]] = {}
    for component_id, component in needs.items():
        if component["type"] == "component":
            for target in component.get("realiseert") or []:
                realisers.setdefault(target, set()).add(component_id)
    return realisers


def check_scenario_components(needs: Needs) -> list[Finding]:
    """A scenario realises or requires a technical requirement only with its components."""
    fields = dict(zip(mm.INRICHTINGSSCENARIOS, mm.APPLICABILITY_FIELDS, strict=True))
    realisers = _realisers(needs)
    found = []
    for scenario_id, scenario in sorted(needs.items()):
        if scenario["type"] != "scenario" or scenario_id not in fields:
            continue
        used = set(scenario.get("gebruikt") or [])
        claimed = {target: link for link, verdict in mm.SATISFACTION_LINKS
                   if verdict != "voldoet niet" for target in scenario.get(link) or []}
        for need in _requirements(needs):
            if need.get("realisatie") != "technisch":
                continue
            by = realisers.get(need["id"], set())
            if not by or by & used:
                continue
            names = ", ".join(sorted(by))
            if need["id"] in claimed:
                found.append(Finding(scenario_id, (
                    f"'{claimed[need['id']]}: {need['id']}', maar het scenario gebruikt geen "
                    f"component die die eis realiseert ({names}); voeg de component toe aan "
                    "':gebruikt:' of zet de eis bij 'voldoet_niet_aan'")))
            elif need.get(fields[scenario_id]) == mm.MANDATORY:
                found.append(Finding(scenario_id, (
                    f"{need['id']} is verplicht in dit scenario ({fields[scenario_id]}), maar "
                    f"het scenario gebruikt geen component die de eis realiseert ({names}); "
                    "voeg de component toe aan ':gebruikt:' of maak de eis 'aanbevolen' of "
                    "'n.v.t.' in dit scenario")))
    return found


def check_organisational(needs: Needs) -> list[Finding]:
    """An organisational or contractual requirement is carried by its owner, not a component."""
    found = []
    for target, components in sorted(_realisers(needs).items()):
        need = needs.get(target)
        if need is None or need["type"] != "eis":
            continue
        if need.get("realisatie") in mm.ORGANISATIONAL_REALISATIONS:
            for component_id in sorted(components):
                found.append(Finding(component_id, (
                    f"realiseert {target}, maar die eis is {need['realisatie']} (de eigenaar "
                    f"'{need.get('eigenaar', '-')}' draagt haar); haal {target} weg bij "
                    "':realiseert:' of maak de eis technisch")))
    return found


def bio_controls(need: Need) -> set[str]:
    """The BIO2 controls a requirement covers, as ``8.15`` (from ``MTR-BIO-8-15``)."""
    controls = set()
    for target in need.get("dekt") or []:
        parts = target.split("-")
        if len(parts) == 4 and parts[1] == "BIO":
            controls.add(f"{int(parts[2])}.{int(parts[3]):02d}")
    return controls


def check_bio2(needs: Needs) -> list[Finding]:
    found = []
    for need in _requirements(needs):
        controls = bio_controls(need)
        for measure in need.get("bio2") or []:
            head, _, _ = str(measure).rpartition(".")
            major, _, minor = head.partition(".")
            control = f"{major}.{minor}" if minor else head
            if control not in controls:
                covered = ", ".join(sorted(need.get("dekt") or [])) or "-"
                found.append(Finding(need["id"], (
                    f"BIO2-overheidsmaatregel {measure} hoort bij beheersmaatregel {control}, "
                    f"maar de eis dekt die niet (dekt: {covered}); voeg "
                    f"MTR-BIO-{int(major)}-{int(minor)} toe aan ':dekt:' of haal het nummer weg")))
    return found


#: The highest criticality per normative level (the cap rule); absent: no cap.
CRITICALITY_CAP: dict[str, tuple[str, ...]] = {
    "ZOU MOETEN": ("laag", "midden"),
    "ZOU NIET MOETEN": ("laag", "midden"),
    "MAG": ("laag",),
}


def check_criticality(needs: Needs) -> list[Finding]:
    found = []
    for need in _requirements(needs):
        allowed = CRITICALITY_CAP.get(need.get("niveau", ""))
        value = need.get("kriticiteit")
        if allowed and value and value not in allowed:
            found.append(Finding(need["id"], (
                f"kriticiteit '{value}' past niet bij niveau {need['niveau']}: die eis is "
                f"hooguit {allowed[-1]}; verlaag de kriticiteit, of maak de eis MOET of "
                "MOET NIET als het risico zo groot is")))
    return found


CHECKS = (check_scenarios_declared, check_monotonic, check_satisfaction,
          check_scenario_components, check_organisational, check_bio2, check_criticality)


def findings(needs: Needs) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(needs)]


def report(app: Sphinx, builder: Builder) -> None:
    needs = snapshot(app)
    for finding in findings(needs):
        need = needs[finding.need_id]
        logger.warning("Toetsingskader: %s: %s", finding.need_id, finding.message,
                       location=(need["docname"], need["lineno"]), type="rawa",
                       subtype="audit")


# -- the maturity table -----------------------------------------------------------------------


def maturity_rows(needs: Needs) -> list[tuple[str, str, list[list[str]]]]:
    """Per domain: code, name, and per level 1-4 the requirements that level adds."""
    rows = []
    for code, name in mm.DOMAINS:
        per_level: list[list[str]] = [[] for _ in mm.INRICHTINGSSCENARIOS]
        for need in _requirements(needs):
            level = first_mandatory_level(need)
            if mm.domain_of(need["id"]) == code and level is not None:
                per_level[level - 1].append(need["id"])
        rows.append((code, name, per_level))
    return rows


def _table(app: Sphinx, docname: str, needs: Needs) -> nodes.Node:
    levels = mm.MATURITY_LEVELS[1:]
    headers = ["Domein", *(f"{m.level} {m.name} ({m.scenario})" for m in levels)]
    body = []
    for code, name, per_level in maturity_rows(needs):
        # a level that adds nothing says so: it is not a step the domain earns for free
        body.append([f"{code}: {name}",
                     *(reference_list(app, docname, needs, ids) if ids
                       else "n.v.t.: geen nieuwe eisen" for ids in per_level)])
    return build_table(headers, [16, 21, 21, 21, 21], body, table_id="rawa-volwassenheid",
                       caption="Volwassenheid per domein: de eisen die elk niveau toevoegt")


def render(app: Sphinx, docname: str, node: nodes.Element, needs: Needs) -> list[nodes.Node]:
    """``{rawa-volwassenheid}``: the maturity scale per domain, tied to the scenarios."""
    return small_in_latex(_table(app, docname, needs))


# -- per scenario: what applies and what it realises --------------------------------------


def scenario_rows(needs: Needs, scenario_id: str) -> list[tuple[str, list[str]]]:
    """(label, IDs): the requirements per applicability, then the satisfaction relations."""
    name = dict(zip(mm.INRICHTINGSSCENARIOS, mm.APPLICABILITY_FIELDS, strict=True))[scenario_id]
    rows = [(f"Eisen: {value}", [need["id"] for need in _requirements(needs)
                                  if need.get(name) == value])
            for value in mm.APPLICABILITY]
    scenario = needs.get(scenario_id) or {}
    for link, _ in mm.SATISFACTION_LINKS:
        spec = next(lk for lk in mm.LINKS if lk.name == link)
        rows.append((f"Het scenario {spec.outgoing}", sorted(scenario.get(link) or [])))
    return rows


def _unknown_scenario(scenario_id: str) -> str | None:
    if scenario_id in mm.INRICHTINGSSCENARIOS:
        return None
    return (f"onbekend inrichtingsscenario {scenario_id!r}; kies uit "
            f"{', '.join(mm.INRICHTINGSSCENARIOS)}")


def _scenario_table(app: Sphinx, docname: str, needs: Needs, scenario_id: str) -> nodes.Node:
    body = [[label, reference_list(app, docname, needs, ids)]
            for label, ids in scenario_rows(needs, scenario_id)]
    return build_table(["Toepassing en realisatie", "Eisen en principes"], [28, 72], body,
                       table_id=f"rawa-scenario-{scenario_id.lower()}",
                       caption=f"{scenario_id}: welke eisen gelden en wat het scenario realiseert")


def render_scenario(app: Sphinx, docname: str, node: nodes.Element,
                    needs: Needs) -> list[nodes.Node]:
    """``{rawa-scenario-eisen} SCN-INR-02``: what applies in a scenario and what it realises."""
    return small_in_latex(_scenario_table(app, docname, needs, node["scenario"]))


def setup(app: Sphinx) -> dict[str, Any]:
    register_view(app, "rawa-volwassenheid", ViewKind("maturity", render))
    register_view(app, "rawa-scenario-eisen", ViewKind("scenario", render_scenario),
                  view_directive("scenario", argument="scenario", check=_unknown_scenario))
    app.connect("write-started", report, priority=priorities.CONSISTENCY_REPORTS)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
