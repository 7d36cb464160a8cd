"""Reproducible builds: two clean builds of the same sources are byte-identical.

The second build runs in another directory, another time zone and with another
hash seed, so that paths, clocks and set ordering cannot leak into the output.
Both builds are dated by ``SOURCE_DATE_EPOCH`` (the last commit, see conftest).

Not compared: ``.doctrees/`` (Sphinx' pickled environment and doctrees, a build
cache with absolute paths; ``make html`` keeps it outside the published folder).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, STRICT

NOT_PUBLISHED = (".doctrees",)
#: What an incremental build (a preview) may write differently from a clean build: Sphinx
#: collects index entries only for the pages it writes, and sphinx-sitemap lists only
#: those pages. Published editions are clean builds (README, "Incrementeel bouwen").
PREVIEW_MAY_DIFFER = ("searchindex.js", "sitemap.xml")


def digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.relative_to(site).parts[0] not in NOT_PUBLISHED
    }


def preview_digests(site: Path) -> dict[str, str]:
    """:func:`digests` without the files a preview may write differently."""
    return {name: digest for name, digest in digests(site).items()
            if name not in PREVIEW_MAY_DIFFER}


@pytest.fixture(scope="module")
def second_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("html-again") / "elders"
    env = {**os.environ, "TZ": "America/New_York", "PYTHONHASHSEED": "4711"}
    # PlantUML renders every diagram again, so its output is compared too, not a copy
    # from the store of rendered diagrams
    env.pop("RAWA_PLANTUML_STORE", None)
    assert env.get("SOURCE_DATE_EPOCH"), "conftest sets SOURCE_DATE_EPOCH"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *STRICT, "-c", str(ROOT), "-b", "html",
         str(ROOT / "source"), str(out)],
        capture_output=True, text=True, check=False, cwd=ROOT, env=env,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    return out


def test_two_clean_builds_are_byte_identical(html_build: Path, second_build: Path) -> None:
    first, second = digests(html_build), digests(second_build)
    assert first.keys() == second.keys(), set(first) ^ set(second)
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing, f"files differ between two clean builds: {differing}"


def test_needs_json_is_identical(html_build: Path, second_build: Path) -> None:
    one = json.loads((html_build / "needs.json").read_text(encoding="utf-8"))
    two = json.loads((second_build / "needs.json").read_text(encoding="utf-8"))
    assert one == two


def test_last_updated_date_comes_from_the_last_commit(html_build: Path) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from babel.dates import format_date

    # the page's own last commit (sphinx-last-updated-by-git), in Dutch time, not the
    # repository's last commit: a page that did not change keeps its date
    page_commit = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "source/index.md"],
                                 capture_output=True, text=True, check=True, cwd=ROOT).stdout
    stamp = datetime.fromtimestamp(int(page_commit.strip()), tz=UTC).astimezone(
        ZoneInfo("Europe/Amsterdam"))
    expected = format_date(stamp.date(), "d MMMM y", locale="nl")
    html = (html_build / "index.html").read_text(encoding="utf-8")
    footer = re.search(r'<p class="last-updated">\s*(.*?)\s*</p>', html, re.S)
    assert footer, "no 'last updated' line in the footer"
    assert footer.group(1).endswith(f" {expected}."), (footer.group(1), expected)
