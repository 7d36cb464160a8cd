"""The package ``rawa``: one setup order, named priorities, checked upstream patches."""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import re
import runpy
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, STRICT, SUPPORT

import rawa
from rawa import SETUP_ORDER, compat, priorities
from rawa.compat import Upstream

PACKAGE = Path(rawa.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def build(make_app: Callable[..., Any], tmp_path: Path, root: str, builder: str) -> Any:
    srcdir = tmp_path / root
    shutil.copytree(ROOT / "tests" / "roots" / f"test-{root}", srcdir)
    app = make_app(builder, srcdir=srcdir, freshenv=True)
    app.build()
    return app


# -- one setup order ----------------------------------------------------------------------


def test_conf_names_rawa_and_the_third_party_extensions_it_sets_up() -> None:
    third_party = ["sphinxext.opengraph" if name == "rawa.compat.opengraph" else name
                   for name in SETUP_ORDER
                   if not name.startswith("rawa.") or name == "rawa.compat.opengraph"]
    assert runpy.run_path(str(ROOT / "conf.py"))["extensions"] == ["rawa", *third_party]


def test_every_module_with_a_setup_is_in_the_setup_order() -> None:
    """No extension is set up from somewhere else than SETUP_ORDER (or its own package)."""
    missing = []
    for path in MODULES:
        name = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        has_setup = any(isinstance(n, ast.FunctionDef) and n.name == "setup" for n in tree.body)
        parents = {".".join(name.split(".")[:i]) for i in range(2, name.count(".") + 1)}
        if has_setup and name != "rawa" and name not in SETUP_ORDER \
                and not parents & set(SETUP_ORDER):
            missing.append(name)
    assert not missing
    for path in MODULES:  # and no part sets up another part on its own
        assert "setup_extension(\"rawa" not in path.read_text(encoding="utf-8"), path


# -- named priorities ---------------------------------------------------------------------


def test_every_priority_is_a_name_from_the_priorities_module() -> None:
    numbers, used = [], set()
    for path in MODULES:
        if path.name == "priorities.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values = []
            if isinstance(node, ast.Call):
                values = [k.value for k in node.keywords if k.arg == "priority"]
            elif isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "default_priority" for t in node.targets):
                values = [node.value]
            for value in values:
                if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) \
                        and value.value.id == "priorities":
                    used.add(value.attr)
                elif not (isinstance(value, ast.Name) and value.id == "INSERT_PRIORITY"):
                    numbers.append(f"{path.name}:{node.lineno}")
    assert not numbers, "priority without a name from rawa.priorities"
    declared = {n for n in vars(priorities) if n.isupper() and n != "DEFAULT"}
    used.add("TERM_LINKS_INSERT")  # through terms.transform.INSERT_PRIORITY
    assert declared == used, "a priority in rawa.priorities that nothing uses, or the reverse"


def test_nothing_puts_folders_on_the_import_path() -> None:
    edits = re.compile(r"sys\.path\.(insert|append)|/ \"_ext\"")
    files = [ROOT / "conf.py", *(ROOT / "tools").glob("*.py"), *(ROOT / "tests").rglob("*.py")]
    found = [f"{f.relative_to(ROOT)}:{n}" for f in files if f != Path(__file__)
             for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
             if edits.search(line)]
    assert not found


def test_the_setup_order_is_the_order_sphinx_set_the_parts_up(
        make_app: Callable[..., Any], tmp_path: Path) -> None:
    app = build(make_app, tmp_path, "latex-appendix-warning", "latex")
    assert [name for name in app.extensions if name in SETUP_ORDER] == list(SETUP_ORDER)
    assert "sphinxext.opengraph" in app.extensions


# -- upstream patches ---------------------------------------------------------------------

COMPAT_MODULES = [importlib.import_module(f"rawa.compat.{m.name}")
                  for m in pkgutil.iter_modules(compat.__path__)]


@pytest.mark.parametrize("module", COMPAT_MODULES, ids=lambda m: m.__name__)
def test_each_patch_was_written_for_the_installed_upstream_version(module: Any) -> None:
    assert isinstance(module.WRITTEN_FOR, Upstream)
    assert compat.installed_version(module.WRITTEN_FOR.distribution) == module.WRITTEN_FOR.version


def test_a_patch_for_another_upstream_version_warns_at_its_declaration(
        make_app: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rawa.compat.plantuml as patch

    monkeypatch.setattr(patch, "WRITTEN_FOR", Upstream("sphinxcontrib-plantuml", "0.1"))
    app = build(make_app, tmp_path, "minimal", "html")
    line = compat.declaration_line(patch)
    assert patch.__file__ and line > 1
    output = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    assert (f"{patch.__file__}:{line}: WARNING: while setting up extension rawa.compat.plantuml: "
            "sphinxcontrib-plantuml is versie 0.31, maar de aanpassing in rawa.compat.plantuml is "
            "geschreven voor versie 0.1.") in output, output
    assert output.rstrip().endswith("[rawa.compat]")


# -- couplings that were wrong (issue 20) -------------------------------------------------


def test_the_appendix_warning_names_the_line_in_conf_py(
        make_app: Callable[..., Any], tmp_path: Path) -> None:
    app = build(make_app, tmp_path, "latex-appendix-warning", "latex")
    warnings_text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    conf = tmp_path / "latex-appendix-warning" / "conf.py"
    assert (f"{conf}:4: WARNING: rawa_latex_appendix 'bijlagen/index' in conf.py is geen "
            "document in de toctree van de PDF") in warnings_text, warnings_text
    assert "conf.py.md" not in warnings_text


def test_our_code_raises_no_deprecation_warning(
        make_app: Callable[..., Any], tmp_path: Path) -> None:
    """The term linker links terms (HTML and LaTeX) and the safety checks read paths."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for builder in ("html", "latex"):
            build(make_app, tmp_path / builder, "terms", builder)
    ours = [f"{w.filename}:{w.lineno}: {w.message}" for w in caught
            if issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))
            and Path(w.filename).is_relative_to(PACKAGE)]
    assert not ours


def test_an_html_build_does_not_import_weasyprint(tmp_path: Path) -> None:
    """WeasyPrint (and its font tools) load only for the PDF: half a second per build."""
    src = tmp_path / "bron"
    shutil.copytree(ROOT / "tests" / "roots" / "test-plantuml-store", src)
    arguments = [*STRICT, "-q", "-b", "html", str(src), str(tmp_path / "uit")]
    probe = ("import sys\nfrom sphinx.cmd.build import build_main\n"
             f"code = build_main({arguments!r})\n"
             "print('weasyprint' in sys.modules, code)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=False, env={**os.environ, "PYTHONPATH": str(SUPPORT)})
    assert result.stdout.split()[-2:] == ["False", "0"], result.stdout + result.stderr
