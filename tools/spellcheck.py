#!/usr/bin/env python3
"""Spell-check the Dutch prose with hunspell (nl_NL plus en_US for English terms).

Usage: ``tools/spellcheck.py [FILE ...]`` (default: every page under ``source/``).
Words that are right but not in the dictionaries come from two places: every term,
abbreviation and variant in the glossary (``source/bijlagen/terminologie.md``), and
the project word list ``tools/woordenlijst.txt`` (one word a line). Code, URLs, need
IDs, directive options and roles are not checked. Prints ``file:line: word`` for each
unknown word and exits 1 when there is one. Needs Debian's ``hunspell``,
``hunspell-nl`` and ``hunspell-en-us`` (``tools/ensure_system_deps.py spelling``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "source" / "bijlagen" / "terminologie.md"
WORDLIST = ROOT / "tools" / "woordenlijst.txt"

FENCE = re.compile(r"^\s*(```|~~~)")
SKIP_INLINE = re.compile(
    r"`[^`]*`"                      # inline code
    r"|\{[a-z:-]+\}`[^`]*`"         # roles
    r"|https?://\S+"                # URLs
    r"|\]\([^)]*\)"                 # link targets
    r"|\{\{[^}]*\}\}"               # substitutions
    r"|\b[A-Z]{2,}(?:-[A-Z0-9.]+)+\b"  # need IDs and codes
)
WORD = re.compile(r"[^\W\d_](?:[\w'’]*[^\W_])?")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9]+(?:['’]s)?$")


def glossary_words() -> set[str]:
    words: set[str] = set()
    if not GLOSSARY.exists():
        return words
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#", "`", ":")):
            words.update(WORD.findall(line))
        elif line.strip().startswith((":Varianten:", ":Engels:")):
            words.update(WORD.findall(line.split(":", 2)[2]))
    return words


def known_words() -> set[str]:
    listed = set()
    if WORDLIST.exists():
        listed = {w.strip() for w in WORDLIST.read_text(encoding="utf-8").splitlines()
                  if w.strip() and not w.startswith("#")}
    return listed | glossary_words()


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """The checkable lines of a MyST page: no code blocks, options or front matter."""
    lines: list[tuple[int, str]] = []
    in_code = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            in_code = not in_code
            continue
        stripped = line.strip()
        if in_code or stripped.startswith((":::", ":id:", "(", "%", "<")) or re.match(
                r"^:[a-z_]+:", stripped):
            continue
        lines.append((number, SKIP_INLINE.sub(" ", line)))
    return lines


def unknown_words(words: list[str]) -> set[str]:
    result = subprocess.run(
        ["hunspell", "-d", "nl_NL,en_US", "-l"], input="\n".join(words),
        capture_output=True, text=True, check=True,
    )
    return set(result.stdout.split())


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted((ROOT / "source").rglob("*.md"))
    known = known_words()
    found: list[tuple[Path, int, str]] = []
    for path in files:
        for number, text in prose_lines(path):
            for match in WORD.finditer(text):
                word = match.group()
                if ACRONYM.match(word):  # abbreviations are checked by the glossary, not here
                    continue
                if text[match.end():match.end() + 2] == "- ":  # "identiteits- en ..."
                    continue
                if word not in known and word.replace("’", "'") not in known:
                    found.append((path, number, word))
    bad = unknown_words([w for _, _, w in found]) if found else set()
    misses = [(p, n, w) for p, n, w in found if w in bad]
    for path, number, word in misses:
        print(f"{path}:{number}: {word}")
    if misses:
        print(f"spellcheck: {len(misses)} onbekende woorden; verbeter ze of zet ze in "
              f"{WORDLIST.relative_to(ROOT)}", file=sys.stderr)
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
