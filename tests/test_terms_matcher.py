"""The term matcher and the link planner on their own: rules, speed shape, robustness."""

from __future__ import annotations

import re

from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st

from rawa.terms.entries import TermEntry
from rawa.terms.matcher import Matcher, is_abbreviation_form, matcher_for
from rawa.terms.sites import iter_sites
from rawa.terms.table import TermTable, plan_links

FORMS = {
    "API": "API", "API's": "API", "API-gateway": "API-gateway",
    "Policy Decision Point": "Policy Decision Point", "PDP": "Policy Decision Point",
    "beslispunt": "Policy Decision Point", "IdP": "Identity Provider",
    "federatie": "federatie", "federaties": "federatie", "OAuth 2.0": "OAuth 2.0",
    "joiner-mover-leaver": "joiner-mover-leaver", "Policy": "Policy",
}
MATCHER = Matcher(FORMS)


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.target) for m in MATCHER.finditer(text)]


def test_longest_match_wins() -> None:
    assert found("De API-gateway") == [("API-gateway", "API-gateway")]
    assert found("Een Policy Decision Point") == [("Policy Decision Point",
                                                   "Policy Decision Point")]
    assert found("Een Policy en een API") == [("Policy", "Policy"), ("API", "API")]


def test_abbreviations_are_case_sensitive_words_are_not() -> None:
    assert found("pdp idp api Pdp") == []
    assert found("PDP en IdP") == [("PDP", "Policy Decision Point"),
                                   ("IdP", "Identity Provider")]
    assert found("Federatie FEDERATIE federaties") == [
        ("Federatie", "federatie"), ("FEDERATIE", "federatie"), ("federaties", "federatie")]
    assert found("policy decision point") == [("policy decision point",
                                               "Policy Decision Point")]
    assert is_abbreviation_form("OAuth 2.0") and is_abbreviation_form("API-gateway")
    assert not is_abbreviation_form("Identity Provider")


def test_both_apostrophes_and_automatic_abbreviation_plural() -> None:
    assert found("API's en API\u2019s") == [("API's", "API"), ("API\u2019s", "API")]
    assert found("PDP's en PDP\u2019s") == [("PDP's", "Policy Decision Point"),
                                           ("PDP\u2019s", "Policy Decision Point")]


def test_no_partial_words_compounds_or_urls() -> None:
    assert found("API-sleutel APIs federatieovereenkomst hoofdPDP") == []
    assert found("zie https://example.org/PDP en www.api.nl/federatie") == []
    assert found("EIS-PDP-01 en COMP-PDP") == []
    assert found("joiner-mover-leaver proces, niet joiner-mover") == [
        ("joiner-mover-leaver", "joiner-mover-leaver")]


def test_white_space_inside_multiword_terms_may_vary() -> None:
    assert found("Policy\n   Decision\u00a0Point") == [("Policy\n   Decision\u00a0Point",
                                                        "Policy Decision Point")]


def test_pattern_is_a_trie_and_cached_per_fingerprint() -> None:
    # common prefixes are factored out: "PDP" and "Policy..." share one branch start
    assert MATCHER.pattern is not None
    assert MATCHER.pattern.pattern.count("API") == 1
    first = matcher_for("key-1", FORMS.items())
    assert matcher_for("key-1", list(FORMS.items())) is first
    assert matcher_for("key-2", FORMS.items()) is not first


def _table() -> TermTable:
    entries = [
        TermEntry("g", 1, ("term-PDP",), ("Policy Decision Point", "PDP"), ("PDP's",), "D."),
        TermEntry("g", 5, ("term-API",), ("API",), ("API's",), "Koppelvlak."),
    ]
    return TermTable(tuple(entries))


def _paragraph(*children: nodes.Node) -> nodes.document:
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document
    doc = new_document("test", get_default_settings(Parser))
    section = nodes.section(ids=["s1"])
    section += nodes.title("PDP", "PDP")
    section += nodes.paragraph("", "", *children)
    doc += section
    return doc


def test_first_occurrence_per_scope_only() -> None:
    doc = _paragraph(nodes.Text("PDP en PDP, API en nog eens API"))
    planned = [(m.text, m.target) for _, ms in plan_links(iter_sites(doc, "x"), _table(),
                                                           "section") for m in ms]
    assert planned == [("PDP", "Policy Decision Point"), ("API", "API")]
    every = [m.text for _, ms in plan_links(iter_sites(doc, "x"), _table(), "all")
             for m in ms]
    assert every == ["PDP", "PDP", "API", "API"]


CODE_NODES = st.sampled_from([nodes.literal, nodes.literal_block, nodes.raw, nodes.reference,
                              nodes.title, nodes.caption, nodes.term])


@settings(max_examples=300, deadline=None)
@given(text=st.text(), inside=st.text(), code_node=CODE_NODES)
def test_matcher_never_crashes_and_never_links_inside_code(text: str, inside: str,
                                                           code_node: type) -> None:
    for match in MATCHER.finditer(text):
        assert text[match.start:match.end] == match.text
        assert match.target in FORMS.values()
    payload = f"{inside} PDP API-gateway API's"
    doc = _paragraph(nodes.Text(text), code_node(payload, payload), nodes.Text(text))
    sites = list(iter_sites(doc, "geen-termlinks"))
    assert all(not isinstance(site.node.parent, code_node) for site in sites)
    for site, matches in plan_links(sites, _table(), "all"):
        assert all(0 <= m.start < m.end <= len(str(site.node)) for m in matches)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(["PDP", "API", "api", "pdp", "API-sleutel", " ", "\u2019s",
                                       "'", "-", "é", "\u00a0", "x"]), max_size=30))
def test_matches_are_whole_words(words: list[str]) -> None:
    text = "".join(words)
    for match in MATCHER.finditer(text):
        before = text[match.start - 1] if match.start else " "
        after = text[match.end] if match.end < len(text) else " "
        assert not re.match(r"[\w-]", before) and not re.match(r"[\w-]", after), (text, match)
