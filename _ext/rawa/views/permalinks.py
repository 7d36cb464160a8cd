"""Stable URLs by ID: ``id/<ID>.html`` redirects to the page that holds the need.

A link such as ``.../id/EIS-LOG-01.html`` keeps working when the requirement moves to
another page, because the redirect pages are generated from where the needs are in
this build. Each page redirects with a meta refresh and also shows a plain link, uses
relative URLs only and needs no JavaScript. The pages are not part of the toctree.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri
from sphinx_needs.api import get_needs_view

from rawa.safety.csp import with_policy

#: Folder of the redirect pages, relative to the root of the HTML site.
FOLDER = "id"


def permalink_path(need_id: str) -> str:
    """The site-relative path of the redirect page of a need."""
    return f"{FOLDER}/{need_id}.html"


def redirect_page(need_id: str, title: str, target: str, language: str) -> str:
    """A small HTML page that sends the reader to ``target`` (a relative URL)."""
    url = html.escape(target, quote=True)
    label = html.escape(f"{need_id} {title}".strip())
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{label}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        f'<link rel="canonical" href="{url}">\n'
        "</head>\n"
        "<body>\n"
        f'<p>Deze pagina verwijst door naar <a href="{url}">{label}</a>.</p>\n'
        "</body>\n"
        "</html>\n"
    )


def write_permalinks(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    folder = outdir / FOLDER
    folder.mkdir(exist_ok=True)
    language = app.config.language or "en"
    needs = get_needs_view(app)
    for old in folder.glob("*.html"):  # a need that no longer exists loses its page
        if old.stem not in needs:
            old.unlink()
    for need_id, need in sorted(needs.items()):
        page = permalink_path(need_id)
        target = relative_uri(page, app.builder.get_target_uri(need["docname"]))
        path = outdir / page
        text = with_policy(
            redirect_page(need_id, str(need["title"]), f"{target}#{need_id}", language))
        # unchanged pages keep their file (and time stamp): incremental builds stay quick
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", write_permalinks)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
