"""Report sphinx-needs schema violations at the file and line of the need.

sphinx-needs validates needs against the metamodel's schema rules when writing
starts, but logs violations without a location. This extension silences those
messages and reports every violation again as a warning that names the source
file and line of the need, so a strict build fails with a message a maintainer
can act on.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util import logging
from sphinx_needs.api import get_needs_view

from rawa import priorities

logger = logging.getLogger(__name__)

REPORT_NAME = "schema_violations.json"


#: Dutch for the JSON schema formats a field may declare (``"format": "date"``).
FORMATS_NL = {
    "date": "geen bestaande datum; schrijf JJJJ-MM-DD met een dag die in die maand bestaat",
    "date-time": "geen bestaand tijdstip (JJJJ-MM-DDTuu:mm:ssZ)",
    "time": "geen bestaande tijd (uu:mm:ss)",
    "uri": "geen geldige URI",
    "email": "geen geldig e-mailadres",
}
_FORMAT_FAILURE = re.compile(r'is not a "([\w-]+)"')


def _rule_messages(app: Sphinx) -> dict[str, str]:
    """The Dutch message of every schema rule, by rule id."""
    schemas = (app.config.needs_schema_definitions or {}).get("schemas", [])
    return {rule["id"]: rule["message"] for rule in schemas if "id" in rule and "message" in rule}


def _describe(details: dict[str, Any], messages: dict[str, str]) -> str:
    field = details.get("field")
    message = details.get("validation_msg", "")
    prefix = f"veld '{field}': " if field else ""
    need_path = details.get("need_path", "")
    if " > " in need_path:
        # a rule about linked needs: say which link and which need broke it
        prefix = f"via {need_path}: {prefix}"
    # sphinx-needs only passes the rule's message on for top-level warnings; the
    # message of a rule about linked needs is found by the rule id in the schema path
    rule_id = details.get("schema_path", "").split(" > ")[0].split("[")[0]
    user_msg = details.get("user_msg") or messages.get(rule_id, "")
    failed_format = _FORMAT_FAILURE.search(message)
    if not user_msg and failed_format and failed_format.group(1) in FORMATS_NL:
        user_msg = FORMATS_NL[failed_format.group(1)]
    hint = f" ({user_msg})" if user_msg else ""
    return f"{prefix}{message}{hint}"


def report_violations(app: Sphinx, builder: Builder) -> None:
    report = app.outdir / REPORT_NAME
    if not report.exists():
        return
    data = json.loads(report.read_text(encoding="utf-8"))
    needs = get_needs_view(app)
    messages = _rule_messages(app)
    for need_id, warnings in sorted(data.get("validation_warnings", {}).items()):
        need = needs.get(need_id)
        location = None
        if need is not None and need.get("docname"):
            # Sphinx turns (docname, line) into "path/to/file.md:line"
            location = (need["docname"], need.get("lineno"))
        for warning in warnings:
            if warning.get("log_lvl") not in {"error", "warning"}:
                continue
            logger.warning(
                "Need %s voldoet niet aan het metamodel: %s",
                need_id,
                _describe(warning.get("details", {}), messages),
                location=location,
                type="rawa",
                subtype="schema",
            )


def setup(app: Sphinx) -> dict[str, Any]:
    # sphinx-needs validates at write-started with the default priority (500)
    app.connect("write-started", report_violations, priority=priorities.SCHEMA_REPORT)
    app.config.suppress_warnings = [*app.config.suppress_warnings, "sn_schema_violation"]
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
