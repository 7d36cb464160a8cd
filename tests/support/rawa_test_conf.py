"""Settings shared by the small test projects under ``tests/roots``.

Each root's ``conf.py`` star-imports this module, so the test projects run with the
real publication's configuration (metamodel, extensions, strictness) and differ
only in their sources.
"""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_real = runpy.run_path(str(ROOT / "conf.py"))
globals().update(
    {k: v for k, v in _real.items() if not k.startswith("_") and k.islower() and k != "publication"}
)
# the roots have no static files or templates of their own
html_static_path: list[str] = []
templates_path: list[str] = []
# test roots are copied outside the git repository: no "last updated" dates there
suppress_warnings = [*_real["suppress_warnings"], "git.subprocess_error"]
# the test projects have no annex part (a root that has one sets this itself)
rawa_latex_appendix = ""
# a test project is its own folder: its pages may read files inside it, nothing else
rawa_project_dirs = ["."]

# The test projects are about other things than the audit programme (issue 15): their
# requirements get neutral audit values by default, so a root only states the fields it
# tests. The publication itself has no defaults: there a missing audit field fails the
# build (see tests/roots/test-bad-audit, which turns these defaults off again).
AUDIT_DEFAULTS: dict[str, object] = {
    "kriticiteit": "midden",
    "toetssoort": ["opzet"],
    "bewijs": ["register"],
    "populatie": "Alle items.",
    "eigenaar": "CISO",
    "toetsobject": "organisatie",
    "realisatie": "technisch",
    **{name: "verplicht" for name in _real["rawa_metamodel"].APPLICABILITY_FIELDS},
}


def with_audit_defaults(types: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    """A copy of ``needs_types`` whose requirement fields have the defaults above."""
    copied = {name: {**spec} for name, spec in types.items()}
    fields = {name: {**spec} for name, spec in copied["eis"]["fields"].items()}  # type: ignore[union-attr]
    for name, value in AUDIT_DEFAULTS.items():
        fields[name]["default"] = value
    copied["eis"]["fields"] = fields
    return copied


needs_types = with_audit_defaults(_real["needs_types"])
