#!/usr/bin/env python3
"""Measure the overhead of the term linker (rawa.terms) on the real publication.

Builds the HTML edition with and without the linker in the same run, alternating,
with the strict options of ``make html``. Every build is a clean build: the output
folder is emptied first (doctrees, pages, exports), except the PlantUML image cache,
so the diagrams rendered by a warm-up build of each variant are not timed. "Without"
removes ``rawa_terms`` from ``extensions`` altogether, so the figure includes loading
the extension.

The builds run in pairs, one with and one without the linker, back to back (which
goes first alternates). The headline figure is the median of the pairs' ratios of CPU
time (the builds' own processes): on a shared machine wall-clock time also counts
other machines' work, and a pair sees the machine in one state, where two medians
taken over minutes may not. ``make bench`` prints the same figure through
:func:`measure`.

Usage: python tools/bench_terms.py [--repeat N] [--builddir DIR] [--project DIR] [--max-ratio R]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rawa import SETUP_ORDER

ROOT = Path(__file__).resolve().parents[1]
STRICT = ["-W", "--keep-going", "-n", "-T", "-q"]
WITH, WITHOUT = "met linker", "zonder linker"
TARGET = 1.10
#: sphinxcontrib-plantuml's ``plantuml_cache_path`` (default), inside the output folder
PLANTUML_CACHE = "_plantuml"


@dataclass
class Overhead:
    """Timings of the builds with and without the linker, in seconds per build."""

    wall: dict[str, list[float]] = field(default_factory=lambda: {WITH: [], WITHOUT: []})
    cpu: dict[str, list[float]] = field(default_factory=lambda: {WITH: [], WITHOUT: []})
    pages: int = 0
    links: int = 0

    def median(self, variant: str) -> float:
        return statistics.median(self.cpu[variant])

    @property
    def pair_ratios(self) -> list[float]:
        """CPU time with the linker over CPU time without it, per pair of builds."""
        return [w / wo for w, wo in zip(self.cpu[WITH], self.cpu[WITHOUT], strict=True)]

    @property
    def ratio(self) -> float:
        """The median of the pairs' ratios."""
        return statistics.median(self.pair_ratios)


TERM_LINKER = "rawa.terms"


def without_term_linker() -> list[str]:
    """Every extension of the build, in its order, except the term linker.

    ``rawa`` sets up its parts in the order of ``rawa.SETUP_ORDER``; each part is a Sphinx
    extension of its own, so ``-D extensions=...`` can name them all but one.
    """
    return [name for name in SETUP_ORDER if name != TERM_LINKER]


def empty_except_diagrams(outdir: Path) -> None:
    """Remove the output of the last build, but keep sphinxcontrib-plantuml's cache."""
    if not outdir.is_dir():
        return
    for child in outdir.iterdir():
        if child.name == PLANTUML_CACHE:
            continue
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(project: Path, outdir: Path, extra: list[str],
          source: Path | None = None) -> tuple[float, float]:
    """One clean HTML build; its wall-clock and CPU time (incl. subprocesses) in seconds."""
    cmd = [sys.executable, "-m", "sphinx", *STRICT, "-c", str(project), "-b", "html",
           *extra, str(source or project / "source"), str(outdir)]
    empty_except_diagrams(outdir)
    start, cpu = time.perf_counter(), _child_cpu()
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=project)
    elapsed, cpu_used = time.perf_counter() - start, _child_cpu() - cpu
    if result.returncode != 0:
        sys.exit(f"build failed ({' '.join(extra) or WITH}):\n{result.stderr[-3000:]}")
    return elapsed, cpu_used


def count_links(outdir: Path) -> int:
    return sum(p.read_text(encoding="utf-8").count("std-term rawaterm")
               for p in outdir.rglob("*.html"))


def measure(project: Path, builddir: Path, repeat: int, source: Path | None = None,
            extra: tuple[str, ...] = ()) -> Overhead:
    """Build ``repeat`` times with and ``repeat`` times without the linker, alternating.

    ``source`` and ``extra`` build another source folder with the same conf.py (the
    synthetic publication of ``tools/make_synthetic.py``)."""
    variants = {WITHOUT: [*extra, "-D", "extensions=" + ",".join(without_term_linker())],
                WITH: [*extra]}
    outdirs = {WITHOUT: builddir / "off", WITH: builddir / "on"}
    for name, extra in variants.items():  # warm-up: render and cache the diagrams
        build(project, outdirs[name], extra, source)
    result = Overhead()
    for round_number in range(repeat):
        order = list(variants) if round_number % 2 == 0 else list(reversed(variants))
        for name in order:
            wall, used = build(project, outdirs[name], variants[name], source)
            result.wall[name].append(wall)
            result.cpu[name].append(used)
    result.pages = len(list(outdirs[WITH].glob("**/*.html")))
    result.links = count_links(outdirs[WITH])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed builds per variant")
    parser.add_argument("--builddir", type=Path, default=ROOT / "_build" / "bench-terms")
    parser.add_argument("--project", type=Path, default=ROOT,
                        help="project folder with conf.py and source/ (e.g. a copy with a "
                             "larger glossary)")
    parser.add_argument("--max-ratio", type=float, default=None,
                        help="exit with status 1 when the ratio is higher")
    args = parser.parse_args()
    result = measure(args.project.resolve(), args.builddir, args.repeat)
    print(f"pagina's: {result.pages}, automatische termlinks: {result.links}")
    for label, series in (("kloktijd", result.wall), ("CPU-tijd", result.cpu)):
        for name, values in series.items():
            runs = ", ".join(f"{v:.2f}" for v in values)
            print(f"{label} {name:>13}: mediaan {statistics.median(values):.2f} s  "
                  f"(runs: {runs})")
    pairs = ", ".join(f"{r:.3f}" for r in result.pair_ratios)
    print(f"verhouding per paar (met/zonder, CPU-tijd): {pairs}")
    print(f"overhead-verhouding (met/zonder), mediaan van de paren: {result.ratio:.3f}x  "
          f"(doel: <= {TARGET:.2f}x)")
    if args.max_ratio is not None and result.ratio > args.max_ratio:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
