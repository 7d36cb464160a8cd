#!/usr/bin/env python3
"""Fail the PDF build on defects that LaTeX only logs.

Usage: ``check_latex_log.py path/to/rawa.log [--tolerance PT]``

Reported, each with the ``.tex`` line and, when it can be found, the source page
(from the nearest ``\\label{\\detokenize{docname:...}}`` before that line):

* LaTeX errors (lines starting with ``!``);
* undefined references and citations;
* missing glyphs (``Missing character: There is no ... in font ...``);
* overfull boxes wider or taller than the tolerance (default 5pt): text that runs
  into the margin or off the page;
* floats too large for the page;
* missing hyphenation patterns (Dutch words would not be hyphenated).

Exit status 0 when the log is clean, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TOLERANCE_PT = 5.0

_OVERFULL = re.compile(
    r"^Overfull \\([hv])box \((?P<amount>[\d.]+)pt too (?:wide|high)\) "
    r"(?:in paragraph|in alignment|detected|has occurred while \\output is active)"
    r"(?: at lines? (?P<line>\d+))?"
)
_UNDEFINED_REF = re.compile(
    r"(?:LaTeX|Package \w+) Warning: (?:Reference|Hyper reference|Citation) [`']"
    r"(?P<name>[^']+)' on page \d+ undefined(?: on input line (?P<line>\d+))?"
)
_MISSING_CHAR = re.compile(r"^Missing character: There is no (?P<char>.+?) in font (?P<font>.+?)!")
_FLOAT_TOO_LARGE = re.compile(
    r"Float too large for page by (?P<amount>[\d.]+)pt on input line (?P<line>\d+)")
_NO_PATTERNS = re.compile(r"No hyphenation patterns were (?:pre)?loaded for")
_ERROR_LINE = re.compile(r"^l\.(?P<line>\d+) ")
_LABEL = re.compile(r"\\label\{\\detokenize\{(?P<doc>[^:}]+):(?P<anchor>[^}]*)\}\}")


@dataclass(frozen=True)
class Defect:
    kind: str
    message: str
    tex_line: int | None

    def describe(self, tex: Path | None, sources: Path | None) -> str:
        where = f"{tex.name if tex else 'tex'}:{self.tex_line}" if self.tex_line else "(geen regel)"
        origin = locate_source(tex, self.tex_line, sources) if tex and self.tex_line else ""
        return f"{where}: {self.kind}: {self.message}{origin}"


def _joined_lines(text: str) -> list[str]:
    """TeX wraps log lines at 79 characters; undo that for the messages we parse."""
    out: list[str] = []
    for raw in text.splitlines():
        if out and len(out[-1]) % 79 == 0 and len(out[-1]) > 0 and not raw.startswith(("!", "(")):
            out[-1] += raw
        else:
            out.append(raw)
    return out


def parse_log(text: str, tolerance_pt: float = DEFAULT_TOLERANCE_PT) -> list[Defect]:
    defects: list[Defect] = []
    lines = _joined_lines(text)
    for index, line in enumerate(lines):
        if line.startswith("! "):
            tex_line = None
            for follow in lines[index + 1 : index + 12]:
                match = _ERROR_LINE.match(follow)
                if match:
                    tex_line = int(match["line"])
                    break
            defects.append(Defect("LaTeX-fout", line[2:].strip(), tex_line))
        elif match := _OVERFULL.match(line):
            amount = float(match["amount"])
            if amount > tolerance_pt:
                box = "breed" if line.startswith("Overfull \\h") else "hoog"
                tex_line = int(match["line"]) if match["line"] else None
                defects.append(Defect("te vol", f"{amount:.1f}pt te {box} "
                                      f"(tolerantie {tolerance_pt:g}pt)", tex_line))
        elif match := _UNDEFINED_REF.search(line):
            tex_line = int(match["line"]) if match["line"] else None
            defects.append(Defect("onbekende verwijzing", match["name"], tex_line))
        elif match := _MISSING_CHAR.match(line):
            defects.append(Defect("ontbrekend teken",
                                  f"{match['char']} ontbreekt in {match['font']}", None))
        elif _NO_PATTERNS.search(line):
            detail = " ".join(lines[index : index + 2]).split("Warning:")[-1]
            detail = re.sub(r"\s*\(babel\)\s*", " ", detail).strip()
            defects.append(Defect("geen afbreekpatronen",
                                  f"{detail} (installeer texlive-lang-european)", None))
        elif match := _FLOAT_TOO_LARGE.search(line):
            defects.append(Defect("figuur te groot", f"{match['amount']}pt te hoog voor de pagina",
                                  int(match["line"])))
    return defects


def locate_source(tex: Path, tex_line: int | None, sources: Path | None) -> str:
    """`` (bron: source/x.md, bij 'anchor')`` for the last label before ``tex_line``."""
    if tex_line is None or not tex.is_file():
        return ""
    text = tex.read_text(encoding="utf-8", errors="replace").splitlines()[:tex_line]
    for line in reversed(text):
        labels = list(_LABEL.finditer(line))
        if labels:
            doc, anchor = labels[-1]["doc"], labels[-1]["anchor"]
            name = f"{doc}.md"
            if sources is not None:
                candidates = [p for p in (sources / f"{doc}.md", sources / f"{doc}.rst")
                              if p.exists()]
                name = str(candidates[0]) if candidates else str(sources / name)
            return f" (bron: {name}, bij '{anchor.lstrip(':') or 'begin'}')"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path, help="het .log-bestand van XeLaTeX")
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE_PT,
                        help="toegestane overvolle ruimte in pt (standaard %(default)s)")
    parser.add_argument("--sources", type=Path, default=Path("source"),
                        help="map met de bronpagina's (standaard %(default)s)")
    args = parser.parse_args(argv)
    if not args.log.is_file():
        print(f"{args.log}: logbestand bestaat niet; is de PDF gebouwd?", file=sys.stderr)
        return 1
    text = args.log.read_text(encoding="utf-8", errors="replace")
    defects = parse_log(text, args.tolerance)
    tex = args.log.with_suffix(".tex")
    for defect in defects:
        print(defect.describe(tex, args.sources), file=sys.stderr)
    if defects:
        print(f"{args.log}: {len(defects)} fout(en) in de PDF-opmaak", file=sys.stderr)
        return 1
    print(f"{args.log}: geen fouten, verwijzingen in orde, niets te vol (> {args.tolerance:g}pt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
