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
  size and time of every file and program it names (the jar, ``java``) and of Graphviz's
  ``dot``, looked up on the ``PATH`` the command sets: another PlantUML, Java, Graphviz or
  option never reuses it;
- only diagrams that can read nothing but their own text are stored: none with a
  preprocessor line (``!include``, ``!theme ... from``, ``!import``, a variable, ...),
  a ``%`` function (``%load_json``, ``%filename``, ...) or an image (``<img:...>``,
  ``<img ...>``, in any case). Such a file could change without the text changing, and
  whether PlantUML may read it depends on the include folders of the project that
  builds; a diagram without any of them gives the same image in every project;
- an image is stored only after its batch succeeded without PlantUML's error images
  (``plantuml_syntax_error_image``), and written under a temporary name and then
  renamed, so two builds at the same time never read half a file.

Nothing is ever removed from the store; ``make clean`` empties it with ``_build``.
"""

from __future__ import annotations

import hashlib
import os
import re
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


#: what lets a diagram read more than its own text: a preprocessor line (every
#: directive and variable starts with ``!``), a ``%`` function, or an image
_MAY_READ_A_FILE = re.compile(rb"^[ \t]*!|%|<img\b", re.MULTILINE | re.IGNORECASE)


def storable(diagram: bytes) -> bool:
    """Whether the image of ``diagram`` can depend on its text alone (conservative)."""
    return _MAY_READ_A_FILE.search(diagram) is None


def _path_of(words: list[str]) -> str:
    """The ``PATH`` the command runs with: an ``env`` assignment in it, or ours."""
    assigned = [w.split("=", 1)[1] for w in words if w.startswith("PATH=")]
    return assigned[-1] if assigned else os.environ.get("PATH", "")


def command_identity(command: str | tuple[str, ...]) -> str:
    """A hash of the PlantUML command, of every program and file it names, and of ``dot``.

    Each word that is a file, or a program on the command's ``PATH`` (``java``), adds its
    size and time, and so does Graphviz's ``dot``, which lays most diagrams out: a new jar
    (another PlantUML version), another Java, another Graphviz or another option gives
    another identity, so images rendered by the old command are not reused.
    """
    words = list(command) if isinstance(command, tuple) else shlex.split(command)
    path = _path_of(words)
    digest = hashlib.sha256()
    for word in [*words, "dot"]:
        digest.update(word.encode("utf-8") + b"\0")
        found = word if os.path.isabs(word) else shutil.which(word, path=path)
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
            try:
                shutil.copyfile(rendered, temporary)
                os.chmod(temporary, 0o644)  # mkstemp makes it readable by its owner only
                os.replace(temporary, target)
            finally:
                Path(temporary).unlink(missing_ok=True)
