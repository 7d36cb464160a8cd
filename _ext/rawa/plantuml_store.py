"""A store of rendered diagrams that every build on this machine can reuse.

sphinxcontrib-plantuml keeps what it renders in the output folder (``_plantuml``), so a
build into a fresh folder starts one JVM per batch again: about 11 seconds for the
publication's diagrams, in every clean build, in ``make html`` and ``make pdf`` alike,
and in every test that builds the publication.

When the environment variable ``RAWA_PLANTUML_STORE`` names a folder, a rendered image
is also kept there, and a later build copies it instead of rendering it. The Makefile
sets ``_build/plantuml-store``; unset, nothing is stored and nothing is reused.

What makes a stored image the right one:

- its name is a hash of the diagram (sphinxcontrib-plantuml's own key: the text and the
  folder it is read from), of the image format, and of the PlantUML command with the
  size and time of every file the command names (the jar): another PlantUML, other Java
  options or another format never reuse it;
- only diagrams that read no other file are stored: none with ``!include``,
  ``!import``, ``%filename`` or an ``<img:...>``, since such a file can change without
  the diagram's text changing;
- an image is stored only after its batch succeeded, and written under a temporary
  name and then renamed, so two builds at the same time never read half a file.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shlex
import shutil
import tempfile
from pathlib import Path

#: the folder of the store; unset or empty: no store
STORE_VARIABLE = "RAWA_PLANTUML_STORE"


def store_folder() -> Path | None:
    """The store named by ``RAWA_PLANTUML_STORE``, or ``None`` when there is none."""
    folder = os.environ.get(STORE_VARIABLE, "").strip()
    return Path(folder) if folder else None


#: what makes PlantUML read another file than the diagram itself
_READS_A_FILE = (b"!include", b"!import", b"%filename", b"<img:")


def storable(diagram: bytes) -> bool:
    """Whether the image of ``diagram`` depends on its text alone."""
    return not any(marker in diagram for marker in _READS_A_FILE)


@functools.lru_cache(maxsize=8)
def command_identity(command: str | tuple[str, ...]) -> str:
    """A hash of the PlantUML command and of every program and file it names.

    Each word that is a file, or a program on ``PATH`` (``java``), adds its size and
    time: a new jar (another PlantUML version), another Java or another option gives
    another identity, so images rendered by the old command are not reused.
    """
    words = list(command) if isinstance(command, tuple) else shlex.split(command)
    digest = hashlib.sha256()
    for word in words:
        digest.update(word.encode("utf-8") + b"\0")
        found = word if os.path.isabs(word) else shutil.which(word)
        if found and os.path.isfile(found):
            stat = os.stat(found)
            digest.update(f"{stat.st_size}:{stat.st_mtime_ns}\0".encode("ascii"))
    return digest.hexdigest()


class DiagramStore:
    """Rendered images under ``folder``, named by diagram, format and command."""

    def __init__(self, folder: Path, identity: str) -> None:
        self.folder = folder
        self.identity = identity

    def _path(self, key: str, fileformat: str) -> Path:
        name = hashlib.sha256(
            f"{self.identity}\0{key}\0{fileformat}".encode()).hexdigest()
        return self.folder / name[:2] / f"{name}.{fileformat}"

    def restore(self, key: str, formats: list[str], cache_dir: Path) -> bool:
        """Copy the stored images of ``key`` into sphinxcontrib-plantuml's cache folder.

        Returns whether every format was there; when one is missing, nothing is copied
        and the diagram is rendered as usual.
        """
        stored = [self._path(key, fmt) for fmt in formats]
        if not stored or not all(path.is_file() for path in stored):
            return False
        if not storable(Path(cache_dir, key[:2], f"{key}.puml").read_bytes()):
            return False
        for fmt, path in zip(formats, stored, strict=True):
            target = cache_dir / key[:2] / f"{key}.{fmt}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        return True

    def save(self, key: str, formats: list[str], cache_dir: Path) -> None:
        """Keep the rendered images of ``key`` from the cache folder in the store."""
        diagram = Path(cache_dir, key[:2], f"{key}.puml")
        if not diagram.is_file() or not storable(diagram.read_bytes()):
            return
        for fmt in formats:
            rendered = cache_dir / key[:2] / f"{key}.{fmt}"
            if not rendered.is_file():
                continue
            target = self._path(key, fmt)
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".new-")
            os.close(handle)
            shutil.copyfile(rendered, temporary)
            os.replace(temporary, target)
