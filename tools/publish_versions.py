#!/usr/bin/env python3
"""Build every released edition into one static site with stable version paths.

Usage (through the Makefile)::

    make versions            # writes _build/site

Each git tag ``vX.Y.Z`` is built (strictly, from that tag's own sources) into
``X.Y.Z/``. Then:

- ``X/`` and ``X.Y/`` hold the newest release of that major and minor version;
- ``latest/`` holds the newest *Vastgestelde versie* (or, while there is none yet,
  the newest release, which carries the banner of its status);
- ``index.html`` at the root sends readers to ``latest/`` and lists every edition;
- ``versions.json`` lists the editions for other tools.

Aliases are full copies rather than symlinks or redirects, so deep links such as
``latest/id/EIS-TOE-01.html`` keep working on any static host (GitHub Pages does
not serve symlinks).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TAG_RE = re.compile(r"^v([0-9]+)\.([0-9]+)\.([0-9]+)$")
FINAL = "Vastgestelde versie"
STRICT = ("-W", "--keep-going", "-n", "-T")


@dataclass(frozen=True, order=True)
class Edition:
    key: tuple[int, int, int]
    tag: str
    status: str
    date: str
    base_url: str = ""

    @property
    def version(self) -> str:
        return ".".join(map(str, self.key))


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


def release_tags(repo: Path) -> list[str]:
    return [t for t in git(repo, "tag", "--list", "v*").split() if TAG_RE.match(t)]


def read_edition(repo: Path, tag: str) -> Edition:
    match = TAG_RE.match(tag)
    assert match
    meta = tomllib.loads(git(repo, "show", f"{tag}:publicatie.toml"))
    key = (int(match[1]), int(match[2]), int(match[3]))
    edition = Edition(key, tag, meta["status"], str(meta["datum"]), meta.get("basis_url", ""))
    if edition.version != meta["versie"]:
        raise SystemExit(f"{tag}: publicatie.toml zegt versie {meta['versie']}")
    return edition


#: the folder of the PDF builder in a checkout; an edition without it has no PDF
PDF_BUILDER = Path("_ext") / "rawa" / "pdf"


def build(repo: Path, edition: Edition, outdir: Path, python: str, base_url: str,
          pdf: bool = True) -> None:
    # sitemap.xml and og:url must name this edition's own folder
    env = {**os.environ, "RAWA_BASE_URL": f"{base_url.rstrip('/')}/{edition.version}/"}
    with tempfile.TemporaryDirectory(prefix=f"rawa-{edition.version}-") as tmp:
        checkout = Path(tmp) / "src"
        git(repo, "worktree", "add", "--detach", str(checkout), edition.tag)
        try:
            result = subprocess.run(
                [python, "-m", "sphinx", *STRICT, "-c", str(checkout), "-b", "html",
                 str(checkout / "source"), str(outdir)],
                capture_output=True, text=True, check=False, cwd=checkout, env=env,
            )
            # the accessible PDF (issue 19) ships with every edition that has its builder
            if pdf and result.returncode == 0 and (checkout / PDF_BUILDER).is_dir():
                pdf_dir = Path(tmp) / "pdf"
                result = subprocess.run(
                    [python, "-m", "sphinx", *STRICT, "-E", "-c", str(checkout), "-b",
                     "rawapdf", str(checkout / "source"), str(pdf_dir)],
                    capture_output=True, text=True, check=False, cwd=checkout, env=env,
                )
                if result.returncode == 0:
                    shutil.copyfile(pdf_dir / "rawa.pdf", outdir / "rawa.pdf")
        finally:
            git(repo, "worktree", "remove", "--force", str(checkout))
    if result.returncode != 0:
        raise SystemExit(f"{edition.tag}: build mislukt\n{result.stderr[-4000:]}")


def aliases(editions: list[Edition]) -> dict[str, Edition]:
    """Map ``X``, ``X.Y`` and ``latest`` to the edition they stand for."""
    chosen: dict[str, Edition] = {}
    for edition in sorted(editions):  # ascending: later ones overwrite
        major, minor, _ = edition.key
        chosen[f"{major}"] = edition
        chosen[f"{major}.{minor}"] = edition
    finals = [e for e in editions if e.status == FINAL]
    if editions:
        chosen["latest"] = max(finals) if finals else max(editions)
    return chosen


def index_page(editions: list[Edition], alias_map: dict[str, Edition]) -> str:
    rows = "\n".join(
        f'<tr><td><a href="{e.version}/index.html">{e.version}</a></td>'
        f"<td>{html.escape(e.status)}</td><td>{e.date}</td></tr>"
        for e in sorted(editions, reverse=True)
    )
    latest = alias_map.get("latest")
    target = "latest/index.html" if latest else ""
    refresh = f'<meta http-equiv="refresh" content="0; url={target}">' if target else ""
    return f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>RAWA: alle versies</title>
{refresh}
</head>
<body>
<main>
<h1>Referentiearchitectuur veilig werken met API's: alle versies</h1>
<p><a href="{target}">Naar de nieuwste versie</a></p>
<table>
<caption>Uitgebrachte versies</caption>
<thead>
<tr><th scope="col">Versie</th><th scope="col">Status</th><th scope="col">Datum</th></tr>
</thead>
<tbody>
{rows}
</tbody>
</table>
</main>
</body>
</html>
"""


def publish(repo: Path, site: Path, python: str, pdf: bool = True) -> dict[str, Edition]:
    editions = [read_edition(repo, tag) for tag in release_tags(repo)]
    if not editions:
        raise SystemExit("geen tags vX.Y.Z gevonden; maak eerst een release")
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    for edition in sorted(editions):
        print(f"versions: {edition.tag} ({edition.status})", flush=True)
        build(repo, edition, site / edition.version, python, edition.base_url, pdf)
    alias_map = aliases(editions)
    for name, edition in sorted(alias_map.items()):
        shutil.copytree(site / edition.version, site / name)
    (site / "index.html").write_text(index_page(editions, alias_map), encoding="utf-8")
    listing = [
        {"version": e.version, "status": e.status, "date": e.date, "url": f"{e.version}/",
         "aliases": sorted(n for n, a in alias_map.items() if a == e)}
        for e in sorted(editions, reverse=True)
    ]
    (site / "versions.json").write_text(json.dumps(listing, indent=2, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    (site / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: keep _static/
    return alias_map


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=ROOT)
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "site")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--no-pdf", action="store_true",
                        help="alleen de website; geen rawa.pdf per editie (voor snelle proeven)")
    args = parser.parse_args(argv)
    alias_map = publish(args.repo.resolve(), args.site.resolve(), args.python,
                        pdf=not args.no_pdf)
    for name, edition in sorted(alias_map.items()):
        print(f"versions: {name}/ -> {edition.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
