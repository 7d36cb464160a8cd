"""LaTeX settings of the PDF edition, built from ``publicatie.toml``.

``conf.py`` calls :func:`latex_elements` and :func:`latex_additional_files`; the house
style itself (title page, running heads, need boxes) lives in ``source/_latex/rawa.sty``.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import texescape

from rawa.model.publication import Publication

STYLE_FILE = Path(__file__).resolve().parents[3] / "source" / "_latex" / "rawa.sty"


def _tex(text: str) -> str:
    return texescape.escape(text, "xelatex")


def _macros(publication: Publication) -> str:
    """``\\newcommand`` definitions that hand the metadata to ``rawa.sty``."""
    texescape.init()  # conf.py runs before Sphinx fills the escape tables
    values = {
        "rawaTitel": publication.titel,
        "rawaAfkorting": publication.afkorting,
        "rawaOndertitel": publication.ondertitel,
        "rawaVersie": publication.versie,
        "rawaStatus": publication.status,
        "rawaDatum": publication.datum_nl,
        "rawaUitgever": publication.uitgever,
        "rawaLicentie": publication.licentie,
    }
    # typographic apostrophe, as smartquotes gives the body text ("API’s")
    lines = [
        "\\newcommand\\" + name + "{" + _tex(value.replace("'", "\u2019")) + "}"
        for name, value in values.items()
    ]
    # the website of this version, for the colophon (left out if it would need escaping)
    url = publication.basis_url
    website = "\\url{" + url + "}" if url and not set(url) & set("%#\\{}~ ") else ""
    # a \\def, because rawa.sty compares it with \\empty
    lines.append("\\def\\rawaWebsite{" + website + "}")
    lines.append("\\newif\\ifrawaFinal")
    lines.append("\\rawaFinaltrue" if publication.is_final else "\\rawaFinalfalse")
    return "\n".join(lines)


def latex_elements(publication: Publication) -> dict[str, str]:
    """The ``latex_elements`` of the PDF edition."""
    return {
        "papersize": "a4paper",
        "pointsize": "10pt",
        # one-sided: the PDF is read on screen first; no blank pages before chapters
        "extraclassoptions": "openany,oneside",
        # babel (not polyglossia) for Dutch hyphenation and strings: Hoofdstuk, Figuur
        "polyglossia": "",
        "babel": "\\usepackage{babel}",
        "sphinxsetup": ",".join((
            "hmargin={2.5cm,2.5cm}", "vmargin={2.5cm,2.5cm}",
            "TitleColor={HTML}{154273}", "InnerLinkColor={HTML}{154273}",
            "OuterLinkColor={HTML}{8A2D00}",
        )),
        "preamble": _macros(publication) + "\n\\usepackage{rawa}\n\\setcounter{tocdepth}{1}\n",
        "maketitle": "\\rawaTitlePage",
        "tableofcontents": "\\rawaTableOfContents",
    }


def latex_additional_files() -> list[str]:
    """Files copied next to the ``.tex`` file (absolute, so test projects find them too)."""
    return [str(STYLE_FILE)]
