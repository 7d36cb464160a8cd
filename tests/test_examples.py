"""Issue 18: every machine-readable example is a file that the build shows and the tests run.

The vectors of each use case are evaluated against the use case's Rego policy with
regopy (rego-cpp, in process); requests, responses and decision-log records are
validated against the project's JSON schemas. The mutation tests prove that a wrong
example fails with a message naming the file, the line and the use case, and the build
tests prove that the page shows the tested bytes.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, warnings_at
from rawa_example_check import (
    LOG_SCHEMA,
    REQUEST_SCHEMA,
    RESPONSE_SCHEMA,
    ExampleError,
    Policy,
    check_case,
    check_log_record,
    check_published,
    check_vector_file,
    evaluator_version,
    load_vectors,
    schema_errors,
    vector_files,
)

EXAMPLES = ROOT / "examples"
SCHEMAS = EXAMPLES / "schemas"


def _case_params() -> list[Any]:
    params = []
    for path in vector_files(EXAMPLES):
        try:
            vectors = load_vectors(path)
        except ExampleError as err:  # still collected, so the failure names the file
            params.append(pytest.param(None, None, id=path.name, marks=pytest.mark.xfail(
                reason=str(err), strict=True, raises=AssertionError)))
            continue
        params += [pytest.param(vectors, case, id=f"{vectors.use_case}/{case.id}")
                   for case in vectors.cases]
    return params


@pytest.mark.parametrize(("vectors", "case"), _case_params())
def test_vector_gives_the_expected_decision(vectors: Any, case: Any) -> None:
    assert vectors is not None, "vector file unreadable"
    findings = check_case(vectors, case, Policy(vectors.policy, vectors.query))
    assert not findings, "\n".join(str(f) for f in findings)


def test_every_use_case_with_vectors_has_permit_and_deny_cases() -> None:
    for path in vector_files(EXAMPLES):
        decisions = {case.expected_decision for case in load_vectors(path).cases}
        assert decisions == {True, False}, f"{path}: needs both a permit and a deny case"


def test_uc01_segregation_of_duties_denies() -> None:
    """C22 of the 0.1.0 review: the rule compared an e-mail address with a BSN."""
    vectors = load_vectors(EXAMPLES / "vectors" / "uc01.json")
    case = next(c for c in vectors.cases if c.id == "functiescheiding")
    subject, resource = case.request["subject"], case.request["resource"]
    assert subject["properties"]["bsn"] == resource["properties"]["initiator_bsn"]
    assert case.expected_decision is False
    assert Policy(vectors.policy, vectors.query).decide(case.request) is False


def test_published_request_and_response_fit_the_policy() -> None:
    vectors = load_vectors(EXAMPLES / "vectors" / "uc01.json")
    assert vectors.published, "UC-01 should check the request shown in the text"
    policy = Policy(vectors.policy, vectors.query)
    for pair in vectors.published:
        assert check_published(vectors, pair, policy) == []


@pytest.mark.parametrize("path", sorted((EXAMPLES / "authzen").glob("*.json")), ids=str)
def test_authzen_examples_fit_the_schema(path: Path) -> None:
    schema = REQUEST_SCHEMA if path.stem.endswith("-vraag") else RESPONSE_SCHEMA
    assert path.stem.endswith(("-vraag", "-antwoord")), f"{path}: name it *-vraag or *-antwoord"
    errors = schema_errors(json.loads(path.read_text(encoding="utf-8")), SCHEMAS / schema)
    assert not errors, f"{path}: {errors}"


@pytest.mark.parametrize("path", sorted((EXAMPLES / "beslislog").glob("*.json")), ids=str)
def test_decision_log_records_carry_the_eis_log_01_items(path: Path) -> None:
    findings = check_log_record(path, SCHEMAS / LOG_SCHEMA)
    assert not findings, "\n".join(str(f) for f in findings)


def _requirement_text(need_id: str) -> str:
    text = (ROOT / "source" / "normatief" / "eisen.md").read_text(encoding="utf-8")
    start = text.index(f":id: {need_id}\n")
    return text[start:text.index("\n:::\n", start)]


def test_log_schema_names_what_eis_log_01_asks() -> None:
    """The schema is the attribute list of EIS-LOG-01: each item is in the requirement."""
    schema = json.loads((SCHEMAS / LOG_SCHEMA).read_text(encoding="utf-8"))
    requirement = " ".join(_requirement_text("EIS-LOG-01").split())
    assert schema["x-rawa-eis"] == "EIS-LOG-01"
    assert sorted(schema["required"]) == sorted(schema["properties"])
    for name, member in schema["properties"].items():
        assert member["x-rawa-eis-tekst"] in requirement, name
    assert "acht gegevens" in requirement  # the toetsing counts them
    identity_and_idp = 1  # "de identiteit en haar identity provider" is one item
    assert len(schema["required"]) - identity_and_idp == 8


def test_the_printed_evaluator_version_is_the_pinned_one() -> None:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert f"regopy=={evaluator_version()}" in lock.splitlines()


# -- a wrong example fails, naming file, line and use case -------------------------------


@pytest.fixture
def examples_copy(tmp_path: Path) -> Path:
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def test_a_flipped_expectation_fails_naming_file_line_and_use_case(examples_copy: Path) -> None:
    vector = examples_copy / "vectors" / "uc01.json"
    data = json.loads(vector.read_text(encoding="utf-8"))
    next(c for c in data["cases"] if c["id"] == "functiescheiding")["expected_decision"] = True
    vector.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    messages = [str(f) for f in check_vector_file(vector)]
    line = _line(vector, '"id": "functiescheiding"')
    assert messages == [f"{vector}:{line}: UC-01, geval 'functiescheiding': verwacht besluit "
                        "'toestaan', maar beleid uc01.rego geeft 'weigeren'"]


def test_an_attribute_renamed_in_the_policy_fails(examples_copy: Path) -> None:
    _edit(examples_copy / "policies" / "uc01.rego", "medewerker.team", "medewerker.afdeling")
    messages = [str(f) for f in check_vector_file(examples_copy / "vectors" / "uc01.json")]
    assert any("UC-01, geval 'eigen-team': verwacht besluit 'toestaan', maar beleid "
               "uc01.rego geeft 'weigeren'" in m for m in messages), messages
    assert any("uc01-antwoord.json" in m and "'toestaan'" in m for m in messages), messages


def test_an_attribute_renamed_in_the_published_request_fails(examples_copy: Path) -> None:
    request = examples_copy / "authzen" / "uc01-vraag.json"
    _edit(request, '"initiator_bsn"', '"initiator"')
    messages = [str(f) for f in check_vector_file(examples_copy / "vectors" / "uc01.json")]
    response = examples_copy / "authzen" / "uc01-antwoord.json"
    line = _line(response, '"decision"')
    assert messages == [f"{response}:{line}: UC-01: het antwoord "
                        "zegt 'toestaan', maar beleid uc01.rego geeft voor uc01-vraag.json "
                        "'weigeren'"]


def test_the_0_1_0_policy_is_caught_by_the_segregation_of_duties_case(
        examples_copy: Path) -> None:
    """Comparing the e-mail address with the BSN (C22) never denies: the case catches it."""
    _edit(examples_copy / "policies" / "uc01.rego", "medewerker.bsn != zaak.initiator_bsn",
          "input.subject.id != zaak.initiator_bsn")
    messages = [str(f) for f in check_vector_file(examples_copy / "vectors" / "uc01.json")]
    assert any("geval 'functiescheiding': verwacht besluit 'weigeren', maar beleid uc01.rego "
               "geeft 'toestaan'" in m for m in messages), messages


def test_a_request_outside_the_authzen_schema_fails(examples_copy: Path) -> None:
    vector = examples_copy / "vectors" / "uc09.json"
    data = json.loads(vector.read_text(encoding="utf-8"))
    data["cases"][0]["request"]["action"] = {"naam": "lezen"}
    vector.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    messages = [str(f) for f in check_vector_file(vector)]
    assert any(m.startswith(f"{vector}:") and "UC-09, geval 'lezen-binnen-tijdvak': de vraag "
               "past niet bij het AuthZEN-schema: \"name\" is a required property (bij action)"
               in m for m in messages), messages


def test_a_log_record_without_trace_id_fails(examples_copy: Path) -> None:
    record = examples_copy / "beslislog" / "uc01-besluit.json"
    _edit(record, '  "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",\n', "")
    assert [str(f) for f in check_log_record(record, examples_copy / "schemas" / LOG_SCHEMA)] \
        == [f"{record}:1: het besluitrecord mist een gegeven uit EIS-LOG-01 of heeft een "
            "verkeerde waarde: \"trace_id\" is a required property (bij (hoofdniveau))"]


def test_broken_json_and_broken_rego_are_findings_not_tracebacks(examples_copy: Path) -> None:
    vector = examples_copy / "vectors" / "uc03.json"
    _edit(vector, '"use_case": "UC-03",', '"use_case": "UC-03"')
    assert [str(f) for f in check_vector_file(vector)] == [
        f"{vector}:3: geen geldige JSON: Expecting ',' delimiter"]
    policy = examples_copy / "policies" / "uc04.rego"
    _edit(policy, "default allow := false", "default allow = := false")
    messages = [str(f) for f in check_vector_file(examples_copy / "vectors" / "uc04.json")]
    assert messages == [f"{policy}:9: Rego-fout: Invalid assignment operator"]


# -- the build: the page shows the tested bytes, and a wrong example fails it ------------


def _code_text(page: str, anchor: str) -> str:
    """The text of the code block with HTML id ``anchor``, as a reader copies it."""
    start = page.index(f'id="{anchor}"')
    pre = re.search(r"<pre>(.*?)</pre>", page[start:], re.S)
    assert pre, anchor
    return html.unescape(re.sub(r"<[^>]+>", "", pre.group(1)))


@pytest.mark.parametrize(("page", "anchor", "source"), [
    ("architectuur/gebruikscases.html", "code-uc01-beleid", "policies/uc01.rego"),
    ("architectuur/implementatie.html", "code-beleid-uc01", "policies/uc01.rego"),
    ("architectuur/gebruikscases.html", "code-uc10-beleid", "policies/uc10.rego"),
    ("architectuur/referentiearchitectuur.html", "code-authzen-vraag", "authzen/uc01-vraag.json"),
    ("architectuur/referentiearchitectuur.html", "code-authzen-antwoord",
     "authzen/uc01-antwoord.json"),
    ("normatief/eisen.html", "code-beslislog-uc01", "beslislog/uc01-besluit.json"),
])
def test_published_snippet_is_byte_identical_to_the_tested_file(
        html_build: Path, page: str, anchor: str, source: str) -> None:
    shown = _code_text((html_build / page).read_text(encoding="utf-8"), anchor)
    assert shown.encode("utf-8") == (EXAMPLES / source).read_bytes()


def test_use_case_pages_show_the_test_table_and_the_evaluator(html_build: Path) -> None:
    page = (html_build / "architectuur" / "gebruikscases.html").read_text(encoding="utf-8")
    for path in vector_files(EXAMPLES):
        vectors = load_vectors(path)
        start = page.index(f'id="rawa-testgevallen-{vectors.use_case.lower()}"')
        table = page[start:page.index("</table>", start)]
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in
                 re.findall(r"<td><p>(.*?)</p></td>", table, re.S)]
        expected = [[c.id, c.situation, "toestaan" if c.expected_decision else "weigeren"]
                    for c in vectors.cases]
        assert [cells[i:i + 3] for i in range(0, len(cells), 3)] == expected
    assert page.count(f"automatisch getest met regopy {evaluator_version()} (rego-cpp)") \
        == len(list(vector_files(EXAMPLES)))




def test_a_wrong_example_fails_the_build_at_the_page_line(
        make_app: Any, tmp_path: Path, rootdir: Path) -> None:
    srcdir = tmp_path / "examples"
    shutil.copytree(rootdir / "test-examples", srcdir)
    shutil.copytree(EXAMPLES, srcdir / "examples")
    _edit(srcdir / "examples" / "policies" / "uc01.rego", "medewerker.bsn != zaak.initiator_bsn",
          "input.subject.id != zaak.initiator_bsn")
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    vector_line = _line(srcdir / "examples" / "vectors" / "uc01.json",
                        '"id": "functiescheiding"')
    expected = (f"examples/vectors/uc01.json:{vector_line}: UC-01, geval 'functiescheiding': "
                "verwacht besluit 'weigeren', maar beleid uc01.rego geeft 'toestaan' "
                "[rawa.examples]")
    assert warnings_at(app.warning.getvalue(), "examples", 3, expected), app.warning.getvalue()


def test_a_missing_vector_file_is_a_warning_not_a_traceback(
        make_app: Any, tmp_path: Path, rootdir: Path) -> None:
    srcdir = tmp_path / "examples"
    shutil.copytree(rootdir / "test-examples", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    expected = ("examples/vectors/uc01.json:1: bestand niet te lezen: No such file or directory "
                "[rawa.examples]")
    assert warnings_at(app.warning.getvalue(), "examples", 3, expected), app.warning.getvalue()


def test_a_correct_example_builds_without_warnings_in_html_and_latex(
        make_app: Any, tmp_path: Path, rootdir: Path) -> None:
    srcdir = tmp_path / "examples"
    shutil.copytree(rootdir / "test-examples", srcdir)
    shutil.copytree(EXAMPLES, srcdir / "examples")
    for builder in ("html", "latex"):
        app = make_app(builder, srcdir=srcdir, freshenv=True)
        app.build()
        assert "rawa.examples" not in app.warning.getvalue(), app.warning.getvalue()
    tex = next((app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert "Testgevallen bij UC\\sphinxhyphen{}01" in tex
    assert "functiescheiding" in tex


def test_a_renamed_package_is_a_finding(examples_copy: Path) -> None:
    policy = examples_copy / "policies" / "uc09.rego"
    _edit(policy, "package rawa.uc09", "package rawa.robot")
    assert [str(f) for f in check_vector_file(examples_copy / "vectors" / "uc09.json")] == [
        f"{policy}:1: 'data.rawa.uc09.allow' geeft geen uitkomst; klopt de package-naam?"]
