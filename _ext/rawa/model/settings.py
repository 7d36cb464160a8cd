"""Mistakes in the settings end the build with one Dutch message, never a traceback.

Sphinx 9 prints any exception from ``conf.py`` or from an extension, ``ConfigError``
included, with its versions, a full traceback and a request to report a bug (checked on
Sphinx 9.0.4, with and without ``-T``). For a typo in ``publicatie.toml`` that is noise.
So ``conf.py`` reads ``publicatie.toml`` with :func:`rawa_publication.load_for_conf`, which
keeps the problem instead of raising it. This extension, early in ``conf.py``'s list,
then prints each problem as ``path:line: ERROR: ... [rawa.settings]`` and ends the run
with :class:`SystemExit` (exit status 2): Sphinx lets that through without a traceback.

``SOURCE_DATE_EPOCH`` is checked at the same moment, from ``conf.py``: Sphinx's own
modules read it as they are imported (``sphinx.builders.gettext``) and when they set the
copyright year, and crash on an invalid value. An invalid value is kept as a problem and
taken out of the environment, so Sphinx gets as far as this extension.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
EXIT_STATUS = 2


@dataclass(frozen=True)
class Problem:
    """One mistake in a settings file (or environment variable), with its place."""

    path: str
    line: int | None
    message: str

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class SettingsError(Exception):
    """One or more problems; ``str()`` gives one ``path:line: message`` line per problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, path: Path | str, line: int | None, message: str) -> SettingsError:
        """A single problem; ``path`` is a file, or a name such as an environment variable."""
        return cls([Problem(shown(path) if isinstance(path, Path) else path, line, message)])


def shown(path: Path) -> str:
    """A path as a maintainer reads it: relative to the working directory when inside it."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd()))
    except ValueError:
        return str(resolved)


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` in seconds, ``None`` when not set; invalid: SettingsError."""
    raw = os.environ.get(EPOCH_VARIABLE)
    if raw is None:
        return None
    problem = SettingsError.one(
        EPOCH_VARIABLE, None,
        f"de omgevingsvariabele {EPOCH_VARIABLE} is {raw!r}; dat is geen geheel aantal "
        "seconden sinds 1 januari 1970 (UTC) tot uiterlijk het jaar 9999. Laat de variabele "
        "weg of zet een getal, zoals de Makefile doet met de tijd van de laatste commit.")
    if not re.fullmatch(r"\s*[0-9]+\s*", raw):
        raise problem
    try:
        moment = dt.datetime.fromtimestamp(int(raw), tz=dt.UTC)
    except (OverflowError, ValueError, OSError):
        raise problem from None
    if moment.year > 9999:  # pragma: no cover - fromtimestamp fails first on most systems
        raise problem
    return int(raw)


#: Problems found while ``conf.py`` ran, reported by :func:`setup`.
_PENDING: list[Problem] = []


def start_conf_checks() -> None:
    """Forget earlier problems and check the environment (called when ``conf.py`` runs)."""
    _PENDING.clear()
    try:
        source_date_epoch()
    except SettingsError as err:
        _PENDING.extend(err.problems)
        del os.environ[EPOCH_VARIABLE]  # Sphinx would crash on it before setup() runs


def defer(error: SettingsError) -> None:
    """Keep the problems of ``conf.py`` for :func:`setup` to report."""
    _PENDING.extend(error.problems)


def report_and_exit(error: SettingsError) -> None:
    """Print the problems the way Sphinx prints a located error, then stop the build."""
    for problem in error.problems:
        print(f"{problem.location}: ERROR: {problem.message} [rawa.settings]", file=sys.stderr)
    raise SystemExit(EXIT_STATUS)


def setup(app: Any) -> dict[str, Any]:
    problems = list(_PENDING)
    try:
        source_date_epoch()  # also when conf.py did not call start_conf_checks()
    except SettingsError as err:
        problems.extend(err.problems)
    if problems:
        report_and_exit(SettingsError(problems))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
