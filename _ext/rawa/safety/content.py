"""What a page may put in the output: text, not script, formulas or outside files.

One read transform looks at every page after parsing, before Sphinx collects its
images and downloads, and removes (with a warning at the page and line,
``[rawa.safety]``) whatever would make the published output unsafe:

- raw nodes: HTML or LaTeX written by hand, from a Markdown HTML block, inline HTML in a
  heading or a need body, or a ``raw`` role in embedded reStructuredText;
- formulas (``{math}``): LaTeX gets them verbatim (``\\input`` reads files) and the HTML
  edition would load a formula renderer from another site;
- images and downloads that are URLs (a LaTeX build downloads remote images) or files
  outside the project folders, and SVG images that carry script;
- links whose scheme is not a web, mail or FTP address (``javascript:``, ``data:``).

The policy is "no raw content" rather than an allowlist of tags: the publication has
no raw content, so nothing is lost, and there is nothing to keep up to date.
"""

from __future__ import annotations

import glob
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx_needs.roles.need_count import NeedCount

from rawa import priorities
from rawa.safety.evaluation import filter_message, filter_problem
from rawa.safety.paths import allowed_dirs, is_remote, outside_project
from rawa.views.tables import GENERATED

logger = logging.getLogger(__name__)

#: SVG elements that run or embed active content; <animate>/<set> can rewrite a link.
SVG_ACTIVE_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object",
                                 "handler", "listener", "animate", "set", "animatemotion",
                                 "animatetransform"})
# an attribute value that is a script or HTML URL, however it is spaced or cased
_ACTIVE_VALUE = re.compile(r"(?i)(java|vb)\s*script\s*:|data\s*:\s*text/html")
#: Files that run script when a reader opens them from the site: never a download.
ACTIVE_DOWNLOADS = frozenset({".html", ".htm", ".xhtml", ".xht", ".js", ".mjs", ".xml",
                              ".xsl", ".xslt"})

#: Link schemes a reader may follow from the publication.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def located(node: nodes.Node) -> nodes.Node:
    """``node`` or the nearest ancestor that knows its source line."""
    current: nodes.Node | None = node
    while current is not None:
        if getattr(current, "line", None) and getattr(current, "source", None):
            return current
        current = current.parent
    return node


def svg_script(path: Path) -> str:
    """What in the SVG file at ``path`` could run as script; empty when nothing.

    Python's expat refuses external entities and limits entity expansion, so a
    hostile SVG can neither read files nor exhaust memory here.
    """
    try:
        root = ElementTree.parse(path).getroot()  # noqa: S314 - see docstring
    except (ElementTree.ParseError, OSError) as error:
        return f"het SVG-bestand is geen geldige XML ({error})"
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in SVG_ACTIVE_ELEMENTS:
            return f"het SVG-bestand bevat een <{tag}>-element"
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                return f"het SVG-bestand bevat het attribuut {local}"
            if local == "href" and not _allowed_link(value, internal_ok=True):
                return f"het SVG-bestand linkt naar '{value}'"
            if _ACTIVE_VALUE.search(value):  # <animate values="javascript:...">, <set to=...>
                return f"het SVG-bestand bevat '{value.strip()[:40]}' in {local}"
    return ""


def _allowed_link(target: str, internal_ok: bool = True) -> bool:
    match = _SCHEME.match(target)
    if not match:
        return internal_ok
    return match.group(1).lower() in LINK_SCHEMES


class UnsafeContentFilter(SphinxTransform):
    """Remove (and report) raw content, formulas, outside files and script links."""

    # after docutils' own read transforms (substitutions are filled in at 220) and just
    # before Sphinx's DoctreeReadEvent (880), whose collectors record images and downloads
    default_priority = priorities.UNSAFE_CONTENT_TRANSFORM

    def apply(self, **kwargs: Any) -> None:
        reported: set[tuple[Any, str]] = set()  # <b>..</b> is two raw nodes: one message
        for node in list(self.document.findall(nodes.Element)):
            problem = self.problem(node)
            if problem:
                where = located(node)
                # front matter (html_meta) has no line: it is at the top of the page
                location = where if where.line else (self.env.docname, 1)
                if (where.line, problem) not in reported:
                    reported.add((where.line, problem))
                    logger.warning(problem, location=location, type="rawa", subtype="safety")
                if node.parent is None:
                    continue
                if isinstance(node, nodes.reference):
                    node.replace_self(node.children)  # keep the words, drop the link
                else:
                    node.parent.remove(node)

    def problem(self, node: nodes.Element) -> str:
        """Why ``node`` may not be published; empty when it may."""
        if isinstance(node, nodes.raw) and not node.get(GENERATED):
            fmt = node.get("format", "") or "onbekend"
            return (f"Ruwe inhoud ({fmt}) is niet toegestaan in RAWA-bronnen: schrijf gewone "
                    "tekst; HTML- of LaTeX-code komt nooit ongecontroleerd in de uitvoer.")
        if isinstance(node, (nodes.math, nodes.math_block)):
            return ("Formules ({math}) zijn niet toegestaan in RAWA-bronnen: LaTeX neemt ze "
                    "letterlijk over en de website zou een formulebibliotheek van buiten laden.")
        if isinstance(node, nodes.image):
            return self.image_problem(str(node.get("uri", "")))
        if isinstance(node, addnodes.download_reference):
            return self.download_problem(str(node.get("reftarget", "")))
        if isinstance(node, nodes.meta) or (
                isinstance(node, nodes.pending) and "nodes" in node.details
                and any(isinstance(n, nodes.meta) for n in node.details["nodes"])):
            return ("Metagegevens in een pagina (html_meta, meta) zijn niet toegestaan: een "
                    "pagina kan er de lezer mee doorsturen. De build zet zelf de metagegevens.")
        if isinstance(node, NeedCount):
            expression = str(node.get("reftarget", ""))
            problem = filter_problem(expression)
            return filter_message(expression, problem) if problem else ""
        if isinstance(node, nodes.reference) and node.get("refuri"):
            uri = str(node["refuri"])
            if not _allowed_link(uri):
                return (f"Link naar '{uri}': alleen http, https, mailto en ftp zijn toegestaan "
                        "in RAWA-bronnen.")
        return ""

    def image_problem(self, uri: str) -> str:
        """Why the image at ``uri`` may not be published; empty when it may.

        A wildcard (``plaatje.*``) is checked like Sphinx resolves it: every file it
        matches, since the builder picks one of them.
        """
        if not uri:
            return ""
        problem = outside_project(self.env, uri)
        if problem:
            return f"Afbeelding: {problem}."
        for path in self.candidates(uri):
            if not self.inside(path):  # a symbolic link that a wildcard matched
                return f"Afbeelding: '{uri}' vindt '{path.name}' buiten de projectmappen."
            if path.suffix.lower() == ".svg":
                script = svg_script(path)
                if script:
                    return f"Afbeelding '{uri}': {script}; dat kan script uitvoeren."
        return ""

    def download_problem(self, target: str) -> str:
        """Why the file at ``target`` may not be offered as a download; empty when it may."""
        problem = outside_project(self.env, target)
        if problem:
            return f"Download: {problem}."
        suffix = Path(target).suffix.lower()
        if suffix in ACTIVE_DOWNLOADS:
            return (f"Download: '{target}' is een {suffix}-bestand; dat voert script uit als een "
                    "lezer het op de site opent. Bied het aan als .txt of in een zip-bestand.")
        for path in self.candidates(target):
            if path.suffix.lower() == ".svg":
                script = svg_script(path)
                if script:
                    return f"Download '{target}': {script}; dat kan script uitvoeren."
        return ""

    def candidates(self, uri: str) -> list[Path]:
        """The existing files ``uri`` names (all matches of a ``*`` wildcard), resolved."""
        if is_remote(uri):
            return []
        _, absolute = self.env.relfn2path(uri, self.env.docname)
        if uri.endswith("*"):
            return sorted(Path(p).resolve() for p in glob.glob(glob.escape(absolute[:-1]) + "*"))
        path = Path(absolute).resolve()
        return [path] if path.is_file() else []

    def inside(self, path: Path) -> bool:
        """Whether ``path`` (resolved) lies in one of the project folders."""
        return any(path == d or d in path.parents for d in allowed_dirs(self.env))
