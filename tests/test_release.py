"""The release command and the versioned site, run on scratch copies of the project."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

# the release runs make in the scratch copy; it must reuse this virtual environment
MAKE_ENV = {**os.environ, "VENV": sys.prefix}


def make_env(repo: Path) -> dict[str, str]:
    """Run ``make`` in a scratch copy with the test's venv, without touching it.

    The venv step (``pip install -e .``) would run again when the copy's
    ``pyproject.toml`` is newer than the venv's stamp, and would point the shared
    editable install at the scratch copy, which is deleted after the test. A stamp of
    the copy's own, newer than its files, tells ``make`` the venv is up to date.
    """
    stamp = repo.parent / f"{repo.name}.venv-stamp"
    stamp.touch()
    return {**MAKE_ENV, "VENV_STAMP": str(stamp)}


def scratch_copy(dest: Path) -> Path:
    """Copy the project's tracked and new files (not build output) into a fresh git repo."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    git(dest, "init", "-q", "-b", "main")
    commit(dest, "scratch copy")
    return dest


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=RAWA test", "-c", "user.email=test@example.org",
        "commit", "-q", "-m", message)


def release(repo: Path, version: str, status: str,
            check: str = "make html") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "tools/release.py", version, status, "--date", "2026-12-01",
         "--check", check],
        cwd=repo, capture_output=True, text=True, check=False, env=make_env(repo),
    )


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    return scratch_copy(tmp_path / "rawa")


def test_release_sets_metadata_everywhere_and_stores_baseline(scratch: Path) -> None:
    # the check is a no-op here: ``make baseline`` builds the site again from scratch
    # (-E), and that build is what the assertions read; test_failing_build_stops_the_release
    # covers a check that fails
    result = release(scratch, "1.1.0", "Consultatieversie", check="true")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    meta = (scratch / "publicatie.toml").read_text(encoding="utf-8")
    assert 'versie = "1.1.0"' in meta and 'status = "Consultatieversie"' in meta
    assert 'datum = "2026-12-01"' in meta
    html = (scratch / "_build/html/index.html").read_text(encoding="utf-8")
    assert "1.1.0" in html and "Consultatieversie" in html and "1 december 2026" in html
    assert "Dit is geen vastgestelde versie" in html  # the banner of a non-final status
    baselines = list((scratch / "baselines").glob("*1.1.0*.json"))
    assert baselines, "no baseline stored for 1.1.0"
    data = json.loads(baselines[0].read_text(encoding="utf-8"))
    assert data["current_version"] == "1.1"
    changelog = (scratch / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## 1.1.0 (Consultatieversie, 2026-12-01)" in changelog
    # the LaTeX source of the PDF edition carries the same metadata
    latex = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-c", ".", "-b", "latex", "source",
         "_build/latex"], cwd=scratch, capture_output=True, text=True, check=False)
    assert latex.returncode == 0, latex.stderr[-3000:]
    tex = (scratch / "_build/latex/rawa.tex").read_text(encoding="utf-8")
    assert "1.1.0" in tex and "Consultatieversie" in tex


def test_failing_build_stops_the_release(scratch: Path) -> None:
    # a page saved in another encoding: the build stops before it reads anything
    # (rawa.checks.source_encoding), so the test does not wait for a whole build
    page = scratch / "source" / "bijlagen" / "colofon.md"
    page.write_bytes(page.read_bytes() + "\nZie de bijlage \u00e9\u00e9n.\n".encode("latin-1"))
    before = {p: (scratch / p).read_text(encoding="utf-8")
              for p in ("publicatie.toml", "CHANGELOG.md")}
    result = release(scratch, "1.1.0", "Consultatieversie")
    assert result.returncode == 1
    assert "mislukt" in result.stderr
    for name, text in before.items():
        assert (scratch / name).read_text(encoding="utf-8") == text, name
    assert not list((scratch / "baselines").glob("*1.1.0*"))


def test_release_refuses_unknown_status(scratch: Path) -> None:
    result = release(scratch, "1.1.0", "Concept")
    assert result.returncode == 1 and "status 'Concept'" in result.stderr


def test_versioned_site_layout(scratch: Path, tmp_path: Path) -> None:
    for version, status in (("1.0.0", "Vastgestelde versie"), ("1.1.0", "Consultatieversie")):
        toml = scratch / "publicatie.toml"
        text = toml.read_text(encoding="utf-8")
        text = re.sub(r'^versie = ".*"', f'versie = "{version}"', text, flags=re.M)
        text = re.sub(r'^status = ".*"', f'status = "{status}"', text, flags=re.M)
        toml.write_text(text, encoding="utf-8")
        commit(scratch, f"release {version}")
        git(scratch, "tag", f"v{version}")
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, str(scratch / "tools/publish_versions.py"), "--repo", str(scratch),
         "--site", str(site), "--no-pdf"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]

    def page(path: str) -> str:
        return (site / path / "index.html").read_text(encoding="utf-8")

    assert "Dit is geen vastgestelde versie" in page("1.1.0")
    assert "Dit is geen vastgestelde versie" not in page("1.0.0")
    # each edition's sitemap names its own folder
    assert "/1.1.0/index.html</loc>" in (site / "1.1.0" / "sitemap.xml").read_text("utf-8")
    assert page("1.1") == page("1.1.0") and page("1") == page("1.1.0")
    assert page("1.0") == page("1.0.0")
    assert page("latest") == page("1.0.0"), "latest must be the newest Vastgestelde versie"
    # --no-pdf: only the sites (the PDF of the publication is built and checked once, in
    # test_pdf.py; building it here for two editions would cost five minutes)
    assert not list(site.rglob("rawa.pdf"))
    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'url=latest/index.html' in root and "1.1.0" in root and "Consultatieversie" in root
    listing = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in listing] == ["1.1.0", "1.0.0"]
    assert set(listing[1]["aliases"]) == {"1.0", "latest"}
    # need permalinks work under every alias
    needs = json.loads((site / "1.0.0" / "needs.json").read_text(encoding="utf-8"))
    some_id = sorted(needs["versions"][needs["current_version"]]["needs"])[0]
    for alias in ("1.0.0", "1.0", "latest"):
        assert (site / alias / "id" / f"{some_id}.html").is_file(), (alias, some_id)
