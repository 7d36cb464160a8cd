"""An incremental build after moving a need and a label to a new page."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_moving_a_need_to_a_new_page_builds_like_a_clean_build(
    make_app: Callable[..., Any], tmp_path: Path, rootdir: Path
) -> None:
    srcdir = tmp_path / "move"
    shutil.copytree(rootdir / "test-move-need", srcdir)
    first = make_app("html", srcdir=srcdir, freshenv=True)
    first.build()
    assert first.warning.getvalue().strip() == ""
    first.cleanup()  # unregister its nodes before the second app registers them again

    # the need and its label move to a new page that sorts (and is read) before b
    moved = (srcdir / "b.md").read_text(encoding="utf-8").replace("# Pagina B\n\n", "")
    (srcdir / "a.md").write_text("# Pagina A\n\n" + moved, encoding="utf-8")
    (srcdir / "b.md").write_text("# Pagina B\n\nLeeg.\n", encoding="utf-8")
    index = srcdir / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("b\n", "a\nb\n"), "utf-8")

    second = make_app("html", srcdir=srcdir, freshenv=False)
    second.build()
    assert second.warning.getvalue().strip() == ""
    assert 'id="PRI-B1"' in (second.outdir / "a.html").read_text(encoding="utf-8")
    assert 'id="PRI-B1"' not in (second.outdir / "b.html").read_text(encoding="utf-8")
