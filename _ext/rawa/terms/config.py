"""Configuration of the term linker, declared once as data.

Every value is registered as ``rawa_terms_<name>`` with ``rebuild="env"``; the rest of
the package reads the values only through :func:`get_config`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

from sphinx.application import Sphinx
from sphinx.config import ENUM, Config

PREFIX = "rawa_terms_"
LinkScope = Literal["section", "document", "all"]
SCOPES: tuple[str, ...] = ("section", "document", "all")
PAGEREFS: tuple[str, ...] = ("document", "book", "off")


@dataclass(frozen=True)
class TermsConfig:
    """The settings of the term linker, with their defaults."""

    #: turn the whole linker off (no links, backlinks, tooltips or SKOS file)
    enabled: bool = True
    #: link the first occurrence of a term per ``section`` or ``document``, or ``all``
    link_scope: LinkScope = "section"
    #: in LaTeX, print ``(pagina N)`` with the glossary page after the first link to a term
    #: per ``document`` (source file), once in the whole ``book``, or ``off``
    latex_pageref: str = "document"
    #: text inside an element with this class is never linked (opt-out for a passage)
    skip_class: str = "geen-termlinks"
    #: file name of the SKOS (JSON-LD) export in the HTML output directory
    skos_file: str = "begrippen.jsonld"
    #: file name of the usage report in the output directory
    report_file: str = "termen-rapport.txt"
    #: log every automatic link as ``file:line: [text] -> term`` (to review matcher changes)
    debug: bool = False
    #: need fields whose text is checked for ``:Niet gebruiken:`` forms, like the prose
    avoid_need_fields: tuple[str, ...] = ("title",)
    #: (phrase, advice) pairs: a phrase that may not appear in the prose or the checked
    #: need fields, case-insensitive, any run of spaces matching any whitespace
    avoid_phrases: tuple[tuple[str, str], ...] = ()


_TYPES: dict[str, object] = {"link_scope": ENUM(*SCOPES), "enabled": (bool,),
                             "latex_pageref": ENUM(*PAGEREFS), "skip_class": (str,),
                             "skos_file": (str,), "report_file": (str,), "debug": (bool,),
                             "avoid_need_fields": (tuple, list),
                             "avoid_phrases": (tuple, list)}


def setup_config(app: Sphinx) -> None:
    """Register every field of :class:`TermsConfig` as a Sphinx config value."""
    for field in fields(TermsConfig):
        app.add_config_value(PREFIX + field.name, field.default, "env",
                             types=_TYPES[field.name])  # type: ignore[arg-type]


def get_config(config: Config) -> TermsConfig:
    """The linker's settings from the Sphinx config (invalid scopes fall back)."""
    values = {f.name: getattr(config, PREFIX + f.name) for f in fields(TermsConfig)}
    if values["link_scope"] not in SCOPES:
        values["link_scope"] = TermsConfig.link_scope
    if values["latex_pageref"] not in PAGEREFS:
        values["latex_pageref"] = TermsConfig.latex_pageref
    values["avoid_need_fields"] = tuple(values["avoid_need_fields"])
    values["avoid_phrases"] = tuple(
        (str(pair[0]), str(pair[1])) for pair in values["avoid_phrases"]
        if isinstance(pair, (tuple, list)) and len(pair) == 2 and str(pair[0]).strip())
    return TermsConfig(**values)
