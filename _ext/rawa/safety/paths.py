"""Which files a source page may read: only those inside the project's declared folders.

A page names files in many ways (includes, diagrams, images, downloads, CSV tables).
Each of them is resolved here the way Sphinx resolves it (``env.relfn2path``: a leading
``/`` means the source folder, anything else is relative to the page), symbolic links
followed, and then held against the folders in ``rawa_project_dirs`` (relative to the
folder of ``conf.py``). A path that lands anywhere else is refused, so a page can never
publish a file from outside the project, whatever ``../`` or link it uses.
"""

from __future__ import annotations

import re
import weakref
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

#: Config value: folders (relative to the configuration folder) a page may read from.
CONFIG_NAME = "rawa_project_dirs"
DEFAULT_DIRS = ("source", "diagrams", "examples")

# a URI scheme (http:, https:, ftp:, file:, data:, javascript:, ...) or a network path
_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)")


def is_remote(target: str) -> bool:
    """Whether ``target`` names something outside the file system (a URL or data URI)."""
    return bool(_REMOTE.match(target.strip()))


#: the configuration folder of each environment (``builder-inited``): ``env.app`` is
#: deprecated (removed in Sphinx 11), and the environment does not know the folder itself
_CONFDIRS: weakref.WeakKeyDictionary[BuildEnvironment, Path] = weakref.WeakKeyDictionary()


def remember_confdir(app: Sphinx) -> None:
    """Keep the configuration folder for the checks of this build."""
    _CONFDIRS[app.env] = Path(app.confdir)


def allowed_dirs(env: BuildEnvironment) -> list[Path]:
    """The resolved folders a page may read from."""
    confdir = _CONFDIRS[env]
    return [(confdir / d).resolve() for d in env.config[CONFIG_NAME]]


def describe_allowed(env: BuildEnvironment) -> str:
    """The allowed folders as a maintainer reads them in a message."""
    return ", ".join(f"{d}/" for d in env.config[CONFIG_NAME])


def outside_project(env: BuildEnvironment, target: str, docname: str | None = None) -> str:
    """Why ``target`` may not be read from the page ``docname``; empty when it may.

    ``target`` is written as in the source: relative to the page, or starting with
    ``/`` for the source folder. URLs are refused: a build never fetches anything.
    """
    target = target.strip()
    if not target:
        return ""
    if target.startswith("<") and target.endswith(">"):
        return (f"'{target}' is een standaardbestand van docutils, buiten het project; "
                f"alleen bestanden in {describe_allowed(env)} mogen in de publicatie")
    if is_remote(target):
        return (f"'{target}' is een adres op het netwerk; de build haalt nooit iets op. "
                f"Zet het bestand in {describe_allowed(env)}")
    if "\x00" in target:
        return f"'{target!r}' bevat een nul-teken"
    _, absolute = env.relfn2path(target, docname or env.docname)
    resolved = Path(absolute).resolve()
    if any(resolved == d or d in resolved.parents for d in allowed_dirs(env)):
        return ""
    return (f"'{target}' ligt buiten de projectmappen ({describe_allowed(env)}); "
            f"een pagina mag alleen bestanden uit het project opnemen")
