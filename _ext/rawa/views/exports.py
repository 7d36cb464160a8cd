"""Exports for auditors, written next to the HTML site at the end of the build.

* ``rawa-needs.csv``: every need with its fields and links (UTF-8 with BOM and ``;`` as
  separator, so spreadsheet programs with Dutch settings open it correctly).
* ``rawa-toetsingskader.xlsx``: a **Toetsingskader** sheet with one row per requirement
  and empty columns for the assessment, then one sheet per need type.

sphinx-needs writes ``needs.json`` itself. Both exports are deterministic: the same
needs give the same bytes; the XLSX takes its timestamps from ``SOURCE_DATE_EPOCH``.
The ``{rawa-exports}`` directive lists the files, with links in HTML.

Text is written as text, never as a formula, and a control character stops the exports
with a warning ``[rawa.export]`` at the need (policy in :mod:`rawa_export_text`). Each
file is written to a temporary file and then renamed, and a failed export removes the
old files: an export on the site is always the export of this build.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

import rawa.model.metamodel as mm
from rawa.build.incremental import build_fingerprint
from rawa.model.need_refs import Need, Needs, snapshot
from rawa.model.settings import source_date_epoch
from rawa.views.base import ViewKind, register_view, view_directive
from rawa.views.export_text import TextProblem, csv_cell, find_problems

logger = logging.getLogger(__name__)

CSV_NAME = "rawa-needs.csv"
XLSX_NAME = "rawa-toetsingskader.xlsx"
JSON_NAME = "needs.json"

# -- plain values ---------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A field value as one line of text (lists joined with commas)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value).strip()


def csv_columns() -> list[str]:
    """Core columns, then every field and every link of the metamodel, then the text."""
    return ["id", "type", "titel", "status", *(f.name for f in mm.FIELDS), *mm.LINK_NAMES,
            "tekst", "pagina"]


def csv_values(need: Need) -> dict[str, str]:
    """The text of each CSV column for one need, before CSV escaping."""
    values = {"id": need["id"], "type": need["type"], "titel": need["title"],
              "status": need["status"], "tekst": need["content"], "pagina": need["docname"]}
    return {c: cell_text(values[c] if c in values else need.get(c)) for c in csv_columns()}


def csv_row(need: Need) -> list[str]:
    """One CSV row; a formula-like value is quoted so it stays text (OWASP)."""
    return [csv_cell(text) for text in csv_values(need).values()]


def csv_bytes(needs: Needs) -> bytes:
    """All needs as CSV: UTF-8 with BOM, ``;``-separated, CRLF line ends, sorted by ID."""
    out = io.StringIO()
    # every cell quoted: a spreadsheet set to another list separator (a comma) still
    # keeps "het,=1+1" in one cell, so a formula cannot start after the comma
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(csv_columns())
    for _, need in sorted(needs.items()):
        writer.writerow(csv_row(need))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def build_timestamp() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` as a naive UTC time (the current time when it is not set).

    :mod:`rawa_settings` has stopped the build already when the variable is invalid.
    """
    epoch = source_date_epoch()
    moment = (dt.datetime.fromtimestamp(epoch, tz=dt.UTC) if epoch is not None
              else dt.datetime.now(tz=dt.UTC))
    return moment.replace(tzinfo=None, microsecond=0)


def text_problems(needs: Needs) -> list[TextProblem]:
    """Need fields that cannot be exported (control characters), sorted by need ID."""
    return list(find_problems((need, csv_values(need)) for _, need in sorted(needs.items())))


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``target`` through a temporary file: never a half-written export."""
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def remove_exports(targets: tuple[Path, ...], stamp: Path) -> None:
    """Remove the exports of an earlier build: no outdated file may look current."""
    for path in (*targets, stamp):
        path.unlink(missing_ok=True)


def exports_key(app: Sphinx, timestamp: dt.datetime) -> str | None:
    """What the exports are made from: the needs, the timestamp and this code.

    ``None`` when the needs fingerprint of the build is unknown (then always write).
    """
    fingerprint = build_fingerprint(app.env)
    if fingerprint is None:
        return None
    digest = hashlib.sha256(f"{fingerprint}\0{timestamp.isoformat()}".encode())
    # the workbook's Lees mij sheet shows the publication metadata
    config = app.config
    status = (getattr(config, "myst_substitutions", None) or {}).get("status", "")
    digest.update(repr((config.project, config.release, config.today, config.author, status,
                        getattr(config, "rawa_licentie", ""))).encode())
    for module in (__file__, mm.__file__, Path(__file__).with_name("xlsx.py")):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    """Write the CSV and XLSX files, unless the same needs already gave the same files."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    timestamp = build_timestamp()
    key = exports_key(app, timestamp)
    stamp = Path(app.doctreedir) / "rawa_exports.key"
    targets = (outdir / CSV_NAME, outdir / XLSX_NAME)
    if (key is not None and all(t.is_file() for t in targets) and stamp.is_file()
            and stamp.read_text(encoding="utf-8") == key):
        return
    from rawa.views.xlsx import workbook_meta, xlsx_bytes  # openpyxl: 0.1 s, only when needed

    needs = snapshot(app)
    problems = text_problems(needs)
    if problems:
        remove_exports(targets, stamp)
        for problem in problems:
            logger.warning(problem.message, type="rawa", subtype="export",
                           location=(problem.docname, problem.lineno))
        return
    stamp.unlink(missing_ok=True)
    try:
        write_atomically(targets[0], csv_bytes(needs))
        write_atomically(targets[1], xlsx_bytes(needs, timestamp, workbook_meta(app)))
    except Exception as err:  # openpyxl or the disk: a message, never a traceback
        remove_exports(targets, stamp)
        logger.warning("De exports %s en %s in %s zijn niet gemaakt: %s", CSV_NAME, XLSX_NAME,
                       outdir, err, type="rawa", subtype="export")
        return
    if key is not None:
        stamp.write_text(key, encoding="utf-8")


# -- the list of exports in the chapter ------------------------------------------------------

EXPORTS: tuple[tuple[str, str], ...] = (
    (XLSX_NAME, "werkmap voor auditors: lees mij, scoping van de objecten, het "
                "toetsingskader met een regel per eis, oordelen per object, volwassenheid per "
                "domein, standaarden en een tabblad per soort object"),
    (CSV_NAME, "alle objecten met hun velden en links, gescheiden door puntkomma's"),
    (JSON_NAME, "alle objecten in het formaat van sphinx-needs, met het versienummer"),
    ("rawa-gemma-wijzigingen.xml", "de GEMMA-wijzigingen als ArchiMate Model Exchange File, "
     "in te lezen in Archi (zie het deel Aanpassingen aan de GEMMA)"),
)


def render(app: Sphinx, docname: str, node: nodes.Element, needs: Needs) -> nodes.Node:
    """``{rawa-exports}``: the export files of the build; ``:bestand:`` shows only one."""
    only = node.get("bestand", "")
    items = nodes.bullet_list(ids=[] if only else ["rawa-exports"])
    for filename, description in EXPORTS:
        if only and filename != only:
            continue
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
    return items


def setup(app: Sphinx) -> dict[str, Any]:
    # the list names files, not needs: its page is not rewritten when a need changes
    register_view(app, "rawa-exports", ViewKind("exports", render, all_needs=False),
                  view_directive("exports", options={"bestand": lambda value: directives.choice(
                      value, [name for name, _ in EXPORTS])}, defaults={"bestand": ""}))
    app.add_config_value("rawa_licentie", "", "env", types=[str])
    app.connect("build-finished", write_exports)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
