"""End-to-end checks of the traceability annex on the real publication.

The matrices, the coverage figures, the CSV and the XLSX are compared with needs.json,
which sphinx-needs writes independently of the RAWA extensions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from openpyxl import load_workbook

import rawa.model.metamodel as mm
from rawa.model import publication as rawa_publication
from rawa.views import diff as rawa_diff
from rawa.views import exports as rawa_exports
from rawa.views import xlsx as rawa_xlsx

Needs = dict[str, dict[str, Any]]


def _page(html_build: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((html_build / name).read_text(encoding="utf-8"), "html.parser")


def _linked_ids(cell: Any) -> set[str]:
    return {a["href"].split("#", 1)[1] for a in cell.find_all("a", href=True) if "#" in a["href"]}


def _matrix(soup: BeautifulSoup, key: str) -> dict[str, list[set[str]]]:
    table = soup.find("table", id=f"rawa-matrix-{key}")
    assert table is not None, f"matrix {key} is missing"
    result = {}
    for row in table.find("tbody").find_all("tr"):
        first, *cells = row.find_all("td")
        (need_id,) = _linked_ids(first)
        result[need_id] = [_linked_ids(cell) for cell in cells]
    return result


def _of_type(needs: Needs, ids: Any, kind: str) -> set[str]:
    return {i for i in ids if needs[i]["type"] == kind}


def _expected_matrices(needs: Needs) -> dict[str, dict[str, list[set[str]]]]:
    """The matrices computed directly from needs.json, column by column."""
    expected: dict[str, dict[str, list[set[str]]]] = {k: {} for k in
                                                      ("principe", "eis", "eis-normen",
                                                       "component")}
    for need_id, need in needs.items():
        kind = need["type"]
        if kind == "principe":
            reqs = set(need["vervult_back"])
            applied = set(need["past_toe_back"]).union(
                *(needs[r]["past_toe_back"] for r in reqs))
            # issue 15: a scenario column shows where the principle is realised (fully or
            # in part), directly or through a requirement; "past toe" is for use cases
            realised = {s for n in (need, *(needs[r] for r in reqs))
                        for key in ("voldoet_aan_back", "voldoet_deels_aan_back")
                        for s in n[key]}
            expected["principe"][need_id] = [
                reqs,
                set().union(*(needs[r]["realiseert_back"] for r in reqs)),
                _of_type(needs, applied, "usecase"),
                realised,
                set(need["wijzigt_back"]).union(*(needs[r]["wijzigt_back"] for r in reqs)),
            ]
        elif kind == "eis":
            expected["eis"][need_id] = [
                set(need["vervult"]), set(need["realiseert_back"]),
                _of_type(needs, need["past_toe_back"], "usecase"),
                {scenario for scenario, name in zip(mm.INRICHTINGSSCENARIOS,
                                                    mm.APPLICABILITY_FIELDS, strict=True)
                 if need[name] == "verplicht"},
                set(need["voldoet_aan_back"]) | set(need["voldoet_deels_aan_back"]),
                set(need["wijzigt_back"]),
            ]
            expected["eis-normen"][need_id] = [set(need["volgt"]), set(need["dekt"])]
        elif kind == "component":
            expected["component"][need_id] = [
                set(need["realiseert"]), set(need["volgt"]),
                _of_type(needs, need["gebruikt_back"], "usecase"),
                _of_type(needs, need["gebruikt_back"], "scenario"),
                set(need["wijzigt_back"]),
            ]
    return expected


def test_matrices_agree_with_needs_json(html_build: Path, needs_json: Needs) -> None:
    soup = _page(html_build, "bijlagen/traceerbaarheid.html")
    for key, expected in _expected_matrices(needs_json).items():
        assert _matrix(soup, key) == expected, key


def test_matrix_cells_link_to_the_page_of_the_need(html_build: Path,
                                                   needs_json: Needs) -> None:
    soup = _page(html_build, "bijlagen/traceerbaarheid.html")
    links = soup.select("table.rawa-table tbody a[href]")
    assert links
    for link in links:
        page, need_id = link["href"].split("#", 1)
        assert page == f"../{needs_json[need_id]['docname']}.html", link


def _coverage_figures(needs: Needs) -> list[list[str]]:
    rows = []
    for rule in mm.COVERAGE_RULES:
        scope = [n for n in needs.values() if n["type"] == rule.source
                 and (rule.scope is None or n.get(rule.scope[0]) in rule.scope[1])]
        gaps = [n for n in scope if not any(n.get(key) for key in rule.requires)]
        justified = [n for n in gaps if rule.justifiable and (n.get(mm.GAP_FIELD) or "").strip()]
        percent = 100 if not scope else round(100 * (len(scope) - len(gaps)) / len(scope))
        # a field the schema makes mandatory is always there: the figure says so
        schema = {f.name for f in mm.FIELDS if rule.source in f.required_for}
        enforced = " (afgedwongen door het schema)" if set(rule.requires) <= schema else ""
        rows.append([rule.label, str(len(scope)),
                     str(len(scope) - len(gaps)), str(len(justified)),
                     str(len(gaps) - len(justified)), f"{percent}%{enforced}"])
    return rows


def test_coverage_figures_agree_with_needs_json(html_build: Path, needs_json: Needs) -> None:
    soup = _page(html_build, "bijlagen/traceerbaarheid.html")
    table = soup.find("table", id="rawa-dekking-cijfers")
    shown = [[td.get_text(strip=True) for td in tr.find_all("td")]
             for tr in table.find("tbody").find_all("tr")]
    assert shown == _coverage_figures(needs_json)
    owner = next(row for row in shown
                 if row[0] == "Organisatorische of contractuele eis zonder eigenaarsrol")
    assert owner[5] == "100% (afgedwongen door het schema)"
    # the published build has no open gaps: the strict build would have failed
    assert all(row[4] == "0" for row in shown)


def test_justified_gaps_are_listed_with_their_justification(html_build: Path,
                                                           needs_json: Needs) -> None:
    soup = _page(html_build, "bijlagen/traceerbaarheid.html")
    table = soup.find("table", id="rawa-dekking-gaten")
    text = table.get_text(" ", strip=True) if table else ""
    for need_id, need in needs_json.items():
        justification = (need.get(mm.GAP_FIELD) or "").strip()
        if justification:
            assert need_id in text and " ".join(justification.split()) in text, need_id


def test_exports_are_linked_from_the_chapter(html_build: Path) -> None:
    soup = _page(html_build, "bijlagen/traceerbaarheid.html")
    hrefs = {a["href"] for a in soup.find(id="rawa-exports").find_all("a", href=True)}
    assert hrefs == {"../rawa-needs.csv", "../rawa-toetsingskader.xlsx", "../needs.json",
                     "../rawa-gemma-wijzigingen.xml"}
    for href in hrefs:
        assert (html_build / "bijlagen" / href).resolve().is_file(), href


def test_needs_json_carries_the_sphinx_version(html_build: Path) -> None:
    data = json.loads((html_build / "needs.json").read_text(encoding="utf-8"))
    assert data["current_version"] == rawa_publication.load(ROOT / "publicatie.toml").short_version


def test_csv_agrees_with_needs_json(html_build: Path, needs_json: Needs) -> None:
    raw = (html_build / "rawa-needs.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [r["id"] for r in rows] == sorted(needs_json)
    assert list(rows[0]) == ["id", "type", "titel", "status", *(f.name for f in mm.FIELDS),
                             *mm.LINK_NAMES, "tekst", "pagina"]
    for row in rows:
        need = needs_json[row["id"]]
        assert row["type"] == need["type"] and row["titel"] == need["title"]
        assert row["status"] == (need["status"] or "")
        assert row["tekst"] == need["content"].strip()
        for spec in mm.FIELDS:
            value = need.get(spec.name)
            expected = ", ".join(value) if isinstance(value, list) else (value or "").strip()
            assert row[spec.name] == expected, (row["id"], spec.name)
        for link in mm.LINK_NAMES:
            listed = [x for x in row[link].split(", ") if x]
            assert listed == sorted(need[link]), (row["id"], link)


def test_xlsx_agrees_with_needs_json(html_build: Path, needs_json: Needs) -> None:
    workbook = load_workbook(html_build / "rawa-toetsingskader.xlsx")
    assert workbook.sheetnames == [
        "Lees mij", "Scoping", "Toetsingskader", "Eis per object", "Volwassenheid",
        "BIO2-overzicht", "Forum Standaardisatie", *(t.plural for t in mm.NEED_TYPES)]
    frame = workbook["Toetsingskader"]
    header = [c.value for c in frame[1]]
    assert header == [
        "ID", "Titel", "Domein", "Niveau", "Kriticiteit", "Eis", "Hoe toetst u dit",
        "Toetssoort", "Bewijs te verzamelen", "Populatie en steekproef", "Eigenaar",
        "Toetsen per", "Realisatie", "Toepassing SCN-INR-01", "Toepassing SCN-INR-02",
        "Toepassing SCN-INR-03", "Toepassing SCN-INR-04", "Verplicht vanaf niveau",
        "BIO2-overheidsmaatregelen", "ENSIA en DigiD", "Principes", "Componenten",
        "Standaarden", "Maatregelen", "Status", "Oordeel", "Oordeel opzet", "Oordeel bestaan",
        "Oordeel werking", "Pas toe of leg uit", "Toelichting",
        "Bewijs verzameld", "Objecten niet in orde", "Telt als voldaan"]
    requirements = sorted(i for i, n in needs_json.items() if n["type"] == "eis")
    rows = [dict(zip(header, (c.value for c in row), strict=True))
            for row in frame.iter_rows(min_row=2)]
    assert [r["ID"] for r in rows] == requirements
    for row in rows:
        need = needs_json[row["ID"]]
        assert row["Niveau"] == need["niveau"] and row["Eis"] == need["content"].strip()
        assert row["Domein"] == row["ID"].split("-")[1]
        assert row["Principes"] == ", ".join(sorted(need["vervult"]))
        assert row["Hoe toetst u dit"] == need["toetsing"]
        assert (row["Maatregelen"] or "") == ", ".join(sorted(need["dekt"]))
        assert row["Kriticiteit"] == need["kriticiteit"] and row["Eigenaar"] == need["eigenaar"]
        assert row["Toetssoort"] == ", ".join(need["toetssoort"])
        assert row["Bewijs te verzamelen"] == ", ".join(need["bewijs"])
        assert row["Populatie en steekproef"] == need["populatie"]
        assert row["Toetsen per"] == need["toetsobject"]
        assert (row["BIO2-overheidsmaatregelen"] or "") == ", ".join(need["bio2"] or [])
        levels = [n for n, name in enumerate(mm.APPLICABILITY_FIELDS, start=1)
                  if need[name] == "verplicht"]
        for scenario, name in zip(mm.INRICHTINGSSCENARIOS, mm.APPLICABILITY_FIELDS, strict=True):
            assert row[f"Toepassing {scenario}"] == need[name]
        assert row["Verplicht vanaf niveau"] == (levels[0] if levels else None)
        assert row["Oordeel"] is None and row["Toelichting"] is None
        assert row["Bewijs verzameld"] is None
        should = need["niveau"] in ("ZOU MOETEN", "ZOU NIET MOETEN")
        assert row["Pas toe of leg uit"] == (None if should else "n.v.t.")
        assert row["Telt als voldaan"].startswith("=IF(AND(OR(")
    assert frame.freeze_panes == "C2" and frame.auto_filter.ref == f"A1:AH{len(rows) + 1}"
    assert frame.print_title_rows == "$1:$1"
    assert frame.page_setup.orientation == "landscape" and frame.page_setup.paperSize == 9
    validations = {v.promptTitle: str(v.sqref) for v in frame.data_validations.dataValidation}
    last = len(requirements) + 1
    assert validations == {"Oordeel": f"Z2:Z{last}", "Oordeel opzet": f"AA2:AA{last}",
                           "Oordeel bestaan": f"AB2:AB{last}",
                           "Oordeel werking": f"AC2:AC{last}",
                           "Pas toe of leg uit": f"AD2:AD{last}"}
    (verdicts,) = [v for v in frame.data_validations.dataValidation if v.sqref == f"Z2:Z{last}"]
    assert verdicts.formula1 == (
        '"voldoet,deels,voldoet niet,n.v.t. (object ontbreekt),n.v.t. (scenario)"')
    assert verdicts.showErrorMessage
    for spec in mm.NEED_TYPES:
        sheet = workbook[spec.plural]
        ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
        assert ids == sorted(i for i, n in needs_json.items() if n["type"] == spec.directive)
        headers = [c.value for c in sheet[1]]
        for field_spec in mm.fields_for(spec.directive):
            assert field_spec.label in headers, (spec.directive, field_spec.name)
        for link in mm.links_from(spec.directive):
            column = headers.index(link.outgoing.capitalize())
            for row in sheet.iter_rows(min_row=2):
                expected = ", ".join(sorted(needs_json[row[0].value][link.name])) or None
                assert row[column].value == expected, (row[0].value, link.name)


def test_xlsx_is_deterministic(needs_json: Needs) -> None:
    moment = dt.datetime(2026, 11, 29, 12, 0, 0)
    first = rawa_xlsx.xlsx_bytes(needs_json, moment)
    assert first == rawa_xlsx.xlsx_bytes(needs_json, moment)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 29, 12, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2026-11-29T12:00:00Z" in core
    assert rawa_exports.csv_bytes(needs_json) == rawa_exports.csv_bytes(dict(needs_json))


def test_build_timestamp_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795953600")
    assert rawa_exports.build_timestamp() == dt.datetime(2026, 11, 29, 12, 0, 0)


def test_every_need_has_a_permalink_to_its_anchor(html_build: Path, needs_json: Needs) -> None:
    for need_id in needs_json:
        page = html_build / "id" / f"{need_id}.html"
        text = page.read_text(encoding="utf-8")
        refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', text)
        assert refresh, need_id
        target, anchor = refresh.group(1).split("#", 1)
        assert anchor == need_id and not target.startswith(("/", "http"))
        assert f'href="{refresh.group(1)}"' in text  # a plain link without JavaScript
        landing = (page.parent / target).resolve()
        assert f'id="{need_id}"' in landing.read_text(encoding="utf-8"), need_id


def test_permalink_pages_are_not_in_the_navigation(html_build: Path) -> None:
    assert not (html_build / "_sources" / "id").exists()
    for page in html_build.rglob("*.html"):
        if page.parent.name != "id":
            text = page.read_text(encoding="utf-8")
            assert not re.search(r'href="(\.\./)*id/', text), page


def test_diff_page_exists(html_build: Path) -> None:
    soup = _page(html_build, "bijlagen/wijzigingen.html")
    assert "Wijzigingen ten opzichte van de vorige versie" in soup.find("h1").get_text()
    release = rawa_publication.load(ROOT / "publicatie.toml").versie
    if rawa_diff.find_baseline(ROOT / "baselines", release) is None:
        assert soup.find(id="rawa-wijzigingen-geen-basis") is not None
    else:
        assert soup.find(id="rawa-wijzigingen-overzicht") is not None


def test_make_baseline_round_trip(html_build: Path, needs_json: Needs, tmp_path: Path) -> None:
    """A baseline of this build, compared with this build, shows no changes."""
    import make_baseline

    publication = tmp_path / "publicatie.toml"
    publication.write_text('versie = "0.0.1"\n', encoding="utf-8")
    code = make_baseline.main(["--needs-json", str(html_build / "needs.json"),
                               "--baselines", str(tmp_path / "baselines"),
                               "--publication", str(publication)])
    assert code == 0
    assert (tmp_path / "baselines" / "LATEST").read_text().strip() == "needs-0.0.1.json"
    found = rawa_diff.find_baseline(tmp_path / "baselines", "0.1.0")
    assert found is not None and found.name == "needs-0.0.1.json"
    _, old = rawa_diff.load_needs(found)
    assert set(old) == set(needs_json)
    diff = rawa_diff.compare(old, needs_json)
    assert all(not d.added and not d.removed and not d.changed for d in diff.values()), diff
