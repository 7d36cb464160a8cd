"""Traceability extensions on small projects: gaps fail the build, the diff, long needs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import STRICT, SUPPORT, Build, require_tools

from rawa.views import diff as rawa_diff


def _warnings_at(warnings: str, line: int) -> list[str]:
    return [w for w in warnings.splitlines() if re.search(rf"index\.md:{line}: WARNING: ", w)]


def test_unjustified_gaps_fail_with_id_file_and_line(build_root: Build) -> None:
    _, warnings = build_root("trace-gap")
    assert "Traceback" not in warnings
    principle = _warnings_at(warnings, 3)
    assert any("PRI-B1" in w and "Principe zonder eis" in w and "[rawa.coverage]" in w
               for w in principle), warnings
    component = _warnings_at(warnings, 33)
    assert any("COMP-LOS" in w and "[rawa.coverage]" in w for w in component), warnings
    stale = _warnings_at(warnings, 40)
    assert any("STD-TST" in w and "gat_toelichting" in w for w in stale), warnings
    # the justified gap of EIS-TST-01 (line 23) is no warning
    assert not _warnings_at(warnings, 23), warnings
    requirement = _warnings_at(warnings, 49)
    assert any("EIS-TST-02" in w and "Technische eis zonder realiserende component" in w
               and "':realiseert: EIS-TST-02'" in w for w in requirement), warnings
    assert len(re.findall(r"\[rawa\.coverage\]", warnings)) == 4, warnings


def test_gap_report_shows_figures_and_justification(build_root: Build) -> None:
    app, _ = build_root("trace-gap")
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    rows = {tr.find("td").get_text(strip=True): [td.get_text(strip=True)
                                                 for td in tr.find_all("td")]
            for tr in soup.find("table", id="rawa-dekking-cijfers").find("tbody")("tr")}
    assert rows["Principe zonder eis"][1:] == ["2", "1", "0", "1", "50%"]
    assert rows["Technische eis zonder realiserende component"][1:] == ["2", "0", "1", "1", "0%"]
    assert rows["Eis zonder beheersmaatregel of standaard"][1:] == ["2", "1", "1", "0", "50%"]
    assert rows["Component waar geen eis om vraagt"][1:] == ["1", "0", "0", "1", "0%"]
    gaps = soup.find("table", id="rawa-dekking-gaten").get_text(" ", strip=True)
    assert "Deze eis richt zich op de organisatie, niet op een component." in gaps
    assert "Geen toelichting: dit gat is open." in gaps


def test_strict_build_fails_on_an_unjustified_gap(tmp_path: Path, rootdir: Path) -> None:
    """The way ``make html`` runs: strict options, exit code not zero."""
    import os
    import sys

    from conftest import STRICT, SUPPORT
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-trace-gap", src)
    env = {**os.environ, "PYTHONPATH": str(SUPPORT)}
    result = subprocess.run([sys.executable, "-m", "sphinx", *STRICT, "-b", "html", str(src),
                             str(tmp_path / "out")], capture_output=True, text=True,
                            check=False, env=env)
    assert result.returncode != 0
    assert re.search(r"index\.md:3: WARNING: .*PRI-B1.*\[rawa\.coverage\]", result.stderr)


def test_diff_reports_added_removed_and_changed_needs(build_root: Build) -> None:
    app, warnings = build_root("trace-diff")
    assert warnings.strip() == ""
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    text = soup.get_text(" ", strip=True)
    assert "vergeleken met versie 0.0.9" in text  # not the later 9.9.9
    summary = {tr("td")[0].get_text(strip=True): [td.get_text(strip=True) for td in tr("td")[1:]]
               for tr in soup.find("table", id="rawa-wijzigingen-overzicht").find("tbody")("tr")}
    assert summary["Normatieve eisen"] == ["1", "1", "1"]
    assert summary["Architectuurprincipes"] == ["0", "0", "1"]
    assert summary["Standaarden"] == ["0", "0", "0"]
    rows = {tr("td")[0].find("p").get_text(strip=True): tr
            for table in soup.select("table[id^=rawa-wijzigingen-]")
            if table["id"] != "rawa-wijzigingen-overzicht"
            for tr in table.find("tbody")("tr")}
    assert set(rows) == {"EIS-TST-01", "EIS-TST-02", "EIS-TST-03", "PRI-B1"}
    assert rows["EIS-TST-02"]("td")[1].get_text(strip=True) == "toegevoegd"
    assert rows["EIS-TST-02"].find("a")["href"] == "#EIS-TST-02"
    assert rows["EIS-TST-03"]("td")[1].get_text(strip=True) == "verwijderd"
    assert rows["EIS-TST-03"].find("a") is None  # a removed need has no page to link to
    changed_principle = rows["PRI-B1"].get_text(" ", strip=True)
    assert "Status: was “concept”, is nu “vastgesteld”" in changed_principle
    assert "Oude tekst van het principe." in changed_principle
    assert "Nieuwe tekst van het principe." in changed_principle
    changed_req = rows["EIS-TST-01"].get_text(" ", strip=True)
    assert "Links 'vervult': toegevoegd PRI-B1; vervallen PRI-B2." in changed_req
    assert "PRI-B2" not in rows


def test_diff_without_baseline_says_so(make_app: Callable[..., Any], tmp_path: Path,
                                       rootdir: Path) -> None:
    srcdir = tmp_path / "nobase"
    shutil.copytree(rootdir / "test-trace-diff", srcdir)
    shutil.rmtree(srcdir / "baselines")
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert app.warning.getvalue().strip() == ""
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    message = soup.find(id="rawa-wijzigingen-geen-basis")
    assert message is not None and "geen eerdere versie" in message.get_text()
    assert soup.find(id="rawa-wijzigingen-overzicht") is None


def test_find_baseline_takes_the_newest_earlier_version(tmp_path: Path) -> None:
    for version in ("0.9.0", "0.10.0", "1.0.0", "1.1.0"):
        (tmp_path / f"needs-{version}.json").write_text("{}", encoding="utf-8")
    assert rawa_diff.find_baseline(tmp_path, "1.0.0").name == "needs-0.10.0.json"
    assert rawa_diff.find_baseline(tmp_path, "2.0.0").name == "needs-1.1.0.json"
    assert rawa_diff.find_baseline(tmp_path, "0.1.0") is None


PARAGRAPHS = [f"Alinea {i:03d} van de lange eis" for i in range(1, 121)]


def _table_spans(tex: str) -> list[tuple[int, int]]:
    spans = []
    for env in ("tabular", "tabulary", "longtable", "tabularx"):
        for start in re.finditer(rf"\\begin{{{env}}}", tex):
            end = tex.find(rf"\end{{{env}}}", start.end())
            spans.append((start.start(), end))
    return spans


def test_long_need_is_not_wrapped_in_a_table_in_latex(build_root: Build) -> None:
    app, warnings = build_root("trace-longneed", "latex")
    assert warnings.strip() == ""
    tex = (app.outdir / "rawa.tex").read_text(encoding="utf-8")
    spans = _table_spans(tex)
    for paragraph in PARAGRAPHS:
        position = tex.find(paragraph)
        assert position >= 0, paragraph
        assert not any(a <= position <= b for a, b in spans), f"{paragraph} is inside a table"
    assert r"\label{\detokenize{index:EIS-TST-01}}" in tex


@pytest.mark.latex
def test_long_need_appears_completely_in_the_pdf(build_root: Build) -> None:
    require_tools("latexmk", "xelatex", "pdftotext")
    app, _ = build_root("trace-longneed", "latex")
    make = subprocess.run(["make", "-C", str(app.outdir),
                           "LATEXMKOPTS=-halt-on-error -interaction=nonstopmode", "all-pdf"],
                          capture_output=True, text=True, check=False)
    assert make.returncode == 0, make.stdout[-3000:]
    text = subprocess.run(["pdftotext", str(app.outdir / "rawa.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    missing = [p for p in PARAGRAPHS if p not in flat]
    assert not missing, missing


def test_exports_are_byte_identical_across_builds(make_app: Callable[..., Any], tmp_path: Path,
                                                  rootdir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795953600")
    outputs = []
    for attempt in ("first", "second"):
        srcdir = tmp_path / attempt
        shutil.copytree(rootdir / "test-trace-diff", srcdir)
        app = make_app("html", srcdir=srcdir, freshenv=True)
        app.build()
        outputs.append([(app.outdir / name).read_bytes()
                        for name in ("rawa-needs.csv", "rawa-toetsingskader.xlsx")])
    assert outputs[0] == outputs[1]


def _cli_build(srcdir: Path, env: dict[str, str] | None = None) -> str:
    """Build ``srcdir`` with the real command line, in a fresh process; its log."""
    variables = {**os.environ, **(env or {}),
                 "PYTHONPATH": str(SUPPORT)}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *STRICT, "-b", "html", "-d",
         str(srcdir / "_build" / "doctrees"), str(srcdir), str(srcdir / "_build" / "html")],
        capture_output=True, text=True, check=False, env=variables, cwd=srcdir,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


def test_adding_a_baseline_updates_the_diff_without_rereading(tmp_path: Path,
                                                               rootdir: Path) -> None:
    srcdir = tmp_path / "later-baseline"
    shutil.copytree(rootdir / "test-trace-diff", srcdir)
    baselines = tmp_path / "baselines"
    shutil.move(srcdir / "baselines", baselines)
    _cli_build(srcdir)
    page = srcdir / "_build" / "html" / "index.html"
    assert "rawa-wijzigingen-geen-basis" in page.read_text(encoding="utf-8")

    shutil.copytree(baselines, srcdir / "baselines")
    log = _cli_build(srcdir)
    assert "0 added, 0 changed, 0 removed" in log, log
    html = page.read_text(encoding="utf-8")
    assert "rawa-wijzigingen-geen-basis" not in html
    assert "vergeleken met versie 0.0.9" in BeautifulSoup(html, "html.parser").get_text(" ")


def test_exports_are_rewritten_only_when_needs_change(tmp_path: Path, rootdir: Path) -> None:
    srcdir = tmp_path / "exports"
    shutil.copytree(rootdir / "test-trace-diff", srcdir)
    epoch = {"SOURCE_DATE_EPOCH": "1795953600"}
    _cli_build(srcdir, epoch)
    outdir = srcdir / "_build" / "html"
    csv_file, xlsx_file = outdir / "rawa-needs.csv", outdir / "rawa-toetsingskader.xlsx"
    written = {f: f.stat().st_mtime_ns for f in (csv_file, xlsx_file)}

    _cli_build(srcdir, epoch)  # nothing changed: the files are left alone
    assert {f: f.stat().st_mtime_ns for f in written} == written

    index = srcdir / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace(
        ":::{principe} Een tweede principe", ":::{principe} Een hernoemd principe"),
        encoding="utf-8")
    _cli_build(srcdir, epoch)
    assert "Een hernoemd principe" in csv_file.read_text(encoding="utf-8-sig")
    assert xlsx_file.stat().st_mtime_ns != written[xlsx_file]
