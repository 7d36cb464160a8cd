#!/usr/bin/env python3
"""Make a release: set version, status and date, check, store the baseline, log it.

Usage (through the Makefile)::

    make release VERSION=1.1.0 STATUS=Consultatieversie [DATE=2026-12-01]

Steps, in this order, and nothing is left changed when a step fails:

1. write version, status and date into ``publicatie.toml`` (the one place they live);
2. run the checks (default: the strict HTML build and the whole test suite);
3. store the build's needs.json as the baseline the next version compares with
   (``make baseline``);
4. add a section for the release to ``CHANGELOG.md``, taking the items written
   under "Nog niet uitgebracht".
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from rawa_publication import STATUSES  # noqa: E402

VERSION_RE = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+$")
UNRELEASED = "## Nog niet uitgebracht"
DEFAULT_CHECKS = ("make html", "make test")


class ReleaseError(Exception):
    """A release step failed; the message says which and why."""


def set_metadata(text: str, version: str, status: str, date: dt.date) -> str:
    """Return ``publicatie.toml`` with new version, status and date."""
    values = {"versie": version, "status": status, "datum": date.isoformat()}
    for key, value in values.items():
        text, count = re.subn(
            rf'^{key}\s*=\s*"[^"]*"', f'{key} = "{value}"', text, count=1, flags=re.M
        )
        if count != 1:
            raise ReleaseError(f"publicatie.toml: sleutel '{key}' niet gevonden")
    return text


def add_changelog_section(text: str, version: str, status: str, date: dt.date) -> str:
    """Move the unreleased items under a new heading for this release."""
    if UNRELEASED not in text:
        raise ReleaseError(f"CHANGELOG.md: kop '{UNRELEASED}' ontbreekt")
    head, _, rest = text.partition(UNRELEASED)
    items, sep, older = rest.partition("\n## ")
    items = items.strip("\n") or "- Geen inhoudelijke wijzigingen vastgelegd."
    section = f"## {version} ({status}, {date.isoformat()})\n\n{items}\n"
    return f"{head}{UNRELEASED}\n\n{section}" + (f"\n## {older}" if sep else "")


def run(command: str, root: Path) -> None:
    print(f"release: {command}", flush=True)
    if subprocess.run(shlex.split(command), cwd=root, check=False).returncode != 0:
        raise ReleaseError(f"'{command}' is mislukt; de release is afgebroken")


def release(root: Path, version: str, status: str, date: dt.date,
            checks: tuple[str, ...]) -> None:
    if not VERSION_RE.match(version):
        raise ReleaseError(f"versie '{version}' is geen x.y.z")
    if status not in STATUSES:
        raise ReleaseError(f"status '{status}' is niet een van: {', '.join(STATUSES)}")
    metadata = root / "publicatie.toml"
    changelog = root / "CHANGELOG.md"
    original = metadata.read_text(encoding="utf-8")
    changelog_text = changelog.read_text(encoding="utf-8")
    new_changelog = add_changelog_section(changelog_text, version, status, date)
    metadata.write_text(set_metadata(original, version, status, date), encoding="utf-8")
    try:
        for command in checks:
            run(command, root)
        run("make baseline", root)
    except ReleaseError:
        metadata.write_text(original, encoding="utf-8")
        raise
    changelog.write_text(new_changelog, encoding="utf-8")
    print(f"release: {version} ({status}, {date.isoformat()}) klaar. Controleer de wijzigingen, "
          f"commit ze en zet de tag: git tag v{version}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version")
    parser.add_argument("status")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--check", action="append", dest="checks",
                        help="check command (repeatable); default: make html, make test")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    try:
        release(args.root, args.version, args.status, args.date,
                tuple(args.checks) if args.checks else DEFAULT_CHECKS)
    except ReleaseError as err:
        print(f"release: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
