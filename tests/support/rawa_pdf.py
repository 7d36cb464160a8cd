"""Read a built PDF the way the tests need it: text, fonts, pages, and where links land.

Text comes from poppler (``pdftotext``, ``pdffonts``, ``pdfinfo``); link annotations
and named destinations from ``pypdf``. Link texts are found by laying the link's
rectangle over the word boxes of ``pdftotext -bbox``.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import Destination

ROOT = Path(__file__).resolve().parents[2]

_WORD = re.compile(
    r'<word xMin="(?P<x0>[\d.]+)" yMin="(?P<y0>[\d.]+)" xMax="(?P<x1>[\d.]+)" '
    r'yMax="(?P<y1>[\d.]+)">(?P<text>[^<]*)</word>'
)


def normalize(text: str) -> str:
    """Compare text as a reader sees it: no ligatures, straight quotes, one space,
    and words hyphenated at a line end put back together."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2010", "-").replace("\u00ad", "")
    text = re.sub(r"-\s*\n\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def pdftotext(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run([*cmd, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def page_texts(pdf: Path) -> list[str]:
    """The normalized text of every page (index 0 is page 1)."""
    return [normalize(page) for page in pdftotext(pdf).split("\f")]


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def fonts(pdf: Path) -> list[dict[str, str]]:
    """``pdffonts`` rows as dicts with ``name`` and ``emb``."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    # columns from the right: emb sub uni object ID (5 fields), name is the first field
    return [{"name": line.split()[0], "emb": line.split()[-5]} for line in lines if line.strip()]


def rotations(pdf: Path) -> list[int]:
    """The /Rotate of every page: 90 for a landscape page in a portrait book."""
    return [page.rotation for page in PdfReader(str(pdf)).pages]


@dataclass(frozen=True)
class Link:
    page: int  # 1-based page of the link
    text: str  # the words under the link rectangle, normalized
    target_page: int | None  # 1-based page the link lands on; None if it does not resolve
    destination: str


def _words_by_page(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages: list[list[tuple[float, float, float, float, str]]] = []
    for chunk in out.split("<page ")[1:]:
        pages.append([(float(m["x0"]), float(m["y0"]), float(m["x1"]), float(m["y1"]),
                       html.unescape(m["text"])) for m in _WORD.finditer(chunk)])
    return pages


def internal_links(pdf: Path) -> list[Link]:
    """Every internal (GoTo) link of the PDF with its text and target page."""
    reader = PdfReader(str(pdf))
    named = reader.named_destinations
    words = _words_by_page(pdf)
    links: list[Link] = []
    for index, page in enumerate(reader.pages):
        height = float(page.mediabox.height)
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            if action is not None and action.get("/S") == "/GoTo":
                dest = action.get("/D")
            elif annot.get("/Dest") is not None:
                dest = annot.get("/Dest")
            else:
                continue  # external (URI) link
            target: int | None = None
            name = str(dest)
            if isinstance(dest, str) and dest in named:
                target = reader.get_destination_page_number(named[dest]) + 1
            elif isinstance(dest, Destination):
                target = reader.get_destination_page_number(dest) + 1
            # a Rect may name its corners in either order (WeasyPrint: top before bottom)
            xa, ya, xb, yb = (float(v) for v in annot["/Rect"])
            x0, x1, y0, y1 = min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)
            top, bottom = height - y1, height - y0
            text = " ".join(
                w[4] for w in words[index]
                if x0 - 1 <= (w[0] + w[2]) / 2 <= x1 + 1
                and top - 1 <= (w[1] + w[3]) / 2 <= bottom + 1
            )
            links.append(Link(index + 1, normalize(text), target, name))
    return links


def run_log_checker(log: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_latex_log.py"), str(log), *extra],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )


def build_pdf(srcdir: Path, outdir: Path) -> subprocess.CompletedProcess[str]:
    """Build a (test) project as PDF: strict sphinx-build, then latexmk via make."""
    # the test projects' conf.py imports rawa_test_conf from this directory
    path = os.pathsep.join(filter(None, (str(Path(__file__).parent), os.environ.get("PYTHONPATH"))))
    sphinx = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-T", "-E", "-b", "latex",
         str(srcdir), str(outdir)], capture_output=True, text=True, check=False, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
    )
    if sphinx.returncode != 0:
        return sphinx
    return subprocess.run(
        ["make", "-C", str(outdir), "LATEXMKOPTS=-halt-on-error -interaction=nonstopmode",
         "all-pdf"], capture_output=True, text=True, check=False,
    )


# -- the sources, read the way Sphinx reads the toctrees -----------------------------

_TOCTREE = re.compile(r"^```\{toctree\}[^\n]*\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
_ENTRY_WITH_TITLE = re.compile(r"^.*<(?P<doc>[^>]+)>$")


def toctree_entries(source: Path, docname: str) -> list[str]:
    """The documents listed in the toctree(s) of ``docname``, as docnames."""
    text = (source / f"{docname}.md").read_text(encoding="utf-8")
    base = docname.rpartition("/")[0]
    entries: list[str] = []
    for block in _TOCTREE.finditer(text):
        for line in block["body"].splitlines():
            line = line.strip()
            if not line or line.startswith(":"):
                continue
            match = _ENTRY_WITH_TITLE.match(line)
            entry = match["doc"] if match else line
            entry = entry.removesuffix(".md")
            entries.append(entry.lstrip("/") if entry.startswith("/")
                           else f"{base}/{entry}".lstrip("/"))
    return entries


def document_title(source: Path, docname: str) -> str:
    for line in (source / f"{docname}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{docname}.md has no title")


# -- the structure tree of a tagged PDF (pikepdf) ---------------------------------------

def elements_below(node: Any) -> list[Any]:
    """Every structure element under ``node`` (an element or the tree's root), in order."""
    import pikepdf

    out: list[Any] = []

    def walk(item: object) -> None:
        if isinstance(item, pikepdf.Array):
            for kid in item:
                walk(kid)
        elif isinstance(item, pikepdf.Dictionary) and "/S" in item:
            out.append(item)
            if "/K" in item:
                walk(item.K)

    walk(node.K)
    return out


def structure(pdf: Any) -> list[Any]:
    """Every element of the structure tree reachable from its root, in document order."""
    return elements_below(pdf.Root.StructTreeRoot)


def parent_tree(pdf: Any) -> dict[int, Any]:
    """The ``/ParentTree`` of the structure root: key -> value (an array or an element)."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def orphaned_elements(pdf: Any) -> list[Any]:
    """Elements that marked content points to but that the tree does not reach."""
    import pikepdf

    reachable = {e.objgen for e in structure(pdf)}
    orphans = []
    for value in parent_tree(pdf).values():
        for element in (value if isinstance(value, pikepdf.Array) else [value]):
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable:
                orphans.append(element)
    return orphans


def link_annotation_tags(pdf: Any) -> list[str]:
    """For every link annotation, the type of the element that holds it (``/Link`` is
    what PDF/UA asks)."""
    tree = parent_tree(pdf)
    kinds = []
    for page in pdf.pages:
        for annot in page.get("/Annots") or []:
            if annot.get("/Subtype") == "/Link":
                holder = tree.get(int(annot.StructParent)) if "/StructParent" in annot else None
                kinds.append(str(holder.S) if holder is not None else "none")
    return kinds


def list_item_kid_types(pdf: Any) -> set[str]:
    """The types of the elements directly inside list items (PDF/UA: Lbl and LBody)."""
    return {str(kid.S) for item in structure(pdf) if str(item.S) == "/LI"
            for kid in item.K if hasattr(kid, "get") and "/S" in kid}
