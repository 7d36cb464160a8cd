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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, warnings_at

from rawa.checks.example_check import (
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
    findings = check_case(vectors, case, Policy.of(vectors))
    assert not findings, "\n".join(str(f) for f in findings)


def test_every_use_case_with_vectors_has_permit_and_deny_cases() -> None:
    for path in vector_files(EXAMPLES):
        decisions = {case.expected_decision for case in load_vectors(path).cases}
        assert decisions == {True, False}, f"{path}: needs both a permit and a deny case"


def test_uc01_segregation_of_duties_denies_through_the_shared_rule() -> None:
    """C22 and M11: the PIP reports the employee as initiator; the shared denial wins.

    The case differs from the permitted 'eigen-team' only in what the PIP reports, and the
    use case's own rule would permit it: the denial comes from the shared rule that the PDP
    combines with every policy (deny overrides)."""
    vectors = load_vectors(EXAMPLES / "vectors" / "uc01.json")
    case = next(c for c in vectors.cases if c.id == "functiescheiding")
    assert case.derived_from == "eigen-team"
    assert case.changes == ("data/pip/zaakrelaties/ZAAK-2026-000123/mdw-004211/"
                            "medewerker_is_initiator",)
    assert "bsn" not in json.dumps(case.request)  # no employee BSN in the request (M1)
    assert Policy.of(vectors).decide(case.request, case.data) is False
    assert Policy(vectors.policy, "data.rawa.uc01.allow").decide(case.request, case.data)
    saas = load_vectors(EXAMPLES / "vectors" / "uc08.json")
    via_saas = next(c for c in saas.cases if c.id == "eigen-zaak-via-saas")
    assert Policy.of(saas).decide(via_saas.request, via_saas.data) is False


def test_every_denial_is_derived_from_a_permit(examples_copy: Path) -> None:
    """M10: a denial written out in full could be denied for another reason than its text
    says; the checker refuses it."""
    vector = examples_copy / "vectors" / "uc02.json"
    data = json.loads(vector.read_text(encoding="utf-8"))
    case = next(c for c in data["cases"] if c["id"] == "geen-betrokkene")
    base = next(c for c in data["cases"] if c["id"] == "behandelaar-bijstand")
    del case["derived_from"], case["set"]
    case["request"] = json.loads(json.dumps(base["request"]))
    case["request"]["resource"]["id"] = "999995078"
    vector.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    line = _line(vector, '"id": "geen-betrokkene"')
    assert [str(f) for f in check_vector_file(vector)] == [
        f"{vector}:{line}: UC-02, geval 'geen-betrokkene': een geval dat 'weigeren' verwacht, "
        "moet met 'derived_from' afgeleid zijn van een geval dat 'toestaan' verwacht"]


@pytest.mark.parametrize(("change", "message"), [
    ({"set": {"request/action/name": "lezen"}},
     "pad 'request/action/name' heeft die waarde al; de wijziging verandert niets"),
    ({"remove": ["request/context/bestaat_niet"]},
     "pad 'request/context/bestaat_niet' bestaat niet; verwijderen verandert niets"),
    ({"set": {"verzoek/action/name": "x"}}, "pad 'verzoek/action/name' begint niet met "
     "request/ of data/"),
    ({"set": {}}, "een afgeleid geval noemt in 'set' of 'remove' wat er anders is"),
])
def test_a_derived_case_must_change_something(examples_copy: Path, change: dict[str, Any],
                                              message: str) -> None:
    vector = examples_copy / "vectors" / "uc02.json"
    data = json.loads(vector.read_text(encoding="utf-8"))
    case = next(c for c in data["cases"] if c["id"] == "andere-actie")
    case.pop("set")
    case.update(change)
    vector.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    line = _line(vector, '"id": "andere-actie"')
    assert [str(f) for f in check_vector_file(vector)] == [
        f"{vector}:{line}: UC-02, geval 'andere-actie': {message}"]


def test_uc10_marks_permits_and_flags_refused_attempts() -> None:
    """M3: a permit carries the activation's reference; a refused attempt with a reason
    gets a signal for monitoring (EIS-LOG-05)."""
    vectors = load_vectors(EXAMPLES / "vectors" / "uc10.json")
    policy = Policy.of(vectors)
    for case in vectors.cases:
        kenmerk = policy.evaluate(case.request, case.data, "data.rawa.uc10.kenmerk")
        signaal = policy.evaluate(case.request, case.data, "data.rawa.uc10.signaal")
        assert kenmerk == (["CAL-2026-0042"] if case.expected_decision else []), case.id
        refused_with_reason = not case.expected_decision and "reden" in case.request["context"]
        assert signaal == (["noodtoegang_geweigerd"] if refused_with_reason else []), case.id


@pytest.mark.parametrize("use_case", ["uc01", "uc10"])
def test_published_request_and_response_fit_the_policy(use_case: str) -> None:
    vectors = load_vectors(EXAMPLES / "vectors" / f"{use_case}.json")
    assert vectors.published, f"{use_case} should check the request shown in the text"
    policy = Policy.of(vectors)
    decisions = set()
    for pair in vectors.published:
        assert check_published(vectors, pair, policy) == []
        decisions.add(json.loads(pair.response.read_text(encoding="utf-8"))["decision"])
    assert decisions == ({True, False} if use_case == "uc01" else {True})


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


def test_log_records_show_a_denial_break_glass_and_both_identities() -> None:
    """M14, M3, M5, M9: besides a permit the examples show a denial with its reason, a
    break-glass decision with its reference, a decision on behalf of someone, and the
    privacy officer's search, each with a reference its request or response also has."""
    records = {p.stem: json.loads(p.read_text(encoding="utf-8"))
               for p in (EXAMPLES / "beslislog").glob("*.json")}
    assert records["uc01-weigering"]["besluit"] is False
    assert records["uc01-weigering"]["weigerredenen"] == ["functiescheiding"]
    answer = json.loads((EXAMPLES / "authzen" / "uc10-antwoord.json").read_text("utf-8"))
    assert [records["uc10-besluit"]["noodtoegang"]["kenmerk"]] == answer["context"]["kenmerk"]
    assert records["uc04-besluit"]["namens"]["id"] != records["uc04-besluit"]["identiteit"]["id"]
    assert records["uc11-zoekactie"]["actie"] == "doorzoeken"
    for name in ("uc01-antwoord", "uc01-functiescheiding-antwoord", "uc10-antwoord"):
        response = json.loads((EXAMPLES / "authzen" / f"{name}.json").read_text("utf-8"))
        assert set(response["context"]["beleid"]) == {"naam", "versie"}  # as in the log


def test_every_request_names_its_client() -> None:
    """M14: EIS-LOG-01 logs the client, so every request carries it."""
    for path in vector_files(EXAMPLES):
        for case in load_vectors(path).cases:
            assert case.request["context"]["client_id"], (path.name, case.id)


#: how the toetsing of EIS-LOG-01 and the text under it count the items of its list
COUNT_WORDS = {"acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13}


def _log_01_items() -> list[str]:
    """The items of the list in the sentence of EIS-LOG-01, without their explanations."""
    block = _requirement_text("EIS-LOG-01")
    sentence = " ".join(block[block.rindex("\n\n"):].split())
    listed = re.sub(r" \([^)]*\)", "", sentence.split("met ten minste:", 1)[1]).rstrip(".")
    return [re.sub(r"^en ", "", item.strip()) for item in listed.split(",")]


def test_log_schema_names_what_eis_log_01_asks() -> None:
    """The schema's required members are exactly the list of EIS-LOG-01, both ways."""
    schema = json.loads((SCHEMAS / LOG_SCHEMA).read_text(encoding="utf-8"))
    assert schema["x-rawa-eis"] == "EIS-LOG-01"
    items = _log_01_items()
    words = {name: schema["properties"][name]["x-rawa-eis-tekst"] for name in schema["required"]}
    for name, text in words.items():  # every required member names one item
        assert [item for item in items if text in item] != [], (name, text, items)
    for item in items:  # every item has a required member: the schema cannot fall behind
        assert any(text in item for text in words.values()), f"schema mist: {item!r}"
    for name in set(schema["properties"]) - set(schema["required"]):  # what others add
        assert re.fullmatch(r"(EIS-[A-Z]+-\d\d|UC-\d\d)", schema["properties"][name]["x-rawa-eis"])
    requirement = " ".join(_requirement_text("EIS-LOG-01").split())
    counted = re.search(r"alle (\w+) gegevens uit de eis", requirement)
    assert counted and COUNT_WORDS[counted.group(1)] == len(items), (counted, items)
    page = " ".join((ROOT / "source" / "normatief" / "eisen.md").read_text("utf-8").split())
    said = re.search(r"zet de (\w+) gegevens uit \{need\}`\[\[id\]\] <EIS-LOG-01>`", page)
    assert said and COUNT_WORDS[said.group(1)] == len(items), said


def test_anonymous_requests_are_logged_with_the_value_anoniem() -> None:
    """Round 3 (I3, A8): an anonymous request has no identity, so EIS-LOG-01 names an explicit
    value; the schema holds identity provider, client and origin to it, so the IP address of
    an anonymous visitor can only be in the PEP log (EIS-LOG-16)."""
    requirement = " ".join(_requirement_text("EIS-LOG-01").split())
    assert "bij een anoniem verzoek bij identiteit, identity provider, oorsprong en " \
        "clientapplicatie de waarde anoniem" in requirement
    path = EXAMPLES / "beslislog" / "uc21-anoniem.json"
    record = json.loads(path.read_text("utf-8"))
    assert record["identiteit"] == {"type": "anoniem", "id": "anoniem"}
    assert not schema_errors(record, SCHEMAS / LOG_SCHEMA)
    for member, value in (("oorsprong", "198.51.100.7"), ("client", "open-data-app"),
                          ("identity_provider", "https://login.gemeente.example")):
        assert schema_errors({**record, member: value}, SCHEMAS / LOG_SCHEMA), member
    known = json.loads((EXAMPLES / "beslislog" / "uc01-besluit.json").read_text("utf-8"))
    assert schema_errors({**known, "identity_provider": "anoniem"}, SCHEMAS / LOG_SCHEMA)


def test_a_representation_names_its_basis_and_source() -> None:
    """Round 3 (I8): EIS-LOG-15 asks the basis and its source; the schema requires both."""
    assert "met de grondslag van de vertegenwoordiging en de bron" in " ".join(
        _requirement_text("EIS-LOG-15").split())
    record = json.loads((EXAMPLES / "beslislog" / "uc04-besluit.json").read_text("utf-8"))
    assert record["namens"]["grondslag"] == "machtiging"
    without = {**record, "namens": {k: v for k, v in record["namens"].items() if k != "bron"}}
    assert schema_errors(without, SCHEMAS / LOG_SCHEMA)


def test_published_requests_carry_what_the_pdp_must_log() -> None:
    """M3: the PDP can only log origin and span when the PEP passes them in the context."""
    for name in ("uc01-vraag", "uc01-functiescheiding-vraag", "uc10-vraag"):
        context = json.loads((EXAMPLES / "authzen" / f"{name}.json").read_text("utf-8"))["context"]
        assert context.get("oorsprong") and re.fullmatch(r"[0-9a-f]{16}", context["span_id"]), name
    for request, record in (("uc01-vraag", "uc01-besluit"),
                            ("uc01-functiescheiding-vraag", "uc01-weigering"),
                            ("uc10-vraag", "uc10-besluit")):
        path = EXAMPLES / "authzen" / f"{request}.json"
        context = json.loads(path.read_text("utf-8"))["context"]
        logged = json.loads((EXAMPLES / "beslislog" / f"{record}.json").read_text("utf-8"))
        assert (logged["oorsprong"], logged["span_id"], logged["trace_id"],
                logged["verwerkingsactiviteit"]) == (
            context["oorsprong"], context["span_id"], context["trace_id"],
            context["verwerkingsactiviteit"]), (request, record)


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
    _edit(request, '"verwerkingsactiviteit"', '"doel"')
    messages = [str(f) for f in check_vector_file(examples_copy / "vectors" / "uc01.json")]
    response = examples_copy / "authzen" / "uc01-antwoord.json"
    line = _line(response, '"decision"')
    assert messages == [f"{response}:{line}: UC-01: het antwoord "
                        "zegt 'toestaan', maar beleid uc01.rego geeft voor uc01-vraag.json "
                        "'weigeren'"]


def test_a_segregation_rule_that_never_fires_is_caught(examples_copy: Path) -> None:
    """A rule that never denies (C22 in 0.1.0 compared an e-mail address with a BSN) is
    caught by the segregation-of-duties case."""
    _edit(examples_copy / "policies" / "functiescheiding.rego",
          'input.subject.type == "medewerker"', 'input.subject.type == "werknemer"')
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
        == [f"{record}:1: het record voor het beslislog mist een gegeven uit EIS-LOG-01 of "
            "heeft een verkeerde waarde: \"trace_id\" is a required property (bij (hoofdniveau))"]


def test_broken_json_and_broken_rego_are_findings_not_tracebacks(examples_copy: Path) -> None:
    vector = examples_copy / "vectors" / "uc03.json"
    _edit(vector, '"use_case": "UC-03",', '"use_case": "UC-03"')
    assert [str(f) for f in check_vector_file(vector)] == [
        f"{vector}:3: geen geldige JSON: Expecting ',' delimiter"]
    policy = examples_copy / "policies" / "uc04.rego"
    _edit(policy, "default allow := false", "default allow = := false")
    messages = [str(f) for f in check_vector_file(examples_copy / "vectors" / "uc04.json")]
    line = _line(policy, "default allow = := false")
    assert messages == [f"{policy}:{line}: Rego-fout: Invalid assignment operator"]


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
        expected = [[c.id, c.situation, c.derived_from or "\u2014",
                     "toestaan" if c.expected_decision else "weigeren"] for c in vectors.cases]
        assert [cells[i:i + 4] for i in range(0, len(cells), 4)] == expected
    assert page.count(f"automatisch getest met regopy {evaluator_version()} (rego-cpp)") \
        == len(list(vector_files(EXAMPLES)))




def test_a_wrong_example_fails_the_build_at_the_page_line(
        make_app: Any, tmp_path: Path, rootdir: Path) -> None:
    srcdir = tmp_path / "examples"
    shutil.copytree(rootdir / "test-examples", srcdir)
    shutil.copytree(EXAMPLES, srcdir / "examples")
    _edit(srcdir / "examples" / "policies" / "functiescheiding.rego",
          'input.subject.type == "medewerker"', 'input.subject.type == "werknemer"')
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
    policy = examples_copy / "policies" / "pdp.rego"
    _edit(policy, "package rawa.pdp", "package rawa.combinatie")
    vector = examples_copy / "vectors" / "uc09.json"
    line = _line(vector, '"query"')
    assert [str(f) for f in check_vector_file(vector)] == [
        f"{vector}:{line}: 'data.rawa.pdp.allow' geeft geen uitkomst; "
        "klopt de package-naam in uc09.rego, functiescheiding.rego, pdp.rego?"]


# -- every condition in a policy decides at least one case: mutation test ----------------

#: Extra results of a policy that a mutant may not change either (beside the decision).
_OUTPUTS = {"uc10.rego": ("data.rawa.uc10.kenmerk", "data.rawa.uc10.signaal")}

#: Lines whose removal no vector can notice in rego-cpp, with the reason they stay.
#: The test fails when such a line becomes decision-relevant here, so the list stays true.
_NOT_DECISION_RELEVANT = {
    "uc02.rego:is_array(gevraagd)": "OPA evaluates 'every' over a string differently; the "
                                    "guard keeps the result the same in both engines",
    "uc04.rego:regex.match(met_tijdzone, input.context.tijdstip)": "rego-cpp cannot parse a "
    "time ending in Z; OPA can. The guard makes both refuse it",
    "uc07.rego:regex.match(met_tijdzone, input.context.tijdstip)": "as uc04.rego",
    "uc09.rego:regex.match(met_tijdzone, input.context.tijdstip)": "as uc04.rego",
    "uc10.rego:regex.match(met_tijdzone, input.context.tijdstip)": "as uc04.rego",
    "uc04.rego:is_number(inwoner.auth_time)": "rego-cpp leaves text times a number "
    "undefined; OPA stops with an error. The guard makes both refuse it quietly",
    "uc10.rego:is_number(inlog.auth_time)": "as uc04.rego",
}

_OPERATOR = re.compile(r"(?<![:=!<>])(==|!=|<=|>=|<|>)(?!=)")
_FLIP = {"==": "!=", "!=": "==", "<=": "<", "<": "<=", ">=": ">", ">": ">="}


def _condition_lines(source: str) -> list[tuple[int, bool]]:
    """(line, in a multi-line rule body) for each condition of each rule."""
    found, depth = [], 0
    for number, line in enumerate(source.splitlines(), start=1):
        text = line.strip()
        if depth == 0:
            if re.match(r"^\S.* if \{$", line):
                depth = 1
            elif re.match(r"^\S.* if \S", line):
                found.append((number, False))
        elif text == "}":
            depth -= 1
        elif text.endswith("{"):
            depth += 1
        elif text and not text.startswith("#"):
            found.append((number, True))
    return found


def _mutants(source: str) -> Iterator[tuple[int, str, str]]:
    """(line, what changed, mutated source): each condition dropped, each comparison flipped."""
    lines = source.splitlines(keepends=True)
    for number, in_body in _condition_lines(source):
        line = lines[number - 1]
        if in_body:
            yield number, "regel weggelaten", "".join([*lines[:number - 1], "\n",
                                                       *lines[number:]])
        match = _OPERATOR.search(line)
        if match:
            flipped = line[:match.start()] + _FLIP[match[1]] + line[match.end():]
            yield number, f"{match[1]} wordt {_FLIP[match[1]]}", "".join(
                [*lines[:number - 1], flipped, *lines[number:]])


def _relevance(case: Any, line: str) -> int:
    """How much a case's changes have to do with a line: cases likely to notice go first."""
    words = set(re.findall(r"[a-z_0-9]+", line))
    return -sum(1 for change in case.changes for step in change.split("/") if step in words)


class _Outcomes:
    """A policy's results for the cases of a vector file; None when the policy does not
    compile (a mutant that is no policy)."""

    def __init__(self, vectors: Any, module: Path, sources: dict[Path, str]) -> None:
        self.vectors = vectors
        self.outputs = _OUTPUTS.get(module.name, ())
        if module == vectors.policy:  # the use case's own rule, asked directly
            package = re.search(r"^package (\S+)", sources.get(module) or
                                module.read_text(encoding="utf-8"), re.M)
            query = f"data.{package[1] if package else 'geen'}.allow"
            self.policy = Policy(module, query, sources=sources)
        else:  # a shared module: through the whole PDP
            self.policy = Policy.of(vectors, sources)

    def of(self, case: Any) -> tuple[Any, ...] | None:
        try:
            return (self.policy.decide(case.request, case.data),
                    *(self.policy.evaluate(case.request, case.data, q) for q in self.outputs))
        except ExampleError as err:
            if err.finding.message.startswith("Rego-fout") and "Invalid" in err.finding.message:
                return None
            return ("fout",)


def _survivors() -> tuple[list[str], int]:
    files = [load_vectors(path) for path in vector_files(EXAMPLES)]
    users: dict[Path, list[Any]] = {}
    for vectors in files:
        for module in vectors.all_modules:
            if module == vectors.policy or module not in {v.policy for v in files}:
                users.setdefault(module, []).append(vectors)
    reference = {(v.path, m): [_Outcomes(v, m, {}).of(c) for c in v.cases]
                 for m, vs in users.items() for v in vs}
    survivors, mutants = [], 0
    for module, using in users.items():
        source = module.read_text(encoding="utf-8")
        for number, what, mutated in _mutants(source):
            line = source.splitlines()[number - 1].strip()
            compiled = killed = False
            for vectors in using:
                outcomes = _Outcomes(vectors, module, {module: mutated})
                expected = dict(zip((c.id for c in vectors.cases),
                                    reference[(vectors.path, module)], strict=True))
                for case in sorted(vectors.cases, key=lambda c: _relevance(c, line)):
                    result = outcomes.of(case)
                    if result is None:
                        break
                    compiled = True
                    if result != expected[case.id]:
                        killed = True
                        break
                if killed:
                    break
            mutants += compiled
            if compiled and not killed:
                survivors.append(f"{module.relative_to(ROOT)}:{number}: {what}: {line}")
    return survivors, mutants


def test_every_condition_of_every_policy_decides_a_case() -> None:
    """M10: drop each condition and flip each comparison; some case must notice.

    A surviving mutant is a condition that no test case can tell apart from its absence,
    so the table cannot show that the rule does what the text says."""
    survivors, mutants = _survivors()
    assert mutants > 150  # the mutants are really made
    documented = {f"{s.split(':')[0].split('/')[-1]}:{s.split(': ', 2)[2]}" for s in survivors
                  if "regel weggelaten" in s}
    unexplained = [s for s in survivors if "regel weggelaten" not in s or
                   f"{s.split(':')[0].split('/')[-1]}:{s.split(': ', 2)[2]}"
                   not in _NOT_DECISION_RELEVANT]
    assert not unexplained, "mutants no case notices:\n" + "\n".join(unexplained)
    assert documented == set(_NOT_DECISION_RELEVANT), \
        f"listed as not decision-relevant but noticed now: " \
        f"{set(_NOT_DECISION_RELEVANT) - documented}"


def test_the_robot_window_depends_on_the_dutch_time_zone() -> None:
    """M2: with UTC instead of Europe/Amsterdam some case must change."""
    vectors = load_vectors(EXAMPLES / "vectors" / "uc09.json")
    source = vectors.policy.read_text(encoding="utf-8")
    assert '"Europe/Amsterdam"' in source
    utc = Policy(vectors.policy, "data.rawa.uc09.allow",
                 sources={vectors.policy: source.replace('"Europe/Amsterdam"', '"UTC"')})
    changed = [c.id for c in vectors.cases if utc.decide(c.request, c.data) != c.expected_decision]
    assert {"winter-0730", "zomer-1930"} <= set(changed), changed
