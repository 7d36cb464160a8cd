"""The test table of a use case, read from its vector file: ``{rawa-testgevallen}``.

The table on the page and the data the tests run are the same file, so they cannot
drift apart. While it reads the file, the directive also runs the check of
``rawa_example_check``: a wrong expected decision, a renamed attribute, a denial not derived
from a permit or a request that does not fit the AuthZEN schema fails the (strict) build with a
warning at the page's
line that names the vector file, its line and the use case. Under the table a line
tells the reader that this happens and with which evaluator version.

Usage in MyST, with a path relative to the page (like ``literalinclude``)::

    ```{rawa-testgevallen} ../../examples/vectors/uc01.json
    ```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from rawa.checks.example_check import (
    DECISION_WORD,
    ExampleError,
    check_vector_file,
    evaluator_version,
    load_vectors,
)
from rawa.views.tables import build_table, small_in_latex

logger = logging.getLogger(__name__)


def _relative(path: Path, project: Path) -> str:
    """A path for a message or the page: relative to the project (the folder above the
    source folder), so the text is the same on every machine."""
    try:
        return path.resolve().relative_to(project).as_posix()
    except ValueError:
        return path.resolve().as_posix()


class TestCasesDirective(SphinxDirective):
    """Render a use case's test vectors as a table and check them."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        _, absolute = self.env.relfn2path(self.arguments[0], self.env.docname)
        path = Path(absolute)
        project = Path(self.env.srcdir).resolve().parent
        try:
            vectors = load_vectors(path)
        except ExampleError as err:
            self._warn(f"{_relative(err.finding.path, project)}:{err.finding.line}: "
                       f"{err.finding.message}")
            return []
        for dependency in (path, *vectors.all_modules, *vectors.data_files,
                           *vectors.examples_dir.glob("schemas/*.json"),
                           *(p for pair in vectors.published for p in (pair.request,
                                                                       pair.response))):
            self.env.note_dependency(str(dependency))
        for finding in check_vector_file(path):
            self._warn(f"{_relative(finding.path, project)}:{finding.line}: {finding.message}")
        rows = [[case.id, case.situation, case.derived_from or "\u2014",
                 DECISION_WORD[case.expected_decision]] for case in vectors.cases]
        table = build_table(
            ["Geval", "Situatie", "Afgeleid van", "Verwacht besluit"], [20, 50, 16, 14], rows,
            table_id=f"rawa-testgevallen-{vectors.use_case.lower()}",
            caption=f"Testgevallen bij {vectors.use_case}")
        data = ", ".join(_relative(p, project) for p in vectors.data_files)
        note = nodes.paragraph(
            classes=["rawa-testgevallen-controle"],
            text=f"Deze voorbeelden worden bij elke build automatisch getest met regopy "
                 f"{evaluator_version()} (rego-cpp): elke vraag gaat door het beleid van "
                 f"{vectors.use_case}, samen met de andere regels die het PDP toepast, en moet "
                 f"het besluit in de tabel geven. Een afgeleid geval is gelijk aan het genoemde "
                 f"geval, op de wijziging na die de situatie beschrijft. De vragen staan in "
                 f"{_relative(path, project)}, de gegevens van PAP en PIP in {data}.")
        return [*small_in_latex(table), note]

    def _warn(self, message: str) -> None:
        logger.warning(message, location=self.get_location(), type="rawa", subtype="examples")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("rawa-testgevallen", TestCasesDirective)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
