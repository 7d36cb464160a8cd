#!/usr/bin/env python3
"""Measure the overhead of the term linker (_ext/rawa_terms) on the real publication.

Builds the HTML edition with and without the linker in the same run (the "without"
build sets ``rawa_terms_enabled = 0``), alternating, each time from a fresh
environment (``-E``) so every page is read and written. A warm-up build of each
variant comes first, so PlantUML images are already rendered and cached. Prints the
median time of each variant and the overhead ratio (target: at most 1.10).

Usage: python tools/bench_terms.py [--repeat N] [--builddir DIR] [--source DIR] [--max-ratio R]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STRICT = ["-W", "--keep-going", "-n", "-T", "-q"]
VARIANTS = {"zonder linker": ["-D", "rawa_terms_enabled=0"], "met linker": []}


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(outdir: Path, extra: list[str], source: Path = ROOT / "source") -> tuple[float, float]:
    """One full HTML build; its wall-clock and CPU time (incl. subprocesses) in seconds."""
    cmd = [sys.executable, "-m", "sphinx", *STRICT, "-E", "-c", str(ROOT), "-b", "html",
           *extra, str(source), str(outdir)]
    start, cpu = time.perf_counter(), _child_cpu()
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    elapsed, cpu_used = time.perf_counter() - start, _child_cpu() - cpu
    if result.returncode != 0:
        sys.exit(f"build failed ({' '.join(extra) or 'met linker'}):\n{result.stderr[-3000:]}")
    return elapsed, cpu_used


def count_links(outdir: Path) -> int:
    return sum(p.read_text(encoding="utf-8").count("std-term rawaterm")
               for p in outdir.rglob("*.html"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed builds per variant")
    parser.add_argument("--builddir", type=Path, default=ROOT / "_build" / "bench-terms")
    parser.add_argument("--source", type=Path, default=ROOT / "source",
                        help="source directory (e.g. a copy with a larger glossary)")
    parser.add_argument("--max-ratio", type=float, default=None,
                        help="exit with status 1 when the ratio is higher")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    cpu: dict[str, list[float]] = {name: [] for name in VARIANTS}
    outdirs = {name: args.builddir / ("off" if extra else "on") for name, extra in
               VARIANTS.items()}
    for name, extra in VARIANTS.items():  # warm-up: render and cache the diagrams
        build(outdirs[name], extra, args.source)
    for _ in range(args.repeat):
        for name, extra in VARIANTS.items():
            wall, used = build(outdirs[name], extra, args.source)
            times[name].append(wall)
            cpu[name].append(used)
    print(f"pagina's: {len(list(outdirs['met linker'].glob('**/*.html')))}, "
          f"automatische termlinks: {count_links(outdirs['met linker'])}")
    ratios = {}
    for label, series in (("kloktijd", times), ("CPU-tijd", cpu)):
        medians = {name: statistics.median(values) for name, values in series.items()}
        ratios[label] = medians["met linker"] / medians["zonder linker"]
        ratios[label + ", minimum"] = min(series["met linker"]) / min(series["zonder linker"])
        for name, values in series.items():
            runs = ", ".join(f"{v:.2f}" for v in values)
            print(f"{label} {name:>13}: mediaan {medians[name]:.2f} s  (runs: {runs})")
    for label in ("kloktijd", "CPU-tijd, minimum"):
        print(f"overhead-verhouding (met/zonder), {label}: {ratios[label]:.3f}x")
    # CPU time (median) is the headline figure: wall-clock time on a shared machine is noisy
    ratio = ratios["CPU-tijd"]
    print(f"overhead-verhouding (met/zonder), CPU-tijd: {ratio:.3f}x  (doel: <= 1.10x)")
    if args.max_ratio is not None and ratio > args.max_ratio:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
