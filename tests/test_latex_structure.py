"""The LaTeX-only restructuring of the assembled document, on hand-made doctrees."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

import rawa.latex.structure as ls


def section(title: str, *children: nodes.Node, ids: str = "") -> nodes.section:
    return nodes.section("", nodes.title(title, title), *children, ids=[ids or title.lower()])


def para(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text)


def raw_latex(node: nodes.Node) -> list[str]:
    return [r.astext().strip() for r in node.findall(nodes.raw)]


def table(columns: int, rows: int = 2, text: str = "x") -> nodes.table:
    group = nodes.tgroup(cols=columns)
    group += [nodes.colspec(colwidth=1) for _ in range(columns)]
    body = nodes.tbody()
    for _ in range(rows):
        body += nodes.row("", *[nodes.entry("", para(text)) for _ in range(columns)])
    group += body
    return nodes.table("", group)


def root_page(*front: nodes.section) -> nodes.section:
    metadata = table(2)
    metadata["classes"].append("rawa-metadata")
    part = section("Eerste deel", para("Deel."), ids="eerste-deel")
    contents = section("Inhoud", nodes.compound("", addnodes.start_of_file("", part,
                                                                           docname="deel")))
    return section("Titel", metadata, para("Inleiding."), *front, contents)


def test_one_root_section_becomes_a_front_chapter_and_parts_move_up() -> None:
    root = root_page(section("Leeswijzer", para("Lees dit.")))
    ls.build_front_matter(root, "Over deze publicatie")
    assert raw_latex(root) == ["\\rawaFrontChapter{Leeswijzer}"]
    assert not any("rawa-metadata" in t["classes"] for t in root.findall(nodes.table))
    # intro text follows the chapter heading; the reading guide keeps its anchor
    texts = [c.astext() for c in root.children[1:] if isinstance(c, nodes.paragraph)]
    assert texts == ["Inleiding.", "Lees dit."]
    assert any("leeswijzer" in t["ids"] for t in root.findall(nodes.target))
    # the toctree section is gone: the included part is a direct child section
    sections = [s for s in root.children if isinstance(s, nodes.section)]
    assert sections == []
    part = next(root.findall(addnodes.start_of_file)).children[0]
    assert part[0].astext() == "Eerste deel"


def test_several_root_sections_share_one_front_chapter() -> None:
    root = root_page(section("Wat RAWA is", para("A"), section("Detail", para("B"))),
                     section("Voor wie", para("C")))
    ls.build_front_matter(root, "Over deze publicatie")
    assert raw_latex(root) == ["\\rawaFrontChapter{Over deze publicatie}",
                               "\\rawaFrontSection{Wat RAWA is}",
                               "\\rawaFrontSection{Voor wie}"]
    # a subsection of a front section becomes an unnumbered heading
    assert [r.astext() for r in root.findall(nodes.rubric)] == ["Detail"]


def test_appendix_goes_before_the_annex_part() -> None:
    doc = nodes.document(None, None)
    annex = addnodes.start_of_file("", section("Bijlagen"), docname="bijlagen/index")
    doc += nodes.compound("", addnodes.start_of_file("", section("Deel"), docname="deel"), annex)
    assert ls.mark_appendix(doc, "bijlagen/index")
    compound = doc[0]
    assert raw_latex(compound[1]) == ["\\appendix"] and compound[2] is annex
    assert not ls.mark_appendix(doc, "ontbreekt/index")


def test_wide_tables_break_across_pages_with_content_widths() -> None:
    doc = nodes.document(None, None)
    narrow, wide, very_wide = table(3), table(5, text="een lange celtekst"), table(8)
    in_need = table(6)
    doc += [narrow, wide, very_wide, nodes.container("", in_need, classes=["need-unwrapped"])]
    ls.make_tables_breakable(doc, min_columns=4, landscape_columns=8)
    assert "longtable" not in narrow["classes"] and "longtable" not in in_need["classes"]
    assert {"longtable", "colwidths-given"} <= set(wide["classes"])
    assert [c["colwidth"] for c in wide.findall(nodes.colspec)] == [17] * 5
    assert raw_latex(doc) == ["\\begin{landscape}", "\\end{landscape}"]
    assert doc.index(very_wide) == doc.index(next(doc.findall(nodes.raw))) + 1


def test_content_widths_never_squeeze_a_word_out_of_its_cell() -> None:
    long_text = "een zin met veel korte woorden " * 6
    tbl = table(6, text="1")
    first_row = next(tbl.findall(nodes.row))
    first_row[0][0] = para(long_text)
    first_row[1][0] = para("Toegangsbeleidsregels")
    widths = ls._content_widths(tbl, 6)
    assert widths[0] == max(widths)  # the long text gets the most room
    assert widths[1] >= len("Toegangsbeleidsregels") + 3  # but a long word still fits
    assert widths[2:] == [widths[2]] * 4
