"""Store the needs of the current build as the baseline of this version.

Run through ``make baseline`` at release time, after a fresh HTML build. It reads
``<builddir>/html/needs.json``, keeps per need the ID, type, title, text, status,
the metamodel's fields and outgoing links, and writes them in the needs.json format to
``baselines/needs-<versie>.json`` (versie from ``publicatie.toml``). ``baselines/LATEST``
then names that file. The page "Wijzigingen ten opzichte van de vorige versie" of the
next version compares against it.

An existing baseline is never overwritten without ``--overwrite``: a released version's
baseline is what later versions are compared with. Every mistake (a missing or damaged
needs.json, a wrong ``publicatie.toml``) ends with ``path:line: message`` and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import rawa.model.metamodel as mm
from rawa.model.publication import read_version
from rawa.model.settings import SettingsError

ROOT = Path(__file__).resolve().parents[1]

KEPT = ("id", "type", "title", "content", "status", "docname",
        *(spec.name for spec in mm.FIELDS), *mm.LINK_NAMES)


def baseline(needs_json: dict) -> dict:
    """The needs.json data reduced to what the version diff compares."""
    version = needs_json["current_version"]
    needs = needs_json["versions"][version]["needs"]
    kept = {need_id: {key: need.get(key) for key in KEPT} for need_id, need in needs.items()}
    return {"current_version": version, "project": needs_json.get("project", ""),
            "versions": {version: {"needs": kept, "needs_amount": len(kept)}}}


def read_needs_json(path: Path) -> dict:
    """The needs.json of the build, reduced to a baseline; mistakes are a SettingsError."""
    if not path.is_file():
        raise SettingsError.one(path, None, "bestaat niet; bouw eerst de website (make html).")
    try:
        return baseline(json.loads(path.read_text(encoding="utf-8")))
    except UnicodeDecodeError:
        raise SettingsError.one(path, None, "is niet opgeslagen als UTF-8; bouw de website "
                                            "opnieuw (make clean html).") from None
    except json.JSONDecodeError as err:
        raise SettingsError.one(path, err.lineno, f"geen geldige JSON ({err.msg}); bouw de "
                                                  "website opnieuw (make clean html).") from None
    except (KeyError, TypeError, AttributeError):
        raise SettingsError.one(path, None, "heeft niet het formaat van needs.json; bouw de "
                                            "website opnieuw (make clean html).") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs-json", type=Path, default=ROOT / "_build/html/needs.json")
    parser.add_argument("--baselines", type=Path, default=ROOT / "baselines")
    parser.add_argument("--publication", type=Path, default=ROOT / "publicatie.toml")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the baseline of this version if there is one")
    args = parser.parse_args(argv)
    try:
        versie = read_version(args.publication)
        data = read_needs_json(args.needs_json)
        target = args.baselines / f"needs-{versie}.json"
        if target.exists() and not args.overwrite:
            raise SettingsError.one(target, None, f"versie {versie} heeft al een basislijn; "
                                    "die wordt niet overschreven. Verhoog de versie in "
                                    "publicatie.toml, of vervang de basislijn bewust met "
                                    "make baseline OVERWRITE=1.")
    except SettingsError as err:
        print(err, file=sys.stderr)
        return 1
    args.baselines.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    (args.baselines / "LATEST").write_text(target.name + "\n", encoding="utf-8")
    amount = data["versions"][data["current_version"]]["needs_amount"]
    print(f"Basislijn {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
          f"vastgelegd met {amount} objecten.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
