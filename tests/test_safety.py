"""A source page cannot leak a file, fetch from the network, run code or publish script.

Each ``tests/roots/test-unsafe-*`` root holds one family of mechanisms, each mistake on
its own line. Every test asserts the warning at that line, the absence of a traceback
and the state of the output: the secret file's text is nowhere in it, nothing was
fetched, no script survives. The scripted cases at the end need an absolute path or a
local listener, so they write their page at run time.
"""

from __future__ import annotations

import http.server
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import STRICT, SUPPORT, warnings_at
from rawa_browser import PAGES, Site

from rawa.safety.csp import policy_for, script_hash

ROOTS = Path(__file__).parent / "roots"
SECRET = "GEHEIM-7f3a-uit-een-bestand-buiten-het-project"
OUTSIDE = "ligt buiten de projectmappen"
RAW = "Ruwe inhoud (html) is niet toegestaan"

# root, line of the mistake, text the warning must contain
UNSAFE = [
    ("unsafe-files", 3, f"'include': '../geheim.txt' {OUTSIDE}"),
    ("unsafe-files", 6, f"'literalinclude': '/../geheim.txt' {OUTSIDE}"),
    ("unsafe-files", 9, f"'literalinclude' (optie :diff:): '../geheim.txt' {OUTSIDE}"),
    ("unsafe-files", 13, f"'csv-table' (optie :file:): '../geheim.txt' {OUTSIDE}"),
    ("unsafe-files", 17, f"'uml': '../geheim.txt' {OUTSIDE}"),
    ("unsafe-files", 21, f"'include': '../geheim.txt' {OUTSIDE}"),
    ("unsafe-files", 24, f"Afbeelding: '../geheim.png' {OUTSIDE}"),
    ("unsafe-files", 26, f"Download: '../geheim.txt' {OUTSIDE}"),
    ("unsafe-files", 28, "'<isonum.txt>' is een standaardbestand van docutils"),
    ("unsafe-files", 38, f"Afbeelding: '../geheim.*' {OUTSIDE}"),
    ("unsafe-script", 1, RAW),
    ("unsafe-script", 3, RAW),
    ("unsafe-script", 13, RAW),
    ("unsafe-script", 18, RAW),
    ("unsafe-script", 21, "De opdracht 'raw' is niet toegestaan"),
    ("unsafe-script", 25, "Formules ({math}) zijn niet toegestaan"),
    ("unsafe-script", 28, "Link naar 'javascript:alert(5)'"),
    ("unsafe-script", 31, "het SVG-bestand bevat een <script>-element"),
    ("unsafe-script", 35, "het SVG-bestand bevat een <animate>-element"),
    ("unsafe-script", 37, "Download 'kwaadaardig.svg': het SVG-bestand bevat een <script>"),
    ("unsafe-script", 39, "Download: 'pagina.html' is een .html-bestand"),
    ("unsafe-script", 41, "De opdracht 'tabularcolumns' is niet toegestaan"),
    ("unsafe-script", 45, "De opdracht 'meta' is niet toegestaan"),
    ("unsafe-code", 3, "Vervanging '{{ env.app.srcdir }}' is niet toegestaan"),
    ("unsafe-code", 5, "de naam '__import__' is niet toegestaan in een filter"),
    ("unsafe-code", 9, "de naam 'open' is niet toegestaan in een filter"),
    ("unsafe-code", 12, "Unknown option key: 'filter-func'"),
    ("unsafe-code", 15, "De opdracht 'needuml' is niet toegestaan"),
    ("unsafe-code", 19, "De opdracht 'needimport' is niet toegestaan"),
    ("unsafe-code", 22, "De opdracht 'needservice' is niet toegestaan"),
    ("unsafe-code", 29, "'uml': '%getenv' (regel 2 van het diagram)"),
    ("unsafe-code", 35, "de naam '__import__' is niet toegestaan in een filter"),
]


def output_text(outdir: Path, *, with_static: bool = True) -> str:
    """Every file of a build output, as text, for searching.

    ``with_static=False`` leaves out ``_static``: the theme's and Sphinx's own scripts,
    which mention ``onerror=`` and ``javascript:`` themselves.
    """
    return "\n".join(p.read_bytes().decode("utf-8", "replace")
                     for p in sorted(outdir.rglob("*")) if p.is_file()
                     and (with_static or "_static" not in p.relative_to(outdir).parts))


def without_tags(html: str) -> str:
    """The text of an HTML page, roughly: tags removed (highlighting splits words)."""
    return re.sub(r"<[^>]+>", "", html)


@pytest.fixture
def unsafe_build(make_app: Callable[..., Any], tmp_path: Path,
                 rootdir: Path) -> Callable[[str], tuple[Any, str]]:
    """Build a ``test-unsafe-*`` root next to a secret file that lies outside it."""

    def build(name: str, builder: str = "html") -> tuple[Any, str]:
        (tmp_path / "geheim.txt").write_text(f"{SECRET}\n", encoding="utf-8")
        shutil.copy(ROOTS / "test-unsafe-script" / "onschuldig.svg", tmp_path / "geheim.png")
        srcdir = tmp_path / name
        if not srcdir.exists():
            shutil.copytree(rootdir / f"test-{name}", srcdir)
        app = make_app(builder, srcdir=srcdir, freshenv=True)
        app.build()
        return app, app.warning.getvalue()

    return build


@pytest.mark.parametrize(("root", "line", "expected"), UNSAFE,
                         ids=[f"{u[0]}-{u[1]}" for u in UNSAFE])
def test_unsafe_source_is_refused_at_its_line(unsafe_build: Any, root: str, line: int,
                                              expected: str) -> None:
    _, warnings = unsafe_build(root)
    assert warnings_at(warnings, root, line, expected), (
        f"no warning at index.md:{line} containing {expected!r}:\n{warnings}")
    assert "Traceback" not in warnings


@pytest.mark.parametrize("root", sorted({u[0] for u in UNSAFE}))
def test_refusals_are_the_only_warnings(unsafe_build: Any, root: str) -> None:
    """Each mistake is reported once, and nothing else in the root is refused."""
    _, warnings = unsafe_build(root)
    reported = [w for w in warnings.splitlines() if re.search(r"\.md:\d+: (WARNING|ERROR)", w)]
    expected = [u for u in UNSAFE if u[0] == root]
    assert len(reported) == len(expected) + (1 if root == "unsafe-files" else 0), reported


def test_files_from_outside_never_reach_the_output(unsafe_build: Any) -> None:
    app, warnings = unsafe_build("unsafe-files")
    published = output_text(Path(app.outdir))
    assert SECRET not in published
    assert not list(Path(app.outdir).rglob("geheim*")), "an outside file was copied"
    # files inside the project still work, also from a page in a subfolder
    assert "Deze regel staat in het project" in without_tags(published)
    assert warnings_at(warnings, "unsafe-files/deel/pagina", 3, OUTSIDE) or \
        f"deel/pagina.md:3: WARNING: 'literalinclude': '../../geheim.txt' {OUTSIDE}" in warnings


@pytest.mark.parametrize("builder", ["html", "latex"])
def test_no_script_or_raw_latex_reaches_the_output(unsafe_build: Any, builder: str) -> None:
    app, _ = unsafe_build("unsafe-script", builder)
    outdir = Path(app.outdir)
    # the pages and the LaTeX; needs.json and the CSV keep the source text as data
    published = "\n".join(p.read_text(encoding="utf-8") for p in sorted(outdir.rglob("*"))
                          if p.suffix in {".html", ".tex", ".svg", ".sty"}
                          and "_static" not in p.relative_to(outdir).parts)
    for attack in ("onerror=", "onmouseover=", "onclick=", "javascript:", "alert(6)", "alert(7)",
                   "alert(8)", r"\input{/etc/hostname}"):
        assert attack not in published, f"{attack!r} in the {builder} output"
    if builder == "html":
        page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
        assert "Een HTML-blok" not in page and "mathjax" not in page.lower()
        assert "onschuldig.svg" in page  # a harmless SVG stays
        assert "refresh" not in page  # no redirect from the page's metadata


def test_nothing_active_is_copied_into_the_output(unsafe_build: Any) -> None:
    app, _ = unsafe_build("unsafe-script")
    outdir = Path(app.outdir)
    copied = sorted(p.name for p in outdir.rglob("*")
                    if p.name.startswith(("kwaadaardig", "bewegend", "pagina")))
    assert copied == [], copied


def test_no_code_runs_from_a_page(unsafe_build: Any, tmp_path: Path) -> None:
    app, _ = unsafe_build("unsafe-code")
    svgs = " ".join(p.read_text(encoding="utf-8") for p in Path(app.outdir).rglob("*.svg"))
    assert "/root" not in svgs and str(Path.home()) not in svgs  # %getenv("HOME")
    assert not list(tmp_path.rglob("geraakt.txt")), "a filter ran code"
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert str(tmp_path) not in page  # {{ env.app.srcdir }} did not render
    assert "Versie 0." in page or "Versie " in page  # a declared substitution still works


# -- scripted cases: absolute paths and the network ------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"@startuml\nA -> B : GEHAALD\n@enduml\n")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def listener() -> Iterator[str]:
    """A local HTTP server that records every request; yields its base URL."""
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _cli_build(src: Path, out: Path, builder: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(SUPPORT), "PATH": "/usr/bin:/bin",
           "HOME": str(src.parent), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "sphinx", *STRICT, "-b", builder, str(src),
                           str(out)], capture_output=True, text=True, check=False, env=env,
                          cwd=src.parent)


@pytest.mark.parametrize("builder", ["html", "latex"])
def test_nothing_is_fetched_and_plantuml_reads_nothing_outside(tmp_path: Path, listener: str,
                                                              builder: str) -> None:
    secret = tmp_path / "geheim.iuml"
    secret.write_text(f"C -> D : {SECRET}\n", encoding="utf-8")
    src = tmp_path / "bron"
    src.mkdir()
    shutil.copy(ROOTS / "test-unsafe-files" / "conf.py", src / "conf.py")
    (src / "index.md").write_text(
        "# Netwerk\n\n"
        f"```{{uml}}\n@startuml\n!include {secret}\nA -> B\n@enduml\n```\n\n"  # line 3
        f"```{{uml}}\n@startuml\n!includeurl {listener}/a.puml\nA -> B\n@enduml\n```\n\n"  # 10
        f"![extern]({listener}/plaatje.png)\n\n"  # line 17
        f"```{{csv-table}} Tabel\n:url: {listener}/tabel.csv\n```\n\n"  # line 19
        f"```{{uml}}\n@startuml\nA -> B : <img:{listener}/p.png>\n@enduml\n```\n",  # line 23
        encoding="utf-8")
    result = _cli_build(src, tmp_path / "uit", builder)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    assert _Recorder.requests == [], f"the build fetched {_Recorder.requests}"
    assert f"index.md:17: WARNING: Afbeelding: '{listener}/plaatje.png' is een adres" in output
    assert "index.md:19: WARNING: 'csv-table' (optie :url:)" in output
    assert f"cannot include {secret}" in output, output
    assert SECRET not in output_text(tmp_path / "uit")


def test_a_symbolic_link_out_of_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "geheim.txt").write_text(SECRET, encoding="utf-8")
    src = tmp_path / "bron"
    src.mkdir()
    shutil.copy(ROOTS / "test-unsafe-files" / "conf.py", src / "conf.py")
    (src / "link.txt").symlink_to(tmp_path / "geheim.txt")
    (src / "index.md").write_text("# Link\n\n```{literalinclude} link.txt\n```\n",
                                  encoding="utf-8")
    result = _cli_build(src, tmp_path / "uit", "html")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"index.md:3: WARNING: 'literalinclude': 'link.txt' {OUTSIDE}" in output, output
    assert SECRET not in output_text(tmp_path / "uit")


# -- the Content-Security-Policy of the real publication -------------------------------

CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)" />')
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.S)


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


def test_every_page_has_a_policy_before_its_first_script(html_build: Path) -> None:
    pages = _pages(html_build)
    assert len(pages) > 200  # the pages and the permalink pages under id/
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policies = CSP.findall(html)
        assert len(policies) == 1, page
        policy = policies[0]
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0], page
        assert "'unsafe-eval'" not in policy and "object-src 'none'" in policy
        first_script = html.find("<script")
        assert first_script < 0 or html.find("Content-Security-Policy") < first_script, page
        for script in INLINE_SCRIPT.findall(html):
            assert script_hash(script) in policy, f"{page}: inline script not allowed by hash"


def test_policy_is_deterministic() -> None:
    html = "<head><script>a()</script></head>"
    assert policy_for(html) == policy_for(html)
    assert script_hash("a()") in policy_for(html)
    assert script_hash("b()") not in policy_for(html)
    # a script inside the article (the content) is never allowed, only the theme's
    page = '<head><script>a()</script></head><article class="x"><script>b()</script></article>'
    assert script_hash("a()") in policy_for(page) and script_hash("b()") not in policy_for(page)


@pytest.mark.browser
@pytest.mark.parametrize("rel", PAGES, ids=str)
def test_site_works_under_its_policy(served_site: Site, rel: str) -> None:
    """No page breaks its own policy: every script of the theme still runs."""
    messages: list[str] = []

    def record(message: Any) -> None:
        messages.append(message.text)

    served_site.page.on("console", record)
    try:
        page = served_site.open(rel)
        assert page.evaluate("document.documentElement.dataset.mode") in {"light", "dark"}
    finally:
        served_site.page.remove_listener("console", record)
    violations = [m for m in messages if "Content Security Policy" in m]
    assert violations == [], violations


@pytest.mark.browser
def test_policy_blocks_injected_script(served_site: Site, html_build: Path) -> None:
    """Script that gets into a page anyway does not run: the policy is really in force."""
    page_html = (html_build / "index.html").read_text(encoding="utf-8")
    hostile = page_html.replace(
        "</body>", '<img src="x" onerror="document.title=\'GERAAKT\'">'
                   "<script>document.title='GERAAKT'</script></body>")
    # Served from memory, not written into the shared build: other workers read that
    # folder at the same time (test_privacy walks every page of it).
    pattern = served_site.base + "test-csp-injectie.html"
    served_site.page.route(pattern, lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=hostile))
    try:
        page = served_site.open("test-csp-injectie.html")
        assert "GERAAKT" in page.content()
        assert page.title() != "GERAAKT"
    finally:
        served_site.page.unroute(pattern)


def test_page_metadata_cannot_redirect_the_reader(tmp_path: Path) -> None:
    """MyST front matter (html_meta) is refused at the top of the page."""
    src = tmp_path / "bron"
    src.mkdir()
    shutil.copy(ROOTS / "test-unsafe-files" / "conf.py", src / "conf.py")
    (src / "index.md").write_text(
        '---\nmyst:\n  html_meta:\n    "http-equiv=refresh": "0; url=https://example.org/"\n'
        "---\n# Doorsturen\n\nTekst.\n", encoding="utf-8")
    result = _cli_build(src, tmp_path / "uit", "html")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    assert "index.md:1: WARNING: Metagegevens in een pagina (html_meta, meta)" in output, output
    assert "refresh" not in (tmp_path / "uit" / "index.html").read_text(encoding="utf-8")
