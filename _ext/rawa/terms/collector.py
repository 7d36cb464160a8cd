"""Per-document term data on the environment, safe for incremental and ``-j`` builds.

Two things are kept per document, each tagged with its docname:

* ``rawa_terms_entries``: the glossary entries the document defines;
* ``rawa_terms_sites``: its linkable text (section id, section title, own terms, text
  or manual ``{term}`` target), from which the "Gebruikt in" lists are computed once
  the whole glossary is known, without unpickling every doctree again;
* ``rawa_terms_prose``: its prose with line numbers, titles and need fields included,
  which :mod:`.avoid` checks for names the glossary rejects.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector

from .avoid import need_records, prose_records, stored_prose
from .config import get_config
from .entries import TermEntry, entries_in
from .sites import iter_sites

#: (section id, section title, own anchors, text, manual term target, need id)
SiteRecord = tuple[str, str, frozenset[str], str, str, str]

ENTRIES = "rawa_terms_entries"
SITES = "rawa_terms_sites"
#: per document, the links planned in the last build (written by :mod:`.usage`)
PLANS = "rawa_terms_plans"


def stored_entries(env: BuildEnvironment) -> dict[str, tuple[TermEntry, ...]]:
    return env.__dict__.setdefault(ENTRIES, {})


def stored_sites(env: BuildEnvironment) -> dict[str, tuple[SiteRecord, ...]]:
    return env.__dict__.setdefault(SITES, {})


class TermCollector(EnvironmentCollector):
    """Collect glossary entries and linkable text of every document."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        """Forget a document that is re-read or removed."""
        stored_entries(env).pop(docname, None)
        stored_sites(env).pop(docname, None)
        stored_prose(env).pop(docname, None)
        env.__dict__.get(PLANS, {}).pop(docname, None)  # its links must be planned again

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: set[str],
                    other: BuildEnvironment) -> None:
        """Take over what a parallel reader collected for ``docnames``."""
        for store, theirs in ((stored_entries(env), stored_entries(other)),
                              (stored_sites(env), stored_sites(other)),
                              (stored_prose(env), stored_prose(other))):
            for docname in docnames:
                if docname in theirs:
                    store[docname] = theirs[docname]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        """Record the entries and linkable text of the document just read."""
        config = get_config(app.config)
        if not config.enabled:
            return
        docname = app.env.docname
        entries = tuple(entries_in(docname, doctree))
        if entries:
            # a glossary page never counts as a use of a term: no site records needed
            stored_entries(app.env)[docname] = entries
            return
        records: list[SiteRecord] = [
            (site.section_id, site.section_title, site.own,
             "" if site.ref_target else str(site.node), site.ref_target, site.unit)
            for site in iter_sites(doctree, config.skip_class)
        ]
        stored_sites(app.env)[docname] = tuple(records)
        stored_prose(app.env)[docname] = (
            *prose_records(doctree),
            *need_records(_needs_of(app, docname), config.avoid_need_fields),
        )


def _needs_of(app: Sphinx, docname: str) -> list[dict]:
    """The needs defined on a page (none when sphinx-needs is not loaded)."""
    try:
        from sphinx_needs.data import SphinxNeedsData
    except ImportError:  # pragma: no cover - the publication always loads it
        return []
    needs = SphinxNeedsData(app.env).get_needs_mutable()
    return [need for need in needs.values() if need.get("docname") == docname]


def all_entries(env: BuildEnvironment) -> list[TermEntry]:
    return [entry for docname in sorted(stored_entries(env))
            for entry in stored_entries(env)[docname]]

