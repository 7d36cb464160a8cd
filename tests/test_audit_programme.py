"""Issue 15: the toetsingskader as an audit programme.

* the audit fields and the applicability per inrichtingsscenario are on every requirement
  in needs.json, and the scenarios state what they realise with their own links;
* a requirement without a mandatory audit field, or with an inconsistent applicability,
  satisfaction or BIO2 number, fails the build at its file and line;
* the workbook is opened with openpyxl: every sheet, column, validation and formula;
* a small audit is filled in and the maturity per domain is computed with the
  ``formulas`` engine (openpyxl stores formulas but does not compute them);
* a hostile field value that starts with ``=`` stays text, while our own maturity
  formulas are formulas.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import formulas
import openpyxl
from bs4 import BeautifulSoup

import rawa.model.metamodel as mm
from rawa.checks import audit as rawa_audit
from rawa.views import xlsx as rawa_xlsx

Needs = dict[str, dict[str, Any]]
MOMENT = dt.datetime(2026, 11, 29, 12, 0, 0)
AUDIT_FIELDS = ("kriticiteit", "toetssoort", "bewijs", "populatie", "eigenaar", "toetsobject",
                "realisatie", *mm.APPLICABILITY_FIELDS)


# -- the real publication ----------------------------------------------------------------------


def test_every_requirement_carries_the_audit_fields(needs_json: Needs) -> None:
    requirements = {i: n for i, n in needs_json.items() if n["type"] == "eis"}
    assert len(requirements) >= 80
    enums = {spec.name: spec.schema for spec in mm.FIELDS}
    for need_id, need in requirements.items():
        for name in AUDIT_FIELDS:
            assert need[name], (need_id, name)
            schema = enums[name]
            values = need[name] if isinstance(need[name], list) else [need[name]]
            allowed = schema.get("enum") or schema.get("items", {}).get("enum")
            if allowed:
                assert set(values) <= set(allowed), (need_id, name, values)
        for measure in need["bio2"] or []:
            assert re.fullmatch(r"[5-8]\.[0-9]{2}\.[0-9]{2}", measure), (need_id, measure)
        # the rule for the criticality: the level caps it
        if need["niveau"] == "MAG":
            assert need["kriticiteit"] == "laag", need_id
        if need["niveau"].startswith("ZOU"):
            assert need["kriticiteit"] != "hoog", need_id
    # the consistency checks of the build hold for the publication itself
    assert rawa_audit.findings(needs_json) == []


def test_scenarios_state_what_they_realise(needs_json: Needs) -> None:
    for scenario_id in mm.INRICHTINGSSCENARIOS:
        scenario = needs_json[scenario_id]
        assert scenario["past_toe"] == [], scenario_id
        assert any(scenario[link] for link, _ in mm.SATISFACTION_LINKS), scenario_id
    # the case from the review: scenario 1 has no PEP, so it does not satisfy EIS-TOE-03,
    # and the requirement is only recommended there
    assert "EIS-TOE-03" in needs_json["SCN-INR-01"]["voldoet_niet_aan"]
    assert needs_json["EIS-TOE-03"]["toepassing_inr_01"] == "aanbevolen"
    # PDP requirements do not apply in scenario 2 (no PDP): n.v.t., not "voldoet niet";
    # the one exception is the object-level decision (BOLA), which the API itself takes
    # before there is a PDP, and which a component of scenario 1 and 2 must realise
    for need_id, need in needs_json.items():
        if need_id.startswith("EIS-PDP-") and need_id != "EIS-PDP-09":
            assert need["toepassing_inr_02"] == "n.v.t.", need_id
    assert needs_json["EIS-PDP-09"]["toepassing_inr_01"] == "verplicht"
    assert "EIS-PDP-09" in needs_json["COMP-API"]["realiseert"]


def test_maturity_and_scenario_tables_are_in_the_publication(html_build: Path,
                                                             needs_json: Needs) -> None:
    soup = BeautifulSoup((html_build / "normatief" / "eisen.html").read_text(encoding="utf-8"),
                         "html.parser")
    table = soup.find("table", id="rawa-volwassenheid")
    assert table is not None
    rows = table.find("tbody").find_all("tr")
    assert [r.find("td").get_text(strip=True) for r in rows] == [
        f"{code}: {name}" for code, name in mm.DOMAINS]
    listed = {a["href"].split("#")[1] for a in table.find_all("a", href=True)
              if "#EIS-" in a["href"]}
    mandatory = {i for i, n in needs_json.items() if n["type"] == "eis"
                 and any(n[f] == "verplicht" for f in mm.APPLICABILITY_FIELDS)}
    assert listed == mandatory
    page = BeautifulSoup((html_build / "architectuur" / "inrichtingsscenarios.html")
                         .read_text(encoding="utf-8"), "html.parser")
    for scenario_id in mm.INRICHTINGSSCENARIOS:
        assert page.find("table", id=f"rawa-scenario-{scenario_id.lower()}"), scenario_id
    # the audit fields are shown on the requirement itself, under the metamodel's labels
    box = soup.find("div", id="EIS-LOG-03")
    text = box.get_text(" ", strip=True)
    for value in ("8.15.05", "beheerder logvoorziening", "testomgeving", "Hoe toetst u dit"):
        assert value in text, value
    shown = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in box.find("dl").find_all("dt")}
    assert shown["Kriticiteit"] == "hoog"
    assert shown["Toepassing SCN-INR-02"] == "verplicht"
    # field labels, not raw field names (toepassing_inr_01)
    assert "toepassing_inr" not in text and "kriticiteit" not in text
    # the maturity table says when a level adds no requirements
    maturity = soup.find("table", id="rawa-volwassenheid").get_text(" ", strip=True)
    assert "n.v.t.: geen nieuwe eisen" in maturity
    # the DigiD reference is current (Logius: Normenkader 3.0, 21 norms, since 1 August 2022)
    assert "Normenkader 3.0 met 21 normen" in soup.get_text(" ", strip=True)


# -- the checks, on plain needs ----------------------------------------------------------------


def _requirement(need_id: str, level: str = "MOET", toep: str = "VVVV", *,
                 toetsobject: str = "organisatie", **extra: Any) -> dict[str, Any]:
    codes = {"V": "verplicht", "A": "aanbevolen", "N": "n.v.t."}
    need: dict[str, Any] = {
        "id": need_id, "type": "eis", "title": f"Eis {need_id}", "status": "concept",
        "content": f"Tekst van {need_id}.", "docname": "index", "lineno": 1,
        "niveau": level, "toetsing": "Controleer het.", "kriticiteit": "midden",
        "toetssoort": ["opzet"], "bewijs": ["register"], "populatie": "Alle items.",
        "eigenaar": "CISO", "toetsobject": toetsobject, "realisatie": "technisch",
        "bio2": None, "verantwoording": None, "vervult": ["PRI-B1"], "dekt": [],
    }
    for name, code in zip(mm.APPLICABILITY_FIELDS, toep, strict=True):
        need[name] = codes[code]
    need.update(extra)
    return need


def test_bio2_measures_must_belong_to_a_covered_control() -> None:
    good = _requirement("EIS-TST-01", bio2=["8.15.05"], dekt=["MTR-BIO-8-15"])
    bad = _requirement("EIS-TST-02", bio2=["5.17.01"], dekt=["MTR-BIO-8-15"])
    found = rawa_audit.check_bio2({"EIS-TST-01": good, "EIS-TST-02": bad})
    assert [f.need_id for f in found] == ["EIS-TST-02"]
    assert "MTR-BIO-5-17" in found[0].message


def test_satisfaction_must_agree_with_applicability() -> None:
    needs = {
        "EIS-TST-01": _requirement("EIS-TST-01", toep="NVVV"),
        "SCN-INR-01": {"id": "SCN-INR-01", "type": "scenario", "soort": "inrichting",
                       "voldoet_aan": ["EIS-TST-01"], "voldoet_niet_aan": ["EIS-TST-01"]},
        "SCN-INR-02": {"id": "SCN-INR-02", "type": "scenario", "soort": "inrichting",
                       "voldoet_niet_aan": ["EIS-TST-01"]},
    }
    messages = [f"{f.need_id}: {f.message}" for f in rawa_audit.check_satisfaction(needs)]
    assert any("SCN-INR-01" in m and "die er niet geldt" in m for m in messages)
    assert any("SCN-INR-01" in m and "één van de drie relaties" in m for m in messages)
    assert any("SCN-INR-02" in m and "verplicht in dit scenario" in m for m in messages)
    assert len(messages) == 3


# -- the workbook ------------------------------------------------------------------------------

#: A fictitious municipality: the needs of a small audit, and what the auditor answers.
AUDIT_NEEDS: Needs = {
    "EIS-IDN-01": _requirement("EIS-IDN-01"),
    "EIS-IDN-02": _requirement("EIS-IDN-02", "ZOU MOETEN", "AVVV"),
    "EIS-IDN-03": _requirement("EIS-IDN-03", toep="NNVV", toetsobject="API"),
    "EIS-PDP-01": _requirement("EIS-PDP-01", toep="NNVV", toetsobject="PDP"),
    "EIS-PDP-02": _requirement("EIS-PDP-02", toep="NNNV"),
    "EIS-AUT-01": _requirement("EIS-AUT-01"),
    "EIS-AUT-02": _requirement("EIS-AUT-02", "ZOU MOETEN", "VVVV"),
}
VERDICTS = {  # requirement: (Oordeel, Pas toe of leg uit)
    "EIS-IDN-01": ("voldoet", None),
    "EIS-IDN-02": ("voldoet niet", "afwijking uitgelegd"),  # explained: counts as met
    "EIS-IDN-03": ("voldoet", None),  # but one API is "deels" on the per-object sheet
    "EIS-PDP-01": ("voldoet", None),
    "EIS-PDP-02": ("voldoet niet", None),
    "EIS-AUT-01": ("voldoet", None),
    "EIS-AUT-02": ("voldoet niet", "afwijking niet uitgelegd"),
}
OBJECTS = {"EIS-IDN-03": ["voldoet", "deels"], "EIS-PDP-01": ["voldoet"]}
#: IDN: levels 1 and 2 met, EIS-IDN-03 (from level 3) has an API that is "deels".
#: PDP: no requirements before level 3; level 3 met, level 4 not (EIS-PDP-02).
#: AUT: an unexplained deviation at level 1. LOG: no requirements at all.
EXPECTED = {"IDN": 2, "PDP": 3, "AUT": 0, "LOG": "n.v.t."}


def _workbook(needs: Needs) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(rawa_xlsx.xlsx_bytes(needs, MOMENT)))


def _columns(sheet: Any) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


def _readme_row(workbook: openpyxl.Workbook, key: str) -> int:
    sheet = workbook["Lees mij"]
    (row,) = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == key]
    return row


def _audit(tmp_path: Path, needs: Needs, verdicts: dict[str, tuple[str, str | None]],
           objects: dict[str, list[str]], scenario: int | None,
           reverse_objects: bool = False) -> tuple[openpyxl.Workbook, Any]:
    """Fill in an audit as an auditor would, and compute it as a spreadsheet would."""
    workbook = _workbook(needs)
    if scenario is not None:
        workbook["Lees mij"].cell(_readme_row(workbook, rawa_xlsx.AUDITED_SCENARIO),
                                  2).value = scenario
    scoping = workbook["Scoping"]
    scoping["B2"], scoping["C2"] = "API", "Zaken-API"
    scoping["B3"], scoping["C3"] = "API", "BRP-bevraging"
    frame = workbook["Toetsingskader"]
    col = _columns(frame)
    for row in range(2, frame.max_row + 1):
        verdict, comply = verdicts[frame.cell(row, col["ID"]).value]
        frame.cell(row, col["Oordeel"]).value = verdict
        if comply:
            frame.cell(row, col["Pas toe of leg uit"]).value = comply
    per_object = workbook["Eis per object"]
    first = rawa_xlsx.FIRST_OBJECT_COLUMN
    rows = [[per_object.cell(r, c).value for c in range(1, first)]
            for r in range(2, per_object.max_row + 1)]
    if reverse_objects:  # what sorting on the ID column descending does
        rows.reverse()
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            per_object.cell(row, column).value = value
        for offset, verdict in enumerate(objects.get(values[0], [])):
            per_object.cell(row, first + offset).value = verdict
    filled = tmp_path / f"audit-{scenario}-{reverse_objects}.xlsx"
    workbook.save(filled)

    # openpyxl does not compute formulas; the formulas engine does, as a spreadsheet would
    solution = formulas.ExcelModel().loads(str(filled)).finish().calculate()

    def value(sheet: str, ref: str) -> Any:
        key = f"'[{filled.name}]{sheet.upper()}'!{ref}"
        result = solution[key].value[0][0]
        return int(result) if isinstance(result, float | int) else result

    return workbook, value


def _levels(workbook: openpyxl.Workbook, value: Any) -> dict[str, Any]:
    maturity = workbook["Volwassenheid"]
    column = openpyxl.utils.get_column_letter(
        _columns(maturity)[rawa_xlsx.MATURITY_LEVEL_HEADER])
    return {maturity.cell(row, 1).value: value("Volwassenheid", f"{column}{row}")
            for row in range(2, 2 + len(mm.DOMAINS))}


def _frame_value(workbook: openpyxl.Workbook, value: Any, need_id: str, header: str) -> Any:
    frame = workbook["Toetsingskader"]
    col = _columns(frame)
    (row,) = [r for r in range(2, frame.max_row + 1) if frame.cell(r, 1).value == need_id]
    return value("Toetsingskader", f"{openpyxl.utils.get_column_letter(col[header])}{row}")


def test_a_small_audit_computes_the_maturity_per_domain(tmp_path: Path) -> None:
    workbook, value = _audit(tmp_path, AUDIT_NEEDS, VERDICTS, OBJECTS, scenario=4)
    levels = _levels(workbook, value)
    assert {code: levels[code] for code in EXPECTED} == EXPECTED
    assert set(levels.values()) <= {0, 1, 2, 3, 4, "n.v.t."}
    # the per-object tally and the object headers come from the formulas too
    assert _frame_value(workbook, value, "EIS-IDN-03", "Objecten niet in orde") == 1
    assert value("Eis per object", "E1") == "OBJ-01 API Zaken-API"
    # the levels that add no requirements say so
    maturity = workbook["Volwassenheid"]
    added = openpyxl.utils.get_column_letter(_columns(maturity)["Nieuwe eisen op niveau 2"])
    pdp = 2 + [code for code, _ in mm.DOMAINS].index("PDP")
    assert value("Volwassenheid", f"{added}{pdp}") == "n.v.t."
    # without an audited scenario there is no level
    workbook, value = _audit(tmp_path, AUDIT_NEEDS, VERDICTS, OBJECTS, scenario=None)
    assert set(_levels(workbook, value).values()) == {"kies scenario"}


#: Gemeente Voorbeeldstad, scenario 2 (the auditor's mock audit).
SCENARIO2_NEEDS: Needs = {
    "EIS-AUT-01": _requirement("EIS-AUT-01"),
    "EIS-AUT-05": _requirement("EIS-AUT-05", "ZOU MOETEN", "VVVV", toetsobject="API"),
    "EIS-IDN-01": _requirement("EIS-IDN-01", toetsobject="API"),
    "EIS-PDP-01": _requirement("EIS-PDP-01", toep="NVVV"),
    "EIS-PDP-02": _requirement("EIS-PDP-02", toep="NNVV"),
    "EIS-PDP-03": _requirement("EIS-PDP-03", toep="NNNV"),
    "EIS-PIP-01": _requirement("EIS-PIP-01", toep="NNVV"),
    "EIS-LOG-01": _requirement("EIS-LOG-01", toep="NVVV"),
    "EIS-LOG-02": _requirement("EIS-LOG-02", toep="NNVV"),
}
SCENARIO2_VERDICTS = {
    "EIS-AUT-01": ("voldoet", None),
    "EIS-AUT-05": ("voldoet", None),  # one API deviates, explained: still met
    "EIS-IDN-01": ("voldoet", None),  # but one API has an "explained deviation" on a MOET
    "EIS-PDP-01": ("voldoet", None),
    "EIS-PDP-02": ("n.v.t. (scenario)", None),
    "EIS-PDP-03": ("n.v.t. (scenario)", None),
    "EIS-PIP-01": ("n.v.t. (scenario)", None),
    "EIS-LOG-01": ("voldoet", None),
    "EIS-LOG-02": ("n.v.t. (object ontbreekt)", None),
}
SCENARIO2_OBJECTS = {"EIS-AUT-05": ["voldoet", "afwijking uitgelegd"],
                     "EIS-IDN-01": ["afwijking uitgelegd", "voldoet"]}


def test_a_scenario_2_municipality_gets_no_level_above_2(tmp_path: Path) -> None:
    for reverse in (False, True):  # sorting the per-object sheet changes nothing
        workbook, value = _audit(tmp_path, SCENARIO2_NEEDS, SCENARIO2_VERDICTS,
                                 SCENARIO2_OBJECTS, scenario=2, reverse_objects=reverse)
        levels = _levels(workbook, value)
        # n.v.t. (scenario) at levels 3 and 4 does not lift PDP; AUT has no level-3/4
        # requirements and still stops at the audited scenario; PIP has nothing up to 2
        assert {c: levels[c] for c in ("PDP", "AUT", "PIP", "LOG", "IDN")} == {
            "PDP": 2, "AUT": 2, "PIP": "n.v.t.", "LOG": 2, "IDN": 0}, reverse
        # an explained deviation per object counts as met on a ZOU MOETEN row only
        assert _frame_value(workbook, value, "EIS-AUT-05", "Objecten niet in orde") == 0
        assert _frame_value(workbook, value, "EIS-AUT-05", "Telt als voldaan") == 1
        assert _frame_value(workbook, value, "EIS-IDN-01", "Objecten niet in orde") == 1
        # n.v.t. (object ontbreekt) counts as met, n.v.t. (scenario) never
        assert _frame_value(workbook, value, "EIS-LOG-02", "Telt als voldaan") == 1
        assert _frame_value(workbook, value, "EIS-PDP-02", "Telt als voldaan") == 0
    # even for a scenario-4 audit, n.v.t. (scenario) does not count for levels 3 and 4
    workbook, value = _audit(tmp_path, SCENARIO2_NEEDS, SCENARIO2_VERDICTS, SCENARIO2_OBJECTS,
                             scenario=4)
    levels = _levels(workbook, value)
    assert (levels["PDP"], levels["PIP"], levels["LOG"], levels["AUT"]) == (2, 0, 4, 4)


def test_the_bio2_overview_counts_per_government_measure(tmp_path: Path) -> None:
    needs = dict(SCENARIO2_NEEDS)
    needs["EIS-AUT-01"] = _requirement("EIS-AUT-01", bio2=["8.15.05"], dekt=["MTR-BIO-8-15"])
    needs["EIS-LOG-01"] = _requirement("EIS-LOG-01", toep="NVVV", bio2=["8.15.05", "8.15.01"],
                                       dekt=["MTR-BIO-8-15"])
    needs["EIS-PDP-02"] = _requirement("EIS-PDP-02", toep="NNVV", bio2=["8.15.01"],
                                       dekt=["MTR-BIO-8-15"])
    verdicts = dict(SCENARIO2_VERDICTS, **{"EIS-LOG-01": ("deels", None)})
    workbook, value = _audit(tmp_path, needs, verdicts, SCENARIO2_OBJECTS, scenario=2)
    sheet = workbook["BIO2-overzicht"]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    assert list(rows) == ["8.15.01", "8.15.05"]
    assert sheet.cell(rows["8.15.05"], 2).value == "EIS-AUT-01, EIS-LOG-01"
    # in scope up to scenario 2, met, open; EIS-PDP-02 (from level 3) is out of scope
    assert [value("BIO2-overzicht", f"{c}{rows['8.15.05']}") for c in "CDE"] == [2, 1, 1]
    assert [value("BIO2-overzicht", f"{c}{rows['8.15.01']}") for c in "CDE"] == [1, 0, 1]


def test_the_workbook_sheets_columns_validations_and_formulas(html_build: Path,
                                                                needs_json: Needs) -> None:
    workbook = openpyxl.load_workbook(html_build / "rawa-toetsingskader.xlsx")
    readme = {row[0].value: row[1].value for row in workbook["Lees mij"].iter_rows(min_row=2)}
    assert readme["Publicatie"] == "Referentiearchitectuur veilig werken met API's"
    assert readme["Versie"] and readme["Status"] and readme["Datum"] and readme["Licentie"]
    assert readme["Eigenaar"] == "RAWA-projectgroep"
    assert readme["Peildatum van de normen"] == readme["Datum"]
    assert "Alleen objecten met status vastgesteld zijn bindend" in readme["Bindend"]
    assert readme["Wanneer n.v.t."] and readme["Wanneer deels"] and readme["Pas toe of leg uit"]
    for key in rawa_xlsx.README_INPUTS:
        assert readme[key] is None, key
    readme_sheet = workbook["Lees mij"]
    (scenario_cell,) = [f"B{r}" for r in range(2, readme_sheet.max_row + 1)
                        if readme_sheet.cell(r, 1).value == rawa_xlsx.AUDITED_SCENARIO]
    assert {(str(v.sqref), v.formula1) for v in readme_sheet.data_validations.dataValidation} == {
        (scenario_cell, '"1,2,3,4"')}

    scoping = workbook["Scoping"]
    assert [c.value for c in scoping[1]] == [h for h, _ in rawa_xlsx.SCOPING_COLUMNS]
    assert [scoping.cell(r, 1).value for r in (2, 41)] == ["OBJ-01", "OBJ-40"]
    assert "DigiD-aansluiting" in [c.value for c in scoping[1]]
    lists = {v.formula1 for v in scoping.data_validations.dataValidation}
    assert '"' + ",".join(mm.OBJECT_KINDS) + '"' in lists
    assert '"' + ",".join(mm.INRICHTINGSSCENARIOS) + '"' in lists

    per_object = workbook["Eis per object"]
    expected_rows = sorted(i for i, n in needs_json.items()
                           if n["type"] == "eis" and n["toetsobject"] != "organisatie")
    assert [r[0].value for r in per_object.iter_rows(min_row=2)] == expected_rows
    assert per_object["E1"].value == (
        "=IF('Scoping'!A2=\"\",\"\",'Scoping'!A2&\" \"&'Scoping'!B2&\" \"&'Scoping'!C2)")
    assert [per_object.cell(r, 3).value for r in range(2, len(expected_rows) + 2)] == [
        needs_json[i]["niveau"] for i in expected_rows]
    (validation,) = per_object.data_validations.dataValidation
    assert str(validation.sqref) == f"E2:AR{len(expected_rows) + 1}"
    assert validation.formula1 == '"voldoet,deels,voldoet niet,n.v.t.,afwijking uitgelegd"'
    # the Toetsingskader finds a requirement's objects by ID, not by row position
    frame = workbook["Toetsingskader"]
    frame_col = _columns(frame)
    for row in range(2, frame.max_row + 1):
        if frame.cell(row, 1).value in expected_rows:
            tally = frame.cell(row, frame_col["Objecten niet in orde"]).value
            assert tally.startswith(
                f"=SUMPRODUCT(('Eis per object'!$A$2:$A${len(expected_rows) + 1}=$A{row})*")
    # printing: working columns on three A4 widths, ID and title on every page, a footer
    assert frame.page_setup.fitToWidth == 3 and frame.print_title_cols == "$A:$B"
    for header in rawa_xlsx.FRAME_FOLDED_COLUMNS:
        dimension = frame.column_dimensions[
            openpyxl.utils.get_column_letter(frame_col[header])]
        assert dimension.hidden and dimension.outlineLevel == 1, header
    assert not frame.column_dimensions["F"].hidden  # Eis stays visible
    frame_prompts = {v.prompt for v in frame.data_validations.dataValidation}
    assert "Kies voldoet, deels, voldoet niet, niet getoetst" in frame_prompts

    bio2 = workbook["BIO2-overzicht"]
    measures = sorted({m for n in needs_json.values() if n["type"] == "eis"
                       for m in n["bio2"] or []})
    assert [r[0].value for r in bio2.iter_rows(min_row=2)] == measures
    assert bio2["C2"].value.startswith("=COUNTIFS('Toetsingskader'!")

    maturity = workbook["Volwassenheid"]
    assert [c.value for c in maturity[1]] == rawa_xlsx.maturity_headers()
    assert [maturity.cell(r, 1).value for r in range(2, 2 + len(mm.DOMAINS))] == [
        code for code, _ in mm.DOMAINS]
    for row in range(2, 2 + len(mm.DOMAINS)):
        assert maturity.cell(row, 3).value.startswith("=COUNTIFS('Toetsingskader'!$C$2:")
        level = maturity.cell(row, len(rawa_xlsx.maturity_headers())).value
        assert level.startswith("=IF('Lees mij'!$B$") and "MIN('Lees mij'!$B$" in level

    standards = workbook["Forum Standaardisatie"]
    assert [c.value for c in standards[1]] == [h for h, _, _ in rawa_xlsx.STANDARD_COLUMNS]
    ids = [r[0].value for r in standards.iter_rows(min_row=2)]
    assert ids == sorted(i for i, n in needs_json.items() if n["type"] == "standaard")
    for row in standards.iter_rows(min_row=2):
        need = needs_json[row[0].value]
        assert row[2].value == need["lijststatus"] and row[5].value == need["peildatum"]
        assert row[6].value == (need.get("geverifieerd_op") or None)  # empty unless re-verified
    assert any(row[6].value for row in standards.iter_rows(min_row=2))

    for sheet in workbook.worksheets:
        assert sheet.freeze_panes, sheet.title
        assert sheet.auto_filter.ref, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4
        assert sheet.oddFooter.center.text == rawa_xlsx.FOOTER, sheet.title


def _formula_cells(workbook: openpyxl.Workbook) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.setdefault(sheet.title, set()).add(cell.coordinate)
    return found


def test_hostile_values_stay_text_and_only_our_formulas_are_formulas() -> None:
    hostile = {
        "title": '=HYPERLINK("https://example.org/","klik hier")',
        "content": "@SUM(A1:A9) is geen formule.",
        "toetsing": "=1+1",
        "populatie": "+31 20 123 4567",
        "bio2": ["-2+3"],
    }
    needs = {"EIS-IDN-01": _requirement("EIS-IDN-01", toetsobject="API", **hostile),
             "EIS-IDN-02": _requirement("EIS-IDN-02")}
    workbook = _workbook(needs)
    frame = workbook["Toetsingskader"]
    col = _columns(frame)
    for header, text in (("Titel", hostile["title"]), ("Eis", hostile["content"]),
                         ("Hoe toetst u dit", "=1+1"),
                         ("Populatie en steekproef", "+31 20 123 4567"),
                         ("BIO2-overheidsmaatregelen", "-2+3")):
        cell = frame.cell(2, col[header])
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix, header
    # the only formulas: the computed columns, the object headers and the maturity sheet
    first = rawa_xlsx.FIRST_OBJECT_COLUMN
    last = openpyxl.utils.get_column_letter(first - 1 + rawa_xlsx.OBJECT_SLOTS)
    levels = len(mm.INRICHTINGSSCENARIOS)
    tally = openpyxl.utils.get_column_letter(col["Objecten niet in orde"])
    counts = openpyxl.utils.get_column_letter(col["Telt als voldaan"])
    expected = {
        # the tally of row 3 is a plain 0: a whole-organisation requirement
        "Toetsingskader": {f"{tally}2", f"{counts}2", f"{counts}3"},
        "Eis per object": {f"{openpyxl.utils.get_column_letter(c)}1"
                           for c in range(first, first + rawa_xlsx.OBJECT_SLOTS)},
        "Volwassenheid": {f"{openpyxl.utils.get_column_letter(c)}{r}"
                          for r in range(2, 2 + len(mm.DOMAINS))
                          for c in range(3, 3 + 3 * levels + 1)},
        "BIO2-overzicht": {"C2", "D2", "E2"},  # the one (hostile) measure
    }
    assert _formula_cells(workbook) == expected
    assert f"{last}1" in expected["Eis per object"]
    for sheet, cells in expected.items():
        for ref in cells:
            text = workbook[sheet][ref].value
            assert "HYPERLINK" not in text and "SUM(A1" not in text and "+31" not in text
    with zipfile.ZipFile(io.BytesIO(rawa_xlsx.xlsx_bytes(needs, MOMENT))) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist()
                      if n.endswith((".xml", ".rels")))
    assert "<hyperlink" not in xml and "relationships/hyperlink" not in xml
    assert "vbaProject" not in xml


def test_a_formula_argument_must_be_a_cell_reference() -> None:
    cell = openpyxl.Workbook().active["A1"]
    try:
        rawa_xlsx._formula(cell, "object_header", ref='"=HYPERLINK(1)"')
    except ValueError as err:
        assert "not a cell reference" in str(err)
    else:
        raise AssertionError("text from the sources must never become part of a formula")


def test_the_version_diff_names_audit_fields_and_scenario_links() -> None:
    from rawa.views import diff as rawa_diff

    old = _requirement("EIS-TST-01", toep="AVVV", bewijs=["register"])
    new = _requirement("EIS-TST-01", toep="VVVV", bewijs=["register", "logextract"])
    found = {c.label: c for c in rawa_diff.changes(old, new)}
    assert found["Toepassing SCN-INR-01"].old == "aanbevolen"
    assert found["Toepassing SCN-INR-01"].new == "verplicht"
    assert found["Bewijs"].old == "register" and found["Bewijs"].new == "register, logextract"
    before = {"id": "SCN-INR-01", "type": "scenario", "past_toe": ["EIS-TST-01"]}
    after = {"id": "SCN-INR-01", "type": "scenario", "voldoet_niet_aan": ["EIS-TST-01"]}
    labels = {c.label: c for c in rawa_diff.changes(before, after)}
    assert labels["Links 'voldoet niet aan'"].added == ("EIS-TST-01",)
    assert labels["Links 'past toe'"].removed == ("EIS-TST-01",)


# -- scenarios and the components they use (issue 16) -----------------------------------------


def test_scenario_components_on_plain_needs() -> None:
    def component(need_id: str, *realises: str) -> dict[str, Any]:
        return {"id": need_id, "type": "component", "realiseert": list(realises)}

    def scenario(need_id: str, uses: list[str], **links: list[str]) -> dict[str, Any]:
        return {"id": need_id, "type": "scenario", "soort": "inrichting",
                "gebruikt": uses, **links}

    needs = {
        "EIS-TST-01": _requirement("EIS-TST-01", toep="NVVV"),
        "EIS-TST-02": _requirement("EIS-TST-02", toep="NNNN", realisatie="contractueel"),
        "EIS-TST-03": _requirement("EIS-TST-03", toep="AAAA"),
        "COMP-PEP": component("COMP-PEP", "EIS-TST-01"),
        "COMP-API": component("COMP-API", "EIS-TST-02"),
        # not verplicht anywhere and not claimed: never reported
        "COMP-PDP": component("COMP-PDP", "EIS-TST-03"),
        "SCN-INR-01": scenario("SCN-INR-01", ["COMP-API"], voldoet_aan=["EIS-TST-01"]),
        "SCN-INR-02": scenario("SCN-INR-02", ["COMP-API"]),
        "SCN-INR-03": scenario("SCN-INR-03", ["COMP-PEP"], voldoet_aan=["EIS-TST-01"]),
        # voldoet niet aan: no component needed, and the requirement is not verplicht here
        "SCN-INR-04": scenario("SCN-INR-04", [], voldoet_niet_aan=["EIS-TST-03"]),
    }
    needs["EIS-TST-01"]["toepassing_inr_04"] = "aanbevolen"
    found = [(f.need_id, f.message) for f in rawa_audit.check_scenario_components(needs)]
    assert [need_id for need_id, _ in found] == ["SCN-INR-01", "SCN-INR-02"]
    assert "voldoet_aan: EIS-TST-01" in found[0][1]
    assert "verplicht in dit scenario (toepassing_inr_02)" in found[1][1]
    organisational = rawa_audit.check_organisational(needs)
    assert [(f.need_id, "EIS-TST-02" in f.message) for f in organisational] == [
        ("COMP-API", True)]


# -- the auditor's findings on the content (issue 15 follow-up) -------------------------------

#: The tests that change something or try to get round a control.
INTRUSIVE_TESTS = ("EIS-PEP-03", "EIS-LOG-02", "EIS-CRY-02", "EIS-AUT-03", "EIS-TOE-03",
                   "EIS-BEH-05", "EIS-LOG-03")


def test_intrusive_tests_need_a_test_environment_or_the_process_owner(
        needs_json: Needs) -> None:
    for need_id in INTRUSIVE_TESTS:
        text = needs_json[need_id]["toetsing"]
        assert "testomgeving" in text and "door de proceseigenaar goedgekeurde" in text, need_id
        assert "aangekondigd bij de beheerder" not in text and "CISO" not in text, need_id
    # BIO2 8.15.06: the periodic integrity check by someone independent of the operation
    assert "onafhankelijk" in needs_json["EIS-LOG-03"]["toetsing"]
    readme = dict(rawa_xlsx.readme_rows(needs_json, rawa_xlsx.WorkbookMeta()))
    assert "door de proceseigenaar goedgekeurde procedure" in readme["Veilig toetsen"]


def test_access_logging_is_audited_from_scenario_2(needs_json: Needs) -> None:
    # BIO2 8.15 and 8.16 apply to the gateway's log of access attempts too
    for need_id in ("EIS-LOG-03", "EIS-LOG-05", "EIS-LOG-07", "EIS-LOG-09", "EIS-LOG-12"):
        need = needs_json[need_id]
        assert rawa_audit.first_mandatory_level(need) == 2, need_id
        # the gateway's log of attempts is named next to the beslislog (or the log files)
        assert re.search(r"beslislog of het log van toegangspogingen|"
                         r"toegangsbesluiten of toegangspogingen", need["content"]), need_id
    assert {"COMP-BESLISLOG", "COMP-MONITOR"} <= set(needs_json["SCN-INR-02"]["gebruikt"])


def test_bio2_numbers_fit_the_requirement(needs_json: Needs) -> None:
    assert "5.08.01" not in (needs_json["EIS-BEH-01"]["bio2"] or [])
    for need_id in ("EIS-TOE-03", "EIS-BEH-05"):
        assert "5.15.01" in needs_json[need_id]["bio2"], need_id


def test_the_level_caps_the_criticality() -> None:
    needs = {
        "EIS-TST-01": _requirement("EIS-TST-01", "ZOU NIET MOETEN", kriticiteit="hoog"),
        "EIS-TST-02": _requirement("EIS-TST-02", "MAG", "AAAA", kriticiteit="midden"),
        "EIS-TST-03": _requirement("EIS-TST-03", "ZOU MOETEN", kriticiteit="midden"),
        "EIS-TST-04": _requirement("EIS-TST-04", "MOET", kriticiteit="hoog"),
    }
    found = rawa_audit.check_criticality(needs)
    assert [f.need_id for f in found] == ["EIS-TST-01", "EIS-TST-02"]
    assert "hooguit midden" in found[0].message and "hooguit laag" in found[1].message


def test_criticality_and_auditees_follow_the_rules(needs_json: Needs) -> None:
    assert needs_json["EIS-BEH-03"]["kriticiteit"] == "midden"
    # a static API key as the only proof is what EIS-SYS-01 (MOET) already forbids
    assert needs_json["EIS-SYS-02"]["niveau"] == "MOET NIET"
    assert needs_json["EIS-CRY-01"]["eigenaar"] == "beheerder API-gateway"
    assert needs_json["EIS-FED-05"]["eigenaar"] == "proceseigenaar"  # BIO2 5.22.01


def test_scenario_2_requirements_do_not_ask_for_a_pdp(needs_json: Needs) -> None:
    # verplicht in scenario 2, which has no PDP: the test names the PDP only from scenario 3
    for need_id in ("EIS-PEP-06", "EIS-LOG-06"):
        need = needs_json[need_id]
        assert need["toepassing_inr_02"] == "verplicht", need_id
        assert "PDP (vanaf scenario 3)" in need["toetsing"] or \
            "(vanaf scenario 3) PDP" in need["toetsing"], need_id
