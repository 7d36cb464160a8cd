"""Open Graph tags through sphinxext-opengraph, without its notice about matplotlib.

sphinxext-opengraph prints "matplotlib is not installed, social cards will not be
generated" whenever it is imported without matplotlib. RAWA turns social cards off
(``ogp_social_cards`` in ``conf.py``) and does not install matplotlib, whose import
alone would add about 0.6 s to every build. The notice would only make maintainers
think something is missing, so it is caught here; everything else is the extension's
own ``setup``.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from sphinx.application import Sphinx

with contextlib.redirect_stdout(io.StringIO()):
    from sphinxext import opengraph


def setup(app: Sphinx) -> dict[str, Any]:
    metadata: dict[str, Any] = opengraph.setup(app)
    return metadata
