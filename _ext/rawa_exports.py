"""Exports for auditors, written next to the HTML site at the end of the build.

* ``rawa-needs.csv``: every need with its fields and links (UTF-8 with BOM and ``;`` as
  separator, so spreadsheet programs with Dutch settings open it correctly).
* ``rawa-toetsingskader.xlsx``: a **Toetsingskader** sheet with one row per requirement
  and empty columns for the assessment, then one sheet per need type.

sphinx-needs writes ``needs.json`` itself. Both exports are deterministic: the same
needs give the same bytes; the XLSX takes its timestamps from ``SOURCE_DATE_EPOCH``.
The ``{rawa-exports}`` directive lists the files, with links in HTML.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import rawa_metamodel as mm
from docutils import nodes
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from rawa_need_refs import Need, Needs, snapshot
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

CSV_NAME = "rawa-needs.csv"
XLSX_NAME = "rawa-toetsingskader.xlsx"
JSON_NAME = "needs.json"

#: What an assessor may answer in the Oordeel column.
VERDICTS: tuple[str, ...] = ("voldoet", "deels", "voldoet niet", "n.v.t.")
TOETSINGSKADER = "Toetsingskader"

# -- plain values ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value).strip()


def csv_columns() -> list[str]:
    """Core columns, then every field and every link of the metamodel, then the text."""
    return ["id", "type", "titel", "status", *(f.name for f in mm.FIELDS), *mm.LINK_NAMES,
            "tekst", "pagina"]


def csv_row(need: Need) -> list[str]:
    values = {"id": need["id"], "type": need["type"], "titel": need["title"],
              "status": need["status"], "tekst": need["content"], "pagina": need["docname"]}
    return [_text(values[c] if c in values else need.get(c)) for c in csv_columns()]


def csv_bytes(needs: Needs) -> bytes:
    """All needs as CSV: UTF-8 with BOM, ``;``-separated, CRLF line ends, sorted by ID."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_columns())
    for _, need in sorted(needs.items()):
        writer.writerow(csv_row(need))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- XLSX ------------------------------------------------------------------------------------


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


def _fill_sheet(sheet: Worksheet, columns: Sequence[tuple[str, str, int]],
                rows: list[Need]) -> None:
    sheet.append([header for header, _, _ in columns])
    for need in rows:
        sheet.append([_text(need.get(key)) if key else None for _, key, _ in columns])
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


def build_timestamp() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` as a naive UTC time (the current time when it is not set)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch
              else dt.datetime.now(tz=dt.UTC))
    return moment.replace(tzinfo=None, microsecond=0)


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    needs = snapshot(app)
    outdir = Path(app.outdir)
    (outdir / CSV_NAME).write_bytes(csv_bytes(needs))
    (outdir / XLSX_NAME).write_bytes(xlsx_bytes(needs, build_timestamp()))


# -- the list of exports in the chapter ------------------------------------------------------

EXPORTS: tuple[tuple[str, str], ...] = (
    (XLSX_NAME, "werkmap voor auditors: het toetsingskader met een regel per eis en een "
                "tabblad per soort object"),
    (CSV_NAME, "alle objecten met hun velden en links, gescheiden door puntkomma's"),
    (JSON_NAME, "alle objecten in het formaat van sphinx-needs, met het versienummer"),
)


class exports_placeholder(nodes.General, nodes.Element):
    """Replaced by the list of export files, with links in HTML."""


class ExportsDirective(SphinxDirective):
    """``{rawa-exports}``: the export files of the build."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        return [exports_placeholder("")]


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for placeholder in list(doctree.findall(exports_placeholder)):
        items = nodes.bullet_list(ids=["rawa-exports"])
        for filename, description in EXPORTS:
            para = nodes.paragraph()
            if app.builder.format == "html":
                uri = relative_uri(app.builder.get_target_uri(docname), filename)
                ref = nodes.reference("", "", refuri=uri, internal=False)
                ref += nodes.literal(text=filename)
                para += ref
            else:
                para += nodes.literal(text=filename)
            para += nodes.Text(f": {description}.")
            items += nodes.list_item("", para)
        placeholder.replace_self(items)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(exports_placeholder)
    app.add_directive("rawa-exports", ExportsDirective)
    app.connect("doctree-resolved", render)
    app.connect("build-finished", write_exports)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
