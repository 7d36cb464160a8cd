"""Check the machine-readable examples under ``examples/``: test vectors, policies, schemas.

A supplier copies what the publication shows, so every example must be right. A vector
file (``examples/vectors/ucNN.json``) holds, for one use case, AuthZEN evaluation
requests with the decision the use case's access rule expects. This module evaluates
each request against the use case's Rego policy with regopy (rego-cpp, in process: no
server, no network) and validates requests, responses and decision-log records
against the JSON schemas in ``examples/schemas``. The build (``rawa_examples``) and the
tests share it, so a wrong example fails both with the same message.

No Sphinx here: the findings are plain values that name the file and line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jsonschema_rs
from regopy import Interpreter

#: What the vector files, the tests and the pages call a decision.
DECISION_WORD = {True: "toestaan", False: "weigeren"}

REQUEST_SCHEMA = "authzen-evaluation-request.schema.json"
RESPONSE_SCHEMA = "authzen-evaluation-response.schema.json"
LOG_SCHEMA = "beslislog-record.schema.json"


def evaluator_version() -> str:
    """The installed regopy version, as the pages print it (pinned in requirements.lock)."""
    return version("regopy")


@dataclass(frozen=True)
class Finding:
    """One problem in an example, at a file and line."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ExampleError(Exception):
    """A vector file that cannot be read at all (bad JSON, missing member)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


@dataclass(frozen=True)
class Case:
    id: str
    situation: str
    expected_decision: bool
    request: dict[str, Any]
    line: int


@dataclass(frozen=True)
class Published:
    """A request and response shown on their own in the text, checked like a case."""

    request: Path
    response: Path


@dataclass(frozen=True)
class VectorFile:
    path: Path
    use_case: str
    policy: Path
    query: str
    cases: tuple[Case, ...]
    published: tuple[Published, ...]

    @property
    def examples_dir(self) -> Path:
        """``examples/``: the vector file sits in ``examples/vectors``."""
        return self.path.parent.parent


def _line_of(text: str, needle: str) -> int:
    """The first line of ``text`` that contains ``needle`` (1 when absent)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


def read_json(path: Path) -> Any:
    """Parse a JSON file; a syntax error becomes a finding at its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ExampleError(Finding(path, 1, f"bestand niet te lezen: {err.strerror}")) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ExampleError(Finding(path, err.lineno, f"geen geldige JSON: {err.msg}")) from None


def load_vectors(path: Path) -> VectorFile:
    """Read and shape-check a vector file; problems name the file and the line."""
    data = read_json(path)
    text = path.read_text(encoding="utf-8")

    def need(obj: Any, key: str, kind: type, where: int) -> Any:
        if not isinstance(obj, dict) or not isinstance(obj.get(key), kind):
            raise ExampleError(Finding(path, where, f"'{key}' ontbreekt of is geen "
                                       f"{'lijst' if kind is list else kind.__name__}"))
        return obj[key]

    use_case = need(data, "use_case", str, 1)
    cases: list[Case] = []
    for raw in need(data, "cases", list, _line_of(text, '"cases"')):
        line = _line_of(text, f'"id": "{raw.get("id")}"') if isinstance(raw, dict) else 1
        decision = need(raw, "expected_decision", bool, line)
        cases.append(Case(need(raw, "id", str, line), need(raw, "situation", str, line),
                          decision, need(raw, "request", dict, line), line))
    ids = [case.id for case in cases]
    for twice in sorted({i for i in ids if ids.count(i) > 1}):
        raise ExampleError(Finding(path, _line_of(text, f'"id": "{twice}"'),
                                   f"{use_case}: geval '{twice}' staat er twee keer in"))
    published = tuple(
        Published(_beside(path, need(pair, "request", str, 1)),
                  _beside(path, need(pair, "response", str, 1)))
        for pair in data.get("published", []))
    return VectorFile(path, use_case, _beside(path, need(data, "policy", str, 1)),
                      need(data, "query", str, 1), tuple(cases), published)


def _beside(path: Path, relative: str) -> Path:
    """``relative`` (``../policies/uc01.rego``) from the folder of ``path``, without ``..``."""
    return Path(os.path.normpath(path.parent / relative))


@cache
def _validator(schema_path: Path) -> Any:
    return jsonschema_rs.validator_for(read_json(schema_path), validate_formats=True)


def schema_errors(instance: Any, schema_path: Path) -> list[str]:
    """Readable schema violations: the message and where in the document it is."""
    errors = []
    for error in _validator(schema_path).iter_errors(instance):
        where = "/".join(str(part) for part in error.instance_path) or "(hoofdniveau)"
        errors.append(f"{error.message} (bij {where})")
    return errors


class Policy:
    """A Rego policy loaded once into rego-cpp, asked one request at a time."""

    def __init__(self, path: Path, query: str) -> None:
        self.path = path
        self.query = query
        try:
            source = path.read_text(encoding="utf-8")
        except OSError as err:
            raise ExampleError(Finding(path, 1, f"beleid niet te lezen: {err.strerror}")) from None
        self._rego = Interpreter()
        try:
            self._rego.add_module(path.name, source)
        except Exception as err:  # regopy raises RegoError, a bare Exception subclass
            line, message = _rego_error(str(err), source)
            raise ExampleError(Finding(path, line, f"Rego-fout: {message}")) from None

    def decide(self, request: dict[str, Any]) -> bool:
        """The policy's decision; an error or a non-boolean result is a finding."""
        try:
            self._rego.set_input(request)
            output = self._rego.query(f"x := {self.query}")
            ok = output.ok()
        except Exception as err:
            raise ExampleError(Finding(self.path, 1, f"Rego-fout: {_first_line(err)}")) from None
        if not ok:
            raise ExampleError(Finding(self.path, 1, f"Rego-fout: {_first_line(output)}"))
        if str(output) == "undefined":
            raise ExampleError(Finding(self.path, 1, f"'{self.query}' geeft geen uitkomst; "
                                       "klopt de package-naam?"))
        result = json.loads(output.binding("x").json())
        if not isinstance(result, bool):
            raise ExampleError(Finding(self.path, 1, f"'{self.query}' geeft {result!r}, "
                                       "geen true of false"))
        return result


#: rego-cpp reports errors as an s-expression: ``(error 9:uc04.rego|25|1 (errormsg 27:...)``,
#: with the byte offset of the error in the module.
_REGO_ERROR = re.compile(
    r"\(error \d+:[^|]*\|(?P<offset>\d+)\|\d+\s*\(errormsg \d+:(?P<msg>[^)]*)\)")


def _rego_error(report: str, source: str) -> tuple[int, str]:
    """Line and message of the first error in a rego-cpp error report."""
    match = _REGO_ERROR.search(report)
    if not match:
        return 1, _first_line(report)
    offset = int(match["offset"])
    prefix = source.encode("utf-8")[:offset].decode("utf-8", errors="ignore")
    return prefix.count("\n") + 1, match["msg"].strip()


def _first_line(err: object) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    text = " ".join(lines[1:3]) if lines and lines[0] == "Errors:" else (lines or ["?"])[0]
    return re.sub(r"\s+", " ", text)


def check_case(vectors: VectorFile, case: Case, policy: Policy) -> list[Finding]:
    """Schema check and evaluation of one case; empty when the case holds."""
    label = f"{vectors.use_case}, geval '{case.id}'"
    findings = [Finding(vectors.path, case.line, f"{label}: de vraag past niet bij het "
                        f"AuthZEN-schema: {error}")
                for error in schema_errors(case.request, vectors.examples_dir / "schemas"
                                           / REQUEST_SCHEMA)]
    decision = policy.decide(case.request)
    if decision != case.expected_decision:
        findings.append(Finding(
            vectors.path, case.line,
            f"{label}: verwacht besluit '{DECISION_WORD[case.expected_decision]}', maar "
            f"beleid {policy.path.name} geeft '{DECISION_WORD[decision]}'"))
    return findings


def check_published(vectors: VectorFile, pair: Published, policy: Policy) -> list[Finding]:
    """The request and response shown in the text: schemas, and the response's decision."""
    schemas = vectors.examples_dir / "schemas"
    request, response = read_json(pair.request), read_json(pair.response)
    findings = [Finding(pair.request, 1, f"{vectors.use_case}: de vraag past niet bij het "
                        f"AuthZEN-schema: {error}")
                for error in schema_errors(request, schemas / REQUEST_SCHEMA)]
    findings += [Finding(pair.response, 1, f"{vectors.use_case}: het antwoord past niet bij "
                         f"het AuthZEN-schema: {error}")
                 for error in schema_errors(response, schemas / RESPONSE_SCHEMA)]
    if not findings and policy.decide(request) != response["decision"]:
        findings.append(Finding(
            pair.response, _line_of(pair.response.read_text(encoding="utf-8"), '"decision"'),
            f"{vectors.use_case}: het antwoord zegt '{DECISION_WORD[response['decision']]}', "
            f"maar beleid {policy.path.name} geeft voor {pair.request.name} "
            f"'{DECISION_WORD[not response['decision']]}'"))
    return findings


def check_vector_file(path: Path) -> list[Finding]:
    """Every problem in one vector file, its policy and its published examples."""
    try:
        vectors = load_vectors(path)
        policy = Policy(vectors.policy, vectors.query)
        findings: list[Finding] = []
        for case in vectors.cases:
            findings += check_case(vectors, case, policy)
        for pair in vectors.published:
            findings += check_published(vectors, pair, policy)
        return findings
    except ExampleError as err:
        return [err.finding]


def check_log_record(path: Path, schema_path: Path) -> list[Finding]:
    """A decision-log record against the attribute list of EIS-LOG-01."""
    try:
        record = read_json(path)
    except ExampleError as err:
        return [err.finding]
    return [Finding(path, 1, f"het besluitrecord mist een gegeven uit EIS-LOG-01 of heeft een "
                    f"verkeerde waarde: {error}") for error in schema_errors(record, schema_path)]


def vector_files(examples_dir: Path) -> Iterator[Path]:
    """The vector files, in a stable order."""
    yield from sorted((examples_dir / "vectors").glob("*.json"))
