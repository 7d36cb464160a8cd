"""A page that is not saved as UTF-8 gives a warning with file and line, not a traceback.

Sphinx 9.0.4 reads every page with ``Path.read_text`` and stops with a
``UnicodeDecodeError`` traceback on the first byte that is not UTF-8 (an editor saving
in Latin-1 or Windows-1252 does that with "é"). Before the pages are read we decode each
one ourselves; each page that fails gets a ``[rawa.encoding]`` warning at the line of
the first bad byte, and then the build stops (exit status 2, no traceback). Leaving the
page out and going on would bury the message under follow-up warnings (toctree entries,
links to the page), and without the root page Sphinx cannot build at all.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from rawa import priorities

EXIT_STATUS = 2

logger = logging.getLogger(__name__)


def first_bad_byte(data: bytes, encoding: str) -> tuple[int, int] | None:
    """(line, byte value) of the first byte that does not decode, or ``None``."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError as err:
        return data.count(b"\n", 0, err.start) + 1, data[err.start]
    return None


def check_pages(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Warn about every page that does not decode; stop the build if there is one."""
    failed = False
    encoding = env.settings.get("input_encoding") or app.config.source_encoding
    for docname in list(docnames):
        path = env.doc2path(docname)
        try:
            bad = first_bad_byte(path.read_bytes(), encoding)
        except OSError:
            continue  # Sphinx reports a file it cannot read itself
        if bad is None:
            continue
        line, value = bad
        logger.warning(
            "de pagina is niet opgeslagen als UTF-8: byte 0x%02X op deze regel is geen "
            "geldig UTF-8-teken. Sla het bestand op met de codering UTF-8 (in de meeste "
            "editors: 'Opslaan als' of 'Codering'). De build is gestopt.",
            value, location=(docname, line), type="rawa", subtype="encoding")
        failed = True
    if failed:
        raise SystemExit(EXIT_STATUS)


def setup(app: Sphinx) -> dict[str, Any]:
    # before other handlers of this event: nothing else may read a page that fails
    app.connect("env-before-read-docs", check_pages, priority=priorities.SOURCE_ENCODING)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
