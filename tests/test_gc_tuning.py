"""``rawa.build.gc_tuning``: tuned during a build, reset after it, frozen at exit."""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rawa.build import gc_tuning as rawa_gc_tuning


def test_build_tunes_the_collector_and_resets_it_at_the_end(
        make_app: Callable[..., Any], tmp_path: Path, rootdir: Path) -> None:
    srcdir = tmp_path / "gc"
    shutil.copytree(rootdir / "test-trace-diff", srcdir)
    thresholds = gc.get_threshold()
    app = make_app("html", srcdir=srcdir, freshenv=True)  # tunes at config-inited
    during: list[tuple[int, tuple[int, int, int]]] = []
    writing: list[int] = []
    app.connect("write-started", lambda app, builder: writing.append(gc.get_freeze_count()))
    app.connect("build-finished", lambda app, exc: during.append(
        (gc.get_freeze_count(), gc.get_threshold())), priority=100)  # before the reset (900)
    app.build()
    assert app.warning.getvalue().strip() == ""
    # the configuration, the environment and the read documents were frozen, and young
    # objects were collected less often ...
    assert during and during[0][0] > 10_000
    assert during[0][1] == (rawa_gc_tuning.YOUNG_THRESHOLD, *thresholds[1:])
    # what the written pages left (search index, page data) is frozen before the
    # build-finished handlers run, so their collections do not walk it
    assert writing and during[0][0] > writing[0]
    # ... and once the build is over nothing stays frozen and the defaults are back
    # (a test process runs many builds)
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_process_exit_skips_the_final_collection() -> None:
    """At exit everything is frozen, so Python's last collection has nothing to walk."""
    script = (
        "import atexit, gc\n"
        # registered first, so it runs after the extension's handler (LIFO)
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
        "from rawa.build import gc_tuning as rawa_gc_tuning\n"
        "before = atexit._ncallbacks()\n"
        "rawa_gc_tuning.skip_final_collection_at_exit()\n"
        "rawa_gc_tuning.skip_final_collection_at_exit()  # a second build: no second handler\n"
        "print('new handlers:', atexit._ncallbacks() - before)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.splitlines() == ["new handlers: 1", "frozen at exit: True"], result
