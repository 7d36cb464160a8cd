"""The metamodel on a small valid project (its violations are in ``test_bad_input.py``)."""

from __future__ import annotations

from conftest import Build


def test_minimal_root_builds_without_warnings(build_root: Build) -> None:
    app, warnings = build_root("minimal")
    assert warnings.strip() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'id="EIS-TST-01"' in html and 'id="PRI-B1"' in html


def test_standards_have_an_address_scope_and_the_publications_peildatum(
        build_root: Build) -> None:
    """Each standard names its source page, is checked at the publication's peildatum,
    and a mandatory or recommended one states its functional scope."""
    _, warnings = build_root("bad-standard")
    lines = warnings.splitlines()

    def at(line: int, text: str) -> bool:
        return any(f"bad-standard/index.md:{line}:" in w and text in w for w in lines)

    assert at(14, "STD-OUD heeft peildatum 2025-09-24, ouder dan de peildatum van de "
                  "publicatie (2026-11-29"), warnings
    assert at(23, "\"url\" is a required property"), warnings  # the metamodel requires the address
    assert at(31, "STD-GEBIED is 'aanbevolen' maar noemt geen functioneel "
                  "toepassingsgebied"), warnings
    # a re-verification dated before the standard's own peildatum
    assert at(40, "STD-VROEG is opnieuw geverifieerd op 2026-11-20, eerder dan zijn "
                  "peildatum (2026-11-29)"), warnings
    assert not any("index.md:3:" in w for w in lines), warnings  # the complete standard
    assert "Traceback" not in warnings
