"""Sphinx configuration for RAWA. Declarative: the logic lives in the ``rawa`` package
(``_ext/rawa``, installed by ``make venv``)."""

from __future__ import annotations

from pathlib import Path

from rawa import plantuml as rawa_plantuml
from rawa.latex import elements as rawa_latex
from rawa.model import metamodel as rawa_metamodel
from rawa.model import publication as rawa_publication

ROOT = Path(__file__).parent.resolve()

# a mistake is reported by rawa.model.settings: one message, no traceback
publication = rawa_publication.load_for_conf(ROOT / "publicatie.toml")

# -- Project -----------------------------------------------------------------
project = publication.titel
author = publication.uitgever
copyright = f"{publication.datum.year}, {publication.uitgever} (tekst: CC BY 4.0, code: EUPL-1.2)"
version = publication.short_version
release = publication.versie
language = "nl"
today_fmt = "%-d %B %Y"
today = publication.datum_nl
rawa_licentie = publication.licentie  # for the auditors' workbook (rawa.views.xlsx)

# -- General -----------------------------------------------------------------
# "rawa" first: it sets up its parts and these third-party extensions in the order
# written once in _ext/rawa/__init__.py (SETUP_ORDER); they are named here so you see
# what the build uses (Sphinx skips them, being set up already)
extensions = [
    "rawa",
    "myst_parser",
    "sphinx_needs",
    "sphinxcontrib.plantuml",
    "sphinx_last_updated_by_git",
    "sphinx_sitemap",
    "sphinxext.opengraph",  # through rawa.compat.opengraph: without its matplotlib notice
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", ".venv", "**/README.md"]
templates_path = ["source/_templates"]
nitpicky = True
numfig = True
numfig_format = {"figure": "Figuur %s", "table": "Tabel %s", "code-block": "Voorbeeld %s"}
# a shallow clone (CI, hosting) only loses "last updated" dates: no reason to fail
suppress_warnings: list[str] = ["git.too_shallow"]
locale_dirs = [str(ROOT / "locales")]

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_block",
                          "attrs_inline", "substitution", "smartquotes"]
myst_heading_anchors = 3
myst_substitutions = publication.substitutions()

# -- sphinx-needs: generated from the metamodel --------------------------------
globals().update(rawa_metamodel.needs_config())

# -- What a page may read: these folders only (see rawa.safety) -----------------
rawa_project_dirs = ["source", "diagrams", "examples"]

# -- PlantUML: rendered locally, never on a server -----------------------------
plantuml = rawa_plantuml.command()
rawa_plantuml_include_dirs = ["diagrams"]  # a diagram may !include only from these
plantuml_output_format = "svg_img"
plantuml_latex_output_format = "pdf"
plantuml_batch_size = 50

# -- Standards: one peildatum for the whole publication (publicatie.toml) ---------
rawa_standards_peildatum = publication.peildatum.isoformat() if publication.peildatum else ""

# -- Term linker (rawa.terms): link the first occurrence per section -----
rawa_terms_link_scope = "section"
# Names under ':Niet gebruiken:' in the glossary fail the build in the prose and in these
# need fields: the title and every free-text field (not the cited sources or names)
rawa_terms_avoid_need_fields = ("title", *rawa_metamodel.prose_field_names())
# Phrases that fail the build in the same text: a planning remark and a split BIO2 name
rawa_terms_avoid_phrases = (
    ("fase 2", "beschrijf de dekking zoals die nu is, niet wat een volgende fase brengt"),
    ("BIO, versie 2.0", "schrijf 'BIO2' (zie de begrippenlijst)"),
    ("BIO versie 2.0", "schrijf 'BIO2' (zie de begrippenlijst)"),
)

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"{publication.afkorting} {publication.versie}"
html_static_path = ["source/_static"]
html_css_files = ["rawa.css"]  # contrast fixes for sphinx-needs in both colour modes
html_last_updated_fmt = "%-d %B %Y"
# "last updated" dates in Dutch time whatever the build machine's zone (reproducible
# builds; read by sphinx-last-updated-by-git when that extension is enabled)
git_last_updated_timezone = "Europe/Amsterdam"
html_theme_options = {
    "navigation_with_keys": True,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["last-updated"],
    "secondary_sidebar_items": ["page-toc"],
    "search_bar_text": "Zoeken in RAWA ...",
    "announcement": publication.banner,
}
html_context = {"default_mode": "light"}

html_baseurl = publication.basis_url
sitemap_url_scheme = "{link}"
sitemap_show_lastmod = True
ogp_site_url = publication.basis_url
ogp_site_name = publication.titel
ogp_description_length = 200
ogp_social_cards = {"enable": False}
ogp_custom_meta_tags = ['<meta property="og:locale" content="nl_NL">']

# -- LaTeX / PDF: house style in source/_latex/rawa.sty, values from publicatie.toml ----
latex_engine = "xelatex"
latex_documents = [(root_doc, "rawa.tex", publication.titel, author, "manual")]
latex_toplevel_sectioning = "part"
latex_show_urls = "footnote"
latex_show_pagerefs = True
latex_elements = rawa_latex.latex_elements(publication)
latex_additional_files = rawa_latex.latex_additional_files()
rawa_latex_appendix = "bijlagen/index"  # this part and what follows become annexes
