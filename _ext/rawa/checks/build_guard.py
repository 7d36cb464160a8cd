"""One build at a time per build folder, and a clean start after a build that failed.

An incremental build trusts what the previous build left in the doctree folder: the
pickled environment, the doctrees and our own state files (need digests, search index
entries, the exports key). Two ways break that trust:

* Two builds in the same folder at the same time (a save while ``make html`` still
  runs, an editor and ``make livehtml``) read and write those files at the same time.
  One build can pickle an environment that does not match the pages and search index
  the other wrote, and no later build sees anything left to repair.
* A build that fails. Sphinx pickles the environment after reading, before writing.
  A build that reads a duplicate ID (a need added to page B before it is removed from
  page A) keeps the need on page A only, and the next build does not read A again: the
  need is gone from the site. A build stopped while writing (Ctrl-C, ``kill``, a crash
  in an extension) pickles digests of needs whose dependent pages were never written.

The design is two rules, so that "after any failed build, the next build equals a
clean one" holds by construction instead of by repairing each case:

1. A lock: at ``config-inited``, before Sphinx loads the pickled environment, the
   build takes an exclusive lock on ``<doctreedir>/rawa-build.lock`` and holds it
   until ``build-finished``. A second build in the same folder says it waits and
   waits. The kernel drops the lock when the build process dies, so a lock never stays.
   It is a POSIX record lock (``lockf``), not an ``flock`` (nor the ``filelock``
   package, which uses ``flock``): a record lock belongs to the process and is not
   inherited by forked children. sphinx-sitemap forks a ``multiprocessing`` manager
   that outlives a killed build; with ``flock`` that orphan would keep the folder
   locked and every later build would wait for ever.
2. A marker: with the lock held, the build writes ``<doctreedir>/rawa-build-unfinished``
   and removes it only when the build ends without an exception and without a single
   warning. A build that finds the marker was preceded by a build that failed, was
   stopped or crashed; it empties the doctree folder first (Sphinx's ``-E`` and
   more: our state files go too) and the output folder, so it reads and writes every
   page like a clean build and leaves nothing of the failed one behind.

A build with warnings counts as failed even without ``-W``: Sphinx reports a warning
of an unchanged page only once, so the next incremental build would hide it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import IO, Any

from sphinx.application import ENV_PICKLE_FILENAME, Sphinx
from sphinx.config import Config
from sphinx.util import logging

from rawa import priorities

logger = logging.getLogger(__name__)

LOCK_NAME = "rawa-build.lock"
MARKER_NAME = "rawa-build-unfinished"
_LOCK_ATTR = "_rawa_build_lock"


def acquire(folder: Path) -> IO[str]:
    """Hold an exclusive lock on the build folder; say so when another build has it."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = (folder / LOCK_NAME).open("a", encoding="utf-8")
    try:
        fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # EAGAIN or EACCES: another process holds it
        logger.info("rawa: een andere build gebruikt %s; deze build wacht tot die klaar is",
                    folder)
        fcntl.lockf(handle, fcntl.LOCK_EX)
        logger.info("rawa: de andere build is klaar; deze build gaat verder")
    return handle


def empty_folder(folder: Path, keep: str) -> None:
    """Remove everything in the build's doctree folder except the lock file."""
    for entry in folder.iterdir():
        if entry.name == keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def holds_more_than_doctrees(app: Sphinx, folder: Path) -> bool:
    """A doctree folder given as (a parent of) the sources or the output: never empty it."""
    return any(Path(other).resolve().is_relative_to(folder.resolve())
               for other in (app.srcdir, app.confdir, app.outdir))


def holds_more_than_output(app: Sphinx, outdir: Path) -> bool:
    """An output folder that holds the sources or the configuration: never empty it."""
    return any(Path(other).resolve().is_relative_to(outdir.resolve())
               for other in (app.srcdir, app.confdir))


def start(app: Sphinx, config: Config) -> None:
    """Lock the folder; after an unfinished build, start from an empty doctree folder."""
    folder = Path(app.doctreedir)
    setattr(app, _LOCK_ATTR, acquire(folder))
    marker = folder / MARKER_NAME
    if marker.exists():
        logger.info("rawa: de vorige build in %s is niet goed afgerond; deze build begint "
                    "opnieuw en leest alle bronnen", folder)
        if holds_more_than_doctrees(app, folder):  # at least what Sphinx's -E does
            (folder / ENV_PICKLE_FILENAME).unlink(missing_ok=True)
        else:
            empty_folder(folder, keep=LOCK_NAME)
        # the output too: pages of removed sources, images a refused page had copied
        # and diagrams rendered in another batch would otherwise stay published
        outdir = Path(app.outdir)
        if outdir.is_dir() and not holds_more_than_output(app, outdir):
            doctrees = folder.resolve()
            keep = (doctrees.relative_to(outdir.resolve()).parts[0]
                    if doctrees.is_relative_to(outdir.resolve()) else LOCK_NAME)
            empty_folder(outdir, keep=keep)  # sphinx-build without -d: <outdir>/.doctrees
    marker.write_text(f"pid {os.getpid()}\n", encoding="utf-8")


def finish(app: Sphinx, exception: Exception | None) -> None:
    """Remove the marker after a build without problems; free the folder in any case."""
    handle: IO[str] | None = getattr(app, _LOCK_ATTR, None)
    if handle is None:
        return
    try:
        if exception is None and app.statuscode == 0 and app._warncount == 0:
            (Path(app.doctreedir) / MARKER_NAME).unlink(missing_ok=True)
    finally:
        delattr(app, _LOCK_ATTR)
        handle.close()  # drops the lock


def setup(app: Sphinx) -> dict[str, Any]:
    # first of all config-inited handlers: sphinxcontrib-jquery copies files into the
    # output folder there, which an emptied folder must keep
    app.connect("config-inited", start, priority=priorities.BUILD_GUARD_START)
    # last of all build-finished handlers: their warnings count too
    app.connect("build-finished", finish, priority=priorities.BUILD_GUARD_FINISH)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
