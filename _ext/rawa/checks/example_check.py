"""Check the machine-readable examples under ``examples/``: test vectors, policies, schemas.

A supplier copies what the publication shows, so every example must be right. A vector
file (``examples/vectors/ucNN.json``) holds, for one use case, AuthZEN evaluation
requests with the decision the use case's access rule expects, and names the data
documents (``examples/data/*.json``) that stand in for what the PAP and the PIP give the
PDP. This module evaluates each request against the use case's Rego policy with regopy
(rego-cpp, in process: no server, no network), with those documents loaded as ``data``,
and validates requests, responses and decision-log records against the JSON schemas in
``examples/schemas``.

A case is either written out in full (``request``) or derived from an earlier case
(``derived_from``) by the changes it lists (``set``: path to new value, ``remove``: paths
to drop; a path starts with ``request/`` or ``data/``). Every case that expects a denial
must be derived from a case that expects a permit, so the denial can only come from the
listed changes and not from some other difference. The build (``rawa_examples``) and the
tests share it, so a wrong example fails both with the same message.

No Sphinx here: the findings are plain values that name the file and line.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

# NumPy loaded before rego-cpp's library corrupts the heap at the first query (a crash of
# the whole process, not an error). Say so instead; loading regopy first avoids it.
if "numpy" in sys.modules and "regopy" not in sys.modules:  # pragma: no cover - guard
    raise ImportError("regopy moet vóór NumPy geladen worden: importeer regopy eerder "
                      "(zie tests/conftest.py)")

import jsonschema_rs  # noqa: E402
from regopy import Interpreter  # noqa: E402

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
    #: The data documents merged, with this case's changes: what the PAP and PIP deliver.
    data: dict[str, Any] = field(default_factory=dict)
    #: The case this one is derived from, and the paths it changes (empty when written out).
    derived_from: str = ""
    changes: tuple[str, ...] = ()


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
    #: Further modules the PDP loads with the use case's policy (combining, shared denials).
    modules: tuple[Path, ...] = ()
    #: The data documents (PAP and PIP) in the order they are merged.
    data_files: tuple[Path, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def examples_dir(self) -> Path:
        """``examples/``: the vector file sits in ``examples/vectors``."""
        return self.path.parent.parent

    @property
    def all_modules(self) -> tuple[Path, ...]:
        return (self.policy, *self.modules)


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


def merge(base: Any, extra: Any) -> Any:
    """``extra`` laid over ``base``: objects merge member by member, anything else replaces."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(extra)


_ROOTS = ("request", "data")


def _walk(document: dict[str, Any], path: str) -> tuple[Any, str | int]:
    """The container that holds the last step of ``path``, and that step.

    ``path`` is ``request/...`` or ``data/...``, steps separated by ``/`` (``~1`` is a ``/``
    inside a name, ``~0`` a ``~``, as in a JSON Pointer); a number steps into a list."""
    steps = [step.replace("~1", "/").replace("~0", "~") for step in path.split("/")]
    if len(steps) < 2 or steps[0] not in _ROOTS:
        raise KeyError(f"pad '{path}' begint niet met request/ of data/")
    node: Any = document
    for step in steps[:-1]:
        node = _step(node, step, path)
    last: str | int = steps[-1]
    if isinstance(node, list):
        last = _index(node, str(last), path)
    elif not isinstance(node, dict):
        raise KeyError(f"pad '{path}' loopt door een waarde die geen object of lijst is")
    return node, last


def _step(node: Any, step: str, path: str) -> Any:
    if isinstance(node, dict) and step in node:
        return node[step]
    if isinstance(node, list):
        return node[_index(node, step, path)]
    raise KeyError(f"pad '{path}' bestaat niet in het geval waarvan dit geval is afgeleid")


def _index(node: list[Any], step: str, path: str) -> int:
    if not step.isdigit() or int(step) >= len(node):
        raise KeyError(f"pad '{path}': '{step}' is geen plek in de lijst")
    return int(step)


def apply_changes(document: dict[str, Any], set_values: dict[str, Any],
                  remove: list[str]) -> dict[str, Any]:
    """A copy of ``{"request": ..., "data": ...}`` with the changes of a derived case.

    A change that changes nothing (the same value, or removing what is not there) is an
    error: the case would claim a difference that does not exist."""
    changed = copy.deepcopy(document)
    for path, value in set_values.items():
        container, last = _walk(changed, path)
        if isinstance(container, dict) and last in container and container[last] == value \
                or isinstance(container, list) and container[last] == value:
            raise KeyError(f"pad '{path}' heeft die waarde al; de wijziging verandert niets")
        container[last] = copy.deepcopy(value)
    for path in remove:
        container, last = _walk(changed, path)
        if isinstance(container, dict) and last not in container:
            raise KeyError(f"pad '{path}' bestaat niet; verwijderen verandert niets")
        del container[last]
    return changed


def load_vectors(path: Path) -> VectorFile:
    """Read and shape-check a vector file; problems name the file and the line."""
    data = read_json(path)
    text = path.read_text(encoding="utf-8")

    def need(obj: Any, key: str, kind: type, where: int) -> Any:
        if not isinstance(obj, dict) or not isinstance(obj.get(key), kind):
            raise ExampleError(Finding(path, where, f"'{key}' ontbreekt of is geen "
                                       f"{'lijst' if kind is list else kind.__name__}"))
        return obj[key]

    def paths(key: str) -> tuple[Path, ...]:
        value = data.get(key, [])
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ExampleError(Finding(path, _line_of(text, f'"{key}"'),
                                       f"'{key}' is geen pad of lijst van paden"))
        return tuple(_beside(path, v) for v in value)

    use_case = need(data, "use_case", str, 1)
    data_files = paths("data")
    documents: dict[str, Any] = {}
    for data_file in data_files:
        document = read_json(data_file)
        if not isinstance(document, dict):
            raise ExampleError(Finding(data_file, 1, "een gegevensdocument is een JSON-object"))
        documents = merge(documents, document)
    cases: list[Case] = []
    by_id: dict[str, Case] = {}
    for raw in need(data, "cases", list, _line_of(text, '"cases"')):
        line = _line_of(text, f'"id": "{raw.get("id")}"') if isinstance(raw, dict) else 1
        case_id = need(raw, "id", str, line)
        label = f"{use_case}, geval '{case_id}'"
        if case_id in by_id:
            raise ExampleError(Finding(path, line, f"{use_case}: geval '{case_id}' staat er "
                                       "twee keer in"))
        decision = need(raw, "expected_decision", bool, line)
        situation = need(raw, "situation", str, line)
        if "derived_from" in raw:
            case = _derived_case(path, line, label, raw, by_id, need)
            case = Case(case_id, situation, decision, case.request, line, case.data,
                        case.derived_from, case.changes)
        else:
            case = Case(case_id, situation, decision, need(raw, "request", dict, line), line,
                        documents)
        if not decision and not (case.derived_from and by_id[case.derived_from]
                                 .expected_decision):
            raise ExampleError(Finding(path, line, f"{label}: een geval dat 'weigeren' "
                                       "verwacht, moet met 'derived_from' afgeleid zijn van een "
                                       "geval dat 'toestaan' verwacht"))
        cases.append(case)
        by_id[case_id] = case
    published = tuple(
        Published(_beside(path, need(pair, "request", str, 1)),
                  _beside(path, need(pair, "response", str, 1)))
        for pair in data.get("published", []))
    return VectorFile(path, use_case, _beside(path, need(data, "policy", str, 1)),
                      need(data, "query", str, 1), tuple(cases), published,
                      paths("modules"), data_files, documents)


def _derived_case(path: Path, line: int, label: str, raw: dict[str, Any],
                  by_id: dict[str, Case], need: Any) -> Case:
    """A case built from an earlier one by the changes it lists."""
    base_id = need(raw, "derived_from", str, line)
    if "request" in raw:
        raise ExampleError(Finding(path, line, f"{label}: een afgeleid geval heeft geen eigen "
                                   "'request', alleen 'set' en 'remove'"))
    if base_id not in by_id:
        raise ExampleError(Finding(path, line, f"{label}: 'derived_from' noemt '{base_id}', "
                                   "maar dat geval staat er niet eerder in"))
    set_values = raw.get("set", {})
    remove = raw.get("remove", [])
    if not isinstance(set_values, dict) or not isinstance(remove, list) \
            or not all(isinstance(p, str) for p in remove):
        raise ExampleError(Finding(path, line, f"{label}: 'set' is een object en 'remove' "
                                   "een lijst van paden"))
    if not set_values and not remove:
        raise ExampleError(Finding(path, line, f"{label}: een afgeleid geval noemt in 'set' "
                                   "of 'remove' wat er anders is"))
    base = by_id[base_id]
    try:
        changed = apply_changes({"request": base.request, "data": base.data},
                                set_values, remove)
    except KeyError as err:
        raise ExampleError(Finding(path, line, f"{label}: {err.args[0]}")) from None
    return Case(raw["id"], "", False, changed["request"], line, changed["data"], base_id,
                (*set_values, *remove))


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
    """Rego modules loaded into rego-cpp, asked one request at a time with given data.

    rego-cpp cannot replace a data document once loaded, so there is one interpreter per
    distinct data document; the cases of a vector file share a few."""

    def __init__(self, path: Path, query: str, *, modules: tuple[Path, ...] = (),
                 sources: dict[Path, str] | None = None,
                 query_at: tuple[Path, int] | None = None) -> None:
        self.path = path
        self.query = query
        #: Where the query is written (the vector file), for a query without result.
        self.query_at = query_at or (path, 1)
        self._sources: dict[Path, str] = {}
        for module in (path, *modules):
            if sources is not None and module in sources:
                self._sources[module] = sources[module]
                continue
            try:
                self._sources[module] = module.read_text(encoding="utf-8")
            except OSError as err:
                raise ExampleError(Finding(module, 1, "beleid niet te lezen: "
                                           f"{err.strerror}")) from None
        self._interpreters: dict[str, Interpreter] = {}

    @classmethod
    def of(cls, vectors: VectorFile, sources: dict[Path, str] | None = None) -> Policy:
        """The policy of a vector file, with its further modules."""
        line = _line_of(vectors.path.read_text(encoding="utf-8"), '"query"')
        return cls(vectors.policy, vectors.query, modules=vectors.modules, sources=sources,
                   query_at=(vectors.path, line))

    def _interpreter(self, data: dict[str, Any]) -> Interpreter:
        key = json.dumps(data, sort_keys=True)
        if key in self._interpreters:
            return self._interpreters[key]
        rego = Interpreter()
        for module, source in self._sources.items():
            try:
                rego.add_module(module.name, source)
            except Exception as err:  # regopy raises RegoError, a bare Exception subclass
                line, message = _rego_error(str(err), source)
                raise ExampleError(Finding(module, line, f"Rego-fout: {message}")) from None
        if data:
            rego.add_data(data)
        self._interpreters[key] = rego
        return rego

    def decide(self, request: dict[str, Any], data: dict[str, Any] | None = None) -> bool:
        """The policy's decision; an error or a non-boolean result is a finding."""
        result = self.evaluate(request, data, self.query)
        if result is None:
            names = ", ".join(module.name for module in self._sources)
            raise ExampleError(Finding(*self.query_at, f"'{self.query}' geeft geen uitkomst; "
                                       f"klopt de package-naam in {names}?"))
        if not isinstance(result, bool):
            raise ExampleError(Finding(self.path, 1, f"'{self.query}' geeft {result!r}, "
                                       "geen true of false"))
        return result

    def evaluate(self, request: dict[str, Any], data: dict[str, Any] | None,
                 query: str) -> Any:
        """The value of ``query`` for this request and data; None when undefined."""
        rego = self._interpreter(data or {})
        try:
            rego.set_input(request)
            output = rego.query(f"x := {query}")
            ok = output.ok()
        except Exception as err:
            raise ExampleError(Finding(self.path, 1, f"Rego-fout: {_first_line(err)}")) from None
        if not ok:
            raise ExampleError(Finding(self.path, 1, f"Rego-fout: {_first_line(output)}"))
        if str(output) == "undefined":
            return None
        return json.loads(output.binding("x").json())


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
    decision = policy.decide(case.request, case.data)
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
    if not findings and policy.decide(request, vectors.data) != response["decision"]:
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
        policy = Policy.of(vectors)
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
    return [Finding(path, 1, f"het record voor het beslislog mist een gegeven uit EIS-LOG-01 of "
                    f"heeft een verkeerde waarde: {error}")
            for error in schema_errors(record, schema_path)]


def vector_files(examples_dir: Path) -> Iterator[Path]:
    """The vector files, in a stable order."""
    yield from sorted((examples_dir / "vectors").glob("*.json"))
