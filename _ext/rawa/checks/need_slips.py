"""Catch editing slips in a need's option block that MyST would silently absorb.

MyST reads the ``:field: value`` lines at the top of a need directive up to the first
line that does not start with ``:``, keeps the last of two equal keys, cuts a value at
`` #`` (a YAML comment) and nests a need in another when a closing fence is forgotten.
Each slip leaves a valid-looking need with a wrong or missing value, so the build
would pass. This extension re-reads the option block with MyST's own tokenizer and
reports, in Dutch and at the source line:

* a field written twice (``rawa.need_field_twice``);
* a field value cut at ``#`` (``rawa.need_field_comment``);
* a field value wrapped onto the next line (``rawa.need_field_wrapped``);
* a need inside another need (``rawa.need_nested``);
* a need whose closing fence is missing, so it runs to the end of the page
  (``rawa.need_unclosed``);
* a key written twice in a YAML option block (``---`` ... ``---``), as above.

Every need type of the metamodel gets the checked directive; sphinx-needs still does
all the real work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from myst_parser.parsers.directives import is_option_line
from myst_parser.parsers.options import TokenizeError, options_to_tokens
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx_needs.directives.need import NeedDirective
from sphinx_needs.nodes import Need

from rawa import priorities
from rawa.model import metamodel as rawa_metamodel

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Slip:
    """One problem in a need's source: the 1-based line, the message, the subtype."""

    line: int
    message: str
    subtype: str


@dataclass(frozen=True)
class OptionLine:
    """A ``:field: value`` line as MyST reads it: field name, value, 0-based index."""

    name: str
    value: str
    index: int


def option_block(block_text: str) -> tuple[list[str], str | None]:
    """The option lines of a MyST directive and the line right after them, if any.

    ``block_text`` is the directive as MyST hands it over: the opening fence line, the
    content, the closing fence. The option block is read as MyST reads it
    (:func:`myst_parser.parsers.directives.is_option_line`).
    """
    lines = block_text.splitlines()[1:-1]  # without the opening and closing fence
    options: list[str] = []
    for line in lines:
        if not is_option_line(line):
            return options, line
        options.append(line)
    return options, None


def _tokens(options: list[str]) -> tuple[list[OptionLine], list[int]]:
    """Field lines and the 0-based indexes of lines with a ``#`` comment."""
    block = "\n".join(line.lstrip()[1:] for line in options)
    try:
        pairs, state = options_to_tokens(block)
    except TokenizeError:
        return [], []  # MyST reports a malformed option block itself
    fields = [OptionLine(key.value, value.value if value is not None else "", key.start.line)
              for key, value in pairs]
    return fields, list(state.comment_lines)


def option_slips(block_text: str, first_option_line: int) -> Iterator[Slip]:
    """The slips in the option block of one need (``first_option_line`` is 1-based)."""
    options, after = option_block(block_text)
    if not options:
        return
    fields, comments = _tokens(options)
    seen: dict[str, OptionLine] = {}
    for option in fields:
        first = seen.setdefault(option.name, option)
        if first is not option:
            yield Slip(
                first_option_line + option.index,
                f"veld ':{option.name}:' staat twee keer in deze need (ook op regel "
                f"{first_option_line + first.index}); alleen de laatste waarde telt. "
                "Houd één regel over",
                "need_field_twice",
            )
    for index in comments:
        raw = options[index].strip()
        yield Slip(
            first_option_line + index,
            f"'#' in de veldregel '{raw}': alles vanaf ' #' valt weg. Zet de waarde "
            "tussen aanhalingstekens (\"...\") of laat het '#' weg",
            "need_field_comment",
        )
    if after is not None and after.strip():
        last = fields[-1].name if fields else options[-1].strip()
        yield Slip(
            first_option_line + len(options),
            f"deze regel volgt direct op de velden, dus de waarde van ':{last}:' stopt "
            "op de regel erboven en deze regel wordt tekst van de need. Zet een "
            "veldwaarde op één regel, en laat een lege regel tussen de velden en de tekst",
            "need_field_wrapped",
        )


_YAML_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def yaml_block_slips(block_text: str, first_line: int) -> Iterator[Slip]:
    """Keys written twice in a YAML option block (``---`` lines) at the top of a need."""
    lines = block_text.splitlines()[1:]
    if not lines or lines[0].strip() != "---":
        return
    seen: dict[str, int] = {}
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return
        match = _YAML_KEY.match(line)
        if not match:
            continue
        key = match.group(1)
        if key in seen:
            yield Slip(first_line + index,
                       f"veld '{key}' staat twee keer in het blok tussen '---' (ook op regel "
                       f"{first_line + seen[key]}); alleen de laatste waarde telt. Houd "
                       "één regel over", "need_field_twice")
        else:
            seen[key] = index


def source_lines(source: str) -> list[str]:
    """The lines of a page as they are on disk (MyST's block text has no such detail)."""
    try:
        return Path(source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def unclosed(block_text: str, page: list[str], line: int) -> bool:
    """Whether the need that opens at ``line`` (1-based) of ``page`` lacks its closing fence.

    MyST hands the directive a ``block_text`` that always ends with a closing fence, also
    when the page has none and the need silently runs to the end of the page; so the
    closing line is looked up in the page itself.
    """
    lines = block_text.splitlines()
    fence = re.match(r"\s*(:{3,}|`{3,})", lines[0]) if lines else None
    if fence is None or not page:
        return False
    closing = line - 1 + len(lines) - 1  # 0-based index of the closing fence in the page
    if closing >= len(page):
        return True
    last = page[closing].strip()
    return not (last and set(last) == {fence.group(1)[0]} and len(last) >= len(fence.group(1)))


def _enclosing_need(node: nodes.Node | None) -> Need | None:
    while node is not None:
        if isinstance(node, Need):
            return node
        node = node.parent
    return None


class CheckedNeedDirective(NeedDirective):
    """The sphinx-needs directive, after a check of its source for editing slips."""

    def run(self) -> Sequence[nodes.Node]:
        source, line = self.get_source_info()
        if type(self.state).__module__.startswith("myst_parser") and line:
            for slip in option_slips(self.block_text, line + 1):
                self._slip(slip, source)
            for slip in yaml_block_slips(self.block_text, line + 1):
                self._slip(slip, source)
            if unclosed(self.block_text, source_lines(source), line):
                self._slip(Slip(
                    line,
                    f"need {self.options.get('id') or 'zonder ID'} heeft geen sluitregel: "
                    "alles tot het eind van de pagina hoort er nu bij, ook koppen en tekst "
                    "erna. Sluit de need af met dezelfde regel als de opening (':::')",
                    "need_unclosed",
                ), source)
        # the node the directive is parsed into (docutils and MyST both keep it here)
        outer = _enclosing_need(getattr(self.state_machine, "node", None))
        if outer is not None and line:
            own_id = self.options.get("id") or "zonder ID"
            self._slip(Slip(
                line,
                f"need {own_id} staat binnen need {outer.get('refid', '?')}: de need "
                "erboven mist waarschijnlijk zijn sluitregel (':::'). Sluit elke need af "
                "voordat de volgende begint",
                "need_nested",
            ), source)
        return super().run()

    def _slip(self, slip: Slip, source: str) -> None:
        logger.warning(slip.message, location=f"{source}:{slip.line}", type="rawa",
                       subtype=slip.subtype)


def pages_in_toctree(env: Any) -> set[str]:
    """The documents reachable from the root document through the toctrees."""
    seen: set[str] = set()
    todo = [env.config.root_doc]
    while todo:
        docname = todo.pop()
        if docname in seen:
            continue
        seen.add(docname)
        todo.extend(env.toctree_includes.get(docname, ()))
    return seen


def needs_outside_toctree(app: Sphinx, builder: Any) -> None:
    """A need on a page outside the toctree (an ``orphan`` page) is not in the PDF.

    Every table and matrix that lists it would then link to a page the PDF does not
    have: the LaTeX build would crash (``NoUri``). Report each such need at its line;
    the LaTeX build stops here with that message instead of a traceback.
    """
    from sphinx_needs.api import get_needs_view

    included = pages_in_toctree(app.env)
    outside = [need for need in get_needs_view(app).values()
               if need.get("docname") and need["docname"] not in included]
    for need in sorted(outside, key=lambda n: str(n["id"])):
        logger.warning(
            f"need {need['id']} staat op een pagina die in geen inhoudsopgave (toctree) staat; "
            "zet de pagina in de toctree van haar deel, of verplaats de need",
            location=(need["docname"], need.get("lineno")), type="rawa",
            subtype="need_outside_toctree")
    if outside and app.builder.format == "latex":
        logger.error("rawa: de PDF-editie is niet gemaakt: een need staat buiten de "
                     "inhoudsopgave (zie hierboven)")
        raise SystemExit(2)


def register(app: Sphinx, config: Config) -> None:
    """Put the checked directive under every need type of the metamodel."""
    for name in rawa_metamodel.TYPE_NAMES:
        app.add_directive(name, CheckedNeedDirective, override=True)


def setup(app: Sphinx) -> dict[str, Any]:
    # after sphinx-needs registers its own directive for each type (priority 500)
    app.connect("config-inited", register, priority=priorities.CHECKED_NEED_DIRECTIVES)
    # before any page is written (the LaTeX writer would crash on such a need), after the
    # consistency checks of the other extensions, which still change the needs
    app.connect("write-started", needs_outside_toctree)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
