"""The auditors' workbook ``rawa-toetsingskader.xlsx`` (openpyxl): a working file for an audit.

Sheets, in order:

* **Lees mij**: title, version, status, dates, owner, licence, the note that concept
  objects are not binding, how to score, and the cells the auditor fills in: municipality,
  auditor, control period and the audited inrichtingsscenario (the cap of every domain level);
* **Scoping**: the inventory of objects under audit (APIs, PEPs, PDPs, identity providers,
  clients, suppliers), with a drop-down list for the kind of object;
* **Toetsingskader**: one row per requirement with every audit field, its applicability
  per inrichtingsscenario, and the columns the auditor fills in (Oordeel, Pas toe of leg
  uit, Toelichting, Bewijs verzameld), each judgement column with a drop-down list;
* **Eis per object**: the requirements that are scored per object × the objects of the
  scoping sheet; the Toetsingskader finds a row by its ID, so either sheet may be sorted;
* **Volwassenheid**: the maturity level (0-4) per domain, computed from the judgements
  with formulas the auditor can read, and never above the audited scenario;
* **BIO2-overzicht**: per BIO2 government measure the requirements in scope, met and open,
  for the BIO2 and ENSIA accounts;
* **Standaarden**: list status at Forum Standaardisatie, functional scope, source URL and
  peildatum per standard, with a column for a pas-toe-of-leg-uit explanation;
* then one sheet per need type with every field and link.

Two kinds of cell, kept apart on purpose:

* **Text from the sources** goes through :func:`_text` only. It is a string cell
  (``t="s"``) whatever it looks like: openpyxl would otherwise store a value that starts
  with ``=`` as a formula and ``#N/A`` as an error. A formula-like value also gets Excel's
  "quote prefix", so it stays text when an auditor edits the cell. No cell gets a
  hyperlink. See :mod:`rawa_export_text` for the policy.
* **Formulas** are written by :func:`_formula` only, from the templates in this module
  (:data:`FORMULA_TEMPLATES`) filled with cell addresses and numbers, never with text from
  a need. They are the maturity computation, the per-object tally and the object headers.

Every value comes from the needs, the metamodel or the publication metadata; the same
input and timestamp give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_FORMULA, TYPE_STRING, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

import rawa.model.metamodel as mm
from rawa.model.need_refs import Need, Needs
from rawa.views.export_text import is_formula_like
from rawa.views.exports import cell_text

#: "n.v.t." split in two: only a missing object counts as met; a requirement that is n.v.t.
#: in the municipality's scenario never counts for a level at which it is mandatory.
NVT_OBJECT = "n.v.t. (object ontbreekt)"
NVT_SCENARIO = "n.v.t. (scenario)"
#: What an assessor may answer in the Oordeel column.
VERDICTS: tuple[str, ...] = ("voldoet", "deels", "voldoet niet", NVT_OBJECT, NVT_SCENARIO)
#: The judgements that count as met for the maturity level (with an explained deviation).
MET_VERDICTS: tuple[str, ...] = ("voldoet", NVT_OBJECT)
#: The judgement per object; an explained deviation counts as met on a ZOU (NIET) MOETEN row.
OBJECT_VERDICTS: tuple[str, ...] = ("voldoet", "deels", "voldoet niet", "n.v.t.",
                                    "afwijking uitgelegd")
#: The judgement of design, existence and operation (opzet, bestaan, werking).
ODW_VERDICTS: tuple[str, ...] = ("voldoet", "deels", "voldoet niet", "niet getoetst")
#: Pas toe of leg uit, for a requirement with ZOU MOETEN or ZOU NIET MOETEN.
COMPLY_OR_EXPLAIN: tuple[str, ...] = ("toegepast", "afwijking uitgelegd",
                                      "afwijking niet uitgelegd")
EXPLAINED = "afwijking uitgelegd"
SHOULD_LEVELS: tuple[str, ...] = ("ZOU MOETEN", "ZOU NIET MOETEN")
YES_NO: tuple[str, ...] = ("ja", "nee")

README = "Lees mij"
SCOPING = "Scoping"
TOETSINGSKADER = "Toetsingskader"
PER_OBJECT = "Eis per object"
MATURITY = "Volwassenheid"
STANDARDS = "Forum Standaardisatie"
BIO2_OVERVIEW = "BIO2-overzicht"
#: Empty rows in the scoping sheet, and object columns in the per-object sheet.
OBJECT_SLOTS = 40
#: The first object column of the per-object sheet (after ID, Titel, Niveau, Toetsen per).
FIRST_OBJECT_COLUMN = 5
#: The Lees mij key of the audited scenario, the cap of every domain level.
AUDITED_SCENARIO = "Geaudit inrichtingsscenario (niveau 1-4)"
#: The Lees mij rows the auditor fills in.
README_INPUTS: tuple[str, ...] = ("Gemeente", "Auditor", "Controleperiode van",
                                  "Controleperiode tot", "Peildatum van de audit",
                                  AUDITED_SCENARIO)

#: The only formulas in the workbook; ``{...}`` are filled with cell references and
#: numbers by this module, never with text from the sources.
FORMULA_TEMPLATES: dict[str, str] = {
    "object_header": "=IF({ref}=\"\",\"\",{ref}&\" \"&{kind}&\" \"&{name})",
    # by ID, not by row position: sorting either sheet keeps the tally right; an explained
    # deviation is open on a MOET (NIET) row (should=0) and met on a ZOU (NIET) MOETEN row
    "object_open": ("=SUMPRODUCT(({ids}={id})*(({objects}=\"voldoet niet\")"
                    "+({objects}=\"deels\")+(1-{should})*({objects}=\"afwijking uitgelegd\")))"),
    "counts": ("=IF(AND(OR({verdict}=\"voldoet\",{verdict}=\"n.v.t. (object ontbreekt)\","
               "AND({should}=1,{comply}=\"afwijking uitgelegd\")),{open}=0),1,0)"),
    "in_scope": "=COUNTIFS({domains},{domain},{start},\"<=\"&{n})",
    "open": "=COUNTIFS({domains},{domain},{start},\"<=\"&{n},{counted},0)",
    "added": "=IF({c}-{prev}=0,\"n.v.t.\",{c}-{prev})",
    # capped at the audited scenario; n.v.t. when the domain has no mandatory requirement
    # up to that scenario
    "level": ("=IF({cap}=\"\",\"kies scenario\",IF(INDEX({counts},1,{cap})=0,\"n.v.t.\","
              "MIN({cap},IF(AND({c4}>0,{o4}=0),4,IF(AND({c3}>0,{o3}=0),3,"
              "IF(AND({c2}>0,{o2}=0),2,IF(AND({c1}>0,{o1}=0),1,0)))))))"),
    "bio2_in_scope": "=COUNTIFS({measures},\"*\"&{measure}&\"*\",{start},\"<=\"&{cap})",
    "bio2_met": ("=COUNTIFS({measures},\"*\"&{measure}&\"*\",{start},\"<=\"&{cap},"
                 "{counted},1)"),
    "difference": "={a}-{b}",
}
_REFERENCE = re.compile(
    r"^(?:'[^']+'!|[A-Za-z]+!)?\$?[A-Z]{1,3}\$?[0-9]+(?::\$?[A-Z]{1,3}\$?[0-9]+)?$")


@dataclass(frozen=True)
class WorkbookMeta:
    """Publication metadata for the Lees mij sheet (from publicatie.toml via conf.py)."""

    titel: str = "RAWA"
    versie: str = ""
    status: str = ""
    datum: str = ""
    uitgever: str = ""
    licentie: str = ""


def workbook_meta(app: object) -> WorkbookMeta:
    """The Lees mij data from the Sphinx configuration (publicatie.toml through conf.py)."""
    config = app.config  # type: ignore[attr-defined]
    substitutions = getattr(config, "myst_substitutions", None) or {}
    return WorkbookMeta(titel=str(config.project or ""), versie=str(config.release or ""),
                        status=str(substitutions.get("status", "")),
                        datum=str(config.today or ""), uitgever=str(config.author or ""),
                        licentie=str(getattr(config, "rawa_licentie", "") or ""))


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_INPUT_FILL = PatternFill("solid", fgColor="FFF4CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


# -- the two kinds of cell ---------------------------------------------------------------------


def _text(cell: Cell, value: object) -> None:
    """Write text from the sources: always a string cell, never a formula or hyperlink."""
    text = cell_text(value) if not isinstance(value, str) else value
    cell.value = text if text != "" else None
    if isinstance(cell.value, str):
        cell.data_type = TYPE_STRING
        if is_formula_like(cell.value):
            cell.quotePrefix = True


def _number(cell: Cell, value: int | None) -> None:
    cell.value = value


def _formula(cell: Cell, template: str, **refs: str | int) -> None:
    """Write one of our own formulas; every argument is a cell reference or a number."""
    for name, ref in refs.items():
        if isinstance(ref, int):
            continue
        if not _REFERENCE.match(ref):
            raise ValueError(f"formula argument {name}={ref!r} is not a cell reference")
    cell.value = FORMULA_TEMPLATES[template].format(**refs)
    cell.data_type = TYPE_FORMULA


# -- layout helpers ----------------------------------------------------------------------------


def _header(sheet: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    for index, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(1, index)
        _text(cell, header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width


#: Footer on every printed page: file, sheet, page of pages, print date (Excel codes).
FOOTER = "&F - &A - pagina &P van &N - afgedrukt op &D"


def _finish(sheet: Worksheet, columns: int, rows: int, freeze: str = "B2",
            pages_wide: int = 1, title_cols: str | None = None) -> None:
    """Frozen header, filter, wrapped text, A4 landscape with the header on every page.

    ``pages_wide``: the print fits on that many A4 widths; ``title_cols``: columns (such as
    ``A:B``, ID and title) printed on every page.
    """
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP
    sheet.freeze_panes = freeze
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = pages_wide
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    if title_cols:
        sheet.print_title_cols = title_cols
    sheet.oddFooter.center.text = FOOTER
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows + 1, 2)}"


def _choice(sheet: Worksheet, title: str, values: Sequence[str], area: str) -> None:
    """A drop-down list on ``area`` that refuses any other value."""
    listed = ", ".join(values)
    validation = DataValidation(type="list", formula1='"' + ",".join(values) + '"',
                                allow_blank=True, showErrorMessage=True, errorTitle=title,
                                error=f"Kies {listed}", showInputMessage=True,
                                promptTitle=title, prompt=f"Kies {listed}")
    validation.add(area)
    sheet.add_data_validation(validation)


def _column_letter(headers: Sequence[str], header: str) -> str:
    return get_column_letter(list(headers).index(header) + 1)


# -- the requirement sheet -------------------------------------------------------------------

#: (header, need key or "", width): the columns from the needs, in order.
FRAME_SOURCE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("ID", "id", 14),
    ("Titel", "title", 28),
    ("Domein", "domein", 9),
    ("Niveau", "niveau", 11),
    ("Kriticiteit", "kriticiteit", 10),
    ("Eis", "content", 50),
    ("Hoe toetst u dit", "toetsing", 50),
    ("Toetssoort", "toetssoort", 14),
    ("Bewijs te verzamelen", "bewijs", 24),
    ("Populatie en steekproef", "populatie", 34),
    ("Eigenaar", "eigenaar", 18),
    ("Toetsen per", "toetsobject", 14),
    ("Realisatie", "realisatie", 13),
    *((f"Toepassing {scenario}", name, 12)
      for scenario, name in zip(mm.INRICHTINGSSCENARIOS, mm.APPLICABILITY_FIELDS, strict=True)),
    ("Verplicht vanaf niveau", "vanaf", 10),
    ("BIO2-overheidsmaatregelen", "bio2", 16),
    ("ENSIA en DigiD", "verantwoording", 18),
    ("Principes", "vervult", 14),
    ("Componenten", "realiseert_back", 16),
    ("Standaarden", "volgt", 16),
    ("Maatregelen", "dekt", 16),
    ("Status", "status", 10),
)
#: The columns the auditor fills in, then the two computed ones.
FRAME_INPUT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Oordeel", 14),
    ("Oordeel opzet", 11),
    ("Oordeel bestaan", 11),
    ("Oordeel werking", 11),
    ("Pas toe of leg uit", 18),
    ("Toelichting", 40),
    ("Bewijs verzameld", 40),
)
FRAME_COMPUTED_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Objecten niet in orde", 12),
    ("Telt als voldaan", 10),
)
#: Reference columns grouped and folded in, so the print holds the working columns; the
#: auditor unfolds them with the + above the column letters.
FRAME_FOLDED_COLUMNS: tuple[str, ...] = ("Realisatie", "Principes", "Componenten",
                                         "Standaarden", "Maatregelen", "Status")


def frame_headers() -> list[str]:
    return [*(h for h, _, _ in FRAME_SOURCE_COLUMNS), *(h for h, _ in FRAME_INPUT_COLUMNS),
            *(h for h, _ in FRAME_COMPUTED_COLUMNS)]


def first_mandatory_level(need: Need) -> int | None:
    for level, name in enumerate(mm.APPLICABILITY_FIELDS, start=1):
        if need.get(name) == mm.MANDATORY:
            return level
    return None


def per_object(need: Need) -> bool:
    return need.get("toetsobject") not in (None, "", mm.WHOLE_ORGANISATION)


def _requirements(needs: Needs) -> list[Need]:
    return [need for _, need in sorted(needs.items()) if need["type"] == "eis"]


def _per_object_area(column: str, rows: int) -> str:
    return f"{quote_sheetname(PER_OBJECT)}!${column}$2:${column}${max(rows + 1, 2)}"


def _frame(sheet: Worksheet, requirements: list[Need], object_rows: dict[str, int]) -> None:
    headers = frame_headers()
    widths = [*(w for _, _, w in FRAME_SOURCE_COLUMNS), *(w for _, w in FRAME_INPUT_COLUMNS),
              *(w for _, w in FRAME_COMPUTED_COLUMNS)]
    _header(sheet, headers, widths)
    col = {header: index for index, header in enumerate(headers, start=1)}
    letter = {header: get_column_letter(index) for header, index in col.items()}
    first_object = get_column_letter(FIRST_OBJECT_COLUMN)
    last_object = get_column_letter(FIRST_OBJECT_COLUMN + OBJECT_SLOTS - 1)
    object_ids = _per_object_area("A", len(object_rows))
    object_cells = (f"{quote_sheetname(PER_OBJECT)}!${first_object}$2:"
                    f"${last_object}${max(len(object_rows) + 1, 2)}")
    for row, need in enumerate(requirements, start=2):
        for header, key, _ in FRAME_SOURCE_COLUMNS:
            cell = sheet.cell(row, col[header])
            if key == "domein":
                _text(cell, mm.domain_of(need["id"]))
            elif key == "vanaf":
                _number(cell, first_mandatory_level(need))
            else:
                _text(cell, need.get(key))
        for header, _ in FRAME_INPUT_COLUMNS:
            sheet.cell(row, col[header]).fill = _INPUT_FILL
        open_cell = sheet.cell(row, col["Objecten niet in orde"])
        should = need.get("niveau") in SHOULD_LEVELS
        if need["id"] in object_rows:
            _formula(open_cell, "object_open", ids=object_ids, id=f"$A{row}",
                     objects=object_cells, should=1 if should else 0)
        else:
            _number(open_cell, 0)
        _formula(sheet.cell(row, col["Telt als voldaan"]), "counts",
                 verdict=f"{letter['Oordeel']}{row}",
                 should=1 if should else 0,
                 comply=f"{letter['Pas toe of leg uit']}{row}",
                 open=f"{letter['Objecten niet in orde']}{row}")
        if not should:
            # the comply-or-explain column does not apply: say so, and keep it out of the count
            _text(sheet.cell(row, col["Pas toe of leg uit"]), "n.v.t.")
    last = max(len(requirements) + 1, 2)
    _choice(sheet, "Oordeel", VERDICTS, f"{letter['Oordeel']}2:{letter['Oordeel']}{last}")
    for header in ("Oordeel opzet", "Oordeel bestaan", "Oordeel werking"):
        _choice(sheet, header, ODW_VERDICTS, f"{letter[header]}2:{letter[header]}{last}")
    _choice(sheet, "Pas toe of leg uit", (*COMPLY_OR_EXPLAIN, "n.v.t."),
            f"{letter['Pas toe of leg uit']}2:{letter['Pas toe of leg uit']}{last}")
    _finish(sheet, len(headers), len(requirements), freeze="C2", pages_wide=3,
            title_cols="A:B")
    for header in FRAME_FOLDED_COLUMNS:
        dimension = sheet.column_dimensions[letter[header]]
        dimension.outlineLevel = 1
        dimension.hidden = True


# -- scoping and per object --------------------------------------------------------------------

SCOPING_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Object-ID", 12), ("Soort", 18), ("Naam", 30), ("Omschrijving", 40), ("Eigenaar", 22),
    ("Leverancier", 22), ("Inrichtingsscenario", 18), ("In scope", 10),
    ("DigiD-aansluiting", 12), ("Toelichting", 40),
)


def _scoping(sheet: Worksheet) -> None:
    headers = [h for h, _ in SCOPING_COLUMNS]
    _header(sheet, headers, [w for _, w in SCOPING_COLUMNS])
    for index in range(1, OBJECT_SLOTS + 1):
        _text(sheet.cell(index + 1, 1), f"OBJ-{index:02d}")
        for column in range(2, len(headers) + 1):
            sheet.cell(index + 1, column).fill = _INPUT_FILL
    last = OBJECT_SLOTS + 1
    for header, values in (("Soort", mm.OBJECT_KINDS),
                           ("Inrichtingsscenario", mm.INRICHTINGSSCENARIOS),
                           ("In scope", YES_NO), ("DigiD-aansluiting", YES_NO)):
        column = _column_letter(headers, header)
        _choice(sheet, header, values, f"{column}2:{column}{last}")
    _finish(sheet, len(headers), OBJECT_SLOTS)


def _per_object(sheet: Worksheet, requirements: list[Need]) -> dict[str, int]:
    """Rows: the requirements scored per object; columns: the scoping sheet's objects."""
    first = FIRST_OBJECT_COLUMN
    headers = ["ID", "Titel", "Niveau", "Toetsen per",
               *(f"OBJ-{i:02d}" for i in range(1, OBJECT_SLOTS + 1))]
    _header(sheet, headers, [14, 30, 12, 14, *([14] * OBJECT_SLOTS)])
    for index in range(1, OBJECT_SLOTS + 1):
        # the header follows the Object-ID, kind and name the auditor gives the object
        # in the scoping sheet
        scoping = quote_sheetname(SCOPING)
        _formula(sheet.cell(1, first - 1 + index), "object_header",
                 ref=f"{scoping}!A{index + 1}", kind=f"{scoping}!B{index + 1}",
                 name=f"{scoping}!C{index + 1}")
    rows: dict[str, int] = {}
    for row, need in enumerate((n for n in requirements if per_object(n)), start=2):
        rows[need["id"]] = row
        _text(sheet.cell(row, 1), need["id"])
        _text(sheet.cell(row, 2), need.get("title"))
        _text(sheet.cell(row, 3), need.get("niveau"))
        _text(sheet.cell(row, 4), need.get("toetsobject"))
        for column in range(first, first + OBJECT_SLOTS):
            sheet.cell(row, column).fill = _INPUT_FILL
    last_row = max(len(rows) + 1, 2)
    _choice(sheet, "Oordeel per object", OBJECT_VERDICTS,
            f"{get_column_letter(first)}2:{get_column_letter(first + OBJECT_SLOTS - 1)}{last_row}")
    _finish(sheet, len(headers), len(rows), freeze=f"{get_column_letter(first)}2",
            pages_wide=2, title_cols="A:B")
    return rows


# -- maturity ----------------------------------------------------------------------------------


MATURITY_LEVEL_HEADER = "Volwassenheid van het domein (hooguit het geaudite scenario)"


def maturity_headers() -> list[str]:
    levels = range(1, len(mm.INRICHTINGSSCENARIOS) + 1)
    return ["Domein", "Naam", *(f"Eisen t/m niveau {n}" for n in levels),
            *(f"Open t/m niveau {n}" for n in levels),
            *(f"Nieuwe eisen op niveau {n}" for n in levels), MATURITY_LEVEL_HEADER]


def _readme_cell(key: str) -> str:
    """The absolute address of the value cell of a Lees mij row the auditor fills in."""
    row = [k for k, _ in readme_rows({}, WorkbookMeta())].index(key) + 2
    return f"{quote_sheetname(README)}!$B${row}"


def _maturity(sheet: Worksheet, requirements: list[Need]) -> None:
    headers = maturity_headers()
    levels = len(mm.INRICHTINGSSCENARIOS)
    _header(sheet, headers, [10, 28, *([11] * (3 * levels)), 16])
    frame = frame_headers()
    last = max(len(requirements) + 1, 2)

    def area(header: str) -> str:
        column = _column_letter(frame, header)
        return f"{quote_sheetname(TOETSINGSKADER)}!${column}$2:${column}${last}"

    for row, (code, name) in enumerate(mm.DOMAINS, start=2):
        _text(sheet.cell(row, 1), code)
        _text(sheet.cell(row, 2), name)
        for n in range(1, levels + 1):
            _formula(sheet.cell(row, 2 + n), "in_scope", domains=area("Domein"),
                     domain=f"$A{row}", start=area("Verplicht vanaf niveau"), n=n)
            _formula(sheet.cell(row, 2 + levels + n), "open", domains=area("Domein"),
                     domain=f"$A{row}", start=area("Verplicht vanaf niveau"), n=n,
                     counted=area("Telt als voldaan"))
            _formula(sheet.cell(row, 2 + 2 * levels + n), "added",
                     c=f"{get_column_letter(2 + n)}{row}",
                     prev=f"{get_column_letter(1 + n)}{row}" if n > 1 else 0)
        refs: dict[str, str | int] = {
            f"c{n}": f"{get_column_letter(2 + n)}{row}" for n in range(1, levels + 1)}
        refs |= {f"o{n}": f"{get_column_letter(2 + levels + n)}{row}"
                 for n in range(1, levels + 1)}
        refs["counts"] = f"C{row}:{get_column_letter(2 + levels)}{row}"
        refs["cap"] = _readme_cell(AUDITED_SCENARIO)
        _formula(sheet.cell(row, len(headers)), "level", **refs)
    _finish(sheet, len(headers), len(mm.DOMAINS), freeze="C2")
    # the scale itself, under the table
    start = len(mm.DOMAINS) + 3
    _text(sheet.cell(start, 1), "Niveau")
    _text(sheet.cell(start, 2), "Betekenis")
    sheet.cell(start, 1).font = sheet.cell(start, 2).font = _HEADER_FONT
    for offset, level in enumerate(mm.MATURITY_LEVELS, start=1):
        _number(sheet.cell(start + offset, 1), level.level)
        scenario = f" ({level.scenario})" if level.scenario else ""
        _text(sheet.cell(start + offset, 2), f"{level.name}{scenario}: {level.description}")
    note = start + len(mm.MATURITY_LEVELS) + 1
    _text(sheet.cell(note, 2), (
        "Het niveau zegt hoe volwassen het domein is, niet welk scenario de gemeente heeft. "
        "Het is nooit hoger dan het geaudite scenario op Lees mij: eisen van latere scenario's "
        "zijn niet getoetst. n.v.t.: het domein heeft tot en met dat scenario geen verplichte "
        "eisen. Nieuwe eisen op niveau n is n.v.t. als dat niveau voor het domein niets "
        "toevoegt."))


# -- standards ---------------------------------------------------------------------------------

STANDARD_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("ID", "id", 18), ("Titel", "title", 30), ("Lijststatus Forum Standaardisatie",
                                               "lijststatus", 20),
    ("Functioneel toepassingsgebied", "toepassingsgebied", 40), ("Bron-URL", "url", 36),
    ("Peildatum", "peildatum", 12), ("Opnieuw geverifieerd op", "geverifieerd_op", 12),
    ("Versie", "versie", 24), ("Beheerder", "beheerder", 16),
    ("Bron", "bron", 40), ("Pas toe of leg uit: toelichting van de gemeente", "", 40),
)


def _standards(sheet: Worksheet, standards: list[Need]) -> None:
    _header(sheet, [h for h, _, _ in STANDARD_COLUMNS], [w for _, _, w in STANDARD_COLUMNS])
    for row, need in enumerate(standards, start=2):
        for index, (_, key, _) in enumerate(STANDARD_COLUMNS, start=1):
            cell = sheet.cell(row, index)
            if key:
                _text(cell, need.get(key))
            else:
                cell.fill = _INPUT_FILL
    _finish(sheet, len(STANDARD_COLUMNS), len(standards))


# -- BIO2 overview -----------------------------------------------------------------------------

BIO2_COLUMNS: tuple[tuple[str, int], ...] = (
    ("BIO2-overheidsmaatregel", 16), ("Eisen", 50), ("Eisen in scope", 12),
    ("Telt als voldaan", 12), ("Open", 10), ("Toelichting voor BIO2 en ENSIA", 50),
)


def bio2_measures(requirements: list[Need]) -> dict[str, list[str]]:
    """Per BIO2 government measure: the requirements that name it, sorted."""
    measures: dict[str, list[str]] = {}
    for need in requirements:
        for measure in need.get("bio2") or []:
            measures.setdefault(str(measure), []).append(need["id"])
    return dict(sorted(measures.items()))


def _bio2_overview(sheet: Worksheet, requirements: list[Need]) -> None:
    """Per government measure: requirements mandatory up to the audited scenario, met, open."""
    _header(sheet, [h for h, _ in BIO2_COLUMNS], [w for _, w in BIO2_COLUMNS])
    frame = frame_headers()
    last = max(len(requirements) + 1, 2)

    def area(header: str) -> str:
        column = _column_letter(frame, header)
        return f"{quote_sheetname(TOETSINGSKADER)}!${column}$2:${column}${last}"

    cap = _readme_cell(AUDITED_SCENARIO)
    measures = bio2_measures(requirements)
    for row, (measure, ids) in enumerate(measures.items(), start=2):
        _text(sheet.cell(row, 1), measure)
        _text(sheet.cell(row, 2), ", ".join(ids))
        common = {"measures": area("BIO2-overheidsmaatregelen"), "measure": f"$A{row}",
                  "start": area("Verplicht vanaf niveau"), "cap": cap}
        _formula(sheet.cell(row, 3), "bio2_in_scope", **common)
        _formula(sheet.cell(row, 4), "bio2_met", counted=area("Telt als voldaan"), **common)
        _formula(sheet.cell(row, 5), "difference", a=f"C{row}", b=f"D{row}")
        sheet.cell(row, 6).fill = _INPUT_FILL
    _finish(sheet, len(BIO2_COLUMNS), len(measures))


# -- read me -----------------------------------------------------------------------------------


def readme_rows(needs: Needs, meta: WorkbookMeta) -> list[tuple[str, str]]:
    requirements = _requirements(needs)
    binding = sum(1 for n in requirements if n.get("status") == "vastgesteld")
    verdicts = " / ".join(VERDICTS)
    return [
        ("Publicatie", meta.titel),
        ("Versie", meta.versie),
        ("Status", meta.status),
        ("Datum", meta.datum),
        ("Peildatum van de normen", meta.datum),
        ("Gemeente", ""),
        ("Auditor", ""),
        ("Controleperiode van", ""),
        ("Controleperiode tot", ""),
        ("Peildatum van de audit", ""),
        (AUDITED_SCENARIO, ""),
        ("Eigenaar", meta.uitgever),
        ("Licentie", meta.licentie),
        ("Bindend", f"Alleen objecten met status vastgesteld zijn bindend. Van de "
                    f"{len(requirements)} eisen in deze werkmap zijn er {binding} vastgesteld; "
                    "eisen met status concept of voorstel zijn een ontwerp en binden niemand."),
        ("Werkwijze", "1. Kies hierboven het geaudite inrichtingsscenario van de gemeente en "
                      "vul gemeente, auditor en controleperiode in. 2. Vul op Scoping de "
                      "objecten in die u toetst. 3. Toets op Toetsingskader de eisen die in dat "
                      "scenario verplicht of aanbevolen zijn. 4. Beoordeel de eisen die per "
                      "object gelden op Eis per object. 5. Lees op Volwassenheid het niveau per "
                      "domein af en op BIO2-overzicht de stand per overheidsmaatregel."),
        ("Oordeel", f"Kies {verdicts}. Alleen voldoet en {NVT_OBJECT} tellen als voldaan. "
                    "Noteer in Oordeel opzet, Oordeel bestaan en Oordeel werking apart wat u "
                    "hebt vastgesteld; zo kunt u de uitkomst hergebruiken voor BIO2 en ENSIA."),
        ("Wanneer n.v.t.", f"{NVT_OBJECT}: het object waarover de eis gaat, is er niet "
                           "(bijvoorbeeld geen LDAP). Dit telt als voldaan. "
                           f"{NVT_SCENARIO}: de eis geldt niet in het scenario van de "
                           "gemeente. Dit telt nooit als voldaan: een niveau waarop de eis "
                           "verplicht is, haalt het domein dan niet. Schrijf in Toelichting "
                           "waarom."),
        ("Wanneer deels", "Alleen als de eis per object wordt getoetst en niet alle objecten "
                          "voldoen, of als de opzet er is maar het bestaan of de werking nog "
                          "niet. Deels telt niet als voldaan."),
        ("Pas toe of leg uit", "Alleen bij ZOU MOETEN en ZOU NIET MOETEN. Een afwijking die de "
                               "gemeente met reden en maatregelen heeft vastgelegd, telt als "
                               "voldaan. Op Eis per object kiest u dan afwijking uitgelegd voor "
                               "dat object."),
        ("Per object", "Een eis die per object wordt getoetst, telt pas als voldaan als geen "
                       "object op Eis per object deels of voldoet niet heeft. Afwijking "
                       "uitgelegd telt alleen bij ZOU MOETEN en ZOU NIET MOETEN als voldaan "
                       "(kolom Niveau). Vul per eis alleen de objecten in van de soort in de "
                       "kolom Toetsen per; laat de andere leeg. De werkmap zoekt de eis op "
                       "haar ID, dus u mag beide tabbladen sorteren."),
        ("Volwassenheid", "Per domein het hoogste niveau 1-4 waarvoor alle eisen die tot en met "
                          "dat scenario verplicht zijn, als voldaan tellen; 0 als dat niveau er "
                          "niet is. Het niveau is nooit hoger dan het geaudite scenario. Het "
                          "domein krijgt n.v.t. als het tot en met dat scenario geen verplichte "
                          "eisen heeft. De formules staan zichtbaar in de cellen."),
        ("Kriticiteit", "hoog: zonder de eis krijgt iemand zonder recht rechtstreeks toegang of "
                        "is een besluit niet te herleiden; midden: een maatregel of de detectie "
                        "wordt zwakker; laag: sturing, doelmatigheid of de stap naar het volgende "
                        "scenario."),
        ("Veilig toetsen", "Een proef die iets wijzigt of een beveiliging probeert te omzeilen, "
                           "doet u in een testomgeving, of in productie volgens een vooraf "
                           "aangekondigde en door de proceseigenaar goedgekeurde procedure "
                           "(BIO2 8.31.01 en 8.15.05)."),
        ("Afdrukken", "Toetsingskader drukt af op drie A4-breedtes, met ID en titel op elke "
                      "pagina. De kolommen Realisatie, Principes, Componenten, Standaarden, "
                      "Maatregelen en Status zijn ingeklapt; klap ze uit met de plus boven de "
                      "kolomletters."),
    ]


def _readme(sheet: Worksheet, needs: Needs, meta: WorkbookMeta) -> None:
    _header(sheet, ["Onderwerp", "Inhoud"], [24, 100])
    for row, (key, value) in enumerate(readme_rows(needs, meta), start=2):
        _text(sheet.cell(row, 1), key)
        _text(sheet.cell(row, 2), value)
        if key in README_INPUTS:
            sheet.cell(row, 2).fill = _INPUT_FILL
        if key == AUDITED_SCENARIO:
            levels = [str(level.level) for level in mm.MATURITY_LEVELS[1:]]
            _choice(sheet, "Geaudit inrichtingsscenario", levels, f"B{row}")
    _finish(sheet, 2, len(readme_rows(needs, meta)))


# -- one sheet per need type -------------------------------------------------------------------


def incoming_links(directive: str) -> tuple[mm.LinkSpec, ...]:
    """Link types that may point to a need of this type."""
    return tuple(link for link in mm.LINKS if directive in link.targets)


def type_sheet_columns(directive: str) -> list[tuple[str, str, int]]:
    """(header, need key, width) for the sheet of one need type."""
    columns = [("ID", "id", 16), ("Titel", "title", 36), ("Status", "status", 12)]
    for spec in mm.fields_for(directive):
        columns.append((spec.label or spec.name, spec.name, 30))
    for link in mm.links_from(directive):
        columns.append((link.outgoing.capitalize(), link.name, 22))
    for link in incoming_links(directive):
        columns.append((link.incoming.capitalize(), f"{link.name}_back", 22))
    columns.append(("Tekst", "content", 60))
    return columns


def _type_sheet(sheet: Worksheet, directive: str, rows: list[Need]) -> None:
    columns = type_sheet_columns(directive)
    _header(sheet, [h for h, _, _ in columns], [w for _, _, w in columns])
    for row, need in enumerate(rows, start=2):
        for index, (_, key, _) in enumerate(columns, start=1):
            _text(sheet.cell(row, index), need.get(key))
    _finish(sheet, len(columns), len(rows))


def build_workbook(needs: Needs, timestamp: dt.datetime,
                   meta: WorkbookMeta | None = None) -> Workbook:
    """The auditors' working file (sheets in the order of the module docstring)."""
    meta = meta or WorkbookMeta()
    requirements = _requirements(needs)
    workbook = Workbook()
    _readme(workbook.active, needs, meta)
    workbook.active.title = README
    _scoping(workbook.create_sheet(SCOPING))
    frame = workbook.create_sheet(TOETSINGSKADER)
    object_rows = _per_object(workbook.create_sheet(PER_OBJECT), requirements)
    _frame(frame, requirements, object_rows)
    _maturity(workbook.create_sheet(MATURITY), requirements)
    _bio2_overview(workbook.create_sheet(BIO2_OVERVIEW), requirements)
    _standards(workbook.create_sheet(STANDARDS),
               [need for _, need in sorted(needs.items()) if need["type"] == "standaard"])
    for spec in mm.NEED_TYPES:
        rows = [need for _, need in sorted(needs.items()) if need["type"] == spec.directive]
        _type_sheet(workbook.create_sheet(spec.plural[:31]), spec.directive, rows)
    workbook.properties.creator = "RAWA"
    workbook.properties.title = f"{meta.titel} - toetsingskader {meta.versie}".strip()
    workbook.properties.created = timestamp
    workbook.properties.modified = timestamp
    return workbook


def _zip_time(timestamp: dt.datetime) -> tuple[int, int, int, int, int, int]:
    stamp = max(timestamp, dt.datetime(1980, 1, 1))
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def xlsx_bytes(needs: Needs, timestamp: dt.datetime, meta: WorkbookMeta | None = None) -> bytes:
    """The workbook as bytes, with fixed timestamps inside and on every zip entry."""
    raw = io.BytesIO()
    ExcelWriter(build_workbook(needs, timestamp, meta),
                zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_zip_time(timestamp))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()
