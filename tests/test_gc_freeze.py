"""``_ext/rawa_gc_freeze.py``: frozen during a build, unfrozen after it, frozen at exit."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import ROOT


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


def test_process_exit_skips_the_final_collection() -> None:
    """At exit everything is frozen, so Python's last collection has nothing to walk."""
    script = (
        "import atexit, gc\n"
        # registered first, so it runs after the extension's handler (LIFO)
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
        "import rawa_gc_freeze\n"
        "before = atexit._ncallbacks()\n"
        "rawa_gc_freeze.skip_final_collection_at_exit()\n"
        "rawa_gc_freeze.skip_final_collection_at_exit()  # a second build: no second handler\n"
        "print('new handlers:', atexit._ncallbacks() - before)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "_ext")})
    assert result.stdout.splitlines() == ["new handlers: 1", "frozen at exit: True"], result
