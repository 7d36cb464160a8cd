"""What text may go into the exports, and how it is written so it stays text.

Policy (issue 21, class 3):

* **A cell is text, never a formula.** A field value that starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return is a formula to a spreadsheet program ("CSV
  injection"). The XLSX stores every value as a string cell (see :mod:`rawa_xlsx`), so the
  reader sees exactly the text of the source, ``=`` included, and nothing is computed. A
  CSV file has no cell types, so the CSV follows the OWASP advice
  (https://owasp.org/www-community/attacks/CSV_Injection): a cell that starts with one of
  those characters gets a single quote in front (``'=1+1``). Spreadsheet programs show
  such a cell as text. ``needs.json`` is left as sphinx-needs writes it: JSON has no
  formulas. Apart from that quote, the three exports hold the same text.
* **No control characters.** A control character (Unicode category Cc), and the invisible
  format characters that reorder or hide text (bidirectional overrides and isolates such
  as U+202E, zero-width spaces, the byte order mark: :data:`HIDDEN_FORMAT`), is invisible,
  cannot be stored in an XLSX file and has no business in a requirement. Tab and line feed
  are allowed: the text of a need has several lines and a tab is harmless whitespace.
  Every other control character (including carriage return, escape and the C1 range) is
  reported as a build warning ``[rawa.export]`` at the need's file and line, and no
  export is written (an old one is removed), so nobody mistakes an outdated file for the
  current one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: First characters that make a spreadsheet program read a cell as a formula (OWASP).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: Control characters that may stay in an exported text.
ALLOWED_CONTROLS = frozenset("\t\n")
#: Format characters (category Cf) that reorder or hide text ("Trojan Source"): an ID
#: or title that reads one way and is another. Soft hyphens and joiners stay allowed.
HIDDEN_FORMAT = frozenset("\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2060\u2066\u2067\u2068\u2069\ufeff")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def csv_cell(text: str) -> str:
    """The text of a CSV cell: a formula-like value gets a leading single quote."""
    return "'" + text if is_formula_like(text) else text


def control_characters(text: str) -> list[str]:
    """The forbidden control characters in ``text``, each once, as ``U+XXXX``."""
    found = {ch for ch in text if ch in HIDDEN_FORMAT
             or (unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS)}
    return [f"U+{ord(ch):04X}" for ch in sorted(found)]


@dataclass(frozen=True)
class TextProblem:
    """A need field whose value cannot go into an export."""

    need_id: str
    docname: str
    lineno: int | None
    column: str
    characters: tuple[str, ...]

    @property
    def message(self) -> str:
        return (f"Need {self.need_id}: veld '{self.column}' bevat een stuurteken "
                f"({', '.join(self.characters)}) dat niet in de exports mag. Haal het teken "
                "weg; de exports (CSV en XLSX) zijn daarom niet gemaakt.")


def find_problems(rows: Iterable[tuple[dict[str, object], dict[str, str]]]
                  ) -> Iterator[TextProblem]:
    """Problems in ``(need, {column: text})`` pairs, in the order given."""
    for need, cells in rows:
        for column, text in cells.items():
            chars = control_characters(text)
            if chars:
                lineno = need.get("lineno")
                yield TextProblem(str(need.get("id")), str(need.get("docname") or ""),
                                  lineno if isinstance(lineno, int) else None, column,
                                  tuple(chars))
