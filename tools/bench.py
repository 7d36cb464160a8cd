#!/usr/bin/env python3
"""Benchmark the publication's build: one run, figures and ratios, no assertions.

Works on a copy of the project in a temporary folder (the sources stay untouched)
and prints, for the whole publication:

* the clean HTML build;
* an incremental rebuild after editing one page: a prose edit, and a changed
  requirement link (which also rewrites the pages that show needs data);
* PlantUML: every diagram in ``diagrams/`` rendered in one JVM versus one JVM each;
* the term linker's overhead (clean builds with and without ``rawa_terms``, measured
  as ``make bench-terms`` does, see ``tools/bench_terms.py``);
* the PDF edition (LaTeX build plus latexmk).

The clean build and the prose edit are each measured ``--repeat`` times (default 3),
the term linker ``--repeat-terms`` times (default 5), and the median is reported (for
the clean build and the prose edit with every run): on a shared machine one build can
be 10 % slower than the next, which a single run cannot show.

Usage: ``make bench`` or ``python tools/bench.py [--skip-pdf] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# tools/ is on sys.path as the script's folder
from bench_terms import TARGET as TARGET_TERMS
from bench_terms import TERM_LINKER, WITH, WITHOUT
from bench_terms import measure as measure_terms
from need_source import add_link

from rawa import SETUP_ORDER

ROOT = Path(__file__).resolve().parents[1]

STRICT = ["-W", "--keep-going", "-n", "-T"]
# .git is copied too: "last updated" dates and release data come from the history
COPY_IGNORE = shutil.ignore_patterns("_build", ".venv", "__pycache__", ".pytest_cache", "tests",
                                     "node_modules")
TARGET_INCREMENTAL = 0.20
TARGET_PLANTUML = 3.0


def timed(action: Callable[[], None]) -> float:
    """Wall-clock seconds of an action (what a maintainer waits for)."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run(cmd: list[str], cwd: Path) -> str:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"bench: {shlex.join(cmd)} failed:\n{result.stdout[-2000:]}\n"
                 f"{result.stderr[-3000:]}")
    return result.stdout


def sphinx(project: Path, builder: str, out: Path, *extra: str, strict: bool = True) -> str:
    return run([sys.executable, "-m", "sphinx", *(STRICT if strict else ["-q"]), "-c",
                str(project), "-b", builder, "-d", str(out) + "-doctrees", *extra,
                str(project / "source"), str(out)], cwd=project)


def edit_prose(project: Path, number: int = 1) -> Path:
    """Append a sentence to a chapter page of the introduction (no need on it changes)."""
    page = sorted((project / "source" / "inleiding").glob("*.md"))[-1]
    page.write_text(page.read_text(encoding="utf-8") + f"\nExtra zin {number} voor de meting.\n",
                    encoding="utf-8")
    return page


def median_of(times: list[float]) -> tuple[float, str]:
    """The median and the runs, as printed."""
    return statistics.median(times), ", ".join(f"{s:.1f}" for s in times)


def edit_requirement_link(project: Path, html: Path) -> Path | None:
    """Make one requirement follow one more standard (changes needs data)."""
    data = json.loads((html / "needs.json").read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    standards = sorted(i for i, n in needs.items() if n["type"] == "standaard")
    for need_id, need in sorted(needs.items()):
        free = [s for s in standards if s not in need.get("volgt", [])]
        if need["type"] != "eis" or not free:
            continue
        page = project / "source" / f"{need['docname']}.md"
        text = page.read_text(encoding="utf-8")
        if f"\n:id: {need_id}\n" not in text:
            continue
        page.write_text(add_link(text, need_id, "volgt", free[0]), encoding="utf-8")
        return page
    return None


def touch_later(path: Path) -> None:
    later = time.time() + 2
    os.utime(path, (later, later))


def plantuml(work: Path) -> tuple[float, float, int]:
    from rawa import plantuml as rawa_plantuml

    diagrams = sorted((ROOT / "diagrams").glob("*.puml"))
    base = shlex.split(rawa_plantuml.command())
    batch_out, single_out = work / "puml-batch", work / "puml-single"
    batch_out.mkdir()
    single_out.mkdir()
    batch = timed(lambda: run([*base, "-tsvg", "-o", str(batch_out), *map(str, diagrams)],
                              cwd=work))

    def one_by_one() -> None:
        for diagram in diagrams:
            run([*base, "-tsvg", "-o", str(single_out), str(diagram)], cwd=work)

    single = timed(one_by_one)
    return batch, single, len(diagrams)


def pdf(project: Path, work: Path) -> float | None:
    tools = ("latexmk", "xelatex", "xindy")
    if any(shutil.which(t) is None for t in tools):
        return None
    out = work / "latex"

    def build() -> None:
        sphinx(project, "latex", out)
        run(["make", "-C", str(out), "LATEXMKOPTS=-halt-on-error -interaction=nonstopmode",
             "all-pdf"], cwd=out)

    return timed(build)


def mark(ok: bool) -> str:
    return "gehaald" if ok else "NIET gehaald"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-pdf", action="store_true", help="measure no PDF build")
    parser.add_argument("--repeat", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--repeat-terms", type=int, default=5,
                        help="builds with and without the term linker (default 5 each)")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True,
        check=False).stdout.strip() or str(int(time.time())))

    with tempfile.TemporaryDirectory(prefix="rawa-bench-") as tmp:
        work = Path(tmp)
        project = work / "project"
        shutil.copytree(ROOT, project, ignore=COPY_IGNORE)
        html = work / "html"
        pages = len(list((project / "source").rglob("*.md")))
        print(f"RAWA-benchmark: {pages} bronpagina's, {os.cpu_count()} CPU-kernen", flush=True)

        cleans = []
        for _ in range(args.repeat):  # each from nothing: doctrees, pages, diagrams
            shutil.rmtree(html, ignore_errors=True)
            shutil.rmtree(str(html) + "-doctrees", ignore_errors=True)
            cleans.append(timed(lambda: sphinx(project, "html", html)))
        clean, runs = median_of(cleans)
        print(f"  schone HTML-build:                     {clean:7.1f} s  (mediaan; {runs})",
              flush=True)

        edits = []
        for attempt in range(args.repeat):
            prose = edit_prose(project, attempt + 1)
            touch_later(prose)
            edits.append(timed(lambda: sphinx(project, "html", html)))
        inc_prose, runs = median_of(edits)
        print(f"  incrementeel, tekst op 1 pagina:       {inc_prose:7.1f} s  "
              f"({inc_prose / clean:5.1%} van schoon; mediaan; {runs}; doel <= "
              f"{TARGET_INCREMENTAL:.0%}: {mark(inc_prose / clean <= TARGET_INCREMENTAL)})",
              flush=True)

        page = edit_requirement_link(project, html)
        if page is None:
            print("  incrementeel, link van een eis:        n/a (geen eis om te wijzigen)")
        else:
            touch_later(page)
            log: list[str] = []
            inc_link = timed(lambda: log.append(sphinx(project, "html", html)))
            rewritten = re.search(r"rewriting (\d+) page", log[0])
            extra = f", {rewritten.group(1)} afhankelijke pagina's herschreven" if rewritten else ""
            # not a one-page rebuild: every page that shows the changed needs is rewritten
            print(f"  incrementeel, link van een eis:        {inc_link:7.1f} s  "
                  f"({inc_link / clean:5.1%} van schoon{extra})", flush=True)

        batch, single, count = plantuml(work)
        print(f"  PlantUML, {count} diagrammen in 1 JVM:     {batch:7.1f} s", flush=True)
        print(f"  PlantUML, 1 JVM per diagram:           {single:7.1f} s  "
              f"(batch {single / batch:4.1f}x sneller; doel >= {TARGET_PLANTUML:.0f}x: "
              f"{mark(single / batch >= TARGET_PLANTUML)})", flush=True)

        if TERM_LINKER in SETUP_ORDER:
            # the same measurement as `make bench-terms` (see tools/bench_terms.py)
            terms = measure_terms(project, work / "terms", args.repeat_terms)
            with_terms, no_terms = terms.median(WITH), terms.median(WITHOUT)
            print(f"  term-linker: met {with_terms:.1f} s, zonder {no_terms:.1f} s CPU  "
                  f"({terms.ratio:5.3f}x; mediaan van {args.repeat_terms} paren; "
                  f"doel <= {TARGET_TERMS:.2f}x: {mark(terms.ratio <= TARGET_TERMS)})",
                  flush=True)
        else:
            print("  term-linker:                           n/a (rawa_terms staat niet in conf.py)")

        if args.skip_pdf:
            print("  PDF-build:                             overgeslagen (--skip-pdf)")
        else:
            seconds = pdf(project, work)
            if seconds is None:
                print("  PDF-build:                             n/a (TeX Live ontbreekt)")
            else:
                print(f"  PDF-build (LaTeX + latexmk):           {seconds:7.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
