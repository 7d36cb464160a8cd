"""sphinxcontrib-plantuml: include folders per build, and a fallback for broken batches.

Two patches of sphinxcontrib-plantuml 0.31:

- ``sphinxcontrib.plantuml._split_cmdargs`` (a module function) fills in the include
  folders of this project in the command (:data:`rawa.plantuml.ALLOWLIST_PLACEHOLDER`),
  so the command in ``conf.py`` holds no absolute path;
- ``PlantumlBuilder.render_batches`` drops the output of a batch with an error, so each
  diagram is rendered on its own and the broken one is reported at its file and line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import sphinxcontrib.plantuml as plantuml_extension
from sphinx.application import Sphinx
from sphinxcontrib.plantuml import PlantumlBuilder, PlantUmlError

from rawa.compat import Upstream, check_version
from rawa.plantuml import _fill_in_include_dirs

WRITTEN_FOR = Upstream("sphinxcontrib-plantuml", "0.31")


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

_original_split_cmdargs = plantuml_extension._split_cmdargs


def _split_cmdargs(command: Any) -> list[str]:
    return _fill_in_include_dirs(list(_original_split_cmdargs(command)))


def setup(app: Sphinx) -> dict[str, Any]:
    check_version(sys.modules[__name__])
    plantuml_extension._split_cmdargs = _split_cmdargs
    PlantumlBuilder.render_batches = _render_batches_or_fall_back  # type: ignore[method-assign]
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
