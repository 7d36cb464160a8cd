"""tools/ensure_system_deps.py: the PDF group checks the libraries WeasyPrint loads."""

from __future__ import annotations

import dataclasses

import ensure_system_deps as deps


def test_the_pdf_group_needs_pango_and_harfbuzz_and_reports_a_missing_library() -> None:
    group = deps.GROUPS["pdf"]
    assert {"pango-1.0", "harfbuzz-subset"} <= set(group.libraries)
    assert "libpango-1.0-0" in group.debian and "poppler-utils" in group.debian
    assert deps.missing(group) == []
    absent = dataclasses.replace(group, libraries=("rawa-no-such-library",))
    assert deps.missing(absent) == ["librawa-no-such-library"]
