"""The page "Wijzigingen ten opzichte van de vorige versie": ``{rawa-wijzigingen}``.

At release time ``make baseline`` stores the needs of the build in
``baselines/needs-<versie>.json`` (see ``tools/make_baseline.py``). The directive
compares the current needs with the newest baseline of an *earlier* version and lists,
per need type, the needs that were added, removed or changed. A change is a different
title, text (the statement), status, field value or set of links. Without an earlier
baseline the page says so.

A baseline that cannot be read (not JSON, not UTF-8, not in the needs.json format) and a
``baselines/LATEST`` that names a missing file give a warning ``[rawa.baseline]`` naming
the file and line, never a traceback; the page then says the comparison is missing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from packaging.version import InvalidVersion, Version
from sphinx.application import Sphinx
from sphinx.util import logging

import rawa.model.metamodel as mm
from rawa.model.need_refs import Need, Needs, need_reference
from rawa.views.base import ViewKind, register_view
from rawa.views.tables import build_table, small_in_latex

logger = logging.getLogger(__name__)

BASELINE_PATTERN = re.compile(r"^needs-(?P<version>.+)\.json$")
POINTER_NAME = "LATEST"

#: Aspects compared, with their Dutch label: (key, label).
TEXT_ASPECTS: tuple[tuple[str, str], ...] = (
    ("title", "Titel"),
    ("content", "Tekst"),
    ("status", "Status"),
    *((spec.name, spec.label or spec.name) for spec in mm.FIELDS),
)


@dataclass(frozen=True)
class Change:
    label: str
    old: str = ""
    new: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass
class NeedDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[Change]] = field(default_factory=dict)


def _value(need: Need, key: str) -> str:
    value = need.get(key)
    if isinstance(value, (list, tuple)):  # a list field such as bewijs or toetssoort
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value).strip()


def changes(old: Need, new: Need) -> list[Change]:
    """What differs between two versions of one need."""
    found = []
    for key, label in TEXT_ASPECTS:
        if _value(old, key) != _value(new, key):
            found.append(Change(label, old=_value(old, key), new=_value(new, key)))
    for link in mm.LINKS:
        before, after = set(old.get(link.name) or []), set(new.get(link.name) or [])
        if before != after:
            found.append(Change(f"Links '{link.outgoing}'", added=tuple(sorted(after - before)),
                                removed=tuple(sorted(before - after))))
    return found


def compare(old: Needs, new: Needs) -> dict[str, NeedDiff]:
    """Per need type, the IDs added, removed and changed between ``old`` and ``new``."""
    result = {spec.directive: NeedDiff() for spec in mm.NEED_TYPES}
    for need_id in sorted(set(old) | set(new)):
        if need_id not in old:
            result[new[need_id]["type"]].added.append(need_id)
        elif need_id not in new:
            result.setdefault(old[need_id]["type"], NeedDiff()).removed.append(need_id)
        else:
            found = changes(old[need_id], new[need_id])
            if found:
                result[new[need_id]["type"]].changed[need_id] = found
    return result


# -- baselines -------------------------------------------------------------------------------


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def find_baseline(folder: Path, release: str) -> Path | None:
    """The newest ``needs-<versie>.json`` in ``folder`` of a version before ``release``."""
    current = _version(release)
    candidates = []
    for path in folder.glob("needs-*.json") if folder.is_dir() else ():
        match = BASELINE_PATTERN.match(path.name)
        version = _version(match["version"]) if match else None
        if version is not None and (current is None or version < current):
            candidates.append((version, path))
    return max(candidates)[1] if candidates else None


def baselines_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every baseline file."""
    files = sorted([*folder.glob("needs-*.json"), *folder.glob(POINTER_NAME)]
                   if folder.is_dir() else [])
    return tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files)


class BaselineError(Exception):
    """A baseline file that cannot be used; ``location`` is ``path:line``."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.location = f"{path}:{line}"
        self.message = message
        super().__init__(f"{self.location}: {message}")


def load_needs(path: Path) -> tuple[str, Needs]:
    """The version and needs of a needs.json file (as sphinx-needs or the baseline writes it).

    Raises :class:`BaselineError` when the file cannot be read or has another format.
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise BaselineError(path, 1, f"het bestand kan niet gelezen worden "
                                     f"({err.strerror or err}).") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise BaselineError(path, raw.count(b"\n", 0, err.start) + 1,
                            "het bestand is niet opgeslagen als UTF-8.") from None
    except json.JSONDecodeError as err:
        raise BaselineError(path, err.lineno, f"geen geldige JSON ({err.msg}). Een basislijn "
                            "wijzigt u niet met de hand: zet de versie uit git terug of maak "
                            "hem opnieuw met make baseline.") from None
    version = str(data.get("current_version", "")) if isinstance(data, dict) else ""
    try:
        needs = data["versions"][version]["needs"]
        if not isinstance(needs, dict) or not all(isinstance(n, dict) for n in needs.values()):
            raise TypeError
        broken = sorted(need_id for need_id, need in needs.items()
                        if not isinstance(need.get("type"), str))
        if broken:
            raise BaselineError(path, 1, f"object {broken[0]} heeft geen soort ('type'); een "
                                "basislijn wijzigt u niet met de hand. Maak hem opnieuw met "
                                "make baseline.")
    except (KeyError, TypeError):
        raise BaselineError(path, 1, "het bestand heeft niet het formaat van needs.json "
                            "(current_version en versions.<versie>.needs ontbreken). Maak de "
                            "basislijn opnieuw met make baseline.") from None
    return version, dict(needs)


def pointer_problem(folder: Path) -> BaselineError | None:
    """Why ``LATEST`` in ``folder`` does not name an existing baseline, or ``None``."""
    pointer = folder / POINTER_NAME
    if not pointer.is_file():
        return None
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        name = ""
    if not BASELINE_PATTERN.match(name) or "/" in name:
        return BaselineError(pointer, 1, f"{POINTER_NAME} moet de naam van een basislijn "
                             "noemen, zoals needs-1.0.0.json.")
    if not (folder / name).is_file():
        return BaselineError(pointer, 1, f"{POINTER_NAME} noemt {name}, maar dat bestand "
                             f"staat niet in {folder.name}/. Zet het bestand terug uit git of "
                             "maak de basislijn opnieuw met make baseline.")
    return None


# -- rendering -------------------------------------------------------------------------------


def input_signature(app: Sphinx) -> object:
    """The baselines: a page with a diff is rewritten when one is added or changed."""
    return baselines_signature(Path(app.confdir) / app.config.rawa_baseline_dir)


def _describe(change: Change) -> nodes.paragraph:
    para = nodes.paragraph()
    para += nodes.strong(text=f"{change.label}: ")
    if change.added or change.removed:
        parts = [f"toegevoegd {', '.join(change.added)}"] if change.added else []
        parts += [f"vervallen {', '.join(change.removed)}"] if change.removed else []
        para += nodes.Text("; ".join(parts) + ".")
    else:
        para += nodes.Text(f"was “{change.old or '(leeg)'}”, is nu “{change.new or '(leeg)'}”.")
    return para


def _object_cell(app: Sphinx, docname: str, need: Need, link: bool) -> list[nodes.Node]:
    head = nodes.paragraph()
    head += need_reference(app, docname, need) if link else nodes.Text(str(need["id"]))
    return [head, nodes.paragraph(text=str(need.get("title") or ""))]


def _render_diff(app: Sphinx, docname: str, baseline: Path, old_version: str, old: Needs,
                 new: Needs) -> list[nodes.Node]:
    result = compare(old, new)
    intro = nodes.paragraph(text=(
        f"Deze versie is vergeleken met versie {old_version}, vastgelegd in "
        f"{baseline.parent.name}/{baseline.name}."))
    summary_rows = []
    output: list[nodes.Node] = [intro]
    details: list[nodes.Node] = []
    for spec in mm.NEED_TYPES:
        diff = result.get(spec.directive, NeedDiff())
        summary_rows.append([spec.plural, str(len(diff.added)), str(len(diff.removed)),
                             str(len(diff.changed))])
        rows = []
        for need_id in diff.added:
            rows.append([_object_cell(app, docname, new[need_id], True), "toegevoegd",
                         "Nieuw in deze versie."])
        for need_id in diff.removed:
            rows.append([_object_cell(app, docname, old[need_id], False), "verwijderd",
                         "Komt in deze versie niet meer voor."])
        for need_id, found in diff.changed.items():
            rows.append([_object_cell(app, docname, new[need_id], True), "gewijzigd",
                         [_describe(change) for change in found]])
        if rows:
            details.extend(small_in_latex(build_table(
                ["Object", "Wijziging", "Toelichting"], [26, 14, 60], rows,
                table_id=f"rawa-wijzigingen-{spec.directive}",
                caption=f"{spec.plural}: wijzigingen")))
    output.append(build_table(["Type", "Toegevoegd", "Verwijderd", "Gewijzigd"],
                              [40, 20, 20, 20], summary_rows,
                              table_id="rawa-wijzigingen-overzicht",
                              caption="Aantal wijzigingen per soort object"))
    if not details:
        output.append(nodes.paragraph(text="Er zijn geen objecten toegevoegd, verwijderd of "
                                           "gewijzigd."))
    return output + details


def render(app: Sphinx, docname: str, node: nodes.Element,
           needs: Needs) -> nodes.Node | list[nodes.Node]:
    """``{rawa-wijzigingen}``: the changes since the newest earlier baseline."""
    folder = Path(app.confdir) / app.config.rawa_baseline_dir
    baseline = find_baseline(folder, app.config.release)
    pointer = pointer_problem(folder)
    if pointer is not None:
        logger.warning(pointer.message, location=pointer.location, type="rawa",
                       subtype="baseline")
    if baseline is None:
        return nodes.paragraph(
            ids=["rawa-wijzigingen-geen-basis"],
            text=(f"Er is geen eerdere versie vastgelegd in de map "
                  f"{app.config.rawa_baseline_dir}/. Daarom toont deze pagina nog geen "
                  "wijzigingen. Bij elke nieuwe versie legt de redactie de objecten "
                  "vast met make baseline."))
    try:
        _, old = load_needs(baseline)
    except BaselineError as err:
        logger.warning(err.message, location=err.location, type="rawa", subtype="baseline")
        return nodes.paragraph(
            ids=["rawa-wijzigingen-fout"],
            text=(f"De basislijn {baseline.parent.name}/{baseline.name} kan niet gelezen "
                  "worden. Daarom toont deze pagina geen wijzigingen."))
    match = BASELINE_PATTERN.match(baseline.name)
    old_version = match["version"] if match else baseline.stem
    return _render_diff(app, docname, baseline, old_version, old, needs)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("rawa_baseline_dir", "baselines", "env", str)
    register_view(app, "rawa-wijzigingen",
                  ViewKind("diff", render, input_signature=input_signature))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
