"""Issue 21, classes 3, 4 and 7: exports stay text, settings give messages, releases refuse.

Each case runs the real command line (sphinx-build or a tool) and checks the exit status,
the ``file:line`` in the message, that no traceback or bug-report request is printed, and
what is left on disk.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, STRICT, SUPPORT

ROOTS = Path(__file__).parent / "roots"
EXPORTS = ("rawa-needs.csv", "rawa-toetsingskader.xlsx")
CRASH_SIGNS = ("Traceback", "please open an issue", "report this")


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    variables = {**os.environ, "PYTHONPATH": str(SUPPORT),
                 **(env or {})}
    return subprocess.run(cmd, cwd=cwd, env=variables, capture_output=True, text=True,
                          check=False)


def build(srcdir: Path, confdir: Path | None = None, env: dict[str, str] | None = None
          ) -> subprocess.CompletedProcess[str]:
    """The strict HTML build of ``srcdir``, as the Makefile runs it."""
    conf = ["-c", str(confdir)] if confdir else []
    return run([sys.executable, "-m", "sphinx", *STRICT, *conf, "-b", "html", "-d",
                str(srcdir / "_build" / "doctrees"), str(srcdir), str(srcdir / "_build" / "html")],
               cwd=confdir or srcdir, env=env)


def assert_clean_failure(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for sign in CRASH_SIGNS:
        assert sign not in output, output
    return output


def copy_root(name: str, dest: Path) -> Path:
    shutil.copytree(ROOTS / f"test-{name}", dest)
    return dest


# -- class 3: exports -----------------------------------------------------------------------


def test_formula_like_values_are_text_in_every_export(tmp_path: Path) -> None:
    srcdir = copy_root("export-formulas", tmp_path / "formulas")
    result = build(srcdir)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    out = srcdir / "_build" / "html"
    needs_json = json.loads((out / "needs.json").read_text(encoding="utf-8"))
    needs = needs_json["versions"][needs_json["current_version"]]["needs"]
    assert needs["PRI-B1"]["title"].startswith("=HYPERLINK(")  # JSON: unchanged

    with zipfile.ZipFile(out / "rawa-toetsingskader.xlsx") as xlsx:
        sheets = {n: xlsx.read(n).decode() for n in xlsx.namelist()
                  if n.startswith("xl/worksheets/") and n.endswith(".xml")}
        rels = "".join(xlsx.read(n).decode() for n in xlsx.namelist() if n.endswith(".rels"))
    assert sheets
    for name, xml in sheets.items():
        assert "<hyperlink" not in xml, f"hyperlink in {name}"
        # the only formulas are the workbook's own (issue 15): never text from a need
        for formula in re.findall(r"<f>(.*?)</f>", xml):
            assert "HYPERLINK" not in formula and "1+1" not in formula, (name, formula)
            assert "SUM(A1" not in formula and "+31" not in formula, (name, formula)
        # every other filled cell is a string; an empty one (<c .../>, <c ...></c>) is not
        # the workbook's own numbers (level from which a requirement is mandatory, a tally
        # of 0) are small integers; nothing from a need is
        filled = [re.search(r'\bt="([^"]*)"', attrs)
                  for attrs, body in re.findall(r"<c ([^>]*[^/])>(.*?)</c>", xml)
                  if body and "<f>" not in body
                  and not ('t="n"' in attrs and re.fullmatch(r"<v>[0-4]</v>", body))]
        filled = [m[1] if m else "n" for m in filled]
        assert filled and set(filled) <= {"inlineStr", "s"}, f"non-string cell in {name}"
    assert "relationships/hyperlink" not in rels

    workbook = openpyxl.load_workbook(out / "rawa-toetsingskader.xlsx")
    own_formulas = {"Toetsingskader", "Eis per object", "Volwassenheid", "BIO2-overzicht"}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                if cell.data_type == "f":
                    assert sheet.title in own_formulas, (sheet.title, cell.coordinate)
                elif cell.data_type == "n":
                    assert isinstance(cell.value, int), (sheet.title, cell.coordinate)
                else:
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
    frame = workbook["Toetsingskader"]
    row = {frame.cell(1, c).value: frame.cell(2, c) for c in range(1, frame.max_column + 1)}
    assert row["Titel"].value == "#N/A" and row["Titel"].data_type == "s"
    assert row["Hoe toetst u dit"].value == "=1+1" and row["Hoe toetst u dit"].data_type == "s"
    principles = workbook["Architectuurprincipes"]  # the sheet of the first need type
    texts = {cell.value for r in principles.iter_rows(min_row=2) for cell in r}
    assert needs["PRI-B1"]["title"] in texts
    assert "+31 20 123 4567 is het nummer." in texts and "@SUM(A1:A9) is geen formule." in texts

    csv_text = (out / "rawa-needs.csv").read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(csv_text), delimiter=";") for cell in row]
    assert "'=1+1" in cells and "'+31 20 123 4567 is het nummer." in cells
    assert "'@SUM(A1:A9) is geen formule." in cells
    assert "'=HYPERLINK(\"https://example.org/\",\"klik hier\")" in cells
    assert any(c.startswith("'-2+3 is tekst") for c in cells)
    assert "#N/A" in cells  # not a formula trigger: left as it is
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], "formula cell"
    # every cell quoted: a spreadsheet that splits on commas still keeps "het,=1+1" whole
    for line in csv_text.splitlines():
        assert line.startswith('"') and line.endswith('"'), line
        assert all(part.startswith('"') for part in re.split(r'(?<=");(?=")', line)), line


def fence_line(page: Path, start: str) -> int:
    """The line of ``page`` that starts with ``start`` (a need's opening fence)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, 1) if line.startswith(start)]
    return number


def test_control_character_stops_the_exports_and_removes_old_ones(tmp_path: Path) -> None:
    srcdir = copy_root("bad-export-control", tmp_path / "control")
    out = srcdir / "_build" / "html"
    out.mkdir(parents=True)
    for name in EXPORTS:  # exports of an earlier build
        (out / name).write_bytes(b"old export")
    output = assert_clean_failure(build(srcdir))
    eis, principe = (fence_line(srcdir / "index.md", s) for s in (":::{eis}", ":::{principe}"))
    assert re.search(rf"index\.md:{eis}: WARNING: Need EIS-TST-01: veld 'toetsing' bevat een "
                     r"stuurteken \(U\+0007\).*\[rawa\.export\]", output), output
    assert re.search(rf"index\.md:{principe}: WARNING: Need PRI-B1: veld 'tekst' bevat een "
                     r"stuurteken \(U\+001B\)", output), output
    for name in EXPORTS:
        assert not (out / name).exists(), f"stale {name} left in place"
    assert not list(out.glob(".*.tmp"))


# -- class 4: settings and data files -------------------------------------------------------


def scratch_conf(tmp_path: Path, toml: str | bytes | None) -> Path:
    """conf.py and publicatie.toml in a scratch folder; ``toml=None``: no file at all."""
    confdir = tmp_path / "project"
    confdir.mkdir()
    shutil.copy(ROOT / "conf.py", confdir / "conf.py")
    if isinstance(toml, str):
        (confdir / "publicatie.toml").write_text(toml, encoding="utf-8")
    elif isinstance(toml, bytes):
        (confdir / "publicatie.toml").write_bytes(toml)
    return confdir


REAL_TOML = (ROOT / "publicatie.toml").read_text(encoding="utf-8")


def toml_with(old: str, new: str) -> str:
    assert old in REAL_TOML
    return REAL_TOML.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    return text[:text.index(fragment)].count("\n") + 1


# (case, publicatie.toml text, expected location, text in the message)
TOML_CASES = [
    ("syntax", toml_with('titel = "', 'titel = '), "publicatie.toml:3:", "geen geldige TOML"),
    ("type", toml_with('versie = "0.1.0"', "versie = 1"), "publicatie.toml:6:",
     "moet tekst tussen aanhalingstekens zijn"),
    ("date", toml_with('datum = "2026-11-29"', 'datum = "2026-02-30"'), "publicatie.toml:8:",
     "geen geldige datum"),
    ("missing", toml_with('uitgever = "RAWA-projectgroep"\n', ""), "publicatie.toml:",
     "de sleutel 'uitgever' ontbreekt"),
    ("status", toml_with('status = "Werkversie"', 'status = "Concept"'), "publicatie.toml:7:",
     "status 'Concept' is niet een van"),
    ("version", toml_with('versie = "0.1.0"', 'versie = "0.1"'), "publicatie.toml:6:",
     "geen versienummer van de vorm x.y.z"),
    ("url", toml_with('RAWA/"', 'RAWA"'), f"publicatie.toml:{line_of(REAL_TOML, 'basis_url =')}:",
     "moet eindigen op een schuine streep"),
    ("unknown-key", REAL_TOML + 'auteur = "Iemand"\n',
     f"publicatie.toml:{REAL_TOML.count(chr(10)) + 1}:", "onbekende sleutel 'auteur'"),
    ("latin-1", REAL_TOML.replace("API's voor", "API's v\u00f3\u00f3r").encode("latin-1"),
     "publicatie.toml:5:", "niet opgeslagen als UTF-8"),
    ("absent", None, "publicatie.toml:", "kan niet gelezen worden"),
]


@pytest.mark.parametrize(("toml", "location", "expected"), [c[1:] for c in TOML_CASES],
                         ids=[c[0] for c in TOML_CASES])
def test_publication_mistakes_give_one_message(tmp_path: Path, toml: str | bytes | None,
                                               location: str, expected: str) -> None:
    confdir = scratch_conf(tmp_path, toml)
    srcdir = copy_root("minimal", tmp_path / "src")
    result = build(srcdir, confdir)
    output = assert_clean_failure(result)
    assert result.returncode == 2
    messages = [line for line in result.stderr.splitlines() if "[rawa.settings]" in line]
    assert messages and all(line.startswith(f"{location} ERROR: ") or
                            line.startswith("publicatie.toml:") for line in messages), output
    assert any(line.startswith(location) and expected in line for line in messages), output
    assert not (srcdir / "_build" / "html" / "index.html").exists()


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("SOURCE_DATE_EPOCH", "gisteren", "SOURCE_DATE_EPOCH: ERROR: de omgevingsvariabele"),
    ("SOURCE_DATE_EPOCH", "", "SOURCE_DATE_EPOCH: ERROR: de omgevingsvariabele"),
    ("SOURCE_DATE_EPOCH", "1.5", "geen geheel aantal seconden"),
    ("SOURCE_DATE_EPOCH", "99999999999999999", "tot uiterlijk het jaar 9999"),
    ("RAWA_BASE_URL", "https://example.org/rawa", "moet eindigen op een schuine streep"),
])
def test_environment_mistakes_give_one_message(tmp_path: Path, variable: str, value: str,
                                               expected: str) -> None:
    confdir = scratch_conf(tmp_path, REAL_TOML)
    srcdir = copy_root("minimal", tmp_path / "src")
    result = build(srcdir, confdir, env={variable: value})
    output = assert_clean_failure(result)
    assert expected in result.stderr and "[rawa.settings]" in result.stderr, output


def test_page_not_in_utf8_names_file_and_line(tmp_path: Path) -> None:
    srcdir = copy_root("minimal", tmp_path / "latin1")
    page = srcdir / "index.md"
    text = page.read_text(encoding="utf-8") + "\nEen caf\u00e9 met cr\u00e8me.\n"
    page.write_bytes(text.encode("latin-1"))
    output = assert_clean_failure(build(srcdir))
    line = text.count("\n", 0, text.index("caf\u00e9")) + 1
    assert re.search(rf"index\.md:{line}: WARNING: de pagina is niet opgeslagen als UTF-8: "
                     r"byte 0xE9 .*\[rawa\.encoding\]", output), output


@pytest.mark.parametrize(("damage", "location", "expected"), [
    ("json", "baselines/needs-0.0.9.json:5:", "geen geldige JSON"),
    ("format", "baselines/needs-0.0.9.json:1:", "niet het formaat van needs.json"),
    ("latest", "baselines/LATEST:1:", "LATEST noemt needs-0.0.8.json, maar dat bestand"),
    ("no-type", "baselines/needs-0.0.9.json:1:", "heeft geen soort ('type')"),
])
def test_damaged_baselines_give_a_located_warning(tmp_path: Path, damage: str, location: str,
                                                   expected: str) -> None:
    srcdir = copy_root("trace-diff", tmp_path / "diff")
    baseline = srcdir / "baselines" / "needs-0.0.9.json"
    lines = baseline.read_text(encoding="utf-8").split("\n")
    if damage == "json":
        lines[4] += ","
        baseline.write_text("\n".join(lines), encoding="utf-8")
    elif damage == "format":
        baseline.write_text('{"current_version": "0.0", "versions": {}}\n', encoding="utf-8")
    elif damage == "no-type":
        baseline.write_text('{"current_version": "0.0.9", "versions": {"0.0.9": {"needs": '
                            '{"EIS-WEG-01": {}}}}}\n', encoding="utf-8")
    else:
        (srcdir / "baselines" / "LATEST").write_text("needs-0.0.8.json\n", encoding="utf-8")
    output = assert_clean_failure(build(srcdir))
    assert re.search(rf"{re.escape(location)} WARNING: [^\n]*{re.escape(expected)}"
                     r"[^\n]*\[rawa\.baseline\]", output), output


def test_make_baseline_reports_a_damaged_needs_json(tmp_path: Path) -> None:
    (tmp_path / "publicatie.toml").write_text('versie = "1.0.0"\n', encoding="utf-8")
    (tmp_path / "needs.json").write_text('{"current_version": "1.0",\n  "versions": \n',
                                         encoding="utf-8")
    result = run([sys.executable, str(ROOT / "tools" / "make_baseline.py"), "--needs-json",
                  "needs.json", "--baselines", "baselines", "--publication", "publicatie.toml"],
                 cwd=tmp_path)
    assert_clean_failure(result)
    assert result.stderr.startswith("needs.json:3: geen geldige JSON"), result.stderr
    assert not (tmp_path / "baselines").exists()


# -- class 7: releases refuse to overwrite --------------------------------------------------

NEEDS = {"current_version": "1.0", "versions": {"1.0": {"needs": {}}}}


def test_make_baseline_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "publicatie.toml").write_text('versie = "1.0.0"\n', encoding="utf-8")
    (tmp_path / "needs.json").write_text(json.dumps(NEEDS), encoding="utf-8")
    existing = tmp_path / "baselines" / "needs-1.0.0.json"
    existing.parent.mkdir()
    existing.write_text("released", encoding="utf-8")
    cmd = [sys.executable, str(ROOT / "tools" / "make_baseline.py"), "--needs-json",
           "needs.json", "--baselines", "baselines", "--publication", "publicatie.toml"]
    result = run(cmd, cwd=tmp_path)
    assert_clean_failure(result)
    assert result.stderr.startswith("baselines/needs-1.0.0.json: versie 1.0.0 heeft al een "
                                    "basislijn"), result.stderr
    assert existing.read_text(encoding="utf-8") == "released"
    assert run([*cmd, "--overwrite"], cwd=tmp_path).returncode == 0
    assert json.loads(existing.read_text(encoding="utf-8"))["current_version"] == "1.0"


def release_scratch(tmp_path: Path, changelog: str) -> Path:
    root = tmp_path / "rawa"
    (root / "baselines").mkdir(parents=True)
    (root / "publicatie.toml").write_text(REAL_TOML, encoding="utf-8")
    (root / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    return root


CHANGELOG = ("# Wijzigingslog\n\n## Nog niet uitgebracht\n\n- Nieuwe eis.\n\n"
             "## 1.0.0 (Vastgestelde versie, 2026-06-01)\n\n- Eerste versie.\n")


@pytest.mark.parametrize(("existing", "location"), [
    ("changelog", "CHANGELOG.md:7:"),
    ("baseline", "baselines/needs-1.0.0.json:"),
    ("tag", "git-tag v1.0.0:"),
])
def test_release_refuses_a_released_version(tmp_path: Path, existing: str,
                                            location: str) -> None:
    changelog = CHANGELOG if existing == "changelog" else CHANGELOG.replace("1.0.0", "0.9.0")
    root = release_scratch(tmp_path, changelog)
    if existing == "baseline":
        (root / "baselines" / "needs-1.0.0.json").write_text("{}", encoding="utf-8")
    if existing == "tag":  # a tag with no baseline or changelog section: released all the same
        for git in (["init", "-q"], ["-c", "user.name=t", "-c", "user.email=t@example.org",
                                      "commit", "-q", "--allow-empty", "-m", "x"],
                    ["tag", "v1.0.0"]):
            subprocess.run(["git", *git], cwd=root, check=True, capture_output=True)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}
    result = run([sys.executable, str(ROOT / "tools" / "release.py"), "1.0.0",
                  "Vastgestelde versie", "--root", str(root), "--check", "false"], cwd=root)
    assert_clean_failure(result)
    assert result.returncode == 1
    assert result.stderr.startswith(location) and "--overwrite" in result.stderr, result.stderr
    assert "release: false" not in result.stdout, "checks ran before the refusal"
    assert {p: p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".git" not in p.parts} == before


@pytest.mark.parametrize("version", ["0.02.0", "01.0.0", "1.0.00"])
def test_release_refuses_a_version_with_leading_zeros(tmp_path: Path, version: str) -> None:
    """0.02.0 is 0.2.0 to every version comparison: a second name for one release."""
    root = release_scratch(tmp_path, CHANGELOG)
    result = run([sys.executable, str(ROOT / "tools" / "release.py"), version,
                  "Vastgestelde versie", "--root", str(root), "--check", "false"], cwd=root)
    assert_clean_failure(result)
    assert "zonder voorloopnullen" in result.stderr, result.stderr


def test_hidden_format_characters_stop_the_exports(tmp_path: Path) -> None:
    """A right-to-left override or zero-width space makes an ID or title read otherwise."""
    srcdir = copy_root("bad-export-control", tmp_path / "hidden")
    page = srcdir / "index.md"
    text = page.read_text(encoding="utf-8")
    text = "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 32)  # only the new faults
    text = text.replace(":::{eis} Een geldige eis", ":::{eis} Een \u202egeldige\u200b eis")
    page.write_text(text, encoding="utf-8")
    output = assert_clean_failure(build(srcdir))
    eis = fence_line(page, ":::{eis}")
    assert re.search(rf"index\.md:{eis}: WARNING: Need EIS-TST-01: veld 'titel' bevat een "
                     r"stuurteken \(U\+200B, U\+202E\)", output), output


def test_overwrite_replaces_the_changelog_section() -> None:
    import release

    text = release.add_changelog_section(CHANGELOG, "1.0.0", "Vastgestelde versie",
                                         dt.date(2026, 7, 1), overwrite=True)
    assert text.count("## 1.0.0") == 1
    assert "## 1.0.0 (Vastgestelde versie, 2026-07-01)\n\n- Nieuwe eis.\n\n- Eerste versie.\n" \
        in text
    with pytest.raises(release.ReleaseError, match=r"^CHANGELOG\.md:7: versie 1\.0\.0"):
        release.add_changelog_section(CHANGELOG, "1.0.0", "Vastgestelde versie",
                                      dt.date(2026, 7, 1))


def test_release_reports_a_broken_publication_file(tmp_path: Path) -> None:
    root = release_scratch(tmp_path, CHANGELOG.replace("1.0.0", "0.9.0"))
    (root / "publicatie.toml").write_text(toml_with('datum = "2026-11-29"',
                                                    'datum = "29-11-2026"'), encoding="utf-8")
    result = run([sys.executable, str(ROOT / "tools" / "release.py"), "1.0.0",
                  "Vastgestelde versie", "--root", str(root), "--check", "false"], cwd=root)
    assert_clean_failure(result)
    assert re.search(r"publicatie\.toml:8: datum 29-11-2026 is geen geldige datum",
                     result.stderr), result.stderr
