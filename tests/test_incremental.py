"""Incremental builds give the same site as a clean build (``rawa.build.incremental``).

In a copy of the project, one requirement gets an extra ``volgt`` link and the copy is
built clean; later the glossary gets one extra term that occurs in the text of other
pages, built incrementally. Each edit is then undone and the copy rebuilt incrementally:
only that source changed, yet the traceability table, the standard's incoming links and
the term links live on other pages. The result must equal the session's clean build of
the unchanged sources, file for file (needs.json, exports, tables, back-links, term
links), apart from the search index and the sitemap, which a preview may write
differently (README, "Incrementeel bouwen").
"""

from __future__ import annotations

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
from test_reproducible import PREVIEW_MAY_DIFFER, digests, preview_digests

from rawa.build.incremental import affected_needs

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


def edit_link(project: Path, needs: dict[str, Any]) -> Path:
    """One requirement follows one more standard."""
    need_id, standard, doc = pick_edit(needs)
    source = project / "source" / doc
    source.write_text(add_link(source.read_text(encoding="utf-8"), need_id, "volgt", standard),
                      encoding="utf-8")
    return source


def edit_glossary(project: Path, needs: dict[str, Any]) -> Path:
    """The glossary gets a term that occurs in the text of other pages."""
    glossary = glossary_source()
    assert glossary is not None, "the publication has no glossary"
    source = project / glossary.relative_to(ROOT)
    text = source.read_text(encoding="utf-8")
    term = pick_term(text)
    assert term, "no word to add to the glossary"
    source.write_text(add_term(text, term), encoding="utf-8")
    return source


def test_affected_needs_follow_links_both_ways() -> None:
    old = {"EIS-1": frozenset({"STD-A"}), "EIS-2": frozenset({"EIS-1"}),
           "STD-A": frozenset(), "STD-B": frozenset(), "EIS-3": frozenset({"STD-C"})}
    new = {**old, "EIS-1": frozenset({"STD-B"})}
    # the changed need, its old and new targets, and the need that links to it
    assert affected_needs({"EIS-1"}, old, new) == {"EIS-1", "EIS-2", "STD-A", "STD-B"}


def touch_later(path: Path) -> None:
    """Give ``path`` a time clearly after the last build, as a save in an editor does.

    Then wait until that time has passed: a page whose time lies in the future when the
    next build reads it would count as changed again in the build after that.
    """
    later = time.time() + 2
    os.utime(path, (later, later))
    time.sleep(max(0.0, later - time.time()) + 0.1)


def incremental(project: Path, out: Path) -> tuple[str, str]:
    """An incremental build after one saved page: its log and how many pages it rewrote."""
    log = build(project, out)
    reread = re.search(r"updating environment: (?:\[[^]]*\] )?(\d+) added, (\d+) changed", log)
    assert reread, log[-2000:]
    # incremental: only the edited page is read again; pages that show needs data
    # (matrices, coverage, tables, boxes) are rewritten from the new needs without a re-read
    assert reread.groups() == ("0", "1"), log[-2000:]
    return log, (m.group(1) if (m := re.search(r"rewriting (\d+) page", log)) else "")


def test_incremental_builds_after_an_edit_and_its_undo_equal_a_clean_build(
    html_build: Path, needs_json: dict[str, Any], tmp_path: Path,
) -> None:
    """One copy of the publication, two edits in turn, each built and then undone.

    The first edit (a requirement follows one more standard) is built clean; the second
    (the glossary gets a term that occurs on other pages) is itself an incremental
    build. After each undo, an incremental build must give the site of the session's
    clean build: only the edited page is read again, yet other pages show what it
    defines. One copy and one clean build serve both edits.
    """
    project = copy_project(tmp_path / "project")
    out = tmp_path / "html"
    pages = len(list((project / "source").rglob("*.md")))
    for number, edit in enumerate((edit_link, edit_glossary)):
        source = edit(project, needs_json)
        original = (ROOT / source.relative_to(project)).read_text(encoding="utf-8")
        assert source.read_text(encoding="utf-8") != original
        if number == 0:
            build(project, out)
        else:
            touch_later(source)
            incremental(project, out)
        assert digests(out) != digests(html_build), f"{edit.__name__} changed nothing"

        # undo the edit: only that page changed, yet others show what it defines
        source.write_text(original, encoding="utf-8")
        touch_later(source)
        log, written = incremental(project, out)
        if edit is edit_link:  # only the pages that show the changed needs, not all of them
            assert written and int(written) < pages, log[-2000:]

        assert digests(html_build).keys() == digests(out).keys()
        assert all((out / name).is_file() for name in PREVIEW_MAY_DIFFER)
        clean, now = preview_digests(html_build), preview_digests(out)
        stale = sorted(name for name in clean if clean[name] != now[name])
        assert not stale, f"pages left stale after undoing {edit.__name__}: {stale}"
