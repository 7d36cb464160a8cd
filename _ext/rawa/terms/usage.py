"""After reading: the merged glossary, "Gebruikt in" lists, and pages to rewrite.

``env-updated`` runs once per build, after every document has been read and merged.
Here the term table is built, each term's usage is computed from the stored site
records, and two fingerprints decide what must be written again:

* the glossary changed (a term or variant added, removed, renamed): every page,
  because unchanged pages may now have new or stale links;
* the usage changed: the glossary pages, whose "Gebruikt in" lists depend on all pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .avoid import check_avoided, check_phrases
from .collector import PLANS, SiteRecord, all_entries, stored_sites
from .config import get_config
from .entries import TermEntry
from .lookalike import lookalikes, odd_characters
from .matcher import Match
from .sites import Site
from .table import TermTable, plan_links

logger = logging.getLogger(__name__)

TABLE = "rawa_terms_table"
USAGE = "rawa_terms_usage"
FINGERPRINT = "rawa_terms_fingerprint"
USAGE_FINGERPRINT = "rawa_terms_usage_fingerprint"

#: (docname, section id, section title)
Place = tuple[str, str, str]
#: per document: (index of the site, its matches to link)
Plan = tuple[tuple[int, tuple[Match, ...]], ...]


def doc_order(env: BuildEnvironment, root: str) -> list[str]:
    """Documents in reading order (depth-first through the toctrees), then the rest."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [root]
    while stack:
        doc = stack.pop()
        if doc in seen or doc not in env.found_docs:
            continue
        seen.add(doc)
        order.append(doc)
        stack.extend(reversed(env.toctree_includes.get(doc, [])))
    return order + sorted(env.found_docs - seen)


def _sites(records: tuple[SiteRecord, ...]) -> Iterator[Site]:
    for section_id, title, own, text, ref_target, unit in records:
        yield Site(nodes.Text(text), section_id, title, own, ref_target, unit)


def compute_usage(env: BuildEnvironment, table: TermTable, scope: str, root: str,
                  reusable: Mapping[str, Plan] | None = None,
                  ) -> tuple[dict[str, list[Place]], dict[str, Plan]]:
    """For every entry anchor: the sections outside the glossary where it is linked.

    Also returns the planned links per document (site index and matches), which the
    write phase reuses instead of matching the same text a second time. ``reusable``
    holds plans of an earlier build made with the same glossary; a document that was
    not read again keeps its plan, so an incremental build only matches what changed.
    """
    usage: dict[str, list[Place]] = {e.anchor: [] for e in table.entries}
    plans: dict[str, Plan] = {}
    sites = stored_sites(env)
    for docname in doc_order(env, root):
        if docname in table.glossary_docs or docname not in sites:
            continue
        records = sites[docname]
        plan = (reusable or {}).get(docname)
        if plan is None:
            site_list = list(_sites(records))
            index = {id(site): i for i, site in enumerate(site_list)}
            plan = tuple((index[id(site)], tuple(matches))
                         for site, matches in plan_links(site_list, table, scope))
        plans[docname] = plan
        for site_index, matches in plan:
            section_id, section_title = records[site_index][:2]
            place = (docname, section_id, section_title)
            for match in matches:
                places = usage[table.by_canonical[match.target].anchor]
                if place not in places:
                    places.append(place)
    return usage, plans


def stored_plan(env: BuildEnvironment, docname: str,
                sites: list[Site]) -> list[tuple[Site, list[Match]]] | None:
    """The links planned after reading, if ``sites`` are exactly the recorded ones."""
    plan = env.__dict__.get(PLANS, {}).get(docname)
    records = stored_sites(env).get(docname)
    if plan is None or records is None or len(records) != len(sites):
        return None
    for site, (section_id, _, _, text, ref_target, unit) in zip(sites, records, strict=True):
        if (site.doc or site.section_id != section_id or site.unit != unit
                or site.ref_target != ref_target
                or (not ref_target and str(site.node) != text)):
            return None
    return [(sites[i], list(matches)) for i, matches in plan]


def _warn_conflicts(table: TermTable) -> None:
    for conflict in table.conflicts:
        logger.warning(
            "variant %r van begrip %r staat al bij begrip %r (%s)", conflict.form,
            conflict.entry.canonical, conflict.other.canonical, conflict.other.docname,
            location=(conflict.entry.docname, conflict.entry.lineno),
            type="rawa", subtype="terms",
        )


def _warn_lookalikes(entries: tuple[TermEntry, ...]) -> None:
    for found in lookalikes(entries):
        logger.warning(
            "begrip %r lijkt op begrip %r (%s, regel %d) en verschilt alleen door een "
            "onzichtbaar of gelijkend teken: %s. Typ het begrip opnieuw, of voeg de "
            "twee begrippen samen", found.form, found.other_form, found.other.docname,
            found.other.lineno, ", ".join(odd_characters(found.form, found.other_form)),
            location=(found.entry.docname, found.entry.lineno),
            type="rawa", subtype="term_lookalike",
        )


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Build the table and usage; return the documents that must be written again."""
    config = get_config(app.config)
    if not config.enabled:
        return []
    table = TermTable(tuple(all_entries(env)))
    _warn_conflicts(table)
    _warn_lookalikes(table.entries)
    check_avoided(app, env, table.entries, table.glossary_docs)
    check_phrases(env, config.avoid_phrases)
    key = table.key + config.link_scope + config.skip_class
    same_glossary = env.__dict__.get(FINGERPRINT) == key
    usage, plans = compute_usage(env, table, config.link_scope, app.config.root_doc,
                                 env.__dict__.get(PLANS) if same_glossary else None)
    env.__dict__[TABLE] = table
    env.__dict__[USAGE] = usage
    env.__dict__[PLANS] = plans
    rewrite: set[str] = set()
    if not same_glossary:
        env.__dict__[FINGERPRINT] = key
        rewrite |= set(env.found_docs)
    usage_key = hashlib.sha256(repr(sorted(usage.items())).encode("utf-8")).hexdigest()
    if env.__dict__.get(USAGE_FINGERPRINT) != usage_key:
        env.__dict__[USAGE_FINGERPRINT] = usage_key
        rewrite |= table.glossary_docs
    return sorted(rewrite)


def get_table(env: BuildEnvironment) -> TermTable | None:
    return env.__dict__.get(TABLE)


def get_usage(env: BuildEnvironment) -> dict[str, list[Place]]:
    return env.__dict__.get(USAGE, {})
