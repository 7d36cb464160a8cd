"""Reproducible output: the same sources give byte-identical HTML and reports.

Two things in sphinx-needs 9.1 differ between builds of the same sources:

* every need is wrapped in a ``<div id="SNCB-xxxxxxxx">`` whose id comes from
  ``uuid4`` (``sphinx_needs/layout.py``); we derive it from the need ID instead
  (the collapse script only needs it to be unique on the page);
* ``schema_violations.json`` records how long validation took; we keep the
  findings and counts and drop the timing.

Dates come from ``SOURCE_DATE_EPOCH`` (the Makefile sets it to the last commit).
``tests/test_reproducible.py`` builds twice and compares every published file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from rawa import priorities

COLLAPSE_PREFIX = "SNCB-"
SCHEMA_REPORT = "schema_violations.json"


def stable_container_id(need_id: str) -> str:
    return COLLAPSE_PREFIX + hashlib.sha256(need_id.encode("utf-8")).hexdigest()[:8]


def _stabilise_need_container_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for container in doctree.findall(nodes.container):
        ids = container.get("ids", [])
        if not any(i.startswith(COLLAPSE_PREFIX) for i in ids):
            continue
        need_ids = [i for table in container.findall(nodes.table) for i in table.get("ids", [])]
        if not need_ids:
            continue
        container["ids"] = [stable_container_id(need_ids[0]) if i.startswith(COLLAPSE_PREFIX)
                            else i for i in ids]


def _drop_timing_from_schema_report(app: Sphinx, exception: Exception | None) -> None:
    report = Path(app.outdir) / SCHEMA_REPORT
    if exception is not None or not report.is_file():
        return
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    data.pop("validated_needs_per_second", None)
    warnings = data.get("validation_warnings") or {}
    data["validation_summary"] = (
        f"Schema validation completed with {len(warnings)} warning(s) for "
        f"{data.get('validated_needs_count', 0)} needs."
    )
    report.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    # after sphinx-needs renders the need layouts (default priority 500)
    app.connect("doctree-resolved", _stabilise_need_container_ids,
                priority=priorities.STABLE_NEED_IDS)
    app.connect("build-finished", _drop_timing_from_schema_report,
                priority=priorities.SCHEMA_REPORT_TIMING)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
