"""The store of rendered diagrams (``rawa.plantuml_store``): reused only when it is right.

A build with ``RAWA_PLANTUML_STORE`` set keeps what PlantUML rendered; a later build of
the same diagrams with the same command copies the images and starts no JVM.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Build, sphinx_build

from rawa import plantuml_store
from rawa.plantuml_store import DiagramStore, command_identity, storable

RENDERING = "rendering plantuml diagrams"


def _images(outdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(Path(outdir, "_images").glob("plantuml-*"))}


def _stored(store: Path) -> list[Path]:
    return sorted(p for p in store.rglob("*") if p.is_file())


def test_a_second_build_copies_the_diagrams_and_starts_no_plantuml(
        rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "voorraad"
    monkeypatch.setenv("RAWA_PLANTUML_STORE", str(store))
    monkeypatch.setenv("PYTHONPATH", str(rootdir.parent / "support"))
    src = tmp_path / "bron"
    shutil.copytree(rootdir / "test-plantuml-store", src)

    first = sphinx_build("html", tmp_path / "eerste", srcdir=src, confdir=src)
    assert first.returncode == 0, first.stderr
    assert RENDERING in first.stdout, "the first build renders the diagrams itself"
    assert len(_stored(store)) == 2, "both diagrams are in the store after the first build"
    kept = {p: p.stat().st_mtime_ns for p in _stored(store)}

    second = sphinx_build("html", tmp_path / "tweede", srcdir=src, confdir=src)
    assert second.returncode == 0, second.stderr
    assert RENDERING not in second.stdout, "the second build started PlantUML"
    assert len(_images(tmp_path / "tweede")) == 2
    assert _images(tmp_path / "tweede") == _images(tmp_path / "eerste")
    assert {p: p.stat().st_mtime_ns for p in _stored(store)} == kept, "nothing stored again"


def test_without_a_store_nothing_is_kept(build_root: Build,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(DiagramStore, "save", lambda *a, **k: calls.append("save"))
    monkeypatch.setattr(DiagramStore, "restore", lambda *a, **k: calls.append("restore"))
    monkeypatch.delenv("RAWA_PLANTUML_STORE", raising=False)
    assert plantuml_store.store_folder() is None
    app, warnings = build_root("plantuml-store")
    assert warnings == ""
    assert RENDERING in app._status.getvalue()
    assert calls == [], "without RAWA_PLANTUML_STORE the store is neither read nor written"


BROKEN = "\n```{uml}\n:alt: Kapot.\n\n@startuml\nA -> B\ndit is geen plantuml (((\n@enduml\n```\n"


@pytest.mark.parametrize("error_images", [False, True])
def test_a_batch_with_a_broken_diagram_stores_nothing(rootdir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      error_images: bool) -> None:
    """The batch fails; its good diagrams are drawn one by one, but none is kept, also
    not when PlantUML draws error images instead of failing (the build only warns)."""
    store = tmp_path / "voorraad"
    monkeypatch.setenv("RAWA_PLANTUML_STORE", str(store))
    monkeypatch.setenv("PYTHONPATH", str(rootdir.parent / "support"))
    src = tmp_path / "bron"
    shutil.copytree(rootdir / "test-plantuml-store", src)
    with (src / "index.md").open("a", encoding="utf-8") as page:
        page.write(BROKEN)
    extra = ("-D", "plantuml_syntax_error_image=1") if error_images else ()
    result = sphinx_build("html", tmp_path / "uit", srcdir=src, confdir=src, extra=extra)
    assert result.returncode != 0, "the broken diagram fails the strict build"
    assert "error while running plantuml" in result.stderr
    assert _stored(store) == []
    assert len(_images(tmp_path / "uit")) >= 2, "the good diagrams are still drawn"


@pytest.mark.parametrize("diagram", [
    b"@startuml\n!include diagrams/stijl.iuml\nA -> B\n@enduml\n",
    b"@startuml\n  !includesub x.puml!DEEL\n@enduml\n",
    b"@startuml\n!import bibliotheek\n@enduml\n",
    b"@startuml\n!theme mijn from diagrams\nA -> B\n@enduml\n",
    b'@startuml\n!$a = "<im"\nA -> B : $a\n@enduml\n',
    b"@startuml\ntitle %filename()\n@enduml\n",
    b'@startuml\ntitle %load_json("gegevens.json")\n@enduml\n',
    b"@startuml\nA -> B : <img:logo.png>\n@enduml\n",
    b"@startuml\nA -> B : <IMG:logo.png>\n@enduml\n",
    b"@startuml\nA -> B : <img logo.png>\n@enduml\n",
])
def test_a_diagram_that_reads_another_file_is_never_stored(tmp_path: Path,
                                                           diagram: bytes) -> None:
    assert not storable(diagram)
    cache = tmp_path / "cache"
    (cache / "ab").mkdir(parents=True)
    (cache / "ab" / "abcd.puml").write_bytes(diagram)
    (cache / "ab" / "abcd.svg").write_text("<svg/>", encoding="utf-8")
    store = DiagramStore(tmp_path / "voorraad", "id")
    store.save("abcd", ["svg"], cache)
    assert not (tmp_path / "voorraad").exists()


def test_a_diagram_of_text_alone_is_stored() -> None:
    assert storable(b"@startuml\nskinparam shadowing false\nA -> B : klaar!\n@enduml\n")


def test_another_plantuml_java_graphviz_or_option_does_not_reuse_an_image(
        tmp_path: Path) -> None:
    programs = tmp_path / "bin"
    programs.mkdir()
    for name in ("java", "dot"):
        (programs / name).write_bytes(b"#!/bin/sh\n")
        (programs / name).chmod(0o755)
    jar = tmp_path / "plantuml.jar"
    jar.write_bytes(b"versie 1")
    command = f"env -i PATH={programs} java -Djava.awt.headless=true -jar {jar}"
    before = command_identity(command)
    assert command_identity(command) == before
    assert command_identity(command.replace("headless=true", "headless=false")) != before
    jar.write_bytes(b"versie 2, langer")
    assert command_identity(command) != before, "a new jar is another PlantUML"
    after_jar = command_identity(command)
    (programs / "java").write_bytes(b"#!/bin/sh\n# een andere Java\n")
    assert command_identity(command) != after_jar, "java on the command's PATH counts"
    after_java = command_identity(command)
    (programs / "dot").write_bytes(b"#!/bin/sh\n# een andere Graphviz\n")
    assert command_identity(command) != after_java, "Graphviz's dot counts"

    cache = tmp_path / "cache"
    (cache / "ab").mkdir(parents=True)
    (cache / "ab" / "abcd.puml").write_bytes(b"@startuml\nA -> B\n@enduml\n")
    (cache / "ab" / "abcd.svg").write_text("<svg>oud</svg>", encoding="utf-8")
    DiagramStore(tmp_path / "voorraad", before).save("abcd", ["svg"], cache)
    (cache / "ab" / "abcd.svg").unlink()
    assert not DiagramStore(tmp_path / "voorraad", command_identity(command)).restore(
        "abcd", ["svg"], cache)
    assert DiagramStore(tmp_path / "voorraad", before).restore("abcd", ["svg"], cache)
    assert (cache / "ab" / "abcd.svg").read_text(encoding="utf-8") == "<svg>oud</svg>"


def test_a_stored_image_is_never_used_for_a_diagram_that_reads_a_file(tmp_path: Path) -> None:
    """Even when the store holds an image under that diagram's name (put there by another
    project, whose include folders allowed the read), the build draws it itself, so
    PlantUML's allowlist of this project decides."""
    cache = tmp_path / "cache"
    (cache / "ab").mkdir(parents=True)
    (cache / "ab" / "abcd.puml").write_bytes(b"@startuml\nA -> B : <img:/elders/geheim.png>\n"
                                             b"@enduml\n")
    store = DiagramStore(tmp_path / "voorraad", "id")
    planted = store._path("abcd", "svg")
    planted.parent.mkdir(parents=True)
    planted.write_text("<svg>geheim</svg>", encoding="utf-8")
    assert not store.restore("abcd", ["svg"], cache)
    assert not (cache / "ab" / "abcd.svg").exists()
