"""sphinxcontrib-plantuml: include folders per build, a fallback for broken batches, a store.

Three patches of sphinxcontrib-plantuml 0.31:

- ``sphinxcontrib.plantuml._split_cmdargs`` (a module function) fills in the include
  folders of this project in the command (:data:`rawa.plantuml.ALLOWLIST_PLACEHOLDER`),
  so the command in ``conf.py`` holds no absolute path;
- ``PlantumlBuilder.render_batches`` drops the output of a batch with an error, so each
  diagram is rendered on its own and the broken one is reported at its file and line;
- ``PlantumlBuilder.collect_nodes`` copies a diagram that waits for its batch from the
  store of drawn diagrams (:mod:`rawa.plantuml_store`) when the store holds it, and
  ``render_batches`` keeps what a successful batch drew in that store.
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
from rawa.plantuml_store import DiagramStore, command_identity, store_folder

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
        return
    store = _store(self)
    # with PlantUML's error images on, a broken batch only warns: its images are not kept
    if store is not None and not self.builder.config.plantuml_syntax_error_image:
        for key in pending:
            store.save(key, self.image_formats, Path(self.cache_dir))


def _store(builder: Any) -> DiagramStore | None:
    """The store of rendered diagrams for this build's command, if one is set; worked out
    once per build (one ``PlantumlBuilder``), not for every page."""
    if not hasattr(builder, "_rawa_store"):
        folder = store_folder()
        command = builder.builder.config.plantuml
        builder._rawa_store = None if folder is None else DiagramStore(folder, command_identity(
            tuple(command) if isinstance(command, list | tuple) else command))
    return builder._rawa_store


def _collect_nodes_from_store(self: Any, doctree: Any) -> None:
    """Collect the batch as usual; a diagram the store holds is copied, not rendered."""
    waiting = len(self._pending_keys)
    _original_collect_nodes(self, doctree)
    store = _store(self)
    if store is None or len(self._pending_keys) == waiting:
        return
    new = self._pending_keys[waiting:]
    del self._pending_keys[waiting:]
    self._pending_keys.extend(
        key for key in new
        if not store.restore(key, self.image_formats, Path(self.cache_dir)))


_original_render_batches = PlantumlBuilder.render_batches

_original_collect_nodes = PlantumlBuilder.collect_nodes

_original_split_cmdargs = plantuml_extension._split_cmdargs


def _split_cmdargs(command: Any) -> list[str]:
    return _fill_in_include_dirs(list(_original_split_cmdargs(command)))


def setup(app: Sphinx) -> dict[str, Any]:
    check_version(sys.modules[__name__])
    plantuml_extension._split_cmdargs = _split_cmdargs
    PlantumlBuilder.render_batches = _render_batches_or_fall_back  # type: ignore[method-assign]
    PlantumlBuilder.collect_nodes = _collect_nodes_from_store  # type: ignore[method-assign]
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
