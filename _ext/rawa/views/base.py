"""One mechanism for every view generated from all needs: a node, a directive factory,
one handler.

A view (a matrix, the coverage report, the diff with the previous edition, the list of
exports, the maturity scale, a scenario's requirements, the GEMMA tables and diagrams)
is declared once with
:func:`register_view`: its kind, its directive name, how the directive reads its
argument and options, and the function that renders it. The directive puts one
:class:`rawa_view` node in the page, with the kind and the directive's values as
attributes; :func:`render_views` replaces each such node, once all needs are known, by
what the kind's render function returns. The render code of each view stays in its own
module.

Views are rendered in two passes of ``doctree-resolved``. Most render after sphinx-needs
has resolved its own tables (:data:`rawa.priorities.NEED_VIEWS`). A view that returns a
PlantUML diagram (``before_diagrams``) renders earlier
(:data:`rawa.priorities.VIEWS_WITH_DIAGRAMS`): sphinxcontrib-plantuml collects a page's
diagrams for one batch at the default priority and would miss it afterwards.

:mod:`rawa.build.incremental` records which pages hold a view, and of which kinds. It
rewrites a page with a view over all needs when a need changes, and a page whose view
reads another file (``input_signature``, e.g. the diff's baselines) when that file
changes. The handler walks only the pages that hold a view.

To add a view: write its render function in the module of its concern and call
:func:`register_view` in that module's ``setup``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from rawa import priorities
from rawa.model.need_refs import Needs, snapshot

#: ``render(app, docname, node, needs)``: what replaces the view's node in page
#: ``docname``; ``needs`` is the snapshot of all needs (:func:`rawa.model.need_refs.snapshot`).
Render = Callable[[Sphinx, str, "rawa_view", Needs], "nodes.Node | list[nodes.Node]"]


class rawa_view(nodes.General, nodes.Element):
    """A generated view, replaced by its content when the page is written.

    ``node["kind"]`` names the view (see :data:`KINDS`); the other attributes are the
    values of its directive's argument and options.
    """


@dataclass(frozen=True)
class ViewKind:
    """A kind of generated view: how it is rendered and what it depends on."""

    name: str
    render: Render
    #: True when the view shows something computed over all needs: its page is
    #: rewritten whenever any need changes.
    all_needs: bool = True
    #: What the view reads besides the needs (e.g. the baselines); its page is rewritten
    #: when the returned value changes. ``None``: nothing.
    input_signature: Callable[[Sphinx], object] | None = None
    #: True when the view returns a PlantUML diagram: it renders in the early pass.
    before_diagrams: bool = False

    @property
    def dependency(self) -> str:
        """The name under which the incremental bookkeeping records this kind."""
        return f"rawa_view:{self.name}"


#: Every registered kind of view, by name.
KINDS: dict[str, ViewKind] = {}


def view_directive(kind: str, argument: str = "",
                   check: Callable[[str], str | None] | None = None,
                   options: Mapping[str, Callable[[str], Any]] | None = None,
                   defaults: Mapping[str, Any] | None = None) -> type[SphinxDirective]:
    """A directive that puts one :class:`rawa_view` of ``kind`` in the page.

    ``argument``: the attribute that receives the directive's one required argument (no
    argument when empty); ``check(value)`` returns an error message for a wrong one.
    ``options``: the option spec; each option's value becomes an attribute, with
    ``defaults`` for the options that are left out.
    """
    spec = dict(options or {})
    fallback = dict(defaults or {})

    class ViewDirective(SphinxDirective):
        required_arguments = 1 if argument else 0
        has_content = False
        option_spec: ClassVar[dict[str, Any]] = spec

        def run(self) -> list[nodes.Node]:
            attributes = {name: self.options.get(name, fallback.get(name)) for name in spec
                          if name in self.options or name in fallback}
            if argument:
                value = self.arguments[0]
                problem = check(value) if check is not None else None
                if problem:
                    raise self.error(problem)
                attributes[argument] = value
            return [rawa_view("", kind=kind, **attributes)]

    ViewDirective.__name__ = ViewDirective.__qualname__ = f"ViewDirective_{kind}"
    ViewDirective.__doc__ = f"Puts a generated view of kind {kind!r} in the page."
    return ViewDirective


def register_view(app: Sphinx, directive: str, kind: ViewKind,
                  directive_class: type[SphinxDirective] | None = None) -> None:
    """Declare a kind of view and the directive that places it."""
    if kind.name in KINDS and KINDS[kind.name] != kind:
        raise ValueError(f"view kind {kind.name!r} is registered twice")
    KINDS[kind.name] = kind
    app.add_directive(directive, directive_class or view_directive(kind.name))


def _render(app: Sphinx, doctree: nodes.document, docname: str, before_diagrams: bool) -> None:
    """Replace every view of this pass in the page by its content.

    A page's doctree is walked only when the page holds a view; an assembled doctree (the
    LaTeX or single-page HTML book, marked with a ``docname`` attribute) is always walked.
    """
    from rawa.build.incremental import pages_with_views

    if docname not in pages_with_views(app.env) and doctree.get("docname") is None:
        return
    views = [node for node in doctree.findall(rawa_view)
             if KINDS[node["kind"]].before_diagrams == before_diagrams]
    if not views:
        return
    needs = snapshot(app)
    for node in views:
        node.replace_self(KINDS[node["kind"]].render(app, docname, node, needs))


def render_views_with_diagrams(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The early pass: views that return a PlantUML diagram."""
    _render(app, doctree, docname, before_diagrams=True)


def render_views(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The main pass: every other view."""
    _render(app, doctree, docname, before_diagrams=False)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(rawa_view)
    app.connect("doctree-resolved", render_views_with_diagrams,
                priority=priorities.VIEWS_WITH_DIAGRAMS)
    app.connect("doctree-resolved", render_views, priority=priorities.NEED_VIEWS)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
