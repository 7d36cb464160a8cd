"""Directives that read a file or run code get a guard in front of them.

Each guarded directive checks what it is asked to read before it reads it, and refuses
(with the page and line, ``[rawa.safety]``) a path outside the project folders or any
URL. Directives that cannot be made safe for untrusted pages are refused outright:

- ``raw`` (HTML or LaTeX straight into the output: script, ``\\input{/etc/...}``);
- ``needimport`` (needs from any file or URL) and ``needservice`` (fetches from a service);
- ``needuml`` and ``needarch`` (their body is an unsandboxed Jinja template: code).

MyST runs ``include`` through its own mock (``MockIncludeDirective``), not through the
registered class, so that mock gets the same guard
(``rawa.compat.myst.install_myst_include_guard``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.util import logging

from rawa.safety.paths import outside_project

logger = logging.getLogger(__name__)

#: Directives a page may not use at all, with the reason a maintainer reads.
REFUSED: dict[str, str] = {
    "raw": "ruwe HTML of LaTeX komt ongecontroleerd in de uitvoer (script, bestanden)",
    "needimport": "objecten horen in de bronpagina's, niet in een extern bestand of adres",
    "needservice": "de build haalt niets op van een dienst op het netwerk",
    "needuml": "de inhoud is een Jinja-sjabloon dat code uitvoert; gebruik {uml}",
    "needarch": "de inhoud is een Jinja-sjabloon dat code uitvoert; gebruik {uml}",
    "tabularcolumns": "de kolomopmaak gaat ongecontroleerd als LaTeX-code naar de PDF",
    "meta": "metagegevens kunnen de lezer doorsturen; de build zet ze zelf",
}

#: PlantUML functions that read the environment, files or URLs of the build machine.
_PLANTUML_OUTSIDE = re.compile(r"(?i)%(getenv|load_json|get_all_stdlib|file_exists|dirpath)"
                               r"\s*\(|!includeurl\b|!import\b")

#: For each guarded directive: does its first argument name a file, and which options do.
PATH_OPTIONS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "include": (True, ()),
    "literalinclude": (True, ("diff",)),
    "uml": (True, ()),
    "csv-table": (False, ("file", "url")),
    "rawa-testgevallen": (True, ()),  # rawa_examples: a use case's test vectors
}


def report(directive: Directive, message: str) -> list[nodes.Node]:
    """Warn at the directive's page and line; the directive then yields nothing."""
    env = directive.state.document.settings.env
    _, line = directive.state_machine.get_source_and_line(directive.lineno)
    logger.warning(message, location=(env.docname, line), type="rawa", subtype="safety")
    return []


def refused(name: str, base: type[Directive]) -> type[Directive]:
    """A stand-in for ``base`` that only reports that ``name`` is not allowed."""

    def run(self: Directive) -> list[nodes.Node]:
        return report(self, f"De opdracht '{name}' is niet toegestaan in RAWA-bronnen: "
                            f"{REFUSED[name]}.")

    return type(f"Refused{base.__name__}", (base,), {"run": run})


def plantuml_problem(text: str) -> str:
    """Which PlantUML function in ``text`` would reach outside the diagram; empty if none."""
    match = _PLANTUML_OUTSIDE.search(text)
    if not match:
        return ""
    line = text.count("\n", 0, match.start()) + 1
    return (f"'{match.group(0).rstrip('(').strip()}' (regel {line} van het diagram) leest de "
            "omgeving, bestanden of het netwerk van de build; een diagram mag dat niet.")


def path_problem(directive: Directive, first_argument_is_path: bool,
                 options: tuple[str, ...]) -> str:
    """What is wrong with the files this directive would read; empty when nothing is."""
    env = directive.state.document.settings.env
    targets = []
    if first_argument_is_path and directive.arguments:
        targets.append(("", directive.arguments[0]))
    targets += [(f" (optie :{o}:)", directive.options[o]) for o in options
                if o in directive.options]
    for label, target in targets:
        problem = outside_project(env, "".join(str(target).split("\n")))
        if problem:
            return f"'{directive.name}'{label}: {problem}."
    if directive.name == "uml":
        text = "\n".join(directive.content)
        if directive.arguments:
            _, absolute = env.relfn2path(directive.arguments[0], env.docname)
            with contextlib.suppress(OSError, UnicodeDecodeError):
                text = Path(absolute).read_text(encoding="utf-8")
        problem = plantuml_problem(text)
        if problem:
            return f"'uml': {problem}"
    return ""


def guarded(base: type[Directive], first_argument_is_path: bool,
            options: tuple[str, ...]) -> type[Directive]:
    """``base`` with a check of every file it names before it reads one."""
    original_run: Callable[[Any], list[nodes.Node]] = base.run

    def run(self: Directive) -> list[nodes.Node]:
        problem = path_problem(self, first_argument_is_path, options)
        if problem:
            return report(self, problem)
        return original_run(self)

    return type(f"Guarded{base.__name__}", (base,), {"run": run})


def needs_filter_guarded(base: type[Directive]) -> type[Directive]:
    """A sphinx-needs directive that checks its filter expressions before it runs."""
    from rawa.safety.evaluation import filter_message, filter_problem

    original_run: Callable[[Any], list[nodes.Node]] = base.run

    def run(self: Directive) -> list[nodes.Node]:
        expressions = [str(v) for k, v in self.options.items() if k.startswith("filter")]
        if self.name == "needextend" and self.arguments:
            expressions.append(self.arguments[0])  # its argument is an ID or a filter
        if self.name == "needpie":
            expressions += [line for line in self.content if line.strip()]
        for expression in expressions:
            problem = filter_problem(expression)
            if problem:
                return report(self, filter_message(expression, problem))
        return original_run(self)

    return type(f"FilterChecked{base.__name__}", (base,), {"run": run})


def registered(name: str) -> type[Directive]:
    """The directive class currently registered under ``name``."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser, directives
    from docutils.utils import new_document

    probe = new_document("rawa-safety", get_default_settings(Parser))
    directive_class, _ = directives.directive(name, None, probe)  # type: ignore[arg-type]
    if directive_class is None:
        raise LookupError(name)
    return directive_class


def install(app: Sphinx) -> None:
    """Put the guards in front of the directives registered by Sphinx and the extensions."""
    for name in REFUSED:
        app.add_directive(name, refused(name, registered(name)), override=True)
    for name, (first_argument, options) in PATH_OPTIONS.items():
        app.add_directive(name, guarded(registered(name), first_argument, options),
                          override=True)
    from docutils.parsers.rst import directives as registry

    for name, directive_class in list(registry._directives.items()):  # noqa: SLF001
        if directive_class.__module__.startswith("sphinx_needs") and name not in REFUSED:
            spec = getattr(directive_class, "option_spec", None) or {}
            if "filter" in spec or name in {"needextend", "needpie"}:
                app.add_directive(name, needs_filter_guarded(directive_class), override=True)
    from rawa.compat.myst import install_myst_include_guard

    install_myst_include_guard()
