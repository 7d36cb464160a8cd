"""End-to-end checks on the normative core in the built needs.json."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rawa.checks.normative import find_keywords
from rawa.model.metamodel import GEMMA_LAYERS, NORMATIVE_KEYWORDS, STANDARD_LIST_STATUSES

Needs = dict[str, dict[str, Any]]

ORIGINAL_PRINCIPLES = (
    [f"PRI-B{i}" for i in range(1, 7)] + [f"PRI-T{i}" for i in range(1, 7)]
    + [f"PRI-P{i}" for i in range(1, 8)] + [f"PRI-F{i}" for i in range(1, 11)]
)
AGREED_STANDARDS = (
    "STD-OAUTH2", "STD-OAUTH-NLGOV", "STD-OIDC", "STD-OIDC-NLGOV", "STD-AUTHZEN",
    "STD-AUTHZEN-NLGOV", "STD-SAML2", "STD-FSC", "STD-DIGIKOPPELING", "STD-TLS", "STD-PKIO",
    "STD-LDV", "STD-ADL", "STD-XACML", "STD-ODRL", "STD-REGO", "STD-NIST-ZTA",
)
#: BIO2 / ISO 27002:2022 themes the issue names, by control number.
REQUIRED_CONTROLS = (
    "MTR-BIO-5-15", "MTR-BIO-5-16", "MTR-BIO-5-17", "MTR-BIO-5-18", "MTR-BIO-8-2",
    "MTR-BIO-8-5", "MTR-BIO-8-15", "MTR-BIO-8-16", "MTR-BIO-8-22", "MTR-BIO-8-24",
    *(f"MTR-ZT-{i}" for i in range(1, 8)),
)


def of_type(needs: Needs, kind: str) -> Needs:
    return {i: n for i, n in needs.items() if n["type"] == kind}


def test_all_29_original_principles_are_present_and_complete(needs_json: Needs) -> None:
    principles = of_type(needs_json, "principe")
    missing = [p for p in ORIGINAL_PRINCIPLES if p not in principles]
    assert not missing
    for pid in ORIGINAL_PRINCIPLES:
        need = principles[pid]
        assert need["herkomst"] == "origineel"
        assert need["content"].strip() and need["rationale"] and need["implicaties"], pid
        assert need["bron"] and need["status"], pid
        assert re.search(r"uitgangspunt", need["toelichting"] or ""), pid
    additions = [p for p, n in principles.items() if n["herkomst"] == "aanvulling"]
    assert len(additions) >= 3 and all(p.startswith("PRI-A") for p in additions)


def test_known_inconsistencies_are_resolved_with_a_note(needs_json: Needs) -> None:
    b6, p4 = needs_json["PRI-B6"], needs_json["PRI-P4"]
    assert "mTLS" in b6["implicaties"] and "servercertificaat" in b6["implicaties"]
    assert "Discretionary Access Control" in p4["toelichting"]
    assert "Discretionary" not in p4["rationale"]


def test_inconsistency_notes_are_published(html_build: Path) -> None:
    page = (html_build / "normatief" / "principes.html").read_text(encoding="utf-8")
    for marker in ("Correctie op B6", "Correctie op P4", "Policy Access Point",
                   "Policy Administration Point"):
        assert marker in page


def test_every_principle_is_made_concrete_or_explains_why_not(needs_json: Needs) -> None:
    for pid, need in of_type(needs_json, "principe").items():
        assert need.get("vervult_back") or need.get("gat_toelichting"), pid


def test_at_least_40_requirements_with_one_keyword_matching_the_level(
        needs_json: Needs) -> None:
    requirements = of_type(needs_json, "eis")
    assert len(requirements) >= 40
    for rid, need in requirements.items():
        keywords = find_keywords(need["content"])
        assert len(keywords) == 1, (rid, keywords)
        assert keywords[0] == need["niveau"] and need["niveau"] in NORMATIVE_KEYWORDS
        assert need["vervult"] and need["toetsing"], rid
        assert need["dekt"] or need["volgt"] or need.get("gat_toelichting"), rid
    levels = {n["niveau"] for n in requirements.values()}
    # every level is a normative keyword; the norm uses at least requirements, recommendations
    # and permissions (which levels the text needs is a content choice, not a rule)
    assert levels <= set(NORMATIVE_KEYWORDS)
    assert {"MOET", "MOET NIET", "ZOU MOETEN", "MAG"} <= levels, levels


def test_requirements_link_down_to_standards_and_controls(needs_json: Needs) -> None:
    requirements = of_type(needs_json, "eis")
    covering = [r for r, n in requirements.items() if n["dekt"]]
    following = [r for r, n in requirements.items() if n["volgt"]]
    assert len(covering) >= 0.9 * len(requirements)
    assert len(following) >= 20
    assert needs_json["EIS-PEP-02"]["volgt"] == ["STD-AUTHZEN", "STD-AUTHZEN-NLGOV"]


def test_standards_have_list_status_date_version_and_steward(needs_json: Needs) -> None:
    standards = of_type(needs_json, "standaard")
    assert not [s for s in AGREED_STANDARDS if s not in standards]
    for sid, need in standards.items():
        assert need["lijststatus"] in STANDARD_LIST_STATUSES, sid
        assert re.fullmatch(r"20[0-9]{2}-[01][0-9]-[0-3][0-9]", need["peildatum"]), sid
        assert need["versie"] and need["beheerder"] and need["bron"], sid
        assert need["url"].startswith("https://"), sid
        # one peildatum for the whole publication (publicatie.toml)
        assert need["peildatum"] >= "2026-11-29", sid
    assert standards["STD-OAUTH-NLGOV"]["lijststatus"] == "verplicht (pas toe of leg uit)"
    assert "resource owner" in standards["STD-OAUTH-NLGOV"]["toepassingsgebied"]
    # registered at Forum Standaardisatie in March 2026; the intake outcome is not confirmed
    assert standards["STD-AUTHZEN-NLGOV"]["lijststatus"] == "aangemeld"
    # FSC has no list entry of its own: any obligation runs through Digikoppeling
    assert standards["STD-FSC"]["lijststatus"] == "niet op de lijst"
    assert {"STD-ADR", "STD-OAUTH-BCP"} <= set(standards)


def test_controls_cover_bio_themes_and_zero_trust_tenets(needs_json: Needs) -> None:
    controls = of_type(needs_json, "maatregel")
    assert not [c for c in REQUIRED_CONTROLS if c not in controls]
    for cid, need in controls.items():
        assert need["kader"] and need["nummer"] and need["content"].strip(), cid
    assert controls["MTR-BIO-5-15"]["title"].endswith("Toegangsbeveiliging")
    assert all(controls[f"MTR-ZT-{i}"]["kader"] == "NIST SP 800-207" for i in range(1, 8))
    assert all(controls[c].get("dekt_back") for c in REQUIRED_CONTROLS)


def test_gemma_changes_cover_all_layers_with_motivation_and_causes(needs_json: Needs) -> None:
    changes = of_type(needs_json, "gemma")
    by_layer = {layer: [c for c in changes.values() if c["gemma_laag"] == layer]
                for layer in GEMMA_LAYERS}
    assert all(len(items) >= 3 for items in by_layer.values()), {
        k: len(v) for k, v in by_layer.items()}
    for gid, need in changes.items():
        assert need["wijzigt"] and need["motivatie"] and need["archimate_type"], gid
        assert need["gemma_id"] or (need["gemma_naam"] and need["gemma_relaties"]), gid
    elements = " ".join(c["title"] for c in by_layer["bedrijfsarchitectuur"])
    for expected in ("Beheren toegangsbeleid", "Beheren identiteiten en autorisaties",
                     "Monitoren toegang", "Identiteit", "Toegangsbeleid", "Toegangsbesluit",
                     "Autorisatieprofiel"):
        assert expected in elements
    components = [c for c in by_layer["informatiearchitectuur"]
                  if c["title"].startswith("Referentiecomponent")]
    assert len(components) >= 9
    # existing GEMMA components are changed, not added a second time (issue 17)
    assert {c["id"] for c in components if c["wijzigingssoort"] == "wijzigen"} >= {
        "GEM-INF-01", "GEM-INF-02", "GEM-INF-03", "GEM-INF-08"}
    assert all(any(t.startswith("COMP-") for t in c["wijzigt"]) for c in components)
    caused_by_principles = {t for c in by_layer["architectuurprincipes"] for t in c["wijzigt"]}
    assert set(ORIGINAL_PRINCIPLES) <= caused_by_principles


def test_derivation_table_matches_the_principles(needs_json: Needs, html_build: Path) -> None:
    """The published count per starting point and group equals the principles' notes."""
    counts: dict[tuple[str, str], int] = {}
    for need in of_type(needs_json, "principe").values():
        derived = set(re.findall(r"U[1-5]", need["toelichting"].split(".")[0]))
        for point in derived:
            counts[(point, need["groep"])] = counts.get((point, need["groep"]), 0) + 1
    page = (html_build / "normatief" / "principes.html").read_text(encoding="utf-8")
    table = page[page.index('id="tab-uitgangspunten"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)[1:]
    assert len(rows) == 5
    groups = ("Basis op orde", "Toegang", "Policy Based Access Control", "Federatie",
              "Aanvulling")
    for row in rows:
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in
                 re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        point = cells[0].split()[0]
        for group, cell in zip(groups, cells[1:], strict=True):
            assert int(cell) == counts.get((point, group), 0), (point, group)
