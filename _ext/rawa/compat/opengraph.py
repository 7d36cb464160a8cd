"""Open Graph tags through sphinxext-opengraph, without its notice about matplotlib.

sphinxext-opengraph prints "matplotlib is not installed, social cards will not be
generated" whenever it is imported without matplotlib. RAWA turns social cards off
(``ogp_social_cards`` in ``conf.py``) and does not install matplotlib, whose import
alone would add about 0.6 s to every build. The notice would only make maintainers
think something is missing, so it is caught here; everything else is the extension's
own ``setup``, which runs under the extension's own name (``sphinxext.opengraph``,
already imported here, so Sphinx does not import it again and prints nothing).
"""

from __future__ import annotations

import contextlib
import io
import sys
from typing import Any

from sphinx.application import Sphinx

from rawa.compat import Upstream, check_version

WRITTEN_FOR = Upstream("sphinxext-opengraph", "0.13.0")

with contextlib.redirect_stdout(io.StringIO()):
    from sphinxext import opengraph


def setup(app: Sphinx) -> dict[str, Any]:
    check_version(sys.modules[__name__])
    app.setup_extension(opengraph.__name__)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
