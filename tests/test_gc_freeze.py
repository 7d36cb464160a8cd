"""``_ext/rawa_gc_freeze.py``: objects are frozen during a build and unfrozen after it."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_build_freezes_long_lived_objects_and_unfreezes_them_at_the_end(
        make_app: Callable[..., Any], tmp_path: Path, rootdir: Path) -> None:
    srcdir = tmp_path / "gc"
    shutil.copytree(rootdir / "test-trace-diff", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    frozen_while_writing: list[int] = []
    app.connect("build-finished", lambda app, exc: frozen_while_writing.append(
        gc.get_freeze_count()), priority=100)  # before the extension unfreezes (900)
    app.build()
    assert app.warning.getvalue().strip() == ""
    # the configuration, the environment and the read documents were frozen ...
    assert frozen_while_writing and frozen_while_writing[0] > 10_000
    # ... and nothing stays frozen once the build is over (a test process runs many)
    assert gc.get_freeze_count() == 0
