"""Correct line numbers for glossary terms written in MyST.

MyST hands a directive its content as a ``StringList`` whose line items count from 0
at the first content line, and Sphinx's ``Glossary`` copies those items into
``term.line``. A duplicate term was therefore reported at the wrong line. This subclass
shifts the items to the real line in the ``.md`` file before Sphinx parses them, so
its own warnings (duplicate term) and ours (conflicting variant) name the right line, and
so do warnings about the definitions' content. reStructuredText content already carries
absolute lines and is left alone. With the lines right, it reports the slips
:mod:`.glossary_checks` finds in the entries.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.domains.std import Glossary
from sphinx.util import logging

from .glossary_checks import definition_slips, field_slips

logger = logging.getLogger(__name__)


class LocatedGlossary(Glossary):
    """Sphinx's glossary directive, with real source lines for MyST content."""

    def run(self) -> list[nodes.Node]:
        first = 0
        if type(self.state).__module__.startswith("myst_parser"):
            first = self.lineno + self.content_offset + 1
            items = [(source, first + index) for index, (source, _) in
                     enumerate(self.content.items)]
            self.content = StringList(list(self.content), items=items)
        source = self.get_source_info()[0]
        lines = [(text, line) for text, (_, line) in zip(self.content, self.content.items,
                                                         strict=True)]
        slips = list(definition_slips(lines))
        result = self._run_with_relative_offsets(first) if first else super().run()
        for node in result:
            if isinstance(node, addnodes.glossary):
                slips.extend(field_slips(node, lines))
        for line, message, subtype in slips:
            logger.warning(message, location=f"{source}:{line}", type="rawa",
                           subtype=subtype)
        return result

    def _run_with_relative_offsets(self, first: int) -> list[nodes.Node]:
        """Glossary nested-parses each definition at ``items[0][1]``, which MyST reads
        as an offset from the directive: give it the relative offset it expects."""
        parse = self.state.nested_parse

        def nested_parse(block: StringList, input_offset: int, *args: Any,
                         **kwargs: Any) -> Any:
            return parse(block, input_offset - first, *args, **kwargs)

        self.state.nested_parse = nested_parse  # type: ignore[method-assign]
        try:
            return super().run()
        finally:
            del self.state.nested_parse
