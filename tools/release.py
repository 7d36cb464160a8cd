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

A version that already has a baseline or a section in ``CHANGELOG.md`` has been released:
the release refuses, before it changes anything, unless ``--overwrite`` (``make release
... OVERWRITE=1``) says to redo it. Then the baseline is replaced and the version's
changelog section gets the new status and date, with the unreleased items added to it.
Every mistake ends with ``path:line: message`` on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shlex
import subprocess
import sys
from pathlib import Path

from rawa.model.publication import STATUSES, VERSION_RE, load
from rawa.model.settings import SettingsError

ROOT = Path(__file__).resolve().parents[1]

UNRELEASED = "## Nog niet uitgebracht"
DEFAULT_CHECKS = ("make html", "make test")


class ReleaseError(Exception):
    """A release step failed; the message says which and why."""


ALREADY_RELEASED = ("; een uitgebrachte versie wordt niet overschreven. Kies een hoger "
                    "versienummer, of herhaal de release bewust met --overwrite "
                    "(make release ... OVERWRITE=1)")


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


def section_line(text: str, version: str) -> int | None:
    """The line of the changelog heading of ``version``, if it has one."""
    match = re.search(rf"^## {re.escape(version)}(?:\s|$)", text, flags=re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def add_changelog_section(text: str, version: str, status: str, date: dt.date,
                          overwrite: bool = False) -> str:
    """Move the unreleased items under a new heading for this release.

    With ``overwrite``, an existing section of this version is replaced by one with the new
    heading, holding the unreleased items followed by its own items.
    """
    if UNRELEASED not in text:
        raise ReleaseError(f"CHANGELOG.md: kop '{UNRELEASED}' ontbreekt")
    line = section_line(text, version)
    earlier = ""
    if line is not None:
        if not overwrite:
            raise ReleaseError(f"CHANGELOG.md:{line}: versie {version} heeft al een sectie "
                               f"in het wijzigingslog{ALREADY_RELEASED}")
        lines = text.split("\n")
        end = next((i for i in range(line, len(lines)) if lines[i].startswith("## ")),
                   len(lines))
        earlier = "\n".join(lines[line:end]).strip("\n")
        text = "\n".join(lines[:line - 1] + lines[end:])
    head, _, rest = text.partition(UNRELEASED)
    items, sep, older = rest.partition("\n## ")
    items = "\n\n".join(part for part in (items.strip("\n"), earlier) if part)
    items = items or "- Geen inhoudelijke wijzigingen vastgelegd."
    section = f"## {version} ({status}, {date.isoformat()})\n\n{items}\n"
    return f"{head}{UNRELEASED}\n\n{section}" + (f"\n## {older}" if sep else "")


def refuse_existing_baseline(root: Path, version: str) -> None:
    baseline = root / "baselines" / f"needs-{version}.json"
    if baseline.exists():
        raise ReleaseError(f"{baseline.relative_to(root)}: versie {version} heeft al een "
                           f"basislijn{ALREADY_RELEASED}")


def refuse_existing_tag(root: Path, version: str) -> None:
    """A git tag ``v<version>`` is a release too: ``make versions`` publishes every tag."""
    tags = subprocess.run(["git", "tag", "--list", f"v{version}"], cwd=root, check=False,
                          capture_output=True, text=True).stdout.split()
    if f"v{version}" in tags:
        raise ReleaseError(f"git-tag v{version}: versie {version} is al uitgebracht (de tag "
                           f"bestaat){ALREADY_RELEASED}")


def read(path: Path, root: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ReleaseError(f"{path.relative_to(root)}: kan niet gelezen worden ({err})") from None


def run(command: str, root: Path) -> None:
    print(f"release: {command}", flush=True)
    if subprocess.run(shlex.split(command), cwd=root, check=False).returncode != 0:
        raise ReleaseError(f"'{command}' is mislukt; de release is afgebroken")


def release(root: Path, version: str, status: str, date: dt.date,
            checks: tuple[str, ...], overwrite: bool = False) -> None:
    if not VERSION_RE.match(version):
        raise ReleaseError(f"versie '{version}' is geen x.y.z zonder voorloopnullen, "
                           "zoals 1.2.0")
    if status not in STATUSES:
        raise ReleaseError(f"status '{status}' is niet een van: {', '.join(STATUSES)}")
    metadata = root / "publicatie.toml"
    changelog = root / "CHANGELOG.md"
    load(metadata)  # a mistake in the file now, not after the checks
    original = read(metadata, root)
    changelog_text = read(changelog, root)
    if not overwrite:
        refuse_existing_baseline(root, version)
        refuse_existing_tag(root, version)
    new_changelog = add_changelog_section(changelog_text, version, status, date, overwrite)
    metadata.write_text(set_metadata(original, version, status, date), encoding="utf-8")
    try:
        for command in checks:
            run(command, root)
        run("make baseline OVERWRITE=1" if overwrite else "make baseline", root)
    except BaseException:  # a failed check, but also Ctrl+C: leave nothing half done
        metadata.write_text(original, encoding="utf-8")
        raise
    changelog.write_text(new_changelog, encoding="utf-8")
    print(f"release: {version} ({status}, {date.isoformat()}) klaar. Controleer de wijzigingen, "
          f"commit ze en zet de tag: git tag v{version}")


def iso_date(text: str) -> dt.date:
    """``--date``: a real date written as jjjj-mm-dd."""
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen geldige datum (jjjj-mm-dd)") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version")
    parser.add_argument("status")
    parser.add_argument("--date", type=iso_date, default=dt.date.today())
    parser.add_argument("--check", action="append", dest="checks",
                        help="check command (repeatable); default: make html, make test")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--overwrite", action="store_true",
                        help="release a version again that already has a baseline or "
                             "changelog section")
    args = parser.parse_args(argv)
    try:
        release(args.root, args.version, args.status, args.date,
                tuple(args.checks) if args.checks else DEFAULT_CHECKS, args.overwrite)
    except ReleaseError as err:
        print(err, file=sys.stderr)
        return 1
    except SettingsError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
