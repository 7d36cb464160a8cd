"""Correct line numbers for glossary terms written in MyST.

MyST hands a directive its content as a ``StringList`` whose line items count from 0
at the first content line, and Sphinx's ``Glossary`` copies those items into
``term.line``. A duplicate term was therefore reported at the wrong line. This subclass
shifts the items to the real line in the ``.md`` file before Sphinx parses them, so
its own warnings (duplicate term) and ours (conflicting variant) name the right line, and
so do warnings about the definitions' content.
reStructuredText content already carries absolute lines and is left alone.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.domains.std import Glossary


class LocatedGlossary(Glossary):
    """Sphinx's glossary directive, with real source lines for MyST content."""

    def run(self) -> list[nodes.Node]:
        if type(self.state).__module__.startswith("myst_parser"):
            first = self.lineno + self.content_offset + 1
            items = [(source, first + index) for index, (source, _) in
                     enumerate(self.content.items)]
            self.content = StringList(list(self.content), items=items)
            # Glossary nested-parses each definition at ``items[0][1]``, which MyST reads
            # as an offset from the directive: give it the relative offset it expects
            parse = self.state.nested_parse

            def nested_parse(block: StringList, input_offset: int, *args: Any,
                             **kwargs: Any) -> Any:
                return parse(block, input_offset - first, *args, **kwargs)

            self.state.nested_parse = nested_parse  # type: ignore[method-assign]
            try:
                return super().run()
            finally:
                del self.state.nested_parse
        return super().run()
