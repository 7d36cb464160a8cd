"""The auditors' workbook ``rawa-toetsingskader.xlsx`` (openpyxl).

A **Toetsingskader** sheet with one row per requirement and empty columns for the
assessment (Oordeel with a drop-down list, Toelichting, Bewijs), then one sheet per
need type. The same needs and timestamp give the same bytes. Kept apart from
:mod:`rawa_exports` so openpyxl is only imported when the workbook is written.

Every value is a string cell (``t="s"``): openpyxl would otherwise store a value that
starts with ``=`` as a formula and ``#N/A`` as an error. A formula-like value also gets
Excel's "quote prefix" style, so it stays text when an auditor edits the cell. No cell
gets a hyperlink. See :mod:`rawa_export_text` for the policy.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

import rawa_metamodel as mm
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from rawa_export_text import is_formula_like
from rawa_exports import cell_text
from rawa_need_refs import Need, Needs

#: What an assessor may answer in the Oordeel column.
VERDICTS: tuple[str, ...] = ("voldoet", "deels", "voldoet niet", "n.v.t.")
TOETSINGSKADER = "Toetsingskader"


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


TOETSING_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("ID", "id", 14),
    ("Titel", "title", 30),
    ("Niveau", "niveau", 10),
    ("Eis", "content", 60),
    ("Principes", "vervult", 14),
    ("Hoe toets je dit", "toetsing", 50),
    ("Componenten", "realiseert_back", 16),
    ("Standaarden", "volgt", 16),
    ("Maatregelen", "dekt", 16),
    ("Oordeel", "", 14),
    ("Toelichting", "", 40),
    ("Bewijs", "", 40),
)

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _as_text(cell: Cell) -> None:
    """Store the cell's value as a string, whatever openpyxl guessed from it."""
    if isinstance(cell.value, str):
        cell.data_type = TYPE_STRING
        if is_formula_like(cell.value):
            cell.quotePrefix = True


def _fill_sheet(sheet: Worksheet, columns: Sequence[tuple[str, str, int]],
                rows: list[Need]) -> None:
    sheet.append([header for header, _, _ in columns])
    for need in rows:
        sheet.append([cell_text(need.get(key)) if key else None for _, key, _ in columns])
    for row in sheet.iter_rows():
        for cell in row:
            _as_text(cell)
    for index, (_, _, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP
    sheet.freeze_panes = "B2"
    # printable on A4 landscape, header row repeated on each page
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"


def build_workbook(needs: Needs, timestamp: dt.datetime) -> Workbook:
    """The auditors' workbook: the toetsingskader first, then a sheet per need type."""
    workbook = Workbook()
    frame = workbook.active
    frame.title = TOETSINGSKADER
    requirements = [need for _, need in sorted(needs.items()) if need["type"] == "eis"]
    _fill_sheet(frame, TOETSING_COLUMNS, requirements)
    verdict_column = get_column_letter(
        [header for header, _, _ in TOETSING_COLUMNS].index("Oordeel") + 1)
    validation = DataValidation(type="list", formula1='"' + ",".join(VERDICTS) + '"',
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="Oordeel", error="Kies " + " / ".join(VERDICTS),
                                showInputMessage=True, promptTitle="Oordeel",
                                prompt="Kies " + " / ".join(VERDICTS))
    validation.add(f"{verdict_column}2:{verdict_column}{max(len(requirements) + 1, 2)}")
    frame.add_data_validation(validation)
    for spec in mm.NEED_TYPES:
        sheet = workbook.create_sheet(spec.plural[:31])
        rows = [need for _, need in sorted(needs.items()) if need["type"] == spec.directive]
        _fill_sheet(sheet, type_sheet_columns(spec.directive), rows)
    workbook.properties.creator = "RAWA"
    workbook.properties.title = "RAWA toetsingskader"
    workbook.properties.created = timestamp
    workbook.properties.modified = timestamp
    return workbook


def _zip_time(timestamp: dt.datetime) -> tuple[int, int, int, int, int, int]:
    stamp = max(timestamp, dt.datetime(1980, 1, 1))
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def xlsx_bytes(needs: Needs, timestamp: dt.datetime) -> bytes:
    """The workbook as bytes, with fixed timestamps inside and on every zip entry."""
    raw = io.BytesIO()
    ExcelWriter(build_workbook(needs, timestamp),
                zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_zip_time(timestamp))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()
