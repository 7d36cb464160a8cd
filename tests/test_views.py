"""The one mechanism of the generated views (``rawa.views.base``) and the one page-reference
rule of the PDF (``rawa.latex.pagerefs``)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from conftest import Build
from docutils import nodes
from docutils.utils import new_document

from rawa.build.incremental import pages_with_views
from rawa.latex.pagerefs import NO_PAGEREF, page_reference_allowed
from rawa.model.need_refs import need_reference
from rawa.views.base import KINDS, rawa_view, render_views


def _page_with_view(kind: str) -> tuple[nodes.document, rawa_view]:
    document = new_document("<test>")
    view = rawa_view("", kind=kind)
    document += nodes.section("", view)
    return document, view


def test_the_handler_walks_only_pages_that_hold_a_view(build_root: Build) -> None:
    app, _warnings = build_root("trace-gap")
    # the incremental bookkeeping knows the one page with a view, and its kind
    assert pages_with_views(app.env) == {"index": frozenset({"coverage"})}
    assert {"matrix", "coverage", "diff", "exports", "maturity", "scenario"} <= set(KINDS)

    # a page that held no view when it was read is not walked
    document, _ = _page_with_view("coverage")
    render_views(app, document, "elders")
    assert list(document.findall(rawa_view)), "a page without a view was walked"

    # the page with a view is rendered, by its kind
    render_views(app, document, "index")
    assert not list(document.findall(rawa_view))
    assert document.next_node(nodes.table)["ids"] == ["rawa-dekking-cijfers"]

    # an assembled book (LaTeX, single HTML page) is always walked
    document, _ = _page_with_view("coverage")
    document["docname"] = "elders"
    render_views(app, document, "elders")
    assert not list(document.findall(rawa_view))


def test_a_link_gets_a_page_reference_only_outside_tables_and_unmarked() -> None:
    in_text = nodes.reference("", "tekst", refuri="%a#b")
    nodes.paragraph("", "", in_text)
    assert page_reference_allowed(in_text)

    in_table = nodes.reference("", "cel", refuri="%a#b")
    nodes.table("", nodes.tgroup("", nodes.tbody("", nodes.row("", nodes.entry(
        "", nodes.paragraph("", "", in_table))))))
    assert not page_reference_allowed(in_table)

    marked = nodes.reference("", "ID", refuri="%a#b", classes=[NO_PAGEREF])
    nodes.paragraph("", "", marked)
    assert not page_reference_allowed(marked)
    inside_marked = nodes.reference("", "ID", refuri="%a#b")
    nodes.inline("", "", inside_marked, classes=[NO_PAGEREF])
    assert not page_reference_allowed(inside_marked)


def test_a_need_reference_in_latex_is_a_link_marked_without_page_reference() -> None:
    builder = SimpleNamespace(format="latex", get_relative_uri=lambda _from, to: f"%{to}")
    app: Any = SimpleNamespace(builder=builder)
    need = {"id": "EIS-LOG-01", "docname": "normatief/eisen", "title": "Logboek"}
    ref = need_reference(app, "bijlagen/traceerbaarheid", need)
    assert isinstance(ref, nodes.reference)
    assert ref["refuri"] == "%normatief/eisen#EIS-LOG-01"
    assert NO_PAGEREF in ref["classes"]
    # the ID never breaks inside a part: \mbox around each part
    assert ref.astext().startswith(r"\mbox{EIS-}\allowbreak{}\mbox{LOG")
