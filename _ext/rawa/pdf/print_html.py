"""The print page's HTML: what WeasyPrint needs to tag, link and number it.

Each function takes HTML text and returns HTML text: website parts dropped, anchors
made unique and put on headings, links and lists in a shape that tags as PDF/UA asks,
page numbers in elements after their links, the index, and links to the exports
pointing to the published site. :mod:`rawa.pdf.builder` applies them in order.
"""

from __future__ import annotations

import html
import re
from typing import Any

from rawa.views.need_pages import PART_CLASS as NEED_PART_CLASS
from rawa.views.need_pages import TITLE_CLASS

#: what only the website needs: theme links, scripts, heading anchors, and the inline
#: SVG icons of sphinx-needs (they would become figures without a text alternative)
_STRIP = (
    re.compile(r"<link\b[^>]*>"),
    re.compile(r"<script\b.*?</script>", re.DOTALL),
    re.compile(r"<style\b.*?</style>", re.DOTALL),
    re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL),
    re.compile(r"<svg\b.*?</svg>", re.DOTALL),
)

#: singlehtml leaves the document's anchor before a section's anchor in links between
#: documents (``#document-deel#sec-doel``); in one page only one anchor is a target
_DOUBLE_ANCHOR = re.compile(r'(href|data-target)="#document-([^"#]*)#([^"]*)"')
#: a document's anchor stands just before its first section; moved inside it, the anchor
#: lands on the page where the section starts (a part starts on a new page)
_DOCUMENT_ANCHOR = re.compile(r'(<span id="document-[^"]*"></span>)(<section\b[^>]*>)')


def website_free(fragment: str, anchors: dict[tuple[str, str], str] | None = None) -> str:
    """An HTML fragment without what only the website needs, its links within the page.

    ``anchors`` maps (document, id) to the id that anchor got on the one page where two
    documents used the same id (see :func:`unique_ids`).
    """
    for pattern in _STRIP:
        fragment = pattern.sub("", fragment)
    fragment = _DOCUMENT_ANCHOR.sub(r"\2\1", fragment)
    renamed = anchors or {}

    def target(match: re.Match[str]) -> str:
        key = (html.unescape(match.group(2)), html.unescape(match.group(3)))
        anchor = html.escape(renamed[key]) if key in renamed else match.group(3)
        return f'{match.group(1)}="#{anchor}"'

    return _DOUBLE_ANCHOR.sub(target, fragment)


#: a section's opening tag, the anchors right after it, and its heading's opening tag
_SECTION_START = re.compile(
    r'<section(?P<before>[^>]*?)(?: id="(?P<id>[^"]*)")?(?P<after>[^>]*)>\s*'
    r'(?P<spans>(?:<span id="[^"]*"></span>\s*)*)<h(?P<level>[1-6])(?P<attrs>[^>]*)>')


def anchors_on_headings(page: str) -> str:
    """Put a section's anchors on its heading.

    A section may begin at the foot of a page while its heading moves to the next one
    (headings keep with what follows); a page number taken from the section's own box
    (``target-counter``) would then name the page before the heading.
    """

    def move(match: re.Match[str]) -> str:
        ident = f' id="{match["id"]}"' if match["id"] is not None else ""
        return (f'<section{match["before"]}{match["after"]}>\n'
                f'<h{match["level"]}{match["attrs"]}{ident}>{match["spans"].strip()}')

    return _SECTION_START.sub(move, page)


def index_html(entries: list[tuple[str, list[Any]]]) -> str:
    """The index as HTML: per letter the entries, each a link to its first place and
    followed by the page of every place.

    The numbers are not in the HTML: the print CSS writes each target's page number
    (``target-counter``), so they are right whatever the layout.
    """
    if not entries:
        return ""

    def refs(targets: list[tuple[str | None, str | bool]]) -> str:
        # page numbers only, not links: the number is generated (target-counter), and
        # generated content inside a link becomes a second, nested link annotation
        numbers = [f'<span class="rawa-index-page" data-target="{html.escape(str(uri))}">'
                   "</span>" for _main, uri in targets if uri]
        return " " + ", ".join(numbers) if numbers else ""

    def name(label: str, targets: list[tuple[str | None, str | bool]]) -> str:
        """The entry's name, a link to its first place."""
        first = next((str(uri) for _main, uri in targets if uri), "")
        if not first:
            return html.escape(label)
        return f'<a class="rawa-index-ref" href="{html.escape(first)}">{html.escape(label)}</a>'

    out = ['<section class="rawa-index" id="rawa-index">', "<h1>Index</h1>"]
    for letter, items in entries:
        out.append(f"<h2>{html.escape(letter)}</h2>")
        out.append("<ul>")
        for label, (targets, subitems, _category) in items:
            out.append(f"<li>{name(label, targets)}{refs(targets)}")
            if subitems:
                out.append("<ul>")
                out.extend(
                    f"<li>{name(sub, sub_targets)}{refs(sub_targets)}</li>"
                    for sub, sub_targets in subitems
                )
                out.append("</ul>")
            out.append("</li>")
        out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


_HEADING = re.compile(r"<h([1-6])(\b[^>]*)>(.*?)</h\1>", re.DOTALL)


def relevel_need_headings(page: str) -> str:
    """Put each need's headings one level below the section heading above them.

    ``views.need_pages`` levels a need's title below the section it stands in on its own
    page. On one page the chapters are nested deeper (a chapter under its part), so the
    titles would skip levels after the chapter's headings; a screen reader's list of
    headings, and PDF/UA, want no skips.
    """
    section_level = 1

    def relevel(match: re.Match[str]) -> str:
        nonlocal section_level
        level, attributes, content = int(match.group(1)), match.group(2), match.group(3)
        if TITLE_CLASS in attributes:
            level = min(section_level + 1, 6)
        elif NEED_PART_CLASS in attributes:
            level = min(section_level + 2, 6)
        else:
            section_level = level
        return f"<h{level}{attributes}>{content}</h{level}>"

    return _HEADING.sub(relevel, page)




#: an inline element with only text inside a link (a term's span, a need reference's
#: emphasis): WeasyPrint would tag it as a Span holding a second link annotation, so the
#: link's text would not sit in the Link element (PDF/UA 7.18.5)
_LINK = re.compile(r"(<a\b[^>]*>)(.*?)(</a>)", re.DOTALL)
_INLINE_TAG = re.compile(r"</?(?:span|em|code|strong|cite|abbr)\b[^>]*>")
#: a link to a file next to the site (an export): relative, not an anchor or a scheme
_FILE_LINK = re.compile(r'href="(?![#/])(?![a-zA-Z][a-zA-Z0-9+.-]*:)([^"]+)"')
#: where a page number follows a link: the contents, the index, "Gebruikt in", the first
#: term of a document; the number goes in an element of its own after the link (a
#: pseudo-element of the link would be a second, nested link annotation)
_NUMBERED_LINK = re.compile(r'(<a class="[^"]*\b(?:rawa-numbered)\b[^"]*" href="([^"]*)">.*?</a>)')
#: a list item that starts with a paragraph: WeasyPrint would tag LI > P, where PDF/UA
#: allows only Lbl and LBody in a list item
_PARAGRAPH_IN_ITEM = re.compile(r"<li>\s*<p>((?:(?!</?(?:p|div|ul|ol|table|dl)\b).)*?)</p>",
                                re.DOTALL)
#: definition lists: WeasyPrint tags each term and each description as a separate list
#: item, so a reader hears "ID", then "EIS-IDN-01" as two items. As paragraphs (the term,
#: then its description) they read as one pair.
_DEFINITION_TAGS = (
    (re.compile(r"<dl\b([^>]*)>"), r'<div\1 data-rawa="dl">'),
    (re.compile(r"</dl>"), "</div>"),
    (re.compile(r"<dt\b([^>]*)>"), r'<p\1 data-rawa="dt">'),
    (re.compile(r"</dt>"), "</p>"),
    (re.compile(r"<dd\b([^>]*)>"), r'<div\1 data-rawa="dd">'),
    (re.compile(r"</dd>"), "</div>"),
)


def _plain_link(match: re.Match[str]) -> str:
    """A link with its text only: no span, emphasis or code around the words."""
    inner = match.group(2)
    if " id=" in inner:
        return match.group(0)  # an anchor inside a link: leave it be
    return match.group(1) + _INLINE_TAG.sub("", inner) + match.group(3)


def files_online(page: str, base_url: str) -> str:
    """Links to files next to the site (the exports) point to the published site: in a
    PDF a relative link would point to a file next to wherever the reader saved it."""
    if not base_url:
        return page
    return _FILE_LINK.sub(lambda m: f'href="{html.escape(base_url.rstrip("/"))}/{m.group(1)}"',
                          page)


def page_numbers_after_links(page: str) -> str:
    """After each link classed ``rawa-numbered``, an empty element the print CSS fills
    with the page number of the link's target (``target-counter``). Run on the finished
    page: the targets are the page's own anchors by then."""
    page = _NUMBERED_LINK.sub(
        lambda m: f'{m.group(1)}<span class="rawa-pageno" data-target="{m.group(2)}"></span>',
        page)
    return page


def tag_friendly(page: str) -> str:
    """HTML that WeasyPrint tags the way PDF/UA asks: links hold their own text, list
    items hold a label and a body, definition lists become term and description."""
    page = _LINK.sub(_plain_link, page)
    page = _PARAGRAPH_IN_ITEM.sub(r"<li>\1", page)
    for pattern, replacement in _DEFINITION_TAGS:
        page = pattern.sub(replacement, page)
    return page


#: what decides where a term's page number goes: a document starts, a table opens or
#: closes, or a link to a glossary term
_TERM_SCAN = re.compile(
    r'<span id="document-[^"]*"></span>|<table\b|</table>'
    r'|<a class="reference internal" href="#term-')
TERM_PAGE_CLASS = "rawa-term-page"
#: a link after which the print CSS writes its target's page (page_numbers_after_links)
NUMBERED_CLASS = "rawa-numbered"
_USED_IN = re.compile(r'<p class="rawa-terms-gebruikt-in">.*?</p>', re.DOTALL)


def number_links(fragment: str) -> str:
    """Class every internal link of ``fragment`` as one that gets a page number."""
    return fragment.replace('<a class="reference internal',
                            f'<a class="reference internal {NUMBERED_CLASS}')


def number_used_in(page: str) -> str:
    """The links under "Gebruikt in" in the glossary get page numbers."""
    return _USED_IN.sub(lambda m: number_links(m.group(0)), page)


def mark_term_page_references(body: str, per: str) -> str:
    """Class the first term link per document (``per="document"``) or in the whole book
    (``"book"``) outside tables; the print CSS writes the glossary page after it.

    The same rule as the LaTeX edition (``rawa_terms_latex_pageref``): a printed term
    says once where its explanation stands, without repeating it at every mention.
    """
    if per == "off":
        return body
    out, last, tables, done = [], 0, 0, False
    for match in _TERM_SCAN.finditer(body):
        token = match.group(0)
        if token.startswith("<span"):
            done = done and per == "book"
        elif token == "<table":
            tables += 1
        elif token == "</table>":
            tables = max(tables - 1, 0)
        elif not done and not tables:
            out.append(body[last:match.start()])
            out.append(f'<a class="reference internal {TERM_PAGE_CLASS} {NUMBERED_CLASS}" '
                       'href="#term-')
            last, done = match.end(), True
    out.append(body[last:])
    return "".join(out)
