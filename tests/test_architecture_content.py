"""End-to-end checks on the architecture part: components, use cases, scenarios and flows."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from conftest import ROOT

ARCH_SOURCE = ROOT / "source" / "architectuur"
DIAGRAMS = ROOT / "diagrams"

AGREED_COMPONENTS = {
    "COMP-IDP", "COMP-PEP", "COMP-PDP", "COMP-PAP", "COMP-PIP", "COMP-BELEIDSREG",
    "COMP-BESLISLOG", "COMP-IGA", "COMP-FSC", "COMP-CLIENT",
}


def _of_type(needs: dict[str, Any], need_type: str) -> dict[str, Any]:
    return {nid: need for nid, need in needs.items() if need["type"] == need_type}


def test_every_agreed_component_has_responsibility_and_realises_requirements(
        needs_json: dict[str, Any]) -> None:
    components = _of_type(needs_json, "component")
    assert len(components) >= 10
    assert set(components) >= AGREED_COMPONENTS, AGREED_COMPONENTS - set(components)
    for need_id, need in components.items():
        assert need["verantwoordelijkheid"].strip(), need_id
        assert need["beperking"].strip(), need_id
        assert need["interfaces"].strip(), need_id
        assert need["realiseert"], f"{need_id} realises no requirement"


def test_agreed_components_follow_a_standard(needs_json: dict[str, Any]) -> None:
    for need_id in AGREED_COMPONENTS - {"COMP-IGA"}:
        assert needs_json[need_id]["volgt"], f"{need_id} follows no standard"


def test_use_cases_name_actor_rule_components_and_requirements(
        needs_json: dict[str, Any]) -> None:
    use_cases = _of_type(needs_json, "usecase")
    assert len(use_cases) >= 8
    for need_id, need in use_cases.items():
        for field in ("actor", "doel", "aanleiding", "gegevens", "toegangsregel"):
            assert need[field].strip(), (need_id, field)
        assert need["gebruikt"], f"{need_id} uses no component"
        assert need["past_toe"], f"{need_id} applies no requirement or principle"


def test_at_least_four_inrichting_scenarios_with_links(needs_json: dict[str, Any]) -> None:
    scenarios = _of_type(needs_json, "scenario")
    inrichting = {k: v for k, v in scenarios.items() if v["soort"] == "inrichting"}
    assert len(inrichting) >= 4, sorted(inrichting)
    for need_id, need in scenarios.items():
        assert need["gebruikt"], f"{need_id} uses no component"
        assert need["past_bij"].strip(), need_id
    for need_id, need in inrichting.items():
        # issue 15: an inrichtingsscenario states what it realises, not what applies
        assert not need["past_toe"], need_id
        assert need["voldoet_aan"] or need["voldoet_deels_aan"], need_id
    assert any(v["soort"] == "implementatie" for v in scenarios.values())


def test_every_requirement_is_realised_by_a_component(needs_json: dict[str, Any]) -> None:
    """A technical requirement has a component; an organisational one only its owner."""
    requirements = _of_type(needs_json, "eis").items()
    unrealised = sorted(
        need_id for need_id, need in requirements
        if need["realisatie"] == "technisch" and not need["realiseert_back"]
        and not need.get("gat_toelichting")
    )
    assert not unrealised, f"requirements without a realising component: {unrealised}"
    carried = sorted(need_id for need_id, need in requirements
                     if need["realisatie"] != "technisch" and need["realiseert_back"])
    assert not carried, f"organisational requirements on a component: {carried}"


def test_every_component_is_used_by_a_use_case_or_scenario(needs_json: dict[str, Any]) -> None:
    for need_id in AGREED_COMPONENTS:
        assert needs_json[need_id]["gebruikt_back"], f"{need_id} is used nowhere"


class _Sections(HTMLParser):
    """Collects, per second-level section, its SVG images and ordered lists."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.current: str | None = None
        self.current_depth = 0
        self.found: dict[str, dict[str, int]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.depth += 1
            if self.depth == 2:
                self.current = dict(attrs).get("id") or f"section-{len(self.found)}"
                self.current_depth = self.depth
                self.found[self.current] = {"svg": 0, "ol": 0}
        elif self.current and tag == "img" and (dict(attrs).get("src") or "").endswith(".svg"):
            self.found[self.current]["svg"] += 1
        elif self.current and tag == "ol":
            self.found[self.current]["ol"] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            if self.depth == self.current_depth:
                self.current = None
            self.depth -= 1


def test_each_flow_has_an_svg_diagram_and_numbered_steps(html_build: Path) -> None:
    parser = _Sections()
    parser.feed((html_build / "architectuur" / "stromen.html").read_text(encoding="utf-8"))
    flows = {k: v for k, v in parser.found.items() if k != "bronnen"}
    assert len(flows) >= 7, sorted(flows)
    for section, counts in flows.items():
        assert counts["svg"] >= 1, f"flow section {section} has no SVG diagram"
        assert counts["ol"] >= 1, f"flow section {section} has no numbered list"


def test_each_inrichting_scenario_section_has_an_svg_diagram(html_build: Path) -> None:
    parser = _Sections()
    parser.feed((html_build / "architectuur" / "inrichtingsscenarios.html")
                .read_text(encoding="utf-8"))
    scenario_sections = {k: v for k, v in parser.found.items() if k.startswith("scenario")}
    assert len(scenario_sections) >= 4, sorted(parser.found)
    for section, counts in scenario_sections.items():
        assert counts["svg"] >= 1, section


def _numbered_steps_after(text: str, position: int) -> list[int]:
    """Numbers of the first Markdown ordered list after ``position``."""
    steps: list[int] = []
    for line in text[position:].splitlines():
        match = re.match(r"(\d+)\. ", line)
        if match:
            steps.append(int(match.group(1)))
        elif steps and line.strip() == "":
            break
    return steps


def test_flow_text_numbers_match_the_diagram_numbers() -> None:
    text = (ARCH_SOURCE / "stromen.md").read_text(encoding="utf-8")
    uses = list(re.finditer(r"```\{uml\} /\.\./diagrams/(stroom-[\w-]+\.puml)", text))
    assert len(uses) >= 7
    for use in uses:
        puml = (DIAGRAMS / use.group(1)).read_text(encoding="utf-8")
        in_diagram = {int(n) for n in re.findall(r":\s*(\d+)\.\s", puml)}
        assert in_diagram, f"{use.group(1)} has no numbered steps"
        steps = _numbered_steps_after(text, use.end())
        assert steps == list(range(1, len(steps) + 1)), (use.group(1), steps)
        assert set(steps) == in_diagram, (use.group(1), steps, sorted(in_diagram))


def test_authzen_example_is_valid_json_with_the_four_parts() -> None:
    # the examples are files under examples/ (issue 18), included with literalinclude
    text = (ARCH_SOURCE / "referentiearchitectuur.md").read_text(encoding="utf-8")
    files = re.findall(r"```\{literalinclude\} (\S+)\n:language: json\n", text)
    assert len(files) >= 2
    request, response = (json.loads((ARCH_SOURCE / name).read_text(encoding="utf-8"))
                         for name in files[:2])
    assert {"subject", "action", "resource", "context"} <= set(request)
    assert isinstance(response["decision"], bool)


def test_plate_numbers_are_steps_of_the_reference_flow() -> None:
    plate = (DIAGRAMS / "referentiearchitectuur-plaat.puml").read_text(encoding="utf-8")
    flow = (DIAGRAMS / "stroom-referentieverzoek.puml").read_text(encoding="utf-8")
    on_plate = {int(n) for n in re.findall(r":\s*(\d+)\s", plate)}
    in_flow = {int(n) for n in re.findall(r":\s*(\d+)\.\s", flow)}
    assert on_plate and on_plate <= in_flow, sorted(on_plate - in_flow)


def _scenario_table_rows(html_build: Path) -> dict[str, list[str]]:
    """Rows of the use case x scenario table: use case ID -> verdicts for scenarios 1-4."""
    page = (html_build / "architectuur" / "misbruik-en-aanvullende-gebruikscases.html"
            ).read_text(encoding="utf-8")
    section = page[page.index('<section id="api-typen-scenario-tabel">'):]
    body = section[section.index("<tbody>"):section.index("</tbody>")]
    rows: dict[str, list[str]] = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip()
                 for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        found = re.search(r"UC-\d{2}", cells[0])
        assert found, cells
        rows[found.group(0)] = cells[1:5]
    return rows


def test_scenario_table_lists_every_use_case_and_follows_its_own_rule(
        html_build: Path, needs_json: dict[str, Any]) -> None:
    """Issue 16: every use case (not the misuse cases) has a row, and a row says "ja" for a
    scenario exactly when that scenario has every component the use case uses."""
    rows = _scenario_table_rows(html_build)
    use_cases = {nid: need for nid, need in _of_type(needs_json, "usecase").items()
                 if need["section_name"] != "Misbruikcases"}
    assert set(rows) == set(use_cases), (sorted(set(use_cases) - set(rows)),
                                         sorted(set(rows) - set(use_cases)))
    scenarios = [set(needs_json[f"SCN-INR-0{n}"]["gebruikt"]) for n in range(1, 5)]
    for need_id, verdicts in rows.items():
        used = set(use_cases[need_id]["gebruikt"])
        for number, (verdict, present) in enumerate(zip(verdicts, scenarios, strict=True), 1):
            assert verdict.split()[0] in {"ja", "deels", "nee"}, (need_id, verdict)
            assert (verdict.split()[0] == "ja") == (used <= present), (
                need_id, f"scenario {number}", verdict, sorted(used - present))
