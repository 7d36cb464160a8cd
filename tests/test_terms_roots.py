"""The term linker on small projects (tests/roots/test-terms*): one rule per check."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import warnings_at

Build = Callable[..., tuple[Any, str]]
AUTO_LINK = re.compile(
    r'<a class="reference internal" href="([^"]*)"><span class="xref std std-term rawaterm">'
    r"(.*?)</span></a>")


@pytest.fixture
def build(make_app: Callable[..., Any], tmp_path: Path, rootdir: Path) -> Build:
    """Build ``tests/roots/test-<name>`` (copied, so it can be edited); app and warnings."""

    previous: list[Any] = []

    def run(name: str, builder: str = "html", copy: bool = True, **kwargs: Any
            ) -> tuple[Any, str]:
        srcdir = tmp_path / name
        if copy:
            shutil.copytree(rootdir / f"test-{name}", srcdir)
        while previous:  # a second app in one test: unregister the first one's nodes
            previous.pop().cleanup()
        kwargs.setdefault("freshenv", True)
        app = make_app(builder, srcdir=srcdir, **kwargs)
        app.build()
        previous.append(app)
        return app, app.warning.getvalue()

    return run


def links(app: Any, page: str) -> list[str]:
    """The texts of the automatic term links on a built page, in order."""
    html = (app.outdir / f"{page}.html").read_text(encoding="utf-8")
    return [text for _, text in AUTO_LINK.findall(html)]


def targets(app: Any, page: str) -> list[str]:
    html = (app.outdir / f"{page}.html").read_text(encoding="utf-8")
    return [href.split("#", 1)[1] for href, _ in AUTO_LINK.findall(html)]


def glossary_item(app: Any, anchor: str) -> str:
    """The HTML of one glossary item (its term lines and definition)."""
    html = (app.outdir / "begrippen.html").read_text(encoding="utf-8")
    chunks = re.split(r'(?=<dt id="term-)', html)
    start = next(i for i, c in enumerate(chunks) if c.startswith(f'<dt id="{anchor}"'))
    end = next(i for i in range(start, len(chunks)) if "<dd" in chunks[i])
    return "".join(chunks[start:end + 1])


def used_in(app: Any, anchor: str) -> list[str]:
    """The targets listed under "Gebruikt in" for a glossary item."""
    item = glossary_item(app, anchor)
    if "Gebruikt in:" not in item:
        return []
    para = item.split("Gebruikt in:", 1)[1].split("</p>", 1)[0]
    return re.findall(r'<a class="reference internal" href="([^"]+)">', para)


EXPECTED = {
    # longest match; no match inside API-sleutel or joiner-mover; 's after an abbreviation
    "langste": ["API-gateway", "API", "PDP\u2019s", "joiner-mover-leaver"],
    # lower-case abbreviations are not linked, a capitalised word is
    "hoofdletters": ["Federatie", "policy decision point", "IdP"],
    # API's (smartquotes make it API’s) in two sections
    "apostrof": ["API\u2019s", "API\u2019s"],
    # heading, code, link, URL, abbr, code block, index, caption, opt-out, need IDs
    # (raw content is refused in sources altogether: rawa_safety)
    "overslaan": ["federatie"],
    # first occurrence per section, also for a variant (federaties)
    "eerste": ["federatie", "federatie"],
    # need bodies are linked (each need is a scope of its own), need titles are not
    "needs": ["Policy Decision Point", "API-gateway", "Policy Decision Point"],
    # a manual {term} counts as the first occurrence
    "handmatig": ["PEP"],
    "variant": [],
    # a term in a table is linked (the PDF gets no page number there)
    "tabel": ["joiner-mover-leaver"],
}


@pytest.fixture
def terms_html(build: Build) -> Any:
    app, warnings = build("terms")
    assert warnings.strip() == "", warnings
    return app


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_each_rule_links_exactly_the_expected_terms(terms_html: Any, page: str) -> None:
    assert links(terms_html, page) == EXPECTED[page]


def test_links_equal_a_manual_term_reference(terms_html: Any) -> None:
    html = (terms_html.outdir / "handmatig.html").read_text(encoding="utf-8")
    manual = re.search(r'<a class="reference internal" href="([^"]*)"><span class="xref std '
                       r'std-term">PDP</span></a>', html)
    assert manual and manual.group(1) == "begrippen.html#term-PDP"
    assert targets(terms_html, "langste") == [
        "term-API-gateway", "term-API", "term-Policy-Decision-Point", "term-joiner-mover-leaver"]
    # the automatic links have the manual link's markup, plus the class "rawaterm"
    page = (terms_html.outdir / "langste.html").read_text(encoding="utf-8")
    automatic = re.findall(r'<a class="reference internal" href="begrippen\.html#(term-[^"]+)">'
                           r'<span class="xref std std-term rawaterm">', page)
    assert automatic == targets(terms_html, "langste")


def test_glossary_links_other_terms_but_never_itself(terms_html: Any) -> None:
    item = glossary_item(terms_html, "term-Policy-Decision-Point")
    linked = [t for _, t in AUTO_LINK.findall(item)]
    assert "toegangsbeleid" in linked and "Policy Decision Point" not in linked
    assert "beslispunt" not in linked  # metadata fields are not prose
    # every definition is a scope of its own: API is linked again under federatie
    assert [t for _, t in AUTO_LINK.findall(glossary_item(terms_html, "term-API-gateway"))] \
        == ["API\u2019s", "PEP"]
    assert [t for _, t in AUTO_LINK.findall(glossary_item(terms_html, "term-federatie"))] \
        == ["IdP", "API"]


def test_backlinks_list_the_sections_using_a_term(terms_html: Any) -> None:
    assert used_in(terms_html, "term-federatie") == [
        "hoofdletters.html#woord", "overslaan.html#overslaan-pdp-in-een-kop",
        "eerste.html#eerste", "eerste.html#onderdeel"]
    assert used_in(terms_html, "term-Policy-Decision-Point") == [
        "langste.html#tweede", "hoofdletters.html#gemengd", "needs.html#needs"]
    assert "Gebruikt in:" not in glossary_item(terms_html, "term-ongebruikt-begrip")


def test_tooltip_script_and_definitions_are_local(terms_html: Any) -> None:
    html = (terms_html.outdir / "langste.html").read_text(encoding="utf-8")
    for asset in ("rawa-terms-defs.js", "rawa-terms.js", "rawa-terms.css"):
        assert re.search(rf'(src|href)="_static/{re.escape(asset)}(\?v=[0-9a-f]+)?"', html)
    static = terms_html.outdir / "_static"
    defs = (static / "rawa-terms-defs.js").read_text(encoding="utf-8")
    data = json.loads(defs.split("window.RAWA_TERMS = ", 1)[1].rstrip().rstrip(";"))
    assert data["term-PDP"] == data["term-Policy-Decision-Point"]
    assert data["term-PDP"]["definitie"].startswith("Component die beslist over toegang.")
    assert data["term-PDP"]["engels"] == "policy decision point"
    script = (static / "rawa-terms.js").read_text(encoding="utf-8")
    for needle in ('"role", "tooltip"', '"aria-describedby"', '"Escape"', '"focusin"',
                   '"mouseover"', 'addEventListener("mouseenter", cancelHide)'):
        assert needle in script, needle
    assert "fetch(" not in script and "http" not in script.split("*/", 1)[1]


def test_skos_export_follows_nl_sbb(terms_html: Any) -> None:
    graph = json.loads((terms_html.outdir / "begrippen.jsonld").read_text(encoding="utf-8"))
    assert graph["@context"]["skos"] == "http://www.w3.org/2004/02/skos/core#"
    nodes = {n["@id"]: n for n in graph["@graph"]}
    scheme = next(n for n in graph["@graph"] if n["@type"] == "skos:ConceptScheme")
    pdp = nodes["begrippen.html#term-Policy-Decision-Point"]
    assert pdp["@type"] == "skos:Concept"
    assert {"@value": "Policy Decision Point", "@language": "nl"} in pdp["skos:prefLabel"]
    assert {"@value": "policy decision point", "@language": "en"} in pdp["skos:prefLabel"]
    assert pdp["skos:altLabel"] == [{"@value": "PDP", "@language": "nl"}]
    assert pdp["skos:definition"]["@language"] == "nl"
    assert pdp["dct:source"]["rdfs:label"]["@value"] == "NIST SP 800-162 (2014)"
    assert pdp["skos:inScheme"] == {"@id": scheme["@id"]}
    assert len(scheme["skos:hasTopConcept"]) == 9
    html = (terms_html.outdir / "begrippen.html").read_text(encoding="utf-8")
    assert 'href="begrippen.jsonld"' in html


def test_unused_terms_are_reported_without_a_warning(terms_html: Any) -> None:
    report = (terms_html.outdir / "termen-rapport.txt").read_text(encoding="utf-8")
    unused = report.split("Ongebruikte begrippen:")[1].split("\n\n")[0]
    assert "ongebruikt begrip  (begrippen.md:56)" in unused
    assert "toegangsbeleid" in unused  # only used inside the glossary itself
    assert "federatie" not in unused


@pytest.mark.parametrize(("scope", "expected"), [
    ("document", ["federatie"]),
    ("all", ["federatie", "federatie", "federaties", "federatie", "federatie"]),
])
def test_link_scope_is_configurable(build: Build, scope: str, expected: list[str]) -> None:
    app, warnings = build("terms", confoverrides={"rawa_terms_link_scope": scope})
    assert warnings.strip() == ""
    assert links(app, "eerste") == expected


def test_linker_can_be_switched_off(build: Build) -> None:
    app, _ = build("terms", confoverrides={"rawa_terms_enabled": False})
    assert links(app, "langste") == []
    assert not (app.outdir / "begrippen.jsonld").exists()


# root, line, text the warning must contain
BAD_INPUT = [
    ("terms-duplicate", 11, "duplicate term description of PDP"),
    ("terms-unknown", 8, "term not in glossary: 'onbekend begrip'"),
    ("terms-conflict", 9, "variant 'Beslispunt' van begrip 'toegangsbeleid' staat al bij"),
]


@pytest.mark.parametrize(("root", "line", "expected"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_glossary_errors_name_file_and_line(build: Build, root: str, line: int,
                                            expected: str) -> None:
    _, warnings = build(root)
    assert warnings_at(warnings, root, line, expected), warnings
    assert "Traceback" not in warnings


def test_incremental_build_relinks_untouched_pages(build: Build) -> None:
    app, _ = build("terms")
    assert links(app, "variant") == []
    glossary = app.srcdir / "begrippen.md"
    text = glossary.read_text(encoding="utf-8")
    added = text.replace(":Varianten: beleid\n", ":Varianten: beleid, beleidsregister\n")
    glossary.write_text(added, encoding="utf-8")
    app2, warnings = build("terms", copy=False, freshenv=False)
    assert warnings.strip() == ""
    assert "begrippen" in app2.env.all_docs and links(app2, "variant") == ["beleidsregister"]
    assert used_in(app2, "term-toegangsbeleid") == ["variant.html#variant"]
    glossary.write_text(text, encoding="utf-8")
    app3, _ = build("terms", copy=False, freshenv=False)
    assert links(app3, "variant") == [] and used_in(app3, "term-toegangsbeleid") == []


def test_incremental_build_updates_backlinks_when_a_page_changes(build: Build) -> None:
    app, _ = build("terms")
    assert "variant.html#variant" not in used_in(app, "term-federatie")
    page = app.srcdir / "variant.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nDit gaat over federatie.\n",
                    encoding="utf-8")
    app2, warnings = build("terms", copy=False, freshenv=False)
    assert warnings.strip() == ""
    assert used_in(app2, "term-federatie")[-1] == "variant.html#variant"
    assert links(app2, "variant") == ["federatie"]


def normalised(path: Path) -> str:
    """File text without sphinx-needs' random container ids (not ours to fix)."""
    return re.sub(r'id="SNCB-[0-9a-f]+"', 'id="SNCB"', path.read_text(encoding="utf-8"))


def test_parallel_build_equals_serial_build(build: Build, tmp_path: Path) -> None:
    serial, _ = build("terms")
    serial_out = tmp_path / "serial"
    shutil.copytree(serial.outdir, serial_out)
    parallel, warnings = build("terms", copy=False, parallel=2)
    assert warnings.strip() == ""
    pages = sorted(p.name for p in serial_out.glob("*.html"))
    files = [*pages, "begrippen.jsonld", "termen-rapport.txt", "_static/rawa-terms-defs.js"]
    for name in files:
        assert normalised(serial_out / name) == normalised(parallel.outdir / name), name
    assert links(parallel, "needs") == EXPECTED["needs"]


def test_latex_has_hyperlink_and_page_reference(build: Build) -> None:
    app, warnings = build("terms", builder="latex")
    assert warnings.strip() == ""
    tex = (app.outdir / "rawa.tex").read_text(encoding="utf-8")
    link = (r"\hyperref[\detokenize{begrippen:term-Policy-Decision-Point}]{\sphinxtermref{"
            r"\DUrole{xref}{\DUrole{std}{\DUrole{std-term}{\DUrole{rawaterm}{PDP’s}}}}}}}"
            r" (\autopageref*{\detokenize{begrippen:term-Policy-Decision-Point}})")
    assert link in tex
    assert r"\label{\detokenize{begrippen:term-Policy-Decision-Point}}" in tex
    # one page reference per term and document: 'eerste' links federatie twice, refers once
    eerste = tex[tex.index(r"\label{\detokenize{eerste::doc}}"):
                 tex.index(r"\label{\detokenize{needs::doc}}")]
    assert eerste.count(r"\DUrole{rawaterm}{federatie}") == 2
    assert eerste.count(r"\autopageref*{\detokenize{begrippen:term-federatie}}") == 1
    assert not (app.outdir / "_static" / "rawa-terms.js").exists()
    # need bodies keep their links in the PDF's need boxes (rawa_needs_latex copies them)
    needs = tex[tex.index(r"\label{\detokenize{needs::doc}}"):
                tex.index(r"\label{\detokenize{handmatig::doc}}")]
    assert r"\DUrole{rawaterm}{API\sphinxhyphen{}gateway}" in needs
    tabel = tex[tex.index(r"\label{\detokenize{tabel::doc}}"):]
    assert r"\DUrole{rawaterm}{joiner\sphinxhyphen{}mover\sphinxhyphen{}leaver}" in tabel
    assert "term-joiner-mover-leaver}})" not in tabel.split(r"\label{\detokenize{begrippen")[0]


@pytest.mark.parametrize(("mode", "count"), [("book", 1), ("off", 0)])
def test_latex_page_reference_can_be_once_per_book_or_off(build: Build, mode: str,
                                                          count: int) -> None:
    app, warnings = build("terms", builder="latex",
                          confoverrides={"rawa_terms_latex_pageref": mode})
    assert warnings.strip() == ""
    tex = (app.outdir / "rawa.tex").read_text(encoding="utf-8")
    assert tex.count(r"\DUrole{rawaterm}{federatie}") >= 3
    assert tex.count(r"\autopageref*{\detokenize{begrippen:term-federatie}}") == count


def test_invalid_config_warns_and_falls_back_to_the_default(build: Build) -> None:
    app, warnings = build("terms", confoverrides={"rawa_terms_link_scope": "alinea"})
    assert "rawa_terms_link_scope" in warnings and "alinea" in warnings
    assert links(app, "eerste") == EXPECTED["eerste"]


def test_debug_mode_logs_every_link_with_its_location(build: Build) -> None:
    app, _ = build("terms", confoverrides={"rawa_terms_debug": True})
    log = app.status.getvalue()
    assert re.search(r"langste\.md:3: rawa_terms: \[API-gateway\] -> API-gateway", log), log
    assert len(re.findall(r"rawa_terms: \[", log)) == sum(
        len(links(app, page)) for page in EXPECTED) + len(
        AUTO_LINK.findall((app.outdir / "begrippen.html").read_text(encoding="utf-8")))


def test_links_enter_the_page_after_the_other_handlers(make_app: Callable[..., Any],
                                                      tmp_path: Path, rootdir: Path) -> None:
    """Handlers that walk the page before the links go in do not walk the links."""
    from docutils import nodes

    shutil.copytree(rootdir / "test-terms", tmp_path / "terms")
    app = make_app("html", srcdir=tmp_path / "terms", freshenv=True)
    seen: dict[str, int] = {}

    def count_links(app: Any, doctree: nodes.document, docname: str) -> None:
        seen[docname] = sum("rawaterm" in n["classes"] for n in doctree.findall(nodes.inline))

    app.connect("doctree-resolved", count_links)  # default priority, like most handlers
    app.build()
    assert seen["needs"] == 0 and seen["langste"] == 0
    assert links(app, "needs") == EXPECTED["needs"]  # in the need boxes sphinx-needs built
    assert links(app, "langste") == EXPECTED["langste"]


def test_insert_links_replaces_the_planned_node_not_an_equal_one() -> None:
    from docutils import nodes
    from docutils.utils import new_document

    from rawa.terms.transform import _PENDING, insert_links

    doctree = new_document("<test>")
    first, second = nodes.Text("PDP"), nodes.Text("PDP")
    para = nodes.paragraph("", "", first, second)
    doctree += para
    link = nodes.reference("", "PDP", internal=True, refuri="begrippen.html#term-PDP")
    _PENDING[doctree] = [(second, [link])]
    insert_links(None, doctree, "test")  # type: ignore[arg-type]
    assert para.children[0] is first and para.children[1] is link
    assert link.parent is para and doctree not in _PENDING


def test_used_in_html_is_escaped_like_the_writer_does(terms_html: Any) -> None:
    from rawa.terms.glossary_page import _places_paragraph

    raw = _places_paragraph(terms_html, "begrippen", [
        ("langste", "tweede", 'A & <B> "c" @d'), ("eerste", "", "Eerste")])
    assert raw.astext() == (
        '<p class="rawa-terms-gebruikt-in"><strong>Gebruikt in:</strong> '
        '<a class="reference internal" href="langste.html#tweede">'
        "A &amp; &lt;B&gt; &quot;c&quot; &#64;d</a>, "
        '<a class="reference internal" href="eerste.html">Eerste</a>.</p>\n')


def test_write_phase_reuses_the_links_planned_after_reading(terms_html: Any) -> None:
    from rawa.terms.sites import iter_sites
    from rawa.terms.table import plan_links
    from rawa.terms.usage import get_table, stored_plan

    env = terms_html.env
    for page in ("langste", "needs", "handmatig"):
        sites = list(iter_sites(env.get_doctree(page), "geen-termlinks"))
        reused = stored_plan(env, page, sites)
        fresh = list(plan_links(sites, get_table(env), "section"))
        assert reused is not None and reused == fresh
        changed = [*sites[:-1], sites[-1].__class__(sites[-1].node.__class__("anders"),
                                                    sites[-1].section_id, "")]
        assert stored_plan(env, page, changed) is None  # text differs: match again


def test_rejected_name_that_is_also_a_term_is_reported(build: Build, tmp_path: Path) -> None:
    srcdir = tmp_path / "bad-term-avoided"
    shutil.copytree(Path(__file__).parent / "roots" / "test-bad-term-avoided", srcdir)
    index = srcdir / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("2-FA", "MFA"),
                     encoding="utf-8")
    _, warnings = build("bad-term-avoided", copy=False)
    assert warnings_at(warnings, "bad-term-avoided", 8,
                       "noemt 'MFA' onder 'Niet gebruiken', maar 'MFA' is ook"), warnings


def test_avoided_phrases_fail_the_build_in_prose_and_need_fields(
        build: Build, tmp_path: Path) -> None:
    """``rawa_terms_avoid_phrases``: a planning remark or split name fails at file and line."""
    srcdir = tmp_path / "bad-term-avoided"
    shutil.copytree(Path(__file__).parent / "roots" / "test-bad-term-avoided", srcdir)
    text = srcdir / "tekst.md"
    text.write_text(text.read_text(encoding="utf-8")
                    .replace("Elke beheerder logt",
                             "Volgens de BIO, versie\n2.0 logt elke beheerder")
                    .replace(":implicaties: Gevolg.", ":implicaties: Fase 2: nog te doen.")
                    + "\nDit is `fase 2` als citaat, en fase 20 is iets anders.\n",
                    encoding="utf-8")
    phrases = (("fase 2", "beschrijf de huidige dekking"), ("BIO, versie 2.0", "schrijf 'BIO2'"))
    _, warnings = build("bad-term-avoided", copy=False,
                        confoverrides={"rawa_terms_avoid_phrases": phrases})
    found = sorted(re.sub(r"^.*?bad-term-avoided/", "", w).split(" WARNING")[0]
                   + " " + re.search(r"'([^']+)' hoort niet", w).group(1)
                   for w in warnings.splitlines() if "hoort niet in de gepubliceerde" in w)
    assert found == ["tekst.md:16: Fase 2", "tekst.md:23: BIO, versie 2.0"], warnings
    assert "schrijf 'BIO2'" in warnings and "Traceback" not in warnings
