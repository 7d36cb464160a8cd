"""A Content-Security-Policy on every HTML page, which the site itself satisfies.

The policy allows scripts only from the site's own files plus the theme's inline
scripts, each allowed by the SHA-256 hash of its exact text. Script that slips into a
page any other way (an inline event handler, an injected ``<script>``, a
``javascript:`` link) does not run in a browser. Styles may be inline: sphinx-needs
and the theme write ``style`` attributes, and a style cannot run code.

The hashes depend on the page (the theme writes the page name into one inline script),
so the tag is written after the pages, at ``build-finished``, into every page that
Sphinx wrote; a page that already has one gets it replaced, so incremental and clean
builds give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from sphinx.application import Sphinx

from rawa import priorities

#: Folders of the HTML output that hold no pages of ours.
NOT_PAGES = ("_static", "_images", "_downloads", "_sources", "_sphinx_design_static")

# an inline script: no src attribute; its text is everything up to the closing tag
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.S | re.I)
_EXISTING = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*" />\n?')
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>\n?", re.I)

BASE_POLICY = (
    "default-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)


def script_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def theme_part(html: str) -> str:
    """The page without its article: what the theme and Sphinx wrote, not the content.

    Only inline scripts here get a hash, so a script that came in with the content
    (it should not: ``rawa_safety.content`` refuses raw HTML) is never allowed.
    """
    start = html.find("<article")
    end = html.rfind("</article>")
    return html if start < 0 or end < start else html[:start] + html[end:]


def policy_for(html: str) -> str:
    """The policy for one page: the base policy plus its theme scripts' hashes."""
    hashes = sorted({script_hash(m.group(1)) for m in _INLINE_SCRIPT.finditer(theme_part(html))})
    script_src = " ".join(["script-src 'self'", *hashes])
    return "; ".join([BASE_POLICY[0], script_src, *BASE_POLICY[1:]])


def with_policy(html: str) -> str:
    """``html`` with one CSP meta tag, placed before any script it governs."""
    html = _EXISTING.sub("", html)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}" />\n'
    charset = _CHARSET.search(html)
    if charset:
        return html[:charset.end()] + tag + html[charset.end():]
    head = html.find("<head>")
    if head < 0:
        return html
    return html[:head + len("<head>")] + "\n" + tag + html[head + len("<head>"):]


def pages(outdir: Path) -> list[Path]:
    """The HTML pages in the output, without the copied static and download files."""
    return sorted(p for p in outdir.rglob("*.html")
                  if p.relative_to(outdir).parts[0] not in NOT_PAGES)


def add_policy(app: Sphinx, exception: Exception | None) -> None:
    """Write the policy into every page of a finished HTML build."""
    if exception is not None or app.builder.format != "html":
        return
    for page in pages(Path(app.outdir)):
        html = page.read_text(encoding="utf-8")
        updated = with_policy(html)
        if updated != html:
            page.write_text(updated, encoding="utf-8")


def setup(app: Sphinx) -> None:
    # after the handlers that write pages (rawa_permalinks, at the default 500)
    app.connect("build-finished", add_policy, priority=priorities.CONTENT_SECURITY_POLICY)
