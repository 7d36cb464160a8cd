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
* the PDF edition (LaTeX build plus latexmk);
* the same clean build, one-page edit and term-linker ratio for a synthetic publication
  ``--scale`` times the real one (default 10; ``tools/make_synthetic.py``), and a table
  of both sizes side by side with the ratios and the targets of issue 20: a clean build
  at 10x costs at most 12x, a one-page edit at most 10 % of a clean build, the term
  linker at most 1.10x. The table compares CPU time: on a shared machine the wall clock
  also counts other processes' work.

The clean build and the prose edit are each measured ``--repeat`` times (default 3),
the term linker ``--repeat-terms`` times (default 5), and the median is reported (for
the clean build and the prose edit with every run): on a shared machine one build can
be 10 % slower than the next, which a single run cannot show.

The synthetic publication is measured ``--repeat-large`` times (default 1) and its term
linker ``--repeat-terms-large`` pairs (default 1; 0 skips it): at ten times the size one
clean build takes minutes.

Usage: ``make bench`` or ``python tools/bench.py [--skip-pdf] [--repeat N] [--scale S]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# tools/ is on sys.path as the script's folder
import make_synthetic  # noqa: E402
from bench_terms import TARGET as TARGET_TERMS  # noqa: E402
from bench_terms import TERM_LINKER, WITH, WITHOUT  # noqa: E402
from bench_terms import measure as measure_terms  # noqa: E402
from need_source import add_link  # noqa: E402

from rawa import SETUP_ORDER  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

STRICT = ["-W", "--keep-going", "-n", "-T"]
# .git is copied too: "last updated" dates and release data come from the history
COPY_IGNORE = shutil.ignore_patterns("_build", ".venv", "__pycache__", ".pytest_cache", "tests",
                                     "node_modules")
TARGET_INCREMENTAL = 0.20
#: targets for the synthetic publication (issue 20): a clean build grows at most this much
#: at ten times the size, and a one-page edit costs at most this share of a clean build
TARGET_GROWTH = 12.0
TARGET_INCREMENTAL_LARGE = 0.10
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


def sphinx(project: Path, builder: str, out: Path, *extra: str, strict: bool = True,
           source: Path | None = None) -> str:
    return run([sys.executable, "-m", "sphinx", *(STRICT if strict else ["-q"]), "-c",
                str(project), "-b", builder, "-d", str(out) + "-doctrees", *extra,
                str(source or project / "source"), str(out)], cwd=project)


def edit_prose(source: Path, number: int = 1, page: Path | None = None) -> Path:
    """Append a sentence to a chapter page (default: of the introduction; no need on it
    changes)."""
    page = page or sorted((source / "inleiding").glob("*.md"))[-1]
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


@dataclass
class Subject:
    """One publication to measure: its conf.py folder, source folder and extra options."""

    name: str
    project: Path
    source: Path
    extra: tuple[str, ...] = ()
    #: the page whose prose the incremental measurement edits
    page: Path | None = None

    def build(self, out: Path, log: list[str] | None = None) -> None:
        text = sphinx(self.project, "html", out, *self.extra, source=self.source)
        if log is not None:
            log.append(text)


@dataclass
class Figures:
    """The three figures measured for both sizes (times as wall-clock and CPU seconds)."""

    clean: tuple[float, float] = (0.0, 0.0)
    incremental: tuple[float, float] = (0.0, 0.0)
    terms: float | None = None


def timed_cpu(action: Callable[[], None]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of an action (CPU: its finished subprocesses, e.g.
    sphinx-build and the Java of PlantUML); on a shared machine CPU time is the fairer
    figure to compare."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_utime + usage.ru_stime
    wall = timed(action)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, usage.ru_utime + usage.ru_stime - before


def measure_clean(subject: Subject, html: Path, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of a clean build."""
    walls, cpus = [], []
    for _ in range(repeat):  # each from nothing: doctrees, pages, diagrams
        shutil.rmtree(html, ignore_errors=True)
        shutil.rmtree(str(html) + "-doctrees", ignore_errors=True)
        wall, cpu = timed_cpu(lambda: subject.build(html))
        walls.append(wall)
        cpus.append(cpu)
    clean, runs = median_of(walls)
    cpu, cpu_runs = median_of(cpus)
    print(f"  [{subject.name}] schone HTML-build:          {clean:7.1f} s  (mediaan; {runs}); "
          f"CPU {cpu:.1f} s ({cpu_runs})", flush=True)
    return clean, cpu


def measure_incremental(subject: Subject, html: Path, repeat: int, clean: tuple[float, float],
                        target: float) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of a rebuild after a prose edit on one page."""
    walls, cpus = [], []
    for attempt in range(repeat):
        page = edit_prose(subject.source, attempt + 1, subject.page)
        touch_later(page)
        wall, cpu = timed_cpu(lambda: subject.build(html))
        walls.append(wall)
        cpus.append(cpu)
    inc, runs = median_of(walls)
    inc_cpu, _ = median_of(cpus)
    share = inc / clean[0]
    print(f"  [{subject.name}] incrementeel, tekst op 1 pagina: {inc:7.1f} s  "
          f"({share:5.1%} van schoon; mediaan; {runs}; doel <= {target:.0%}: "
          f"{mark(share <= target)}); CPU {inc_cpu:.1f} s "
          f"({inc_cpu / clean[1]:5.1%} van schoon)", flush=True)
    return inc, inc_cpu


def measure_link_edit(subject: Subject, html: Path, clean: float) -> None:
    """A changed requirement link: rewrites every page that shows the changed needs."""
    page = edit_requirement_link(subject.project, html)
    if page is None:
        print("  incrementeel, link van een eis:        n/a (geen eis om te wijzigen)")
        return
    touch_later(page)
    log: list[str] = []
    inc_link = timed(lambda: subject.build(html, log))
    rewritten = re.search(r"rewriting (\d+) page", log[0])
    extra = f", {rewritten.group(1)} afhankelijke pagina's herschreven" if rewritten else ""
    # not a one-page rebuild: every page that shows the changed needs is rewritten
    print(f"  incrementeel, link van een eis:        {inc_link:7.1f} s  "
          f"({inc_link / clean:5.1%} van schoon{extra})", flush=True)


def measure_plantuml(work: Path) -> None:
    batch, single, count = plantuml(work)
    print(f"  PlantUML, {count} diagrammen in 1 JVM:     {batch:7.1f} s", flush=True)
    print(f"  PlantUML, 1 JVM per diagram:           {single:7.1f} s  "
          f"(batch {single / batch:4.1f}x sneller; doel >= {TARGET_PLANTUML:.0f}x: "
          f"{mark(single / batch >= TARGET_PLANTUML)})", flush=True)


def measure_term_linker(subject: Subject, work: Path, repeat: int) -> float | None:
    if TERM_LINKER not in SETUP_ORDER:
        print("  term-linker:                           n/a (rawa.terms niet in SETUP_ORDER)")
        return None
    # the same measurement as `make bench-terms` (see tools/bench_terms.py)
    terms = measure_terms(subject.project, work / f"terms-{subject.name}", repeat,
                          source=subject.source, extra=subject.extra)
    with_terms, no_terms = terms.median(WITH), terms.median(WITHOUT)
    print(f"  [{subject.name}] term-linker: met {with_terms:.1f} s, zonder {no_terms:.1f} s CPU "
          f"({terms.ratio:5.3f}x; mediaan van {repeat} paren; "
          f"doel <= {TARGET_TERMS:.2f}x: {mark(terms.ratio <= TARGET_TERMS)})", flush=True)
    return terms.ratio


def measure_pdf(project: Path, work: Path, skip: bool) -> None:
    if skip:
        print("  PDF-build:                             overgeslagen (--skip-pdf)")
        return
    seconds = pdf(project, work)
    if seconds is None:
        print("  PDF-build:                             n/a (TeX Live ontbreekt)")
    else:
        print(f"  PDF-build (LaTeX + latexmk):           {seconds:7.1f} s")


def synthetic_subject(project: Path, work: Path, scale: float) -> Subject:
    """The publication ``scale`` times the real one, generated next to the project copy."""
    out = work / "synthetic"
    goal = make_synthetic.generate(out, scale)
    print(f"Synthetische publicatie ({scale:g}x): {goal.total_needs} objecten, "
          f"{goal.terms} begrippen, {goal.pages} pagina's, {goal.diagrams} diagrammen",
          flush=True)
    return Subject(f"{scale:g}x", project, out / "source",
                   tuple(make_synthetic.sphinx_overrides(out)),
                   page=out / "source" / "deel-01" / "pagina-001.md")


def print_table(real: Figures, large: Figures, scale: float) -> None:
    """Both sizes side by side, with the ratios and the targets for the large one.

    Times are CPU seconds: on a shared machine the wall clock also counts other work."""
    growth = large.clean[1] / real.clean[1]
    print(f"\nSamenvatting (1x = de echte publicatie, {scale:g}x = synthetisch; CPU-tijd):")
    print(f"  {'meting':<34} {'1x':>9} {f'{scale:g}x':>9} {'verhouding':>11}  doel")
    print(f"  {'schone build (s CPU)':<34} {real.clean[1]:9.1f} {large.clean[1]:9.1f} "
          f"{growth:10.2f}x  <= {TARGET_GROWTH:g}x: {mark(growth <= TARGET_GROWTH)}")
    inc_real = real.incremental[1] / real.clean[1]
    inc_large = large.incremental[1] / large.clean[1]
    print(f"  {'1 pagina incrementeel (% schoon)':<34} {inc_real:9.1%} {inc_large:9.1%} "
          f"{inc_large / inc_real:10.2f}x  <= {TARGET_INCREMENTAL_LARGE:.0%}: "
          f"{mark(inc_large <= TARGET_INCREMENTAL_LARGE)}")
    if real.terms is not None and large.terms is not None:
        print(f"  {'term-linker (met/zonder)':<34} {real.terms:8.3f}x {large.terms:8.3f}x "
              f"{large.terms / real.terms:10.2f}x  <= {TARGET_TERMS:.2f}x: "
              f"{mark(large.terms <= TARGET_TERMS)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-pdf", action="store_true", help="measure no PDF build")
    parser.add_argument("--repeat", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--repeat-terms", type=int, default=5,
                        help="builds with and without the term linker (default 5 each)")
    parser.add_argument("--scale", type=float, default=10.0,
                        help="size of the synthetic publication (default 10; 0: skip it)")
    parser.add_argument("--repeat-large", type=int, default=1,
                        help="runs per median for the synthetic publication (default 1)")
    parser.add_argument("--repeat-terms-large", type=int, default=1,
                        help="pairs of term-linker builds for the synthetic one (default 1; "
                             "0: skip, it takes four clean builds)")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True,
        check=False).stdout.strip() or str(int(time.time())))

    with tempfile.TemporaryDirectory(prefix="rawa-bench-") as tmp:
        work = Path(tmp)
        project = work / "project"
        shutil.copytree(ROOT, project, ignore=COPY_IGNORE)
        real = Subject("1x", project, project / "source")
        pages = len(list((project / "source").rglob("*.md")))
        print(f"RAWA-benchmark: {pages} bronpagina's, {os.cpu_count()} CPU-kernen", flush=True)

        figures = Figures()
        html = work / "html"
        figures.clean = measure_clean(real, html, args.repeat)
        figures.incremental = measure_incremental(real, html, args.repeat, figures.clean,
                                                  TARGET_INCREMENTAL)
        measure_link_edit(real, html, figures.clean[0])
        measure_plantuml(work)
        figures.terms = measure_term_linker(real, work, args.repeat_terms)
        measure_pdf(project, work, args.skip_pdf)

        if args.scale > 0:
            subject = synthetic_subject(project, work, args.scale)
            large = Figures()
            html_large = work / "html-large"
            large.clean = measure_clean(subject, html_large, args.repeat_large)
            large.incremental = measure_incremental(subject, html_large, args.repeat_large,
                                                    large.clean, TARGET_INCREMENTAL_LARGE)
            if args.repeat_terms_large > 0:
                large.terms = measure_term_linker(subject, work, args.repeat_terms_large)
            print_table(figures, large, args.scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
