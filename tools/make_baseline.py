"""Store the needs of the current build as the baseline of this version.

Run through ``make baseline`` at release time, after a fresh HTML build. It reads
``<builddir>/html/needs.json``, keeps per need the ID, type, title, text, status,
the metamodel's fields and outgoing links, and writes them in the needs.json format to
``baselines/needs-<versie>.json`` (versie from ``publicatie.toml``). ``baselines/LATEST``
then names that file. The page "Wijzigingen ten opzichte van de vorige versie" of the
next version compares against it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

import rawa_metamodel as mm  # noqa: E402

KEPT = ("id", "type", "title", "content", "status", "docname",
        *(spec.name for spec in mm.FIELDS), *mm.LINK_NAMES)


def baseline(needs_json: dict) -> dict:
    """The needs.json data reduced to what the version diff compares."""
    version = needs_json["current_version"]
    needs = needs_json["versions"][version]["needs"]
    kept = {need_id: {key: need.get(key) for key in KEPT} for need_id, need in needs.items()}
    return {"current_version": version, "project": needs_json.get("project", ""),
            "versions": {version: {"needs": kept, "needs_amount": len(kept)}}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs-json", type=Path, default=ROOT / "_build/html/needs.json")
    parser.add_argument("--baselines", type=Path, default=ROOT / "baselines")
    parser.add_argument("--publication", type=Path, default=ROOT / "publicatie.toml")
    args = parser.parse_args(argv)
    if not args.needs_json.is_file():
        print(f"{args.needs_json} bestaat niet; bouw eerst de website (make html)",
              file=sys.stderr)
        return 1
    versie = tomllib.loads(args.publication.read_text(encoding="utf-8"))["versie"]
    data = baseline(json.loads(args.needs_json.read_text(encoding="utf-8")))
    args.baselines.mkdir(parents=True, exist_ok=True)
    target = args.baselines / f"needs-{versie}.json"
    target.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    (args.baselines / "LATEST").write_text(target.name + "\n", encoding="utf-8")
    amount = data["versions"][data["current_version"]]["needs_amount"]
    print(f"Basislijn {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
          f"vastgelegd met {amount} objecten.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
