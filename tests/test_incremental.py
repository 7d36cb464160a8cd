"""Incremental builds give the same site as a clean build (``_ext/rawa_incremental.py``).

In a copy of the project, one requirement gets an extra ``volgt`` link, the glossary
gets one extra term that occurs in the text of other pages, and the copy is built
clean. The edits are then undone and the copy rebuilt incrementally: only those two
sources changed, yet the traceability table, the standard's incoming links and the
term links live on other pages. The result must equal the session's clean build of
the unchanged sources, file for file (needs.json, tables, back-links, term links,
search index).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, STRICT
from need_source import add_link
from test_reproducible import digests

# .git is copied too: "last updated" dates and release data come from the history
COPY_IGNORE = shutil.ignore_patterns("_build", ".venv", "__pycache__", ".pytest_cache", "tests",
                                     "node_modules")


def copy_project(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=COPY_IGNORE)
    return dest


def build(project: Path, out: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *STRICT, "-c", str(project), "-b", "html",
         "-d", str(out.parent / "doctrees"), str(project / "source"), str(out)],
        capture_output=True, text=True, check=False, cwd=project,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result.stdout



def pick_edit(needs: dict[str, Any]) -> tuple[str, str, str]:
    """A requirement, a standard it does not follow yet, and the requirement's source."""
    standards = sorted(i for i, n in needs.items() if n["type"] == "standaard")
    for need_id, need in sorted(needs.items()):
        if need["type"] != "eis":
            continue
        free = [s for s in standards if s not in need.get("volgt", [])]
        source = ROOT / "source" / need["docname"]
        source = source.with_suffix(".md")
        if free and f":id: {need_id}\n" in source.read_text(encoding="utf-8"):
            return need_id, free[0], need["docname"] + ".md"
    pytest.fail("no requirement and standard to link in the publication")


def add_term(text: str, term: str) -> str:
    """Add a term to the first MyST ``glossary`` block, after its options."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("```{glossary}"))
    end = start
    while end + 1 < len(lines) and lines[end + 1].startswith(":"):
        end += 1
    lines[end + 1:end + 1] = ["", term, "  Tijdelijk begrip voor de test van incrementele builds.",
                              ""]
    return "\n".join(lines)


def pick_term(glossary_text: str) -> str | None:
    """A long word that occurs on several other pages and nowhere in the glossary."""
    counts: dict[str, int] = {}
    for page in sorted((ROOT / "source").rglob("*.md")):
        words = set(re.findall(r"\b[a-z]{10,}\b", page.read_text(encoding="utf-8")))
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    lowered = glossary_text.lower()
    candidates = sorted((-n, w) for w, n in counts.items() if n >= 2 and w not in lowered)
    return candidates[0][1] if candidates else None


def glossary_source() -> Path | None:
    for path in sorted((ROOT / "source").rglob("*.md")):
        if "```{glossary}" in path.read_text(encoding="utf-8"):
            return path
    return None


def test_add_link_edits_only_the_need() -> None:
    text = ":::{eis} A\n:id: EIS-A-01\n:volgt: STD-X\n\nText.\n:::\n:::{eis} B\n:id: EIS-B-01\n"
    assert ":volgt: STD-X, STD-Y\n" in add_link(text, "EIS-A-01", "volgt", "STD-Y")
    assert ":id: EIS-B-01\n:volgt: STD-Y" in add_link(text, "EIS-B-01", "volgt", "STD-Y")


def test_incremental_build_after_a_link_change_equals_a_clean_build(
    html_build: Path, needs_json: dict[str, Any], tmp_path: Path
) -> None:
    need_id, standard, doc = pick_edit(needs_json)
    project = copy_project(tmp_path / "project")
    source = project / "source" / doc
    original = source.read_text(encoding="utf-8")
    source.write_text(add_link(original, need_id, "volgt", standard), encoding="utf-8")
    edited = [source]
    glossary = glossary_source()
    assert glossary is not None, "the publication has no glossary"
    glossary_copy = project / glossary.relative_to(ROOT)
    glossary_text = glossary_copy.read_text(encoding="utf-8")
    term = pick_term(glossary_text)
    assert term, "no word to add to the glossary"
    glossary_copy.write_text(add_term(glossary_text, term), encoding="utf-8")
    edited.append(glossary_copy)

    out = tmp_path / "html"
    build(project, out)
    data = json.loads((out / "needs.json").read_text(encoding="utf-8"))
    assert standard in data["versions"][data["current_version"]]["needs"][need_id]["volgt"]

    source.write_text(original, encoding="utf-8")
    glossary_copy.write_text(glossary_text, encoding="utf-8")
    later = time.time() + 2
    for path in edited:
        os.utime(path, (later, later))
    log = build(project, out)
    reread = re.search(r"updating environment: (?:\[[^]]*\] )?(\d+) added, (\d+) changed", log)
    assert reread, log[-2000:]
    documents = len(list((project / "source").rglob("*.md")))
    # incremental: the edited pages (and those extensions mark as dependent) are re-read
    assert reread.group(1) == "0" and len(edited) <= int(reread.group(2)) < documents, log[-2000:]

    clean, incremental = digests(html_build), digests(out)
    assert clean.keys() == incremental.keys(), set(clean) ^ set(incremental)
    stale = sorted(name for name in clean if clean[name] != incremental[name])
    assert not stale, f"pages left stale by the incremental build: {stale}"
